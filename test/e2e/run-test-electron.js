#!/usr/bin/env node
// Runs the end-to-end suite (test/e2e/out/index.js) in VS Code desktop with @vscode/test-electron,
// for machines that can download VS Code (a developer laptop; CI with internet). On machines that
// cannot, use run-code-server.js (npm run test:e2e), which runs the same suite in code-server.
//
//   npm run build && node scripts/e2e/build-tests.mjs && node test/e2e/run-test-electron.js
//
// Env: VSCODE_VERSION (default: the oldest version package.json's engines.vscode allows, 1.100.3;
// 'stable' or 'insiders' for the newest), VSCODE_EXECUTABLE (a VS Code you already have; no
// download), LLMLINT_E2E_STRICT, LLMLINT_E2E_GREP, LLMLINT_E2E_TIME_SCALE.
// On a Linux machine without a display, run it under xvfb-run -a.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { runTests } = require('@vscode/test-electron');

const ROOT = path.resolve(__dirname, '..', '..');

async function main() {
  const tests = path.join(ROOT, 'test', 'e2e', 'out', 'index.js');
  for (const f of [path.join(ROOT, 'client', 'out', 'extension.js'), path.join(ROOT, 'server', 'out', 'server.js'), tests]) {
    if (!fs.existsSync(f)) throw new Error(`${path.relative(ROOT, f)} is missing: run \`npm run build && node scripts/e2e/build-tests.mjs\``);
  }
  const runDir = path.join(ROOT, 'test', 'e2e', 'artifacts', 'electron');
  fs.rmSync(runDir, { recursive: true, force: true });
  fs.mkdirSync(runDir, { recursive: true });
  const results = path.join(runDir, 'results.json');
  // Fresh profile: no user settings, no other extensions, no workspace-trust prompt.
  const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'llmlint-e2e-udd-'));
  const extensionsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmlint-e2e-exts-'));
  try {
    const code = await runTests({
      ...(process.env.VSCODE_EXECUTABLE
        ? { vscodeExecutablePath: process.env.VSCODE_EXECUTABLE }
        : {
          version: process.env.VSCODE_VERSION || '1.100.3',
          // Downloads go to the e2e cache outside the repository (default: ./.vscode-test).
          cachePath: path.join(process.env.LLMLINT_E2E_CACHE || path.join(os.homedir(), '.cache', 'llmlint-e2e'), 'vscode-test'),
        }),
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: tests,
      extensionTestsEnv: {
        LLMLINT_E2E_RESULTS: results,
        ...(process.env.LLMLINT_E2E_STRICT ? { LLMLINT_E2E_STRICT: process.env.LLMLINT_E2E_STRICT } : {}),
        ...(process.env.LLMLINT_E2E_GREP ? { LLMLINT_E2E_GREP: process.env.LLMLINT_E2E_GREP } : {}),
        ...(process.env.LLMLINT_E2E_TIME_SCALE ? { LLMLINT_E2E_TIME_SCALE: process.env.LLMLINT_E2E_TIME_SCALE } : {}),
      },
      launchArgs: [
        path.join(ROOT, 'test', 'fixtures', 'sample-app'),
        '--user-data-dir', userData,
        '--extensions-dir', extensionsDir,
        '--disable-extensions', // other installed extensions; the one under test still loads
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        '--disable-telemetry',
        '--disable-updates',
      ],
    });
    return code;
  } finally {
    fs.rmSync(userData, { recursive: true, force: true });
    fs.rmSync(extensionsDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    // runTests rejects with TestRunFailedError (carrying VS Code's exit code) when tests fail.
    console.error(`[e2e] ${err && err.message ? err.message : err}`);
    process.exit(typeof err?.code === 'number' && err.code !== 0 ? err.code : 1);
  },
);
