/**
 * Configuration: parsing and validating `llmlint.config.json`, `[tool.llmlint]` in
 * `pyproject.toml` and the `llmlint` key of `package.json`, and turning a config into Settings.
 * Pure: the host finds and reads the files. Every problem carries the file, line and column.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { parse as parseToml, TomlError } from 'smol-toml';
import schema from '../../schemas/llmlint.config.schema.json';
import { escapeRegExp } from './catalog';
import { editDistance } from './editDistance';
import type { ModelPrice } from './pricing';
import { RULES } from './rules/registry';
import { DEFAULT_SETTINGS, type RuleSeverity, type Settings } from './settings';

export type ConfigKind = 'llmlint.config.json' | 'pyproject.toml' | 'package.json';
export const CONFIG_FILES: ConfigKind[] = ['llmlint.config.json', 'pyproject.toml', 'package.json'];

type RuleEntry = RuleSeverity | [RuleSeverity] | [RuleSeverity, Record<string, unknown>];

export interface LlmlintConfig {
  extends?: 'recommended' | 'strict';
  rules?: Record<string, RuleEntry>;
  include?: string[];
  exclude?: string[];
  placeholderTokens?: number;
  holeTokens?: Record<string, number>;
  expectedOutputTokens?: number;
  defaultMaxOutputTokens?: number;
  reportUnusedDirectives?: boolean;
  modelAliases?: Record<string, string>;
  prices?: Record<string, Partial<ModelPrice>>;
}

export interface ConfigProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

export interface LoadedConfig {
  file: string;
  config: LlmlintConfig;
}

export type ConfigResult = { ok: true; loaded: LoadedConfig | null } | { ok: false; problems: ConfigProblem[] };

let compiled: ValidateFunction<LlmlintConfig> | null = null;

/** Compiled on first use: compiling the schema costs ~0.1 s, which a run without a config file never pays. */
function validator(): ValidateFunction<LlmlintConfig> {
  compiled ??= new Ajv({ allErrors: true, strict: false }).compile<LlmlintConfig>(schema);
  return compiled;
}

/** Parses one candidate file. `loaded: null` means the file exists but holds no llmlint config. */
export function parseConfig(file: string, kind: ConfigKind, text: string): ConfigResult {
  if (kind === 'pyproject.toml') return parsePyproject(file, text);
  // A monorepo has a package.json in every package and nearly none has our key: no parse for those,
  // and one that is broken is not ours to report.
  if (kind === 'package.json' && !text.includes('"llmlint"')) return { ok: true, loaded: null };
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: kind === 'package.json' });
  const at = (offset: number) => lineCol(text, offset);
  if (errors.length || !tree) {
    const e = errors[0];
    const pos = at(e?.offset ?? 0);
    return { ok: false, problems: [{ file, ...pos, message: `invalid JSON: ${e ? printParseErrorCode(e.error) : 'empty file'}` }] };
  }
  const prefix = kind === 'package.json' ? ['llmlint'] : [];
  const root = prefix.length ? findNodeAtLocation(tree, prefix) : tree;
  if (!root) return { ok: true, loaded: null };
  const value = nodeValue(root);
  return check(file, value, (path) => {
    const node = findNodeAtLocation(tree, [...prefix, ...path]) ?? closest(tree, [...prefix, ...path]);
    // Point at the key of a property (`"rules": {…}` → `"rules"`), not at its value.
    const target = node?.parent?.type === 'property' ? node.parent : node;
    return at(target?.offset ?? root.offset);
  });
}

function parsePyproject(file: string, text: string): ConfigResult {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (err) {
    const e = err as TomlError;
    return { ok: false, problems: [{ file, line: e.line ?? 1, column: e.column ?? 1, message: `invalid TOML: ${String(e.message).split('\n')[0]}` }] };
  }
  const tool = doc.tool as Record<string, unknown> | undefined;
  if (!tool || !('llmlint' in tool)) return { ok: true, loaded: null };
  // TOML has no positions in its parse result: point at the key's line inside [tool.llmlint].
  const section = Math.max(0, text.search(/^\[tool\.llmlint(\.|\])/m));
  return check(file, tool.llmlint, (path) => {
    const key = path.filter((p) => typeof p === 'string').pop();
    const rel = key ? text.slice(section).search(new RegExp(`^\\s*["']?${escapeRegExp(String(key))}["']?\\s*=`, 'm')) : -1;
    return lineCol(text, rel >= 0 ? section + rel : section);
  });
}

