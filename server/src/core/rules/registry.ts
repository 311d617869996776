/** Every rule, in the order the docs list them. A meta-test checks each has docs and fixtures. */
import { missingRetry } from './missing-retry';
import type { RuleDefinition } from './types';
import { unboundedOutput } from './unbounded-output';
import { unknownModel } from './unknown-model';
// imports: cost rules (group A)
// imports: cost and correctness rules (group B)
// imports: reliability rules (group C)

export const RULES: readonly RuleDefinition[] = [
  // cost
  unboundedOutput,
  // rules: group A
  unknownModel,
  // rules: group B
  // reliability
  missingRetry,
  // rules: group C
];

export function findRule(id: string): RuleDefinition | undefined {
  return RULES.find((r) => r.id === id);
}
