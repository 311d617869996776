import { dottedName, type Arg, type CallInfo, type Expr, type Loop, type Span, type TryContext } from '../ir';
import type { CallSite } from '../types';
import type { RuleContext, RuleDefinition } from './types';

type CallExpr = Extract<Expr, { k: 'call' }>;

interface Problem {
  message: string;
  help: string;
}

export const retryWithoutBackoff: RuleDefinition = {
  id: 'retry-without-backoff',
  category: 'reliability',
  defaultSeverity: 'warning',
  strictSeverity: 'warning',
  fixSafety: 'none',
  docs: {
    summary: 'A retry around an LLM call with a constant or no wait, or no attempt limit.',
    whatItDoes:
      'Flags retries that make rate limiting worse: hand-written retry loops around an LLM call that wait a constant time ' +
      '(`time.sleep(1)`, `await sleep(1000)`, `setTimeout(r, 1000)`) or not at all, or that never stop (`while True` with no ' +
      'attempt counter); a tenacity/retrying/retry `@retry` with no stop or no wait (bare `@retry` retries forever, immediately); ' +
      '`@backoff.on_exception` with neither `max_tries` nor `max_time` (unbounded); and p-retry/async-retry with `retries: Infinity`. ' +
      'When the handler looks for a 429 but never reads `Retry-After`, the message says so.',
    whyIsThisBad:
      'A 429 means “slow down”. Clients that retry immediately or on a fixed beat keep the limit saturated and retry in ' +
      'lockstep, so most attempts fail again and each one still counts against requests-per-minute. A retry with no attempt ' +
      'limit turns an outage or an exhausted quota into a request that never finishes and a loop that never stops billing.',
    example: [
      { language: 'python', code: 'import time\nimport openai\nclient = openai.OpenAI()\n\ndef ask(q):\n    while True:\n        try:\n            return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": q}], max_completion_tokens=200)\n        except openai.RateLimitError:\n            time.sleep(1)\n' },
      { language: 'python', code: 'from tenacity import retry\nfrom openai import OpenAI\nclient = OpenAI()\n\n@retry\ndef ask(q):\n    return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": q}], max_completion_tokens=200)\n' },
      { language: 'typescript', code: "import OpenAI from 'openai';\nconst client = new OpenAI();\nconst sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));\n\nexport async function ask(q: string) {\n  for (let attempt = 0; attempt < 5; attempt++) {\n    try {\n      return await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: q }], max_completion_tokens: 200 });\n    } catch (err) {\n      await sleep(1000);\n    }\n  }\n}\n" },
    ],
    useInstead: [
      { language: 'python', code: 'from tenacity import retry, stop_after_attempt, wait_random_exponential\nfrom openai import OpenAI\nclient = OpenAI()\n\n@retry(stop=stop_after_attempt(5), wait=wait_random_exponential(min=1, max=60))\ndef ask(q):\n    return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": q}], max_completion_tokens=200)\n' },
      { language: 'typescript', code: "import OpenAI from 'openai';\nconst client = new OpenAI();\nconst sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));\n\nexport async function ask(q: string) {\n  for (let attempt = 0; attempt < 5; attempt++) {\n    try {\n      return await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: q }], max_completion_tokens: 200 });\n    } catch (err) {\n      await sleep(Math.min(30_000, 500 * 2 ** attempt) + Math.random() * 250);\n    }\n  }\n}\n" },
    ],
    fixSafety: 'No automatic fix: the attempt limit and the backoff curve depend on the caller’s latency budget.',
    options: 'None beyond the severity, which is set like any rule’s.',
  },
  checkCallSite(site, ctx) {
    const problems = [...decoratorProblems(site, ctx), ...wrapperProblems(site, ctx), ...loopProblems(site, ctx)];
    for (const p of problems) {
      ctx.report({
        span: site.span,
        message: p.message,
        note: 'A 429 asks the client to slow down: retrying at once or on a fixed beat keeps the limit saturated, and retrying forever never gives up on an outage or an exhausted quota.',
        help: p.help,
      });
    }
  },
};

