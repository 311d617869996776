/**
 * The cost panel in a real VS Code: the command opens it, and it draws the server's projection of
 * the sample app (its usage file gives the volumes).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, miss, waitFor } from './helpers';

interface Projection {
  scanning: boolean;
  monthlyCostUsd: number | null;
  callSites: Array<{ file: string; monthlyCostUsd: number | null }>;
  byModel: Record<string, number>;
}

describe('cost panel', () => {
  it('Show Cost Panel opens the panel with the projected monthly total of the workspace', async () => {
    const api = vscode.extensions.getExtension<{ panelProjection(): unknown }>(EXTENSION_ID)!.exports;
    await vscode.commands.executeCommand('llmlint.showCostPanel');
    const p = await waitFor('the panel to draw a finished projection', () => {
      const got = api.panelProjection() as Projection | null;
      if (!got || got.scanning || got.callSites.length < 14) {
        void vscode.commands.executeCommand('llmlint.showCostPanel'); // refreshes once the scan is done
        return miss([got ? `${got.callSites.length} call sites, scanning=${got.scanning}` : 'nothing drawn']);
      }
      return got;
    });
    assert.equal(p.callSites.length, 14);
    assert.ok(p.monthlyCostUsd !== null && p.monthlyCostUsd > 500 && p.monthlyCostUsd < 5000, `total ${p.monthlyCostUsd}`);
    const sum = p.callSites.reduce((acc, s) => acc + (s.monthlyCostUsd ?? 0), 0);
    assert.ok(Math.abs(sum - p.monthlyCostUsd!) < 0.01, 'the total is the sum of the call sites');
    assert.ok(p.byModel['gpt-4o'] > 0);
  });
});
