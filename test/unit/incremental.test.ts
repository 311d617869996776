/**
 * An open document is re-parsed incrementally and its untouched top-level statements are reused
 * between edits (DocumentCache), for Python, TypeScript and JavaScript. Users must never see the difference: after every
 * edit, the analysis equals a fresh one of the same text — same call sites, estimates, problems,
 * fixes and offsets.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { analyzeFile } from '../../server/src/core/analyze';
import { DocumentCache, editBetween } from '../../server/src/core/languages/reuse';
import { DEFAULT_SETTINGS } from '../../server/src/core/settings';
import type { FileResult } from '../../server/src/core/types';
import { testEngine } from '../helpers/engine';

const FIXTURES = join(__dirname, '..', 'fixtures');

function sourceFixtures(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFixtures(path);
    return /\.(py|[cm]?[jt]sx?)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Deterministic edits: typing, deleting, pasting a function at the top, breaking and mending syntax. */
function* edits(text: string, seed: number): Generator<string> {
  let state = seed;
  const random = (n: number): number => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % Math.max(1, n);
  };
  const snippets = ['x', ' ', '\n', '(', ')', '"', "'", '`', '{', '}', '    ', '# note\n', '// note\n', 'def added():\n    return 1\n\n', 'function added() { return 1; }\n', 'client = OpenAI()\n'];
  let current = text;
  for (let step = 0; step < 6; step++) {
    const at = random(current.length + 1);
    if (step % 3 === 2) {
      current = current.slice(0, at) + current.slice(Math.min(current.length, at + 1 + random(40)));
    } else {
      current = current.slice(0, at) + snippets[random(snippets.length)] + current.slice(at);
    }
    yield current;
  }
  yield `import os\n\n${current}`; // everything moves (a syntax error in TypeScript, which is fine)
  yield text; // back to the start
}

/** What a user sees of a result: everything but the text it came from. */
function visible(result: FileResult): unknown {
  return JSON.parse(JSON.stringify({ ...result, text: undefined }));
}

describe('incremental analysis (open documents)', () => {
  const files = sourceFixtures(FIXTURES);

  it('covers the Python and TypeScript fixtures', () => {
    assert.ok(files.filter((f) => f.endsWith('.py')).length >= 50, 'Python fixtures');
    assert.ok(files.filter((f) => !f.endsWith('.py')).length >= 50, 'TypeScript and JavaScript fixtures');
  });

  it('gives, after every edit, the analysis a fresh parse gives', async () => {
    const engine = await testEngine();
    let compared = 0;
    for (const [i, path] of files.entries()) {
      const cache = new DocumentCache();
      const rel = `doc${i}${extname(path)}`;
      const original = readFileSync(path, 'utf8');
      try {
        analyzeFile({ path: rel, text: original }, engine, DEFAULT_SETTINGS, { cache });
        for (const text of edits(original, i + 1)) {
          const incremental = analyzeFile({ path: rel, text }, engine, DEFAULT_SETTINGS, { cache });
          const fresh = analyzeFile({ path: rel, text }, engine, DEFAULT_SETTINGS);
          assert.deepEqual(visible(incremental), visible(fresh), `${path}: differs after an edit, text:\n${text}`);
          compared++;
        }
      } finally {
        cache.dispose();
      }
    }
    assert.ok(compared >= files.length * 8);
  });

  it('keeps which assignment a call sees when everything moves', async () => {
    const engine = await testEngine();
    const cache = new DocumentCache();
    const text = 'from openai import OpenAI\nclient = OpenAI()\nMODEL = "gpt-4o"\nclient.chat.completions.create(model=MODEL, messages=[], max_tokens=5)\nMODEL = "gpt-4o-mini"\n';
    try {
      analyzeFile({ path: 'a.py', text }, engine, DEFAULT_SETTINGS, { cache });
      const moved = `# ${'-'.repeat(300)}\n${text}`;
      const result = analyzeFile({ path: 'a.py', text: moved }, engine, DEFAULT_SETTINGS, { cache });
      assert.deepEqual(result.callSites.map((s) => s.model.value), ['gpt-4o']);
    } finally {
      cache.dispose();
    }
  });

  it('describes an edit by its rows and columns, as tree-sitter needs', () => {
    const before = 'a = 1\nb = "é"\nc = 3\n';
    const after = 'a = 1\nb = "é!"\nnew = 0\nc = 3\n';
    assert.deepEqual(editBetween(before, after), {
      startIndex: 12,
      oldEndIndex: 13,
      newEndIndex: 22,
      startPosition: { row: 1, column: 6 },
      oldEndPosition: { row: 1, column: 7 },
      newEndPosition: { row: 2, column: 7 },
    });
  });
});
