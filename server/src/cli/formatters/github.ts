/** GitHub Actions workflow commands: annotations on the pull request's changed lines. */
import type { JsonReport } from '../report';

const LEVEL = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' } as const;

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatGithub(report: JsonReport): string {
  const lines = report.diagnostics.map((d) => {
    const props = [`file=${escapeProperty(d.file)}`, `line=${d.line}`, `col=${d.column}`, `endLine=${d.endLine}`, `endColumn=${d.endColumn}`, `title=${escapeProperty(`llmlint(${d.rule})`)}`];
    return `::${LEVEL[d.severity]} ${props.join(',')}::${escapeData(`${d.message}\n${d.help}`)}`;
  });
  for (const e of report.errors) lines.push(`::error file=${escapeProperty(e.file)},title=llmlint::${escapeData(e.message)}`);
  return lines.join('\n') + (lines.length ? '\n' : '');
}
