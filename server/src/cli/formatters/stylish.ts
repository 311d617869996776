/** Human output: problems grouped by file (ESLint's stylish), then a cost table of every call site. */
import { formatTokens, formatUsd } from '../../core/format';
import type { JsonReport } from '../report';

export interface StylishOptions {
  color: boolean;
  quiet: boolean;
}

export function formatStylish(report: JsonReport, opts: StylishOptions): string {
  const c = colors(opts.color);
  const lines: string[] = [];
  const shown = opts.quiet ? report.diagnostics.filter((d) => d.severity === 'error') : report.diagnostics;
  const byFile = new Map<string, typeof shown>();
  for (const d of shown) byFile.set(d.file, [...(byFile.get(d.file) ?? []), d]);
  for (const [file, diags] of byFile) {
    lines.push(c.underline(file));
    for (const d of diags) {
      const pos = `${d.cell !== null ? `cell ${d.cell} ` : ''}${d.line}:${d.column}`;
      const sev = d.severity === 'error' ? c.red('error') : d.severity === 'warning' ? c.yellow('warning') : c.blue(d.severity);
      lines.push(`  ${c.dim(pos.padEnd(8))} ${sev.padEnd(opts.color ? 16 : 7)}  ${d.message}  ${c.dim(d.rule)}`);
      lines.push(`  ${' '.repeat(8)} ${c.dim(`help: ${d.help}`)}`);
    }
    lines.push('');
  }
  const counts = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const d of report.diagnostics) counts[d.severity]++;
  const total = counts.error + counts.warning;
  if (total || counts.info || counts.hint) {
    const summary = `${total} problem${total === 1 ? '' : 's'} (${counts.error} error${counts.error === 1 ? '' : 's'}, ${counts.warning} warning${counts.warning === 1 ? '' : 's'})${counts.info + counts.hint ? `, ${counts.info + counts.hint} suggestion${counts.info + counts.hint === 1 ? '' : 's'}` : ''}`;
    lines.push((counts.error ? c.red : c.yellow)(`✖ ${summary}`), '');
  } else {
    lines.push(c.green('✔ no problems'), '');
  }
  if (!opts.quiet) lines.push(...costTable(report, c));
  for (const e of report.errors) lines.push(c.red(`error: ${e.file}: ${e.message}`));
  for (const w of report.warnings) lines.push(c.yellow(`note: ${w.file}: ${w.message}`));
  if (report.files.skipped.length && !opts.quiet) {
    lines.push(c.dim(`skipped ${report.files.skipped.length} file${report.files.skipped.length === 1 ? '' : 's'}:`));
    for (const s of report.files.skipped.slice(0, 20)) lines.push(c.dim(`  ${s.file}: ${s.reason}`));
    if (report.files.skipped.length > 20) lines.push(c.dim(`  … and ${report.files.skipped.length - 20} more (see --format json)`));
  }
  return lines.join('\n') + '\n';
}

function costTable(report: JsonReport, c: Colors): string[] {
  if (!report.callSites.length) return [`No LLM calls found in ${report.files.scanned} file${report.files.scanned === 1 ? '' : 's'}.`, ''];
  const rows = report.callSites.map((s) => [
    `${s.file}:${s.cell !== null ? `cell ${s.cell}:` : ''}${s.line}`,
    s.model.value ?? (s.model.default ? `${s.model.default}*` : '(dynamic)'),
    s.api,
    `${s.estimate.inputTokens.exact ? '' : '≈'}${formatTokens(s.estimate.inputTokens.expected)}`,
    `${formatTokens(s.estimate.outputTokens.expected)} / ${s.estimate.outputTokens.worstCase === null ? '?' : formatTokens(s.estimate.outputTokens.worstCase)}`,
    formatUsd(s.estimate.costPerCallUsd.expected),
    formatUsd(s.estimate.costPerCallUsd.worstCase),
    s.callsPerMonth ? formatCount(s.callsPerMonth.value) : '–',
    s.callsPerMonth ? formatUsd(s.monthlyCostUsd) : '–',
  ]);
  const header = ['Call site', 'Model', 'API', 'In', 'Out exp / max', '$/call', '$/call max', 'Calls/mo', '$/month'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const right = new Set([3, 4, 5, 6, 7, 8]);
  const fmt = (r: string[]) => r.map((cell, i) => (right.has(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ');
  const out = [c.bold(`Cost per call — ${report.callSites.length} LLM call site${report.callSites.length === 1 ? '' : 's'} in ${report.files.withCalls} file${report.files.withCalls === 1 ? '' : 's'} (prices as of ${report.pricing.asOf})`), c.dim(fmt(header))];
  for (const r of rows) out.push(r[5] === 'unknown' ? c.yellow(fmt(r)) : fmt(r));
  const unknown = report.projection.unknown.length;
  out.push(c.dim('≈ estimated tokens (holes at their default size, or a non-OpenAI tokenizer); * dynamic model, estimated with its default.'));
  if (unknown) out.push(c.yellow(`${unknown} call site${unknown === 1 ? ' has' : 's have'} no known price: left out of totals, not counted as $0.`));
  out.push(...monthly(report, c), '');
  return out;
}

function monthly(report: JsonReport, c: Colors): string[] {
  const p = report.projection;
  const withUsage = report.callSites.length - p.withoutUsage.length;
  if (!withUsage) return [c.dim('Monthly cost needs call volumes: add llmlint.usage.yml or `# llmlint: calls-per-day=N` annotations (see the README).')];
  const worst = p.monthlyWorstCaseUsd === null ? '' : c.dim(` (worst case ${formatUsd(p.monthlyWorstCaseUsd)})`);
  const lines = [c.bold(`Projected monthly cost: ${formatUsd(p.monthlyCostUsd)}`) + worst + c.dim(` — ${withUsage} call site${withUsage === 1 ? '' : 's'} with volumes from ${p.usageFile ?? 'inline annotations'}`)];
  const by = (title: string, m: Record<string, number>) => {
    const entries = Object.entries(m).slice(0, 6);
    if (entries.length) lines.push(`  by ${title}: ${entries.map(([k, v]) => `${k} ${formatUsd(v)}`).join(' · ')}`);
  };
  const profiles = Object.entries(p.byProfile ?? {});
  if (profiles.length) lines.push(`  by traffic profile: ${profiles.map(([k, v]) => `${k} ${formatUsd(v)}`).join(' · ')}`);
  by('model', p.byModel);
  by('feature', p.byFeature);
  if (p.withoutUsage.length) lines.push(c.dim(`  ${p.withoutUsage.length} call site${p.withoutUsage.length === 1 ? '' : 's'} without volumes: not in the total (depends on usage)`));
  return lines;
}

function formatCount(n: number): string {
  return n >= 1_000_000 ? `${(n / 1_000_000).toFixed(1)}M` : n >= 1000 ? `${(n / 1000).toFixed(n >= 10_000 ? 0 : 1)}k` : String(n);
}

type Colors = ReturnType<typeof colors>;

function colors(on: boolean) {
  const wrap = (code: string) => (s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);
  return { red: wrap('31'), yellow: wrap('33'), blue: wrap('34'), green: wrap('32'), dim: wrap('2'), bold: wrap('1'), underline: wrap('4') };
}
