/**
 * The machine-readable report (`--format json`, OUTPUT-FORMAT.md): converts the engine's results
 * to the wire format — 1-based lines and columns, paths relative to the root, notebook cells.
 * Every other formatter renders from this one structure, so this is where provider keys read
 * from source (a model name, an expression, a loop's iterable, a fix's text) are masked.
 */
import type { ProjectionTotals, SiteProjection } from '../core/projection';
import type { FileIssue, Fix, FileResult, Severity } from '../core/types';
import { LineIndex, locate } from '../core/position';
import { editsWithoutSecrets, maskDeep } from '../core/secrets';

export const TOOL_NAME = 'llmlint';
export const TOOL_VERSION = '0.1.0';

export interface Range1 {
  cell: number | null;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface JsonEdit extends Range1 {
  newText: string;
}

export interface JsonCallSite extends Range1 {
  id: string;
  file: string;
  provider: string;
  modelProvider: string;
  api: string;
  kind: string;
  heuristic: boolean;
  model: { value: string | null; expression: string | null; default?: string | null };
  maxOutputTokens: { param: string; value: number | null; expression: string | null; default?: number | null } | null;
  retry: { kind: string; attempts: number | null; source: string };
  timeoutSeconds: number | null;
  timeout: { seconds: number | null; source: string };
  streaming: boolean;
  n: number | null;
  inLoop: boolean;
  loops: Array<{ kind: string; tripCount: number | null; iterable: string | null }>;
  estimate: {
    priceKey: string | null;
    inputTokens: { expected: number; static: number; holes: number; exact: boolean };
    outputTokens: { expected: number; worstCase: number | null };
    costPerCallUsd: { expected: number | null; worstCase: number | null };
    tokenizer: string;
    assumptions: string[];
  };
  callsPerMonth: { value: number; source: string } | null;
  monthlyCostUsd: number | null;
  monthlyWorstCaseUsd: number | null;
  feature: string | null;
}

export interface JsonDiagnostic extends Range1 {
  rule: string;
  severity: Severity;
  file: string;
  message: string;
  note: string;
  help: string;
  callSite: string | null;
  fix: { safety: string; description: string; edits: JsonEdit[] } | null;
}

export interface JsonReport {
  version: 1;
  tool: { name: string; version: string };
  pricing: { asOf: string; source: string };
  root: string;
  files: { scanned: number; bytes: number; withCalls: number; skipped: Array<{ file: string; reason: string }> };
  errors: FileIssue[];
  warnings: FileIssue[];
  callSites: JsonCallSite[];
  diagnostics: JsonDiagnostic[];
  projection: ProjectionTotals & { usageFile: string | null };
}

export interface ReportInput {
  root: string;
  pricing: { asOf: string; source: string };
  results: FileResult[];
  scanned: number;
  /** Total size of the analysed files. */
  bytes: number;
  skipped: Array<{ file: string; reason: string }>;
  errors: FileIssue[];
  projection: { sites: Map<string, SiteProjection>; totals: ProjectionTotals; usageFile: string | null };
}

function range(result: FileResult, index: LineIndex, span: { start: number; end: number }): Range1 {
  const start = locate(result, index, span.start);
  const end = locate(result, index, span.end);
  return { cell: start.cell, line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
}

export function buildReport(input: ReportInput): JsonReport {
  const callSites: JsonCallSite[] = [];
  const diagnostics: JsonDiagnostic[] = [];
  for (const result of input.results) {
    if (!result.callSites.length && !result.diagnostics.length) continue;
    const index = new LineIndex(result.text);
    for (const s of result.callSites) {
      callSites.push({
        id: s.id,
        file: s.file,
        ...range(result, index, s.span),
        provider: s.provider,
        modelProvider: s.modelProvider,
        api: s.api,
        kind: s.kind,
        heuristic: s.heuristic,
        model: s.model.default !== undefined ? { value: s.model.value, expression: s.model.expression, default: s.model.default } : { value: s.model.value, expression: s.model.expression },
        maxOutputTokens: s.maxOutputTokens,
        retry: { kind: s.retry.kind, attempts: s.retry.attempts, source: s.retry.source },
        timeoutSeconds: s.timeout.seconds,
        timeout: s.timeout,
        streaming: s.streaming,
        n: s.n,
        inLoop: s.loops.length > 0,
        loops: s.loops.map((l) => ({ kind: l.kind, tripCount: l.tripCount, iterable: l.iterable })),
        estimate: {
          priceKey: s.estimate.priceKey,
          inputTokens: s.estimate.inputTokens,
          outputTokens: s.estimate.outputTokens,
          costPerCallUsd: s.estimate.costPerCallUsd,
          tokenizer: s.estimate.tokenizer,
          assumptions: s.estimate.assumptions,
        },
        callsPerMonth: input.projection.sites.get(s.id)?.callsPerMonth ?? null,
        monthlyCostUsd: input.projection.sites.get(s.id)?.monthlyCostUsd ?? null,
        monthlyWorstCaseUsd: input.projection.sites.get(s.id)?.monthlyWorstCaseUsd ?? null,
        feature: input.projection.sites.get(s.id)?.feature ?? null,
      });
      const extra = input.projection.sites.get(s.id)?.assumptions ?? [];
      callSites[callSites.length - 1].estimate.assumptions = [...s.estimate.assumptions, ...extra];
    }
    for (const d of result.diagnostics) {
      diagnostics.push({
        rule: d.rule,
        severity: d.severity,
        file: result.file,
        ...range(result, index, d.span),
        message: d.message,
        note: d.note,
        help: d.help,
        callSite: d.callSiteId,
        fix: jsonFix(result, index, d.fix),
      });
    }
  }
  // Every string masked, except the new text of edits: it has no key (see jsonFix) and must apply as written.
  return maskDeep<JsonReport>({
    version: 1,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    pricing: input.pricing,
    root: input.root,
    files: { scanned: input.scanned, bytes: input.bytes, withCalls: new Set(callSites.map((c) => c.file)).size, skipped: input.skipped },
    errors: input.errors,
    warnings: input.results.flatMap((r) => r.warnings),
    callSites,
    diagnostics,
    projection: { ...input.projection.totals, usageFile: input.projection.usageFile },
  }, KEEP);
}

const KEEP = new Set(['newText']);

/** A fix whose edits keep a key in place is written as the edits around it; one that would have to write a key out is left out. */
function jsonFix(result: FileResult, index: LineIndex, fix: Fix | null): JsonDiagnostic['fix'] {
  if (!fix) return null;
  const edits: JsonEdit[] = [];
  for (const e of fix.edits) {
    const parts = editsWithoutSecrets(result.text, e);
    if (!parts) return null;
    edits.push(...parts.map((p) => ({ ...range(result, index, p.span), newText: p.newText })));
  }
  return { safety: fix.safety, description: fix.description, edits };
}
