import { lastName } from '../ir';
import type { CallSite } from '../types';
import { receiverCall, settingsHidden, siteArg } from './support/call-args';
import type { RuleContext, RuleDefinition } from './types';

const INSTRUCTION_ROLES = new Set(['system', 'developer']);
/** Arguments that bring their own instructions: an agent, a continued conversation (and, for the Responses API, a stored `prompt`). */
const INSTRUCTIONS_ELSEWHERE = ['previous_response_id', 'previousResponseId', 'conversation', 'agent_id', 'agentId'];
/** Nested settings objects that can carry the system instruction. */
const CONTAINERS = ['config', 'generation_config', 'generationConfig', 'body', 'options'];
/** Ollama models carry a system prompt in their Modelfile; agents and raw-prompt APIs carry theirs in the text. */
const SKIPPED_APIS = /^(agents\.complete|invoke_model|invokeModel)/;

export const missingSystemMessage: RuleDefinition = {
  id: 'missing-system-message',
  category: 'correctness',
  defaultSeverity: 'off',
  strictSeverity: 'info',
  fixSafety: 'none',
  docs: {
    summary: 'A chat call with no system or developer instruction: the model’s role, scope and format are left to the user turn.',
    whatItDoes:
      'Flags chat and responses calls whose prompt is fully visible and has no system or developer message, no `system=` / ' +
      '`instructions` / `system_instruction` / `preamble`, and no stored prompt, agent or previous response that could carry ' +
      'one. Calls whose messages come from elsewhere (a history variable, a helper, a spread), whose settings objects are not ' +
      'visible, LangChain chains with a prompt template, Ollama (its Modelfile has a system prompt) and raw-prompt APIs are ' +
      'skipped. Off in `recommended`, on in `strict`.',
    whyIsThisBad:
      'Without a system message the model gets no stable role, scope, tone or output format, so answers drift with the user ' +
      'text and prompt injection in the user turn meets no standing instructions. The 2025 study of LLM code smells found ' +
      'calls with no system message in 34.5% of open-source LLM systems.',
    example: [
      { language: 'python', code: 'from openai import OpenAI\n\nclient = OpenAI()\n\n\ndef reply(ticket: str) -> str:\n    res = client.chat.completions.create(model="gpt-4.1-mini", messages=[{"role": "user", "content": ticket}], max_completion_tokens=300)\n    return res.choices[0].message.content or ""\n' },
      { language: 'typescript', code: "import Anthropic from '@anthropic-ai/sdk';\n\nconst client = new Anthropic();\n\nexport async function reply(ticket: string) {\n  return client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 300, messages: [{ role: 'user', content: ticket }] });\n}\n" },
    ],
    useInstead: [
      { language: 'python', code: 'from openai import OpenAI\n\nclient = OpenAI()\n\n\ndef reply(ticket: str) -> str:\n    res = client.chat.completions.create(\n        model="gpt-4.1-mini",\n        messages=[{"role": "system", "content": "You answer support tickets for Acme. Be brief."}, {"role": "user", "content": ticket}],\n        max_completion_tokens=300,\n    )\n    return res.choices[0].message.content or ""\n' },
      { language: 'typescript', code: "import Anthropic from '@anthropic-ai/sdk';\n\nconst client = new Anthropic();\n\nexport async function reply(ticket: string) {\n  return client.messages.create({\n    model: 'claude-haiku-4-5',\n    max_tokens: 300,\n    system: 'You answer support tickets for Acme. Be brief.',\n    messages: [{ role: 'user', content: ticket }],\n  });\n}\n" },
    ],
    fixSafety: 'No automatic fix: the instruction has to be written for the task.',
    options: 'None beyond the severity.',
  },
  checkCallSite(site, ctx) {
    if ((site.kind !== 'chat' && site.kind !== 'responses') || site.opaqueArgs || site.heuristic) return;
    if (site.modelProvider === 'ollama' || SKIPPED_APIS.test(site.api) || !site.prompt.length) return;
    if (site.prompt.some((p) => INSTRUCTION_ROLES.has(p.role))) return;
    // A part we could not read (`messages=history`, `[...history, msg]`) may hold the system message — except in the
    // native Anthropic and Google SDKs, whose messages and contents cannot carry one.
    if (site.prompt.some((p) => p.role === 'messages') && !systemOnlyAsParameter(site, ctx)) return;
    const elsewhere = site.api.startsWith('responses') ? [...INSTRUCTIONS_ELSEWHERE, 'prompt'] : INSTRUCTIONS_ELSEWHERE;
    if (elsewhere.some((p) => siteArg(site, ctx, p)) || CONTAINERS.some((p) => settingsHidden(site.info.expr, site.info.scope, ctx, p))) return;
    if (receiverHidesSettings(site, ctx)) return;
    if (messagesBuiltElsewhere(site, ctx) || (site.provider === 'langchain' && !directModel(site, ctx))) return;
    ctx.report({
      span: site.span,
      message: `\`${site.api}\` has no system or developer message: the model gets no standing instructions.`,
      note: 'Without a system message the role, scope and output format drift with the user text, and injected instructions meet no standing ones.',
      help: systemHelp(site, ctx.language === 'python'),
    });
  },
};

