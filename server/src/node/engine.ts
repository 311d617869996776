/**
 * Builds the engine for a Node host (CLI, language server): the catalogue and price table are
 * bundled JSON; the Python grammar is a .wasm file next to the bundle (or in node_modules when
 * running from source).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Language, Parser } from 'web-tree-sitter';
import sdks from '../../../pricing/sdks.json';
import models from '../../../pricing/models.json';
import { createEngine, type Engine } from '../core/analyze';
import type { TimeBudget } from '../core/budget';
import { setTypeScriptLoader } from '../core/languages/typescript';
import { loadTypeScriptWithCodeCache } from './typescriptLoader';
import type { Catalog } from '../core/catalog';
import { Prices, type PriceTable } from '../core/pricing';

export const PRICE_TABLE = models as unknown as PriceTable;

// The engine requires the TypeScript compiler on the first TS file: through a V8 code cache.
setTypeScriptLoader(loadTypeScriptWithCodeCache);

/** No single file may take longer than this to analyse (core/budget.ts). */
export const FILE_TIME_BUDGET: TimeBudget = { limitMs: 5000, now: () => performance.now() };
export const CATALOG = sdks as unknown as Catalog;

function wasmPath(file: string, pkg: string): string {
  const bundled = join(__dirname, file);
  return existsSync(bundled) ? bundled : require.resolve(`${pkg}/${file}`);
}

let pythonParser: Promise<Parser> | null = null;

/** Loads the Python grammar once per process. */
export function loadPythonParser(): Promise<Parser> {
  pythonParser ??= (async () => {
    await Parser.init({ locateFile: () => wasmPath('web-tree-sitter.wasm', 'web-tree-sitter') });
    // Bytes, not a path: given a path, web-tree-sitter reads it through a dynamic import(), which
    // code run from the CLI's code cache cannot make.
    const language = await Language.load(readFileSync(wasmPath('tree-sitter-python.wasm', 'tree-sitter-python')));
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  return pythonParser;
}

export async function loadEngine(): Promise<{ engine: Engine; pythonError: string | null }> {
  let parser: Parser | null = null;
  let pythonError: string | null = null;
  try {
    parser = await loadPythonParser();
  } catch (err) {
    pythonError = err instanceof Error ? err.message : String(err);
  }
  return { engine: createEngine(CATALOG, new Prices(PRICE_TABLE), parser), pythonError };
}
