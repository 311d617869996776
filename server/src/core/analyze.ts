/**
 * The engine's entry point: one file in, call sites, diagnostics and per-file problems out.
 * Pure: it takes the text, the catalogue, the prices, a ready Python parser and the settings.
 * It never throws on user input — a file that cannot be analysed becomes an `errors` entry.
 */
import type { Parser } from 'web-tree-sitter';
import { BudgetExceeded, Deadline, type TimeBudget } from './budget';
import { CatalogIndex, indexCatalog, passesCallGate, type Catalog } from './catalog';
import { estimateCall } from './estimate';
import { ExtractedCall, extractCalls } from './extract';
import type { FileIR } from './ir';
import { readNotebook } from './languages/notebook';
import { analyzePromptFile, promptFileFormat } from './languages/promptFiles';
import { lowerPython } from './languages/python';
import type { DocumentCache } from './languages/reuse';
import { lowerTypeScript } from './languages/typescript';
import type { Prices } from './pricing';
import { Linker, type ProjectSources } from './project';
import { Resolver } from './resolve';
import { LineIndex, notebookCellAt } from './position';
import { RULES } from './rules/registry';
import { findKeys } from './secrets';
import { applySuppressions, parseDirectives } from './suppressions';
import type { RuleContext } from './rules/types';
import type { Settings } from './settings';
import type { CallSite, Diagnostic, FileResult, Severity } from './types';

export interface Engine {
  catalog: CatalogIndex;
  prices: Prices;
  /** null when the Python grammar could not be loaded: Python files then get an error entry. */
  pythonParser: Parser | null;
}

export function createEngine(catalog: Catalog, prices: Prices, pythonParser: Parser | null): Engine {
  return { catalog: indexCatalog(catalog), prices, pythonParser };
}

export type SourceLanguage = 'python' | 'typescript' | 'notebook' | 'prompt';

const TS_EXTENSIONS = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/i;

export function languageOf(path: string): SourceLanguage | null {
  if (promptFileFormat(path)) return 'prompt';
  if (/\.pyi?$/i.test(path)) return 'python';
  if (/\.ipynb$/i.test(path)) return 'notebook';
  if (/\.d\.[mc]?ts$/i.test(path)) return null; // type declarations make no calls
  if (TS_EXTENSIONS.test(path)) return 'typescript';
  return null;
}

/**
 * Cheap check before any parse: does the text import an SDK and name one of its calls, call a
 * distinctive method, or name an endpoint and an HTTP client? A file that imports an SDK is also
 * parsed when a rule reads it without a call: a hard-coded key, or an llmlint comment (which
 * `reportUnusedDirectives` may report).
 */
export function mentionsLlm(text: string, language: 'python' | 'typescript', catalog: CatalogIndex): boolean {
  const http = catalog.httpPattern[language];
  const callsHttpClient = () => http.clients.test(text) && http.calls.test(text);
  if (!catalog.markerPattern[language].test(text)) return http.hosts.test(text) && callsHttpClient();
  // A file that imports an SDK and calls an HTTP client may take the endpoint from another module.
  return passesCallGate(text, catalog.callGate[language]) || text.includes('llmlint') || findKeys(text).length > 0 || callsHttpClient();
}

/**
 * Whether analysing the file means parsing it (the costly part): a TS/JS or Python file that
 * passes the prefilter, or a notebook (its code is only known after reading the JSON). Hosts use it
 * to decide where the work goes; `analyzeFile` answers the others at once.
 */
export function needsParse(path: string, text: string, catalog: CatalogIndex): boolean {
  const language = languageOf(path);
  if (language === 'notebook') return true;
  if (language !== 'typescript' && language !== 'python') return false;
  return mentionsLlm(text, language, catalog);
}

/**
 * `sources` lets the engine read what the file imports and the prompt files it loads (the host does
 * the IO); without it, such values are holes. `cache` is an open document's state between edits
 * (Python, TypeScript, JavaScript): the result is the same, only faster to get. `budget` bounds the
 * time spent on the file (core/budget.ts).
 */
export interface AnalyzeOptions {
  /** Reads what the file imports and the prompt files it loads (the host does the IO). */
  sources?: ProjectSources;
  /** An open document's state between edits. */
  cache?: DocumentCache;
  /** Bounds the time spent on the file (core/budget.ts). */
  budget?: TimeBudget;
  /** `needsParse`'s answer, when the host already asked it: the prefilter is not run again. */
  needsParse?: boolean;
}

