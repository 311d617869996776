/**
 * What a loop hands each iteration: its variables (`for doc in docs`, `for (const [i, d] of …)`,
 * the parameters of a `map` callback), whether an expression depends on them, and whether it is
 * one item or a batch of items (`docs[i:i+100]`, `for batch in batched(docs, 100)`).
 */
import { lastName } from '../../ir';
import type { Expr, FileIR, Loop, Span } from '../../ir';
import type { Resolver } from '../../resolve';

const KEYWORDS = new Set(['for', 'in', 'of', 'async', 'await', 'const', 'let', 'var']);

/** Names and iterables that hold several items: `batch`, `groups`, a slice. (`chunk` is usually one text.) */
export const BATCHY = /batch|slice\(|splice\(|\[[^\]]*:[^\]]*\]|\bgroups?\b/i;

/** Variables bound per iteration by `loop`, for a call in `callScope` inside it. */
export function loopVariables(ir: FileIR, text: string, loop: Loop, callScope: number): string[] {
  if (loop.kind === 'while') return [];
  if (loop.kind === 'callback') {
    const names: string[] = [];
    for (let s: number | null = callScope; s !== null; s = ir.scopes[s].parent) {
      const sc = ir.scopes[s];
      if (sc.kind === 'function' && sc.span.start >= loop.span.start && sc.span.end <= loop.span.end) names.push(...sc.params.map((p) => p.name));
    }
    return names;
  }
  let target: string | undefined;
  if (loop.header) {
    // Python `for a, b in xs` and comprehensions: the target sits just before the iterable.
    target = /\bfor\s+([\w\s,()[\]]+?)\s+in\s*$/.exec(text.slice(loop.span.start, loop.header.span.start))?.[1];
  } else {
    const head = text.slice(loop.span.start, Math.min(loop.span.end, loop.span.start + 300));
    target = /^for\s*(?:await\s*)?\(\s*(?:const|let|var)\s+([\s\S]+?)\s+(?:of|in)\s/.exec(head)?.[1] ?? /^for\s*\(\s*(?:let|var|const)?\s*([A-Za-z_$][\w$]*)\s*=/.exec(head)?.[1];
  }
  return (target?.match(/[A-Za-z_$][\w$]*/g) ?? []).filter((n) => !KEYWORDS.has(n));
}

/**
 * The names that hold "the current item" at a call: the variables of the loops around it (or the
 * parameters of a helper, seen from inside), and names assigned from them within `regions`.
 */
export class ItemScope {
  readonly names = new Set<string>();

  constructor(readonly ir: FileIR, readonly r: Resolver, readonly text: string, readonly loops: Loop[], readonly scope: number, extra: string[] = [], private readonly regions: Span[] = loops.map((l) => l.span)) {
    for (const l of loops) for (const n of loopVariables(ir, text, l, scope)) this.names.add(n);
    for (const n of extra) this.names.add(n);
  }

  /** The loop (innermost first) whose variable `name` is, if any. */
  loopOf(name: string): Loop | null {
    return this.loops.find((l) => loopVariables(this.ir, this.text, l, this.scope).includes(name)) ?? null;
  }

  /** Does `e` change from one iteration to the next (it reads a loop variable, directly or through assignments in the loop)? */
  varies(e: Expr, depth = 0): boolean {
    if (depth > 8) return false;
    switch (e.k) {
      case 'name': {
        if (this.names.has(e.name)) return true;
        const b = this.r.lookup(e.name, this.scope, e.span.start);
        return !!b && 'kind' in b && b.kind === 'assign' && this.inLoop(b.at) && this.varies(b.value, depth + 1);
      }
      case 'attr':
        return this.varies(e.object, depth + 1);
      case 'index':
        return this.varies(e.object, depth + 1) || this.varies(e.index, depth + 1);
      case 'tpl':
        return e.parts.some((p) => typeof p !== 'string' && this.varies(p, depth + 1));
      case 'binop':
        return this.varies(e.left, depth + 1) || this.varies(e.right, depth + 1);
      case 'list':
        return e.items.some((i) => this.varies(i, depth + 1));
      case 'call':
        return this.varies(e.callee, depth + 1) || e.args.some((a) => this.varies(a.value, depth + 1));
      default:
        return false;
    }
  }

  private inLoop(offset: number): boolean {
    return this.regions.some((l) => offset >= l.start && offset <= l.end);
  }

  /**
   * `item`: certainly one input (a string, a template, `[x]`, `doc.text`, `texts[i]`, a loop variable
   * over a plain collection); `batch`: several; `unknown`: cannot tell — rules stay silent on it.
   */
  shape(e: Expr, depth = 0): 'item' | 'batch' | 'unknown' {
    if (depth > 8) return 'unknown';
    switch (e.k) {
      case 'str':
      case 'tpl':
        return 'item';
      case 'binop':
        return e.op === '+' && (this.shape(e.left, depth + 1) === 'item' || this.shape(e.right, depth + 1) === 'item') ? 'item' : 'unknown';
      case 'list':
        // `[text]` is a batch of one; spread elements are dropped from `items` (TS) or lowered as `other` (Python).
        return e.items.length === 1 && e.items[0].k !== 'other' && !/^\s*\*/.test(this.r.textOf(e.items[0])) && this.shape(e.items[0], depth + 1) !== 'batch' ? 'item' : 'batch';
      case 'name': {
        if (BATCHY.test(e.name) || isPlural(e.name)) return 'batch';
        if (this.names.has(e.name)) {
          const loop = this.loopOf(e.name);
          return loop && BATCHY.test(loop.iterable ?? '') ? 'batch' : loop && loop.header && isBatchingCall(loop.header) ? 'batch' : 'item';
        }
        const b = this.r.lookup(e.name, this.scope, e.span.start);
        return b && 'kind' in b && b.kind === 'assign' && this.inLoop(b.at) ? this.shape(b.value, depth + 1) : 'unknown';
      }
      case 'attr':
        return isPlural(e.name) || BATCHY.test(e.name) ? 'batch' : this.varies(e.object) ? 'item' : 'unknown';
      case 'index': {
        if (e.index.k === 'other' && this.r.textOf(e.index).includes(':')) return 'batch';
        // `page["paragraphs"]` is a list like `page.paragraphs`; `row["text"]` one text.
        if (e.index.k === 'str' && (isPlural(e.index.value) || BATCHY.test(e.index.value))) return 'batch';
        return this.varies(e) ? 'item' : 'unknown';
      }
      case 'call': {
        const name = lastName(e.callee);
        if (/^(slice|splice|islice|take|batched|chunked)$/.test(name)) return 'batch';
        return STRING_FUNCTIONS.test(name) ? 'item' : 'unknown';
      }
      default:
        return 'unknown';
    }
  }
}

/** Calls that return one string from a string: `t.strip()`, `text.replace("\n", " ")`, `str(x)`, `JSON.stringify(x)`. */
const STRING_FUNCTIONS = /^(str|strip|lstrip|rstrip|replace|lower|upper|format|join|dumps|trim|trimStart|trimEnd|toLowerCase|toUpperCase|stringify|toString|substring|substr|normalize|casefold|encode|decode)$/;

/** `texts`, `documents`, `inputs`: a plural name is a list (but not `class`, `status`, `analysis`). */
function isPlural(name: string): boolean {
  return /[^s]s$/i.test(name) && !/(us|is|ss)$/i.test(name) && name.length > 3;
}

/**
 * `batched(docs, 100)`, `chunked(texts, 64)`, `more_itertools.chunked(items, n)`: an iterable of
 * batches. A chunker given one text (`chunk_text(doc, 500)`) yields texts, not batches.
 */
function isBatchingCall(e: Expr): boolean {
  if (e.k !== 'call') return false;
  const name = lastName(e.callee);
  if (/batch/i.test(name)) return true;
  const first = e.args[0]?.value;
  const source = first?.k === 'name' ? first.name : first?.k === 'attr' ? first.name : '';
  return /chunk|partition|group|split_every|islice/i.test(name) && e.args.length >= 2 && isPlural(source);
}

/** `a loop over \`docs\``, `a \`docs.map(…)\` callback`, `a \`while True\` loop`: for messages. */
export function describeLoop(loop: Pick<Loop, 'kind' | 'iterable' | 'infinite'>, language: 'python' | 'typescript'): string {
  const it = loop.iterable ? `\`${loop.iterable}\`` : null;
  switch (loop.kind) {
    case 'while':
      return loop.infinite ? `a \`${language === 'python' ? 'while True' : 'while (true)'}\` loop` : 'a `while` loop';
    case 'comprehension':
      return it ? `a comprehension over ${it}` : 'a comprehension';
    case 'callback':
      // TypeScript records the iterating method (`docs.map`), Python the mapped iterable.
      return language === 'typescript' && loop.iterable ? `a \`${loop.iterable}(…)\` callback` : it ? `a callback mapped over ${it}` : 'a mapped callback';
    default:
      return it ? `a loop over ${it}` : 'a `for` loop';
  }
}
