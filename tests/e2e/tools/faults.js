#!/usr/bin/env node
// Entrepot's fault tool: validator faults and crashes on a running loopback network, with
// orders in flight, and the money checked afterwards.
//
//   node tests/e2e/tools/faults.js                      # 4 validators, 20 kills (about 15 min)
//   node tests/e2e/tools/faults.js --kills 3 --rate 3   # the short run ./scripts/test.sh makes
//   node tests/e2e/tools/faults.js --out faults.json    # every measurement as JSON
//
// It starts `scripts/network.sh N` (KEEP_RUNNING, a sudo key for the load tool's set-up) and a
// non-validating RPC node, starts the load tool's sustained order stream against validator 1
// (which it never stops), and then:
//
// 1. stops validator N: finality must go on with N-1 of N;
// 2. stops validator N-1 too: with 2 of 4 down finality must stop (blocks may go on), and the
//    validators still up must agree on every finalized block;
// 3. starts both again on their base paths and reports how long finality took to catch up
//    with the best block it had reached;
// 4. kills (SIGKILL) a random node among validators 2..N and the RPC node, at a random moment,
//    --kills times, one at a time; restarts it on the same base path; checks that it resyncs
//    and that the block it had finalized before the kill is still there with the same hash and
//    the same state (a digest of the orders, escrow, assets and accounts storage, compared
//    with validator 1 at that block);
// 5. waits for the order stream to end and checks the money through the runtime APIs and
//    storage: ENT and USDX issuance unchanged (fees go to the platform account, nothing is
//    minted or burned by orders), and the escrow account's held balance per currency
//    (`OrdersApi::total_locked`) equal to the sum of every escrow record's locked amount.
//
// The exit status is non-zero if a check failed. Progress goes to stderr, the summary to
// stdout.

import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync, mkdtempSync, openSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiPromise, WsProvider } from '@polkadot/api';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');

