/**
 * Analysing a large tree on several cores: worker threads, each with its own engine, take batches
 * of files from one queue; this thread hands them out. The results are the same as analysing in one
 * thread (each file's analysis depends only on its text, its settings and the files it reads),
 * returned in input order.
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

/**
 * What a worker sends back: the result without the text when it is the file's own (this thread
 * has it; a notebook's is its code cells) and without the call sites' IR, which the CLI's consumers
 * never read (as in the cache, node/cache.ts). Copying them between threads cost more than the
 * second core saved.
 */
type Sent = Omit<FileResult, 'text' | 'callSites'> & { text?: string; callSites: Array<Omit<FileResult['callSites'][number], 'info'>> };

type ToWorker = { batch: Array<{ job: Job; index: number }> } | { done: true };
type FromWorker = { index: number; result: Sent } | { ready: true };

export const MAX_WORKERS = 8;

/**
 * Source to parse (characters of the files that pass the prefilter; about bytes for source code) per worker. A worker first loads its own
 * bundle, TypeScript, tokenizer and Python grammar (~0.3 s of CPU, ~100 MB); it pays off only when
 * it then parses for longer than that: 4 MB is about a second of parsing at the ~5 MB/s measured
 * on vercel/ai.
 */
const CHARS_PER_WORKER = 4 * 1024 * 1024;

/** A batch is this much source, or this many files: few messages, yet an even spread at the end. */
const BATCH_CHARS = 128 * 1024;
const BATCH_FILES = 32;
/** Batches a worker holds at once: it starts the next while this thread hands out another. */
const IN_FLIGHT = 2;

/**
 * A worker on one file this long is stopped and the file fails. The engine's per-file budget
 * (FILE_TIME_BUDGET) is checked between steps and ends a slow file by itself; this catches a step
 * that never returns (an endless loop), which the budget cannot interrupt. The worker's start-up
 * (its engine, the TypeScript compiler) counts towards its first file, hence the margin.
 */
const STALLED_FILE_MS = 3 * FILE_TIME_BUDGET.limitMs;

/**
 * How many workers `--concurrency auto` starts for this much source to parse: one per core but
 * one (this thread reads the files and hands them out), up to one per CHARS_PER_WORKER, at most MAX_WORKERS. None below 4 cores: one
 * analysing thread already keeps ~1.4 cores busy (V8 collects garbage and compiles on threads of
 * its own), and on 2 cores one worker made vercel/ai slower (3.8 s against 3.6 s), as two
 * separate processes each took 5.4 s where one alone took 3.5 s.
 */
export function autoConcurrency(charsToParse: number): number {
  const cores = availableParallelism();
  if (cores < 4) return 0;
  return Math.min(cores - 1, MAX_WORKERS, Math.floor(charsToParse / CHARS_PER_WORKER));
}

/** The script a worker runs: the built binary, server/out/cli.js (it loads the bundle through the code cache). */
export function workerScript(): string | null {
  // Built, the binary is beside this bundle; from source, in server/out.
  for (const binary of [join(__dirname, 'cli.js'), join(__dirname, '..', '..', 'out', 'cli.js')]) if (existsSync(binary)) return binary;
  return null;
}

/** Consecutive runs of jobs, each up to BATCH_CHARS of text or BATCH_FILES files. */
function batchesOf(jobs: Job[]): number[][] {
  const batches: number[][] = [];
  let current: number[] = [];
  let chars = 0;
  jobs.forEach((job, index) => {
    current.push(index);
    chars += job.text.length;
    if (chars >= BATCH_CHARS || current.length >= BATCH_FILES) {
      batches.push(current);
      current = [];
      chars = 0;
    }
  });
  if (current.length) batches.push(current);
  return batches;
}

/**
 * Analyses the jobs on `threads` workers (`here` analyses one job in this thread, when none is left).
 * A worker that dies, or stays on one file for `stalledMs`, fails only the file it was analysing
 * (an `errors` entry saying so); the rest of what it held goes back in the queue, and if no worker
 * is left this thread finishes the work.
 */
