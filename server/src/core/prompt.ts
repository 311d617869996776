/**
 * Reconstructs the prompt a call sends: literal text where the source has it, named holes where
 * it does not (`{document}`, `${user}`, an unresolvable variable). Holes are sized later by the
 * estimator from settings, and every hole shows up in the estimate's assumptions.
 */
import { lastName } from './ir';
import type { Expr } from './ir';
import type { Located, Resolver } from './resolve';
import type { PromptPart, PromptSegment } from './types';

const MAX_DEPTH = 12;
const ROLE_CLASSES: Record<string, string> = {
  SystemMessage: 'system',
  HumanMessage: 'user',
  AIMessage: 'assistant',
  ChatMessage: 'user',
  SystemMessagePromptTemplate: 'system',
  HumanMessagePromptTemplate: 'user',
};

export class PromptReader {
  constructor(private readonly r: Resolver) {}

  /** Text from a string-ish expression: literals, templates, concatenation, constants, `.format`, `dedent`. */
  text(e: Expr, scope: number, depth = 0): PromptSegment[] {
    if (depth > MAX_DEPTH) return [this.hole(e)];
    switch (e.k) {
      case 'str':
        return [{ text: e.value }];
      case 'tpl':
        return e.parts.flatMap((p) => (typeof p === 'string' ? [{ text: p }] : this.inline(p, scope, depth + 1)));
      case 'binop':
        if (e.op === '+') return [...this.text(e.left, scope, depth + 1), ...this.text(e.right, scope, depth + 1)];
        if (e.op === '%') return [...this.text(e.left, scope, depth + 1), this.hole(e.right)];
        return [this.hole(e)];
      case 'name':
      case 'attr': {
        const d = this.r.deref(e, scope);
        if (d.expr !== e) return this.text(d.expr, d.scope, depth + 1);
        const imp = this.r.imported(e, scope);
        if (imp) return new PromptReader(imp.resolver).text(imp.expr, imp.scope, depth + 1);
        return [this.hole(e)];
      }
      case 'call':
        return this.callText(e, scope, depth);
      case 'list':
        return e.items.flatMap((item, i) => [...(i ? [{ text: '\n' }] : []), ...this.text(item, scope, depth + 1)]);
      case 'dict': {
        // A content part: {"type": "text", "text": "..."} or Bedrock's {"text": "..."}.
        const entries = this.r.dictEntries(e, scope);
        const t = entries.get('text') ?? entries.get('content');
        return t ? this.text(t.expr, t.scope, depth + 1) : [this.hole(e)];
      }
      default:
        return [this.hole(e)];
    }
  }

  /** A hole inside a template: keep its text when it is a known constant, else name it. */
  private inline(e: Expr, scope: number, depth: number): PromptSegment[] {
    const v = this.r.stringValue(e, scope, depth);
    if (v.value !== null) return [{ text: v.value }];
    return this.text(e, scope, depth);
  }

  private callText(e: Extract<Expr, { k: 'call' }>, scope: number, depth: number): PromptSegment[] {
    const callee = e.callee;
    const method = lastName(callee);
    const first = e.args.find((a) => !a.name && !a.spread);
    if ((method === 'dedent' || method === 'cleandoc') && first) return dedent(this.text(first.value, scope, depth + 1));
    if (callee.k === 'attr' && ['strip', 'trim', 'lstrip', 'rstrip', 'trimStart', 'trimEnd'].includes(method)) {
      return this.text(callee.object, scope, depth + 1);
    }
    if (callee.k === 'attr' && method === 'format') return this.format(callee.object, e, scope, depth);
    const read = this.fileRead(e, scope);
    if (read) return read;
    if (callee.k === 'attr' && (method === 'render' || method === 'render_async')) {
      const rendered = this.jinjaRender(callee.object, scope, depth);
      if (rendered) return rendered;
      // Mustache.render(template, view)
      if (first && /mustache/i.test(this.r.textOf(callee.object))) return this.templateText(first.value, scope, depth);
    }
    // Handlebars.compile(template)(context), or a compiled template kept in a name.
    const compiled = callee.k === 'call' ? { expr: callee as Expr, scope } : callee.k === 'name' ? this.r.deref(callee, scope) : null;
    if (compiled?.expr.k === 'call' && /(^|\.)compile$/.test(this.r.textOf(compiled.expr.callee))) {
      const source = compiled.expr.args.find((a) => !a.name && !a.spread)?.value;
      if (source) return this.templateText(source, compiled.scope, depth);
    }
    if (callee.k === 'attr' && method === 'join' && first) {
      // "\n".join([...]) in Python, [...].join("\n") in JS
      const sepExpr = callee.object.k === 'str' ? callee.object : first.value.k === 'str' ? first.value : null;
      const listExpr = callee.object.k === 'str' ? first.value : callee.object;
      const list = this.r.deref(listExpr, scope);
      if (list.expr.k === 'list' && sepExpr?.k === 'str') {
        return list.expr.items.flatMap((item, i) => [...(i ? [{ text: sepExpr.value }] : []), ...this.text(item, list.scope, depth + 1)]);
      }
    }
    return [this.hole(e)];
  }

