import { lastName } from '../ir';
import type { Arg, Expr } from '../ir';
import type { CallSite } from '../types';
import { catchesApiErrors, exceptionNames, handRetryLoop, importedName, libraryOf, loopLabel, providerName, visibleEntries } from './support/retry';
import type { RuleContext, RuleDefinition } from './types';

/** What wraps the call, and how many attempts it makes (`'forever'` with no limit, null when unknown). */
interface Wrapper {
  label: string;
  /** The retry library, when it is one we know (`tenacity`, `p-retry`). */
  lib?: string;
  attempts: number | 'forever' | null;
}


export const stackedRetries: RuleDefinition = {
  id: 'stacked-retries',
  category: 'reliability',
  defaultSeverity: 'info',
  strictSeverity: 'info',
  fixSafety: 'none',
  docs: {
    summary: 'A retry wrapper around an SDK that already retries: the attempts multiply.',
    whatItDoes:
      'Flags LLM calls retried twice over: a retry decorator (tenacity, backoff, stamina), a retry loop or a retrying wrapper ' +
      '(p-retry, async-retry, `.with_retry()`) around an SDK client that retries on its own (OpenAI and Anthropic retry twice ' +
      'by default, LangChain JS six times, boto3 four). The message gives the product when both counts are known.',
    whyIsThisBad:
      'Each wrapper attempt runs the SDK’s whole retry sequence, so tenacity’s `stop_after_attempt(5)` around an OpenAI client ' +
      '(3 attempts) sends up to 15 requests for one call. Under a rate limit that multiplies the load exactly when the provider ' +
      'asks for less, and the worst-case latency is the product of both backoff schedules.',
    example: [
      { language: 'python', code: 'from openai import OpenAI\nfrom tenacity import retry, stop_after_attempt, wait_random_exponential\nclient = OpenAI()\n\n@retry(stop=stop_after_attempt(5), wait=wait_random_exponential(min=1, max=60))\ndef ask(q):\n    return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": q}], max_completion_tokens=200)\n' },
      { language: 'typescript', code: "import pRetry from 'p-retry';\nimport Anthropic from '@anthropic-ai/sdk';\nconst client = new Anthropic();\n\nexport const ask = (q: string) =>\n  pRetry(() => client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 200, messages: [{ role: 'user', content: q }] }), { retries: 4 });\n" },
    ],
    useInstead: [
      { language: 'python', code: 'from openai import OpenAI\nfrom tenacity import retry, stop_after_attempt, wait_random_exponential\nclient = OpenAI(max_retries=0)  # tenacity owns the retries\n\n@retry(stop=stop_after_attempt(5), wait=wait_random_exponential(min=1, max=60))\ndef ask(q):\n    return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": q}], max_completion_tokens=200)\n' },
      { language: 'typescript', code: "import Anthropic from '@anthropic-ai/sdk';\nconst client = new Anthropic({ maxRetries: 4 });\n\nexport const ask = (q: string) =>\n  client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 200, messages: [{ role: 'user', content: q }] });\n" },
    ],
    fixSafety: 'No automatic fix: which layer should own the retries (the SDK’s, honouring `Retry-After`, or the wrapper’s) is a design choice.',
    options: 'None beyond the severity, which is set like any rule’s.',
  },
  checkCallSite(site, ctx) {
    const { kind, source, sdkAttempts } = site.retry;
    if (kind !== 'wrapper' || sdkAttempts === null || sdkAttempts <= 1) return;
    // Instructor's `max_retries` re-asks on validation errors; it does not retry 429s.
    if (source.endsWith('re-runs the call')) return;
    const w = findWrapper(site, ctx);
    if (!w || w.attempts === 1) return;
    const sdk = providerName(site.provider);
    const facts = [w.lib, w.attempts === 'forever' ? 'no attempt limit' : w.attempts !== null ? `${w.attempts} attempts` : null].filter(Boolean);
    const count = facts.length ? ` (${facts.join(', ')})` : '';
    const outcome = typeof w.attempts === 'number'
      ? `up to ${w.attempts * sdkAttempts} requests per call`
      : `every attempt of the wrapper makes up to ${sdkAttempts} requests`;
    ctx.report({
      span: site.span,
      message: `\`${site.api}\` is retried by ${w.label}${count} and by the ${sdk} SDK itself (${sdkAttempts} attempts): ${outcome}.`,
      note: 'Every wrapper attempt runs the SDK’s whole retry sequence, multiplying requests under a rate limit and stacking both backoff delays.',
      help: `Let one layer retry: ${sdkOffHelp(site, ctx.language)} and keep the wrapper, or drop the wrapper and tune the SDK’s retries.`,
    });
  },
};

