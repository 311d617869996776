/** Shared helpers for the tests that run inside the VS Code extension host. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { isAwaited, type Feature } from './awaiting';

export const EXTENSION_ID = 'llmlint.llmlint';

/** Scales every deadline (a slow CI machine: LLMLINT_E2E_TIME_SCALE=2). */
const SCALE = Number(process.env.LLMLINT_E2E_TIME_SCALE || 1);
/** How long the first analysis may take: server start, engine load, tokenizer tables. */
export const ANALYSIS_DEADLINE_MS = 60_000 * SCALE;
/** How long a provider may take to answer once the file's diagnostics are there. */
export const FEATURE_DEADLINE_MS = 20_000 * SCALE;
/** The same for a feature still awaiting the server, whose test is expected to fail. */
export const AWAITED_FEATURE_DEADLINE_MS = 5_000 * SCALE;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What a poll saw when its condition did not hold yet (shown if the deadline passes). */
export class Miss {
  constructor(readonly seen: unknown) {}
}
export const miss = (seen: unknown): Miss => new Miss(seen);

/**
 * Polls `probe` until it returns a value (anything but a `miss(...)`) or the deadline passes;
 * never a fixed sleep. On timeout the error names what was awaited and what the last probe saw.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | Miss | Promise<T | Miss>,
  deadlineMs = ANALYSIS_DEADLINE_MS,
  intervalMs = 100,
): Promise<T> {
  const start = Date.now();
  let seen: unknown;
  for (;;) {
    try {
      const r = await probe();
      if (!(r instanceof Miss)) return r;
      seen = r.seen;
    } catch (err) {
      seen = `probe threw: ${err instanceof Error ? err.message : String(err)}`;
    }
    if (Date.now() - start > deadlineMs) {
      throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}; last seen: ${JSON.stringify(seen, null, 1)}`);
    }
    await sleep(intervalMs);
  }
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open (the launcher opens test/fixtures/sample-app)');
  return folder.uri;
}

export function fixtureUri(relativePath: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...relativePath.split('/'));
}

/** Opens a file of the sample app in an editor, as a user would. */
export async function openFixture(relativePath: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(fixtureUri(relativePath));
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

/** Discards unsaved edits (the tests never save: the fixtures on disk stay as they are). */
export async function revert(doc: vscode.TextDocument): Promise<void> {
  if (!doc.isDirty) return;
  await vscode.window.showTextDocument(doc, { preview: false });
  await vscode.commands.executeCommand('workbench.action.files.revert');
  await waitFor(`${relativeName(doc)} to be reverted`, () => (doc.isDirty ? miss('dirty') : true), 10_000 * SCALE);
}

export function relativeName(doc: vscode.TextDocument): string {
  return vscode.workspace.asRelativePath(doc.uri, false);
}

export function codeOf(d: vscode.Diagnostic): string | undefined {
  if (d.code === undefined) return undefined;
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

export function llmlintDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'llmlint');
}

export function brief(d: vscode.Diagnostic): string {
  return `${d.range.start.line + 1}:${d.range.start.character + 1} ${codeOf(d)} (${d.source})`;
}

/** Waits until llmlint has published a diagnostic `rule` on 1-based `line` of `doc`. */
export function waitForDiagnostic(doc: vscode.TextDocument, rule: string, line: number, deadlineMs = ANALYSIS_DEADLINE_MS): Promise<vscode.Diagnostic> {
  return waitFor(`llmlint ${rule} on ${relativeName(doc)}:${line}`, () => {
    const all = vscode.languages.getDiagnostics(doc.uri);
    const hit = all.find((d) => d.source === 'llmlint' && codeOf(d) === rule && d.range.start.line === line - 1);
    return hit ?? miss(all.map(brief));
  }, deadlineMs);
}

export interface FeatureContext {
  /** The deadline this test's polls should use. */
  deadlineMs: number;
}

/**
 * A test of an editor feature the language server provides. While the feature is listed in
 * `AWAITING_SERVER` (awaiting.ts) its title says so, its polls give up sooner, and the runner
 * reports its failure as expected. The mocha test is tagged with the feature for the runner.
 */
export function featureTest(feature: Feature, title: string, fn: (ctx: FeatureContext) => Promise<void>): Mocha.Test {
  const awaited = isAwaited(feature);
  const deadlineMs = awaited ? AWAITED_FEATURE_DEADLINE_MS : FEATURE_DEADLINE_MS;
  const test = it(`${feature}: ${title}${awaited ? ' [awaiting server]' : ''}`, () => fn({ deadlineMs }));
  (test as Mocha.Test & { llmlintFeature?: Feature }).llmlintFeature = feature;
  return test;
}

/** Text of an inlay hint label (a string or label parts). */
export function labelText(h: vscode.InlayHint): string {
  return typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('');
}

/** Text of hover contents (MarkdownString, MarkedString or plain strings). */
export function hoverText(h: vscode.Hover): string {
  return h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : String(c))).join('\n');
}
