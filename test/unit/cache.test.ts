/**
 * `check --cache` reuses the results of unchanged files and re-analyses what changed, including
 * files whose prompt or imported constant changed; `--shard i/n` splits the files into parts that
 * together are the whole run; `--concurrency` spreads the work over worker threads, same results.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli';
import { workerScript } from '../../server/src/node/pool';
import { plantedKeys, writeSecretsProject } from '../helpers/secrets';

const SAMPLE = join(__dirname, '..', 'fixtures', 'sample-app');

interface Report {
  callSites: Array<{ id: string; file: string; estimate: { inputTokens: { expected: number } } }>;
  diagnostics: Array<{ file: string; rule: string; message: string; line: number }>;
}

function copySample(): string {
  const dir = mkdtempSync(join(tmpdir(), 'llmlint-cache-'));
  cpSync(SAMPLE, dir, { recursive: true });
  return dir;
}

async function checkJson(dir: string, ...extra: string[]): Promise<{ code: number; stderr: string; report: Report }> {
  const run = await cli(['check', '.', '--format', 'json', ...extra], dir);
  return { code: run.code, stderr: run.stderr, report: JSON.parse(run.stdout) as Report };
}

describe('check --cache', () => {
  it('gives the same report from the cache as from a cold run, and writes .llmlintcache', async () => {
    const dir = copySample();
    const cold = await checkJson(dir);
    const first = await checkJson(dir, '--cache');
    const second = await checkJson(dir, '--cache');
    assert.deepEqual(first.report, cold.report);
    assert.deepEqual(second.report, cold.report);
    assert.equal(second.code, cold.code);
    assert.ok(readFileSync(join(dir, '.llmlintcache'), 'utf8').includes('summarize.py'));
  });

  it('answers unchanged files from the cache (a planted entry shows) and re-analyses an edited one', async () => {
    const dir = copySample();
    await checkJson(dir, '--cache');
    const cacheFile = join(dir, '.llmlintcache');
    // Plant a marker in the cached messages: only a run that reads the cache can show it.
    writeFileSync(cacheFile, readFileSync(cacheFile, 'utf8').replaceAll('has no output-token bound', 'PLANTED'));
    const reused = await checkJson(dir, '--cache');
    assert.ok(reused.report.diagnostics.some((d) => d.message.includes('PLANTED')), 'unchanged files come from the cache');

    const summarize = join(dir, 'backend', 'summarize.py');
    writeFileSync(summarize, readFileSync(summarize, 'utf8') + '\n# edited\n');
    const edited = await checkJson(dir, '--cache');
    const ofSummarize = edited.report.diagnostics.filter((d) => d.file === 'backend/summarize.py' && d.rule === 'unbounded-output');
    assert.ok(ofSummarize.length > 0 && ofSummarize.every((d) => !d.message.includes('PLANTED')), 'the edited file is analysed again');
  });

  it('re-estimates a file whose imported prompt changed, though the file did not', async () => {
    const dir = copySample();
    const before = await checkJson(dir, '--cache');
    const prompts = join(dir, 'backend', 'prompts.py');
    const text = readFileSync(prompts, 'utf8');
    // Make the system prompt much longer: every call that sends it costs more input tokens.
    writeFileSync(prompts, text.replace(/SYSTEM_PROMPT = (["']{3}|["'])/, (m) => `${m}${'Be precise and cite the ticket. '.repeat(40)}`));
    const after = await checkJson(dir, '--cache');
    const tokens = (r: Report) => r.callSites.find((s) => s.file === 'backend/summarize.py')?.estimate.inputTokens.expected ?? 0;
    assert.ok(tokens(after.report) > tokens(before.report) + 200, `${tokens(before.report)} → ${tokens(after.report)}`);
    assert.deepEqual(after.report, (await checkJson(dir)).report, 'the cached run equals a cold run');
  });

  it('never writes an API key into the cache file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmlint-cache-keys-'));
    const keys = writeSecretsProject(dir);
    const cold = await checkJson(dir);
    await checkJson(dir, '--cache');
    const cached = readFileSync(join(dir, '.llmlintcache'), 'utf8');
    for (const key of Object.values(keys)) assert.ok(!cached.includes(key.slice(0, 16)), `a key starting ${key.slice(0, 6)} is in the cache`);
    assert.deepEqual((await checkJson(dir, '--cache')).report, cold.report, 'files with keys are analysed again, the rest come from the cache');
  });

  it('does not reuse results across scan roots, or pile up read warnings run after run', async () => {
    const dir = copySample();
    writeFileSync(join(dir, 'backend', 'latin1.py'), Buffer.from('import openai\n# caf\xe9\nopenai.chat.completions.create(model="gpt-4o", messages=[], max_tokens=5)\n', 'latin1'));
    await checkJson(dir, '--cache');
    const cacheAt = join(dir, '.llmlintcache');
    const sub = async (...extra: string[]) => JSON.parse((await cli(['check', 'backend', '--format', 'json', ...extra], dir)).stdout) as Report & { warnings: Array<{ file: string }> };
    const cold = await sub();
    assert.deepEqual(await sub('--cache', '--cache-location', cacheAt), cold, 'ids and paths are relative to the root scanned now');
    for (let i = 0; i < 3; i++) await checkJson(dir, '--cache');
    const warnings = ((await checkJson(dir, '--cache')).report as unknown as { warnings: Array<{ file: string }> }).warnings.filter((w) => w.file === 'backend/latin1.py');
    assert.equal(warnings.length, 1);
  });

  it('never caches a result whose key hides after an escaped character', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmlint-cache-newline-'));
    const key = plantedKeys().openaiProject;
    writeFileSync(join(dir, 'app.py'), `from openai import OpenAI\nclient = OpenAI()\nclient.chat.completions.create(model="gpt-4o", max_tokens=5, messages=[{"role": "user", "content": "use this\\n${key}"}])\n`);
    await checkJson(dir, '--cache');
    assert.ok(!readFileSync(join(dir, '.llmlintcache'), 'utf8').includes(key.slice(0, 16)));
  });

  it('trusts size and time for a file that held nothing, and reads it again once either changes', async () => {
    const dir = copySample();
    const plain = join(dir, 'backend', 'plain.py');
    const before = 'def add(a, b):\n    return a + b\n' + '# plain code\n'.repeat(5);
    const then = new Date('2026-01-02T03:04:05Z');
    writeFileSync(plain, before);
    utimesSync(plain, then, then);
    await checkJson(dir, '--cache');
    // Same size, same modification time, new content: the metadata says unchanged, so it is not read.
    const after = 'import openai\nopenai.chat.completions.create()'.padEnd(before.length, ' ');
    writeFileSync(plain, after);
    utimesSync(plain, then, then);
    const calls = async () => (await checkJson(dir, '--cache')).report.callSites.filter((c) => c.file === 'backend/plain.py').length;
    assert.equal(await calls(), 0);
    utimesSync(plain, new Date(), new Date(Date.now() + 5000));
    assert.equal(await calls(), 1);
  });

  it('starts cold from a corrupt cache, and says so when the cache cannot be written, without failing', async () => {
    const dir = copySample();
    const cold = await checkJson(dir);
    writeFileSync(join(dir, '.llmlintcache'), '{ not json');
    assert.deepEqual((await checkJson(dir, '--cache')).report, cold.report);

    const readOnly = mkdtempSync(join(tmpdir(), 'llmlint-ro-'));
    chmodSync(readOnly, 0o500);
    const run = await checkJson(dir, '--cache', '--cache-location', join(readOnly, 'sub', 'cache'));
    assert.deepEqual(run.report, cold.report);
    assert.equal(run.code, cold.code);
    assert.match(run.stderr, /could not write the cache .*sub\/cache/);
  });
});

describe('the V8 code cache of the CLI and the TypeScript compiler', () => {
  it('is written under the user cache directory on the first run and gives the same report after; old caches are pruned', () => {
    const home = mkdtempSync(join(tmpdir(), 'llmlint-xdg-'));
    // Six caches left by earlier builds: each name keeps its four newest.
    mkdirSync(join(home, 'llmlint'));
    const old = Array.from({ length: 6 }, (_, i) => join(home, 'llmlint', `typescript-${String(i).repeat(16)}.v8cache`));
    old.forEach((f, i) => {
      writeFileSync(f, 'stale');
      utimesSync(f, 1_000_000 + i, 1_000_000 + i);
    });
    const run = () => execFileSync(process.execPath, [join(__dirname, '..', '..', 'server', 'out', 'cli.js'), 'check', SAMPLE, '--format', 'json'], { env: { ...process.env, XDG_CACHE_HOME: home }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const status = (f: () => string) => {
      try {
        return f();
      } catch (err) {
        return (err as { stdout: string }).stdout; // exit 1: the sample app has problems
      }
    };
    const first = status(run);
    const written = readdirSync(join(home, 'llmlint')).filter((f) => !old.includes(join(home, 'llmlint', f)));
    assert.equal(written.filter((f) => /^typescript-[0-9a-f]{16}\.v8cache$/.test(f)).length, 1, written.join(', '));
    assert.equal(written.filter((f) => /^cli-[0-9a-f]{16}\.v8cache$/.test(f)).length, 1, written.join(', '));
    assert.deepEqual(old.filter((f) => existsSync(f)), old.slice(3), 'the three newest stale caches are kept with the new one');
    assert.equal(status(run), first);
    // A damaged cache (V8 checks only its header; damaged data was a fatal V8 error on every run) is rewritten.
    const cliCache = join(home, 'llmlint', written.find((f) => f.startsWith('cli-'))!);
    const bytes = readFileSync(cliCache);
    for (let i = bytes.length >> 1; i < (bytes.length >> 1) + 4096; i++) bytes[i] ^= 0x5a;
    writeFileSync(cliCache, bytes);
    assert.equal(status(run), first);
    assert.notDeepEqual(readFileSync(cliCache), bytes, 'rewritten');
  });
});

describe('the V8 code cache where it cannot be written', () => {
  it('a home where no directory can be made costs the cache, not the run (Node\'s recursive mkdir looped for ever)', function () {
    if (!existsSync('/proc/self')) this.skip(); // a directory that exists and where nothing can be made
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: '/proc' };
    delete env.XDG_CACHE_HOME;
    const run = (environment: NodeJS.ProcessEnv) =>
      spawnSync(process.execPath, [join(__dirname, '..', '..', 'server', 'out', 'cli.js'), 'check', SAMPLE, '--format', 'json'], { env: environment, encoding: 'utf8', timeout: 30_000 });
    const unwritable = run(env);
    assert.equal(unwritable.error, undefined, 'the run ends');
    assert.equal(unwritable.stdout, run(process.env).stdout);
  });
});

describe('check --concurrency', () => {
  it('gives on worker threads the report one thread gives', async () => {
    // Without the built CLI there is no worker script and the run would quietly stay in one thread.
    assert.ok(workerScript(), 'server/out/cli.js is built (npm test builds it first)');
    const dir = copySample();
    const one = await checkJson(dir, '--concurrency', 'off');
    const two = await checkJson(dir, '--concurrency', '2');
    assert.ok(one.report.callSites.length > 10);
    assert.deepEqual(two.report, one.report);
    assert.equal(two.code, one.code);
  });
});

describe('check --shard', () => {
  it('splits the files into disjoint parts that together are the whole run', async () => {
    const dir = copySample();
    const whole = (await checkJson(dir)).report;
    const parts = await Promise.all([1, 2, 3].map(async (i) => (await checkJson(dir, '--shard', `${i}/3`)).report));
    const ids = parts.flatMap((p) => p.callSites.map((s) => s.id));
    assert.equal(new Set(ids).size, ids.length, 'no call site is in two parts');
    assert.deepEqual([...ids].sort(), whole.callSites.map((s) => s.id).sort());
    assert.ok(parts.every((p) => p.callSites.length > 0), 'each part has work');
  });

  it('rejects a shard outside 1..n', async () => {
    const run = await cli(['check', '.', '--shard', '4/3'], SAMPLE);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--shard takes <i>\/<n>/);
  });
});
