import { addArgument } from '../fixes';
import type { Expr } from '../ir';
import type { CallSite, Fix, TextEdit } from '../types';
import { libraryOf, providerName, visibleEntries } from './support/retry';
import type { RuleContext, RuleDefinition } from './types';

type CallExpr = Extract<Expr, { k: 'call' }>;

/** SDK defaults at least this long count as “very long” (OpenAI, Anthropic, LiteLLM: 600 s). */
const LONG_DEFAULT_SECONDS = 600;
/** SDKs whose default is no timeout at all (the new and legacy Google SDKs). */
const NO_DEFAULT = new Set(['google']);
/** SDKs whose calls take a per-request timeout: Python `timeout=` seconds, JS second argument `{ timeout: ms }`. */
const PER_CALL_TIMEOUT = new Set(['openai', 'azure-openai', 'anthropic', 'litellm']);
/** Client options that can carry a timeout we cannot see (a custom HTTP client or fetch). */
const HTTP_CLIENT_OPTIONS = new Set(['http_client', 'httpClient', 'fetch', 'fetchOptions', 'httpAgent']);

export const missingTimeout: RuleDefinition = {
  id: 'missing-timeout',
  category: 'reliability',
  defaultSeverity: 'info',
  strictSeverity: 'warning',
  fixSafety: 'unsafe',
  docs: {
    summary: 'No timeout where the default is none (requests, fetch, axios, Google genai: warning for raw HTTP) or 10 minutes (OpenAI, Anthropic SDKs: info).',
    whatItDoes:
      'Flags raw HTTP calls to provider endpoints with no timeout (`requests`, `fetch`, `axios` have none by default, and ' +
      '`timeout=None` turns one off), and SDK calls that rely on a default of no timeout (google-genai, `@google/genai`) or of ' +
      '10 minutes (the OpenAI and Anthropic SDKs, LiteLLM). Clients with short defaults are fine: httpx (5 s), Groq and ' +
      'together-ai (60 s), boto3 (60 s), Cohere and Mistral (300 s). A timeout set on the client, with `with_options`, or in ' +
      'the call counts; calls whose options or client arguments are not visible are not reported.',
    whyIsThisBad:
      'A stalled connection or an overloaded provider then holds a worker, a request thread or a serverless invocation for ' +
      'ten minutes or forever: requests pile up behind it, users get nothing, and the retries that should have kicked in ' +
      'never start. Raw HTTP calls are worse than SDK calls here — with no timeout at all, nothing ever gives up.',
    example: [
      { language: 'python', code: 'import requests\n\ndef ask(q, key):\n    return requests.post(\n        "https://api.openai.com/v1/chat/completions",\n        headers={"Authorization": f"Bearer {key}"},\n        json={"model": "gpt-4o-mini", "messages": [{"role": "user", "content": q}], "max_completion_tokens": 200},\n    ).json()\n' },
      { language: 'typescript', code: "import OpenAI from 'openai';\nconst client = new OpenAI();\nexport const ask = (q: string) =>\n  client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: q }], max_completion_tokens: 200 });\n" },
    ],
    useInstead: [
      { language: 'python', code: 'import requests\n\ndef ask(q, key):\n    return requests.post(\n        "https://api.openai.com/v1/chat/completions",\n        headers={"Authorization": f"Bearer {key}"},\n        json={"model": "gpt-4o-mini", "messages": [{"role": "user", "content": q}], "max_completion_tokens": 200},\n        timeout=30,\n    ).json()\n' },
      { language: 'typescript', code: "import OpenAI from 'openai';\nconst client = new OpenAI({ timeout: 30_000 });\nexport const ask = (q: string) =>\n  client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: q }], max_completion_tokens: 200 });\n" },
    ],
    fixSafety:
      'Unsafe: adds a timeout of `fixTimeoutSeconds` (default 30 s) — `timeout=30` to Python `requests`/OpenAI/Anthropic/LiteLLM ' +
      'calls, `signal: AbortSignal.timeout(30_000)` to a `fetch` init object, `{ timeout: 30_000 }` as the request options of ' +
      'OpenAI/Anthropic JS calls and axios posts. Long non-streaming generations (large outputs, reasoning models) can take ' +
      'longer than that and would then fail: choose the value for the call.',
    options:
      '`fixTimeoutSeconds` (default 30): the timeout the fix writes. `checkSdkDefaults` (default true): also report SDK calls ' +
      'that rely on a long or missing SDK default; set it to false to report raw HTTP calls only. Raw HTTP calls are ' +
      'warnings and SDK calls info in `recommended` (warnings in `strict`); a severity you configure applies to both.',
  },
  options: {
    fixTimeoutSeconds: { default: 30, description: 'The timeout, in seconds, that the fix adds.' },
    checkSdkDefaults: { default: true, description: 'Report SDK calls relying on a very long or missing default timeout, not only raw HTTP calls.' },
  },
  checkCallSite(site, ctx) {
    // A local server (Ollama) is not a remote API: long local generations make a fixed timeout the wrong default.
    if (site.modelProvider === 'ollama') return;
    const raw = site.api.startsWith('POST ');
    const { source, seconds } = site.timeout;
    const call = site.info.expr;
    let message: string;
    if (raw) {
      if (source !== 'none' || hiddenOptions(call, site, ctx) || libraryOf(call.callee, site.info.scope, ctx) === 'ky') return;
      const explicitNone = !!timeoutArg(call, ctx);
      message = `\`${ctx.resolver.textOf(call.callee)}\` to the ${providerName(site.provider)} API has no timeout${explicitNone ? ' (`timeout=None` turns it off)' : ''}: a stalled connection waits forever.`;
    } else {
      if (ctx.options.checkSdkDefaults === false || site.heuristic || site.opaqueArgs || hiddenOptions(call, site, ctx) || clientHidesTimeout(site, ctx)) return;
      if (source === 'sdk-default' && seconds !== null && seconds >= LONG_DEFAULT_SECONDS) {
        message = `\`${site.api}\` relies on the SDK’s default timeout of ${seconds / 60} minutes: a stalled request holds its caller that long before failing.`;
      } else if (source === 'none' && (NO_DEFAULT.has(site.provider) || PER_CALL_TIMEOUT.has(site.provider))) {
        message = `\`${site.api}\` has no timeout${NO_DEFAULT.has(site.provider) ? ' (the SDK sets none by default)' : ''}: a stalled request waits forever.`;
      } else {
        return;
      }
    }
    const secondsToAdd = typeof ctx.options.fixTimeoutSeconds === 'number' && ctx.options.fixTimeoutSeconds > 0 ? ctx.options.fixTimeoutSeconds : 30;
    const fix = timeoutFix(site, ctx, raw, secondsToAdd);
    ctx.report({
      span: site.span,
      // RULES.md: warning for raw HTTP (no timeout at all), info for SDKs (a long default).
      severity: raw ? 'warning' : undefined,
      message,
      note: 'Without a short timeout a stalled or overloaded provider ties up the caller, and retries never get a chance to run.',
      help: `Set a timeout that fits the call: ${helpText(site, ctx, raw, secondsToAdd)}.`,
      fix,
    });
  },
};

