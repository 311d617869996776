/**
 * Python front end: lowers a tree-sitter-python syntax tree into the FileIR.
 *
 * The parser is handed in ready to use (loading the grammar's .wasm is IO, done by the host), so
 * the core stays pure. tree-sitter always returns a tree; syntax errors show up as ERROR/MISSING
 * nodes, which we report and step over.
 */
import type { Node as SyntaxNode, Parser } from 'web-tree-sitter';
import { Deadline } from '../budget';
import { parsePython } from './pythonParse';
import { callInfo, type Arg, type DictEntry, type Expr, type FileIR, type LowerContext, type Loop, type Param, type Scope, type Span, type TryContext } from '../ir';
import { lowerStatement, type CallIds, type DocumentCache } from './reuse';


type Context = LowerContext;

const LEAVES = new Set(['identifier', 'integer', 'float', 'true', 'false', 'none', 'comment', 'escape_sequence', 'string_content', 'ellipsis', 'keyword_separator', 'positional_separator', 'type_conversion']);
const CALL_FREE_CANDIDATES = new Set([
  'attribute', 'subscript', 'binary_operator', 'comparison_operator', 'boolean_operator', 'unary_operator', 'not_operator',
  'list', 'tuple', 'set', 'dictionary', 'pair', 'keyword_argument', 'conditional_expression', 'slice', 'list_splat', 'dictionary_splat',
]);
const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);
/** Deeply nested input (thousands of brackets) must not overflow the stack. */
const MAX_DEPTH = 400;

/**
 * With a `cache` (an open document in the editor), the tree is re-parsed incrementally and
 * top-level statements the edit did not touch are not lowered again; the IR is the same.
 */
export function lowerPython(text: string, parser: Parser, cache?: DocumentCache, deadline = new Deadline()): FileIR {
  const levels = indentLevels(text);
  if (levels > MAX_PY_INDENT_LEVELS) {
    cache?.reset();
    throw new Error(`indentation nests ${levels} levels deep (limit ${MAX_PY_INDENT_LEVELS}): too deep to parse safely, file skipped`);
  }
  if (cache) {
    try {
      return new Lowerer().run(cache.parsePython(text, parser, deadline).rootNode, cache);
    } catch (err) {
      cache.reset();
      throw err;
    }
  }
  const tree = parsePython(parser, text, null, deadline);
  try {
    return new Lowerer().run(tree.rootNode);
  } finally {
    tree.delete();
  }
}

/**
 * tree-sitter-python's scanner saves its stack of open indents in a 1,024-byte buffer, two bytes
 * a level, and writes past its end when about 511 levels are open inside a string: the parser's
 * memory is corrupted and every later parse in the process fails ("memory access out of bounds").
 * Text that could open that many is refused before it reaches the parser. The limit leaves room
 * for the 255 string delimiters the buffer also holds: (1024 - 2 - 255) / 2 = 383.
 */
export const MAX_PY_INDENT_LEVELS = 380;

/**
 * An upper bound of the scanner's indent stack: it holds strictly increasing widths (space 1,
 * tab 8, as the scanner counts), so no more than the number of distinct widths lines start with.
 */
function indentLevels(text: string): number {
  const widths = new Set<number>();
  for (let start = 0; start < text.length; ) {
    let width = 0;
    let i = start;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 32) width++;
      else if (c === 9) width += 8;
      else if (c === 12 || c === 13) width = 0;
      else if (c === 92 && text.charCodeAt(i + 1) === 10) i++; // a backslash continuation keeps counting
      else if (c === 92 && text.charCodeAt(i + 1) === 13 && text.charCodeAt(i + 2) === 10) i += 2;
      else break;
    }
    const c = text.charCodeAt(i);
    if (width && i < text.length && c !== 10 && c !== 35) widths.add(width & 0xffff);
    const newline = text.indexOf('\n', i);
    if (newline < 0) break;
    start = newline + 1;
  }
  return widths.size;
}

class Lowerer {
  private readonly ir: FileIR = { language: 'python', scopes: [], bindings: [], calls: [], syntaxErrors: [] };
  private readonly exprs = new Map<number, Expr>();
  private readonly callIds: CallIds = { next: 0 };

