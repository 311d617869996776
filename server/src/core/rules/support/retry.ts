/**
 * Retry facts shared by the reliability rules: hand-written retry loops (their attempt bound and
 * wait), retry libraries, exception names in handlers, and small name helpers.
 */
import { dottedName, type CallInfo, type Expr, type Loop, type Span, type TryContext, lastName } from '../../ir';
import type { CallSite } from '../../types';
import type { RuleContext } from '../types';

type CallExpr = Extract<Expr, { k: 'call' }>;

export const RETRY_HANDLER = /sleep|setTimeout|retry|backoff|wait|delay|continue/i;
/** Calls that wait, by their last name. */
export const SLEEP = /^(sleep|async_sleep|sleep_?ms|setTimeout|delay|wait|pause|snooze)$/i;
/** Anything that may wait or compute a wait (a helper such as `backoff(attempt)`). */
export const WAITISH = /sleep|wait|delay|backoff|setTimeout|pause|snooze|throttle|cooldown|retry_?after/i;
/** Calls in a handler that certainly do not wait: logging, formatting, building the error to raise. */
export const INERT = new Set(['print', 'debug', 'info', 'warning', 'warn', 'error', 'exception', 'critical', 'log', 'trace', 'append', 'push', 'format', 'str', 'repr', 'len', 'isinstance', 'type', 'getattr', 'hasattr', 'range', 'String', 'Number', 'stringify', 'dumps', 'write', 'flush', 'add', 'inc', 'increment', 'captureException', 'capture_exception', 'get', 'int', 'float', 'round', 'min', 'max', 'time', 'monotonic', 'now']);


export function handRetryLoop(site: CallSite, ctx: RuleContext): { loop: Loop; t: TryContext } | null {
  for (const loop of site.info.loops) {
    const t = tryInside(site.info, loop);
    if (t && isHandRetryLoop(loop, t, ctx)) return { loop, t };
  }
  return null;
}

/** The innermost try around the call that lies inside `loop`. */
function tryInside(info: CallInfo, loop: Loop): TryContext | null {
  return info.tries.find((t) => t.span.start >= loop.span.start && t.span.end <= loop.span.end) ?? null;
}

/**
 * A try-in-a-loop that re-runs the call: the loop counts (a `while`, `for … in range(…)`, a C-style `for`), the handler
 * waits, continues or falls through to the next iteration, the loop ends on success, and (Python) the handler catches API errors — a loop that only re-asks on
 * `json.JSONDecodeError` is a validation re-ask, not a rate-limit retry.
 */
function isHandRetryLoop(loop: Loop, t: TryContext, ctx: RuleContext): boolean {
  const counts = loop.kind === 'while' || (loop.kind === 'for' && (ctx.language === 'python' ? !!loop.header && isRange(loop.header) : loop.iterable === null));
  // The handler waits or says it retries — or simply does not leave the loop, so the next iteration re-runs the call.
  if (!counts || !(RETRY_HANDLER.test(t.handlerText) || !/\b(raise|throw|break|return)\b/.test(stripCode(t.handlerText)))) return false;
  if (!loop.hasExit) {
    // No `break`/`return`: only a `while` whose condition the successful attempt changes (`while response is None`,
    // `while not done`) ends on success; `while queue:` around `queue.pop()` is a work loop, not a retry.
    const cond = loop.kind === 'while' && !loop.infinite ? whileCondition(loop, ctx) : undefined;
    const tryText = ctx.text.slice(t.span.start, t.span.end);
    if (cond === undefined || !(cond.match(/[A-Za-z_]\w*/g) ?? []).some((name) => reassigned(name, tryText))) return false;
  }
  return catchesApiErrors(t.catches);
}

/** The condition of a `while` / `do … while` loop, as source text. */
function whileCondition(loop: Loop, ctx: RuleContext): string | undefined {
  const text = ctx.text.slice(loop.span.start, loop.span.end);
  return ctx.language === 'python' ? /^while\s+(.*?):/s.exec(text)?.[1] : /^(?:do\b.*\bwhile|while)\s*\((.*?)\)/s.exec(text)?.[1];
}

/** The handlers of `t` plus the loop body outside the try: what runs when an attempt fails. */
export function failureRegions(text: string, loop: Loop, t: TryContext): Span[] {
  return [{ start: loop.span.start, end: t.span.start }, ...handlerRegions(text, t), { start: t.span.end, end: loop.span.end }];
}

