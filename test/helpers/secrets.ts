/**
 * A small project with realistic fake provider keys planted where source text reaches output: a
 * client constructor, the model argument, a prompt, a prompt hole, a loop iterable, the header of
 * a raw HTTP call, a notebook cell, a prompt file. The keys are random (a fixed seed) and assembled
 * at run time, so no key-shaped string is committed for secret scanners to trip on.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** mulberry32: the same keys on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** What the rule takes for a placeholder, a run or a low-entropy body: a generated body must avoid them. */
const NOT_RANDOM = /x{4}|your|example|placeholder|dummy|fake|redacted|replace|insert|sample|here|test|0{6}|1234|abcd|(.)\1{3}/i;

function body(next: () => number, length: number, alphabet: string): string {
  for (;;) {
    let s = '';
    for (let i = 0; i < length; i++) s += alphabet[Math.floor(next() * alphabet.length)];
    const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((re) => re.test(s)).length;
    if (!NOT_RANDOM.test(s) && classes >= 2 && new Set(s).size >= Math.min(12, length / 2)) return s;
  }
}

export interface PlantedKeys {
  openaiProject: string;
  openaiLegacy: string;
  openaiService: string;
  anthropic: string;
  openrouter: string;
  google: string;
  groq: string;
  aws: string;
  huggingface: string;
  xai: string;
  together: string;
  replicate: string;
}

/** One key of every format the `hardcoded-api-key` rule knows, in the providers' real shapes and lengths. */
export function plantedKeys(seed = 20250601): PlantedKeys {
  const next = random(seed);
  const b = (n: number, alphabet = ALNUM) => body(next, n, alphabet);
  return {
    openaiProject: ['sk', 'proj', `${b(40)}_${b(20)}`].join('-'),
    openaiLegacy: ['sk', b(48)].join('-'),
    openaiService: ['sk', 'svcacct', b(56)].join('-'),
    anthropic: ['sk', 'ant', 'api03', `${b(86)}-${b(6)}AA`].join('-'),
    openrouter: ['sk', 'or', 'v1', b(64, '0123456789abcdef')].join('-'),
    google: 'AI' + 'za' + b(35),
    groq: 'gs' + 'k_' + b(52),
    aws: 'AK' + 'IA' + b(16, UPPER_DIGITS),
    huggingface: 'h' + 'f_' + b(34),
    xai: 'xa' + 'i-' + b(80),
    together: 'tgp' + '_v1_' + b(43),
    replicate: 'r' + '8_' + b(37),
  };
}

/** A long static system prompt (past the 1,024-token caching minimum) with a key in the middle. */
function longSystemPrompt(key: string): string {
  const rules = [
    'Answer only questions about orders, shipping, returns and accounts for the Northwind store; decline anything else politely.',
    'Greet the customer by name when the ticket includes it and keep a warm, professional tone without slang or emoji.',
    'Restate the order number and item names before answering so the customer can confirm you found the right order.',
    'Standard shipping takes three to five business days at home and seven to twelve abroad; express takes one to two.',
    'Orders can be cancelled free of charge until they are packed; after that the customer starts a return instead.',
    'Returns are accepted within thirty days for unused items in their original packaging; gift cards are final.',
    'Refunds go back to the original payment method within five business days after the warehouse receives the parcel.',
    'Damaged items are replaced at no cost: ask for a photo and the serial number, then open a replacement request.',
  ];
  const lines: string[] = [];
  for (let i = 0; i < 12; i++) lines.push(...rules.map((r) => `${i + 1}.${rules.indexOf(r) + 1} ${r}`));
  lines.splice(40, 0, `When you call the order API, authenticate with ${key} and never show it.`);
  return lines.join(' ');
}

