/**
 * `llmlint` command line: a thin adapter — parse arguments, discover files, run the engine,
 * render a format, pick the exit code.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { statSync } from 'node:fs';
import { analyzeFile, type Engine } from '../core/analyze';
import { ruleMarkdown, rulesTable } from '../core/rules/docs';
import { findRule, RULES } from '../core/rules/registry';
import { DEFAULT_SETTINGS } from '../core/settings';
import type { FileIssue, FileResult } from '../core/types';
import { discover } from '../node/discover';
import { loadEngine, PRICE_TABLE } from '../node/engine';
import { readSource } from '../node/source';
import { Command, HELP, parseArgs, UsageError } from './args';
import { formatGithub } from './formatters/github';
import { formatSarif } from './formatters/sarif';
import { formatStylish } from './formatters/stylish';
import { buildReport, JsonReport, TOOL_VERSION } from './report';

export interface CliIo {
  stdout(s: string): void;
  stderr(s: string): void;
  isTty: boolean;
  cwd: string;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let cmd: Command;
  try {
    cmd = parseArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`llmlint: ${err.message}\nRun "llmlint --help" for usage.\n`);
      return 2;
    }
    throw err;
  }
  switch (cmd.kind) {
    case 'help':
      io.stdout(HELP + '\n');
      return 0;
    case 'version':
      io.stdout(`llmlint ${TOOL_VERSION}\n`);
      return 0;
    case 'explain':
      return explain(cmd.rule, io);
    case 'check':
      return check(cmd, io);
  }
}

function explain(rule: string | null, io: CliIo): number {
  if (!rule) {
    io.stdout(rulesTable(RULES) + '\n');
    return 0;
  }
  const def = findRule(rule);
  if (!def) {
    io.stderr(`llmlint: no rule "${rule}". Rules: ${RULES.map((r) => r.id).join(', ')}\n`);
    return 2;
  }
  io.stdout(ruleMarkdown(def));
  return 0;
}

export async function scan(paths: string[], cwd: string, maxFileBytes: number, engine?: Engine): Promise<JsonReport> {
  const absolute = paths.map((p) => resolve(cwd, p));
  // Paths in the report are relative to the one directory scanned, or to the working directory.
  const root = absolute.length === 1 && isDirectory(absolute[0]) ? absolute[0] : cwd;
  const loaded = engine ? { engine, pythonError: null } : await loadEngine();
  const found = await discover(root, absolute, { maxFileBytes });
  const results: FileResult[] = [];
  const errors: FileIssue[] = [];
  const skipped = [...found.skipped];
  let bytes = 0;
  for (const f of found.files) {
    const source = await readSource(f.path);
    if (!source.ok) {
      skipped.push({ file: f.rel, reason: source.reason });
      continue;
    }
    bytes += f.size;
    const result = analyzeFile({ path: f.rel, text: source.text }, loaded.engine, DEFAULT_SETTINGS);
    if (source.warning) result.warnings.unshift({ file: f.rel, message: source.warning });
    if (result.errors.length) errors.push(...result.errors);
    results.push(result);
  }
  if (loaded.pythonError) errors.push({ file: '(python grammar)', message: loaded.pythonError });
  return buildReport({
    root,
    pricing: { asOf: PRICE_TABLE.asOf, source: PRICE_TABLE.source },
    results,
    scanned: results.length,
    bytes,
    skipped,
    errors,
  });
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

async function check(cmd: Extract<Command, { kind: 'check' }>, io: CliIo): Promise<number> {
  const report = await scan(cmd.paths, io.cwd, cmd.maxFileBytes);
  const color = cmd.color ?? (io.isTty && !process.env.NO_COLOR && !cmd.output);
  const text =
    cmd.format === 'json' ? JSON.stringify(report, null, 2) + '\n'
    : cmd.format === 'sarif' ? formatSarif(report)
    : cmd.format === 'github' ? formatGithub(report)
    : formatStylish(report, { color, quiet: cmd.quiet });
  if (cmd.output) {
    try {
      await writeFile(resolve(io.cwd, cmd.output), text);
    } catch (err) {
      io.stderr(`llmlint: cannot write ${cmd.output}: ${(err as Error).message}\n`);
      return 2;
    }
  } else {
    io.stdout(text);
  }
  const errors = report.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = report.diagnostics.filter((d) => d.severity === 'warning').length;
  if (errors) return 1;
  if (cmd.maxWarnings !== null && warnings > cmd.maxWarnings) {
    io.stderr(`llmlint: ${warnings} warnings exceed --max-warnings ${cmd.maxWarnings}\n`);
    return 1;
  }
  return 0;
}
