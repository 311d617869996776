import { addNestedArgument } from '../fixes';
import { formatTokens, formatUsd } from '../format';
import type { RuleDefinition } from './types';

const GENERATING = new Set(['chat', 'responses', 'completion']);

export const unboundedOutput: RuleDefinition = {
  id: 'unbounded-output',
  category: 'cost',
  defaultSeverity: 'warning',
  strictSeverity: 'warning',
  fixSafety: 'unsafe',
  docs: {
    summary: 'A generation call with no output-token bound: its worst case is the model’s maximum output.',
    whatItDoes:
      'Flags chat, responses and completion calls that do not set the API’s own output bound ' +
      '(`max_completion_tokens` for OpenAI chat, `max_output_tokens` for the Responses API and google-genai’s config, ' +
      '`max_tokens` for Anthropic, `maxOutputTokens` for the Vercel AI SDK v5+, `inferenceConfig.maxTokens` for Bedrock Converse, …).',
    whyIsThisBad:
      'Output tokens cost 4–8× input tokens. Without a bound every call can bill up to the model’s maximum output ' +
      '(16k–128k tokens), a runaway or repetitive answer costs that much, and long generations hold tokens-per-minute ' +
      'capacity for longer, so other requests hit rate limits. Anthropic rejects a Messages call without `max_tokens`.',
    example: [
      { language: 'python', code: 'from openai import OpenAI\nclient = OpenAI()\nclient.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Summarise this"}])\n' },
      { language: 'typescript', code: "import { generateText } from 'ai';\nimport { openai } from '@ai-sdk/openai';\nawait generateText({ model: openai('gpt-4o'), prompt: 'Summarise this' });\n" },
    ],
    useInstead: [
      { language: 'python', code: 'from openai import OpenAI\nclient = OpenAI()\nclient.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Summarise this"}], max_completion_tokens=500)\n' },
      { language: 'typescript', code: "import { generateText } from 'ai';\nimport { openai } from '@ai-sdk/openai';\nawait generateText({ model: openai('gpt-4o'), prompt: 'Summarise this', maxOutputTokens: 500 });\n" },
    ],
    fixSafety:
      'Unsafe: adds the API’s bound parameter with the configured default (1024). A bound shorter than an answer ' +
      'truncates it, so choose the value for your use case.',
    options: 'The value the fix writes comes from the `defaultMaxOutputTokens` setting (default 1024).',
  },
  checkCallSite(site, ctx) {
    if (!GENERATING.has(site.kind) || site.maxOutputTokens || site.opaqueArgs) return;
    const param = site.outputParams[0] ?? 'max_tokens';
    const worst = site.estimate.outputTokens.worstCase;
    const worstCost = site.estimate.costPerCallUsd.worstCase;
    const worstText = worst === null ? 'unknown' : `${formatTokens(worst)} tokens (${formatUsd(worstCost)} per call)`;
    const message = site.outputRequired
      ? `\`${site.api}\` has no \`${param}\`: the API requires it and rejects the request.`
      : `\`${site.api}\` has no output-token bound (\`${param}\`): its worst case is the model's maximum output, ${worstText}.`;
    const value = String(ctx.settings.defaultMaxOutputTokens);
    // Raw HTTP bodies and LangChain constructors hold the bound elsewhere: no fix there.
    const fixable = !site.boundFromReceiver && !site.api.startsWith('POST ');
    const edit = fixable ? addNestedArgument(ctx.text, site.info.expr, ctx.language, param, value) : null;
    const written = ctx.language === 'python' ? `${param}=${value}` : `${param}: ${value}`;
    ctx.report({
      span: site.span,
      message,
      note: 'Output tokens are the expensive ones, and an unbounded answer bills up to the model maximum and holds rate-limit capacity longer.',
      help: `Set \`${param}\` to the longest answer this call needs.`,
      fix: edit ? { safety: 'unsafe', description: `Add ${written}`, edits: [edit] } : null,
    });
  },
};
