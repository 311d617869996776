/**
 * What one analysis of an open document keeps for the next edit, so typing in a large file costs
 * about what the edit touched:
 *
 * - the syntax tree, which the parser updates incrementally once told where the text changed
 *   (tree-sitter for Python, `ts.updateSourceFile` for TypeScript and JavaScript);
 * - the lowering of each top-level statement, keyed by its text, which the next analysis reuses
 *   for statements the edit did not touch (moved to their new offsets).
 *
 * Pure: the host creates one per open document and disposes it when the document closes (a
 * Python tree lives in wasm memory, not on the JS heap).
 */
import type { Edit, Parser, Point, Tree } from 'web-tree-sitter';
import type { Deadline } from '../budget';
import type { Binding, CallInfo, FileIR, Scope } from '../ir';
import { parsePython } from './pythonParse';

/** The lowering of one top-level statement: the scopes, bindings and calls it added, in order. */
export interface Fragment {
  /** Offset of the statement in the text it was lowered from. */
  start: number;
  /** Index of its first scope and first call id in the file it was lowered in. */
  scopeBase: number;
  callBase: number;
  callCount: number;
  scopes: Scope[];
  bindings: Binding[];
  calls: CallInfo[];
}

/** Where a reused fragment goes: its statement's new offset, first scope index and first call id. */
export interface Placement {
  start: number;
  scopeBase: number;
  callBase: number;
}

export class DocumentCache {
  private text: string | null = null;
  private tree: Tree | null = null;
  /** The TypeScript front end's parse state (a `ts.SourceFile`), kept opaque here. */
  typescript: { path: string; sourceFile: unknown } | null = null;
  private previous = new Map<string, Fragment[]>();
  private next = new Map<string, Fragment[]>();

  /** Parses Python text, reusing the last tree where the text did not change. */
  parsePython(text: string, parser: Parser, deadline: Deadline): Tree {
    const old = this.tree;
    if (old && this.text !== null) old.edit(editBetween(this.text, text) as unknown as Edit);
    // If parsing throws, the cache forgets the old tree rather than keep one that no longer matches.
    this.tree = null;
    this.text = null;
    try {
      this.tree = parsePython(parser, text, old, deadline);
    } finally {
      old?.delete();
    }
    this.text = text;
    return this.tree;
  }

  /** A fragment lowered from a statement with exactly this text in the last analysis, if any is left. */
  take(statementText: string): Fragment | null {
    const list = this.previous.get(statementText);
    return list?.shift() ?? null;
  }

  /** Keeps a statement's lowering (new or reused) for the next analysis. */
  keep(statementText: string, fragment: Fragment): void {
    const list = this.next.get(statementText);
    if (list) list.push(fragment);
    else this.next.set(statementText, [fragment]);
  }

  /** Called when a lowering completes: what it kept becomes what the next one can reuse. */
  commit(): void {
    this.previous = this.next;
    this.next = new Map();
  }

  /**
   * Called when a lowering fails part-way: no statement lowering is reused, and TypeScript parses
   * afresh. The Python tree, if any, still matches the text it was parsed from, so it stays.
   */
  reset(): void {
    this.previous = new Map();
    this.next = new Map();
    this.typescript = null;
  }

  dispose(): void {
    this.tree?.delete();
    this.tree = null;
    this.text = null;
    this.typescript = null;
    this.reset();
  }
}

/**
 * The fragment's scopes, bindings and calls at their new place. When nothing moved, the same
 * objects are returned (nothing downstream mutates the IR); otherwise a copy with offsets, scope
 * indices and call ids shifted. Objects shared inside the fragment (a loop around several calls, a
 * call that is both a binding's value and an entry in `calls`) stay shared in the copy.
 */
