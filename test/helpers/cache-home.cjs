/**
 * Loaded by mocha (.mocharc.json) before any test: the V8 code caches that the built CLI and its
 * worker threads write go to a temporary directory, never the user's ~/.cache/llmlint (which
 * pruning there would thin out). Tests about the cache set XDG_CACHE_HOME per run themselves.
 */
'use strict';
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

process.env.XDG_CACHE_HOME = mkdtempSync(join(tmpdir(), 'llmlint-test-cache-'));
