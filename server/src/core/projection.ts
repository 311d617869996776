/**
 * Cost per month: each call site's cost per call × its calls per month (usage file, inline
 * annotation, loop multipliers), with cache and batch discounts, summed by model, feature and
 * file. A call site without volumes or without a price is listed, never counted as $0.
 */
import { LineIndex } from './position';
import type { Prices } from './pricing';
import type { CallSite, FileResult } from './types';
import { inlineUsage, usageFor, type UsageModel } from './usage';

export interface SiteProjection {
  callsPerMonth: { value: number; source: string } | null;
  /** USD; null when the volume or the price is unknown. */
  monthlyCostUsd: number | null;
  /** Every call at its worst case (the output bound or model maximum), without discounts; null when unknown. */
  monthlyWorstCaseUsd: number | null;
  feature: string | null;
  assumptions: string[];
}

export interface ProjectionTotals {
  monthlyCostUsd: number | null;
  /** Sum of the call sites' worst cases (null when one of them has no known worst case). */
  monthlyWorstCaseUsd: number | null;
  byModel: Record<string, number>;
  byFeature: Record<string, number>;
  byFile: Record<string, number>;
  /** Call sites left out because their price is unknown. */
  unknown: string[];
  /** Call sites left out because no volume is known for them. */
  withoutUsage: string[];
  /** The monthly total under each traffic profile of the usage file (`expected` included). */
  byProfile: Record<string, number>;
}

const DAYS_PER_MONTH = 30;
/** Batch APIs (OpenAI, Anthropic, Google) cost about half the synchronous price. */
const BATCH_FALLBACK = 0.5;

export function projectResults(results: FileResult[], usage: UsageModel, prices: Prices): { sites: Map<string, SiteProjection>; totals: ProjectionTotals } {
  const sites = new Map<string, SiteProjection>();
  for (const result of results) {
    if (!result.callSites.length) continue;
    const inline = inlineUsage(result.text);
    const index = new LineIndex(result.text);
    for (const site of result.callSites) sites.set(site.id, projectSite(site, index.position(site.span.start).line, inline, usage, prices));
  }
  const totals = totalsOf(results.flatMap((r) => r.callSites).map((site) => {
    const p = sites.get(site.id);
    return { id: site.id, file: site.file, model: site.estimate.model, feature: p?.feature ?? null, costPerCallUsd: site.estimate.costPerCallUsd, callsPerMonth: p?.callsPerMonth?.value ?? null, monthlyCostUsd: p?.monthlyCostUsd ?? null, monthlyWorstCaseUsd: p?.monthlyWorstCaseUsd ?? null };
  }));
  if (totals.monthlyCostUsd !== null && Object.keys(usage.profiles).length) {
    const profiles = { expected: 1, ...usage.profiles };
    totals.byProfile = Object.fromEntries(Object.entries(profiles).sort((a, b) => a[1] - b[1]).map(([k, f]) => [k, Math.round(totals.monthlyCostUsd! * f * 1e9) / 1e9]));
  }
  return { sites, totals };
}

