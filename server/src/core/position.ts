/** Offsets → line/column (0-based, UTF-16), the unit both LSP and our 1-based CLI output build on. */
import { cellAt } from './languages/notebook';
import type { FileResult } from './types';

export interface Position0 {
  line: number;
  character: number;
}

export class LineIndex {
  private readonly starts: number[] = [0];

  /** Lines end at `\n`, `\r\n` and a lone `\r`, as in LSP and in the editor. */
  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) this.starts.push(i + 1);
    }
  }

  position(offset: number): Position0 {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo] };
  }

  offset(pos: Position0): number {
    const start = this.starts[Math.min(pos.line, this.starts.length - 1)] ?? 0;
    return start + pos.character;
  }
}

/** Position of an offset in a file result: for notebooks, relative to the cell. */
export function locate(result: FileResult, index: LineIndex, offset: number): Position0 & { cell: number | null } {
  const pos = index.position(offset);
  const hit = notebookCellAt(result, offset);
  if (!hit) return { ...pos, cell: null };
  const cellStart = index.position(hit.start);
  return { line: pos.line - cellStart.line, character: pos.character, cell: hit.cell };
}

/** The notebook cell (its index in the notebook and start offset) holding an offset; null outside notebooks. */
export function notebookCellAt(result: FileResult, offset: number): { cell: number; start: number } | null {
  if (!result.cellOffsets) return null;
  const cells = result.cellOffsets.map((o, i) => [result.cellIndexes?.[i] ?? i, o] as [number, number]);
  return cellAt(cells, offset);
}
