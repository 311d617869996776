/**
 * Preloaded with `node --require test/helpers/no-network.cjs …`: every way Node opens a network
 * connection or resolves a name is replaced by a function that records the attempt (one JSON line
 * in $LLMLINT_NETWORK_LOG) and throws. Each thread that loads the guard appends a line to
 * $LLMLINT_GUARD_LOADED, so a test can tell the guard was active (worker threads included).
 *
 * The language server's stdio and a worker's message port are not sockets opened with connect(),
 * so nothing here stands in their way; a connect() to anything at all, a local pipe included, is
 * recorded.
 */
'use strict';
const fs = require('node:fs');
const { threadId } = require('node:worker_threads');

const LOG = process.env.LLMLINT_NETWORK_LOG;
const LOADED = process.env.LLMLINT_GUARD_LOADED;

if (LOADED) fs.appendFileSync(LOADED, JSON.stringify({ pid: process.pid, threadId, argv: process.argv.slice(1) }) + '\n');

function describe(args) {
  return args.map((a) => {
    if (typeof a === 'function') return '[function]';
    if (a && typeof a === 'object') {
      try {
        return JSON.parse(JSON.stringify(a, (k, v) => (typeof v === 'object' && v !== null && k !== '' && !Array.isArray(v) && Object.keys(v).length > 20 ? '[object]' : v)));
      } catch {
        return String(a);
      }
    }
    return a === undefined ? null : String(a);
  });
}

function blocked(api) {
  return function networkBlocked(...args) {
    const entry = { api, args: describe(args), pid: process.pid, threadId, stack: new Error().stack.split('\n').slice(2, 12).join('\n') };
    if (LOG) fs.appendFileSync(LOG, JSON.stringify(entry) + '\n');
    throw new Error(`llmlint test guard: network access blocked (${api})`);
  };
}

function replace(target, name, api) {
  if (target && typeof target[name] === 'function') {
    Object.defineProperty(target, name, { value: blocked(api), writable: true, configurable: true });
  }
}

const net = require('node:net');
replace(net, 'connect', 'net.connect');
replace(net, 'createConnection', 'net.createConnection');
replace(net.Socket.prototype, 'connect', 'net.Socket.prototype.connect');

const tls = require('node:tls');
replace(tls, 'connect', 'tls.connect');

for (const mod of ['http', 'https']) {
  const m = require(`node:${mod}`);
  replace(m, 'request', `${mod}.request`);
  replace(m, 'get', `${mod}.get`);
}

const http2 = require('node:http2');
replace(http2, 'connect', 'http2.connect');

const dgram = require('node:dgram');
replace(dgram, 'createSocket', 'dgram.createSocket');

const dns = require('node:dns');
const DNS = ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCaa', 'resolveCname', 'resolveMx', 'resolveNaptr', 'resolveNs', 'resolvePtr', 'resolveSoa', 'resolveSrv', 'resolveTxt', 'reverse'];
for (const name of DNS) {
  replace(dns, name, `dns.${name}`);
  replace(dns.promises, name, `dns.promises.${name}`);
}
replace(dns.Resolver && dns.Resolver.prototype, 'resolve', 'dns.Resolver.prototype.resolve');

for (const name of ['fetch', 'WebSocket', 'EventSource']) {
  const api = `globalThis.${name}`;
  // Present or not in this Node version: code that reaches for it hits the guard.
  Object.defineProperty(globalThis, name, { value: blocked(api), writable: true, configurable: true });
}
