/** Every rule, in the order the docs list them. A meta-test checks each has docs and fixtures. */
import { missingRetry } from './missing-retry';
import type { RuleDefinition } from './types';
import { unboundedOutput } from './unbounded-output';
import { unknownModel } from './unknown-model';
// imports: cost rules (group A)
import { callInLoop } from './call-in-loop';
import { embeddingInLoop } from './embedding-in-loop';
import { multipliedCompletions } from './multiplied-completions';
import { outputBoundExceedsModel } from './output-bound-exceeds-model';
import { promptExceedsContext } from './prompt-exceeds-context';
import { unboundedConcurrency } from './unbounded-concurrency';
// imports: cost and correctness rules (group B)
import { cacheablePrefixNotCached } from './cacheable-prefix-not-cached';
import { expensiveModelForSmallTask } from './expensive-model-for-small-task';
import { deprecatedModel } from './deprecated-model';
import { hardcodedApiKey } from './hardcoded-api-key';
import { unpinnedModel } from './unpinned-model';
import { implicitTemperature } from './implicit-temperature';
import { missingSystemMessage } from './missing-system-message';
import { unvalidatedStructuredOutput } from './unvalidated-structured-output';
// imports: reliability rules (group C)
import { retryWithoutBackoff } from './retry-without-backoff';
import { stackedRetries } from './stacked-retries';
import { missingTimeout } from './missing-timeout';
import { unboundedAgentLoop } from './unbounded-agent-loop';
import { unhandledRateLimit } from './unhandled-rate-limit';

export const RULES: readonly RuleDefinition[] = [
  // cost
  unboundedOutput,
  // rules: group A
  outputBoundExceedsModel,
  promptExceedsContext,
  callInLoop,
  unboundedConcurrency,
  embeddingInLoop,
  multipliedCompletions,
  unknownModel,
  // rules: group B
  cacheablePrefixNotCached,
  expensiveModelForSmallTask,
  deprecatedModel,
  hardcodedApiKey,
  unpinnedModel,
  implicitTemperature,
  missingSystemMessage,
  unvalidatedStructuredOutput,
  // reliability
  missingRetry,
  // rules: group C
  retryWithoutBackoff,
  stackedRetries,
  missingTimeout,
  unboundedAgentLoop,
  unhandledRateLimit,
];

export function findRule(id: string): RuleDefinition | undefined {
  return RULES.find((r) => r.id === id);
}
