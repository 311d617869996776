/**
 * The shape of the SDK catalogue (`pricing/sdks.json`): every provider SDK's call surface as data.
 * Adding a provider method is a change to that file plus a fixture, never a new code path.
 *
 * Param paths used throughout:
 *   `model`            keyword argument (Python) or property of the first object argument (JS)
 *   `config.max_output_tokens`  nested: into a dict/object literal, or the kwargs of a call such as
 *                      `types.GenerateContentConfig(max_output_tokens=…)`
 *   `#0`, `#1.timeout` positional argument (0-based), optionally followed by a nested path
 *   `ctor:model`       an argument of the call that built the receiver (the client constructor,
 *                      `with_options(...)`, `GenerativeModel("gemini-pro")`, `chats.create(model=…)`)
 */

export type Provider =
  | 'openai' | 'azure-openai' | 'anthropic' | 'google' | 'cohere' | 'mistral' | 'bedrock' | 'litellm'
  | 'langchain' | 'vercel-ai' | 'groq' | 'together' | 'ollama' | 'other';

export type CallKind = 'chat' | 'responses' | 'completion' | 'embedding' | 'image' | 'audio' | 'rerank';
export type Language = 'python' | 'typescript';

export interface PromptFields {
  /** Chat message arrays (`[{role, content}]`, LangChain tuples and message objects). */
  messages?: string[];
  /** System prompt / instructions. */
  system?: string[];
  /** Plain text inputs (prompt, input, contents, value, values). Lists are summed. */
  text?: string[];
}

export interface RetrySpec {
  /** Retries the SDK makes on its own (attempts = retries + 1). */
  defaultRetries: number;
  /** Params that set the retry count (`ctor:max_retries`, `num_retries`, `#1.maxRetries`). */
  params?: string[];
  /** Params that set the total number of attempts (boto3 `max_attempts`, AWS JS `maxAttempts`). */
  attemptParams?: string[];
  /** Params whose presence configures retries (`ctor:http_options.retry_options`), with where to read the count. */
  presence?: Array<{ param: string; attemptsKey?: string; defaultAttempts?: number }>;
  /** A retry mode that sets the attempt count (botocore `retries.mode`: legacy 5, standard 3). */
  modes?: { param: string; attempts: Record<string, number> };
}

export interface TimeoutSpec {
  /** null: no timeout by default. */
  defaultSeconds: number | null;
  params?: string[];
  unit: 's' | 'ms';
}

export interface MethodSpec {
  paths: string[];
  api: string;
  kind: CallKind;
  model?: string[];
  /**
   * How the model value is read: `factory` = an AI SDK provider factory `openai('gpt-4o')`;
   * `gateway` = a `provider/model` string whose prefix names the provider (`instructor.from_provider("openai/gpt-4.1")`);
   * `promptFile` = the `model` param is the path of a prompt file (`prompty.execute("x.prompty")`) whose model,
   * parameters and messages apply.
   */
  modelFrom?: 'factory' | 'gateway' | 'promptFile';
  /** Params that make a library re-run the whole call (instructor's `max_retries` re-asks). */
  wrapperParams?: string[];
  /** Output-bound params, the preferred one first (the one a fix adds). */
  output?: string[];
  outputRequired?: boolean;
  prompt?: PromptFields;
  /** 'always' for streaming methods, or the param that turns streaming on. */
  stream?: string;
  /** Params multiplying the output (`n`, `candidate_count`). */
  n?: string[];
  retry?: RetrySpec;
  timeout?: TimeoutSpec;
  /** Report even when the receiver cannot be resolved, if one of `model`'s params is present. */
  heuristic?: boolean;
  /** `client.send(new ConverseCommand({...}))`: the real method is the command's. */
  commands?: Record<string, string>;
}

