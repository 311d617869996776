/**
 * Provider keys found by `hardcoded-api-key` are masked everywhere llmlint shows source text:
 * every CLI format and command, and everything the language server sends (diagnostics, hovers,
 * inlay hints, code lenses, code actions, the projection the cost panel draws). The project plants
 * one key of every supported format where source text reaches output: a client constructor, the
 * model argument, a prompt, a prompt hole, a loop's iterable, a raw HTTP header and URL, a method
 * name (so a call-site id), a notebook cell and a prompt file.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { createConnection } from 'vscode-languageserver/node';
import type { CodeAction, CodeLens, Diagnostic, Hover, InlayHint, PublishDiagnosticsParams, TextEdit } from 'vscode-languageserver/node';
import { applyFixes } from '../../server/src/core/fixes';
import { editsWithoutSecrets, findKeys, maskDeep, maskSecrets } from '../../server/src/core/secrets';
import { startServer } from '../../server/src/lsp/server';
import type { JsonReport } from '../../server/src/cli/report';
import { cli } from '../helpers/cli';
import { analyze, testEngine } from '../helpers/engine';
import { plantedKeys, writeSecretsProject, type PlantedKeys } from '../helpers/secrets';

const KEYS = plantedKeys();
const PREFIX = /^(sk-ant-api03-|sk-or-v1-|sk-proj-|sk-svcacct-|sk-|AIza|gsk_|AKIA|hf_|xai-|tgp_v1_|r8_)/;

/** How the rule shows a key (computed here, not with the code under test). */
const masked = (key: string) => `${key.slice(0, 6)}…${key.slice(-2)}`;

/**
 * No planted key in `output`, whole or in part: no run of 10 characters of a key's random part
 * either (a key cut short for display, or escaped: Markdown's `\_` is undone first).
 */
function assertNoKey(where: string, output: string): void {
  const text = output.replace(/\\/g, '');
  for (const [name, key] of Object.entries(KEYS)) {
    const at = text.indexOf(key);
    assert.equal(at, -1, `${where}: the ${name} key appears in full: …${text.slice(Math.max(0, at - 80), at + key.length + 20)}…`);
    const body = key.replace(PREFIX, '');
    for (let i = 0; i + 10 <= body.length; i++) {
      const part = body.slice(i, i + 10);
      const p = text.indexOf(part);
      assert.equal(p, -1, `${where}: part of the ${name} key appears: …${text.slice(Math.max(0, p - 80), p + 30)}…`);
    }
  }
}

function assertShowsMasked(where: string, output: string, keys: Array<keyof PlantedKeys>): void {
  const text = output.replace(/\\/g, '');
  for (const k of keys) assert.ok(text.includes(masked(KEYS[k])), `${where}: shows the ${k} key masked (${masked(KEYS[k])})`);
}

const ALL = Object.keys(KEYS) as Array<keyof PlantedKeys>;
/** Keys used as model names (in code, a notebook cell, a prompt file, or a dynamic model's default). */
const AS_MODELS: Array<keyof PlantedKeys> = ['openaiLegacy', 'xai', 'huggingface', 'anthropic', 'google', 'aws'];

