// Writes server/schemas/llmlint.usage.schema.json, the JSON schema of llmlint.usage.yml (editors
// with YAML schema support validate and complete the file with it): `npm run docs`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const USAGE_SCHEMA_PATH = join(__dirname, '..', 'server', 'schemas', 'llmlint.usage.schema.json');

const entry = {
  type: 'object',
  additionalProperties: false,
  properties: {
    callsPerDay: { type: 'number', minimum: 0, description: 'Calls per day (× 30 for a month).' },
    callsPerMonth: { type: 'number', minimum: 0 },
    outputTokens: { type: 'number', minimum: 0, description: 'Expected output tokens per completion.' },
    cacheHitRate: { type: 'number', minimum: 0, maximum: 1, description: 'Share of input tokens served from the prompt cache.' },
    batchShare: { type: 'number', minimum: 0, maximum: 1, description: 'Share of calls sent through a Batch API.' },
    feature: { type: 'string', description: 'The product feature the call serves (totals by feature).' },
  },
};

export function buildUsageSchema(): object {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'llmlint usage file (llmlint.usage.yml)',
    type: 'object',
    additionalProperties: false,
    properties: {
      version: { const: 1 },
      loopFactor: { type: 'number', exclusiveMinimum: 0, description: 'Iterations assumed for a loop without a static trip count (default 10).' },
      holes: { type: 'object', additionalProperties: { type: 'number', minimum: 0 }, description: 'Sizes of named prompt holes, in tokens.' },
      // `callSites:` with only commented-out entries under it (as `llmlint usage --init` writes them) is null.
      callSites: { type: ['object', 'null'], additionalProperties: entry, description: 'Volumes per call-site id (file::function#n, as in the JSON output).' },
      files: { type: 'object', additionalProperties: entry, description: 'Volumes per file glob.' },
      features: { type: 'object', additionalProperties: entry, description: 'Defaults per feature.' },
      profiles: { type: 'object', additionalProperties: { type: 'number', minimum: 0 }, description: 'Traffic scenarios as multipliers of the volumes, e.g. { low: 0.5, high: 3 }.' },
    },
  };
}

if (require.main === module) {
  writeFileSync(USAGE_SCHEMA_PATH, JSON.stringify(buildUsageSchema(), null, 2) + '\n');
  console.log(`wrote ${USAGE_SCHEMA_PATH}`);
}
