import { siteArg } from './support/call-args';
import { lastName } from '../ir';
import type { CallInfo, Expr, Loop } from '../ir';
import type { Located } from '../resolve';
import type { CallSite } from '../types';
import { callersOf, functionNamed } from './support/call-graph';
import { BATCHY, describeLoop, ItemScope } from './support/loop-items';
import { formatNumber } from '../format';
import type { RuleContext, RuleDefinition } from './types';

/** Where embedding APIs take their text: the list parameter first, a positional text last. */
const INPUT_PARAMS = ['input', 'inputs', 'texts', 'contents', 'content', 'values', 'value', 'text', '#0'];

/** APIs that embed exactly one text per request, and the call that takes a list instead. */
const SINGLE_ONLY: Record<string, string> = {
  embed_query: '`embed_documents(texts)`',
  aembed_query: '`aembed_documents(texts)`',
  embedQuery: '`embedDocuments(texts)`',
  embed: '`embedMany({ model, values })`',
  embedContent: '`batchEmbedContents({ requests })`',
};

/** Largest list per request, where the provider documents one. */
const MAX_INPUTS: Record<string, number> = { openai: 2048, 'azure-openai': 2048, cohere: 96 };

/** Calls that run a function once per element: `df.text.apply(get_embedding)`, `map(f, xs)`, `xs.map(f)`. */
const PER_ITEM_METHODS = /^(apply|map|applymap|progress_apply|parallel_apply|forEach|flatMap|imap|imap_unordered)$/;

export const embeddingInLoop: RuleDefinition = {
  id: 'embedding-in-loop',
  category: 'cost',
  defaultSeverity: 'warning',
  strictSeverity: 'warning',
  fixSafety: 'none',
  docs: {
    summary: 'One embeddings request per item inside a loop, where the API takes a list of inputs.',
    whatItDoes:
      'Flags embedding calls made once per item of a loop, comprehension or `map`/`apply` callback — directly, or through a ' +
      'helper such as `get_embedding(text)` called per item — when the input is a single text (`input=doc.text`, `[chunk]`, ' +
      '`embed_query(q)`, AI SDK `embed`). OpenAI and Azure `input`, Mistral `inputs`, Cohere `texts`, google-genai `contents`, ' +
      'LangChain `embed_documents` and AI SDK `embedMany` all take a list. A loop that already sends batches is fine.',
    whyIsThisBad:
      'Embeddings are priced per token either way, but one request per item turns 10,000 chunks into 10,000 round trips ' +
      'instead of 5, spends the requests-per-minute limit (so large jobs stall on 429s), and takes far longer.',
    example: [
      { language: 'python', code: 'from openai import OpenAI\nclient = OpenAI()\n\ndef index(chunks: list[str]):\n    return [client.embeddings.create(model="text-embedding-3-small", input=c).data[0].embedding for c in chunks]\n' },
      { language: 'typescript', code: "import { embed } from 'ai';\nimport { openai } from '@ai-sdk/openai';\nexport async function index(chunks: string[]) {\n  const out: number[][] = [];\n  for (const c of chunks) out.push((await embed({ model: openai.embedding('text-embedding-3-small'), value: c })).embedding);\n  return out;\n}\n" },
    ],
    useInstead: [
      { language: 'python', code: 'from openai import OpenAI\nclient = OpenAI()\n\ndef index(chunks: list[str]):\n    res = client.embeddings.create(model="text-embedding-3-small", input=chunks)\n    return [d.embedding for d in res.data]\n' },
      { language: 'typescript', code: "import { embedMany } from 'ai';\nimport { openai } from '@ai-sdk/openai';\nexport async function index(chunks: string[]) {\n  const { embeddings } = await embedMany({ model: openai.embedding('text-embedding-3-small'), values: chunks });\n  return embeddings;\n}\n" },
    ],
    fixSafety: 'No automatic fix: batching changes how results are collected (one response holds the vectors of every input, in order).',
    options: 'None beyond the severity, which is set like any rule’s.',
  },
  checkCallSite(site, ctx) {
    if (site.kind !== 'embedding' || site.modelProvider === 'ollama') return;
    const input = inputOf(site, ctx);
    if (!input) return;
    const single = singleOnly(site, ctx);
    const loops = site.info.loops.filter((l) => l.kind !== 'while');
    if (!loops.length) return viaHelper(site, ctx, input, single);
    if (perItem(new ItemScope(ctx.ir, ctx.resolver, ctx.text, loops, site.info.scope), input.expr, single)) {
      report(site, ctx, site.span, describeLoop(loops[0], ctx.language), single, input.param);
    }
  },
};

type Input = Located & { param: string };

function inputOf(site: CallSite, ctx: RuleContext): Input | null {
  for (const param of INPUT_PARAMS) {
    const loc = siteArg(site, ctx, param);
    if (loc) return { ...loc, param };
  }
  return null;
}

