/**
 * Suppression comments, as users know them from ruff/flake8 and ESLint:
 *
 *   Python:  x = call()  # llmlint: ignore[unbounded-output, missing-retry]   (this line)
 *            # llmlint: ignore[unbounded-output]                               (alone on a line: the next line)
 *            # llmlint: ignore-file[missing-retry]                             (the whole file)
 *   JS/TS:   // llmlint-disable-next-line unbounded-output, missing-retry
 *            x = call(); // llmlint-disable-line unbounded-output
 *            /* llmlint-disable missing-retry *\/                              (the whole file)
 *
 * Without rule ids a directive covers every rule. A diagnostic is suppressed when the line where
 * it starts is covered. Directives that suppress nothing can be reported
 * (`--report-unused-disable-directives`).
 */
import type { Span } from './ir';
import type { Diagnostic } from './types';

export interface Directive {
  span: Span;
  /** 0-based line the directive covers; null for file-wide directives. */
  line: number | null;
  /** Rule ids; empty means every rule. */
  rules: string[];
  text: string;
}

const PY_LINE = /#\s*llmlint:\s*ignore(?!-file)(?:\[([^\]]*)\])?/g;
const PY_FILE = /#\s*llmlint:\s*ignore-file(?:\[([^\]]*)\])?/g;
const JS_NEXT = /\/\/\s*llmlint-disable-next-line\b([^\n]*)/g;
const JS_SAME = /\/\/\s*llmlint-disable-line\b([^\n]*)/g;
const JS_FILE = /\/[/*]\s*llmlint-disable(?![-\w])([^\n]*?)(?:\*\/|$)/gm;

function ruleList(raw: string | undefined): string[] {
  return (raw ?? '').split(/[\s,]+/).map((r) => r.trim()).filter((r) => /^[a-z][a-z-]*$/.test(r));
}

export function parseDirectives(text: string, language: 'python' | 'typescript'): Directive[] {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const lineOf = (offset: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  /** A comment alone on its line covers the next line; after code it covers its own line. */
  const aloneOnLine = (offset: number) => text.slice(lineStarts[lineOf(offset)], offset).trim() === '';
  const out: Directive[] = [];
  const collect = (re: RegExp, cover: (offset: number) => number | null) => {
    for (const m of text.matchAll(re)) {
      const start = m.index ?? 0;
      out.push({ span: { start, end: start + m[0].length }, line: cover(start), rules: ruleList(m[1]), text: m[0].trim() });
    }
  };
  if (language === 'python') {
    collect(PY_LINE, (o) => (aloneOnLine(o) ? lineOf(o) + 1 : lineOf(o)));
    collect(PY_FILE, () => null);
  } else {
    collect(JS_NEXT, (o) => lineOf(o) + 1);
    collect(JS_SAME, (o) => lineOf(o));
    collect(JS_FILE, () => null);
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}

export interface SuppressionResult {
  kept: Diagnostic[];
  suppressed: Diagnostic[];
  /** Directives (or rule ids within them) that suppressed nothing. */
  unused: Array<{ directive: Directive; rule: string | null }>;
}

export function applySuppressions(diagnostics: Diagnostic[], directives: Directive[], lineOfOffset: (offset: number) => number): SuppressionResult {
  const used = new Set<string>();
  const kept: Diagnostic[] = [];
  const suppressed: Diagnostic[] = [];
  const key = (i: number, rule: string | null) => `${i}:${rule ?? '*'}`;
  for (const d of diagnostics) {
    const line = lineOfOffset(d.span.start);
    const hit = directives.findIndex((dir) => (dir.line === null || dir.line === line) && (dir.rules.length === 0 || dir.rules.includes(d.rule)));
    if (hit < 0) {
      kept.push(d);
      continue;
    }
    suppressed.push(d);
    used.add(key(hit, directives[hit].rules.length ? d.rule : null));
  }
  const unused: SuppressionResult['unused'] = [];
  directives.forEach((dir, i) => {
    if (!dir.rules.length) {
      if (!used.has(key(i, null))) unused.push({ directive: dir, rule: null });
      return;
    }
    for (const rule of dir.rules) if (!used.has(key(i, rule))) unused.push({ directive: dir, rule });
  });
  return { kept, suppressed, unused };
}
