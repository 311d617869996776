/** Every rule, in the order the docs list them. A meta-test checks each has docs and fixtures. */
import { missingRetry } from './missing-retry';
import type { RuleDefinition } from './types';
import { unboundedOutput } from './unbounded-output';
import { unknownModel } from './unknown-model';

export const RULES: readonly RuleDefinition[] = [unboundedOutput, unknownModel, missingRetry];

export function findRule(id: string): RuleDefinition | undefined {
  return RULES.find((r) => r.id === id);
}
