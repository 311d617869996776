/**
 * Token counts are what every estimate rests on. The language server builds a count-only encoder
 * (core/tokenizer.ts, to keep ~110 MB of decode tables out of memory): its counts must equal
 * js-tiktoken's own encoder's, for both encodings and for text of every kind.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';
import o200k from 'js-tiktoken/ranks/o200k_base';
import { countingEncoder, countTokens } from '../../server/src/core/tokenizer';

const SAMPLES = [
  'You are a careful assistant. Summarise this ticket in three bullet points.',
  'Ünïcödé, 中文文本, العربية, emoji 👩‍💻🚀 and combining marks é',
  '    def f(x):\n        return {"a": [1, 2, 3]}\n\r\n\t',
  'Special-token text such as <|endoftext|> and <|im_start|> counts as ordinary text.',
  'a'.repeat(200) + ' ' + 'xyz'.repeat(50),
  readFileSync(join(__dirname, '..', 'fixtures', 'sample-app', 'backend', 'prompts', 'reply.txt'), 'utf8'),
  readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8'),
];

describe('token counts', () => {
  for (const [name, ranks] of [['o200k_base', o200k], ['cl100k_base', cl100k]] as const) {
    it(`count-only ${name} encoder gives the tokens js-tiktoken gives`, () => {
      const reference = new Tiktoken(ranks);
      const counting = countingEncoder(ranks);
      for (const text of SAMPLES) {
        const expected = reference.encode(text, [], []);
        assert.deepEqual(counting.encode(text, [], []), expected, text.slice(0, 60));
        assert.equal(countTokens(text, name), expected.length, text.slice(0, 60));
      }
    });
  }
});
