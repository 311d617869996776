/**
 * The `llmlint` binary (server/out/cli.js): loads the CLI bundle beside it (cli-main.js, from
 * server/src/cliMain.ts) through a V8 code cache, so a run does not compile the same functions
 * again (node/codeCache.ts). Worker threads start here too.
 */
import { join } from 'node:path';
import { requireWithCodeCache } from './node/codeCache';

requireWithCodeCache(join(__dirname, 'cli-main.js'), 'cli');
