#!/usr/bin/env node
// An example bank-side service of one stablecoin gateway (docs/gateways.md): it keeps a fake
// bank's books and the chain in step, for the gateway whose key it holds.
//
//   node tests/e2e/tools/bank.js --ws ws://127.0.0.1:9944 --gateway //One \
//     --ledger ledger.json --state bank-state.json [--crash-after-payouts N]
//
// The ledger (a JSON file) stands for the bank's books, amounts in the coin's smallest unit as
// decimal strings: { reserve, incoming: [{ id, account, amount }], payouts: [{ withdrawalId,
// destination, amount, payout }] }. Fiat received for an account is an `incoming` entry and is
// already counted in `reserve`; fiat paid out is a `payouts` entry and has left `reserve`. If
// the ledger does not exist, it is created with no entries and a reserve equal to what the
// gateway answers for on chain (its `outstanding`).
//
// Every second it does two things.
//
// - Withdrawals. It follows the FINALIZED blocks after a cursor kept in the state file. In
//   each, this gateway's `WithdrawalRequested` and `WithdrawalProcessing` events name requests
//   to bring forward, from their status at the finalized head: a request Requested is started
//   (`startWithdrawal`); a request Processing is paid on the ledger, then completed with the
//   hash of the payout record (`completeWithdrawal(id, payout)`, which burns the coins). Fiat
//   leaves the bank only for a request the chain has finalized as Processing: no fork can take
//   back the step the bank acted on. (Any Processing request is safe to pay: its account
//   cannot cancel it; besides this gateway, only governance can return its coins.)
// - Deposits. For each `incoming` entry whose reference, blake2-256 of `incoming:<id>`, the
//   chain has not seen from this gateway, it attests the ledger's reserve (unless that is
//   already the gateway's latest attestation, and fresh), then deposits.
//
// Nothing is done twice, whenever the process dies (SIGKILL included). The idempotency keys:
//
// - a payout is keyed by the withdrawal id on the ledger: a request already paid is never paid
//   again, only completed, with the payout hash recorded;
// - a deposit is keyed by its reference on chain: the chain refuses a reference twice
//   (`DuplicateReference`), and the service does not send one the chain has seen.
//
// Every step is decided from the chain's state, not from memory: the finalized status says
// what is due, the best block's says whether it is already done. A duplicate that still gets
// through (say, sent by the previous process and still in the pool) is refused by the chain
// (`WrongStatus`, `UnknownWithdrawal`) and costs a fee, nothing else. The ledger and the state
// file are written atomically (a temporary file, synced, then renamed).
//
// On start it reconciles instead of replaying the blocks it missed: every request of this
// gateway still open at the finalized head (the `gateways.withdrawals` entries) is brought
// forward as above, and the cursor moves to that head. A request closed by then needs nothing
// from the bank (and a pruning node keeps the state, hence the events, of recent blocks only).
//
// `--crash-after-payouts N` kills the process (SIGKILL) right after its N-th payout is written
// to the ledger, before the completion is sent: the window a restart must close.
//
// The process signs with the gateway's key: do not send from that key by other means while it
// runs (two senders race for the account's nonces). One line per action goes to stdout.

import { parseArgs } from 'node:util';
import {
  readFileSync, existsSync, openSync, writeSync, fsyncSync, closeSync, renameSync,
} from 'node:fs';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, blake2AsHex } from '@polkadot/util-crypto';
import { send, blockNumber } from '../lib/node.js';

const USAGE = 'usage: node tests/e2e/tools/bank.js --ws URL --gateway SURI --ledger FILE ' +
  '--state FILE [--crash-after-payouts N]';
const { values: opt } = parseArgs({
  options: {
    ws: { type: 'string', default: 'ws://127.0.0.1:9944' },
    gateway: { type: 'string' },
    ledger: { type: 'string' },
    state: { type: 'string' },
    'crash-after-payouts': { type: 'string' },
  },
});
if (!opt.gateway || !opt.ledger || !opt.state) {
  console.error(USAGE);
  process.exit(2);
}
const CRASH_AFTER = opt['crash-after-payouts'] === undefined ? Infinity
  : Number(opt['crash-after-payouts']);
const POLL_MS = 1000;

