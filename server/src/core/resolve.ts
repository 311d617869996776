/**
 * Name resolution over the FileIR: what a name refers to (an import, a constant, a client built
 * somewhere in the file), what a parameter path (`config.max_output_tokens`, `#1.timeout`) of a
 * call evaluates to, and the literal value of an expression when it has one.
 */
import type { Binding, Expr, FileIR, Param } from './ir';
import type { LinkedModule, Linker } from './project';
import type { Value } from './types';

type CallExpr = Extract<Expr, { k: 'call' }>;

/** Guards against cycles (`x = x.y`) and pathological chains. */
const MAX_DEPTH = 12;

/** One step of a symbol: `openai` · `OpenAI` (called) · `chat` · `completions` · `create`. */
export interface SymPart {
  name: string;
  /** The call that invoked this part, if it was called, and the scope the call is in. */
  call?: CallExpr;
  scope?: number;
}

/** A resolved callee: the module it comes from and the path taken from there. */
export interface Sym {
  parts: SymPart[];
  /** The root name is not bound anywhere in the file (a global such as `fetch`). */
  unbound: boolean;
}

export function symKey(parts: SymPart[]): string {
  return parts.map((p) => p.name + (p.call ? '()' : '')).join('.');
}

export interface ResolveOptions {
  /** `prompt.pipe(llm)`: methods whose argument is what the chain ends in. */
  pipeMethods: string[];
  /** Whether a symbol is something we know (an SDK client): picks the model out of `prompt | llm | parser`. */
  isKnown(sym: Sym): boolean;
}

export const PLAIN_RESOLVE: ResolveOptions = { pipeMethods: [], isKnown: () => false };

export interface Located {
  expr: Expr;
  scope: number;
}

const moduleResolvers = new WeakMap<LinkedModule, Resolver>();

export class Resolver {
  private readonly byName = new Map<string, Binding[]>();
  private readonly entriesOf = new Map<Expr, { scope: number; entries: ReadonlyMap<string, Located> }>();

  /** `linker` and `path` let names imported from other project modules be read (see project.ts). */
  constructor(readonly ir: FileIR, readonly text: string, readonly linker: Linker | null = null, readonly path: string = '') {
    for (const b of ir.bindings) {
      const key = b.kind === 'member' ? `.${b.name}` : b.name;
      const list = this.byName.get(key);
      if (list) list.push(b);
      else this.byName.set(key, [b]);
    }
  }

  textOf(e: { span: { start: number; end: number } }): string {
    return this.text.slice(e.span.start, e.span.end);
  }

  /** The binding a name refers to at offset `at` in `scope`, or the parameter that declares it. */
  lookup(name: string, scope: number, at: number): Binding | Param | null {
    const candidates = this.byName.get(name) ?? [];
    for (let s: number | null = scope; s !== null; s = this.ir.scopes[s].parent) {
      const sc = this.ir.scopes[s];
      // A class body's names are not visible from its methods (Python and JS alike).
      if (sc.kind === 'class' && s !== scope) continue;
      const here = candidates.filter((b) => b.scope === s && b.kind !== 'member' && b.kind !== 'setkey');
      // In the scope of the use, the latest binding before it wins. An enclosing scope's code
      // has usually all run by the time a function is called, so its last binding wins.
      const before = s === scope ? here.filter((b) => b.at <= at) : here;
      const pick = before.length ? before[before.length - 1] : here[0];
      if (pick) return pick;
      const param = sc.params.find((p) => p.name === name);
      if (param) return param;
    }
    return null;
  }

  /** `self.client` / `this.client`: the member binding on the enclosing class. */
  lookupMember(name: string, scope: number): Extract<Binding, { kind: 'member' }> | null {
    const candidates = (this.byName.get(`.${name}`) ?? []) as Array<Extract<Binding, { kind: 'member' }>>;
    for (let s: number | null = scope; s !== null; s = this.ir.scopes[s].parent) {
      if (this.ir.scopes[s].kind !== 'class') continue;
      const here = candidates.filter((b) => b.scope === s);
      // Prefer a binding whose value we can resolve: `self.client = client or OpenAI()` patterns
      // often set the attribute to a parameter first.
      return here.find((b) => b.value.k === 'call') ?? here[here.length - 1] ?? null;
    }
    return null;
  }

