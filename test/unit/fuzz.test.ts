/**
 * Fuzzing: whatever a user's disk or editor holds — random bytes, files cut short, code nested
 * thousands of levels deep, a 5 MB minified bundle, invalid UTF-8, NUL bytes, CRLF and BOMs —
 * the core returns a result (problems are per-file `errors`/`warnings` with a clear message), the
 * CLI exits 0 or 1 and says what it skipped and why, and the language server keeps answering for
 * the other files. No timing assertions: a hang is caught by mocha's timeout.
 *
 * Deterministic: every random choice comes from a seeded PRNG (`SEED`).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, CodeLens, Hover, InlayHint } from 'vscode-languageserver/node';
import { analyzeFile, type Engine } from '../../server/src/core/analyze';
import { DocumentCache } from '../../server/src/core/languages/reuse';
import { DEFAULT_SETTINGS } from '../../server/src/core/settings';
import type { FileResult } from '../../server/src/core/types';
import { decodeSource } from '../../server/src/node/source';
import { cli } from '../helpers/cli';
import { lineOf, testEngine } from '../helpers/engine';
import { startInProcess, type InProcessServer } from '../helpers/lsp';

const SEED = 20240611;
const FIXTURES = join(__dirname, '..', 'fixtures');

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

/** mulberry32: small, fast, and the same sequence on every machine. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const int = (n: number): number => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  return { next, int, pick };
}
type Rng = ReturnType<typeof prng>;

const GOOD_PY = 'from openai import OpenAI\nclient = OpenAI()\nclient.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "Hi"}])\n';
const GOOD_TS = "import OpenAI from 'openai';\nconst client = new OpenAI();\nclient.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });\n";
const CALL_PY = 'openai.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hi"}], max_tokens=5)\n';
const CALL_TS = "import OpenAI from 'openai';\nconst c = new OpenAI();\nc.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 5 });\n";

/** Every kind of source the engine reads, by the path it is analysed under. */
const PATHS = ['r.py', 'r.ts', 'r.tsx', 'r.js', 'r.ipynb', 'r.prompty', 'r.prompt', 'r.prompt.yml'] as const;

function randomBytes(r: Rng, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = r.int(256);
  return out;
}

/** Any UTF-16 code units an editor might hand the server: lone surrogates, NUL, CR, U+FFFD, BOMs. */
function randomCodeUnits(r: Rng, n: number): string {
  const special = [0, 0xd800, 0xdfff, 0xfffd, 0xfeff, 13, 10, 9, 0x2028, 0x85];
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(r.next() < 0.1 ? r.pick(special) : r.int(0x10000));
  return s;
}

/** Syntax-shaped noise: the engine's own markers and keywords, brackets, quotes and indentation in random order. */
const SOUP = {
  python: [
    'import openai\n', 'from openai import OpenAI\n', 'client = OpenAI()\n', 'client.chat.completions.create(', 'openai.chat.completions.create(',
    'model=', '"gpt-4o"', 'max_tokens=', '100', 'messages=', '[', ']', '{', '}', '(', ')', ',', ':', '=', '"', "'", '"""', 'f"', '{x}',
    '\n', '    ', '\t', 'def f(x):\n', 'class C:\n', 'for x in y:\n', 'while True:\n', 'try:\n', 'except Exception:\n', 'return ', 'lambda: ',
    'self.', 'await ', 'async ', '# llmlint-disable-line\n', '\\\n', '\r\n', 'x', 'prompt', '**kw', '*a', '@decorator\n', 'with open("p.txt") as f:\n',
  ],
  typescript: [
    "import OpenAI from 'openai';\n", 'const client = new OpenAI();\n', 'client.chat.completions.create(', 'openai.chat.completions.create(',
    'model: ', "'gpt-4o'", 'max_tokens: ', '100', 'messages: ', '[', ']', '{', '}', '(', ')', ',', ':', ';', '=', '=>', '`', '${', "'", '"',
    '\n', '  ', 'function f(x) {', 'class C {', 'for (const x of y) {', 'while (true) {', 'try {', '} catch (e) {', 'return ', 'async ', 'await ',
    'this.', '<div>', '</div>', '<>', '/>', '// llmlint-disable-next-line\n', '/*', '*/', 'x', 'prompt', '...a', 'export ', 'import(', 'as any',
  ],
} as const;

function soup(r: Rng, language: 'python' | 'typescript', tokens: number): string {
  let s = '';
  for (let i = 0; i < tokens; i++) s += r.pick(SOUP[language]);
  return s;
}

/** A Jupyter notebook holding `code` in three code cells (with a markdown cell and a magic between). */
function notebookOf(code: string): string {
  const lines = code.split('\n');
  const third = Math.ceil(lines.length / 3);
  const cell = (part: string[]) => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: part.map((l, i) => (i < part.length - 1 ? `${l}\n` : l)) });
  const cells = [
    { cell_type: 'markdown', metadata: {}, source: ['# Notes\n', 'Not code.'] },
    cell(['%pip install openai', ...lines.slice(0, third)]),
    cell(lines.slice(third, 2 * third)),
    cell(lines.slice(2 * third)),
  ];
  return JSON.stringify({ cells, metadata: { kernelspec: { language: 'python', name: 'python3' }, language_info: { name: 'python' } }, nbformat: 4, nbformat_minor: 5 }, null, 1);
}

