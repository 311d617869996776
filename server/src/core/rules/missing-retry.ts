import type { RuleDefinition } from './types';

/** Local servers have no rate limits to retry through. */
const LOCAL_PROVIDERS = new Set(['ollama']);

export const missingRetry: RuleDefinition = {
  id: 'missing-retry',
  category: 'reliability',
  defaultSeverity: 'warning',
  strictSeverity: 'warning',
  fixSafety: 'none',
  docs: {
    summary: 'A call that nothing retries: raw HTTP to a provider, an SDK with retries off, or one that does not retry by default.',
    whatItDoes:
      'Flags LLM calls that fail on the first 429 or 5xx: raw `fetch`/`axios`/`requests`/`httpx` calls to provider endpoints ' +
      'with no retry wrapper, SDK clients built with retries disabled (`max_retries=0`), and SDKs that do not retry unless ' +
      'configured (google-genai, Mistral) — with no retry decorator, wrapper or hand-written retry loop around the call.',
    whyIsThisBad:
      'Every provider rate-limits by requests and tokens per minute, and returns 429s and 5xx under load as a matter of course. ' +
      'Without a retry that backs off (and honours `Retry-After`), a burst turns into user-visible failures, and callers that ' +
      'retry immediately make the burst worse.',
    example: [
      { language: 'python', code: 'from google import genai\nclient = genai.Client()\nclient.models.generate_content(model="gemini-2.5-flash", contents="Hello", config={"max_output_tokens": 200})\n' },
      { language: 'typescript', code: "const res = await fetch('https://api.openai.com/v1/chat/completions', {\n  method: 'POST',\n  body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }], max_completion_tokens: 100 }),\n});\n" },
    ],
    useInstead: [
      { language: 'python', code: 'from google import genai\nfrom google.genai import types\nclient = genai.Client(http_options=types.HttpOptions(retry_options=types.HttpRetryOptions(attempts=5)))\nclient.models.generate_content(model="gemini-2.5-flash", contents="Hello", config={"max_output_tokens": 200})\n' },
      { language: 'typescript', code: "import OpenAI from 'openai';\nconst client = new OpenAI();\nawait client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }], max_completion_tokens: 100 });\n" },
    ],
    fixSafety: 'No automatic fix: the right retry policy (attempts, backoff, which errors) depends on the caller.',
    options: 'None beyond the severity, which is set like any rule’s.',
  },
  checkCallSite(site, ctx) {
    if (LOCAL_PROVIDERS.has(site.modelProvider)) return;
    const { kind, source } = site.retry;
    if (kind !== 'none' && kind !== 'sdk-disabled') return;
    const raw = site.api.startsWith('POST ');
    const message = raw
      ? `Raw HTTP call to the ${site.provider} API with no retry: a 429 or 5xx fails the request outright.`
      : kind === 'sdk-disabled'
        ? `Retries are disabled (${source}) and nothing else retries this \`${site.api}\` call.`
        : `\`${site.api}\` is not retried: ${source}.`;
    const help = raw
      ? 'Use the provider SDK, which retries with backoff, or wrap the call in a retry with exponential backoff that honours Retry-After.'
      : kind === 'sdk-disabled'
        ? 'Leave the SDK retries on (the default), or retry around this call with exponential backoff.'
        : site.modelProvider === 'google'
          ? 'Configure retries on the client: `http_options=types.HttpOptions(retry_options=types.HttpRetryOptions(attempts=5))` (JS: `httpOptions: { retryOptions: { attempts: 5 } }`).'
          : 'Configure the SDK’s retries (Mistral: `retry_config=RetryConfig("backoff", BackoffStrategy(1, 50, 1.1, 100), True)`) or wrap the call with a retry.';
    ctx.report({
      span: site.span,
      message,
      note: 'Providers answer bursts with 429 and 5xx; without a backing-off retry those become failed user requests.',
      help,
    });
  },
};