export function analyzeFile(file: { path: string; text: string }, engine: Engine, settings: Settings, { sources, cache, budget, needsParse: known }: AnalyzeOptions = {}): FileResult {
  const language = languageOf(file.path);
  const result: FileResult = { file: file.path, language, callSites: [], diagnostics: [], errors: [], warnings: [], text: file.text };
  if (!language) return result;
  if (language === 'prompt') return analyzePrompt(file, engine, settings, result);
  const deadline = new Deadline(budget);
  try {
    let text = file.text;
    let lang: 'python' | 'typescript' = language === 'typescript' ? 'typescript' : 'python';
    if (language === 'notebook') {
      const nb = readNotebook(file.text);
      if (nb.language !== 'python') return result;
      text = nb.text;
      lang = 'python';
      result.text = text;
      result.cellOffsets = nb.cells.map(([, offset]) => offset);
      result.cellIndexes = nb.cells.map(([index]) => index);
    }
    // A notebook's answer is always yes (its code is only known here), so it is checked now.
    const worthParsing = language === 'notebook' || known === undefined ? mentionsLlm(text, lang, engine.catalog) : known;
    if (!worthParsing) return result;
    const ir = lower(file.path, text, lang, engine, cache, deadline);
    deadline.check();
    if (!ir) {
      result.errors.push({ file: file.path, message: 'Python files cannot be analysed: the Python grammar failed to load' });
      return result;
    }
    if (ir.syntaxErrors.length) {
      const first = ir.syntaxErrors[0];
      result.warnings.push({ file: file.path, message: `syntax error (${first.message}) at offset ${first.span.start}; analysed what parsed` });
    }
    const linker = sources ? new Linker(file.path, sources, engine.pythonParser) : null;
    const resolver = new Resolver(ir, text, linker, file.path);
    const extracted = extractCalls(ir, text, engine.catalog.catalog, resolver, deadline);
    deadline.check();
    if (linker) result.dependencies = [...linker.dependencies].sort();
    result.callSites = toCallSites(extracted, ir, file.path, engine, settings, result);
    const diagnostics = runRules(result.callSites, engine, settings, ir, resolver, text, file.path, lang, (offset) => cellOf(result, offset), {}, deadline);
    result.diagnostics = suppress(diagnostics, text, lang, settings, (offset) => cellOf(result, offset));
  } catch (err) {
    result.callSites = [];
    result.diagnostics = [];
    const message = err instanceof BudgetExceeded ? err.message : `could not be analysed: ${err instanceof Error ? err.message : String(err)}`;
    result.errors.push({ file: file.path, message });
  }
  return result;
}

/** A prompt file is one call site: estimate it and run the per-call rules on it. */
function analyzePrompt(file: { path: string; text: string }, engine: Engine, settings: Settings, result: FileResult): FileResult {
  try {
    const format = promptFileFormat(file.path)!;
    const { facts, info, problems } = analyzePromptFile(file.text, format);
    for (const p of problems) result.warnings.push({ file: file.path, message: p });
    const { price: _price, ...estimate } = estimateCall({ ...facts, info }, pricesFor(engine, settings), settings);
    const site: CallSite = { ...facts, id: `${file.path}::<prompt>#1`, file: file.path, cell: null, span: info.expr.span, functionName: '<prompt>', estimate, info };
    result.callSites = [site];
    const ir: FileIR = { language: 'python', scopes: [{ kind: 'module', name: '<module>', parent: null, span: { start: 0, end: file.text.length }, params: [], decorators: [], returns: [] }], bindings: [], calls: [], syntaxErrors: [] };
    result.diagnostics = runRules([site], engine, settings, ir, new Resolver(ir, file.text), file.text, file.path, 'python', () => null, { callSiteRulesOnly: true });
  } catch (err) {
    result.errors.push({ file: file.path, message: `could not be analysed: ${err instanceof Error ? err.message : String(err)}` });
  }
  return result;
}

export const UNUSED_SUPPRESSION = 'unused-suppression';

/** Drops suppressed diagnostics; with `reportUnusedDirectives`, reports comments that suppressed nothing. */
function suppress(diagnostics: Diagnostic[], text: string, lang: 'python' | 'typescript', settings: Settings, cellAtOffset: (offset: number) => number | null): Diagnostic[] {
  // Nothing to suppress, and no unused suppression to report: no need to look for the comments.
  if (!diagnostics.length && !settings.reportUnusedDirectives) return diagnostics;
  const directives = parseDirectives(text, lang);
  if (!directives.length) return diagnostics;
  const index = new LineIndex(text);
  const { kept, unused } = applySuppressions(diagnostics, directives, (o) => index.position(o).line);
  if (!settings.reportUnusedDirectives) return kept;
  const known = new Set(RULES.map((r) => r.id));
  const extra: Diagnostic[] = unused.map(({ directive, rule }) => ({
    rule: UNUSED_SUPPRESSION,
    severity: 'warning',
    span: directive.span,
    cell: cellAtOffset(directive.span.start),
    message: rule && !known.has(rule) ? `Suppression names an unknown rule \`${rule}\`.` : `Unused suppression${rule ? ` for \`${rule}\`` : ''}: no such problem is reported here.`,
    note: 'Stale suppressions hide the next real problem on this line.',
    help: rule && !known.has(rule) ? `Check the rule id (\`llmlint explain\` lists them).` : 'Remove the comment, or the rule id from it.',
    callSiteId: null,
    fix: null,
  }));
  return [...kept, ...extra].sort((a, b) => a.span.start - b.span.start || a.rule.localeCompare(b.rule));
}

