/** File discovery (.gitignore at every level, default excludes, explicit files) and the size limit the read applies. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { discover } from '../../server/src/node/discover';
import { readSource } from '../../server/src/node/source';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'llmlint-disc-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

describe('discover', () => {
  it('honours .gitignore files and default excludes; the read skips a file over the size limit', async () => {
    const root = tree({
      '.gitignore': 'generated/\n*.gen.py\n',
      'app.py': 'x',
      'web/src/a.ts': 'x',
      'web/src/a.d.ts': 'x',
      'web/.gitignore': 'legacy.js\n',
      'web/legacy.js': 'x',
      'web/keep.js': 'x',
      'generated/out.py': 'x',
      'models.gen.py': 'x',
      'node_modules/openai/index.js': 'x',
      '.venv/lib/site.py': 'x',
      'notes.md': 'x',
      'big.py': 'x'.repeat(2048),
      'nb/demo.ipynb': '{}',
    });
    const found = await discover(root, [root]);
    assert.deepEqual(found.files.map((f) => f.rel), ['app.py', 'big.py', 'nb/demo.ipynb', 'web/keep.js', 'web/src/a.ts']);
    assert.deepEqual(found.skipped, []);
    assert.deepEqual(readSource(join(root, 'big.py'), 1024), { ok: false, reason: 'too large (0.0 MiB > 0.0 MiB limit)' });
    assert.equal(readSource(join(root, 'big.py'), 2048).ok, true);
  });

  it('applies parent .gitignore rules when scanning a subdirectory, and reports missing paths', async () => {
    const root = tree({ '.gitignore': 'secret.py\n', 'pkg/secret.py': 'x', 'pkg/ok.py': 'x' });
    const found = await discover(root, [join(root, 'pkg'), join(root, 'nope')]);
    assert.deepEqual(found.files.map((f) => f.rel), ['pkg/ok.py']);
    assert.deepEqual(found.skipped, [{ file: 'nope', reason: 'not found' }]);
  });
});
