import type { Expr } from '../ir';
import { promptFileFormat } from '../languages/promptFiles';
import { findKeys, mask, type FoundKey } from '../secrets';
import type { TextEdit } from '../types';
import type { RuleContext, RuleDefinition } from './types';

export const hardcodedApiKey: RuleDefinition = {
  id: 'hardcoded-api-key',
  category: 'security',
  defaultSeverity: 'error',
  strictSeverity: 'error',
  fixSafety: 'unsafe',
  docs: {
    summary: 'A provider API key written in source (`sk-…`, `sk-ant-…`, `AIza…`, `gsk_…`, `AKIA…`, `hf_…`, `xai-…`); the message shows it masked.',
    whatItDoes:
      'Finds strings shaped like provider keys — OpenAI (`sk-…`, `sk-proj-…`), Anthropic (`sk-ant-…`), Google (`AIza…`), ' +
      'Groq (`gsk_…`), AWS access keys (`AKIA…`), Hugging Face (`hf_…`), xAI (`xai-…`), Together (`tgp_v1_…`), Replicate ' +
      '(`r8_…`), OpenRouter (`sk-or-v1-…`) — anywhere in the file, comments and docstrings included: a key in a comment ' +
      'leaks exactly like a key in code. Placeholders (`sk-...`, `sk-xxxx`, `sk-your-key-here`, `AKIAIOSFODNN7EXAMPLE`), ' +
      'short strings and low-entropy bodies (one repeated character, `abcd…`, `1234…`) are skipped. Keys without a fixed ' +
      'prefix (Cohere, Mistral) cannot be told apart from other random strings and are not checked. Files are only ' +
      'checked when they mention an LLM SDK or endpoint; prompt files (`.prompty`, `*.prompt.yml`, `.prompt`) are checked whole. ' +
      'Wherever llmlint shows text from the code (messages, reports, hovers, code lenses, the cost panel), such a key is ' +
      'shown masked (`sk-pro…Ga`), also where it was used as a model name or in a prompt.',
    whyIsThisBad:
      'A key in source ends up in version control, forks, CI logs and bundles shipped to browsers. Anyone who finds it can ' +
      'spend on your account until it is revoked; scanners harvest public repositories for such keys within minutes.',
    example: [
      { language: 'python', code: 'import os\n\nfrom openai import OpenAI\n\nclient = OpenAI(api_key="sk-proj-Q3v9TzL2mW8rB5nK1xY7cD4fH6jP0sGa")\n' },
      { language: 'typescript', code: "import Anthropic from '@anthropic-ai/sdk';\n\nconst client = new Anthropic({ apiKey: 'sk-ant-api03-Zr4Tq8Lm2Wv6Kp9Xc3Bn7Hd1Fg5Js0Ay-Ue2Oi8Rt6' });\n" },
    ],
    useInstead: [
      { language: 'python', code: 'import os\n\nfrom openai import OpenAI\n\nclient = OpenAI(api_key=os.environ["OPENAI_API_KEY"])\n' },
      { language: 'typescript', code: "import Anthropic from '@anthropic-ai/sdk';\n\nconst client = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY });\n" },
    ],
    fixSafety:
      'Unsafe: replaces the string literal that is exactly the key with an environment lookup — `os.environ["OPENAI_API_KEY"]` in ' +
      'Python (only when the file already imports `os`), `process.env.OPENAI_API_KEY` in JS/TS — named after the variable the key ' +
      'was assigned to when that looks like an environment name, else after the provider. The variable must then be set where ' +
      'the code runs, and the key must still be revoked: it stays in the history.',
    options: 'None beyond the severity.',
  },
  checkFile(ctx) {
    const keys = findKeys(ctx.text);
    // Nearly every file has none: walk its literals (for the fix) only when one is found.
    if (!keys.length) return;
    const literals = stringLiterals(ctx);
    for (const found of keys) {
      const literal = literals.find((l) => l.value === found.key && l.span.start < found.start && found.start < l.span.end);
      const env = literal?.envName ?? found.format.env;
      const edit = literal && !literal.envFallback ? envLookup(ctx, literal.span, env) : null;
      ctx.report(finding(found, env, edit));
    }
  },
  /** A prompt file (`.prompty`, `*.prompt.yml`, `.prompt`) is one call site, checked as a whole: keys in its configuration or its messages. */
  checkCallSite(site, ctx) {
    if (!promptFileFormat(ctx.path) || site !== ctx.sites[0]) return;
    for (const found of findKeys(ctx.text)) ctx.report(finding(found, found.format.env, null));
  },
};

