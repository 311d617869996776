/**
 * Analysis settings. The engine takes them as plain data; the CLI and the language server build
 * them (from defaults now, from config files and editor settings as those arrive) per resource.
 */
import type { ModelPrice } from './pricing';
import type { Severity } from './types';

export type RuleSeverity = Severity | 'off';

export interface Settings {
  /** Tokens assumed for each prompt hole (`{document}`, `${user}`) without a declared size. */
  placeholderTokens: number;
  /** Declared sizes of named holes (`{document}` → 3000), from configuration or a usage file. */
  holeTokens: Record<string, number>;
  /** Output tokens assumed per call when the response length is unknown (bounded by the output bound). */
  expectedOutputTokens: number;
  /** `recommended` (the default) or `strict`: which default severity each rule has. */
  preset: 'recommended' | 'strict';
  /** Per-rule severity overrides; rules not listed use their preset's severity. */
  rules: Record<string, RuleSeverity>;
  /** Per-rule options (see each rule's docs). */
  ruleOptions: Record<string, Record<string, unknown>>;
  /** Value a fix writes for a missing output bound. */
  defaultMaxOutputTokens: number;
  /** Report suppression comments that suppress nothing. */
  reportUnusedDirectives: boolean;
  /** Names used in code → the model they run (Azure deployment names, internal aliases). */
  modelAliases: Record<string, string>;
  /** Price overrides per model, USD per 1M tokens (negotiated discounts, fine-tuned or self-hosted models). */
  priceOverrides: Record<string, Partial<ModelPrice>>;
}

export const DEFAULT_SETTINGS: Settings = {
  placeholderTokens: 250,
  holeTokens: {},
  expectedOutputTokens: 300,
  preset: 'recommended',
  rules: {},
  ruleOptions: {},
  defaultMaxOutputTokens: 1024,
  reportUnusedDirectives: false,
  modelAliases: {},
  priceOverrides: {},
};
