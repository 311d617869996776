import { formatNumber } from '../format';
import { siteArg } from './support/call-args';
import { formatTokens } from '../format';
import type { RuleDefinition } from './types';

/** Providers (of the priced model) that reject a request whose output bound is above the model's maximum. */
const REJECTS = new Set(['openai', 'azure-openai', 'anthropic', 'bedrock', 'google']);

export const outputBoundExceedsModel: RuleDefinition = {
  id: 'output-bound-exceeds-model',
  category: 'cost',
  defaultSeverity: 'error',
  strictSeverity: 'error',
  fixSafety: 'safe',
  docs: {
    summary: 'An output-token bound above the model’s maximum output: the API rejects the request.',
    whatItDoes:
      'Compares a literal output bound (`max_tokens`, `max_completion_tokens`, `max_output_tokens`, `maxOutputTokens`, ' +
      '`config.max_output_tokens`, …, written in the call or in a constant) with the maximum output of the model in the price table.',
    whyIsThisBad:
      'OpenAI, Azure OpenAI, Anthropic and Bedrock reject such a request with a 400 error (`max_tokens is too large`), so the ' +
      'call fails every time it runs; other providers may cap the answer silently, and the bound no longer says what the call can cost.',
    example: [
      { language: 'python', code: 'from openai import OpenAI\nclient = OpenAI()\nclient.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Write the report"}], max_completion_tokens=32000)\n' },
      { language: 'typescript', code: "import Anthropic from '@anthropic-ai/sdk';\nconst client = new Anthropic();\nawait client.messages.create({ model: 'claude-3-haiku-20240307', max_tokens: 8192, messages: [{ role: 'user', content: 'Write the report' }] });\n" },
    ],
    useInstead: [
      { language: 'python', code: 'from openai import OpenAI\nclient = OpenAI()\nclient.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Write the report"}], max_completion_tokens=16384)\n' },
      { language: 'typescript', code: "import Anthropic from '@anthropic-ai/sdk';\nconst client = new Anthropic();\nawait client.messages.create({ model: 'claude-3-haiku-20240307', max_tokens: 4096, messages: [{ role: 'user', content: 'Write the report' }] });\n" },
    ],
    fixSafety:
      'Safe: replaces the number with the model’s maximum output. A request above the maximum is rejected (or capped to the ' +
      'maximum), so the clamped value asks for the most the model can give. Offered only when the number is written in the call ' +
      'itself; a bound held in a constant is reported without a fix, since other calls may use it.',
    options: 'None beyond the severity, which is set like any rule’s.',
  },
  checkCallSite(site, ctx) {
    const bound = site.maxOutputTokens;
    const key = site.estimate.priceKey;
    if (!bound || bound.value === null || !key) return;
    const model = ctx.prices.table.models[key];
    const max = model?.maxOutputTokens ?? null;
    if (max === null || bound.value <= max) return;
    // Anthropic's beta headers raise the limit (`output-128k-2025-02-19`, on the call or the client): the table cannot know.
    if (/anthropic-beta/.test(ctx.text.slice(site.span.start, site.span.end)) || /output-\d+k-20\d\d/.test(ctx.text)) return;
    const param = bound.param.slice(bound.param.lastIndexOf('.') + 1);
    const outcome = REJECTS.has(model.provider) || REJECTS.has(site.modelProvider) ? 'the API rejects the request' : 'the API rejects the request or caps the answer';
    // The fix edits the number only where it is written in this call, not a shared constant.
    const loc = site.boundFromReceiver ? null : siteArg(site, ctx, bound.param);
    const literal = loc && loc.expr.k === 'num' && loc.expr.span.start >= site.span.start && loc.expr.span.end <= site.span.end ? loc.expr : null;
    const via = loc && loc.expr.k !== 'num' ? ` (\`${ctx.resolver.textOf(loc.expr)}\`)` : '';
    ctx.report({
      span: site.span,
      message: `\`${param}\` is ${formatNumber(bound.value)}${via}, above ${key}'s maximum output of ${formatNumber(max)} tokens: ${outcome}.`,
      note: `The model cannot produce more than ${formatTokens(max)} output tokens; a larger bound is an invalid request, not a longer answer.`,
      help: `Set \`${param}\` to at most ${formatNumber(max)}, ideally to the longest answer this call needs.`,
      fix: literal ? { safety: 'safe', description: `Clamp ${param} to ${max}`, edits: [{ span: literal.span, newText: String(max) }] } : null,
    });
  },
};