  /**
   * A prompt read from a file: `open(p).read()`, `Path(p).read_text()`, `f.read()` after
   * `with open(p) as f`, `fs.readFileSync(p, 'utf8')`. Returns null when the call reads no file.
   */
  private fileRead(call: Extract<Expr, { k: 'call' }>, scope: number): PromptSegment[] | null {
    const callee = call.callee;
    const method = lastName(callee);
    let pathExpr: Expr | undefined;
    if ((method === 'read_text' || method === 'read') && callee.k === 'attr') {
      const target = this.r.deref(callee.object, scope);
      if (method === 'read_text') pathExpr = callee.object;
      else if (target.expr.k === 'call' && /(^|\.)open$/.test(this.r.textOf(target.expr.callee))) return this.readPath(target.expr.args[0]?.value, target.scope, call);
      else return null;
    } else if (method === 'readFileSync' || method === 'readFile') {
      pathExpr = call.args[0]?.value;
    } else {
      return null;
    }
    return this.readPath(pathExpr, scope, call);
  }

  private readPath(pathExpr: Expr | undefined, scope: number, call: Expr): PromptSegment[] {
    const path = pathExpr ? this.pathOf(pathExpr, scope, 0) : null;
    const src = path && this.r.linker ? this.r.linker.file(this.r.path, path) : null;
    if (!src) return [{ hole: path ? `file ${path} (not found)` : 'file', expression: shorten(this.r.textOf(call)) }];
    return templateSegments(src.text);
  }

  /** A template's source (a literal, a constant or a file read) with its `{{ holes }}`. */
  private templateText(e: Expr, scope: number, depth: number): PromptSegment[] {
    return this.text(e, scope, depth + 1).flatMap((seg) => ('text' in seg ? templateSegments(seg.text) : [seg]));
  }

  /**
   * Jinja: `env.get_template("answer.j2").render(...)` with `env = Environment(loader=FileSystemLoader("templates"))`,
   * or `Template(text).render(...)`. The template's `{{ vars }}` become holes.
   */
  private jinjaRender(receiver: Expr, scope: number, depth: number): PromptSegment[] | null {
    const t = this.r.deref(receiver, scope);
    if (t.expr.k !== 'call') return null;
    const name = lastName(t.expr.callee);
    const first = t.expr.args.find((a) => !a.name && !a.spread)?.value;
    if (name === 'Template' && first) return this.templateText(first, t.scope, depth);
    if (name !== 'get_template' || !first || t.expr.callee.k !== 'attr') return null;
    const file = this.r.stringValue(first, t.scope).value;
    const env = this.r.deref(t.expr.callee.object, t.scope);
    const loaderArg = env.expr.k === 'call' ? env.expr.args.find((a) => a.name === 'loader')?.value : undefined;
    const loader = loaderArg ? this.r.deref(loaderArg, env.scope) : null;
    const searchArg = loader?.expr.k === 'call' ? (loader.expr.args.find((a) => a.name === 'searchpath') ?? loader.expr.args.find((a) => !a.name))?.value : undefined;
    const dir = searchArg && loader ? this.pathOf(searchArg, loader.scope, 0) : null;
    if (!file) return [this.hole(receiver)];
    const src = dir !== null && this.r.linker ? this.r.linker.file(this.r.path, joinPath(dir, file)) : null;
    return src ? templateSegments(src.text) : [{ hole: `file ${file} (not found)`, expression: shorten(this.r.textOf(receiver)) }];
  }

  /** A path expression as text relative to the file's directory: `Path(__file__).parent / "prompts" / "x.txt"` → `prompts/x.txt`. */
  /** The file a path expression names, read through the host (`"support.prompty"`, `Path(__file__).parent / "x.prompty"`). */
  readFile(e: Expr, scope: number): { path: string; text: string } | null {
    const path = this.pathOf(e, scope, 0);
    return path && this.r.linker ? this.r.linker.file(this.r.path, path) : null;
  }

