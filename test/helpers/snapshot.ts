/**
 * Expected-output files: `matchSnapshot(name, value)` compares with test/snapshots/<name>.
 * `UPDATE_SNAPSHOTS=1 npm test` rewrites them; review the diff before committing.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const DIR = join(__dirname, '..', 'snapshots');

export function matchSnapshot(name: string, actual: string): void {
  const file = join(DIR, name);
  if (process.env.UPDATE_SNAPSHOTS === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  assert.ok(existsSync(file), `snapshot ${name} is missing: run UPDATE_SNAPSHOTS=1 npm test and review it`);
  assert.equal(actual, readFileSync(file, 'utf8'), `output differs from test/snapshots/${name} (UPDATE_SNAPSHOTS=1 to accept)`);
}
