#!/usr/bin/env node
// Builds pricing/models.json from LiteLLM's model_prices_and_context_window.json.
//
//   node pricing/build-models.mjs [path/to/model_prices_and_context_window.json]
//                                 [--as-of YYYY-MM-DD] [--source "text"]
//
// Plain Node 20, no dependencies. Maintainers run it by hand and commit the output;
// nothing at run time reads the LiteLLM file. See pricing/README.md.

import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = resolve(HERE, '..');
const DEFAULT_INPUT = resolve(REPO_ROOT, '../shared/data/litellm-prices/model_prices_and_context_window.json');
const OUTPUT = join(HERE, 'models.json');

const SKIPPED_KEYS = new Set(['sample_spec', 'fallback_generalizations']);
const MODES = new Set(['chat', 'responses', 'completion', 'embedding']);
const GENERATIVE_MODES = new Set(['chat', 'responses', 'completion']);

// LiteLLM's `litellm_provider` -> our provider id (and platform, when the model's maker
// is served through someone else's cloud).
const PROVIDERS = {
  'openai': { provider: 'openai' },
  'text-completion-openai': { provider: 'openai' },
  'azure': { provider: 'azure-openai' },
  'azure_text': { provider: 'azure-openai' },
  'anthropic': { provider: 'anthropic' },
  'vertex_ai-anthropic_models': { provider: 'anthropic', platform: 'vertex' },
  'gemini': { provider: 'google' },
  'vertex_ai-language-models': { provider: 'google', platform: 'vertex' },
  'vertex_ai-embedding-models': { provider: 'google', platform: 'vertex' },
  'cohere': { provider: 'cohere' },
  'cohere_chat': { provider: 'cohere' },
  'mistral': { provider: 'mistral' },
  'codestral': { provider: 'mistral' },
  'text-completion-codestral': { provider: 'mistral' },
  'bedrock': { provider: 'bedrock' },
  'bedrock_converse': { provider: 'bedrock' },
  'groq': { provider: 'groq' },
  'together_ai': { provider: 'together' },
  'ollama': { provider: 'ollama' },
  'deepseek': { provider: 'deepseek' },
  'xai': { provider: 'xai' },
};

/** Our provider for a LiteLLM entry, or null when we do not support it. */
function mapProvider(key, litellmProvider) {
  // LiteLLM files its newest Gemini models on Vertex (gemini-3*) under the generic
  // `vertex_ai` provider, next to third-party models we do not support there (xai/...).
  if (litellmProvider === 'vertex_ai') {
    return /^vertex_ai\/gemini-/.test(key) ? { provider: 'google', platform: 'vertex' } : null;
  }
  return PROVIDERS[litellmProvider] ?? null;
}

// Models the OpenAI Batch API serves at 50% although the source lists no batch price.
const OPENAI_BATCH_MISSING = /^(gpt-5|gpt-5-mini|gpt-5-nano|o3|o4-mini)(-\d{4}-\d{2}-\d{2})?$/;

// Anthropic's 5-minute cache write is 1.25x base input, except where Anthropic's own
// price list says otherwise (Claude 3 Haiku: $0.30/MTok on $0.25/MTok input = 1.2x).
const CACHE_WRITE_RATIO = 1.25;
const CACHE_WRITE_EXCEPTIONS = { 'claude-3-haiku': 0.3 };
// Anthropic's 1-hour cache write is 2x base input.
const ONE_HOUR_CACHE_WRITE_RATIO = 2;

const FLAGS = {
  openaiBatch: 'batch prices derived as 50% of standard: the source has none, but the OpenAI Batch API serves this model at half price',
  anthropicBatch: 'batch prices derived as 50% of standard: the source has none, but Anthropic Message Batches are half price',
  fakeOutputLimit: 'max_output_tokens equal to the context window in the source: not a real output limit',
  cachingWithoutPrice: 'the source says this model supports prompt caching but gives no cache-read price: cachedInputPerMTok left null',
  openaiCacheWrite: 'the source gives a cache-write price below the input price and no cache-read price; this OpenAI model has no cache-write charge, so it is the cache-read price: moved to cachedInputPerMTok',
  oneHourCacheWrite: (perMTok) => `the source's 1-hour cache-write price (${perMTok}/MTok) is a copy error (Anthropic charges 2x input); only the 5-minute cache write is exported`,
  cacheWrite: (was, now) => `5-minute cache-write price ${was}/MTok in the source is not 1.25x input: corrected to ${now}`,
  badDeprecationDate: (value) => `deprecation_date "${value}" in the source is not YYYY-MM-DD: dropped`,
};