/** Where to cut a text: evenly spaced points and random ones, each once, ascending. */
function cutPoints(text: string, r: Rng, even: number, random: number): number[] {
  const points = new Set<number>();
  for (let i = 1; i < even; i++) points.add(Math.round((i * text.length) / even));
  for (let i = 0; i < random; i++) points.add(r.int(text.length));
  return [...points].sort((a, b) => a - b);
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/**
 * The real fixtures to cut up: the largest of each kind (more structure to break), and every prompt
 * file. `few`: one of each kind, for the slower sequences.
 */
function fixtures(few = false): Array<{ path: string; text: string }> {
  const all = walk(FIXTURES).map((path) => ({ path, text: readFileSync(path, 'utf8') }));
  const largest = (re: RegExp, n: number) => all.filter((f) => re.test(f.path) && !f.path.endsWith('.d.ts')).sort((a, b) => b.text.length - a.text.length || a.path.localeCompare(b.path)).slice(0, few ? 1 : n);
  const python = largest(/\.py$/, 2);
  return [
    ...python,
    ...largest(/\.ts$/, 2),
    ...largest(/\.tsx$/, 1),
    ...largest(/\.[cm]?jsx?$/, 2),
    ...largest(/(\.prompty|\.prompt|\.prompt\.ya?ml)$/, 10),
    // No notebook fixtures in the tree: the largest Python fixture, as a notebook.
    ...python.slice(0, 1).map((f) => ({ path: f.path.replace(/\.py$/, '.ipynb'), text: notebookOf(f.text) })),
  ];
}

/** The deepest inputs: 10,000 levels where the file stays small; indentation grows quadratically, so 1,000 there. */
const DEEP = 10_000;
function deepCases(): Array<{ name: string; path: string; text: string; call: boolean }> {
  const n = DEEP;
  const staircase = (levels: number, line: (i: number) => string, last: string) => {
    let s = 'import openai\n' + CALL_PY;
    for (let i = 0; i < levels; i++) s += ' '.repeat(i) + line(i) + '\n';
    return s + ' '.repeat(levels) + last + '\n';
  };
  const ts = (body: string) => `${CALL_TS}${body}\n`;
  const cells = (source: string, extra = '') => `{"cells": [{"cell_type": "code", "source": ${JSON.stringify(source)}}]${extra}}`;
  return [
    // Python: tree-sitter keeps its own stack; the lowering stops at a depth limit.
    { name: 'Python brackets', path: 'deep.py', text: `import openai\nx = ${'['.repeat(n)}${']'.repeat(n)}\n${CALL_PY}`, call: true },
    { name: 'Python parentheses', path: 'deep.py', text: `import openai\nx = ${'('.repeat(n)}1${')'.repeat(n)}\n${CALL_PY}`, call: true },
    { name: 'Python nested calls', path: 'deep.py', text: `import openai\nx = ${'f('.repeat(n)}1${')'.repeat(n)}\n${CALL_PY}`, call: true },
    { name: 'Python nested dicts', path: 'deep.py', text: `import openai\nx = ${'{"a": '.repeat(n)}1${'}'.repeat(n)}\n${CALL_PY}`, call: true },
    { name: 'Python unclosed brackets', path: 'deep.py', text: `import openai\n${CALL_PY}x = ${'(['.repeat(n)}\n`, call: true },
    { name: 'Python nested f-strings', path: 'deep.py', text: `import openai\n${CALL_PY}x = ${'f"{'.repeat(n)}x${'}"'.repeat(n)}\n`, call: true },
    { name: 'Python operator chain', path: 'deep.py', text: `import openai\n${CALL_PY}x = ${Array(n).fill('"ab"').join(' + ')}\n`, call: true },
    { name: 'Python not/unary chain', path: 'deep.py', text: `import openai\n${CALL_PY}x = ${'not -'.repeat(n)}1\n`, call: true },
    { name: 'Python attribute/call chain', path: 'deep.py', text: `import openai\n${CALL_PY}x = y${'.a()'.repeat(n)}\n`, call: true },
    // 1,000 nested blocks with a string at the bottom: past 511 the grammar's scanner overflowed its buffer.
    { name: 'Python indentation (if blocks, string at the bottom)', path: 'deep.py', text: staircase(1000, () => 'if x:', 'y = "s"'), call: false },
    { name: 'Python indentation (def blocks, call at the bottom)', path: 'deep.py', text: staircase(1000, (i) => `def f${i}():`, CALL_PY.trim()), call: false },
    { name: 'Python indentation with tabs', path: 'deep.py', text: `import openai\n${CALL_PY}` + Array.from({ length: 600 }, (_, i) => `${'\t'.repeat(i)}if x:\n`).join('') + `${'\t'.repeat(600)}y = 'x'\n`, call: false },
    // TypeScript: the parser recurses per level with or without brackets.
    { name: 'TypeScript brackets', path: 'deep.ts', text: ts(`const x = ${'['.repeat(n)}${']'.repeat(n)};`), call: false },
    { name: 'TypeScript unclosed braces', path: 'deep.ts', text: ts(`function f() ${'{'.repeat(n)}`), call: false },
    { name: 'TypeScript operator chain', path: 'deep.ts', text: ts(`const x = ${Array(n).fill("'ab'").join(' + ')};`), call: false },
    { name: 'TypeScript else-if chain', path: 'deep.ts', text: ts(`${'if (x) {} else '.repeat(n)}{}`), call: false },
    { name: 'TypeScript arrow chain', path: 'deep.ts', text: ts(`const x = ${'y => '.repeat(n)}1;`), call: false },
    { name: 'TypeScript unary chain', path: 'deep.ts', text: ts(`const x = ${'!'.repeat(n)}1;`), call: false },
    { name: 'TypeScript call chain', path: 'deep.ts', text: ts(`const x = y${'.a()'.repeat(n)};`), call: false },
    { name: 'TypeScript template literals', path: 'deep.ts', text: ts(`const x = ${'`${'.repeat(n)}1${'}`'.repeat(n)};`), call: false },
    { name: 'JSX elements', path: 'deep.tsx', text: ts(`const x = ${'<a>'.repeat(n)}${'</a>'.repeat(n)};`), call: false },
    { name: 'JavaScript nested functions', path: 'deep.js', text: ts(`${'function f() {'.repeat(n)}`), call: false },
    // Notebooks: JSON.parse reads any depth; the cells hold deep Python too.
    { name: 'notebook: nested JSON in the metadata', path: 'deep.ipynb', text: cells(`import openai\n${CALL_PY}`, `, "metadata": ${'{"a": '.repeat(n)}1${'}'.repeat(n)}`), call: true },
    { name: 'notebook: nested arrays among the cells', path: 'deep.ipynb', text: `{"cells": [${cells(`import openai\n${CALL_PY}`).slice(11, -2)}, ${'['.repeat(n)}${']'.repeat(n)}]}`, call: true },
    { name: 'notebook: the whole file nested arrays', path: 'deep.ipynb', text: `${'['.repeat(n)}${']'.repeat(n)}`, call: false },
    { name: 'notebook: deep brackets in a cell', path: 'deep.ipynb', text: cells(`import openai\nx = ${'['.repeat(n)}${']'.repeat(n)}\n${CALL_PY}`), call: true },
    { name: 'notebook: deep indentation in a cell', path: 'deep.ipynb', text: cells(staircase(1000, () => 'if x:', 'y = "s"')), call: false },
    // Prompt files: YAML front matter nested in flow and block style; an alias bomb.
    { name: 'prompty: nested flow sequences', path: 'deep.prompty', text: `---\nmodel: ${'['.repeat(n)}${']'.repeat(n)}\n---\nuser:\n{{q}}\n`, call: true },
    { name: 'prompty: nested flow mappings', path: 'deep.prompty', text: `---\nmodel: ${'{a: '.repeat(n)}1${'}'.repeat(n)}\n---\nuser:\n{{q}}\n`, call: true },
    { name: 'prompty: 1,000 nested block mappings', path: 'deep.prompty', text: `---\n${Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')} 1\n---\nuser: hi\n`, call: true },
    { name: 'prompt.yml: alias bomb', path: 'deep.prompt.yml', text: 'model: gpt-4o\na: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n', call: false },
    { name: 'dotprompt: deep Handlebars', path: 'deep.prompt', text: `---\nmodel: googleai/gemini-2.5-flash\n---\n${'{{#if a}}'.repeat(n)}x${'{{/if}}'.repeat(n)}\n`, call: true },
  ];
}

/** A 5 MB minified bundle (one line) with one call at the very end. */
function minifiedBundle(): string {
  const chunk = "var a=1,b=function(c){return c+1},d={e:[1,2,3],f:'g'};";
  return "import OpenAI from 'openai';const c=new OpenAI();" + chunk.repeat(Math.ceil(5_000_000 / chunk.length)) + "c.chat.completions.create({model:'gpt-4o',messages:[{role:'user',content:'Hi'}],max_tokens:9});";
}

/** Encodings and line ends: what the host hands the core after reading, and what an editor may hold. */
function encodingCases(): Array<{ name: string; path: string; text: string; line: number }> {
  const py = `import openai\n${CALL_PY}`;
  return [
    { name: 'Python with CRLF and a BOM', path: 'e.py', text: `\ufeff${py.replace(/\n/g, '\r\n')}`, line: 2 },
    { name: 'TypeScript with CRLF and a BOM', path: 'e.ts', text: `\ufeff${CALL_TS.replace(/\n/g, '\r\n')}`, line: 3 },
    { name: 'Python with old Mac line ends (CR only)', path: 'e.py', text: `x = 1\r${py}`, line: 3 },
    { name: 'Python with mixed line ends', path: 'e.py', text: `x = 1\r\ny = 2\r\n\n${py}`, line: 5 },
    { name: 'Python with NUL characters', path: 'e.py', text: `# \0\0\0\n${py}x = "\0"\n`, line: 3 },
    { name: 'TypeScript with NUL characters', path: 'e.ts', text: `// \0\n${CALL_TS}const x = '\0';\n`, line: 4 },
    { name: 'Python with U+FFFD (invalid UTF-8, decoded)', path: 'e.py', text: decodeText(Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9, 0xff, 0xc0, 0x80]), Buffer.from(`\n${py}`)])), line: 3 },
    { name: 'TypeScript with lone surrogates in the prompt', path: 'e.ts', text: CALL_TS.replace("content: 'Hi'", "content: 'H\ud800i\udc00 \ud83d'"), line: 3 },
    { name: 'Python with lone surrogates in the prompt', path: 'e.py', text: py.replace('"Hi"', '"H\ud800i\udfff"'), line: 2 },
    { name: 'Python with U+2028 and NEL in strings', path: 'e.py', text: `x = "\u2028\u0085"\n${py}`, line: 3 },
    { name: 'notebook with CRLF and a BOM', path: 'e.ipynb', text: `\ufeff${notebookOf(py).replace(/\n/g, '\r\n')}`, line: 2 },
    { name: 'prompty with CRLF and a BOM', path: 'e.prompty', text: '\ufeff---\r\nmodel:\r\n  configuration:\r\n    name: gpt-4o\r\n---\r\nsystem:\r\nBe brief.\r\nuser:\r\n{{q}}\r\n', line: 2 },
  ];
}

