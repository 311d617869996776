/** The command line as CI uses it: formats, exit codes, the SARIF contract, explain. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import { cli } from '../helpers/cli';

const REPO = join(__dirname, '..', '..');
const SAMPLE = 'test/fixtures/sample-app';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'llmlint-cli-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const UNBOUNDED = 'from openai import OpenAI\nclient = OpenAI()\nclient.chat.completions.create(model="gpt-4o", messages=[])\n';
const ANTHROPIC_NO_MAX = 'import anthropic\nanthropic.Anthropic().messages.create(model="claude-sonnet-4-5", messages=[])\n';

describe('cli', () => {
  it('exits 0 with warnings only, 1 when --max-warnings is exceeded', async () => {
    const dir = project({ 'app.py': UNBOUNDED });
    assert.equal((await cli(['check', '.'], dir)).code, 0);
    const over = await cli(['check', '.', '--max-warnings', '0'], dir);
    assert.equal(over.code, 1);
    assert.match(over.stderr, /1 warnings exceed --max-warnings 0/);
    assert.equal((await cli(['check', '.', '--max-warnings', '1'], dir)).code, 0);
  });

  it('reports a missing required max_tokens, and exits 2 on bad arguments', async () => {
    const dir = project({ 'app.py': ANTHROPIC_NO_MAX });
    const run = await cli(['check', '.', '--format', 'json'], dir);
    const report = JSON.parse(run.stdout);
    const unbounded = report.diagnostics.find((d: { rule: string }) => d.rule === 'unbounded-output');
    assert.match(unbounded.message, /requires it and rejects the request/);
    const bad = await cli(['check', '--format', 'xml'], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown format "xml"/);
    assert.equal((await cli(['lint'], dir)).code, 2);
    assert.equal((await cli(['check', '--max-warnings', '-1'], dir)).code, 2);
  });

  it('writes JSON with 1-based positions relative to the scanned root', async () => {
    const dir = project({ 'app.py': UNBOUNDED });
    const run = await cli(['check', dir, '--format', 'json', '--output', 'out.json'], dir);
    assert.equal(run.stdout, '');
    const report = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'));
    assert.equal(report.version, 1);
    assert.equal(report.root, dir);
    assert.equal(report.pricing.asOf, '2026-07-24');
    const site = report.callSites.find((c: { file: string }) => c.file === 'app.py');
    assert.deepEqual([site.line, site.column, site.endLine], [3, 1, 3]);
    assert.equal(site.id, 'app.py::<module>#1');
    assert.equal(site.cell, null);
    assert.deepEqual(site.model, { value: 'gpt-4o', expression: null });
    assert.equal(site.maxOutputTokens, null);
    assert.deepEqual(site.retry, { kind: 'sdk-default', attempts: 3, source: 'openai-python default (2 retries)' });
    assert.equal(site.timeoutSeconds, 600);
    assert.equal(typeof site.estimate.costPerCallUsd.expected, 'number');
  });

  it('gives notebook positions relative to the cell', async () => {
    const nb = {
      cells: [
        { cell_type: 'markdown', source: ['# Demo'] },
        { cell_type: 'code', source: ['%pip install openai\n', 'from openai import OpenAI\n', 'client = OpenAI()'] },
        { cell_type: 'code', source: ['resp = client.chat.completions.create(\n', '    model="gpt-4o-mini", messages=[], max_tokens=50)'] },
      ],
      metadata: { language_info: { name: 'python' } },
    };
    const dir = project({ 'demo.ipynb': JSON.stringify(nb) });
    const report = JSON.parse((await cli(['check', '.', '--format', 'json'], dir)).stdout);
    assert.equal(report.callSites.length, 1);
    const site = report.callSites[0];
    assert.deepEqual([site.cell, site.line, site.column], [2, 1, 8]);
    assert.equal(site.maxOutputTokens.value, 50);
  });

  it('emits SARIF 2.1.0 that validates against the OASIS schema', async () => {
    const run = await cli(['check', SAMPLE, '--format', 'sarif'], REPO);
    const sarif = JSON.parse(run.stdout);
    const schema = JSON.parse(readFileSync(join(REPO, 'test/schemas/sarif-schema-2.1.0.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile(schema);
    assert.ok(validate(JSON.parse(run.stdout)), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    const results = sarif.runs[0].results;
    assert.ok(results.length > 0);
    const rules = sarif.runs[0].tool.driver.rules.map((r: { id: string }) => r.id);
    for (const r of results) assert.equal(rules[r.ruleIndex], r.ruleId);
    assert.ok(results.some((r: { fixes?: unknown[] }) => r.fixes?.length), 'fixes are included');
  });

  it('emits GitHub annotations', async () => {
    const dir = project({ 'app.py': UNBOUNDED });
    const run = await cli(['check', '.', '--format', 'github'], dir);
    assert.match(run.stdout, /^::warning file=app\.py,line=3,col=1,endLine=3,endColumn=\d+,title=llmlint\(unbounded-output\)::`chat\.completions\.create` has no output-token bound/m);
  });

  it('explains rules from their docs, and lists them', async () => {
    const run = await cli(['explain', 'unbounded-output'], REPO);
    assert.equal(run.code, 0);
    for (const section of ['## What it does', '## Why is this bad?', '## Example', '## Use instead', '## Fix safety', '## Options']) assert.ok(run.stdout.includes(section), section);
    const list = await cli(['explain'], REPO);
    assert.match(list.stdout, /\| `missing-retry` \| reliability \| warning \|/);
    assert.equal((await cli(['explain', 'no-such-rule'], REPO)).code, 2);
  });

  it('prints help and version', async () => {
    assert.match((await cli(['--help'], REPO)).stdout, /Usage:\n\s+llmlint check/);
    assert.match((await cli(['--version'], REPO)).stdout, /^llmlint \d+\.\d+\.\d+\n$/);
  });
});
