/** File discovery: .gitignore at every level, default excludes, size limit, explicit files. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { discover } from '../../server/src/node/discover';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'llmlint-disc-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

describe('discover', () => {
  it('honours .gitignore files and default excludes, and lists what it skipped for size', async () => {
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
    const found = await discover(root, [root], { maxFileBytes: 1024 });
    assert.deepEqual(found.files.map((f) => f.rel), ['app.py', 'nb/demo.ipynb', 'web/keep.js', 'web/src/a.ts']);
    assert.deepEqual(found.skipped, [{ file: 'big.py', reason: 'too large (0.0 MiB > 0.0 MiB limit)' }]);
  });

  it('applies parent .gitignore rules when scanning a subdirectory, and reports missing paths', async () => {
    const root = tree({ '.gitignore': 'secret.py\n', 'pkg/secret.py': 'x', 'pkg/ok.py': 'x' });
    const found = await discover(root, [join(root, 'pkg'), join(root, 'nope')], { maxFileBytes: 1 << 20 });
    assert.deepEqual(found.files.map((f) => f.rel), ['pkg/ok.py']);
    assert.deepEqual(found.skipped, [{ file: 'nope', reason: 'not found' }]);
  });
});
