#!/usr/bin/env node
// UI smoke test of the packaged extension: installs the VSIX (`npm run package`) into a fresh
// code-server, opens test/fixtures/sample-app in headless Chromium, opens backend/summarize.py,
// opens the Problems panel and waits for llmlint's problem, then saves a screenshot of the editor
// and the Problems panel to test/e2e/artifacts/ui-problems.png.
//
//   npm run test:e2e:ui     (packages the VSIX first)
//   node test/e2e/ui/smoke.js [path/to/llmlint.vsix]
//
// Env: CODE_SERVER_BIN, CHROMIUM, LLMLINT_VSIX, LLMLINT_E2E_TIME_SCALE.
// The selectors are VS Code workbench internals (checked on 1.100.3).
// Exit code: 0 pass, 1 fail (a screenshot of the failure is saved as ui-failure.png).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, ARTIFACTS, SAMPLE_APP, log, ensureCodeServer, freshRunDir, startCodeServer, launchChromium, installVsix } = require('../lib/code-server');

const SCALE = Number(process.env.LLMLINT_E2E_TIME_SCALE || 1);
const WAIT = 60_000 * SCALE; // every wait below polls until its condition holds, up to this long
const FILE = 'summarize.py';
// What the Problems panel must show for backend/summarize.py:26 (message, then source(code)).
const PROBLEM = /has no output-token bound/;
const PROBLEM_CODE = /llmlint\W*unbounded-output/; // "llmlint(unbounded-output)" on screen

function vsixPath() {
  const explicit = process.argv[2] || process.env.LLMLINT_VSIX;
  if (explicit) return path.resolve(explicit);
  const { name, version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  return path.join(ROOT, `${name}-${version}.vsix`);
}

/** Polls every frame (webviews live in nested iframes) until `selector` has text matching `re`. */
async function waitForInFrames(page, selector, re) {
  const deadline = Date.now() + WAIT;
  let last = '';
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      const text = await frame.locator(selector).first().textContent({ timeout: 200 }).catch(() => null);
      if (text) {
        last = text;
        if (re.test(text)) return text;
      }
    }
    await page.waitForTimeout(200);
  }
  throw new Error(`no frame shows ${selector} matching ${re} (last: ${JSON.stringify(last)})`);
}

const pageErrors = [];

