/**
 * Worker threads (node/pool.ts): a worker that throws or never returns fails only the file it was
 * on; the other files are answered by it before, or by this thread after. The workers here are
 * small scripts that speak the pool's protocol and misbehave on one file, as no input makes the
 * real engine do that on demand.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SETTINGS } from '../../server/src/core/settings';
import type { FileResult } from '../../server/src/core/types';
import { analyseInWorkers, type Job } from '../../server/src/node/pool';

const FAKE_WORKER = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (msg) => {
  if (msg.done) return parentPort.close();
  for (const { job, index } of msg.batch) {
    if (job.rel === 'hang.ts') for (;;) {}
    if (job.rel === 'boom.ts') throw new Error('boom');
    parentPort.postMessage({ index, result: { file: job.rel, language: 'typescript', callSites: [], diagnostics: [], errors: [], warnings: [{ file: job.rel, message: 'by the worker' }] } });
  }
});
parentPort.postMessage({ ready: true });
`;

function fakeWorker(): string {
  const script = join(mkdtempSync(join(tmpdir(), 'llmlint-worker-')), 'worker.js');
  writeFileSync(script, FAKE_WORKER);
  return script;
}

const jobs = (...names: string[]): Job[] => names.map((rel) => ({ rel, text: `// ${rel}\n`, settings: DEFAULT_SETTINGS }));
const here = (list: Job[]) => (i: number): FileResult => ({ file: list[i].rel, language: 'typescript', callSites: [], diagnostics: [], errors: [], warnings: [{ file: list[i].rel, message: 'in this thread' }], text: list[i].text });
const outcome = (r: FileResult) => `${r.file}: ${r.errors[0]?.message ?? r.warnings[0]?.message}`;

describe('worker threads', () => {
  it('stop a worker stuck on one file: that file fails with a message, the others are analysed', async () => {
    const list = jobs('a.ts', 'hang.ts', 'b.ts');
    const results = await analyseInWorkers(list, tmpdir(), 1, fakeWorker(), here(list), 500);
    assert.deepEqual(results.map(outcome), [
      'a.ts: by the worker',
      'hang.ts: could not be analysed: the worker analysing it failed (its analysis ran past 0.5 s and the worker was stopped)',
      'b.ts: in this thread',
    ]);
  });

  it('fail only the file a worker threw on', async () => {
    const list = jobs('a.ts', 'boom.ts', 'b.ts', 'c.ts');
    const results = await analyseInWorkers(list, tmpdir(), 1, fakeWorker(), here(list), 60_000);
    assert.deepEqual(results.map(outcome), [
      'a.ts: by the worker',
      'boom.ts: could not be analysed: the worker analysing it failed (boom)',
      'b.ts: in this thread',
      'c.ts: in this thread',
    ]);
  });
});