// ---- decorators: tenacity / retrying / retry `@retry`, `@backoff.on_exception` ---------------

const PY_BACKOFF_HELP = 'Back off exponentially with jitter and stop after a few attempts: `@retry(stop=stop_after_attempt(5), wait=wait_random_exponential(min=1, max=60))`.';

function decoratorProblems(site: CallSite, ctx: RuleContext): Problem[] {
  const out: Problem[] = [];
  for (let s: number | null = site.info.scope; s !== null; s = ctx.ir.scopes[s].parent) {
    for (const d of ctx.ir.scopes[s].decorators) {
      const target = d.k === 'call' ? d.callee : d;
      const lib = libraryOf(target, s, ctx);
      const member = importedName(target, s, ctx);
      const args = d.k === 'call' ? d.args : [];
      if (!lib || args.some((a) => a.spread)) continue;
      const shown = `\`@${ctx.resolver.textOf(target)}\``;
      if (member === 'retry' && (lib === 'tenacity' || lib === 'retrying' || lib === 'retry')) {
        const { stops, waits } = retryDecoratorLimits(lib, args, ctx, s);
        if (stops && waits) continue;
        const what = !stops && !waits ? 'retries forever, with no wait between attempts' : !stops ? 'retries forever' : 'retries immediately, with no wait between attempts';
        const missing = lib === 'tenacity' ? [!stops && '`stop=`', !waits && '`wait=`'] : lib === 'retrying' ? [!stops && '`stop_*` argument', !waits && '`wait_*` argument'] : [!stops && '`tries=`', !waits && '`delay=`'];
        out.push({
          message: `${shown} (${lib}) around \`${site.api}\` has no ${missing.filter(Boolean).join(' and no ')}: it ${what}.`,
          help: lib === 'tenacity' ? PY_BACKOFF_HELP
            : lib === 'retrying' ? 'Set `stop_max_attempt_number=5, wait_exponential_multiplier=1000, wait_exponential_max=60000`, or switch to tenacity with `stop=` and `wait=`.'
            : 'Set `tries=5, delay=1, backoff=2, jitter=(0, 1)`.',
        });
      } else if (lib === 'backoff' && /^on_(exception|predicate)$/.test(member)) {
        if (args.some((a) => a.name === 'max_tries' || a.name === 'max_time')) continue;
        out.push({
          message: `${shown} around \`${site.api}\` has no \`max_tries\` or \`max_time\`: it retries forever.`,
          help: 'Add `max_tries=5` or `max_time=60` so a persistent failure surfaces instead of retrying forever.',
        });
      }
    }
  }
  return out;
}

/** tenacity: `stop=`/`wait=`; retrying: `stop_*`/`wait_*`; retry: `tries`/`delay` (positional 2nd and 3rd), `tries=-1` is forever. */
function retryDecoratorLimits(lib: string, args: Arg[], ctx: RuleContext, scope: number): { stops: boolean; waits: boolean } {
  const kw = (name: string) => args.find((a) => a.name === name);
  if (lib === 'tenacity') return { stops: !!kw('stop'), waits: !!kw('wait') };
  if (lib === 'retrying') return { stops: args.some((a) => a.name?.startsWith('stop')), waits: args.some((a) => a.name?.startsWith('wait')) };
  const positional = args.filter((a) => !a.name);
  const tries = kw('tries')?.value ?? positional[1]?.value;
  const delay = kw('delay')?.value ?? positional[2]?.value;
  const num = (e: Expr | undefined) => (e ? ctx.resolver.numberValue(e, scope).value : null);
  return { stops: !!tries && num(tries) !== -1, waits: !!delay && num(delay) !== 0 };
}

// ---- wrapper calls and retrying loops: p-retry `retries: Infinity`, tenacity `Retrying()` -----

const JS_FOREVER: Record<string, string> = { 'p-retry': 'retries', 'async-retry': 'retries', 'promise-retry': 'retries', 'exponential-backoff': 'numOfAttempts' };