export async function analyseInWorkers(jobs: Job[], root: string, threads: number, script: string, here: (index: number) => FileResult, stalledMs = STALLED_FILE_MS): Promise<FileResult[]> {
  const results: Array<FileResult | undefined> = new Array(jobs.length);
  const queue = batchesOf(jobs);
  const received = (index: number, sent: Sent): void => {
    // Without `info`: the CLI never reads it, and `--fix` (which would) never uses workers.
    results[index] = { ...sent, text: sent.text ?? jobs[index].text, callSites: sent.callSites as FileResult['callSites'] };
  };

  const runWorker = () =>
    new Promise<void>((resolveWorker) => {
      const worker = new Worker(script, { workerData: { llmlintWorker: true, root } });
      // The batches sent, with the files of each not answered yet, in the order the worker answers them.
      const held: number[][] = [];
      let closing = false;
      // Why the worker stopped, if it failed: known at 'error', at a failure exit code or from the watchdog.
      let failure: Error | null = null;
      const refill = () => {
        while (held.length < IN_FLIGHT && queue.length) {
          const batch = queue.shift()!;
          held.push([...batch]);
          worker.postMessage({ batch: batch.map((index) => ({ job: jobs[index], index })) } satisfies ToWorker);
        }
        if (!held.length && !closing) {
          closing = true;
          worker.postMessage({ done: true } satisfies ToWorker);
        }
      };
      // The worker answers in order, so the file it is on is the first one held: time each one.
      let watchdog: NodeJS.Timeout | undefined;
      const watchCurrentFile = () => {
        clearTimeout(watchdog);
        if (!held.length) return;
        watchdog = setTimeout(() => {
          failure = new Error(`its analysis ran past ${stalledMs / 1000} s and the worker was stopped`);
          void worker.terminate();
        }, stalledMs);
      };
      const settle = (result: (index: number) => void) => {
        const index = held[0]?.shift();
        if (index !== undefined) result(index);
        if (held[0]?.length === 0) {
          held.shift();
          refill();
        }
        watchCurrentFile();
      };
      worker.on('message', (msg: FromWorker) => {
        if ('ready' in msg) {
          refill();
          return watchCurrentFile();
        }
        settle(() => received(msg.index, msg.result));
      });
      // A result that cannot be passed back: that file fails, the worker goes on with the next.
      worker.on('messageerror', (err) => settle((index) => (results[index] = crashed(jobs[index], err))));
      // Results the worker sent before failing may still be waiting on its port when 'error' fires;
      // Node delivers them before 'exit'. So the file it failed on is only known at 'exit'.
      worker.on('error', (err) => (failure = err));
      worker.on('exit', (code) => {
        clearTimeout(watchdog);
        const unanswered = held.flat();
        // A worker that exits with a failure code (out of memory, process.exit) failed on its file too.
        if (!failure && code !== 0 && unanswered.length) failure = new Error(`the worker exited with code ${code}`);
        // The file it was on fails; the others it held go back to the queue, for another worker or this thread.
        if (failure && unanswered.length) results[unanswered[0]] = crashed(jobs[unanswered[0]], failure);
        const rest = failure ? unanswered.slice(1) : unanswered;
        if (rest.length) queue.unshift(rest);
        resolveWorker();
      });
    });

  await Promise.all(Array.from({ length: Math.min(threads, queue.length) }, runWorker));
  // Whatever no worker finished (all of them died) is analysed here.
  for (let i = 0; i < jobs.length; i++) results[i] ??= here(i);
  return results as FileResult[];
}

function crashed(job: Job, err: Error): FileResult {
  return { file: job.rel, language: null, callSites: [], diagnostics: [], errors: [{ file: job.rel, message: `could not be analysed: the worker analysing it failed (${err.message})` }], warnings: [], text: job.text };
}

/** The worker side: one engine, one view of the project, batches of files in, one result per file out. */
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
    for (const { job, index } of msg.batch) {
      // Only files needsParse said yes to are sent here.
      const { text, callSites, ...rest } = analyzeFile({ path: job.rel, text: job.text }, engine, settingsOf(job.settings), { sources, budget: FILE_TIME_BUDGET, needsParse: true });
      const sent: Sent = { ...rest, text: text === job.text ? undefined : text, callSites: callSites.map(({ info: _info, ...site }) => site) };
      port.postMessage({ index, result: sent });
    }
  });
  port.postMessage({ ready: true });
}
