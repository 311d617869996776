#!/usr/bin/env node
// Runs the end-to-end suite (test/e2e/out/index.js) inside a real VS Code extension host:
// code-server 4.100.3 (VS Code 1.100.3) with headless Chromium as the window. Equivalent to
// run-test-electron.js on a machine that cannot download VS Code desktop.
//
// The web workbench takes extensionDevelopmentPath/extensionTestsPath from its `payload` URL
// parameter (code-server's CLI rejects --extensionDevelopmentPath) and reports the tests' end
// through window.codeAutomationExit(code), their console through window.codeAutomationLog.
//
//   npm run test:e2e        (builds the bundles and the suite first)
//   node test/e2e/run-code-server.js
//
// Env: CODE_SERVER_BIN (skip the install), CHROMIUM (default /usr/bin/chromium),
// LLMLINT_E2E_TIMEOUT_MS (whole run, default 300000), LLMLINT_E2E_GREP (mocha grep),
// LLMLINT_E2E_STRICT=1 (features awaiting the server count too), LLMLINT_E2E_TIME_SCALE,
// LLMLINT_E2E_VERBOSE=1 (print the whole workbench console, not only the tests' output).
// Exit code: the suite's (0 = pass), 124 on timeout, 1 on a launcher error.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { format } = require('node:util');
const { ROOT, SAMPLE_APP, log, ensureCodeServer, freshRunDir, startCodeServer, launchChromium } = require('./lib/code-server');

const TESTS = path.join(ROOT, 'test', 'e2e', 'out', 'index.js');
const TIMEOUT_MS = Number(process.env.LLMLINT_E2E_TIMEOUT_MS || 300_000);
const VERBOSE = process.env.LLMLINT_E2E_VERBOSE === '1';

// The workbench console carries everything the renderer and the extension host log. Only the
// suite's own lines (marked by test/e2e/suite/output.ts) are printed, unless LLMLINT_E2E_VERBOSE=1;
// everything goes to console.log in the run directory.
const MARKER = '\u2063';

async function main() {
  for (const f of [path.join(ROOT, 'client', 'out', 'extension.js'), path.join(ROOT, 'server', 'out', 'server.js'), TESTS]) {
    if (!fs.existsSync(f)) throw new Error(`${path.relative(ROOT, f)} is missing: run \`npm run build && node scripts/e2e/build-tests.mjs\` (npm run test:e2e does both)`);
  }
  const bin = ensureCodeServer();
  const runDir = freshRunDir('suite');
  const results = path.join(runDir, 'results.json');
  const consoleLog = fs.createWriteStream(path.join(runDir, 'console.log'));
  log(`run directory ${path.relative(ROOT, runDir)}`);

  const server = await startCodeServer({
    bin,
    runDir,
    // Reaches the extension host, and so the runner (index.ts).
    env: { LLMLINT_E2E_RESULTS: results },
  });
  let browser;
  try {
    browser = await launchChromium(runDir, 'suite');
    const page = browser.pages()[0] || (await browser.newPage());
    let finish;
    const finished = new Promise((resolve) => { finish = resolve; });
    // Both hooks must exist before the workbench loads.
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = format(...(args || []));
      consoleLog.write(`${type} ${text.replaceAll(MARKER, '')}\n`);
      for (const line of text.split('\n')) {
        if (line.startsWith(MARKER)) console.log(line.slice(MARKER.length));
        else if (VERBOSE) console.log(line);
      }
    });
    await page.exposeFunction('codeAutomationExit', (code) => finish(code));
    page.on('pageerror', (e) => consoleLog.write(`pageerror ${e.message}\n`));

    const authority = `127.0.0.1:${server.port}`;
    const remote = (p) => `vscode-remote://${authority}${p}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(ROOT)],
      ['extensionTestsPath', remote(TESTS)],
      ['skipWelcome', 'true'],
    ]);
    const url = `http://${authority}/?folder=${encodeURIComponent(SAMPLE_APP)}&payload=${encodeURIComponent(payload)}`;
    log(`opening the workbench on ${path.relative(ROOT, SAMPLE_APP)} with the extension under development`);
    await page.goto(url);

    let timer;
    const outcome = await Promise.race([
      finished,
      new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), TIMEOUT_MS); }),
      new Promise((resolve) => {
        const check = setInterval(() => { if (server.exited()) { clearInterval(check); resolve('server-exit'); } }, 500);
        finished.then(() => clearInterval(check));
      }),
    ]);
    clearTimeout(timer);
    let code;
    if (outcome === 'timeout') {
      log(`timed out after ${TIMEOUT_MS} ms waiting for the tests to finish (see ${path.relative(ROOT, runDir)}/console.log and udd/logs)`);
      code = 124;
    } else if (outcome === 'server-exit') {
      log(`code-server exited during the run: ${JSON.stringify(server.exited())}`);
      code = 1;
    } else {
      code = Number(outcome) || 0;
    }
    // The runner's own account, as a cross-check of the exit code.
    if (fs.existsSync(results)) {
      const r = JSON.parse(fs.readFileSync(results, 'utf8'));
      log(`suite: ${r.passed} passed, ${r.failed} failed; awaiting the server (${r.strict ? 'strict: list not applied' : r.awaitingServer.features.join(', ') || 'none'}): ${r.awaitingServer.failing} failing as expected, ${r.awaitingServer.nowPassing.length} now passing${r.awaitingServer.nowPassing.length ? ` (${r.awaitingServer.nowPassing.join(', ')})` : ''}`);
      if (r.failed > 0 && code === 0) code = 1;
      if (code !== 0) log(`logs: ${path.relative(ROOT, runDir)}/console.log (workbench console), code-server.log, udd/logs/*/exthost*/ (extension host, llmlint output channel)`);
    } else if (code === 0) {
      log('the runner wrote no results file: treating the run as failed');
      code = 1;
    }
    log(`extension-host tests finished, exit code ${code}`);
    return code;
  } finally {
    if (browser) await browser.close().catch(() => {});
    await server.stop();
    consoleLog.end();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => { console.error(`[e2e] ${err && err.stack ? err.stack : err}`); process.exit(1); },
);
