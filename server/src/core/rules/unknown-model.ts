import type { RuleDefinition } from './types';

const TOKEN_PRICED = new Set(['chat', 'responses', 'completion', 'embedding']);

export const unknownModel: RuleDefinition = {
  id: 'unknown-model',
  category: 'cost',
  defaultSeverity: 'warning',
  strictSeverity: 'warning',
  fixSafety: 'none',
  docs: {
    summary: 'A literal model name with no price in the table: the call’s cost is unknown, never $0.',
    whatItDoes:
      'Flags chat, completion and embedding calls whose model name (a literal, a constant, or the default of an environment ' +
      'lookup) matches nothing in the price table after normalising dated snapshots, provider prefixes and cloud ids, and ' +
      'suggests the nearest known names. Audio and image models, priced per second or per image, are not checked.',
    whyIsThisBad:
      'A typo in a model name fails at run time, and a model we cannot price leaves a hole in every projection: the ' +
      'call is listed as unknown instead of being counted. Azure deployment names and fine-tuned models need an alias or ' +
      'a price override.',
    example: [
      { language: 'python', code: 'import litellm\nlitellm.completion(model="gpt-4o-turbo-preview-2", messages=[{"role": "user", "content": "Hi"}], max_tokens=100)\n' },
    ],
    useInstead: [
      { language: 'python', code: 'import litellm\nlitellm.completion(model="gpt-4o-mini", messages=[{"role": "user", "content": "Hi"}], max_tokens=100)\n' },
    ],
    fixSafety: 'No automatic fix: the message suggests the nearest known names.',
    options: 'None beyond the severity, which is set like any rule’s.',
  },
  checkCallSite(site, ctx) {
    const name = site.model.value ?? site.model.default ?? null;
    if (!name || site.estimate.priceKey || site.modelProvider === 'ollama') return;
    // The price table covers token-priced models; audio and image models are priced per second or per image.
    if (!TOKEN_PRICED.has(site.kind)) return;
    const suggestions = ctx.prices.suggest(name, site.modelProvider);
    const dynamic = site.model.value === null ? ` (the default of \`${site.model.expression}\`)` : '';
    ctx.report({
      span: site.span,
      message: `Model "${name}"${dynamic} is not in the price table (as of ${ctx.prices.asOf}): this call's cost is unknown.`,
      note: 'An unpriced call is left out of every cost total, and a misspelt model name fails at run time.',
      help: suggestions.length ? `Did you mean ${suggestions.map((s) => `"${s}"`).join(', ')}?` : 'Check the model name, or add a price override for it.',
    });
  },
};
