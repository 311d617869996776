/** .prompty, GitHub Models .prompt.yml and Dotprompt .prompt files as call sites. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cli } from '../helpers/cli';
import { matchSnapshot } from '../helpers/snapshot';

const REPO = join(__dirname, '..', '..');

describe('prompt files', () => {
  it('each file is a call site with its model, bound, messages and holes (snapshot)', async () => {
    const run = await cli(['check', 'test/fixtures/projects/prompt-files', '--format', 'json'], REPO);
    const report = JSON.parse(run.stdout);
    const lines = report.callSites.map((s: { file: string; line: number; provider: string; api: string; model: { value: string }; maxOutputTokens: { param: string; value: number } | null; estimate: { inputTokens: { static: number; holes: number }; assumptions: string[] } }) =>
      `${s.file}:${s.line} ${s.provider} ${s.api} model=${s.model.value} bound=${s.maxOutputTokens ? `${s.maxOutputTokens.param}:${s.maxOutputTokens.value}` : '-'} static=${s.estimate.inputTokens.static} holes=${s.estimate.inputTokens.holes}\n  ${s.estimate.assumptions.join('\n  ')}`);
    const diags = report.diagnostics.map((d: { file: string; line: number; rule: string }) => `${d.file}:${d.line} ${d.rule}`);
    matchSnapshot('prompt-files.txt', [...lines, '', ...diags].join('\n') + '\n');
  });

  it('reports invalid YAML as a warning and goes on', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'llmlint-pf-'));
    writeFileSync(join(dir, 'bad.prompt.yml'), 'model: [unclosed\nmessages: x\n');
    const report = JSON.parse((await cli(['check', '.', '--format', 'json'], dir)).stdout);
    assert.match(report.warnings[0].message, /invalid YAML/);
    assert.equal(report.errors.length, 0);
  });
});
