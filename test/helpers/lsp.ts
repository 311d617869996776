/**
 * The language server in-process, over a pair of in-memory streams, with a client that records
 * what the server sends. Waits are polls on notifications, never sleeps.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { createConnection } from 'vscode-languageserver/node';
import type { Diagnostic, LogMessageParams, PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { startServer } from '../../server/src/lsp/server';
import { testEngine } from './engine';

/** A language server in-process on `root`, with a client that records every diagnostics publication and log message. */
export async function startInProcess(root: string) {
  const published = new Map<string, PublishDiagnosticsParams[]>();
  /** `window/logMessage` notifications (the server's `connection.console`), in order. */
  const logs: LogMessageParams[] = [];
  const waiters: Array<() => void> = [];

  /** Resolves when a diagnostics publication for `uri` satisfies `pred`. */
  function diagnosticsFor(uri: string, pred: (d: Diagnostic[]) => boolean = () => true): Promise<Diagnostic[]> {
    return new Promise((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri}`)), 15_000);
      const check = () => {
        const last = published.get(uri)?.at(-1);
        if (last && pred(last.diagnostics)) {
          clearTimeout(deadline);
          resolve(last.diagnostics);
          return true;
        }
        return false;
      };
      const wait = () => {
        if (!check()) waiters.push(wait);
      };
      wait();
    });
  }

  function open(rel: string, languageId: string, text = readFileSync(join(root, rel), 'utf8')): void {
    void client.sendNotification('textDocument/didOpen', { textDocument: { uri: pathToFileURL(join(root, rel)).toString(), languageId, version: 1, text } });
  }

  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const engine = await testEngine();
  startServer(createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient)), async () => engine);
  const client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  client.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.set(p.uri, [...(published.get(p.uri) ?? []), p]);
    for (const w of waiters.splice(0)) w();
  });
  client.onNotification('window/logMessage', (p: LogMessageParams) => {
    logs.push(p);
  });
  client.listen();
  await client.sendRequest('initialize', { processId: null, rootUri: pathToFileURL(root).toString(), workspaceFolders: [{ uri: pathToFileURL(root).toString(), name: basename(root) }], capabilities: {} });
  await client.sendNotification('initialized', {});
  return { client, published, logs, diagnosticsFor, open };
}

export type InProcessServer = Awaited<ReturnType<typeof startInProcess>>;