export function relocate(fragment: Fragment, to: Placement): Pick<Fragment, 'scopes' | 'bindings' | 'calls'> {
  const offset = to.start - fragment.start;
  const scopeShift = to.scopeBase - fragment.scopeBase;
  const callShift = to.callBase - fragment.callBase;
  if (!offset && !scopeShift && !callShift) return { scopes: fragment.scopes, bindings: fragment.bindings, calls: fragment.calls };
  const copies = new Map<object, unknown>();
  // Scope 0 is the module, shared by every statement; the fragment's own scopes move together.
  const scope = (s: number | null): number | null => (s === null || s === 0 ? s : s + scopeShift);
  const copy = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    const done = copies.get(value);
    if (done) return done;
    if (Array.isArray(value)) {
      const out: unknown[] = new Array(value.length);
      copies.set(value, out);
      for (let i = 0; i < value.length; i++) out[i] = copy(value[i]);
      return out;
    }
    const out: Record<string, unknown> = {};
    copies.set(value, out);
    // for…in over own plain-object keys: no entries array per object (this runs for every IR node).
    const record = value as Record<string, unknown>;
    for (const key in record) out[key] = field(key, record[key]);
    return out;
  };
  // The IR's positional fields, by name: spans and `at` are offsets; these name scopes; callId numbers calls.
  const field = (key: string, v: unknown): unknown => {
    switch (key) {
      case 'span':
      case 'keySpan': {
        const s = v as { start: number; end: number };
        return { start: s.start + offset, end: s.end + offset };
      }
      case 'at':
        return (v as number) + offset;
      case 'scope':
      case 'parent':
      case 'fnScope':
      case 'valueScope':
        return scope(v as number | null);
      case 'callId':
        return (v as number) < 0 ? v : (v as number) + callShift;
      default:
        return copy(v);
    }
  };
  return copy({ scopes: fragment.scopes, bindings: fragment.bindings, calls: fragment.calls }) as Pick<Fragment, 'scopes' | 'bindings' | 'calls'>;
}

/** The one edit that turns `before` into `after`: the span between their common prefix and suffix. */
export function editBetween(before: string, after: string): { startIndex: number; oldEndIndex: number; newEndIndex: number; startPosition: Point; oldEndPosition: Point; newEndPosition: Point } {
  const limit = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < limit && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < limit - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  const startPosition = pointAt(before, prefix);
  return {
    startIndex: prefix,
    oldEndIndex: before.length - suffix,
    newEndIndex: after.length - suffix,
    startPosition,
    oldEndPosition: pointAfter(before, prefix, before.length - suffix, startPosition),
    newEndPosition: pointAfter(after, prefix, after.length - suffix, startPosition),
  };
}

/** Row and column (UTF-16 code units, as web-tree-sitter counts for string input) of an offset. */
function pointAt(text: string, offset: number): Point {
  return pointAfter(text, 0, offset, { row: 0, column: 0 });
}

function pointAfter(text: string, from: number, to: number, at: Point): Point {
  let row = at.row;
  let lineStart = from - at.column;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: to - lineStart };
}

/** A lowerer's running call-id counter, shared with `lowerStatement`. */
export interface CallIds {
  next: number;
}

/**
 * Lowers one top-level statement, or reuses its lowering from the last analysis. Every top-level
 * statement starts in the module scope, outside loops and try blocks, so one with the same text
 * lowers the same wherever it sits. `key` is the statement's text, or null when it must be lowered
 * afresh (it has syntax errors, whose shape depends on what is around them).
 */
export function lowerStatement(cache: DocumentCache, ir: FileIR, callIds: CallIds, key: string | null, start: number, lower: () => void): void {
  const placement = { start, scopeBase: ir.scopes.length, callBase: callIds.next };
  const reused = key === null ? null : cache.take(key);
  if (key !== null && reused) {
    const moved = relocate(reused, placement);
    ir.scopes.push(...moved.scopes);
    ir.bindings.push(...moved.bindings);
    ir.calls.push(...moved.calls);
    callIds.next += reused.callCount;
    cache.keep(key, { ...placement, callCount: reused.callCount, ...moved });
    return;
  }
  const before = { scopes: ir.scopes.length, bindings: ir.bindings.length, calls: ir.calls.length, moduleReturns: ir.scopes[0].returns.length, starExports: ir.starExports?.length ?? 0 };
  lower();
  // A module-level `return` or `export *` writes into the module, which no fragment owns.
  if (key === null || ir.scopes[0].returns.length !== before.moduleReturns || (ir.starExports?.length ?? 0) !== before.starExports) return;
  cache.keep(key, {
    ...placement,
    callCount: callIds.next - placement.callBase,
    scopes: ir.scopes.slice(before.scopes),
    bindings: ir.bindings.slice(before.bindings),
    calls: ir.calls.slice(before.calls),
  });
}
