import { siteArg } from './support/call-args';
import { formatTokens, formatUsd } from '../format';
import type { CallSite } from '../types';
import type { RuleContext, RuleDefinition } from './types';

const GENERATING = new Set(['chat', 'responses', 'completion']);

/** Where each SDK takes the number of completions (the engine reads them into `site.n`). */
const MULTIPLIER_PARAMS = [
  'n', 'best_of', 'num_generations', 'numGenerations', 'candidate_count', 'candidateCount',
  'config.candidate_count', 'config.candidateCount', 'generation_config.candidate_count', 'generationConfig.candidateCount',
];

export const multipliedCompletions: RuleDefinition = {
  id: 'multiplied-completions',
  category: 'cost',
  defaultSeverity: 'info',
  strictSeverity: 'info',
  fixSafety: 'none',
  docs: {
    summary: '`n`, `best_of`, `candidate_count` or `num_generations` above 1: every request bills several completions.',
    whatItDoes:
      'Flags generation calls that ask for more than one completion per request — `n` (OpenAI, Azure, Groq, Together, Mistral, ' +
      'LiteLLM, LangChain `ChatOpenAI(n=…)`), `best_of` (OpenAI legacy completions), `candidate_count` / `candidateCount` (Gemini), ' +
      '`num_generations` (Cohere v1) — and shows the multiplied worst-case cost.',
    whyIsThisBad:
      'Each completion is generated and billed in full: `n=5` pays for five answers’ output tokens (and `best_of=5` for five ' +
      'server-side candidates even when one is returned). When the code reads only the first choice, the rest is paid for and thrown away.',
    example: [
      { language: 'python', code: 'from openai import OpenAI\nclient = OpenAI()\nr = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Name the product"}], max_completion_tokens=50, n=5)\n' },
      { language: 'typescript', code: "import { GoogleGenAI } from '@google/genai';\nconst ai = new GoogleGenAI({});\nawait ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Name the product', config: { maxOutputTokens: 50, candidateCount: 4 } });\n" },
    ],
    useInstead: [
      { language: 'python', code: 'from openai import OpenAI\nclient = OpenAI()\nr = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Name the product"}], max_completion_tokens=50)\n' },
      { language: 'typescript', code: "import { GoogleGenAI } from '@google/genai';\nconst ai = new GoogleGenAI({});\nawait ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Name the product', config: { maxOutputTokens: 50 } });\n" },
    ],
    fixSafety: 'No automatic fix: several completions may be what the code needs (sampling, voting); the rule makes their price visible.',
    options: 'None beyond the severity, which is set like any rule’s.',
  },
  checkCallSite(site, ctx) {
    if (!GENERATING.has(site.kind)) return;
    const { name, count } = multiplier(site, ctx);
    if (count <= 1) return;
    ctx.report({
      span: site.span,
      message: `\`${name}=${count}\` generates ${count} completions per request: output tokens and their cost ×${count}.${worstCase(site, ctx, count)}`,
      note: 'Every completion is billed in full, including those the code never reads.',
      help: name === 'best_of'
        ? 'Drop `best_of` unless picking the best of several candidates is worth paying for each of them.'
        : `Ask for one completion unless the code uses all ${count}; to retry a bad answer, call again only when needed.`,
    });
  },
};

/** `site.n` with the parameter that set it; `best_of` bills more candidates than `n` returns, so the larger wins. */
function multiplier(site: CallSite, ctx: RuleContext): { name: string; count: number } {
  const literal = (path: string) => {
    const loc = siteArg(site, ctx, path);
    return loc ? ctx.resolver.numberValue(loc.expr, loc.scope).value : null;
  };
  const bestOf = literal('best_of');
  if (bestOf !== null && bestOf > (site.n ?? 1)) return { name: 'best_of', count: bestOf };
  const path = MULTIPLIER_PARAMS.find((p) => p !== 'best_of' && literal(p) === site.n);
  return { name: path ? path.slice(path.lastIndexOf('.') + 1) : 'n', count: site.n ?? 1 };
}

/** ` Worst case 5 × 1k = 5k output tokens, $0.052 per call instead of $0.011.` */
function worstCase(site: CallSite, ctx: RuleContext, count: number): string {
  const worst = site.estimate.outputTokens.worstCase;
  if (worst === null) return '';
  // The estimate already multiplies the output by `site.n`.
  const perCompletion = worst / Math.max(site.n ?? 1, 1);
  const tokens = ` Worst case ${count} × ${formatTokens(perCompletion)} = ${formatTokens(perCompletion * count)} output tokens`;
  const price = site.estimate.priceKey ? ctx.prices.table.models[site.estimate.priceKey] : undefined;
  const worstCost = site.estimate.costPerCallUsd.worstCase;
  if (!price || worstCost === null) return `${tokens}.`;
  const outRate = (price.outputPerMTok ?? 0) / 1e6;
  const single = worstCost - (worst - perCompletion) * outRate;
  return `${tokens}, ${formatUsd(single + perCompletion * (count - 1) * outRate)} per call instead of ${formatUsd(single)}.`;
}
