/**
 * What a user sees on backend/summarize.py's call at line 26 (gpt-4o, no output bound): cost
 * inlay hint, code lens, hover and the quick fix. Features still awaiting the language server are
 * listed in awaiting.ts; their tests run and are reported, see there.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { brief, codeOf, featureTest, hoverText, labelText, llmlintDiagnostics, miss, openFixture, relativeName, revert, waitFor, waitForDiagnostic } from './helpers';

describe('editor features on backend/summarize.py:26', () => {
  let doc: vscode.TextDocument;
  /** The unbounded-output diagnostic, underlining the callee `client.chat.completions.create` on line 26. */
  let call: vscode.Diagnostic;

  before(async () => {
    doc = await openFixture('backend/summarize.py');
    // Diagnostics mean the server has analysed the file: from here on providers answer promptly.
    call = await waitForDiagnostic(doc, 'unbounded-output', 26);
  });

  featureTest('inlay-hints', 'an inlay hint "≈ $…" right after the call', async ({ deadlineMs }) => {
    const whole = new vscode.Range(0, 0, doc.lineCount, 0);
    const hint = await waitFor('an inlay hint starting with "≈ $" after the call', async () => {
      const hints = (await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', doc.uri, whole)) ?? [];
      const hit = hints.find((h) => labelText(h).trimStart().startsWith('≈ $'));
      return hit ?? miss(hints.map((h) => `${h.position.line + 1}:${h.position.character + 1} ${JSON.stringify(labelText(h))}`));
    }, deadlineMs);
    assert.match(labelText(hint).trim(), /^≈ \$\d+(\.\d+)?/);
    assert.ok(hint.position.isAfter(call.range.start), `the hint (${hint.position.line + 1}:${hint.position.character + 1}) comes after the call starts`);
    const before = doc.lineAt(hint.position.line).text.slice(0, hint.position.character);
    assert.ok(before.trimEnd().endsWith(')'), `the hint sits right after the call's closing parenthesis: ${JSON.stringify(before)}`);
  });

  featureTest('code-lens', 'a code lens above the call with the model and its cost', async ({ deadlineMs }) => {
    const lens = await waitFor('a code lens naming gpt-4o with a $ cost on the call', async () => {
      const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 10)) ?? [];
      const hit = lenses.find((l) => l.range.start.line === 25 && /gpt-4o/.test(l.command?.title ?? '') && (l.command?.title ?? '').includes('$'));
      return hit ?? miss(lenses.map((l) => `${l.range.start.line + 1}: ${l.command?.title ?? '(unresolved)'}`));
    }, deadlineMs);
    assert.match(lens.command!.title, /\$\d+(\.\d+)?/);
  });

  featureTest('hover', 'hovering the call shows the estimate as a Markdown table with "Input tokens"', async ({ deadlineMs }) => {
    const text = doc.lineAt(25).text; // "    response = client.chat.completions.create("
    const at = new vscode.Position(25, text.indexOf('create') + 2);
    const markdown = await waitFor('an llmlint hover with an "Input tokens" table row', async () => {
      const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at)) ?? [];
      const hit = hovers.map(hoverText).find((t) => /^\|.*Input tokens.*\|\s*$/m.test(t));
      return hit ?? miss(hovers.map(hoverText));
    }, deadlineMs);
    assert.match(markdown, /^\|\s*:?-{3,}:?\s*\|/m, 'a Markdown table (header separator row)');
    assert.match(markdown, /gpt-4o/);
    assert.match(markdown, /\$\d/);
  });

  featureTest('quick-fix', 'the quick fix "Add max_completion_tokens…" inserts max_completion_tokens=1024, keeping the formatting', async ({ deadlineMs }) => {
    const before = doc.getText();
    const action = await waitFor('a quick fix titled "Add max_completion_tokens…"', async () => {
      const actions = (await vscode.commands.executeCommand<Array<vscode.CodeAction | vscode.Command>>(
        'vscode.executeCodeActionProvider', doc.uri, call.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
      const hit = actions.find((a): a is vscode.CodeAction => 'edit' in a && !!a.edit && /^Add max_completion_tokens/.test(a.title));
      return hit ?? miss(actions.map((a) => a.title));
    }, deadlineMs);
    assert.ok(action.kind && vscode.CodeActionKind.QuickFix.contains(action.kind), `kind ${action.kind?.value} is a quick fix`);
    try {
      assert.ok(await vscode.workspace.applyEdit(action.edit!), 'the edit applies');
      // One new argument line, indented like its neighbours; nothing else changes.
      const expected = before.replace('        temperature=0.2,\n', '        temperature=0.2,\n        max_completion_tokens=1024,\n');
      assert.notEqual(expected, before);
      assert.equal(doc.getText(), expected);
      await waitFor(`unbounded-output to go away from ${relativeName(doc)}`, () => {
        const ds = llmlintDiagnostics(doc.uri);
        return ds.length > 0 && !ds.some((d) => codeOf(d) === 'unbounded-output') ? true : miss(ds.map(brief));
      }, deadlineMs);
    } finally {
      await revert(doc);
    }
    assert.equal(doc.getText(), before);
  });
});
