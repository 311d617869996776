/**
 * Editor features whose end-to-end tests wait for the language server to implement them.
 *
 * Their tests are real tests: they run every time and the report shows them (titled
 * `… [awaiting server]`). While a feature is listed here, its failing test is reported as an
 * expected failure and does not fail the run, and a passing one is reported as "now passing".
 * **To enable a feature's test, delete its id from this list**: from then on a failure fails the
 * run. `LLMLINT_E2E_STRICT=1` counts every test regardless of this list.
 */
export type Feature = 'inlay-hints' | 'code-lens' | 'hover' | 'quick-fix';

/** Empty: every feature above is implemented, so each test counts. Add an id while a feature is being built. */
export const AWAITING_SERVER: ReadonlySet<Feature> = new Set<Feature>([]);

export function isAwaited(feature: Feature): boolean {
  return process.env.LLMLINT_E2E_STRICT !== '1' && AWAITING_SERVER.has(feature);
}
