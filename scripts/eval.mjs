#!/usr/bin/env node
// Scores llmlint's call-site detection against the hand-labelled set in test/eval/.
//
//   node scripts/eval.mjs [--repo owner/name] [--min 0.9] [--results-dir DIR] [--save-dir DIR]
//                         [--cli PATH] [--json FILE] [--quiet]
//
// For each repository in test/eval/repos.json whose checkout exists under $LLMLINT_EVAL_DIR
// (default /work/eval-repos, one folder per repo named owner+name), runs
//   node server/out/cli.js check --format json --output <tmp> <checkout>
// reads callSites[] and matches them to the labels by (file, cell, line). Predictions that land
// on an `ambiguous` label are ignored. Prints TP/FP/FN, precision and recall per repo and overall
// (micro-averaged), with the FP and FN lists.
//
// Exit code: 0 (it is a report), except with --min X: 1 when overall precision or recall < X,
// when a repo's run failed, or when nothing was scored. 2 on bad arguments.
//
// Node 20, ESM, no dependencies.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const EVAL_DIR = path.join(ROOT, 'test', 'eval');
const CHECKOUTS = process.env.LLMLINT_EVAL_DIR || '/work/eval-repos';

function usage(msg) {
  if (msg) console.error(`eval: ${msg}`);
  console.error('usage: node scripts/eval.mjs [--repo owner/name] [--min 0.9] [--results-dir DIR] [--save-dir DIR] [--cli PATH] [--json FILE] [--quiet]');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { repo: null, min: null, resultsDir: null, saveDir: null, cli: path.join(ROOT, 'server', 'out', 'cli.js'), json: null, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => { if (i + 1 >= argv.length) usage(`${a} needs a value`); return argv[++i]; };
    if (a === '--repo') opts.repo = val();
    else if (a === '--min') { opts.min = Number(val()); if (!(opts.min >= 0 && opts.min <= 1)) usage('--min takes a number between 0 and 1'); }
    else if (a === '--results-dir') opts.resultsDir = path.resolve(val());
    else if (a === '--save-dir') opts.saveDir = path.resolve(val());
    else if (a === '--cli') opts.cli = path.resolve(val());
    else if (a === '--json') opts.json = path.resolve(val());
    else if (a === '--quiet' || a === '-q') opts.quiet = true;
    else if (a === '--help' || a === '-h') usage();
    else usage(`unknown argument ${a}`);
  }
  return opts;
}

