/** `llmlint report`, `llmlint diff --base`, `llmlint usage --init`. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli';
import { matchSnapshot } from '../helpers/snapshot';
import { parseUsage } from '../../server/src/core/usage';
import { USAGE_FILE_TEMPLATE } from '../../server/src/core/usageTemplate';

const CALL = (model: string, bound: number) => `from openai import OpenAI\nclient = OpenAI()\n\ndef answer(q):\n    return client.chat.completions.create(model="${model}", messages=[{"role": "user", "content": "Answer briefly."}], max_completion_tokens=${bound})\n`;
const USAGE = 'callSites:\n  "app.py::answer#1": { callsPerDay: 1000, feature: answers }\n';

/** A git repository with two commits: the base uses gpt-4o-mini, the change switches to gpt-4o. */
function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'llmlint-diff-'));
  const run = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
  run('init', '-q', '-b', 'main');
  run('config', 'user.email', 'ci@example.invalid');
  run('config', 'user.name', 'ci');
  writeFileSync(join(dir, 'app.py'), CALL('gpt-4o-mini', 200));
  writeFileSync(join(dir, 'llmlint.usage.yml'), USAGE);
  run('add', '.');
  run('commit', '-q', '-m', 'base');
  writeFileSync(join(dir, 'app.py'), CALL('gpt-4o', 200));
  run('commit', '-q', '-am', 'use gpt-4o');
  return dir;
}

