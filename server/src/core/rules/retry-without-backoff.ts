import { lastName } from '../ir';
import type { Arg, Expr } from '../ir';
import type { CallSite } from '../types';
import { attemptBounded, capitalise, failureRegions, handRetryLoop, importedName, libraryOf, loopLabel, stripCode, visibleEntries, waitKind } from './support/retry';
import type { RuleContext, RuleDefinition } from './types';

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
