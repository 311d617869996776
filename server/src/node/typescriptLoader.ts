/** Loads the TypeScript compiler (9 MB of JavaScript) through a V8 code cache (node/codeCache.ts). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type * as ts from 'typescript';
import { requireWithCodeCache } from './codeCache';

/** The compiler beside the bundle (built), else the package's own (running from source). */
function compilerPath(): string {
  const beside = join(__dirname, 'typescript.js');
  return existsSync(beside) ? beside : require.resolve('typescript');
}

export function loadTypeScriptWithCodeCache(): typeof ts {
  return requireWithCodeCache<typeof ts>(compilerPath(), 'typescript');
}
