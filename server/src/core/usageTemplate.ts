/**
 * A new usage file, as both the editor's "Open Usage File" and `llmlint usage --init` write it:
 * one template, so that `usage --init` can always add its entries under `callSites:` (a second
 * `callSites:` key, or entries after `callSites: {}`, would make the file invalid YAML).
 * No dependencies: the extension's client bundles it.
 */
export const USAGE_FILE_TEMPLATE = [
  '# Call volumes for llmlint: how often each LLM call runs (see the README).',
  '# `llmlint usage --init` adds every call site without volumes under callSites.',
  'version: 1',
  'callSites:',
  'files: {}',
  'features: {}',
  '',
].join('\n');
