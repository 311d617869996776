/**
 * "Nothing is ever sent over the network": the built CLI and the built language server run with a
 * preloaded guard (test/helpers/no-network.cjs) that records and refuses every connection, name
 * lookup, fetch and WebSocket. The runs must succeed and the record stay empty. Needs the build
 * (`npm test` builds first; else `npm run build`).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { PublishDiagnosticsParams } from 'vscode-languageserver/node';

const REPO = join(__dirname, '..', '..');
const GUARD = join(REPO, 'test', 'helpers', 'no-network.cjs');
const CLI = join(REPO, 'server', 'out', 'cli.js');
const SERVER = join(REPO, 'server', 'out', 'server.js');
const SAMPLE = join(REPO, 'test', 'fixtures', 'sample-app');

interface Guarded {
  env: NodeJS.ProcessEnv;
  /** Network attempts the guard recorded. */
  attempts(): Array<{ api: string; args: unknown[]; stack: string }>;
  /** The threads that loaded the guard. */
  loaded(): Array<{ pid: number; threadId: number }>;
  dispose(): void;
}

function guarded(): Guarded {
  const dir = mkdtempSync(join(tmpdir(), 'llmlint-no-network-'));
  const log = join(dir, 'network.jsonl');
  const loaded = join(dir, 'loaded.jsonl');
  writeFileSync(log, '');
  writeFileSync(loaded, '');
  const lines = (f: string) => readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  // No proxy or registry settings from the environment: nothing should need them.
  const env = { PATH: process.env.PATH, HOME: dir, NO_COLOR: '1', LLMLINT_NETWORK_LOG: log, LLMLINT_GUARD_LOADED: loaded };
  return { env, attempts: () => lines(log), loaded: () => lines(loaded), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

function runCli(g: Guarded, args: string[], cwd = REPO) {
  return spawnSync(process.execPath, ['--require', GUARD, CLI, ...args], { cwd, env: g.env, encoding: 'utf8', timeout: 120_000 });
}

describe('nothing is ever sent over the network', function () {
  this.timeout(180_000);

  before(function () {
    assert.ok(existsSync(CLI) && existsSync(SERVER), 'the built CLI and server are missing: run `npm run build`');
  });

  it('the guard itself records and refuses connections, lookups and fetch (so an empty record means something)', () => {
    const g = guarded();
    try {
      const probe = `
        const tries = [
          () => require('https').get('https://api.openai.com/v1/models'),
          () => require('http').request({ host: '127.0.0.1', port: 9 }),
          () => require('net').connect(443, 'api.anthropic.com'),
          () => new (require('net').Socket)().connect({ path: '/tmp/llmlint-nowhere.sock' }),
          () => require('tls').connect(443, 'example.invalid'),
          () => require('dns').lookup('example.invalid', () => {}),
          () => require('dns').promises.resolve4('example.invalid'),
          () => fetch('https://generativelanguage.googleapis.com/'),
          () => new WebSocket('wss://example.invalid/'),
        ];
        let thrown = 0;
        for (const t of tries) { try { t(); } catch { thrown++; } }
        process.stdout.write(String(thrown));
      `;
      const run = spawnSync(process.execPath, ['--require', GUARD, '-e', probe], { env: g.env, encoding: 'utf8' });
      assert.equal(run.stdout, '9', run.stderr);
      assert.deepEqual(g.attempts().map((a) => a.api), [
        'https.get', 'http.request', 'net.connect', 'net.Socket.prototype.connect', 'tls.connect', 'dns.lookup', 'dns.promises.resolve4', 'globalThis.fetch', 'globalThis.WebSocket',
      ]);
    } finally {
      g.dispose();
    }
  });

  it('the built CLI: check (every format), report (every format), explain', () => {
    const g = guarded();
    try {
      const runs: Array<{ args: string[]; codes: number[] }> = [
        ...['stylish', 'json', 'sarif', 'github'].map((f) => ({ args: ['check', SAMPLE, '--format', f], codes: [0, 1] })),
        ...['table', 'markdown', 'html', 'json'].map((f) => ({ args: ['report', SAMPLE, '--format', f], codes: [0] })),
        { args: ['explain'], codes: [0] },
        { args: ['explain', 'hardcoded-api-key'], codes: [0] },
      ];
      for (const { args, codes } of runs) {
        const run = runCli(g, args);
        assert.ok(codes.includes(run.status ?? -1), `llmlint ${args.join(' ')} exited ${run.status} (${run.signal ?? ''}):\n${run.stderr}`);
        assert.ok(run.stdout.length > 100, `llmlint ${args.join(' ')} printed its output`);
        assert.deepEqual(g.attempts(), [], `llmlint ${args.join(' ')} tried the network`);
      }
      assert.ok(g.loaded().length >= runs.length, 'the guard was loaded in every run');
    } finally {
      g.dispose();
    }
  });

  it('the built CLI on worker threads: the guard is loaded in each worker, and they stay offline', () => {
    const g = guarded();
    const dir = mkdtempSync(join(tmpdir(), 'llmlint-no-network-many-'));
    try {
      // Enough files for `--concurrency` to start workers (it analyses small trees in one thread).
      for (let i = 0; i < 80; i++) {
        writeFileSync(join(dir, `call_${i}.py`), `from openai import OpenAI\n\nclient = OpenAI()\n\n\ndef ask_${i}(q):\n    return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": q}])\n`);
      }
      const run = runCli(g, ['check', dir, '--format', 'json', '--concurrency', '2']);
      assert.ok([0, 1].includes(run.status ?? -1), run.stderr);
      assert.equal(JSON.parse(run.stdout).callSites.length, 80);
      assert.deepEqual(g.attempts(), []);
      const threads = g.loaded().filter((l) => l.threadId > 0);
      assert.ok(threads.length >= 1, `worker threads loaded the guard: ${JSON.stringify(g.loaded())}`);
    } finally {
      g.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the built language server over stdio: initialize, open a file, diagnostics, a workspace scan, shutdown', async () => {
    const g = guarded();
    const child = spawn(process.execPath, ['--require', GUARD, SERVER, '--stdio'], { cwd: REPO, env: g.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    try {
      const uri = pathToFileURL(join(SAMPLE, 'backend', 'summarize.py')).toString();
      const diagnostics = new Promise<PublishDiagnosticsParams>((resolve) => {
        connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
          if (p.uri === uri && p.diagnostics.length) resolve(p);
        });
      });
      connection.onRequest(() => null);
      connection.listen();
      const root = pathToFileURL(SAMPLE).toString();
      await connection.sendRequest('initialize', { processId: process.pid, rootUri: root, workspaceFolders: [{ uri: root, name: 'sample-app' }], capabilities: {} });
      await connection.sendNotification('initialized', {});
      await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: readFileSync(join(SAMPLE, 'backend', 'summarize.py'), 'utf8') } });
      const published = await Promise.race([diagnostics, exited.then((code) => Promise.reject(new Error(`the server exited (${code}):\n${stderr}`)))]);
      assert.ok(published.diagnostics.some((d) => d.code === 'unbounded-output'), 'the rules ran');
      const { files } = await connection.sendRequest<{ files: number }>('llmlint/scanWorkspace');
      assert.ok(files > 5, 'the workspace was scanned');
      await connection.sendRequest('shutdown');
      await connection.sendNotification('exit');
      assert.equal(await exited, 0, stderr);
      assert.deepEqual(g.attempts(), [], 'the language server tried the network');
      assert.ok(g.loaded().length >= 1, 'the guard was loaded in the server');
    } finally {
      connection.dispose();
      if (child.exitCode === null) child.kill();
      g.dispose();
    }
  });
});
