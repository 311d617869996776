/**
 * Engine results → LSP objects: diagnostics, inlay hints, code lenses, hovers and code actions.
 * Pure functions of a FileResult, so the handlers stay thin and the tests need no editor. Every
 * string they show passes through `maskSecrets`: a provider key read from source (a model name, an
 * assumption, a fix's title) is never shown in full, and a code action's edits never carry one.
 */
import {
  CodeAction, CodeActionKind, CodeLens, Diagnostic as LspDiagnostic, DiagnosticSeverity, Hover, InlayHint, InlayHintKind, MarkupKind,
  Range, TextEdit as LspTextEdit, WorkspaceEdit,
} from 'vscode-languageserver/node';
import { formatTokens, formatUsd } from '../core/format';
import { LineIndex, locate } from '../core/position';
import type { Prices } from '../core/pricing';
import type { SiteProjection } from '../core/projection';
import { canonicalName, listCostUsd, stripDate } from '../core/pricing';
import { cheaperTier } from '../core/tiers';
import { editsWithoutSecrets, maskSecrets } from '../core/secrets';
import type { CallSite, Diagnostic, FileResult, Severity, TextEdit } from '../core/types';

export const SOURCE = 'llmlint';
export type HintMode = 'off' | 'perCall' | 'perMonth';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Positions in one analysed file (UTF-16, 0-based; notebook cells relative to the cell). */
export class Positions {
  private readonly index: LineIndex;

  constructor(private readonly result: FileResult) {
    this.index = new LineIndex(result.text);
  }

  range(span: { start: number; end: number }): Range {
    const a = locate(this.result, this.index, span.start);
    const b = locate(this.result, this.index, span.end);
    return { start: { line: a.line, character: a.character }, end: { line: b.line, character: b.character } };
  }

  offset(line: number, character: number): number {
    return this.index.offset({ line, character });
  }
}

export function toDiagnostics(result: FileResult, pos: Positions): LspDiagnostic[] {
  return result.diagnostics.map((d) => ({
    range: pos.range(squiggleSpan(result, d)),
    severity: SEVERITY[d.severity],
    source: SOURCE,
    code: d.rule,
    message: maskSecrets(`${d.message}\n${d.note}\n${d.help}`),
    data: { rule: d.rule, callSiteId: d.callSiteId === null ? null : maskSecrets(d.callSiteId) },
  }));
}

/**
 * A finding about a whole call is underlined on its callee (`client.chat.completions.create`), not
 * on every line of its arguments; the CLI and JSON keep the call's full range.
 */
function squiggleSpan(result: FileResult, d: Diagnostic): { start: number; end: number } {
  const site = d.callSiteId ? result.callSites.find((s) => s.id === d.callSiteId) : undefined;
  if (!site || site.span.start !== d.span.start || site.span.end !== d.span.end) return d.span;
  const callee = site.info.expr.callee.span;
  return callee.end > callee.start && callee.start >= d.span.start ? { start: d.span.start, end: callee.end } : d.span;
}

/** `≈ $0.0061/call` after each call. */
export function inlayHints(result: FileResult, mode: HintMode, monthly: Map<string, SiteProjection>, pos: Positions): InlayHint[] {
  if (mode === 'off') return [];
  return result.callSites.map((s) => {
    const range = pos.range(s.span);
    const cost = s.estimate.costPerCallUsd.expected;
    const perMonth = monthly.get(s.id)?.monthlyCostUsd ?? null;
    // perMonth shows the monthly cost where volumes are known, the cost per call elsewhere.
    const label = cost === null ? '≈ $? (unpriced)' : mode === 'perMonth' && perMonth !== null ? `≈ ${formatUsd(perMonth)}/mo` : `≈ ${formatUsd(cost)}/call`;
    return { position: range.end, label, kind: InlayHintKind.Type, paddingLeft: true, tooltip: maskSecrets(`llmlint: ${s.estimate.model ?? 'unknown model'}, ${tokensLine(s)}`) };
  });
}

