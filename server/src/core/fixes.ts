/**
 * Text edits shared by rule fixes. They keep the file's formatting: a keyword or property is
 * added after the last argument, on its own line with the same indentation when the arguments
 * are one per line, inline otherwise.
 */
import type { Expr } from './ir';
import { canonicalName } from './pricing';
import type { Diagnostic, TextEdit } from './types';

type CallExpr = Extract<Expr, { k: 'call' }>;

/**
 * Adds `name=value` (Python) or `name: value` (to the first object argument, JS/TS).
 * Returns null when there is no place to put it safely (no object literal to extend).
 */
export function addArgument(text: string, call: CallExpr, language: 'python' | 'typescript', name: string, value: string): TextEdit | null {
  if (language === 'python') return appendToList(text, call.callee.span.end, call.span.end, `${name}=${value}`);
  const obj = call.args[0]?.value;
  if (!obj || obj.k !== 'dict') return null;
  return appendToList(text, obj.span.start, obj.span.end, `${name}: ${value}`);
}

/**
 * Adds a nested parameter such as `config.max_output_tokens` (google-genai), `inferenceConfig.maxTokens`
 * (Bedrock) or `options.num_predict` (Ollama): into the container when the call writes it as a literal
 * (a dict/object, or a config call like `types.GenerateContentConfig(...)`), else as a new container.
 * Returns null when the container is not a literal we can extend (a variable, `**kwargs`).
 */
export function addNestedArgument(text: string, call: CallExpr, language: 'python' | 'typescript', path: string, value: string): TextEdit | null {
  const [head, ...rest] = path.split('.');
  if (!rest.length) return addArgument(text, call, language, head, value);
  const container = language === 'python' ? call.args.find((a) => a.name === head)?.value : objectProperty(call.args[0]?.value, head);
  if (!container) {
    const nested = rest.reduceRight((inner, key) => (language === 'python' ? `{"${key}": ${inner}}` : `{ ${key}: ${inner} }`), value);
    return addArgument(text, call, language, head, nested);
  }
  return addInside(text, container, language, rest, value);
}

function objectProperty(obj: Expr | undefined, key: string): Expr | undefined {
  if (!obj || obj.k !== 'dict') return undefined;
  for (const e of obj.entries) if ('key' in e && e.key === key) return e.value;
  return undefined;
}

function addInside(text: string, container: Expr, language: 'python' | 'typescript', path: string[], value: string): TextEdit | null {
  const [key, ...rest] = path;
  if (container.k === 'call' && language === 'python') return addNestedArgument(text, container, language, path.join('.'), value);
  if (container.k !== 'dict') return null;
  const existing = objectProperty(container, key);
  if (existing && rest.length) return addInside(text, existing, language, rest, value);
  if (existing) return null;
  const inner = rest.reduceRight((acc, k) => (language === 'python' ? `{"${k}": ${acc}}` : `{ ${k}: ${acc} }`), value);
  return appendToList(text, container.span.start, container.span.end, language === 'python' ? `"${key}": ${inner}` : `${key}: ${inner}`);
}

/** Inserts `item` before the closing bracket at `end - 1` of the bracketed list starting at/after `start`. */
function appendToList(text: string, start: number, end: number, item: string): TextEdit | null {
  const close = end - 1;
  if (text[close] !== ')' && text[close] !== '}') return null;
  const open = text.indexOf(text[close] === ')' ? '(' : '{', start);
  if (open < 0 || open >= close) return null;
  const inner = text.slice(open + 1, close);
  const trimmedEnd = inner.trimEnd(); // not /\s+$/: quadratic on a long run of spaces
  if (!trimmedEnd.trim()) return { span: { start: open + 1, end: close }, newText: item };
  const multiline = inner.slice(trimmedEnd.length).includes('\n') || inner.startsWith('\n');
  const lastCharAt = open + 1 + trimmedEnd.length;
  const hasTrailingComma = trimmedEnd.endsWith(',');
  if (multiline) {
    const lineStart = text.lastIndexOf('\n', lastCharAt - 1) + 1;
    const indent = /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
    return { span: { start: lastCharAt, end: lastCharAt }, newText: `${hasTrailingComma ? '' : ','}\n${indent}${item}${hasTrailingComma ? ',' : ''}` };
  }
  return { span: { start: lastCharAt, end: lastCharAt }, newText: `${hasTrailingComma ? ' ' : ', '}${item}` };
}

/**
 * Applies the fixes of `diagnostics` (safe ones, or unsafe too) to `text`. Overlapping edits are
 * skipped (the next run picks them up), like ruff and ESLint do.
 */
export function applyFixes(text: string, diagnostics: Diagnostic[], level: 'safe' | 'unsafe'): { text: string; count: number } {
  const chosen = diagnostics.filter((d) => d.fix && (d.fix.safety === 'safe' || level === 'unsafe'));
  const accepted: TextEdit[][] = [];
  const taken: Array<[number, number]> = [];
  for (const d of chosen) {
    const edits = d.fix!.edits;
    const overlaps = edits.some((e) => taken.some(([a, b]) => e.span.start < b && a < e.span.end || (e.span.start === e.span.end && e.span.start >= a && e.span.start <= b && a !== b)));
    if (overlaps) continue;
    accepted.push(edits);
    for (const e of edits) taken.push([e.span.start, e.span.end]);
  }
  const all = accepted.flat().sort((a, b) => b.span.start - a.span.start);
  let out = text;
  for (const e of all) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return { text: out, count: accepted.length };
}

/** The model's string literal written in the call (`model="gpt-4o"`, `model: openai('gpt-4o')`), replaced by `name`. */
export function replaceModelLiteral(text: string, call: CallExpr, language: 'python' | 'typescript', written: string | null, name: string): TextEdit | null {
  let value: Expr | undefined;
  if (language === 'python') value = call.args.find((a) => a.name === 'model')?.value;
  else {
    const obj = call.args[0]?.value;
    const entry = obj?.k === 'dict' ? obj.entries.find((en) => 'key' in en && (en.key === 'model' || en.key === 'modelId')) : undefined;
    value = entry && 'key' in entry ? entry.value : undefined;
  }
  // The AI SDK's provider factory: `openai('gpt-4o')`.
  if (value?.k === 'call' && value.args[0]?.value.k === 'str' && !value.args[0].name) value = value.args[0].value;
  if (value?.k !== 'str' || value.value !== written) return null;
  const raw = text.slice(value.span.start, value.span.end);
  const quote = raw[0];
  if (quote !== '"' && quote !== "'" && quote !== '`') return null;
  // Keep a provider prefix (`anthropic/claude-…`, `models/…`); cloud ids (`anthropic.claude-…-v1:0`, `…@20250929`) are left alone.
  const slash = value.value.lastIndexOf('/');
  const bare = value.value.slice(slash + 1);
  if (canonicalName(bare) !== bare) return null;
  return { span: value.span, newText: `${quote}${value.value.slice(0, slash + 1)}${name}${quote}` };
}
