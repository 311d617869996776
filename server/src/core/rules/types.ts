import type { FileIR } from '../ir';
import type { Prices } from '../pricing';
import type { Resolver } from '../resolve';
import type { RuleSeverity, Settings } from '../settings';
import type { CallSite, Diagnostic, Fix, Severity } from '../types';

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

/**
 * What a rule reports. `severity` lets a rule grade its own findings (missing-timeout: warning
 * for raw HTTP, info for SDKs); a severity the user configured for the rule always wins.
 */
export type Report = Omit<Diagnostic, 'rule' | 'severity' | 'cell' | 'callSiteId' | 'fix'> & { fix?: Fix | null; callSiteId?: string | null; severity?: Severity };

export interface RuleContext {
  settings: Settings;
  /** This rule's options: its declared defaults overridden by configuration. */
  options: Record<string, unknown>;
  /** The analysed text (for notebooks, the joined code cells) and its language. */
  text: string;
  path: string;
  language: 'python' | 'typescript';
  prices: Prices;
  /** The file's IR and name resolution, for rules that look beyond the call's own arguments. */
  ir: FileIR;
  resolver: Resolver;
  /** Every call site in the file. */
  sites: readonly CallSite[];
  report(d: Report): void;
}

export interface RuleOption {
  default: string | number | boolean | string[];
  description: string;
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
  options?: Record<string, RuleOption>;
  /** Called once per call site; diagnostics default to the site's span and id. */
  checkCallSite?(site: CallSite, ctx: RuleContext): void;
  /** Called once per file, for rules that are not about one call (hard-coded keys, JSON parsing of results). */
  checkFile?(ctx: RuleContext): void;
}
