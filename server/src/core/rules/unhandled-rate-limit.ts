import { lastName } from '../ir';
import type { CallSite } from '../types';
import { catchesApiErrors, providerName } from './support/retry';
import type { RuleContext, RuleDefinition } from './types';

/** Local servers have no rate limits. */
const LOCAL_PROVIDERS = new Set(['ollama']);

/** The error a 429 raises, per provider and language. */
const RATE_LIMIT_ERROR: Record<string, { python: string; typescript: string }> = {
  openai: { python: '`openai.RateLimitError`', typescript: '`OpenAI.RateLimitError`' },
  'azure-openai': { python: '`openai.RateLimitError`', typescript: '`OpenAI.RateLimitError`' },
  anthropic: { python: '`anthropic.RateLimitError`', typescript: '`Anthropic.RateLimitError`' },
  google: { python: '`google.genai.errors.ClientError` with `code == 429`', typescript: '`ApiError` with `status === 429`' },
  mistral: { python: '`mistralai.models.SDKError` with `status_code == 429`', typescript: '`SDKError` with `statusCode === 429`' },
  cohere: { python: '`cohere.errors.TooManyRequestsError`', typescript: '`CohereError` with `statusCode === 429`' },
  bedrock: { python: '`ClientError` with code `ThrottlingException`', typescript: '`ThrottlingException`' },
};

export const unhandledRateLimit: RuleDefinition = {
  id: 'unhandled-rate-limit',
  category: 'reliability',
  defaultSeverity: 'hint',
  strictSeverity: 'hint',
  fixSafety: 'none',
  docs: {
    summary: 'A call with no retry and no error handling for rate limits: a 429 propagates as a failure.',
    whatItDoes:
      'Flags LLM calls that nothing retries (raw HTTP calls, SDKs that do not retry by default, clients with `max_retries=0`) and ' +
      'that have no error handling that could catch a rate-limit error: no enclosing `try` whose handler catches the SDK’s ' +
      'rate-limit or API error, `Exception` or everything (a bare `except:`, a JS `catch`), no `.catch(…)`, and for raw HTTP ' +
      'no check of the response status.',
    whyIsThisBad:
      'Rate limits are routine, not exceptional: with no retry and no handler, the first 429 under load becomes a crashed ' +
      'request, a failed job or a 500 for the user — or, for raw HTTP, an error body read as if it were the model’s answer.',
    example: [
      { language: 'python', code: 'from google import genai\nclient = genai.Client()\n\ndef caption(image_prompt: str) -> str:\n    return client.models.generate_content(model="gemini-2.5-flash", contents=image_prompt, config={"max_output_tokens": 100}).text\n' },
      { language: 'typescript', code: "export async function ask(q: string, apiKey: string) {\n  const res = await fetch('https://api.openai.com/v1/chat/completions', {\n    method: 'POST',\n    headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },\n    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: q }], max_completion_tokens: 200 }),\n  });\n  const data = await res.json();\n  return data.choices[0].message.content;\n}\n" },
    ],
    useInstead: [
      { language: 'python', code: 'import time\nfrom google import genai\nfrom google.genai import errors\nclient = genai.Client()\n\ndef caption(image_prompt: str) -> str | None:\n    try:\n        return client.models.generate_content(model="gemini-2.5-flash", contents=image_prompt, config={"max_output_tokens": 100}).text\n    except errors.ClientError as e:\n        if e.code == 429:\n            return None  # shed load; the caller retries later\n        raise\n' },
      { language: 'typescript', code: "export async function ask(q: string, apiKey: string) {\n  const res = await fetch('https://api.openai.com/v1/chat/completions', {\n    method: 'POST',\n    headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },\n    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: q }], max_completion_tokens: 200 }),\n  });\n  if (res.status === 429) throw new Error(`rate limited, retry after ${res.headers.get('retry-after')} s`);\n  const data = await res.json();\n  return data.choices[0].message.content;\n}\n" },
    ],
    fixSafety: 'No automatic fix: what to do on a 429 (wait and retry, queue, shed load) depends on the caller.',
    options: 'None beyond the severity, which is set like any rule’s.',
  },
  checkCallSite(site, ctx) {
    if (LOCAL_PROVIDERS.has(site.modelProvider)) return;
    const { kind, source } = site.retry;
    if (kind !== 'none' && kind !== 'sdk-disabled') return;
    if (site.info.tries.some((t) => catchesApiErrors(t.catches)) || settlesErrors(site, ctx)) return;
    const raw = site.api.startsWith('POST ');
    if (raw && checksStatus(site, ctx)) return;
    const legacyGoogle = /generativeai|generative-ai/.test(source);
    const error = legacyGoogle
      ? (ctx.language === 'python' ? '`google.api_core.exceptions.ResourceExhausted`' : '`GoogleGenerativeAIFetchError` with `status === 429`')
      : RATE_LIMIT_ERROR[site.modelProvider]?.[ctx.language] ?? 'the SDK’s rate-limit error (HTTP 429)';
    const message = raw
      ? `Raw HTTP call to the ${providerName(site.provider)} API with no retry, no error handling and no check of the response status: a 429 fails the request, or is read as if it were an answer.`
      : kind === 'sdk-disabled'
        ? `\`${site.api}\` has retries turned off (\`${ctx.language === 'python' ? source : source.replace(/=/, ': ')}\`) and no error handling around it catches a rate limit: a 429 fails the request.`
        : `\`${site.api}\` is not retried (${source}) and no error handling around it catches a rate limit: a 429 fails the request.`;
    const help = raw
      ? `Check the status (${ctx.language === 'python' ? '`resp.status_code == 429`' : '`res.status === 429`'}), wait for \`Retry-After\` and retry with backoff — or use the provider SDK, which does.`
      : `Catch ${error} and back off before retrying (honouring \`Retry-After\`), or ${kind === 'sdk-disabled' ? 'turn the SDK’s retries back on' : 'configure the SDK’s retries'}.`;
    ctx.report({
      span: site.span,
      message,
      note: 'Providers answer bursts with 429s as a matter of course; unhandled, each one is a failed request.',
      help,
    });
  },
};

/** `Promise.allSettled([...])`, `asyncio.gather(..., return_exceptions=True)`, a chained `.catch(…)`: errors become values. */
function settlesErrors(site: CallSite, ctx: RuleContext): boolean {
  for (const c of site.info.enclosingCalls) {
    const name = lastName(c.callee);
    if (name === 'allSettled') return true;
    if (name === 'gather' && c.args.some((a) => a.name === 'return_exceptions' && !(a.value.k === 'bool' && !a.value.value))) return true;
  }
  if (ctx.language !== 'typescript') return false;
  // The `.then(…).catch(…)` chain right after the call (arguments nested up to three parentheses deep).
  const chain = /^(\s*\.\s*\w+\s*\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\))*/.exec(ctx.text.slice(site.span.end, site.span.end + 2000))?.[0] ?? '';
  return /\.\s*catch\s*\(/.test(chain);
}

/** The code after a raw HTTP call looks at the status (`status_code`, `res.status`, `res.ok`, `429`). */
function checksStatus(site: CallSite, ctx: RuleContext): boolean {
  const scope = ctx.ir.scopes[site.info.scope];
  const after = ctx.text.slice(site.span.end, scope.kind === 'module' ? ctx.text.length : scope.span.end);
  return /\b429\b|\bstatus(_code|Code|Text)?\b|\.ok\b/.test(after);
}