const log = (message) => console.log(`[bank ${opt.gateway}] ${message}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- Files ------------------------------------------------------------------------------------

/** Writes `value` as JSON to `file` atomically: a crash leaves either the old or the new file. */
function writeJson(file, value) {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, `${JSON.stringify(value, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** The ledger, with its reserve as a bigint. */
function readLedger() {
  const ledger = readJson(opt.ledger);
  return { reserve: BigInt(ledger.reserve), incoming: ledger.incoming ?? [],
    payouts: ledger.payouts ?? [] };
}

const writeLedger = (ledger) =>
  writeJson(opt.ledger, { ...ledger, reserve: String(ledger.reserve) });
const paidOut = (ledger, id) => ledger.payouts.find((p) => p.withdrawalId === String(id));

let state = existsSync(opt.state) ? readJson(opt.state) : { cursor: null };
const saveCursor = (cursor) => {
  state = { ...state, cursor };
  writeJson(opt.state, state);
};

// ---- Chain ------------------------------------------------------------------------------------

await cryptoWaitReady();
const me = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri(opt.gateway);
const api = await ApiPromise.create({ provider: new WsProvider(opt.ws), noInitWarn: true });

const bestNumber = async () => (await api.rpc.chain.getHeader()).number.toNumber();

async function finalizedHead() {
  const hash = await api.rpc.chain.getFinalizedHead();
  return { hash, number: await blockNumber(api, hash) };
}

/** This gateway's record at the best block. */
async function gatewayInfo() {
  const info = await api.query.gateways.gateways(me.address);
  if (info.isNone) throw new Error(`${me.address} is not a gateway`);
  return info.unwrap();
}

/** Request `id` of this gateway at block `hash` (the best block if none), or null. */
async function request(id, hash) {
  const at = hash ? await api.at(hash) : api;
  const found = await at.query.gateways.withdrawals(id);
  if (found.isNone || !found.unwrap().gateway.eq(me.address)) return null;
  const w = found.unwrap();
  return { status: w.status.type, amount: w.amount.toBigInt(), destination: w.destination.toHex(),
    since: w.since.toNumber() };
}

/**
 * Sends `tx` signed by the gateway and logs the outcome; false if the chain refused it (it is
 * in a block, failed). Throws if it never got into a block: the caller tries again later.
 */
async function submit(label, tx) {
  try {
    const { blockHash } = await send(api, tx, me);
    log(`${label}: in block #${await blockNumber(api, blockHash)}`);
    return true;
  } catch (error) {
    if (!error.blockHash) throw error;
    log(`${label}: refused, ${error.message}`);
    return false;
  }
}

// ---- Withdrawals ------------------------------------------------------------------------------

let payoutsWritten = 0;

/** Pays request `id` on the ledger, once: the payout is keyed by the withdrawal id. */
function pay(id, w) {
  const ledger = readLedger();
  const done = paidOut(ledger, id);
  if (done) return done;
  const record = { withdrawalId: String(id), destination: w.destination, amount: String(w.amount) };
  const payout = { ...record, payout: blake2AsHex(JSON.stringify(record)) };
  ledger.payouts.push(payout);
  ledger.reserve -= w.amount;
  writeLedger(ledger);
  log(`paid #${id}: ${w.amount} to ${w.destination} (payout ${payout.payout})`);
  payoutsWritten += 1;
  if (payoutsWritten >= CRASH_AFTER) {
    log(`crashing after ${payoutsWritten} payout(s), before completing #${id}`);
    process.kill(process.pid, 'SIGKILL');
  }
  return payout;
}

/**
 * Brings request `id` forward from its status at the finalized block `final`: Requested, it is
 * started; Processing, it is paid on the ledger (unless it already was) and completed. Nothing
 * is sent for what the best block shows done already.
 */
async function advance(id, final) {
  const due = await request(id, final);
  if (!due) return;
  const now = await request(id);
  if (due.status === 'Requested') {
    if (now?.status === 'Requested') {
      await submit(`start #${id}`, api.tx.gateways.startWithdrawal(id));
    }
    return;
  }
  let payout = paidOut(readLedger(), id);
  if (!payout) {
    // Closed since (refunded or failed by this gateway, or returned by governance): nothing to
    // pay. Its account cannot cancel it once it is Processing, so paying it is safe.
    if (!now) return;
    payout = pay(id, due);
  }
  if (now) await submit(`complete #${id}`, api.tx.gateways.completeWithdrawal(id, payout.payout));
}

/** This gateway's requests named by the events of finalized block `number`. */
async function requestsIn(number) {
  const hash = await api.rpc.chain.getBlockHash(number);
  const ids = new Set();
  for (const { event } of await (await api.at(hash)).query.system.events()) {
    if (event.section === 'gateways' &&
      ['WithdrawalRequested', 'WithdrawalProcessing'].includes(event.method) &&
      event.data.gateway.eq(me.address)) {
      ids.add(event.data.id.toBigInt());
    }
  }
  return ids;
}

/** Every request of this gateway open at the finalized head, brought forward. */
async function reconcile() {
  const head = await finalizedHead();
  const entries = await (await api.at(head.hash)).query.gateways.withdrawals.entries();
  const open = entries.filter(([, w]) => w.unwrap().gateway.eq(me.address))
    .map(([key]) => key.args[0].toBigInt()).sort((a, b) => (a < b ? -1 : 1));
  log(`reconciling at finalized #${head.number}: ${open.length} open request(s)` +
    (open.length ? ` (#${open.join(', #')})` : ''));
  for (const id of open) await advance(id, head.hash);
  saveCursor(head.number);
}

// ---- Deposits ---------------------------------------------------------------------------------

const refused = new Set(); // incoming entries the chain refused in this run: left for a human

/** Whether the gateway's latest attestation is `reserve`, and less than half its age limit. */
async function attested(info, reserve) {
  if (info.attestation.isNone) return false;
  const { amount, at } = info.attestation.unwrap();
  const maxAge = (await api.call.gatewaysApi.params()).maxAttestationAge.toNumber();
  return amount.toBigInt() === reserve && (await bestNumber()) - at.toNumber() < maxAge / 2;
}

async function depositIncoming() {
  const ledger = readLedger();
  for (const entry of ledger.incoming) {
    const reference = blake2AsHex(`incoming:${entry.id}`);
    if (refused.has(entry.id) ||
      (await api.call.gatewaysApi.referenceUsed(me.address, reference)).isTrue) continue;
    const amount = BigInt(entry.amount);
    const info = await gatewayInfo();
    const needed = info.outstanding.toBigInt() + amount;
    if (ledger.reserve < needed) {
      log(`incoming ${entry.id}: the reserve ${ledger.reserve} does not cover ${needed}: ` +
        'not deposited');
      refused.add(entry.id);
      continue;
    }
    if (!(await attested(info, ledger.reserve))) {
      const report = JSON.stringify({ reserve: String(ledger.reserve), at: await bestNumber() });
      await submit(`attest ${ledger.reserve}`,
        api.tx.gateways.attestReserves(ledger.reserve, blake2AsHex(report)));
    }
    const ok = await submit(`deposit ${entry.id}: ${amount} to ${entry.account}`,
      api.tx.gateways.deposit(entry.account, amount, reference));
    if (!ok) refused.add(entry.id);
  }
}

// ---- Main loop --------------------------------------------------------------------------------

const info = await gatewayInfo();
if (!existsSync(opt.ledger)) {
  writeLedger({ reserve: info.outstanding.toBigInt(), incoming: [], payouts: [] });
  log(`no ledger: created ${opt.ledger} with a reserve of ${info.outstanding} (the outstanding)`);
}
log(`gateway ${me.address} of asset ${info.asset}, ${info.status.type}; ` +
  (state.cursor === null ? 'first start' : `last stopped after finalized #${state.cursor}`));

let reconciled = false;
for (;;) {
  try {
    if (!reconciled) {
      await reconcile();
      reconciled = true;
      log(`following finalized blocks from #${state.cursor + 1}`);
    }
    const head = await finalizedHead();
    for (let n = state.cursor + 1; n <= head.number; n += 1) {
      for (const id of await requestsIn(n)) await advance(id, head.hash);
      saveCursor(n);
    }
    await depositIncoming();
  } catch (error) {
    log(`error: ${error.message}; trying again`);
  }
  await sleep(POLL_MS);
}