function tokensLine(s: CallSite): string {
  const e = s.estimate;
  const inTok = `${e.inputTokens.exact ? '' : '≈'}${formatTokens(e.inputTokens.expected)} in`;
  const out = e.outputTokens.worstCase === null ? `${formatTokens(e.outputTokens.expected)} out` : `≤${formatTokens(e.outputTokens.worstCase)} out`;
  return `${inTok} / ${out}`;
}

/** `gpt-4o · ≈1.2k in / ≤500 out · $0.0061/call · $183/mo` (or `depends on usage`) above each call. */
export function codeLenses(result: FileResult, monthly: Map<string, SiteProjection>, pos: Positions): CodeLens[] {
  return result.callSites.map((s) => {
    const e = s.estimate;
    const cost = e.costPerCallUsd.expected === null ? 'unpriced: cost unknown' : `${formatUsd(e.costPerCallUsd.expected)}/call`;
    const p = monthly.get(s.id);
    const month = p?.monthlyCostUsd != null ? `${formatUsd(p.monthlyCostUsd)}/mo` : p?.callsPerMonth ? 'monthly cost unknown' : 'depends on usage';
    const title = `${e.model ?? 'dynamic model'} · ${tokensLine(s)} · ${cost} · ${month}`;
    return { range: pos.range(s.span), command: { title: maskSecrets(title), command: 'llmlint.showCallDetails', arguments: [maskSecrets(s.id)] } };
  });
}

