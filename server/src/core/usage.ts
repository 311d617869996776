/**
 * The usage model: how often each call runs, so a cost per call becomes a cost per month.
 *
 *   # llmlint.usage.yml
 *   version: 1
 *   loopFactor: 10                 # iterations assumed for a loop with no static trip count
 *   holes: { ticket_text: 800 }    # sizes of named prompt holes, everywhere
 *   callSites:
 *     "backend/summarize.py::summarize_ticket#1": { callsPerDay: 5000, feature: ticket-summary }
 *   files:
 *     "web/src/**": { callsPerDay: 200 }
 *   features:
 *     ticket-summary: { cacheHitRate: 0.4 }
 *   profiles: { low: 0.5, high: 3 }  # traffic scenarios: multipliers of all volumes
 *
 * And inline, on the line of a call or the line above it:
 *   # llmlint: calls-per-day=5000 feature=checkout-assist
 *   // llmlint: calls-per-month=20000 batch-share=0.5
 */
import picomatch from 'picomatch';
import { parseDocument } from 'yaml';
import type { CallSite } from './types';

export interface UsageEntry {
  callsPerDay?: number;
  callsPerMonth?: number;
  /** Expected output tokens per call (instead of the default expectation). */
  outputTokens?: number;
  /** Share of input tokens served from the prompt cache (0–1). */
  cacheHitRate?: number;
  /** Share of calls sent through a Batch API (0–1). */
  batchShare?: number;
  feature?: string;
}

export interface UsageModel {
  file: string | null;
  loopFactor: number;
  holes: Record<string, number>;
  callSites: Record<string, UsageEntry>;
  files: Array<{ glob: string; match: (path: string) => boolean; entry: UsageEntry }>;
  features: Record<string, UsageEntry>;
  /** Traffic scenarios as multipliers of the volumes (`low: 0.5, high: 3`); `expected` is 1. */
  profiles: Record<string, number>;
}

export const EMPTY_USAGE: UsageModel = { file: null, loopFactor: 10, holes: {}, callSites: {}, files: [], features: {}, profiles: {} };

const ENTRY_KEYS: Record<string, 'number' | 'string'> = {
  callsPerDay: 'number', callsPerMonth: 'number', outputTokens: 'number', cacheHitRate: 'number', batchShare: 'number', feature: 'string',
};

export interface UsageProblem {
  line: number;
  message: string;
}

export function parseUsage(file: string, text: string): { usage: UsageModel; problems: UsageProblem[] } {
  const problems: UsageProblem[] = [];
  const doc = parseDocument(text);
  for (const e of doc.errors) problems.push({ line: e.linePos?.[0]?.line ?? 1, message: `invalid YAML: ${e.message.split('\n')[0]}` });
  const data = (doc.errors.length ? {} : doc.toJS()) as Record<string, unknown> | null;
  const root = data && typeof data === 'object' ? data : {};
  const lineOf = (needle: string) => Math.max(1, text.split('\n').findIndex((l) => l.includes(needle)) + 1);
  const entry = (where: string, v: unknown): UsageEntry => {
    const out: Record<string, unknown> = {};
    if (!v || typeof v !== 'object') {
      problems.push({ line: lineOf(where), message: `${where}: expected a mapping such as { callsPerDay: 100 }` });
      return out;
    }
    for (const [k, val] of Object.entries(v)) {
      const type = ENTRY_KEYS[k];
      if (!type) problems.push({ line: lineOf(k), message: `${where}: unknown key "${k}" (known: ${Object.keys(ENTRY_KEYS).join(', ')})` });
      else if (typeof val !== type || (type === 'number' && (val as number) < 0)) problems.push({ line: lineOf(k), message: `${where}.${k}: expected a ${type === 'number' ? 'number ≥ 0' : 'string'}` });
      else if ((k === 'cacheHitRate' || k === 'batchShare') && (val as number) > 1) problems.push({ line: lineOf(k), message: `${where}.${k}: expected a share between 0 and 1` });
      else out[k] = val;
    }
    return out as UsageEntry;
  };
  const map = (key: string): Record<string, unknown> => {
    const v = root[key];
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  };
  const holes: Record<string, number> = {};
  for (const [k, v] of Object.entries(map('holes'))) {
    if (typeof v === 'number' && v >= 0) holes[k] = v;
    else problems.push({ line: lineOf(k), message: `holes.${k}: expected a token count` });
  }
  const usage: UsageModel = {
    file,
    loopFactor: typeof root.loopFactor === 'number' && root.loopFactor > 0 ? root.loopFactor : EMPTY_USAGE.loopFactor,
    holes,
    callSites: Object.fromEntries(Object.entries(map('callSites')).map(([id, v]) => [id, entry(`callSites["${id}"]`, v)])),
    files: Object.entries(map('files')).map(([glob, v]) => ({ glob, match: picomatch(glob, { dot: true }), entry: entry(`files["${glob}"]`, v) })),
    features: Object.fromEntries(Object.entries(map('features')).map(([f, v]) => [f, entry(`features.${f}`, v)])),
    profiles: {},
  };
  for (const [name, v] of Object.entries(map('profiles'))) {
    if (typeof v === 'number' && v >= 0) usage.profiles[name] = v;
    else problems.push({ line: lineOf(name), message: `profiles.${name}: expected a multiplier of the volumes, such as 0.5 or 3` });
  }
  return { usage, problems };
}