const { values: opt } = parseArgs({
  options: {
    validators: { type: 'string', default: '4' },
    kills: { type: 'string', default: '20' },
    rate: { type: 'string', default: '5' },
    accounts: { type: 'string', default: '200' },
    base: { type: 'string' },
    'rpc-base': { type: 'string', default: '9944' },
    out: { type: 'string' },
    seed: { type: 'string', default: '1' },
  },
});
const N = Number(opt.validators);
const KILLS = Number(opt.kills);
const RATE = Number(opt.rate);
const RPC_BASE = Number(opt['rpc-base']);
if (N < 4) throw new Error('--validators must be at least 4: two are stopped at once');
const base = opt.base ?? mkdtempSync(path.join(tmpdir(), 'entrepot-faults-'));
const t0 = Date.now();
const log = (m) => process.stderr.write(`[faults ${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A small deterministic generator (mulberry32), so that a run can be repeated (--seed).
let seedState = Number(opt.seed) | 0;
const random = () => {
  seedState = (seedState + 0x6D2B79F5) | 0;
  let t = Math.imul(seedState ^ (seedState >>> 15), 1 | seedState);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
};

// ---- JSON-RPC over HTTP: every node serves it on its RPC port --------------------------------

async function rpc(port, method, params = [], timeoutMs = 5000) {
  const res = await fetch(`http://127.0.0.1:${port}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = await res.json();
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}
async function finalized(port) {
  const hash = await rpc(port, 'chain_getFinalizedHead');
  const header = await rpc(port, 'chain_getHeader', [hash]);
  return { number: parseInt(header.number, 16), hash, stateRoot: header.stateRoot };
}
async function best(port) {
  const header = await rpc(port, 'chain_getHeader');
  return parseInt(header.number, 16);
}
async function waitFor(what, fn, timeoutMs) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs / 1000} s: ${what}`);
    await sleep(250);
  }
}

/** Digest of every key and value under the prefixes at block `at`, read from `port`. */
async function digest(port, prefixes, at) {
  const h = createHash('sha256');
  let keys = 0;
  for (const prefix of prefixes) {
    let start = null;
    for (;;) {
      const page = await rpc(port, 'state_getKeysPaged', [prefix, 1000, start, at], 30_000);
      if (!page.length) break;
      const sets = await rpc(port, 'state_queryStorageAt', [page, at], 30_000);
      const changes = new Map(sets[0].changes);
      for (const k of page) h.update(`${k}=${changes.get(k)};`);
      keys += page.length;
      if (page.length < 1000) break;
      start = page[page.length - 1];
    }
  }
  return { digest: h.digest('hex'), keys };
}

// ---- Nodes ----------------------------------------------------------------------------------

const nodes = []; // { name, port, cmd, pid, proc }

function readCmd(i) {
  return readFileSync(path.join(base, `v${i}.cmd`), 'utf8').split('\0').filter((s) => s.length);
}

function startNode(node) {
  const [bin, ...args] = node.cmd;
  const out = openSync(path.join(base, `${node.name}.log`), 'a');
  node.proc = spawn(bin, args, { stdio: ['ignore', out, out], detached: false });
  node.pid = node.proc.pid;
  if (node.name.startsWith('v')) writeFileSync(path.join(base, `${node.name}.pid`), `${node.pid}\n`);
  node.exited = new Promise((r) => node.proc.once('exit', r));
}

function pidAlive(pid) {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

async function stopNode(node, signal) {
  if (node.proc) {
    node.proc.kill(signal);
    await node.exited;
  } else {
    process.kill(node.pid, signal);
    await waitFor(`${node.name} to exit`, async () => !pidAlive(node.pid), 60_000);
  }
  node.proc = null;
}

// ---- The run --------------------------------------------------------------------------------

const report = { validators: N, base, checks: [], faults: {}, kills: [], load: null };
let failed = 0;
function check(name, ok, detail) {
  report.checks.push({ name, ok, detail });
  if (!ok) failed += 1;
  log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
}

let network;
let load;
async function cleanup() {
  if (load && load.exitCode === null) load.kill('SIGINT');
  for (const n of nodes.filter((x) => x.name === 'rpc' && x.proc)) n.proc.kill('SIGKILL');
  if (network && network.exitCode === null) {
    network.kill('SIGTERM');
    await new Promise((r) => network.once('exit', r));
  }
}

async function main() {
  log(`network of ${N} validators in ${base}`);
  network = spawn(path.join(root, 'scripts/network.sh'), [String(N)], {
    env: {
      ...process.env, BASE_DIR: base, KEEP_RUNNING: '1', SUDO: '//Alice',
      RPC_BASE: String(RPC_BASE), NODE_ARGS: '--pool-limit 20000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  network.once('exit', (code) => { if (code) log(`network.sh exited with ${code}`); });
  await waitFor('the network to finalize', async () => existsSync(path.join(base, 'ready')), 240_000);
  for (let i = 1; i <= N; i += 1) {
    nodes.push({
      name: `v${i}`, port: RPC_BASE + i - 1, cmd: readCmd(i),
      pid: Number(readFileSync(path.join(base, `v${i}.pid`), 'utf8')),
    });
  }
  // A non-validating RPC node: validator 2's command line (it has the bootnode) without the
  // validator's role, keys and ports.
  const rpcPort = RPC_BASE + N;
  const v2 = readCmd(2);
  const cmd = [];
  for (let i = 0; i < v2.length; i += 1) {
    const a = v2[i];
    if (a === '--validator') continue;
    if (a === '--node-key-file') { i += 1; continue; }
    const next = {
      '--name': 'rpc', '--base-path': path.join(base, 'rpc'), '--rpc-port': String(rpcPort),
      '--prometheus-port': String(9615 + N), '--listen-addr': `/ip4/127.0.0.1/tcp/${30333 + N}`,
    }[a];
    cmd.push(a);
    if (next !== undefined) { cmd.push(next); i += 1; }
  }
  const rpcNode = { name: 'rpc', port: rpcPort, cmd };
  startNode(rpcNode);
  nodes.push(rpcNode);
  await waitFor('the RPC node to sync', async () => (await finalized(rpcPort)).number >= 3, 120_000);
  const v1 = nodes[0];

  // The money before: issuance of ENT and USDX.
  const api = await ApiPromise.create({ provider: new WsProvider(`ws://127.0.0.1:${v1.port}`), noInitWarn: true });
  const money = async () => {
    const at = await api.rpc.chain.getFinalizedHead();
    const a = await api.at(at);
    const usdx = (await a.query.assets.asset(1)).unwrap().supply.toBigInt();
    return { at: at.toHex(), ent: (await a.query.balances.totalIssuance()).toBigInt(), usdx };
  };

  // Every escrow accounted for: what the escrow account holds in each currency
  // (OrdersApi::total_locked, at a finalized block) is the sum of the records' locked
  // amounts in it.
  async function checkEscrows(label, at) {
    const a = await api.at(at);
    const sums = new Map(); // currency (SCALE hex) -> { codec, locked }
    for (const [, v] of await a.query.escrow.escrows.entries()) {
      const e = v.unwrap();
      const key = e.currency.toHex();
      const entry = sums.get(key) ?? { codec: e.currency, locked: 0n, records: 0 };
      entry.locked += e.locked.toBigInt();
      entry.records += 1;
      sums.set(key, entry);
    }
    const totalLocked = async (hex) => api.createType('u128',
      await api.rpc.state.call('OrdersApi_total_locked', hex, at)).toBigInt();
    // CurrencyId is NativeOrWithId<u32>: ENT is variant 0, an asset variant 1 with its id.
    const currencies = new Map([['0x00', 'ENT'], ['0x0101000000', 'USDX']]);
    for (const [key, { codec }] of sums) if (!currencies.has(key)) currencies.set(key, JSON.stringify(codec.toJSON()));
    for (const [key, name] of currencies) {
      const held = await totalLocked(key);
      const { locked = 0n, records = 0 } = sums.get(key) ?? {};
      check(`${label}: every escrow accounted for in ${name}`, held === locked,
        `held on the escrow account ${held}, sum of ${records} open escrow records ${locked}`);
      (report.escrows ??= []).push({ label, currency: name, held: held.toString(), records, locked: locked.toString() });
    }
  }

  // Orders in flight: the load tool's set-up, then its sustained stream against validator 1.
  const loadJs = path.join(here, 'load.js');
  const url = `ws://127.0.0.1:${v1.port}`;
  log('load: funding accounts and registering merchants');
  await new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [loadJs, '--scenario', 'setup', '--accounts', opt.accounts,
      '--sudo', '//Alice', '--urls', url, '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] });
    p.once('exit', (c) => (c ? reject(new Error(`load setup exited with ${c}`)) : resolve()));
  });
  const before = await money();
  // Long enough to outlast the faults: about 50 s of validator faults and under 15 s a kill.
  const duration = 75 + KILLS * 15;
  log(`load: ${RATE} orders/s for ${duration} s against validator 1`);
  const loadOut = path.join(base, 'load.json');
  load = spawn(process.execPath, [loadJs, '--scenario', 'sustained', '--accounts', opt.accounts,
    '--rate', String(RATE), '--duration', String(duration), '--urls', url, '--quiet',
    '--finality-timeout', '300', '--stall-timeout', '120', '--out', loadOut],
  { stdio: ['ignore', 'pipe', 'inherit'] });
  let loadText = '';
  load.stdout.on('data', (d) => { loadText += d; });
  const loadDone = new Promise((r) => load.once('exit', r));
  await sleep(10_000);

  // 1. One validator down.
  const vN = nodes[N - 1];
  const vM = nodes[N - 2];
  let f0 = await finalized(v1.port);
  await stopNode(vN, 'SIGTERM');
  log(`stopped ${vN.name} at finalized #${f0.number}`);
  await sleep(12_000);
  let f1 = await finalized(v1.port);
  check(`finality goes on with ${N - 1} of ${N} validators`, f1.number - f0.number >= 5,
    `finalized #${f0.number} → #${f1.number} in 12 s`);
  report.faults.oneDown = { from: f0.number, to: f1.number, seconds: 12 };

  // 2. Two down: finality stops, blocks may go on, no fork is finalized.
  await stopNode(vM, 'SIGTERM');
  await sleep(3000);
  f0 = await finalized(v1.port);
  const b0 = await best(v1.port);
  log(`stopped ${vM.name}; finalized #${f0.number}, best #${b0}`);
  await sleep(15_000);
  f1 = await finalized(v1.port);
  const b1 = await best(v1.port);
  // GRANDPA finalizes with more than two thirds of the set: N - floor((N - 1) / 3) votes.
  const needed = N - Math.floor((N - 1) / 3);
  const expectHalt = N - 2 < needed;
  check(expectHalt ? `finality stops with ${N - 2} of ${N} validators (${needed} needed)`
    : `finality goes on with ${N - 2} of ${N} validators (${needed} needed)`,
  expectHalt ? f1.number - f0.number <= 1 : f1.number - f0.number >= 5,
  `finalized #${f0.number} → #${f1.number}, best #${b0} → #${b1} in 15 s`);
  let agree = true;
  for (let n = Math.max(1, f0.number - 5); n <= f1.number; n += 1) {
    const hashes = await Promise.all(nodes.slice(0, N - 2).map((v) => rpc(v.port, 'chain_getBlockHash', [n])));
    if (new Set(hashes).size !== 1) agree = false;
  }
  check('the validators still up agree on every finalized block', agree);
  report.faults.twoDown = { finalizedFrom: f0.number, finalizedTo: f1.number, bestFrom: b0, bestTo: b1, seconds: 15 };

  // 3. Both back: time until finality reaches the best block of the stall.
  const target = await best(v1.port);
  const restart = Date.now();
  startNode(vM);
  startNode(vN);
  await waitFor('finality to catch up', async () => (await finalized(v1.port)).number >= target, 300_000);
  const caughtUp = (Date.now() - restart) / 1000;
  await waitFor('the restarted validators to finalize', async () => {
    const fs = await Promise.all([vM, vN].map((v) => finalized(v.port)));
    return fs.every((f) => f.number >= target);
  }, 300_000);
  const rejoined = (Date.now() - restart) / 1000;
  check('finality catches up once both are back', true,
    `#${target} finalized ${caughtUp.toFixed(1)} s after the restart; both restarted validators there after ${rejoined.toFixed(1)} s`);
  report.faults.restart = { target, caughtUpSeconds: caughtUp, rejoinedSeconds: rejoined };
  await checkEscrows('after the validator faults, orders in flight', (await finalized(v1.port)).hash);

  // 4. Kills at random moments, one node at a time.
  // Storage prefixes: twox128 of each pallet's name; System.Account's own prefix.
  const { xxhashAsHex } = await import('@polkadot/util-crypto');
  const storagePrefixes = ['Orders', 'Escrow', 'Assets', 'AssetsHolder'].map((p) => xxhashAsHex(p, 128));
  storagePrefixes.push(api.query.system.account.keyPrefix());
  const victims = nodes.slice(1);
  for (let k = 0; k < KILLS; k += 1) {
    const victim = victims[Math.floor(random() * victims.length)];
    await sleep(1000 + Math.floor(random() * 7000));
    const before = await finalized(victim.port);
    await stopNode(victim, 'SIGKILL');
    const killedAt = Date.now();
    await sleep(Math.floor(random() * 3000));
    startNode(victim);
    const after = await waitFor(`${victim.name} to resync`, async () => {
      const f = await finalized(victim.port);
      return f.number > before.number ? f : null;
    }, 180_000);
    const resync = (Date.now() - killedAt) / 1000;
    const hash = await rpc(victim.port, 'chain_getBlockHash', [before.number]);
    const header = await rpc(victim.port, 'chain_getHeader', [before.hash]);
    const [mine, theirs] = await Promise.all([digest(victim.port, storagePrefixes, before.hash),
      digest(v1.port, storagePrefixes, before.hash)]);
    const intact = hash === before.hash && header?.stateRoot === before.stateRoot && mine.digest === theirs.digest;
    report.kills.push({
      victim: victim.name, finalizedBefore: before.number, finalizedAfter: after.number,
      resyncSeconds: resync, keys: mine.keys, intact,
    });
    check(`kill ${k + 1}/${KILLS}: ${victim.name} keeps its finalized #${before.number} and resyncs`, intact,
      `${mine.keys} keys of orders, escrow, assets and accounts identical; finalizing again after ${resync.toFixed(1)} s`);
  }

  // 5. The money.
  log('waiting for the order stream to end');
  const loadCode = await loadDone;
  report.load = existsSync(loadOut) ? JSON.parse(readFileSync(loadOut, 'utf8')).result : null;
  check('the order stream completed', loadCode === 0, loadText.split('\n').filter((l) => /^(place|ship|confirm|timers|sustained):/.test(l)).join(' | '));
  const after = await money();
  check('ENT issuance unchanged', after.ent === before.ent, `${before.ent} → ${after.ent}`);
  check('USDX supply unchanged', after.usdx === before.usdx, `${before.usdx} → ${after.usdx}`);
  await checkEscrows('at the end', after.at);
  report.money = { before, after };
  await api.disconnect();
}

