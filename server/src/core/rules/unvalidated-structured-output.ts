import { siteArg } from './support/call-args';
import { lastName } from '../ir';
import type { Expr } from '../ir';
import type { CallSite } from '../types';
import type { RuleContext, RuleDefinition } from './types';

type CallExpr = Extract<Expr, { k: 'call' }>;

/** JSON parsers, as the resolved symbol path of the callee. */
const PARSERS = new Set(['json.loads', 'orjson.loads', 'ujson.loads', 'simplejson.loads', 'json5.loads', 'json_repair.loads', 'JSON.parse']);
/** Calls that check a parsed value against a schema: Pydantic, zod/valibot, ajv/jsonschema, cattrs, dacite. */
const VALIDATORS = /^(model_validate|parse_obj|validate|validate_python|safeParse|safeParseAsync|parse|parseAsync|structure|from_dict)$/;
const GENERATING = new Set(['chat', 'responses', 'completion']);
/** Methods that serialise an SDK response object to JSON. */
const SERIALIZERS = /^(model_dump_json|to_json|toJSON)$/;
/** APIs whose result is the provider's JSON response body, not the model's text. */
const ENVELOPE_APIS = /^(POST |invoke_?[mM]odel)/;
const MAX_DEPTH = 12;

export const unvalidatedStructuredOutput: RuleDefinition = {
  id: 'unvalidated-structured-output',
  category: 'correctness',
  defaultSeverity: 'off',
  strictSeverity: 'info',
  fixSafety: 'none',
  docs: {
    summary: 'Model text parsed as JSON (`json.loads`, `JSON.parse`) without structured-output mode or schema validation.',
    whatItDoes:
      'Follows the argument of `json.loads` / `JSON.parse` (and orjson, ujson, json_repair) back through assignments, attribute ' +
      'and index access and string methods to an LLM call in the same file, and flags the parse when that call asks for no ' +
      'structured output (`response_format`, `.parse()`, `response_schema`, `with_structured_output`, `format`, …) and the ' +
      'parsed value is not passed to a schema validator (`Model.model_validate`, `Model(**data)`, zod `.parse`/`.safeParse`, ' +
      '`jsonschema.validate`, …). The diagnostic is on the parse and carries the call site’s id. Off in `recommended`, on in `strict`.',
    whyIsThisBad:
      'Free-form model text is almost-JSON: code fences, a sentence before the object, trailing commas, missing or renamed ' +
      'fields, numbers as strings. The parse or the code after it then fails at run time, intermittently and under real traffic. ' +
      'The 2025 study of LLM code smells found unvalidated free-form output used as data in 40.5% of open-source LLM systems.',
    example: [
      { language: 'python', code: 'import json\n\nfrom openai import OpenAI\n\nclient = OpenAI()\n\n\ndef extract(text: str) -> dict:\n    res = client.chat.completions.create(\n        model="gpt-4.1-mini",\n        messages=[{"role": "user", "content": f"Return the name and email in {text} as JSON"}],\n        max_completion_tokens=200,\n    )\n    return json.loads(res.choices[0].message.content)\n' },
      { language: 'typescript', code: "import { generateText } from 'ai';\nimport { openai } from '@ai-sdk/openai';\n\nexport async function extract(text: string) {\n  const { text: raw } = await generateText({ model: openai('gpt-4.1-mini'), prompt: `Return the name and email in ${text} as JSON`, maxOutputTokens: 200 });\n  return JSON.parse(raw);\n}\n" },
    ],
    useInstead: [
      { language: 'python', code: 'from openai import OpenAI\nfrom pydantic import BaseModel\n\nclient = OpenAI()\n\n\nclass Contact(BaseModel):\n    name: str\n    email: str\n\n\ndef extract(text: str) -> Contact:\n    res = client.chat.completions.parse(\n        model="gpt-4.1-mini",\n        messages=[{"role": "user", "content": f"Return the name and email in {text}"}],\n        response_format=Contact,\n        max_completion_tokens=200,\n    )\n    return res.choices[0].message.parsed\n' },
      { language: 'typescript', code: "import { generateText } from 'ai';\nimport { openai } from '@ai-sdk/openai';\nimport { z } from 'zod';\n\nconst Contact = z.object({ name: z.string(), email: z.string() });\n\nexport async function extract(text: string) {\n  const { text: raw } = await generateText({ model: openai('gpt-4.1-mini'), prompt: `Return the name and email in ${text} as JSON`, maxOutputTokens: 200 });\n  return Contact.parse(JSON.parse(raw));\n}\n" },
    ],
    fixSafety: 'No automatic fix: structured output changes the request, and a schema has to be written for the data.',
    options: 'None beyond the severity.',
  },
  checkFile(ctx) {
    for (const info of ctx.ir.calls) {
      const call = info.expr;
      if (!isParser(call, info.scope, ctx)) continue;
      const arg = call.args.find((a) => !a.name && !a.spread);
      const trace = arg ? sourceSite(arg.value, info.scope, ctx, 0) : null;
      if (!trace) continue;
      const site = trace.site;
      // Raw HTTP and Bedrock `invoke_model` return a JSON envelope: parsing it is fine, parsing the model text inside it is not.
      if (ENVELOPE_APIS.test(site.api) && !trace.decoded) continue;
      if (site.structuredOutput || !GENERATING.has(site.kind) || usesTools(site, ctx)) continue;
      if (info.enclosingCalls.some((c) => isValidator(c, ctx)) || validatedLater(call, info.scope, ctx)) continue;
      const line = ctx.text.slice(0, site.span.start).split('\n').length;
      ctx.report({
        span: call.span,
        message: `\`${ctx.resolver.textOf(call.callee)}\` parses the free-form text of \`${site.api}\` (line ${line}): nothing asks the model for JSON or checks the result against a schema.`,
        note: 'Free-form model text is almost-JSON (code fences, prose around it, missing or renamed fields), so the parse or the code after it fails intermittently.',
        help: structuredHelp(site, ctx.language === 'python'),
        callSiteId: site.id,
      });
    }
  },
};