function check(file: string, value: unknown, locate: (path: Array<string | number>) => { line: number; column: number }): ConfigResult {
  const validate = validator();
  if (validate(value)) return { ok: true, loaded: { file, config: value } };
  const problems = dedupe(validate.errors ?? []).map((e) => {
    const path = e.instancePath.split('/').slice(1).map(decodePointer);
    const at = e.keyword === 'additionalProperties' ? [...path, String(e.params.additionalProperty)] : path;
    return { file, ...locate(at), message: describe(e, path) };
  });
  return { ok: false, problems };
}

/** ajv reports every failed `oneOf` branch; keep the most useful error per location. */
function dedupe(errors: ErrorObject[]): ErrorObject[] {
  const byPath = new Map<string, ErrorObject>();
  for (const e of errors) {
    const key = e.keyword === 'additionalProperties' ? `${e.instancePath}/${String(e.params.additionalProperty)}` : e.instancePath;
    const prev = byPath.get(key);
    if (!prev || rank(e) < rank(prev)) byPath.set(key, e);
  }
  return [...byPath.values()];
}

function rank(e: ErrorObject): number {
  return ['additionalProperties', 'enum', 'type', 'minimum'].indexOf(e.keyword) >>> 0;
}

function describe(e: ErrorObject, path: Array<string | number>): string {
  const where = path.length ? path.join('.') : '(top level)';
  if (e.keyword === 'additionalProperties') {
    const key = String(e.params.additionalProperty);
    if (path[0] === 'rules' && path.length === 1) return `unknown rule "${key}"${suggestRule(key)}`;
    if (path[0] === 'rules' && path.length === 3) return `rule "${path[1]}" has no option "${key}"`;
    return `${where}: unknown setting "${key}"`;
  }
  if (e.keyword === 'enum') return `${where}: expected one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  if (e.keyword === 'oneOf' && path[0] === 'rules') return `${where}: expected a severity ("off", "hint", "info", "warning", "error") or [severity, { options }]`;
  return `${where}: ${e.message ?? 'invalid'}`;
}

function suggestRule(id: string): string {
  const close = RULES.map((r) => r.id).find((r) => r.includes(id) || id.includes(r) || editDistance(r, id, 3) <= 3);
  return close ? ` (did you mean "${close}"?)` : '';
}

/** Settings for files governed by a config (defaults when there is none). */
export function settingsFromConfig(config: LlmlintConfig | null, base: Settings = DEFAULT_SETTINGS): Settings {
  if (!config) return base;
  const rules: Record<string, RuleSeverity> = { ...base.rules };
  const ruleOptions: Record<string, Record<string, unknown>> = { ...base.ruleOptions };
  for (const [id, entry] of Object.entries(config.rules ?? {})) {
    const [severity, options] = Array.isArray(entry) ? entry : [entry];
    rules[id] = severity;
    if (options) ruleOptions[id] = { ...ruleOptions[id], ...options };
  }
  return {
    ...base,
    preset: config.extends ?? base.preset,
    rules,
    ruleOptions,
    placeholderTokens: config.placeholderTokens ?? base.placeholderTokens,
    holeTokens: { ...base.holeTokens, ...config.holeTokens },
    expectedOutputTokens: config.expectedOutputTokens ?? base.expectedOutputTokens,
    defaultMaxOutputTokens: config.defaultMaxOutputTokens ?? base.defaultMaxOutputTokens,
    reportUnusedDirectives: config.reportUnusedDirectives ?? base.reportUnusedDirectives,
    modelAliases: { ...base.modelAliases, ...config.modelAliases },
    priceOverrides: { ...base.priceOverrides, ...config.prices },
  };
}

function nodeValue(node: JsonNode): unknown {
  switch (node.type) {
    case 'object':
      return Object.fromEntries((node.children ?? []).map((p) => [p.children?.[0]?.value as string, p.children?.[1] ? nodeValue(p.children[1]) : null]));
    case 'array':
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value;
  }
}

/** The deepest existing node along a path (for a problem about a key that is missing below it). */
function closest(tree: JsonNode, path: Array<string | number>): JsonNode | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = findNodeAtLocation(tree, path.slice(0, n));
    if (node) return node;
  }
  return undefined;
}

function decodePointer(s: string): string | number {
  const v = s.replace(/~1/g, '/').replace(/~0/g, '~');
  return /^\d+$/.test(v) ? Number(v) : v;
}

function lineCol(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

