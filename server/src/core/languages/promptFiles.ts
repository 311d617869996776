/**
 * Prompt files as first-class sources: each file is one call site with its model, parameters,
 * messages and template holes, so the estimate and the rules apply to it like to a call in code.
 *
 *  - `.prompty` (YAML front matter: `model.configuration`, `model.parameters`; body with
 *    `system:` / `user:` / `assistant:` sections; Jinja2 or Mustache holes)
 *  - GitHub Models `*.prompt.yml` / `*.prompt.yaml` (`model`, `modelParameters`, `messages`)
 *  - Dotprompt `.prompt` (front matter `model`, `config.maxOutputTokens`; Handlebars body with
 *    `{{role "system"}}` markers)
 */
import { LineCounter, parseDocument } from 'yaml';
import type { Provider } from '../catalog';
import type { CallInfo, Span } from '../ir';
import { templateSegments } from '../prompt';
import type { CallFacts, PromptPart } from '../types';

export type PromptFileFormat = 'prompty' | 'github-models' | 'dotprompt';

export function promptFileFormat(path: string): PromptFileFormat | null {
  const lower = path.toLowerCase();
  if (lower.endsWith('.prompty')) return 'prompty';
  if (/\.prompt\.ya?ml$/.test(lower)) return 'github-models';
  if (lower.endsWith('.prompt')) return 'dotprompt';
  return null;
}

export interface PromptFileSite {
  facts: CallFacts;
  info: CallInfo;
  /** Problems with the file itself (invalid YAML), reported as warnings. */
  problems: string[];
}

/** `openai/gpt-4o-mini` (GitHub Models), `googleai/gemini-2.5-flash` (Genkit), … → provider and bare model. */
const PREFIX_PROVIDERS: Record<string, Provider> = {
  openai: 'openai', 'azure-openai': 'azure-openai', azure_openai: 'azure-openai', googleai: 'google', vertexai: 'google', google: 'google',
  anthropic: 'anthropic', mistral: 'mistral', 'mistral-ai': 'mistral', cohere: 'cohere', meta: 'other', microsoft: 'other', deepseek: 'other', xai: 'other',
};

export function analyzePromptFile(text: string, format: PromptFileFormat): PromptFileSite {
  const { data, body, problems, modelSpan } = split(text, format);
  const facts = format === 'prompty' ? prompty(data, body) : format === 'github-models' ? githubModels(data) : dotprompt(data, body);
  const firstLineEnd = text.indexOf('\n');
  const span: Span = modelSpan ?? { start: 0, end: firstLineEnd >= 0 ? firstLineEnd : text.length };
  const info: CallInfo = {
    expr: { k: 'call', span, callee: { k: 'other', span }, args: [], isNew: false, callId: -1 },
    scope: 0,
    loops: [],
    tries: [],
    enclosingCalls: [],
    awaited: false,
  };
  return { facts, info, problems };
}

interface Split {
  data: Record<string, unknown>;
  body: string;
  problems: string[];
  modelSpan: Span | null;
}

/** Front matter (or the whole YAML document) and the template body after it. */
function split(text: string, format: PromptFileFormat): Split {
  let yamlText = text;
  let yamlOffset = 0;
  let body = '';
  if (format !== 'github-models') {
    const m = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
    yamlText = m ? m[1] : '';
    yamlOffset = m ? m[0].indexOf(m[1]) : 0;
    body = m ? text.slice(m[0].length) : text;
  }
  const lines = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: lines, prettyErrors: false });
  // The YAML parser recurses per level of nesting and reports its own stack overflow as an error, once per level it unwinds.
  const problems = [...new Set(doc.errors.map((e) => `invalid YAML: ${/call stack/i.test(e.message) ? 'nests too deeply to read' : e.message.split('\n')[0]}`))];
  const js = doc.errors.length ? {} : doc.toJS();
  const data = js && typeof js === 'object' && !Array.isArray(js) ? (js as Record<string, unknown>) : {};
  // Point the call site at the `model` line.
  const node = doc.contents && 'items' in doc.contents ? (doc.contents.items as Array<{ key?: { value?: unknown; range?: number[] } }>).find((p) => p.key?.value === 'model') : undefined;
  const range = node?.key?.range;
  const modelSpan = range ? { start: yamlOffset + range[0], end: yamlOffset + range[1] } : null;
  return { data, body, problems, modelSpan };
}

function obj(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.trim() ? v.trim() : null;
}

