/**
 * The language server in-process, over a pair of in-memory streams: what an editor asks and
 * what it gets back. Waits are polls on notifications, never sleeps.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import type { CodeAction, CodeLens, Diagnostic, Hover, InlayHint, PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { startInProcess } from '../helpers/lsp';

const ROOT = join(__dirname, '..', 'fixtures', 'sample-app');
const uriOf = (rel: string) => pathToFileURL(join(ROOT, rel)).toString();

describe('language server (in-process)', function () {
  let client: MessageConnection;
  let published: Map<string, PublishDiagnosticsParams[]>;
  let diagnosticsFor: (uri: string, pred?: (d: Diagnostic[]) => boolean) => Promise<Diagnostic[]>;
  let open: (rel: string, languageId: string, text?: string) => void;

  before(async () => {
    ({ client, published, diagnosticsFor, open } = await startInProcess(ROOT));
  });

  after(() => client.dispose());

  it('publishes the rules’ diagnostics for an opened file', async () => {
    open('backend/summarize.py', 'python');
    const diags = await diagnosticsFor(uriOf('backend/summarize.py'), (d) => d.some((x) => x.code === 'unbounded-output'));
    const unbounded = diags.find((d) => d.code === 'unbounded-output')!;
    assert.equal(unbounded.range.start.line, 25);
    assert.deepEqual(unbounded.range.end, { line: 25, character: 45 }, 'underlines the callee, not all the arguments');
    assert.equal(unbounded.source, 'llmlint');
    assert.match(String(unbounded.message), /no output-token bound/);
  });

  it('shows the cost per call as an inlay hint after the call and a code lens above it', async () => {
    const uri = uriOf('backend/summarize.py');
    const hints: InlayHint[] = await client.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 60, character: 0 } } });
    assert.equal(hints.length, 1);
    assert.match(String(hints[0].label), /^≈ \$0\.00\d+\/call$/);
    assert.ok(hints[0].position.line > 25, 'after the end of the call');
    const lenses: CodeLens[] = await client.sendRequest('textDocument/codeLens', { textDocument: { uri } });
    // The sample app's llmlint.usage.yml gives this call 4,000 calls a day.
    assert.match(lenses[0].command!.title, /^gpt-4o · ≈\d+ in \/ ≤16k out · \$0\.00\d+\/call · \$\d+\/mo$/);
  });

  it('explains the estimate in a hover: a table, the assumptions, a cheaper model', async () => {
    const h: Hover = await client.sendRequest('textDocument/hover', { textDocument: { uri: uriOf('backend/summarize.py') }, position: { line: 25, character: 25 } });
    const md = (h.contents as { value: string }).value as string;
    assert.match(md, /\| Input tokens \| ≈\d+ \(\d+ static \+ 1 hole\) \|/);
    assert.match(md, /\| Price per 1M tokens \| \$2\.5 in · \$10 out \|/);
    assert.match(md, /Cheaper in the same family: `gpt-4o-mini`/);
    assert.match(md, /\*\*Assumptions\*\*\n- \{ticket_text\} ≈ 600 tokens \(configured size\)/);
  });

  it('offers the rule’s fix, a suppression and the rule docs as code actions', async () => {
    const uri = uriOf('backend/summarize.py');
    const actions: CodeAction[] = await client.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 25, character: 0 }, end: { line: 25, character: 40 } }, context: { diagnostics: [] } });
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Add max_completion_tokens=1024 (unsafe: check the result)'), titles.join('\n'));
    assert.ok(titles.includes('Suppress unbounded-output for this line'));
    assert.ok(titles.includes('Explain rule unbounded-output'));
    const fix = actions.find((a) => a.title.startsWith('Add max_completion_tokens'))!;
    const [edit] = fix.edit!.changes![uri];
    assert.match(edit.newText, /max_completion_tokens=1024/);
    const docs: string = await client.sendRequest('llmlint/ruleDocs', 'unbounded-output');
    assert.match(docs, /## Why is this bad\?/);
  });

  it('re-estimates a call when the module its prompt comes from is edited (unsaved)', async () => {
    const uri = uriOf('backend/summarize.py');
    /** Input tokens, exactly, from the hover's table. */
    const inputTokens = async () => {
      const h: Hover = await client.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 25, character: 25 } });
      return Number(/\| Input tokens \| ≈([\d,]+)/.exec((h.contents as { value: string }).value)![1].replace(/,/g, ''));
    };
    const before = await inputTokens();
    const prompts = readFileSync(join(ROOT, 'backend/prompts.py'), 'utf8');
    open('backend/prompts.py', 'python', prompts);
    const longer = prompts.replace('SYSTEM_PROMPT = """', `SYSTEM_PROMPT = """${'Always be thorough. '.repeat(100)}`);
    void client.sendNotification('textDocument/didChange', { textDocument: { uri: uriOf('backend/prompts.py'), version: 2 }, contentChanges: [{ text: longer }] });
    const count = published.get(uri)?.length ?? 0;
    await diagnosticsFor(uri, () => (published.get(uri)?.length ?? 0) > count);
    const after = await inputTokens();
    assert.ok(after >= before + 400, `${before} → ${after}`);
  });

  it('analyses a notebook cell as the language it is written in', async () => {
    const uri = 'vscode-notebook-cell:/work/demo.ipynb#W2sZmlsZQ%3D%3D';
    void client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: 'resp = client.chat.completions.create(model="gpt-4o", messages=msgs)\n' } });
    const diags = await diagnosticsFor(uri, (d) => d.some((x) => x.code === 'unbounded-output'));
    assert.equal(diags.find((d) => d.code === 'unbounded-output')!.range.start.line, 0);
  });

  it('scans the workspace and answers the projection request with every call site, unknown prices listed', async () => {
    let projection: { scanning: boolean; callSites: Array<{ file: string; line: number; model: string | null }>; unknownPrice: string[] } = { scanning: true, callSites: [], unknownPrice: [] };
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      projection = await client.sendRequest('llmlint/projection');
      if (!projection.scanning && projection.callSites.some((c) => c.file === 'web/src/search.ts')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const files = new Set(projection.callSites.map((c) => c.file));
    for (const f of ['backend/agent.py', 'backend/embed_docs.py', 'web/src/chat.ts', 'web/src/search.ts']) assert.ok(files.has(f), f);
    assert.deepEqual(projection.unknownPrice, ['backend/translate.py::translate_reply#1']);
  });

  it('answers the panel\'s what-if: the call sites on one model with volumes, repriced on another', async () => {
    const projection: { callSites: Array<{ model: string | null; callsPerMonth: number | null }> } = await client.sendRequest('llmlint/projection');
    const onModel = projection.callSites.filter((s) => s.model === 'gpt-4o' && s.callsPerMonth !== null);
    assert.ok(onModel.length > 0, 'the sample has gpt-4o calls with volumes');
    const cheaper: { before: number; after: number; callSites: number; unknownModel: boolean } = await client.sendRequest('llmlint/whatIf', { from: 'gpt-4o', to: 'gpt-4o-mini' });
    assert.equal(cheaper.callSites, onModel.length);
    // Both sides before cache and batch discounts: `before` is the list price of what the sites cost now.
    assert.ok(cheaper.before > 0, `${cheaper.before}`);
    assert.ok(cheaper.after > 0 && cheaper.after < cheaper.before / 5, `${cheaper.after} vs ${cheaper.before}`);
    const unknown: { unknownModel: boolean } = await client.sendRequest('llmlint/whatIf', { from: 'gpt-4o', to: 'no-such-model' });
    assert.equal(unknown.unknownModel, true);
  });

  it('re-estimates open files when a template they read changes on disk', async () => {
    const uri = uriOf('backend/reply.py');
    open('backend/reply.py', 'python');
    await diagnosticsFor(uri);
    const count = published.get(uri)?.length ?? 0;
    // The server sees the change notification (the file itself is unchanged: the point is the re-analysis).
    void client.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf('backend/prompts/reply.txt'), type: 2 }] });
    await diagnosticsFor(uri, () => (published.get(uri)?.length ?? 0) > count);
  });

  it('keeps answering after a file that does not parse', async () => {
    open('web/src/broken.ts', 'typescript', "import OpenAI from 'openai';\nconst c = new OpenAI();\nc.chat.completions.create({ model: 'gpt-4o', messages: [] });\nfunction (((\n");
    const diags = await diagnosticsFor(uriOf('web/src/broken.ts'));
    assert.ok(diags.some((d) => d.code === 'unbounded-output'));
    open('web/src/moderation.ts', 'typescript');
    await diagnosticsFor(uriOf('web/src/moderation.ts'), (d) => d.some((x) => x.code === 'missing-retry'));
  });
});

