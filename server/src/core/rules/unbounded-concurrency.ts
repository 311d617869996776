import { lastName } from '../ir';
import type { CallInfo, Expr, Loop } from '../ir';
import type { CallSite } from '../types';
import { callTargets, functionNamed, reachingFunctions, within } from './support/call-graph';
import { loopVariables } from './support/loop-items';
import type { RuleContext, RuleDefinition } from './types';

type CallExpr = Extract<Expr, { k: 'call' }>;

/** A call that starts LLM work: the call site itself, or a call of a function in this file that makes one. */
interface Starter {
  call: CallInfo;
  site: CallSite;
  /** The helper it goes through (`summarize`), when it is not the SDK call itself. */
  via: number | null;
}

/** Where the requests are started together, and over what. */
interface FanOut {
  at: CallExpr;
  message: string;
  help: string;
  /** Text of the iterable, for the batching check, and the iterable itself when the IR has it. */
  over: string | null;
  overExpr?: { expr: Expr; scope: number } | null;
  /** Source regions whose text may hold a limiter (the fan-out expression, a loop body). */
  regions: Array<{ start: number; end: number }>;
  /** The fan-out call's own loops (a `Promise.all` inside a loop over batches). */
  outer: Loop[];
}

const AWAIT_ALL = /^(gather|wait|as_completed)$/;
const JS_ITERATORS = /^(map|forEach|flatMap)$/;
const TASK_STARTERS = /^(create_task|ensure_future)$/;
const EXECUTOR_METHODS = /^(map|imap|imap_unordered|starmap|map_async|starmap_async|submit|apply_async)$/;
const EXECUTORS = /^(ThreadPoolExecutor|ProcessPoolExecutor|Pool|ThreadPool)$/;

