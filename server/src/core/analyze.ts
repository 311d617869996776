/**
 * The engine's entry point: one file in, call sites, diagnostics and per-file problems out.
 * Pure: it takes the text, the catalogue, the prices, a ready Python parser and the settings.
 * It never throws on user input — a file that cannot be analysed becomes an `errors` entry.
 */
import type { Parser } from 'web-tree-sitter';
import { CatalogIndex, indexCatalog, type Catalog } from './catalog';
import { estimateCall } from './estimate';
import { ExtractedCall, extractCalls } from './extract';
import type { FileIR } from './ir';
import { cellAt, readNotebook } from './languages/notebook';
import { lowerPython } from './languages/python';
import { lowerTypeScript } from './languages/typescript';
import type { Prices } from './pricing';
import { Resolver } from './resolve';
import { RULES } from './rules/registry';
import type { RuleContext } from './rules/types';
import type { Settings } from './settings';
import type { CallSite, Diagnostic, FileResult } from './types';

export interface Engine {
  catalog: CatalogIndex;
  prices: Prices;
  /** null when the Python grammar could not be loaded: Python files then get an error entry. */
  pythonParser: Parser | null;
}

export function createEngine(catalog: Catalog, prices: Prices, pythonParser: Parser | null): Engine {
  return { catalog: indexCatalog(catalog), prices, pythonParser };
}

export type SourceLanguage = 'python' | 'typescript' | 'notebook';

const TS_EXTENSIONS = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/i;

export function languageOf(path: string): SourceLanguage | null {
  if (/\.pyi?$/i.test(path)) return 'python';
  if (/\.ipynb$/i.test(path)) return 'notebook';
  if (/\.d\.[mc]?ts$/i.test(path)) return null; // type declarations make no calls
  if (TS_EXTENSIONS.test(path)) return 'typescript';
  return null;
}

/** Cheap check before any parse: does the text mention any SDK, endpoint or distinctive method? */
export function mentionsLlm(text: string, language: 'python' | 'typescript', catalog: CatalogIndex): boolean {
  return catalog.markers[language].some((m) => text.includes(m));
}

export function analyzeFile(file: { path: string; text: string }, engine: Engine, settings: Settings): FileResult {
  const language = languageOf(file.path);
  const result: FileResult = { file: file.path, language, callSites: [], diagnostics: [], errors: [], warnings: [], text: file.text };
  if (!language) return result;
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
    if (!mentionsLlm(text, lang, engine.catalog)) return result;
    const ir = lower(file.path, text, lang, engine);
    if (!ir) {
      result.errors.push({ file: file.path, message: 'Python files cannot be analysed: the Python grammar failed to load' });
      return result;
    }
    if (ir.syntaxErrors.length) {
      const first = ir.syntaxErrors[0];
      result.warnings.push({ file: file.path, message: `syntax error (${first.message}) at offset ${first.span.start}; analysed what parsed` });
    }
    const extracted = extractCalls(ir, text, engine.catalog.catalog);
    result.callSites = toCallSites(extracted, ir, file.path, engine, settings, result);
    result.diagnostics = runRules(result.callSites, engine, settings, ir, text, file.path, lang, (offset) => cellOf(result, offset));
  } catch (err) {
    result.callSites = [];
    result.diagnostics = [];
    result.errors.push({ file: file.path, message: `could not be analysed: ${err instanceof Error ? err.message : String(err)}` });
  }
  return result;
}

function lower(path: string, text: string, lang: 'python' | 'typescript', engine: Engine): FileIR | null {
  if (lang === 'typescript') return lowerTypeScript(path, text);
  return engine.pythonParser ? lowerPython(text, engine.pythonParser) : null;
}

function toCallSites(extracted: ExtractedCall[], ir: FileIR, path: string, engine: Engine, settings: Settings, result: FileResult): CallSite[] {
  const ordinals = new Map<string, number>();
  return extracted.map((c) => {
    const functionName = qualifiedName(ir, c.info.scope);
    const ordinal = (ordinals.get(functionName) ?? 0) + 1;
    ordinals.set(functionName, ordinal);
    const { price: _price, ...estimate } = estimateCall(c, engine.prices, settings);
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

function cellOf(result: FileResult, offset: number): number | null {
  if (!result.cellOffsets || !result.cellIndexes) return null;
  const cells = result.cellOffsets.map((o, i) => [result.cellIndexes![i], o] as [number, number]);
  return cellAt(cells, offset)?.cell ?? null;
}

/** `Summarizer.run`, `summarize`, `<module>`: the stable part of a call-site id. */
function qualifiedName(ir: FileIR, scope: number): string {
  const names: string[] = [];
  for (let s: number | null = scope; s !== null; s = ir.scopes[s].parent) {
    if (ir.scopes[s].kind !== 'module') names.unshift(ir.scopes[s].name);
  }
  return names.length ? names.join('.') : '<module>';
}

function runRules(sites: CallSite[], engine: Engine, settings: Settings, ir: FileIR, text: string, path: string, language: 'python' | 'typescript', cellAtOffset: (offset: number) => number | null): Diagnostic[] {
  const out: Diagnostic[] = [];
  const resolver = new Resolver(ir, text);
  for (const rule of RULES) {
    const severity = settings.rules[rule.id] ?? (settings.preset === 'strict' ? rule.strictSeverity : rule.defaultSeverity);
    if (severity === 'off') continue;
    const options: Record<string, unknown> = {};
    for (const [k, o] of Object.entries(rule.options ?? {})) options[k] = settings.ruleOptions[rule.id]?.[k] ?? o.default;
    const base = { settings, options, text, path, language, prices: engine.prices, ir, resolver, sites };
    if (rule.checkFile) {
      rule.checkFile({ ...base, report: (d) => out.push({ ...d, rule: rule.id, severity, cell: cellAtOffset(d.span.start), callSiteId: d.callSiteId ?? null, fix: d.fix ?? null }) });
    }
    if (!rule.checkCallSite) continue;
    for (const site of sites) {
      const ctx: RuleContext = {
        ...base,
        report: (d) => out.push({ ...d, rule: rule.id, severity, cell: site.cell, callSiteId: d.callSiteId ?? site.id, fix: d.fix ?? null }),
      };
      rule.checkCallSite(site, ctx);
    }
  }
  return out.sort((a, b) => a.span.start - b.span.start || a.rule.localeCompare(b.rule));
}