/** Tool and function calls return arguments shaped by the tool's JSON schema: structured output of another kind. */
function usesTools(site: CallSite, ctx: RuleContext): boolean {
  return ['tools', 'functions', 'tool_choice', 'toolChoice', 'toolConfig'].some((p) => siteArg(site, ctx, p));
}

function isParser(call: CallExpr, scope: number, ctx: RuleContext): boolean {
  const sym = ctx.resolver.resolveSym(call.callee, scope);
  return !!sym && PARSERS.has(sym.parts.map((p) => p.name).join('.'));
}

/** The LLM call a parsed value comes from, and whether the path already went through a JSON decode (`res.json()`, `json.loads(body)`). */
interface Trace {
  site: CallSite;
  decoded: boolean;
}

/** Follows `e` back through names, attributes, indexes, string methods, decodes and concatenation to an LLM call. */
function sourceSite(e: Expr, scope: number, ctx: RuleContext, depth: number, decoded = false): Trace | null {
  if (depth > MAX_DEPTH) return null;
  const next = (x: Expr, s = scope, d = decoded) => sourceSite(x, s, ctx, depth + 1, d);
  switch (e.k) {
    case 'call': {
      const site = ctx.sites.find((s) => s.span.start === e.span.start && s.span.end === e.span.end);
      if (site) return { site, decoded };
      const first = e.args.find((a) => !a.name && !a.spread)?.value;
      // `json.loads(body)` on the way: what it returns is the decoded envelope.
      if (isParser(e, scope, ctx)) return first ? next(first, scope, true) : null;
      if (e.callee.k === 'attr') {
        // `res.json()` decodes; `resp.content.strip()`, `res.text()`, `body.read()` keep the text; `decoder.decode(x)` reads x.
        const method = e.callee.name;
        // `json.loads(resp.model_dump_json())` parses the SDK's own serialisation of the response, not model text.
        if (SERIALIZERS.test(method) && !decoded) return null;
        return next(e.callee.object, scope, decoded || method === 'json') ?? (method === 'decode' && first ? next(first) : null);
      }
      if (e.callee.k === 'name' && (e.callee.name === 'str' || e.callee.name === 'String') && first) return next(first);
      return null;
    }
    case 'attr':
    case 'index':
      if (e.k === 'attr' && e.object.k === 'name' && ['self', 'this'].includes(e.object.name)) {
        const d = ctx.resolver.deref(e, scope);
        return d.expr !== e ? next(d.expr, d.scope) : null;
      }
      return next(e.object);
    case 'name': {
      const d = ctx.resolver.deref(e, scope);
      return d.expr !== e ? next(d.expr, d.scope) : null;
    }
    case 'binop':
      // `content or "{}"`, `"{" + resp.content[0].text` (a prefilled brace).
      return ['or', '||', '??', '+'].includes(e.op) ? next(e.left) ?? next(e.right) : null;
    case 'tpl':
      for (const p of e.parts) {
        const hit = typeof p === 'string' ? null : next(p);
        if (hit) return hit;
      }
      return null;
    default:
      return null;
  }
}

