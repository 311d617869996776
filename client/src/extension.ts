/**
 * VS Code client: starts the llmlint language server (bundled in this extension) over IPC,
 * routes Python, JS/TS and notebook documents to it, and adds the commands and the status item.
 * Activation stays cheap: the server loads TypeScript, the Python grammar and the tokenizer in its
 * own process.
 */
import * as path from 'node:path';
import { commands, languages, LanguageStatusSeverity, StatusBarAlignment, window, workspace, type ExtensionContext } from 'vscode';
import { CloseAction, ErrorAction, LanguageClient, TransportKind, type ErrorHandler, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { formatUsd } from '../../server/src/core/format';
import { USAGE_FILE_TEMPLATE } from '../../server/src/core/usageTemplate';
import type { StatusParams } from '../../server/src/lsp/server';
import { CostPanel } from './panel/costPanel';

let client: LanguageClient | undefined;

const RULE_IDS_REQUEST = 'llmlint/ruleDocs';

/** What the extension exposes to other extensions and to its end-to-end tests. */
export interface LlmlintApi {
  /** The language server's process id, once it has analysed a file; it changes when the server restarts. */
  serverPid(): number | undefined;
  /** The projection the cost panel last drew (null until it is opened). */
  panelProjection(): unknown;
  /** How long `activate` took, in ms: the server starts in the background, after it. */
  activationMs: number;
}

let lastServerPid: number | undefined;

export async function activate(context: ExtensionContext): Promise<LlmlintApi> {
  const started = performance.now();
  const module = context.asAbsolutePath(path.join('server', 'out', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const output = window.createOutputChannel('llmlint', { log: true });
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'python' },
      { scheme: 'file', language: 'typescript' },
      { scheme: 'file', language: 'typescriptreact' },
      { scheme: 'file', language: 'javascript' },
      { scheme: 'file', language: 'javascriptreact' },
      { scheme: 'file', pattern: '**/*.{prompty,prompt,prompt.yml,prompt.yaml}' },
      { notebook: '*', language: 'python' },
    ],
    // Config and usage files, and the sources and templates whose edits on disk change estimates.
    synchronize: { fileEvents: workspace.createFileSystemWatcher('**/*.{json,yml,yaml,toml,py,ts,tsx,js,jsx,mjs,cjs,ipynb,prompty,prompt,txt,md,j2,jinja,hbs,mustache}') },
    outputChannel: output,
    errorHandler: restartingErrorHandler(),
  };
  client = new LanguageClient('llmlint', 'llmlint', serverOptions, clientOptions);

  const status = languages.createLanguageStatusItem('llmlint.status', [{ language: 'python' }, { language: 'typescript' }, { language: 'javascript' }, { language: 'typescriptreact' }]);
  status.name = 'llmlint';
  status.text = 'llmlint: starting…';
  context.subscriptions.push(status);

  // The monthly total in the status bar; a click opens the cost panel.
  const total = window.createStatusBarItem('llmlint.total', StatusBarAlignment.Left, 10);
  total.name = 'llmlint monthly cost';
  total.command = 'llmlint.showCostPanel';
  total.tooltip = 'Projected monthly LLM cost (llmlint): open the cost panel';
  context.subscriptions.push(total);
  let refreshing = false;
  const refreshTotal = async () => {
    if (!client || refreshing) return;
    refreshing = true;
    try {
      const p = await client.sendRequest<{ monthlyCostUsd: number | null; callSites: unknown[] }>('llmlint/projection');
      total.text = p.monthlyCostUsd === null ? `$(graph) ${p.callSites.length} LLM calls` : `$(graph) ${formatUsd(p.monthlyCostUsd)}/mo`;
      total.show();
    } finally {
      refreshing = false;
    }
  };

  context.subscriptions.push(
    commands.registerCommand('llmlint.showCostPanel', () => {
      if (client) CostPanel.show(context, client);
    }),
    commands.registerCommand('llmlint.restartServer', async () => {
      await client?.restart();
    }),
    commands.registerCommand('llmlint.explainRule', async (rule?: string) => {
      const id = rule ?? (await window.showInputBox({ prompt: 'Rule id (e.g. unbounded-output)' }));
      if (!id || !client) return;
      const markdown: string | null = await client.sendRequest(RULE_IDS_REQUEST, id);
      if (!markdown) {
        void window.showWarningMessage(`llmlint has no rule "${id}".`);
        return;
      }
      const doc = await workspace.openTextDocument({ language: 'markdown', content: markdown });
      await commands.executeCommand('markdown.showPreview', doc.uri);
    }),
    commands.registerCommand('llmlint.scanWorkspace', async () => {
      if (!client) return;
      const { files } = await client.sendRequest<{ files: number }>('llmlint/scanWorkspace');
      void window.showInformationMessage(`llmlint scanned ${files} file${files === 1 ? '' : 's'}.`);
    }),
    commands.registerCommand('llmlint.openUsageFile', async () => {
      const folder = workspace.workspaceFolders?.[0];
      if (!folder) return;
      const uri = folder.uri.with({ path: `${folder.uri.path}/llmlint.usage.yml` });
      try {
        await workspace.fs.stat(uri);
      } catch {
        // A starting point that says what the file is for; `llmlint usage --init` lists every call site.
        await workspace.fs.writeFile(uri, new TextEncoder().encode(USAGE_FILE_TEMPLATE));
      }
      await window.showTextDocument(uri);
    }),
    commands.registerCommand('llmlint.showCallDetails', async () => {
      // The hover on the call has the breakdown; the lens points the user at it.
      await commands.executeCommand('editor.action.showHover');
    }),
  );

  context.subscriptions.push(client);
  context.subscriptions.push(
    // Registered before the start: the client installs it when the connection is up.
    client.onNotification('llmlint/status', (p: StatusParams) => {
      lastServerPid = p.pid;
      void refreshTotal();
      void CostPanel.instance?.refresh();
      status.text = `$(pulse) ${p.callSites} LLM call${p.callSites === 1 ? '' : 's'}`;
      status.detail = `${p.file}: ${p.problems} problem${p.problems === 1 ? '' : 's'}, analysed in ${p.analysisMs.toFixed(0)} ms`;
      status.severity = LanguageStatusSeverity.Information;
    }),
  );
  // Not awaited: the server (and TypeScript, the Python grammar and the tokenizer inside it) loads
  // in the background, so activation never holds up the editor. Requests wait for it themselves.
  client.start().then(
    () => refreshTotal(),
    (err: unknown) => {
      status.text = 'llmlint: failed to start';
      status.severity = LanguageStatusSeverity.Error;
      output.error(`the llmlint server failed to start: ${err instanceof Error ? err.message : String(err)}`);
    },
  );
  const activationMs = performance.now() - started;
  output.info(`activated in ${activationMs.toFixed(1)} ms; the server starts in the background`);
  return { serverPid: () => lastServerPid, panelProjection: () => CostPanel.instance?.lastProjection ?? null, activationMs };
}

/** Restarts within this window count toward the limit (as in vscode-languageclient's default). */
const RESTART_WINDOW_MS = 3 * 60 * 1000;
const MAX_RESTARTS = 4;

/**
 * A server that dies is restarted. The client's default handler shuts the connection down after
 * three write errors, and writes to a dead server fail at once (EPIPE) when the user is typing, so
 * a killed server was often not restarted at all. Errors here never stop the client; a server that
 * keeps dying is given up on after MAX_RESTARTS in RESTART_WINDOW_MS, with a message.
 */
function restartingErrorHandler(): ErrorHandler {
  const restarts: number[] = [];
  return {
    error: () => ({ action: ErrorAction.Continue, handled: true }),
    closed: () => {
      const now = Date.now();
      while (restarts.length && now - restarts[0] > RESTART_WINDOW_MS) restarts.shift();
      if (restarts.length >= MAX_RESTARTS) {
        return { action: CloseAction.DoNotRestart, message: `The llmlint server stopped ${MAX_RESTARTS + 1} times in 3 minutes and will not be restarted: see the llmlint output for why, then run "llmlint: Restart Server".` };
      }
      restarts.push(now);
      return { action: CloseAction.Restart, handled: true };
    },
  };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
