// Benchmark: cold full scans with the built CLI, each figure printed next to its target, all
// measured in this run. Prints figures; asserts nothing; downloads nothing.
//   npm run bench -- [repo ...] [--only real|eslint|synthetic[,…]] [--runs N] [--eslint-runs N]
//                    [--sizes 1,2,4] [--seed S] [--concurrency n|auto|off]
// Parts (all three without --only):
//   real       each repository: files, MB/s, call sites, wall time, peak RSS, next to `rg -l` for
//              the same LLM markers on the same tree (target: llmlint ≤ 30× rg).
//   eslint     ESLint (from node_modules) running one trivial rule (no-debugger) on the same
//              TS/JS files llmlint analyses, next to llmlint checking those same files (target:
//              ≥ 10× faster); on each repository, and on the synthetic 1× tree when the
//              synthetic part runs too. With fewer than 200 such files the figures are printed
//              without a verdict.
//   synthetic  scripts/gen-synthetic.mjs trees at 1×, 2×, 4× (~5,000 files at 1×): files/s per size
//              (target: files/s at 4× within ±25% of 1×).
// Repositories: the paths given, else $LLMLINT_BENCH_REPO (several separated by ':'), else
// /work/bench-repos/continue when present. Synthetic trees are generated into a temporary
// directory and removed, or kept and reused under $LLMLINT_BENCH_SYNTHETIC_DIR.
// Peak RSS and CPU time come from /usr/bin/time -v when present, else from the Node processes'
// own process.resourceUsage() (rg then has none). Each tool runs with its default concurrency
// (llmlint: worker threads, ESLint: one thread) unless --concurrency is given, which both get.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { delimiter, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { catalogMarkers } from './catalog-markers.mjs';
import { STAMP_FILE, generate, generatorSha1 } from './gen-synthetic.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

// ---------------------------------------------------------------------------------------------
// Arguments

const PARTS = ['real', 'eslint', 'synthetic'];
const args = process.argv.slice(2);
const VALUED = new Set(['--runs', '--eslint-runs', '--only', '--sizes', '--seed', '--concurrency']);
const opt = (name) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
for (const a of args) {
  if (a.startsWith('--') && !VALUED.has(a)) {
    console.error(`bench: unknown option ${a}`);
    process.exit(2);
  }
}
const runs = Math.max(1, Number(opt('--runs') ?? 3));
const eslintRuns = Math.max(1, Number(opt('--eslint-runs') ?? 1));
const seed = Number(opt('--seed') ?? 1);
const sizes = (opt('--sizes') ?? '1,2,4').split(',').map(Number).filter((n) => n > 0);
const concurrency = opt('--concurrency');
const concurrencyArgs = concurrency === undefined ? [] : ['--concurrency', concurrency];
const only = new Set((opt('--only') ?? PARTS.join(',')).split(',').map((s) => s.trim()).filter(Boolean));
for (const p of only) {
  if (!PARTS.includes(p)) {
    console.error(`bench: --only takes ${PARTS.join('|')} (comma-separated), not "${p}"`);
    process.exit(2);
  }
}
const pathArgs = args.filter((a, i) => !a.startsWith('--') && !VALUED.has(args[i - 1]));
let repos = pathArgs.length ? pathArgs : process.env.LLMLINT_BENCH_REPO ? process.env.LLMLINT_BENCH_REPO.split(delimiter).filter(Boolean) : existsSync('/work/bench-repos/continue') ? ['/work/bench-repos/continue'] : [];
repos = repos.map((r) => resolve(r));
const wantsRepos = only.has('real') || only.has('eslint');
for (const r of repos) {
  if (!existsSync(r)) {
    console.error(`bench: ${r} does not exist. Pass a repository path: npm run bench -- /path/to/repo`);
    process.exit(2);
  }
}
if (wantsRepos && !repos.length && !only.has('synthetic')) {
  console.error('bench: no repository. Pass one: npm run bench -- /path/to/repo (or --only synthetic)');
  process.exit(2);
}