/** USD per token -> USD per million tokens, rounded to 6 decimals to drop float noise. */
function perMTok(costPerToken) {
  return typeof costPerToken === 'number' ? Number((costPerToken * 1e6).toFixed(6)) : null;
}

function parseArgs(argv) {
  const args = { input: null, asOf: null, source: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--as-of') args.asOf = argv[++i];
    else if (arg === '--source') args.source = argv[++i];
    else if (arg.startsWith('--')) fail(`unknown option ${arg}`);
    else if (args.input === null) args.input = arg;
    else fail(`unexpected argument ${arg}`);
  }
  if (args.asOf !== null && !/^\d{4}-\d{2}-\d{2}$/.test(args.asOf ?? '')) fail('--as-of needs a YYYY-MM-DD date');
  if (args.source === undefined) fail('--source needs a text');
  return args;
}

function fail(message) {
  console.error(`build-models: ${message}`);
  process.exit(1);
}

/** Date and time of the snapshot, from a PROVENANCE.md next to the input file, if any. */
function readProvenance(inputPath) {
  const file = join(dirname(inputPath), 'PROVENANCE.md');
  if (!existsSync(file)) return null;
  const m = readFileSync(file, 'utf8').match(/(\d{4}-\d{2}-\d{2})\s+(\d{2}:\d{2})\s+UTC/);
  return m ? { date: m[1], time: m[2] } : null;
}

function describeSource(args, provenance) {
  if (args.source) return args.source;
  const stamp = provenance && provenance.date === args.asOf ? `${provenance.date} ${provenance.time} UTC` : args.asOf;
  return `LiteLLM model_prices_and_context_window.json (BerriAI/litellm, main, ${stamp}), MIT`;
}

/** The fields we export, before corrections. */
function convertEntry(raw, mapped) {
  const entry = { provider: mapped.provider };
  if (mapped.platform) entry.platform = mapped.platform;
  entry.mode = raw.mode;
  entry.inputPerMTok = perMTok(raw.input_cost_per_token);
  if (typeof raw.output_cost_per_token === 'number') entry.outputPerMTok = perMTok(raw.output_cost_per_token);
  if (typeof raw.input_cost_per_token_above_200k_tokens === 'number') {
    entry.inputPerMTokAbove200k = perMTok(raw.input_cost_per_token_above_200k_tokens);
  }
  if (typeof raw.output_cost_per_token_above_200k_tokens === 'number') {
    entry.outputPerMTokAbove200k = perMTok(raw.output_cost_per_token_above_200k_tokens);
  }
  entry.cachedInputPerMTok = perMTok(raw.cache_read_input_token_cost);
  entry.cacheWritePerMTok = perMTok(raw.cache_creation_input_token_cost);
  entry.batchInputPerMTok = perMTok(raw.input_cost_per_token_batches);
  entry.batchOutputPerMTok = perMTok(raw.output_cost_per_token_batches);
  entry.contextWindow = raw.max_input_tokens ?? raw.max_tokens ?? null;
  entry.maxOutputTokens = raw.max_output_tokens ?? null;
  entry.deprecationDate = raw.deprecation_date ?? null;
  if (mapped.provider === 'ollama') entry.selfHosted = true; // price 0 is real: runs locally
  return entry;
}

// ---- Corrections. Each returns true when it changed or flagged the entry. ----

// The OpenAI Batch API serves gpt-5, gpt-5-mini, gpt-5-nano, o3 and o4-mini (and their
// dated snapshots) at half price, but LiteLLM lists no batch price for them.
function deriveOpenAIBatch(key, raw, entry) {
  if (raw.litellm_provider !== 'openai' || !OPENAI_BATCH_MISSING.test(key)) return false;
  return deriveHalfPriceBatch(entry, FLAGS.openaiBatch);
}