function projectSite(site: CallSite, line: number, inline: ReturnType<typeof inlineUsage>, usage: UsageModel, prices: Prices): SiteProjection {
  const { entry, source } = usageFor(site, line, inline, usage);
  const assumptions: string[] = [];
  const base = entry.callsPerMonth ?? (entry.callsPerDay !== undefined ? entry.callsPerDay * DAYS_PER_MONTH : null);
  const feature = entry.feature ?? null;
  if (base === null || !source) return { callsPerMonth: null, monthlyCostUsd: null, monthlyWorstCaseUsd: null, feature, assumptions: [] };
  if (entry.callsPerMonth === undefined) assumptions.push(`${entry.callsPerDay} calls/day × ${DAYS_PER_MONTH} days`);
  let multiplier = 1;
  for (const loop of site.loops) {
    const n = loop.tripCount ?? usage.loopFactor;
    multiplier *= n;
    assumptions.push(loop.tripCount !== null ? `inside a loop of ${n} iterations` : `inside a loop over ${loop.iterable ?? 'an unknown count'}: ${n} iterations assumed (loopFactor)`);
  }
  const callsPerMonth = Math.round(base * multiplier);
  const price = site.estimate.priceKey ? prices.table.models[site.estimate.priceKey] : undefined;
  if (!price) return { callsPerMonth: { value: callsPerMonth, source }, monthlyCostUsd: null, monthlyWorstCaseUsd: null, feature, assumptions: [...assumptions, 'price unknown: left out of the totals'] };

  const input = site.estimate.inputTokens.expected;
  const output = entry.outputTokens !== undefined ? entry.outputTokens * (site.n && site.n > 1 ? site.n : 1) : site.estimate.outputTokens.expected;
  if (entry.outputTokens !== undefined) assumptions.push(`${entry.outputTokens} output tokens per completion (usage file)`);
  const cache = entry.cacheHitRate ?? 0;
  const batch = entry.batchShare ?? 0;
  const outRate = price.outputPerMTok ?? 0;
  const cachedRate = price.cachedInputPerMTok ?? price.inputPerMTok;
  if (cache) assumptions.push(`${Math.round(cache * 100)}% of input tokens from the prompt cache at $${cachedRate}/1M`);
  // Micro-dollars per call (tokens × $/MTok), summed before rounding once per call site.
  const sync = input * ((1 - cache) * price.inputPerMTok + cache * cachedRate) + output * outRate;
  const batchIn = price.batchInputPerMTok ?? price.inputPerMTok * BATCH_FALLBACK;
  const batchOut = price.batchOutputPerMTok ?? outRate * BATCH_FALLBACK;
  const batched = input * batchIn + output * batchOut;
  if (batch) assumptions.push(`${Math.round(batch * 100)}% of calls through a Batch API${price.batchInputPerMTok == null ? ' (at 50% of the price)' : ''}`);
  const microPerCall = (1 - batch) * sync + batch * batched;
  const monthlyNano = Math.round(microPerCall * 1000 * callsPerMonth);
  const worst = site.estimate.costPerCallUsd.worstCase;
  const monthlyWorstCaseUsd = worst === null ? null : Math.round(worst * 1e9 * callsPerMonth) / 1e9;
  return { callsPerMonth: { value: callsPerMonth, source }, monthlyCostUsd: monthlyNano / 1e9, monthlyWorstCaseUsd, feature, assumptions };
}

/** One call site as the totals see it: the CLI's projected call sites and the server's summaries both give this. */
export interface TotalsRow {
  id: string;
  file: string;
  model: string | null;
  feature: string | null;
  costPerCallUsd: { expected: number | null };
  /** null: no volume known (listed in `withoutUsage`). */
  callsPerMonth: number | null;
  monthlyCostUsd: number | null;
  monthlyWorstCaseUsd: number | null;
}

/** Totals by model, feature and file, in integer nano-dollars while summing. */
export function totalsOf(rows: TotalsRow[]): ProjectionTotals {
  const nano = { total: 0, byModel: new Map<string, number>(), byFeature: new Map<string, number>(), byFile: new Map<string, number>() };
  const unknown: string[] = [];
  const withoutUsage: string[] = [];
  let counted = 0;
  let worstNano: number | null = 0;
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  for (const row of rows) {
    if (row.costPerCallUsd.expected === null) unknown.push(row.id);
    if (row.callsPerMonth === null) {
      withoutUsage.push(row.id);
      continue;
    }
    if (row.monthlyCostUsd === null) continue;
    const n = Math.round(row.monthlyCostUsd * 1e9);
    worstNano = worstNano === null || row.monthlyWorstCaseUsd === null ? null : worstNano + Math.round(row.monthlyWorstCaseUsd * 1e9);
    counted++;
    nano.total += n;
    add(nano.byModel, row.model ?? 'unknown', n);
    add(nano.byFeature, row.feature ?? '(no feature)', n);
    add(nano.byFile, row.file, n);
  }
  const usd = (m: Map<string, number>) => Object.fromEntries([...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, v / 1e9]));
  return {
    monthlyCostUsd: counted ? nano.total / 1e9 : null,
    monthlyWorstCaseUsd: counted && worstNano !== null ? worstNano / 1e9 : null,
    byModel: usd(nano.byModel),
    byFeature: usd(nano.byFeature),
    byFile: usd(nano.byFile),
    unknown,
    withoutUsage,
    byProfile: {},
  };
}
