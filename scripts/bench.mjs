// Benchmark: a full cold scan of a repository with the built CLI, next to `rg -l` for the same
// markers on the same tree. Prints figures; asserts nothing.
//   npm run bench -- [path] [--runs N]
// Without a path it uses $LLMLINT_BENCH_REPO, else /work/bench-repos/continue when present.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 3;
const pathArg = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--runs');
const target = resolve(pathArg ?? process.env.LLMLINT_BENCH_REPO ?? '/work/bench-repos/continue');
if (!existsSync(target)) {
  console.error(`bench: ${target} does not exist. Pass a repository path: npm run bench -- /path/to/repo`);
  process.exit(2);
}

const cli = resolve('server/out/cli.js');
const out = join(mkdtempSync(join(tmpdir(), 'llmlint-bench-')), 'report.json');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function time(fn) {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

const walls = [];
for (let i = 0; i < runs; i++) {
  walls.push(time(() => {
    const r = spawnSync(process.execPath, [cli, 'check', target, '--format', 'json', '--output', out], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status === 2) throw new Error('llmlint run failed');
  }));
}
const report = JSON.parse(readFileSync(out, 'utf8'));
rmSync(out, { force: true });

// The same markers the prefilter uses, from the SDK catalogue.
const catalog = JSON.parse(readFileSync('pricing/sdks.json', 'utf8'));
const markers = new Set();
for (const s of catalog.sdks) s.markers.forEach((m) => markers.add(m));
for (const h of catalog.http) h.markers.forEach((m) => markers.add(m));

let rg = null;
try {
  execFileSync('rg', ['--version'], { stdio: 'ignore' });
  const rgArgs = ['-l', '-F', ...[...markers].flatMap((m) => ['-e', m]), '-g', '*.{py,ts,tsx,js,jsx,mjs,cjs,mts,cts,ipynb}', target];
  const rgWalls = [];
  for (let i = 0; i < runs; i++) rgWalls.push(time(() => spawnSync('rg', rgArgs, { stdio: 'ignore' })));
  rg = median(rgWalls);
} catch {
  rg = null;
}

const wall = median(walls);
const files = report.files.scanned;
const mb = report.files.bytes / 1e6;
const line = (k, v) => console.log(`${k.padEnd(34)} ${v}`);
console.log(`llmlint bench — ${target}`);
line('files analysed', files);
line('files skipped', report.files.skipped.length);
line('source analysed', `${mb.toFixed(1)} MB`);
line('call sites found', report.callSites.length);
line(`wall time (median of ${runs}, cold process)`, `${wall.toFixed(2)} s   [${walls.map((w) => w.toFixed(2)).join(', ')}]`);
line('throughput', `${(files / wall).toFixed(0)} files/s, ${(mb / wall).toFixed(1)} MB/s`);
if (rg !== null) {
  line('rg -l, same markers (median)', `${rg.toFixed(3)} s`);
  line('llmlint / rg', `${(wall / rg).toFixed(1)}×`);
} else {
  line('rg', 'not installed (apt-get install ripgrep) — no comparison');
}