/** `Model.model_validate(…)`, `Schema.parse(…)`, `Model(**…)` — but not another JSON parse. */
function isValidator(c: CallExpr, ctx: RuleContext): boolean {
  const callee = c.callee;
  const last = lastName(callee);
  if (ctx.resolver.textOf(callee) === 'JSON.parse') return false;
  if (VALIDATORS.test(last)) return true;
  return /^[A-Z]/.test(last) && c.args.some((a) => a.spread === 'dict');
}

/** `data = json.loads(…)` followed, in the same function, by a validator call that takes `data`. */
function validatedLater(parse: CallExpr, scope: number, ctx: RuleContext): boolean {
  const names = ctx.ir.bindings
    .filter((b) => b.kind === 'assign' && b.scope === scope && b.value.span.start === parse.span.start && b.value.span.end === parse.span.end)
    .map((b) => b.name);
  if (!names.length) return false;
  const takes = (e: Expr): boolean => (e.k === 'name' && names.includes(e.name)) || (e.k === 'dict' && e.entries.some((en) => 'spread' in en && takes(en.spread)));
  return ctx.ir.calls.some(
    (c) => c.scope === scope && c.expr.span.start > parse.span.end && isValidator(c.expr, ctx) && c.expr.args.some((a) => takes(a.value)),
  );
}

function structuredHelp(site: CallSite, python: boolean): string {
  const validate = `or validate the parsed value with a schema (${python ? 'Pydantic `Model.model_validate(data)`' : 'zod `Schema.parse(data)`'}).`;
  switch (site.provider === 'langchain' || site.provider === 'vercel-ai' ? site.provider : site.modelProvider) {
    case 'anthropic':
      return `Use \`messages.parse\` with an output format, or tool use with an input schema, ${validate}`;
    case 'google':
      return python
        ? `Set \`response_schema\` and \`response_mime_type="application/json"\` in the config, ${validate}`
        : `Set \`responseSchema\` and \`responseMimeType: 'application/json'\` in the config, ${validate}`;
    case 'langchain':
      return `Use \`${python ? 'llm.with_structured_output(Model)' : 'llm.withStructuredOutput(schema)'}\`, ${validate}`;
    case 'vercel-ai':
      return `Use \`generateObject\` with a schema (AI SDK v5+: \`output: Output.object({ schema })\`), ${validate}`;
    case 'ollama':
      return `Pass a JSON schema as \`format\`, ${validate}`;
    default:
      return python
        ? `Ask for structured output (\`response_format\` with a JSON schema, or \`client.chat.completions.parse(response_format=Model)\`), ${validate}`
        : `Ask for structured output (\`response_format\` with a JSON schema, e.g. \`zodResponseFormat(Schema, 'name')\`), ${validate}`;
  }
}
