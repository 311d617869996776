/** Command-line parsing. Bad arguments are a usage error (exit 2), reported with the help hint. */
import { DEFAULT_MAX_FILE_BYTES } from '../node/source';
import type { Swap } from '../core/whatif';

export type Format = 'stylish' | 'json' | 'sarif' | 'github';
const FORMATS: Format[] = ['stylish', 'json', 'sarif', 'github'];

export type Command =
  | {
      kind: 'check';
      paths: string[];
      format: Format;
      output: string | null;
      maxWarnings: number | null;
      quiet: boolean;
      color: boolean | null;
      maxFileBytes: number;
      config: string | null;
      preset: 'recommended' | 'strict' | null;
      fix: boolean;
      unsafeFixes: boolean;
      reportUnusedDirectives: boolean;
      usage: string | null;
      budget: number | null;
      /** The cache file when `--cache` is on. */
      cache: string | null;
      /** `--shard 2/3`: analyse only the second of three equal parts of the files. */
      shard: Shard | null;
      /** Worker threads: a count (0 = none) or 'auto'. */
      concurrency: number | 'auto';
    }
  | { kind: 'explain'; rule: string | null }
  | { kind: 'report'; paths: string[]; format: 'table' | 'markdown' | 'html' | 'json'; output: string | null; usage: string | null; budget: number | null; whatIf: WhatIf[] }
  | { kind: 'diff'; base: string; paths: string[]; format: 'markdown' | 'json'; output: string | null; usage: string | null; failOnIncrease: { percent: number } | { usd: number } | null }
  | { kind: 'usageInit'; path: string }
  | { kind: 'lsp' }
  | { kind: 'help' }
  | { kind: 'version' };

export class UsageError extends Error {}

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export const DEFAULT_CACHE_FILE = '.llmlintcache';

/** `--what-if gpt-4o=gpt-4o-mini` or `--what-if gpt-4o=gpt-4o-mini@checkout-assist`. */
export type WhatIf = Swap;

export const HELP = `llmlint — find LLM API calls, estimate what they cost, flag what fails under load

Usage:
  llmlint check [paths...] [options]   lint files and directories (default: .)
  llmlint explain [rule]               show a rule's documentation (no rule: list them)
  llmlint report [paths] [--format table|markdown|html|json] [--output F] [--usage F] [--budget USD]
                 [--what-if gpt-4o=gpt-4o-mini[@feature]]
                                       the projected monthly cost (HTML: one self-contained page)
  llmlint diff --base <git-ref> [paths] [--format markdown|json] [--fail-on-increase 10%|50]
                                       monthly cost change against a base commit (for pull requests)
  llmlint usage --init [path]          add every call site without volumes to llmlint.usage.yml
  llmlint lsp --stdio                  run the language server over stdio (for any LSP editor)
  llmlint --help | --version

Options for check:
  -f, --format <stylish|json|sarif|github>  output format (default: stylish)
  -o, --output <file>                      write the report to a file instead of stdout
  --max-warnings <n>                       exit 1 when there are more than n warnings
  --quiet                                  report errors only
  -c, --config <file>                      use this config instead of the nearest one
  --preset <recommended|strict>            override the config's preset
  --fix                                    apply safe fixes to the files
  --unsafe-fixes                           with --fix semantics, also apply unsafe fixes
  --report-unused-disable-directives       report suppression comments that suppress nothing
  --usage <file>                           call volumes (default: llmlint.usage.yml in the scanned directory)
  --budget <usd-per-month>                 exit 1 when the projected monthly cost exceeds it
  --max-file-size <bytes>                  skip larger files (default: 1048576)
  --cache                                  reuse results of files unchanged since the last run
  --cache-location <file>                  where the cache lives (default: .llmlintcache)
  --shard <i>/<n>                          analyse only part i of n (split a monorepo across CI
                                           jobs; the cost projection then covers that part)
  --concurrency <n|auto|off>               worker threads (default: off; auto:
                                           from 4 cores, one per core but one and per 4 MB of
                                           source to parse, up to 8)
  --color / --no-color                     force colours on or off (default: on for a terminal)

Exit codes: 0 no errors (and warnings within --max-warnings), 1 lint errors or too many
warnings or the budget exceeded, 2 the run failed (bad arguments, invalid config or usage file).

Configuration: the nearest llmlint.config.json, [tool.llmlint] in pyproject.toml, or an
"llmlint" key in package.json, found by walking up from each file.`;