// Anthropic's Message Batches API is half price for every model, but no `anthropic`
// entry in LiteLLM carries batch prices.
function deriveAnthropicBatch(key, raw, entry) {
  if (raw.litellm_provider !== 'anthropic') return false;
  return deriveHalfPriceBatch(entry, FLAGS.anthropicBatch);
}

function deriveHalfPriceBatch(entry, flag) {
  if (entry.batchInputPerMTok !== null || entry.batchOutputPerMTok !== null) return false;
  entry.batchInputPerMTok = Number((entry.inputPerMTok / 2).toFixed(6));
  entry.batchOutputPerMTok = Number((entry.outputPerMTok / 2).toFixed(6));
  addFlag(entry, flag);
  return true;
}

// Anthropic's 5-minute cache write costs 1.25x input. LiteLLM's values are checked against
// that rule (Claude 3 Haiku's published $0.30 is a known exception) and corrected if off.
function checkAnthropicCacheWrite(key, raw, entry) {
  if (entry.provider !== 'anthropic' || entry.cacheWritePerMTok === null) return false;
  const exception = Object.entries(CACHE_WRITE_EXCEPTIONS).find(([name]) => key.includes(name));
  const expected = exception ? exception[1] : Number((entry.inputPerMTok * CACHE_WRITE_RATIO).toFixed(6));
  if (Math.abs(entry.cacheWritePerMTok - expected) < 1e-9) return false;
  addFlag(entry, FLAGS.cacheWrite(entry.cacheWritePerMTok, expected));
  entry.cacheWritePerMTok = expected;
  return true;
}

// LiteLLM's 1-hour cache-write price is a copy error for claude-3-haiku-20240307 and
// claude-3-opus-20240229 ($6/MTok, Sonnet's price). We never export the 1-hour price, but
// flag entries where it is off so nobody copies it from the source by hand.
function flagOneHourCacheWrite(key, raw, entry) {
  const oneHour = raw.cache_creation_input_token_cost_above_1hr;
  if (entry.provider !== 'anthropic' || typeof oneHour !== 'number') return false;
  const expected = Number((entry.inputPerMTok * ONE_HOUR_CACHE_WRITE_RATIO).toFixed(6));
  if (Math.abs(perMTok(oneHour) - expected) < 1e-9) return false;
  addFlag(entry, FLAGS.oneHourCacheWrite(perMTok(oneHour)));
  return true;
}

// Before GPT-5.6 (whose cache writes cost 1.25x input), OpenAI models had no cache-write
// charge. A few LiteLLM entries (ft:gpt-4o-2024-11-20, azure/{eu,us}/gpt-4o-2024-11-20) put
// the cache-read price (50% of input) in `cache_creation_input_token_cost` and have no
// cache-read price: a "write" cheaper than plain input is a read, so move it.
function fixOpenAICacheWrite(key, raw, entry) {
  if (!['openai', 'azure-openai'].includes(entry.provider)) return false;
  if (entry.cacheWritePerMTok === null || entry.cachedInputPerMTok !== null) return false;
  if (entry.cacheWritePerMTok >= entry.inputPerMTok) return false;
  entry.cachedInputPerMTok = entry.cacheWritePerMTok;
  entry.cacheWritePerMTok = null;
  addFlag(entry, FLAGS.openaiCacheWrite);
  return true;
}

// Many entries (Mistral, xAI, Bedrock, Ollama, ...) copy the context window into
// max_output_tokens. A model cannot emit its whole window after reading a prompt, so this
// is not an output limit: we report "unknown" instead of a misleading number.
function dropFakeOutputLimit(key, raw, entry) {
  if (!GENERATIVE_MODES.has(entry.mode) || entry.maxOutputTokens === null) return false;
  if (raw.max_input_tokens == null || raw.max_output_tokens !== raw.max_input_tokens) return false;
  entry.maxOutputTokens = null;
  addFlag(entry, FLAGS.fakeOutputLimit);
  return true;
}

// Some entries claim prompt caching without a cache-read price. We must not guess the
// discount (it varies by provider), so the price stays null and the entry says why.
function flagCachingWithoutPrice(key, raw, entry) {
  if (raw.supports_prompt_caching !== true || entry.cachedInputPerMTok !== null) return false;
  addFlag(entry, FLAGS.cachingWithoutPrice);
  return true;
}