describe('language server: a broken usage file', function () {
  let lsp: Awaited<ReturnType<typeof startInProcess>>;
  const root = mkdtempSync(join(tmpdir(), 'llmlint-usage-'));
  const usageUri = pathToFileURL(join(root, 'llmlint.usage.yml')).toString();
  const appUri = pathToFileURL(join(root, 'app.py')).toString();

  before(async () => {
    writeFileSync(join(root, 'llmlint.usage.yml'), 'callSites:\n  "app.py::<module>#1": { callsPerDay: lots }\n');
    writeFileSync(join(root, 'app.py'), 'from openai import OpenAI\nclient = OpenAI()\nclient.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "Hi"}])\n');
    lsp = await startInProcess(root);
  });

  after(() => {
    lsp.client.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  it('keeps its diagnostic while files are edited, and clears it once the file is fixed', async () => {
    lsp.open('app.py', 'python');
    const [problem] = await lsp.diagnosticsFor(usageUri, (d) => d.length > 0);
    assert.match(String(problem.message), /callsPerDay: expected a number/);
    assert.equal(problem.range.start.line, 1);

    const seen = lsp.published.get(appUri)?.length ?? 0;
    void lsp.client.sendNotification('textDocument/didChange', { textDocument: { uri: appUri, version: 2 }, contentChanges: [{ text: readFileSync(join(root, 'app.py'), 'utf8') + '\n' }] });
    await lsp.diagnosticsFor(appUri, () => (lsp.published.get(appUri)?.length ?? 0) > seen);
    assert.notDeepEqual(lsp.published.get(usageUri)?.at(-1)?.diagnostics, [], 'an edit elsewhere does not hide the usage file problem');

    writeFileSync(join(root, 'llmlint.usage.yml'), 'callSites:\n  "app.py::<module>#1": { callsPerDay: 100 }\n');
    void lsp.client.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: usageUri, type: 2 }] });
    await lsp.diagnosticsFor(usageUri, (d) => d.length === 0);
  });
});

