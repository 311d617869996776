/**
 * Token counting per model family (ESTIMATION.md). OpenAI models are counted exactly with
 * js-tiktoken's rank files (the counting loop is ours, checked against js-tiktoken's encoder);
 * Claude and Gemini have no local tokenizer we can ship, so their counts are the o200k count times
 * a measured factor, and are marked as estimates.
 *
 * A rank table takes ~10–20 ms to load, so each encoding is built on first use, and counts are
 * memoised per distinct string.
 */
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

const counters = new Map<Encoding, TokenCounter>();
const memo = new Map<Encoding, Map<string, number>>();
const MEMO_LIMIT = 20_000;

function counter(encoding: Encoding): TokenCounter {
  let found = counters.get(encoding);
  if (!found) {
    // Loaded lazily: requiring the rank table is what costs the time and memory.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const ranks = encoding === 'o200k_base' ? require('js-tiktoken/ranks/o200k_base') : require('js-tiktoken/ranks/cl100k_base');
    found = new TokenCounter(ranks.default ?? ranks);
    counters.set(encoding, found);
  }
  return found;
}

/** js-tiktoken's rank file: `bpe_ranks` (see RankTable) and the pre-tokenizing pattern. */
export interface Ranks {
  pat_str: string;
  bpe_ranks: string;
}

const UTF8 = new TextEncoder();
const PIECE_MEMO_LIMIT = 100_000;

/**
 * Counts the tokens js-tiktoken's `encode(text, [], [])` returns, without making them: the same
 * pre-token pattern, the same byte-pair merge, and the ranks of the same file. js-tiktoken encodes
 * each pre-token to bytes and joins them into a `"104,101,108"` key for each lookup, and its
 * constructor decodes all 200k ranks (~110 MB of peak RSS); here each distinct pre-token (a word,
 * mostly) is counted once. `test/unit/tokenizer.test.ts` checks the counts equal js-tiktoken's for
 * both encodings, on text of every kind. Special-token text (`<|endoftext|>`) is ordinary text,
 * as `encode(text, [], [])` treats it.
 */
export class TokenCounter {
  private readonly table: RankTable;
  private readonly pattern: RegExp;
  private readonly perPiece = new Map<string, number>();

  constructor(ranks: Ranks) {
    this.table = new RankTable(ranks.bpe_ranks);
    this.pattern = new RegExp(ranks.pat_str, 'ug');
  }

  count(text: string): number {
    // `exec` on the one pattern rather than `matchAll`, which copies the regex for every text.
    const pattern = this.pattern;
    pattern.lastIndex = 0;
    let n = 0;
    for (let m = pattern.exec(text); m; m = pattern.exec(text)) n += this.countPiece(m[0]);
    return n;
  }

  private countPiece(piece: string): number {
    let n = this.perPiece.get(piece);
    if (n === undefined) {
      const bytes = UTF8.encode(piece);
      const rankOf = (start: number, end: number) => this.table.get(base64Of(bytes, start, end));
      n = bytes.length === 1 || rankOf(0, bytes.length) !== undefined ? 1 : mergedParts(bytes.length, rankOf);
      // A long-running language server counts text for days: keep the memo bounded.
      if (this.perPiece.size >= PIECE_MEMO_LIMIT) this.perPiece.clear();
      this.perPiece.set(piece, n);
    }
    return n;
  }
}

function base64Of(bytes: Uint8Array, start: number, end: number): string {
  let binary = '';
  for (let i = start; i < end; i++) binary += String.fromCharCode(bytes[i]);
  return btoa(binary);
}

/**
 * tiktoken's byte-pair merge of one pre-token of `length` bytes: join the adjacent pair of parts
 * with the lowest rank (the leftmost of equals) until no pair has a rank; returns the parts left,
 * one token each (every single byte has a rank). Pair ranks are kept between rounds and only the
 * two pairs next to a merge are looked up again.
 */
function mergedParts(length: number, rankOf: (start: number, end: number) => number | undefined): number {
  const bounds = Array.from({ length: length + 1 }, (_, i) => i);
  const pairRanks: number[] = [];
  for (let i = 0; i + 2 < bounds.length; i++) pairRanks.push(rankOf(bounds[i], bounds[i + 2]) ?? Infinity);
  while (pairRanks.length) {
    let best = 0;
    for (let i = 1; i < pairRanks.length; i++) if (pairRanks[i] < pairRanks[best]) best = i;
    if (pairRanks[best] === Infinity) break;
    bounds.splice(best + 1, 1);
    pairRanks.splice(best, 1);
    if (best > 0) pairRanks[best - 1] = rankOf(bounds[best - 1], bounds[best + 1]) ?? Infinity;
    if (best < pairRanks.length) pairRanks[best] = rankOf(bounds[best], bounds[best + 2]) ?? Infinity;
  }
  return bounds.length - 1;
}

