import { formatUsd } from '../format';
import type { CallSite } from '../types';
import { describeLoop } from './support/loop-items';
import type { RuleContext, RuleDefinition } from './types';

/** Batch APIs take generation requests (images, audio and rerank are not batched). */
const GENERATING = new Set(['chat', 'responses', 'completion']);

/** Providers with an asynchronous batch endpoint at about half price. */
const BATCH_API: Record<string, string> = {
  openai: 'the OpenAI Batch API',
  'azure-openai': 'the Azure OpenAI Batch API',
  anthropic: 'the Message Batches API',
  google: 'the Gemini Batch API',
  mistral: 'the Mistral batch API',
  bedrock: 'Bedrock batch inference',
  groq: 'the Groq Batch API',
  together: 'the Together Batch API',
};

export const callInLoop: RuleDefinition = {
  id: 'call-in-loop',
  category: 'cost',
  defaultSeverity: 'info',
  strictSeverity: 'info',
  fixSafety: 'none',
  docs: {
    summary: 'An LLM call inside a loop, comprehension or iterating callback: its cost is multiplied by the number of iterations.',
    whatItDoes:
      'Flags generation calls (and other paid calls except embeddings, which `embedding-in-loop` covers) made inside a `for` or ' +
      '`while` loop, a comprehension, or a callback of `map`/`forEach`/…; the message gives the static trip count when it is known ' +
      'and the cost per iteration, and, when the work is not interactive, the saving of the provider’s Batch API.',
    whyIsThisBad:
      'A call that looks cheap costs its price times the number of items, which grows with the data rather than with the code. ' +
      'Offline work over many items (classification, extraction, summaries) usually does not need an answer within seconds, and ' +
      'the Batch APIs of OpenAI, Anthropic and Google run the same requests for about 50% of the price.',
    example: [
      { language: 'python', code: 'from openai import OpenAI\nclient = OpenAI()\n\ndef label(tickets: list[str]) -> list[str]:\n    out = []\n    for t in tickets:\n        r = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": f"Label: {t}"}], max_completion_tokens=5)\n        out.append(r.choices[0].message.content)\n    return out\n' },
      { language: 'typescript', code: "import { generateText } from 'ai';\nimport { openai } from '@ai-sdk/openai';\nexport async function titles(posts: string[]) {\n  const out: string[] = [];\n  for (const p of posts) out.push((await generateText({ model: openai('gpt-4o-mini'), prompt: `Title for: ${p}`, maxOutputTokens: 20 })).text);\n  return out;\n}\n" },
    ],
    useInstead: [
      { language: 'python', code: 'import json\nfrom openai import OpenAI\nclient = OpenAI()\n\ndef submit(tickets: list[str]):\n    lines = [json.dumps({"custom_id": str(i), "method": "POST", "url": "/v1/chat/completions", "body": {"model": "gpt-4o-mini", "max_completion_tokens": 5, "messages": [{"role": "user", "content": f"Label: {t}"}]}}) for i, t in enumerate(tickets)]\n    f = client.files.create(file=("batch.jsonl", "\\n".join(lines).encode()), purpose="batch")\n    return client.batches.create(input_file_id=f.id, endpoint="/v1/chat/completions", completion_window="24h")\n' },
    ],
    fixSafety: 'No automatic fix: whether the work can wait for a batch, or the calls can be merged into one prompt, depends on the caller.',
    options: 'None beyond the severity, which is set like any rule’s.',
  },
  checkCallSite(site, ctx) {
    if (!site.loops.length || site.kind === 'embedding' || site.modelProvider === 'ollama') return;
    const inner = site.loops[0];
    const trips = site.loops.every((l) => l.tripCount !== null) ? site.loops.reduce((n, l) => n * (l.tripCount ?? 1), 1) : null;
    if (trips !== null && trips <= 1) return;
    const per = site.estimate.costPerCallUsd.expected;
    const where = site.loops.map((l) => describeLoop(l, ctx.language)).join(' inside ');
    const perWord = inner.kind === 'while' ? 'iteration' : 'call';
    const runs = trips !== null ? `runs ${trips} times (${where})` : `runs once per iteration of ${where}`;
    const cost = per === null
      ? 'its cost per call is unknown (the model is not priced)'
      : trips !== null ? `≈ ${formatUsd(per)} per call, ${formatUsd(per * trips)} in all` : `≈ ${formatUsd(per)} per ${perWord}, times the number of iterations`;
    const message = `\`${site.api}\` ${runs}: ${cost}.`;
    ctx.report({
      span: site.span,
      message,
      note: 'The cost grows with the data, not with the code: every iteration is a full paid request.',
      help: help(site, ctx),
    });
  },
};

function help(site: CallSite, ctx: RuleContext): string {
  const api = BATCH_API[site.modelProvider];
  const sequential = site.loops.some((l) => l.kind === 'while');
  if (sequential) return 'Each iteration is a full paid call: bound the number of iterations and keep what is re-sent each turn small.';
  if (!api || site.streaming || !GENERATING.has(site.kind)) return 'Make sure each iteration needs its own call: cache repeated inputs, or merge small items into one prompt.';
  const price = site.estimate.priceKey ? ctx.prices.table.models[site.estimate.priceKey] : undefined;
  const per = site.estimate.costPerCallUsd.expected;
  if (price && per !== null && price.batchInputPerMTok != null && price.batchOutputPerMTok != null) {
    const { inputTokens, outputTokens } = site.estimate;
    const batch = (inputTokens.expected * price.batchInputPerMTok + outputTokens.expected * price.batchOutputPerMTok) / 1e6;
    return `If the results are not needed right away, send these requests through ${api}: ≈ ${formatUsd(batch)} per call instead of ${formatUsd(per)}.`;
  }
  return `If the results are not needed right away, send these requests through ${api}, which costs about 50% less.`;
}
