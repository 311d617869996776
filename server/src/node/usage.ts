/**
 * Reads a usage model (`llmlint.usage.yml`) from disk for the CLI and the language server: each
 * decides what a missing or broken file means (the CLI stops, the editor shows a diagnostic).
 */
import { readFileSync } from 'node:fs';
import { parseUsage, type UsageModel } from '../core/usage';
import type { ConfigProblem } from '../core/config';

/** The default usage file, looked up at the project root. */
export const USAGE_FILE = 'llmlint.usage.yml';

/**
 * The usage model in `path` with its problems (already placed in the file, ready to report like
 * configuration problems), or `null` when the file cannot be read.
 */
export function readUsageFile(path: string): { usage: UsageModel; problems: ConfigProblem[] } | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  const { usage, problems } = parseUsage(path, text);
  return { usage, problems: problems.map((p) => ({ file: path, line: p.line, column: 1, message: p.message })) };
}