/** p-limit, p-queue, Bottleneck, an `asyncio.Semaphore`, aiolimiter… anywhere on the way to the call. */
const LIMITERS = [
  /^\s*(?:async\s+)?with\s+[^\n:#]*(?:sem\b|semaphore|limit|throttl)[^\n]*:\s*(?:#.*)?$/im, // `async with sem:`, `with self.rate_limiter:`
  /\.acquire\s*\(/,
  /\b(?:p-?limit|pLimit|p-queue|PQueue|Bottleneck|RateLimiter|AsyncLimiter|CapacityLimiter|Semaphore|BoundedSemaphore|throttle|runExclusive|removeTokens)\b/i,
  /(?<![.\w])limit(?:er)?\s*(?:\.\s*\w+\s*)?\(/i, // `limit(() => …)`, `limiter.schedule(…)`, not a query's `.limit(10)`
  /\w*(?:limiter|throttler|queue|semaphore|sem)\s*\.\s*(?:schedule|add|run|wrap|submit|acquire|removeTokens|runExclusive)\s*\(/i,
];

/** The items handed out are one bounded batch: `batch.map(...)`, `docs.slice(i, i + 10)`, `items[:5]` (but not `batches.map`). */
const ONE_BATCH = /batch(?!es)|\bgroup\b|slice\(|splice\(|\[[^\]]*:[^\]]*\]/i;

const JS_HELP = 'Cap the concurrency to what your rate limits allow: `const limit = pLimit(5)` and `items.map((x) => limit(() => …))`, p-map with `{ concurrency: 5 }`, or batches of a fixed size.';
const PY_HELP = 'Cap the concurrency to what your rate limits allow: an `asyncio.Semaphore(5)` held with `async with sem:` around the call, or batches of a fixed size.';

export const unboundedConcurrency: RuleDefinition = {
  id: 'unbounded-concurrency',
  category: 'cost',
  defaultSeverity: 'warning',
  strictSeverity: 'warning',
  fixSafety: 'none',
  docs: {
    summary: 'LLM requests started for every item at once (`Promise.all(items.map(…))`, `asyncio.gather(*[…])`, executors) with no concurrency limit.',
    whatItDoes:
      'Follows LLM calls — directly, or through functions of the same file — to where they are started together: ' +
      '`Promise.all`/`allSettled` over `items.map(…)` (or an async `map`/`forEach` callback), promises pushed in a loop, ' +
      '`asyncio.gather(*[…])` / `asyncio.gather(*(… for …))` / `asyncio.wait`, `create_task` in a loop, and ' +
      '`ThreadPoolExecutor(...).map` / `submit` in a loop / `Pool().map` without `max_workers`/`processes`. It stays silent when a ' +
      'limiter is on the way (p-limit, p-map or p-queue with a concurrency, Bottleneck, `asyncio.Semaphore` held with `async with`, ' +
      'aiolimiter), when the items are a fixed-size batch, or when the executor has a worker count.',
    whyIsThisBad:
      'Providers limit requests and tokens per minute. A list of 2,000 items becomes 2,000 simultaneous requests: most come back ' +
      '429, the SDK retries make the burst last longer, and other features sharing the key fail too. The burst also holds every ' +
      'request’s memory and connection at once.',
    example: [
      { language: 'typescript', code: "import OpenAI from 'openai';\nconst client = new OpenAI();\nexport async function summarize(docs: string[]) {\n  return Promise.all(docs.map((d) => client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: d }], max_completion_tokens: 200 })));\n}\n" },
      { language: 'python', code: 'import asyncio\nfrom openai import AsyncOpenAI\nclient = AsyncOpenAI()\n\nasync def summarize(doc: str):\n    return await client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": doc}], max_completion_tokens=200)\n\nasync def main(docs: list[str]):\n    return await asyncio.gather(*[summarize(d) for d in docs])\n' },
    ],
    useInstead: [
      { language: 'typescript', code: "import OpenAI from 'openai';\nimport pLimit from 'p-limit';\nconst client = new OpenAI();\nconst limit = pLimit(5);\nexport async function summarize(docs: string[]) {\n  return Promise.all(docs.map((d) => limit(() => client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: d }], max_completion_tokens: 200 }))));\n}\n" },
      { language: 'python', code: 'import asyncio\nfrom openai import AsyncOpenAI\nclient = AsyncOpenAI()\nsem = asyncio.Semaphore(5)\n\nasync def summarize(doc: str):\n    async with sem:\n        return await client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": doc}], max_completion_tokens=200)\n\nasync def main(docs: list[str]):\n    return await asyncio.gather(*[summarize(d) for d in docs])\n' },
    ],
    fixSafety: 'No automatic fix: the right limit depends on your rate-limit tier and on what else shares the key.',
    options: 'None beyond the severity, which is set like any rule’s.',
  },
  checkFile(ctx) {
    const sites = ctx.sites.filter((s) => s.modelProvider !== 'ollama');
    if (!sites.length) return;
    const reach = reachingFunctions(ctx.ir, ctx.resolver, sites.map((s) => ({ info: s.info, value: s })));
    const seen = new Set<number>();
    for (const starter of starters(ctx, sites, reach)) {
      const fan = fanOut(ctx, starter);
      if (!fan || seen.has(fan.at.span.start) || limited(ctx, starter, fan)) continue;
      seen.add(fan.at.span.start);
      ctx.report({
        span: fan.at.span,
        callSiteId: starter.site.id,
        message: fan.message,
        note: 'Providers cap requests and tokens per minute: a burst of one request per item gets 429s as soon as the list is long, and retries stretch the burst.',
        help: fan.help,
      });
    }
  },
};

function* starters(ctx: RuleContext, sites: CallSite[], reach: Map<number, CallSite>): Generator<Starter> {
  const siteCalls = new Set(sites.map((s) => s.info.expr.callId));
  for (const site of sites) yield { call: site.info, site, via: null };
  for (const call of ctx.ir.calls) {
    if (siteCalls.has(call.expr.callId)) continue;
    const target = callTargets(ctx.ir, ctx.resolver, call).find((f) => reach.has(f) && !within(ctx.ir, call.scope, f));
    if (target !== undefined) yield { call, site: reach.get(target)!, via: target };
  }
}

function fanOut(ctx: RuleContext, s: Starter): FanOut | null {
  return ctx.language === 'typescript' ? jsFanOut(ctx, s) : pyFanOut(ctx, s);
}

function what(ctx: RuleContext, s: Starter): string {
  return `one \`${s.site.api}\` request${s.via !== null ? ` (through \`${ctx.ir.scopes[s.via].name}\`)` : ''}`;
}

// ---- JavaScript / TypeScript -------------------------------------------------------------

function jsFanOut(ctx: RuleContext, s: Starter): FanOut | null {
  const { call } = s;
  // `items.map((x) => llm(x))`: every callback starts its request before any finishes.
  const loop = call.loops.find((l) => l.kind === 'callback');
  let iterating = loop ? call.enclosingCalls.find((e) => e.span.start === loop.span.start && e.span.end === loop.span.end) : undefined;
  // `items.map(summarize)`: the helper passed by reference.
  if (!iterating && s.via !== null && call.expr.callee.k === 'attr' && JS_ITERATORS.test(call.expr.callee.name) && call.expr.args.some((a) => functionNamed(ctx.ir, ctx.resolver, a.value, call.scope) === s.via)) iterating = call.expr;
  if (iterating && iterating.callee.k === 'attr' && JS_ITERATORS.test(iterating.callee.name)) {
    const items = ctx.resolver.textOf(iterating.callee.object);
    const all = promiseAll(ctx, iterating, call);
    // `items.map((x) => () => llm(x))` builds thunks for a pool to run later: nothing starts here.
    if (!all && functionsBetween(ctx, call, iterating) > 1) return null;
    const at = all ?? iterating;
    return {
      at,
      message: `\`${all ? ctx.resolver.textOf(all.callee) : `${items}.${iterating.callee.name}`}\` starts ${what(ctx, s)} for every item of \`${items}\` at once, with no concurrency limit.`,
      help: JS_HELP,
      over: items,
      overExpr: { expr: iterating.callee.object, scope: call.scope },
      regions: [at.span],
      outer: infoOf(ctx, at)?.loops ?? [],
    };
  }
  // `for (const d of docs) promises.push(summarize(d))` then `await Promise.all(promises)`.
  const push = collector(call, /^push$/);
  const body = call.loops.find((l) => l.kind !== 'callback');
  if (push && body && !call.awaited && push.callee.k === 'attr' && functionsBetween(ctx, call, push) === 0) {
    const list = ctx.resolver.textOf(push.callee.object);
    const all = ctx.ir.calls.find((c) => /^Promise\.(all|allSettled)$/.test(ctx.resolver.textOf(c.expr.callee)) && c.expr.args[0] && ctx.resolver.textOf(c.expr.args[0].value) === list);
    const at = all?.expr ?? push;
    return {
      at,
      message: `${body.iterable ? `The loop over \`${body.iterable}\`` : 'This loop'} starts ${what(ctx, s)} per iteration without waiting${all ? ` and \`${ctx.resolver.textOf(all.expr.callee)}(${list})\` awaits them together` : ''}: no concurrency limit.`,
      help: JS_HELP,
      over: body.iterable,
      regions: [body.span],
      outer: call.loops.slice(call.loops.indexOf(body) + 1),
    };
  }
  return null;
}

/** The `Promise.all(...)` awaiting an iterating call: around it, or given the name it is stored in. */
function promiseAll(ctx: RuleContext, iterating: CallExpr, from: CallInfo): CallExpr | null {
  const isAll = (c: CallExpr) => /^Promise\.(all|allSettled)$/.test(ctx.resolver.textOf(c.callee));
  const around = from.enclosingCalls.slice(from.enclosingCalls.indexOf(iterating) + 1).find(isAll);
  if (around) return around;
  if (from.expr === iterating && from.enclosingCalls[0] && isAll(from.enclosingCalls[0])) return from.enclosingCalls[0];
  for (const c of ctx.ir.calls) {
    const arg = c.expr.args[0]?.value;
    if (!isAll(c.expr) || arg?.k !== 'name') continue;
    const d = ctx.resolver.deref(arg, c.scope);
    if (d.expr.span.start === iterating.span.start && d.expr.span.end === iterating.span.end) return c.expr;
  }
  return null;
}

// ---- Python ------------------------------------------------------------------------------

function pyFanOut(ctx: RuleContext, s: Starter): FanOut | null {
  return executorFanOut(ctx, s) ?? gatherFanOut(ctx, s) ?? taskLoopFanOut(ctx, s);
}

/** `asyncio.gather(*[summarize(d) for d in docs])`, or a comprehension stored and gathered later. */
function gatherFanOut(ctx: RuleContext, s: Starter): FanOut | null {
  const { call } = s;
  const comp = call.loops[0]?.kind === 'comprehension' ? call.loops[0] : null;
  if (!comp || call.awaited) return null;
  const inside = (e: CallExpr) => e.span.start <= comp.span.start && e.span.end >= comp.span.end;
  const gather = call.enclosingCalls.find((e) => inside(e) && AWAIT_ALL.test(lastName(e.callee))) ?? gatheredLater(ctx, comp);
  const started = call.enclosingCalls.find((e) => !inside(e) && TASK_STARTERS.test(lastName(e.callee)));
  const at = gather ?? started;
  if (!at) return null;
  return {
    at,
    message: `\`${ctx.resolver.textOf(at.callee)}\` runs ${what(ctx, s)} for every item of \`${comp.iterable}\` at once, with no concurrency limit.`,
    help: PY_HELP,
    over: comp.iterable,
    overExpr: comp.header && { expr: comp.header, scope: call.scope },
    regions: [at.span, comp.span],
    outer: infoOf(ctx, at)?.loops ?? [],
  };
}

/** A comprehension assigned to a name that `asyncio.gather(*tasks)` / `asyncio.wait(tasks)` later runs. */
function gatheredLater(ctx: RuleContext, comp: Loop): CallExpr | null {
  const stored = ctx.ir.bindings.find((b) => b.kind === 'assign' && b.value.span.start === comp.span.start && b.value.span.end === comp.span.end);
  return stored ? consumer(ctx, stored.name) : null;
}

function consumer(ctx: RuleContext, list: string): CallExpr | null {
  const c = ctx.ir.calls.find((x) => AWAIT_ALL.test(lastName(x.expr.callee)) && x.expr.args.some((a) => a.value.k === 'name' && a.value.name === list));
  return c?.expr ?? null;
}

/** `for d in docs: tasks.append(asyncio.create_task(summarize(d)))`, `tg.create_task(...)` in a loop. */
function taskLoopFanOut(ctx: RuleContext, s: Starter): FanOut | null {
  const { call } = s;
  const body = call.loops[0];
  if (!body || body.kind === 'callback' || call.awaited) return null;
  const task = call.enclosingCalls.find((e) => e.span.start >= body.span.start && TASK_STARTERS.test(lastName(e.callee)));
  const append = collector(call, /^append$/);
  const list = append && append.callee.k === 'attr' ? ctx.resolver.textOf(append.callee.object) : null;
  const gather = list ? consumer(ctx, list) : null;
  const at = gather ?? task;
  if (!at) return null;
  const loopText = body.iterable ? `the loop over \`${body.iterable}\`` : 'this loop';
  return {
    at,
    message: gather
      ? `\`${ctx.resolver.textOf(gather.callee)}\` runs ${what(ctx, s)} for every iteration of ${loopText} at once, with no concurrency limit.`
      : `\`${ctx.resolver.textOf(at.callee)}\` in ${loopText} starts ${what(ctx, s)} per iteration without waiting: no concurrency limit.`,
    help: PY_HELP,
    over: body.iterable,
    overExpr: body.header && { expr: body.header, scope: call.scope },
    regions: [body.span, at.span],
    outer: call.loops.slice(1),
  };
}

/** `ThreadPoolExecutor().map(summarize, docs)`, `executor.submit(summarize, d)` in a loop, `Pool().map(...)`. */
function executorFanOut(ctx: RuleContext, s: Starter): FanOut | null {
  const { call } = s;
  // The executor call is the starter itself (`executor.map(summarize, docs)`) or holds the call in a lambda.
  const exec = s.via !== null && call.expr.callee.k === 'attr' && EXECUTOR_METHODS.test(call.expr.callee.name) ? call : null;
  const outer = call.enclosingCalls[0];
  const viaLambda = !exec && outer && outer.callee.k === 'attr' && EXECUTOR_METHODS.test(outer.callee.name) && ctx.ir.scopes[call.scope].name === '<lambda>' ? infoOf(ctx, outer) : null;
  const e = exec ?? viaLambda;
  if (!e || e.expr.callee.k !== 'attr') return null;
  const method = e.expr.callee.name;
  const pool = ctx.resolver.deref(e.expr.callee.object, e.scope).expr;
  if (pool.k !== 'call' || !EXECUTORS.test(lastName(pool.callee))) return null;
  const perItem = /^(submit|apply_async)$/.test(method);
  if (perItem && !e.loops.length) return null;
  const size = pool.args.find((a) => a.name === 'max_workers' || a.name === 'processes') ?? pool.args.find((a) => !a.name && !a.spread);
  const sizeText = size ? ctx.resolver.textOf(size.value) : null;
  if (sizeText !== null && !/\blen\s*\(|\.length\b/.test(sizeText)) return null;
  const ctor = lastName(pool.callee);
  const items = perItem ? e.loops[0].iterable : e.expr.args[1] ? ctx.resolver.textOf(e.expr.args[1].value) : null;
  const workers = sizeText !== null
    ? `\`${sizeText}\` workers, one per item`
    : /Executor$/.test(ctor) && ctor.startsWith('Thread') ? 'up to min(32, CPUs + 4) workers, a number set by the machine rather than by your rate limits' : 'one worker per CPU, a number set by the machine rather than by your rate limits';
  return {
    at: e.expr,
    message: `\`${ctx.resolver.textOf(e.expr.callee)}\` runs ${what(ctx, s)}${items ? ` per item of \`${items}\`` : ''} on \`${ctor}\` with ${workers}.`,
    help: `Give \`${ctor}\` an explicit \`${ctor === 'Pool' || ctor === 'ThreadPool' ? 'processes' : 'max_workers'}\` sized to your rate limits (for example 4–8).`,
    over: items,
    overExpr: !perItem && e.expr.args[1] ? { expr: e.expr.args[1].value, scope: e.scope } : null,
    regions: [e.expr.span],
    outer: e.loops,
  };
}

// ---- shared ------------------------------------------------------------------------------

/** A limiter on the way, or items that are already a bounded batch. */
function limited(ctx: RuleContext, s: Starter, fan: FanOut): boolean {
  const texts = fan.regions.map((r) => ctx.text.slice(r.start, r.end));
  // The functions the request runs through: from the SDK call up to the helper started (or the fan-out).
  for (let scope: number | null = s.site.info.scope; scope !== null && ctx.ir.scopes[scope].kind === 'function'; scope = ctx.ir.scopes[scope].parent) {
    const { span } = ctx.ir.scopes[scope];
    if (span.start <= fan.at.span.start && span.end >= fan.at.span.end) break;
    texts.push(ctx.text.slice(span.start, span.end));
  }
  if (s.via !== null) texts.push(ctx.text.slice(ctx.ir.scopes[s.via].span.start, ctx.ir.scopes[s.via].span.end));
  if (texts.some((t) => LIMITERS.some((re) => re.test(t)))) return true;
  if (!fan.over) return false;
  if (ONE_BATCH.test(fan.over)) return true;
  // A literal list (here or in a constant) is a fixed number of requests, not one per input item.
  if (fan.overExpr && ctx.resolver.deref(fan.overExpr.expr, fan.overExpr.scope).expr.k === 'list') return true;
  // `for (const batch of batches) await Promise.all(batch.map(...))`: the outer loop hands out batches.
  const root = /^[A-Za-z_$][\w$]*/.exec(fan.over)?.[0];
  const scope = infoOf(ctx, fan.at)?.scope ?? s.call.scope;
  return !!root && fan.outer.some((l) => loopVariables(ctx.ir, ctx.text, l, scope).includes(root));
}

/** Functions (callbacks, thunks) between a call and an enclosing call: `push(() => llm())` defers the request. */
function functionsBetween(ctx: RuleContext, call: CallInfo, outer: CallExpr): number {
  let n = 0;
  for (let s: number | null = call.scope; s !== null; s = ctx.ir.scopes[s].parent) {
    const { span, kind } = ctx.ir.scopes[s];
    if (kind !== 'function' || span.start < outer.span.start || span.end > outer.span.end) break;
    n++;
  }
  return n;
}

/** The call that collects a started request: `promises.push(llm())`, `tasks.append(create_task(...))`. */
function collector(call: CallInfo, method: RegExp): CallExpr | null {
  return call.enclosingCalls.find((e) => e.callee.k === 'attr' && method.test(e.callee.name)) ?? null;
}

function infoOf(ctx: RuleContext, e: CallExpr): CallInfo | undefined {
  return ctx.ir.calls.find((c) => c.expr.callId === e.callId);
}

