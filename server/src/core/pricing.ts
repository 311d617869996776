/**
 * The price table (`pricing/models.json`) and model-name normalisation: dated snapshots,
 * provider prefixes (`openai/gpt-4o`, `models/gemini-…`), Bedrock ids (`us.anthropic.…-v1:0`),
 * Vertex `@version` suffixes. A name that matches nothing is unknown — never priced at $0.
 */
import type { Provider } from './catalog';
import { editDistance } from './editDistance';

export interface ModelPrice {
  provider: string;
  mode: string;
  inputPerMTok: number;
  outputPerMTok?: number;
  cachedInputPerMTok?: number | null;
  cacheWritePerMTok?: number | null;
  batchInputPerMTok?: number | null;
  batchOutputPerMTok?: number | null;
  contextWindow: number | null;
  maxOutputTokens: number | null;
  deprecationDate?: string | null;
  selfHosted?: boolean;
  platform?: string;
  flags?: string[];
}

export interface PriceTable {
  asOf: string;
  source: string;
  models: Record<string, ModelPrice>;
}

export interface PriceMatch {
  key: string;
  price: ModelPrice;
  /** How the name was matched when not exactly (`dated snapshot stripped`). */
  via: string | null;
}

/** The LiteLLM key prefix under which a provider's models are listed. */
const PROVIDER_PREFIX: Partial<Record<Provider, string[]>> = {
  google: ['gemini/', 'vertex_ai/'],
  mistral: ['mistral/'],
  groq: ['groq/'],
  together: ['together_ai/'],
  ollama: ['ollama/'],
  'azure-openai': ['azure/'],
  bedrock: ['bedrock/', 'bedrock/converse/'],
  cohere: ['cohere/', 'cohere_chat/'],
};

/** First-party entries win over cloud resellers when a canonical name maps to several keys. */
const PLATFORM_RANK: Record<string, number> = { openai: 0, anthropic: 0, google: 1, mistral: 1, cohere: 1, 'azure-openai': 3, bedrock: 4 };

/** What one call costs at list price, in USD: input and output tokens times the model's $/1M-token prices. */
export function listCostUsd(p: ModelPrice, inputTokens: number, outputTokens: number): number {
  return (inputTokens * p.inputPerMTok + outputTokens * (p.outputPerMTok ?? 0)) / 1e6;
}

export class Prices {
  private canonicalIndex: Map<string, string> | null = null;
  /** `suggest` answers, by provider, limit and name. */
  private readonly suggestions = new Map<string, string[]>();

  constructor(readonly table: PriceTable) {}

  /** Canonical name → table key, built on the first inexact lookup (a cached CLI run never needs it). */
  private get canonical(): Map<string, string> {
    if (this.canonicalIndex) return this.canonicalIndex;
    const index = new Map<string, string>();
    const keys = Object.keys(this.table.models).sort((a, b) => rank(this.table, a) - rank(this.table, b) || a.length - b.length || (a < b ? -1 : 1));
    for (const key of keys) {
      const c = canonicalName(key);
      if (!index.has(c)) index.set(c, key);
    }
    this.canonicalIndex = index;
    return index;
  }

  /**
   * This table with configured overrides: an override of a known model changes only the fields it
   * gives; a new model needs at least its input and output prices.
   */
  withOverrides(overrides: Record<string, Partial<ModelPrice>>): Prices {
    if (!Object.keys(overrides).length) return this;
    const models = { ...this.table.models };
    for (const [name, o] of Object.entries(overrides)) {
      const base = this.lookup(name, (o.provider as Provider | undefined) ?? 'other');
      const merged = { ...(base ? base.price : { provider: 'other', mode: 'chat', contextWindow: null, maxOutputTokens: null, inputPerMTok: 0 }), ...o, flags: ['price from configuration'] };
      if (!base && (o.inputPerMTok === undefined || o.outputPerMTok === undefined)) continue;
      models[name] = merged as ModelPrice;
      if (base && base.key !== name) models[base.key] = merged as ModelPrice;
    }
    return new Prices({ ...this.table, models });
  }

