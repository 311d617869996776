/**
 * `llmlint` command line: a thin adapter — parse arguments, discover files, run the engine,
 * render a format, pick the exit code.
 */
import { writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { statSync } from 'node:fs';
import { analyzeFile, needsParse, pricesFor, type Engine } from '../core/analyze';
import type { CatalogIndex } from '../core/catalog';
import { formatUsd } from '../core/format';
import { projectResults } from '../core/projection';
import { Prices } from '../core/pricing';
import { DEFAULT_SETTINGS } from '../core/settings';
import { EMPTY_USAGE, type UsageModel } from '../core/usage';
import { ruleMarkdown, rulesTable } from '../core/rules/docs';
import { findRule, RULES } from '../core/rules/registry';
import type { Settings } from '../core/settings';
import { applyFixes } from '../core/fixes';
import type { FileIssue, FileResult } from '../core/types';
import { ConfigError, ConfigResolver } from '../node/config';
import { discover } from '../node/discover';
import { FsProjectSources } from '../node/project';
import { FILE_TIME_BUDGET, loadEngine, PRICE_TABLE } from '../node/engine';
import { buildId, ResultCache, type FileStamp } from '../node/cache';
import { analyseInWorkers, autoConcurrency, MAX_WORKERS, workerScript } from '../node/pool';
import { readSource } from '../node/source';
import { readUsageFile, USAGE_FILE } from '../node/usage';
import { Command, HELP, parseArgs, UsageError, type Shard } from './args';
import { diff, report, usageInit } from './cost';
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
    case 'report':
      return withUsageErrors(() => report(cmd, io), io);
    case 'diff':
      return withUsageErrors(() => diff(cmd, io), io);
    case 'usageInit':
      return withUsageErrors(() => usageInit(cmd.path, io), io);
    case 'lsp':
      // The server takes over the process; its transport comes from argv (--stdio). Loaded only
      // here: the language server's libraries cost every other command ~20 ms of start-up.
      await import('../lsp/main');
      return new Promise<number>(() => undefined);
    case 'check':
      return withUsageErrors(() => check(cmd, io), io);
  }
}

/** A bad config or usage file ends the run with exit 2 and its messages. */
async function withUsageErrors(run: () => Promise<number>, io: CliIo): Promise<number> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.stderr(`llmlint: invalid configuration or usage file\n${err.message}\n`);
    return 2;
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

export interface ScanOptions {
  maxFileBytes: number;
  /** The usage file; default: llmlint.usage.yml in the scanned directory, when present. */
  usageFile?: string | null;
  configFile?: string | null;
  preset?: 'recommended' | 'strict' | null;
  reportUnusedDirectives?: boolean;
  /** Apply fixes: 'safe' ones, or 'unsafe' ones too. */
  fix?: 'safe' | 'unsafe' | null;
  engine?: Engine;
  /** `--cache`: the cache file (relative to cwd). */
  cache?: string | null;
  shard?: Shard | null;
  /** Worker threads: a number (0, the default: none), or 'auto' (by core count and file count). */
  concurrency?: number | 'auto';
}

export interface ScanResult {
  report: JsonReport;
  /** Problems fixed and written back to disk. */
  fixed: number;
  /** Messages for stderr that do not fail the run (the cache could not be written). */
  notices: string[];
}

