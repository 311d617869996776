/**
 * TypeScript / JavaScript front end: lowers a TypeScript compiler AST into the FileIR.
 * `typescript.createSourceFile` only parses (no type checker, no program), which keeps it fast and lets it
 * recover from syntax errors mid-edit with a partial tree.
 */
import type * as ts from 'typescript';
import { callInfo, type Arg, type DictEntry, type Expr, type FileIR, type LowerContext, type Loop, type Param, type Scope, type Span, type TryContext } from '../ir';
import { editBetween, lowerStatement, type CallIds, type DocumentCache } from './reuse';

type CallExpr = Extract<Expr, { k: 'call' }>;

/**
 * The TypeScript compiler (9 MB of JavaScript, ~0.2 s to load) is required on the first TS or JS
 * file, not at start-up: a Python-only scan, a fully cached run and the language server's start
 * never pay for it. The build ships it as a separate file next to the bundles (scripts/build.mjs).
 */
let typescript: typeof ts;
// eslint-disable-next-line @typescript-eslint/no-require-imports
let loader: () => typeof ts = () => require('typescript') as typeof ts;

/**
 * How the compiler is loaded, set once by the host before the first TS file (node/typescriptLoader.ts
 * keeps a V8 code cache of it; the core does no IO itself).
 */
export function setTypeScriptLoader(load: () => typeof ts): void {
  loader = load;
}

function loadTypeScript(): void {
  if (typescript) return;
  typescript = loader();
  roles = nodeRoles(typescript.SyntaxKind);
}

/**
 * What the lowering does with a node, by `node.kind`: one array read per node instead of a dozen
 * `ts.isX` calls (the walk visits every node of every file that mentions an SDK).
 */
const enum Role {
  None,
  Await,
  Variable,
  Property,
  Import,
  Export,
  Binary,
  Class,
  Enum,
  Function,
  Loop,
  Try,
  Return,
  Call,
  /** Wrappers whose value is their operand's: `(x)`, `x as T`, `x!`, `<T>x`, `x satisfies T`, `await x`. */
  Transparent,
  TaggedTemplate,
  /** Types (annotations, interfaces, aliases, type parameters): no call or value in them, nothing to walk. */
  Type,
}

let roles: Uint8Array;

function nodeRoles(K: typeof ts.SyntaxKind): Uint8Array {
  const table = new Uint8Array(K.Count);
  const set = (role: Role, ...kinds: ts.SyntaxKind[]) => kinds.forEach((k) => (table[k] = role));
  for (let k = K.FirstTypeNode; k <= K.LastTypeNode; k++) table[k] = Role.Type;
  set(Role.Type, K.InterfaceDeclaration, K.TypeAliasDeclaration, K.TypeParameter);
  set(Role.Variable, K.VariableDeclaration);
  set(Role.Property, K.PropertyAssignment);
  set(Role.Import, K.ImportDeclaration);
  set(Role.Export, K.ExportDeclaration);
  set(Role.Binary, K.BinaryExpression);
  set(Role.Class, K.ClassDeclaration, K.ClassExpression);
  set(Role.Enum, K.EnumDeclaration);
  set(Role.Function, K.FunctionDeclaration, K.FunctionExpression, K.ArrowFunction, K.MethodDeclaration, K.Constructor, K.GetAccessor, K.SetAccessor);
  set(Role.Loop, K.ForStatement, K.ForOfStatement, K.ForInStatement, K.WhileStatement, K.DoStatement);
  set(Role.Try, K.TryStatement);
  set(Role.Return, K.ReturnStatement);
  set(Role.Call, K.CallExpression, K.NewExpression);
  set(Role.Transparent, K.ParenthesizedExpression, K.AsExpression, K.SatisfiesExpression, K.NonNullExpression, K.TypeAssertionExpression);
  set(Role.Await, K.AwaitExpression);
  set(Role.TaggedTemplate, K.TaggedTemplateExpression);
  return table;
}

