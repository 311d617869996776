// The HTML cost report in headless Chromium: it renders, its charts are there, and strings from
// code that look like markup (a model named "<script>…", an attribute break-out) are shown as
// text and never run. Saves a screenshot under test/e2e/artifacts/.
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { ARTIFACTS, ROOT, freshRunDir, launchChromium, log } = require('../lib/code-server');

const CLI = path.join(ROOT, 'server', 'out', 'cli.js');

async function render(fixture, name) {
  const runDir = freshRunDir(`report-${name}`);
  const file = path.join(runDir, `${name}.html`);
  execFileSync(process.execPath, [CLI, 'report', fixture, '--format', 'html', '--output', file], { cwd: ROOT, stdio: 'inherit' });
  const context = await launchChromium(runDir, name, { viewport: { width: 1200, height: 900 } });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const dialogs = [];
    page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
    await page.goto(`file://${file}`);
    await page.waitForSelector('table tbody tr');
    return { page, dialogs, context };
  } catch (err) {
    await context.close();
    throw err;
  }
}

(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  let failed = 0;
  const check = async (title, fn) => {
    try {
      await fn();
      log(`OK: ${title}`);
    } catch (err) {
      failed++;
      log(`FAIL: ${title}\n${err.stack}`);
    }
  };

  const sample = await render(path.join(ROOT, 'test', 'fixtures', 'sample-app'), 'sample-app');
  await check('the sample app report shows its total, two charts and every call site', async () => {
    const total = await sample.page.textContent('.total');
    assert.match(total, /Projected monthly cost: \$\d+/);
    assert.equal(await sample.page.locator('figure svg').count(), 2);
    assert.equal(await sample.page.locator('tbody tr').count(), 14);
  });
  await sample.page.screenshot({ path: path.join(ARTIFACTS, 'report.png'), fullPage: true });
  await sample.context.close();

  const hostile = await render(path.join(ROOT, 'test', 'fixtures', 'projects', 'hostile'), 'hostile');
  await check('markup in code is shown as text and never runs', async () => {
    const text = await hostile.page.textContent('body');
    assert.ok(text.includes('<script>alert(1)</script>'), 'model name shown literally');
    assert.ok(text.includes('"><img src=x onerror=alert(2)>'), 'attribute break-out shown literally');
    assert.ok(text.includes('<script>alert(4)</script>'), 'feature name shown literally');
    assert.equal(await hostile.page.locator('img').count(), 0, 'no injected element');
    assert.equal(await hostile.page.locator('body script').count(), 0, 'no injected script');
    assert.deepEqual(hostile.dialogs, []);
  });
  await hostile.context.close();
  console.log(`HTML report: ${2 - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