export interface ClientSpec {
  /** Qualified symbols that construct the client (`openai.OpenAI`, `openai.default`). */
  symbols: string[];
  provider?: Provider;
  /** Provider of the models it serves, for pricing (LangChain `ChatAnthropic` → anthropic). */
  modelProvider?: Provider;
  /** Only when a positional or keyword argument has this string value (`boto3.client("bedrock-runtime")`). */
  when?: { param: string; equals: string[] };
  /** Name of the method group in `methodGroups`; default: the SDK's `methods`. */
  methods?: string;
  retry?: RetrySpec;
  timeout?: TimeoutSpec;
  /** A factory whose call returns a model handle for `modelFrom: "factory"`. */
  factory?: boolean;
}

export interface SdkSpec {
  id: string;
  provider: Provider;
  language: Language;
  /**
   * What makes a file worth parsing: a marker inside an import of the SDK's package (`openai` in
   * `from openai import OpenAI` or `from '@anthropic-ai/sdk'`); a marker in quotes is the whole
   * package name (`'ai'`), one with a space is matched as written (`import together`). Only the
   * prefilter reads that syntax: the extraction's import checks (`module.includes(marker)`) never
   * match a quoted or spaced marker.
   */
  markers: string[];
  /**
   * `text`: the markers count anywhere in the file, for an SDK reached through a general-purpose
   * package (Bedrock through `boto3.client("bedrock-runtime")`).
   */
  markersIn?: 'imports' | 'text';
  clients: ClientSpec[];
  /** Module-level callables: full qualified symbols (`litellm.completion`). */
  functions?: MethodSpec[];
  /** The module itself acts as a client (`openai.chat.completions.create`). */
  moduleClients?: string[];
  methods?: MethodSpec[];
  methodGroups?: Record<string, MethodSpec[]>;
  /**
   * Calls on receivers we cannot resolve, in files that import this SDK, when the receiver's
   * name says what it is (`self.llm.ainvoke`, `chain.invoke`, `embedder.embed_query`).
   */
  receiverHeuristics?: Array<{
    /** Regex (case-insensitive) over the receiver's name. */
    receiver: string;
    /** Regex over the names the file imports from this SDK: the file must use models of this kind. */
    imports: string;
    /** The method group whose paths apply. */
    methods: string;
  }>;
  retry: RetrySpec;
  timeout: TimeoutSpec;
  source: string;
}

export interface HttpClientSpec {
  symbols: string[];
  url: string[];
  body: string[];
  timeout: TimeoutSpec;
  /** Params whose presence means a retry adapter or option is configured. */
  retryPresence?: RetrySpec['presence'];
  /** A base URL set where the client is built (`httpx.Client(base_url=…)`), prefixed to relative URLs. */
  baseUrl?: string[];
}

export interface EndpointSpec {
  /** Regular expression over the URL text (holes become `{…}`). */
  pattern: string;
  provider: Provider;
  method: MethodSpec;
  /** A capture group of `pattern` that holds the model (Gemini puts it in the URL). */
  modelGroup?: number;
}

export interface RetryWrapperSpec {
  language: Language;
  /** Decorators on the enclosing function (`tenacity.retry`, `backoff.on_exception`). */
  decorators: string[];
  /** Iterables of a retry loop (`for attempt in tenacity.Retrying(...)`). */
  loops: string[];
  /** Calls that take the work as a callback (`p-retry.default`, `exponential-backoff.backOff`). */
  calls: string[];
  /** Names of the project's own helpers that look like retry wrappers (case-insensitive regex). */
  namePattern: string;
}

/** `asyncio.to_thread(client.chat.completions.create, model=…)`: the SDK method is passed, not called. */
export interface IndirectCallSpec {
  /** Last name of the wrapper's callee (`to_thread`, `run_in_executor`). */
  name: string;
  /** Which positional argument is the function. */
  fnArg: number;
  /** `sync_to_async(fn)(args)`: the arguments come in a second call. */
  curried?: boolean;
}

