/**
 * Language server: a thin adapter over the core. Analyses open documents on open and change
 * (debounced) and publishes the rules' diagnostics. Hints, lenses, hovers and code actions build
 * on the same results.
 */
import { fileURLToPath } from 'node:url';
import { createConnection, DiagnosticSeverity, ProposedFeatures, TextDocuments, TextDocumentSyncKind, type Diagnostic as LspDiagnostic } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeFile, type Engine } from '../core/analyze';
import { LineIndex, locate } from '../core/position';
import { DEFAULT_SETTINGS } from '../core/settings';
import type { FileResult, Severity } from '../core/types';
import { loadEngine } from '../node/engine';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};
const DEBOUNCE_MS = 150;

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let engine: Promise<Engine> | null = null;
const pending = new Map<string, NodeJS.Timeout>();

connection.onInitialize(() => {
  engine = loadEngine().then(({ engine: e, pythonError }) => {
    if (pythonError) connection.console.error(`Python grammar failed to load: ${pythonError}`);
    return e;
  });
  return { capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental } };
});

function pathOf(uri: string): string {
  return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
}

export function toLspDiagnostics(result: FileResult): LspDiagnostic[] {
  const index = new LineIndex(result.text);
  const pos = (offset: number) => {
    const p = locate(result, index, offset);
    return { line: p.line, character: p.character };
  };
  return result.diagnostics.map((d) => ({
    range: { start: pos(d.span.start), end: pos(d.span.end) },
    severity: SEVERITY[d.severity],
    source: 'llmlint',
    code: d.rule,
    message: `${d.message}\n${d.note}\n${d.help}`,
  }));
}

async function validate(doc: TextDocument): Promise<void> {
  if (!engine) return;
  const e = await engine;
  const current = documents.get(doc.uri);
  if (!current || current.version !== doc.version) return; // a newer edit supersedes this one
  const result = analyzeFile({ path: pathOf(doc.uri), text: doc.getText() }, e, DEFAULT_SETTINGS);
  for (const err of result.errors) connection.console.warn(`${err.file}: ${err.message}`);
  await connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: toLspDiagnostics(result) });
}

function schedule(doc: TextDocument): void {
  clearTimeout(pending.get(doc.uri));
  pending.set(doc.uri, setTimeout(() => {
    pending.delete(doc.uri);
    validate(doc).catch((err: unknown) => connection.console.error(`analysis failed for ${doc.uri}: ${String(err)}`));
  }, DEBOUNCE_MS));
}

documents.onDidOpen((e) => schedule(e.document));
documents.onDidChangeContent((e) => schedule(e.document));
documents.onDidClose((e) => {
  clearTimeout(pending.get(e.document.uri));
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

documents.listen(connection);
connection.listen();
