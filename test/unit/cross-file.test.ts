/** Prompts that live in other files: imported constants (incl. re-exports) and template files. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cli } from '../helpers/cli';
import { matchSnapshot } from '../helpers/snapshot';

const REPO = join(__dirname, '..', '..');

interface Site {
  file: string;
  line: number;
  estimate: { inputTokens: { static: number; holes: number }; assumptions: string[] };
}

describe('cross-file prompts', () => {
  let sites: Site[];
  before(async () => {
    const run = await cli(['check', 'test/fixtures/projects/cross-file', '--format', 'json'], REPO);
    sites = JSON.parse(run.stdout).callSites;
  });

  const site = (file: string, line: number) => {
    const s = sites.find((x) => x.file === file && x.line === line);
    assert.ok(s, `${file}:${line} found`);
    return s;
  };

  it('counts imported constants, template files and re-exported constants as static text', () => {
    const summary = sites.map((s) => `${s.file}:${s.line} static=${s.estimate.inputTokens.static} holes=${s.estimate.inputTokens.holes}\n  ${s.estimate.assumptions.join('\n  ')}`).join('\n');
    matchSnapshot('cross-file.txt', summary + '\n');
  });

  it('names template placeholders as holes, and degrades a missing file to a hole', () => {
    const answer = site('app/service.py', 17).estimate.assumptions;
    assert.ok(answer.includes('{customer} ≈ 250 tokens (default placeholder size)'));
    assert.ok(answer.includes('{question} ≈ 250 tokens (default placeholder size)'));
    const summarise = site('app/service.py', 36).estimate.assumptions;
    assert.ok(summarise.some((a) => a.startsWith('{agent_name}')), 'Jinja placeholder');
    const missing = site('app/service.py', 42).estimate.assumptions;
    assert.ok(missing.some((a) => a.startsWith('{file templates/gone.txt (not found)}')), missing.join('\n'));
  });

  it('reads Jinja templates from get_template() with a FileSystemLoader, and Template(text)', () => {
    assert.ok(site('app/service.py', 53).estimate.assumptions.some((a) => a.startsWith('{agent_name}')));
    assert.ok(site('app/service.py', 57).estimate.assumptions.some((a) => a.startsWith('{name}')));
    assert.equal(site('app/service.py', 57).estimate.inputTokens.holes, 1);
  });

  it('prompty.execute() takes the model, bound and messages of the .prompty file it runs', () => {
    for (const line of [10, 15]) {
      const s = site('app/flows/run.py', line) as Site & { model: { value: string }; maxOutputTokens: { value: number } };
      assert.equal(s.model.value, 'gpt-4o-mini');
      assert.equal(s.maxOutputTokens.value, 250);
      assert.equal(s.estimate.inputTokens.static, site('app/flows/answer.prompty', 3).estimate.inputTokens.static);
    }
  });

  it('LangChain chains count their prompt template (from_file, fromTemplate) with {variables} as holes', () => {
    const py = site('app/lc.py', 12).estimate;
    assert.ok(py.assumptions.includes('{customer} ≈ 250 tokens (default placeholder size)'));
    assert.ok(py.inputTokens.static > 10);
    const ts = site('web/src/lc.ts', 8).estimate;
    assert.deepEqual(ts.assumptions.filter((a) => a.startsWith('{')).map((a) => a.split(' ')[0]), ['{language}', '{text}']);
  });

  it('has no holes left for constants it could resolve', () => {
    assert.equal(site('app/service.py', 28).estimate.inputTokens.holes, 1); // only {message}
    assert.ok(site('web/src/chat.ts', 10).estimate.assumptions.every((a) => !/PERSONA|GUARDRAILS|FAQ/.test(a)));
  });
});
