/** Suppression comments in Python and JS/TS, file-level forms, and unused-directive reports. */
import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS } from '../../server/src/core/settings';
import { analyze } from '../helpers/engine';

/** The two rules these tests suppress; other rules' findings on the same lines are not the subject. */
const SUBJECT = new Set(['missing-retry', 'unbounded-output']);
const rules = async (path: string, text: string, report = false) =>
  (await analyze(path, text, { ...DEFAULT_SETTINGS, reportUnusedDirectives: report })).diagnostics
    .filter((d) => SUBJECT.has(d.rule))
    .map((d) => `${d.rule}@${text.slice(0, d.span.start).split('\n').length}`);

const PY_HEAD = 'from openai import OpenAI\nclient = OpenAI(max_retries=0)\n';
const CALL_PY = 'client.chat.completions.create(model="gpt-4o", messages=[])';
const TS_HEAD = "import OpenAI from 'openai';\nconst client = new OpenAI({ maxRetries: 0 });\n";
const CALL_TS = "client.chat.completions.create({ model: 'gpt-4o', messages: [] });";

describe('suppressions', () => {
  it('python: same line, line above, several rules, all rules', async () => {
    assert.deepEqual(await rules('a.py', `${PY_HEAD}${CALL_PY}\n`), ['missing-retry@3', 'unbounded-output@3']);
    assert.deepEqual(await rules('a.py', `${PY_HEAD}${CALL_PY}  # llmlint: ignore[unbounded-output]\n`), ['missing-retry@3']);
    assert.deepEqual(await rules('a.py', `${PY_HEAD}# llmlint: ignore[unbounded-output, missing-retry]\n${CALL_PY}\n`), []);
    assert.deepEqual(await rules('a.py', `${PY_HEAD}${CALL_PY}  # llmlint: ignore\n`), []);
  });

  it('python: a comment after code covers only its own line', async () => {
    assert.deepEqual(await rules('a.py', `${PY_HEAD}x = 1  # llmlint: ignore[unbounded-output]\n${CALL_PY}\n`), ['missing-retry@4', 'unbounded-output@4']);
  });

  it('python: file-level', async () => {
    assert.deepEqual(await rules('a.py', `# llmlint: ignore-file[missing-retry]\n${PY_HEAD}${CALL_PY}\n`), ['unbounded-output@4']);
  });

  it('typescript: next line, same line, file-level', async () => {
    assert.deepEqual(await rules('a.ts', `${TS_HEAD}// llmlint-disable-next-line unbounded-output\n${CALL_TS}\n`), ['missing-retry@4']);
    assert.deepEqual(await rules('a.ts', `${TS_HEAD}${CALL_TS} // llmlint-disable-line missing-retry, unbounded-output\n`), []);
    assert.deepEqual(await rules('a.ts', `/* llmlint-disable missing-retry */\n${TS_HEAD}${CALL_TS}\n`), ['unbounded-output@4']);
  });

  it('a multi-line call is suppressed from the line above its start', async () => {
    const text = `${PY_HEAD}# llmlint: ignore[unbounded-output]\nclient.chat.completions.create(\n    model="gpt-4o",\n    messages=[],\n)\n`;
    assert.deepEqual(await rules('a.py', text), ['missing-retry@4']);
  });

  it('reports unused and unknown suppressions on request', async () => {
    const text = `${PY_HEAD}# llmlint: ignore[unbounded-output, no-such-rule, unknown-model]\n${CALL_PY}\nx = 1  # llmlint: ignore\n`;
    assert.deepEqual(await rules('a.py', text), ['missing-retry@4']);
    const reported = await analyze('a.py', text, { ...DEFAULT_SETTINGS, reportUnusedDirectives: true });
    const unused = reported.diagnostics.filter((d) => d.rule === 'unused-suppression').map((d) => d.message);
    assert.deepEqual(unused, [
      'Suppression names an unknown rule `no-such-rule`.',
      'Unused suppression for `unknown-model`: no such problem is reported here.',
      'Unused suppression: no such problem is reported here.',
    ]);
  });
});
