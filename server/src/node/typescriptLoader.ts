/**
 * Loads the TypeScript compiler (9 MB of JavaScript) with a V8 code cache: compiling it costs
 * ~140 ms on every cold run that meets a TS file, loading it from the cache ~35 ms. The cache lives
 * in the user's own cache directory (never a shared temp directory: V8 trusts its contents), is
 * keyed by the compiler file's size and time and by the Node version, and is written when the
 * process exits, so it holds the functions the run actually compiled. Any failure falls back to a
 * plain `require`.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import type * as ts from 'typescript';

/** The compiler beside the bundle (built), else the package's own (running from source). */
function compilerPath(): string {
  const beside = join(__dirname, 'typescript.js');
  return existsSync(beside) ? beside : require.resolve('typescript');
}

function cacheDirectory(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'llmlint');
}

export function loadTypeScriptWithCodeCache(): typeof ts {
  const path = compilerPath();
  try {
    const st = statSync(path);
    const key = createHash('sha1').update(`${path}:${st.size}:${st.mtimeMs}:${process.version}:${process.arch}`).digest('hex').slice(0, 16);
    const cacheFile = join(cacheDirectory(), `typescript-${key}.v8cache`);
    let cachedData: Buffer | undefined;
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
    const source = readFileSync(path, 'utf8');
    const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: path, cachedData });
    const module = { exports: {} as typeof ts };
    (script.runInThisContext() as (e: unknown, r: NodeJS.Require, m: unknown, f: string, d: string) => void)(module.exports, require, module, path, dirname(path));
    if (!cachedData || script.cachedDataRejected) {
      process.once('exit', () => {
        try {
          mkdirSync(cacheDirectory(), { recursive: true, mode: 0o700 });
          writeFileSync(cacheFile, script.createCachedData(), { mode: 0o600 });
        } catch {
          // no cache this time: the next run compiles again
        }
      });
    }
    return module.exports;
  } catch {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(path) as typeof ts;
  }
}
