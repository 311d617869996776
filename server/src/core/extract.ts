/**
 * Call-site extraction: matches every call in the FileIR against the SDK catalogue and reads
 * what cost and reliability depend on — model, output bound, prompt, retries, timeout, loops.
 */
import { lastName } from './ir';
import { Deadline } from './budget';
import { methodSpecsOf, type Catalog, type ClientSpec, type EndpointSpec, type HttpClientSpec, type Language, type MethodSpec, type Provider, type RetrySpec, type SdkSpec, type TimeoutSpec } from './catalog';
import type { CallInfo, Expr, FileIR, Loop } from './ir';
import { analyzePromptFile, promptFileFormat } from './languages/promptFiles';
import { PromptReader } from './prompt';
import { Located, ResolveOptions, Resolver, Sym, SymPart, symKey } from './resolve';
import type { CallFacts, LoopContext, PromptPart, RetryInfo, TimeoutInfo, Value } from './types';

type CallExpr = Extract<Expr, { k: 'call' }>;

/** A call site before estimation. */
export interface ExtractedCall extends CallFacts {
  info: CallInfo;
}

/** Where a method's params are read from: the call's own arguments, or a dict body (raw HTTP). */
type ArgSource = { call: CallExpr; scope: number; objectArgs: boolean } | { dict: Expr; scope: number };

interface Match {
  sdk: SdkSpec | null;
  provider: Provider;
  modelProvider: Provider;
  method: MethodSpec;
  args: ArgSource;
  /** Calls that built the receiver, nearest first (`chats.create(...)`, `OpenAI(...)`), plus `with_options(...)`. */
  layers: ArgSource[];
  retrySpec: RetrySpec;
  timeoutSpec: TimeoutSpec;
  heuristic: boolean;
  retryWrapped: string | null;
  /** A `with_structured_output(...)` on the receiver. */
  structured?: string | null;
  modelOverride?: Value<string>;
}

interface LanguageIndex {
  clients: Map<string, { sdk: SdkSpec; client: ClientSpec }>;
  moduleClients: Map<string, SdkSpec>;
  functions: Map<string, { sdk: SdkSpec; method: MethodSpec }>;
  commands: Map<string, { sdk: SdkSpec; method: MethodSpec }>;
  http: Map<string, HttpClientSpec>;
  heuristics: Array<{ sdk: SdkSpec; method: MethodSpec; path: string[] }>;
  receiverHeuristics: Array<{ sdk: SdkSpec; receiver: RegExp; imports: RegExp; methods: MethodSpec[] }>;
  /** Bedrock-style commands by class name, for `client.send(new sdk.ConverseCommand(...))` with an unresolvable `sdk`. */
  commandsByName: Map<string, { sdk: SdkSpec; method: MethodSpec }>;
  wrappers: { decorators: Set<string>; loops: Set<string>; calls: Set<string>; namePattern: RegExp | null };
  /**
   * Every name a symbol that `matchSym` knows can start with: each key of `clients`, `functions`,
   * `moduleClients` and `http` up to each `.` or `(` (`requests`, `requests.Session`, `openai`,
   * `google.generativeai`). Most calls (`console.log`, `expect`, the file's own functions) start
   * with none of them and are ruled out with one lookup.
   */
  symbolRoots: Set<string>;
  /** The last name of each heuristic method path (`create`, `generateContent`). */
  heuristicLastNames: Set<string>;
  /** The method names the receiver heuristics look for (`invoke`, `ainvoke`). */
  receiverMethodNames: Set<string>;
}

function rootsOf(keys: Iterable<string>): Set<string> {
  const roots = new Set<string>();
  for (const key of keys) {
    for (let i = 0; i < key.length; i++) if (key[i] === '.' || key[i] === '(') roots.add(key.slice(0, i));
    roots.add(key);
  }
  return roots;
}

const indexCache = new WeakMap<Catalog, Record<Language, LanguageIndex>>();

function buildIndex(catalog: Catalog): Record<Language, LanguageIndex> {
  const cached = indexCache.get(catalog);
  if (cached) return cached;
  const make = (language: Language): LanguageIndex => {
    const idx: LanguageIndex = {
      clients: new Map(), moduleClients: new Map(), functions: new Map(), commands: new Map(), http: new Map(), heuristics: [],
      receiverHeuristics: [], commandsByName: new Map(),
      wrappers: { decorators: new Set(), loops: new Set(), calls: new Set(), namePattern: null },
      symbolRoots: new Set(), heuristicLastNames: new Set(), receiverMethodNames: new Set(),
    };
    for (const sdk of catalog.sdks.filter((s) => s.language === language)) {
      for (const client of sdk.clients) for (const sym of client.symbols) if (!idx.clients.has(sym)) idx.clients.set(sym, { sdk, client });
      for (const m of sdk.moduleClients ?? []) idx.moduleClients.set(m, sdk);
      for (const method of sdk.functions ?? []) for (const p of method.paths) idx.functions.set(p, { sdk, method });
      const all = methodSpecsOf(sdk);
      for (const method of all) {
        if (!method.heuristic) continue;
        for (const p of method.paths) if (!p.includes('(')) idx.heuristics.push({ sdk, method, path: p.split('.') });
      }
      for (const method of sdk.methods ?? []) {
        for (const [sym, name] of Object.entries(method.commands ?? {})) {
          const target = all.find((m) => m.paths.includes(name));
          if (target) {
            idx.commands.set(sym, { sdk, method: target });
            idx.commandsByName.set(sym.slice(sym.lastIndexOf('.') + 1), { sdk, method: target });
          }
        }
      }
      for (const h of sdk.receiverHeuristics ?? []) {
        idx.receiverHeuristics.push({ sdk, receiver: new RegExp(h.receiver, 'i'), imports: new RegExp(h.imports), methods: sdk.methodGroups?.[h.methods] ?? [] });
      }
    }
    for (const h of catalog.http.filter((x) => x.language === language)) for (const c of h.clients) for (const s of c.symbols) idx.http.set(s, c);
    for (const w of catalog.retryWrappers.filter((x) => x.language === language)) {
      w.decorators.forEach((d) => idx.wrappers.decorators.add(d));
      w.loops.forEach((d) => idx.wrappers.loops.add(d));
      w.calls.forEach((d) => idx.wrappers.calls.add(d));
      idx.wrappers.namePattern = new RegExp(w.namePattern, 'i');
    }
    idx.symbolRoots = rootsOf([...idx.clients.keys(), ...idx.functions.keys(), ...idx.moduleClients.keys(), ...idx.http.keys()]);
    for (const h of idx.heuristics) idx.heuristicLastNames.add(h.path[h.path.length - 1]);
    for (const h of idx.receiverHeuristics) for (const m of h.methods) for (const p of m.paths) idx.receiverMethodNames.add(p);
    return idx;
  };
  const built = { python: make('python'), typescript: make('typescript') };
  indexCache.set(catalog, built);
  return built;
}