function decodeText(bytes: Uint8Array): string {
  const read = decodeSource(bytes);
  assert.ok(read.ok);
  return read.text;
}

// ---------------------------------------------------------------------------------------------
// What must hold
// ---------------------------------------------------------------------------------------------

/** An internal failure leaking out as a message is a bug, not a clear message. */
const INTERNAL = /Cannot read propert|is not a function|is not iterable|is not defined|Maximum call stack|out of bounds|unreachable|Invalid (array|string) length|\[object Object\]/;

/** A result a user can be shown: per-file problems with a message, spans inside the text, finite numbers. */
function checkResult(path: string, result: FileResult, what: string): void {
  const where = `${what} (${path})`;
  assert.equal(result.file, path, where);
  for (const key of ['callSites', 'diagnostics', 'errors', 'warnings'] as const) assert.ok(Array.isArray(result[key]), `${where}: ${key}`);
  for (const issue of [...result.errors, ...result.warnings]) {
    assert.equal(issue.file, path, where);
    assert.ok(typeof issue.message === 'string' && issue.message.trim().length > 0, `${where}: empty message`);
    assert.doesNotMatch(issue.message, INTERNAL, `${where}: an internal failure leaked out`);
  }
  if (result.errors.length) assert.equal(result.callSites.length, 0, `${where}: a failed file reports no half-results`);
  const length = result.text.length;
  const inText = (s: { start: number; end: number }) => Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.start <= s.end && s.end <= length;
  for (const site of result.callSites) {
    assert.ok(inText(site.span), `${where}: call span ${JSON.stringify(site.span)} outside 0..${length}`);
    const e = site.estimate;
    for (const n of [e.inputTokens.expected, e.outputTokens.expected]) assert.ok(Number.isFinite(n) && n >= 0, `${where}: token count ${n}`);
    for (const c of [e.costPerCallUsd.expected, e.costPerCallUsd.worstCase, e.outputTokens.worstCase]) assert.ok(c === null || (Number.isFinite(c) && c >= 0), `${where}: ${c}`);
  }
  for (const d of result.diagnostics) {
    assert.ok(inText(d.span), `${where}: diagnostic ${d.rule} span ${JSON.stringify(d.span)} outside 0..${length}`);
    assert.ok(d.message && d.rule, where);
    for (const edit of d.fix?.edits ?? []) assert.ok(inText(edit.span), `${where}: fix edit outside the text`);
  }
}

