/** Invariants from ARCHITECTURE.md that code review alone would let slip. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const CORE = join(__dirname, '..', '..', 'server', 'src', 'core');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('architecture', () => {
  it('the core is pure: no vscode, no LSP, no file system, network or process access', () => {
    const forbidden = /from ['"](vscode|vscode-languageserver[^'"]*|vscode-languageclient[^'"]*|node:fs[^'"]*|fs|fs\/promises|node:child_process|child_process|node:net|node:http|node:https|http|https|node:worker_threads)['"]|\bprocess\.(env|cwd|argv|exit)|\brequire\(['"](fs|vscode)/;
    const code = (f: string) => readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    const offenders = files(CORE).filter((f) => forbidden.test(code(f))).map((f) => relative(CORE, f));
    assert.deepEqual(offenders, []);
  });

  it('one rule per file, each file named after its rule id', () => {
    const dir = join(CORE, 'rules');
    for (const f of readdirSync(dir)) {
      if (['registry.ts', 'types.ts', 'docs.ts'].includes(f)) continue;
      const text = readFileSync(join(dir, f), 'utf8');
      const ids = [...text.matchAll(/^\s*id: '([^']+)'/gm)].map((m) => m[1]);
      assert.deepEqual(ids, [f.replace(/\.ts$/, '')], f);
    }
  });
});
