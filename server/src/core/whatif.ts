/**
 * What-if model swaps: the monthly cost of some call sites now, and repriced on another model.
 * Both sides leave out cache and batch discounts, so the comparison is like for like.
 */
import type { Provider } from './catalog';
import type { Prices } from './pricing';

export interface SwapItem {
  inputTokens: number;
  outputTokens: number;
  costPerCallUsd: number | null;
  callsPerMonth: number;
}

export interface SwapResult {
  before: number;
  /** null when the other model has no price. */
  after: number | null;
  callSites: number;
}

export function swapCost(items: SwapItem[], to: string, provider: Provider, prices: Prices): SwapResult {
  const target = prices.lookup(to, provider);
  let before = 0;
  let after = 0;
  for (const s of items) {
    before += Math.round((s.costPerCallUsd ?? 0) * 1e9 * s.callsPerMonth);
    // tokens × $/MTok = micro-dollars; ×1000 → nano-dollars.
    if (target) after += Math.round((s.inputTokens * target.price.inputPerMTok + s.outputTokens * (target.price.outputPerMTok ?? 0)) * 1000 * s.callsPerMonth);
  }
  return { before: before / 1e9, after: target ? after / 1e9 : null, callSites: items.length };
}
