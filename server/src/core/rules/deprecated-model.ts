import { replaceModelLiteral } from '../fixes';
import { canonicalName } from '../pricing';
import type { CallSite } from '../types';
import type { RuleContext, RuleDefinition } from './types';

/** Successors of retired model families, matched on the canonical name; the first match wins. */
const SUCCESSORS: Array<[RegExp, string]> = [
  [/^gpt-4(-\d{4})?(-preview)?$|^gpt-4-turbo/, 'gpt-4.1'],
  [/^gpt-3\.5-turbo/, 'gpt-4o-mini'],
  [/^claude-3-(5|7)-sonnet|^claude-sonnet-4-\d{8}$|^claude-4-sonnet/, 'claude-sonnet-4-6'],
  [/^claude-3-opus|^claude-opus-4(-1)?-\d{8}$|^claude-4-opus/, 'claude-opus-4-6'],
  [/^claude-3(-5)?-haiku/, 'claude-haiku-4-5'],
  [/^gemini-(1\.5|2\.0)-flash-lite|^gemini-2\.5-flash-lite-preview/, 'gemini-2.5-flash-lite'],
  [/^gemini-(1\.5|2\.0)-flash/, 'gemini-2.5-flash'],
  [/^gemini-1\.5-pro/, 'gemini-2.5-pro'],
  [/^gemini-3-pro-preview/, 'gemini-3.1-pro-preview'],
  [/^text-embedding-004$/, 'gemini-embedding-001'],
];

/** Providers whose model names the fix can rewrite in place (Azure uses deployment names, Bedrock its own ids). */
const NAMED_PROVIDERS = new Set(['openai', 'anthropic', 'google', 'mistral', 'cohere']);

export const deprecatedModel: RuleDefinition = {
  id: 'deprecated-model',
  category: 'cost',
  defaultSeverity: 'warning',
  strictSeverity: 'warning',
  fixSafety: 'unsafe',
  options: {
    today: {
      default: '',
      description: 'Today’s date (YYYY-MM-DD) to compare retirement dates with; empty: dates up to the price table’s date count as passed.',
    },
  },
  docs: {
    summary: 'A model that is retired or scheduled for retirement (the price table’s deprecation date); suggests the successor.',
    whatItDoes:
      'Flags calls whose model has a deprecation date in the price table. A date that has passed means the model is retired ' +
      'and its calls fail: that is reported as an error (unless you set this rule’s severity yourself); a later date means it ' +
      'is scheduled for retirement, reported as a warning. Where the successor is known (gpt-4 → gpt-4.1, ' +
      'Claude 3.7 Sonnet → Claude Sonnet 4.6, Gemini 2.0 Flash → Gemini 2.5 Flash, …) the message names it.',
    whyIsThisBad:
      'Providers shut retired models down on the announced date: from then on every call returns an error, usually found in ' +
      'production. Older models are also often dearer per token than their successors.',
    example: [
      { language: 'python', code: 'from google import genai\n\nclient = genai.Client()\nclient.models.generate_content(model="gemini-2.0-flash", contents="Summarise the ticket", config={"max_output_tokens": 300})\n' },
      { language: 'typescript', code: "import OpenAI from 'openai';\n\nconst client = new OpenAI();\nawait client.chat.completions.create({ model: 'gpt-4-0613', messages: [{ role: 'user', content: 'Hi' }], max_completion_tokens: 100 });\n" },
    ],
    useInstead: [
      { language: 'python', code: 'from google import genai\n\nclient = genai.Client()\nclient.models.generate_content(model="gemini-2.5-flash", contents="Summarise the ticket", config={"max_output_tokens": 300})\n' },
      { language: 'typescript', code: "import OpenAI from 'openai';\n\nconst client = new OpenAI();\nawait client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'Hi' }], max_completion_tokens: 100 });\n" },
    ],
    fixSafety:
      'Unsafe: replaces the model name with its successor when the model is a string literal in the call. A newer model ' +
      'answers differently and may cost a different amount, so test the prompts that depend on it; for embedding models, ' +
      'stored vectors must be recomputed with the new model.',
    options:
      '`today` (YYYY-MM-DD, default empty): the date that decides whether a retirement date has passed. The engine is pure and ' +
      'has no clock, so without this option a date counts as passed when it is on or before the price table’s date ' +
      '(`asOf`); set it (for example from CI) to compare with the real date. The successor table is data at the top of the rule file.',
  },
  checkCallSite(site, ctx) {
    const key = site.estimate.priceKey;
    const date = key ? ctx.prices.table.models[key].deprecationDate : null;
    const name = site.model.value ?? site.model.default ?? null;
    if (!key || !date || !name) return;
    const today = typeof ctx.options.today === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(ctx.options.today) ? ctx.options.today : ctx.prices.asOf;
    const passed = date <= today;
    const successor = successorOf(site, ctx, key);
    const dynamic = site.model.value === null ? ` (the default of \`${site.model.expression}\`)` : '';
    const edit = successor ? replaceModelLiteral(ctx.text, site.info.expr, ctx.language, site.model.value, successor) : null;
    ctx.report({
      span: site.span,
      message: passed
        ? `Model "${name}"${dynamic} was retired on ${date}: calls to it fail.`
        : `Model "${name}"${dynamic} will be retired on ${date}: calls to it will fail from then on.`,
      note: 'Providers shut retired models down on the announced date; from then on every request returns an error.',
      help: site.kind === 'embedding'
        ? `Move to ${successor ? `\`${successor}\`` : 'a current embedding model'} and re-embed what you stored: vectors from different models cannot be compared.`
        : successor ? `Move to \`${successor}\` and check the prompts that depend on this model.` : 'Move to a current model of the same provider and check the prompts that depend on this one.',
      fix: edit ? { safety: 'unsafe', description: `Use ${successor}`, edits: [edit] } : null,
      // Retired: every call fails, so it is an error unless the user configured this rule's severity.
      severity: passed ? 'error' : undefined,
    });
  },
};

/** The successor for this model, if it is known, priced and not itself deprecated. */
function successorOf(site: CallSite, ctx: RuleContext, key: string): string | null {
  if (!NAMED_PROVIDERS.has(site.modelProvider)) return null;
  const canonical = canonicalName(key);
  const successor = SUCCESSORS.find(([re]) => re.test(canonical))?.[1];
  const found = successor ? ctx.prices.lookup(successor, site.modelProvider) : null;
  return found && !found.price.deprecationDate ? successor! : null;
}

