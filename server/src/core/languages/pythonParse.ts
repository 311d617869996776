/** Parsing Python with tree-sitter under the per-file time budget. */
import type { ParseOptions, Parser, Tree } from 'web-tree-sitter';
import type { Deadline } from '../budget';

/** Parses, cancelling when the deadline passes (tree-sitter asks periodically; `true` cancels). */
export function parsePython(parser: Parser, text: string, old: Tree | null, deadline: Deadline): Tree {
  const progressCallback = (() => deadline.expired()) as unknown as ParseOptions['progressCallback'];
  const tree = parser.parse(text, old ?? undefined, { progressCallback });
  if (!tree) {
    // A cancelled parse is kept by tree-sitter and resumed by the next parse() call, whatever text
    // that call passes: without a reset, the next file would get this one's tree.
    parser.reset();
    deadline.check();
    throw new Error('the Python parser returned no tree');
  }
  return tree;
}