export function extractCalls(ir: FileIR, text: string, catalog: Catalog, resolver: Resolver = new Resolver(ir, text), deadline = new Deadline()): ExtractedCall[] {
  return new Extractor(ir, resolver, catalog).run(deadline);
}

class Extractor {
  private readonly r: Resolver;
  private readonly idx: LanguageIndex;
  private readonly prompts: PromptReader;
  private readonly objectArgs: boolean;
  private readonly importedModules: string[];
  /** `module.name` of every import, for the receiver heuristics' import checks. */
  private readonly importedNames: Array<{ module: string; name: string }>;
  private readonly resolveOpts: ResolveOptions;
  /** Values behind `{expr}` holes of URLs seen so far (a model in a Gemini URL). */
  private readonly urlHoles = new Map<string, Value<string>>();

  constructor(private readonly ir: FileIR, resolver: Resolver, private readonly catalog: Catalog) {
    this.r = resolver;
    this.idx = buildIndex(catalog)[ir.language];
    this.prompts = new PromptReader(this.r);
    this.objectArgs = ir.language === 'typescript';
    this.importedModules = [];
    this.importedNames = [];
    for (const b of ir.bindings) {
      if (b.kind !== 'import') continue;
      this.importedModules.push(b.module);
      this.importedNames.push({ module: b.module, name: b.imported ?? b.module });
    }
    this.resolveOpts = { pipeMethods: catalog.pipeMethods, isKnown: (sym) => this.isClient(sym.parts) };
  }

  /** Some prefix of the path constructs a known SDK client. */
  private isClient(parts: SymPart[]): boolean {
    return parts.some((p, i) => !!p.call && !!this.idx.clients.get(symKey([...parts.slice(0, i), { name: p.name }])));
  }

  run(deadline: Deadline): ExtractedCall[] {
    const out: ExtractedCall[] = [];
    for (const [i, call] of this.ir.calls.entries()) {
      if (i % 64 === 0) deadline.check();
      const found = this.match(call);
      if (found) out.push(this.read(found.info, found.match));
    }
    return out;
  }

  // ---- matching -------------------------------------------------------------------------

  private match(info: CallInfo): { info: CallInfo; match: Match } | null {
    const direct = this.matchDirect(info);
    if (direct) return { info, match: direct };
    const indirect = this.indirect(info);
    const m = indirect ? this.matchDirect(indirect) : null;
    return m && indirect ? { info: indirect, match: m } : null;
  }

  private matchDirect(info: CallInfo): Match | null {
    const sym = this.r.resolveSym(info.expr.callee, info.scope, this.resolveOpts);
    if (sym) {
      const m = this.matchSym(sym, info);
      if (m) return m;
    }
    return this.matchHeuristic(info) ?? this.matchCommandByName(info) ?? this.matchReceiverHeuristic(info);
  }

  /** `asyncio.to_thread(client.models.generate_content, model=…)` → the SDK call it makes. */
  private indirect(info: CallInfo): CallInfo | null {
    const call = info.expr;
    for (const spec of this.catalog.indirectCalls) {
      const wrapper = spec.curried ? (call.callee.k === 'call' ? call.callee : null) : call;
      if (!wrapper || lastName(wrapper.callee) !== spec.name) continue;
      const positional = wrapper.args.filter((a) => !a.name && !a.spread);
      const fn = positional[spec.fnArg]?.value;
      if (!fn || (fn.k !== 'attr' && fn.k !== 'name')) continue;
      const args = spec.curried ? call.args : wrapper.args.filter((a) => a !== positional[spec.fnArg] && !positional.slice(0, spec.fnArg).includes(a));
      return { ...info, expr: { ...call, callee: fn, args } };
    }
    return null;
  }

  /** Drops `with_raw_response`, `beta`, `aio`, passthroughs; keeps `with_options(...)` as option layers. */
  private normalise(parts: SymPart[]): { parts: SymPart[]; options: ArgSource[]; retryWrapped: string | null; structured: string | null } {
    const kept: SymPart[] = [];
    const options: ArgSource[] = [];
    let retryWrapped: string | null = null;
    let structured: string | null = null;
    parts.forEach((p, i) => {
      if (i > 0 && this.catalog.transparentSegments.includes(p.name) && !p.call) return;
      if (i > 0 && this.catalog.optionSegments.includes(p.name) && p.call) {
        options.unshift({ call: p.call, scope: p.scope ?? 0, objectArgs: this.objectArgs });
      } else if (i > 0 && this.catalog.passthroughMethods.includes(p.name) && p.call && i < parts.length - 1) {
        if (/retry/i.test(p.name)) retryWrapped = `.${p.name}()`;
        if (/structured/i.test(p.name)) structured = `.${p.name}()`;
      } else {
        kept.push(p);
      }
    });
    return { parts: kept, options, retryWrapped, structured };
  }