  run(root: SyntaxNode, cache?: DocumentCache): FileIR {
    const module = this.addScope({ kind: 'module', name: '<module>', parent: null, span: span(root), params: [], decorators: [], returns: [] });
    this.collectSyntaxErrors(root);
    const ctx: Context = { scope: module, loops: [], tries: [], enclosingCalls: [] };
    if (!cache) {
      this.visitChildren(root, ctx, 0);
      return this.ir;
    }
    for (const statement of root.namedChildren) {
      if (!statement) continue;
      // A statement with syntax errors is lowered afresh: its shape depends on what is around it.
      const key = statement.hasError ? null : statement.text;
      lowerStatement(cache, this.ir, this.callIds, key, statement.startIndex, () => this.visit(statement, ctx, 1));
    }
    cache.commit();
    return this.ir;
  }

  private collectSyntaxErrors(root: SyntaxNode): void {
    if (!root.hasError) return;
    const walk = (n: SyntaxNode, depth: number): void => {
      if (this.ir.syntaxErrors.length >= 20 || depth > MAX_DEPTH) return;
      if (n.isError) this.ir.syntaxErrors.push({ span: span(n), message: 'invalid syntax' });
      else if (n.isMissing) this.ir.syntaxErrors.push({ span: span(n), message: `missing ${n.type}` });
      else if (n.hasError) for (const c of n.children) if (c) walk(c, depth + 1);
    };
    walk(root, 0);
  }

  private addScope(scope: Scope): number {
    this.ir.scopes.push(scope);
    return this.ir.scopes.length - 1;
  }

  private visitChildren(node: SyntaxNode, ctx: Context, depth: number): void {
    for (const child of node.namedChildren) if (child) this.visit(child, ctx, depth + 1);
  }

  private visit(node: SyntaxNode, ctx: Context, depth: number): void {
    if (depth > MAX_DEPTH) return;
    const type = node.type;
    // Leaves hold no calls or bindings: skip them without asking for their children (each
    // crossing into the parser's wasm memory costs more than the check).
    if (LEAVES.has(type) || (type === 'string' && !node.text.includes('{'))) return;
    // An expression without a parenthesis has no call in it (a lambda body without one has none either).
    if (CALL_FREE_CANDIDATES.has(type) && !node.text.includes('(')) return;
    switch (type) {
      case 'import_statement':
      case 'import_from_statement':
        return this.visitImport(node, ctx);
      case 'assignment':
        this.bindAssignment(node, ctx);
        break;
      case 'function_definition':
        return this.visitFunction(node, ctx, [], depth);
      case 'decorated_definition':
        return this.visitDecorated(node, ctx, depth);
      case 'class_definition':
        return this.visitClass(node, ctx, depth);
      case 'lambda':
        return this.visitLambda(node, ctx, depth);
      case 'for_statement':
      case 'while_statement':
        return this.visitLoop(node, ctx, depth);
      case 'try_statement':
        return this.visitTry(node, ctx, depth);
      case 'call':
        return this.visitCall(node, ctx, depth);
      case 'as_pattern':
        this.bindWithTarget(node, ctx);
        break;
      case 'return_statement': {
        const value = node.namedChildren[0];
        if (value) this.ir.scopes[ctx.scope].returns.push(this.expr(value));
        break;
      }
    }
    if (COMPREHENSIONS.has(node.type)) return this.visitComprehension(node, ctx, depth);
    this.visitChildren(node, ctx, depth);
  }

  private visitImport(node: SyntaxNode, ctx: Context): void {
    const at = node.startIndex;
    if (node.type === 'import_statement') {
      for (const n of node.childrenForFieldName('name')) {
        if (!n) continue;
        if (n.type === 'aliased_import') {
          const module = n.childForFieldName('name')?.text ?? '';
          const alias = n.childForFieldName('alias')?.text ?? module;
          this.ir.bindings.push({ kind: 'import', scope: ctx.scope, name: alias, module, imported: null, at });
        } else {
          // `import google.generativeai` binds `google`; the dotted path is resolved at use.
          const first = n.text.split('.')[0];
          this.ir.bindings.push({ kind: 'import', scope: ctx.scope, name: first, module: first, imported: null, at });
        }
      }
      return;
    }
    const module = node.childForFieldName('module_name')?.text ?? '';
    for (const n of node.childrenForFieldName('name')) {
      if (!n) continue;
      const imported = n.type === 'aliased_import' ? n.childForFieldName('name')?.text ?? '' : n.text;
      const local = n.type === 'aliased_import' ? n.childForFieldName('alias')?.text ?? imported : imported;
      this.ir.bindings.push({ kind: 'import', scope: ctx.scope, name: local, module, imported, at });
    }
  }

