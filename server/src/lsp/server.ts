/**
 * Language server: a thin adapter over the core. Analyses open documents on open and change
 * (debounced; a newer version supersedes older work), publishes diagnostics, and answers inlay
 * hints, code lenses, hovers and code actions from the last analysis. Edits to a module or
 * template re-analyse the open documents that read it.
 */
import { dirname, join, relative, sep } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind, DidChangeConfigurationNotification, DiagnosticSeverity, TextDocuments, TextDocumentSyncKind, type Connection, type InitializeParams,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeFile, languageOf, type Engine } from '../core/analyze';
import { DocumentCache } from '../core/languages/reuse';
import { DependencyGraph } from '../core/dependencies';
import type { ProjectSources, SourceText } from '../core/project';
import { projectResults, totalsOf, type SiteProjection } from '../core/projection';
import { whatIf, type Swap } from '../core/whatif';
import { ruleMarkdown } from '../core/rules/docs';
import { findRule } from '../core/rules/registry';
import { maskDeep, maskSecrets } from '../core/secrets';
import { DEFAULT_SETTINGS, type Settings } from '../core/settings';
import type { ConfigProblem } from '../core/config';
import type { FileResult } from '../core/types';
import { EMPTY_USAGE, type UsageModel } from '../core/usage';
import { ConfigError, ConfigResolver } from '../node/config';
import { FILE_TIME_BUDGET, loadEngine } from '../node/engine';
import { discover } from '../node/discover';
import { FsProjectSources } from '../node/project';
import { DEFAULT_MAX_FILE_BYTES, readSource } from '../node/source';
import { readUsageFile, USAGE_FILE } from '../node/usage';
import { codeActions, codeLenses, hover, inlayHints, Positions, toDiagnostics, type HintMode } from './features';

const DEBOUNCE_MS = 150;

/** Editor settings under `llmlint.*`, per resource. */
interface EditorSettings {
  inlayHints: HintMode;
  codeLens: boolean;
}

const DEFAULT_EDITOR: EditorSettings = { inlayHints: 'perCall', codeLens: true };

export interface StatusParams {
  /** The server's process id, so the client (and its tests) can tell a restarted server. */
  pid: number;
  file: string;
  callSites: number;
  problems: number;
  /** Server time from the start of the analysis to the diagnostics ready to send. */
  analysisMs: number;
}

/**
 * A scan leaves tens of megabytes of garbage and a grown heap behind; a full, compacting collection
 * hands it back to the system, so an idle server stays small. (The `--expose-gc` flag stays set;
 * nothing else calls `gc`.)
 */
function releaseMemory(): void {
  try {
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
  } catch {
    // not available on this runtime: the memory is reclaimed lazily instead
  }
}

