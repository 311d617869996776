/**
 * The prefilter decides which files are parsed at all. It must pass every file the extraction can
 * find a call in (else calls go missing silently), and should not pass files that only talk about
 * an SDK (else a provider SDK's own repository is parsed file by file for nothing).
 */
import assert from 'node:assert/strict';
import { mentionsLlm } from '../../server/src/core/analyze';
import type { SdkSpec } from '../../server/src/core/catalog';
import { DEFAULT_SETTINGS } from '../../server/src/core/settings';
import { analyze, testEngine } from '../helpers/engine';

/** `openai.OpenAI` → `openai`; `@langchain/community/chat_models/ollama.ChatOllama` → `@langchain/community/chat_models/ollama`. */
const moduleOf = (symbol: string): string => symbol.split('.')[0];

/** A name the SDK's calls go by (`create`, `generateText`): a file that imports the SDK and calls it names one. */
function aCallOf(sdk: SdkSpec): string {
  const spec = [...(sdk.methods ?? []), ...(sdk.functions ?? []), ...Object.values(sdk.methodGroups ?? {}).flat()][0];
  return spec.paths[0].split('.').pop()!;
}

describe('prefilter', () => {
  it('passes a TS/JS file that imports any module the catalogue knows, in every import form', async () => {
    const { catalog } = await testEngine();
    // A module and a call the file makes through it (a provider factory's calls are `ai`'s functions: see `lost` below).
    const modules = new Map<string, string>();
    for (const sdk of catalog.catalog.sdks) {
      if (sdk.language !== 'typescript' || sdk.markersIn === 'text') continue;
      for (const client of sdk.clients ?? []) if (!client.factory) for (const s of client.symbols) modules.set(moduleOf(s), aCallOf(sdk));
      for (const fn of sdk.functions ?? []) for (const p of fn.paths) modules.set(moduleOf(p), aCallOf(sdk));
    }
    assert.ok(modules.size > 20, `${modules.size} modules`);
    const missed: string[] = [];
    for (const [m, call] of modules) {
      for (const form of [`import X from '${m}';`, `import { X } from "${m}"`, `const X = require('${m}');`, `const X = await import('${m}');`, `export { X } from '${m}';`, `import type {\n  X,\n} from\n  '${m}';`]) {
        if (!mentionsLlm(`// app code\n${form}\nX.${call}();\n`, 'typescript', catalog)) missed.push(form);
      }
    }
    assert.deepEqual(missed, []);
  });

  it('passes a Python file that imports any module the catalogue knows, in every import form', async () => {
    const { catalog } = await testEngine();
    // `google.genai.Client`: imported as `import google.genai`, `from google.genai import Client`, `from google import genai`.
    const paths = new Map<string, string>();
    for (const sdk of catalog.catalog.sdks) {
      if (sdk.language !== 'python' || sdk.markersIn === 'text') continue;
      for (const client of sdk.clients ?? []) for (const s of client.symbols) paths.set(s.replace(/\(\)/g, ''), aCallOf(sdk));
      for (const fn of sdk.functions ?? []) for (const p of fn.paths) paths.set(p, aCallOf(sdk));
    }
    assert.ok(paths.size > 50, `${paths.size} symbols`);
    const missed: string[] = [];
    for (const [symbol, call] of paths) {
      const path = symbol.split('.');
      const module = path.slice(0, -1).join('.');
      const forms = [`import ${module}`, `import ${module} as sdk`, `from ${module} import ${path[path.length - 1]}`, `    from ${module} import (\n        ${path[path.length - 1]},\n    )`];
      if (path.length > 2) forms.push(`from ${path.slice(0, -2).join('.')} import ${path[path.length - 2]}`);
      for (const form of forms) if (!mentionsLlm(`"""App code."""\n${form}\nsdk.${call}()\n`, 'python', catalog)) missed.push(form);
    }
    assert.deepEqual(missed, []);
  });

  it('passes a file using an SDK reached through a general-purpose package when it names the SDK anywhere', async () => {
    const { catalog } = await testEngine();
    assert.ok(mentionsLlm(`import boto3\nclient = boto3.client("bedrock-runtime")\n`, 'python', catalog));
    assert.equal(mentionsLlm(`import boto3\ns3 = boto3.client("s3")\n`, 'python', catalog), false);
  });

  it('passes a file whose client comes from elsewhere when it calls a distinctive method path or names an endpoint', async () => {
    const { catalog } = await testEngine();
    assert.ok(mentionsLlm(`import { client } from './clients';\nawait client.chat.completions.create({ model: 'gpt-4o', messages });\n`, 'typescript', catalog));
    assert.ok(mentionsLlm(`await fetch('https://api.anthropic.com/v1/messages', { method: 'POST' });\n`, 'typescript', catalog));
  });

  // Each of these was a call site before the prefilter looked at imports only (found in review).
  const reached: Array<[string, string]> = [
    ['app/chat.ts', "import { chatModel, HumanMessage } from '@/lib/langchain';\nexport const ask = (q: string) => chatModel.invoke([new HumanMessage(q)]);\n"],
    ['app/models.ts', "import { ChatModelFactory } from '../langchain/models';\nconst model = ChatModelFactory.create();\nexport const ask = (q: string) => model.invoke(q);\n"],
    ['app/converse.ts', "import { bedrock, ConverseCommand } from './bedrock-client';\nexport const ask = (messages: any[]) => bedrock.send(new ConverseCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', messages }));\n"],
    ['app/co.py', 'try: import cohere\nexcept ImportError: pass\nco = cohere.ClientV2()\nco.chat(model="command-r", messages=[{"role": "user", "content": "Hi"}])\n'],
    ['app/star.py', 'from .deps import *\nopenai.ChatCompletion.create(model="gpt-3.5-turbo", messages=[{"role": "user", "content": "Hi"}])\n'],
    ['app/raw.py', 'def ask(client):\n    return client.messages.with_raw_response.create(model="claude-3-5-haiku-latest", max_tokens=10, messages=[])\n'],
    // Found in the second review: a one-segment method path, a chain split over lines, `?.`, a bundler comment.
    ['app/nova.py', 'def ask(runtime, messages):\n    return runtime.converse(modelId="amazon.nova-lite-v1:0", messages=messages)\n'],
    ['app/nova.ts', "import { runtime } from './aws';\nexport const ask = (messages: any[]) => runtime.converse({ modelId: 'amazon.nova-lite-v1:0', messages });\n"],
    ['app/stream.ts', "import { anthropic } from './client';\nexport const ask = () => anthropic.messages\n  .stream({ model: 'claude-3-5-haiku-latest', max_tokens: 100, messages: [] });\n"],
    ['app/gemini.py', 'def ask(client):\n    return (client.models\n        .generate_content(model="gemini-2.0-flash", contents="Hi"))\n'],
    ['app/optional.ts', "export const ask = (client?: any) => client?.chat?.completions?.create({ model: 'gpt-4o-mini', max_tokens: 5, messages: [] });\n"],
    // An import alone is not enough (`CallGate`): the file must name a call. A provider factory's calls are `ai`'s functions.
    ['app/local.ts', "import { ollama } from 'ollama-ai-provider';\nimport { generateText } from 'ai';\nexport const ask = (prompt: string) => generateText({ model: ollama('llama3.2'), prompt, maxOutputTokens: 50 });\n"],
    // A one-segment method path counts called or handed to an indirect call, not as a word in a URL.
    ['app/nova_async.py', 'import asyncio\n\nasync def ask(runtime, messages):\n    return await asyncio.to_thread(runtime.converse, modelId="amazon.nova-lite-v1:0", messages=messages)\n'],
    // A raw HTTP client must be called or handed on (`httpPattern.calls`): a global kept under another name is.
    ['app/send.ts', "const send = fetch;\nexport const ask = (prompt: string) => send('https://api.openai.com/v1/chat/completions', { method: 'POST', body: JSON.stringify({ model: 'gpt-4o-mini', max_tokens: 50, messages: [{ role: 'user', content: prompt }] }) });\n"],
    // Found in review: HTTP client methods handed on, aliased imports, type arguments, a trailing comment.
    ['app/send.py', "import requests\n\nsend = requests.post\nres = send(\"https://api.deepseek.com/chat/completions\", json={\"model\": \"deepseek-chat\", \"max_tokens\": 50, \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]})\n"],
    ['app/thread.py', "import asyncio\nimport requests\n\nasync def ask():\n    return await asyncio.to_thread(requests.post, \"https://api.deepseek.com/chat/completions\", json={\"model\": \"deepseek-chat\", \"max_tokens\": 50, \"messages\": []}, timeout=30)\n"],
    ['app/undici.ts', "import { fetch as undiciFetch } from 'undici';\nexport const ask = (prompt: string) => undiciFetch('https://api.openai.com/v1/chat/completions', { method: 'POST', body: JSON.stringify({ model: 'gpt-4o-mini', max_tokens: 50, messages: [{ role: 'user', content: prompt }] }) });\n"],
    ['app/gotsend.ts', "import got from 'got';\nconst send = got.post;\nexport const ask = (prompt: string) => send('https://api.openai.com/v1/chat/completions', { json: { model: 'gpt-4o-mini', max_tokens: 50, messages: [{ role: 'user', content: prompt }] } });\n"],
    ['app/gotgeneric.ts', "import got from 'got';\nexport const ask = (prompt: string) => got.post<{ id: string }>('https://api.openai.com/v1/chat/completions', { json: { model: 'gpt-4o-mini', max_tokens: 50, messages: [{ role: 'user', content: prompt }] } });\n"],
    ['app/fetchcomment.ts', "const send = fetch // the global one\nexport const ask = (prompt: string) => send('https://api.openai.com/v1/chat/completions', { method: 'POST', body: JSON.stringify({ model: 'gpt-4o-mini', max_tokens: 50, messages: [{ role: 'user', content: prompt }] }) });\n"],
    ['app/lazy.ts', "export async function ask(prompt: string) {\n  const { generateText } = await import(/* webpackChunkName: \"ai\" */ 'ai');\n  return generateText({ model: 'openai/gpt-4o-mini', prompt, maxOutputTokens: 50 });\n}\n"],
  ];
  for (const [path, text] of reached) {
    it(`passes, and finds the call in, ${path}: ${text.split('\n')[0]}`, async () => {
      assert.equal((await analyze(path, text)).callSites.length, 1);
    });
  }

  it('scans long lines in linear time (a hang here is caught by the test timeout)', async () => {
    const { catalog } = await testEngine();
    // Each of these took seconds to minutes when a pattern could scan from every "from" to the line's end.
    const python = [`DATA = "${'data from the web '.repeat(60_000)}"\n`, `x = "${'import a '.repeat(120_000)}"\n`, 'from x import (\n'.repeat(100_000)];
    for (const text of python) assert.equal(mentionsLlm(text, 'python', catalog), false);
    for (const text of [`import${' '.repeat(100_000)}x\n`, `const s = "${"from '".repeat(100_000)}";\n`, `x${'\n'.repeat(100_000)}.y\n`]) assert.equal(mentionsLlm(text, 'typescript', catalog), false);
  });

  it('does not parse a Python file that only names SDKs in settings, strings and docstrings', async () => {
    const text = ['"""Defaults for the litellm and openai providers."""', 'DEFAULT_MODEL = "openai/gpt-4o"', 'LITELLM_KEY = "litellm_api_key"', 'def broken(:'].join('\n');
    assert.deepEqual((await analyze('server/constants.py', text)).warnings, []);
    assert.match((await analyze('server/llm.py', `import litellm\nlitellm.completion(model=DEFAULT_MODEL, messages=[])\n${text}`)).warnings[0]?.message ?? '', /syntax error/);
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
    const imported = await analyze('src/chat.ts', `import OpenAI from 'openai';\nawait new OpenAI().responses.create({ model: 'gpt-4o', input: 'Hi' });\n${text}`);
    assert.match(imported.warnings[0]?.message ?? '', /syntax error/);
  });

  it('does not parse a file that imports an SDK but names none of its calls', async () => {
    // Most files of an AI app import the SDK for a type, a hook or a provider factory. The syntax error shows whether the file was parsed.
    const ts = [`import { type UIMessage, convertToModelMessages } from 'ai';`, `import { openai } from '@ai-sdk/openai';`, `export const model = openai('gpt-4o');`, `export function broken( {`].join('\n');
    assert.deepEqual((await analyze('app/model.ts', ts)).warnings, []);
    // `create` is an OpenAI SDK call, but `@ai-sdk/openai` is not the OpenAI SDK's module (`openai`).
    const factory = [`import { createOpenAI } from '@ai-sdk/openai';`, `export const create = () => createOpenAI({ apiKey: process.env.KEY })('gpt-4o');`, `export function broken( {`].join('\n');
    assert.deepEqual((await analyze('app/provider.ts', factory)).warnings, []);
    const py = ['from openai import OpenAI', 'client = OpenAI(timeout=30)', 'def broken(:'].join('\n');
    assert.deepEqual((await analyze('app/clients.py', py)).warnings, []);
  });

  it('parses a file that imports an SDK without calling it when a rule reads it: a hard-coded key, an llmlint comment', async () => {
    const key = await analyze('app/client.ts', "import OpenAI from 'openai';\nexport const client = new OpenAI({ apiKey: 'sk-proj-L4sQy17NtPd88am4fVUpb5CUKR87xPkumIk3zLp1f4WDeKsom9z3vGc8' });\n");
    assert.deepEqual(key.diagnostics.map((d) => d.rule), ['hardcoded-api-key']);
    const comment = await analyze('app/client.py', 'from openai import OpenAI\nclient = OpenAI()  # llmlint: ignore[unbounded-output]\n', { ...DEFAULT_SETTINGS, reportUnusedDirectives: true });
    assert.deepEqual(comment.diagnostics.map((d) => d.rule), ['unused-suppression']);
  });

  it('passes a provider host only together with an HTTP client that could call it', async () => {
    const { catalog } = await testEngine();
    // A provider SDK's tests and defaults name the host everywhere and call it through their own helpers.
    const testFixture = `const server = createTestServer({ 'https://api.openai.com/v1/responses': {} });\n`;
    assert.equal(mentionsLlm(testFixture, 'typescript', catalog), false);
    assert.ok(mentionsLlm(`${testFixture}await fetch(url, { method: 'POST' });\n`, 'typescript', catalog));
    assert.ok(mentionsLlm(`import axios from 'axios';\nawait axios.post('https://api.groq.com/openai/v1/chat', body);\n`, 'typescript', catalog));
    assert.equal(mentionsLlm(`BASE_URL = "https://api.deepseek.com"\n`, 'python', catalog), false);
    // A provider SDK's own source: the host, and `fetch` as an option, a member and a word in a test name.
    const provider = [
      `const baseURL = 'https://api.anthropic.com/v1';`,
      `export interface Settings { fetch?: FetchFunction }`,
      `export const create = (config: Settings) => ({ baseURL, fetch: config.fetch });`,
      `it('includes the web fetch tool call', () => expect(request).toMatchSnapshot());`,
    ].join('\n');
    assert.equal(mentionsLlm(provider, 'typescript', catalog), false);
    // An SDK import and an HTTP call whose endpoint comes from another module (found in review).
    const raw = [`import type { ChatCompletion } from 'openai/resources';`, `import { CHAT_URL } from './urls';`, `export const ask = (): Promise<ChatCompletion> => fetch(CHAT_URL, { method: 'POST' }).then((r) => r.json());`].join('\n');
    assert.ok(mentionsLlm(raw, 'typescript', catalog));
    assert.equal(mentionsLlm("const url = `https://bedrock-runtime.us-east-1.amazonaws.com/model/${id}/converse`;\n", 'typescript', catalog), false);
    assert.ok(mentionsLlm(`${provider}\nawait fetch(baseURL, { method: 'POST' });\n`, 'typescript', catalog));
    assert.ok(mentionsLlm(`import httpx\nhttpx.post("https://api.deepseek.com/chat/completions", json=body)\n`, 'python', catalog));
  });
});