  private matchSym(sym: Sym, info: CallInfo): Match | null {
    if (!this.mayMatchSym(sym.parts[0].name)) return null;
    const { parts, options, retryWrapped, structured } = this.normalise(sym.parts);
    const key = symKey(parts);
    const base = { args: { call: info.expr, scope: info.scope, objectArgs: this.objectArgs } as ArgSource, heuristic: false, retryWrapped, structured };

    const fn = this.idx.functions.get(key);
    if (fn) return { ...base, sdk: fn.sdk, provider: fn.sdk.provider, modelProvider: fn.sdk.provider, method: fn.method, layers: options, retrySpec: fn.method.retry ?? fn.sdk.retry, timeoutSpec: fn.method.timeout ?? fn.sdk.timeout };

    for (let i = parts.length - 2; i >= 0; i--) {
      const p = parts[i];
      if (!p.call) continue;
      const found = this.idx.clients.get(symKey([...parts.slice(0, i), { name: p.name }]));
      if (!found || found.client.factory || !this.clientApplies(found.client, p)) continue;
      const remainder = symKey(parts.slice(i + 1));
      const method = this.methodsOf(found.sdk, found.client).find((m) => m.paths.includes(remainder));
      if (!method) return null;
      const layers: ArgSource[] = [...options];
      for (let j = parts.length - 2; j >= i; j--) {
        const c = parts[j].call;
        if (c) layers.push({ call: c, scope: parts[j].scope ?? 0, objectArgs: this.objectArgs });
      }
      const m = this.clientMatch(found.sdk, found.client, method, info, layers, retryWrapped);
      return m && { ...m, structured };
    }

    for (const [mk, sdk] of this.idx.moduleClients) {
      if (!key.startsWith(`${mk}.`)) continue;
      const method = (sdk.methods ?? []).find((m) => m.paths.includes(key.slice(mk.length + 1)));
      if (method) return { ...base, sdk, provider: sdk.provider, modelProvider: sdk.provider, method, layers: options, retrySpec: method.retry ?? sdk.retry, timeoutSpec: method.timeout ?? sdk.timeout };
    }

    const http = this.idx.http.get(key);
    if (http) return this.matchHttp(http, info, parts);
    return null;
  }

  /** Whether any symbol `matchSym` knows starts with this root (see `symbolRoots`). */
  private mayMatchSym(root: string): boolean {
    if (this.idx.symbolRoots.has(root)) return true;
    // `import openai.lib as x` in Python: a module client (`openai`) matches longer roots too.
    for (let dot = root.indexOf('.'); dot > 0; dot = root.indexOf('.', dot + 1)) if (this.idx.moduleClients.has(root.slice(0, dot))) return true;
    return false;
  }

  private clientMatch(sdk: SdkSpec, client: ClientSpec, method: MethodSpec, info: CallInfo, layers: ArgSource[], retryWrapped: string | null): Match | null {
    const provider = client.provider ?? sdk.provider;
    const base: Match = {
      sdk, provider, modelProvider: client.modelProvider ?? provider, method,
      args: { call: info.expr, scope: info.scope, objectArgs: this.objectArgs }, layers,
      retrySpec: method.retry ?? client.retry ?? sdk.retry, timeoutSpec: method.timeout ?? client.timeout ?? sdk.timeout, heuristic: false, retryWrapped,
    };
    if (!method.commands) return base;
    // `client.send(new ConverseCommand({...}))`: read the command's arguments.
    const arg = info.expr.args[0];
    if (!arg) return null;
    const cmd = this.r.deref(arg.value, info.scope);
    if (cmd.expr.k !== 'call') return null;
    const cmdSym = this.r.resolveSym(cmd.expr.callee, cmd.scope);
    const target = cmdSym ? this.idx.commands.get(symKey(cmdSym.parts)) : undefined;
    if (!target) return null;
    return { ...base, method: target.method, args: { call: cmd.expr, scope: cmd.scope, objectArgs: true } };
  }

  private clientApplies(client: ClientSpec, part: SymPart): boolean {
    if (!client.when || !part.call) return true;
    for (const path of client.when.param.split('|')) {
      const loc = this.r.argAt(part.call, part.scope ?? 0, path, false);
      const v = loc ? this.r.stringValue(loc.expr, loc.scope).value : null;
      if (v !== null) return client.when.equals.includes(v);
    }
    return false;
  }

  private methodsOf(sdk: SdkSpec, client: ClientSpec): MethodSpec[] {
    return client.methods ? sdk.methodGroups?.[client.methods] ?? [] : sdk.methods ?? [];
  }

