// Compiles the end-to-end suite (test/e2e/suite/*.ts) to CommonJS in test/e2e/out/, one file per
// source file, for VS Code's extension host to load (extensionTestsPath = test/e2e/out/index.js).
// `vscode` and `mocha` stay `require`s: the extension host provides the first, node_modules the second.
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const src = join(root, 'test', 'e2e', 'suite');
const out = join(root, 'test', 'e2e', 'out');

rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: readdirSync(src).filter((f) => f.endsWith('.ts')).map((f) => join(src, f)),
  outdir: out,
  bundle: false,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
});