describe('provider keys are masked wherever source text is shown', function () {
  this.timeout(120_000);

  describe('core/secrets', () => {
    it('finds one key of every provider format the rule knows, and masks it as the rule does', () => {
      for (const [name, key] of Object.entries(KEYS)) {
        const found = findKeys(`x = "${key}"`);
        assert.deepEqual(found.map((f) => f.key), [key], name);
        assert.equal(maskSecrets(`model "${key}" is unknown`), `model "${masked(key)}" is unknown`, name);
      }
      const providers = new Set(Object.values(KEYS).map((k) => findKeys(k)[0].format.provider));
      assert.deepEqual([...providers].sort(), ['AWS', 'Anthropic', 'Google', 'Groq', 'Hugging Face', 'OpenAI', 'OpenRouter', 'Replicate', 'Together', 'xAI']);
    });

    it('masks the start of a key cut short by an ellipsis; masking is idempotent and leaves other text alone', () => {
      const cut = `{'${KEYS.openrouter.slice(0, 22)}…}`;
      assert.equal(maskSecrets(cut), "{'sk-or-…}");
      const text = `a ${KEYS.groq} b ${KEYS.aws}`;
      assert.equal(maskSecrets(maskSecrets(text)), maskSecrets(text));
      for (const plain of ['gpt-4o-mini', 'sk-...', 'sk-your-key-here', 'AKIAIOSFODNN7EXAMPLE', 'task-list…', 'disk-usage']) assert.equal(maskSecrets(plain), plain);
      const deep = maskDeep({ byModel: { [KEYS.xai]: 2, 'gpt-4o': 1 }, list: [KEYS.google], n: 3, newText: KEYS.aws }, new Set(['newText']));
      assert.deepEqual(deep, { byModel: { [masked(KEYS.xai)]: 2, 'gpt-4o': 1 }, list: [masked(KEYS.google)], n: 3, newText: KEYS.aws });
    });

    it('rewrites an edit that keeps a key in place as the edits around it; refuses one that would write a key out', () => {
      const text = `call(system="Use ${KEYS.google} and ${KEYS.aws}.")`;
      const start = text.indexOf('"');
      const end = text.lastIndexOf('"') + 1;
      const literal = text.slice(start, end);
      const edit = { span: { start, end }, newText: `[{"type": "text", "text": ${literal}, "cache_control": {"type": "ephemeral"}}]` };
      const parts = editsWithoutSecrets(text, edit)!;
      for (const p of parts) assert.deepEqual(findKeys(p.newText), []);
      const apply = (edits: Array<{ span: { start: number; end: number }; newText: string }>) =>
        [...edits].sort((a, b) => b.span.start - a.span.start).reduce((t, e) => t.slice(0, e.span.start) + e.newText + t.slice(e.span.end), text);
      assert.equal(apply(parts), apply([edit]));
      assert.equal(editsWithoutSecrets(text, { span: { start: 0, end: 4 }, newText: KEYS.xai }), null);
      assert.deepEqual(editsWithoutSecrets(text, { span: { start: 0, end: 4 }, newText: 'run' }), [{ span: { start: 0, end: 4 }, newText: 'run' }]);
    });
  });

  describe('the CLI', () => {
    let root: string;

    before(() => {
      root = mkdtempSync(join(tmpdir(), 'llmlint-secrets-'));
      writeSecretsProject(root, KEYS);
      const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'pipe' });
      git('init', '-q', '-b', 'main');
      git('config', 'user.email', 'ci@example.invalid');
      git('config', 'user.name', 'ci');
      git('add', '.');
      git('commit', '-q', '-m', 'base');
      // Larger output bounds: these call sites change their monthly cost, so `diff` lists them.
      const edit = (rel: string, from: string, to: string) => writeFileSync(join(root, rel), readFileSync(join(root, rel), 'utf8').replace(from, to));
      edit('app/service.py', 'max_tokens=100)', 'max_tokens=400)');
      edit('web/src/routes.ts', 'max_completion_tokens: 50,', 'max_completion_tokens: 500,');
    });

    after(() => rmSync(root, { recursive: true, force: true }));

    for (const format of ['stylish', 'json', 'sarif', 'github']) {
      it(`check --format ${format}: no key; every key reported masked`, async () => {
        const run = await cli(['check', '.', '--format', format], root);
        assert.equal(run.code, 1, run.stderr);
        assertNoKey(`check --format ${format}`, run.stdout + run.stderr);
        assertShowsMasked(`check --format ${format}`, run.stdout, ALL);
      });
    }

    it('check --output writes a report file without a key', async () => {
      const run = await cli(['check', '.', '--format', 'sarif', '--output', 'out.sarif'], root);
      assert.equal(run.code, 1, run.stderr);
      const sarif = readFileSync(join(root, 'out.sarif'), 'utf8');
      unlinkSync(join(root, 'out.sarif'));
      assertNoKey('out.sarif', sarif);
      assertShowsMasked('out.sarif', sarif, ALL);
    });

    it('the JSON report masks model names, expressions, iterables, assumptions and ids read from source', async () => {
      const report = JSON.parse((await cli(['check', '.', '--format', 'json'], root)).stdout) as JsonReport;
      const site = (id: string) => report.callSites.find((s) => s.id === id)!;
      assert.equal(site('app/service.py::summarize#1').model.value, masked(KEYS.openaiLegacy));
      const configured = site('app/service.py::summarize_configured#1');
      assert.equal(configured.model.default, masked(KEYS.xai));
      assert.equal(configured.model.expression, `os.getenv("SUMMARY_MODEL", "${masked(KEYS.xai)}")`);
      assert.equal(site('app/service.py::rotate#1').loops[0].iterable, `["${masked(KEYS.openaiProject)}", "${masked(KEYS.openaiLegacy)}"]`);
      assert.ok(site('app/service.py::fast#1').estimate.assumptions.includes("{'sk-or-…} ≈ 250 tokens (default placeholder size)"), site('app/service.py::fast#1').estimate.assumptions.join('\n'));
      assert.ok(site(`web/src/routes.ts::${masked(KEYS.replicate)}#1`), 'a method named by a key: its id is masked');
      assert.ok(report.projection.unknown.includes('prompts/support.prompty::<prompt>#1'));
      const inPrompt = report.diagnostics.filter((d) => d.rule === 'hardcoded-api-key' && d.file === 'prompts/support.prompty');
      assert.equal(inPrompt.length, 3, 'keys in a prompt file are reported too');
    });

    it('a fix that keeps a key in place is written as the edits around it, and applies to the engine’s result', async () => {
      const report = JSON.parse((await cli(['check', '.', '--format', 'json'], root)).stdout) as JsonReport;
      const fix = report.diagnostics.find((d) => d.rule === 'cacheable-prefix-not-cached' && d.file === 'app/service.py')?.fix;
      assert.ok(fix, 'the long system prompt (with a key in it) gets the cache fix');
      assert.equal(fix.edits.length, 2, 'an insertion before the prompt and one after it');
      const text = readFileSync(join(root, 'app/service.py'), 'utf8');
      const lines = text.split('\n');
      const offset = (line: number, column: number) => lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
      let fixed = text;
      for (const e of [...fix.edits].sort((a, b) => b.line - a.line || b.column - a.column)) {
        fixed = fixed.slice(0, offset(e.line, e.column)) + e.newText + fixed.slice(offset(e.endLine, e.endColumn));
      }
      const result = await analyze('app/service.py', text);
      const engine = applyFixes(text, result.diagnostics.filter((d) => d.rule === 'cacheable-prefix-not-cached'), 'unsafe');
      assert.equal(fixed, engine.text);
    });

    for (const format of ['table', 'markdown', 'html', 'json']) {
      it(`report --format ${format}: no key; model names shown masked`, async () => {
        const run = await cli(['report', '.', '--format', format], root);
        assert.equal(run.code, 0, run.stderr);
        assertNoKey(`report --format ${format}`, run.stdout + run.stderr);
        assertShowsMasked(`report --format ${format}`, run.stdout, AS_MODELS);
      });
    }

    for (const format of ['markdown', 'json']) {
      it(`diff --base HEAD --format ${format}: no key`, async () => {
        const run = await cli(['diff', '--base', 'HEAD', '--format', format], root);
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, /service\.py/);
        assertNoKey(`diff --format ${format}`, run.stdout + run.stderr);
        if (format === 'json') assertShowsMasked('diff --format json', run.stdout, ['replicate']);
      });
    }

    it('usage --init writes no key into the usage file', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'llmlint-secrets-usage-'));
      try {
        writeSecretsProject(dir, KEYS);
        unlinkSync(join(dir, 'llmlint.usage.yml'));
        const run = await cli(['usage', '--init', '.'], dir);
        assert.equal(run.code, 0, run.stderr);
        const usage = readFileSync(join(dir, 'llmlint.usage.yml'), 'utf8');
        assertNoKey('usage --init', run.stdout + run.stderr + usage);
        assertShowsMasked('usage --init', usage, AS_MODELS);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('the language server', () => {
    let root: string;

    before(() => {
      root = mkdtempSync(join(tmpdir(), 'llmlint-secrets-lsp-'));
      writeSecretsProject(root, KEYS);
    });

    after(() => rmSync(root, { recursive: true, force: true }));

    it('diagnostics, hovers, inlay hints, code lenses, code actions and notifications: nothing it sends holds a key', async () => {
      const lsp = await serve(root);
      try {
        const docs: Array<[string, string]> = [['app/service.py', 'python'], ['web/src/chat.ts', 'typescript'], ['web/src/routes.ts', 'typescript'], ['notebooks/explore.ipynb', 'jupyter'], ['prompts/support.prompty', 'prompty']];
        const cell = `vscode-notebook-cell:${pathToFileURL(join(root, 'notebooks/explore.ipynb')).pathname}#W2sZmlsZQ%3D%3D`;
        const cellText = (JSON.parse(readFileSync(join(root, 'notebooks/explore.ipynb'), 'utf8')) as { cells: Array<{ source: string[] }> }).cells[2].source.join('');
        const uris = [...docs.map(([rel]) => pathToFileURL(join(root, rel)).toString()), cell];
        for (const [rel, languageId] of docs) lsp.open(pathToFileURL(join(root, rel)).toString(), languageId, readFileSync(join(root, rel), 'utf8'));
        lsp.open(cell, 'python', cellText);

        const shown: Diagnostic[] = [];
        for (const uri of uris) shown.push(...(await lsp.diagnosticsFor(uri, (d) => d.some((x) => x.code === 'hardcoded-api-key'))));
        assertShowsMasked('diagnostics', shown.map((d) => d.message).join('\n'), ALL);

        let cacheFix: { uri: string; edits: TextEdit[] } | null = null;
        for (const uri of uris) {
          const whole = { start: { line: 0, character: 0 }, end: { line: 10_000, character: 0 } };
          const hints: InlayHint[] = await lsp.client.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range: whole });
          const lenses: CodeLens[] = await lsp.client.sendRequest('textDocument/codeLens', { textDocument: { uri } });
          assert.ok(hints.length && lenses.length, `hints and lenses for ${uri}`);
          // A notebook opened as a file has cell-relative positions (an editor opens its cells instead): hover on the cell.
          for (const lens of uri.endsWith('.ipynb') ? [] : lenses) {
            const hover: Hover | null = await lsp.client.sendRequest('textDocument/hover', { textDocument: { uri }, position: lens.range.start });
            assert.ok(hover, `a hover on the call at ${uri}:${lens.range.start.line}`);
          }
          const actions: CodeAction[] = await lsp.client.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: whole, context: { diagnostics: [] } });
          await lsp.client.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: whole, context: { diagnostics: [], only: ['source.fixAll'] } });
          const wrap = actions.find((a) => a.title.startsWith('Wrap the system prompt'));
          if (wrap) cacheFix = { uri, edits: wrap.edit!.changes![uri] };
          if (uri.endsWith('service.py')) assert.ok(actions.some((a) => a.title === 'Read the key from the OPENAI_API_KEY environment variable (unsafe: check the result)'), 'the key fix is offered');
        }
        await lsp.client.sendRequest('llmlint/scanWorkspace');

        assertNoKey('what the language server sent', lsp.sent());
        assertShowsMasked('what the language server sent', lsp.sent(), ALL);

        // The cache fix keeps the prompt (and its key) in place: two insertions, the same result as the engine's fix.
        assert.ok(cacheFix, 'the cache fix is offered for the long system prompt');
        const text = readFileSync(join(root, 'app/service.py'), 'utf8');
        const result = await analyze('app/service.py', text);
        const engine = applyFixes(text, result.diagnostics.filter((d) => d.rule === 'cacheable-prefix-not-cached'), 'unsafe');
        assert.equal(applyLsp(text, cacheFix.edits), engine.text);
      } finally {
        lsp.dispose();
      }
    });

    it('the llmlint/projection response that feeds the cost panel holds no key', async () => {
      const lsp = await serve(root);
      try {
        await lsp.client.sendRequest('llmlint/scanWorkspace');
        const projection: { callSites: Array<{ id: string; model: string | null }> } = await lsp.client.sendRequest('llmlint/projection');
        assert.ok(projection.callSites.length >= 10, 'the workspace was scanned');
        assertNoKey('llmlint/projection', JSON.stringify(projection));
        assertShowsMasked('llmlint/projection', JSON.stringify(projection), AS_MODELS);
      } finally {
        lsp.dispose();
      }
    });
  });
});

