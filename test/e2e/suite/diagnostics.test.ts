/**
 * The extension in a real VS Code: it activates on the sample app and its language server's
 * diagnostics reach the editor, and follow edits.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { emit } from './output';
import { EXTENSION_ID, brief, codeOf, llmlintDiagnostics, miss, openFixture, revert, waitFor, waitForDiagnostic } from './helpers';

describe('llmlint in a real VS Code extension host', () => {
  it('runs with the real vscode API and the sample app as the workspace', () => {
    emit(`      VS Code ${vscode.version} (${vscode.env.appName}, ${vscode.env.appHost}${vscode.env.remoteName ? `, remote ${vscode.env.remoteName}` : ''}), Node ${process.version}`);
    assert.match(vscode.version, /^1\.\d+\.\d+/);
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1);
    assert.equal(path.basename(folders[0].uri.fsPath), 'sample-app');
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is loaded`);
    emit(`      ${EXTENSION_ID} ${ext.packageJSON.version} from ${ext.extensionPath}`);
  });

  it('activates when a Python file is opened', async () => {
    await openFixture('backend/summarize.py');
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    await waitFor(`${EXTENSION_ID} to activate`, () => (ext.isActive ? true : miss('inactive')));
    // A figure, not a timing assertion: the issue's target is ≤ 100 ms (the server loads after).
    const { activationMs } = ext.exports as { activationMs: number };
    assert.equal(typeof activationMs, 'number');
    emit(`      activation took ${activationMs.toFixed(1)} ms (target ≤ 100 ms; the language server starts in the background)`);
  });

  it('backend/summarize.py: unbounded-output on the call at line 26', async () => {
    const doc = await openFixture('backend/summarize.py');
    const d = await waitForDiagnostic(doc, 'unbounded-output', 26);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(d.range.start.character, 15, 'starts at the callee, column 16');
    assert.match(d.message, /no output-token bound \(`max_completion_tokens`\)/);
    assert.match(d.message, /\$0\.\d+ per call/);
  });

  it('web/src/moderation.ts: missing-retry on the raw fetch at line 21', async () => {
    const doc = await openFixture('web/src/moderation.ts');
    const d = await waitForDiagnostic(doc, 'missing-retry', 21);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(d.message, /Raw HTTP call to the openai API with no retry/);
    // The same call has no timeout and no output bound either.
    await waitForDiagnostic(doc, 'missing-timeout', 21);
    await waitForDiagnostic(doc, 'unbounded-output', 21);
  });

  it('diagnostics follow edits: adding an output bound clears unbounded-output, undoing brings it back', async () => {
    const doc = await openFixture('backend/summarize.py');
    await waitForDiagnostic(doc, 'unbounded-output', 26);
    const line = doc.lineAt(31); // "        temperature=0.2,"
    assert.equal(line.text.trim(), 'temperature=0.2,');
    try {
      const edit = new vscode.WorkspaceEdit();
      edit.insert(doc.uri, line.range.end, '\n        max_completion_tokens=512,');
      assert.ok(await vscode.workspace.applyEdit(edit), 'edit applied');
      await waitFor('unbounded-output to disappear after the edit', () => {
        const ds = llmlintDiagnostics(doc.uri);
        return ds.length > 0 && !ds.some((d) => codeOf(d) === 'unbounded-output') ? true : miss(ds.map(brief));
      });
    } finally {
      await revert(doc);
    }
    await waitForDiagnostic(doc, 'unbounded-output', 26);
  });

  it('a killed language server is restarted by the client and analyses again', async () => {
    const api = vscode.extensions.getExtension<{ serverPid(): number | undefined }>(EXTENSION_ID)!.exports;
    const doc = await openFixture('backend/summarize.py');
    await waitForDiagnostic(doc, 'unbounded-output', 26);
    const pid = await waitFor('the server to report its pid', () => api.serverPid() ?? miss([]));
    process.kill(pid, 'SIGKILL');
    // Edit so the restarted server has something to analyse, then expect a new pid and fresh results.
    const line = doc.lineAt(31);
    try {
      const edit = new vscode.WorkspaceEdit();
      edit.insert(doc.uri, line.range.end, ' ');
      await vscode.workspace.applyEdit(edit);
      const next = await waitFor('a restarted server (new pid)', async () => {
        const now = api.serverPid();
        if (now !== undefined && now !== pid) return now;
        // Nudge: the restarted client re-sends open documents; an edit makes it analyse.
        const e = new vscode.WorkspaceEdit();
        e.insert(doc.uri, doc.lineAt(31).range.end, ' ');
        await vscode.workspace.applyEdit(e);
        return miss([`pid ${String(now)}`]);
      });
      assert.notEqual(next, pid);
    } finally {
      await revert(doc);
    }
    await waitForDiagnostic(doc, 'unbounded-output', 26);
  });
});