/** Throws ConfigError when a configuration file is invalid. */
export async function scan(paths: string[], cwd: string, options: ScanOptions): Promise<ScanResult> {
  const absolute = paths.map((p) => resolve(cwd, p));
  // Paths in the report are relative to the one directory scanned, or to the working directory.
  const root = absolute.length === 1 && isDirectory(absolute[0]) ? absolute[0] : cwd;
  // The engine (Python grammar, and later TypeScript and the tokenizer) loads on the first file
  // that needs analysing: a run answered from the cache never loads it.
  let loaded: Awaited<ReturnType<typeof loadEngine>> | null = options.engine ? { engine: options.engine, pythonError: null } : null;
  const engine = async (): Promise<Engine> => (loaded ??= await loadEngine()).engine;
  const configs = new ConfigResolver(options.configFile ? resolve(cwd, options.configFile) : null);
  const found = await discover(root, absolute);
  const files = options.shard ? shardOf(found.files, options.shard) : found.files;
  const cache = options.cache ? ResultCache.open(resolve(cwd, options.cache), buildId(TOOL_VERSION, __filename)) : null;
  const sources = new FsProjectSources(root);
  const usage = loadUsage(options.usageFile ? resolve(cwd, options.usageFile) : join(root, USAGE_FILE), !!options.usageFile);
  // One settings object per config, shared by its files (the cache hashes it once per object).
  const withRunOptions = new Map<Settings, Settings>();
  const settingsOf = (base: Settings): Settings => {
    let settings = withRunOptions.get(base);
    if (!settings) {
      settings = {
        ...base,
        holeTokens: { ...base.holeTokens, ...usage.holes },
        preset: options.preset ?? base.preset,
        reportUnusedDirectives: options.reportUnusedDirectives || base.reportUnusedDirectives,
      };
      withRunOptions.set(base, settings);
    }
    return settings;
  };
  const errors: FileIssue[] = [];
  const skipped = [...found.skipped];
  let bytes = 0;
  let fixed = 0;
  // Read every file and answer what the cache can; the rest is analysed below (on workers, if asked for and worth it).
  type Slot = { f: (typeof files)[number]; stamp: FileStamp; settings: Settings; text: string; warning: string | null; result: FileResult | null };
  const slots: Slot[] = [];
  for (const f of files) {
    const config = configs.forFile(f.path);
    if (!config.includes(f.path)) continue;
    const settings = settingsOf(config.settings);
    // Only the cache trusts a file by its size and time without reading it; a plain run learns both from the read.
    const stat = cache && !options.fix ? statSync(f.path, { throwIfNoEntry: false }) : undefined;
    const unread = stat && stat.size <= options.maxFileBytes ? cache?.unreadResult(f.path, root, stat, settings) : null;
    if (stat && unread) {
      bytes += stat.size;
      slots.push({ f, stamp: stat, settings, text: '', warning: null, result: unread });
      continue;
    }
    const source = readSource(f.path, options.maxFileBytes);
    if (!source.ok) {
      skipped.push({ file: f.rel, reason: source.reason });
      continue;
    }
    bytes += source.stamp.size;
    slots.push({ f, stamp: source.stamp, settings, text: source.text, warning: source.warning, result: cache?.get(f.path, root, source.text, settings) ?? null });
  }
  const analyseWith = (eng: Engine, slot: Slot, text: string, needsParse?: boolean): FileResult =>
    analyzeFile({ path: slot.f.rel, text }, eng, slot.settings, { sources, budget: FILE_TIME_BUDGET, needsParse });
  const analyse = async (slot: Slot, text: string, needsParse?: boolean): Promise<FileResult> => {
    const analysed = analyseWith(await engine(), slot, text, needsParse);
    cache?.set(slot.f.path, root, slot.stamp, text, slot.settings, analysed);
    return analysed;
  };
  const pending = slots.filter((slot) => !slot.result);
  const plan = await workerPlan(pending, options, async () => (await engine()).catalog);
  // Files to parse may go to worker threads; the rest (no SDK in them, prompt files) are answered here at once.
  const toParse = new Set(plan?.toParse);
  const onWorkers = plan?.script ? toParse : new Set<Slot>();
  // With a plan, needsParse has been asked already: its answer goes along.
  for (const slot of pending) if (!onWorkers.has(slot)) slot.result = await analyse(slot, slot.text, plan ? toParse.has(slot) : undefined);
  if (plan?.script) {
    const eng = await engine();
    const { toParse } = plan;
    const jobs = toParse.map((slot) => ({ rel: slot.f.rel, text: slot.text, settings: slot.settings }));
    const done = await analyseInWorkers(jobs, root, plan.threads, plan.script, (i) => analyseWith(eng, toParse[i], toParse[i].text, true));
    toParse.forEach((slot, i) => {
      slot.result = done[i];
      cache?.set(slot.f.path, root, slot.stamp, slot.text, slot.settings, done[i]);
    });
  }
  const results: FileResult[] = [];
  for (const slot of slots) {
    let result = slot.result!;
    if (options.fix && !result.cellOffsets) {
      const applied = applyFixes(slot.text, result.diagnostics, options.fix);
      if (applied.count) {
        await writeFile(slot.f.path, applied.text);
        fixed += applied.count;
        result = await analyse(slot, applied.text);
      }
    }
    if (slot.warning) result.warnings.unshift({ file: slot.f.rel, message: slot.warning });
    if (result.errors.length) errors.push(...result.errors);
    results.push(result);
  }
  if (loaded?.pythonError) errors.push({ file: '(python grammar)', message: loaded.pythonError });
  const notices: string[] = [];
  if (cache) {
    // A shard saw only its part: keep the other parts' entries.
    if (!options.shard) cache.prune(root, new Set(files.map((f) => f.path)));
    const failed = cache.save();
    if (failed) notices.push(failed);
  }
  const prices = loaded ? pricesFor(loaded.engine, DEFAULT_SETTINGS) : new Prices(PRICE_TABLE);
  const report = buildReport({
    projection: { ...projectResults(results, usage, prices), usageFile: usage.file ? relative(root, usage.file).split(sep).join('/') : null },
    root,
    pricing: { asOf: PRICE_TABLE.asOf, source: PRICE_TABLE.source },
    results,
    scanned: results.length,
    bytes,
    skipped,
    errors,
  });
  return { report, fixed, notices };
}

