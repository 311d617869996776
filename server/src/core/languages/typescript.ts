/**
 * TypeScript / JavaScript front end: lowers a TypeScript compiler AST into the FileIR.
 * `ts.createSourceFile` only parses (no type checker, no program), which keeps it fast and lets it
 * recover from syntax errors mid-edit with a partial tree.
 */
import ts from 'typescript';
import { callInfo, type Arg, type DictEntry, type Expr, type FileIR, type LowerContext, type Loop, type Param, type Scope, type Span, type TryContext } from '../ir';
import { editBetween, lowerStatement, type CallIds, type DocumentCache } from './reuse';

type CallExpr = Extract<Expr, { k: 'call' }>;

/** Array methods whose callback runs once per element: a call inside runs N times. */
const ITERATING_METHODS = new Set(['map', 'forEach', 'flatMap', 'filter', 'reduce', 'some', 'every', 'find']);

export function scriptKindFor(path: string): ts.ScriptKind {
  const lower = path.toLowerCase();
  if (lower.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (lower.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.(m|c)?js$/.test(lower)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

type Context = LowerContext;

/** The TypeScript parser recurses per nesting level and overflows the stack at about 700–800. */
export const MAX_TS_NESTING = 500;

/**
 * With a `cache` (an open document in the editor), the source is re-parsed incrementally and
 * top-level statements the edit did not touch are not lowered again; the IR is the same.
 */
export function lowerTypeScript(path: string, text: string, cache?: DocumentCache): FileIR {
  const depth = bracketDepth(text);
  if (depth > MAX_TS_NESTING) {
    cache?.reset();
    throw new Error(`brackets nest ${depth} levels deep (limit ${MAX_TS_NESTING}): too deep to parse safely, file skipped`);
  }
  if (!cache) return new Lowerer(parse(path, text)).run();
  try {
    const sf = parseIncrementally(path, text, cache);
    return new Lowerer(sf).run(cache);
  } catch (err) {
    cache.reset();
    throw err;
  }
}

function parse(path: string, text: string): ts.SourceFile {
  return ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, scriptKindFor(path));
}

/** `ts.updateSourceFile` reuses the old tree's nodes outside the changed span (and invalidates the old tree). */
function parseIncrementally(path: string, text: string, cache: DocumentCache): ts.SourceFile {
  const previous = cache.typescript?.path === path ? (cache.typescript.sourceFile as ts.SourceFile) : null;
  cache.typescript = null;
  let sf: ts.SourceFile;
  if (previous) {
    const edit = editBetween(previous.text, text);
    const change = { span: { start: edit.startIndex, length: edit.oldEndIndex - edit.startIndex }, newLength: edit.newEndIndex - edit.startIndex };
    sf = ts.updateSourceFile(previous, text, change);
  } else {
    sf = parse(path, text);
  }
  cache.typescript = { path, sourceFile: sf };
  return sf;
}

class Lowerer {
  private readonly ir: FileIR = { language: 'typescript', scopes: [], bindings: [], calls: [], syntaxErrors: [] };
  private readonly exprs = new Map<ts.Node, Expr>();
  private readonly callIds: CallIds = { next: 0 };

  constructor(private readonly sf: ts.SourceFile) {}

  run(cache?: DocumentCache): FileIR {
    const diagnostics = (this.sf as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
    for (const d of diagnostics) {
      this.ir.syntaxErrors.push({
        span: { start: d.start, end: d.start + d.length },
        message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
      });
    }
    const module = this.addScope({ kind: 'module', name: '<module>', parent: null, span: this.span(this.sf), params: [], decorators: [], returns: [] });
    const ctx: Context = { scope: module, loops: [], tries: [], enclosingCalls: [] };
    if (!cache) {
      this.sf.statements.forEach((s) => this.visit(s, ctx));
      return this.ir;
    }
    for (const statement of this.sf.statements) {
      const start = statement.getStart(this.sf);
      // A statement with syntax errors is lowered afresh: its shape depends on what is around it.
      const broken = diagnostics.some((d) => d.start < statement.end && d.start + d.length >= statement.pos);
      const key = broken ? null : this.sf.text.slice(start, statement.end);
      lowerStatement(cache, this.ir, this.callIds, key, start, () => this.visit(statement, ctx));
    }
    cache.commit();
    return this.ir;
  }

  private span(node: ts.Node): Span {
    return { start: node.getStart(this.sf), end: node.getEnd() };
  }

  private addScope(scope: Scope): number {
    this.ir.scopes.push(scope);
    return this.ir.scopes.length - 1;
  }

  private visit(node: ts.Node, ctx: Context): void {
    if (ts.isImportDeclaration(node)) return this.visitImport(node, ctx);
    if (ts.isExportDeclaration(node)) return this.visitReExport(node, ctx);
    if (ts.isVariableDeclaration(node)) this.bindVariable(node, ctx);
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) this.bindAssignment(node, ctx);
    if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) return this.visitClass(node, ctx);
    if (ts.isEnumDeclaration(node)) return this.bindEnum(node, ctx);
    if (isFunctionLike(node)) return this.visitFunction(node, ctx, false);
    if (isLoop(node)) return this.visitLoop(node, ctx);
    if (ts.isTryStatement(node)) return this.visitTry(node, ctx);
    if (ts.isReturnStatement(node) && node.expression) this.ir.scopes[ctx.scope].returns.push(this.expr(node.expression));
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) return this.visitCall(node, ctx);
    ts.forEachChild(node, (child) => this.visit(child, ctx));
  }

  private visitImport(node: ts.ImportDeclaration, ctx: Context): void {
    if (!ts.isStringLiteral(node.moduleSpecifier) || !node.importClause) return;
    const module = node.moduleSpecifier.text;
    const at = node.getStart(this.sf);
    const clause = node.importClause;
    if (clause.name) this.ir.bindings.push({ kind: 'import', scope: ctx.scope, name: clause.name.text, module, imported: 'default', at });
    const named = clause.namedBindings;
    if (named && ts.isNamespaceImport(named)) {
      this.ir.bindings.push({ kind: 'import', scope: ctx.scope, name: named.name.text, module, imported: null, at });
    } else if (named) {
      for (const el of named.elements) {
        const imported = (el.propertyName ?? el.name).text;
        this.ir.bindings.push({ kind: 'import', scope: ctx.scope, name: el.name.text, module, imported, at });
      }
    }
  }

  /** `export { A, B as C } from './x'` binds like an import; `export * from './x'` is remembered. */
  private visitReExport(node: ts.ExportDeclaration, ctx: Context): void {
    if (!node.moduleSpecifier || !ts.isStringLiteral(node.moduleSpecifier)) return;
    const module = node.moduleSpecifier.text;
    const clause = node.exportClause;
    if (!clause) {
      (this.ir.starExports ??= []).push(module);
      return;
    }
    if (!ts.isNamedExports(clause)) return;
    for (const el of clause.elements) {
      this.ir.bindings.push({ kind: 'import', scope: ctx.scope, name: el.name.text, module, imported: (el.propertyName ?? el.name).text, at: el.getStart(this.sf) });
    }
  }

  private bindVariable(node: ts.VariableDeclaration, ctx: Context): void {
    const at = node.getStart(this.sf);
    const init = node.initializer ? unwrap(node.initializer) : undefined;
    const required = init ? requiredModule(init) : null;
    if (ts.isIdentifier(node.name)) {
      const name = node.name.text;
      if (required !== null) {
        this.ir.bindings.push({ kind: 'import', scope: ctx.scope, name, module: required, imported: null, at });
      } else if (node.initializer) {
        this.ir.bindings.push({ kind: 'assign', scope: ctx.scope, name, value: this.expr(node.initializer), at });
      } else if (node.type) {
        this.bindTyped(name, node.type, ctx.scope, at, 'assign');
      }
      return;
    }
    if (ts.isObjectBindingPattern(node.name)) {
      for (const el of node.name.elements) {
        if (!ts.isIdentifier(el.name)) continue;
        const key = el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : el.name.text;
        if (required !== null) {
          this.ir.bindings.push({ kind: 'import', scope: ctx.scope, name: el.name.text, module: required, imported: key, at });
        } else if (node.initializer) {
          const value: Expr = { k: 'attr', span: this.span(el), object: this.expr(node.initializer), name: key };
          this.ir.bindings.push({ kind: 'assign', scope: ctx.scope, name: el.name.text, value, at });
        }
      }
    }
  }

  private typedCall(type: ts.TypeReferenceNode): CallExpr {
    return { k: 'call', span: this.span(type), callee: this.entityName(type.typeName), args: [], isNew: true, callId: -1 };
  }

  /** `client: OpenAI` with no value: treat the name as an instance of the annotated class. */
  private bindTyped(name: string, type: ts.TypeNode, scope: number, at: number, kind: 'assign' | 'member'): void {
    if (!ts.isTypeReferenceNode(type)) return;
    const value = this.typedCall(type);
    if (kind === 'assign') this.ir.bindings.push({ kind, scope, name, value, at });
    else this.ir.bindings.push({ kind, scope, name, value, at, valueScope: scope });
  }

  private entityName(name: ts.EntityName): Expr {
    if (ts.isIdentifier(name)) return { k: 'name', span: this.span(name), name: name.text };
    return { k: 'attr', span: this.span(name), object: this.entityName(name.left), name: name.right.text };
  }

  private bindAssignment(node: ts.BinaryExpression, ctx: Context): void {
    const target = unwrap(node.left);
    const at = node.getStart(this.sf);
    const value = this.expr(node.right);
    if (ts.isIdentifier(target)) {
      this.ir.bindings.push({ kind: 'assign', scope: ctx.scope, name: target.text, value, at });
      return;
    }
    if (ts.isPropertyAccessExpression(target) && target.expression.kind === ts.SyntaxKind.ThisKeyword) {
      this.ir.bindings.push({ kind: 'member', scope: this.classScopeOf(ctx.scope), name: target.name.text, value, at, valueScope: ctx.scope });
      return;
    }
    const key = propertyKey(target);
    const object = ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target) ? unwrap(target.expression) : null;
    if (key !== null && object && ts.isIdentifier(object)) {
      this.ir.bindings.push({ kind: 'setkey', scope: ctx.scope, name: object.text, key, value, at });
    }
  }

  private classScopeOf(scope: number): number {
    for (let s: number | null = scope; s !== null; s = this.ir.scopes[s].parent) {
      if (this.ir.scopes[s].kind === 'class') return s;
    }
    return scope;
  }

  /** `enum Models { Fast = 'gpt-4o-mini' }`: `Models.Fast` reads like a constant object's key. */
  private bindEnum(node: ts.EnumDeclaration, ctx: Context): void {
    const entries = node.members.flatMap((m) =>
      ts.isIdentifier(m.name) && m.initializer ? [{ key: m.name.text, value: this.expr(m.initializer), keySpan: this.span(m.name) }] : [],
    );
    this.ir.bindings.push({ kind: 'assign', scope: ctx.scope, name: node.name.text, value: { k: 'dict', span: this.span(node), entries }, at: node.getStart(this.sf) });
  }

  private visitClass(node: ts.ClassLikeDeclaration, ctx: Context): void {
    const scope = this.addScope({
      kind: 'class',
      name: node.name?.text ?? '<class>',
      parent: ctx.scope,
      span: this.span(node),
      params: [],
      decorators: [],
      returns: [],
    });
    const inner: Context = { scope, loops: [], tries: [], enclosingCalls: [] };
    for (const member of node.members) {
      if (ts.isPropertyDeclaration(member) && ts.isIdentifier(member.name)) {
        const at = member.getStart(this.sf);
        if (member.initializer) {
          this.ir.bindings.push({ kind: 'member', scope, name: member.name.text, value: this.expr(member.initializer), at, valueScope: scope });
        } else if (member.type) {
          this.bindTyped(member.name.text, member.type, scope, at, 'member');
        }
      }
      const scopesBefore = this.ir.scopes.length;
      this.visit(member, inner);
      if (ts.isConstructorDeclaration(member)) this.bindParameterProperties(member, scope, scopesBefore);
    }
  }

  /** `constructor(private client: OpenAI, private model = 'gpt-4o-mini')`: `this.client`, `this.model`. */
  private bindParameterProperties(ctor: ts.ConstructorDeclaration, classScope: number, ctorScope: number): void {
    for (const p of ctor.parameters) {
      const isProperty = ts.getModifiers(p)?.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.PublicKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword || m.kind === ts.SyntaxKind.ReadonlyKeyword);
      if (!isProperty || !ts.isIdentifier(p.name)) continue;
      const at = p.getStart(this.sf);
      if (p.initializer) {
        // The caller may pass another value: the default is a fallback, read through the parameter.
        const value: Expr = { k: 'name', span: this.span(p.name), name: p.name.text };
        this.ir.bindings.push({ kind: 'member', scope: classScope, name: p.name.text, value, at, valueScope: ctorScope });
      } else if (p.type) {
        this.bindTyped(p.name.text, p.type, classScope, at, 'member');
      }
    }
  }

  private visitFunction(node: ts.SignatureDeclaration, ctx: Context, inline: boolean): void {
    const params: Param[] = [];
    const name = functionName(node);
    const scope = this.addScope({
      kind: 'function',
      name,
      parent: ctx.scope,
      span: this.span(node),
      params,
      decorators: (ts.canHaveDecorators(node) ? ts.getDecorators(node) ?? [] : []).map((d) => this.expr(d.expression)),
      returns: [],
      returnType: node.type && ts.isTypeReferenceNode(node.type) ? this.typedCall(node.type) : undefined,
    });
    if (!name.startsWith('<')) this.ir.bindings.push({ kind: 'function', scope: ctx.scope, name, fnScope: scope, at: node.getStart(this.sf) });
    const bodyNode = (node as ts.FunctionLikeDeclaration).body;
    if (bodyNode && !ts.isBlock(bodyNode)) this.ir.scopes[scope].returns.push(this.expr(bodyNode));
    for (const p of node.parameters) {
      if (!ts.isIdentifier(p.name)) continue;
      params.push({ name: p.name.text, default: p.initializer ? this.expr(p.initializer) : undefined });
      if (p.type && !p.initializer) this.bindTyped(p.name.text, p.type, scope, p.getStart(this.sf), 'assign');
    }
    // A callback passed straight into a call runs where the call is: it keeps the loops and
    // try blocks around it. A named function runs wherever it is called, so it starts afresh.
    const inner: Context = inline ? { ...ctx, scope } : { scope, loops: [], tries: [], enclosingCalls: [] };
    const body = (node as ts.FunctionLikeDeclaration).body;
    if (body) this.visit(body, inner);
  }

  private visitLoop(node: ts.IterationStatement, ctx: Context): void {
    const loop = this.loopInfo(node);
    if (ts.isForOfStatement(node) || ts.isForInStatement(node)) {
      this.visit(node.expression, ctx);
      this.bindLoopVariable(node.initializer, node.expression, ctx);
    } else if (ts.isForStatement(node)) {
      if (node.initializer) this.visit(node.initializer, ctx);
    }
    this.visit(node.statement, { ...ctx, loops: [loop, ...ctx.loops] });
  }

  private bindLoopVariable(init: ts.ForInitializer, iterable: ts.Expression, ctx: Context): void {
    if (!ts.isVariableDeclarationList(init)) return;
    for (const d of init.declarations) {
      if (ts.isIdentifier(d.name)) {
        this.ir.bindings.push({ kind: 'opaque', scope: ctx.scope, name: d.name.text, at: d.getStart(this.sf), iterable: this.expr(iterable) });
      }
    }
  }

  private loopInfo(node: ts.IterationStatement): Loop {
    let infinite = false;
    let tripCount: number | null = null;
    let iterable: string | null = null;
    if (ts.isWhileStatement(node) || ts.isDoStatement(node)) {
      infinite = node.expression.kind === ts.SyntaxKind.TrueKeyword;
    } else if (ts.isForStatement(node)) {
      infinite = !node.condition || node.condition.kind === ts.SyntaxKind.TrueKeyword;
      tripCount = forStatementTripCount(node);
    } else if (ts.isForOfStatement(node) || ts.isForInStatement(node)) {
      const it = unwrap(node.expression);
      iterable = it.getText(this.sf);
      if (ts.isArrayLiteralExpression(it)) tripCount = it.elements.length;
    }
    const kind = ts.isWhileStatement(node) || ts.isDoStatement(node) ? 'while' : 'for';
    return { kind, span: this.span(node), infinite, hasExit: hasLoopExit(node.statement), tripCount, iterable, header: null };
  }

  private visitTry(node: ts.TryStatement, ctx: Context): void {
    const handler = node.catchClause;
    const tryCtx: TryContext = {
      span: this.span(node),
      catches: handler ? ['*'] : [],
      handlerText: handler ? handler.getText(this.sf) : '',
    };
    this.visit(node.tryBlock, handler ? { ...ctx, tries: [tryCtx, ...ctx.tries] } : ctx);
    if (handler) this.visit(handler, ctx);
    if (node.finallyBlock) this.visit(node.finallyBlock, ctx);
  }

  private visitCall(node: ts.CallExpression | ts.NewExpression, ctx: Context): void {
    const call = this.expr(node) as CallExpr;
    const parent = skipParens(node.parent);
    this.ir.calls.push(callInfo(call, ctx, parent !== undefined && ts.isAwaitExpression(parent)));
    this.visit(node.expression, ctx);
    const callback = this.callbackLoop(node);
    const argCtx: Context = { ...ctx, enclosingCalls: [call, ...ctx.enclosingCalls] };
    for (const arg of node.arguments ?? []) {
      const fn = unwrap(arg);
      if (isFunctionLike(fn)) {
        this.visitFunction(fn, callback ? { ...argCtx, loops: [callback, ...ctx.loops] } : argCtx, true);
      } else {
        this.visit(arg, argCtx);
      }
    }
  }

  /** `items.map(async (x) => …)`: the callback is a loop over `items`. */
  private callbackLoop(node: ts.CallExpression | ts.NewExpression): Loop | null {
    const callee = unwrap(node.expression);
    if (!ts.isPropertyAccessExpression(callee) || !ITERATING_METHODS.has(callee.name.text)) return null;
    const receiver = unwrap(callee.expression);
    return {
      kind: 'callback',
      span: this.span(node),
      infinite: false,
      hasExit: false,
      tripCount: ts.isArrayLiteralExpression(receiver) ? receiver.elements.length : null,
      iterable: callee.getText(this.sf),
      header: null,
    };
  }

  private expr(node: ts.Node): Expr {
    const cached = this.exprs.get(node);
    if (cached) return cached;
    const e = this.convert(node);
    this.exprs.set(node, e);
    return e;
  }

  private convert(node: ts.Node): Expr {
    const span = this.span(node);
    if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isNonNullExpression(node) || ts.isTypeAssertionExpression(node) || ts.isAwaitExpression(node)) {
      return this.expr(node.expression);
    }
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return { k: 'str', span, value: node.text };
    if (ts.isTemplateExpression(node)) {
      const parts: Array<string | Expr> = [node.head.text];
      for (const s of node.templateSpans) parts.push(this.expr(s.expression), s.literal.text);
      return { k: 'tpl', span, parts };
    }
    if (ts.isNumericLiteral(node)) return { k: 'num', span, value: Number(node.text) };
    if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(node.operand)) {
      return { k: 'num', span, value: -Number(node.operand.text) };
    }
    if (node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword) {
      return { k: 'bool', span, value: node.kind === ts.SyntaxKind.TrueKeyword };
    }
    if (node.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(node) && node.text === 'undefined')) return { k: 'none', span };
    if (ts.isIdentifier(node)) return { k: 'name', span, name: node.text };
    if (node.kind === ts.SyntaxKind.ThisKeyword) return { k: 'name', span, name: 'this' };
    if (ts.isPropertyAccessExpression(node)) return { k: 'attr', span, object: this.expr(node.expression), name: node.name.text };
    if (ts.isElementAccessExpression(node)) {
      const key = propertyKey(node);
      if (key !== null) return { k: 'attr', span, object: this.expr(node.expression), name: key };
      return { k: 'index', span, object: this.expr(node.expression), index: this.expr(node.argumentExpression) };
    }
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const args: Arg[] = (node.arguments ?? []).map((a) =>
        ts.isSpreadElement(a) ? { value: this.expr(a.expression), spread: 'list' as const } : { value: this.expr(a) },
      );
      return { k: 'call', span, callee: this.expr(node.expression), args, isNew: ts.isNewExpression(node), callId: this.callIds.next++ };
    }
    if (ts.isTaggedTemplateExpression(node)) {
      return { k: 'call', span, callee: this.expr(node.tag), args: [{ value: this.expr(node.template) }], isNew: false, callId: this.callIds.next++ };
    }
    if (ts.isObjectLiteralExpression(node)) return { k: 'dict', span, entries: node.properties.map((p) => this.entry(p)) };
    if (ts.isArrayLiteralExpression(node)) {
      return { k: 'list', span, items: node.elements.filter((e) => !ts.isSpreadElement(e)).map((e) => this.expr(e)) };
    }
    if (ts.isBinaryExpression(node)) {
      return { k: 'binop', span, op: node.operatorToken.getText(this.sf), left: this.expr(node.left), right: this.expr(node.right) };
    }
    if (ts.isConditionalExpression(node)) {
      return { k: 'binop', span, op: '?:', left: this.expr(node.whenTrue), right: this.expr(node.whenFalse) };
    }
    if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) {
      // The body is lowered by the walk; the expression only needs to say "a function".
      return { k: 'other', span };
    }
    return { k: 'other', span };
  }

  private entry(p: ts.ObjectLiteralElementLike): DictEntry {
    if (ts.isSpreadAssignment(p)) return { spread: this.expr(p.expression) };
    if (ts.isShorthandPropertyAssignment(p)) {
      return { key: p.name.text, value: { k: 'name', span: this.span(p.name), name: p.name.text }, keySpan: this.span(p.name) };
    }
    if (ts.isPropertyAssignment(p)) {
      const key = ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) || ts.isNumericLiteral(p.name) ? p.name.text : null;
      if (key !== null) return { key, value: this.expr(p.initializer), keySpan: this.span(p.name) };
      return { computed: true, value: this.expr(p.initializer) };
    }
    return { computed: true, value: { k: 'other', span: this.span(p) } };
  }
}