function helpText(site: CallSite, ctx: RuleContext, raw: boolean, seconds: number): string {
  const py = ctx.language === 'python';
  const ms = withSeparators(seconds * 1000);
  if (raw) {
    const lib = libraryOf(site.info.expr.callee, site.info.scope, ctx);
    if (py) return `\`timeout=${seconds}\` (seconds)`;
    if (lib === 'axios') return `\`timeout: ${ms}\` in the request config (milliseconds)`;
    if (lib === 'got') return `\`timeout: { request: ${ms} }\` in the options (milliseconds)`;
    return `\`signal: AbortSignal.timeout(${ms})\` in the \`fetch\` options`;
  }
  if (site.provider === 'google') return py ? `\`http_options=types.HttpOptions(timeout=${ms})\` on the client (milliseconds)` : `\`httpOptions: { timeout: ${ms} }\` on the client (milliseconds)`;
  if (PER_CALL_TIMEOUT.has(site.provider)) return py ? `\`timeout=${seconds}\` on the client or the call (seconds)` : `\`timeout: ${ms}\` on the client or in the request options (milliseconds)`;
  return py ? '`timeout=` on the client' : '`timeout` on the client';
}

/** 30000 → `30_000`. */
function withSeparators(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, '_');
}

/** `timeout=30` in Python; `signal: AbortSignal.timeout(ms)` in a fetch init; `{ timeout: ms }` as JS SDK/axios request options. */
function timeoutFix(site: CallSite, ctx: RuleContext, raw: boolean, seconds: number): Fix | null {
  const call = site.info.expr;
  const ms = withSeparators(seconds * 1000);
  let edit: TextEdit | null = null;
  let written = '';
  if (ctx.language === 'python') {
    const lib = raw ? libraryOf(call.callee, site.info.scope, ctx) : null;
    if ((raw && lib !== 'requests' && lib !== 'httpx') || (!raw && !PER_CALL_TIMEOUT.has(site.provider))) return null;
    const existing = timeoutArg(call, ctx);
    edit = existing ? { span: existing.span, newText: String(seconds) } : addArgument(ctx.text, call, 'python', 'timeout', String(seconds));
    written = existing ? `timeout=${seconds} instead of timeout=None` : `timeout=${seconds}`;
  } else {
    const lib = libraryOf(call.callee, site.info.scope, ctx);
    if (raw && isFetch(call, ctx, site.info.scope)) {
      const init = call.args[1];
      if (!init || init.value.k !== 'dict') return null;
      edit = addArgument(ctx.text, { ...call, args: [init] }, 'typescript', 'signal', `AbortSignal.timeout(${ms})`);
      written = `signal: AbortSignal.timeout(${ms})`;
    } else if ((raw && lib === 'axios' && /\.post$/.test(ctx.resolver.textOf(call.callee))) || (!raw && PER_CALL_TIMEOUT.has(site.provider))) {
      edit = requestOptions(ctx.text, call, raw ? 2 : 1, `timeout: ${ms}`);
      written = `timeout: ${ms}`;
    }
  }
  return edit ? { safety: 'unsafe', description: `${written.includes('instead') ? 'Set' : 'Add'} ${written}`, edits: [edit] } : null;
}

