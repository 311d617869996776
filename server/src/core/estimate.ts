/**
 * Cost per call: input tokens (static text counted, holes sized from settings), output tokens
 * (expected and worst case from the bound or the model's limit), priced from the table.
 * Money is summed in integer nano-dollars so float noise never reaches a total.
 */
import type { ExtractedCall } from './extract';
import type { PriceMatch, Prices } from './pricing';
import type { Settings } from './settings';
import { count, tokenizerFor } from './tokenizer';
import type { Estimate } from './types';

/** Per-message framing of chat formats (role markers), ≈ OpenAI's documented 3–4 tokens. */
const TOKENS_PER_MESSAGE = 4;
const REPLY_PRIMING = 3;

export function estimateCall(call: ExtractedCall, prices: Prices, settings: Settings): Estimate & { price: PriceMatch | null } {
  const assumptions: string[] = [];
  const written = call.model.value ?? call.model.default ?? null;
  if (call.model.value === null && written) assumptions.push(`model is dynamic (${call.model.expression}); estimated with its default "${written}"`);
  const alias = written ? settings.modelAliases[written] : undefined;
  if (alias) assumptions.push(`"${written}" is an alias of "${alias}" (configuration)`);
  const modelName = alias ?? written;
  if (!modelName) assumptions.push(call.model.expression ? `model is dynamic (${call.model.expression}) with no visible default` : 'no model argument in the call');
  const price = modelName ? prices.lookup(modelName, call.modelProvider) : null;
  if (price?.via) assumptions.push(`"${modelName}": ${price.via}`);
  if (price?.price.flags?.includes('price from configuration')) assumptions.push(`price of "${price.key}" from configuration`);
  const tokenizer = tokenizerFor(price?.key ?? modelName, call.modelProvider);

  const input = inputTokens(call, tokenizer, settings, assumptions);
  const output = outputTokens(call, price, input.expected, settings, assumptions);
  const cost = price ? costs(price, input.expected, output) : { expected: null, worstCase: null };
  if (!price) assumptions.push(modelName ? `no price for "${modelName}" in the price table (as of ${prices.asOf}): cost unknown` : 'cost unknown without a model');
  if (price?.price.selfHosted) assumptions.push('self-hosted model: no per-token API price');

  return {
    model: modelName,
    priceKey: price?.key ?? null,
    inputTokens: input,
    outputTokens: output,
    costPerCallUsd: cost,
    tokenizer: tokenizer.label,
    assumptions,
    price,
  };
}

function inputTokens(call: ExtractedCall, tokenizer: ReturnType<typeof tokenizerFor>, settings: Settings, assumptions: string[]) {
  let staticTokens = 0;
  const holes = new Map<string, number>();
  for (const part of call.prompt) {
    for (const seg of part.segments) {
      if ('text' in seg) staticTokens += count(seg.text, tokenizer);
      else holes.set(seg.hole, (holes.get(seg.hole) ?? 0) + 1);
    }
  }
  const isChat = call.kind === 'chat' || call.kind === 'responses';
  if (isChat && call.prompt.length) staticTokens += TOKENS_PER_MESSAGE * call.prompt.length + REPLY_PRIMING;
  let holeCount = 0;
  let holeTokens = 0;
  if (!call.prompt.length) {
    holeCount = 1;
    holeTokens = settings.placeholderTokens;
    assumptions.push(`prompt not visible in the call: ≈ ${settings.placeholderTokens} tokens (default placeholder size)`);
  }
  for (const [name, n] of holes) {
    const declared = settings.holeTokens[name];
    const size = declared ?? settings.placeholderTokens;
    holeCount += n;
    holeTokens += n * size;
    assumptions.push(`{${name}}${n > 1 ? ` ×${n}` : ''} ≈ ${size} tokens${n > 1 ? ' each' : ''} (${declared !== undefined ? 'configured size' : 'default placeholder size'})`);
  }
  return { expected: staticTokens + holeTokens, static: staticTokens, holes: holeCount, exact: tokenizer.exact && holeCount === 0 };
}

function outputTokens(call: ExtractedCall, price: PriceMatch | null, input: number, settings: Settings, assumptions: string[]) {
  if (call.kind === 'embedding' || call.kind === 'rerank') return { expected: 0, worstCase: 0 };
  const n = call.n && call.n > 1 ? call.n : 1;
  const bound = call.maxOutputTokens ? call.maxOutputTokens.value ?? call.maxOutputTokens.default ?? null : null;
  const modelMax = price?.price.maxOutputTokens ?? null;
  let worst: number | null = bound;
  if (worst === null && modelMax !== null) {
    worst = modelMax;
    assumptions.push(`no output bound: worst case is the model's maximum output (${modelMax} tokens)`);
  } else if (worst === null && price?.price.contextWindow) {
    worst = Math.max(0, price.price.contextWindow - input);
    assumptions.push(`no output bound and no output limit in the price table: worst case is the context window minus the input (${worst} tokens)`);
  }
  if (call.maxOutputTokens && call.maxOutputTokens.value === null) {
    const d = call.maxOutputTokens.default;
    assumptions.push(d != null ? `output bound is dynamic (${call.maxOutputTokens.expression}); estimated with its default ${d}` : `output bound is dynamic (${call.maxOutputTokens.expression}) with no visible default`);
  }
  const expected = worst === null ? settings.expectedOutputTokens : Math.min(worst, settings.expectedOutputTokens);
  assumptions.push(`expected output ≈ ${expected} tokens${worst !== null && expected === worst ? ' (the bound)' : ' (default expected output)'}`);
  if (n > 1) assumptions.push(`n=${n}: output ×${n}`);
  return { expected: expected * n, worstCase: worst === null ? null : worst * n };
}

function costs(price: PriceMatch, inputTokens: number, output: { expected: number; worstCase: number | null }) {
  const p = price.price;
  const outRate = p.outputPerMTok ?? 0;
  // tokens × $/MTok = micro-dollars; ×1000 → integer nano-dollars.
  const nano = (tokens: number, perMTok: number) => Math.round(tokens * perMTok * 1000);
  const inNano = nano(inputTokens, p.inputPerMTok);
  const expected = inNano + nano(output.expected, outRate);
  const worst = output.worstCase === null ? null : inNano + nano(output.worstCase, outRate);
  return { expected: expected / 1e9, worstCase: worst === null ? null : worst / 1e9 };
}
