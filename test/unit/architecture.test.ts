/** Invariants from ARCHITECTURE.md that code review alone would let slip. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { RULES } from '../../server/src/core/rules/registry';

const CORE = join(__dirname, '..', '..', 'server', 'src', 'core');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('architecture', () => {
  it('the core is pure: no vscode, no LSP, no file system, network or process access', () => {
    const forbiddenImport = /from ['"](vscode|vscode-languageserver[^'"]*|vscode-languageclient[^'"]*|node:fs[^'"]*|fs|fs\/promises|node:child_process|child_process|node:net|node:http|node:https|http|https|node:worker_threads)['"]|\brequire\(['"](fs|vscode)/;
    const forbiddenUse = /\bprocess\.(env|cwd|argv|exit)\b/;
    const code = (f: string) => readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    // Rule messages may mention `process.env.X` as advice: look for uses outside string literals.
    const withoutStrings = (c: string) => c.replace(/'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`/g, "''");
    const offenders = files(CORE).filter((f) => forbiddenImport.test(code(f)) || forbiddenUse.test(withoutStrings(code(f)))).map((f) => relative(CORE, f));
    assert.deepEqual(offenders, []);
  });

  it('one rule per file, each file named after its rule id', () => {
    const dir = join(CORE, 'rules');
    // Shared helpers live in rules/support/; every other file here is exactly one rule.
    for (const f of readdirSync(dir)) {
      if (['registry.ts', 'types.ts', 'docs.ts', 'support'].includes(f)) continue;
      const text = readFileSync(join(dir, f), 'utf8');
      const ids = [...text.matchAll(/^\s*id: '([^']+)'/gm)].map((m) => m[1]);
      assert.deepEqual(ids, [f.replace(/\.ts$/, '')], f);
      assert.ok(RULES.some((r) => r.id === ids[0]), `${ids[0]} is registered in rules/registry.ts`);
    }
  });
});

describe('webview assets', () => {
  it('the cost panel script parses (it is not bundled, so nothing else checks it)', () => {
    const source = readFileSync(join(__dirname, '..', '..', 'client', 'media', 'panel.js'), 'utf8');
    assert.doesNotThrow(() => new Function(source));
    assert.doesNotMatch(source, /innerHTML|outerHTML|insertAdjacentHTML|document\.write/, 'the panel builds its DOM with textContent only');
  });
});