  get asOf(): string {
    return this.table.asOf;
  }

  lookup(model: string, provider: Provider): PriceMatch | null {
    const name = model.trim();
    if (!name) return null;
    const exact = this.table.models[name];
    if (exact) return { key: name, price: exact, via: null };
    for (const prefix of PROVIDER_PREFIX[provider] ?? []) {
      const hit = this.table.models[prefix + name];
      if (hit) return { key: prefix + name, price: hit, via: null };
    }
    const c = canonicalName(name);
    const byCanonical = this.canonical.get(c);
    if (byCanonical) return { key: byCanonical, price: this.table.models[byCanonical], via: 'provider prefix or version suffix ignored' };
    const undated = stripDate(c);
    if (undated !== c) {
      const key = this.canonical.get(undated);
      if (key) return { key, price: this.table.models[key], via: `priced as ${key} (dated snapshot not in the table)` };
    }
    return null;
  }

  /** Known names closest to an unknown one, for "did you mean". */
  suggest(model: string, provider: Provider, limit = 3): string[] {
    // A repository repeats its unknown names call after call; each answer is an edit distance to every known model.
    const key = `${provider}\u0000${limit}\u0000${model}`;
    let answer = this.suggestions.get(key);
    if (!answer) {
      answer = this.closest(model, provider, limit);
      if (this.suggestions.size >= 10_000) this.suggestions.clear();
      this.suggestions.set(key, answer);
    }
    return [...answer];
  }

  private closest(model: string, provider: Provider, limit: number): string[] {
    const target = canonicalName(model);
    const scored: Array<[number, string]> = [];
    const seen = new Set<string>();
    for (const [c, key] of this.canonical) {
      if (seen.has(c)) continue;
      seen.add(c);
      const p = this.table.models[key].provider;
      if (provider !== 'litellm' && provider !== 'other' && provider !== 'langchain' && provider !== 'vercel-ai' && p !== provider && !(provider === 'azure-openai' && p === 'openai')) continue;
      // A known name that the unknown one extends (`gpt-5-mini-preview` → `gpt-5-mini`) is the likeliest meaning.
      const extends_ = (target.startsWith(`${c}-`) && c.length * 2 >= target.length) || c.startsWith(`${target}-`);
      const d = extends_ ? Math.abs(target.length - c.length) / 10 : editDistance(target, c, 8);
      if (d <= Math.max(3, Math.floor(target.length / 3))) scored.push([d, c]);
    }
    return scored.sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1])).slice(0, limit).map(([, c]) => c);
  }
}

function rank(table: PriceTable, key: string): number {
  const m = table.models[key];
  return (PLATFORM_RANK[m.provider] ?? 2) + (m.platform ? 1 : 0) + (key.includes('/') ? 1 : 0);
}

/** `bedrock/us.anthropic.claude-3-5-sonnet-20241022-v2:0` → `claude-3-5-sonnet-20241022`. */
export function canonicalName(name: string): string {
  let n = name.toLowerCase();
  n = n.replace(/^models\//, '');
  n = n.slice(n.lastIndexOf('/') + 1);
  n = n.replace(/^(us|eu|apac|global|au|jp|us-gov|ca)\./, '');
  n = n.replace(/^(anthropic|meta|amazon|cohere|mistral|ai21|deepseek|openai|qwen|writer)\./, '');
  n = n.replace(/@.*$/, '');
  n = n.replace(/-v\d+(:\d+)?$/, '');
  n = n.replace(/:(\d+|latest)$/, '');
  return n;
}

/** `gpt-4o-2024-08-06` → `gpt-4o`; `claude-3-5-haiku-20241022` → `claude-3-5-haiku`; `-latest` too. */
export function stripDate(name: string): string {
  return name.replace(/-(\d{4}-\d{2}-\d{2}|\d{8}|latest|\d{3,4})$/, '');
}
