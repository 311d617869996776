/**
 * Calls between functions of one file, for rules whose problem sits in the caller: a helper that
 * makes an LLM call, called from a loop or fanned out with `asyncio.gather` / `Promise.all`.
 * Only names the file defines are followed (`summarize(x)`, `self.summarize(x)`, `this.summarize(x)`,
 * or `summarize` passed by reference); anything else is left alone.
 */
import type { CallInfo, Expr, FileIR } from '../../ir';
import type { Resolver } from '../../resolve';

/** The function scope a callee or a function reference names, or null. */
export function functionNamed(ir: FileIR, r: Resolver, e: Expr, scope: number): number | null {
  if (e.k === 'name') {
    const b = r.lookup(e.name, scope, e.span.start);
    return b && 'kind' in b && b.kind === 'function' ? b.fnScope : null;
  }
  if (e.k === 'attr' && e.object.k === 'name' && ['self', 'this', 'cls'].includes(e.object.name)) {
    const cls = classOf(ir, scope);
    if (cls === null) return null;
    const b = ir.bindings.find((x) => x.kind === 'function' && x.scope === cls && x.name === e.name);
    return b && b.kind === 'function' ? b.fnScope : null;
  }
  return null;
}

function classOf(ir: FileIR, scope: number): number | null {
  for (let s: number | null = scope; s !== null; s = ir.scopes[s].parent) if (ir.scopes[s].kind === 'class') return s;
  return null;
}

/** Calls of `fnScope` in the file: `f(...)`, `self.f(...)`. */
export function callersOf(ir: FileIR, r: Resolver, fnScope: number): CallInfo[] {
  return ir.calls.filter((c) => functionNamed(ir, r, c.expr.callee, c.scope) === fnScope);
}

/** Is `inner` the scope `outer` or nested in it? */
export function within(ir: FileIR, inner: number, outer: number): boolean {
  for (let s: number | null = inner; s !== null; s = ir.scopes[s].parent) if (s === outer) return true;
  return false;
}

/**
 * Function scopes whose execution makes one of the `targets` calls, each with the target it
 * reaches: the scopes holding them, and, up to `depth` levels, every function that calls one of
 * those (directly or by passing it by reference).
 */
export function reachingFunctions<T>(ir: FileIR, r: Resolver, targets: Array<{ info: CallInfo; value: T }>, depth = 3): Map<number, T> {
  const reach = new Map<number, T>();
  const mark = (scope: number, value: T) => {
    for (let s: number | null = scope; s !== null && ir.scopes[s].kind === 'function'; s = ir.scopes[s].parent) if (!reach.has(s)) reach.set(s, value);
  };
  for (const t of targets) mark(t.info.scope, t.value);
  for (let level = 0; level < depth; level++) {
    const before = reach.size;
    for (const c of ir.calls) {
      const hit = callTargets(ir, r, c).find((f) => reach.has(f) && !within(ir, c.scope, f));
      if (hit !== undefined) mark(c.scope, reach.get(hit)!);
    }
    if (reach.size === before) break;
  }
  return reach;
}

/** Functions a call runs: its callee, and functions passed to it by reference (`executor.map(f, xs)`). */
export function callTargets(ir: FileIR, r: Resolver, c: CallInfo): number[] {
  const out: number[] = [];
  const callee = functionNamed(ir, r, c.expr.callee, c.scope);
  if (callee !== null) out.push(callee);
  for (const a of c.expr.args) {
    const f = functionNamed(ir, r, a.value, c.scope);
    if (f !== null) out.push(f);
  }
  return out;
}