export interface Catalog {
  version: number;
  indirectCalls: IndirectCallSpec[];
  /** Modules of test doubles: a receiver built from them is never an LLM call (`MagicMock()`, `jest.fn()`). */
  mockModules: string[];
  /** Where a sampling temperature is set, whatever the SDK (`temperature`, `config.temperature`, …). */
  temperatureParams: string[];
  /** Params that ask for structured output (`response_format`, `config.response_schema`, `schema`, …). */
  structuredOutputParams: string[];
  sdks: SdkSpec[];
  http: Array<{ language: Language; markers: string[]; clients: HttpClientSpec[] }>;
  endpoints: EndpointSpec[];
  retryWrappers: RetryWrapperSpec[];
  /** Receiver segments skipped when matching paths (`with_raw_response`, `beta`, `aio`). */
  transparentSegments: string[];
  /** Receiver calls whose arguments override the client's options (`with_options`). */
  optionSegments: string[];
  /** Methods that return the same model with more configuration (`with_structured_output`). */
  passthroughMethods: string[];
  /** `prompt.pipe(llm)` and `prompt | llm` compose into the model. */
  pipeMethods: string[];
}

export interface CatalogIndex {
  catalog: Catalog;
  /**
   * The prefilter, one regex per language (one pass over a file is ~3× faster than an `includes` per
   * marker): SDK markers inside an import, and what the extraction matches without one (method
   * paths, command names, Python module paths, `markersIn: text` SDKs). Hosts are in `httpPattern`.
   */
  markerPattern: Record<Language, RegExp>;
  /**
   * A raw HTTP call needs both a provider's host and an HTTP client (`fetch`, `axios`, `requests`):
   * the hosts alone are in every file of a provider SDK's tests and defaults. The client must also
   * be called, handed on or imported (`calls`, see `httpCallsPattern`): a provider SDK's sources
   * name `fetch` as an option (`fetch?: FetchFunction`, `fetch: this.config.fetch`) and in test
   * names ("web fetch tool").
   */
  httpPattern: Record<Language, { hosts: RegExp; clients: RegExp; calls: RegExp }>;
  /** The prefilter's second look, at a file `markerPattern` passed (see `CallGate`). */
  callGate: Record<Language, CallGate>;
}

/**
 * An SDK import alone does not make a call: most files of an AI app import `ai` or `openai` for a
 * type, a hook or a provider factory (in vercel/ai, 1,291 of the 2,707 files the import test
 * passes hold no call, and 1,124 of them name none). A file passed on an import is parsed only if
 * it also names, as a whole word, a method or function of an SDK it imports (`generateText`,
 * `create`, `invoke`): the extraction matches calls by those names, so a call that spells none is
 * one it would not find either.
 */
export interface CallGate {
  /** The markers that count without an import (method paths, command names…): a file with one is parsed. */
  anywhere: RegExp | null;
  /** Every SDK's call names as whole words, global: `matchAll` lists the ones a file has. */
  callNames: RegExp;
  /** A call name → the import patterns of the SDKs that have a call by that name. */
  importsByName: Map<string, RegExp[]>;
}

/** Whether the text names a call of an SDK it imports, or has a marker that needs no import (`CallGate`). */
export function passesCallGate(text: string, gate: CallGate): boolean {
  // Most files the gate sees do call their SDK: that answer is found before the `anywhere` scan.
  const tried = new Set<RegExp>();
  for (const [name] of text.matchAll(gate.callNames)) {
    for (const imports of gate.importsByName.get(name) ?? []) {
      if (tried.has(imports)) continue;
      tried.add(imports);
      if (imports.test(text)) return true;
    }
  }
  return gate.anywhere?.test(text) ?? false;
}