function finding(found: FoundKey, env: string, edit: TextEdit | null) {
  return {
    span: { start: found.start, end: found.end },
    message: `${found.format.provider} key \`${mask(found.key)}\` is hard-coded in this file.`,
    note: 'Keys in source reach version control, logs and shipped bundles; anyone who reads one can spend on your account.',
    help: `Revoke this key, then read the key from the environment (\`${env}\`) or a secret manager.`,
    fix: edit ? { safety: 'unsafe' as const, description: `Read the key from the ${env} environment variable`, edits: [edit] } : null,
    callSiteId: null,
  };
}

interface Literal {
  value: string;
  span: { start: number; end: number };
  /** `OPENAI_API_KEY = "sk-…"`: the variable's name, when it reads like an environment variable. */
  envName: string | null;
  /** The fallback of an environment lookup (`os.getenv("K", "sk-…")`, `process.env.K ?? "sk-…"`): replacing it would make the variable required. */
  envFallback: boolean;
}

const QUOTES = ['"', "'", '`'];
const ENV_LOOKUP = /(^|\.)(getenv|environ\.get|env\.get)$|^process\.env\b/;

/** Plain string literals in call arguments and assignments (the places a fix can rewrite). */
function stringLiterals(ctx: RuleContext): Literal[] {
  const out: Literal[] = [];
  const seen = new Set<Expr>();
  const walk = (e: Expr, envName: string | null, envFallback = false) => {
    if (seen.has(e)) return;
    seen.add(e);
    if (e.k === 'str') out.push({ value: e.value, span: e.span, envName, envFallback });
    else if (e.k === 'call') {
      const lookup = ENV_LOOKUP.test(ctx.resolver.textOf(e.callee));
      walk(e.callee, null);
      e.args.forEach((a) => walk(a.value, null, lookup));
    } else if (e.k === 'dict') e.entries.forEach((en) => walk('spread' in en ? en.spread : en.value, null));
    else if (e.k === 'list') e.items.forEach((x) => walk(x, null));
    else if (e.k === 'binop') {
      walk(e.left, null);
      walk(e.right, null, ENV_LOOKUP.test(ctx.resolver.textOf(e.left)));
    } else if (e.k === 'attr' || e.k === 'index') walk(e.object, null);
  };
  for (const b of ctx.ir.bindings) {
    if (b.kind === 'assign' || b.kind === 'member' || b.kind === 'setkey') walk(b.value, /^[A-Z][A-Z0-9_]*(KEY|TOKEN)$/.test(b.name) ? b.name : null);
  }
  for (const c of ctx.ir.calls) walk(c.expr, null);
  return out;
}

/** `"sk-…"` → `os.environ["OPENAI_API_KEY"]` (Python, when `os` is imported) / `process.env.OPENAI_API_KEY`. */
function envLookup(ctx: RuleContext, span: { start: number; end: number }, env: string): TextEdit | null {
  const raw = ctx.text.slice(span.start, span.end);
  // Prefixed (b"…", r"…") or unusual literals are left alone.
  if (!QUOTES.includes(raw[0])) return null;
  if (ctx.language === 'typescript') return { span, newText: `process.env.${env}` };
  const importsOs = ctx.ir.bindings.some((b) => b.kind === 'import' && b.name === 'os' && /^os(\.|$)/.test(b.module) && b.imported === null);
  return importsOs ? { span, newText: `os.environ["${env}"]` } : null;
}