function unwrap(node: ts.Expression): ts.Expression {
  let n = node;
  while (ts.isParenthesizedExpression(n) || ts.isAsExpression(n) || ts.isNonNullExpression(n) || ts.isAwaitExpression(n) || ts.isSatisfiesExpression(n) || ts.isTypeAssertionExpression(n)) {
    n = n.expression;
  }
  return n;
}

function skipParens(node: ts.Node | undefined): ts.Node | undefined {
  let n = node;
  while (n && ts.isParenthesizedExpression(n)) n = n.parent;
  return n;
}

/** `require('openai')` → 'openai'; `await import('openai')` → 'openai'. */
function requiredModule(node: ts.Expression): string | null {
  if (!ts.isCallExpression(node) || node.arguments.length !== 1 || !ts.isStringLiteral(node.arguments[0])) return null;
  const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
  const isImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
  return isRequire || isImport ? node.arguments[0].text : null;
}

function propertyKey(node: ts.Expression): string | null {
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  if (ts.isElementAccessExpression(node) && (ts.isStringLiteral(node.argumentExpression) || ts.isNoSubstitutionTemplateLiteral(node.argumentExpression))) {
    return node.argumentExpression.text;
  }
  return null;
}

function isFunctionLike(node: ts.Node): node is ts.SignatureDeclaration {
  return ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node);
}

