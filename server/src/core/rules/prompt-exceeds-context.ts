import { formatNumber } from '../format';
import type { CallSite } from '../types';
import type { RuleDefinition } from './types';

const GENERATING = new Set(['chat', 'responses', 'completion']);

/** Gemini counts input and output against separate limits: only the input must fit its window. */
const SEPARATE_OUTPUT_LIMIT = new Set(['google']);

export const promptExceedsContext: RuleDefinition = {
  id: 'prompt-exceeds-context',
  category: 'cost',
  defaultSeverity: 'error',
  strictSeverity: 'error',
  fixSafety: 'none',
  docs: {
    summary: 'The prompt (static text plus its holes), or the prompt plus the output bound, does not fit the model’s context window.',
    whatItDoes:
      'Counts the static prompt text of a generation call with the model’s tokenizer, adds each hole (`{document}`, `${user}`) at ' +
      'the declared placeholder size (`placeholderTokens`, default 250), and compares the total — and the total plus a literal ' +
      'output bound — with the context window of the model in the price table.',
    whyIsThisBad:
      'A request whose prompt does not fit is rejected (`context_length_exceeded`) every time it runs, after the work of building ' +
      'it. OpenAI and Anthropic also reject a request whose prompt plus `max_tokens` exceeds the window, so a bound close to the ' +
      'window fails as soon as the prompt is non-trivial.',
    example: [
      { language: 'python', code: 'from openai import OpenAI\nclient = OpenAI()\n\ndef report(notes: str) -> str:\n    r = client.chat.completions.create(model="gpt-4", messages=[{"role": "user", "content": f"Write a report from these notes:\\n{notes}"}], max_tokens=8000)\n    return r.choices[0].message.content\n' },
    ],
    useInstead: [
      { language: 'python', code: 'from openai import OpenAI\nclient = OpenAI()\n\ndef report(notes: str) -> str:\n    r = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": f"Write a report from these notes:\\n{notes}"}], max_tokens=8000)\n    return r.choices[0].message.content\n' },
    ],
    fixSafety: 'No automatic fix: shorten the prompt, lower the bound, or choose a model with a larger window.',
    options:
      'Holes are sized by the `placeholderTokens` setting (default 250 tokens each); the message shows the static and hole ' +
      'parts so the estimate can be checked.',
  },
  checkCallSite(site, ctx) {
    if (!GENERATING.has(site.kind) || !site.estimate.priceKey) return;
    const key = site.estimate.priceKey;
    const window = ctx.prices.table.models[key]?.contextWindow ?? null;
    if (!window) return;
    const input = site.estimate.inputTokens.expected;
    const bound = site.maxOutputTokens?.value ?? null;
    const countsOutput = bound !== null && !SEPARATE_OUTPUT_LIMIT.has(site.modelProvider);
    const parts = breakdown(site, ctx.settings.placeholderTokens);
    let message: string;
    if (input > window) {
      message = `The prompt is ≈ ${formatNumber(input)} tokens${parts ? ` (${parts})` : ''}, more than ${key}'s context window of ${formatNumber(window)} tokens: the API rejects the request.`;
    } else if (countsOutput && input + bound > window) {
      message = `The prompt (≈ ${formatNumber(input)} tokens${parts ? `: ${parts}` : ''}) plus \`${site.maxOutputTokens!.param}=${bound}\` needs ${formatNumber(input + bound)} tokens, more than ${key}'s context window of ${formatNumber(window)}: the API rejects the request.`;
    } else {
      return;
    }
    ctx.report({
      span: site.span,
      message,
      note: 'A request that does not fit the context window fails every time, and the prompt and output share that window.',
      help: input > window
        ? 'Shorten the prompt (summarise or retrieve only the relevant parts), or use a model with a larger context window.'
        : `Lower \`${site.maxOutputTokens!.param}\` so that prompt and answer fit in ${formatNumber(window)} tokens, or use a model with a larger context window.`,
    });
  },
};

/** `4,120 static + 2 holes at 250`: where the estimate comes from, so a reader can check it. */
function breakdown(site: CallSite, holeSize: number): string {
  const { static: fixed, holes } = site.estimate.inputTokens;
  return holes ? `${formatNumber(fixed)} static + ${holes} hole${holes > 1 ? 's' : ''} at ${holeSize}` : '';
}