  private pathOf(e: Expr, scope: number, depth: number): string | null {
    if (depth > 8) return null;
    switch (e.k) {
      case 'str':
        return e.value;
      case 'name':
        if (e.name === '__file__') return FILE;
        if (e.name === '__dirname') return '.';
        break;
      case 'binop':
        if (e.op === '/' || e.op === '+') {
          const l = this.pathOf(e.left, scope, depth + 1);
          const r = this.pathOf(e.right, scope, depth + 1);
          return l !== null && r !== null ? (e.op === '/' ? joinPath(l, r) : l + r) : null;
        }
        return null;
      case 'attr': {
        if (e.name === 'parent') {
          const base = this.pathOf(e.object, scope, depth + 1);
          return base === null ? null : base === FILE ? '.' : joinPath(base, '..');
        }
        break;
      }
      case 'call': {
        const name = lastName(e.callee);
        const args = e.args.filter((a) => !a.name && !a.spread).map((a) => a.value);
        if (['Path', 'PurePath', 'abspath', 'realpath', 'normpath', 'str', 'String', 'fspath'].includes(name) && args[0]) return this.pathOf(args[0], scope, depth + 1);
        if (['resolve', 'absolute'].includes(name) && e.callee.k === 'attr' && !args.length) return this.pathOf(e.callee.object, scope, depth + 1);
        if (name === 'dirname' && args[0]) {
          const p = this.pathOf(args[0], scope, depth + 1);
          return p === FILE ? '.' : p === null ? null : joinPath(p, '..');
        }
        if (name === 'join' || name === 'resolve' || name === 'joinpath') {
          const parts = [...(name === 'joinpath' && e.callee.k === 'attr' ? [e.callee.object] : []), ...args].map((a) => this.pathOf(a, scope, depth + 1));
          if (parts.some((p) => p === null)) return null;
          return parts.reduce<string>((acc, p) => joinPath(acc, p!), '');
        }
        return null;
      }
    }
    const d = this.r.deref(e, scope);
    if (d.expr !== e) return this.pathOf(d.expr, d.scope, depth + 1);
    const v = this.r.stringValue(e, scope);
    return v.value;
  }

  /** `"Hello {name}".format(name=x)`: substitute known keywords, leave the rest as named holes. */
  private format(receiver: Expr, call: Extract<Expr, { k: 'call' }>, scope: number, depth: number): PromptSegment[] {
    const base = this.text(receiver, scope, depth + 1);
    const kwargs = new Map<string, Expr>();
    for (const a of call.args) if (a.name) kwargs.set(a.name, a.value);
    const out: PromptSegment[] = [];
    for (const seg of base) {
      if (!('text' in seg)) { out.push(seg); continue; }
      const re = /\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)?(?:[!:][^{}]*)?\}/g;
      let last = 0;
      for (let m = re.exec(seg.text); m; m = re.exec(seg.text)) {
        out.push({ text: seg.text.slice(last, m.index) });
        last = m.index + m[0].length;
        if (m[0] === '{{' || m[0] === '}}') { out.push({ text: m[0][0] }); continue; }
        const value = m[1] ? kwargs.get(m[1]) : undefined;
        const filled = value ? this.inline(value, scope, depth + 1) : [];
        // An unknown value keeps the placeholder's name: `{ticket}`, not the expression's.
        if (filled.length === 1 && 'hole' in filled[0]) out.push({ hole: m[1]!, expression: filled[0].expression });
        else if (value) out.push(...filled);
        else out.push({ hole: m[1] ?? 'arg', expression: m[0] });
      }
      out.push({ text: seg.text.slice(last) });
    }
    return out.filter((s) => !('text' in s) || s.text.length > 0);
  }

  /** A chat message list: dicts with role/content, LangChain tuples and message classes. */
  messages(loc: Located, depth = 0): PromptPart[] {
    const { expr, scope } = this.r.deref(loc.expr, loc.scope);
    if (depth > MAX_DEPTH) return [{ role: 'messages', segments: [this.hole(expr)] }];
    if (expr.k === 'str' || expr.k === 'tpl') return [{ role: 'user', segments: this.text(expr, scope) }];
    if (expr.k !== 'list') {
      // A single message object, or something built elsewhere (history, a function result).
      if (expr.k === 'dict' || expr.k === 'call') return this.message(expr, scope);
      return [{ role: 'messages', segments: [this.hole(loc.expr)] }];
    }
    return expr.items.flatMap((item) => this.message(item, scope, depth + 1));
  }

  private message(item: Expr, scope: number, depth = 0): PromptPart[] {
    const { expr, scope: s } = this.r.deref(item, scope);
    if (expr.k === 'dict') {
      const entries = this.r.dictEntries(expr, s);
      const role = entries.get('role');
      const roleText = role ? this.r.stringValue(role.expr, role.scope).value ?? 'user' : 'user';
      const content = entries.get('content') ?? entries.get('parts') ?? entries.get('text');
      if (!content) return [{ role: roleText, segments: [this.hole(item)] }];
      return [{ role: roleText, segments: this.text(content.expr, content.scope, depth + 1) }];
    }
    if (expr.k === 'list' && expr.items.length === 2) {
      // LangChain ("system", "You are …")
      const role = this.r.stringValue(expr.items[0], s).value;
      if (role) return [{ role: normaliseRole(role), segments: this.text(expr.items[1], s, depth + 1) }];
    }
    if (expr.k === 'call') {
      const name = lastName(expr.callee);
      const role = ROLE_CLASSES[name];
      if (role) {
        const content = expr.args.find((a) => a.name === 'content' || a.name === 'template') ?? expr.args.find((a) => !a.name && !a.spread);
        const first = content?.value;
        const inner = first && first.k === 'dict' ? this.r.dictEntries(first, s).get('content')?.expr : first;
        if (inner) return [{ role, segments: this.text(inner, s, depth + 1) }];
      }
      if (name === 'from_messages' || name === 'fromMessages') {
        const list = expr.args.find((a) => !a.name)?.value;
        if (list) return this.messages({ expr: list, scope: s }, depth + 1);
      }
    }
    if (expr.k === 'str' || expr.k === 'tpl' || expr.k === 'call') return [{ role: 'user', segments: this.text(expr, s, depth + 1) }];
    return [{ role: 'messages', segments: [this.hole(item)] }];
  }

  hole(e: Expr): PromptSegment {
    const expression = this.r.textOf(e);
    return { hole: holeName(e, expression), expression: shorten(expression) };
  }
}