const cli = join(repoRoot, 'server/out/cli.js');
if (!existsSync(cli)) {
  console.error('bench: server/out/cli.js is missing; run `npm run build` (npm run bench does).');
  process.exit(2);
}
const work = mkdtempSync(join(tmpdir(), 'llmlint-bench-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
let crashed = false;

// ---------------------------------------------------------------------------------------------
// Measuring a process: wall time here, CPU time and peak RSS from /usr/bin/time -v (or the
// Node process's own resource usage)

const TIME = existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-v', 'true'], { stdio: 'ignore' }).status === 0 ? '/usr/bin/time' : null;
const preload = join(work, 'resource-usage.cjs');
writeFileSync(preload, "process.on('exit', () => { try { require('fs').writeFileSync(process.env.LLMLINT_BENCH_RU, JSON.stringify(process.resourceUsage())); } catch {} });\n");
let seq = 0;

function measure(cmd, argv, { cwd, capture = false } = {}) {
  const ru = join(work, `ru-${seq++}`);
  let file = cmd;
  let full = argv;
  let env = process.env;
  if (TIME) {
    file = TIME;
    full = ['-v', '-o', ru, cmd, ...argv];
  } else if (cmd === process.execPath) {
    full = ['--require', preload, ...argv];
    env = { ...process.env, LLMLINT_BENCH_RU: ru };
  }
  const t0 = process.hrtime.bigint();
  const r = spawnSync(file, full, { cwd, env, stdio: ['ignore', capture ? 'pipe' : 'ignore', 'pipe'], maxBuffer: 1 << 30 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  let cpu = null;
  let rssMB = null;
  let signal = r.signal;
  if (existsSync(ru)) {
    const text = readFileSync(ru, 'utf8');
    if (TIME) {
      const num = (re) => Number(re.exec(text)?.[1] ?? NaN);
      cpu = num(/User time \(seconds\): ([\d.]+)/) + num(/System time \(seconds\): ([\d.]+)/);
      rssMB = num(/Maximum resident set size \(kbytes\): (\d+)/) / 1024;
      signal ??= /Command terminated by signal (\d+)/.exec(text)?.[1] ?? null;
    } else {
      const u = JSON.parse(text);
      cpu = (u.userCPUTime + u.systemCPUTime) / 1e6;
      rssMB = u.maxRSS / 1024;
    }
    rmSync(ru, { force: true });
  }
  if (r.error) throw r.error;
  return { wall, cpu: Number.isFinite(cpu) ? cpu : null, rssMB: Number.isFinite(rssMB) ? rssMB : null, status: r.status, signal, stdout: r.stdout?.toString() ?? '', stderr: r.stderr?.toString() ?? '' };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const medianOf = (ms, k) => (ms.every((m) => m[k] !== null) ? median(ms.map((m) => m[k])) : null);
const maxOf = (ms, k) => (ms.every((m) => m[k] !== null) ? Math.max(...ms.map((m) => m[k])) : null);
const s = (x, d = 2) => (x === null ? 'n/a' : `${x.toFixed(d)} s`);
const mbOf = (x) => (x === null ? 'n/a' : `${x.toFixed(0)} MB`);
const line = (k, v) => console.log(`  ${k.padEnd(44)} ${v}`);
const verdict = (ok) => (ok ? 'met' : 'MISSED');
const tail = (text, n = 15) => text.trim().split('\n').slice(-n).map((l) => `    | ${l}`).join('\n');

// ---------------------------------------------------------------------------------------------
// The tools

// Discovery exactly as the CLI does it (server/src/node/discover.ts, loaded through tsx): the
// file list ESLint gets and the directories rg skips.
let discovery = null;
async function loadDiscovery() {
  if (discovery) return discovery;
  const { tsImport } = await import('tsx/esm/api');
  const d = await tsImport(pathToFileURL(join(repoRoot, 'server/src/node/discover.ts')).href, import.meta.url);
  const a = await tsImport(pathToFileURL(join(repoRoot, 'server/src/core/analyze.ts')).href, import.meta.url);
  const source = await tsImport(pathToFileURL(join(repoRoot, 'server/src/node/source.ts')).href, import.meta.url);
  discovery = { discover: d.discover, excludes: d.DEFAULT_EXCLUDES, maxFileBytes: source.DEFAULT_MAX_FILE_BYTES, languageOf: a.languageOf };
  return discovery;
}

const hasRg = spawnSync('rg', ['--version'], { stdio: 'ignore' }).status === 0;
const markers = catalogMarkers();

async function llmlintScans(tree) {
  const out = join(work, 'report.json');
  // Both tools are timed with the OS file cache warm: one untimed pass over the tree first.
  if (hasRg) spawnSync('rg', await rgArgs(tree), { stdio: 'ignore' });
  const ms = [];
  for (let i = 0; i < runs; i++) {
    rmSync(out, { force: true });
    const m = measure(process.execPath, [cli, 'check', tree, '--format', 'json', '--output', out, ...concurrencyArgs]);
    if (m.status === 2 || m.signal || !existsSync(out)) {
      console.log(`  llmlint failed (exit ${m.status}${m.signal ? `, signal ${m.signal}` : ''}):\n${tail(m.stderr)}`);
      crashed = true;
      return null;
    }
    ms.push(m);
  }
  const report = JSON.parse(readFileSync(out, 'utf8'));
  rmSync(out, { force: true });
  return {
    walls: ms.map((m) => m.wall),
    wall: medianOf(ms, 'wall'),
    cpu: medianOf(ms, 'cpu'),
    rssMB: maxOf(ms, 'rssMB'),
    files: report.files.scanned,
    bytes: report.files.bytes,
    skipped: report.files.skipped.length,
    callSites: report.callSites.length,
    parseErrors: report.errors?.length ?? 0,
  };
}

// Like llmlint's walk: .gitignore files honoured in any tree (git repository or not), hidden
// directories entered, the default excludes skipped.
async function rgArgs(tree) {
  const { excludes } = await loadDiscovery();
  return ['-l', '-F', '--hidden', '--no-require-git', ...markers.flatMap((m) => ['-e', m]), '-g', '*.{py,pyi,ts,tsx,js,jsx,mjs,cjs,mts,cts,ipynb}', ...excludes.flatMap((e) => ['-g', `!${e}`]), tree];
}

async function rgScans(tree) {
  if (!hasRg) return null;
  const argv = await rgArgs(tree);
  const ms = [];
  for (let i = 0; i < runs; i++) ms.push(measure('rg', argv, { capture: true }));
  return { wall: medianOf(ms, 'wall'), cpu: medianOf(ms, 'cpu'), files: ms[0].stdout.split('\n').filter(Boolean).length };
}

function eslintBin() {
  try {
    const pkgPath = require.resolve('eslint/package.json');
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
    const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin.eslint;
    return { bin: join(dirname(pkgPath), bin), version: pkg.version, tsParser: pathToFileURL(require.resolve('@typescript-eslint/parser')).href };
  } catch {
    return null;
  }
}

/** ESLint with one trivial rule on the TS/JS files llmlint analyses in `tree`. */
async function eslintScans(tree) {
  const eslint = eslintBin();
  if (!eslint) return { missing: true };
  const { discover, maxFileBytes, languageOf } = await loadDiscovery();
  const found = await discover(tree, [tree]);
  // The CLI skips a file over the size limit when it reads it; ESLint gets the same files.
  const files = found.files.filter((f) => languageOf(f.path) === 'typescript' && statSync(f.path).size <= maxFileBytes).map((f) => `./${relative(tree, f.path)}`); // './': a name may start with '-'
  if (!files.length) return { files: 0 };
  const dir = mkdtempSync(join(work, 'eslint-'));
  const config = join(dir, 'eslint.config.mjs');
  writeFileSync(
    config,
    `import tsParser from ${JSON.stringify(eslint.tsParser)};
const basePath = ${JSON.stringify(tree)};
const TS = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];
const JS = ['**/*.js', '**/*.jsx', '**/*.mjs', '**/*.cjs'];
export default [
  { basePath, ignores: ['**/node_modules/'] },
  { basePath, files: [...TS, ...JS], linterOptions: { reportUnusedDisableDirectives: 'off' }, rules: { 'no-debugger': 'error' } },
  { basePath, files: JS, languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } } },
  { basePath, files: TS, languageOptions: { parser: tsParser } },
];
`,
  );
  const chunks = chunked(files);
  const walls = [];
  const cpuTimes = [];
  const rss = [];
  let linted = 0;
  let parseErrors = 0;
  let hits = 0;
  for (let run = 0; run < eslintRuns; run++) {
    let wall = 0;
    let cpu = 0;
    linted = parseErrors = hits = 0;
    for (const chunk of chunks) {
      const out = join(dir, 'out.json');
      rmSync(out, { force: true });
      const m = measure(process.execPath, [eslint.bin, '--config', config, '--no-warn-ignored', '--format', 'json', '--output-file', out, ...concurrencyArgs, ...chunk], { cwd: tree });
      // 0: no problems, 1: lint errors (fine); anything else is a crash or a bad configuration.
      if ((m.status !== 0 && m.status !== 1) || m.signal || !existsSync(out)) {
        crashed = true;
        return { crashed: true, status: m.status, signal: m.signal, stderr: m.stderr, version: eslint.version };
      }
      const results = JSON.parse(readFileSync(out, 'utf8'));
      linted += results.length;
      parseErrors += results.filter((r) => r.messages.some((x) => x.fatal)).length;
      hits += results.reduce((n, r) => n + r.messages.filter((x) => x.ruleId === 'no-debugger').length, 0);
      wall += m.wall;
      cpu = m.cpu === null || cpu === null ? null : cpu + m.cpu;
      if (m.rssMB !== null) rss.push(m.rssMB);
    }
    walls.push(wall);
    cpuTimes.push(cpu);
  }
  // llmlint checking the same files, given the same way.
  const lw = [];
  const lc = [];
  const lr = [];
  for (let run = 0; run < runs; run++) {
    let wall = 0;
    let cpu = 0;
    for (const chunk of chunks) {
      const out = join(dir, 'report.json');
      rmSync(out, { force: true });
      const m = measure(process.execPath, [cli, 'check', '--format', 'json', '--output', out, ...concurrencyArgs, ...chunk], { cwd: tree });
      if (m.status === 2 || m.signal || !existsSync(out)) {
        crashed = true;
        return { crashed: true, tool: 'llmlint', status: m.status, signal: m.signal, stderr: m.stderr, version: eslint.version };
      }
      wall += m.wall;
      cpu = m.cpu === null || cpu === null ? null : cpu + m.cpu;
      if (m.rssMB !== null) lr.push(m.rssMB);
    }
    lw.push(wall);
    lc.push(cpu);
  }
  const llmlint = { wall: median(lw), walls: lw, cpu: lc.every((c) => c !== null) ? median(lc) : null, rssMB: lr.length ? Math.max(...lr) : null };
  return { files: files.length, linted, parseErrors, hits, processes: chunks.length, wall: median(walls), cpu: cpuTimes.every((c) => c !== null) ? median(cpuTimes) : null, rssMB: rss.length ? Math.max(...rss) : null, version: eslint.version, llmlint };
}

/** One process unless the list would overflow the argument limit (then a few, times summed). */
function chunked(files) {
  const chunks = [[]];
  let len = 0;
  for (const f of files) {
    if (len + f.length + 1 > 512 * 1024) {
      chunks.push([]);
      len = 0;
    }
    chunks.at(-1).push(f);
    len += f.length + 1;
  }
  return chunks;
}

// ---------------------------------------------------------------------------------------------
// Reporting

const targets = []; // { target, where, figure, ok }
const scansByTree = new Map();

function printScan(scan) {
  const mb = scan.bytes / 1e6;
  line('files analysed', scan.files);
  line('files skipped', scan.skipped);
  line('source analysed', `${mb.toFixed(1)} MB`);
  line('call sites found', scan.callSites);
  line(`wall time (median of ${runs}, cold process)`, `${s(scan.wall)}   [${scan.walls.map((w) => w.toFixed(2)).join(', ')}]   cpu ${s(scan.cpu)}`);
  line('throughput', `${(scan.files / scan.wall).toFixed(0)} files/s, ${(mb / scan.wall).toFixed(1)} MB/s`);
  line('peak RSS (llmlint)', mbOf(scan.rssMB));
}

/** `check --cache` twice on the unchanged tree: the second run is the one a CI job with a restored cache does. */
function cachedScans(tree) {
  const cache = join(work, 'llmlintcache');
  const out = join(work, 'cached.json');
  rmSync(cache, { force: true });
  const args = [cli, 'check', tree, '--format', 'json', '--output', out, '--cache', '--cache-location', cache, ...concurrencyArgs];
  measure(process.execPath, args); // fills the cache
  const ms = [];
  for (let i = 0; i < runs; i++) ms.push(measure(process.execPath, args));
  rmSync(cache, { force: true });
  rmSync(out, { force: true });
  return { wall: medianOf(ms, 'wall'), cpu: medianOf(ms, 'cpu'), rssMB: maxOf(ms, 'rssMB') };
}

function printCached(label, tree, rg) {
  const cached = cachedScans(tree);
  line(`second run with --cache (median of ${runs})`, `${s(cached.wall)}   cpu ${s(cached.cpu)}   peak RSS ${mbOf(cached.rssMB)}`);
  if (!rg) return;
  const ratio = cached.wall / rg.wall;
  const ok = ratio <= 10;
  line('llmlint --cache / rg  [target ≤ 10×]', `${ratio.toFixed(1)}×   ${verdict(ok)}${ok ? '' : ` (${(ratio / 10).toFixed(1)}× over the target)`}`);
  targets.push({ target: 'cached re-run ≤ 10× rg -l', where: label, figure: `${ratio.toFixed(1)}×`, ok });
}

function printRg(label, scan, rg) {
  if (!rg) {
    line('rg', 'not installed (apt-get install ripgrep): no comparison');
    return;
  }
  line('rg -l, same markers (median)', `${rg.wall.toFixed(3)} s   cpu ${rg.cpu === null ? 'n/a' : `${rg.cpu.toFixed(3)} s`}   (${rg.files} files match)`);
  const ratio = scan.wall / rg.wall;
  const ok = ratio <= 30;
  line('llmlint / rg  [target ≤ 30×]', `${ratio.toFixed(1)}×   ${verdict(ok)}${ok ? '' : ` (${(ratio / 30).toFixed(1)}× over the target)`}${scan.cpu && rg.cpu ? `   (cpu: ${(scan.cpu / rg.cpu).toFixed(1)}×)` : ''}`);
  targets.push({ target: 'cold scan ≤ 30× rg -l', where: label, figure: `${ratio.toFixed(1)}×`, ok });
}

async function printEslint(label, tree, scan) {
  const e = await eslintScans(tree);
  if (e.missing) {
    line('ESLint', 'not installed (npm install): no comparison');
    return;
  }
  if (e.crashed) {
    line(e.tool ?? `ESLint ${e.version ?? ''}`, `CRASHED (exit ${e.status}${e.signal ? `, signal ${e.signal}` : ''})\n${tail(e.stderr)}`);
    return;
  }
  if (!e.files) {
    line('ESLint', 'no TS/JS files here: no comparison');
    return;
  }
  line(`ESLint ${e.version}, no-debugger (median of ${eslintRuns})`, `${s(e.wall)}   cpu ${s(e.cpu)}   peak RSS ${mbOf(e.rssMB)}${e.processes > 1 ? `   (${e.processes} processes)` : ''}`);
  line('  on', `${e.files} TS/JS files (${e.linted} linted, ${e.parseErrors} with a parse error, ${e.hits} debugger statements)`);
  const l = e.llmlint;
  line(`llmlint on the same files (median of ${runs})`, `${s(l.wall)}   [${l.walls.map((w) => w.toFixed(2)).join(', ')}]   cpu ${s(l.cpu)}   peak RSS ${mbOf(l.rssMB)}`);
  const ratio = e.wall / l.wall;
  const meaningful = e.files >= 200;
  const ok = ratio >= 10;
  const cpuRatio = e.cpu && l.cpu ? `   (cpu: ${(e.cpu / l.cpu).toFixed(1)}×)` : '';
  line('ESLint / llmlint  [target ≥ 10×]', `${ratio.toFixed(1)}×   ${meaningful ? `${verdict(ok)}${ok ? '' : ` (llmlint needs to be ${(10 / ratio).toFixed(1)}× faster)`}` : 'no verdict: fewer than 200 TS/JS files'}${cpuRatio}`);
  line('ESLint / llmlint whole-tree scan', `${(e.wall / scan.wall).toFixed(1)}×   (${scan.files} files in all languages, ${s(scan.wall)})`);
  if (meaningful) targets.push({ target: 'ESLint (1 rule) ≥ 10× llmlint', where: label, figure: `${ratio.toFixed(1)}×`, ok });
}

async function scanOnce(tree) {
  if (!scansByTree.has(tree)) scansByTree.set(tree, await llmlintScans(tree));
  return scansByTree.get(tree);
}

// ---------------------------------------------------------------------------------------------
// Run

const version = spawnSync(process.execPath, [cli, '--version']).stdout?.toString().trim();
const git = (...a) => spawnSync('git', a, { cwd: repoRoot }).stdout?.toString().trim() ?? '';
const head = git('rev-parse', '--short', 'HEAD');
const dirty = git('status', '--porcelain', '--', 'server', 'pricing').split('\n').filter(Boolean).length;
console.log(`llmlint bench — ${version}, node ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
if (head) console.log(`  built from ${head}${dirty ? ` + ${dirty} uncommitted file(s) under server/ and pricing/` : ''}`);
console.log(`  concurrency: ${concurrency === undefined ? 'each tool\'s default (off for both)' : `--concurrency ${concurrency} for llmlint and ESLint`}`);
console.log(`  parts: ${[...only].join(', ')}; ${runs} run(s) per llmlint/rg figure (median), ${eslintRuns} per ESLint figure; CPU time and peak RSS from ${TIME ? '/usr/bin/time -v' : 'process.resourceUsage() (no /usr/bin/time)'}`);
if (!hasRg) console.log('  rg not installed (apt-get install ripgrep): no rg comparison');

if (wantsRepos) {
  for (const repo of repos) {
    console.log(`\n== ${repo}`);
    const scan = await scanOnce(repo);
    if (!scan) continue;
    if (only.has('real')) {
      printScan(scan);
      const rg = await rgScans(repo);
      printRg(repo, scan, rg);
      printCached(repo, repo, rg);
    } else line(`llmlint wall time (median of ${runs})`, `${s(scan.wall)}   cpu ${s(scan.cpu)}   (${scan.files} files)`);
    if (only.has('eslint')) await printEslint(repo, repo, scan);
  }
}

let synthRoot = null;
let synthTemp = false;
function synthTree(scale) {
  if (!synthRoot) {
    synthTemp = !process.env.LLMLINT_BENCH_SYNTHETIC_DIR;
    synthRoot = synthTemp ? join(work, 'synthetic') : resolve(process.env.LLMLINT_BENCH_SYNTHETIC_DIR);
    mkdirSync(synthRoot, { recursive: true });
  }
  const dir = join(synthRoot, `x${scale}-seed${seed}`);
  const stamp = join(dir, STAMP_FILE);
  let reuse = false;
  try {
    const st = JSON.parse(readFileSync(stamp, 'utf8'));
    reuse = st.generatorSha1 === generatorSha1() && st.scale === scale && st.seed === seed;
  } catch {
    reuse = false;
  }
  if (reuse) return { dir, note: 'reused' };
  const t0 = Date.now();
  generate(dir, { scale, seed });
  return { dir, note: `generated in ${((Date.now() - t0) / 1000).toFixed(1)} s` };
}

if (only.has('synthetic')) {
  const synthSizes = sizes;
  console.log(`\n== synthetic repositories (scripts/gen-synthetic.mjs, seed ${seed}) under ${process.env.LLMLINT_BENCH_SYNTHETIC_DIR ? resolve(process.env.LLMLINT_BENCH_SYNTHETIC_DIR) : 'a temporary directory'}`);
  const rows = [];
  for (const scale of synthSizes) {
    const { dir, note } = synthTree(scale);
    console.log(`\n  -- ${scale}× (${dir}, ${note})`);
    const scan = await scanOnce(dir);
    if (!scan) continue;
    printScan(scan);
    printRg(`synthetic ${scale}×`, scan, await rgScans(dir));
    rows.push({ scale, scan });
    if (only.has('eslint') && scale === 1) await printEslint('synthetic 1×', dir, scan);
  }
  if (rows.length) {
    console.log('\n  size   files      MB   seconds   files/s   MB/s   cpu s   files/cpu s   peak RSS');
    for (const { scale, scan } of rows) {
      const mb = scan.bytes / 1e6;
      console.log(`  ${`${scale}×`.padEnd(4)} ${String(scan.files).padStart(7)} ${mb.toFixed(1).padStart(7)} ${scan.wall.toFixed(2).padStart(9)} ${(scan.files / scan.wall).toFixed(0).padStart(9)} ${(mb / scan.wall).toFixed(1).padStart(6)} ${scan.cpu === null ? '    n/a' : scan.cpu.toFixed(2).padStart(7)} ${scan.cpu === null ? '          n/a' : (scan.files / scan.cpu).toFixed(0).padStart(13)} ${mbOf(scan.rssMB).padStart(10)}`);
    }
    const first = rows.find((r) => r.scale === 1);
    const last = rows.find((r) => r.scale === 4);
    if (first && last) {
      const f1 = first.scan.files / first.scan.wall;
      const f4 = last.scan.files / last.scan.wall;
      const change = f4 / f1 - 1;
      // "Grows linearly": the time grows at most in proportion to the size, i.e. throughput at 4×
      // does not fall more than 25% below 1×'s. Throughput rising with size is the fixed start-up
      // cost spreading over more files (the fit below separates the two), not a failure.
      const ok = change >= -0.25;
      console.log('');
      line('files/s at 4× vs 1×  [target ≥ −25%]', `${f4.toFixed(0)} vs ${f1.toFixed(0)} files/s: ${change >= 0 ? '+' : ''}${(change * 100).toFixed(0)}%   linear: ${verdict(ok)}${first.scan.cpu && last.scan.cpu ? `   (per cpu second: ${((last.scan.files / last.scan.cpu / (first.scan.files / first.scan.cpu) - 1) * 100).toFixed(0)}%)` : ''}`);
      targets.push({ target: 'time ∝ size: 4× files/s ≥ 75% of 1×', where: 'synthetic', figure: `${change >= 0 ? '+' : ''}${(change * 100).toFixed(0)}%`, ok });
    }
    if (rows.length >= 2) {
      // Least-squares line through (files, seconds): the fixed cost and the cost per file.
      const fit = (k) => {
        const xs = rows.map((r) => r.scan.files);
        const ys = rows.map((r) => r.scan[k]);
        if (ys.some((y) => y === null)) return null;
        const mx = xs.reduce((a, b) => a + b) / xs.length;
        const my = ys.reduce((a, b) => a + b) / ys.length;
        const b = xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0);
        return { fixed: my - b * mx, perFile: b };
      };
      const show = (f) => (f ? `${f.fixed.toFixed(2)} s + ${(f.perFile * 1000).toFixed(3)} ms/file (marginal ${(1 / f.perFile).toFixed(0)} files/s)` : 'n/a');
      line('fit: wall time ≈', show(fit('wall')));
      line('fit: cpu time ≈', show(fit('cpu')));
    }
  }
}

if (targets.length) {
  console.log('\n== targets (this run)');
  for (const t of targets) console.log(`  ${t.target.padEnd(34)} ${t.where.padEnd(44)} ${t.figure.padStart(7)}   ${verdict(t.ok)}`);
}
if (crashed) {
  console.log('\nbench: a tool crashed (see above)');
  process.exitCode = 1;
}