const slug = (repo) => repo.replace('/', '+');
const normFile = (f, checkout) => {
  let s = String(f ?? '').replace(/\\/g, '/');
  const root = checkout.replace(/\\/g, '/').replace(/\/+$/, '');
  if (s.startsWith(root + '/')) s = s.slice(root.length + 1);
  return s.replace(/^\.\//, '');
};
const normCell = (c) => (c === null || c === undefined ? null : Number(c));
const keyOf = (file, cell, line) => `${file}#${cell ?? ''}:${line}`;
const where = (file, cell, line) => (cell === null || cell === undefined ? `${file}:${line}` : `${file}[cell ${cell}]:${line}`);
const ratio = (n, d) => (d === 0 ? null : n / d);
const fmt = (x) => (x === null ? 'n/a' : x.toFixed(3));

function inScannedPaths(file, scannedPaths) {
  if (!scannedPaths || scannedPaths.length === 0) return true;
  return scannedPaths.some((p) => {
    const q = p.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
    return q === '' || q === '.' || file === q || file.startsWith(q + '/');
  });
}

// Run the CLI (or read a saved result) and return { ok, callSites, error }.
function predictionsFor(entry, checkout, opts) {
  const name = `${slug(entry.repo)}.json`;
  if (opts.resultsDir) {
    const p = path.join(opts.resultsDir, name);
    if (!fs.existsSync(p)) return { ok: false, error: `no saved result ${p}` };
    return parseResult(fs.readFileSync(p, 'utf8'), p);
  }
  if (!fs.existsSync(opts.cli)) return { ok: false, error: `CLI not built: ${opts.cli} (run npm run build)` };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'llmlint-eval-'));
  const out = path.join(tmp, name);
  try {
    const started = Date.now();
    const r = spawnSync(process.execPath, [opts.cli, 'check', '--format', 'json', '--output', out, checkout], {
      cwd: ROOT, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, timeout: 30 * 60 * 1000,
    });
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    if (r.error) return { ok: false, error: `could not run the CLI: ${r.error.message}` };
    if (r.status !== 0 && r.status !== 1) {
      const tail = (r.stderr || r.stdout || '').trim().split('\n').slice(-5).join('\n    ');
      return { ok: false, error: `CLI exited ${r.status ?? r.signal} after ${secs}s${tail ? `:\n    ${tail}` : ''}` };
    }
    let text = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : null;
    if (text === null && r.stdout && r.stdout.trim().startsWith('{')) text = r.stdout; // tolerate a CLI that ignores --output
    if (text === null) return { ok: false, error: `CLI exited ${r.status} but wrote no JSON to ${out}` };
    if (opts.saveDir) { fs.mkdirSync(opts.saveDir, { recursive: true }); fs.writeFileSync(path.join(opts.saveDir, name), text); }
    const res = parseResult(text, out);
    res.seconds = Number(secs);
    return res;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function parseResult(text, source) {
  let data;
  try { data = JSON.parse(text); } catch (e) { return { ok: false, error: `${source} is not JSON: ${e.message}` }; }
  if (!data || !Array.isArray(data.callSites)) return { ok: false, error: `${source} has no callSites[] array` };
  return { ok: true, callSites: data.callSites, errors: Array.isArray(data.errors) ? data.errors.length : 0, filesScanned: data.files?.scanned };
}

function score(labels, callSites, checkout) {
  // Index labels by every line they accept (primary line and `alt` lines).
  const index = new Map(); // key -> { label, kind }
  for (const kind of ['calls', 'ambiguous']) {
    for (const lab of labels[kind] || []) {
      const cell = normCell(lab.cell);
      for (const line of [lab.line, ...(lab.alt || [])]) {
        const k = keyOf(lab.file, cell, line);
        if (index.has(k)) throw new Error(`labels for ${labels.repo}: ${k} appears twice`);
        index.set(k, { label: lab, kind });
      }
    }
  }
  const matched = new Set(); // labels (objects) already matched
  const seen = new Set(); // prediction keys already handled
  const tp = [], fp = [], ignored = [], duplicates = [], outside = [];
  for (const cs of callSites) {
    const file = normFile(cs.file, checkout);
    const cell = normCell(cs.cell);
    const line = Number(cs.line);
    const k = keyOf(file, cell, line);
    const pred = { file, cell, line, provider: cs.provider ?? '?', api: cs.api ?? '?' };
    if (!inScannedPaths(file, labels.scannedPaths)) { outside.push(pred); continue; }
    if (seen.has(k)) { duplicates.push(pred); continue; }
    seen.add(k);
    const hit = index.get(k);
    if (!hit) { fp.push(pred); continue; }
    if (hit.kind === 'ambiguous') { ignored.push({ ...pred, note: hit.label.note }); continue; }
    if (matched.has(hit.label)) { duplicates.push(pred); continue; } // second line of the same labelled call
    matched.add(hit.label);
    tp.push({ ...pred, note: hit.label.note });
  }
  const fn = (labels.calls || []).filter((lab) => !matched.has(lab));
  return { tp, fp, fn, ignored, duplicates, outside };
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const repos = JSON.parse(fs.readFileSync(path.join(EVAL_DIR, 'repos.json'), 'utf8'));
  const selected = opts.repo ? repos.filter((r) => r.repo.toLowerCase() === opts.repo.toLowerCase()) : repos;
  if (opts.repo && selected.length === 0) usage(`--repo ${opts.repo} is not in test/eval/repos.json (have: ${repos.map((r) => r.repo).join(', ')})`);

  const log = (...a) => { if (!opts.quiet) console.log(...a); };
  const total = { tp: 0, fp: 0, fn: 0, ignored: 0 };
  const results = [];
  let failed = 0, scored = 0, skipped = 0;

  for (const entry of selected) {
    const labels = JSON.parse(fs.readFileSync(path.join(EVAL_DIR, entry.labels), 'utf8'));
    const checkout = path.join(CHECKOUTS, slug(entry.repo));
    console.log(`\n== ${entry.repo} @ ${entry.commit.slice(0, 12)}  (${checkout})`);
    if (!opts.resultsDir && !fs.existsSync(checkout)) {
      console.log(`   SKIPPED: checkout missing — see test/eval/README.md to recreate it`);
      skipped++; results.push({ repo: entry.repo, status: 'skipped' });
      continue;
    }
    const pred = predictionsFor(entry, checkout, opts);
    if (!pred.ok) {
      console.log(`   FAILED: ${pred.error}`);
      failed++; results.push({ repo: entry.repo, status: 'failed', error: pred.error });
      continue;
    }
    const s = score(labels, pred.callSites, checkout);
    scored++;
    const P = ratio(s.tp.length, s.tp.length + s.fp.length), R = ratio(s.tp.length, s.tp.length + s.fn.length);
    total.tp += s.tp.length; total.fp += s.fp.length; total.fn += s.fn.length; total.ignored += s.ignored.length;
    const extra = [
      pred.seconds !== undefined ? `${pred.seconds}s` : null,
      pred.filesScanned !== undefined ? `${pred.filesScanned} files` : null,
      pred.errors ? `${pred.errors} file errors` : null,
      labels.scannedPaths && !(labels.scannedPaths.length === 1 && labels.scannedPaths[0] === '.') ? `scored paths: ${labels.scannedPaths.join(', ')}` : null,
    ].filter(Boolean).join(', ');
    console.log(`   TP ${s.tp.length}  FP ${s.fp.length}  FN ${s.fn.length}  precision ${fmt(P)}  recall ${fmt(R)}` +
      `   (ambiguous hits ignored ${s.ignored.length}, duplicate lines ${s.duplicates.length}, outside scored paths ${s.outside.length}${extra ? '; ' + extra : ''})`);
    if (s.fp.length) { log('   false positives:'); for (const p of s.fp) log(`     FP ${where(p.file, p.cell, p.line)}  ${p.provider} ${p.api}`); }
    if (s.fn.length) { log('   false negatives:'); for (const l of s.fn) log(`     FN ${where(l.file, normCell(l.cell), l.line)}  ${l.note}`); }
    results.push({
      repo: entry.repo, commit: entry.commit, status: 'scored', tp: s.tp.length, fp: s.fp.length, fn: s.fn.length,
      ignored: s.ignored.length, precision: P, recall: R,
      falsePositives: s.fp.map((p) => ({ file: p.file, cell: p.cell, line: p.line, provider: p.provider, api: p.api })),
      falseNegatives: s.fn.map((l) => ({ file: l.file, cell: normCell(l.cell), line: l.line, note: l.note })),
    });
  }

  const P = ratio(total.tp, total.tp + total.fp), R = ratio(total.tp, total.tp + total.fn);
  console.log(`\n== overall (${scored} scored, ${skipped} skipped, ${failed} failed)`);
  console.log(`   TP ${total.tp}  FP ${total.fp}  FN ${total.fn}  precision ${fmt(P)}  recall ${fmt(R)}   (ambiguous hits ignored ${total.ignored})`);
  if (opts.json) {
    fs.writeFileSync(opts.json, JSON.stringify({ overall: { ...total, precision: P, recall: R, scored, skipped, failed }, repos: results }, null, 2) + '\n');
  }

  if (opts.min !== null) {
    const reasons = [];
    if (scored === 0) reasons.push('nothing was scored');
    if (failed > 0) reasons.push(`${failed} run(s) failed`);
    if (scored > 0 && (P ?? 1) < opts.min) reasons.push(`precision ${fmt(P)} < ${opts.min}`);
    if (scored > 0 && (R ?? 1) < opts.min) reasons.push(`recall ${fmt(R)} < ${opts.min}`);
    if (reasons.length) { console.log(`   GATE FAILED: ${reasons.join('; ')}`); process.exit(1); }
    console.log(`   gate passed (min ${opts.min})`);
  }
  process.exit(0);
}

main();
