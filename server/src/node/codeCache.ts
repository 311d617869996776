/**
 * Runs a CommonJS file with a V8 code cache, as Node 22's `module.enableCompileCache` would (this
 * Node is 20). V8 compiles a function on its first call; the cache holds the functions a run
 * compiled, so the next run skips that work: the TypeScript compiler (9 MB) loads in ~35 ms
 * instead of ~140 ms, and the CLI bundle's start and first calls take ~40 ms less.
 *
 * The cache lives in the user's own cache directory (never a shared temp directory: V8 trusts its
 * contents), is keyed by the file's path, size and time and by the Node version, and is written
 * when the process exits, after a run compiled what it needed. V8 itself checks only the Node
 * version and the source's length, and damaged data is a fatal error no JavaScript can catch, so
 * each cache starts with a SHA-1 of its data, checked before V8 sees it. The few most recently used
 * caches of each name are kept (each build or install of llmlint makes a new key). Any failure to
 * read, compile or write a cache falls back to compiling as `require` would.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { threadId } from 'node:worker_threads';

/** Caches kept per name: a few installs of llmlint side by side (the editor's, a project's) each keep theirs while in use. */
const KEPT_PER_NAME = 4;
/** A partly written cache this old was left by a run that died while writing it. */
const STALE_PARTIAL_MS = 60 * 60 * 1000;
const DIGEST_BYTES = 20;

type ModuleFunction = (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;

function codeCacheDirectory(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'llmlint');
}

export function requireWithCodeCache<T>(path: string, name: string): T {
  const compiled = compileWithCodeCache(path, name);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (!compiled) return require(path) as T;
  // Running it is outside the fallback: a module that throws while loading is not run twice.
  const module = { exports: {} as T };
  compiled(module.exports, require, module, path, dirname(path));
  return module.exports;
}

function compileWithCodeCache(path: string, name: string): ModuleFunction | null {
  try {
    const st = statSync(path);
    const key = createHash('sha1').update(`${path}:${st.size}:${st.mtimeMs}:${process.version}:${process.arch}`).digest('hex').slice(0, 16);
    const cacheFile = join(codeCacheDirectory(), `${name}-${key}.v8cache`);
    const cachedData = readCache(cacheFile);
    const source = readFileSync(path, 'utf8');
    // The wrapper Node itself puts around a CommonJS module.
    const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: path, cachedData });
    if (!cachedData || script.cachedDataRejected) process.once('exit', () => writeCache(cacheFile, name, script));
    else touch(cacheFile);
    return script.runInThisContext() as ModuleFunction;
  } catch {
    return null;
  }
}

/** The cache's V8 data, if it is there and whole. */
function readCache(path: string): Buffer | undefined {
  let file: Buffer;
  try {
    file = readFileSync(path);
  } catch {
    return undefined;
  }
  const data = file.subarray(DIGEST_BYTES);
  return data.length && digestOf(data).equals(file.subarray(0, DIGEST_BYTES)) ? data : undefined;
}

function digestOf(data: Buffer): Buffer {
  return createHash('sha1').update(data).digest();
}

/** A cache in use is kept by pruning (which keeps the most recent). */
function touch(path: string): void {
  try {
    const now = new Date();
    utimesSync(path, now, now);
  } catch {
    // read-only cache: it is still used
  }
}

function writeCache(cacheFile: string, name: string, script: Script): void {
  try {
    const dir = dirname(cacheFile);
    makeCacheDirectory(dir);
    const data = script.createCachedData();
    // Written aside and renamed: a run starting meanwhile (another CI shard, a worker thread) never
    // reads half a file, and no two threads write the same partial file.
    const partial = `${cacheFile}.${process.pid}-${threadId}.tmp`;
    writeFileSync(partial, Buffer.concat([digestOf(data), data]), { mode: 0o600 });
    renameSync(partial, cacheFile);
    pruneOlder(dir, name);
  } catch {
    // no cache this time: the next run compiles again
  }
}

/**
 * `~/.cache/llmlint`: the directory and its parent, no further up. Not `mkdirSync(…, { recursive })`,
 * which on Node 20 loops for ever where a parent exists but a child cannot be made (HOME=/proc):
 * the process never exited.
 */
function makeCacheDirectory(dir: string): void {
  for (const level of [dirname(dir), dir]) {
    try {
      mkdirSync(level, { mode: 0o700 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

/** Keeps the KEPT_PER_NAME most recently used caches of `name`, and drops partial files runs left behind. */
function pruneOlder(dir: string, name: string): void {
  const ours = readdirSync(dir)
    .filter((f) => f.startsWith(`${name}-`))
    .map((f) => ({ path: join(dir, f), partial: f.endsWith('.tmp'), mtimeMs: statSync(join(dir, f)).mtimeMs }));
  const caches = ours.filter((f) => !f.partial).sort((a, b) => b.mtimeMs - a.mtimeMs);
  const stale = ours.filter((f) => f.partial && Date.now() - f.mtimeMs > STALE_PARTIAL_MS);
  for (const f of [...caches.slice(KEPT_PER_NAME), ...stale]) unlinkSync(f.path);
}
