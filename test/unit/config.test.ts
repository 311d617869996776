/** Configuration files, presets, per-rule settings, aliases, price overrides, globs, and bad configs. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SCHEMA_PATH, buildSchema } from '../../scripts/gen-config-schema';
import { cli } from '../helpers/cli';

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'llmlint-cfg-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

const UNBOUNDED = 'from openai import OpenAI\nclient = OpenAI()\nclient.chat.completions.create(model="gpt-4o", messages=[])\n';
const DEPLOYMENT = 'from openai import AzureOpenAI\nclient = AzureOpenAI()\nclient.chat.completions.create(model="prod-gpt", messages=[], max_completion_tokens=100)\n';

/** The report, with diagnostics narrowed to the rules these tests configure. */
async function json(dir: string, ...args: string[]) {
  const run = await cli(['check', '.', '--format', 'json', ...args], dir);
  assert.equal(run.code === 2, false, run.stderr);
  const report = JSON.parse(run.stdout);
  return { ...report, all: report.diagnostics, diagnostics: report.diagnostics.filter((d: { rule: string }) => TESTED.has(d.rule)) };
}

const TESTED = new Set(['unbounded-output', 'unknown-model']);

describe('configuration', () => {
  it('the shipped JSON schema is generated from the rules (npm run docs)', () => {
    assert.deepEqual(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')), buildSchema());
  });

  it('llmlint.config.json sets rule severities, nearest config wins', async () => {
    const dir = project({
      'llmlint.config.json': '{ "rules": { "unbounded-output": "error" } }',
      'app.py': UNBOUNDED,
      'legacy/llmlint.config.json': '// comments are allowed\n{ "rules": { "unbounded-output": "off" } }',
      'legacy/old.py': UNBOUNDED,
    });
    const run = await cli(['check', '.', '--format', 'json'], dir);
    assert.equal(run.code, 1, 'an error-severity finding exits 1');
    const report = JSON.parse(run.stdout);
    const unbounded = report.diagnostics.filter((d: { rule: string }) => d.rule === 'unbounded-output');
    assert.deepEqual(unbounded.map((d: { file: string; severity: string }) => `${d.file} ${d.severity}`), ['app.py error']);
  });

  it('reads [tool.llmlint] from pyproject.toml and the llmlint key of package.json', async () => {
    const py = project({ 'pyproject.toml': '[project]\nname = "x"\n\n[tool.llmlint]\nrules = { "unbounded-output" = "off" }\n', 'app.py': UNBOUNDED });
    assert.deepEqual((await json(py)).diagnostics, []);
    const js = project({
      'package.json': JSON.stringify({ name: 'x', llmlint: { rules: { 'unbounded-output': 'info' } } }),
      'app.ts': "import OpenAI from 'openai';\nconst c = new OpenAI();\nc.chat.completions.create({ model: 'gpt-4o', messages: [] });\n",
    });
    assert.equal((await json(js)).diagnostics[0].severity, 'info');
  });

  it('a pyproject.toml without [tool.llmlint] is passed over for a config further up', async () => {
    const dir = project({ 'llmlint.config.json': '{ "rules": { "unbounded-output": "off" } }', 'svc/pyproject.toml': '[project]\nname = "svc"\n', 'svc/app.py': UNBOUNDED });
    assert.deepEqual((await json(dir)).diagnostics, []);
  });

  it('a package.json without an llmlint key is passed over, even a broken one; a broken one with the key is an error', async () => {
    const dir = project({ 'llmlint.config.json': '{ "rules": { "unbounded-output": "off" } }', 'svc/package.json': '{ "name": "svc", ', 'svc/app.py': UNBOUNDED });
    assert.deepEqual((await json(dir)).diagnostics, []);
    const ours = project({ 'package.json': '{ "name": "svc", "llmlint": { ', 'app.py': UNBOUNDED });
    const run = await cli(['check', '.'], ours);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /package\.json:1:\d+: invalid JSON/);
  });

  it('extends strict turns on the strict-only rules; --preset overrides', async () => {
    const dir = project({ 'llmlint.config.json': '{ "extends": "strict" }', 'app.py': UNBOUNDED.replace('messages=[]', 'messages=[{"role": "user", "content": "hi"}]') });
    const strict = await json(dir);
    const recommended = await json(dir, '--preset', 'recommended');
    const rules = (r: { all: Array<{ rule: string }> }) => new Set(r.all.map((d) => d.rule));
    assert.ok(rules(strict).has('implicit-temperature') && rules(strict).has('missing-system-message'), 'strict-only rules report');
    assert.ok(!rules(recommended).has('implicit-temperature'));
  });

  it('model aliases price deployment names; price overrides replace table prices', async () => {
    const dir = project({
      'llmlint.config.json': JSON.stringify({ modelAliases: { 'prod-gpt': 'gpt-4o' }, prices: { 'gpt-4o': { inputPerMTok: 1.25, outputPerMTok: 5 } } }),
      'app.py': DEPLOYMENT,
    });
    const site = (await json(dir)).callSites[0];
    assert.equal(site.estimate.priceKey, 'gpt-4o');
    assert.ok(site.estimate.assumptions.includes('"prod-gpt" is an alias of "gpt-4o" (configuration)'));
    const expected = (site.estimate.inputTokens.expected * 1.25 + site.estimate.outputTokens.expected * 5) / 1e6;
    assert.ok(Math.abs(site.estimate.costPerCallUsd.expected - expected) < 1e-9);
    const unaliased = await json(project({ 'app.py': DEPLOYMENT }));
    assert.equal(unaliased.callSites[0].estimate.costPerCallUsd.expected, null);
    assert.equal(unaliased.diagnostics[0].rule, 'unknown-model');
  });

  it('a price override can add a fine-tuned model', async () => {
    const dir = project({
      'llmlint.config.json': JSON.stringify({ prices: { 'ft:gpt-4o-mini:acme:support:abc123': { inputPerMTok: 0.3, outputPerMTok: 1.2, maxOutputTokens: 16384 } } }),
      'app.py': 'from openai import OpenAI\nOpenAI().chat.completions.create(model="ft:gpt-4o-mini:acme:support:abc123", messages=[], max_completion_tokens=10)\n',
    });
    const report = await json(dir);
    assert.notEqual(report.callSites[0].estimate.costPerCallUsd.expected, null);
    assert.deepEqual(report.diagnostics, []);
  });

  it('holeTokens sizes named holes', async () => {
    const code = 'from openai import OpenAI\nc = OpenAI()\ndef f(document):\n    return c.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": f"Summarise: {document}"}], max_completion_tokens=100)\n';
    const plain = (await json(project({ 'app.py': code }))).callSites[0].estimate;
    const sized = (await json(project({ 'app.py': code, 'llmlint.config.json': '{ "holeTokens": { "document": 3000 } }' }))).callSites[0].estimate;
    assert.equal(sized.inputTokens.expected - plain.inputTokens.expected, 3000 - 250);
    assert.ok(sized.assumptions.includes('{document} ≈ 3000 tokens (configured size)'));
  });

  it('include and exclude globs are relative to the config file', async () => {
    const dir = project({ 'llmlint.config.json': '{ "include": ["src/**"], "exclude": ["**/generated/**"] }', 'src/a.py': UNBOUNDED, 'src/generated/b.py': UNBOUNDED, 'scripts/c.py': UNBOUNDED });
    assert.deepEqual((await json(dir)).callSites.map((c: { file: string }) => c.file), ['src/a.py']);
  });

  it('a bad config is exit 2 with file, line and column, never a crash', async () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ 'llmlint.config.json': '{\n  "rules": {\n    "unbounded-outptu": "warning"\n  }\n}' }, /llmlint\.config\.json:3:5: unknown rule "unbounded-outptu" \(did you mean "unbounded-output"\?\)/],
      [{ 'llmlint.config.json': '{\n  "rules": { "missing-retry": "loud" }\n}' }, /llmlint\.config\.json:2:\d+: rules\.missing-retry: expected one of "off", "hint", "info", "warning", "error"/],
      [{ 'llmlint.config.json': '{ "rules": { ' }, /llmlint\.config\.json:1:\d+: invalid JSON/],
      [{ 'llmlint.config.json': '{ "placeholderTokens": -5 }' }, /placeholderTokens: must be >= 0/],
      [{ 'llmlint.config.json': '{ "colour": true }' }, /unknown setting "colour"/],
      [{ 'pyproject.toml': '[tool.llmlint]\nextends = "lax"\n' }, /pyproject\.toml:2:1: extends: expected one of "recommended", "strict"/],
      [{ 'pyproject.toml': '[tool.llmlint\nx = 1\n' }, /pyproject\.toml:1:\d+: invalid TOML/],
      [{ 'package.json': '{ "name": "x", "llmlint": { "rules": { "unknown-model": ["warning", { "nope": 1 }] } } }' }, /rule "unknown-model" has no option "nope"/],
    ];
    for (const [files, message] of cases) {
      const dir = project({ ...files, 'app.py': UNBOUNDED });
      const run = await cli(['check', '.'], dir);
      assert.equal(run.code, 2, JSON.stringify(files));
      assert.match(run.stderr, message);
    }
  });

  it('--config points at an explicit file', async () => {
    const dir = project({ 'ci/llmlint.json': '{ "rules": { "unbounded-output": "off" } }', 'app.py': UNBOUNDED });
    assert.deepEqual((await json(dir, '--config', 'ci/llmlint.json')).diagnostics, []);
  });
});
