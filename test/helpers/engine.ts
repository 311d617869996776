/** One engine per test process (the Python grammar and tokenizers load once). */
import { analyzeFile, type Engine } from '../../server/src/core/analyze';
import { DEFAULT_SETTINGS, type Settings } from '../../server/src/core/settings';
import type { FileResult } from '../../server/src/core/types';
import { loadEngine } from '../../server/src/node/engine';

let engine: Promise<Engine> | null = null;

export function testEngine(): Promise<Engine> {
  engine ??= loadEngine().then(({ engine: e, pythonError }) => {
    if (pythonError) throw new Error(`Python grammar failed to load: ${pythonError}`);
    return e;
  });
  return engine;
}

export async function analyze(path: string, text: string, settings: Settings = DEFAULT_SETTINGS): Promise<FileResult> {
  return analyzeFile({ path, text }, await testEngine(), settings);
}

/** 1-based line of an offset. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