/** The list-taking call to suggest when this API embeds one text per request. */
function singleOnly(site: CallSite, ctx: RuleContext): string | null {
  const name = lastName(site.info.expr.callee);
  if (name === 'embed' && site.provider !== 'vercel-ai') return null; // Cohere, Ollama `embed` take lists
  if (name === 'embedContent' && site.api !== 'embedContent') return null; // @google/genai `models.embedContent` takes a list
  if (name === 'embedQuery' && ctx.language !== 'typescript') return null;
  return SINGLE_ONLY[name] ?? null;
}

/** One text per request that changes with each iteration. */
function perItem(scope: ItemScope, input: Expr, single: string | null): boolean {
  if (!scope.varies(input)) return false;
  return single ? scope.shape(input) !== 'batch' : scope.shape(input) === 'item';
}

/** `def get_embedding(text): return client.embeddings.create(input=[text])…`, called per item elsewhere in the file. */
function viaHelper(site: CallSite, ctx: RuleContext, input: Input, single: string | null): void {
  const fn = ctx.ir.scopes[site.info.scope];
  if (fn.kind !== 'function') return;
  const params = fn.params.map((p) => p.name).filter((n) => n !== 'self' && n !== 'cls');
  const inside = new ItemScope(ctx.ir, ctx.resolver, ctx.text, [], site.info.scope, params, [fn.span]);
  if (!perItem(inside, input.expr, single)) return;
  for (const call of callersOf(ctx.ir, ctx.resolver, site.info.scope)) {
    const loops = perItemLoops(call, ctx);
    if (!loops.length) continue;
    const scope = new ItemScope(ctx.ir, ctx.resolver, ctx.text, loops, call.scope);
    const args = call.expr.args.filter((a) => !a.spread);
    const passesItem = args.some((a, i) => (a.name ? params.includes(a.name) : i < params.length) && scope.varies(a.value) && scope.shape(a.value) !== 'batch');
    if (passesItem) report(site, ctx, call.expr.span, `${describeLoop(loops[0], ctx.language)}, through \`${fn.name}\``, single, input.param);
  }
  // `df["text"].apply(get_embedding)`, `map(get_embedding, texts)`, `texts.map(getEmbedding)`: passed by reference.
  for (const call of ctx.ir.calls) {
    const callee = call.expr.callee;
    const method = lastName(callee);
    if (!PER_ITEM_METHODS.test(method)) continue;
    if (!call.expr.args.some((a) => functionNamed(ctx.ir, ctx.resolver, a.value, call.scope) === site.info.scope)) continue;
    const text = ctx.resolver.textOf(call.expr);
    if (BATCHY.test(text)) continue; // `batches.map(embed)`: one request per batch
    report(site, ctx, call.expr.span, text.length <= 60 && !text.includes('\n') ? `\`${text}\`` : `\`${method}(${fn.name})\``, single, input.param);
  }
}

/** Loops that hand a call one item per iteration, including a pandas `apply(lambda x: …)` around it. */
function perItemLoops(call: CallInfo, ctx: RuleContext): Loop[] {
  const loops = call.loops.filter((l) => l.kind !== 'while');
  const outer = call.enclosingCalls[0];
  const lambda = ctx.ir.scopes[call.scope];
  const inCallback = outer && outer.callee.k === 'attr' && PER_ITEM_METHODS.test(outer.callee.name) && lambda.kind === 'function' &&
    lambda.span.start >= outer.span.start && lambda.span.end <= outer.span.end;
  if (inCallback && !loops.some((l) => l.span.start === outer.span.start)) {
    const iterable = ctx.language === 'python' && outer.callee.k === 'attr' ? outer.callee.object : outer.callee;
    loops.unshift({ kind: 'callback', span: outer.span, infinite: false, hasExit: false, tripCount: null, iterable: ctx.resolver.textOf(iterable), header: null });
  }
  return loops;
}


function report(site: CallSite, ctx: RuleContext, span: CallSite['span'], where: string, single: string | null, param: string): void {
  const max = MAX_INPUTS[site.modelProvider];
  const list = param.startsWith('#') ? 'a list' : `a list in \`${param}\``;
  ctx.report({
    span,
    callSiteId: site.id,
    message: single
      ? `\`${site.api}\` embeds one text per request, once per item (${where}).`
      : `\`${site.api}\` sends one embeddings request per item (${where}), though the API takes ${list}.`,
    note: 'Embeddings cost the same per token batched or not, but one request per item multiplies round trips and spends the requests-per-minute limit.',
    help: single
      ? `Embed the items together with ${single}.`
      : `Collect the texts and send them as one list${max ? ` (up to ${formatNumber(max)} per request)` : ''}, then read the vectors back in order.`,
  });
}
