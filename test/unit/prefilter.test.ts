/**
 * The prefilter decides which files are parsed at all. It must pass every file the extraction can
 * find a call in (else calls go missing silently), and should not pass files that only talk about
 * an SDK (else a provider SDK's own repository is parsed file by file for nothing).
 */
import assert from 'node:assert/strict';
import { mentionsLlm } from '../../server/src/core/analyze';
import { analyze, testEngine } from '../helpers/engine';

/** `openai.OpenAI` → `openai`; `@langchain/community/chat_models/ollama.ChatOllama` → `@langchain/community/chat_models/ollama`. */
const moduleOf = (symbol: string): string => symbol.split('.')[0];

describe('prefilter', () => {
  it('passes a TS/JS file that imports any module the catalogue knows, in every import form', async () => {
    const { catalog } = await testEngine();
    const modules = new Set<string>();
    for (const sdk of catalog.catalog.sdks) {
      if (sdk.language !== 'typescript') continue;
      for (const client of sdk.clients ?? []) for (const s of client.symbols) modules.add(moduleOf(s));
      for (const fn of sdk.functions ?? []) for (const p of fn.paths) modules.add(moduleOf(p));
    }
    assert.ok(modules.size > 20, `${modules.size} modules`);
    const missed: string[] = [];
    for (const m of modules) {
      for (const form of [`import X from '${m}';`, `import { X } from "${m}"`, `const X = require('${m}');`, `const X = await import('${m}');`, `export { X } from '${m}';`, `import type {\n  X,\n} from\n  '${m}';`]) {
        if (!mentionsLlm(`// app code\n${form}\nX();\n`, 'typescript', catalog)) missed.push(form);
      }
    }
    assert.deepEqual(missed, []);
  });

  it('passes a file whose client comes from elsewhere when it calls a distinctive method path or names an endpoint', async () => {
    const { catalog } = await testEngine();
    assert.ok(mentionsLlm(`import { client } from './clients';\nawait client.chat.completions.create({ model: 'gpt-4o', messages });\n`, 'typescript', catalog));
    assert.ok(mentionsLlm(`await fetch('https://api.anthropic.com/v1/messages', { method: 'POST' });\n`, 'typescript', catalog));
  });

  it('does not parse a TS file that only names SDKs in words, ids, paths and comments', async () => {
    // A provider SDK's own source: the words are everywhere, no SDK is imported. The syntax error
    // shows whether the file was parsed (a parsed file reports it as a warning).
    const text = [
      `// Adapter for the openai and anthropic APIs (see ./openai-chat-model).`,
      `import { postJsonToApi } from '@ai-sdk/provider-utils';`,
      `import { OpenAIChatSettings } from './openai-chat-settings';`,
      `export const provider = 'openai.chat';`,
      `export function broken( {`,
    ].join('\n');
    const result = await analyze('packages/openai/src/openai-chat-model.ts', text);
    assert.deepEqual(result.warnings, []);
    const imported = await analyze('src/chat.ts', `import OpenAI from 'openai';\n${text}`);
    assert.match(imported.warnings[0]?.message ?? '', /syntax error/);
  });

  it('passes a provider host only together with an HTTP client that could call it', async () => {
    const { catalog } = await testEngine();
    // A provider SDK's tests and defaults name the host everywhere and call it through their own helpers.
    const testFixture = `const server = createTestServer({ 'https://api.openai.com/v1/responses': {} });\n`;
    assert.equal(mentionsLlm(testFixture, 'typescript', catalog), false);
    assert.ok(mentionsLlm(`${testFixture}await fetch(url, { method: 'POST' });\n`, 'typescript', catalog));
    assert.ok(mentionsLlm(`import axios from 'axios';\nawait axios.post('https://api.groq.com/openai/v1/chat', body);\n`, 'typescript', catalog));
    assert.equal(mentionsLlm(`BASE_URL = "https://api.deepseek.com"\n`, 'python', catalog), false);
    assert.ok(mentionsLlm(`import httpx\nhttpx.post("https://api.deepseek.com/chat/completions", json=body)\n`, 'python', catalog));
  });
});
