/**
 * Provider API keys: how to find them in text and how to show them. The `hardcoded-api-key` rule
 * reports them; every adapter (JSON report, formatters, language server features, the projection
 * the cost panel draws) passes the text it shows through `maskSecrets`, so a key read from source
 * (as a model name, in a prompt hole, in an expression) is never echoed in full.
 */
import type { TextEdit } from './types';

export interface KeyFormat {
  provider: string;
  env: string;
  pattern: RegExp;
}

/**
 * Provider key formats: a distinctive prefix and a body long enough to be a real key. Cohere, Mistral
 * and older Together keys have no prefix and cannot be told from other random strings, so they are not listed.
 */
export const KEY_FORMATS: readonly KeyFormat[] = [
  { provider: 'Anthropic', env: 'ANTHROPIC_API_KEY', pattern: /sk-ant-[A-Za-z0-9_-]{32,}/g },
  { provider: 'OpenRouter', env: 'OPENROUTER_API_KEY', pattern: /sk-or-v1-[A-Za-z0-9]{32,}/g },
  { provider: 'OpenAI', env: 'OPENAI_API_KEY', pattern: /sk-(?!ant-|or-v1-)(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g },
  { provider: 'Google', env: 'GOOGLE_API_KEY', pattern: /AIza[0-9A-Za-z_-]{35}/g },
  { provider: 'Groq', env: 'GROQ_API_KEY', pattern: /gsk_[A-Za-z0-9]{40,}/g },
  { provider: 'AWS', env: 'AWS_ACCESS_KEY_ID', pattern: /AKIA[0-9A-Z]{16}/g },
  { provider: 'Hugging Face', env: 'HF_TOKEN', pattern: /hf_[A-Za-z0-9]{30,}/g },
  { provider: 'xAI', env: 'XAI_API_KEY', pattern: /xai-[A-Za-z0-9]{40,}/g },
  { provider: 'Together', env: 'TOGETHER_API_KEY', pattern: /tgp_v1_[A-Za-z0-9_-]{30,}/g },
  { provider: 'Replicate', env: 'REPLICATE_API_TOKEN', pattern: /r8_[A-Za-z0-9]{30,}/g },
];

/** Characters that may continue a key: a match touching one of them is part of a longer token. */
const KEY_CHAR = /[A-Za-z0-9_-]/;
const PLACEHOLDER = /x{4}|X{4}|your|example|placeholder|dummy|fake|redacted|replace|insert|sample|here|test|\.\.\.|0{6}|1234|abcd/i;
/** What every key format starts with (a quick test before the patterns). */
const PREFIXES = /sk-|AIza|gsk_|AKIA|hf_|xai-|tgp_v1_|r8_/;
/** The start of a key cut short by an ellipsis (`shorten()` on a long expression): `sk-proj-Q3v9…`. */
const CUT_KEY = /(sk-ant-|sk-or-v1-|sk-|AIza|gsk_|AKIA|hf_|xai-|tgp_v1_|r8_)[A-Za-z0-9_-]*(?=…)/g;

export interface FoundKey {
  format: KeyFormat;
  key: string;
  start: number;
  end: number;
}

/** The keys in a text, in the order of the formats (the same list the rule reports). */
export function findKeys(text: string): FoundKey[] {
  if (!PREFIXES.test(text)) return [];
  const out: FoundKey[] = [];
  for (const format of KEY_FORMATS) {
    for (const m of text.matchAll(format.pattern)) {
      const start = m.index ?? 0;
      const key = m[0];
      if (KEY_CHAR.test(text[start - 1] ?? '') || !looksReal(key)) continue;
      // The OpenAI pattern also matches the tails of other formats (`sk-ant-…` is checked first).
      if (format.provider === 'OpenAI' && /^sk-(ant|or)-/.test(key)) continue;
      out.push({ format, key, start, end: start + key.length });
    }
  }
  return out;
}

/** `sk-proj-Q3v9…` → `sk-pro…Ga`: enough to recognise the key, never enough to use it. */
export function mask(key: string): string {
  return `${key.slice(0, 6)}…${key.slice(-2)}`;
}

/**
 * The text with every key masked; also the start of a key that an ellipsis cut short (a long
 * expression shortened for display), which no longer matches a key format but still gives part
 * of it away. Idempotent: a masked key is not a key.
 */
export function maskSecrets(text: string): string {
  if (!PREFIXES.test(text)) return text;
  const keys = findKeys(text).sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const k of keys) {
    if (k.start < at) continue;
    out += text.slice(at, k.start) + mask(k.key);
    at = k.end;
  }
  out += text.slice(at);
  return out.replace(CUT_KEY, (m: string, prefix: string, offset: number, whole: string) => {
    if (KEY_CHAR.test(whole[offset - 1] ?? '')) return m;
    // Long enough to give part of a key away; `sk-pro` (a mask's visible start) is not.
    return m.length - prefix.length >= 4 && m.length > 6 ? m.slice(0, 6) : m;
  });
}

