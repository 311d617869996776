/**
 * What-if model swaps: the monthly cost of some call sites now, and repriced on another model.
 * Both sides leave out cache and batch discounts, so the comparison is like for like.
 */
import type { Provider } from './catalog';
import type { Prices } from './pricing';

export interface SwapResult {
  before: number;
  /** null when the other model has no price. */
  after: number | null;
  callSites: number;
}

/** A call site as both the CLI's report and the editor's projection describe it. */
export interface SwapSite {
  model: string | null;
  modelProvider: string;
  feature: string | null;
  /** null: no volumes known, so no monthly cost to compare. */
  callsPerMonth: number | null;
  inputTokens: number;
  outputTokens: number;
  costPerCallUsd: number | null;
}

export interface Swap {
  from: string;
  to: string;
  /** Only the call sites of this feature. */
  feature?: string | null;
}

/**
 * The call sites on `swap.from` (in `swap.feature`, when given) that have volumes, repriced on
 * `swap.to`. `key` is how model names compare: the editor's panel only ever saw masked names.
 */
export function whatIf(sites: SwapSite[], swap: Swap, prices: Prices, key: (model: string) => string = (model) => model): SwapResult {
  const from = key(swap.from);
  const chosen = sites.filter((s) => s.model !== null && key(s.model) === from && s.callsPerMonth !== null && (!swap.feature || s.feature === swap.feature));
  const target = prices.lookup(swap.to, (chosen[0]?.modelProvider ?? 'other') as Provider);
  // Sums in integer nano-dollars, so that many small costs add up exactly.
  let before = 0;
  let after = 0;
  for (const s of chosen) {
    const calls = s.callsPerMonth!;
    before += Math.round((s.costPerCallUsd ?? 0) * 1e9 * calls);
    // tokens × $/MTok = micro-dollars; ×1000 → nano-dollars.
    if (target) after += Math.round((s.inputTokens * target.price.inputPerMTok + s.outputTokens * (target.price.outputPerMTok ?? 0)) * 1000 * calls);
  }
  return { before: before / 1e9, after: target ? after / 1e9 : null, callSites: chosen.length };
}
