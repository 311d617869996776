/** Usage model → monthly projection, the budget gate, and bad usage files. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { buildUsageSchema, USAGE_SCHEMA_PATH } from '../../scripts/gen-usage-schema';
import { cli } from '../helpers/cli';
import { USAGE_FILE_TEMPLATE } from '../../server/src/core/usageTemplate';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'llmlint-proj-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const APP = [
  'from openai import OpenAI',
  'client = OpenAI()',
  '',
  'def summarize(text):',
  '    return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "Summarise the ticket in one line."}], max_completion_tokens=100)',
  '',
  'def tag(items):',
  '    # llmlint: calls-per-day=100 feature=tagging',
  '    return [client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "Tag it."}], max_completion_tokens=5) for _ in range(3)]',
  '',
].join('\n');

describe('projection', () => {
  it('the usage-file schema is current; the sample app’s usage file and new files from the template satisfy it', () => {
    assert.deepEqual(JSON.parse(readFileSync(USAGE_SCHEMA_PATH, 'utf8')), buildUsageSchema());
    const validate = new Ajv({ strict: false }).compile(buildUsageSchema());
    const sample = parse(readFileSync(join(__dirname, '..', 'fixtures', 'sample-app', 'llmlint.usage.yml'), 'utf8'));
    assert.ok(validate(sample), JSON.stringify(validate.errors));
    // A new file from the template (the editor writes it): `callSites:` with nothing under it is null.
    assert.ok(validate(parse(USAGE_FILE_TEMPLATE)), JSON.stringify(validate.errors));
  });

  it('reports the worst case next to the expected monthly cost', async () => {
    const dir = project({ 'app.py': APP, 'llmlint.usage.yml': 'callSites:\n  "app.py::summarize#1": { callsPerDay: 1000 }\n' });
    const report = JSON.parse((await cli(['check', '.', '--format', 'json'], dir)).stdout);
    assert.ok(report.callSites[0].monthlyWorstCaseUsd >= report.callSites[0].monthlyCostUsd);
    assert.equal(typeof report.callSites[0].monthlyWorstCaseUsd, "number");
    assert.ok(report.projection.monthlyWorstCaseUsd >= report.projection.monthlyCostUsd);
  });

  it('multiplies cost per call by the volumes of the usage file and inline annotations, loops included', async () => {
    const dir = project({ 'app.py': APP, 'llmlint.usage.yml': 'callSites:\n  "app.py::summarize#1": { callsPerDay: 1000, feature: summaries }\n' });
    const report = JSON.parse((await cli(['check', '.', '--format', 'json'], dir)).stdout);
    const [summarize, tag] = report.callSites;
    assert.deepEqual(summarize.callsPerMonth, { value: 30_000, source: 'usage file (call site)' });
    assert.ok(Math.abs(summarize.monthlyCostUsd - summarize.estimate.costPerCallUsd.expected * 30_000) < 1e-6);
    assert.deepEqual(tag.callsPerMonth, { value: 9000, source: 'inline annotation' }, '100/day × 30 × a loop of 3');
    assert.ok(tag.estimate.assumptions.includes('inside a loop of 3 iterations'));
    assert.equal(report.projection.usageFile, 'llmlint.usage.yml');
    assert.deepEqual(Object.keys(report.projection.byFeature).sort(), ['summaries', 'tagging']);
    const total = summarize.monthlyCostUsd + tag.monthlyCostUsd;
    assert.ok(Math.abs(report.projection.monthlyCostUsd - total) < 1e-9);
  });

  it('applies cache-hit and batch discounts', async () => {
    const plain = project({ 'app.py': APP, 'llmlint.usage.yml': 'callSites:\n  "app.py::summarize#1": { callsPerDay: 1000 }\n' });
    const discounted = project({ 'app.py': APP, 'llmlint.usage.yml': 'callSites:\n  "app.py::summarize#1": { callsPerDay: 1000, batchShare: 1 }\n' });
    const a = JSON.parse((await cli(['check', '.', '--format', 'json'], plain)).stdout).callSites[0].monthlyCostUsd;
    const b = JSON.parse((await cli(['check', '.', '--format', 'json'], discounted)).stdout).callSites[0].monthlyCostUsd;
    assert.ok(Math.abs(b - a / 2) < 1e-6, `${a} → ${b}: gpt-4o-mini batch prices are half`);
  });

  it('never counts a call site without volumes or without a price as $0', async () => {
    const dir = project({ 'app.py': APP.replace('"gpt-4o-mini", messages=[{"role": "user", "content": "Summarise', '"gpt-4o-typo", messages=[{"role": "user", "content": "Summarise'), 'llmlint.usage.yml': 'callSites:\n  "app.py::summarize#1": { callsPerDay: 1000 }\n' });
    const report = JSON.parse((await cli(['check', '.', '--format', 'json'], dir)).stdout);
    assert.equal(report.callSites[0].monthlyCostUsd, null);
    assert.deepEqual(report.projection.unknown, ['app.py::summarize#1']);
    const none = JSON.parse((await cli(['check', '.', '--format', 'json'], project({ 'app.py': APP.replace('# llmlint: calls-per-day=100 feature=tagging', '') }))).stdout);
    assert.equal(none.projection.monthlyCostUsd, null);
    assert.equal(none.projection.withoutUsage.length, 2);
  });

  it('the budget gate exits 1 above the budget and 0 within it', async () => {
    const dir = project({ 'app.py': APP, 'llmlint.usage.yml': 'callSites:\n  "app.py::summarize#1": { callsPerDay: 100000 }\n' });
    const total = JSON.parse((await cli(['check', '.', '--format', 'json'], dir)).stdout).projection.monthlyCostUsd;
    const over = await cli(['check', '.', '--budget', String(Math.floor(total / 2))], dir);
    assert.equal(over.code, 1);
    assert.match(over.stderr, /projected monthly cost \$\d+ exceeds the budget of \$\d+/);
    assert.equal((await cli(['check', '.', '--budget', String(Math.ceil(total * 2))], dir)).code, 0);
  });

  it('a bad usage file is exit 2 with its line', async () => {
    const dir = project({ 'app.py': APP, 'llmlint.usage.yml': 'callSites:\n  "app.py::summarize#1": { callsPerDya: 10 }\n' });
    const run = await cli(['check', '.'], dir);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /llmlint\.usage\.yml:2:1: callSites\["app\.py::summarize#1"\]: unknown key "callsPerDya"/);
  });
});