/**
 * A copy of a plain-data value (objects, arrays, strings) with every string masked, object keys
 * too (`byModel` is keyed by model name); strings under a property named in `keep` stay as they
 * are (an edit's new text must apply as written: see `editsWithoutSecrets`). Values without a key
 * are returned as they are.
 */
export function maskDeep<T>(value: T, keep: ReadonlySet<string> = NOTHING): T {
  return walk(value, keep) as T;
}

const NOTHING: ReadonlySet<string> = new Set();

// A report is thousands of objects and nearly never holds a key: nothing is copied until something changes.
function walk(v: unknown, keep: ReadonlySet<string>): unknown {
  if (typeof v === 'string') return maskSecrets(v);
  if (Array.isArray(v)) return walkArray(v, keep);
  if (v && typeof v === 'object' && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)) return walkObject(v as Record<string, unknown>, keep);
  return v;
}

function walkArray(v: unknown[], keep: ReadonlySet<string>): unknown[] {
  let out: unknown[] | null = null;
  for (let i = 0; i < v.length; i++) {
    const y = walk(v[i], keep);
    if (!out && y !== v[i]) out = v.slice(0, i);
    out?.push(y);
  }
  return out ?? v;
}

function walkObject(v: Record<string, unknown>, keep: ReadonlySet<string>): Record<string, unknown> {
  let out: Record<string, unknown> | null = null;
  const keys = Object.keys(v);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const x = v[k];
    const mk = maskSecrets(k);
    const y = keep.has(k) && typeof x === 'string' ? x : walk(x, keep);
    if (!out && (y !== x || mk !== k)) {
      out = {};
      for (const earlier of keys.slice(0, i)) out[earlier] = v[earlier];
    }
    // Two keys masked alike (same start and end) in a total keyed by model: add them up.
    if (out) out[mk] = mk in out && typeof out[mk] === 'number' && typeof y === 'number' ? (out[mk] as number) + y : y;
  }
  return out ?? v;
}

/**
 * The same change as `edit` to `text`, as edits whose new text holds no key. A fix that keeps a
 * key where it is (wrapping a prompt in a cache block, renaming a model behind a prefix) becomes
 * the edits around each key; the key itself is never rewritten. null when the new text has a key
 * that the replaced text does not (it could only be applied by showing the key).
 */
export function editsWithoutSecrets(text: string, edit: TextEdit): TextEdit[] | null {
  const keys = findKeys(edit.newText).sort((a, b) => a.start - b.start);
  if (!keys.length) return [edit];
  const old = text.slice(edit.span.start, edit.span.end);
  const out: TextEdit[] = [];
  let oldAt = 0;
  let newAt = 0;
  for (const k of keys) {
    if (k.start < newAt) continue; // overlapping matches of two formats
    const at = old.indexOf(k.key, oldAt);
    if (at < 0) return null;
    out.push(trimmed(old, edit.span.start, oldAt, at, edit.newText.slice(newAt, k.start)));
    oldAt = at + k.key.length;
    newAt = k.end;
  }
  out.push(trimmed(old, edit.span.start, oldAt, old.length, edit.newText.slice(newAt)));
  return out.filter((e) => e.span.end > e.span.start || e.newText);
}

/** Replacing `old[from, to)` with `newText`, without the text both share at either end. */
function trimmed(old: string, base: number, from: number, to: number, newText: string): TextEdit {
  const piece = old.slice(from, to);
  let a = 0;
  while (a < piece.length && a < newText.length && piece[a] === newText[a]) a++;
  let b = 0;
  while (b < piece.length - a && b < newText.length - a && piece[piece.length - 1 - b] === newText[newText.length - 1 - b]) b++;
  // Never cut between the two halves of a surrogate pair.
  if (a > 0 && /[\uD800-\uDBFF]/.test(piece[a - 1])) a--;
  if (b > 0 && /[\uDC00-\uDFFF]/.test(piece[piece.length - b])) b--;
  return { span: { start: base + from + a, end: base + to - b }, newText: newText.slice(a, newText.length - b) };
}

/** Real keys are random: long, mixed character classes, many distinct characters, no placeholder words or runs. */
function looksReal(key: string): boolean {
  const body = key.replace(/^(sk-ant-(api\d+-|admin\d+-)?|sk-or-v1-|sk-(proj-|svcacct-|admin-)?|AIza|gsk_|AKIA|hf_|xai-|tgp_v1_|r8_)/, '');
  if (body.length < 16 || PLACEHOLDER.test(body) || /(.)\1{3}/.test(body)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((re) => re.test(body)).length;
  if (classes < 2) return false;
  return new Set(body).size >= Math.min(12, body.length * 0.5) && entropy(body) >= 3.2;
}

function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}