  private setKeys(name: string, scope: number): Array<Extract<Binding, { kind: 'setkey' }>> {
    return ((this.byName.get(name) ?? []) as Binding[]).filter(
      (b): b is Extract<Binding, { kind: 'setkey' }> => b.kind === 'setkey' && b.scope === scope,
    );
  }

  /** Follows names and `self.x` to the expression that gives them their value. */
  deref(e: Expr, scope: number, depth = 0): Located {
    if (depth > MAX_DEPTH) return { expr: e, scope };
    if (e.k === 'name') {
      const b = this.lookup(e.name, scope, e.span.start);
      if (b && 'kind' in b && b.kind === 'assign') return this.deref(b.value, b.scope, depth + 1);
      return { expr: e, scope };
    }
    if (e.k === 'attr' && e.object.k === 'name' && (e.object.name === 'self' || e.object.name === 'this' || e.object.name === 'cls')) {
      const m = this.lookupMember(e.name, scope);
      if (m) return this.deref(m.value, m.valueScope, depth + 1);
    }
    if (e.k === 'attr') {
      // `CONFIG.model` on a constant object literal, `Models.Fast` on an enum.
      const entry = this.dictEntries(e.object, scope, depth + 1).get(e.name);
      if (entry) return this.deref(entry.expr, entry.scope, depth + 1);
    }
    return { expr: e, scope };
  }

  /** Resolves a callee or receiver to the module path it comes from. */
  resolveSym(e: Expr, scope: number, opts: ResolveOptions = PLAIN_RESOLVE, depth = 0): Sym | null {
    if (depth > MAX_DEPTH) return null;
    switch (e.k) {
      case 'name': {
        const b = this.lookup(e.name, scope, e.span.start);
        if (!b) return { parts: [{ name: e.name }], unbound: true };
        if (!('kind' in b)) return null;
        if (b.kind === 'import') {
          const parts: SymPart[] = [{ name: b.module }];
          if (b.imported) parts.push({ name: b.imported });
          return { parts, unbound: false };
        }
        if (b.kind === 'assign') return this.resolveSym(b.value, b.scope, opts, depth + 1);
        return null;
      }
      case 'attr': {
        if (e.object.k === 'name' && (e.object.name === 'self' || e.object.name === 'this' || e.object.name === 'cls')) {
          const m = this.lookupMember(e.name, scope);
          return m ? this.resolveSym(m.value, m.valueScope, opts, depth + 1) : null;
        }
        const base = this.resolveSym(e.object, scope, opts, depth + 1);
        return base ? { parts: [...base.parts, { name: e.name }], unbound: base.unbound } : null;
      }
      case 'call': {
        // `prompt.pipe(llm)`: the chain ends in the model it pipes into.
        if (e.callee.k === 'attr' && opts.pipeMethods.includes(e.callee.name)) {
          const piped = this.pipedModel(e, scope, opts, depth);
          if (piped) return piped;
        }
        const factory = this.factoryReturn(e, scope, opts, depth);
        if (factory) return factory;
        const base = this.resolveSym(e.callee, scope, opts, depth + 1);
        if (!base) return null;
        const parts = [...base.parts];
        const last = parts[parts.length - 1];
        if (last.call) parts.push({ name: '', call: e, scope });
        else parts[parts.length - 1] = { ...last, call: e, scope };
        return { parts, unbound: base.unbound };
      }
      case 'binop': {
        // LangChain `prompt | llm | parser`, or `cond ? new OpenAI() : undefined`: whichever side is a client.
        if (e.op !== '|' && e.op !== '?:') return null;
        const right = this.resolveSym(e.right, scope, opts, depth + 1);
        if (right && opts.isKnown(right)) return right;
        const left = this.resolveSym(e.left, scope, opts, depth + 1);
        return left && opts.isKnown(left) ? left : null;
      }
      default:
        return null;
    }
  }

  /** `prompt.pipe(llm).pipe(parser)`, `RunnableSequence.from([prompt, llm, parser])`: the model in the chain. */
  private pipedModel(call: Extract<Expr, { k: 'call' }>, scope: number, opts: ResolveOptions, depth: number): Sym | null {
    if (call.callee.k !== 'attr') return null;
    const candidates: Expr[] = [];
    for (const a of call.args) {
      const d = this.deref(a.value, scope, depth + 1);
      if (d.expr.k === 'list') candidates.push(...d.expr.items);
      else candidates.push(a.value);
    }
    candidates.push(call.callee.object);
    for (const c of candidates) {
      const sym = this.resolveSym(c, scope, opts, depth + 1);
      if (sym && opts.isKnown(sym)) return sym;
    }
    return null;
  }

