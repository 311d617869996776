/** The README's rule table is generated from the rule docs; it must not drift. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { README, renderReadme } from '../../scripts/gen-docs';

describe('docs', () => {
  it('README rule table matches the rules (run `npm run docs` to regenerate)', () => {
    const current = readFileSync(README, 'utf8');
    assert.equal(current, renderReadme(current));
  });
});
