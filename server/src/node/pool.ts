/**
 * Analysing a large tree on several cores: worker threads, each with its own engine, take files
 * from a shared queue. The results are the same as analysing in one thread (each file's analysis
 * depends only on its text, its settings and the files it reads), returned in input order.
 *
 * The worker is the CLI bundle itself, started with `workerData.llmlintWorker` (see cli.ts).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { analyzeFile } from '../core/analyze';
import type { Settings } from '../core/settings';
import type { FileResult } from '../core/types';
import { FILE_TIME_BUDGET, loadEngine } from './engine';
import { FsProjectSources } from './project';

export interface Job {
  /** Path relative to the root, as results name files. */
  rel: string;
  text: string;
  settings: Settings;
}

type ToWorker = { job: Job; index: number } | { done: true };
type FromWorker = { index: number; result: FileResult } | { ready: true };

/** Below this many files, starting workers (each loads its own engine, ~0.2 s) costs more than it saves. */
const MIN_FILES_FOR_WORKERS = 64;
export const MAX_WORKERS = 8;

/**
 * How many workers `--concurrency auto` uses for this many files: 0 means analyse in this thread.
 * Each worker loads its own parsers and tokenizer (~0.5 s of CPU, ~100 MB), and the main thread
 * and V8's own threads need a core: measured on 2 cores, two workers were slower than none
 * (continue: 2.2 s vs 1.8 s), so workers start at 4 cores, one fewer than there are.
 */
export function autoConcurrency(files: number): number {
  if (files < MIN_FILES_FOR_WORKERS) return 0;
  const cores = availableParallelism();
  return cores < 4 ? 0 : Math.min(cores - 1, MAX_WORKERS);
}

/** The script a worker runs: this bundle when running from it, else the built CLI (source runs, tests). */
export function workerScript(): string | null {
  if (/[\\/]cli\.js$/.test(__filename)) return __filename;
  const built = join(__dirname, '..', '..', 'out', 'cli.js');
  return existsSync(built) ? built : null;
}

/**
 * Analyses the jobs on `threads` workers. A worker that dies fails only the file it held (an
 * `errors` entry saying so); the others carry on, and if none is left the rest run here.
 */
export async function analyseInWorkers(jobs: Job[], root: string, threads: number, script: string, inline: (index: number) => Promise<FileResult>): Promise<FileResult[]> {
  const results: Array<FileResult | undefined> = new Array(jobs.length);
  let next = 0;
  const take = (): number | null => (next < jobs.length ? next++ : null);

  const runWorker = () =>
    new Promise<void>((resolveWorker) => {
      const worker = new Worker(script, { workerData: { llmlintWorker: true, root } });
      let holding: number | null = null;
      const send = () => {
        holding = take();
        worker.postMessage((holding === null ? { done: true } : { job: jobs[holding], index: holding }) satisfies ToWorker);
      };
      worker.on('message', (msg: FromWorker) => {
        if ('index' in msg) results[msg.index] = msg.result;
        send();
      });
      worker.on('error', (err) => {
        if (holding !== null) results[holding] = crashed(jobs[holding], err);
        holding = null;
      });
      // A result that cannot be passed back: that file fails, the worker goes on with the next.
      worker.on('messageerror', (err) => {
        if (holding !== null) results[holding] = crashed(jobs[holding], err);
        send();
      });
      worker.on('exit', () => resolveWorker());
    });

  await Promise.all(Array.from({ length: Math.min(threads, jobs.length) }, runWorker));
  // Whatever no worker finished (all of them died) is analysed here.
  for (let i = 0; i < jobs.length; i++) results[i] ??= await inline(i);
  return results as FileResult[];
}

function crashed(job: Job, err: Error): FileResult {
  return { file: job.rel, language: null, callSites: [], diagnostics: [], errors: [{ file: job.rel, message: `could not be analysed: the worker analysing it failed (${err.message})` }], warnings: [], text: job.text };
}

/** The worker side: one engine, one view of the project, files in, results out. */
export async function serveAsWorker(port: { postMessage(m: FromWorker): void; on(event: 'message', fn: (m: ToWorker) => void): void; close(): void }, root: string): Promise<void> {
  const { engine } = await loadEngine();
  const sources = new FsProjectSources(root);
  // Files under one config share one settings object, as in one thread (prices with overrides are built once per object).
  const shared = new Map<string, Settings>();
  const settingsOf = (s: Settings): Settings => {
    const key = JSON.stringify(s);
    const known = shared.get(key);
    if (known) return known;
    shared.set(key, s);
    return s;
  };
  port.on('message', (msg) => {
    if ('done' in msg) {
      port.close();
      return;
    }
    const { job, index } = msg;
    const result = analyzeFile({ path: job.rel, text: job.text }, engine, settingsOf(job.settings), { sources, budget: FILE_TIME_BUDGET });
    port.postMessage({ index, result });
  });
  port.postMessage({ ready: true });
}
