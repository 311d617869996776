/**
 * Cost reports: Markdown (for a pull-request comment or a job summary) and a self-contained HTML
 * page with charts (for CI artifacts). Every string from the code (file names, models, prompts)
 * is escaped: a prompt may contain `<script>`.
 */
import { formatUsd } from '../../core/format';
import type { JsonCallSite, JsonReport } from '../report';

const md = (s: string) => s.replace(/[|\\`*_<>[\]]/g, (c) => `\\${c}`);

function siteLabel(s: JsonCallSite): string {
  return `${s.file}:${s.cell !== null ? `cell ${s.cell}:` : ''}${s.line}`;
}

export function formatMarkdown(report: JsonReport): string {
  const p = report.projection;
  const lines = [`## llmlint cost report`, ''];
  lines.push(p.monthlyCostUsd === null ? 'No call volumes: monthly cost depends on usage (add `llmlint.usage.yml`).' : `**Projected monthly cost: ${formatUsd(p.monthlyCostUsd)}** (prices as of ${report.pricing.asOf})`, '');
  const profiles = Object.entries(p.byProfile ?? {});
  if (profiles.length) lines.push(`Traffic profiles: ${profiles.map(([k, v]) => `${md(k)} ${formatUsd(v)}`).join(' · ')}`, '');
  const section = (title: string, m: Record<string, number>) => {
    const entries = Object.entries(m);
    if (!entries.length) return;
    lines.push(`| ${title} | $/month |`, '|---|---:|', ...entries.map(([k, v]) => `| ${md(k)} | ${formatUsd(v)} |`), '');
  };
  section('Model', p.byModel);
  section('Feature', p.byFeature);
  lines.push('| Call site | Model | API | $/call | Calls/month | $/month |', '|---|---|---|---:|---:|---:|');
  for (const s of report.callSites) {
    lines.push(`| ${md(siteLabel(s))} | ${md(s.model.value ?? s.model.default ?? 'dynamic')} | ${md(s.api)} | ${formatUsd(s.estimate.costPerCallUsd.expected)} | ${s.callsPerMonth ? s.callsPerMonth.value.toLocaleString('en-US') : '–'} | ${s.callsPerMonth ? formatUsd(s.monthlyCostUsd) : '–'} |`);
  }
  lines.push('');
  if (p.unknown.length) lines.push(`${p.unknown.length} call site(s) have no known price and are not in the total: ${p.unknown.map((id) => `\`${md(id)}\``).join(', ')}.`, '');
  if (p.withoutUsage.length) lines.push(`${p.withoutUsage.length} call site(s) have no call volumes and are not in the total.`, '');
  return lines.join('\n');
}

const html = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Horizontal bars as inline SVG (no scripts, no external assets). */
function bars(title: string, data: Record<string, number>): string {
  const entries = Object.entries(data).slice(0, 12);
  if (!entries.length) return '';
  const max = Math.max(...entries.map(([, v]) => v));
  const rowH = 26;
  const rows = entries.map(([k, v], i) => {
    const w = max > 0 ? Math.max(2, Math.round((v / max) * 420)) : 2;
    const y = i * rowH;
    return `<text x="0" y="${y + 17}" class="label">${html(k)}</text><rect x="230" y="${y + 5}" width="${w}" height="16" rx="3"></rect><text x="${236 + w}" y="${y + 17}" class="value">${html(formatUsd(v))}</text>`;
  });
  return `<figure><figcaption>${html(title)}</figcaption><svg role="img" aria-label="${html(title)}" width="760" height="${entries.length * rowH}" xmlns="http://www.w3.org/2000/svg">${rows.join('')}</svg></figure>`;
}

export function formatHtml(report: JsonReport): string {
  const p = report.projection;
  const rows = report.callSites.map((s) => `<tr><td>${html(siteLabel(s))}</td><td>${html(s.model.value ?? s.model.default ?? 'dynamic')}</td><td>${html(s.api)}</td><td class="n">${html(formatUsd(s.estimate.costPerCallUsd.expected))}</td><td class="n">${s.callsPerMonth ? s.callsPerMonth.value.toLocaleString('en-US') : '–'}</td><td class="n">${s.callsPerMonth ? html(formatUsd(s.monthlyCostUsd)) : '–'}</td><td>${html(s.estimate.assumptions.join('; '))}</td></tr>`);
  const total = p.monthlyCostUsd === null ? 'depends on usage' : formatUsd(p.monthlyCostUsd);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>llmlint cost report</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1f2328;background:#fff}
h1{font-size:22px;margin:0 0 4px} .total{font-size:28px;font-weight:600;margin:8px 0 16px}
figure{margin:16px 0} figcaption{font-weight:600;margin-bottom:6px}
svg rect{fill:#3b6fd6} svg .label{font-size:12px;fill:#1f2328} svg .value{font-size:12px;fill:#57606a}
table{border-collapse:collapse;width:100%;margin-top:12px} th,td{border-bottom:1px solid #d0d7de;padding:6px 8px;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;white-space:nowrap} .muted{color:#57606a}
</style></head><body>
<h1>llmlint cost report</h1>
<div class="muted">${html(report.root)} · ${report.callSites.length} LLM call sites · prices as of ${html(report.pricing.asOf)}</div>
<div class="total">Projected monthly cost: ${html(total)}</div>
${bars('Monthly cost by model', p.byModel)}
${bars('Monthly cost by feature', p.byFeature)}
<table><thead><tr><th>Call site</th><th>Model</th><th>API</th><th class="n">$/call</th><th class="n">Calls/month</th><th class="n">$/month</th><th>Assumptions</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>
${p.unknown.length ? `<p class="muted">${p.unknown.length} call site(s) have no known price and are left out of the total: ${p.unknown.map(html).join(', ')}</p>` : ''}
</body></html>
`;
}
