/** `--fix` applies safe fixes, `--unsafe-fixes` the rest; the files keep their formatting. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli';

const SOURCE = [
  'from openai import OpenAI',
  '',
  'client = OpenAI()',
  '',
  '',
  'def summarize(text: str) -> str:',
  '    response = client.chat.completions.create(',
  '        model="gpt-4o",',
  '        messages=[{"role": "user", "content": text}],',
  '    )',
  '    return response.choices[0].message.content or ""',
  '',
].join('\n');

describe('--fix', () => {
  it('leaves unsafe fixes alone without --unsafe-fixes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmlint-fix-'));
    writeFileSync(join(dir, 'app.py'), SOURCE);
    const run = await cli(['check', '.', '--fix'], dir);
    assert.equal(readFileSync(join(dir, 'app.py'), 'utf8'), SOURCE);
    assert.match(run.stdout, /unbounded-output/);
  });

  it('applies unsafe fixes with --unsafe-fixes, keeps formatting, and reports what remains', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmlint-fix-'));
    writeFileSync(join(dir, 'app.py'), SOURCE);
    const run = await cli(['check', '.', '--unsafe-fixes', '--format', 'json'], dir);
    const fixed = readFileSync(join(dir, 'app.py'), 'utf8');
    assert.match(fixed, /        messages=\[\{"role": "user", "content": text\}\],\n        max_completion_tokens=1024,\n        timeout=30,\n    \)/);
    assert.match(run.stderr, /fixed \d+ problems?/);
    const report = JSON.parse(run.stdout);
    assert.equal(report.diagnostics.filter((d: { rule: string }) => d.rule === 'unbounded-output').length, 0);
  });
});
