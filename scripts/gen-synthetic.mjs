// Generates a synthetic repository for the benchmark, deterministically (same seed and scale,
// same bytes): a monorepo of Python services and TypeScript packages, most files plain
// application code with no LLM call, some with OpenAI/Anthropic SDK calls of the forms in
// test/fixtures/calls, a few prompt files and notebooks, nested directories, .gitignore files
// and content that discovery must skip (node_modules, ignored and generated directories).
//   node scripts/gen-synthetic.mjs <dir> [--scale N] [--seed S]
// Scale 1 is about 5,000 analysable files; scale k is the scale-1 tree plus (k-1)× more units of
// the same make-up (unit i depends only on the seed and i), so throughput can be compared across
// sizes. Writes <dir>/.synthetic.json with the parameters and counts.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { catalogMarkers } from './catalog-markers.mjs';

/** Units per scale step; each unit is ~50 analysable files. */
export const UNITS_PER_SCALE = 100;
export const STAMP_FILE = '.synthetic.json';

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

function mulberry32(a) {
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hashSeed(...parts) {
  let h = 2166136261;
  for (const ch of parts.join(':')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

class Rng {
  constructor(seed) {
    this.next = mulberry32(seed);
  }
  int(lo, hi) {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick(xs) {
    return xs[Math.floor(this.next() * xs.length)];
  }
  chance(p) {
    return this.next() < p;
  }
  /** Mostly small, sometimes large: file lengths in real repositories are skewed. */
  skewed(lo, hi) {
    const u = this.next();
    return lo + Math.floor(u * u * u * (hi - lo + 1));
  }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary. Plain files must not contain any prefilter marker (SDK names, provider hosts,
// distinctive method paths); `assertPlain` checks every plain file against the catalogue.

const NOUNS = ['order', 'invoice', 'customer', 'shipment', 'account', 'ledger', 'report', 'inventory', 'cart', 'payment', 'session', 'profile', 'schedule', 'metric', 'event', 'queue', 'job', 'record', 'warehouse', 'supplier', 'coupon', 'refund', 'subscription', 'tenant', 'region', 'audit', 'ticket', 'document', 'upload', 'quota', 'budget', 'forecast', 'route', 'vehicle', 'driver', 'booking', 'room', 'guest', 'review', 'rating', 'catalog', 'product', 'variant', 'price', 'tax', 'currency', 'address', 'contact', 'team', 'member', 'role', 'permission', 'webhook', 'batch', 'export', 'import', 'snapshot', 'backup', 'device', 'sensor', 'reading', 'alert', 'incident', 'deploy', 'release', 'build', 'artifact', 'branch', 'commit', 'pipeline', 'stage', 'worker', 'lease', 'lock', 'token', 'cursor', 'page', 'filter', 'sort', 'column', 'table', 'chart', 'widget', 'dashboard', 'notice', 'email', 'sms', 'channel', 'thread', 'comment', 'label', 'tag', 'folder', 'file', 'image', 'video', 'clip', 'track', 'playlist', 'lesson', 'course', 'grade', 'student', 'teacher'];
const VERBS = ['load', 'save', 'compute', 'validate', 'normalize', 'merge', 'split', 'render', 'parse', 'format', 'resolve', 'sync', 'apply', 'collect', 'filter', 'group', 'rank', 'score', 'schedule', 'dispatch', 'archive', 'restore', 'index', 'lookup', 'refresh', 'expire', 'reconcile', 'allocate', 'release', 'estimate', 'aggregate', 'publish', 'notify', 'sanitize', 'serialize', 'hydrate', 'dedupe', 'paginate', 'throttle', 'retry'];
const ADJS = ['active', 'pending', 'stale', 'primary', 'default', 'cached', 'remote', 'local', 'daily', 'weekly', 'monthly', 'total', 'partial', 'expired', 'visible', 'hidden', 'archived', 'draft', 'final', 'latest'];
const FIELDS = ['id', 'name', 'status', 'created_at', 'updated_at', 'amount', 'quantity', 'owner_id', 'region', 'currency', 'priority', 'score', 'kind', 'version', 'email', 'title', 'due_date', 'weight', 'count', 'total'];
const SENTENCES = [
  'Keeps the hot path free of allocations where it can.',
  'Callers pass already validated input.',
  'The result is stable for equal inputs.',
  'Missing keys are treated as zero.',
  'This mirrors the behaviour of the legacy service.',
  'Entries older than the retention window are dropped.',
  'Used by the nightly reconciliation job.',
  'Raises when the upstream record is malformed.',
  'Ordering follows the creation time, oldest first.',
  'The cache is invalidated on every write.',
  'Values are rounded to two decimal places at the end only.',
  'Safe to call from several workers at once.',
];
const MODELS_OPENAI = ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano', 'o4-mini'];
const MODELS_ANTHROPIC = ['claude-sonnet-4-5', 'claude-3-5-haiku-latest', 'claude-opus-4-1', 'claude-3-7-sonnet-latest'];
const PROMPT_LINES = [
  'You are a careful assistant for the {noun} team.',
  'Answer in at most three sentences.',
  'If you are not sure, say so and suggest who to ask.',
  'Never invent order numbers, prices or dates.',
  'Reply in the language of the question.',
  'Summarise the {noun} for a busy reader; lead with what changed.',
  'Classify the {noun} into one of: billing, shipping, account, other.',
  'Use the tone of a friendly support agent.',
  'List the three most important facts as bullet points.',
  'Quote the exact field names from the {noun} record.',
];

const cap = (s) => s[0].toUpperCase() + s.slice(1);
const camel = (...ws) => ws[0] + ws.slice(1).map(cap).join('');
const pascal = (...ws) => ws.map(cap).join('');
const snake = (...ws) => ws.join('_');

let MARKERS = null;
const loadMarkers = () => (MARKERS ??= catalogMarkers());

function assertPlain(path, text) {
  for (const m of loadMarkers()) if (text.includes(m)) throw new Error(`gen-synthetic: plain file ${path} contains the marker ${JSON.stringify(m)}`);
}

// ---------------------------------------------------------------------------------------------
// Plain Python

function pyFunction(r) {
  const verb = r.pick(VERBS);
  const noun = r.pick(NOUNS);
  const f1 = r.pick(FIELDS);
  const f2 = r.pick(FIELDS);
  const name = snake(verb, r.pick(ADJS), noun + 's');
  const doc = `${cap(verb)} ${noun} entries. ${r.pick(SENTENCES)}`;
  switch (r.int(0, 4)) {
    case 0:
      return `def ${name}(items: list[dict], threshold: float = ${r.int(1, 99) / 10}) -> dict[str, float]:
    """${doc}"""
    result: dict[str, float] = {}
    for item in items:
        key = item.get("${f1}")
        if key is None:
            continue
        value = float(item.get("${f2}", 0)) * ${r.int(2, 17)}
        if value > threshold:
            result[str(key)] = result.get(str(key), 0.0) + value
    return result
`;
    case 1:
      return `def ${name}(rows: Iterable[Mapping[str, Any]], *, limit: int = ${r.int(10, 500)}) -> list[dict[str, Any]]:
    """${doc}"""
    seen: set[str] = set()
    out: list[dict[str, Any]] = []
    for row in rows:
        ident = str(row.get("${f1}", ""))
        if not ident or ident in seen:
            continue
        seen.add(ident)
        out.append({"${f1}": ident, "${f2}": row.get("${f2}"), "rank": len(out) + 1})
        if len(out) >= limit:
            break
    return sorted(out, key=lambda d: (d.get("${f2}") is None, str(d.get("${f2}"))))
`;
    case 2:
      return `async def ${name}(repo: "${pascal(noun)}Repository", ids: Sequence[int]) -> int:
    """${doc}"""
    changed = 0
    for chunk_start in range(0, len(ids), ${r.int(16, 256)}):
        chunk = ids[chunk_start : chunk_start + ${r.int(16, 256)}]
        records = await repo.fetch_many(chunk)
        for record in records:
            if record.${f1.replace(/_.*/, '')} and record.status != "${r.pick(ADJS)}":
                record.status = "${r.pick(ADJS)}"
                changed += 1
        await repo.save_all(records)
    logger.info("${verb} %d ${noun} records", changed)
    return changed
`;
    case 3:
      return `def ${name}(value: str | None, default: str = "${r.pick(ADJS)}") -> str:
    """${doc}"""
    if value is None:
        return default
    cleaned = value.strip().lower().replace(" ", "-")
    if len(cleaned) > ${r.int(20, 120)}:
        cleaned = cleaned[: ${r.int(20, 120)}]
    parts = [p for p in cleaned.split("-") if p]
    return "-".join(parts) or default
`;
    default:
      return `def ${name}(payload: dict[str, Any]) -> tuple[bool, list[str]]:
    """${doc}"""
    errors: list[str] = []
    for field_name in (${[f1, f2, r.pick(FIELDS)].map((f) => `"${f}"`).join(', ')}):
        if field_name not in payload:
            errors.append(f"missing {field_name}")
        elif payload[field_name] in ("", None):
            errors.append(f"empty {field_name}")
    if payload.get("amount", 0) < 0:
        errors.append("amount must not be negative")
    return (not errors, errors)
`;
  }
}

function pyClass(r) {
  const noun = r.pick(NOUNS);
  const cls = pascal(r.pick(ADJS), noun, r.pick(['Service', 'Store', 'Manager', 'Repository', 'Builder', 'Index']));
  const fields = [r.pick(FIELDS), r.pick(FIELDS), r.pick(FIELDS)].filter((f, i, a) => a.indexOf(f) === i);
  const methods = [];
  for (let i = r.int(2, 6); i > 0; i--) {
    const verb = r.pick(VERBS);
    methods.push(`    def ${snake(verb, noun)}(self, key: str, fallback: Any = None) -> Any:
        """${cap(verb)} one ${noun}. ${r.pick(SENTENCES)}"""
        entry = self._items.get(key)
        if entry is None:
            self._misses += 1
            return fallback
        self._hits += 1
        return entry.get("${r.pick(FIELDS)}", fallback)
`);
  }
  return `@dataclass
class ${cls}Config:
${fields.map((f) => `    ${f}: str = "${r.pick(ADJS)}"`).join('\n')}
    max_items: int = ${r.int(10, 10000)}


class ${cls}:
    """Holds ${noun} entries in memory. ${r.pick(SENTENCES)}"""

    def __init__(self, config: ${cls}Config | None = None) -> None:
        self.config = config or ${cls}Config()
        self._items: dict[str, dict[str, Any]] = {}
        self._hits = 0
        self._misses = 0

    def put(self, key: str, entry: dict[str, Any]) -> None:
        if len(self._items) >= self.config.max_items:
            oldest = next(iter(self._items))
            del self._items[oldest]
        self._items[key] = entry

${methods.join('\n')}`;
}

function pyModule(r, modName) {
  const parts = [
    `"""${cap(modName.replace(/_/g, ' '))}: ${r.pick(SENTENCES)}"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

logger = logging.getLogger(__name__)

${snake(r.pick(ADJS), r.pick(NOUNS)).toUpperCase()}_LIMIT = ${r.int(1, 5000)}
`,
  ];
  for (let n = r.skewed(2, 28); n > 0; n--) parts.push(r.chance(0.25) ? pyClass(r) : pyFunction(r));
  return parts.join('\n\n');
}

function pyTest(r, modName) {
  const tests = [];
  for (let n = r.int(3, 12); n > 0; n--) {
    const noun = r.pick(NOUNS);
    tests.push(`def test_${snake(r.pick(VERBS), noun)}_${n}() -> None:
    data = [{"${r.pick(FIELDS)}": ${r.int(0, 99)}, "status": "${r.pick(ADJS)}"} for _ in range(${r.int(1, 9)})]
    assert len(data) > 0
    assert all("status" in row for row in data)
`);
  }
  return `import pytest

from ${modName} import *  # noqa: F401,F403


${tests.join('\n\n')}`;
}

// ---------------------------------------------------------------------------------------------
// Plain TypeScript

function tsFunction(r) {
  const verb = r.pick(VERBS);
  const noun = r.pick(NOUNS);
  const T = pascal(noun);
  const f1 = camel(...r.pick(FIELDS).split('_'));
  const f2 = camel(...r.pick(FIELDS).split('_'));
  const name = camel(verb, r.pick(ADJS), noun + 's');
  switch (r.int(0, 4)) {
    case 0:
      return `/** ${cap(verb)} ${noun} entries. ${r.pick(SENTENCES)} */
export function ${name}(items: ${T}[], threshold = ${r.int(1, 99) / 10}): Map<string, number> {
  const out = new Map<string, number>();
  for (const item of items) {
    const key = String(item.${f1} ?? '');
    if (!key) continue;
    const value = Number(item.${f2} ?? 0) * ${r.int(2, 17)};
    if (value > threshold) out.set(key, (out.get(key) ?? 0) + value);
  }
  return out;
}
`;
    case 1:
      return `export async function ${name}(api: ${T}Api, ids: readonly string[], signal?: AbortSignal): Promise<${T}[]> {
  const results: ${T}[] = [];
  for (let i = 0; i < ids.length; i += ${r.int(8, 128)}) {
    const chunk = ids.slice(i, i + ${r.int(8, 128)});
    const res = await fetch(\`/api/${noun}s?ids=\${chunk.join(',')}\`, { signal });
    if (!res.ok) throw new Error(\`${verb} ${noun}s failed: \${res.status}\`);
    const body = (await res.json()) as { items: ${T}[] };
    results.push(...body.items.filter((x) => x.status !== '${r.pick(ADJS)}'));
  }
  return api.sort(results);
}
`;
    case 2:
      return `export const ${name} = (rows: ReadonlyArray<Partial<${T}>>, limit = ${r.int(10, 500)}) =>
  rows
    .filter((row): row is ${T} => row.${f1} !== undefined && row.${f2} !== undefined)
    .map((row, index) => ({ ...row, rank: index + 1, label: \`\${row.${f1}}-\${row.${f2}}\` }))
    .sort((a, b) => String(a.${f2}).localeCompare(String(b.${f2})))
    .slice(0, limit);
`;
    case 3:
      return `export function ${name}(value: string | undefined, fallback = '${r.pick(ADJS)}'): string {
  if (value === undefined) return fallback;
  const cleaned = value.trim().toLowerCase().replace(/\\s+/g, '-');
  const parts = cleaned.split('-').filter(Boolean);
  return (parts.join('-') || fallback).slice(0, ${r.int(20, 120)});
}
`;
    default:
      return `export function ${name}(payload: Record<string, unknown>): { ok: boolean; errors: string[] } {
  const errors: string[] = [];
  for (const field of ['${f1}', '${f2}', '${camel(...r.pick(FIELDS).split('_'))}'] as const) {
    if (!(field in payload)) errors.push(\`missing \${field}\`);
    else if (payload[field] === '' || payload[field] === null) errors.push(\`empty \${field}\`);
  }
  if (typeof payload.amount === 'number' && payload.amount < 0) errors.push('amount must not be negative');
  return { ok: errors.length === 0, errors };
}
`;
  }
}

function tsClass(r) {
  const noun = r.pick(NOUNS);
  const T = pascal(noun);
  const cls = pascal(r.pick(ADJS), noun, r.pick(['Service', 'Store', 'Manager', 'Repository', 'Builder', 'Index']));
  const methods = [];
  for (let i = r.int(2, 6); i > 0; i--) {
    const verb = r.pick(VERBS);
    methods.push(`  ${camel(verb, noun)}(key: string, fallback?: ${T}): ${T} | undefined {
    const entry = this.items.get(key);
    if (!entry) {
      this.misses++;
      return fallback;
    }
    this.hits++;
    return entry;
  }
`);
  }
  return `export interface ${T} {
  id: string;
  status: string;
  ${camel(...r.pick(FIELDS).split('_'))}X?: string | number;
  createdAt: Date;
}

export interface ${T}Api {
  sort(items: ${T}[]): ${T}[];
}

/** ${r.pick(SENTENCES)} */
export class ${cls} {
  private readonly items = new Map<string, ${T}>();
  private hits = 0;
  private misses = 0;

  constructor(private readonly maxItems = ${r.int(10, 10000)}) {}

  put(key: string, entry: ${T}): void {
    if (this.items.size >= this.maxItems) {
      const oldest = this.items.keys().next().value;
      if (oldest !== undefined) this.items.delete(oldest);
    }
    this.items.set(key, entry);
  }

${methods.join('\n')}}
`;
}

function tsModule(r) {
  // Types referenced but not declared are fine: nothing here is type-checked.
  const parts = [`// ${r.pick(SENTENCES)}\nimport { logger } from '../logger';\n\nexport const ${snake(r.pick(ADJS), r.pick(NOUNS)).toUpperCase()}_LIMIT = ${r.int(1, 5000)};\n`];
  const n = r.skewed(2, 28);
  parts.push(tsClass(r));
  for (let i = 1; i < n; i++) parts.push(r.chance(0.2) ? tsClass(r) : tsFunction(r));
  return parts.join('\n');
}

function jsModule(r) {
  const parts = [`// ${r.pick(SENTENCES)}\n'use strict';\n`];
  const exported = [];
  for (let n = r.skewed(2, 20); n > 0; n--) {
    const noun = r.pick(NOUNS);
    const name = camel(r.pick(VERBS), r.pick(ADJS), noun + 's') + n;
    const f1 = camel(...r.pick(FIELDS).split('_'));
    const f2 = camel(...r.pick(FIELDS).split('_'));
    exported.push(name);
    parts.push(
      r.chance(0.5)
        ? `/** ${r.pick(SENTENCES)} */
function ${name}(items, threshold = ${r.int(1, 99) / 10}) {
  const out = new Map();
  for (const item of items) {
    const key = String(item.${f1} ?? '');
    if (!key) continue;
    const value = Number(item.${f2} ?? 0) * ${r.int(2, 17)};
    if (value > threshold) out.set(key, (out.get(key) ?? 0) + value);
  }
  return out;
}
`
        : `async function ${name}(ids, { signal } = {}) {
  const results = [];
  for (let i = 0; i < ids.length; i += ${r.int(8, 128)}) {
    const res = await fetch(\`/api/${noun}s?ids=\${ids.slice(i, i + ${r.int(8, 128)}).join(',')}\`, { signal });
    if (!res.ok) throw new Error(\`${noun}s: \${res.status}\`);
    const body = await res.json();
    results.push(...body.items.filter((x) => x.${f1} !== undefined));
  }
  return results;
}
`,
    );
  }
  parts.push(`module.exports = { ${exported.join(', ')} };\n`);
  return parts.join('\n');
}

function tsxComponent(r) {
  const noun = r.pick(NOUNS);
  const T = pascal(noun);
  const comp = pascal(r.pick(ADJS), noun, r.pick(['List', 'Card', 'Panel', 'Table', 'Form', 'Badge']));
  const cols = [r.pick(FIELDS), r.pick(FIELDS), r.pick(FIELDS)].map((f) => camel(...f.split('_')));
  return `import React, { useMemo, useState } from 'react';

export interface ${T}Row {
${cols.map((c) => `  ${c}?: string | number;`).join('\n')}
  id: string;
}

interface Props {
  rows: ${T}Row[];
  onSelect?: (row: ${T}Row) => void;
  pageSize?: number;
}

/** ${r.pick(SENTENCES)} */
export function ${comp}({ rows, onSelect, pageSize = ${r.int(5, 50)} }: Props) {
  const [page, setPage] = useState(0);
  const [query, setQuery] = useState('');
  const visible = useMemo(
    () => rows.filter((row) => JSON.stringify(row).toLowerCase().includes(query.toLowerCase())).slice(page * pageSize, (page + 1) * pageSize),
    [rows, query, page, pageSize],
  );
  return (
    <div className="${noun}-panel">
      <input value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Filter ${noun}s" />
      <table>
        <thead>
          <tr>
${cols.map((c) => `            <th>${c}</th>`).join('\n')}
          </tr>
        </thead>
        <tbody>
          {visible.map((row) => (
            <tr key={row.id} onClick={() => onSelect?.(row)}>
${cols.map((c) => `              <td>{row.${c}}</td>`).join('\n')}
            </tr>
          ))}
        </tbody>
      </table>
      <button disabled={page === 0} onClick={() => setPage(page - 1)}>Previous</button>
      <button onClick={() => setPage(page + 1)}>Next</button>
    </div>
  );
}
`;
}

function tsTest(r) {
  const cases = [];
  for (let n = r.int(3, 10); n > 0; n--) {
    cases.push(`  it('${r.pick(VERBS)}s ${r.pick(NOUNS)}s (${n})', () => {
    const rows = Array.from({ length: ${r.int(1, 9)} }, (_, i) => ({ id: String(i), status: '${r.pick(ADJS)}' }));
    expect(rows).toHaveLength(rows.length);
    expect(rows.every((row) => row.status.length > 0)).toBe(true);
  });
`);
  }
  return `import { describe, expect, it } from 'vitest';

describe('${r.pick(NOUNS)}', () => {
${cases.join('\n')}});
`;
}

function jsConfig(r) {
  return `// @ts-check
const path = require('node:path');

/** ${r.pick(SENTENCES)} */
module.exports = {
  root: path.join(__dirname, 'src'),
  outDir: 'dist',
  sourcemap: ${r.chance(0.5)},
  target: 'es${r.int(2019, 2023)}',
  define: { 'process.env.${snake(r.pick(ADJS), r.pick(NOUNS)).toUpperCase()}': '"${r.pick(ADJS)}"' },
};
`;
}

// ---------------------------------------------------------------------------------------------
// Files with LLM calls (the forms of test/fixtures/calls)

function promptText(r, noun) {
  const lines = [];
  for (let n = r.int(1, 5); n > 0; n--) lines.push(r.pick(PROMPT_LINES).replace('{noun}', noun));
  return lines.join(' ');
}

function pyLlm(r, modName) {
  const noun = r.pick(NOUNS);
  const om = r.pick(MODELS_OPENAI);
  const am = r.pick(MODELS_ANTHROPIC);
  const sys = promptText(r, noun);
  const bound = r.chance(0.7) ? `\n        max_completion_tokens=${r.pick([200, 400, 800, 1500])},` : '';
  const forms = [
    () => `def summarize_${noun}(text: str) -> str:
    response = client.chat.completions.create(
        model=MODEL,
        messages=[{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": text}],${bound}
    )
    return response.choices[0].message.content or ""
`,
    () => `class ${pascal(noun)}Assistant:
    def __init__(self, model: str = "${om}") -> None:
        self.client = OpenAI(timeout=${r.int(10, 120)}.0, max_retries=${r.int(0, 5)})
        self.model = model

    def answer(self, question: str) -> str:
        resp = self.client.chat.completions.create(
            model=self.model,
            messages=[{"role": "system", "content": "${promptText(r, noun)}"}, {"role": "user", "content": question}],
            max_tokens=${r.pick([64, 256, 512])},
        )
        return resp.choices[0].message.content or ""
`,
    () => `async def draft_${noun}_reply(body: str) -> str:
    response = await aclient.responses.create(
        model="${om}",
        instructions=SYSTEM_PROMPT,
        input=body,${r.chance(0.6) ? `\n        max_output_tokens=${r.pick([300, 1000])},` : ''}
    )
    return response.output_text
`,
    () => `def review_${noun}(diff: str) -> str:
    message = claude.messages.create(
        model="${am}",
        max_tokens=${r.pick([256, 1024, 4096])},
        system="${promptText(r, noun)}",
        messages=[{"role": "user", "content": diff}],
    )
    return message.content[0].text
`,
    () => `def stream_${noun}_answer(question: str):
    with claude.messages.stream(
        model="${am}",
        max_tokens=${r.pick([1024, 4096])},
        messages=[{"role": "user", "content": question}],
    ) as stream:
        for text in stream.text_stream:
            yield text
`,
    () => `def embed_${noun}s(chunks: list[str]) -> list[list[float]]:
    vectors = []
    for chunk in chunks:
        result = client.embeddings.create(model="text-embedding-3-small", input=chunk)
        vectors.append(result.data[0].embedding)
    return vectors
`,
    () => `def classify_${noun}(text: str, model: str = os.getenv("${noun.toUpperCase()}_MODEL", "${om}")) -> str:
    completion = client.chat.completions.create(
        model=model,
        messages=[{"role": "user", "content": f"${promptText(r, noun)}\\n\\n{text}"}],
        temperature=0,
    )
    return completion.choices[0].message.content or "other"
`,
  ];
  const body = [];
  for (let n = r.int(1, 3); n > 0; n--) body.push(r.pick(forms)());
  for (let n = r.int(1, 6); n > 0; n--) body.push(pyFunction(r));
  return `"""${cap(noun)} assistant: the LLM calls of the ${modName} service."""
from __future__ import annotations

import logging
import os
from typing import Any, Iterable, Mapping, Sequence

from anthropic import Anthropic
from openai import AsyncOpenAI, OpenAI

from .prompts import SYSTEM_PROMPT

logger = logging.getLogger(__name__)

MODEL = "${om}"
client = OpenAI()
aclient = AsyncOpenAI(max_retries=${r.int(1, 5)})
claude = Anthropic()


${body.join('\n\n')}`;
}

function pyPrompts(r) {
  const noun = r.pick(NOUNS);
  return `"""Prompts shared by the service's assistants."""
from textwrap import dedent

SYSTEM_PROMPT = dedent(
    """
    ${promptText(r, noun)}
    ${promptText(r, noun)}
    """
).strip()
`;
}

function pyMarkerOnly(r) {
  // Mentions an SDK (types, config) without a call: parsed, no call site.
  return `"""Settings for the model gateway. ${r.pick(SENTENCES)}"""
from openai.types.chat import ChatCompletionMessageParam

DEFAULT_TIMEOUT = ${r.int(10, 90)}
ALLOWED = ("${r.pick(MODELS_OPENAI)}", "${r.pick(MODELS_OPENAI)}")


def to_message(role: str, content: str) -> ChatCompletionMessageParam:
    return {"role": role, "content": content}  # type: ignore[return-value]


${pyFunction(r)}`;
}

function tsLlm(r) {
  const noun = r.pick(NOUNS);
  const om = r.pick(MODELS_OPENAI);
  const am = r.pick(MODELS_ANTHROPIC);
  const forms = [
    () => `export async function reply${pascal(noun)}(messages: ChatCompletionMessageParam[]): Promise<string> {
  const completion = await client.chat.completions.create({
    model: CHAT_MODEL,
    messages: [{ role: 'system', content: SYSTEM }, ...messages],${r.chance(0.7) ? `\n    max_completion_tokens: ${r.pick([200, 400, 800])},` : ''}
  });
  return completion.choices[0].message.content ?? '';
}
`,
    () => `export async function summarize${pascal(noun)}(doc: string) {
  const response = await client.responses.create({
    model: '${om}',
    instructions: '${promptText(r, noun)}',
    input: doc,${r.chance(0.6) ? `\n    max_output_tokens: ${r.pick([300, 1000])},` : ''}
  });
  return response.output_text;
}
`,
    () => `export async function review${pascal(noun)}(diff: string): Promise<string> {
  const message = await anthropic.messages.create({
    model: '${am}',
    max_tokens: ${r.pick([256, 1024, 2048])},
    system: SYSTEM,
    messages: [{ role: 'user', content: diff }],
  });
  return message.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
}
`,
    () => `export async function stream${pascal(noun)}(question: string, onDelta: (s: string) => void) {
  const stream = await client.chat.completions.create({ model: '${om}', messages: [{ role: 'user', content: question }], stream: true });
  for await (const chunk of stream) onDelta(chunk.choices[0]?.delta?.content ?? '');
}
`,
    () => `export async function embed${pascal(noun)}s(chunks: string[]): Promise<number[][]> {
  const out: number[][] = [];
  for (const chunk of chunks) {
    const res = await client.embeddings.create({ model: 'text-embedding-3-small', input: chunk });
    out.push(res.data[0].embedding);
  }
  return out;
}
`,
    () => `export async function patient${pascal(noun)}(text: string) {
  return client.withOptions({ maxRetries: ${r.int(2, 6)} }).chat.completions.create({ model: '${om}', messages: [{ role: 'user', content: \`${promptText(r, noun)} \${text}\` }], max_tokens: ${r.pick([64, 128, 512])} });
}
`,
    () => `export class ${pascal(noun)}Agent {
  private readonly llm = new Anthropic({ maxRetries: ${r.int(0, 4)}, timeout: ${r.int(10, 120)}_000 });

  async run(task: string) {
    const msg = await this.llm.messages.create({ model: '${am}', max_tokens: ${r.pick([60, 600, 2000])}, messages: [{ role: 'user', content: \`${promptText(r, noun)}: \${task}\` }] });
    return msg.content[0];
  }
}
`,
  ];
  const body = [];
  for (let n = r.int(1, 3); n > 0; n--) body.push(r.pick(forms)());
  for (let n = r.int(1, 6); n > 0; n--) body.push(tsFunction(r));
  return `// ${cap(noun)} assistant: the service's OpenAI and Anthropic calls.
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { SYSTEM } from './prompts';

const CHAT_MODEL = '${om}';
const client = new OpenAI(${r.chance(0.3) ? `{ maxRetries: ${r.int(0, 5)}, timeout: ${r.int(10, 120)}_000 }` : ''});
const anthropic = new Anthropic();

${body.join('\n')}`;
}

function tsPrompts(r) {
  const noun = r.pick(NOUNS);
  return `// Prompts shared by the package's assistants.
export const PERSONA = '${promptText(r, noun)}';
export const SYSTEM = \`\${PERSONA} ${promptText(r, noun)}\`;
`;
}

function tsMarkerOnly(r) {
  return `import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';

export const DEFAULT_TIMEOUT_MS = ${r.int(10, 90)}_000;

export function toMessage(role: 'user' | 'system', content: string): ChatCompletionMessageParam {
  return { role, content };
}

${tsFunction(r)}`;
}

function notebook(r, withCall) {
  const noun = r.pick(NOUNS);
  const cell = (type, src) => ({ cell_type: type, metadata: {}, source: src.split(/(?<=\n)/), ...(type === 'code' ? { execution_count: null, outputs: [] } : {}) });
  const cells = [
    cell('markdown', `# ${cap(noun)} analysis\n\n${r.pick(SENTENCES)}\n`),
    cell('code', `import pandas as pd\n\ndf = pd.read_csv("data/${noun}s.csv")\ndf.head()\n`),
    cell('code', `summary = df.groupby("${r.pick(FIELDS)}").agg({"${r.pick(FIELDS)}": "sum"})\nsummary.sort_values(by=summary.columns[0], ascending=False).head(${r.int(5, 20)})\n`),
  ];
  if (withCall)
    cells.push(
      cell('code', `from openai import OpenAI\n\nclient = OpenAI()\nresp = client.chat.completions.create(\n    model="${r.pick(MODELS_OPENAI)}",\n    messages=[{"role": "user", "content": "${promptText(r, noun)}" + summary.to_string()}],\n)\nprint(resp.choices[0].message.content)\n`),
    );
  return JSON.stringify({ cells, metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' } }, nbformat: 4, nbformat_minor: 5 }, null, 1) + '\n';
}

function prompty(r) {
  const noun = r.pick(NOUNS);
  return `---
name: ${cap(noun)} answer
description: Answers a question about a ${noun}.
model:
  api: chat
  configuration:
    type: openai
    model: ${r.pick(MODELS_OPENAI)}
  parameters:
    max_tokens: ${r.pick([200, 400, 800])}
    temperature: 0.2
sample:
  question: What changed in my ${noun}?
---
system:
${promptText(r, noun)}

user:
{{question}}
`;
}

function promptYml(r) {
  const noun = r.pick(NOUNS);
  return `name: ${cap(noun)} summary
description: Summarises a ${noun} for the on-call engineer
model: openai/${r.pick(MODELS_OPENAI)}
modelParameters:
  temperature: 0.3
messages:
  - role: system
    content: ${promptText(r, noun)}
  - role: user
    content: |
      Summarise this ${noun}:

      {{${noun}}}
`;
}

// ---------------------------------------------------------------------------------------------
// Units

const SERVICE_AREAS = ['core', 'billing', 'logistics', 'identity', 'catalog', 'analytics', 'support', 'platform'];

class Writer {
  constructor(root) {
    this.root = root;
    this.stats = { files: 0, bytes: 0, analysable: 0, python: 0, typescript: 0, notebooks: 0, promptFiles: 0, llmFiles: 0, markerOnlyFiles: 0, excluded: 0 };
    this.dirs = new Set();
    this.paths = new Set();
  }
  write(rel, text, kind) {
    if (this.paths.has(rel)) {
      // Two modules drew the same name: number the second, as a person would.
      const m = /^(.*?)((?:\.[a-z]+)+)$/i.exec(rel);
      let n = 2;
      while (this.paths.has(`${m[1]}_${n}${m[2]}`)) n++;
      rel = `${m[1]}_${n}${m[2]}`;
    }
    this.paths.add(rel);
    const full = join(this.root, rel);
    const dir = dirname(full);
    if (!this.dirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      this.dirs.add(dir);
    }
    writeFileSync(full, text);
    this.stats.files++;
    this.stats.bytes += Buffer.byteLength(text);
    if (kind === 'excluded') this.stats.excluded++;
    else if (kind && kind !== 'other') {
      this.stats.analysable++;
      if (kind === 'py') this.stats.python++;
      if (kind === 'ts') this.stats.typescript++;
      if (kind === 'ipynb') this.stats.notebooks++;
      if (kind === 'prompt') this.stats.promptFiles++;
    }
  }
  plain(rel, text, kind) {
    assertPlain(rel, text);
    this.write(rel, text, kind);
  }
}

function pythonUnit(w, r, i) {
  const area = SERVICE_AREAS[i % SERVICE_AREAS.length];
  const svc = `${r.pick(NOUNS)}_${r.pick(['svc', 'api', 'worker', 'jobs'])}_${i}`;
  const base = `services/${area}/${svc.replace(/_/g, '-')}`;
  const pkg = `${base}/src/${svc}`;
  w.write(`${base}/pyproject.toml`, `[project]\nname = "${svc.replace(/_/g, '-')}"\nversion = "0.${r.int(1, 40)}.0"\nrequires-python = ">=3.10"\n`, 'other');
  w.write(`${base}/README.md`, `# ${svc}\n\n${r.pick(SENTENCES)}\n`, 'other');
  w.plain(`${pkg}/__init__.py`, `"""${svc}."""\n__version__ = "0.1.0"\n`, 'py');
  const subpackages = ['api', 'domain', 'adapters', 'jobs', 'utils'].slice(0, r.int(3, 5));
  let files = 1;
  const target = r.int(40, 50);
  for (const sub of subpackages) w.plain(`${pkg}/${sub}/__init__.py`, '', 'py'), files++;
  const promptsIn = new Set();
  while (files < target) {
    const sub = r.pick(subpackages);
    const nested = r.chance(0.4) ? `/${r.pick(NOUNS)}s` : '';
    const mod = snake(r.pick(VERBS), r.pick(NOUNS));
    const rel = `${pkg}/${sub}${nested}/${mod}.py`;
    const roll = r.next();
    if (roll < 0.035) {
      w.write(rel, pyLlm(r, svc), 'py');
      w.stats.llmFiles++;
      if (!promptsIn.has(`${pkg}/${sub}${nested}`)) {
        promptsIn.add(`${pkg}/${sub}${nested}`);
        w.write(`${pkg}/${sub}${nested}/prompts.py`, pyPrompts(r), 'py');
        files++;
      }
    } else if (roll < 0.05) {
      w.write(rel, pyMarkerOnly(r), 'py');
      w.stats.markerOnlyFiles++;
    } else w.plain(rel, pyModule(r, mod), 'py');
    files++;
  }
  for (let n = r.int(3, 6); n > 0; n--) w.plain(`${base}/tests/test_${snake(r.pick(VERBS), r.pick(NOUNS))}_${n}.py`, pyTest(r, svc), 'py');
  if (i % 5 === 0) {
    const withCall = i % 10 === 0;
    (withCall ? w.write : w.plain).call(w, `${base}/notebooks/${r.pick(NOUNS)}_analysis.ipynb`, notebook(r, withCall), 'ipynb');
    if (withCall) w.stats.llmFiles++;
  }
  if (i % 10 === 3) w.write(`${base}/prompts/${r.pick(NOUNS)}.prompty`, prompty(r), 'prompt');
  // Ignored and excluded content: a virtualenv and build output that discovery skips.
  if (i % 7 === 0) {
    w.write(`${base}/.gitignore`, '*.log\n/generated/\n', 'other');
    for (let n = 0; n < 10; n++) w.write(`${base}/generated/model_${n}.py`, pyModule(r, 'generated'), 'excluded');
  }
  if (i % 11 === 0) for (let n = 0; n < 10; n++) w.write(`${base}/.venv/lib/python3.12/site-packages/openai/resources/mod_${n}.py`, pyLlm(r, 'vendored'), 'excluded');
}

function tsUnit(w, r, i) {
  const area = ['apps', 'packages', 'packages', 'libs'][i % 4];
  const name = `${r.pick(NOUNS)}-${r.pick(['web', 'ui', 'sdk', 'client', 'server', 'kit'])}-${i}`;
  const base = `${area}/${name}`;
  w.write(`${base}/package.json`, JSON.stringify({ name: `@acme/${name}`, version: `0.${r.int(1, 40)}.0`, private: true, type: 'module', scripts: { build: 'tsc -p .', test: 'vitest run' } }, null, 2) + '\n', 'other');
  w.write(`${base}/tsconfig.json`, '{ "extends": "../../tsconfig.base.json", "compilerOptions": { "outDir": "dist" }, "include": ["src"] }\n', 'other');
  w.write(`${base}/README.md`, `# ${name}\n\n${r.pick(SENTENCES)}\n`, 'other');
  const dirs = ['lib', 'components', 'hooks', 'api', 'utils', 'server', 'state'].slice(0, r.int(3, 7));
  const target = r.int(40, 50);
  let files = 0;
  const promptsIn = new Set();
  w.plain(`${base}/src/index.ts`, dirs.map((d) => `export * from './${d}';`).join('\n') + '\n', 'ts'), files++;
  while (files < target) {
    const d = r.pick(dirs);
    const nested = r.chance(0.4) ? `/${r.pick(NOUNS)}s` : '';
    const dir = `${base}/src/${d}${nested}`;
    const stem = camel(r.pick(VERBS), r.pick(NOUNS));
    const roll = r.next();
    if (roll < 0.035) {
      w.write(`${dir}/${stem}.ts`, tsLlm(r), 'ts');
      w.stats.llmFiles++;
      if (!promptsIn.has(dir)) {
        promptsIn.add(dir);
        w.write(`${dir}/prompts.ts`, tsPrompts(r), 'ts');
        files++;
      }
    } else if (roll < 0.05) {
      w.write(`${dir}/${stem}.ts`, tsMarkerOnly(r), 'ts');
      w.stats.markerOnlyFiles++;
    } else if (d === 'components' || roll < 0.2) w.plain(`${dir}/${pascal(stem)}.tsx`, tsxComponent(r), 'ts');
    else if (roll < 0.25) w.plain(`${dir}/${stem}.${r.pick(['js', 'js', 'mjs', 'cjs'])}`, jsModule(r), 'ts');
    else w.plain(`${dir}/${stem}.ts`, tsModule(r), 'ts');
    files++;
  }
  for (let n = r.int(3, 6); n > 0; n--) w.plain(`${base}/test/${camel(r.pick(VERBS), r.pick(NOUNS))}${n}.test.ts`, tsTest(r), 'ts');
  w.plain(`${base}/build.config.cjs`, jsConfig(r), 'ts');
  w.write(`${base}/src/types.d.ts`, `declare module '*.svg' { const src: string; export default src; }\n`, 'other');
  if (i % 10 === 7) w.write(`${base}/prompts/${r.pick(NOUNS)}.prompt.yml`, promptYml(r), 'prompt');
  // Build output and dependencies that discovery skips.
  if (i % 6 === 1) for (let n = 0; n < 10; n++) w.write(`${base}/dist/chunk-${n}.js`, tsModule(r), 'excluded');
  if (i % 9 === 2) for (let n = 0; n < 10; n++) w.write(`${base}/node_modules/openai/resources/part-${n}.js`, tsLlm(r), 'excluded');
}

/** Identifies this generator's output: a tree generated by another version is not reused. */
export function generatorSha1() {
  return createHash('sha1').update(readFileSync(fileURLToPath(import.meta.url))).digest('hex');
}

export function generate(outDir, { scale = 1, seed = 1 } = {}) {
  if (!(scale > 0)) throw new Error('gen-synthetic: scale must be positive');
  const root = resolve(outDir);
  // Replace only an earlier synthetic tree (or an empty directory), never anything else.
  if (existsSync(root) && readdirSync(root).length && !existsSync(join(root, STAMP_FILE))) throw new Error(`gen-synthetic: ${root} is not empty and holds no ${STAMP_FILE}; refusing to overwrite it`);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const w = new Writer(root);
  w.write('.gitignore', ['node_modules/', 'dist/', '.venv/', '*.log', '__pycache__/', '/tmp/', ''].join('\n'), 'other');
  w.write('README.md', '# acme monorepo (synthetic)\n\nGenerated by scripts/gen-synthetic.mjs for the llmlint benchmark.\n', 'other');
  w.write('tsconfig.base.json', '{ "compilerOptions": { "strict": true, "target": "es2022", "module": "nodenext" } }\n', 'other');
  // Ignored by the root .gitignore.
  for (let n = 0; n < 20; n++) w.write(`tmp/scratch_${n}.py`, pyLlm(new Rng(hashSeed(seed, 'tmp', n)), 'scratch'), 'excluded');
  const units = Math.round(UNITS_PER_SCALE * scale);
  for (let i = 0; i < units; i++) {
    const r = new Rng(hashSeed(seed, 'unit', i));
    if (i % 2 === 0) pythonUnit(w, r, i);
    else tsUnit(w, r, i);
  }
  const stats = { ...w.stats };
  writeFileSync(join(root, STAMP_FILE), JSON.stringify({ generator: 'scripts/gen-synthetic.mjs', generatorSha1: generatorSha1(), scale, seed, units, ...stats }, null, 2) + '\n');
  return stats;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => {
    const at = args.indexOf(name);
    return at >= 0 ? Number(args[at + 1]) : dflt;
  };
  const dir = args.find((a, i) => !a.startsWith('--') && !['--scale', '--seed'].includes(args[i - 1]));
  if (!dir) {
    console.error('usage: node scripts/gen-synthetic.mjs <dir> [--scale N] [--seed S]');
    process.exit(2);
  }
  const t0 = Date.now();
  let stats;
  try {
    stats = generate(dir, { scale: opt('--scale', 1), seed: opt('--seed', 1) });
  } catch (e) {
    console.error(e.message);
    process.exit(2);
  }
  console.log(`${resolve(dir)}: ${stats.analysable} analysable files (${stats.python} Python, ${stats.typescript} TS/JS, ${stats.notebooks} notebooks, ${stats.promptFiles} prompt files; ${stats.llmFiles} with LLM calls), ${stats.files} files in all, ${(stats.bytes / 1e6).toFixed(1)} MB, ${Date.now() - t0} ms`);
}
