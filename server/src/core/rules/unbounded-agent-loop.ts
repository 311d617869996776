import { lastName } from '../ir';
import { formatUsd } from '../format';
import type { Loop, Span } from '../ir';
import type { CallSite } from '../types';
import { handlerRegions, loopLabel } from './support/retry';
import type { RuleContext, RuleDefinition } from './types';

/** Calls that end the process: an exit as good as a `break`. */
const EXIT = /^(exit|quit|_exit)$/;
/** Calls that block on a person or a queue each iteration: the loop runs at the pace of its input, not of the model. */
const WAITS_FOR_INPUT = /^(input|raw_input|readline|question|prompt|getch|recv|receive\w*|accept|get_message|next_message|listen|poll|consume|blpop|brpop|xread\w*|sleep|async_sleep|setTimeout|delay)$/;

export const unboundedAgentLoop: RuleDefinition = {
  id: 'unbounded-agent-loop',
  category: 'reliability',
  defaultSeverity: 'warning',
  strictSeverity: 'warning',
  fixSafety: 'none',
  docs: {
    summary: 'An LLM call inside `while True` / `for (;;)` with no break, return or raise: a runaway loop spends without limit.',
    whatItDoes:
      'Flags LLM calls inside an infinite loop (`while True`, `while (true)`, `for (;;)`) that has no `break`, `return`, ' +
      '`raise`/`throw` or exit in its body — typically an agent loop that runs tools until the model says it is done, ' +
      'written without the “done” check or a step limit. Loops that stop when the model stops calling tools are fine, and so ' +
      'are loops paced by their input (`input()`, `readline`, a queue `get`, a `sleep` between rounds) and generators that `yield`.',
    whyIsThisBad:
      'Nothing but an exception ends such a loop: a model that keeps calling tools, or repeats itself, makes request after ' +
      'request with a growing context — each one costlier than the last — until someone notices the bill or the rate limit.',
    example: [
      { language: 'python', code: 'from openai import OpenAI\nclient = OpenAI()\n\ndef run_agent(messages, tools):\n    while True:\n        response = client.chat.completions.create(model="gpt-4o", messages=messages, tools=tools, max_completion_tokens=1000)\n        message = response.choices[0].message\n        messages.append(message)\n        for call in message.tool_calls or []:\n            messages.append({"role": "tool", "tool_call_id": call.id, "content": "ok"})\n' },
      { language: 'typescript', code: "import Anthropic from '@anthropic-ai/sdk';\nconst client = new Anthropic();\n\nexport async function runAgent(messages: Anthropic.MessageParam[]) {\n  for (;;) {\n    const res = await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages });\n    messages.push({ role: 'assistant', content: res.content });\n  }\n}\n" },
    ],
    useInstead: [
      { language: 'python', code: 'from openai import OpenAI\nclient = OpenAI()\nMAX_STEPS = 10\n\ndef run_agent(messages, tools):\n    for _ in range(MAX_STEPS):\n        response = client.chat.completions.create(model="gpt-4o", messages=messages, tools=tools, max_completion_tokens=1000)\n        message = response.choices[0].message\n        messages.append(message)\n        if not message.tool_calls:\n            return message.content\n        for call in message.tool_calls:\n            messages.append({"role": "tool", "tool_call_id": call.id, "content": "ok"})\n    raise RuntimeError("agent did not finish in 10 steps")\n' },
      { language: 'typescript', code: "import Anthropic from '@anthropic-ai/sdk';\nconst client = new Anthropic();\n\nexport async function runAgent(messages: Anthropic.MessageParam[]) {\n  while (true) {\n    const res = await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages });\n    messages.push({ role: 'assistant', content: res.content });\n    if (res.stop_reason !== 'tool_use') break;\n  }\n}\n" },
    ],
    fixSafety: 'No automatic fix: the step limit and what “done” means belong to the agent.',
    options: 'None beyond the severity, which is set like any rule’s.',
  },
  checkCallSite(site, ctx) {
    const loop = site.info.loops.find((l) => l.infinite && !l.hasExit && !paced(l, site, ctx));
    if (!loop) return;
    const py = ctx.language === 'python';
    const cost = site.estimate.costPerCallUsd.expected;
    const perIteration = cost !== null && cost > 0 ? `, and each call costs about ${formatUsd(cost)}` : '';
    ctx.report({
      span: site.span,
      message: `\`${site.api}\` runs in \`${loopLabel(ctx.text, loop)}\` with no \`break\`, \`return\` or \`${py ? 'raise' : 'throw'}\`: nothing bounds how many calls it makes${perIteration}.`,
      note: 'A model that keeps calling tools or repeats itself loops until the bill or the rate limit stops it, and each turn resends a growing context.',
      help: py
        ? 'Bound the loop (`for step in range(MAX_STEPS):`) and stop when the model stops calling tools; a token or cost budget is a second guard.'
        : 'Bound the loop (`for (let step = 0; step < MAX_STEPS; step++)`) and stop when the model stops calling tools; a token or cost budget is a second guard.',
    });
  },
};

/** The loop ends by exiting the process, yields to its consumer, or waits for input or time on every round. */
function paced(loop: Loop, site: CallSite, ctx: RuleContext): boolean {
  if (/\byield\b/.test(ctx.text.slice(loop.span.start, loop.span.end))) return true;
  // A sleep in the handler around the LLM call only runs on errors: it does not pace successful rounds.
  const errorPaths: Span[] = site.info.tries.flatMap((t) => handlerRegions(ctx.text, t));
  const onErrorPath = (s: Span) => errorPaths.some((r) => s.start >= r.start && s.end <= r.end);
  return ctx.ir.calls.some((c) => {
    const { span } = c.expr;
    if (span.start < loop.span.start || span.end > loop.span.end) return false;
    const name = lastName(c.expr.callee);
    if (EXIT.test(name)) return true;
    const receiver = c.expr.callee.k === 'attr' ? ctx.resolver.textOf(c.expr.callee.object) : '';
    if (name === 'get' && /queue|^q$|inbox|jobs|tasks/i.test(receiver)) return true;
    if (name === 'ask' && /Prompt|Confirm|questionary/.test(receiver)) return true;
    return WAITS_FOR_INPUT.test(name) && !onErrorPath(span);
  });
}
