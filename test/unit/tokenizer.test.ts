/**
 * Token counts are what every estimate rests on. core/tokenizer.ts counts with its own loop over
 * js-tiktoken's rank files (to keep ~110 MB of decode tables out of memory and each word counted
 * once): its counts must equal js-tiktoken's own encoder's, for both encodings and for text of
 * every kind.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';
import o200k from 'js-tiktoken/ranks/o200k_base';
import { countTokens, TokenCounter } from '../../server/src/core/tokenizer';

const SAMPLES = [
  'You are a careful assistant. Summarise this ticket in three bullet points.',
  'Ünïcödé, 中文文本, العربية, emoji 👩‍💻🚀 and combining marks é',
  '    def f(x):\n        return {"a": [1, 2, 3]}\n\r\n\t',
  'Special-token text such as <|endoftext|> and <|im_start|> counts as ordinary text.',
  'a'.repeat(200) + ' ' + 'xyz'.repeat(50),
  readFileSync(join(__dirname, '..', 'fixtures', 'sample-app', 'backend', 'prompts', 'reply.txt'), 'utf8'),
  readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8'),
  readFileSync(join(__dirname, '..', '..', 'server', 'src', 'core', 'tokenizer.ts'), 'utf8'),
  // Long pre-tokens, where the byte-pair merge does the most rounds: a word, a number-free blob, CJK.
  'Pneumonoultramicroscopicsilicovolcanoconiosis'.repeat(12),
  'QWxhZGRpbjpvcGVuIHNlc2FtZQ'.replace(/\d/g, '').repeat(20),
  '東京特許許可局長今日急遽休暇許可拒否'.repeat(8),
  ' \u00a0\u2003\t\u200b', '', '\n\n\n', '<|im_start|>user\nHi<|im_end|>',
];

describe('token counts', () => {
  for (const [name, ranks] of [['o200k_base', o200k], ['cl100k_base', cl100k]] as const) {
    it(`counts ${name} tokens as js-tiktoken's encoder does`, () => {
      const reference = new Tiktoken(ranks);
      const counting = new TokenCounter(ranks);
      for (const text of SAMPLES) {
        const expected = reference.encode(text, [], []).length;
        assert.equal(counting.count(text), expected, text.slice(0, 60));
        assert.equal(countTokens(text, name), expected, text.slice(0, 60));
      }
    });
  }
});