function wrapperProblems(site: CallSite, ctx: RuleContext): Problem[] {
  const out: Problem[] = [];
  const { scope } = site.info;
  for (const c of site.info.enclosingCalls) {
    const lib = libraryOf(c.callee, scope, ctx);
    const key = lib ? JS_FOREVER[lib] : undefined;
    if (!key) continue;
    for (const a of c.args) {
      const entries = visibleEntries(a.value, scope, ctx);
      const count = entries?.get(key);
      const forever = entries?.get('forever');
      const infinite = count && /^(Infinity|Number\.POSITIVE_INFINITY)$/.test(ctx.resolver.textOf(ctx.resolver.deref(count.expr, count.scope).expr));
      if (!infinite && !(forever && forever.expr.k === 'bool' && forever.expr.value)) continue;
      out.push({
        message: `\`${ctx.resolver.textOf(c.callee)}\`${ctx.resolver.textOf(c.callee) === lib ? '' : ` (${lib})`} around \`${site.api}\` is set to ${infinite ? `\`${key}: Infinity\`` : '`forever: true`'}: it retries forever.`,
        help: `Set a finite \`${key}\` (5–10) so a persistent failure (an outage, an exhausted quota) surfaces.`,
      });
    }
  }
  for (const loop of site.info.loops) {
    if (!loop.header) continue;
    const d = ctx.resolver.deref(loop.header, scope);
    if (d.expr.k !== 'call' || !/^(Async)?Retrying$/.test(lastName(d.expr.callee)) || libraryOf(d.expr.callee, d.scope, ctx) !== 'tenacity') continue;
    const args = d.expr.args;
    if (args.some((a) => a.spread)) continue;
    const stops = args.some((a) => a.name === 'stop');
    const waits = args.some((a) => a.name === 'wait');
    if (stops && waits) continue;
    const shown = `\`${ctx.resolver.textOf(d.expr.callee)}\``;
    out.push({
      message: `${shown} (tenacity) around \`${site.api}\` has no ${[!stops && '`stop=`', !waits && '`wait=`'].filter(Boolean).join(' and no ')}: it ${!stops && !waits ? 'retries forever, with no wait between attempts' : !stops ? 'retries forever' : 'retries immediately, with no wait between attempts'}.`,
      help: 'Pass `stop=stop_after_attempt(5), wait=wait_random_exponential(min=1, max=60)`.',
    });
  }
  return out;
}

// ---- hand-written retry loops ----------------------------------------------------------------

/** Handler words that make a try-in-a-loop a retry (the extractor's test). */
const RETRY_HANDLER = /sleep|setTimeout|retry|backoff|wait|delay|continue/i;
/** Calls that wait, by their last name. */
const SLEEP = /^(sleep|async_sleep|sleep_?ms|setTimeout|delay|wait|pause|snooze)$/i;
/** Anything that may wait or compute a wait (a helper such as `backoff(attempt)`). */
const WAITISH = /sleep|wait|delay|backoff|setTimeout|pause|snooze|throttle|cooldown|retry_?after/i;
/** Calls in a handler that certainly do not wait: logging, formatting, building the error to raise. */
const INERT = new Set(['print', 'debug', 'info', 'warning', 'warn', 'error', 'exception', 'critical', 'log', 'trace', 'append', 'push', 'format', 'str', 'repr', 'len', 'isinstance', 'type', 'getattr', 'hasattr', 'range', 'String', 'Number', 'stringify', 'dumps', 'write', 'flush', 'add', 'inc', 'increment', 'captureException', 'capture_exception', 'get', 'int', 'float', 'round', 'min', 'max', 'time', 'monotonic', 'now']);

