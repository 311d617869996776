/** Bad input is reported per file and never stops the run. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli';
import { analyze } from '../helpers/engine';

const CALL_PY = 'openai.chat.completions.create(model="gpt-4o", messages=[], max_tokens=5)\n';

describe('bad input', () => {
  let dir: string;
  let report: {
    files: { skipped: Array<{ file: string; reason: string }> };
    errors: Array<{ file: string; message: string }>;
    warnings: Array<{ file: string; message: string }>;
    callSites: Array<{ file: string; line: number; column: number }>;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'llmlint-bad-'));
    const n = 10_000;
    const files: Record<string, string | Buffer> = {
      'ok.py': `import openai\n${CALL_PY}`,
      'broken.py': `import openai\n${CALL_PY}def f(:\n    pass\n`,
      'broken.ts': "import OpenAI from 'openai';\nconst c = new OpenAI();\nc.chat.completions.create({ model: 'gpt-4o', messages: [] });\nfunction (\n",
      'binary.py': Buffer.from([0x69, 0x6d, 0x70, 0x00, 0x01, 0xff]),
      'latin1.py': Buffer.from(`import openai\n# caf\xe9\n${CALL_PY}`, 'latin1'),
      'huge.js': 'var openai = 1;\n' + 'a=1;'.repeat(300_000),
      'minified.js': "import OpenAI from 'openai';const c=new OpenAI();" + 'var a=1,b=2;'.repeat(40_000) + "c.chat.completions.create({model:'gpt-4o',messages:[],max_tokens:9});",
      'deep.py': `import openai\nx = ${'['.repeat(n)}${']'.repeat(n)}\n${CALL_PY}`,
      'deep.ts': `import OpenAI from 'openai';\nconst x = ${'['.repeat(n)}${']'.repeat(n)};\nnew OpenAI().chat.completions.create({ model: 'gpt-4o', messages: [] });\n`,
      'notebook.ipynb': '{"cells": [',
      'crlf_bom.py': '\ufeffimport openai\r\n\r\n' + CALL_PY.replace('\n', '\r\n'),
    };
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    const run = await cli(['check', '.', '--format', 'json'], dir);
    assert.equal(run.code, 0, run.stderr);
    report = JSON.parse(run.stdout);
  });

  const sitesIn = (file: string) => report.callSites.filter((c) => c.file === file);

  it('analyses the good file alongside the bad ones', () => {
    assert.equal(sitesIn('ok.py').length, 1);
  });

  it('keeps the calls before a syntax error and says so', () => {
    assert.equal(sitesIn('broken.py').length, 1);
    assert.equal(sitesIn('broken.ts').length, 1);
    assert.ok(report.warnings.some((w) => w.file === 'broken.py' && /syntax error/.test(w.message)));
    assert.ok(report.warnings.some((w) => w.file === 'broken.ts' && /syntax error/.test(w.message)));
  });

  it('skips binary and oversized files with the reason', () => {
    assert.deepEqual(report.files.skipped.find((s) => s.file === 'binary.py'), { file: 'binary.py', reason: 'binary (contains NUL bytes)' });
    assert.match(report.files.skipped.find((s) => s.file === 'huge.js')?.reason ?? '', /too large \(1\.1 MiB > 1\.0 MiB limit\)/);
  });

  it('analyses invalid UTF-8 with a warning', () => {
    assert.equal(sitesIn('latin1.py').length, 1);
    assert.ok(report.warnings.some((w) => w.file === 'latin1.py' && /invalid UTF-8/.test(w.message)));
  });

  it('handles minified code and very deep nesting', () => {
    assert.equal(sitesIn('minified.js').length, 1);
    assert.equal(sitesIn('deep.py').length, 1);
    const deep = report.errors.find((e) => e.file === 'deep.ts');
    assert.match(deep?.message ?? '', /nest 10000 levels deep \(limit 500\)/);
  });

  it('reports a broken notebook as an error entry', () => {
    assert.match(report.errors.find((e) => e.file === 'notebook.ipynb')?.message ?? '', /could not be analysed: .*JSON/);
  });

  it('counts positions after a BOM and CRLF line ends like an editor', () => {
    assert.deepEqual(sitesIn('crlf_bom.py').map((c) => [c.line, c.column]), [[3, 1]]);
  });

  it('never throws from the core on random bytes', async () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 50; i++) {
      const text = Array.from({ length: 400 }, () => String.fromCharCode(Math.floor(rand() * 0x3000))).join('') + ' openai.chat.completions.create(';
      for (const path of ['r.py', 'r.ts', 'r.ipynb']) {
        const result = await analyze(path, text);
        assert.ok(Array.isArray(result.callSites));
      }
    }
  });
});
