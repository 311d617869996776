/**
 * The per-file time budget: a file whose analysis runs past it is skipped with a clear message,
 * and the run (or the language server) goes on. The clock is the test's own, so nothing is timed.
 */
import assert from 'node:assert/strict';
import { analyzeFile } from '../../server/src/core/analyze';
import type { TimeBudget } from '../../server/src/core/budget';
import { DocumentCache } from '../../server/src/core/languages/reuse';
import { DEFAULT_SETTINGS } from '../../server/src/core/settings';
import { testEngine } from '../helpers/engine';

/** A clock that moves `stepMs` every time it is read. */
function slowClock(limitMs: number, stepMs: number): TimeBudget {
  let t = 0;
  return { limitMs, now: () => (t += stepMs) };
}

const PY = `from openai import OpenAI\nclient = OpenAI()\n${Array.from({ length: 40 }, (_, i) => `def f${i}(x):\n    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": x}], max_tokens=50)\n`).join('')}`;
const TS = `import OpenAI from 'openai';\nconst client = new OpenAI();\n${Array.from({ length: 40 }, (_, i) => `export const f${i} = (x: string) => client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: x }], max_tokens: 50 });\n`).join('')}`;

describe('per-file time budget', () => {
  for (const [path, text] of [['slow.py', PY], ['slow.ts', TS]]) {
    it(`skips ${path} with a message once its analysis runs past the budget`, async () => {
      const engine = await testEngine();
      const within = analyzeFile({ path, text }, engine, DEFAULT_SETTINGS, { budget: slowClock(1_000_000, 1) });
      assert.equal(within.callSites.length, 40);
      assert.deepEqual(within.errors, []);

      const over = analyzeFile({ path, text }, engine, DEFAULT_SETTINGS, { budget: slowClock(5_000, 1_000) });
      assert.deepEqual(over.callSites, []);
      assert.deepEqual(over.diagnostics, []);
      assert.equal(over.errors.length, 1);
      assert.match(over.errors[0].message, /analysis stopped after 5000 ms, the per-file time budget: file skipped/);
    });
  }

  it('a cancelled parse does not leak into the next file', async () => {
    const engine = await testEngine();
    const over = analyzeFile({ path: 'big.py', text: PY.repeat(60) }, engine, DEFAULT_SETTINGS, { budget: slowClock(3, 1) });
    assert.match(over.errors[0]?.message ?? '', /per-file time budget/);
    const text = 'from openai import OpenAI\nclient = OpenAI()\nclient.chat.completions.create(model="gpt-4o-mini", messages=[], max_tokens=5)\n';
    const small = analyzeFile({ path: 'small.py', text }, engine, DEFAULT_SETTINGS);
    assert.deepEqual(small.callSites.map((c) => [c.span.start, c.model.value]), [[text.indexOf('client.chat'), 'gpt-4o-mini']]);
  });

  it('cancels a Python parse that runs past the budget, and the open document recovers', async () => {
    const engine = await testEngine();
    const cache = new DocumentCache();
    const big = PY.repeat(40);
    try {
      const over = analyzeFile({ path: 'big.py', text: big }, engine, DEFAULT_SETTINGS, { cache, budget: slowClock(10, 1) });
      assert.match(over.errors[0]?.message ?? '', /per-file time budget/);
      const next = analyzeFile({ path: 'big.py', text: big + '\n' }, engine, DEFAULT_SETTINGS, { cache, budget: slowClock(1_000_000, 0) });
      assert.deepEqual(next.errors, []);
      assert.equal(next.callSites.length, 1600);
    } finally {
      cache.dispose();
    }
  });
});