/** What a user sees of a result: everything but the text it came from. */
function visible(result: FileResult): unknown {
  return JSON.parse(JSON.stringify({ ...result, text: undefined }));
}

/** The shared engine (and its one Python parser) still analyses good files after whatever came before. */
function assertEngineHealthy(engine: Engine, after: string): void {
  const py = analyzeFile({ path: 'good.py', text: GOOD_PY }, engine, DEFAULT_SETTINGS);
  const ts = analyzeFile({ path: 'good.ts', text: GOOD_TS }, engine, DEFAULT_SETTINGS);
  for (const r of [py, ts]) {
    assert.deepEqual(r.errors, [], `after ${after}: ${r.file} fails`);
    assert.deepEqual(r.callSites.map((s) => lineOf(r.text, s.span.start)), [3], `after ${after}: ${r.file}'s call is not found`);
  }
}

function analyzeChecked(engine: Engine, path: string, text: string, what: string, cache?: DocumentCache): FileResult {
  let result: FileResult;
  try {
    result = analyzeFile({ path, text }, engine, DEFAULT_SETTINGS, { cache });
  } catch (err) {
    assert.fail(`${what} (${path}): analyzeFile threw: ${err instanceof Error ? err.stack : String(err)}`);
  }
  checkResult(path, result, what);
  return result;
}

/** Why a deep file is not analysed, in the engine's words (too deep; an alias bomb; a "notebook" that is only arrays). */
const DEEP_REASON = /too deep|nests too deeply|resource exhaustion|JSON|notebook/;

// ---------------------------------------------------------------------------------------------
// The core
// ---------------------------------------------------------------------------------------------