/**
 * When workers are asked for: the files to parse (`needsParse`, asked once per file), how many
 * workers, and their script, which is null when it is not worth starting any (every file is then
 * analysed in this thread, with the answer). Null when workers were not asked for.
 */
async function workerPlan<S extends { f: { rel: string }; text: string }>(pending: S[], options: ScanOptions, catalog: () => Promise<CatalogIndex>): Promise<{ toParse: S[]; threads: number; script: string | null } | null> {
  const asked = options.concurrency === 'auto' || (options.concurrency ?? 0) > 0;
  if (options.fix || !asked || !pending.length) return null;
  const index = await catalog();
  const toParse = pending.filter((slot) => needsParse(slot.f.rel, slot.text, index));
  const charsToParse = toParse.reduce((sum, slot) => sum + slot.text.length, 0);
  const threads = options.concurrency === 'auto' ? autoConcurrency(charsToParse) : Math.min(Number(options.concurrency), MAX_WORKERS);
  const script = threads > 0 && toParse.length > 1 ? workerScript() : null;
  return { toParse, threads, script };
}

/**
 * Part `index` of `count`: every count-th file in path order, so parts are the same on every
 * machine and about equal in size however the files are laid out.
 */
function shardOf<T extends { rel: string }>(files: T[], shard: Shard): T[] {
  return [...files].sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0)).filter((_, i) => i % shard.count === shard.index - 1);
}

/** The usage model; a missing default file is no usage, a broken one stops the run (exit 2). */
function loadUsage(path: string, explicit: boolean): UsageModel {
  const read = readUsageFile(path);
  if (!read) {
    if (explicit) throw new ConfigError([{ file: path, line: 1, column: 1, message: 'cannot read the usage file' }]);
    return EMPTY_USAGE;
  }
  if (read.problems.length) throw new ConfigError(read.problems);
  return read.usage;
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

async function check(cmd: Extract<Command, { kind: 'check' }>, io: CliIo): Promise<number> {
  const scanned = await scan(cmd.paths, io.cwd, {
      maxFileBytes: cmd.maxFileBytes,
      configFile: cmd.config,
      preset: cmd.preset,
      reportUnusedDirectives: cmd.reportUnusedDirectives,
      fix: cmd.unsafeFixes ? 'unsafe' : cmd.fix ? 'safe' : null,
      usageFile: cmd.usage,
      cache: cmd.cache,
      shard: cmd.shard,
      concurrency: cmd.concurrency,
    });
  const { report, fixed, notices } = scanned;
  for (const notice of notices) io.stderr(`llmlint: ${notice}\n`);
  if (fixed) io.stderr(`llmlint: fixed ${fixed} problem${fixed === 1 ? '' : 's'}\n`);
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
  const monthly = report.projection.monthlyCostUsd;
  if (cmd.budget !== null && monthly !== null && monthly > cmd.budget) {
    io.stderr(`llmlint: projected monthly cost ${formatUsd(monthly)} exceeds the budget of ${formatUsd(cmd.budget)}\n`);
    return 1;
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