  /** `get_client()` where `def get_client() -> OpenAI: return OpenAI(...)`: what the function returns. */
  private factoryReturn(call: Extract<Expr, { k: 'call' }>, scope: number, opts: ResolveOptions, depth: number): Sym | null {
    if (call.callee.k !== 'name') return null;
    const b = this.lookup(call.callee.name, scope, call.span.start);
    if (!b || !('kind' in b) || b.kind !== 'function') return null;
    const fn = this.ir.scopes[b.fnScope];
    for (const r of fn.returns) {
      const sym = this.resolveSym(r, b.fnScope, opts, depth + 1);
      if (sym && opts.isKnown(sym)) return sym;
    }
    const typed = fn.returnType ? this.resolveSym(fn.returnType, b.fnScope, opts, depth + 1) : null;
    if (typed && opts.isKnown(typed)) return typed;
    return null;
  }

  /**
   * Keys of a dict/object literal, following names, `**spread`/`...spread` and later `d["k"] = v`.
   * Read-only: a call's argument object is asked for a dozen param paths, so a top-level answer is
   * kept per expression.
   */
  dictEntries(e: Expr, scope: number, depth = 0): ReadonlyMap<string, Located> {
    if (depth > 0) return this.collectEntries(e, scope, depth);
    const kept = this.entriesOf.get(e);
    if (kept?.scope === scope) return kept.entries;
    const entries = this.collectEntries(e, scope, 0);
    this.entriesOf.set(e, { scope, entries });
    return entries;
  }

  private collectEntries(e: Expr, scope: number, depth: number): Map<string, Located> {
    const out = new Map<string, Located>();
    if (depth > MAX_DEPTH) return out;
    const { expr, scope: s } = this.deref(e, scope, depth + 1);
    if (expr.k === 'dict') {
      for (const entry of expr.entries) {
        if ('spread' in entry) for (const [k, v] of this.dictEntries(entry.spread, s, depth + 1)) out.set(k, v);
        else if ('key' in entry) out.set(entry.key, { expr: entry.value, scope: s });
      }
    } else if (expr.k === 'call' && expr.callee.k === 'name' && expr.callee.name === 'dict') {
      for (const a of expr.args) {
        if (a.name) out.set(a.name, { expr: a.value, scope: s });
        else if (a.spread === 'dict' || !a.spread) for (const [k, v] of this.dictEntries(a.value, s, depth + 1)) out.set(k, v);
      }
    }
    if (e.k === 'name') {
      for (const b of this.setKeys(e.name, scope)) if (b.at <= e.span.start) out.set(b.key, { expr: b.value, scope: b.scope });
    }
    return out;
  }

  /**
   * The argument at a param path of a call: `model`, `config.max_output_tokens`, `#1.timeout`.
   * Keyword arguments and `**kwargs` in Python; properties of the first object argument in JS.
   */
  argAt(call: CallExpr, scope: number, path: string, objectArgs: boolean): Located | null {
    const [head, ...rest] = path.split('.');
    let cur: Located | null = null;
    if (head.startsWith('#')) {
      const positional = call.args.filter((a) => !a.name && !a.spread);
      const a = positional[Number(head.slice(1))];
      cur = a ? { expr: a.value, scope } : null;
    } else if (objectArgs) {
      const first = call.args.find((a) => !a.name && !a.spread);
      cur = first ? this.dictEntries(first.value, scope).get(head) ?? null : null;
    } else {
      const kw = call.args.find((a) => a.name === head);
      if (kw) cur = { expr: kw.value, scope };
      else {
        for (const a of call.args) {
          if (a.spread !== 'dict') continue;
          const hit = this.dictEntries(a.value, scope).get(head);
          if (hit) cur = hit;
        }
      }
    }
    for (const key of rest) {
      if (!cur) return null;
      cur = this.field(cur, key, objectArgs);
    }
    return cur;
  }

