import type { Prices } from '../pricing';
import type { RuleSeverity, Settings } from '../settings';
import type { CallSite, Diagnostic, Fix } from '../types';

export type RuleCategory = 'cost' | 'reliability' | 'correctness' | 'security';

/** A code sample in a rule's docs; the meta-test runs it through the engine. */
export interface DocExample {
  language: 'python' | 'typescript';
  code: string;
}

/** Fixed doc sections: the single source for `llmlint explain`, the README table and hovers. */
export interface RuleDocs {
  /** One line: the README table's description. */
  summary: string;
  whatItDoes: string;
  whyIsThisBad: string;
  example: DocExample[];
  useInstead: DocExample[];
  fixSafety: string;
  options: string;
}

export interface RuleContext {
  settings: Settings;
  text: string;
  language: 'python' | 'typescript';
  prices: Prices;
  report(d: Omit<Diagnostic, 'rule' | 'severity' | 'cell' | 'callSiteId' | 'fix'> & { fix?: Fix | null }): void;
}

export interface RuleDefinition {
  id: string;
  category: RuleCategory;
  /** Severity in the `recommended` preset. */
  defaultSeverity: RuleSeverity;
  /** Severity in the `strict` preset. */
  strictSeverity: RuleSeverity;
  fixSafety: 'none' | 'safe' | 'unsafe';
  docs: RuleDocs;
  checkCallSite(site: CallSite, ctx: RuleContext): void;
}