function loopProblems(site: CallSite, ctx: RuleContext): Problem[] {
  const hand = handRetryLoop(site, ctx);
  if (!hand) return [];
  const { loop, t } = hand;
  const regions = failureRegions(ctx.text, loop, t);
  const rawFailureText = regions.map((r) => ctx.text.slice(r.start, r.end)).join('\n');
  const failureText = stripCode(rawFailureText);
  const unbounded = !attemptBounded(loop, failureText, ctx);
  const wait = waitKind(site, loop, regions, ctx);
  if (!unbounded && wait.kind === 'backoff') return [];
  const label = loopLabel(ctx.text, loop);
  const parts: string[] = [];
  if (unbounded) parts.push('has no attempt limit');
  if (wait.kind === 'none') parts.push('retries immediately, with no wait between attempts');
  if (wait.kind === 'constant') parts.push(`waits a constant \`${wait.shown}\` between attempts`);
  const reads429 = /\b429\b|RateLimit|rate.?limit|TooManyRequests/i.test(t.handlerText);
  const readsRetryAfter = /retry[-_ ]?after/i.test(rawFailureText);
  const consequence = unbounded ? 'a persistent 429, an outage or an exhausted quota retries it forever' : 'clients retry in lockstep and keep the rate limit saturated';
  const py = ctx.language === 'python';
  const helps: string[] = [];
  if (unbounded) helps.push(py ? 'Cap the attempts (`for attempt in range(5)`) and re-raise after the last one' : 'Cap the attempts (`for (let attempt = 0; attempt < 5; attempt++)`) and rethrow after the last one');
  if (wait.kind !== 'backoff') {
    helps.push(py
      ? 'wait exponentially longer with jitter (`time.sleep(min(60, 2 ** attempt) + random.random())`, or tenacity’s `wait_random_exponential`)'
      : 'wait exponentially longer with jitter (`await sleep(Math.min(60_000, 1000 * 2 ** attempt) + Math.random() * 1000)`, or p-retry)');
  }
  if (reads429 && !readsRetryAfter) helps.push('on a 429, wait at least as long as its `Retry-After` header says');
  return [{
    message: `The retry loop \`${label}\` around \`${site.api}\` ${parts.join(' and ')}: ${consequence}.`,
    help: capitalise(helps.join('; ')) + '.',
  }];
}

/** The hand-written retry loop around a call, innermost first, with the try inside it. */
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
function failureRegions(text: string, loop: Loop, t: TryContext): Span[] {
  return [{ start: loop.span.start, end: t.span.start }, ...handlerRegions(text, t), { start: t.span.end, end: loop.span.end }];
}

/** A `for` with a header is bounded; a `while` is bounded by a counter in its condition or a counted exit in the handler. */
function attemptBounded(loop: Loop, failureText: string, ctx: RuleContext): boolean {
  if (loop.kind === 'for' && !loop.infinite) return true;
  const counted = /\+=|-=|\+\+|--|deadline|monotonic|time\.time|Date\.now|performance\.now|(attempt|retr|tries|count|max|limit)\w*\s*([<>]=?|==)/i;
  if (/\b(raise|throw|break|return)\b|\bexit\(/.test(failureText) && counted.test(failureText)) return true;
  if (loop.infinite) return false;
  const cond = whileCondition(loop, ctx);
  return cond === undefined || /[<>]|\d|attempt|retr|tries|count|remaining|left|max|limit|budget|deadline|time/i.test(cond);
}

type Wait = { kind: 'backoff' } | { kind: 'none' } | { kind: 'constant'; shown: string };

/** How the failure path waits: not at all, a loop-invariant sleep, or something that may grow (a backoff). */
function waitKind(site: CallSite, loop: Loop, regions: Span[], ctx: RuleContext): Wait {
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

function capitalise(s: string): string {
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

export function lastName(e: Expr): string {
  if (e.k === 'name') return e.name;
  if (e.k === 'attr') return e.name;
  return '';
}

function rootName(e: Expr): string {
  if (e.k === 'name') return e.name;
  if (e.k === 'attr') return e.object.k === 'name' && (e.object.name === 'self' || e.object.name === 'this') ? e.name : rootName(e.object);
  if (e.k === 'call') return rootName(e.callee);
  return '';
}

/** A dict/object literal's entries when every key is visible (no spread, no unresolved name). */
export function visibleEntries(e: Expr, scope: number, ctx: RuleContext): Map<string, { expr: Expr; scope: number }> | null {
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