  /** `x.key` where x is a dict/object literal, a config call (`GenerateContentConfig(k=…)`), or a JSON.stringify/json.dumps of one. */
  field(loc: Located, key: string, objectArgs: boolean): Located | null {
    const { expr, scope } = this.deref(loc.expr, loc.scope);
    if (expr.k === 'call') {
      const callee = this.textOf(expr.callee);
      if (/(^|\.)(stringify|dumps)$/.test(callee) && expr.args[0]) return this.field({ expr: expr.args[0].value, scope }, key, objectArgs);
      if (!(expr.callee.k === 'name' && expr.callee.name === 'dict')) return this.argAt(expr, scope, key, objectArgs || expr.isNew);
    }
    return this.dictEntries(expr, scope).get(key) ?? null;
  }

  /** The literal string an expression evaluates to, following constants and env defaults. */
  stringValue(e: Expr, scope: number, depth = 0): Value<string> {
    const expression = this.textOf(e);
    if (depth > MAX_DEPTH) return { value: null, expression };
    switch (e.k) {
      case 'str':
        return { value: e.value, expression: null };
      case 'tpl': {
        let out = '';
        for (const p of e.parts) {
          if (typeof p === 'string') { out += p; continue; }
          const v = this.stringValue(p, scope, depth + 1);
          if (v.value === null) return { value: null, expression };
          out += v.value;
        }
        return { value: out, expression: null };
      }
      case 'binop': {
        if (e.op === '+') {
          const l = this.stringValue(e.left, scope, depth + 1);
          const r = this.stringValue(e.right, scope, depth + 1);
          if (l.value !== null && r.value !== null) return { value: l.value + r.value, expression: null };
          return { value: null, expression };
        }
        if (e.op === '||' || e.op === '??' || e.op === 'or') {
          const r = this.stringValue(e.right, scope, depth + 1);
          return { value: null, expression, default: r.value ?? r.default ?? null };
        }
        return { value: null, expression };
      }
      case 'name':
      case 'attr':
        return this.followed(e, scope, depth, (r, x, sc, d) => r.stringValue(x, sc, d));
      case 'call': {
        const def = envDefault(e, this);
        if (def !== undefined) {
          const d = def ? this.stringValue(def, scope, depth + 1) : null;
          return { value: null, expression, default: d?.value ?? null };
        }
        return { value: null, expression };
      }
      default:
        return { value: null, expression };
    }
  }

  /**
   * A name imported from another module of the project (`from .prompts import SYSTEM`,
   * `prompts.SYSTEM`, `import { PERSONA } from './prompts'`): its value there, with that module's resolver.
   */
  imported(e: Expr, scope: number, depth = 0): { resolver: Resolver; expr: Expr; scope: number } | null {
    if (!this.linker || depth > 4) return null;
    if (e.k === 'name') {
      const b = this.lookup(e.name, scope, e.span.start);
      if (!b || !('kind' in b) || b.kind !== 'import' || !b.imported) return null;
      return this.fromModule(b.module, b.imported, depth);
    }
    if (e.k === 'attr' && e.object.k === 'name') {
      const b = this.lookup(e.object.name, scope, e.object.span.start);
      if (!b || !('kind' in b) || b.kind !== 'import') return null;
      if (!b.imported) return this.fromModule(b.module, e.name, depth);
      // `from . import prompts` then `prompts.SYSTEM`: the imported name is a submodule.
      const sub = b.module.endsWith('.') ? `${b.module}${b.imported}` : `${b.module}.${b.imported}`;
      return this.ir.language === 'python' ? this.fromModule(sub, e.name, depth) : null;
    }
    return null;
  }

  /** An imported module that cannot be parsed (too deep to parse safely) leaves its values unknown: this file is still analysed. */
  private linkedModule(specifier: string): LinkedModule | null {
    try {
      return this.linker?.module(this.path, specifier, this.ir.language) ?? null;
    } catch {
      return null;
    }
  }