describe('cost commands', () => {
  it('diff --base shows the monthly change per call site (snapshot)', async () => {
    const dir = repo();
    const run = await cli(['diff', '--base', 'HEAD~1'], dir);
    assert.equal(run.code, 0, run.stderr);
    matchSnapshot('diff.md', run.stdout);
  });

  it('--fail-on-increase fails above the limit and passes below it', async () => {
    const dir = repo();
    const over = await cli(['diff', '--base', 'HEAD~1', '--fail-on-increase', '10%'], dir);
    assert.equal(over.code, 1);
    assert.match(over.stderr, /monthly cost increases by \$\d+(\.\d+)? \(\$[\d.]+ → \$[\d.]+\), over the limit of 10%/);
    assert.equal((await cli(['diff', '--base', 'HEAD~1', '--fail-on-increase', '100000'], dir)).code, 0);
    const json = JSON.parse((await cli(['diff', '--base', 'HEAD~1', '--format', 'json'], dir)).stdout);
    assert.ok(json.after > json.before);
    assert.equal(json.callSites[0].id, 'app.py::answer#1');
  });

  it('report prints markdown and a self-contained HTML page; --budget gates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmlint-report-'));
    writeFileSync(join(dir, 'app.py'), CALL('gpt-4o', 200));
    writeFileSync(join(dir, 'llmlint.usage.yml'), USAGE);
    const md = await cli(['report', '.', '--format', 'markdown'], dir);
    assert.match(md.stdout, /\*\*Projected monthly cost: \$\d+(\.\d+)?\*\*/);
    const html = await cli(['report', '.', '--format', 'html', '--output', 'report.html'], dir);
    assert.equal(html.code, 0);
    const page = readFileSync(join(dir, 'report.html'), 'utf8');
    assert.match(page, /Content-Security-Policy" content="default-src 'none'/);
    assert.doesNotMatch(page, /<script|src="http/);
    assert.equal((await cli(['report', '.', '--budget', '1'], dir)).code, 1);
  });

  it('report --what-if reprices the call sites of one model on another; profiles scale the total', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmlint-whatif-'));
    writeFileSync(join(dir, 'app.py'), CALL('gpt-4o', 200));
    writeFileSync(join(dir, 'llmlint.usage.yml'), USAGE + 'profiles: { low: 0.5, high: 3 }\n');
    const run = await cli(['report', '.', '--what-if', 'gpt-4o=gpt-4o-mini', '--what-if', 'gpt-4o=gpt-4o-mini@other-feature', '--what-if', 'gpt-4o=no-such-model'], dir);
    assert.match(run.stdout, /- gpt-4o → gpt-4o-mini: 1 call site, \$[\d.]+ → \$[\d.]+ \/ month \(saves \$[\d.]+; before cache and batch discounts\)/);
    assert.match(run.stdout, /- gpt-4o → gpt-4o-mini in other-feature: no call site on gpt-4o with volumes/);
    assert.match(run.stdout, /- gpt-4o → no-such-model: "no-such-model" has no price in the table/);
    const report = JSON.parse((await cli(['report', '.', '--format', 'json'], dir)).stdout);
    const { low, expected, high } = report.projection.byProfile;
    assert.ok(Math.abs(low - expected / 2) < 1e-6 && Math.abs(high - expected * 3) < 1e-6, JSON.stringify(report.projection.byProfile));
    assert.equal((await cli(['report', '--what-if', 'nonsense'], dir)).code, 2);
  });

  it('usage --init lists the call sites without volumes, keeping what the file has', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmlint-init-'));
    writeFileSync(join(dir, 'app.py'), CALL('gpt-4o', 200) + '\ndef other(q):\n    return client.chat.completions.create(model="gpt-4o-mini", messages=[], max_completion_tokens=5)\n');
    writeFileSync(join(dir, 'llmlint.usage.yml'), '# ours\nversion: 1\ncallSites:\n  "app.py::answer#1": { callsPerDay: 10 }\n');
    const run = await cli(['usage', '--init', '.'], dir);
    assert.match(run.stdout, /1 call site to fill in/);
    const text = readFileSync(join(dir, 'llmlint.usage.yml'), 'utf8');
    assert.ok(text.startsWith('# ours\nversion: 1\ncallSites:\n'));
    assert.match(text, /# "app\.py::other#1": \{ callsPerDay: 0 \}   # app\.py:\d+ · gpt-4o-mini · \$[\d.]+\/call/);
    assert.match(text, /"app\.py::answer#1": \{ callsPerDay: 10 \}/);
  });

  // The editor's "Open Usage File" writes the template (older versions wrote `callSites: {}`);
  // `usage --init` then adds its entries, and the file must stay valid YAML throughout.
  for (const [name, start] of [
    ['the template', USAGE_FILE_TEMPLATE],
    ['an older template with callSites: {}', 'version: 1\ncallSites: {}\nfiles: {}\n'],
  ] as const) {
    it(`usage --init adds to a file started from ${name}, and the file stays valid`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'llmlint-init-'));
      writeFileSync(join(dir, 'app.py'), CALL('gpt-4o', 200));
      writeFileSync(join(dir, 'llmlint.usage.yml'), start);
      assert.match((await cli(['usage', '--init', '.'], dir)).stdout, /1 call site to fill in/);
      const text = readFileSync(join(dir, 'llmlint.usage.yml'), 'utf8');
      assert.equal(text.match(/^callSites:/gm)?.length, 1, text);
      assert.deepEqual(parseUsage('llmlint.usage.yml', text).problems, []);
      // Uncommenting the entry, as the comment says, gives the call site its volume.
      const filled = text.replace('# "app.py::answer#1": { callsPerDay: 0 }', '"app.py::answer#1": { callsPerDay: 40 }');
      const parsed = parseUsage('llmlint.usage.yml', filled);
      assert.deepEqual(parsed.problems, []);
      assert.equal(parsed.usage.callSites['app.py::answer#1']?.callsPerDay, 40);
    });
  }

  it('usage --init keeps each entry on its comment line, whatever the model name holds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmlint-init-'));
    // A line break in the model string used to start a real key (loopFactor: 1000) in the usage file.
    writeFileSync(join(dir, 'app.py'), CALL('gpt-4o\\nloopFactor: 1000 #', 200));
    assert.match((await cli(['usage', '--init', '.'], dir)).stdout, /1 call site to fill in/);
    const parsed = parseUsage('llmlint.usage.yml', readFileSync(join(dir, 'llmlint.usage.yml'), 'utf8'));
    assert.deepEqual(parsed.problems, []);
    assert.equal(parsed.usage.loopFactor, 10);
  });

  for (const [name, inline] of [
    ['callSites written inline', 'version: 1\ncallSites: { "app.py::answer#1": { callsPerDay: 10 } }\n'],
    ['a JSON-style file', '{"version": 1, "callSites": {"app.py::answer#1": {"callsPerDay": 10}}, "files": {}}\n'],
  ] as const) {
    it(`usage --init leaves ${name} alone, and prints the entries to add instead`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'llmlint-init-'));
      writeFileSync(join(dir, 'app.py'), CALL('gpt-4o', 200) + '\ndef other(q):\n    return client.chat.completions.create(model="gpt-4o-mini", messages=[], max_completion_tokens=5)\n');
      writeFileSync(join(dir, 'llmlint.usage.yml'), inline);
      const run = await cli(['usage', '--init', '.'], dir);
      assert.equal(run.code, 0);
      assert.match(run.stdout, /callSites is not a block this command can add to, so nothing was added; 1 call site to fill in:\n.*\n {2}# "app\.py::other#1": \{ callsPerDay: 0 \}/);
      assert.equal(readFileSync(join(dir, 'llmlint.usage.yml'), 'utf8'), inline);
    });
  }

});