/**
 * The rank file's tokens by their base64 text: lines of `<name> <first rank> <base64 token> …`,
 * ranks consecutive from the first. An open-addressing hash table over offsets into the rank text
 * itself, instead of a Map of 200k token strings: it is built in one pass over the characters
 * (both encodings, with their requires: ~21 ms instead of ~51 ms on vercel/ai), and leaves the
 * garbage collector 4 typed arrays to keep instead of 200k strings to copy.
 */
class RankTable {
  private readonly starts: Int32Array;
  private readonly lengths: Uint16Array;
  private readonly ranks: Int32Array;
  /** Entry index + 1 per slot; 0 is empty. */
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(private readonly bpe: string) {
    const capacity = countTokensIn(bpe);
    this.starts = new Int32Array(capacity);
    this.lengths = new Uint16Array(capacity);
    this.ranks = new Int32Array(capacity);
    let size = 1;
    while (size < capacity * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    let entries = 0;
    for (let pos = 0; pos < bpe.length; ) {
      const newline = bpe.indexOf('\n', pos);
      const eol = newline < 0 ? bpe.length : newline;
      const afterName = bpe.indexOf(' ', pos);
      const afterRank = afterName < 0 || afterName > eol ? -1 : bpe.indexOf(' ', afterName + 1);
      if (afterRank > 0 && afterRank < eol) {
        let rank = Number.parseInt(bpe.slice(afterName + 1, afterRank), 10);
        for (let start = afterRank + 1; start < eol; ) {
          const space = bpe.indexOf(' ', start);
          const end = space < 0 || space > eol ? eol : space;
          this.insert(entries++, start, end, rank++);
          start = end + 1;
        }
      }
      pos = eol + 1;
    }
  }

  get(base64: string): number | undefined {
    for (let slot = hashOf(base64, 0, base64.length) & this.mask; ; slot = (slot + 1) & this.mask) {
      const entry = this.slots[slot] - 1;
      if (entry < 0) return undefined;
      if (this.lengths[entry] === base64.length && this.bpe.startsWith(base64, this.starts[entry])) return this.ranks[entry];
    }
  }

  private insert(entry: number, start: number, end: number, rank: number): void {
    this.starts[entry] = start;
    this.lengths[entry] = end - start;
    this.ranks[entry] = rank;
    let slot = hashOf(this.bpe, start, end) & this.mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
    this.slots[slot] = entry + 1;
  }
}

/** At least the number of tokens in a rank text: one space before each token, and one more per line (`<name> <rank> <token> <token>`). */
function countTokensIn(bpe: string): number {
  let n = 0;
  for (let i = bpe.indexOf(' '); i >= 0; i = bpe.indexOf(' ', i + 1)) n++;
  return n;
}

/** FNV-1a over UTF-16 code units (base64 is ASCII). */
function hashOf(text: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function countTokens(text: string, encoding: Encoding): number {
  if (!text) return 0;
  let cache = memo.get(encoding);
  if (!cache) memo.set(encoding, (cache = new Map()));
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  const n = countWithLongRuns(text, encoding);
  if (cache.size >= MEMO_LIMIT) cache.clear();
  cache.set(text, n);
  return n;
}

/** Runs of one character at least this long are counted by extrapolation (see below). */
const LONG_RUN = 256;
const LONG_RUNS = new RegExp(`([^])\\1{${LONG_RUN - 1},}`, 'g');
const perCharOfRun = new Map<string, number>();

/**
 * The byte-pair merge is quadratic in the length of one pre-token, and a run of one
 * character (spaces, `=====`, padding) is one pre-token: counting 20,000 spaces took 30 s. A run
 * longer than LONG_RUN is counted as LONG_RUN characters in place plus the rest at the run's own
 * rate (tokens per character of that character repeated, measured once). Text without such runs,
 * nearly all text, is counted exactly.
 */
function countWithLongRuns(text: string, encoding: Encoding): number {
  // Special-token text such as "<|endoftext|>" in a prompt is counted as ordinary text.
  const exact = (t: string) => counter(encoding).count(t);
  let extra = 0;
  const shortened = text.replace(LONG_RUNS, (run: string, char: string) => {
    extra += (run.length - LONG_RUN) * rateOf(char, encoding, exact);
    return char.repeat(LONG_RUN);
  });
  return exact(shortened) + Math.round(extra);
}

function rateOf(char: string, encoding: Encoding, exact: (t: string) => number): number {
  const key = `${encoding}:${char}`;
  let rate = perCharOfRun.get(key);
  if (rate === undefined) {
    rate = (exact(char.repeat(2 * LONG_RUN)) - exact(char.repeat(LONG_RUN))) / LONG_RUN;
    perCharOfRun.set(key, rate);
  }
  return rate;
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
