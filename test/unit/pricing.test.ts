/** The committed price table and model-name normalisation. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { canonicalName, Prices } from '../../server/src/core/pricing';
import { PRICE_TABLE } from '../../server/src/node/engine';

const prices = new Prices(PRICE_TABLE);

describe('pricing', () => {
  it('models.json validates against its schema and carries its date and source', () => {
    const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', 'pricing', 'models.schema.json'), 'utf8'));
    const validate = new Ajv({ strict: false }).compile(schema);
    assert.ok(validate(PRICE_TABLE), JSON.stringify(validate.errors?.slice(0, 3)));
    assert.equal(PRICE_TABLE.asOf, '2026-07-24');
    assert.match(PRICE_TABLE.source, /LiteLLM/);
  });

  it('prices known models per million tokens', () => {
    const gpt4o = prices.lookup('gpt-4o', 'openai');
    assert.deepEqual([gpt4o?.price.inputPerMTok, gpt4o?.price.outputPerMTok, gpt4o?.price.maxOutputTokens], [2.5, 10, 16384]);
    assert.equal(prices.lookup('text-embedding-3-small', 'openai')?.price.inputPerMTok, 0.02);
  });

  it('normalises provider prefixes, dated snapshots and cloud ids', () => {
    const cases: Array<[string, Parameters<Prices['lookup']>[1], string]> = [
      ['openai/gpt-4o', 'litellm', 'gpt-4o'],
      ['gpt-4o-2024-08-06', 'openai', 'gpt-4o-2024-08-06'],
      ['models/gemini-2.5-flash', 'google', 'gemini-2.5-flash'],
      ['gemini-2.5-flash', 'google', 'gemini-2.5-flash'],
      ['us.anthropic.claude-3-5-sonnet-20241022-v2:0', 'bedrock', 'claude-3-5-sonnet-20241022'],
      ['claude-3-5-haiku-20241022', 'anthropic', 'claude-3-5-haiku-20241022'],
      ['mistral-small-latest', 'mistral', 'mistral-small-latest'],
    ];
    for (const [name, provider, canonical] of cases) {
      const hit = prices.lookup(name, provider);
      assert.ok(hit, `${name} is priced`);
      assert.equal(canonicalName(hit.key), canonical, name);
    }
  });

  it('never prices an unknown model at zero: the lookup is null', () => {
    assert.equal(prices.lookup('gpt-4o-turbo-preview-2', 'openai'), null);
    assert.equal(prices.lookup('', 'openai'), null);
  });

  it('suggests the nearest known names', () => {
    assert.equal(prices.suggest('claude-sonet-4-5', 'anthropic')[0], 'claude-sonnet-4-5');
    assert.equal(prices.suggest('gpt4o-mini', 'openai')[0], 'gpt-4o-mini');
  });
});
