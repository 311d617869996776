/** The reverse dependency index the editor uses to re-estimate calls when a prompt file changes. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFile } from '../../server/src/core/analyze';
import { DependencyGraph } from '../../server/src/core/dependencies';
import { DEFAULT_SETTINGS } from '../../server/src/core/settings';
import { FsProjectSources } from '../../server/src/node/project';
import { cli } from '../helpers/cli';
import { testEngine } from '../helpers/engine';

describe('dependencies', () => {
  it('analysis records the modules and prompt files a file read', async () => {
    const root = join(__dirname, '..', 'fixtures', 'projects', 'cross-file');
    const text = readFileSync(join(root, 'app', 'service.py'), 'utf8');
    const result = analyzeFile({ path: 'app/service.py', text }, await testEngine(), DEFAULT_SETTINGS, { sources: new FsProjectSources(root) });
    assert.deepEqual(result.dependencies, ['app/constants.py', 'app/prompts/__init__.py', 'app/templates/answer.txt', 'app/templates/summary.j2']);
  });

  it('answers which files a change affects, transitively, and forgets replaced edges', () => {
    const g = new DependencyGraph();
    g.update('app/service.py', ['app/constants.py', 'app/prompts/__init__.py']);
    g.update('app/prompts/__init__.py', ['app/constants.py']);
    g.update('app/other.py', ['app/prompts/__init__.py']);
    assert.deepEqual(g.affectedBy('app/constants.py'), ['app/other.py', 'app/prompts/__init__.py', 'app/service.py']);
    g.update('app/other.py', []);
    assert.deepEqual(g.affectedBy('app/prompts/__init__.py'), ['app/service.py']);
    g.remove('app/service.py');
    assert.deepEqual(g.affectedBy('app/prompts/__init__.py'), []);
  });

  it('Handlebars.compile and Mustache.render templates are read (CLI)', async () => {
    const run = await cli(['check', 'test/fixtures/projects/cross-file', '--format', 'json'], join(__dirname, '..', '..'));
    const sites = JSON.parse(run.stdout).callSites.filter((s: { file: string }) => s.file === 'web/src/templates.ts');
    const holes = sites.map((s: { estimate: { assumptions: string[] } }) => s.estimate.assumptions.filter((a) => a.startsWith('{')).map((a) => a.split(' ')[0]).join(','));
    assert.deepEqual(holes, ['{agent_name},{turn.role},{turn.text}', '{name},{plan}']);
  });
});
