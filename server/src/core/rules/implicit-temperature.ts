import type { CallSite } from '../types';
import { receiverCall, settingsHidden, siteArg } from './support/call-args';
import type { RuleContext, RuleDefinition } from './types';

const GENERATING = new Set(['chat', 'responses', 'completion']);
/** Reasoning models reject or ignore `temperature` (OpenAI o-series and GPT-5, DeepSeek's reasoner, codex-mini). */
const NO_TEMPERATURE = /^(o\d|gpt-5|codex-|deepseek-reasoner|deepseek-r1)/;
/** Parameters that turn on extended thinking, under which Anthropic only accepts the default temperature. */
const THINKING_PARAMS = ['thinking', 'reasoning_effort', 'reasoningEffort'];
/** Nested settings objects that can carry `temperature`. */
const CONTAINERS = ['config', 'generation_config', 'generationConfig', 'inferenceConfig', 'options', 'body', 'providerOptions', 'model_kwargs'];

export const implicitTemperature: RuleDefinition = {
  id: 'implicit-temperature',
  category: 'correctness',
  defaultSeverity: 'off',
  strictSeverity: 'info',
  fixSafety: 'none',
  docs: {
    summary: 'A generation call that leaves the sampling temperature to the provider’s default.',
    whatItDoes:
      'Flags chat, responses and completion calls (and LangChain models built without one) that do not set `temperature`, for ' +
      'models that accept it. Reasoning models that reject or ignore it (OpenAI o1/o3/o4 and GPT-5, DeepSeek Reasoner), calls ' +
      'with extended thinking, embeddings, calls whose model is not visible and calls whose arguments are not all visible are ' +
      'skipped. Off in `recommended`, on in `strict`.',
    whyIsThisBad:
      'Provider defaults differ (OpenAI and Anthropic 1.0, others lower) and change between models and SDK versions, so the ' +
      'same code samples differently when the model or library changes. Extraction, classification and tests want a low ' +
      'temperature; creative text wants a higher one — either way it should be a decision in the code. The 2025 study of LLM ' +
      'code smells found implicit temperature in 36.5% of open-source LLM systems.',
    example: [
      { language: 'python', code: 'from openai import OpenAI\n\nclient = OpenAI()\nclient.chat.completions.create(model="gpt-4.1-mini", messages=[{"role": "user", "content": "Extract the date"}], max_completion_tokens=20)\n' },
      { language: 'typescript', code: "import { generateText } from 'ai';\nimport { anthropic } from '@ai-sdk/anthropic';\n\nawait generateText({ model: anthropic('claude-haiku-4-5'), prompt: 'Classify this ticket', maxOutputTokens: 10 });\n" },
    ],
    useInstead: [
      { language: 'python', code: 'from openai import OpenAI\n\nclient = OpenAI()\nclient.chat.completions.create(model="gpt-4.1-mini", messages=[{"role": "user", "content": "Extract the date"}], max_completion_tokens=20, temperature=0)\n' },
      { language: 'typescript', code: "import { generateText } from 'ai';\nimport { anthropic } from '@ai-sdk/anthropic';\n\nawait generateText({ model: anthropic('claude-haiku-4-5'), prompt: 'Classify this ticket', maxOutputTokens: 10, temperature: 0 });\n" },
    ],
    fixSafety: 'No automatic fix: the right temperature depends on the task.',
    options: 'None beyond the severity.',
  },
  checkCallSite(site, ctx) {
    if (!GENERATING.has(site.kind) || site.temperature !== null || site.opaqueArgs || site.heuristic) return;
    const name = site.model.value ?? site.model.default ?? null;
    const key = site.estimate.priceKey ?? name;
    if (!name || !key || NO_TEMPERATURE.test(key.toLowerCase().slice(key.lastIndexOf('/') + 1))) return;
    // `invoke_model` serves embedding models too: the price table knows the model's mode.
    const mode = site.estimate.priceKey ? ctx.prices.table.models[site.estimate.priceKey].mode : 'chat';
    if (!GENERATING.has(mode)) return;
    if (THINKING_PARAMS.some((p) => siteArg(site, ctx, p)) || CONTAINERS.some((p) => settingsHidden(site.info.expr, site.info.scope, ctx, p))) return;
    if (receiverMaySetTemperature(site, ctx)) return;
    ctx.report({
      span: site.span,
      message: `\`${site.api}\` does not set \`temperature\`: sampling is left to the provider's default for ${name}.`,
      note: 'Defaults differ between providers, models and SDK versions, so the same code samples differently when any of them changes.',
      help: `Set ${temperatureParam(site)} explicitly: low (0–0.3) for extraction, classification and tests, higher for open-ended writing.`,
    });
  },
};

/** Where this API takes the temperature. */
function temperatureParam(site: CallSite): string {
  if (site.provider === 'langchain') return '`temperature` where the model object is built';
  if (site.provider === 'google') return '`temperature` in the generation config';
  if (site.provider === 'ollama') return '`options.temperature`';
  if (site.provider === 'bedrock') return '`inferenceConfig.temperature`';
  return '`temperature`';
}

/**
 * A chat session or model object built elsewhere (`chats.create(config=…)`, `GenerativeModel(…)`) that mentions a
 * temperature or has settings we cannot see: the call facts do not read every receiver setting.
 */
function receiverMaySetTemperature(site: CallSite, ctx: RuleContext): boolean {
  const receiver = receiverCall(site, ctx);
  if (!receiver) return false;
  if (receiver.call.args.some((a) => a.spread) || /\btemperature\b/.test(ctx.resolver.textOf(receiver.call))) return true;
  return CONTAINERS.some((p) => settingsHidden(receiver.call, receiver.scope, ctx, p));
}