export function startServer(connection: Connection, engineLoader: () => Promise<Engine> = defaultEngine): void {
  const documents = new TextDocuments(TextDocument);
  /** The last analysis of each open document, with the version it was made from. */
  const results = new Map<string, Analysis & { version: number }>();
  const pending = new Map<string, NodeJS.Timeout>();
  /** Each open document's parse state between edits (holds a tree only for Python). */
  const parseCaches = new Map<string, DocumentCache>();
  const editorSettings = new Map<string, Promise<EditorSettings>>();
  const graph = new DependencyGraph();
  let engine: Promise<Engine> | null = null;
  let configs = new ConfigResolver();
  let roots: string[] = [];
  let canConfigure = false;
  /** Config files showing problems: cleared as soon as a config resolves again. */
  const configDiagnostics = new Set<string>();
  /** Usage files showing problems: cleared only when the usage file is read again without them. */
  const usageDiagnostics = new Set<string>();
  /** The usage model per workspace root (llmlint.usage.yml), read once and again when it changes. */
  const usageByRoot = new Map<string, UsageModel>();

  function usageFor(root: string): UsageModel {
    const cached = usageByRoot.get(root);
    if (cached) return cached;
    const file = join(root, USAGE_FILE);
    const read = readUsageFile(file);
    const uri = pathToFileURL(file).toString();
    if (read?.problems.length) {
      usageDiagnostics.add(uri);
      publishProblems(uri, read.problems, (m) => `Invalid llmlint usage file: ${m}. Monthly projections leave this value out until it is fixed.`);
    } else if (usageDiagnostics.delete(uri)) {
      void connection.sendDiagnostics({ uri, diagnostics: [] });
    }
    const usage = read?.usage ?? EMPTY_USAGE;
    usageByRoot.set(root, usage);
    return usage;
  }

  connection.onInitialize((params: InitializeParams) => {
    roots = (params.workspaceFolders ?? []).map((f) => fileURLToPath(f.uri));
    if (!roots.length && params.rootUri) roots = [fileURLToPath(params.rootUri)];
    canConfigure = !!params.capabilities.workspace?.configuration;
    engine = engineLoader();
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        inlayHintProvider: true,
        codeLensProvider: { resolveProvider: false },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, `${CodeActionKind.SourceFixAll}.llmlint`] },
      },
      serverInfo: { name: 'llmlint', version: '0.1.0' },
    };
  });

  connection.onInitialized(() => {
    if (canConfigure) void connection.client.register(DidChangeConfigurationNotification.type, undefined);
    void scanWorkspace();
  });

  /** Call sites of every file in the workspace (open documents: their latest analysis), for the projection. */
  const workspaceSites = new Map<string, ProjectedSite[]>();
  let scanning: Promise<void> | null = null;

  /**
   * Analyses every file of the workspace folders once, off the keystroke path (yielding between
   * files), with progress; keeps only call-site summaries and dependency edges, not the texts.
   */
  function scanWorkspace(): Promise<void> {
    scanning ??= (async () => {
      if (!engine || !roots.length) return;
      const e = await engine;
      const progress = await connection.window.createWorkDoneProgress().catch(() => null);
      try {
        const files = (await Promise.all(roots.map((root) => discover(root, [root]).then((d) => d.files.map((f) => ({ ...f, root })))))).flat();
        progress?.begin('llmlint: scanning the workspace', 0, `${files.length} files`, true);
        let done = 0;
        for (const f of files) {
          if (progress?.token.isCancellationRequested) break;
          const uri = pathToFileURL(f.path).toString();
          if (!documents.get(uri)) {
            const source = readSource(f.path);
            if (source.ok) analyseWorkspaceFile({ root: f.root, abs: f.path, rel: f.rel }, source.text, e);
          }
          done++;
          if (done % 25 === 0) {
            progress?.report(Math.round((done / files.length) * 100), `${done}/${files.length} files`);
            await new Promise((r) => setImmediate(r)); // let requests and edits through
          }
        }
      } finally {
        progress?.done();
        scanning = null;
        releaseMemory();
      }
    })();
    return scanning;
  }

  /** Where a file sits: its workspace root (ids and paths are relative to it) and its path there. */
  function locate(uri: string): Location | null {
    if (!uri.startsWith('file:')) return null;
    const abs = fileURLToPath(uri);
    const root = roots.filter((r) => abs.startsWith(r + sep)).sort((a, b) => b.length - a.length)[0] ?? dirname(abs);
    return { root, abs, rel: relative(root, abs).split(sep).join('/') };
  }

  /**
   * One disk reader per root, kept between analyses: typing in a file that imports a prompt module
   * must not stat and read that module again on every keystroke. Changes on disk clear it.
   */
  const diskSources = new Map<string, FsProjectSources>();

  /** Open documents win over the disk, so unsaved edits to prompts.py show at once. */
  function sourcesFor(root: string): ProjectSources {
    let disk = diskSources.get(root);
    if (!disk) diskSources.set(root, (disk = new FsProjectSources(root)));
    const open = (s: SourceText | null): SourceText | null => {
      if (!s) return null;
      const doc = documents.get(pathToFileURL(`${root}/${s.path}`).toString());
      return doc ? { path: s.path, text: doc.getText() } : s;
    };
    return { module: (f, spec, lang) => open(disk.module(f, spec, lang)), file: (f, p) => open(disk.file(f, p)) };
  }

  function settingsFor(abs: string): Settings {
    try {
      const s = configs.forFile(abs).settings;
      clearConfigProblems();
      return s;
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      reportConfigProblems(err);
      return DEFAULT_SETTINGS;
    }
  }

  /** A bad config is a diagnostic on the config file, not an outage: analysis goes on with defaults. */
  function reportConfigProblems(err: ConfigError): void {
    const byFile = new Map<string, typeof err.problems>();
    for (const p of err.problems) byFile.set(p.file, [...(byFile.get(p.file) ?? []), p]);
    for (const [file, problems] of byFile) {
      const uri = pathToFileURL(file).toString();
      configDiagnostics.add(uri);
      publishProblems(uri, problems, (m) => `Invalid llmlint configuration: ${m}. Files are analysed with the default settings until it is fixed.`);
    }
  }

  function publishProblems(uri: string, problems: ConfigProblem[], message: (problem: string) => string): void {
    void connection.sendDiagnostics({
      uri,
      diagnostics: problems.map((p) => ({
        range: { start: { line: p.line - 1, character: p.column - 1 }, end: { line: p.line - 1, character: p.column } },
        severity: DiagnosticSeverity.Error,
        source: 'llmlint',
        message: message(p.message),
      })),
    });
  }

  function clearConfigProblems(): void {
    for (const uri of configDiagnostics) void connection.sendDiagnostics({ uri, diagnostics: [] });
    configDiagnostics.clear();
  }

  /** A file's settings: its config, with the hole sizes of the usage model. */
  function settingsAt(where: Location): Settings {
    const base = settingsFor(where.abs);
    return { ...base, holeTokens: { ...base.holeTokens, ...usageFor(where.root).holes } };
  }

  /**
   * Analyses a workspace file and records what the rest of the server reads from it (its
   * dependency edges, its call sites for the projection) — the same for open, closed and scanned
   * files, so one file never gets two different estimates.
   */
  function analyseWorkspaceFile(where: Location, text: string, e: Engine, cache?: DocumentCache): Analysis {
    const result = analyzeFile({ path: where.rel, text }, e, settingsAt(where), { sources: sourcesFor(where.root), cache, budget: FILE_TIME_BUDGET });
    const monthly = projectResults([result], usageFor(where.root), e.prices).sites;
    const pos = new Positions(result);
    graph.update(where.rel, result.dependencies ?? []);
    workspaceSites.set(where.rel, projected(result, monthly, pos));
    return { result, monthly, pos };
  }

  async function validate(doc: TextDocument): Promise<void> {
    if (!engine) return;
    const e = await engine;
    const current = documents.get(doc.uri);
    if (!current || current.version !== doc.version) return; // a newer edit supersedes this one
    const where = locate(doc.uri);
    const started = performance.now();
    const cache = parseCacheFor(doc.uri);
    const text = doc.getText();
    const analysis = Buffer.byteLength(text) > DEFAULT_MAX_FILE_BYTES
      ? tooLarge(where, where?.rel ?? cellPath(doc), text)
      : where
        ? analyseWorkspaceFile(where, text, e, cache)
        : cellAnalysis(analyzeFile({ path: cellPath(doc), text }, e, DEFAULT_SETTINGS, { cache, budget: FILE_TIME_BUDGET }));
    const { result } = analysis;
    const diagnostics = toDiagnostics(result, analysis.pos);
    const analysisMs = performance.now() - started;
    results.set(doc.uri, { version: doc.version, ...analysis });
    for (const err of result.errors) connection.console.warn(maskSecrets(`${err.file}: ${err.message}`));
    await connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
    void connection.sendNotification('llmlint/status', { pid: process.pid, file: where?.rel ?? doc.uri, callSites: result.callSites.length, problems: result.diagnostics.length, analysisMs } satisfies StatusParams);
    if (where) for (const dependant of graph.affectedBy(where.rel)) reanalyse(pathToFileURL(`${where.root}/${dependant}`).toString());
  }

  /** An open file over the CLI's default size limit (a bundle, generated data) is not analysed: parsing it would hold up the server for seconds. */
  function tooLarge(where: Location | null, file: string, text: string): Analysis {
    if (where) forget(where); // what it held before it grew stays out of the projection
    const mb = (Buffer.byteLength(text) / 1024 / 1024).toFixed(1);
    const message = `too large to analyse (${mb} MiB; the limit is ${DEFAULT_MAX_FILE_BYTES / 1024 / 1024} MiB, as for the CLI's --max-file-size)`;
    const result: FileResult = { file, language: languageOf(file), callSites: [], diagnostics: [], errors: [{ file, message }], warnings: [], text };
    return { result, monthly: new Map(), pos: new Positions(result) };
  }

  function parseCacheFor(uri: string): DocumentCache {
    let cache = parseCaches.get(uri);
    if (!cache) parseCaches.set(uri, (cache = new DocumentCache()));
    return cache;
  }

  /**
   * An open file is re-analysed from its editor text (debounced); a closed one from the disk, now.
   * A closed file that is gone, unreadable, too large or not a source leaves the projection.
   */
  function reanalyseFromDisk(where: Location, e: Engine): void {
    const uri = pathToFileURL(where.abs).toString();
    if (documents.get(uri)) return reanalyse(uri);
    const source = languageOf(where.abs) ? readSource(where.abs) : null;
    if (source?.ok) analyseWorkspaceFile(where, source.text, e);
    else forget(where);
  }

  /** Drops a file's call sites and dependency edges. */
  function forget(where: Location): void {
    workspaceSites.delete(where.rel);
    graph.update(where.rel, []);
  }

  function reanalyse(uri: string): void {
    const doc = documents.get(uri);
    if (doc) schedule(doc);
  }

  function schedule(doc: TextDocument): void {
    clearTimeout(pending.get(doc.uri));
    pending.set(doc.uri, setTimeout(() => {
      pending.delete(doc.uri);
      validate(doc).catch((err: unknown) => connection.console.error(maskSecrets(`analysis failed for ${doc.uri}: ${String(err)}`)));
    }, DEBOUNCE_MS));
  }

  /** The analysis of the document's current version (analysing now if an edit is pending). */
  async function analysisFor(uri: string): Promise<Analysis | null> {
    const doc = documents.get(uri);
    if (!doc) return null;
    const cached = results.get(uri);
    if (cached && cached.version === doc.version) return cached;
    clearTimeout(pending.get(uri));
    pending.delete(uri);
    await validate(doc);
    return results.get(uri) ?? null;
  }

  function editor(uri: string): Promise<EditorSettings> {
    let s = editorSettings.get(uri);
    if (!s) {
      s = canConfigure
        ? connection.workspace.getConfiguration({ scopeUri: uri, section: 'llmlint' }).then((c: Partial<EditorSettings> | null) => ({ ...DEFAULT_EDITOR, ...c }), () => DEFAULT_EDITOR)
        : Promise.resolve(DEFAULT_EDITOR);
      editorSettings.set(uri, s);
    }
    return s;
  }

  connection.onDidChangeConfiguration(() => {
    editorSettings.clear();
    void connection.languages.inlayHint.refresh().catch(() => undefined);
  });

  connection.onDidChangeWatchedFiles(async ({ changes }) => {
    for (const disk of diskSources.values()) disk.forgetReads();
    const settingsChanged = changes.some((c) => /(^|\/)(llmlint\.config\.json|llmlint\.usage\.yml|pyproject\.toml|package\.json)$/.test(c.uri));
    if (settingsChanged) {
      // Read configs and volumes afresh, re-analyse what is open, refresh the projection.
      configs = new ConfigResolver();
      usageByRoot.clear();
      for (const doc of documents.all()) schedule(doc);
      void scanWorkspace();
      return;
    }
    // Sources or templates changed on disk (one file saved, or a whole `git pull`): re-analyse each
    // closed one, then every file that reads any of them, once, yielding between files.
    const e = engine ? await engine : null;
    if (!e) return;
    const changed = new Map<string, Location>();
    for (const change of changes) {
      const where = locate(change.uri);
      if (where) changed.set(where.abs, where);
    }
    const dependants = new Map<string, Location>();
    for (const where of changed.values()) {
      for (const rel of graph.affectedBy(where.rel)) {
        const abs = join(where.root, rel);
        if (!changed.has(abs)) dependants.set(abs, { root: where.root, abs, rel });
      }
    }
    for (const where of [...changed.values(), ...dependants.values()]) {
      reanalyseFromDisk(where, e);
      await new Promise((r) => setImmediate(r)); // let requests and edits through
    }
  });

  connection.languages.inlayHint.on(async (params) => {
    const analysis = await analysisFor(params.textDocument.uri);
    return analysis ? inlayHints(analysis.result, (await editor(params.textDocument.uri)).inlayHints, analysis.monthly, analysis.pos) : [];
  });

  connection.onCodeLens(async (params) => {
    const analysis = await analysisFor(params.textDocument.uri);
    return analysis && (await editor(params.textDocument.uri)).codeLens ? codeLenses(analysis.result, analysis.monthly, analysis.pos) : [];
  });

  connection.onHover(async (params) => {
    const analysis = await analysisFor(params.textDocument.uri);
    if (!analysis || !engine) return null;
    const { result, pos } = analysis;
    return hover(result, pos.offset(params.position.line, params.position.character), (await engine).prices, pos);
  });

  connection.onCodeAction(async (params) => {
    const analysis = await analysisFor(params.textDocument.uri);
    return analysis ? codeActions(analysis.result, params.textDocument.uri, params.range, params.context.only, analysis.pos) : [];
  });

  connection.onRequest('llmlint/ruleDocs', (rule: string) => {
    const def = findRule(rule);
    return def ? ruleMarkdown(def) : null;
  });

  /** Every call site of the workspace with its estimate: what the cost panel draws. */
  connection.onRequest('llmlint/projection', async (): Promise<ProjectionResult> => {
    const e = engine ? await engine : null;
    const callSites = [...workspaceSites.values()].flat().sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
    // Model names, ids and assumptions come from source text: a key written there never leaves masked.
    const { monthlyCostUsd, byModel, byFeature, byFile, unknown, withoutUsage } = totalsOf(callSites);
    return maskDeep({ scanning: scanning !== null, pricingAsOf: e?.prices.asOf ?? null, callSites, unknownPrice: unknown, monthlyCostUsd, byModel, byFeature, byFile, withoutUsage });
  });

  /** What-if: the monthly cost of the call sites on model `from` (in a feature), repriced on `to`. */
  connection.onRequest('llmlint/whatIf', async (params: WhatIfParams): Promise<WhatIfResult> => {
    const e = await engine!;
    const sites = [...workspaceSites.values()].flat().map((s) => ({ ...s, costPerCallUsd: s.costPerCallUsd.expected }));
    // The panel only ever saw masked model names.
    const r = whatIf(sites, params, e.prices, maskSecrets);
    return { before: r.before, after: r.after ?? r.before, callSites: r.callSites, unknownModel: r.after === null };
  });

  connection.onRequest('llmlint/scanWorkspace', async () => {
    await scanWorkspace();
    return { files: workspaceSites.size };
  });

  documents.onDidOpen((e) => schedule(e.document));
  documents.onDidChangeContent((e) => schedule(e.document));
  documents.onDidClose((e) => {
    clearTimeout(pending.get(e.document.uri));
    results.delete(e.document.uri);
    parseCaches.get(e.document.uri)?.dispose();
    parseCaches.delete(e.document.uri);
    editorSettings.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  documents.listen(connection);
  connection.listen();
}

/** Where a file sits: its workspace root (ids and paths are relative to it) and its path there. */
interface Location {
  root: string;
  abs: string;
  rel: string;
}

/** One file's analysis and the monthly projection of its call sites (empty without a usage model). */
interface Analysis {
  result: FileResult;
  monthly: Map<string, SiteProjection>;
  /** Line/column conversion for this result, built once per analysis for every feature that asks. */
  pos: Positions;
}

export interface ProjectedSite {
  id: string;
  file: string;
  /** 1-based line of the call. */
  line: number;
  provider: string;
  api: string;
  model: string | null;
  costPerCallUsd: { expected: number | null; worstCase: number | null };
  inputTokens: number;
  outputTokens: number;
  modelProvider: string;
  callsPerMonth: number | null;
  monthlyCostUsd: number | null;
  monthlyWorstCaseUsd: number | null;
  feature: string | null;
  assumptions: string[];
}

export interface ProjectionResult {
  /** A workspace scan is still running: more call sites may come. */
  scanning: boolean;
  pricingAsOf: string | null;
  callSites: ProjectedSite[];
  /** Call sites whose cost is unknown: listed, never counted as $0. */
  unknownPrice: string[];
  monthlyCostUsd: number | null;
  byModel: Record<string, number>;
  byFeature: Record<string, number>;
  byFile: Record<string, number>;
  withoutUsage: string[];
}

export type WhatIfParams = Swap;

export interface WhatIfResult {
  /** Monthly cost of the affected call sites now, and with the other model (USD). */
  before: number;
  after: number;
  callSites: number;
  /** The other model has no price: no comparison. */
  unknownModel: boolean;
}

/** Sums monthly costs in integer nano-dollars (never float drift in a total). */

/** A notebook cell or another file outside the workspace: no projection. */
function cellAnalysis(result: FileResult): Analysis {
  return { result, monthly: new Map(), pos: new Positions(result) };
}

function projected(result: FileResult, monthly: Map<string, SiteProjection>, pos: Positions): ProjectedSite[] {
  return result.callSites.map((s) => project(s, pos.range(s.span).start.line + 1, monthly.get(s.id)));
}

function project(s: FileResult['callSites'][number], line: number, m: SiteProjection | undefined): ProjectedSite {
  return {
    modelProvider: s.modelProvider,
    callsPerMonth: m?.callsPerMonth?.value ?? null,
    monthlyCostUsd: m?.monthlyCostUsd ?? null,
    monthlyWorstCaseUsd: m?.monthlyWorstCaseUsd ?? null,
    feature: m?.feature ?? null,
    assumptions: [...s.estimate.assumptions, ...(m?.assumptions ?? [])],
    id: s.id,
    file: s.file,
    line,
    provider: s.provider,
    api: s.api,
    model: s.estimate.model,
    costPerCallUsd: s.estimate.costPerCallUsd,
    inputTokens: s.estimate.inputTokens.expected,
    outputTokens: s.estimate.outputTokens.expected,
  };
}

/**
 * A notebook cell (`vscode-notebook-cell:` URI) is analysed on its own as the language it is
 * written in; a client built in another cell is still found by the distinctive-path heuristics.
 */
function cellPath(doc: TextDocument): string {
  const ext = doc.languageId === 'python' ? '.py' : doc.languageId.startsWith('typescript') ? '.ts' : doc.languageId.startsWith('javascript') ? '.js' : '';
  return `${doc.uri}${ext}`;
}

async function defaultEngine(): Promise<Engine> {
  const { engine, pythonError } = await loadEngine();
  if (pythonError) console.error(`llmlint: Python grammar failed to load: ${pythonError}`);
  return engine;
}