function normaliseRole(role: string): string {
  if (role === 'human') return 'user';
  if (role === 'ai') return 'assistant';
  return role;
}

/** The name a hole is known by in assumptions and usage files: the variable, attribute or call name. */
function holeName(e: Expr, expression: string): string {
  if (e.k === 'name') return e.name;
  if (e.k === 'attr') return e.name;
  if (e.k === 'index') return holeName(e.object, expression);
  if (e.k === 'call') return e.callee.k === 'attr' ? e.callee.name : e.callee.k === 'name' ? e.callee.name : 'call';
  return shorten(expression.replace(/\s+/g, ' '), 24);
}

function shorten(s: string, max = 60): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** Removes the common leading whitespace of the text lines (Python textwrap.dedent). */
function dedent(segments: PromptSegment[]): PromptSegment[] {
  const whole = segments.map((s) => ('text' in s ? s.text : 'x')).join('');
  const indents = whole.split('\n').filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)?.[0].length ?? 0);
  const n = indents.length ? Math.min(...indents) : 0;
  if (!n) return segments;
  const re = new RegExp(`(^|\\n)[ \\t]{1,${n}}`, 'g');
  return segments.map((s) => ('text' in s ? { text: s.text.replace(re, '$1') } : s));
}

/** Marks "this source file" while a path is being built (`Path(__file__)`). */
const FILE = '\u0000file';

function joinPath(a: string, b: string): string {
  if (b.startsWith('/') || !a || a === '.') return b;
  if (a === FILE) return b;
  const parts = `${a}/${b}`.split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else out.push(p);
  }
  return out.join('/') || '.';
}

/**
 * A template file's text with its placeholders as named holes: Jinja/Mustache/Handlebars
 * `{{ name }}`; control tags (`{% … %}`, `{{#each}}`, comments) are dropped. Python `{name}`
 * placeholders stay text here and become holes when the code calls `.format(...)`.
 */
export function templateSegments(text: string): PromptSegment[] {
  const out: PromptSegment[] = [];
  const re = /\{\{\s*([#/^!>]?)\s*([A-Za-z_][\w.]*)?[^}]*\}\}|\{%[\s\S]*?%\}|\{#[\s\S]*?#\}/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) out.push({ text: text.slice(last, m.index) });
    last = m.index + m[0].length;
    if (m[0].startsWith('{{') && !m[1] && m[2]) out.push({ hole: m[2], expression: m[0] });
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}

export function promptText(parts: PromptPart[]): string {
  return parts.map((p) => p.segments.map((s) => ('text' in s ? s.text : `{${s.hole}}`)).join('')).join('\n');
}