describe('fuzz: the core', function () {
  let engine: Engine;
  before(async () => {
    engine = await testEngine();
  });

  it('random bytes and random UTF-16 in every kind of file', () => {
    const r = prng(SEED);
    for (let i = 0; i < 16; i++) {
      for (const path of PATHS) {
        // As the CLI reads them (decoded, U+FFFD for invalid bytes), then as an editor may hold them.
        const bytes = randomBytes(r, 1 + r.int(1500));
        const decoded = new TextDecoder().decode(bytes);
        const units = randomCodeUnits(r, 1 + r.int(1500));
        const marker = path.endsWith('.py') ? CALL_PY : path.endsWith('.ipynb') || path.includes('.prompt') ? '' : CALL_TS;
        for (const text of [decoded, units, decoded + marker, marker + units]) analyzeChecked(engine, path, text, `random input #${i}`);
      }
    }
    assertEngineHealthy(engine, 'random input');
  });

  it('random token soup: syntax-shaped noise in code, notebooks and prompt files', () => {
    const r = prng(SEED + 1);
    for (let i = 0; i < 40; i++) {
      const py = soup(r, 'python', 20 + r.int(200));
      const ts = soup(r, 'typescript', 20 + r.int(200));
      analyzeChecked(engine, 'soup.py', py, `soup #${i}`);
      analyzeChecked(engine, 'soup.ts', ts, `soup #${i}`);
      analyzeChecked(engine, 'soup.tsx', ts, `soup #${i}`);
      analyzeChecked(engine, 'soup.ipynb', notebookOf(py), `soup #${i}`);
      analyzeChecked(engine, 'soup.prompty', `---\nmodel:\n  configuration:\n    name: ${py.slice(0, 40)}\n---\n${ts}`, `soup #${i}`);
      analyzeChecked(engine, 'soup.prompt.yml', `model: gpt-4o\nmessages:\n  - role: user\n    content: ${ts}`, `soup #${i}`);
    }
    assertEngineHealthy(engine, 'token soup');
  });

  it('notebooks of odd shape: cells, sources and metadata of every JSON type', () => {
    const r = prng(SEED + 8);
    const values = ['null', '5', '"x"', '[]', '{}', '[1, null, {"a": 1}]', 'true', JSON.stringify(CALL_PY), JSON.stringify(['import openai\n', CALL_PY])];
    for (let i = 0; i < 60; i++) {
      const cell = `{"cell_type": ${r.pick(['"code"', '"markdown"', '"raw"', 'null', '5'])}, "source": ${r.pick(values)}}`;
      const metadata = `{"kernelspec": {"language": ${r.pick(values)}}, "language_info": {"name": ${r.pick([...values, '"Python"', '"R"'])}}}`;
      const cells = Array.from({ length: 1 + r.int(4) }, () => (r.next() < 0.8 ? cell : r.pick(values))).join(', ');
      const text = r.next() < 0.2 ? `{"cells": ${r.pick(values)}}` : `{"cells": [${cells}], "metadata": ${r.next() < 0.2 ? r.pick(values) : metadata}}`;
      analyzeChecked(engine, 'odd.ipynb', text, `odd notebook ${text.slice(0, 120)}`);
    }
  });

  it('real fixtures cut at many points (.py, .ts, .tsx, .js, .ipynb, prompt files)', () => {
    const r = prng(SEED + 2);
    const files = fixtures();
    for (const ext of ['.py', '.ts', '.tsx', '.js', '.ipynb', '.prompty', '.prompt', '.prompt.yml']) {
      assert.ok(files.some((f) => f.path.endsWith(ext)), `a fixture ending in ${ext}`);
    }
    let withCalls = 0;
    for (const f of files) {
      const rel = relative(FIXTURES, f.path);
      const full = analyzeChecked(engine, rel, f.text, 'the whole fixture');
      assert.deepEqual(full.errors, [], rel);
      for (const [i, at] of cutPoints(f.text, r, 16, 4).entries()) {
        const cut = analyzeChecked(engine, rel, f.text.slice(0, at), `cut at ${at}/${f.text.length}`);
        if (cut.callSites.length) withCalls++;
        if (rel.endsWith('.ipynb') && cut.errors.length) assert.match(cut.errors[0].message, /JSON|notebook/, `${rel} cut at ${at}`);
        // The tail on its own: a file that starts mid-token.
        if (i % 2) analyzeChecked(engine, rel, f.text.slice(at), `tail from ${at}/${f.text.length}`);
      }
    }
    assert.ok(withCalls > 40, `cuts still find the calls before the cut (${withCalls})`);
    assertEngineHealthy(engine, 'truncated fixtures');
  });

  it('one DocumentCache fed truncations, garbage and the whole file again: the incremental path survives and stays exact', () => {
    const r = prng(SEED + 3);
    for (const f of fixtures(true).filter((x) => /\.(py|[cm]?[jt]sx?|ipynb)$/.test(x.path))) {
      const rel = relative(FIXTURES, f.path);
      const language = /\.(py|ipynb)$/.test(rel) ? 'python' : 'typescript';
      const cuts = cutPoints(f.text, r, 10, 4);
      // Typing forwards, deleting backwards, jumping around; garbage pasted in; back to the file.
      const sequence = [
        f.text,
        ...cuts.map((at) => f.text.slice(0, at)),
        ...[...cuts].reverse().map((at) => f.text.slice(0, at)),
        ...cuts.slice(0, 6).map(() => {
          const at = r.pick(cuts);
          return f.text.slice(0, at) + soup(r, language, 10) + f.text.slice(at);
        }),
        new TextDecoder().decode(randomBytes(r, 800)),
        randomCodeUnits(r, 800),
        f.text,
        `${language === 'python' ? 'x = ' : 'const x = '}${'['.repeat(DEEP)}${']'.repeat(DEEP)}\n${f.text}`,
        f.text.slice(0, cuts[0]) + '\0\0\0' + f.text.slice(cuts[0]),
        f.text.replace(/\n/g, '\r\n'),
        f.text,
      ];
      const cache = new DocumentCache();
      try {
        sequence.forEach((text, step) => {
          const incremental = analyzeChecked(engine, rel, text, `cached step ${step}`, cache);
          const fresh = analyzeFile({ path: rel, text }, engine, DEFAULT_SETTINGS);
          assert.deepEqual(visible(incremental), visible(fresh), `${rel}, step ${step}: the cached analysis differs from a fresh one`);
        });
      } finally {
        cache.dispose();
      }
    }
    assertEngineHealthy(engine, 'cached truncations');
  });

  describe('deep nesting', () => {
    for (const c of deepCases()) {
      it(c.name, () => {
        const result = analyzeChecked(engine, c.path, c.text, c.name);
        if (c.call) {
          assert.deepEqual(result.errors, [], c.name);
          assert.ok(result.callSites.length >= 1, `${c.name}: the call next to the nesting is still found`);
        } else if (result.errors.length) {
          assert.match(result.errors[0].message, DEEP_REASON, c.name);
        }
        // Through a DocumentCache too (the editor's path), after a good version of the file.
        const cache = new DocumentCache();
        try {
          const start = c.path.endsWith('.py') ? GOOD_PY : c.path.endsWith('.ipynb') ? notebookOf(GOOD_PY) : GOOD_TS;
          analyzeChecked(engine, c.path, start, `${c.name} (cache, before)`, cache);
          const cached = analyzeChecked(engine, c.path, c.text, `${c.name} (cache)`, cache);
          // Prompt files keep no parse state (and the YAML parser's overflow point depends on the stack in use).
          if (!/\.prompt/.test(c.path)) assert.deepEqual(visible(cached), visible(result), `${c.name}: cached and fresh analyses differ`);
          analyzeChecked(engine, c.path, start, `${c.name} (cache, after)`, cache);
        } finally {
          cache.dispose();
        }
        assertEngineHealthy(engine, c.name);
      });
    }

    it('a file importing from a module too deep to parse is still analysed', () => {
      const deep = `export const PROMPT = 'Hi';\nconst x = ${'['.repeat(DEEP)}${']'.repeat(DEEP)};\n`;
      const sources = {
        module: (_from: string, spec: string) => (spec === './deep' ? { path: 'deep.ts', text: deep } : null),
        file: () => null,
      };
      const text = "import OpenAI from 'openai';\nimport { PROMPT } from './deep';\nconst c = new OpenAI();\nc.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: PROMPT }], max_tokens: 5 });\n";
      const result = analyzeFile({ path: 'app.ts', text }, engine, DEFAULT_SETTINGS, { sources });
      checkResult('app.ts', result, 'importer of a deep module');
      assert.deepEqual(result.errors, []);
      assert.equal(result.callSites.length, 1);
      assert.deepEqual(result.dependencies, ['deep.ts'], 'an edit to the deep module still re-analyses the importer');
    });
  });

  // js-tiktoken's byte-pair merge is quadratic in the length of one pre-token, and a run of one
  // character is one pre-token: counted whole, 20,000 spaces took 30 s and 100,000 about 15 minutes.
  it('counts the tokens of a prompt holding a long run of one character', () => {
    for (const run of [' ', '=', 'a']) {
      const result = analyzeChecked(engine, 'run.py', `import openai\nopenai.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "x${run.repeat(100_000)}x"}], max_tokens=5)\n`, 'long run');
      assert.equal(result.callSites.length, 1);
    }
  });

  it('a 5 MB minified bundle on one line', () => {
    const text = minifiedBundle();
    const result = analyzeChecked(engine, 'bundle.min.js', text, '5 MB bundle');
    assert.deepEqual(result.errors, []);
    assert.equal(result.callSites.length, 1, 'the call at the very end');
    assert.ok(result.callSites[0].span.start > 5_000_000);
  });

  describe('encodings and line ends', () => {
    for (const c of encodingCases()) {
      it(c.name, () => {
        const result = analyzeChecked(engine, c.path, c.text, c.name);
        assert.deepEqual(result.errors, [], c.name);
        assert.equal(result.callSites.length, 1, c.name);
        // Lines as an editor counts them (CR, LF and CRLF each end one); notebooks count from their code text.
        const line = result.text.slice(0, result.callSites[0].span.start).split(/\r\n|\r|\n/).length;
        if (!c.path.endsWith('.ipynb')) assert.equal(line, c.line, `${c.name}: the call's line`);
      });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The CLI on a directory holding all of it
// ---------------------------------------------------------------------------------------------

describe('fuzz: the CLI on a directory of bad files', function () {
  /** `deep`: analysed, or an error saying it is too deep (the overflow point depends on the stack of the thread that analyses it). */
  type Expect = { kind: 'skipped' | 'error' | 'warning' | 'analysed' | 'deep'; match?: RegExp; lines?: number[] };
  const files = new Map<string, { content: string | Buffer; expect: Expect }>();
  let dir: string;
  let report: {
    files: { scanned: number; skipped: Array<{ file: string; reason: string }> };
    errors: Array<{ file: string; message: string }>;
    warnings: Array<{ file: string; message: string }>;
    callSites: Array<{ file: string; line: number; column: number }>;
  };
  const runs: Array<{ format: string; code: number; stderr: string }> = [];

  before(async function () {
    const r = prng(SEED + 4);
    const add = (name: string, content: string | Buffer, expect: Expect) => files.set(name, { content, expect });
    add('good.py', GOOD_PY, { kind: 'analysed', lines: [3] });
    add('good.ts', GOOD_TS, { kind: 'analysed', lines: [3] });
    // Random bytes: a NUL in the first 8 KB makes a file binary; without NULs it is invalid UTF-8.
    for (const ext of ['py', 'ts', 'ipynb', 'prompty']) {
      const bytes = Buffer.from(randomBytes(r, 3000));
      bytes[r.int(100)] = 0;
      add(`random.${ext}`, bytes, { kind: 'skipped', match: /^binary \(contains NUL bytes\)$/ });
      add(`random-no-nul.${ext}`, Buffer.from(bytes.map((b) => b || 1)), ext === 'ipynb' ? { kind: 'error', match: /could not be analysed: .*JSON/ } : { kind: 'warning', match: /invalid UTF-8/ });
    }
    add('utf16.py', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`import openai\n${CALL_PY}`, 'utf16le')]), { kind: 'skipped', match: /binary/ });
    add('late-nul.py', `import openai\n${CALL_PY}# ${'x'.repeat(9000)}\n# \0\n`, { kind: 'analysed', lines: [2] });
    add('latin1.py', Buffer.from(`import openai\n# caf\xe9\n${CALL_PY}`, 'latin1'), { kind: 'warning', match: /invalid UTF-8/, lines: [3] });
    const utf8 = Buffer.from(`import openai\n${CALL_PY}# ünïcödé`);
    add('cut-mid-character.py', utf8.subarray(0, utf8.length - 1), { kind: 'warning', match: /invalid UTF-8/, lines: [2] });
    add('crlf-bom.py', `\ufeffimport openai\r\n\r\n${CALL_PY.replace('\n', '\r\n')}`, { kind: 'analysed', lines: [3] });
    add('crlf-bom.ts', `\ufeff${CALL_TS.replace(/\n/g, '\r\n')}`, { kind: 'analysed', lines: [3] });
    add('crlf-bom.prompty', '\ufeff---\r\nmodel:\r\n  configuration:\r\n    name: gpt-4o\r\n---\r\nuser:\r\n{{q}}\r\n', { kind: 'analysed', lines: [2] });
    // Truncated fixtures of each kind.
    for (const f of fixtures()) {
      const ext = f.path.endsWith('.prompt.yml') ? 'prompt.yml' : extname(f.path).slice(1);
      const name = `cut-${files.size}.${ext}`;
      const cut = f.text.slice(0, Math.floor(f.text.length * 0.6));
      add(name, cut, ext === 'ipynb' ? { kind: 'error', match: /could not be analysed: .*JSON/ } : { kind: 'analysed' });
    }
    // Deep nesting: one of each kind of file.
    for (const c of deepCases().filter((x) => /brackets|indentation \(if|operator chain|JSX|metadata|flow sequences|alias/.test(x.name))) {
      const name = `deep-${files.size}-${c.path}`;
      if (files.has(name)) continue;
      add(name, c.text, c.call ? { kind: 'analysed' } : { kind: 'deep', match: DEEP_REASON });
    }
    // A good file importing a constant from a module too deep to parse.
    add('deep-module.ts', `export const PROMPT = 'Hi';\nconst x = ${'['.repeat(DEEP)}${']'.repeat(DEEP)};\n`, { kind: 'analysed' });
    add('importer.ts', "import OpenAI from 'openai';\nimport { PROMPT } from './deep-module';\nconst c = new OpenAI();\nc.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: PROMPT }], max_tokens: 5 });\n", { kind: 'analysed', lines: [4] });
    add('bundle.min.js', minifiedBundle(), { kind: 'skipped', match: /^too large \(4\.8 MiB > 1\.0 MiB limit\)$/ });
    add('broken.ipynb', '{"cells": [{"cell_type": "code", "source": "import openai\\nopenai.chat', { kind: 'error', match: /could not be analysed: .*JSON/ });

    dir = mkdtempSync(join(tmpdir(), 'llmlint-fuzz-'));
    for (const [name, { content }] of files) writeFileSync(join(dir, name), content);
    // The default run (worker threads), and the human format in this thread.
    for (const args of [['--format', 'json'], ['--concurrency', 'off']]) {
      const run = await cli(['check', '.', ...args], dir);
      runs.push({ format: args.join(' '), code: run.code, stderr: run.stderr });
      if (args[1] === 'json') report = JSON.parse(run.stdout);
    }
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 or 1, never 2', () => {
    for (const run of runs) assert.ok(run.code === 0 || run.code === 1, `${run.format}: exit ${run.code}\n${run.stderr}`);
  });

  it('accounts for every file: scanned, or skipped with a reason', () => {
    const skipped = new Set(report.files.skipped.map((s) => s.file));
    assert.equal(report.files.scanned + skipped.size, files.size, `scanned ${report.files.scanned}, skipped ${[...skipped].join(', ')}`);
    for (const s of report.files.skipped) assert.ok(s.reason.trim().length > 0, s.file);
  });

  it('reports each bad file where it belongs, with a clear message', () => {
    for (const [name, { expect }] of files) {
      const skipped = report.files.skipped.find((s) => s.file === name);
      const errors = report.errors.filter((e) => e.file === name);
      const warnings = report.warnings.filter((w) => w.file === name);
      for (const issue of [...errors, ...warnings]) assert.doesNotMatch(issue.message, INTERNAL, `${name}: ${issue.message}`);
      switch (expect.kind) {
        case 'skipped':
          assert.match(skipped?.reason ?? '(not skipped)', expect.match!, name);
          break;
        case 'error':
          assert.equal(skipped, undefined, name);
          assert.match(errors[0]?.message ?? '(no error)', expect.match!, name);
          break;
        case 'warning':
          assert.equal(skipped, undefined, name);
          assert.deepEqual(errors, [], name);
          assert.ok(warnings.some((w) => expect.match!.test(w.message)), `${name}: ${JSON.stringify(warnings)}`);
          break;
        case 'deep':
          assert.equal(skipped, undefined, name);
          if (errors.length) assert.match(errors[0].message, expect.match!, name);
          break;
        case 'analysed':
          assert.equal(skipped, undefined, name);
          assert.deepEqual(errors, [], name);
      }
    }
  });

  it('still reports the call sites in the good files next to them, on the right lines', () => {
    for (const [name, { expect }] of files) {
      if (!expect.lines) continue;
      assert.deepEqual(report.callSites.filter((c) => c.file === name).map((c) => c.line), expect.lines, name);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The language server
// ---------------------------------------------------------------------------------------------

describe('fuzz: the language server keeps answering', function () {
  let root: string;
  let lsp: InProcessServer;
  const uriOf = (rel: string) => pathToFileURL(join(root, rel)).toString();
  const versions = new Map<string, number>();

  const whole = { start: { line: 0, character: 0 }, end: { line: 1_000_000, character: 0 } };

  /** Opens or changes a document, then asks what an editor asks: every request must be answered. */
  async function show(uri: string, languageId: string, text: string): Promise<{ hints: InlayHint[] }> {
    const version = (versions.get(uri) ?? 0) + 1;
    versions.set(uri, version);
    if (version === 1) void lsp.client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
    else void lsp.client.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    // A request analyses the current version at once (no debounce wait) and publishes its diagnostics first.
    const hints: InlayHint[] = await lsp.client.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range: whole });
    assert.ok(Array.isArray(hints), `${uri}: inlay hints`);
    await lsp.diagnosticsFor(uri, () => lsp.published.get(uri)?.at(-1)?.version === version);
    const lines = text.split(/\r\n|\r|\n/);
    for (const position of [{ line: 0, character: 0 }, { line: lines.length - 1, character: lines.at(-1)!.length }, { line: lines.length >> 1, character: 3 }, { line: lines.length + 5, character: 99 }]) {
      const hover: Hover | null = await lsp.client.sendRequest('textDocument/hover', { textDocument: { uri }, position });
      assert.ok(hover === null || typeof hover === 'object');
    }
    const lenses: CodeLens[] = await lsp.client.sendRequest('textDocument/codeLens', { textDocument: { uri } });
    assert.ok(Array.isArray(lenses));
    const actions: CodeAction[] = await lsp.client.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: whole, context: { diagnostics: [] } });
    assert.ok(Array.isArray(actions));
    return { hints };
  }

  /** The good files, edited again: fresh diagnostics, a hint and a hover for their calls. */
  async function assertGoodFilesServed(after: string): Promise<void> {
    for (const [rel, languageId, text] of [['good.py', 'python', GOOD_PY], ['good.ts', 'typescript', GOOD_TS]] as const) {
      const uri = uriOf(rel);
      const edited = `${text}${rel.endsWith('.py') ? '#' : '//'} edit ${versions.get(uri) ?? 0}\n`;
      const { hints } = await show(uri, languageId, edited);
      const diagnostics = lsp.published.get(uri)!.at(-1)!.diagnostics;
      assert.ok(diagnostics.some((d) => d.code === 'unbounded-output' && d.range.start.line === 2), `after ${after}: ${rel}'s diagnostics`);
      assert.equal(hints.length, 1, `after ${after}: ${rel}'s inlay hint`);
      assert.match(String(hints[0].label), /^≈ \$[\d.]+\/call$/);
      const hover: Hover = await lsp.client.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 10 } });
      assert.match((hover?.contents as { value: string } | undefined)?.value ?? '', /Input tokens/, `after ${after}: ${rel}'s hover`);
    }
  }

  function close(uri: string): void {
    void lsp.client.sendNotification('textDocument/didClose', { textDocument: { uri } });
    versions.delete(uri);
  }

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'llmlint-fuzz-lsp-'));
    writeFileSync(join(root, 'good.py'), GOOD_PY);
    writeFileSync(join(root, 'good.ts'), GOOD_TS);
    lsp = await startInProcess(root);
    await assertGoodFilesServed('start-up');
  });

  after(() => {
    lsp?.client.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  afterEach(() => {
    const failures = lsp.logs.filter((l) => /analysis failed|Unhandled|Request .* failed/i.test(l.message));
    assert.deepEqual(failures, [], 'the server logged a failure');
  });

  const LANGUAGE: Record<string, string> = { py: 'python', ts: 'typescript', tsx: 'typescriptreact', js: 'javascript', ipynb: 'json', prompty: 'prompty', prompt: 'handlebars', yml: 'yaml' };
  const languageOf = (name: string) => LANGUAGE[name.split('.').pop()!] ?? 'plaintext';

  it('after each random document', async () => {
    const r = prng(SEED + 5);
    for (let i = 0; i < 12; i++) {
      const path = PATHS[i % PATHS.length].replace('r.', `random-${i}.`);
      const text = i % 3 === 0 ? randomCodeUnits(r, 2000) : i % 3 === 1 ? soup(r, path.endsWith('.py') ? 'python' : 'typescript', 300) : new TextDecoder().decode(randomBytes(r, 2000));
      await show(uriOf(path), languageOf(path), text);
      close(uriOf(path));
      await assertGoodFilesServed(path);
    }
  });

  it('after each deeply nested document', async () => {
    for (const [i, c] of deepCases().entries()) {
      const uri = uriOf(`deep-${i}-${c.path}`);
      await show(uri, languageOf(c.path), c.text);
      const problems = lsp.logs.filter((l) => l.message.startsWith(`deep-${i}-`)).map((l) => l.message);
      if (!c.call && problems.length) assert.match(problems.at(-1)!, DEEP_REASON, c.name);
      close(uri);
      await assertGoodFilesServed(c.name);
    }
  });

  it('after encodings, NUL characters, lone surrogates and line ends', async () => {
    for (const [i, c] of encodingCases().entries()) {
      const uri = uriOf(`enc-${i}-${c.path}`);
      const { hints } = await show(uri, languageOf(c.path), c.text);
      assert.equal(hints.length, 1, c.name);
      // A lone CR is a line end to an editor (LSP spec), not yet to the server: see the pending test below.
      if (!c.path.endsWith('.ipynb') && !/\r(?!\n)/.test(c.text)) assert.equal(hints[0].position.line, c.line - 1, `${c.name}: the hint's line`);
      close(uri);
    }
    await assertGoodFilesServed('encodings');
  });

  // LSP (and the editor) end lines at "\n", "\r\n" and a lone "\r".
  it('places hints after a lone CR on the line the editor shows', async () => {
    const uri = uriOf('lone-cr.py');
    const { hints } = await show(uri, 'python', `x = 1\ry = 2\rimport openai\n${CALL_PY}`);
    close(uri);
    assert.equal(hints[0]?.position.line, 3);
  });

  it('after a notebook cell of garbage (no file on disk)', async () => {
    const r = prng(SEED + 6);
    for (const languageId of ['python', 'typescript', 'javascript', 'markdown']) {
      const uri = `vscode-notebook-cell:/work/fuzz.ipynb#${languageId}`;
      await show(uri, languageId, soup(r, languageId === 'python' ? 'python' : 'typescript', 200));
      await show(uri, languageId, randomCodeUnits(r, 500));
      close(uri);
    }
    await assertGoodFilesServed('notebook cells');
  });

  it('while a document is cut down and grown again through its parse cache', async () => {
    const r = prng(SEED + 7);
    for (const f of fixtures(true).filter((x) => /\.(py|ts|tsx|js|ipynb|prompty)$/.test(x.path))) {
      const name = `typed-${relative(FIXTURES, f.path).replace(/[\\/]/g, '-')}`;
      const uri = uriOf(name);
      const cuts = cutPoints(f.text, r, 8, 4);
      for (const text of [f.text, ...cuts.map((at) => f.text.slice(0, at)), randomCodeUnits(r, 300), ...cuts.reverse().map((at) => f.text.slice(0, at)), f.text]) {
        await show(uri, languageOf(name), text);
      }
      // Back at the whole file: what a fresh analysis of it says.
      const fresh = analyzeFile({ path: name, text: f.text }, await testEngine(), DEFAULT_SETTINGS);
      const shown = lsp.published.get(uri)!.at(-1)!.diagnostics.map((d) => String(d.code)).sort();
      assert.deepEqual(shown, fresh.diagnostics.map((d) => d.rule).sort(), name);
      close(uri);
    }
    await assertGoodFilesServed('typing');
  });

  it('after a 5 MB minified bundle', async () => {
    const uri = uriOf('bundle.min.js');
    const { hints } = await show(uri, 'javascript', minifiedBundle());
    // Found, or given up on at the server's per-file time budget, with the reason in the log: either way, no hang.
    const gaveUp = lsp.logs.some((l) => /^bundle\.min\.js: .*(time budget|too large)/.test(l.message));
    assert.ok(hints.length === 1 || gaveUp, `the call at the end of the bundle: ${JSON.stringify(lsp.logs.slice(-3))}`);
    close(uri);
    await assertGoodFilesServed('the bundle');
  });
});