function sdkOffHelp(site: CallSite, language: 'python' | 'typescript'): string {
  const py = language === 'python';
  switch (site.provider) {
    case 'bedrock': return py ? 'build the client with `config=Config(retries={"total_max_attempts": 1})`' : 'build the client with `maxAttempts: 1`';
    case 'google': return py ? 'remove `retry_options` from the client’s `HttpOptions`' : 'remove `retryOptions` from the client’s `httpOptions`';
    case 'mistral': return py ? 'remove the client’s `retry_config`' : 'remove the client’s `retryConfig`';
    case 'vercel-ai': return 'pass `maxRetries: 0` to the call';
    case 'litellm': return 'pass `num_retries=0` to the call';
    default: return py ? 'build the client with `max_retries=0`' : 'build the client with `maxRetries: 0`';
  }
}

/** The wrapper the extractor found (its `retry.source` says which kind), with its attempt count. Null: it does not retry rate limits. */
function findWrapper(site: CallSite, ctx: RuleContext): Wrapper | null {
  const { source } = site.retry;
  const { scope } = site.info;
  if (source.startsWith('@')) {
    for (let s: number | null = scope; s !== null; s = ctx.ir.scopes[s].parent) {
      for (const d of ctx.ir.scopes[s].decorators) {
        const target = d.k === 'call' ? d.callee : d;
        if (source !== `@${ctx.resolver.textOf(target)} decorator`) continue;
        return decoratorWrapper(target, d.k === 'call' ? d.args : [], s, ctx);
      }
    }
    return null;
  }
  if (source === 'retry loop') {
    for (const loop of site.info.loops) {
      if (!loop.header) continue;
      const d = ctx.resolver.deref(loop.header, scope);
      if (d.expr.k === 'call' && /^(Async)?Retrying$/.test(lastName(d.expr.callee))) {
        return { label: `\`${ctx.resolver.textOf(d.expr.callee)}\``, lib: 'tenacity', attempts: tenacityAttempts(d.expr.args, d.scope, ctx) };
      }
    }
    const hand = handRetryLoop(site, ctx);
    if (!hand) return null;
    return { label: `the loop \`${loopLabel(ctx.text, hand.loop)}\``, attempts: hand.loop.tripCount };
  }
  if (source.endsWith('(…) wrapper')) {
    const c = site.info.enclosingCalls.find((x) => source === `${ctx.resolver.textOf(x.callee)}(…) wrapper`);
    if (!c) return null;
    const lib = libraryOf(c.callee, scope, ctx);
    const known = lib === 'p-retry' || lib === 'async-retry' || lib === 'promise-retry' || lib === 'exponential-backoff';
    return { label: `\`${ctx.resolver.textOf(c.callee)}(…)\``, lib: known ? lib : undefined, attempts: known ? callWrapperAttempts(lib, c.args, scope, ctx) : null };
  }
  if (source.startsWith('.')) {
    // `llm.with_retry(stop_after_attempt=3)` (default 3 attempts) / `model.withRetry({ stopAfterAttempt: 3 })`.
    const sym = ctx.resolver.resolveSym(site.info.expr.callee, scope);
    const part = sym?.parts.find((p) => p.call && /^with_?retry$/i.test(p.name));
    if (!part?.call) return { label: `\`${source}\``, attempts: null };
    const py = ctx.language === 'python';
    const n = py ? part.call.args.find((a) => a.name === 'stop_after_attempt')?.value : part.call.args[0] && visibleEntries(part.call.args[0].value, part.scope ?? scope, ctx)?.get('stopAfterAttempt')?.expr;
    const attempts = n ? ctx.resolver.numberValue(n, part.scope ?? scope).value : py ? 3 : null;
    return { label: `\`${source}\``, attempts };
  }
  return null;
}