  private bindAssignment(node: SyntaxNode, ctx: Context): void {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    const type = node.childForFieldName('type');
    if (!left) return;
    const at = node.startIndex;
    const value = right ? this.expr(right) : type ? this.typedInstance(type) : null;
    if (!value) return;
    if (left.type === 'identifier') {
      this.ir.bindings.push({ kind: 'assign', scope: ctx.scope, name: left.text, value, at });
    } else if (left.type === 'attribute') {
      const object = left.childForFieldName('object');
      const attr = left.childForFieldName('attribute')?.text ?? '';
      if (object?.type === 'identifier' && (object.text === 'self' || object.text === 'cls')) {
        this.ir.bindings.push({ kind: 'member', scope: this.classScopeOf(ctx.scope), name: attr, value, at, valueScope: ctx.scope });
      } else if (object?.type === 'identifier') {
        this.ir.bindings.push({ kind: 'setkey', scope: ctx.scope, name: object.text, key: attr, value, at });
      }
    } else if (left.type === 'subscript') {
      const object = left.childForFieldName('value');
      const key = left.childForFieldName('subscript');
      const keyExpr = key ? this.expr(key) : null;
      if (object?.type === 'identifier' && keyExpr?.k === 'str') {
        this.ir.bindings.push({ kind: 'setkey', scope: ctx.scope, name: object.text, key: keyExpr.value, value, at });
      }
    } else if (left.type === 'pattern_list' || left.type === 'tuple_pattern') {
      for (const n of left.namedChildren) if (n?.type === 'identifier') this.ir.bindings.push({ kind: 'opaque', scope: ctx.scope, name: n.text, at });
    }
  }

  /** `with httpx.Client() as client:` binds `client` to the context manager's value. */
  private bindWithTarget(node: SyntaxNode, ctx: Context): void {
    if (node.parent?.type !== 'with_item') return;
    const value = node.namedChildren[0];
    const alias = node.childForFieldName('alias');
    const target = alias?.namedChildren[0] ?? alias;
    if (value && target?.type === 'identifier') {
      this.ir.bindings.push({ kind: 'assign', scope: ctx.scope, name: target.text, value: this.expr(value), at: node.startIndex });
    }
  }

  /** `client: OpenAI` (annotation, no value): the name is an instance of the annotated class. */
  private typedInstance(type: SyntaxNode): Expr | null {
    const inner = type.namedChildren[0] ?? type;
    if (inner.type !== 'identifier' && inner.type !== 'attribute') return null;
    // Only class names can be SDK clients: skip `str`, `int`, `dict`, …
    if (!/^[A-Z]/.test(inner.text.slice(inner.text.lastIndexOf('.') + 1))) return null;
    return { k: 'call', span: span(inner), callee: this.expr(inner), args: [], isNew: true, callId: -1 };
  }

  private classScopeOf(scope: number): number {
    for (let s: number | null = scope; s !== null; s = this.ir.scopes[s].parent) {
      if (this.ir.scopes[s].kind === 'class') return s;
    }
    return scope;
  }

  private visitDecorated(node: SyntaxNode, ctx: Context, depth: number): void {
    const decorators = node.namedChildren.filter((c): c is SyntaxNode => c?.type === 'decorator').map((d) => this.expr(d.namedChildren[0] ?? d));
    for (const d of node.namedChildren) if (d?.type === 'decorator') this.visitChildren(d, ctx, depth);
    const def = node.childForFieldName('definition');
    if (!def) return;
    if (def.type === 'function_definition') this.visitFunction(def, ctx, decorators, depth);
    else this.visit(def, ctx, depth + 1);
  }