/** Array methods whose callback runs once per element: a call inside runs N times. */
const ITERATING_METHODS = new Set(['map', 'forEach', 'flatMap', 'filter', 'reduce', 'some', 'every', 'find']);

export function scriptKindFor(path: string): ts.ScriptKind {
  loadTypeScript();
  const lower = path.toLowerCase();
  if (lower.endsWith('.tsx')) return typescript.ScriptKind.TSX;
  if (lower.endsWith('.jsx')) return typescript.ScriptKind.JSX;
  if (/\.(m|c)?js$/.test(lower)) return typescript.ScriptKind.JS;
  return typescript.ScriptKind.TS;
}

type Context = LowerContext;

/** The TypeScript parser recurses per nesting level and overflows the stack at about 700–800. */
export const MAX_TS_NESTING = 500;

/**
 * With a `cache` (an open document in the editor), the source is re-parsed incrementally and
 * top-level statements the edit did not touch are not lowered again; the IR is the same.
 */
export function lowerTypeScript(path: string, text: string, cache?: DocumentCache): FileIR {
  loadTypeScript();
  const depth = bracketDepth(text);
  if (depth > MAX_TS_NESTING) {
    cache?.reset();
    throw new Error(`brackets nest ${depth} levels deep (limit ${MAX_TS_NESTING}): too deep to parse safely, file skipped`);
  }
  try {
    if (!cache) return new Lowerer(parse(path, text)).run();
    const sf = parseIncrementally(path, text, cache);
    return new Lowerer(sf).run(cache);
  } catch (err) {
    cache?.reset();
    // The parser and the lowering recurse per level of syntax, brackets or not: `a + a + …`,
    // `if (x) if (x) …`, `x => x => …`, JSX elements. Say so rather than "Maximum call stack size exceeded".
    if (err instanceof RangeError && /call stack/i.test(err.message)) throw new Error('the code nests too deeply to parse safely (very long operator, `else if` or call chains count as nesting), file skipped');
    throw err;
  }
}

/**
 * A one-off parse skips JSDoc and parent pointers (the lowering reads neither; setting parents is
 * ~30% of the parse). The incremental parser needs parents, so an open document's tree has them.
 */
function parse(path: string, text: string, withParents = false): ts.SourceFile {
  const options = { languageVersion: typescript.ScriptTarget.Latest, jsDocParsingMode: typescript.JSDocParsingMode.ParseNone };
  return typescript.createSourceFile(path, text, options, withParents, scriptKindFor(path));
}

/** `typescript.updateSourceFile` reuses the old tree's nodes outside the changed span (and invalidates the old tree). */
function parseIncrementally(path: string, text: string, cache: DocumentCache): ts.SourceFile {
  const previous = cache.typescript?.path === path ? (cache.typescript.sourceFile as ts.SourceFile) : null;
  cache.typescript = null;
  let sf: ts.SourceFile;
  if (previous) {
    const edit = editBetween(previous.text, text);
    const change = { span: { start: edit.startIndex, length: edit.oldEndIndex - edit.startIndex }, newLength: edit.newEndIndex - edit.startIndex };
    sf = typescript.updateSourceFile(previous, text, change);
  } else {
    sf = parse(path, text, true);
  }
  cache.typescript = { path, sourceFile: sf };
  return sf;
}

class Lowerer {
  private readonly ir: FileIR = { language: 'typescript', scopes: [], bindings: [], calls: [], syntaxErrors: [] };
  private readonly exprs = new Map<ts.Node, Expr>();
  /** Calls directly under an `await` (through parentheses). */
  private readonly awaited = new Set<ts.Node>();
  /** Initializers of variables and properties, with the name they are bound to. */
  private readonly boundNames = new Map<ts.Node, string>();
  private readonly callIds: CallIds = { next: 0 };

  constructor(private readonly sf: ts.SourceFile) {}