// Deprecation dates are kept as they are (all are real dates on or before 2026-11-23);
// anything that is not YYYY-MM-DD would break date comparisons downstream, so drop it.
function checkDeprecationDate(key, raw, entry) {
  if (entry.deprecationDate === null || /^\d{4}-\d{2}-\d{2}$/.test(entry.deprecationDate)) return false;
  addFlag(entry, FLAGS.badDeprecationDate(entry.deprecationDate));
  entry.deprecationDate = null;
  return true;
}

const CORRECTIONS = [
  deriveOpenAIBatch,
  deriveAnthropicBatch,
  fixOpenAICacheWrite,
  checkAnthropicCacheWrite,
  flagOneHourCacheWrite,
  dropFakeOutputLimit,
  flagCachingWithoutPrice,
  checkDeprecationDate,
];

function addFlag(entry, flag) {
  (entry.flags ??= []).push(flag);
}

function countUp(counts, name) {
  counts[name] = (counts[name] ?? 0) + 1;
}

function sortedObject(obj) {
  return Object.fromEntries(Object.keys(obj).sort().map((k) => [k, obj[k]]));
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const inputPath = resolve(args.input ?? DEFAULT_INPUT);
  if (!existsSync(inputPath)) fail(`no such file: ${inputPath}`);
  const provenance = readProvenance(inputPath);
  args.asOf ??= provenance?.date ?? fail('no PROVENANCE.md with a date next to the input: pass --as-of YYYY-MM-DD');

  const source = JSON.parse(readFileSync(inputPath, 'utf8'));
  const models = {};
  const bySourceProvider = {};
  const byProvider = {};
  const corrections = Object.fromEntries(CORRECTIONS.map((fn) => [fn.name, 0]));
  const skippedNoFlatPrice = [];

  for (const [key, raw] of Object.entries(source)) {
    if (SKIPPED_KEYS.has(key) || !raw || typeof raw !== 'object') continue;
    const mapped = mapProvider(key, raw.litellm_provider);
    if (!mapped || !MODES.has(raw.mode)) continue;
    if (typeof raw.input_cost_per_token !== 'number') {
      skippedNoFlatPrice.push(key); // per second, per character, tiered_pricing only, or none
      continue;
    }
    const entry = convertEntry(raw, mapped);
    for (const correct of CORRECTIONS) if (correct(key, raw, entry)) corrections[correct.name]++;
    models[key] = entry;
    countUp(bySourceProvider, raw.litellm_provider);
    countUp(byProvider, entry.provider);
  }

  const table = {
    asOf: args.asOf,
    source: describeSource(args, provenance),
    generatedBy: 'pricing/build-models.mjs',
    models: sortedObject(models),
  };
  writeFileSync(OUTPUT, JSON.stringify(table, null, 2) + '\n');

  const deprecations = Object.values(models).map((m) => m.deprecationDate).filter(Boolean).sort();
  console.log(`read ${inputPath}`);
  console.log(`asOf ${table.asOf}; source: ${table.source}`);
  console.log(`\nkept ${Object.keys(models).length} models, by LiteLLM provider:`);
  for (const [name, n] of Object.entries(sortedObject(bySourceProvider))) console.log(`  ${name.padEnd(28)} ${n}`);
  console.log('by our provider id:');
  for (const [name, n] of Object.entries(sortedObject(byProvider))) console.log(`  ${name.padEnd(28)} ${n}`);
  console.log(`\nskipped (no flat input price): ${skippedNoFlatPrice.length}`);
  console.log('corrections (entries affected):');
  for (const [name, n] of Object.entries(corrections)) console.log(`  ${name.padEnd(28)} ${n}`);
  const fakeLimitModes = {};
  for (const m of Object.values(models)) if (m.flags?.includes(FLAGS.fakeOutputLimit)) countUp(fakeLimitModes, m.mode);
  console.log(`  (dropFakeOutputLimit by mode: ${Object.entries(fakeLimitModes).map(([k, n]) => `${k} ${n}`).join(', ')})`);
  console.log(`deprecation dates kept: ${deprecations.length}, latest ${deprecations.at(-1) ?? '-'}`);
  console.log('priority / flex / 1-hour cache-write prices: not exported');
  console.log(`\nwrote ${OUTPUT}`);
}

main();