  private visitClass(node: SyntaxNode, ctx: Context, depth: number): void {
    const scope = this.addScope({
      kind: 'class',
      name: node.childForFieldName('name')?.text ?? '<class>',
      parent: ctx.scope,
      span: span(node),
      params: [],
      decorators: [],
      returns: [],
    });
    const body = node.childForFieldName('body');
    if (!body) return;
    const inner: Context = { scope, loops: [], tries: [], enclosingCalls: [] };
    // Class-level `client = OpenAI()` is reachable as `self.client` too.
    for (const stmt of body.namedChildren) {
      const assign = stmt?.type === 'expression_statement' ? stmt.namedChildren[0] : null;
      const left = assign?.type === 'assignment' ? assign.childForFieldName('left') : null;
      const right = assign?.childForFieldName('right') ?? null;
      const type = assign?.childForFieldName('type') ?? null;
      const value = right ? this.expr(right) : type ? this.typedInstance(type) : null;
      if (assign && left?.type === 'identifier' && value) this.ir.bindings.push({ kind: 'member', scope, name: left.text, value, at: assign.startIndex, valueScope: scope });
    }
    this.visitChildren(body, inner, depth);
  }

  private visitFunction(node: SyntaxNode, ctx: Context, decorators: Expr[], depth: number): void {
    const params: Param[] = [];
    const name = node.childForFieldName('name')?.text ?? '<function>';
    const returnType = node.childForFieldName('return_type');
    const scope = this.addScope({
      kind: 'function',
      name,
      parent: ctx.scope,
      span: span(node),
      params,
      decorators,
      returns: [],
      returnType: (returnType && this.typedInstance(returnType)) ?? undefined,
    });
    this.ir.bindings.push({ kind: 'function', scope: ctx.scope, name, fnScope: scope, at: node.startIndex });
    this.collectParams(node.childForFieldName('parameters'), params, scope);
    const body = node.childForFieldName('body');
    if (body) this.visitChildren(body, { scope, loops: [], tries: [], enclosingCalls: [] }, depth);
  }

  private collectParams(list: SyntaxNode | null, params: Param[], scope: number): void {
    for (const p of list?.namedChildren ?? []) {
      if (!p) continue;
      const nameNode = p.type === 'identifier' ? p : p.childForFieldName('name') ?? p.namedChildren.find((c) => c?.type === 'identifier') ?? null;
      if (!nameNode || nameNode.type !== 'identifier') continue;
      const value = p.childForFieldName('value');
      params.push({ name: nameNode.text, default: value ? this.expr(value) : undefined });
      const type = p.childForFieldName('type');
      // `client: OpenAI` tells us what the parameter holds; a default value says more.
      const typed = type && !value ? this.typedInstance(type) : null;
      if (typed) this.ir.bindings.push({ kind: 'assign', scope, name: nameNode.text, value: typed, at: p.startIndex });
    }
  }

  /** A lambda passed as an argument runs where the call is, so it keeps the loops and try blocks around it. */
  private visitLambda(node: SyntaxNode, ctx: Context, depth: number): void {
    const params: Param[] = [];
    const scope = this.addScope({ kind: 'function', name: '<lambda>', parent: ctx.scope, span: span(node), params, decorators: [], returns: [] });
    this.collectParams(node.childForFieldName('parameters'), params, scope);
    const body = node.childForFieldName('body');
    if (!body) return;
    this.ir.scopes[scope].returns.push(this.expr(body));
    this.visit(body, { ...ctx, scope }, depth + 1);
  }

