/**
 * Every call form of the SDK catalogue, as fixture files with inline expectations.
 *
 * A line that makes an LLM call carries a comment on the line where the call starts:
 *   client.chat.completions.create(model="gpt-4o", ...)  # expect: openai chat.completions.create model=gpt-4o bound=- retry=sdk-default:3
 * Keys: provider and api (required, in that order), then any of
 *   model=<literal> | model=?<default> (dynamic with that default) | model=?  (dynamic, no default)
 *   bound=<param>:<n> | bound=<param>:? (dynamic) | bound=-  (absent)
 *   retry=<kind>[:<attempts>]   timeout=<seconds>|none   stream   loop   heuristic   kind=<chat|embedding|…>
 * Every call site found must be on an `expect:` line and every `expect:` line must be found, so
 * look-alikes (count_tokens, mocks, strings in docs) are checked by simply carrying no comment.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CallSite } from '../../server/src/core/types';
import { analyze, lineOf } from '../helpers/engine';

const ROOT = join(__dirname, '..', 'fixtures', 'calls');

const FLAGS = new Set(['stream', 'loop', 'heuristic']);

interface Expectation {
  line: number;
  text: string;
  provider: string;
  api: string;
  keys: Map<string, string | true>;
}

function expectations(text: string): Expectation[] {
  const out: Expectation[] = [];
  text.split('\n').forEach((lineText, i) => {
    const m = /(?:#|\/\/)\s*expect:\s*(.*)$/.exec(lineText);
    if (!m) return;
    // The api runs up to the first key=value or flag: raw-HTTP apis contain a space (`POST /v1/messages`).
    const [provider, ...tokens] = m[1].trim().split(/\s+/);
    const firstKey = tokens.findIndex((t, i) => i > 0 && (t.includes('=') || FLAGS.has(t)));
    const api = (firstKey < 0 ? tokens : tokens.slice(0, firstKey)).join(' ');
    const rest = firstKey < 0 ? [] : tokens.slice(firstKey);
    const keys = new Map<string, string | true>();
    for (const r of rest) {
      const eq = r.indexOf('=');
      if (eq < 0) keys.set(r, true);
      else keys.set(r.slice(0, eq), r.slice(eq + 1));
    }
    out.push({ line: i + 1, text: m[1].trim(), provider, api, keys });
  });
  return out;
}

function describeSite(s: CallSite): string {
  const model = s.model.value ?? (s.model.default ? `?${s.model.default}` : '?');
  const bound = s.maxOutputTokens ? `${s.maxOutputTokens.param}:${s.maxOutputTokens.value ?? '?'}` : '-';
  return `${s.provider} ${s.api} model=${model} bound=${bound} retry=${s.retry.kind}:${s.retry.attempts ?? '?'}${s.heuristic ? ' heuristic' : ''}`;
}

function check(site: CallSite, e: Expectation): string[] {
  const problems: string[] = [];
  const want = (key: string, actual: string) => {
    const v = e.keys.get(key);
    if (v !== undefined && v !== actual && !(key === 'retry' && typeof v === 'string' && !v.includes(':') && actual.startsWith(`${v}:`))) {
      problems.push(`${key}: expected ${String(v)}, got ${actual}`);
    }
  };
  if (site.provider !== e.provider) problems.push(`provider: expected ${e.provider}, got ${site.provider}`);
  if (site.api !== e.api) problems.push(`api: expected ${e.api}, got ${site.api}`);
  want('model', site.model.value ?? `?${site.model.default ?? ''}`);
  want('bound', site.maxOutputTokens ? `${site.maxOutputTokens.param}:${site.maxOutputTokens.value ?? '?'}` : '-');
  want('retry', `${site.retry.kind}:${site.retry.attempts ?? '?'}`);
  want('timeout', site.timeout.seconds === null ? 'none' : String(site.timeout.seconds));
  want('kind', site.kind);
  want('modelProvider', site.modelProvider);
  for (const flag of ['stream', 'loop', 'heuristic'] as const) {
    const actual = flag === 'stream' ? site.streaming : flag === 'loop' ? site.loops.length > 0 : site.heuristic;
    if (e.keys.has(flag) && !actual) problems.push(`expected ${flag}`);
    if (!e.keys.has(flag) && flag === 'heuristic' && actual) problems.push('matched heuristically, expected a resolved receiver');
  }
  return problems;
}

for (const language of ['python', 'typescript']) {
  describe(`call forms: ${language}`, () => {
    const dir = join(ROOT, language);
    for (const name of existsSync(dir) ? readdirSync(dir).sort() : []) {
      it(name, async () => {
        const text = readFileSync(join(dir, name), 'utf8');
        const result = await analyze(name, text);
        assert.deepEqual(result.errors, [], 'no analysis errors');
        const expected = expectations(text);
        const byLine = new Map<number, CallSite[]>();
        for (const s of result.callSites) {
          const line = lineOf(result.text, s.span.start);
          byLine.set(line, [...(byLine.get(line) ?? []), s]);
        }
        const problems: string[] = [];
        for (const e of expected) {
          const sites = byLine.get(e.line) ?? [];
          if (!sites.length) problems.push(`line ${e.line}: expected a call site (${e.text}), found none`);
          for (const s of sites) for (const p of check(s, e)) problems.push(`line ${e.line}: ${p}   [found: ${describeSite(s)}]`);
          byLine.delete(e.line);
        }
        for (const [line, sites] of byLine) for (const s of sites) problems.push(`line ${line}: unexpected call site ${describeSite(s)}`);
        assert.deepEqual(problems, []);
      });
    }
  });
}
