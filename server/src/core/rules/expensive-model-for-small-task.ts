import { replaceModelLiteral } from '../fixes';
import { formatUsd } from '../format';
import { canonicalName, listCostUsd, stripDate } from '../pricing';
import { cheaperTier } from '../tiers';
import type { RuleDefinition } from './types';


/** Providers whose model names the fix can rewrite in place (Azure uses deployment names, Bedrock its own ids). */
const NAMED_PROVIDERS = new Set(['openai', 'anthropic', 'google', 'mistral', 'cohere']);
const GENERATING = new Set(['chat', 'responses', 'completion']);

export const expensiveModelForSmallTask: RuleDefinition = {
  id: 'expensive-model-for-small-task',
  category: 'cost',
  defaultSeverity: 'hint',
  strictSeverity: 'hint',
  fixSafety: 'unsafe',
  options: {
    maxOutputTokens: { default: 16, description: 'Calls whose output bound is at most this many tokens count as small tasks (labels, yes/no, scores).' },
  },
  docs: {
    summary: 'A frontier model (gpt-4o, Claude Sonnet/Opus, Gemini Pro, …) for a call whose answer is a few tokens: the cheaper tier of the same provider usually does it.',
    whatItDoes:
      'Flags generation calls on a frontier-tier model (GPT-4o, GPT-4.1, GPT-5, o1/o3, Claude Opus and Sonnet, Gemini Pro, ' +
      'Mistral Large, Command R+/A) whose output bound is tiny (16 tokens or fewer by default): classification, routing, ' +
      'yes/no and scoring calls. The message shows what the same call would cost on the cheaper tier of the same provider ' +
      '(gpt-4o → gpt-4o-mini, Claude Sonnet → Claude Haiku 4.5, Gemini 2.5 Pro → Gemini 2.5 Flash, …), from the price table.',
    whyIsThisBad:
      'Short, constrained answers are where small models are closest to large ones, and these calls usually run on every ' +
      'request or every document. The frontier tier costs 5–20× more per token, so the bill for a router or classifier can ' +
      'exceed the cost of the work it routes.',
    example: [
      { language: 'python', code: 'from openai import OpenAI\n\nclient = OpenAI()\n\n\ndef is_spam(text: str) -> bool:\n    res = client.chat.completions.create(\n        model="gpt-4o",\n        max_completion_tokens=1,\n        messages=[{"role": "system", "content": "Answer Y if the message is spam, else N."}, {"role": "user", "content": text}],\n    )\n    return res.choices[0].message.content == "Y"\n' },
      { language: 'typescript', code: "import Anthropic from '@anthropic-ai/sdk';\n\nconst client = new Anthropic();\n\nexport async function sentiment(review: string) {\n  return client.messages.create({\n    model: 'claude-sonnet-4-5',\n    max_tokens: 5,\n    system: 'Reply with one word: positive, negative or neutral.',\n    messages: [{ role: 'user', content: review }],\n  });\n}\n" },
    ],
    useInstead: [
      { language: 'python', code: 'from openai import OpenAI\n\nclient = OpenAI()\n\n\ndef is_spam(text: str) -> bool:\n    res = client.chat.completions.create(\n        model="gpt-4o-mini",\n        max_completion_tokens=1,\n        messages=[{"role": "system", "content": "Answer Y if the message is spam, else N."}, {"role": "user", "content": text}],\n    )\n    return res.choices[0].message.content == "Y"\n' },
      { language: 'typescript', code: "import Anthropic from '@anthropic-ai/sdk';\n\nconst client = new Anthropic();\n\nexport async function sentiment(review: string) {\n  return client.messages.create({\n    model: 'claude-haiku-4-5',\n    max_tokens: 5,\n    system: 'Reply with one word: positive, negative or neutral.',\n    messages: [{ role: 'user', content: review }],\n  });\n}\n" },
    ],
    fixSafety:
      'Unsafe: replaces the model name with the cheaper tier when the model is a string literal in the call. A smaller model ' +
      'can be less accurate on hard cases, so check it on your own examples first.',
    options: '`maxOutputTokens` (default 16): the largest output bound that counts as a small task. The tier table is data at the top of the rule file.',
  },
  checkCallSite(site, ctx) {
    if (!GENERATING.has(site.kind) || !NAMED_PROVIDERS.has(site.modelProvider) || !site.estimate.priceKey) return;
    const bound = site.maxOutputTokens ? site.maxOutputTokens.value ?? site.maxOutputTokens.default ?? null : null;
    if (bound === null || bound > Number(ctx.options.maxOutputTokens)) return;
    const undated = stripDate(canonicalName(site.estimate.priceKey));
    const cheaper = cheaperTier(undated);
    const current = ctx.prices.table.models[site.estimate.priceKey];
    const target = cheaper ? ctx.prices.lookup(cheaper, site.modelProvider) : null;
    if (!cheaper || !target || target.price.provider !== current.provider) return;
    const input = site.estimate.inputTokens.expected;
    const output = site.estimate.outputTokens.expected;
    const now = listCostUsd(current, input, output);
    const then = listCostUsd(target.price, input, output);
    if (then >= now) return;
    const name = site.model.value ?? site.model.default ?? undated;
    const edit = replaceModelLiteral(ctx.text, site.info.expr, ctx.language, site.model.value, cheaper);
    ctx.report({
      span: site.span,
      message:
        `\`${name}\` answers at most ${bound} token${bound === 1 ? '' : 's'} here: \`${cheaper}\` would cost ${formatUsd(then)} instead of ` +
        `${formatUsd(now)} per call (${Math.round((1 - then / now) * 100)}% less).`,
      note: 'Classification, routing and yes/no answers rarely need the frontier tier, and such calls tend to run on every request.',
      help: `Try \`${cheaper}\` on a sample of real inputs; keep \`${name}\` only if the answers get worse.`,
      fix: edit ? { safety: 'unsafe', description: `Use ${cheaper}`, edits: [edit] } : null,
    });
  },
};