async function main() {
  const vsix = vsixPath();
  if (!fs.existsSync(vsix)) throw new Error(`${path.relative(ROOT, vsix)} not found: run \`npm run package\` first (npm run test:e2e:ui does)`);
  const bin = ensureCodeServer();
  const runDir = freshRunDir('ui');
  log(`run directory ${path.relative(ROOT, runDir)}`);

  log(`installing ${path.relative(ROOT, vsix)} (${(fs.statSync(vsix).size / 1e6).toFixed(2)} MB)`);
  const out = installVsix(bin, runDir, vsix);
  const installed = fs.readdirSync(path.join(runDir, 'exts')).filter((d) => d.startsWith('llmlint.llmlint-'));
  if (installed.length !== 1) throw new Error(`the VSIX did not install as llmlint.llmlint-*: ${out}`);
  log(`installed ${installed[0]}`);

  const server = await startCodeServer({ bin, runDir });
  let browser;
  let page;
  const shot = path.join(ARTIFACTS, 'ui-problems.png');
  const failShot = path.join(ARTIFACTS, 'ui-failure.png');
  fs.rmSync(shot, { force: true });
  fs.rmSync(failShot, { force: true });
  try {
    browser = await launchChromium(runDir, 'ui', { viewport: { width: 1400, height: 900 } });
    page = browser.pages()[0] || (await browser.newPage());

    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => { if (/panel|Refused|Content Security|acquireVsCodeApi/i.test(m.text())) pageErrors.push(`console: ${m.text()}`); });

    await page.goto(`http://127.0.0.1:${server.port}/?folder=${encodeURIComponent(SAMPLE_APP)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: WAIT });
    log('workbench loaded');

    // The explorer lists the sample app: open backend/, then the file (a pinned editor, not a preview).
    const row = (name) => page.locator('.explorer-folders-view .monaco-list-row', { hasText: new RegExp(`^\\s*${name.replace('.', '\\.')}\\s*$`) }).first();
    await row('backend').waitFor({ timeout: WAIT });
    await row('backend').click();
    await row(FILE).waitFor({ timeout: WAIT });
    await row(FILE).dblclick();
    await page.locator('.tabs-container .tab', { hasText: FILE }).first().waitFor({ timeout: WAIT });
    await page.locator('.monaco-editor .view-lines', { hasText: 'client.chat.completions.create' }).first().waitFor({ timeout: WAIT });
    log(`editor shows backend/${FILE}`);

    // The command palette is F1 (Ctrl+Shift+P may be taken by the browser). `text` is what goes in
    // the box ('>' commands, ':' go to line); `row` the entry to wait for before Enter.
    const runCommand = async (text, row) => {
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ timeout: WAIT });
      await input.fill(text);
      if (row) await page.locator('.quick-input-list .monaco-list-row', { hasText: row }).first().waitFor({ timeout: WAIT });
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: WAIT });
    };
    await runCommand('>View: Focus Problems', 'View: Focus Problems');
    const markers = page.locator('.markers-panel');
    await markers.waitFor({ timeout: WAIT });
    log('Problems panel open');

    // llmlint's language server analyses the file and the problem appears (polled by Playwright).
    const problem = markers.locator('.monaco-list-row', { hasText: PROBLEM }).first();
    await problem.waitFor({ timeout: WAIT });
    const text = (await problem.innerText()).replace(/\s+/g, ' ');
    if (!PROBLEM_CODE.test(text)) throw new Error(`the problem row does not name llmlint(unbounded-output): ${text}`);
    if (!/\[Ln 26, Col 16\]/.test(text)) throw new Error(`the problem is not at Ln 26, Col 16: ${text}`);
    log(`OK: Problems shows "${text.slice(0, 160)}…"`);

    // Go to line 26, where the warning squiggle is drawn (with the cost lens and hint, once the
    // server provides them): the screenshot then shows what a user sees.
    await runCommand(':26', null);
    await page.locator('.statusbar', { hasText: 'Ln 26, Col 1' }).first().waitFor({ timeout: WAIT });
    await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ timeout: WAIT });
    await page.screenshot({ path: shot });
    log(`screenshot ${path.relative(ROOT, shot)}`);

    // The cost panel: the command opens a webview that draws the projected monthly total.
    await runCommand('>llmlint: Show Cost Panel', 'Show Cost Panel');
    const panelTotal = await waitForInFrames(page, '#total', /\$\d+.*\/ month/);
    log(`OK: the cost panel shows "${panelTotal}"`);
    const panelShot = path.join(ARTIFACTS, 'ui-cost-panel.png');
    await page.screenshot({ path: panelShot });
    log(`screenshot ${path.relative(ROOT, panelShot)}`);
    if (pageErrors.length) log(`page errors (not fatal): ${pageErrors.slice(0, 3).join(' | ')}`);
    console.log('UI smoke test: 1 passed, 0 failed');
    return 0;
  } catch (err) {
    log(`FAIL: ${String(err && err.message).split('\n')[0]}`);
    if (pageErrors.length) log(`page errors: ${pageErrors.slice(0, 5).join(' | ')}`);
    if (page) await page.screenshot({ path: failShot }).catch(() => {});
    log(`screenshot ${path.relative(ROOT, failShot)}; logs: ${path.relative(ROOT, runDir)}/code-server.log, udd/logs/*/exthost*/`);
    console.log('UI smoke test: 0 passed, 1 failed');
    return 1;
  } finally {
    if (browser) await browser.close().catch(() => {});
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => { console.error(`[e2e] ${err && err.stack ? err.stack : err}`); process.exit(1); },
);
