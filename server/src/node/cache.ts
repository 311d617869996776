/**
 * `llmlint check --cache`: a content-hash cache of per-file results, like ESLint's `.eslintcache`.
 *
 * A file's result is reused when its text, the settings that govern it, and the text of every file
 * it read (imported modules, prompt files) are unchanged, and the cache was written by this exact
 * build (code, SDK catalogue and prices are all in the bundle, so its hash is the version). A
 * module a file looked for and did not find is not tracked: creating it later needs a run without
 * the cache (or any edit to the importing file).
 *
 * A missing, unreadable, corrupt or foreign cache file is a cold start, never an error.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { maskDeep } from '../core/secrets';
import type { Settings } from '../core/settings';
import type { CallSite, FileResult } from '../core/types';

interface Entry {
  hash: string;
  /** The file's size and modification time when it was analysed (see `unreadResult`). */
  size: number;
  mtimeMs: number;
  settings: string;
  /** Files the result read, by path relative to `root`, with their hashes then. */
  deps: Record<string, string>;
  root: string;
  result: StoredResult;
}

/**
 * What is stored: the result without the engine's IR, and without the text when it is the file's
 * own (re-read on a hit); a notebook's analysed text (its code cells joined) is kept.
 */
type StoredResult = Omit<FileResult, 'text' | 'callSites'> & { text?: string; callSites: Array<Omit<CallSite, 'info'>> };

export interface FileStamp {
  size: number;
  mtimeMs: number;
}

interface CacheFile {
  build: string;
  files: Record<string, Entry>;
}

function hashText(text: string | Buffer): string {
  return createHash('sha1').update(text).digest('base64url');
}

export class ResultCache {
  private readonly files: Record<string, Entry>;
  private readonly depHashes = new Map<string, string>();

  private constructor(private readonly location: string, private readonly build: string, files: Record<string, Entry>) {
    this.files = files;
  }

  /** Reads the cache file; anything unusable starts an empty cache. */
  static open(location: string, build: string): ResultCache {
    try {
      const data = JSON.parse(readFileSync(location, 'utf8')) as Partial<CacheFile>;
      if (data.build === build && data.files && typeof data.files === 'object') return new ResultCache(location, build, data.files);
    } catch {
      // no cache yet, or not ours: start cold
    }
    return new ResultCache(location, build, {});
  }

  /**
   * The stored result for this file if nothing it depends on changed. `text` is the file's current
   * text; `root` the directory this run's paths are relative to (ids, files and imports depend on it).
   */
  get(absPath: string, root: string, text: string, settings: Settings): FileResult | null {
    const entry = this.files[absPath];
    const fresh = entry && entry.root === root && entry.hash === hashText(text) && entry.settings === settingsKey(settings) && this.depsUnchanged(entry);
    if (!fresh) return null;
    // The CLI's consumers (report, projection, fixes) never read a call site's `info` (the engine's
    // IR); the language server, which does, never reads this cache.
    // Copies of the arrays the caller may add to (a read warning), so the stored entry stays as stored.
    const { result } = entry;
    return { ...result, warnings: [...result.warnings], errors: [...result.errors], text: result.text ?? text } as FileResult;
  }

  /**
   * Keeps a result, except:
   * - one holding an API key (a model name, prompt or fix read from source): the cache file often
   *   lives in CI caches, and a key must not end up there (`hardcoded-api-key` reports it);
   * - one with errors: a time budget run out under load, a crashed worker or a grammar that failed
   *   to load say nothing lasting about the file.
   * Such a file is analysed on every run.
   */
  set(absPath: string, root: string, file: FileStamp, text: string, settings: Settings, result: FileResult): void {
    const { text: analysed, callSites, ...rest } = result;
    const stored: StoredResult = { ...rest, text: analysed === text ? undefined : analysed, callSites: callSites.map(({ info: _info, ...site }) => site) };
    if (result.errors.length || maskDeep(stored) !== stored) {
      delete this.files[absPath];
      return;
    }
    const deps: Record<string, string> = {};
    for (const dep of result.dependencies ?? []) deps[dep] = this.hashOf(join(root, dep));
    // Copies: the caller may still add to the result's arrays.
    this.files[absPath] = { hash: hashText(text), size: file.size, mtimeMs: file.mtimeMs, settings: settingsKey(settings), deps, root, result: { ...stored, warnings: [...stored.warnings] } };
  }

  /**
   * Most files of a tree hold no LLM call: for one whose last analysis found nothing at all, an
   * unchanged size and modification time is enough (ESLint's "metadata" strategy) and the file is
   * not even read. Anything else is checked by content in `get`.
   */
  unreadResult(absPath: string, root: string, file: FileStamp, settings: Settings): FileResult | null {
    const entry = this.files[absPath];
    if (!entry || entry.root !== root || entry.size !== file.size || entry.mtimeMs !== file.mtimeMs) return null;
    const r = entry.result;
    const empty = !r.callSites.length && !r.diagnostics.length && !r.warnings.length && !r.errors.length && r.text === undefined;
    if (!empty || entry.settings !== settingsKey(settings) || !this.depsUnchanged(entry)) return null;
    return { ...r, callSites: [], warnings: [], errors: [], text: '' };
  }

  /** Forgets files under `root` that this run did not see (deleted, ignored or excluded since). */
  prune(root: string, seen: Set<string>): void {
    for (const path of Object.keys(this.files)) {
      if (this.files[path].root === root && !seen.has(path)) delete this.files[path];
    }
  }

  /** Writes the cache; a failure is returned as a message for the user, never thrown. */
  save(): string | null {
    try {
      writeFileSync(this.location, JSON.stringify({ build: this.build, files: this.files } satisfies CacheFile));
      return null;
    } catch (err) {
      return `could not write the cache ${this.location}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`;
    }
  }

  private depsUnchanged(entry: Entry): boolean {
    return Object.entries(entry.deps).every(([dep, hash]) => this.hashOf(join(entry.root, dep)) === hash);
  }

  private hashOf(path: string): string {
    let hash = this.depHashes.get(path);
    if (hash === undefined) {
      try {
        hash = hashText(readFileSync(path, 'utf8'));
      } catch {
        hash = 'missing';
      }
      this.depHashes.set(path, hash);
    }
    return hash;
  }
}

const settingsKeys = new WeakMap<Settings, string>();

/** Files under one config share a settings object: hash it once. */
function settingsKey(settings: Settings): string {
  let key = settingsKeys.get(settings);
  if (key === undefined) settingsKeys.set(settings, (key = hashText(JSON.stringify(settings))));
  return key;
}

/**
 * This build's identity: the running bundle's own hash (its code, SDK catalogue and prices), and
 * the size and time of the files it loads from beside it (the TypeScript compiler, the rank tables).
 */
export function buildId(version: string, bundlePath: string): string {
  try {
    const beside = ['typescript.js', 'ranks/o200k_base.cjs', 'ranks/cl100k_base.cjs'].map((f) => {
      const st = statSync(join(dirname(bundlePath), f), { throwIfNoEntry: false });
      return st ? `${st.size}@${st.mtimeMs}` : '-';
    });
    return `${version}:${hashText(readFileSync(bundlePath))}:${beside.join(',')}`;
  } catch {
    // Unknown build: an id no other run shares, so nothing is reused.
    return `${version}:unknown:${process.pid}:${Date.now()}`;
  }
}