export function indexCatalog(catalog: Catalog): CatalogIndex {
  const perLanguage = <T>(make: () => T): Record<Language, T> => ({ python: make(), typescript: make() });
  // Markers that must sit in an import (of a package, in TS), and ones that count anywhere (these as regex sources).
  const packageMarkers = perLanguage(() => new Set<string>());
  /** TS only: its package-specifier pattern leaves out relative imports, which LangChain's heuristics accept. */
  const anyImportMarkers = new Set<string>();
  const anywhere = perLanguage(() => new Set<string>());
  const hosts = perLanguage(() => new Set<string>());
  const clients = perLanguage(() => new Set<string>());
  const pythonModules = new Set<string>();
  /** First segment of a heuristic method path → its second segments (`chat` → `completions`, `complete`). */
  const heuristicPaths = perLanguage(() => new Map<string, Set<string>>());
  const addTo = (map: Map<string, Set<string>>, key: string, value: string) => {
    if (!map.has(key)) map.set(key, new Set());
    map.get(key)!.add(value);
  };
  // Between two segments of a method path: `.`, `?.`, and a line break before or after it (a chain
  // split over lines); then any `with_raw_response`-like segments.
  const dot = `\\s{0,80}\\??\\.\\s{0,80}`;
  const transparent = `(?:${dot}(?:${alternation(catalog.transparentSegments)}))*`;
  for (const sdk of catalog.sdks) {
    const lang = sdk.language;
    for (const m of sdk.markers) {
      if (sdk.markersIn === 'text') anywhere[lang].add(escapeRegExp(m));
      else if (lang === 'typescript' && sdk.receiverHeuristics?.length) anyImportMarkers.add(m);
      else packageMarkers[lang].add(m);
    }
    // Heuristic matches need no import of the SDK in the file (the client comes from elsewhere), so
    // their method paths are markers too, through `with_raw_response`-like segments: `chat.completions`.
    for (const m of methodSpecsOf(sdk)) {
      for (const p of m.heuristic ? m.paths : []) {
        const [first, second] = p.split('.');
        // A one-segment path is a marker on its own, called (`runtime.converse(`) or handed to an
        // indirect call (`to_thread(runtime.converse, …)`): as a word it is in every Bedrock URL.
        if (second === undefined) anywhere[lang].add(`${escapeRegExp(first)}(?:\\s*(?:\\?\\.)?\\(|\\s*[,)])`);
        else addTo(heuristicPaths[lang], first, second);
      }
      // `client.send(new ConverseCommand(…))` matches by the command's class name alone.
      for (const command of Object.keys(m.commands ?? {})) anywhere[lang].add(`\\b${escapeRegExp(command.slice(command.lastIndexOf('.') + 1))}\\b`);
    }
    // Python: a module used by name without an import this file shows (`from .deps import *`, then
    // `openai.ChatCompletion.create(…)`) still resolves to the catalogue's symbol.
    if (lang === 'python' && sdk.markersIn !== 'text') {
      for (const symbol of [...sdk.clients.flatMap((c) => c.symbols), ...(sdk.functions ?? []).flatMap((f) => f.paths)]) {
        const module = symbol.replace(/\(\)/g, '').split('.').slice(0, -1).join('.');
        if (module) pythonModules.add(`${module}.`);
      }
    }
  }
  // One alternative per first segment: `chat(?:\.with_raw_response)*\.(?:completions|complete|…)`.
  for (const lang of ['python', 'typescript'] as const) {
    for (const [first, seconds] of heuristicPaths[lang]) anywhere[lang].add(`${escapeRegExp(first)}${transparent}${dot}(?:${alternation([...seconds])})`);
  }
  // `openai.` covers `openai.lib.azure.`; plain text, no word boundary: a literal alternation is
  // what the regex engine scans fastest, and `xopenai.` passing too costs nothing.
  const modules = [...pythonModules].sort();
  for (const m of modules) if (!modules.some((shorter) => shorter !== m && m.startsWith(shorter))) anywhere.python.add(escapeRegExp(m));
  for (const h of catalog.http) {
    for (const m of h.markers) hosts[h.language].add(m);
    // `axios.default.post` → axios, `requests.Session().post` → requests, `fetch` → fetch.
    for (const c of h.clients) for (const s of c.symbols) clients[h.language].add(s.split('.')[0].replace(/\(\)$/, ''));
  }
  const http = (language: Language) => ({
    hosts: new RegExp(alternation([...hosts[language]])),
    clients: new RegExp(`\\b(?:${alternation([...clients[language]])})\\b`),
    calls: httpCallsPattern(language, catalog.http.filter((h) => h.language === language).flatMap((h) => h.clients.flatMap((c) => c.symbols))),
  });
  return {
    catalog,
    markerPattern: {
      python: new RegExp([importedPythonMarkers([...packageMarkers.python]), ...anywhere.python].join('|')),
      typescript: new RegExp([importedMarkers([...packageMarkers.typescript], [...anyImportMarkers]), ...anywhere.typescript].join('|')),
    },
    httpPattern: { python: http('python'), typescript: http('typescript') },
    callGate: { python: callGate(catalog, 'python', [...anywhere.python]), typescript: callGate(catalog, 'typescript', [...anywhere.typescript]) },
  };
}