describe('language server: a prompt file changed on disk', function () {
  const root = mkdtempSync(join(tmpdir(), 'llmlint-dependants-'));
  let lsp: Awaited<ReturnType<typeof startInProcess>>;
  type Site = { file: string; inputTokens: number };
  const sitesOf = async (): Promise<Site[]> => ((await lsp.client.sendRequest('llmlint/projection')) as { callSites: Site[] }).callSites;

  before(async () => {
    writeFileSync(join(root, 'reply.txt'), 'Answer the customer politely.');
    const call = (file: string) => `from openai import OpenAI\nclient = OpenAI()\nclient.chat.completions.create(model="gpt-4o-mini", max_tokens=50, messages=[{"role": "system", "content": ${file}}])\n`;
    writeFileSync(join(root, 'reads_prompt.py'), call('open("reply.txt").read()'));
    writeFileSync(join(root, 'unrelated.py'), call('"Summarise."'));
    lsp = await startInProcess(root);
  });

  after(() => {
    lsp.client.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  it('re-estimates the closed files that read it, for the projection, and only them', async () => {
    let before: Site[] = [];
    for (let i = 0; i < 200 && before.length < 2; i++) before = await sitesOf();
    const tokens = (sites: Site[], file: string) => sites.find((s) => s.file === file)?.inputTokens ?? -1;
    writeFileSync(join(root, 'reply.txt'), 'Answer the customer politely, citing the order number and the policy. '.repeat(30));
    void lsp.client.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(join(root, 'reply.txt')).toString(), type: 2 }] });
    let after = before;
    for (let i = 0; i < 200 && tokens(after, 'reads_prompt.py') === tokens(before, 'reads_prompt.py'); i++) after = await sitesOf();
    assert.ok(tokens(after, 'reads_prompt.py') > tokens(before, 'reads_prompt.py') + 300, `${tokens(before, 'reads_prompt.py')} → ${tokens(after, 'reads_prompt.py')}`);
    assert.equal(tokens(after, 'unrelated.py'), tokens(before, 'unrelated.py'));
  });
});
