// Writes server/schemas/llmlint.config.schema.json from the rule registry: `npm run docs`.
// VS Code validates llmlint.config.json against it (contributes.jsonValidation), and the engine
// validates every config with it. A test fails when it is out of date.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../server/src/core/rules/registry';

export const SCHEMA_PATH = join(__dirname, '..', 'server', 'schemas', 'llmlint.config.schema.json');

const severity = { enum: ['off', 'hint', 'info', 'warning', 'error'] };

export function buildSchema(): object {
  const rules: Record<string, object> = {};
  for (const r of RULES) {
    const options: Record<string, object> = {};
    for (const [name, o] of Object.entries(r.options ?? {})) {
      const type = Array.isArray(o.default) ? 'array' : typeof o.default;
      options[name] = { type, description: o.description, default: o.default };
    }
    rules[r.id] = {
      description: `${r.docs.summary} Default: ${r.defaultSeverity} (strict: ${r.strictSeverity}).`,
      oneOf: [
        severity,
        { type: 'array', items: [severity, { type: 'object', properties: options, additionalProperties: false }], additionalItems: false, minItems: 1 },
      ],
    };
  }
  const price = {
    type: 'object',
    additionalProperties: false,
    properties: {
      provider: { type: 'string' },
      inputPerMTok: { type: 'number', minimum: 0, description: 'USD per 1M input tokens' },
      outputPerMTok: { type: 'number', minimum: 0, description: 'USD per 1M output tokens' },
      cachedInputPerMTok: { type: 'number', minimum: 0 },
      batchInputPerMTok: { type: 'number', minimum: 0 },
      batchOutputPerMTok: { type: 'number', minimum: 0 },
      contextWindow: { type: 'integer', minimum: 1 },
      maxOutputTokens: { type: 'integer', minimum: 1 },
    },
  };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'llmlint configuration',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      extends: { enum: ['recommended', 'strict'], description: 'The preset whose default severities apply (default: recommended).' },
      rules: { type: 'object', additionalProperties: false, properties: rules, description: 'Per-rule severity, or [severity, options].' },
      include: { type: 'array', items: { type: 'string' }, description: 'Globs (relative to this file) of files to analyse; default: everything.' },
      exclude: { type: 'array', items: { type: 'string' }, description: 'Globs (relative to this file) of files to skip.' },
      placeholderTokens: { type: 'integer', minimum: 0, description: 'Tokens assumed for each prompt hole without a declared size (default 250).' },
      holeTokens: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 }, description: 'Sizes of named prompt holes, e.g. {"document": 3000, "history": 1200}; others use placeholderTokens.' },
      expectedOutputTokens: { type: 'integer', minimum: 0, description: 'Output tokens assumed per call when the response length is unknown (default 300).' },
      defaultMaxOutputTokens: { type: 'integer', minimum: 1, description: 'Output bound a fix writes (default 1024).' },
      reportUnusedDirectives: { type: 'boolean', description: 'Report suppression comments that suppress nothing.' },
      modelAliases: { type: 'object', additionalProperties: { type: 'string' }, description: 'Names used in code (Azure deployments, internal aliases) → the model they run, e.g. {"prod-gpt": "gpt-4o"}.' },
      prices: { type: 'object', additionalProperties: price, description: 'Price overrides per model (negotiated discounts, fine-tuned or self-hosted models), USD per 1M tokens.' },
    },
  };
}

if (require.main === module) {
  writeFileSync(SCHEMA_PATH, JSON.stringify(buildSchema(), null, 2) + '\n');
  console.log(`wrote ${SCHEMA_PATH}`);
}