  private visitLoop(node: SyntaxNode, ctx: Context, depth: number): void {
    const body = node.childForFieldName('body');
    const loop: Loop = {
      kind: node.type === 'for_statement' ? 'for' : 'while',
      span: span(node),
      infinite: false,
      hasExit: body ? hasLoopExit(body) : false,
      tripCount: null,
      iterable: null,
      header: null,
    };
    if (node.type === 'while_statement') {
      const cond = node.childForFieldName('condition');
      loop.infinite = cond?.type === 'true' || (cond?.type === 'integer' && cond.text !== '0');
      if (cond) this.visit(cond, ctx, depth + 1);
    } else {
      const right = node.childForFieldName('right');
      const left = node.childForFieldName('left');
      if (right) {
        const iterable = this.expr(right);
        loop.iterable = right.text;
        loop.header = iterable;
        loop.tripCount = tripCount(iterable);
        this.visit(right, ctx, depth + 1);
        if (left?.type === 'identifier') this.ir.bindings.push({ kind: 'opaque', scope: ctx.scope, name: left.text, at: left.startIndex, iterable });
      }
    }
    const inner = { ...ctx, loops: [loop, ...ctx.loops] };
    if (body) this.visitChildren(body, inner, depth);
    const alternative = node.childForFieldName('alternative');
    if (alternative) this.visitChildren(alternative, ctx, depth);
  }

  private visitComprehension(node: SyntaxNode, ctx: Context, depth: number): void {
    const clause = node.namedChildren.find((c) => c?.type === 'for_in_clause') ?? null;
    const right = clause?.childForFieldName('right') ?? null;
    const iterable = right ? this.expr(right) : null;
    const loop: Loop = {
      kind: 'comprehension',
      span: span(node),
      infinite: false,
      hasExit: false,
      tripCount: iterable ? tripCount(iterable) : null,
      iterable: right?.text ?? null,
      header: iterable,
    };
    if (right) this.visit(right, ctx, depth + 1);
    const inner = { ...ctx, loops: [loop, ...ctx.loops] };
    for (const c of node.namedChildren) if (c && c !== clause) this.visit(c, inner, depth + 1);
  }

  private visitTry(node: SyntaxNode, ctx: Context, depth: number): void {
    const handlers = node.namedChildren.filter((c): c is SyntaxNode => c?.type === 'except_clause' || c?.type === 'except_group_clause');
    const tryCtx: TryContext = {
      span: span(node),
      catches: handlers.map(exceptType),
      handlerText: handlers.map((h) => h.text).join('\n'),
    };
    const body = node.childForFieldName('body');
    if (body) this.visitChildren(body, handlers.length ? { ...ctx, tries: [tryCtx, ...ctx.tries] } : ctx, depth);
    for (const c of node.namedChildren) if (c && c.id !== body?.id) this.visit(c, ctx, depth + 1);
  }

  private visitCall(node: SyntaxNode, ctx: Context, depth: number): void {
    const call = this.expr(node);
    if (call.k !== 'call') return;
    const parent = node.parent;
    this.ir.calls.push(callInfo(call, ctx, parent?.type === 'await'));
    const fn = node.childForFieldName('function');
    if (fn) this.visit(fn, ctx, depth + 1);
    const args = node.childForFieldName('arguments');
    if (!args) return;
    const argCtx = { ...ctx, enclosingCalls: [call, ...ctx.enclosingCalls] };
    // `map(lambda t: llm(t), texts)`, `executor.map(fn, items)`: the callback runs once per item.
    const mapped = fn && /(^|\.)(map|imap|imap_unordered|starmap|filter)$/.test(fn.text) ? args.namedChildren[0] : null;
    for (const a of args.namedChildren) {
      if (!a) continue;
      if (mapped && a.id === mapped.id && a.type === 'lambda') {
        const iterable = args.namedChildren[1] ?? null;
        const loop: Loop = { kind: 'callback', span: span(node), infinite: false, hasExit: false, tripCount: iterable ? tripCount(this.expr(iterable)) : null, iterable: iterable?.text ?? null, header: null };
        this.visit(a, { ...argCtx, loops: [loop, ...ctx.loops] }, depth + 1);
      } else {
        this.visit(a, argCtx, depth + 1);
      }
    }
  }

  private expr(node: SyntaxNode): Expr {
    const cached = this.exprs.get(node.id);
    if (cached) return cached;
    const e = this.convert(node, 0);
    this.exprs.set(node.id, e);
    return e;
  }

  private sub(node: SyntaxNode | null, depth: number): Expr {
    if (!node) return { k: 'other', span: { start: 0, end: 0 } };
    if (depth > MAX_DEPTH) return { k: 'other', span: span(node) };
    const cached = this.exprs.get(node.id);
    if (cached) return cached;
    const e = this.convert(node, depth);
    this.exprs.set(node.id, e);
    return e;
  }