export function parseArgs(argv: string[]): Command {
  if (!argv.length || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') return { kind: 'help' };
  if (argv[0] === '--version' || argv[0] === '-v') return { kind: 'version' };
  const [command, ...rest] = argv;
  if (command === 'lsp') return { kind: 'lsp' };
  if (command === 'report' || command === 'diff') return parseCostCommand(command, rest);
  if (command === 'usage') {
    if (rest[0] !== '--init') throw new UsageError('usage takes --init [path]');
    return { kind: 'usageInit', path: rest[1] ?? '.' };
  }
  if (command === 'explain') {
    if (rest.length > 1) throw new UsageError('explain takes at most one rule id');
    return { kind: 'explain', rule: rest[0] ?? null };
  }
  if (command !== 'check') throw new UsageError(`unknown command "${command}"`);
  const cmd: Extract<Command, { kind: 'check' }> = {
    kind: 'check', paths: [], format: 'stylish', output: null, maxWarnings: null, quiet: false, color: null, maxFileBytes: DEFAULT_MAX_FILE_BYTES,
    config: null, preset: null, fix: false, unsafeFixes: false, reportUnusedDirectives: false, usage: null, budget: null, cache: null, shard: null, concurrency: 0,
  };
  let cacheOn = false;
  let cacheLocation: string | null = null;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const value = (): string => {
      const v = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : rest[++i];
      if (v === undefined || v === '') throw new UsageError(`${arg.split('=')[0]} needs a value`);
      return v;
    };
    const name = arg.startsWith('--') && arg.includes('=') ? arg.slice(0, arg.indexOf('=')) : arg;
    switch (name) {
      case '-f':
      case '--format': {
        const f = value() as Format;
        if (!FORMATS.includes(f)) throw new UsageError(`unknown format "${f}" (expected ${FORMATS.join(', ')})`);
        cmd.format = f;
        break;
      }
      case '-o':
      case '--output':
        cmd.output = value();
        break;
      case '--max-warnings':
        cmd.maxWarnings = nonNegativeInt(value(), '--max-warnings');
        break;
      case '--max-file-size':
        cmd.maxFileBytes = nonNegativeInt(value(), '--max-file-size');
        break;
      case '--quiet':
        cmd.quiet = true;
        break;
      case '-c':
      case '--config':
        cmd.config = value();
        break;
      case '--preset': {
        const p = value();
        if (p !== 'recommended' && p !== 'strict') throw new UsageError(`unknown preset "${p}" (expected recommended, strict)`);
        cmd.preset = p;
        break;
      }
      case '--fix':
        cmd.fix = true;
        break;
      case '--unsafe-fixes':
        cmd.fix = true;
        cmd.unsafeFixes = true;
        break;
      case '--report-unused-disable-directives':
        cmd.reportUnusedDirectives = true;
        break;
      case '--usage':
        cmd.usage = value();
        break;
      case '--budget': {
        const v = Number(value());
        if (!Number.isFinite(v) || v < 0) throw new UsageError('--budget takes a monthly amount in USD ≥ 0');
        cmd.budget = v;
        break;
      }
      case '--color':
        cmd.color = true;
        break;
      case '--no-color':
        cmd.color = false;
        break;
      case '--cache':
        cacheOn = true;
        break;
      case '--cache-location':
        cacheLocation = value();
        break;
      case '--shard':
        cmd.shard = shard(value());
        break;
      case '--concurrency': {
        const v = value();
        cmd.concurrency = v === 'auto' ? 'auto' : v === 'off' ? 0 : nonNegativeInt(v, '--concurrency');
        break;
      }
      case '-h':
      case '--help':
        return { kind: 'help' };
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option "${arg}"`);
        cmd.paths.push(arg);
    }
  }
  if (!cmd.paths.length) cmd.paths.push('.');
  if (cacheOn) cmd.cache = cacheLocation ?? DEFAULT_CACHE_FILE;
  return cmd;
}

function shard(v: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(v);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!(index >= 1 && count >= 1 && index <= count)) throw new UsageError(`--shard takes <i>/<n> with 1 ≤ i ≤ n, such as 1/3 (got "${v}")`);
  return { index, count };
}

const REPORT_FORMATS = ['table', 'markdown', 'html', 'json'] as const;

function parseCostCommand(command: 'report' | 'diff', rest: string[]): Command {
  const paths: string[] = [];
  let format: string = command === 'report' ? 'table' : 'markdown';
  let output: string | null = null;
  let usage: string | null = null;
  let budget: number | null = null;
  let base: string | null = null;
  let failOnIncrease: { percent: number } | { usd: number } | null = null;
  const whatIf: WhatIf[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const value = (): string => {
      const v = rest[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    if (arg === '--format' || arg === '-f') format = value();
    else if (arg === '--output' || arg === '-o') output = value();
    else if (arg === '--usage') usage = value();
    else if (arg === '--budget' && command === 'report') budget = nonNegativeNumber(value(), '--budget');
    else if (arg === '--what-if' && command === 'report') {
      const m = /^([^=@]+)=([^=@]+)(?:@(.+))?$/.exec(value());
      if (!m) throw new UsageError('--what-if takes FROM=TO or FROM=TO@feature, e.g. gpt-4o=gpt-4o-mini');
      whatIf.push({ from: m[1], to: m[2], feature: m[3] ?? null });
    }
    else if (arg === '--base' && command === 'diff') base = value();
    else if (arg === '--fail-on-increase' && command === 'diff') {
      const v = value();
      failOnIncrease = v.endsWith('%') ? { percent: nonNegativeNumber(v.slice(0, -1), '--fail-on-increase') } : { usd: nonNegativeNumber(v.replace(/^\$/, ''), '--fail-on-increase') };
    } else if (arg.startsWith('-')) throw new UsageError(`unknown option "${arg}" for ${command}`);
    else paths.push(arg);
  }
  if (!paths.length) paths.push('.');
  if (command === 'report') {
    if (!(REPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown report format "${format}" (expected ${REPORT_FORMATS.join(', ')})`);
    return { kind: 'report', paths, format: format as (typeof REPORT_FORMATS)[number], output, usage, budget, whatIf };
  }
  if (!base) throw new UsageError('diff needs --base <git-ref>');
  if (format !== 'markdown' && format !== 'json') throw new UsageError(`unknown diff format "${format}" (expected markdown, json)`);
  return { kind: 'diff', base, paths, format, output, usage, failOnIncrease };
}

function nonNegativeNumber(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${flag} takes a number ≥ 0, got "${v}"`);
  return n;
}

function nonNegativeInt(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} takes a whole number ≥ 0, got "${v}"`);
  return n;
}
