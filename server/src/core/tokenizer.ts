/**
 * Token counting per model family (ESTIMATION.md). OpenAI models are counted exactly with
 * js-tiktoken; Claude and Gemini have no local tokenizer we can ship, so their counts are the
 * o200k count times a measured factor, and are marked as estimates.
 *
 * The rank tables take ~0.6 s to load, so each encoding is built on first use and counts are
 * memoised per distinct string.
 */
import { Tiktoken } from 'js-tiktoken/lite';
import type { Provider } from './catalog';

export type Encoding = 'o200k_base' | 'cl100k_base';

export interface TokenizerChoice {
  encoding: Encoding;
  /** Multiplier applied to the encoding's count (1 for exact counts). */
  factor: number;
  exact: boolean;
  /** Shown to users: `o200k_base` or `o200k_base × 1.2 (Claude estimate)`. */
  label: string;
}

const encoders = new Map<Encoding, Tiktoken>();
const memo = new Map<Encoding, Map<string, number>>();
const MEMO_LIMIT = 20_000;

function encoder(encoding: Encoding): Tiktoken {
  let enc = encoders.get(encoding);
  if (!enc) {
    // Loaded lazily: requiring the rank table is what costs the time and memory.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const ranks = encoding === 'o200k_base' ? require('js-tiktoken/ranks/o200k_base') : require('js-tiktoken/ranks/cl100k_base');
    enc = new Tiktoken(ranks.default ?? ranks);
    encoders.set(encoding, enc);
  }
  return enc;
}

export function countTokens(text: string, encoding: Encoding): number {
  if (!text) return 0;
  let cache = memo.get(encoding);
  if (!cache) memo.set(encoding, (cache = new Map()));
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  // Special-token text such as "<|endoftext|>" in a prompt is counted as ordinary text.
  const n = encoder(encoding).encode(text, [], []).length;
  if (cache.size >= MEMO_LIMIT) cache.clear();
  cache.set(text, n);
  return n;
}

export function isTokenizerLoaded(encoding: Encoding): boolean {
  return encoders.has(encoding);
}

const CL100K = /^(gpt-4(?!o|\.|-?o)|gpt-4-|gpt-3\.5|text-embedding-3|text-embedding-ada-002|davinci|babbage)/;

export function tokenizerFor(model: string | null, provider: Provider): TokenizerChoice {
  const name = (model ?? '').toLowerCase().replace(/^.*\//, '').replace(/^(us|eu|apac|global)\./, '').replace(/^anthropic\./, '');
  if (/^claude/.test(name) || provider === 'anthropic') {
    // Opus 4.7 and later use a new tokenizer with ≈1.0–1.35× more tokens than earlier Claude models.
    const newer = /claude-(opus-4-[7-9]|opus-[5-9]|sonnet-[5-9]|haiku-[5-9]|[5-9])/.test(name);
    const factor = newer ? 1.35 : 1.2;
    return { encoding: 'o200k_base', factor, exact: false, label: `o200k_base × ${factor} (Claude estimate)` };
  }
  if (/^gemini|^gemma/.test(name) || provider === 'google') {
    return { encoding: 'o200k_base', factor: 1.12, exact: false, label: 'o200k_base × 1.12 (Gemini estimate)' };
  }
  if (CL100K.test(name)) return { encoding: 'cl100k_base', factor: 1, exact: true, label: 'cl100k_base' };
  if (/^(gpt-|o\d|chatgpt-|codex-|text-embedding|ft:gpt)/.test(name)) {
    return { encoding: 'o200k_base', factor: 1, exact: !name.startsWith('gpt-oss'), label: 'o200k_base' };
  }
  return { encoding: 'o200k_base', factor: 1.1, exact: false, label: 'o200k_base × 1.1 (approximation for this model family)' };
}

export function count(text: string, choice: TokenizerChoice): number {
  const n = countTokens(text, choice.encoding);
  return choice.factor === 1 ? n : Math.round(n * choice.factor);
}