  private convert(node: SyntaxNode, depth: number): Expr {
    const s = span(node);
    const d = depth + 1;
    switch (node.type) {
      case 'parenthesized_expression':
      case 'await':
      case 'expression_statement':
        return this.sub(node.namedChildren[0] ?? null, d);
      case 'string':
        return this.string(node, d);
      case 'concatenated_string':
        return this.concatenated(node, d);
      case 'integer':
      case 'float': {
        const value = Number(node.text.replace(/_/g, ''));
        return Number.isFinite(value) ? { k: 'num', span: s, value } : { k: 'other', span: s };
      }
      case 'unary_operator': {
        const operand = this.sub(node.childForFieldName('argument'), d);
        const op = node.childForFieldName('operator')?.text;
        return operand.k === 'num' && op === '-' ? { k: 'num', span: s, value: -operand.value } : { k: 'other', span: s };
      }
      case 'true':
      case 'false':
        return { k: 'bool', span: s, value: node.type === 'true' };
      case 'none':
        return { k: 'none', span: s };
      case 'identifier':
        return { k: 'name', span: s, name: node.text };
      case 'attribute':
        return { k: 'attr', span: s, object: this.sub(node.childForFieldName('object'), d), name: node.childForFieldName('attribute')?.text ?? '' };
      case 'subscript': {
        const object = this.sub(node.childForFieldName('value'), d);
        const index = this.sub(node.childForFieldName('subscript'), d);
        return { k: 'index', span: s, object, index };
      }
      case 'call':
        return this.call(node, d);
      case 'dictionary':
        return { k: 'dict', span: s, entries: node.namedChildren.flatMap((c) => (c ? this.entry(c, d) : [])) };
      case 'list':
      case 'tuple':
      case 'set':
        return { k: 'list', span: s, items: node.namedChildren.filter((c): c is SyntaxNode => !!c && c.type !== 'comment').map((c) => this.sub(c, d)) };
      case 'binary_operator':
        return {
          k: 'binop',
          span: s,
          op: node.childForFieldName('operator')?.text ?? '',
          left: this.sub(node.childForFieldName('left'), d),
          right: this.sub(node.childForFieldName('right'), d),
        };
      case 'conditional_expression': {
        const [whenTrue, , whenFalse] = node.namedChildren;
        return { k: 'binop', span: s, op: '?:', left: this.sub(whenTrue ?? null, d), right: this.sub(whenFalse ?? null, d) };
      }
      case 'boolean_operator':
        return {
          k: 'binop',
          span: s,
          op: node.childForFieldName('operator')?.text ?? 'or',
          left: this.sub(node.childForFieldName('left'), d),
          right: this.sub(node.childForFieldName('right'), d),
        };
    }
    return { k: 'other', span: s };
  }

  private call(node: SyntaxNode, depth: number): Expr {
    const args: Arg[] = [];
    const list = node.childForFieldName('arguments');
    for (const a of list?.namedChildren ?? []) {
      if (!a || a.type === 'comment') continue;
      if (a.type === 'keyword_argument') {
        args.push({ name: a.childForFieldName('name')?.text ?? '', value: this.sub(a.childForFieldName('value'), depth) });
      } else if (a.type === 'list_splat') {
        args.push({ value: this.sub(a.namedChildren[0] ?? null, depth), spread: 'list' });
      } else if (a.type === 'dictionary_splat') {
        args.push({ value: this.sub(a.namedChildren[0] ?? null, depth), spread: 'dict' });
      } else {
        args.push({ value: this.sub(a, depth) });
      }
    }
    return { k: 'call', span: span(node), callee: this.sub(node.childForFieldName('function'), depth), args, isNew: false, callId: this.callIds.next++ };
  }

  private entry(node: SyntaxNode, depth: number): DictEntry[] {
    if (node.type === 'dictionary_splat') return [{ spread: this.sub(node.namedChildren[0] ?? null, depth) }];
    if (node.type !== 'pair') return [];
    const keyNode = node.childForFieldName('key');
    const key = keyNode ? this.sub(keyNode, depth) : null;
    const value = this.sub(node.childForFieldName('value'), depth);
    if (key?.k === 'str' && keyNode) return [{ key: key.value, value, keySpan: span(keyNode) }];
    return [{ computed: true, value }];
  }