/** A `for` with a header is bounded; a `while` is bounded by a counter in its condition or a counted exit in the handler. */
export function attemptBounded(loop: Loop, failureText: string, ctx: RuleContext): boolean {
  if (loop.kind === 'for' && !loop.infinite) return true;
  const counted = /\+=|-=|\+\+|--|deadline|monotonic|time\.time|Date\.now|performance\.now|(attempt|retr|tries|count|max|limit)\w*\s*([<>]=?|==)/i;
  if (/\b(raise|throw|break|return)\b|\bexit\(/.test(failureText) && counted.test(failureText)) return true;
  if (loop.infinite) return false;
  const cond = whileCondition(loop, ctx);
  return cond === undefined || /[<>]|\d|attempt|retr|tries|count|remaining|left|max|limit|budget|deadline|time/i.test(cond);
}

type Wait = { kind: 'backoff' } | { kind: 'none' } | { kind: 'constant'; shown: string };

/** How the failure path waits: not at all, a loop-invariant sleep, or something that may grow (a backoff). */
export function waitKind(site: CallSite, loop: Loop, regions: Span[], ctx: RuleContext): Wait {
  const inRegion = (s: Span) => regions.some((r) => s.start >= r.start && s.end <= r.end);
  const calls = ctx.ir.calls.filter((c) => inRegion(c.expr.span) && !(c.expr.span.start >= site.span.start && c.expr.span.end <= site.span.end));
  const loopText = ctx.text.slice(loop.span.start, loop.span.end);
  let constant: string | null = null;
  for (const c of calls) {
    const name = lastName(c.expr.callee);
    if (SLEEP.test(name)) {
      const delay = delayArg(c.expr, name);
      if (!delay || !invariant(delay, loopText, ctx)) return { kind: 'backoff' };
      constant ??= ctx.resolver.textOf(c.expr);
    } else if (WAITISH.test(ctx.resolver.textOf(c.expr.callee))) {
      return { kind: 'backoff' };
    }
  }
  if (constant) return { kind: 'constant', shown: constant };
  const inert = calls.every((c) => c.expr === loop.header || INERT.has(lastName(c.expr.callee)) || /(Error|Exception)$/.test(lastName(c.expr.callee)) || /^(logger|logging|log|console)$/i.test(rootName(c.expr.callee)));
  return inert ? { kind: 'none' } : { kind: 'backoff' };
}

/** `time.sleep(x)`, `asyncio.sleep(x)`, `sleep(ms)`: the first argument; `setTimeout(fn, ms)`: the second. */
function delayArg(call: CallExpr, name: string): Expr | null {
  const positional = call.args.filter((a) => !a.name && !a.spread);
  if (name === 'setTimeout') return positional.length >= 2 ? positional[1].value : positional[0]?.value.k === 'num' ? positional[0].value : null;
  return positional[0]?.value ?? call.args.find((a) => a.name && !a.spread)?.value ?? null;
}

/** The same value on every attempt: literals and names the loop never reassigns (nor iterates over). */
function invariant(e: Expr, loopText: string, ctx: RuleContext): boolean {
  switch (e.k) {
    case 'num':
      return true;
    case 'name':
    case 'attr': {
      const path = dottedName(e);
      return !!path && !reassigned(path.join('.'), loopText);
    }
    case 'binop':
      return e.op !== '?:' && invariant(e.left, loopText, ctx) && invariant(e.right, loopText, ctx);
    default:
      return false;
  }
}

function reassigned(name: string, loopText: string): boolean {
  const n = name.replace(/[.$]/g, (c) => `\\${c}`);
  return new RegExp(`(^|[^\\w.])${n}\\s*(\\*\\*|//|>>|<<|[-+*/%|&^])?=(?!=)|(\\+\\+|--)\\s*${n}\\b|(^|[^\\w.])${n}\\s*(\\+\\+|--)|\\b(let|const|var)\\s+${n}\\b|\\bfor\\s+[\\w\\s,()]*\\b${n}\\b[\\w\\s,()]*\\bin\\b`, 'm').test(loopText);
}

export function loopLabel(text: string, loop: Loop): string {
  const lines = text.slice(loop.span.start, loop.span.end).split('\n');
  const first = lines[0].trim();
  if (/^do\b/.test(first)) return `do … ${lines[lines.length - 1].trim().replace(/^}\s*/, '').replace(/;$/, '')}`;
  return first.replace(/\s*[:{]\s*$/, '').replace(/^async\s+/, '');
}

function isRange(e: Expr): boolean {
  return e.k === 'call' && e.callee.k === 'name' && e.callee.name === 'range';
}

export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// ---- shared by the reliability rules (stacked-retries, missing-timeout, unbounded-agent-loop, unhandled-rate-limit) ----

const PROVIDER_NAMES: Record<string, string> = {
  openai: 'OpenAI', 'azure-openai': 'Azure OpenAI', anthropic: 'Anthropic', google: 'Google', cohere: 'Cohere', mistral: 'Mistral',
  bedrock: 'Bedrock', litellm: 'LiteLLM', langchain: 'LangChain', 'vercel-ai': 'AI SDK', groq: 'Groq', together: 'Together', ollama: 'Ollama',
};

/** `openai` → `OpenAI`, for messages. */
export function providerName(provider: string): string {
  return PROVIDER_NAMES[provider] ?? provider;
}

/** The module a callee comes from (`tenacity`, `backoff`, `p-retry`), or null when it is not imported. */
export function libraryOf(e: Expr, scope: number, ctx: RuleContext): string | null {
  const sym = ctx.resolver.resolveSym(e, scope);
  if (!sym || sym.unbound) return null;
  return sym.parts[0].name.replace(/^node:/, '').split('.')[0] || null;
}

/** The name a callee has in its module (`retry` for `from retrying import retry as retrying_retry`). */
export function importedName(e: Expr, scope: number, ctx: RuleContext): string {
  const sym = ctx.resolver.resolveSym(e, scope);
  return sym && !sym.unbound ? sym.parts[sym.parts.length - 1].name : lastName(e);
}


function rootName(e: Expr): string {
  if (e.k === 'name') return e.name;
  if (e.k === 'attr') return e.object.k === 'name' && (e.object.name === 'self' || e.object.name === 'this') ? e.name : rootName(e.object);
  if (e.k === 'call') return rootName(e.callee);
  return '';
}

/** A dict/object literal's entries when every key is visible (no spread, no unresolved name). */
export function visibleEntries(e: Expr, scope: number, ctx: RuleContext): ReadonlyMap<string, { expr: Expr; scope: number }> | null {
  const d = ctx.resolver.deref(e, scope);
  if (d.expr.k !== 'dict' || d.expr.entries.some((en) => !('key' in en))) return null;
  return ctx.resolver.dictEntries(d.expr, d.scope);
}

/** The source ranges of a try's handlers (Python `except` clauses, the JS `catch` clause). */
export function handlerRegions(text: string, t: TryContext): Span[] {
  const out: Span[] = [];
  let from = t.span.start;
  for (const h of t.handlerText.split(/\n(?=except\b)/)) {
    if (!h) continue;
    const at = text.indexOf(h, from);
    if (at < 0 || at > t.span.end) continue;
    out.push({ start: at, end: at + h.length });
    from = at + h.length;
  }
  return out;
}

/** Exceptions that are never a rate limit (parsing, validation, programming errors, timeouts, 4xx other than 429). */
const NOT_RATE_LIMIT = new Set([
  'ValueError', 'KeyError', 'TypeError', 'IndexError', 'AttributeError', 'JSONDecodeError', 'ValidationError', 'StopIteration',
  'StopAsyncIteration', 'KeyboardInterrupt', 'FileNotFoundError', 'ImportError', 'ModuleNotFoundError', 'NotImplementedError',
  'UnicodeDecodeError', 'UnicodeEncodeError', 'ZeroDivisionError', 'AssertionError', 'APITimeoutError', 'TimeoutError',
  'APIConnectionError', 'ContentFilterFinishReasonError', 'LengthFinishReasonError', 'BadRequestError', 'AuthenticationError',
  'PermissionDeniedError', 'NotFoundError', 'UnprocessableEntityError', 'InvalidRequestError', 'OutputParserException',
  'CancelledError', 'ConnectTimeout', 'ReadTimeout', 'ConnectError', 'ConnectionError', 'ParseError', 'PydanticValidationError',
]);

/** Whether a handler catching these (source texts; `*` = bare `except:` / JS `catch`) can catch a rate-limit error. */
export function catchesApiErrors(catches: string[]): boolean {
  return catches.some((c) => c === '*' || exceptionNames(c).some((n) => !NOT_RATE_LIMIT.has(n)));
}

/** `(openai.RateLimitError, json.JSONDecodeError)` → ['RateLimitError', 'JSONDecodeError']. */
export function exceptionNames(text: string): string[] {
  return text.split(/[\s(),|]+/).filter(Boolean).map((n) => n.slice(n.lastIndexOf('.') + 1)).filter((n) => /^[A-Za-z_]\w*$/.test(n) && n !== 'as');
}

/** Source with comments and string contents blanked, so keywords in messages do not count. */
export function stripCode(s: string): string {
  return s.replace(/(["'`])(?:\\.|(?!\1)[^\\\n])*\1/g, '""').replace(/#.*$|\/\/.*$/gm, '');
}