/** The breakdown of one call's estimate, with its assumptions and a cheaper model of the same provider. */
export function hover(result: FileResult, offset: number, prices: Prices, pos: Positions): Hover | null {
  const site = result.callSites.filter((s) => s.span.start <= offset && offset <= s.span.end).sort((a, b) => a.span.end - a.span.start - (b.span.end - b.span.start))[0];
  if (!site) return null;
  const e = site.estimate;
  const price = e.priceKey ? prices.table.models[e.priceKey] : undefined;
  const rows: Array<[string, string]> = [
    ['Model', e.model ? `\`${e.model}\`${e.priceKey && e.priceKey !== e.model ? ` (priced as \`${e.priceKey}\`)` : ''}` : 'unknown (dynamic)'],
    ['Input tokens', `${e.inputTokens.exact ? '' : '≈'}${e.inputTokens.expected.toLocaleString('en-US')} (${e.inputTokens.static.toLocaleString('en-US')} static${e.inputTokens.holes ? ` + ${e.inputTokens.holes} hole${e.inputTokens.holes > 1 ? 's' : ''}` : ''})`],
    ['Output tokens', `${e.outputTokens.expected.toLocaleString('en-US')} expected · ${e.outputTokens.worstCase === null ? 'no known limit' : `${e.outputTokens.worstCase.toLocaleString('en-US')} worst case`}`],
    ['Price per 1M tokens', price ? `$${price.inputPerMTok} in · $${price.outputPerMTok ?? 0} out` : 'not in the price table'],
    ['Cost per call', e.costPerCallUsd.expected === null ? 'unknown (never counted as $0)' : `${formatUsd(e.costPerCallUsd.expected)} expected · ${formatUsd(e.costPerCallUsd.worstCase)} worst case`],
    ['Tokenizer', `${e.tokenizer}${e.inputTokens.exact ? ' (exact)' : ' (estimate)'}`],
    ['Prices as of', prices.asOf],
  ];
  const lines = [`**llmlint** · \`${site.api}\` (${site.provider})`, '', '| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v.replace(/\|/g, '\\|')} |`)];
  const alt = cheaperAlternative(site, prices);
  if (alt) lines.push('', alt);
  if (e.assumptions.length) lines.push('', '**Assumptions**', ...e.assumptions.map((a) => `- ${a}`));
  return { contents: { kind: MarkupKind.Markdown, value: maskSecrets(lines.join('\n')) }, range: pos.range(site.span) };
}

function cheaperAlternative(site: CallSite, prices: Prices): string | null {
  const e = site.estimate;
  if (!e.model || e.costPerCallUsd.expected === null) return null;
  const cheaper = cheaperTier(stripDate(canonicalName(e.model)));
  const alt = cheaper ? prices.lookup(cheaper, site.modelProvider) : null;
  if (!cheaper || !alt) return null;
  const cost = listCostUsd(alt.price, e.inputTokens.expected, e.outputTokens.expected);
  const saving = 1 - cost / e.costPerCallUsd.expected;
  if (saving <= 0) return null;
  return `Cheaper in the same family: \`${cheaper}\` ≈ ${formatUsd(cost)}/call (${Math.round(saving * 100)}% less).`;
}

/** Quick fixes for the diagnostics in range, "suppress for this line", "explain rule"; and source.fixAll. */
export function codeActions(result: FileResult, uri: string, range: Range, only: string[] | undefined, pos: Positions): CodeAction[] {
  const start = pos.offset(range.start.line, range.start.character);
  const end = pos.offset(range.end.line, range.end.character);
  const actions: CodeAction[] = [];
  const wants = (kind: string) => !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
  if (wants(CodeActionKind.SourceFixAll + '.llmlint') || (only ?? []).includes(CodeActionKind.SourceFixAll)) {
    const safe = result.diagnostics.filter((d) => d.fix?.safety === 'safe' && fixEdits(result, d));
    if (safe.length) actions.push({ title: 'llmlint: fix all safe problems', kind: `${CodeActionKind.SourceFixAll}.llmlint`, edit: editOf(uri, result, safe, pos) });
  }
  if (!wants(CodeActionKind.QuickFix)) return actions;
  const here = result.diagnostics.filter((d) => d.span.start <= end && start <= d.span.end);
  for (const d of here) {
    const diagnostic = toDiagnostics({ ...result, diagnostics: [d] }, pos)[0];
    if (d.fix && fixEdits(result, d)) {
      actions.push({
        title: maskSecrets(`${d.fix.description}${d.fix.safety === 'unsafe' ? ' (unsafe: check the result)' : ''}`),
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: d.fix.safety === 'safe',
        edit: editOf(uri, result, [d], pos),
      });
    }
    const suppress = suppressEdit(result, d, pos);
    if (suppress) actions.push({ title: `Suppress ${d.rule} for this line`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: { changes: { [uri]: [suppress] } } });
    actions.push({ title: `Explain rule ${d.rule}`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], command: { title: `Explain ${d.rule}`, command: 'llmlint.explainRule', arguments: [d.rule] } });
  }
  return actions;
}

function editOf(uri: string, result: FileResult, diagnostics: Diagnostic[], pos: Positions): WorkspaceEdit {
  const edits: LspTextEdit[] = [];
  const taken: Array<[number, number]> = [];
  for (const d of diagnostics) {
    for (const e of fixEdits(result, d) ?? []) {
      if (taken.some(([a, b]) => e.span.start < b && a < e.span.end)) continue;
      taken.push([e.span.start, e.span.end]);
      edits.push({ range: pos.range(e.span), newText: e.newText });
    }
  }
  return { changes: { [uri]: edits } };
}

/** A fix's edits as edits that never carry a key (see `editsWithoutSecrets`); null when that is not possible. */
function fixEdits(result: FileResult, d: Diagnostic): TextEdit[] | null {
  const out: TextEdit[] = [];
  for (const e of d.fix?.edits ?? []) {
    const parts = editsWithoutSecrets(result.text, e);
    if (!parts) return null;
    out.push(...parts);
  }
  return out;
}

/** A comment on the line above the diagnostic, indented like it (`# llmlint: ignore[rule]` / `// llmlint-disable-next-line rule`). */
function suppressEdit(result: FileResult, d: Diagnostic, pos: Positions): LspTextEdit | null {
  if (result.language === 'prompt') return null;
  const line = pos.range(d.span).start.line;
  const lineStart = result.text.lastIndexOf('\n', d.span.start - 1) + 1;
  const indent = /^[ \t]*/.exec(result.text.slice(lineStart))?.[0] ?? '';
  const comment = result.language === 'typescript' ? `// llmlint-disable-next-line ${d.rule}` : `# llmlint: ignore[${d.rule}]`;
  return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}${comment}\n` };
}