  private concatenated(node: SyntaxNode, depth: number): Expr {
    const parts: Array<string | Expr> = [];
    for (const c of node.namedChildren) {
      if (!c || c.type !== 'string') continue;
      const part = this.sub(c, depth);
      if (part.k === 'str') parts.push(part.value);
      else if (part.k === 'tpl') parts.push(...part.parts);
    }
    return simplifyTemplate(span(node), parts);
  }

  private string(node: SyntaxNode, depth: number): Expr {
    const start = node.children[0];
    const prefix = (start?.type === 'string_start' ? start.text.replace(/["']+$/, '') : '').toLowerCase();
    const raw = prefix.includes('r');
    const isF = prefix.includes('f') || prefix.includes('t');
    const parts: Array<string | Expr> = [];
    for (const c of node.children) {
      if (!c) continue;
      if (c.type === 'string_content') parts.push(decodeContent(c.text, raw, isF));
      else if (c.type === 'interpolation') parts.push(this.sub(c.childForFieldName('expression') ?? c.namedChildren[0] ?? null, depth));
    }
    return simplifyTemplate(span(node), parts);
  }
}

function span(node: SyntaxNode): Span {
  return { start: node.startIndex, end: node.endIndex };
}

function simplifyTemplate(s: Span, parts: Array<string | Expr>): Expr {
  const merged: Array<string | Expr> = [];
  for (const p of parts) {
    const last = merged[merged.length - 1];
    if (typeof p === 'string' && typeof last === 'string') merged[merged.length - 1] = last + p;
    else merged.push(p);
  }
  if (merged.every((p) => typeof p === 'string')) return { k: 'str', span: s, value: merged.join('') };
  return { k: 'tpl', span: s, parts: merged };
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };

function decodeContent(text: string, raw: boolean, isF: boolean): string {
  let out = raw ? text : text.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{2}|N\{[^}]*\}|.|\n)/g, (m, esc: string) => {
    if (esc in SIMPLE_ESCAPES) return SIMPLE_ESCAPES[esc];
    if (/^[uUx]/.test(esc)) return String.fromCodePoint(parseInt(esc.slice(1), 16));
    return m;
  });
  if (isF) out = out.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
  return out;
}

function exceptType(clause: SyntaxNode): string {
  const first = clause.namedChildren.find((c) => c && c.type !== 'block' && c.type !== 'comment');
  if (!first) return '*';
  if (first.type === 'as_pattern') return first.namedChildren[0]?.text ?? '*';
  return first.text;
}

/** `range(100)`, `range(2, 10)`, a literal list or tuple. */
function tripCount(e: Expr): number | null {
  if (e.k === 'list') return e.items.length;
  if (e.k === 'call' && e.callee.k === 'name' && e.callee.name === 'range') {
    const nums = e.args.map((a) => (a.value.k === 'num' && !a.name ? a.value.value : null));
    if (nums.length === 1 && nums[0] !== null) return Math.max(0, nums[0]);
    if (nums.length >= 2 && nums[0] !== null && nums[1] !== null) {
      const step = nums.length === 3 && nums[2] ? nums[2] : 1;
      return Math.max(0, Math.ceil((nums[1] - nums[0]) / step));
    }
  }
  return null;
}

/** A `break`, `return` or `raise` that leaves this loop (not inside a nested function or an inner loop's break). */
function hasLoopExit(body: SyntaxNode): boolean {
  const walk = (n: SyntaxNode, inInnerLoop: boolean, depth: number): boolean => {
    if (depth > MAX_DEPTH) return false;
    if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') return false;
    if (n.type === 'return_statement' || n.type === 'raise_statement') return true;
    if (n.type === 'break_statement' && !inInnerLoop) return true;
    const inner = inInnerLoop || n.type === 'for_statement' || n.type === 'while_statement';
    return n.namedChildren.some((c) => !!c && walk(c, inner, depth + 1));
  };
  return walk(body, false, 0);
}