function base(provider: Provider, api: string, model: string | null, bound: { param: string; value: number | null } | null, outputParams: string[], prompt: PromptPart[], temperature: number | null): CallFacts {
  return {
    provider,
    modelProvider: provider,
    api,
    kind: 'chat',
    heuristic: false,
    model: { value: model, expression: model ? null : '(no model in the prompt file)' },
    maxOutputTokens: bound && bound.value !== null ? { param: bound.param, value: bound.value, expression: null } : null,
    outputParams,
    boundFromReceiver: false,
    opaqueArgs: false,
    outputRequired: provider === 'anthropic',
    // Retries and timeouts belong to the code that runs the prompt, not to the file.
    retry: { kind: 'unknown', attempts: null, source: 'set by the code that runs this prompt', sdkAttempts: null },
    timeout: { seconds: null, source: 'unknown' },
    streaming: false,
    n: null,
    loops: [],
    prompt,
    temperature: temperature === null ? null : { value: temperature, expression: null },
    structuredOutput: null,
  };
}

function withPrefix(model: string | null, fallback: Provider): { provider: Provider; model: string | null } {
  if (!model) return { provider: fallback, model };
  const slash = model.indexOf('/');
  const prefix = slash > 0 ? model.slice(0, slash) : '';
  const provider = PREFIX_PROVIDERS[prefix.toLowerCase()];
  return provider ? { provider, model: model.slice(slash + 1) } : { provider: fallback, model };
}

/** `system:` / `user:` / `assistant:` lines split a prompty body into messages. */
function roleSections(body: string, markers: RegExp): PromptPart[] {
  const parts: PromptPart[] = [];
  let role = 'user';
  let buf: string[] = [];
  const flush = () => {
    const text = buf.join('\n').trim();
    if (text) parts.push({ role, segments: templateSegments(text) });
    buf = [];
  };
  for (const line of body.split(/\r?\n/)) {
    const m = markers.exec(line);
    if (m) {
      flush();
      role = m[1].toLowerCase();
      if (m[2]?.trim()) buf.push(m[2]);
    } else {
      buf.push(line);
    }
  }
  flush();
  return parts;
}

function prompty(data: Record<string, unknown>, body: string): CallFacts {
  const model = obj(data.model);
  const config = obj(model.configuration);
  const params = obj(model.parameters);
  const type = str(config.type) ?? 'openai';
  const provider: Provider = type.includes('azure') ? 'azure-openai' : type.includes('anthropic') ? 'anthropic' : type.includes('google') ? 'google' : 'openai';
  const name = str(config.azure_deployment) ?? str(config.name) ?? str(config.model) ?? str(model.id) ?? str(data.model);
  const bound = num(params.max_completion_tokens) !== null
    ? { param: 'model.parameters.max_completion_tokens', value: num(params.max_completion_tokens) }
    : num(params.max_tokens) !== null ? { param: 'model.parameters.max_tokens', value: num(params.max_tokens) } : null;
  const prompt = roleSections(body, /^\s*(system|user|assistant|developer)\s*:\s*(.*)$/i);
  return base(provider, 'prompty', name, bound, ['model.parameters.max_tokens'], prompt, num(params.temperature));
}

function githubModels(data: Record<string, unknown>): CallFacts {
  const { provider, model } = withPrefix(str(data.model), 'openai');
  const params = obj(data.modelParameters);
  const raw = num(params.max_completion_tokens) ?? num(params.max_tokens) ?? num(params.maxTokens);
  const param = num(params.max_completion_tokens) !== null ? 'modelParameters.max_completion_tokens' : num(params.max_tokens) !== null ? 'modelParameters.max_tokens' : 'modelParameters.maxTokens';
  const messages = Array.isArray(data.messages) ? data.messages : [];
  const prompt: PromptPart[] = messages.map((m) => ({ role: str(obj(m).role) ?? 'user', segments: templateSegments(String(obj(m).content ?? '')) }));
  return base(provider, 'prompt.yml', model, raw === null ? null : { param, value: raw }, ['modelParameters.max_tokens'], prompt, num(params.temperature));
}

function dotprompt(data: Record<string, unknown>, body: string): CallFacts {
  const { provider, model } = withPrefix(str(data.model), 'google');
  const config = obj(data.config);
  const bound = num(config.maxOutputTokens);
  const prompt = roleSections(body, /^\s*\{\{\s*role\s+"(system|user|model|assistant)"\s*\}\}(.*)$/i);
  return base(provider, 'dotprompt', model, bound === null ? null : { param: 'config.maxOutputTokens', value: bound }, ['config.maxOutputTokens'], prompt, num(config.temperature));
}
