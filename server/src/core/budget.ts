/**
 * The per-file time budget: no file may hold up a run or the language server for long. The host
 * gives the clock (the core reads none itself, so tests can drive it); the engine checks it
 * between steps and while tree-sitter parses, and a file over budget becomes an `errors` entry.
 * TypeScript's parser cannot be interrupted; files big enough for it to matter are skipped by
 * size before they get here.
 */
export interface TimeBudget {
  limitMs: number;
  now: () => number;
}

export class BudgetExceeded extends Error {
  constructor(limitMs: number) {
    super(`analysis stopped after ${limitMs} ms, the per-file time budget: file skipped (a generated or minified file? exclude it in the config)`);
  }
}

/** Started when a file's analysis starts. */
export class Deadline {
  private readonly start: number;

  constructor(private readonly budget?: TimeBudget) {
    this.start = budget ? budget.now() : 0;
  }

  expired(): boolean {
    return !!this.budget && this.budget.now() - this.start > this.budget.limitMs;
  }

  /** Throws BudgetExceeded once the budget is spent. */
  check(): void {
    if (this.budget && this.expired()) throw new BudgetExceeded(this.budget.limitMs);
  }
}