  run(cache?: DocumentCache): FileIR {
    const diagnostics = (this.sf as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
    for (const d of diagnostics) {
      this.ir.syntaxErrors.push({
        span: { start: d.start, end: d.start + d.length },
        message: typescript.flattenDiagnosticMessageText(d.messageText, '\n'),
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
    // What a child needs to know about its parent, noted on the way down (trees have no parent pointers).
    switch (roles[node.kind] as Role) {
      case Role.Await:
        this.awaited.add(skipParens((node as ts.AwaitExpression).expression));
        break;
      case Role.Variable:
        this.noteBoundName(node as ts.VariableDeclaration);
        this.bindVariable(node as ts.VariableDeclaration, ctx);
        break;
      case Role.Property:
        this.noteBoundName(node as ts.PropertyAssignment);
        break;
      case Role.Import:
        return this.visitImport(node as ts.ImportDeclaration, ctx);
      case Role.Export:
        return this.visitReExport(node as ts.ExportDeclaration, ctx);
      case Role.Binary:
        if ((node as ts.BinaryExpression).operatorToken.kind === typescript.SyntaxKind.EqualsToken) this.bindAssignment(node as ts.BinaryExpression, ctx);
        break;
      case Role.Class:
        return this.visitClass(node as ts.ClassLikeDeclaration, ctx);
      case Role.Enum:
        return this.bindEnum(node as ts.EnumDeclaration, ctx);
      case Role.Function:
        return this.visitFunction(node as ts.SignatureDeclaration, ctx, false);
      case Role.Loop:
        return this.visitLoop(node as ts.IterationStatement, ctx);
      case Role.Try:
        return this.visitTry(node as ts.TryStatement, ctx);
      case Role.Return: {
        const value = (node as ts.ReturnStatement).expression;
        if (value) this.ir.scopes[ctx.scope].returns.push(this.expr(value));
        break;
      }
      case Role.Call:
        return this.visitCall(node as ts.CallExpression | ts.NewExpression, ctx);
      case Role.Type:
        return;
    }
    typescript.forEachChild(node, this.visitorIn(ctx));
  }

  private lastContext: Context | null = null;
  private lastVisitor: (child: ts.Node) => void = () => undefined;

  /** `(child) => this.visit(child, ctx)`, made once per run of siblings in one context rather than once per node. */
  private visitorIn(ctx: Context): (child: ts.Node) => void {
    if (ctx !== this.lastContext) {
      this.lastContext = ctx;
      this.lastVisitor = (child) => this.visit(child, ctx);
    }
    return this.lastVisitor;
  }

  private noteBoundName(node: ts.VariableDeclaration | ts.PropertyAssignment): void {
    if (node.initializer && typescript.isIdentifier(node.name)) this.boundNames.set(node.initializer, node.name.text);
  }

  private visitImport(node: ts.ImportDeclaration, ctx: Context): void {
    if (!typescript.isStringLiteral(node.moduleSpecifier) || !node.importClause) return;
    const module = node.moduleSpecifier.text;
    const at = node.getStart(this.sf);
    const clause = node.importClause;
    if (clause.name) this.ir.bindings.push({ kind: 'import', scope: ctx.scope, name: clause.name.text, module, imported: 'default', at });
    const named = clause.namedBindings;
    if (named && typescript.isNamespaceImport(named)) {
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
    if (!node.moduleSpecifier || !typescript.isStringLiteral(node.moduleSpecifier)) return;
    const module = node.moduleSpecifier.text;
    const clause = node.exportClause;
    if (!clause) {
      (this.ir.starExports ??= []).push(module);
      return;
    }
    if (!typescript.isNamedExports(clause)) return;
    for (const el of clause.elements) {
      this.ir.bindings.push({ kind: 'import', scope: ctx.scope, name: el.name.text, module, imported: (el.propertyName ?? el.name).text, at: el.getStart(this.sf) });
    }
  }

  private bindVariable(node: ts.VariableDeclaration, ctx: Context): void {
    const at = node.getStart(this.sf);
    const init = node.initializer ? unwrap(node.initializer) : undefined;
    const required = init ? requiredModule(init) : null;
    if (typescript.isIdentifier(node.name)) {
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
    if (typescript.isObjectBindingPattern(node.name)) {
      for (const el of node.name.elements) {
        if (!typescript.isIdentifier(el.name)) continue;
        const key = el.propertyName && typescript.isIdentifier(el.propertyName) ? el.propertyName.text : el.name.text;
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
    if (!typescript.isTypeReferenceNode(type)) return;
    const value = this.typedCall(type);
    if (kind === 'assign') this.ir.bindings.push({ kind, scope, name, value, at });
    else this.ir.bindings.push({ kind, scope, name, value, at, valueScope: scope });
  }

  private entityName(name: ts.EntityName): Expr {
    if (typescript.isIdentifier(name)) return { k: 'name', span: this.span(name), name: name.text };
    return { k: 'attr', span: this.span(name), object: this.entityName(name.left), name: name.right.text };
  }

  private bindAssignment(node: ts.BinaryExpression, ctx: Context): void {
    const target = unwrap(node.left);
    const at = node.getStart(this.sf);
    const value = this.expr(node.right);
    if (typescript.isIdentifier(target)) {
      this.ir.bindings.push({ kind: 'assign', scope: ctx.scope, name: target.text, value, at });
      return;
    }
    if (typescript.isPropertyAccessExpression(target) && target.expression.kind === typescript.SyntaxKind.ThisKeyword) {
      this.ir.bindings.push({ kind: 'member', scope: this.classScopeOf(ctx.scope), name: target.name.text, value, at, valueScope: ctx.scope });
      return;
    }
    const key = propertyKey(target);
    const object = typescript.isPropertyAccessExpression(target) || typescript.isElementAccessExpression(target) ? unwrap(target.expression) : null;
    if (key !== null && object && typescript.isIdentifier(object)) {
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
      typescript.isIdentifier(m.name) && m.initializer ? [{ key: m.name.text, value: this.expr(m.initializer), keySpan: this.span(m.name) }] : [],
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
      if (typescript.isPropertyDeclaration(member) && typescript.isIdentifier(member.name)) {
        const at = member.getStart(this.sf);
        if (member.initializer) {
          this.ir.bindings.push({ kind: 'member', scope, name: member.name.text, value: this.expr(member.initializer), at, valueScope: scope });
        } else if (member.type) {
          this.bindTyped(member.name.text, member.type, scope, at, 'member');
        }
      }
      const scopesBefore = this.ir.scopes.length;
      this.visit(member, inner);
      if (typescript.isConstructorDeclaration(member)) this.bindParameterProperties(member, scope, scopesBefore);
    }
  }

  /** `constructor(private client: OpenAI, private model = 'gpt-4o-mini')`: `this.client`, `this.model`. */
  private bindParameterProperties(ctor: ts.ConstructorDeclaration, classScope: number, ctorScope: number): void {
    for (const p of ctor.parameters) {
      const isProperty = typescript.getModifiers(p)?.some((m) => m.kind === typescript.SyntaxKind.PrivateKeyword || m.kind === typescript.SyntaxKind.PublicKeyword || m.kind === typescript.SyntaxKind.ProtectedKeyword || m.kind === typescript.SyntaxKind.ReadonlyKeyword);
      if (!isProperty || !typescript.isIdentifier(p.name)) continue;
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
    const name = functionName(node, this.boundNames.get(node));
    const scope = this.addScope({
      kind: 'function',
      name,
      parent: ctx.scope,
      span: this.span(node),
      params,
      decorators: (typescript.canHaveDecorators(node) ? typescript.getDecorators(node) ?? [] : []).map((d) => this.expr(d.expression)),
      returns: [],
      returnType: node.type && typescript.isTypeReferenceNode(node.type) ? this.typedCall(node.type) : undefined,
    });
    if (!name.startsWith('<')) this.ir.bindings.push({ kind: 'function', scope: ctx.scope, name, fnScope: scope, at: node.getStart(this.sf) });
    const bodyNode = (node as ts.FunctionLikeDeclaration).body;
    if (bodyNode && !typescript.isBlock(bodyNode)) this.ir.scopes[scope].returns.push(this.expr(bodyNode));
    for (const p of node.parameters) {
      if (!typescript.isIdentifier(p.name)) continue;
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
    if (typescript.isForOfStatement(node) || typescript.isForInStatement(node)) {
      this.visit(node.expression, ctx);
      this.bindLoopVariable(node.initializer, node.expression, ctx);
    } else if (typescript.isForStatement(node)) {
      if (node.initializer) this.visit(node.initializer, ctx);
    }
    this.visit(node.statement, { ...ctx, loops: [loop, ...ctx.loops] });
  }

  private bindLoopVariable(init: ts.ForInitializer, iterable: ts.Expression, ctx: Context): void {
    if (!typescript.isVariableDeclarationList(init)) return;
    for (const d of init.declarations) {
      if (typescript.isIdentifier(d.name)) {
        this.ir.bindings.push({ kind: 'opaque', scope: ctx.scope, name: d.name.text, at: d.getStart(this.sf), iterable: this.expr(iterable) });
      }
    }
  }

  private loopInfo(node: ts.IterationStatement): Loop {
    let infinite = false;
    let tripCount: number | null = null;
    let iterable: string | null = null;
    if (typescript.isWhileStatement(node) || typescript.isDoStatement(node)) {
      infinite = node.expression.kind === typescript.SyntaxKind.TrueKeyword;
    } else if (typescript.isForStatement(node)) {
      infinite = !node.condition || node.condition.kind === typescript.SyntaxKind.TrueKeyword;
      tripCount = forStatementTripCount(node);
    } else if (typescript.isForOfStatement(node) || typescript.isForInStatement(node)) {
      const it = unwrap(node.expression);
      iterable = it.getText(this.sf);
      if (typescript.isArrayLiteralExpression(it)) tripCount = it.elements.length;
    }
    const kind = typescript.isWhileStatement(node) || typescript.isDoStatement(node) ? 'while' : 'for';
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
    this.ir.calls.push(callInfo(call, ctx, this.awaited.has(node)));
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
    if (!typescript.isPropertyAccessExpression(callee) || !ITERATING_METHODS.has(callee.name.text)) return null;
    const receiver = unwrap(callee.expression);
    return {
      kind: 'callback',
      span: this.span(node),
      infinite: false,
      hasExit: false,
      tripCount: typescript.isArrayLiteralExpression(receiver) ? receiver.elements.length : null,
      iterable: callee.getText(this.sf),
      header: null,
    };
  }

  /**
   * A call is converted once, however many times the walk meets it (as an argument, a bound value,
   * a call of its own): its `callId` and its identity in `enclosingCalls` must not change.
   */
  private expr(node: ts.Node): Expr {
    if (isWrapper(node)) return this.expr(unwrap(node as ts.Expression));
    const role = roles[node.kind] as Role;
    if (role !== Role.Call && role !== Role.TaggedTemplate) return this.convert(node);
    const cached = this.exprs.get(node);
    if (cached) return cached;
    const e = this.convert(node);
    this.exprs.set(node, e);
    return e;
  }

  private convert(node: ts.Node): Expr {
    const K = typescript.SyntaxKind;
    const span = this.span(node);
    switch (node.kind) {
      case K.StringLiteral:
      case K.NoSubstitutionTemplateLiteral:
        return { k: 'str', span, value: (node as ts.StringLiteral).text };
      case K.TemplateExpression: {
        const tpl = node as ts.TemplateExpression;
        const parts: Array<string | Expr> = [tpl.head.text];
        for (const s of tpl.templateSpans) parts.push(this.expr(s.expression), s.literal.text);
        return { k: 'tpl', span, parts };
      }
      case K.NumericLiteral:
        return { k: 'num', span, value: Number((node as ts.NumericLiteral).text) };
      case K.PrefixUnaryExpression: {
        const unary = node as ts.PrefixUnaryExpression;
        if (unary.operator === K.MinusToken && typescript.isNumericLiteral(unary.operand)) return { k: 'num', span, value: -Number(unary.operand.text) };
        return { k: 'other', span };
      }
      case K.TrueKeyword:
      case K.FalseKeyword:
        return { k: 'bool', span, value: node.kind === K.TrueKeyword };
      case K.NullKeyword:
        return { k: 'none', span };
      case K.Identifier: {
        const name = (node as ts.Identifier).text;
        return name === 'undefined' ? { k: 'none', span } : { k: 'name', span, name };
      }
      case K.ThisKeyword:
        return { k: 'name', span, name: 'this' };
      case K.PropertyAccessExpression: {
        const access = node as ts.PropertyAccessExpression;
        return { k: 'attr', span, object: this.expr(access.expression), name: access.name.text };
      }
      case K.ElementAccessExpression: {
        const access = node as ts.ElementAccessExpression;
        const key = propertyKey(access);
        if (key !== null) return { k: 'attr', span, object: this.expr(access.expression), name: key };
        return { k: 'index', span, object: this.expr(access.expression), index: this.expr(access.argumentExpression) };
      }
      case K.CallExpression:
      case K.NewExpression: {
        const call = node as ts.CallExpression | ts.NewExpression;
        const args: Arg[] = (call.arguments ?? []).map((a) => (a.kind === K.SpreadElement ? { value: this.expr((a as ts.SpreadElement).expression), spread: 'list' as const } : { value: this.expr(a) }));
        return { k: 'call', span, callee: this.expr(call.expression), args, isNew: node.kind === K.NewExpression, callId: this.callIds.next++ };
      }
      case K.TaggedTemplateExpression: {
        const tagged = node as ts.TaggedTemplateExpression;
        return { k: 'call', span, callee: this.expr(tagged.tag), args: [{ value: this.expr(tagged.template) }], isNew: false, callId: this.callIds.next++ };
      }
      case K.ObjectLiteralExpression:
        return { k: 'dict', span, entries: (node as ts.ObjectLiteralExpression).properties.map((p) => this.entry(p)) };
      case K.ArrayLiteralExpression: {
        const items: Expr[] = [];
        for (const e of (node as ts.ArrayLiteralExpression).elements) if (e.kind !== K.SpreadElement) items.push(this.expr(e));
        return { k: 'list', span, items };
      }
      case K.BinaryExpression: {
        const binary = node as ts.BinaryExpression;
        return { k: 'binop', span, op: typescript.tokenToString(binary.operatorToken.kind) ?? binary.operatorToken.getText(this.sf), left: this.expr(binary.left), right: this.expr(binary.right) };
      }
      case K.ConditionalExpression: {
        const conditional = node as ts.ConditionalExpression;
        return { k: 'binop', span, op: '?:', left: this.expr(conditional.whenTrue), right: this.expr(conditional.whenFalse) };
      }
    }
    // Functions among them: their bodies are lowered by the walk; the expression only says "a value".
    return { k: 'other', span };
  }

  private entry(p: ts.ObjectLiteralElementLike): DictEntry {
    if (typescript.isSpreadAssignment(p)) return { spread: this.expr(p.expression) };
    if (typescript.isShorthandPropertyAssignment(p)) {
      return { key: p.name.text, value: { k: 'name', span: this.span(p.name), name: p.name.text }, keySpan: this.span(p.name) };
    }
    if (typescript.isPropertyAssignment(p)) {
      const key = typescript.isIdentifier(p.name) || typescript.isStringLiteral(p.name) || typescript.isNumericLiteral(p.name) ? p.name.text : null;
      if (key !== null) return { key, value: this.expr(p.initializer), keySpan: this.span(p.name) };
      return { computed: true, value: this.expr(p.initializer) };
    }
    return { computed: true, value: { k: 'other', span: this.span(p) } };
  }
}

/** `(x)`, `x as T`, `x!`, `<T>x`, `x satisfies T`, `await x`: a node whose value is its operand's. */
function isWrapper(node: ts.Node): boolean {
  const role = roles[node.kind] as Role;
  return role === Role.Transparent || role === Role.Await;
}

function unwrap(node: ts.Expression): ts.Expression {
  let n = node;
  while (isWrapper(n)) n = (n as ts.ParenthesizedExpression).expression;
  return n;
}

/** `((x))` → `x`. */
function skipParens(node: ts.Expression): ts.Expression {
  let n = node;
  while (typescript.isParenthesizedExpression(n)) n = n.expression;
  return n;
}

/** `require('openai')` → 'openai'; `await import('openai')` → 'openai'. */
function requiredModule(node: ts.Expression): string | null {
  if (!typescript.isCallExpression(node) || node.arguments.length !== 1 || !typescript.isStringLiteral(node.arguments[0])) return null;
  const isRequire = typescript.isIdentifier(node.expression) && node.expression.text === 'require';
  const isImport = node.expression.kind === typescript.SyntaxKind.ImportKeyword;
  return isRequire || isImport ? node.arguments[0].text : null;
}

function propertyKey(node: ts.Expression): string | null {
  if (typescript.isPropertyAccessExpression(node)) return node.name.text;
  if (typescript.isElementAccessExpression(node) && (typescript.isStringLiteral(node.argumentExpression) || typescript.isNoSubstitutionTemplateLiteral(node.argumentExpression))) {
    return node.argumentExpression.text;
  }
  return null;
}

function isFunctionLike(node: ts.Node): node is ts.SignatureDeclaration {
  return roles[node.kind] === Role.Function;
}

function isLoop(node: ts.Node): node is ts.IterationStatement {
  return roles[node.kind] === Role.Loop;
}

/** `boundTo`: the name a variable or property gives the function (`const summarize = async () => …`, `{ summarize: () => … }`). */
function functionName(node: ts.SignatureDeclaration, boundTo: string | undefined): string {
  if (typescript.isConstructorDeclaration(node)) return 'constructor';
  if (node.name && (typescript.isIdentifier(node.name) || typescript.isStringLiteral(node.name))) return node.name.text;
  if (boundTo !== undefined) return boundTo;
  return typescript.isArrowFunction(node) ? '<arrow>' : '<function>';
}

/** `for (let i = 0; i < 10; i++)` → 10. */
function forStatementTripCount(node: ts.ForStatement): number | null {
  const init = node.initializer;
  const cond = node.condition;
  if (!init || !cond || !typescript.isVariableDeclarationList(init) || init.declarations.length !== 1) return null;
  const start = init.declarations[0].initializer;
  if (!start || !typescript.isNumericLiteral(start) || !typescript.isBinaryExpression(cond) || !typescript.isNumericLiteral(cond.right)) return null;
  const from = Number(start.text);
  const to = Number(cond.right.text);
  if (cond.operatorToken.kind === typescript.SyntaxKind.LessThanToken) return Math.max(0, to - from);
  if (cond.operatorToken.kind === typescript.SyntaxKind.LessThanEqualsToken) return Math.max(0, to - from + 1);
  return null;
}

/** A `break`, `return` or `throw` that leaves this loop (nested functions and inner loops' breaks excluded). */
function hasLoopExit(body: ts.Statement): boolean {
  let found = false;
  const walk = (node: ts.Node, inInnerLoop: boolean): void => {
    if (found || isFunctionLike(node) || typescript.isClassLike(node)) return;
    if (typescript.isReturnStatement(node) || typescript.isThrowStatement(node)) found = true;
    else if (typescript.isBreakStatement(node) && (!inInnerLoop || node.label)) found = true;
    const inner = inInnerLoop || isLoop(node) || typescript.isSwitchStatement(node);
    typescript.forEachChild(node, (c) => walk(c, inner));
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
