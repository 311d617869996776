// Bundles the extension client, the language server and the CLI with esbuild, and copies the
// tree-sitter .wasm files next to the server bundles (they are loaded at run time). The TypeScript
// compiler is copied next to them too instead of bundled: the engine requires it on the first
// TS/JS file, and a separate file is not even compiled by V8 until then (~0.15 s saved at start-up).
// The CLI is two files: cli.js, the binary, loads the bundle cli-main.js through a V8 code cache.
import { build } from 'esbuild';
import { chmod, copyFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  // jsonc-parser's "main" is a UMD build that esbuild cannot follow; its ESM build bundles cleanly.
  mainFields: ['module', 'main'],
};

/**
 * `require('typescript')` in the bundles loads ./typescript.js, the compiler copied beside them;
 * `require('js-tiktoken/ranks/<encoding>')` loads ./ranks/<encoding>.cjs (3.4 MB of rank tables,
 * required on the first estimate). Neither is compiled at start-up.
 */
const RANKS = ['o200k_base', 'cl100k_base'];
const besideBundle = {
  name: 'beside-bundle',
  setup(b) {
    b.onResolve({ filter: /^typescript$/ }, () => ({ path: './typescript.js', external: true }));
    b.onResolve({ filter: /^js-tiktoken\/ranks\/\w+$/ }, (args) => ({ path: `./ranks/${args.path.split('/').pop()}.cjs`, external: true }));
  },
};

/**
 * web-tree-sitter's CommonJS build, not its ESM one: the ESM build reaches Node's `module` through
 * a dynamic `import()`, which code run from a V8 code cache (a vm.Script) cannot make.
 */
const treeSitterCjs = {
  name: 'web-tree-sitter-cjs',
  setup(b) {
    b.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: require.resolve('web-tree-sitter') }));
  },
};

await mkdir('server/out/ranks', { recursive: true });
await Promise.all([
  build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'server/out/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  build({ ...common, entryPoints: ['server/src/cliMain.ts'], outfile: 'server/out/cli-main.js', plugins: [besideBundle, treeSitterCjs] }),
  build({ ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'server/out/server.js', plugins: [besideBundle, treeSitterCjs] }),
  copyFile(require.resolve('typescript/lib/typescript.js'), 'server/out/typescript.js'),
  ...RANKS.map((r) => copyFile(require.resolve(`js-tiktoken/ranks/${r}`), `server/out/ranks/${r}.cjs`)),
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'client/out/extension.js', external: ['vscode'] }),
  copyFile(require.resolve('web-tree-sitter/web-tree-sitter.wasm'), 'server/out/web-tree-sitter.wasm'),
  copyFile(require.resolve('tree-sitter-python/tree-sitter-python.wasm'), 'server/out/tree-sitter-python.wasm'),
]);
await chmod('server/out/cli.js', 0o755);