/**
 * See `CatalogIndex.httpPattern`: a global client called or handed on (`fetch(`, `fetch,`, `const
 * send = fetch // …`; not `this.config.fetch,`), any client method called (`.post(`,
 * `got.post<T>(`), or a client module imported, after which the local names are the importer's
 * choice (`import { fetch as f } from 'undici'`, `from requests import post`, `send = requests.post`).
 */
function httpCallsPattern(language: Language, symbols: string[]): RegExp {
  const methods = new Set<string>();
  const globals = new Set<string>();
  const modules = new Set<string>();
  for (const symbol of symbols) {
    const parts = symbol.replace(/\(\)/g, '').split('.');
    const last = parts[parts.length - 1];
    if (parts.length === 1 && /^[A-Za-z_$][\w$]*$/.test(last)) globals.add(last);
    else modules.add(parts[0]);
    if (parts.length > 1 && last !== 'default') methods.add(last);
  }
  const alternatives = [`\\b(?:${alternation([...new Set([...methods, ...globals])])})\\s*(?:<[^<>()]{0,200}>\\s*)?(?:\\?\\.)?\\(`];
  if (globals.size) alternatives.push(`(?<![.\\w$])(?:${alternation([...globals])})(?:\\s*[,;)]|[ \\t]*(?://|#|\\r?$))`);
  alternatives.push(language === 'python' ? importedPythonMarkers([...modules]) : importedPackages({ exact: [...modules] }));
  return new RegExp(alternatives.join('|'), 'm');
}

function callGate(catalog: Catalog, language: Language, anywhere: string[]): CallGate {
  const importsByName = new Map<string, RegExp[]>();
  for (const sdk of catalog.sdks) {
    // `markersIn: text` markers are in `anywhere` already.
    if (sdk.language !== language || sdk.markersIn === 'text') continue;
    const imports = new RegExp(sdkImportPattern(sdk));
    for (const name of callNamesOf(sdk)) importsByName.set(name, [...(importsByName.get(name) ?? []), imports]);
  }
  return {
    anywhere: anywhere.length ? new RegExp(anywhere.join('|')) : null,
    callNames: new RegExp(`\\b(?:${alternation([...importsByName.keys()])})\\b`, 'g'),
    importsByName,
  };
}

/**
 * The import test of one SDK. In TS/JS the extraction matches a call through an import of one of the
 * SDK's client or function modules, by package name (`openai`, or a subpath such as
 * `openai/resources`; not `@ai-sdk/openai`), so that is what counts here; SDKs with receiver
 * heuristics accept any module with their marker, as in `markerPattern`. Python's imports name
 * submodules in many ways (`from google import genai`): the markers, as in `markerPattern`.
 */
function sdkImportPattern(sdk: SdkSpec): string {
  if (sdk.language === 'python') return importedPythonMarkers(sdk.markers);
  if (sdk.receiverHeuristics?.length) return importedPackages({ inAnyImport: sdk.markers });
  const symbols = [...sdk.clients.flatMap((c) => c.symbols), ...(sdk.functions ?? []).flatMap((f) => f.paths), ...(sdk.moduleClients ?? [])];
  // `@ai-sdk/openai.createOpenAI()` → `@ai-sdk/openai`.
  return importedPackages({ exact: [...new Set(symbols.map((symbol) => symbol.split('.')[0]))] });
}

/** An SDK's methods: its own and its method groups' (module-level `functions` are apart). */
export function methodSpecsOf(sdk: SdkSpec): MethodSpec[] {
  return [...(sdk.methods ?? []), ...Object.values(sdk.methodGroups ?? {}).flat()];
}

