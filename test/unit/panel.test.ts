/**
 * The cost panel's page (client/media/panel.js) in a DOM: it draws a projection, and strings from
 * code that look like markup (`<script>`, an attribute break-out) are shown as text, never parsed.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';

const SCRIPT = readFileSync(join(__dirname, '..', '..', 'client', 'media', 'panel.js'), 'utf8');

function site(id: string, model: string, feature: string | null, monthly: number | null) {
  return { id, file: `${id}.py`, line: 3, provider: 'openai', api: 'chat.completions.create', model, costPerCallUsd: { expected: 0.001, worstCase: 0.002 }, inputTokens: 100, outputTokens: 50, modelProvider: 'openai', callsPerMonth: monthly === null ? null : 1000, monthlyCostUsd: monthly, feature };
}

function render(projection: object) {
  const posted: unknown[] = [];
  const dom = new JSDOM('<!doctype html><main id="app"></main>', { runScripts: 'outside-only' });
  const win = dom.window as unknown as { acquireVsCodeApi: () => { postMessage: (m: unknown) => void }; CSS: { escape: (s: string) => string }; eval: (s: string) => void; postMessage: (m: unknown, o: string) => void };
  // Messages cross from the page's realm: compare them as plain data.
  win.acquireVsCodeApi = () => ({ postMessage: (m) => posted.push(JSON.parse(JSON.stringify(m))) });
  win.CSS = { escape: (s: string) => s.replace(/["\\]/g, '\\$&') };
  win.eval(SCRIPT);
  dom.window.dispatchEvent(new dom.window.MessageEvent('message', { data: { type: 'projection', projection } }));
  return { doc: dom.window.document, posted };
}

const HOSTILE = ['<script>alert(1)</script>', '"><img src=x onerror=alert(2)>'];

describe('cost panel page', () => {
  it('asks for data when loaded and draws the total, breakdowns and call sites', () => {
    const { doc, posted } = render({ scanning: false, pricingAsOf: '2026-07-24', callSites: [site('a', 'gpt-4o', 'chat', 120), site('b', 'gpt-4o-mini', null, 30)], unknownPrice: [], withoutUsage: [], monthlyCostUsd: 150 });
    assert.deepEqual(posted[0], { type: 'ready' });
    assert.equal(doc.getElementById('total')!.textContent, '$150 / month');
    assert.equal(doc.querySelectorAll('tr.site').length, 2);
  });

  it('shows markup from code as text and creates no elements from it', () => {
    const { doc } = render({ scanning: false, pricingAsOf: '2026-07-24', callSites: [site('x', HOSTILE[0], HOSTILE[1], 10), site('y', HOSTILE[1], HOSTILE[0], 5)], unknownPrice: [], withoutUsage: [], monthlyCostUsd: 15 });
    const text = doc.body.textContent!;
    for (const h of HOSTILE) assert.ok(text.includes(h), `shown literally: ${h}`);
    assert.equal(doc.querySelectorAll('script, img').length, 0);
  });

  it('a call site row opens the code; a volume slider recomputes the total', () => {
    const { doc, posted } = render({ scanning: false, pricingAsOf: '2026-07-24', callSites: [site('a', 'gpt-4o', 'chat', 100)], unknownPrice: [], withoutUsage: [], monthlyCostUsd: 100 });
    (doc.querySelector('tr.site') as HTMLElement).click();
    assert.deepEqual(posted.at(-1), { type: 'open', file: 'a.py', line: 3 });
    const slider = doc.querySelector('input[type=range]') as HTMLInputElement;
    slider.value = '200';
    slider.dispatchEvent(new doc.defaultView!.Event('input'));
    assert.equal(doc.getElementById('total')!.textContent, '$200 / month');
  });
});
