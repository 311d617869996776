/**
 * The cost panel: a webview that draws the server's projection (it does no analysis of its own).
 * Strict CSP with a nonce; the page builds its DOM with textContent only, so strings from code
 * (a prompt may contain `<script>`) stay text.
 */
import { randomBytes } from 'node:crypto';
import { Range, Uri, ViewColumn, window, workspace, type ExtensionContext, type WebviewPanel } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { maskDeep } from '../../../server/src/core/secrets';

type Message = { type: 'ready' } | { type: 'open'; file: string; line: number } | { type: 'whatIf'; from: string; to: string; feature: string | null } | { type: 'refresh' };

export class CostPanel {
  private static current: CostPanel | undefined;
  /** What the panel last drew, for tests and the status item. */
  lastProjection: unknown = null;

  static show(context: ExtensionContext, client: LanguageClient): CostPanel {
    if (CostPanel.current) {
      CostPanel.current.panel.reveal();
      void CostPanel.current.refresh();
      return CostPanel.current;
    }
    const media = Uri.joinPath(context.extensionUri, 'client', 'media');
    const panel = window.createWebviewPanel('llmlint.costPanel', 'LLM cost', ViewColumn.Beside, { enableScripts: true, localResourceRoots: [media], retainContextWhenHidden: true });
    CostPanel.current = new CostPanel(panel, media, client);
    return CostPanel.current;
  }

  static get instance(): CostPanel | undefined {
    return CostPanel.current;
  }

  private constructor(private readonly panel: WebviewPanel, media: Uri, private readonly client: LanguageClient) {
    const nonce = randomBytes(16).toString('base64');
    const webview = panel.webview;
    const script = webview.asWebviewUri(Uri.joinPath(media, 'panel.js'));
    const style = webview.asWebviewUri(Uri.joinPath(media, 'panel.css'));
    webview.html = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${webview.cspSource}; script-src 'nonce-${nonce}'; img-src ${webview.cspSource} data:;">
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="${style}"><title>LLM cost</title></head>
<body><main id="app" aria-live="polite"><p>Loading the projection…</p></main><script nonce="${nonce}" src="${script}"></script></body></html>`;
    webview.onDidReceiveMessage((m: Message) => void this.handle(m));
    panel.onDidDispose(() => {
      CostPanel.current = undefined;
    });
  }

  async refresh(): Promise<void> {
    // The server masks provider keys read from source (a model name, an assumption); masked again
    // here so that no version of the server can put one on the page.
    const projection = maskDeep(await this.client.sendRequest('llmlint/projection'));
    this.lastProjection = projection;
    await this.panel.webview.postMessage({ type: 'projection', projection });
  }

  private async handle(m: Message): Promise<void> {
    if (m.type === 'ready' || m.type === 'refresh') return this.refresh();
    if (m.type === 'open') {
      const root = workspace.workspaceFolders?.[0]?.uri;
      if (!root) return;
      const doc = await workspace.openTextDocument(Uri.joinPath(root, m.file));
      const line = Math.max(0, m.line - 1);
      await window.showTextDocument(doc, { selection: new Range(line, 0, line, 0), viewColumn: ViewColumn.One });
      return;
    }
    if (m.type === 'whatIf') {
      const result = await this.client.sendRequest('llmlint/whatIf', { from: m.from, to: m.to, feature: m.feature });
      await this.panel.webview.postMessage({ type: 'whatIf', request: m, result });
    }
  }
}