function applyLsp(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start)).reduce((t, e) => t.slice(0, offset(e.range.start)) + e.newText + t.slice(offset(e.range.end)), text);
}

/**
 * The language server in-process over in-memory streams, with every byte it writes recorded:
 * responses, notifications (diagnostics, status, logs) and its own requests to the client.
 */
async function serve(root: string) {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const chunks: Buffer[] = [];
  toClient.on('data', (c: Buffer) => chunks.push(c));
  const published = new Map<string, PublishDiagnosticsParams>();
  const waiters = new Set<() => void>();
  const engine = await testEngine();
  startServer(createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient)), async () => engine);
  const client: MessageConnection = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  client.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.set(p.uri, p);
    for (const w of [...waiters]) w();
  });
  client.onRequest(() => null);
  client.listen();
  await client.sendRequest('initialize', { processId: null, rootUri: pathToFileURL(root).toString(), workspaceFolders: [{ uri: pathToFileURL(root).toString(), name: basename(root) }], capabilities: {} });
  await client.sendNotification('initialized', {});
  return {
    client,
    open(uri: string, languageId: string, text: string) {
      void client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    },
    diagnosticsFor(uri: string, pred: (d: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
      return new Promise((resolve, reject) => {
        const done = () => {
          const p = published.get(uri);
          if (!p || !pred(p.diagnostics)) return;
          waiters.delete(done);
          clearTimeout(deadline);
          resolve(p.diagnostics);
        };
        const deadline = setTimeout(() => {
          waiters.delete(done);
          reject(new Error(`no matching diagnostics for ${uri}`));
        }, 20_000);
        waiters.add(done);
        done();
      });
    },
    sent: () => Buffer.concat(chunks).toString('utf8'),
    dispose() {
      client.dispose();
      toServer.end();
    },
  };
}
