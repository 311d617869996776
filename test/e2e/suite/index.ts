/**
 * The test runner VS Code loads in the extension host (`extensionTestsPath` →
 * test/e2e/out/index.js): it runs the *.test.js files next to it with mocha, so the tests can
 * `require('vscode')`. Used by both launchers (run-code-server.js, run-test-electron.js).
 *
 * Failures of tests whose feature is listed in awaiting.ts are reported but do not fail the run.
 * The run's outcome is printed as a closing `RESULT:` line and, when LLMLINT_E2E_RESULTS names a
 * file, written there as JSON for the launcher.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { AWAITING_SERVER, isAwaited, type Feature } from './awaiting';
import { emit } from './output';

interface Outcome {
  title: string;
  feature: Feature | null;
  state: 'passed' | 'failed';
  awaited: boolean;
  durationMs: number | null;
  error?: string;
}

export function run(): Promise<void> {
  // The spec reporter writes through Base.consoleLog: mark its lines as the suite's output.
  Mocha.reporters.Base.consoleLog = emit;
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    reporter: 'spec',
    // Each poll has its own, shorter deadline; this only catches a test that hangs outright.
    timeout: 180_000 * Number(process.env.LLMLINT_E2E_TIME_SCALE || 1),
    grep: process.env.LLMLINT_E2E_GREP || undefined,
  });
  for (const f of readdirSync(__dirname).filter((n) => n.endsWith('.test.js')).sort()) mocha.addFile(path.join(__dirname, f));

  const outcomes: Outcome[] = [];
  const record = (test: Mocha.Runnable, state: Outcome['state'], err?: Error) => {
    const feature = (test as Mocha.Runnable & { llmlintFeature?: Feature }).llmlintFeature ?? null;
    outcomes.push({
      title: test.fullTitle(),
      feature,
      state,
      awaited: feature !== null && isAwaited(feature),
      durationMs: test.duration ?? null,
      ...(err ? { error: String(err.message).split('\n')[0] } : {}),
    });
  };

  return new Promise((resolve, reject) => {
    const runner = mocha.run(() => {
      const passed = outcomes.filter((o) => o.state === 'passed' && !o.awaited);
      const failed = outcomes.filter((o) => o.state === 'failed' && !o.awaited); // hooks included
      const expectedFailures = outcomes.filter((o) => o.state === 'failed' && o.awaited);
      const nowPassing = outcomes.filter((o) => o.state === 'passed' && o.awaited);
      const summary = {
        passed: passed.length,
        failed: failed.length,
        awaitingServer: { features: [...AWAITING_SERVER], failing: expectedFailures.length, nowPassing: nowPassing.map((o) => o.feature) },
        strict: process.env.LLMLINT_E2E_STRICT === '1',
        tests: outcomes,
      };
      for (const o of nowPassing) {
        emit(`NOW PASSING: "${o.title}" — enable it: remove '${o.feature}' from AWAITING_SERVER in test/e2e/suite/awaiting.ts`);
      }
      emit(`RESULT: ${passed.length} passed, ${failed.length} failed; awaiting the server: ${expectedFailures.length} failing as expected, ${nowPassing.length} now passing`);
      if (process.env.LLMLINT_E2E_RESULTS) {
        try {
          writeFileSync(process.env.LLMLINT_E2E_RESULTS, JSON.stringify(summary, null, 2));
        } catch (err) {
          emit(`could not write ${process.env.LLMLINT_E2E_RESULTS}: ${String(err)}`);
        }
      }
      if (failed.length > 0) reject(new Error(`${failed.length} end-to-end test(s) failed`));
      else resolve();
    });
    runner.on('pass', (test) => record(test, 'passed'));
    runner.on('fail', (test, err: Error) => record(test, 'failed', err));
  });
}