/** Adds `item` to the options argument at `index`: a new `{ item }` after the last argument, or into an existing object literal. */
function requestOptions(text: string, call: CallExpr, index: number, item: string): TextEdit | null {
  if (call.args.some((a) => a.spread)) return null;
  if (call.args.length === index) {
    const last = call.args[index - 1];
    return last ? { span: { start: last.value.span.end, end: last.value.span.end }, newText: `, { ${item} }` } : null;
  }
  const options = call.args[index]?.value;
  if (!options || options.k !== 'dict') return null;
  const [name, value] = item.split(': ');
  return addArgument(text, { ...call, args: [{ value: options }] }, 'typescript', name, value);
}

/** Python `timeout=None` passed in the call. */
function timeoutArg(call: CallExpr, ctx: RuleContext): Expr | null {
  if (ctx.language !== 'python') return null;
  const a = call.args.find((x) => x.name === 'timeout');
  return a && a.value.k === 'none' ? a.value : null;
}

/** Arguments that could set a timeout out of sight: Python `**kwargs`; a JS options/init object that is not a visible literal. */
function hiddenOptions(call: CallExpr, site: CallSite, ctx: RuleContext): boolean {
  if (call.args.some((a) => a.spread)) return true;
  if (ctx.language === 'python') return false;
  // fetch(url, init), got/ky.post(url, options), SDK create(body, options): the second argument; axios.post(url, data, config): the third.
  const raw = site.api.startsWith('POST ');
  const optionsIndex = raw && libraryOf(call.callee, site.info.scope, ctx) === 'axios' && !isFetch(call, ctx, site.info.scope) ? 2 : 1;
  const options = call.args[optionsIndex];
  return !!options && !visibleEntries(options.value, site.info.scope, ctx);
}

/** The client was built with arguments we cannot read, or with a custom HTTP client that may carry its own timeout. */
function clientHidesTimeout(site: CallSite, ctx: RuleContext): boolean {
  const sym = ctx.resolver.resolveSym(site.info.expr.callee, site.info.scope);
  if (!sym) return true;
  for (const part of sym.parts.slice(0, -1)) {
    if (!part.call) continue;
    for (const a of part.call.args) {
      if (a.spread || (a.name && HTTP_CLIENT_OPTIONS.has(a.name))) return true;
      if (ctx.language === 'typescript' && !a.name && optionsHideTimeout(a.value, part.scope ?? site.info.scope, ctx)) return true;
    }
  }
  return false;
}

/** A JS client options argument: an object we cannot fully read, one with a custom fetch/HTTP client, or an options variable we cannot follow. */
function optionsHideTimeout(e: Expr, scope: number, ctx: RuleContext): boolean {
  const d = ctx.resolver.deref(e, scope);
  if (d.expr.k === 'dict') {
    const entries = visibleEntries(d.expr, d.scope, ctx);
    return !entries || [...entries.keys()].some((k) => HTTP_CLIENT_OPTIONS.has(k));
  }
  return (e.k === 'name' || e.k === 'attr') && /opt|conf|setting|param|init/i.test(ctx.resolver.textOf(e));
}

/** `fetch(…)`, `globalThis.fetch(…)`, node-fetch, undici, cross-fetch. */
function isFetch(call: CallExpr, ctx: RuleContext, scope: number): boolean {
  const lib = libraryOf(call.callee, scope, ctx);
  return lib === 'node-fetch' || lib === 'undici' || lib === 'cross-fetch' || /^(globalThis\.|window\.)?fetch$/.test(ctx.resolver.textOf(call.callee));
}
