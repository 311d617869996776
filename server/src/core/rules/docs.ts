/** Renders a rule's fixed doc sections: `llmlint explain`, the README table and editor hovers use this. */
import type { DocExample, RuleDefinition } from './types';

function fence(examples: DocExample[]): string {
  return examples.map((e) => '```' + (e.language === 'python' ? 'python' : 'ts') + '\n' + e.code.replace(/\n$/, '') + '\n```').join('\n\n');
}

export function ruleMarkdown(rule: RuleDefinition): string {
  const d = rule.docs;
  return [
    `# ${rule.id}`,
    '',
    `Category: ${rule.category} · Default: ${rule.defaultSeverity} (strict: ${rule.strictSeverity}) · Fix: ${rule.fixSafety}`,
    '',
    '## What it does',
    d.whatItDoes,
    '',
    '## Why is this bad?',
    d.whyIsThisBad,
    '',
    '## Example',
    fence(d.example),
    '',
    '## Use instead',
    fence(d.useInstead),
    '',
    '## Fix safety',
    d.fixSafety,
    '',
    '## Options',
    d.options,
    '',
  ].join('\n');
}

export function rulesTable(rules: readonly RuleDefinition[]): string {
  const rows = rules.map((r) => `| \`${r.id}\` | ${r.category} | ${r.defaultSeverity} | ${r.strictSeverity} | ${r.fixSafety} | ${r.docs.summary} |`);
  return ['| Rule | Category | Default | Strict | Fix | What it flags |', '|---|---|---|---|---|---|', ...rows].join('\n');
}
