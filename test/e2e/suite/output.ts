/**
 * The suite's own console output. The code-server launcher receives the *whole* workbench console
 * (renderer and extension host, including offline noise such as gallery lookups); it prints only
 * lines that start with MARKER and keeps the rest in test/e2e/artifacts/suite/console.log.
 * MARKER is invisible (U+2063), so the lines read normally wherever else they end up
 * (the extension host's stdout under @vscode/test-electron).
 */
import { format } from 'node:util';

export const MARKER = '\u2063';

export function emit(...args: unknown[]): void {
  const text = format(...args);
  console.log(text.split('\n').map((line) => MARKER + line).join('\n'));
}