let code = 0;
try {
  await main();
} catch (e) {
  log(`error: ${e.stack ?? e}`);
  code = 2;
}
await cleanup();
report.seconds = (Date.now() - t0) / 1000;
report.failed = failed;
if (opt.out) {
  writeFileSync(opt.out, JSON.stringify(report, (k, v) => (typeof v === 'bigint' ? v.toString() : v), 1));
}
const f = report.faults;
const resyncs = report.kills.map((k) => k.resyncSeconds).sort((x, y) => x - y);
console.log(`== entrepot faults: ${N} validators, ${report.kills.length} kills ==`);
if (f.oneDown) console.log(`one down: finalized #${f.oneDown.from} → #${f.oneDown.to} in ${f.oneDown.seconds} s`);
if (f.twoDown) console.log(`two down: finalized #${f.twoDown.finalizedFrom} → #${f.twoDown.finalizedTo}, best #${f.twoDown.bestFrom} → #${f.twoDown.bestTo} in ${f.twoDown.seconds} s`);
if (f.restart) console.log(`restart: #${f.restart.target} finalized after ${f.restart.caughtUpSeconds.toFixed(1)} s; restarted validators finalizing after ${f.restart.rejoinedSeconds.toFixed(1)} s`);
if (resyncs.length) {
  const by = (name) => report.kills.filter((k) => k.victim === name).length;
  console.log(`kills: ${report.kills.length} (${victimsSummary(by)}), intact ${report.kills.filter((k) => k.intact).length}; ` +
    `finalizing again after p50 ${resyncs[Math.floor(resyncs.length / 2)].toFixed(1)} s, max ${resyncs[resyncs.length - 1].toFixed(1)} s`);
}
console.log(`checks: ${report.checks.length - failed} passed, ${failed} failed; took ${report.seconds.toFixed(0)} s`);
process.exit(code || (failed ? 1 : 0));

function victimsSummary(by) {
  return nodes.slice(1).map((n) => `${n.name} ${by(n.name)}`).join(', ');
}
