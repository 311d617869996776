// Shared by the code-server launchers (run-code-server.js, ui/smoke.js): install code-server
// (scripts/e2e/install-code-server.sh, cached outside the repository), start it on 127.0.0.1 with a
// free port in its own process group, launch headless Chromium with playwright-core, and always
// stop everything again.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const ARTIFACTS = path.join(ROOT, 'test', 'e2e', 'artifacts');
const SAMPLE_APP = path.join(ROOT, 'test', 'fixtures', 'sample-app');

const T0 = Date.now();
const elapsed = () => `${((Date.now() - T0) / 1000).toFixed(1)}s`;
const log = (...a) => console.log(`[e2e ${elapsed()}]`, ...a);

/** The code-server binary: $CODE_SERVER_BIN, or the cached install (installed on first use). */
function ensureCodeServer() {
  if (process.env.CODE_SERVER_BIN) return process.env.CODE_SERVER_BIN;
  const r = spawnSync('bash', [path.join(ROOT, 'scripts', 'e2e', 'install-code-server.sh')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`scripts/e2e/install-code-server.sh failed (exit ${r.status})`);
  return r.stdout.trim().split('\n').pop();
}

/** A fresh run directory under test/e2e/artifacts/ (git-ignored): logs, user data, screenshots. */
function freshRunDir(name) {
  const dir = path.join(ARTIFACTS, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Environment for code-server and Chromium: they write into $HOME (~/.config/code-server,
 * ~/.local/share/code-server, ~/.cache/Microsoft, Chromium's crash reports) unless redirected.
 */
function isolatedEnv(runDir, extra = {}) {
  const xdg = { XDG_CONFIG_HOME: path.join(runDir, 'xdg', 'config'), XDG_DATA_HOME: path.join(runDir, 'xdg', 'data'), XDG_CACHE_HOME: path.join(runDir, 'xdg', 'cache') };
  for (const d of Object.values(xdg)) fs.mkdirSync(d, { recursive: true });
  return { ...process.env, ...xdg, ...extra };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function healthy(port) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => { req.destroy(); resolve(false); });
  });
}

const USER_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  // The tests and the UI smoke test must not write the fixtures.
  'files.autoSave': 'off',
};

function writeConfig(runDir, port) {
  const config = path.join(runDir, 'config.yaml');
  fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  fs.mkdirSync(path.join(runDir, 'udd', 'User'), { recursive: true });
  fs.mkdirSync(path.join(runDir, 'exts'), { recursive: true });
  const settings = path.join(runDir, 'udd', 'User', 'settings.json');
  if (!fs.existsSync(settings)) fs.writeFileSync(settings, JSON.stringify(USER_SETTINGS, null, 2));
  return config;
}

/** Installs a .vsix into the run's extensions dir with code-server's CLI. */
function installVsix(bin, runDir, vsix) {
  const config = writeConfig(runDir, 0);
  const r = spawnSync(bin, ['--config', config, '--user-data-dir', path.join(runDir, 'udd'), '--extensions-dir', path.join(runDir, 'exts'), '--install-extension', vsix, '--force'], {
    env: isolatedEnv(runDir), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });
  fs.writeFileSync(path.join(runDir, 'install-extension.log'), `${r.stdout}\n${r.stderr}`);
  if (r.status !== 0) throw new Error(`code-server --install-extension failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout.trim();
}

/** Every code-server we started, by process group, so an exit path can never leave one behind. */
const groups = new Set();
function killGroups(signal) {
  for (const pgid of groups) {
    try { process.kill(-pgid, signal); } catch { /* already gone */ }
  }
}
process.on('exit', () => killGroups('SIGKILL'));
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    log(`${sig}: stopping code-server`);
    killGroups('SIGKILL');
    process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
  });
}

/**
 * Starts code-server on a free loopback port in its own process group (detached = setsid) and
 * waits for /healthz. `env` is passed to code-server and so to its extension host. Retries with a
 * new port if the chosen one was taken in between.
 */
async function startCodeServer({ bin, runDir, env = {}, extraArgs = [] }) {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const config = writeConfig(runDir, port);
    const logFile = path.join(runDir, 'code-server.log');
    const out = fs.openSync(logFile, 'a');
    const child = spawn(bin, [
      '--config', config, '--user-data-dir', path.join(runDir, 'udd'), '--extensions-dir', path.join(runDir, 'exts'),
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
      '--disable-getting-started-override', '--ignore-last-opened', ...extraArgs,
    ], { detached: true, stdio: ['ignore', out, out], env: isolatedEnv(runDir, env) });
    fs.closeSync(out);
    groups.add(child.pid);
    let exited = null;
    child.on('exit', (code, signal) => { exited = { code, signal }; });
    const stop = () => stopGroup(child, groups);
    const t = Date.now();
    const deadline = t + 60_000;
    while (Date.now() < deadline && !exited) {
      if (await healthy(port)) {
        log(`code-server (pid ${child.pid}) listening on 127.0.0.1:${port}, healthy after ${((Date.now() - t) / 1000).toFixed(2)} s`);
        return { port, pid: child.pid, stop, exited: () => exited };
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await stop();
    const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
    if (exited && /EADDRINUSE/.test(tail) && attempt < 3) { log(`port ${port} was taken, retrying`); continue; }
    throw new Error(`code-server did not become healthy (${exited ? `exited ${JSON.stringify(exited)}` : 'timeout'}); ${logFile}:\n${tail}`);
  }
}

/** SIGTERM to the whole process group (server, extension host, language server, watchers), then SIGKILL. */
async function stopGroup(child, set) {
  const pgid = child.pid;
  if (!set.has(pgid)) return;
  const alive = () => { try { process.kill(-pgid, 0); return true; } catch { return false; } };
  try { process.kill(-pgid, 'SIGTERM'); } catch { /* gone */ }
  const deadline = Date.now() + 5000;
  while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (alive()) { try { process.kill(-pgid, 'SIGKILL'); } catch { /* gone */ } }
  set.delete(pgid);
  log(`code-server process group ${pgid} stopped`);
}

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** Headless Debian Chromium (no browser download) with a fresh profile in the run dir. */
async function launchChromium(runDir, name, options = {}) {
  let chromium;
  try {
    ({ chromium } = require('playwright-core'));
  } catch (err) {
    throw new Error(`playwright-core is missing: run npm install (${err.message})`);
  }
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) throw new Error(`${executablePath} not found: run scripts/e2e/install-code-server.sh (it apt-installs chromium) or set CHROMIUM`);
  const profile = path.join(runDir, `chromium-profile-${name}`);
  fs.rmSync(profile, { recursive: true, force: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    env: isolatedEnv(runDir),
    ...options,
  });
  // Closing also drops the throwaway profile (a few MB per run).
  const close = context.close.bind(context);
  context.close = async (...args) => {
    try { await close(...args); } finally { fs.rmSync(profile, { recursive: true, force: true }); }
  };
  return context;
}

module.exports = { ROOT, ARTIFACTS, SAMPLE_APP, log, elapsed, ensureCodeServer, freshRunDir, startCodeServer, launchChromium, installVsix };
