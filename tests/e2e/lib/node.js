// Starts and stops an entrepot-node for the end-to-end tests, on free loopback ports, with
// its data in a fresh temporary directory. A node that does not come up fails the start
// (it never hangs): the start rejects when the process exits or when the deadline passes.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, homedir } from 'node:os';
import { join } from 'node:path';
import { ApiPromise, WsProvider } from '@polkadot/api';

/** The node binary: $ENTREPOT_NODE, or the release build in $CARGO_TARGET_DIR. */
export function nodeBinary() {
  if (process.env.ENTREPOT_NODE) return process.env.ENTREPOT_NODE;
  const target = process.env.CARGO_TARGET_DIR || join(homedir(), '.cache', 'entrepot', 'target');
  return join(target, 'release', 'entrepot-node');
}

/** A TCP port nobody listens on right now, on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function rpcAnswers(port) {
  try {
    const res = await fetch(`http://127.0.0.1:${port}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'system_health', params: [] }),
      signal: AbortSignal.timeout(2000),
    });
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * Starts a node. `args` replace the default `--dev`; the ports, base path and quiet flags are
 * always added. Resolves to { rpcPort, prometheusPort, wsUrl, stop } once RPC answers.
 */
export async function startNode({ args = ['--dev'], timeoutMs = 90_000, name = 'node' } = {}) {
  const bin = nodeBinary();
  if (!existsSync(bin)) throw new Error(`node binary not found at ${bin}: build it first`);

  const basePath = mkdtempSync(join(tmpdir(), 'entrepot-e2e-'));
  const [rpcPort, p2pPort, prometheusPort] = [await freePort(), await freePort(), await freePort()];
  const fullArgs = [
    ...args,
    '--base-path', basePath,
    '--rpc-port', String(rpcPort),
    '--listen-addr', `/ip4/127.0.0.1/tcp/${p2pPort}`,
    '--prometheus-port', String(prometheusPort),
    '--no-telemetry',
    '--no-mdns',
  ];
  const logPath = join(basePath, `${name}.log`);
  const log = createWriteStream(logPath);
  const child = spawn(bin, fullArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);

  let exited = null;
  // 'close' comes after the process exited and its output was drained into the log.
  const exit = new Promise((resolve) => child.on('close', (code, signal) => {
    exited = { code, signal };
    resolve(exited);
  }));

  const stop = async () => {
    if (!exited) {
      child.kill('SIGINT');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(killer);
    }
    rmSync(basePath, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  while (!(await rpcAnswers(rpcPort))) {
    if (exited) {
      const { readFileSync } = await import('node:fs');
      const tail = readFileSync(logPath, 'utf8').split('\n').slice(-15).join('\n');
      await stop();
      throw new Error(`${name} exited (code ${exited.code}) before RPC came up:\n${tail}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${name} did not answer RPC on port ${rpcPort} within ${timeoutMs} ms`);
    }
    await sleep(250);
  }
  return {
    rpcPort, p2pPort, prometheusPort, wsUrl: `ws://127.0.0.1:${rpcPort}`, logPath, stop,
    get exited() { return exited; },
  };
}

/** Connects @polkadot/api to a started node. */
export async function connect(node) {
  const provider = new WsProvider(node.wsUrl, 1000, {}, 30_000);
  return ApiPromise.create({ provider, throwOnConnect: true, noInitWarn: true });
}

/**
 * Signs and sends `tx` from `signer`; resolves with { blockHash, events } once the transaction
 * is in a block (or finalized, with `until: 'finalized'`), rejects on a dispatch error (the
 * error carries the transaction's `events` and `blockHash`: a failed transaction still pays
 * its fee) or when nothing conclusive happened within `timeoutMs`.
 */
export function send(api, tx, signer,
  { until = 'inBlock', nonce = -1, timeoutMs = 120_000, assetId } = {}) {
  return new Promise((resolve, reject) => {
    let unsub = () => {};
    const timer = setTimeout(() => {
      unsub();
      reject(new Error(`transaction not ${until} within ${timeoutMs} ms`));
    }, timeoutMs);
    const fail = (error) => { clearTimeout(timer); reject(error); };
    const succeed = (value) => { clearTimeout(timer); resolve(value); };
    // With `assetId` (a location, e.g. `{ parents: 0, interior: { X2: [{ PalletInstance: 22 },
    // { GeneralIndex: 2 }] } }`), the fee is paid in that stablecoin through the pools.
    const options = assetId === undefined ? { nonce } : { nonce, assetId };
    tx.signAndSend(signer, options, (result) => {
      const { status, events, dispatchError } = result;
      if (dispatchError) {
        unsub();
        let error;
        if (dispatchError.isModule) {
          const { section, name } = api.registry.findMetaError(dispatchError.asModule);
          error = new Error(`${section}.${name}`);
        } else {
          error = new Error(dispatchError.toString());
        }
        error.events = events;
        error.blockHash = status.isInBlock ? status.asInBlock
          : status.isFinalized ? status.asFinalized : undefined;
        fail(error);
        return;
      }
      if (status.isInvalid || status.isDropped || status.isUsurped) {
        unsub();
        fail(new Error(`transaction ${status.type}`));
        return;
      }
      const done = until === 'finalized' ? status.isFinalized : status.isInBlock || status.isFinalized;
      if (done) {
        unsub();
        const blockHash = status.isFinalized ? status.asFinalized : status.asInBlock;
        succeed({ blockHash, events, status });
      }
    }).then((u) => { unsub = u; }, fail);
  });
}

/** The number of the block with `hash`. */
export async function blockNumber(api, hash) {
  return (await api.rpc.chain.getHeader(hash)).number.toNumber();
}

/**
 * Scans the best chain from block `from` on (new blocks as they come) for an event that
 * `match(event)` accepts; resolves with { blockNumber, blockHash, event, events } where
 * `events` are all the events of that block. Rejects when none came within `timeoutMs`.
 */
export async function waitForEvent(api, { from, match, timeoutMs = 120_000, pollMs = 1000 }) {
  const deadline = Date.now() + timeoutMs;
  let next = from;
  for (;;) {
    const best = (await api.rpc.chain.getHeader()).number.toNumber();
    for (; next <= best; next += 1) {
      const blockHash = await api.rpc.chain.getBlockHash(next);
      const events = (await api.query.system.events.at(blockHash)).map(({ event }) => event);
      const event = events.find(match);
      if (event) return { blockNumber: next, blockHash, event, events };
    }
    if (Date.now() > deadline) {
      throw new Error(`no matching event in blocks ${from}..${next - 1} within ${timeoutMs} ms`);
    }
    await sleep(pollMs);
  }
}
