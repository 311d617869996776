/** The bundled sample project: what `npm start` shows, pinned as an expected JSON report. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cli } from '../helpers/cli';
import { matchSnapshot } from '../helpers/snapshot';

const REPO = join(__dirname, '..', '..');

describe('sample app', () => {
  it('reports the expected call sites, estimates and findings (JSON snapshot)', async () => {
    const run = await cli(['check', 'test/fixtures/sample-app', '--format', 'json'], REPO);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    report.root = '<root>';
    matchSnapshot('sample-app.json', JSON.stringify(report, null, 2) + '\n');
  });

  it('prints findings and a cost table in the default format', async () => {
    const run = await cli(['check', 'test/fixtures/sample-app'], REPO);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /backend\/summarize\.py\n(?:.*\n)*?\s+26:\d+\s+warning\s+`chat\.completions\.create` has no output-token bound/);
    assert.match(run.stdout, /Cost per call — \d+ LLM call sites in \d+ files \(prices as of 2026-07-24\)/);
    assert.match(run.stdout, /backend\/translate\.py:50\s+gpt-4o-turbo-preview-2\s+chat\.completions\.create\s+.*unknown\s+unknown/);
    assert.match(run.stdout, /no known price: left out of totals, not counted as \$0/);
  });
});