  private fromModule(specifier: string, name: string, depth: number): { resolver: Resolver; expr: Expr; scope: number } | null {
    if (depth > 6) return null;
    const mod = this.linkedModule(specifier);
    if (!mod) return null;
    let other = moduleResolvers.get(mod);
    if (!other) moduleResolvers.set(mod, (other = new Resolver(mod.ir, mod.text, this.linker, mod.path)));
    const b = (other.byName.get(name) ?? []).filter((x) => x.scope === 0 && (x.kind === 'assign' || x.kind === 'import')).pop();
    if (!b) {
      for (const star of mod.ir.starExports ?? []) {
        const hit = other.fromModule(star, name, depth + 1);
        if (hit) return hit;
      }
      return null;
    }
    if (b.kind === 'assign') return { resolver: other, expr: b.value, scope: 0 };
    if (b.kind === 'import' && b.imported) return other.fromModule(b.module, b.imported, depth + 1);
    return null;
  }

  /**
   * A name or attribute's value: through its assignment (a constant, `self.x = …`, `CONFIG.key`),
   * or, for a parameter, its default as the fallback of a dynamic value.
   */
  private followed<T>(e: Expr, scope: number, depth: number, evaluate: (r: Resolver, e: Expr, scope: number, depth: number) => Value<T>): Value<T> {
    const expression = this.textOf(e);
    if (e.k === 'name') {
      const b = this.lookup(e.name, scope, e.span.start);
      if (b && !('kind' in b) && b.default) {
        const d = evaluate(this, b.default, scope, depth + 1);
        return { value: null, expression, default: d.value ?? d.default ?? null };
      }
    }
    const d = this.deref(e, scope, depth + 1);
    if (d.expr === e) {
      const imp = this.imported(e, scope);
      if (!imp) return { value: null, expression };
      const v = evaluate(imp.resolver, imp.expr, imp.scope, depth + 1);
      return v.value !== null ? v : { value: null, expression, default: v.default ?? null };
    }
    const v = evaluate(this, d.expr, d.scope, depth + 1);
    return v.value !== null ? v : { value: null, expression, default: v.default ?? null };
  }

  numberValue(e: Expr, scope: number, depth = 0): Value<number> {
    const expression = this.textOf(e);
    if (depth > MAX_DEPTH) return { value: null, expression };
    switch (e.k) {
      case 'num':
        return { value: e.value, expression: null };
      case 'name':
      case 'attr':
        return this.followed(e, scope, depth, (r, x, sc, d) => r.numberValue(x, sc, d));
      case 'binop': {
        const l = this.numberValue(e.left, scope, depth + 1);
        const r = this.numberValue(e.right, scope, depth + 1);
        if (l.value !== null && r.value !== null) {
          const v = e.op === '*' ? l.value * r.value : e.op === '+' ? l.value + r.value : e.op === '-' ? l.value - r.value : e.op === '//' || e.op === '/' ? Math.floor(l.value / r.value) : null;
          if (v !== null && Number.isFinite(v)) return { value: v, expression: null };
        }
        if (e.op === '||' || e.op === '??' || e.op === 'or') return { value: null, expression, default: r.value ?? null };
        return { value: null, expression };
      }
      case 'call': {
        // int(os.getenv("MAX_TOKENS", "512")), Number(process.env.X ?? 512)
        const callee = this.textOf(e.callee);
        if ((callee === 'int' || callee === 'Number' || callee === 'parseInt') && e.args[0]) {
          const inner = e.args[0].value;
          const n = this.numberValue(inner, scope, depth + 1);
          if (n.value !== null || n.default != null) return { value: null, expression, default: n.value ?? n.default ?? null };
          const s = this.stringValue(inner, scope, depth + 1);
          const parsed = s.default != null ? Number(s.default) : NaN;
          return { value: null, expression, default: Number.isFinite(parsed) ? parsed : null };
        }
        const def = envDefault(e, this);
        if (def) {
          const d = this.numberValue(def, scope, depth + 1);
          return { value: null, expression, default: d.value };
        }
        return { value: null, expression };
      }
      default:
        return { value: null, expression };
    }
  }
}

/**
 * `os.getenv("X", d)`, `os.environ.get("X", d)`, `getenv("X", d)`: the default expression.
 * Returns undefined when the call is not an environment lookup, null when it has no default.
 */
function envDefault(call: CallExpr, r: Resolver): Expr | null | undefined {
  const callee = r.textOf(call.callee);
  if (!/(^|\.)(getenv|environ\.get|env\.get)$/.test(callee)) return undefined;
  const positional = call.args.filter((a) => !a.name);
  return positional[1]?.value ?? call.args.find((a) => a.name === 'default')?.value ?? null;
}