  private matchHttp(http: HttpClientSpec, info: CallInfo, parts: SymPart[]): Match | null {
    const args: ArgSource = { call: info.expr, scope: info.scope, objectArgs: this.objectArgs };
    const urlLoc = this.firstParam(args, http.url);
    if (!urlLoc) return null;
    const layersForBase: ArgSource[] = [];
    for (const p of parts) if (p.call && p.call !== info.expr) layersForBase.unshift({ call: p.call, scope: p.scope ?? 0, objectArgs: this.objectArgs });
    let url = this.urlText(urlLoc.expr, urlLoc.scope);
    if (!/^[a-z]+:\/\//i.test(url) && !url.startsWith('{')) {
      // `httpx.Client(base_url="https://api.openai.com/v1").post("/chat/completions")`
      for (const layer of layersForBase) {
        const base = this.firstParam(layer, (http.baseUrl ?? []).map((b) => b.replace(/^ctor:/, '')));
        if (base) {
          url = this.urlText(base.expr, base.scope).replace(/\/$/, '') + '/' + url.replace(/^\//, '');
          break;
        }
      }
    }
    const endpoint = this.catalog.endpoints.find((e) => new RegExp(e.pattern).test(url));
    if (!endpoint) return null;
    const layers = layersForBase;
    const bodyLoc = this.firstParam(args, http.body);
    const bodyExpr = bodyLoc ? this.unwrapSerialised(bodyLoc) : null;
    const body: ArgSource = bodyExpr ? { dict: bodyExpr.expr, scope: bodyExpr.scope } : { dict: { k: 'dict', span: info.expr.span, entries: [] }, scope: info.scope };
    return {
      sdk: null, provider: endpoint.provider, modelProvider: endpoint.provider, method: endpoint.method,
      args: body, layers: [args, ...layers],
      retrySpec: { defaultRetries: 0, presence: http.retryPresence },
      timeoutSpec: prefixCallParams(http.timeout), heuristic: false, retryWrapped: null,
      modelOverride: this.urlModel(endpoint, url),
    };
  }

  /** `JSON.stringify({...})` / `json.dumps({...})` → the object. */
  private unwrapSerialised(loc: Located): Located {
    const d = this.r.deref(loc.expr, loc.scope);
    if (d.expr.k === 'call' && /(^|\.)(stringify|dumps)$/.test(this.r.textOf(d.expr.callee)) && d.expr.args[0]) {
      return { expr: d.expr.args[0].value, scope: d.scope };
    }
    return loc;
  }

  private urlModel(endpoint: EndpointSpec, url: string): Value<string> | undefined {
    if (!endpoint.modelGroup) return undefined;
    const m = new RegExp(endpoint.pattern).exec(url)?.[endpoint.modelGroup];
    if (!m) return undefined;
    if (!m.startsWith('{')) return { value: m, expression: null };
    return this.urlHoles.get(m) ?? { value: null, expression: m.slice(1, -1) };
  }

  /** URL text with unresolved parts as `{expr}`, so endpoint patterns can match the static parts. */
  private urlText(e: Expr, scope: number, depth = 0): string {
    if (depth > 8) return '';
    const v = this.r.stringValue(e, scope);
    if (v.value !== null) return v.value;
    if (e.k === 'tpl') return e.parts.map((p) => (typeof p === 'string' ? p : this.urlText(p, scope, depth + 1))).join('');
    if (e.k === 'binop' && e.op === '+') return this.urlText(e.left, scope, depth + 1) + this.urlText(e.right, scope, depth + 1);
    if (e.k === 'name' || e.k === 'attr') {
      const d = this.r.deref(e, scope);
      if (d.expr !== e) return this.urlText(d.expr, d.scope, depth + 1);
    }
    if (e.k === 'call' && e.callee.k === 'attr' && e.callee.name === 'format') return this.urlText(e.callee.object, scope, depth + 1);
    if (e.k === 'call' && e.isNew && e.args[0]) return this.urlText(e.args[0].value, scope, depth + 1); // new URL("…")
    const hole = `{${this.r.textOf(e)}}`;
    this.urlHoles.set(hole, { ...this.r.stringValue(e, scope), value: null, expression: this.r.textOf(e) });
    return hole;
  }

  /** The receiver is a test double (`MagicMock()`, `patch(...)`, `jest.fn()`): never an LLM call. */
  private isMock(info: CallInfo): boolean {
    const sym = this.r.resolveSym(info.expr.callee, info.scope);
    if (sym && !sym.unbound && this.catalog.mockModules.includes(sym.parts[0].name)) return true;
    // A receiver built as an object literal in this file (`const fake = { chat: { completions: { create: jest.fn() } } }`).
    let root: Expr = info.expr.callee;
    while (root.k === 'attr') root = root.object;
    return root.k === 'name' && this.r.deref(root, info.scope).expr.k === 'dict';
  }

  /** The receiver could not be resolved; a distinctive method path with a model argument still counts. */
  private matchHeuristic(info: CallInfo): Match | null {
    const callee = info.expr.callee;
    if (callee.k !== 'attr') return null;
    if (!this.idx.heuristicLastNames.has(callee.name) && !this.catalog.transparentSegments.includes(callee.name)) return null;
    const names = calleeNames(callee).filter((n) => !this.catalog.transparentSegments.includes(n));
    if (names.length < 2) return null;
    const pathMatches = this.idx.heuristics.filter(({ path }) => names.length > path.length && names.slice(names.length - path.length).every((n, i) => n === path[i]));
    if (!pathMatches.length || this.isMock(info)) return null;
    const args: ArgSource = { call: info.expr, scope: info.scope, objectArgs: this.objectArgs };
    const candidates = pathMatches.filter(({ method }) => !!this.firstParam(args, method.model ?? []));
    if (!candidates.length) return null;
    const preferred = candidates.find(({ sdk }) => sdk.markers.some((m) => this.importedModules.some((mod) => mod.includes(m)))) ?? candidates[0];
    const { sdk, method } = preferred;
    return { sdk, provider: sdk.provider, modelProvider: sdk.provider, method, args, layers: [], retrySpec: sdk.retry, timeoutSpec: sdk.timeout, heuristic: true, retryWrapped: null };
  }

  /** `client.send(new sdk.ConverseCommand(input))` where `sdk` came from a dynamic import. */
  private matchCommandByName(info: CallInfo): Match | null {
    if (lastName(info.expr.callee) !== 'send' || info.expr.callee.k !== 'attr') return null;
    const arg = info.expr.args[0];
    const cmd = arg ? this.r.deref(arg.value, info.scope) : null;
    if (!cmd || cmd.expr.k !== 'call' || !cmd.expr.isNew) return null;
    const found = this.idx.commandsByName.get(lastName(cmd.expr.callee));
    if (!found) return null;
    const { sdk, method } = found;
    return {
      sdk, provider: sdk.provider, modelProvider: sdk.provider, method, args: { call: cmd.expr, scope: cmd.scope, objectArgs: true }, layers: [],
      retrySpec: sdk.retry, timeoutSpec: sdk.timeout, heuristic: true, retryWrapped: null,
    };
  }

  /** `self.llm.ainvoke(...)`, `chain.invoke(...)` in a file that imports LangChain. */
  private matchReceiverHeuristic(info: CallInfo): Match | null {
    const callee = info.expr.callee;
    if (callee.k !== 'attr' || !this.idx.receiverMethodNames.has(callee.name)) return null;
    const receiver = lastName(callee.object) || (callee.object.k === 'call' ? lastName(callee.object.callee) : '');
    if (!receiver) return null;
    for (const h of this.idx.receiverHeuristics) {
      const usesModels = this.importedNames.some((i) => h.sdk.markers.some((mk) => i.module.includes(mk)) && h.imports.test(i.name));
      if (!h.receiver.test(receiver) || !usesModels) continue;
      const method = h.methods.find((m) => m.paths.includes(callee.name));
      if (!method) continue;
      const sdk = h.sdk;
      return {
        sdk, provider: sdk.provider, modelProvider: sdk.provider, method, args: { call: info.expr, scope: info.scope, objectArgs: this.objectArgs }, layers: [],
        retrySpec: sdk.retry, timeoutSpec: sdk.timeout, heuristic: true, retryWrapped: null,
      };
    }
    return null;
  }

  // ---- reading params -------------------------------------------------------------------

  private param(src: ArgSource, path: string): Located | null {
    if ('dict' in src) {
      let cur: Located | null = { expr: src.dict, scope: src.scope };
      for (const key of path.split('.')) cur = cur && this.r.field(cur, key, true);
      return cur;
    }
    return this.r.argAt(src.call, src.scope, path, src.objectArgs);
  }

  private firstParam(src: ArgSource, paths: string[]): Located | null {
    for (const p of paths) {
      const hit = this.param(src, p);
      if (hit) return hit;
    }
    return null;
  }

  /** A param path that may point into the receiver's construction (`ctor:`). */
  private matchParam(m: Match, path: string): Located | null {
    if (!path.startsWith('ctor:')) return this.param(m.args, path);
    const inner = path.slice(5);
    for (const layer of m.layers) {
      const hit = this.param(layer, inner);
      if (hit) return hit;
    }
    return null;
  }

  private firstMatchParam(m: Match, paths: string[]): { loc: Located; path: string } | null {
    for (const path of paths) {
      const loc = this.matchParam(m, path);
      if (loc) return { loc, path: path.replace(/^ctor:/, '').replace(/^#\d+\./, '') };
    }
    return null;
  }

  private read(info: CallInfo, m: Match): ExtractedCall {
    if (m.method.modelFrom === 'promptFile') {
      const fromFile = this.readPromptFileCall(info, m);
      if (fromFile) return fromFile;
    }
    const method = m.method;
    const { model, modelProvider } = this.readModel(m);
    const bound = this.firstMatchParam(m, method.output ?? []);
    const boundValue = bound ? this.r.numberValue(bound.loc.expr, bound.loc.scope) : null;
    const nHit = this.firstMatchParam(m, method.n ?? []);
    const retry = this.readRetry(info, m);
    return {
      info,
      provider: m.provider,
      modelProvider,
      api: method.api,
      kind: method.kind,
      heuristic: m.heuristic,
      model,
      maxOutputTokens: bound && boundValue ? { param: bound.path, ...boundValue } : null,
      outputParams: (method.output ?? []).filter((p) => !p.startsWith('ctor:')).concat((method.output ?? []).filter((p) => p.startsWith('ctor:')).map((p) => p.slice(5))),
      boundFromReceiver: (method.output ?? []).length > 0 && (method.output ?? []).every((p) => p.startsWith('ctor:')),
      opaqueArgs: this.isOpaque(m.args),
      outputRequired: !!method.outputRequired,
      retry,
      timeout: this.readTimeout(m),
      streaming: this.readStreaming(m),
      n: nHit ? this.r.numberValue(nHit.loc.expr, nHit.loc.scope).value : null,
      loops: info.loops.filter((l) => !this.isRetryLoop(l, info)).map(loopContext),
      prompt: this.readPrompt(m),
      temperature: this.readTemperature(m),
      structuredOutput: this.readStructured(m),
    };
  }

  /**
   * `prompty.execute("support.prompty", inputs=…)` or on `prompty.load(...)`'s result: the prompt
   * file's model, bound and messages are the call's.
   */
  private readPromptFileCall(info: CallInfo, m: Match): ExtractedCall | null {
    const hit = this.firstMatchParam(m, m.method.model ?? []);
    if (!hit) return null;
    let target = this.r.deref(hit.loc.expr, hit.loc.scope);
    if (target.expr.k === 'call' && /(^|\.)load$/.test(this.r.textOf(target.expr.callee)) && target.expr.args[0]) {
      target = { expr: target.expr.args[0].value, scope: target.scope };
    }
    const src = this.prompts.readFile(target.expr, target.scope);
    const format = src ? promptFileFormat(src.path) : null;
    if (!src || !format) return null;
    const { facts } = analyzePromptFile(src.text, format);
    return { ...facts, info, api: m.method.api, retry: this.readRetry(info, m), timeout: this.readTimeout(m), loops: info.loops.filter((l) => !this.isRetryLoop(l, info)).map(loopContext) };
  }

  private readModel(m: Match): { model: Value<string>; modelProvider: Provider } {
    if (m.modelOverride) return { model: m.modelOverride, modelProvider: m.modelProvider };
    const hit = this.firstMatchParam(m, m.method.model ?? []);
    if (!hit) return { model: { value: null, expression: null }, modelProvider: m.modelProvider };
    if (m.method.modelFrom === 'factory') {
      const d = this.r.deref(hit.loc.expr, hit.loc.scope);
      if (d.expr.k === 'call') {
        const sym = this.r.resolveSym(d.expr.callee, d.scope);
        const factory = sym ? this.factoryOf(sym.parts) : null;
        const id = d.expr.args.find((a) => !a.name && !a.spread);
        if (factory && id) return { model: this.r.stringValue(id.value, d.scope), modelProvider: factory.modelProvider ?? m.modelProvider };
      }
      // AI Gateway: model: 'openai/gpt-4o'
      const v = this.r.stringValue(hit.loc.expr, hit.loc.scope);
      return { model: v, modelProvider: gatewayProvider(v.value ?? v.default ?? null) ?? m.modelProvider };
    }
    if (m.method.modelFrom === 'gateway') {
      const v = this.r.stringValue(hit.loc.expr, hit.loc.scope);
      const name = v.value ?? v.default ?? null;
      const provider = gatewayProvider(name);
      if (!provider || !name) return { model: v, modelProvider: m.modelProvider };
      const bare = name.slice(name.indexOf('/') + 1);
      return { model: v.value !== null ? { ...v, value: bare } : { ...v, default: bare }, modelProvider: provider };
    }
    const model = this.r.stringValue(hit.loc.expr, hit.loc.scope);
    if (m.provider !== 'langchain') return { model, modelProvider: m.modelProvider };
    // LangChain's `init_chat_model("openai:gpt-4o")` / `model_provider="openai"`.
    const providerArg = this.firstMatchParam(m, ['ctor:model_provider', 'ctor:modelProvider']);
    const named = providerArg ? this.r.stringValue(providerArg.loc.expr, providerArg.loc.scope).value : null;
    const name = model.value ?? model.default ?? '';
    const prefix = /^([a-z_-]+):(.+)$/.exec(name);
    const provider = LANGCHAIN_PROVIDERS[named ?? prefix?.[1] ?? ''];
    if (prefix && LANGCHAIN_PROVIDERS[prefix[1]]) {
      const bare = prefix[2];
      return { model: model.value !== null ? { ...model, value: bare } : { ...model, default: bare }, modelProvider: provider ?? m.modelProvider };
    }
    return { model, modelProvider: provider ?? m.modelProvider };
  }

  /** `openai` or `openai.chat` or `createOpenAI({...})` → the AI SDK provider factory. */
  private factoryOf(parts: SymPart[]): ClientSpec | null {
    for (let n = parts.length; n > 0; n--) {
      const found = this.idx.clients.get(symKey(parts.slice(0, n)));
      if (found?.client.factory) return found.client;
    }
    return null;
  }

  private readTemperature(m: Match): Value<number> | null {
    const hit = this.firstMatchParam(m, this.catalog.temperatureParams);
    return hit ? this.r.numberValue(hit.loc.expr, hit.loc.scope) : null;
  }

  private readStructured(m: Match): string | null {
    if (m.structured) return m.structured;
    if (/\.parse$|Object$/.test(m.method.api)) return `${m.method.api}()`;
    const hit = this.firstMatchParam(m, this.catalog.structuredOutputParams);
    if (!hit) return null;
    // `response_format={"type": "text"}` asks for nothing structured.
    const d = this.r.deref(hit.loc.expr, hit.loc.scope);
    const type = d.expr.k === 'dict' ? this.r.dictEntries(d.expr, d.scope).get('type') : undefined;
    if (type && this.r.stringValue(type.expr, type.scope).value === 'text') return null;
    return hit.path;
  }

  private readStreaming(m: Match): boolean {
    const s = m.method.stream;
    if (!s) return false;
    if (s === 'always') return true;
    const loc = this.matchParam(m, s);
    if (!loc) return false;
    const d = this.r.deref(loc.expr, loc.scope);
    return d.expr.k === 'bool' ? d.expr.value : false;
  }

  private readPrompt(m: Match): PromptPart[] {
    const spec = m.method.prompt ?? {};
    if (m.provider === 'langchain' && 'call' in m.args && m.args.call.callee.k === 'attr') {
      const template = this.chainTemplate(m.args.call.callee.object, m.args.scope, 0);
      if (template) return template;
    }
    const parts: PromptPart[] = [];
    const system = this.firstMatchParam(m, spec.system ?? []);
    if (system) parts.push(...this.systemParts(system.loc));
    const messages = this.firstMatchParam(m, spec.messages ?? []);
    if (messages) parts.push(...this.prompts.messages(messages.loc));
    const text = this.firstMatchParam(m, spec.text ?? []);
    if (text) {
      const d = this.r.deref(text.loc.expr, text.loc.scope);
      if (d.expr.k === 'list') parts.push(...d.expr.items.map((item) => ({ role: 'input', segments: this.itemText(item, d.scope) })));
      else parts.push(...this.prompts.messages(text.loc).map((p) => (p.role === 'user' ? { ...p, role: 'input' } : p)));
    }
    return parts;
  }

  /**
   * LangChain `prompt | llm`, `prompt.pipe(llm)`, `RunnableSequence.from([prompt, llm])`: the prompt
   * template at the head of the chain (`ChatPromptTemplate.from_messages`, `from_template`,
   * `PromptTemplate.from_file`), with its `{variables}` as holes.
   */
  private chainTemplate(e: Expr, scope: number, depth: number): PromptPart[] | null {
    if (depth > 8) return null;
    const d = this.r.deref(e, scope);
    const x = d.expr;
    if (x.k === 'binop' && x.op === '|') return this.chainTemplate(x.left, d.scope, depth + 1);
    if (x.k !== 'call') return null;
    const name = lastName(x.callee);
    const first = x.args.find((a) => !a.name && !a.spread)?.value;
    if (name === 'pipe' && x.callee.k === 'attr') return this.chainTemplate(x.callee.object, d.scope, depth + 1);
    if (name === 'from' && first) {
      const list = this.r.deref(first, d.scope);
      return list.expr.k === 'list' && list.expr.items[0] ? this.chainTemplate(list.expr.items[0], list.scope, depth + 1) : null;
    }
    if (name === 'from_messages' || name === 'fromMessages') return this.prompts.messages({ expr: x, scope: d.scope }).map((p) => ({ ...p, segments: formatHoles(p.segments) }));
    const templateArg = name === 'from_template' || name === 'fromTemplate' ? first
      : name === 'PromptTemplate' || name === 'ChatPromptTemplate' ? x.args.find((a) => a.name === 'template')?.value ?? (first ? this.r.dictEntries(first, d.scope).get('template')?.expr : undefined)
      : undefined;
    if (templateArg) return [{ role: 'user', segments: formatHoles(this.prompts.text(templateArg, d.scope)) }];
    if (name === 'from_file' && first) {
      const src = this.prompts.readFile(first, d.scope);
      return [{ role: 'user', segments: src ? formatHoles([{ text: src.text }]) : [{ hole: 'file (not found)', expression: this.r.textOf(first) }] }];
    }
    return null;
  }

  private itemText(item: Expr, scope: number): PromptPart['segments'] {
    const d = this.r.deref(item, scope);
    if (d.expr.k === 'dict') {
      const parts = this.prompts.messages({ expr: d.expr, scope: d.scope });
      return parts.flatMap((p) => p.segments);
    }
    return this.prompts.text(item, scope);
  }

  private systemParts(loc: Located): PromptPart[] {
    const d = this.r.deref(loc.expr, loc.scope);
    // Anthropic and Bedrock take a list of text blocks.
    if (d.expr.k === 'list') return d.expr.items.map((item) => ({ role: 'system', segments: this.prompts.text(item, d.scope) }));
    return [{ role: 'system', segments: this.prompts.text(loc.expr, loc.scope) }];
  }

  /** Arguments we cannot see into: `create(**params)`, `create(options)`, `{...defaults}` from elsewhere. */
  private isOpaque(src: ArgSource): boolean {
    if ('dict' in src) return !this.isVisibleDict(src.dict, src.scope);
    if (src.objectArgs) {
      const first = src.call.args.find((a) => !a.name && !a.spread);
      return src.call.args.some((a) => a.spread) || (!!first && !this.isVisibleDict(first.value, src.scope));
    }
    return src.call.args.some((a) => (a.spread === 'dict' && !this.isVisibleDict(a.value, src.scope)) || a.spread === 'list');
  }

  private isVisibleDict(e: Expr, scope: number, depth = 0): boolean {
    const d = this.r.deref(e, scope);
    if (d.expr.k === 'call' && d.expr.callee.k === 'name' && d.expr.callee.name === 'dict') return true;
    if (d.expr.k === 'call' && /(^|\.)(stringify|dumps)$/.test(this.r.textOf(d.expr.callee)) && d.expr.args[0]) {
      return this.isVisibleDict(d.expr.args[0].value, d.scope, depth + 1);
    }
    if (d.expr.k !== 'dict') return false;
    return depth > 4 || d.expr.entries.every((en) => !('spread' in en) || this.isVisibleDict(en.spread, d.scope, depth + 1));
  }

  // ---- retries and timeouts -------------------------------------------------------------

  private readRetry(info: CallInfo, m: Match): RetryInfo {
    const sdk = this.sdkRetry(m);
    const reask = this.firstMatchParam(m, m.method.wrapperParams ?? []);
    const wrapper = m.retryWrapped ?? (reask ? `${reask.path}=${this.r.textOf(reask.loc.expr)} re-runs the call` : null) ?? this.retryWrapper(info);
    if (wrapper) return { kind: 'wrapper', attempts: null, source: wrapper, sdkAttempts: sdk.attempts };
    return sdk;
  }

  private sdkRetry(m: Match): RetryInfo {
    const spec = m.retrySpec;
    const name = m.sdk ? m.sdk.id : 'raw HTTP';
    const count = this.firstMatchParam(m, spec.params ?? []);
    if (count) {
      const v = this.r.numberValue(count.loc.expr, count.loc.scope);
      return retryFromCount(v.value, 1, `${count.path}=${this.r.textOf(count.loc.expr)}`);
    }
    const attempts = this.firstMatchParam(m, spec.attemptParams ?? []);
    if (attempts) {
      const v = this.r.numberValue(attempts.loc.expr, attempts.loc.scope);
      return retryFromCount(v.value, 0, `${attempts.path}=${this.r.textOf(attempts.loc.expr)}`);
    }
    for (const p of spec.presence ?? []) {
      const loc = this.matchParam(m, p.param);
      if (!loc) continue;
      const nested = p.attemptsKey ? this.r.field(loc, p.attemptsKey, this.objectArgs) : null;
      const n = nested ? this.r.numberValue(nested.expr, nested.scope).value : p.defaultAttempts ?? null;
      const source = `${p.param.replace(/^ctor:/, '')} is set`;
      return n !== null && n <= 1 ? { kind: 'sdk-disabled', attempts: 1, source, sdkAttempts: 1 } : { kind: 'sdk-configured', attempts: n, source, sdkAttempts: n };
    }
    if (spec.modes) {
      const loc = this.matchParam(m, spec.modes.param);
      const mode = loc ? this.r.stringValue(loc.expr, loc.scope).value : null;
      const attempts = mode ? spec.modes.attempts[mode] : undefined;
      if (loc) return { kind: 'sdk-configured', attempts: attempts ?? null, source: `retry mode ${mode ?? this.r.textOf(loc.expr)}`, sdkAttempts: attempts ?? null };
    }
    if (spec.defaultRetries > 0) {
      return { kind: 'sdk-default', attempts: spec.defaultRetries + 1, source: `${name} default (${spec.defaultRetries} retries)`, sdkAttempts: spec.defaultRetries + 1 };
    }
    return { kind: 'none', attempts: 1, source: m.sdk ? `${name} does not retry by default` : 'raw HTTP call: no retries', sdkAttempts: 1 };
  }

  /** A retry decorator, a retry loop, a retrying callback wrapper, or a hand-written retry loop. */
  private retryWrapper(info: CallInfo): string | null {
    const w = this.idx.wrappers;
    for (let s: number | null = info.scope; s !== null; s = this.ir.scopes[s].parent) {
      for (const d of this.ir.scopes[s].decorators) {
        const target = d.k === 'call' ? d.callee : d;
        const sym = this.r.resolveSym(target, s);
        const key = sym ? symKey(sym.parts) : '';
        if (w.decorators.has(key) || w.namePattern?.test(lastName(target))) return `@${this.r.textOf(target)} decorator`;
      }
    }
    for (const loop of info.loops) if (this.isRetryLoop(loop, info)) return 'retry loop';
    for (const c of info.enclosingCalls) {
      const sym = this.r.resolveSym(c.callee, info.scope);
      const key = sym ? symKey(sym.parts) : '';
      if (w.calls.has(key) || w.namePattern?.test(lastName(c.callee))) return `${this.r.textOf(c.callee)}(…) wrapper`;
    }
    return null;
  }

  private isRetryLoop(loop: Loop, info: CallInfo): boolean {
    const w = this.idx.wrappers;
    if (loop.header) {
      const target = loop.header.k === 'call' ? loop.header.callee : loop.header;
      const sym = this.r.resolveSym(target, info.scope);
      if (sym && w.loops.has(symKey(sym.parts))) return true;
    }
    // Hand-written: `for attempt in range(3): try: call() except RateLimitError: sleep(...)`. The loop
    // counts attempts (a range, a counter, a while) and the handler waits or retries; a loop over
    // inputs that swallows errors is not a retry.
    const counts = loop.kind === 'while' || (loop.kind === 'for' && (loop.header === null || isRangeCall(loop.header)));
    return counts && info.tries.some((t) => t.span.start >= loop.span.start && t.span.end <= loop.span.end && RETRY_HANDLER.test(t.handlerText));
  }

  private readTimeout(m: Match): TimeoutInfo {
    const spec = m.timeoutSpec;
    const hit = this.firstMatchParam(m, spec.params ?? []);
    if (hit) {
      const d = this.r.deref(hit.loc.expr, hit.loc.scope);
      if (d.expr.k === 'none') return { seconds: null, source: 'none' };
      const num = d.expr.k === 'list' ? this.lastNumber(d.expr.items, d.scope)
        : d.expr.k === 'call' ? this.timeoutCallValue(d.expr, d.scope)
        : this.r.numberValue(hit.loc.expr, hit.loc.scope).value;
      const seconds = num === null ? null : spec.unit === 'ms' ? num / 1000 : num;
      return { seconds, source: 'configured' };
    }
    return spec.defaultSeconds === null ? { seconds: null, source: 'none' } : { seconds: spec.defaultSeconds, source: 'sdk-default' };
  }

  /** `AbortSignal.timeout(10_000)`, `httpx.Timeout(30.0)`, `aiohttp.ClientTimeout(total=60)`: the number inside. */
  private timeoutCallValue(call: CallExpr, scope: number): number | null {
    const named = call.args.find((a) => a.name === 'total' || a.name === 'read' || a.name === 'timeout');
    const first = named ?? call.args.find((a) => !a.name && !a.spread);
    return first ? this.r.numberValue(first.value, scope).value : null;
  }

  /** requests' `timeout=(connect, read)`: the read timeout bounds the wait. */
  private lastNumber(items: Expr[], scope: number): number | null {
    const last = items[items.length - 1];
    return last ? this.r.numberValue(last, scope).value : null;
  }
}

const RETRY_HANDLER = /sleep|setTimeout|retry|backoff|wait|delay|continue/i;

function isRangeCall(e: Expr): boolean {
  return e.k === 'call' && e.callee.k === 'name' && e.callee.name === 'range';
}

function retryFromCount(value: number | null, offset: number, source: string): RetryInfo {
  if (value === null) return { kind: 'sdk-configured', attempts: null, source, sdkAttempts: null };
  const attempts = value + offset;
  if (attempts <= 1) return { kind: 'sdk-disabled', attempts: 1, source, sdkAttempts: 1 };
  return { kind: 'sdk-configured', attempts, source, sdkAttempts: attempts };
}

/** HTTP client timeouts: bare params are the call's own, `ctor:` reaches the session. */
function prefixCallParams(spec: TimeoutSpec): TimeoutSpec {
  return { ...spec, params: (spec.params ?? []).map((p) => (p.startsWith('ctor:') ? p : `ctor:${p}`)) };
}

/** LangChain templates use `{variable}` placeholders (f-string style): they become named holes. */
function formatHoles(segments: PromptPart['segments']): PromptPart['segments'] {
  return segments.flatMap((seg) => {
    if (!('text' in seg)) return [seg];
    const out: PromptPart['segments'] = [];
    const re = /\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
    let last = 0;
    for (let m = re.exec(seg.text); m; m = re.exec(seg.text)) {
      if (m.index > last) out.push({ text: seg.text.slice(last, m.index) });
      last = m.index + m[0].length;
      out.push(m[1] ? { hole: m[1], expression: m[0] } : { text: m[0][0] });
    }
    if (last < seg.text.length) out.push({ text: seg.text.slice(last) });
    return out;
  });
}

function loopContext(l: Loop): LoopContext {
  return { kind: l.kind, tripCount: l.tripCount, iterable: l.iterable, infinite: l.infinite, hasExit: l.hasExit };
}

/** `a.b().c` → `['a', 'b', '()', 'c']`; a loop, not a recursion: chains can be thousands of calls long. */
function calleeNames(e: Expr): string[] {
  const names: string[] = [];
  for (let cur: Expr = e; ; ) {
    if (cur.k === 'attr') {
      names.push(cur.name);
      cur = cur.object;
    } else if (cur.k === 'call') {
      names.push('()');
      cur = cur.callee;
    } else {
      names.push(cur.k === 'name' ? cur.name : '?');
      return names.reverse();
    }
  }
}


/** `init_chat_model`'s provider names. */
const LANGCHAIN_PROVIDERS: Record<string, Provider> = {
  openai: 'openai', azure_openai: 'azure-openai', anthropic: 'anthropic', google_genai: 'google', google_vertexai: 'google', 'google-genai': 'google',
  mistralai: 'mistral', cohere: 'cohere', groq: 'groq', together: 'together', ollama: 'ollama', bedrock: 'bedrock', bedrock_converse: 'bedrock',
};

const GATEWAY_PROVIDERS: Record<string, Provider> = {
  openai: 'openai', anthropic: 'anthropic', google: 'google', mistral: 'mistral', cohere: 'cohere', groq: 'groq', bedrock: 'bedrock', togetherai: 'together',
};

function gatewayProvider(model: string | null): Provider | null {
  const prefix = model?.split('/')[0];
  return prefix ? GATEWAY_PROVIDERS[prefix] ?? null : null;
}