function decoratorWrapper(target: Expr, args: Arg[], scope: number, ctx: RuleContext): Wrapper | null {
  const lib = libraryOf(target, scope, ctx) ?? undefined;
  const label = `\`@${ctx.resolver.textOf(target)}\``;
  const kw = (name: string) => args.find((a) => a.name === name)?.value;
  const num = (e: Expr | undefined) => (e ? ctx.resolver.numberValue(e, scope).value : null);
  const positional = args.filter((a) => !a.name && !a.spread).map((a) => a.value);
  if (lib === 'tenacity') {
    const filter = kw('retry');
    if (filter && !retriesApiErrors(ctx.resolver.textOf(filter))) return null;
    return { label, lib, attempts: tenacityAttempts(args, scope, ctx) };
  }
  if (lib === 'backoff') {
    if (importedName(target, scope, ctx) !== 'on_exception') return null; // on_predicate retries on return values
    const exc = positional[1] ?? kw('exception');
    if (exc && !retriesApiErrors(ctx.resolver.textOf(exc))) return null;
    const tries = kw('max_tries');
    return { label, lib, attempts: tries ? num(tries) : kw('max_time') ? null : 'forever' };
  }
  if (lib === 'stamina') {
    const on = positional[0] ?? kw('on');
    if (on && !retriesApiErrors(ctx.resolver.textOf(on))) return null;
    const attempts = kw('attempts');
    return { label, lib, attempts: attempts ? num(attempts) : 10 };
  }
  if (lib === 'retrying') {
    const n = kw('stop_max_attempt_number');
    return { label, lib, attempts: n ? num(n) : args.some((a) => a.name?.startsWith('stop')) ? null : 'forever' };
  }
  if (lib === 'retry') {
    const exc = positional[0] ?? kw('exceptions');
    if (exc && !retriesApiErrors(ctx.resolver.textOf(exc))) return null;
    const tries = num(kw('tries') ?? positional[1]);
    return { label, lib, attempts: tries === null ? (kw('tries') ?? positional[1] ? null : 'forever') : tries < 0 ? 'forever' : tries };
  }
  return { label, attempts: null };
}

/** tenacity `stop=stop_after_attempt(5)` (also inside `stop_after_attempt(5) | stop_after_delay(60)`): 5; no `stop=`: forever. */
function tenacityAttempts(args: Arg[], scope: number, ctx: RuleContext): number | 'forever' | null {
  const stop = args.find((a) => a.name === 'stop')?.value;
  if (!stop) return args.some((a) => a.spread) ? null : 'forever';
  const call = findCall(stop, 'stop_after_attempt');
  return call?.args[0] ? ctx.resolver.numberValue(call.args[0].value, scope).value : null;
}

/** p-retry / async-retry / promise-retry: `retries` (default 10) + 1; exponential-backoff: `numOfAttempts` (default 10). */
function callWrapperAttempts(lib: string, args: Arg[], scope: number, ctx: RuleContext): number | 'forever' | null {
  const key = lib === 'exponential-backoff' ? 'numOfAttempts' : 'retries';
  // The options object (p-retry: second argument; promise-retry: first or second), when it is a visible literal.
  const options = args.map((a) => (a.spread ? null : visibleEntries(a.value, scope, ctx))).find((o) => o !== null) ?? null;
  const offset = key === 'retries' ? 1 : 0;
  const set = options?.get(key);
  if (!set) return options || args.length <= 1 ? 10 + offset : null;
  const text = ctx.resolver.textOf(ctx.resolver.deref(set.expr, set.scope).expr);
  if (/^(Infinity|Number\.POSITIVE_INFINITY)$/.test(text)) return 'forever';
  const n = ctx.resolver.numberValue(set.expr, set.scope).value;
  return n === null ? null : n + offset;
}

function findCall(e: Expr, name: string): Extract<Expr, { k: 'call' }> | null {
  if (e.k === 'call') {
    if (lastName(e.callee) === name) return e;
    for (const a of e.args) {
      const hit = findCall(a.value, name);
      if (hit) return hit;
    }
    return null;
  }
  if (e.k === 'binop') return findCall(e.left, name) ?? findCall(e.right, name);
  return null;
}

/** A wrapper's exception filter (`retry_if_exception_type(openai.RateLimitError)`, `(ValueError, KeyError)`) covers API errors. */
function retriesApiErrors(text: string): boolean {
  const names = exceptionNames(text).filter((n) => /(Error|Exception)$/.test(n));
  return names.length === 0 ? !/retry_if_(result|not_result)/.test(text) : catchesApiErrors([names.join(', ')]);
}
