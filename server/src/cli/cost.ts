/**
 * `llmlint report`, `llmlint diff --base <ref>` and `llmlint usage --init`: the projection as a
 * report, as a change against a base commit (for pull requests), and as a usage file to fill in.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { formatUsd } from '../core/format';
import { Prices } from '../core/pricing';
import { whatIf } from '../core/whatif';
import { PRICE_TABLE } from '../node/engine';
import { DEFAULT_MAX_FILE_BYTES } from '../node/source';
import type { Command, WhatIf } from './args';
import { formatHtml, formatMarkdown } from './formatters/costReport';
import { formatStylish } from './formatters/stylish';
import type { CliIo } from './main';
import { USAGE_FILE } from '../node/usage';
import { USAGE_FILE_TEMPLATE } from '../core/usageTemplate';
import { parseDocument } from 'yaml';
import { scan } from './main';
import type { JsonReport } from './report';

export async function report(cmd: Extract<Command, { kind: 'report' }>, io: CliIo): Promise<number> {
  const { report: r } = await scan(cmd.paths, io.cwd, { maxFileBytes: DEFAULT_MAX_FILE_BYTES, usageFile: cmd.usage });
  const text = cmd.format === 'json' ? JSON.stringify(r, null, 2) + '\n'
    : cmd.format === 'markdown' ? formatMarkdown(r)
    : cmd.format === 'html' ? formatHtml(r)
    : costOnly(formatStylish(r, { color: io.isTty && !cmd.output, quiet: false }));
  await write(text + whatIfText(r, cmd.whatIf, cmd.format), cmd.output, io);
  const monthly = r.projection.monthlyCostUsd;
  if (cmd.budget !== null && monthly !== null && monthly > cmd.budget) {
    io.stderr(`llmlint: projected monthly cost ${formatUsd(monthly)} exceeds the budget of ${formatUsd(cmd.budget)}\n`);
    return 1;
  }
  return 0;
}

function whatIfText(r: JsonReport, swaps: WhatIf[], format: string): string {
  if (!swaps.length || format === 'json' || format === 'html') return '';
  const prices = new Prices(PRICE_TABLE);
  const sites = r.callSites.map((s) => ({
    model: s.model.value ?? s.model.default ?? null,
    modelProvider: s.modelProvider,
    feature: s.feature,
    callsPerMonth: s.callsPerMonth?.value ?? null,
    inputTokens: s.estimate.inputTokens.expected,
    outputTokens: s.estimate.outputTokens.expected,
    costPerCallUsd: s.estimate.costPerCallUsd.expected,
  }));
  const lines = ['', format === 'markdown' ? '### What if' : 'What if'];
  for (const w of swaps) {
    const res = whatIf(sites, w, prices);
    const scope = `${w.from} → ${w.to}${w.feature ? ` in ${w.feature}` : ''}`;
    if (!res.callSites) lines.push(`- ${scope}: no call site on ${w.from} with volumes`);
    else if (res.after === null) lines.push(`- ${scope}: "${w.to}" has no price in the table`);
    else lines.push(`- ${scope}: ${res.callSites} call site${res.callSites === 1 ? '' : 's'}, ${formatUsd(res.before)} → ${formatUsd(res.after)} / month (${res.after <= res.before ? 'saves' : 'adds'} ${formatUsd(Math.abs(res.before - res.after))}; before cache and batch discounts)`);
  }
  return lines.join('\n') + '\n';
}

/** The stylish output from its cost table on (the report has no findings section). */
function costOnly(stylish: string): string {
  const at = stylish.indexOf('Cost per call');
  const fallback = stylish.indexOf('No LLM calls found');
  return stylish.slice(at >= 0 ? at : Math.max(0, fallback));
}

async function write(text: string, output: string | null, io: CliIo): Promise<void> {
  if (output) writeFileSync(resolve(io.cwd, output), text);
  else io.stdout(text);
}

interface SiteDelta {
  id: string;
  file: string;
  line: number;
  before: number | null;
  after: number | null;
}

/**
 * Scans the working tree and the base commit (checked out into a temporary directory with
 * `git archive`, so the user's checkout is untouched) and compares monthly cost per call site.
 */
export async function diff(cmd: Extract<Command, { kind: 'diff' }>, io: CliIo): Promise<number> {
  const top = git(['rev-parse', '--show-toplevel'], io.cwd).trim();
  const baseDir = mkdtempSync(join(tmpdir(), 'llmlint-base-'));
  try {
    const archive = execFileSync('git', ['archive', '--format=tar', cmd.base], { cwd: top, maxBuffer: 1 << 30 });
    execFileSync('tar', ['-x', '-C', baseDir], { input: archive });
    const rel = relative(top, io.cwd) || '.';
    const usage = cmd.usage ? resolve(io.cwd, cmd.usage) : null;
    const after = (await scan(cmd.paths, io.cwd, { maxFileBytes: DEFAULT_MAX_FILE_BYTES, usageFile: usage })).report;
    const baseCwd = join(baseDir, rel);
    // The base uses the same usage file (volumes are about traffic, not about the change).
    const before = (await scan(cmd.paths, baseCwd, { maxFileBytes: DEFAULT_MAX_FILE_BYTES, usageFile: usage ?? existing(join(io.cwd, cmd.paths.length === 1 ? cmd.paths[0] : '.', USAGE_FILE)) })).report;
    const deltas = compare(before, after);
    const totalBefore = before.projection.monthlyCostUsd ?? 0;
    const totalAfter = after.projection.monthlyCostUsd ?? 0;
    const text = cmd.format === 'json'
      ? JSON.stringify({ base: cmd.base, before: before.projection.monthlyCostUsd, after: after.projection.monthlyCostUsd, change: totalAfter - totalBefore, callSites: deltas }, null, 2) + '\n'
      : diffMarkdown(cmd.base, before, after, deltas);
    await write(text, cmd.output, io);
    return gate(cmd.failOnIncrease, totalBefore, totalAfter, io);
  } finally {
    rmSync(baseDir, { recursive: true, force: true });
  }
}