function lower(path: string, text: string, lang: 'python' | 'typescript', engine: Engine, cache: DocumentCache | undefined, deadline: Deadline): FileIR | null {
  if (lang === 'typescript') return lowerTypeScript(path, text, cache);
  return engine.pythonParser ? lowerPython(text, engine.pythonParser, cache, deadline) : null;
}

function toCallSites(extracted: ExtractedCall[], ir: FileIR, path: string, engine: Engine, settings: Settings, result: FileResult): CallSite[] {
  const ordinals = new Map<string, number>();
  return extracted.map((c) => {
    const functionName = qualifiedName(ir, c.info.scope);
    const ordinal = (ordinals.get(functionName) ?? 0) + 1;
    ordinals.set(functionName, ordinal);
    const { price: _price, ...estimate } = estimateCall(c, pricesFor(engine, settings), settings);
    const { info, ...facts } = c;
    return {
      ...facts,
      id: `${path}::${functionName}#${ordinal}`,
      file: path,
      cell: cellOf(result, info.expr.span.start),
      span: info.expr.span,
      functionName,
      estimate,
      info,
    } satisfies CallSite;
  });
}

const overridden = new WeakMap<object, Prices>();

/** The price table with this resource's configured overrides (built once per overrides object). */
export function pricesFor(engine: Engine, settings: Settings): Prices {
  if (!Object.keys(settings.priceOverrides).length) return engine.prices;
  let p = overridden.get(settings.priceOverrides);
  if (!p) overridden.set(settings.priceOverrides, (p = engine.prices.withOverrides(settings.priceOverrides)));
  return p;
}

function cellOf(result: FileResult, offset: number): number | null {
  return notebookCellAt(result, offset)?.cell ?? null;
}

/** `Summarizer.run`, `summarize`, `<module>`: the stable part of a call-site id. */
function qualifiedName(ir: FileIR, scope: number): string {
  const names: string[] = [];
  for (let s: number | null = scope; s !== null; s = ir.scopes[s].parent) {
    if (ir.scopes[s].kind !== 'module') names.unshift(ir.scopes[s].name);
  }
  return names.length ? names.join('.') : '<module>';
}

function runRules(
  sites: CallSite[], engine: Engine, settings: Settings, ir: FileIR, resolver: Resolver, text: string, path: string,
  language: 'python' | 'typescript', cellAtOffset: (offset: number) => number | null, only: { callSiteRulesOnly?: boolean } = {}, deadline = new Deadline(),
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const rule of RULES) {
    deadline.check();
    const configured = settings.rules[rule.id];
    const severity = configured ?? (settings.preset === 'strict' ? rule.strictSeverity : rule.defaultSeverity);
    if (severity === 'off') continue;
    const graded = (d: { severity?: Severity }): Severity => (configured && configured !== 'off' ? configured : d.severity ?? severity);
    const options: Record<string, unknown> = {};
    for (const [k, o] of Object.entries(rule.options ?? {})) options[k] = settings.ruleOptions[rule.id]?.[k] ?? o.default;
    const base = { settings, options, text, path, language, prices: pricesFor(engine, settings), ir, resolver, sites };
    if (rule.checkFile && !only.callSiteRulesOnly) {
      rule.checkFile({ ...base, report: (d) => out.push({ ...d, rule: rule.id, severity: graded(d), cell: cellAtOffset(d.span.start), callSiteId: d.callSiteId ?? null, fix: d.fix ?? null }) });
    }
    if (!rule.checkCallSite || !sites.length) continue;
    // One context for all the file's sites: `report` reads the site being checked.
    let site = sites[0];
    const ctx: RuleContext = {
      ...base,
      report: (d) => out.push({ ...d, rule: rule.id, severity: graded(d), cell: site.cell, callSiteId: d.callSiteId ?? site.id, fix: d.fix ?? null }),
    };
    for (const each of sites) {
      site = each;
      rule.checkCallSite(site, ctx);
    }
  }
  return out.sort((a, b) => a.span.start - b.span.start || a.rule.localeCompare(b.rule));
}
