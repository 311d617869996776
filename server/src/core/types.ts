/**
 * The engine's own data. Adapters (CLI, LSP) convert these to their wire formats explicitly:
 * spans here are UTF-16 offsets into the analysed text; the CLI prints 1-based lines and
 * columns, the LSP 0-based positions.
 */
import type { CallKind, Provider } from './catalog';
import type { CallInfo, Span } from './ir';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** A value read from source: a literal, or dynamic with the expression that produces it. */
export interface Value<T> {
  value: T | null;
  expression: string | null;
  /** For dynamic values with a visible fallback: `os.getenv("MODEL", "gpt-4o")`, a parameter default. */
  default?: T | null;
}

export type PromptSegment = { text: string } | { hole: string; expression: string };

export interface PromptPart {
  /** `system`, `user`, `assistant`, … for messages; `input` for plain text inputs. */
  role: string;
  segments: PromptSegment[];
}

/** `unknown`: decided outside what we analyse (a prompt file's retries belong to the code that runs it). */
export type RetryKind = 'sdk-default' | 'sdk-configured' | 'sdk-disabled' | 'wrapper' | 'none' | 'unknown';

export interface RetryInfo {
  kind: RetryKind;
  /** Total attempts including the first; null when configured dynamically or by a wrapper. */
  attempts: number | null;
  /** What decided it: `OpenAI SDK default (2 retries)`, `@retry decorator`, `max_retries=0`. */
  source: string;
  /** Attempts the SDK itself makes under a wrapper (for stacked retries); null when unknown. */
  sdkAttempts: number | null;
}

export interface TimeoutInfo {
  /** null with `configured`: set, but not to a literal we can read (an AbortSignal, a variable). */
  seconds: number | null;
  source: 'sdk-default' | 'configured' | 'none' | 'unknown';
}

export interface LoopContext {
  kind: 'for' | 'while' | 'comprehension' | 'callback';
  tripCount: number | null;
  iterable: string | null;
  infinite: boolean;
  hasExit: boolean;
}

export interface OutputBound {
  /** The parameter as written (`max_tokens`, `config.max_output_tokens`). */
  param: string;
  /** The literal bound; null when dynamic. */
  value: number | null;
  expression: string | null;
  /** A dynamic bound's visible fallback (`int(os.getenv("MAX", "512"))`). */
  default?: number | null;
}

/** What extraction reads off a call: the SDK, the model, the bound, the prompt, retries and loops. */
export interface CallFacts {
  provider: Provider;
  /** Whose models and prices apply (LangChain `ChatAnthropic` → anthropic). */
  modelProvider: Provider;
  api: string;
  kind: CallKind;
  /** Matched by method path alone: the receiver could not be resolved to an SDK client. */
  heuristic: boolean;
  model: Value<string>;
  maxOutputTokens: OutputBound | null;
  /** Output-bound parameters this API accepts, the preferred one first (what a fix adds). */
  outputParams: string[];
  /** The bound is set where the receiver is built (LangChain `ChatOpenAI(max_tokens=…)`), not in the call. */
  boundFromReceiver: boolean;
  /** Some arguments are not visible (`**params`, `create(options)`): absent parameters may be set there. */
  opaqueArgs: boolean;
  outputRequired: boolean;
  retry: RetryInfo;
  timeout: TimeoutInfo;
  streaming: boolean;
  /** Completions per request (`n`, `candidate_count`), when set. */
  n: number | null;
  loops: LoopContext[];
  prompt: PromptPart[];
  /** The sampling temperature, or null when left to the provider's default. */
  temperature: Value<number> | null;
  /** What asks for structured output (`response_format`, `.parse()`, `with_structured_output`), or null. */
  structuredOutput: string | null;
}

export interface CallSite extends CallFacts {
  id: string;
  file: string;
  /** Notebooks: index of the cell in the notebook's `cells` array. */
  cell: number | null;
  span: Span;
  /** Enclosing function, qualified (`Summarizer.run`), or `<module>`. */
  functionName: string;
  estimate: Estimate;
  /** The call in the IR (its expression, scope, loops, try blocks and enclosing calls), for rules. */
  info: CallInfo;
}

export interface TokenCount {
  expected: number;
  static: number;
  holes: number;
  exact: boolean;
}

export interface Estimate {
  model: string | null;
  priceKey: string | null;
  inputTokens: TokenCount;
  outputTokens: { expected: number; worstCase: number | null };
  /** USD; null when the model or its price is unknown — never a silent zero. */
  costPerCallUsd: { expected: number | null; worstCase: number | null };
  tokenizer: string;
  assumptions: string[];
}

export interface TextEdit {
  span: Span;
  newText: string;
}

export interface Fix {
  safety: 'safe' | 'unsafe';
  description: string;
  edits: TextEdit[];
}

export interface Diagnostic {
  rule: string;
  severity: Severity;
  span: Span;
  cell: number | null;
  message: string;
  /** Why it costs money or fails under load. */
  note: string;
  /** What to do. */
  help: string;
  callSiteId: string | null;
  fix: Fix | null;
}

export interface FileIssue {
  file: string;
  message: string;
}

export interface FileResult {
  file: string;
  language: 'python' | 'typescript' | 'notebook' | 'prompt' | null;
  callSites: CallSite[];
  diagnostics: Diagnostic[];
  /** The file could not be analysed (or only partly): one entry per problem. */
  errors: FileIssue[];
  /** Analysed, with a caveat (syntax error recovered, invalid UTF-8 replaced). */
  warnings: FileIssue[];
  /** Notebooks: where each code cell starts in the concatenated text we analysed… */
  cellOffsets?: number[];
  /** …and its index in the notebook's `cells` array. */
  cellIndexes?: number[];
  /** The text that spans refer to (for notebooks, the concatenated cells). */
  text: string;
  /** Other files this result read: imported modules and prompt files (for re-analysis on change). */
  dependencies?: string[];
}