function existing(path: string): string | null {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ? path : null;
}

function git(args: string[], cwd: string): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' });
}

function compare(before: JsonReport, after: JsonReport): SiteDelta[] {
  const b = new Map(before.callSites.map((s) => [s.id, s]));
  const a = new Map(after.callSites.map((s) => [s.id, s]));
  const ids = [...new Set([...b.keys(), ...a.keys()])].sort();
  return ids
    .map((id) => {
      const x = b.get(id);
      const y = a.get(id);
      return { id, file: (y ?? x)!.file, line: (y ?? x)!.line, before: x ? x.monthlyCostUsd ?? null : null, after: y ? y.monthlyCostUsd ?? null : null };
    })
    .filter((d) => d.before !== d.after || !b.has(d.id) || !a.has(d.id));
}

function diffMarkdown(base: string, before: JsonReport, after: JsonReport, deltas: SiteDelta[]): string {
  const b = before.projection.monthlyCostUsd;
  const a = after.projection.monthlyCostUsd;
  const change = (a ?? 0) - (b ?? 0);
  const pct = b ? ` (${change >= 0 ? '+' : ''}${((change / b) * 100).toFixed(1)}%)` : '';
  const lines = [
    '## llmlint: LLM cost change',
    '',
    `Projected monthly cost: **${formatUsd(b)} → ${formatUsd(a)}**, ${change >= 0 ? '+' : '−'}${formatUsd(Math.abs(change))}${pct} against \`${base}\`.`,
    '',
  ];
  if (!deltas.length) return [...lines, 'No call site changed its monthly cost.', ''].join('\n');
  lines.push('| Call site | Before | After | Change |', '|---|---:|---:|---:|');
  for (const d of deltas) {
    const what = d.before === null && d.after !== null ? 'new' : d.after === null && d.before !== null ? 'removed' : '';
    const delta = (d.after ?? 0) - (d.before ?? 0);
    lines.push(`| \`${d.file}:${d.line}\`${what ? ` ${what}` : ''} | ${d.before === null ? '–' : formatUsd(d.before)} | ${d.after === null ? '–' : formatUsd(d.after)} | ${delta >= 0 ? '+' : '−'}${formatUsd(Math.abs(delta))} |`);
  }
  return [...lines, ''].join('\n');
}

function gate(limit: Extract<Command, { kind: 'diff' }>['failOnIncrease'], before: number, after: number, io: CliIo): number {
  if (!limit) return 0;
  const increase = after - before;
  const over = 'percent' in limit ? (before > 0 ? (increase / before) * 100 > limit.percent : increase > 0) : increase > limit.usd;
  if (!over) return 0;
  io.stderr(`llmlint: monthly cost increases by ${formatUsd(increase)} (${formatUsd(before)} → ${formatUsd(after)}), over the limit of ${'percent' in limit ? `${limit.percent}%` : formatUsd(limit.usd)}\n`);
  return 1;
}

/** Appends every call site without volumes to the usage file as an entry to fill in, keeping what is there. */
export async function usageInit(path: string, io: CliIo): Promise<number> {
  const { report: r } = await scan([path], io.cwd, { maxFileBytes: DEFAULT_MAX_FILE_BYTES });
  const file = join(r.root, USAGE_FILE);
  const shown = relative(io.cwd, file) || file;
  // An empty `callSites: {}` (older templates) becomes a block the entries can go under.
  const text = (existing(file) ? readFileSync(file, 'utf8') : USAGE_FILE_TEMPLATE).replace(/^callSites:[ \t]*\{[ \t]*\}[ \t]*$/m, 'callSites:');
  const missing = r.callSites.filter((s) => r.projection.withoutUsage.includes(s.id));
  if (!missing.length) {
    io.stdout(`${shown}: every call site already has volumes.\n`);
    return 0;
  }
  // Entries are added commented out: a volume llmlint made up would be a silent guess.
  const block = [
    `  # added by \`llmlint usage --init\`: set callsPerDay (or callsPerMonth) and uncomment`,
    // Each entry stays on its one comment line whatever the source holds (a model name with a line
    // break would otherwise add a real key), and the id is a quoted YAML key once uncommented.
    ...missing.map((s) => oneLine(`  # ${JSON.stringify(s.id)}: { callsPerDay: 0 }   # ${s.file}:${s.line} · ${s.model.value ?? s.model.default ?? 'dynamic model'} · ${formatUsd(s.estimate.costPerCallUsd.expected)}/call`)),
  ].join('\n');
  const blockKey = /^["']?callSites["']?:[ \t]*(#.*)?$/m;
  const updated = blockKey.test(text) ? text.replace(blockKey, (m) => `${m}\n${block}`) : `${text}${text.endsWith('\n') ? '' : '\n'}callSites:\n${block}\n`;
  // `callSites: { … }` on one line, a JSON-style file, anything this text edit would break: show
  // the entries rather than write a file the loader rejects.
  if (!isValidYaml(updated)) {
    io.stdout(`${shown}: callSites is not a block this command can add to, so nothing was added; ${missing.length} call site${missing.length === 1 ? '' : 's'} to fill in:\n${block}\n`);
    return 0;
  }
  writeFileSync(file, updated);
  io.stdout(`${shown}: ${missing.length} call site${missing.length === 1 ? '' : 's'} to fill in.\n`);
  return 0;
}

function isValidYaml(text: string): boolean {
  return parseDocument(text).errors.length === 0;
}

function oneLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029\u0085]+/g, ' ');
}