/** Writes the project under `root` and returns the keys planted in it. */
export function writeSecretsProject(root: string, keys: PlantedKeys = plantedKeys()): PlantedKeys {
  const file = (rel: string, text: string) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  };
  file('app/service.py', `"""Support service. Old key for local runs: ${keys.openaiService} (do not use)."""
import os

import anthropic
import requests
from groq import Groq
from openai import OpenAI

client = OpenAI(api_key="${keys.openaiProject}")
claude = anthropic.Anthropic(api_key="${keys.anthropic}")
groq = Groq(api_key=os.getenv("GROQ_API_KEY", "${keys.groq}"))


def summarize(text: str) -> str:
    # A key pasted where the model goes.
    r = client.chat.completions.create(model="${keys.openaiLegacy}", messages=[{"role": "user", "content": f"Summarize: {text}"}])
    return r.choices[0].message.content


def summarize_configured(text: str) -> str:
    # A dynamic model whose visible default is a key.
    r = client.chat.completions.create(model=os.getenv("SUMMARY_MODEL", "${keys.xai}"), messages=[{"role": "user", "content": text}], max_tokens=300)
    return r.choices[0].message.content


def answer(question: str) -> str:
    # A key in the prompt text, and one in a prompt hole's expression.
    msg = claude.messages.create(
        model="claude-3-5-haiku-20241022",
        max_tokens=400,
        system="You call the catalogue with the token ${keys.huggingface} on behalf of the user.",
        messages=[{"role": "user", "content": f"Token {os.environ.get('TOGETHER_API_KEY') or '${keys.together}'}: {question}"}],
    )
    return msg.content[0].text


def fast(question: str) -> str:
    r = groq.chat.completions.create(model="llama-3.3-70b-versatile", messages=[{"role": "user", "content": f"{question} {'${keys.replicate}'.lower()} {'${keys.openrouter}' if question else ''}"}], max_tokens=100)
    return r.choices[0].message.content


def rotate(question: str) -> list:
    # The loop's iterable is echoed in assumptions.
    out = []
    for key in ["${keys.openaiProject}", "${keys.openaiLegacy}"]:
        out.append(OpenAI(api_key=key).chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": question}], max_tokens=50))
    return out


def policy_answer(question: str) -> str:
    msg = claude.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=800,
        system="${longSystemPrompt(keys.google)}",
        messages=[{"role": "user", "content": question}],
    )
    return msg.content[0].text


def moderate(text: str) -> dict:
    # A raw HTTP call with the key in a header.
    return requests.post(
        "https://api.openai.com/v1/chat/completions",
        headers={"Authorization": "Bearer ${keys.openaiService}"},
        json={"model": "gpt-4o-mini", "messages": [{"role": "user", "content": text}], "max_tokens": 20},
        timeout=10,
    ).json()
`);
  file('web/src/chat.ts', `import OpenAI from 'openai';

const openai = new OpenAI({ apiKey: '${keys.openaiService}' });

export async function ask(question: string) {
  // A key where the model goes, and one in a template hole.
  return openai.chat.completions.create({
    model: '${keys.google}',
    max_completion_tokens: 200,
    messages: [{ role: 'user', content: \`Key \${process.env.AWS_KEY ?? '${keys.aws}'}: \${question}\` }],
  });
}

export async function viaRouter(question: string) {
  const res = await fetch('https://openrouter.ai/api/v1/chat/completions', {
    method: 'POST',
    headers: { Authorization: 'Bearer ${keys.openrouter}', 'Content-Type': 'application/json' },
    body: JSON.stringify({ model: 'openai/gpt-4o-mini', max_tokens: 100, messages: [{ role: 'user', content: question }] }),
    signal: AbortSignal.timeout(10_000),
  });
  return res.json();
}

export async function direct(question: string) {
  const res = await fetch('https://api.openai.com/v1/chat/completions', {
    method: 'POST',
    headers: { Authorization: \`Bearer ${keys.openaiLegacy}\` },
    body: JSON.stringify({ model: '${keys.aws}', messages: [{ role: 'user', content: question }] }),
  });
  return res.json();
}
`);
  file('web/src/routes.ts', `import OpenAI from 'openai';

const openai = new OpenAI();

// A handler table keyed by a token: the method's name becomes part of the call-site id.
export const handlers = {
  async ${keys.replicate}(question: string) {
    return openai.chat.completions.create({ model: 'gpt-4o-mini', max_completion_tokens: 50, messages: [{ role: 'user', content: \`\${'${keys.openrouter}' + question} and \${question}\` }] });
  },
};

export async function gemini(question: string) {
  // Google's REST API takes the key in the query string.
  const res = await fetch('https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent?key=${keys.google}', {
    method: 'POST',
    body: JSON.stringify({ contents: [{ parts: [{ text: question }] }], generationConfig: { maxOutputTokens: 256 } }),
  });
  return res.json();
}
`);
  const cells = [
    { cell_type: 'markdown', metadata: {}, source: ['# Exploration\n', `Set the key (${keys.replicate}) before running.`] },
    { cell_type: 'code', metadata: {}, execution_count: 1, outputs: [], source: ['from openai import OpenAI\n', '\n', `client = OpenAI(api_key="${keys.openaiProject}")\n`] },
    { cell_type: 'code', metadata: {}, execution_count: 2, outputs: [], source: [`r = client.chat.completions.create(model="${keys.huggingface}", messages=[{"role": "user", "content": "Hello ${keys.groq}"}])\n`, 'print(r)\n'] },
  ];
  file('notebooks/explore.ipynb', JSON.stringify({ cells, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' }, language_info: { name: 'python' } }, nbformat: 4, nbformat_minor: 5 }, null, 1) + '\n');
  file('prompts/support.prompty', `---
name: Support answer
model:
  api: chat
  configuration:
    type: openai
    name: ${keys.anthropic}
    api_key: ${keys.openrouter}
  parameters:
    max_tokens: 300
---
system:
You answer support questions. Internal token: ${keys.xai}

user:
{{question}}
`);
  file('llmlint.usage.yml', `version: 1
files:
  "**": { callsPerDay: 1000 }
`);
  return keys;
}