/** Anthropic's `messages` reject a system role and Gemini's `contents` have none: the system prompt is a parameter. */
function systemOnlyAsParameter(site: CallSite, ctx: RuleContext): boolean {
  const sym = ctx.resolver.resolveSym(site.info.expr.callee, site.info.scope);
  const path = sym && !sym.unbound ? sym.parts.map((p) => p.name).join('.') : '';
  return /^(anthropic\.|@anthropic-ai\/|google\.genai\.|google\.generativeai\.|@google\/genai\.|@google\/generative-ai\.)/.test(path);
}

/** A chat session or model object built elsewhere with settings we cannot see (`chats.create(config=cfg)`). */
function receiverHidesSettings(site: CallSite, ctx: RuleContext): boolean {
  const receiver = receiverCall(site, ctx);
  if (!receiver) return false;
  if (receiver.call.args.some((a) => a.spread)) return true;
  return [...CONTAINERS, 'system_instruction', 'systemInstruction'].some((p) => settingsHidden(receiver.call, receiver.scope, ctx, p));
}

/** `messages` is a list with spread items, or a variable that is appended to, extended or spliced before the call. */
function messagesBuiltElsewhere(site: CallSite, ctx: RuleContext): boolean {
  for (const name of ['messages', 'input', 'contents', '#0']) {
    const loc = siteArg(site, ctx, name);
    if (!loc) continue;
    const d = ctx.resolver.deref(loc.expr, loc.scope);
    if (d.expr.k === 'list' && /(^|[[,(\s])(\.\.\.|\*)[A-Za-z_]/.test(ctx.resolver.textOf(d.expr))) return true;
    const variable = loc.expr.k === 'name' ? loc.expr.name : null;
    if (variable && mutated(variable, ctx, site.info.scope)) return true;
  }
  return false;
}

/** `messages.append(…)`, `messages.push(…)`, `messages += […]`, `messages[0] = …` anywhere in the call's function. */
function mutated(name: string, ctx: RuleContext, scope: number): boolean {
  const text = ctx.resolver.textOf(ctx.ir.scopes[scope]);
  const escaped = name.replace(/[$]/g, '\\$&');
  return new RegExp(`\\b${escaped}\\s*(\\.\\s*(append|extend|insert|push|unshift|splice)\\s*\\(|\\+=|\\[[^\\]]*\\]\\s*=[^=])`).test(text);
}

/** LangChain: the call is on a chat model built here (`ChatOpenAI(...)`), not on a chain whose prompt template may hold the system message. */
function directModel(site: CallSite, ctx: RuleContext): boolean {
  const callee = site.info.expr.callee;
  if (callee.k !== 'attr') return false;
  const receiver = ctx.resolver.deref(callee.object, site.info.scope).expr;
  if (receiver.k !== 'call') return false;
  const ctor = lastName(receiver.callee);
  return /^(\w*Chat\w*|init_chat_model|initChatModel|OpenAI|OllamaLLM)$/.test(ctor) && !/Prompt|Template/.test(ctor);
}

function systemHelp(site: CallSite, python: boolean): string {
  const what = 'the role, scope and output format this call expects';
  if (site.provider === 'anthropic') return `Pass the instructions as \`${python ? 'system=' : 'system:'}\`: ${what}.`;
  if (site.api.startsWith('responses')) return `Pass \`instructions\` (${what}), or start \`input\` with a developer message.`;
  if (site.provider === 'google') return `Set \`${python ? 'system_instruction' : 'systemInstruction'}\` in the config: ${what}.`;
  if (site.provider === 'vercel-ai') return `Set \`system\` (AI SDK v7: \`instructions\`): ${what}.`;
  return `Start the messages with a system message: ${what}.`;
}
