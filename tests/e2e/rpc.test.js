// RPC exposure: a `--public-rpc` node refuses every unsafe method and survives oversized
// requests and more connections than it allows; a validator started as the project's scripts
// start it answers no web page but the operator's and polkadot.js Apps.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { startNode } from './lib/node.js';

const TIMEOUT = { timeout: 180_000 };
let publicNode;
let validator;

before(async () => {
  publicNode = await startNode({ args: ['--chain', 'local', '--public-rpc'], name: 'public-rpc' });
  // As local-testnet.sh starts Alice (with a generated network key instead of a key file).
  validator = await startNode({
    args: ['--chain', 'local', '--alice', '--validator', '--unsafe-force-node-key-generation'],
    name: 'validator',
  });
});

after(async () => {
  await publicNode?.stop();
  await validator?.stop();
});

/**
 * Calls `method` over HTTP; resolves with { status, body, headers } (body parsed when it is
 * JSON).
 */
async function call(port, method, params = [], headers = {}) {
  const res = await fetch(`http://127.0.0.1:${port}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  let body = text;
  try { body = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, body, headers: res.headers };
}

/**
 * The CORS preflight a browser sends before a JSON-RPC POST from a page of `origin`: resolves
 * with the origin the node allows back (null: the browser will not send the call).
 */
async function preflight(port, origin) {
  const res = await fetch(`http://127.0.0.1:${port}`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    },
    signal: AbortSignal.timeout(10_000),
  });
  await res.text();
  return res.headers.get('access-control-allow-origin');
}

const UNSAFE = [
  ['author_insertKey', ['aura', '//Mallory', '0x' + '11'.repeat(32)]],
  ['author_rotateKeys', []],
  ['author_rotateKeysWithOwner', ['0x' + '22'.repeat(32)]],
  ['author_hasKey', ['0x' + '33'.repeat(32), 'aura']],
  ['author_hasSessionKeys', ['0x00']],
  ['author_removeExtrinsic', [[]]],
  ['system_addReservedPeer', ['/ip4/127.0.0.1/tcp/1/p2p/12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp']],
  ['system_removeReservedPeer', ['12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp']],
  ['system_addLogFilter', ['debug']],
  ['system_resetLogFilter', []],
  ['system_unstable_networkState', []],
  ['offchain_localStorageSet', ['PERSISTENT', '0x00', '0x00']],
  ['offchain_localStorageGet', ['PERSISTENT', '0x00']],
];

test('a public RPC node refuses every unsafe method and still serves safe ones', TIMEOUT, async () => {
  for (const [method, params] of UNSAFE) {
    const { body } = await call(publicNode.rpcPort, method, params);
    assert.ok(body.error, `${method} must be refused, got ${JSON.stringify(body)}`);
    assert.equal(body.result, undefined, `${method} returned a result`);
  }
  const health = await call(publicNode.rpcPort, 'system_health');
  assert.ok(health.body.result, 'system_health answers');
  const header = await call(publicNode.rpcPort, 'chain_getHeader');
  assert.ok(header.body.result?.number, 'chain_getHeader answers');
  // Nothing was inserted: the keystore of the public node holds no key.
  const methods = await call(publicNode.rpcPort, 'rpc_methods');
  assert.ok(methods.body.result.methods.includes('author_submitExtrinsic'), 'submitting stays open');
});

test('a public RPC node rejects oversized requests and excess connections and stays up', TIMEOUT,
  async () => {
    // 2 MiB of parameters: above the 1 MiB request limit.
    const big = 'ab'.repeat(1024 * 1024);
    let refused = false;
    try {
      const res = await call(publicNode.rpcPort, 'system_health', [big]);
      refused = res.status === 413 || res.status >= 400 || Boolean(res.body?.error);
    } catch {
      refused = true; // the server may close the connection instead
    }
    assert.ok(refused, 'an oversized request is refused');

    // 150 WebSocket connections at once: no more than 100 are served.
    const sockets = [];
    const opened = await Promise.all(Array.from({ length: 150 }, () => new Promise((resolve) => {
      const ws = new WebSocket(publicNode.wsUrl);
      sockets.push(ws);
      const done = (ok) => resolve(ok);
      ws.on('open', () => done(true));
      ws.on('error', () => done(false));
      ws.on('unexpected-response', () => done(false));
      setTimeout(() => done(false), 15_000);
    })));
    const served = opened.filter(Boolean).length;
    for (const ws of sockets) ws.terminate();
    assert.ok(served <= 100, `${served} connections were accepted`);
    assert.ok(served > 0, 'some connections were accepted');
    const health = await call(publicNode.rpcPort, 'system_health');
    assert.ok(health.body.result, 'the node still answers');
  });

test('a validator started like the scripts start it answers only local pages and polkadot.js Apps',
  TIMEOUT, async () => {
    // A browser asks first (CORS preflight); the node lets only these origins call it.
    assert.equal(await preflight(validator.rpcPort, 'https://evil.example'), null,
      'a page from elsewhere may not call the validator');
    assert.equal(await preflight(validator.rpcPort, 'https://polkadot.js.org'),
      'https://polkadot.js.org');
    assert.equal(await preflight(publicNode.rpcPort, 'https://evil.example'), null,
      'nor the public node');
    // Its operator, on loopback without a browser origin, keeps the unsafe methods.
    const keys = await call(validator.rpcPort, 'author_hasSessionKeys', ['0x00']);
    assert.ok(!keys.body.error || !/unsafe/i.test(keys.body.error.message ?? ''),
      'the operator may call unsafe methods');
  });

test('--public-rpc is refused with --validator and with --dev', TIMEOUT, async () => {
  for (const args of [['--chain', 'local', '--public-rpc', '--validator'], ['--dev', '--public-rpc']]) {
    await assert.rejects(startNode({ args, name: 'refused', timeoutMs: 30_000 }),
      /exited/, `${args.join(' ')} must not start`);
  }
});