/** The names an SDK's calls are matched by: the last segment of each method and function path. */
function callNamesOf(sdk: SdkSpec): string[] {
  const specs = [...methodSpecsOf(sdk), ...(sdk.functions ?? [])];
  return [...new Set(specs.flatMap((m) => m.paths.map((p) => p.slice(p.lastIndexOf('.') + 1))))];
}

/**
 * In Python an SDK marker counts only in an import statement (`import openai`, `from
 * langchain_openai import ChatOpenAI`, `from google import genai`, a parenthesised name list too),
 * for the same reason as in TypeScript: "litellm" in a settings key or a docstring is not a call.
 * Markers that spell out their import (`import together`) stay verbatim.
 */
function importedPythonMarkers(markers: string[]): string {
  const verbatim = markers.filter((m) => /\s/.test(m));
  const inStatement = markers.filter((m) => !verbatim.includes(m));
  // Not anchored to a line start (`try: import cohere` counts too): anchoring made the scan 3× slower,
  // and "import openai" in a comment only costs a parse. The bounds keep a long line linear: unbounded,
  // every "from " in a 1 MB line of text scanned to its end (40 s).
  const statement = `\\b(?:from|import)[ \\t]+(?:[^\\n(]{0,300}?|[^\\n(]{0,300}\\([^)]{0,1000}?)(?:${alternation(inStatement)})`;
  return verbatim.length ? `${statement}|${alternation(verbatim)}` : statement;
}

/** `a.b` → `a\\.b`: text matched literally inside a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function alternation(markers: string[]): string {
  return markers.map(escapeRegExp).join('|');
}

/**
 * In TypeScript and JavaScript an SDK marker counts only inside the specifier of a package import
 * (`from '@ai-sdk/openai'`, `require('openai')`, `import('ollama')`), where the extraction looks for
 * it: as a bare word ("openai" in a provider id, a comment, `./openai-chat-model`) it sent every file
 * of a provider SDK's own repository through the full parse for nothing. A marker in quotes (`'ai'`)
 * is the whole package name; the others may be part of it (`bedrock` in `@aws-sdk/client-bedrock-runtime`).
 * `inAnyImport`: markers of SDKs whose receiver heuristics accept any module with their name,
 * the project's own too (`../langchain/models`).
 */
function importedMarkers(markers: string[], inAnyImport: string[]): string {
  const exact = markers.filter((m) => /^'.*'$/.test(m)).map((m) => m.slice(1, -1));
  const partial = markers.filter((m) => !/^'.*'$/.test(m));
  return importedPackages({ partial, exact, inAnyImport });
}

/** A package import whose specifier contains a `partial` name, is an `exact` one (or a subpath of it), or names `inAnyImport` anywhere. */
function importedPackages({ partial = [], exact = [], inAnyImport = [] }: { partial?: string[]; exact?: string[]; inAnyImport?: string[] }): string {
  // `import(/* webpackChunkName: "ai" */ 'ai')` too. One `\\s*` per gap (two in a row backtrack
  // quadratically on a long run of spaces), and specifiers are short: the bounds keep long lines linear.
  const specifier = `(?:\\bfrom|\\bimport|\\brequire)\\s*(?:\\((?:\\s*/\\*[^*]{0,200}\\*/)?\\s*)?['"\`]`;
  // Relative paths and the usual aliases for the project's own root are never an SDK…
  const alternatives: string[] = [];
  if (partial.length) alternatives.push(`(?![./]|[@~]/)[^'"\`\\r\\n]{0,200}?(?:${alternation(partial)})`);
  if (exact.length) alternatives.push(`(?![./]|[@~]/)(?:${alternation(exact)})['"\`/]`);
  // …except for SDKs whose receiver heuristics take any module with their name (`../langchain/models`).
  if (inAnyImport.length) alternatives.push(`[^'"\`\\r\\n]{0,200}?(?:${alternation(inAnyImport)})`);
  return `${specifier}(?:${alternatives.join('|')})`;
}
