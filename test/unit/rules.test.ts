/**
 * Rules: fixture files per rule (`test/fixtures/rules/<rule>/{invalid,valid}.{py,ts}`). Invalid
 * files must produce the diagnostics pinned in `test/snapshots/rules/<rule>/<file>.txt` (position,
 * message and the file after applying every fix); valid files must produce none of the rule.
 * A meta-test checks every registered rule has docs, fixtures and examples that behave.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../server/src/core/rules/registry';
import type { RuleDefinition } from '../../server/src/core/rules/types';
import { DEFAULT_SETTINGS, type Settings } from '../../server/src/core/settings';
import type { Diagnostic, FileResult } from '../../server/src/core/types';
import { analyze, lineOf } from '../helpers/engine';
import { matchSnapshot } from '../helpers/snapshot';

const FIXTURES = join(__dirname, '..', 'fixtures', 'rules');

/** Rules that are off in `recommended` (the strict-only ones) are checked at their strict severity. */
function settingsFor(rule: RuleDefinition): Settings {
  return rule.defaultSeverity === 'off' ? { ...DEFAULT_SETTINGS, rules: { [rule.id]: rule.strictSeverity } } : DEFAULT_SETTINGS;
}

function applyFixes(text: string, diagnostics: Diagnostic[]): string {
  const edits = diagnostics.flatMap((d) => d.fix?.edits ?? []).sort((a, b) => b.span.start - a.span.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

function render(result: FileResult, rule: string): string {
  const own = result.diagnostics.filter((d) => d.rule === rule);
  const lines = own.map((d) => {
    const line = lineOf(result.text, d.span.start);
    const col = d.span.start - result.text.lastIndexOf('\n', d.span.start - 1);
    const fix = d.fix ? `\n    fix (${d.fix.safety}): ${d.fix.description}` : '';
    return `${line}:${col} ${d.severity} ${d.message}\n    help: ${d.help}${fix}`;
  });
  const fixed = own.some((d) => d.fix) ? `\n\n--- after fixes ---\n${applyFixes(result.text, own)}` : '';
  return lines.join('\n') + fixed + '\n';
}

for (const rule of RULES) {
  describe(`rule ${rule.id}`, () => {
    const dir = join(FIXTURES, rule.id);
    const files = existsSync(dir) ? readdirSync(dir).sort() : [];
    for (const file of files) {
      it(file, async () => {
        const result = await analyze(file, readFileSync(join(dir, file), 'utf8'), settingsFor(rule));
        assert.deepEqual(result.errors, []);
        if (file.startsWith('valid')) {
          assert.deepEqual(result.diagnostics.filter((d) => d.rule === rule.id).map((d) => `${lineOf(result.text, d.span.start)}: ${d.message}`), []);
        } else {
          assert.ok(result.diagnostics.some((d) => d.rule === rule.id), 'an invalid fixture must trigger the rule');
          matchSnapshot(`rules/${rule.id}/${file}.txt`, render(result, rule.id));
        }
      });
    }
  });
}

describe('rule catalogue (meta)', () => {
  it('has unique ids in kebab-case', () => {
    const ids = RULES.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.match(id, /^[a-z]+(-[a-z]+)*$/);
  });

  for (const rule of RULES) {
    it(`${rule.id}: docs, fixtures and examples`, async () => {
      const d = rule.docs;
      for (const [section, text] of Object.entries({ summary: d.summary, whatItDoes: d.whatItDoes, whyIsThisBad: d.whyIsThisBad, fixSafety: d.fixSafety, options: d.options })) {
        assert.ok(text.trim().length > 10, `${section} is written`);
      }
      assert.ok(d.example.length && d.useInstead.length, 'has an example and a "use instead"');
      const files = existsSync(join(FIXTURES, rule.id)) ? readdirSync(join(FIXTURES, rule.id)) : [];
      assert.ok(files.some((f) => f.startsWith('invalid')) && files.some((f) => f.startsWith('valid')), 'has valid and invalid fixtures');
      for (const ex of d.example) {
        const r = await analyze(ex.language === 'python' ? 'example.py' : 'example.ts', ex.code, settingsFor(rule));
        assert.ok(r.diagnostics.some((x) => x.rule === rule.id), `docs example triggers ${rule.id}:\n${ex.code}`);
      }
      for (const ex of d.useInstead) {
        const r = await analyze(ex.language === 'python' ? 'example.py' : 'example.ts', ex.code, settingsFor(rule));
        assert.deepEqual(r.diagnostics.filter((x) => x.rule === rule.id).map((x) => x.message), [], `"use instead" is clean:\n${ex.code}`);
      }
      if (rule.fixSafety !== 'none') {
        const r = await analyze(d.example[0].language === 'python' ? 'example.py' : 'example.ts', d.example[0].code, settingsFor(rule));
        assert.equal(r.diagnostics.find((x) => x.rule === rule.id)?.fix?.safety, rule.fixSafety, 'the fix has the documented safety');
      }
    });
  }
});
