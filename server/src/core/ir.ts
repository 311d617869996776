/**
 * The language-neutral view of a source file that call-site extraction works on.
 *
 * Each language front end (typescript.ts, python.ts) lowers its syntax tree into this shape, so
 * the SDK catalogue, binding resolution and prompt reconstruction are written once for both
 * languages. It keeps only what cost analysis needs: expressions at call sites, the bindings
 * that give names their values, scopes, loops and the error handling around each call.
 *
 * Offsets are UTF-16 code-unit offsets into the file's text.
 */

export interface Span {
  start: number;
  end: number;
}

export type Expr =
  | { k: 'str'; span: Span; value: string }
  /** f-string or template literal: text parts interleaved with hole expressions. */
  | { k: 'tpl'; span: Span; parts: Array<string | Expr> }
  | { k: 'num'; span: Span; value: number }
  | { k: 'bool'; span: Span; value: boolean }
  | { k: 'none'; span: Span }
  | { k: 'name'; span: Span; name: string }
  | { k: 'attr'; span: Span; object: Expr; name: string }
  | { k: 'index'; span: Span; object: Expr; index: Expr }
  | { k: 'call'; span: Span; callee: Expr; args: Arg[]; isNew: boolean; callId: number }
  | { k: 'dict'; span: Span; entries: DictEntry[] }
  | { k: 'list'; span: Span; items: Expr[] }
  | { k: 'binop'; span: Span; op: string; left: Expr; right: Expr }
  | { k: 'other'; span: Span };

export interface Arg {
  /** Python keyword argument name; undefined for positional arguments. */
  name?: string;
  value: Expr;
  /** `*args` (list) / `**kwargs` (dict) in Python, `...x` (list) in JS. */
  spread?: 'list' | 'dict';
}

export type DictEntry =
  | { key: string; value: Expr; keySpan: Span }
  | { spread: Expr }
  /** a computed or non-literal key we cannot name */
  | { computed: true; value: Expr };

export type ScopeKind = 'module' | 'class' | 'function';

export interface Param {
  name: string;
  default?: Expr;
}

export interface Scope {
  kind: ScopeKind;
  /** Expressions this function returns (`return x`, an arrow's expression body). */
  returns: Expr[];
  /** The declared return type as a constructor-like call (`-> OpenAI`), when it names a class. */
  returnType?: Expr;
  /** Function or class name; `<lambda>`/`<arrow>` for anonymous functions; `<module>` for the file. */
  name: string;
  parent: number | null;
  span: Span;
  params: Param[];
  decorators: Expr[];
}

export type Binding =
  | { kind: 'assign'; scope: number; name: string; value: Expr; at: number }
  /** `import x`, `from m import x as y`, `import x from 'm'`, `const x = require('m')`. */
  | { kind: 'import'; scope: number; name: string; module: string; imported: string | null; at: number }
  /** `self.x = v` / `this.x = v` / class fields: bound on the class scope under `name`; `value` is evaluated in `valueScope`. */
  | { kind: 'member'; scope: number; name: string; value: Expr; at: number; valueScope: number }
  /** `def f(...)`, `function f()`, `const f = () => …`: calls to `f` return what `fnScope` returns. */
  | { kind: 'function'; scope: number; name: string; fnScope: number; at: number }
  /** `d["key"] = v` / `d.key = v` on a dict or object bound to `name`. */
  | { kind: 'setkey'; scope: number; name: string; key: string; value: Expr; at: number }
  /** loop variables and other names bound to something we cannot evaluate. */
  | { kind: 'opaque'; scope: number; name: string; at: number; iterable?: Expr };

export type LoopKind = 'for' | 'while' | 'comprehension' | 'callback';

export interface Loop {
  kind: LoopKind;
  span: Span;
  /** `while True`, `for (;;)`, `while (true)`. */
  infinite: boolean;
  /** a `break`, `return` or `throw` directly in this loop's body (not in nested functions). */
  hasExit: boolean;
  /** Statically known iteration count (`range(100)`, a literal list). */
  tripCount: number | null;
  /** Source text of the iterated expression or the iterating call (`documents`, `items.map`). */
  iterable: string | null;
  /** The loop iterates a retry helper (`for attempt in Retrying(...)`, `for i in range(n)` with except). */
  header: Expr | null;
}

export interface TryContext {
  span: Span;
  /** Source text of each caught exception type; `*` for a bare `except:` / JS `catch`. */
  catches: string[];
  /** The handlers' source text, so rules can look for `sleep`, `retry-after`, `status === 429`. */
  handlerText: string;
}

export interface CallInfo {
  expr: Extract<Expr, { k: 'call' }>;
  scope: number;
  /** Enclosing loops, innermost first, not crossing function boundaries except callbacks passed to iterating calls. */
  loops: Loop[];
  tries: TryContext[];
  /** Calls whose arguments contain this call (through lambdas and arrows), innermost first. */
  enclosingCalls: Array<Extract<Expr, { k: 'call' }>>;
  /** `await x` applied directly to this call. */
  awaited: boolean;
}

/** What the lowerers carry down the tree: the scope, and the loops, try blocks and calls around a node. */
export interface LowerContext {
  scope: number;
  loops: Loop[];
  tries: TryContext[];
  enclosingCalls: Array<Extract<Expr, { k: 'call' }>>;
}

export function callInfo(expr: Extract<Expr, { k: 'call' }>, ctx: LowerContext, awaited: boolean): CallInfo {
  return { expr, scope: ctx.scope, loops: ctx.loops, tries: ctx.tries, enclosingCalls: ctx.enclosingCalls, awaited };
}

export interface FileIR {
  language: 'python' | 'typescript';
  scopes: Scope[];
  bindings: Binding[];
  calls: CallInfo[];
  /** Syntax errors the parser recovered from: the rest of the file is still analysed. */
  syntaxErrors: Array<{ span: Span; message: string }>;
  /** `export * from './x'`: modules whose exports this one passes on. */
  starExports?: string[];
}


/** The name a callee ends in: `b` for `a.b` and for `b`; '' for anything else. */
export function lastName(e: Expr): string {
  return e.k === 'attr' || e.k === 'name' ? e.name : '';
}

/** Flattens `a.b.c` into ['a','b','c']; returns null when the chain has a non-name root. */
export function dottedName(e: Expr): string[] | null {
  if (e.k === 'name') return [e.name];
  if (e.k === 'attr') {
    const head = dottedName(e.object);
    return head ? [...head, e.name] : null;
  }
  return null;
}
