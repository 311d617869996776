import { canonicalName } from '../pricing';
import type { RuleDefinition } from './types';

/** Suffixes that pin a snapshot: `-2024-11-20`, `-20250929`, `-2411` (Mistral), `-001` (Gemini). */
const SNAPSHOT = /^(\d{4}-\d{2}-\d{2}|\d{8}|\d{4}|\d{3})$/;
/** Azure takes deployment names, Bedrock ids are always versioned, local models are pinned by their tag. */
const SKIPPED_PROVIDERS = new Set(['azure-openai', 'bedrock', 'ollama']);

export const unpinnedModel: RuleDefinition = {
  id: 'unpinned-model',
  category: 'correctness',
  defaultSeverity: 'off',
  strictSeverity: 'info',
  fixSafety: 'none',
  docs: {
    summary: 'A moving model alias (`gpt-4o`, `claude-sonnet-4-5`, `mistral-large-latest`) where a dated snapshot exists.',
    whatItDoes:
      'Flags a model name that the provider moves to newer snapshots over time when the price table lists dated snapshots of ' +
      'it (`gpt-4o` → `gpt-4o-2024-11-20`, `claude-sonnet-4-5` → `claude-sonnet-4-5-20250929`, `mistral-large-latest` → ' +
      '`mistral-large-2512`), and names the newest snapshot that is not scheduled for retirement. Aliases with no snapshot ' +
      'in the table, Azure deployment names, Bedrock ids and local models are not flagged. Off in `recommended`, on in `strict`.',
    whyIsThisBad:
      'When the alias moves, the same code gets a different model: answers, formatting, refusals, token counts and cost change ' +
      'without a code change, and results stop being reproducible. The 2025 study of LLM code smells found unpinned model ' +
      'versions in 36% of open-source LLM systems.',
    example: [
      { language: 'python', code: 'from openai import OpenAI\n\nclient = OpenAI()\nclient.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hi"}], max_completion_tokens=100)\n' },
      { language: 'typescript', code: "import Anthropic from '@anthropic-ai/sdk';\n\nconst client = new Anthropic();\nawait client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 500, messages: [{ role: 'user', content: 'Hi' }] });\n" },
    ],
    useInstead: [
      { language: 'python', code: 'from openai import OpenAI\n\nclient = OpenAI()\nclient.chat.completions.create(model="gpt-4o-2024-11-20", messages=[{"role": "user", "content": "Hi"}], max_completion_tokens=100)\n' },
      { language: 'typescript', code: "import Anthropic from '@anthropic-ai/sdk';\n\nconst client = new Anthropic();\nawait client.messages.create({ model: 'claude-sonnet-4-5-20250929', max_tokens: 500, messages: [{ role: 'user', content: 'Hi' }] });\n" },
    ],
    fixSafety: 'No automatic fix: which snapshot to pin (the one the alias points to today, or a newer one) is your choice.',
    options: 'None beyond the severity.',
  },
  checkCallSite(site, ctx) {
    const name = site.model.value ?? site.model.default ?? null;
    if (!name || SKIPPED_PROVIDERS.has(site.modelProvider) || !site.estimate.priceKey) return;
    const canonical = canonicalName(name);
    // `-latest` is a moving alias by name; otherwise the name must carry no snapshot suffix of its own.
    const base = canonical.replace(/-latest$/, '');
    if (base === canonical && SNAPSHOT.test(canonical.slice(canonical.lastIndexOf('-') + 1))) return;
    // Snapshot → whether any listing of it by the same provider has a retirement date (cloud resellers retire on their own dates).
    const provider = ctx.prices.table.models[site.estimate.priceKey].provider;
    const snapshots = new Map<string, boolean>();
    for (const [key, price] of Object.entries(ctx.prices.table.models)) {
      if (price.provider !== provider) continue;
      const c = canonicalName(key);
      if (c.startsWith(`${base}-`) && SNAPSHOT.test(c.slice(base.length + 1))) snapshots.set(c, !!snapshots.get(c) || !!price.deprecationDate);
    }
    const newest = [...snapshots].filter(([, retiring]) => !retiring).map(([c]) => c).sort().reverse()[0];
    if (!newest) return;
    const dynamic = site.model.value === null ? ` (the default of \`${site.model.expression}\`)` : '';
    ctx.report({
      span: site.span,
      message: `Model "${name}"${dynamic} is a moving alias that the provider repoints to new snapshots; the newest dated snapshot is "${newest}".`,
      note: 'When the alias moves, outputs, token counts and cost change without a code change, and results stop being reproducible.',
      help: `Pin a dated snapshot such as "${newest}", and move to a new one deliberately after testing.`,
    });
  },
};