function isLoop(node: ts.Node): node is ts.IterationStatement {
  return ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node);
}

function functionName(node: ts.SignatureDeclaration): string {
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  if (node.name && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name))) return node.name.text;
  // `const summarize = async () => …` and `{ summarize: () => … }` take the name they are bound to.
  const parent = node.parent;
  if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) && ts.isIdentifier(parent.name)) return parent.name.text;
  return ts.isArrowFunction(node) ? '<arrow>' : '<function>';
}

/** `for (let i = 0; i < 10; i++)` → 10. */
function forStatementTripCount(node: ts.ForStatement): number | null {
  const init = node.initializer;
  const cond = node.condition;
  if (!init || !cond || !ts.isVariableDeclarationList(init) || init.declarations.length !== 1) return null;
  const start = init.declarations[0].initializer;
  if (!start || !ts.isNumericLiteral(start) || !ts.isBinaryExpression(cond) || !ts.isNumericLiteral(cond.right)) return null;
  const from = Number(start.text);
  const to = Number(cond.right.text);
  if (cond.operatorToken.kind === ts.SyntaxKind.LessThanToken) return Math.max(0, to - from);
  if (cond.operatorToken.kind === ts.SyntaxKind.LessThanEqualsToken) return Math.max(0, to - from + 1);
  return null;
}

/** A `break`, `return` or `throw` that leaves this loop (nested functions and inner loops' breaks excluded). */
function hasLoopExit(body: ts.Statement): boolean {
  let found = false;
  const walk = (node: ts.Node, inInnerLoop: boolean): void => {
    if (found || isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isReturnStatement(node) || ts.isThrowStatement(node)) found = true;
    else if (ts.isBreakStatement(node) && (!inInnerLoop || node.label)) found = true;
    const inner = inInnerLoop || isLoop(node) || ts.isSwitchStatement(node);
    ts.forEachChild(node, (c) => walk(c, inner));
  };
  walk(body, false);
  return found;
}

/** Deepest bracket nesting, counted naively (brackets inside strings count too: a cheap upper bound). */
function bracketDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) {
      depth++;
      if (depth > max) max = depth;
    } else if ((c === 41 || c === 93 || c === 125) && depth > 0) {
      depth--;
    }
  }
  return max;
}
