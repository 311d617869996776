/**
 * Jupyter notebooks: the code cells are analysed as one Python module (a client built in one
 * cell is used in the next), with each cell's start remembered so positions map back to
 * (cell, line). IPython magics and shell escapes are blanked so they do not read as syntax errors.
 */

export interface NotebookSource {
  /** The code cells joined with newlines; offsets in results refer to this text. */
  text: string;
  /** `[cellIndex, offset]` for each code cell, in order. */
  cells: Array<[number, number]>;
  language: string;
}

interface RawCell {
  cell_type?: string;
  source?: string | string[];
}

export function readNotebook(json: string): NotebookSource {
  // An editor may hand over the text with its byte order mark, which JSON.parse rejects.
  const nb = JSON.parse(json.charCodeAt(0) === 0xfeff ? json.slice(1) : json) as { cells?: RawCell[]; metadata?: { kernelspec?: { language?: string }; language_info?: { name?: string } } };
  if (!nb || !Array.isArray(nb.cells)) throw new Error('not a Jupyter notebook: no "cells" array');
  const declared: unknown = nb.metadata?.language_info?.name ?? nb.metadata?.kernelspec?.language;
  // Metadata is whatever the file says: a language that is not a string is no language.
  const language = typeof declared === 'string' ? declared.toLowerCase() : 'python';
  const cells: Array<[number, number]> = [];
  let text = '';
  nb.cells.forEach((cell, index) => {
    if (cell?.cell_type !== 'code') return;
    const source = Array.isArray(cell.source) ? cell.source.join('') : typeof cell.source === 'string' ? cell.source : '';
    cells.push([index, text.length]);
    text += blankMagics(source) + '\n';
  });
  return { text, cells, language };
}

/** `%pip install x`, `!ls`, `%%time` → comments of the same length, so offsets stay put. */
function blankMagics(source: string): string {
  return source.replace(/^([ \t]*)([%!])/gm, (_m, indent: string) => `${indent}#`);
}

/** The notebook cell holding `offset`, and the offset where that cell starts. */
export function cellAt(cells: Array<[number, number]>, offset: number): { cell: number; start: number } | null {
  let found: [number, number] | null = null;
  for (const c of cells) {
    if (c[1] <= offset) found = c;
    else break;
  }
  return found ? { cell: found[0], start: found[1] } : null;
}
