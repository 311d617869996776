/** SARIF 2.1.0 for GitHub code scanning and other viewers; validated against the OASIS schema in tests. */
import { RULES } from '../../core/rules/registry';
import { ruleMarkdown } from '../../core/rules/docs';
import type { JsonReport } from '../report';

const LEVEL = { error: 'error', warning: 'warning', info: 'note', hint: 'note' } as const;
const RULE_LEVEL = { error: 'error', warning: 'warning', info: 'note', hint: 'note', off: 'none' } as const;

export function formatSarif(report: JsonReport): string {
  const ruleIndex = new Map(RULES.map((r, i) => [r.id, i]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            informationUri: 'https://github.com/llmlint/llmlint',
            rules: RULES.map((r) => ({
              id: r.id,
              name: r.id,
              shortDescription: { text: r.docs.summary },
              fullDescription: { text: r.docs.whatItDoes },
              help: { text: r.docs.whyIsThisBad, markdown: ruleMarkdown(r) },
              defaultConfiguration: { level: RULE_LEVEL[r.defaultSeverity] },
              properties: { category: r.category, tags: [r.category] },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        originalUriBaseIds: { SRCROOT: { uri: toFileUri(report.root) } },
        results: report.diagnostics.map((d) => ({
          ruleId: d.rule,
          ruleIndex: ruleIndex.get(d.rule) ?? -1,
          level: LEVEL[d.severity],
          message: { text: `${d.message} ${d.help}` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: encodeURI(d.file), uriBaseId: 'SRCROOT' },
                region: { startLine: d.line, startColumn: d.column, endLine: d.endLine, endColumn: d.endColumn },
              },
            },
          ],
          ...(d.cell !== null ? { properties: { notebookCell: d.cell } } : {}),
          ...(d.fix
            ? {
                fixes: [
                  {
                    description: { text: `${d.fix.description} (${d.fix.safety})` },
                    artifactChanges: [
                      {
                        artifactLocation: { uri: encodeURI(d.file), uriBaseId: 'SRCROOT' },
                        replacements: d.fix.edits.map((e) => ({
                          deletedRegion: { startLine: e.line, startColumn: e.column, endLine: e.endLine, endColumn: e.endColumn },
                          insertedContent: { text: e.newText },
                        })),
                      },
                    ],
                  },
                ],
              }
            : {}),
        })),
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: report.errors.map((e) => ({
              level: 'error',
              message: { text: e.message },
              locations: [{ physicalLocation: { artifactLocation: { uri: encodeURI(e.file), uriBaseId: 'SRCROOT' } } }],
            })),
          },
        ],
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

function toFileUri(path: string): string {
  const p = path.endsWith('/') ? path : `${path}/`;
  return 'file://' + encodeURI(p.startsWith('/') ? p : `/${p}`);
}