const ANNOTATION = /(?:#|\/\/)\s*llmlint:\s*((?:[a-z-]+=[^\s]+\s*)+)$/;
const ANNOTATION_KEYS: Record<string, keyof UsageEntry> = {
  'calls-per-day': 'callsPerDay', 'calls-per-month': 'callsPerMonth', 'output-tokens': 'outputTokens',
  'cache-hit-rate': 'cacheHitRate', 'batch-share': 'batchShare', feature: 'feature',
};

/** `# llmlint: calls-per-day=5000 feature=x` on a line, by 0-based line number. */
export function inlineUsage(text: string): Map<number, UsageEntry> {
  const out = new Map<number, UsageEntry>();
  text.split('\n').forEach((line, i) => {
    const m = ANNOTATION.exec(line);
    if (!m) return;
    const e: Record<string, unknown> = {};
    for (const pair of m[1].trim().split(/\s+/)) {
      const [k, v] = pair.split('=');
      const key = ANNOTATION_KEYS[k];
      if (!key) continue;
      e[key] = key === 'feature' ? v : Number(v);
    }
    out.set(i, e as UsageEntry);
  });
  return out;
}

export interface ResolvedUsage {
  entry: UsageEntry;
  /** Where the call volume came from: `usage file (call site)`, `inline annotation`, … */
  source: string | null;
}

/**
 * The usage that applies to a call site: its own entry in the usage file, then an inline
 * annotation, then the first matching file glob; a feature's entry fills what is still unset.
 */
export function usageFor(site: CallSite, line: number, inline: Map<number, UsageEntry>, usage: UsageModel): ResolvedUsage {
  const layers: Array<[UsageEntry | undefined, string]> = [
    [usage.callSites[site.id], 'usage file (call site)'],
    [inline.get(line) ?? inline.get(line - 1), 'inline annotation'],
    [usage.files.find((f) => f.match(site.file))?.entry, 'usage file (file glob)'],
  ];
  const entry: UsageEntry = {};
  let source: string | null = null;
  for (const [layer, name] of layers) {
    if (!layer) continue;
    for (const [k, v] of Object.entries(layer) as Array<[keyof UsageEntry, never]>) if (entry[k] === undefined) entry[k] = v;
    if (!source && (layer.callsPerDay !== undefined || layer.callsPerMonth !== undefined)) source = name;
  }
  const feature = entry.feature ? usage.features[entry.feature] : undefined;
  if (feature) {
    for (const [k, v] of Object.entries(feature) as Array<[keyof UsageEntry, never]>) if (entry[k] === undefined) entry[k] = v;
    if (!source && (feature.callsPerDay !== undefined || feature.callsPerMonth !== undefined)) source = `usage file (feature ${entry.feature})`;
  }
  return { entry, source };
}
