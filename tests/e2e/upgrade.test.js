// End to end: a runtime upgrade with storage migrations, enacted through governance on a running
// chain (issue 16.3). A single-validator development chain starts on the runtime of commit
// 0e635ac (spec 100, the orders pallet at storage version 0), from the committed `fast-runtime`
// wasm fixture; the new runtime is the one the node build produced (docs/upgrades.md).
//
// With @polkadot/api, and the old runtime's call shapes (`orders.placeOrder` without a payment
// reference, fees through `ChargeTransactionPayment`):
//
// - orders are left in flight in every kind of state: placed, shipped, with a refund request
//   pending, settled with a reviewed purchase whose loyalty reward is vesting, and frozen by an
//   open dispute whose two deposits are held;
// - once that state is final, a snapshot of the whole state is written (ENTREPOT_SNAPSHOT, by
//   default entrepot-upgrade-snapshot.json in the temporary directory) for the try-runtime test
//   `try_runtime_upgrade_on_a_live_snapshot`, and every order, dispute, escrow and balance of the
//   parties is recorded;
// - a referendum on the `root` track (preimage, decision deposit, ENT votes; not sudo, though
//   the dev chain has it; a signed `authorizeUpgrade` is refused) authorizes the new runtime's
//   hash; Eve, a stranger to it all, applies the code (`system.applyAuthorizedUpgrade`, free of
//   charge); the next block runs the migrations (orders, disputes and loyalty v0 → v1: the
//   token LOY becomes sufficient) under spec 102,
//   and polkadot.js follows the new metadata (`placeOrder` with a `reference`,
//   `ChargeAssetTxPayment`, the new transaction version);
// - every order is as it was, plus its legacy reference (its id) indexed by
//   `OrderByReference`; the dispute, the reward, the escrows and the balances are as they were;
// - with the new call shapes each order completes its lifecycle, the dispute settles and its
//   deposits come back, the reward vests as LOY, a new order carries its payment reference;
//   at the end nothing is locked or held, USDX supply and ENT issuance are unchanged and the
//   platform account's ENT grew by exactly the transaction fees.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, blake2AsHex, randomAsHex } from '@polkadot/util-crypto';
import { startNode, connect } from './lib/node.js';
import {
  palletAccount, shortPolicyBounds, submit as submitTx, sudo as sudoTx, theEvent, eventsNamed,
} from './lib/chain.js';
import {
  oldRuntimeSpec, newRuntimeWasm, nodeRuntimeCode, dumpState, palletStorageVersion,
} from './lib/upgrade.js';

const OLD_SPEC = 100; // the fixture's spec_version (commit 0e635ac)
const NEW_SPEC = 102; // the runtime the node build produced
const UNITS = 10n ** 12n; // one ENT
const USDX = 1;
const USDX_CUR = { WithId: USDX };
const LOY = 3;
const STABLE = 1_000_000n; // one USDX (and one LOY)
const PERMILL = 1_000_000n;
const HOLDBACK = 100_000; // Permill: 10%
// Windows in blocks of 1 s. Nothing is due before the upgrade but what the test waits for
// after it: Bob's orders close 3 blocks after settlement; Ferdie's after-sales window, in which
// the reward vests, outlasts the referendum and the upgrade (about 25 blocks).
const LONG = 600;
const SHORT_AFTER_SALES = 3;
const LONG_AFTER_SALES = 60;
const policy = (afterSalesWindow) => ({
  currencies: [USDX_CUR],
  shipWithin: LONG,
  autoConfirmAfter: LONG,
  refundResponseWithin: LONG,
  returnWindow: LONG,
  afterSalesWindow,
  holdback: HOLDBACK,
  loyaltyShare: 0,
});
// The voters of the referendum: dev accounts that play no part in the orders. 8 × 950 000 ENT
// is 54% of the 14 000 000 ENT issued at genesis: above the root track's support ceiling (50%),
// so the referendum confirms as soon as it is decided.
const VOTERS = ['//Alice//stash', '//Bob//stash', '//Charlie//stash', '//Dave//stash',
  '//Eve//stash', '//Ferdie//stash', '//One', '//Two'];
const VOTE = 950_000n * UNITS;
const NODE_KEY = '0000000000000000000000000000000000000000000000000000000000000001';
const SNAPSHOT = process.env.ENTREPOT_SNAPSHOT || join(tmpdir(), 'entrepot-upgrade-snapshot.json');
const TIMEOUT = { timeout: 180_000 };

let node;
let specPath;
let api;
let alice; // sudo (for short policy bounds only) and the referendum's proposer
let bob; // merchant: orders A, B, C and E, closing 3 blocks after settlement
let charlie; // customer of A, B, C and D
let dave; // customer of E, which he disputes
let eve; // a stranger: applies the authorized upgrade
let ferdie; // merchant: order D, whose reward vests 60 blocks after confirmation
let voters;
let who; // name -> address of the accounts whose balances are recorded
let platform;
let escrowAccount;
let disputesAccount;
let genesisHash;
let oldTxVersion; // the old runtime's transaction_version
let reader; // a connection opened after the upgrade, for reading blocks of both runtimes
let stale; // the connection opened before the upgrade, once `reader` replaces it

const ids = {}; // A … E -> order id
let disputeId;
let reward; // order D's pending reward: { amount, vestsAt }
let snapshotHash;
let recorded; // what the chain held at the snapshot
let upgraded; // { number, hash } of the block that set the code; `first`: the next one

const big = (codec) => codec.toBigInt();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const submit = (tx, signer) => submitTx(api, tx, signer);
const sudo = (call) => sudoTx(api, call, alice);
const bestNumber = async () => (await api.rpc.chain.getHeader()).number.toNumber();
const finalizedNumber = async () =>
  (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
const fee = async (gross) => (gross * big(await api.query.escrow.platformFee())) / PERMILL;
/** The reference the migration gives an order placed before references: its id, big-endian. */
const legacyReference = (id) => `0x${'00'.repeat(24)}${BigInt(id).toString(16).padStart(16, '0')}`;
const item = (note, price) => [{ product: blake2AsHex(note), quantity: 1, unitPrice: price }];

/** Polls `check` every second until it returns a truthy value; fails with `what` after `ms`. */
async function until(what, check, ms = 120_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(1000);
  }
}

/**
 * polkadot.js at block `hash`, with the metadata of the runtime that executed it. After the
 * upgrade a second connection does it: the first one swapped its metadata in place and keeps
 * handing out the swapped registry for blocks it had already looked at.
 */
const atBlock = (hash) => (reader ?? api).at(hash);

/**
 * The events of block `hash`, decoded with the metadata of the runtime that produced them
 * (`api.at`): the chain changes runtime in the middle of the test.
 */
async function eventsAt(hash) {
  const at = await atBlock(hash);
  return (await at.query.system.events()).map(({ event }) => event);
}

/**
 * Scans the best chain from block `from` on for an event `match` accepts, each block decoded
 * with its own runtime's metadata; resolves with { blockNumber, blockHash, event, events }.
 */
async function waitFor(what, { from, match, timeoutMs = 120_000 }) {
  const deadline = Date.now() + timeoutMs;
  let next = from;
  for (;;) {
    const best = await bestNumber();
    for (; next <= best; next += 1) {
      const blockHash = await api.rpc.chain.getBlockHash(next);
      const events = await eventsAt(blockHash);
      const event = events.find(match);
      if (event) return { blockNumber: next, blockHash, event, events };
    }
    if (Date.now() > deadline) throw new Error(`no ${what} in blocks ${from}..${next - 1}`);
    await sleep(500);
  }
}

const named = (name, orderId) => (ev) => `${ev.section}.${ev.method}` === name &&
  (orderId === undefined || ev.data.orderId?.toNumber() === orderId);

/** ENT, USDX and LOY of every recorded account after block `hash`. */
async function holdings(hash) {
  const at = await atBlock(hash);
  const asset = async (id, address) => {
    const account = await at.query.assets.account(id, address);
    return account.isSome ? big(account.unwrap().balance) : 0n;
  };
  const out = {};
  for (const [name, address] of Object.entries(who)) {
    const { data } = await at.query.system.account(address);
    const held = await at.query.assetsHolder.balancesOnHold(USDX, address);
    out[name] = {
      free: big(data.free),
      reserved: big(data.reserved),
      usdx: await asset(USDX, address),
      usdxHeld: held.isSome ? big(held.unwrap()) : 0n,
      loy: await asset(LOY, address),
    };
  }
  return out;
}

/** What the disputes account holds for dispute deposits after block `hash`: ENT and USDX. */
async function depositsHeld(hash) {
  const at = await atBlock(hash);
  const native = (await at.query.balances.holds(disputesAccount))
    .filter((h) => h.id.isDisputes).reduce((a, h) => a + big(h.amount), 0n);
  const stake = (await at.query.assetsHolder.holds(USDX, disputesAccount))
    .filter((h) => h.id.isDisputes).reduce((a, h) => a + big(h.amount), 0n);
  return { native, stake };
}

/**
 * Asserts that `actual` holds everything `expected` holds (JSON values): equal primitives, the
 * same arrays, and every field of an object, whatever fields `actual` has besides.
 */
function assertContains(actual, expected, path) {
  if (expected !== null && typeof expected === 'object') {
    assert.ok(actual !== null && typeof actual === 'object',
      `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
    if (Array.isArray(expected)) assert.equal(actual.length, expected.length, `${path}.length`);
    for (const key of Object.keys(expected)) {
      assertContains(actual[key], expected[key], `${path}.${key}`);
    }
  } else {
    assert.deepEqual(actual, expected, path);
  }
}

// ---- Set-up: one validator on the old runtime -------------------------------------------------

before(async () => {
  await cryptoWaitReady();
  specPath = oldRuntimeSpec({ chain: 'dev' });
  // What `--dev` means, with the chain spec file for `--chain dev` (startNode adds the base
  // path and the ports); a validator outside `--dev` needs a network key.
  node = await startNode({
    name: 'upgrade',
    args: ['--chain', specPath, '--alice', '--validator', '--force-authoring',
      '--node-key', NODE_KEY, '--rpc-cors', 'all', '--rpc-methods', 'unsafe'],
  });
  api = await connect(node);
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  [alice, bob, charlie, dave, eve, ferdie] = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie']
    .map((n) => keyring.addFromUri(`//${n}`));
  voters = VOTERS.map((uri) => keyring.addFromUri(uri));
  platform = palletAccount(api, 'ent/plat');
  escrowAccount = palletAccount(api, 'ent/escr');
  disputesAccount = palletAccount(api, 'ent/disp');
  who = { bob: bob.address, charlie: charlie.address, dave: dave.address,
    ferdie: ferdie.address, platform, escrow: escrowAccount, disputes: disputesAccount };
  genesisHash = await api.rpc.chain.getBlockHash(0);
  // Alice alone finalizes, as on `--dev`.
  await until('the first finalized block', async () => (await finalizedNumber()) >= 1, 60_000);
}, { timeout: 180_000 });

after(async () => {
  await stale?.disconnect();
  await api?.disconnect();
  if (reader !== api) await reader?.disconnect();
  await node?.stop();
  if (specPath) rmSync(dirname(specPath), { recursive: true, force: true });
});

// ---- Tests ------------------------------------------------------------------------------------

test('the chain runs the old runtime: spec 100, orders at storage version 0, the old call ' +
  'shapes and fee extension', TIMEOUT, async () => {
  assert.equal(api.runtimeVersion.specName.toString(), 'entrepot');
  assert.equal(api.runtimeVersion.specVersion.toNumber(), OLD_SPEC);
  oldTxVersion = api.runtimeVersion.transactionVersion.toNumber();
  assert.equal(await palletStorageVersion(api, 'Orders'), 0, 'orders at storage version 0');
  const args = api.tx.orders.placeOrder.meta.args.map((a) => a.name.toString());
  assert.equal(args.length, 7, `placeOrder(${args.join(', ')}): no payment reference`);
  assert.ok(!args.includes('reference'));
  assert.ok(api.registry.signedExtensions.includes('ChargeTransactionPayment'),
    `fees through ChargeTransactionPayment: ${api.registry.signedExtensions.join(', ')}`);
  assert.equal(api.tx.exchange, undefined, 'no exchange pallet yet');
  assert.ok((await api.query.sudo.key()).unwrap().eq(alice.address), 'the dev chain has sudo');
  assert.equal((await api.call.auraApi.slotDuration()).toNumber(), 1000, 'one-second blocks');
});

test('orders in every state, an open dispute and a vesting reward, with the old calls', TIMEOUT,
  async () => {
    // Bounds with one-block minima (the runtime's are hours and days), then the two merchants.
    await sudo(api.tx.orders.setPolicyBounds(await shortPolicyBounds(api)));
    await Promise.all([
      submit(api.tx.orders.registerMerchant(policy(SHORT_AFTER_SALES)), bob),
      submit(api.tx.orders.registerMerchant(policy(LONG_AFTER_SALES)), ferdie),
    ]);

    // Old shape: placeOrder(merchant, currency, items, freight, detailsHash, document, mode).
    const order = (merchant, note, price) => api.tx.orders.placeOrder(merchant.address,
      USDX_CUR, item(note, price), 0, blake2AsHex(`order ${note}`), null, 'Escrow');
    const prices = { A: 10n * STABLE, B: 20n * STABLE, C: 30n * STABLE, D: 300n * STABLE,
      E: 100n * STABLE };
    const [byCharlie, byDave] = await Promise.all([
      submit(api.tx.utility.batchAll([order(bob, 'A', prices.A), order(bob, 'B', prices.B),
        order(bob, 'C', prices.C), order(ferdie, 'D', prices.D)]), charlie),
      submit(order(bob, 'E', prices.E), dave),
    ]);
    const placed = [...eventsNamed(byCharlie.events, 'orders.OrderPlaced'),
      theEvent(byDave.events, 'orders.OrderPlaced')];
    ['A', 'B', 'C', 'D', 'E'].forEach((name, i) => {
      ids[name] = placed[i].data.orderId.toNumber();
      assert.equal(big(placed[i].data.total), prices[name], `order ${name}: total`);
    });

    await Promise.all([
      submit(api.tx.utility.batchAll(['B', 'C', 'E'].map((n) =>
        api.tx.orders.markShipped(ids[n], blake2AsHex(`tracking ${n}`)))), bob),
      submit(api.tx.orders.markShipped(ids.D, blake2AsHex('tracking D')), ferdie),
    ]);

    // Charlie asks 5 USDX back on C, confirms D and reviews it; Dave disputes E.
    const [charlies, opened] = await Promise.all([
      submit(api.tx.utility.batchAll([
        api.tx.orders.requestRefund(ids.C, 5n * STABLE, false, 'Damaged'),
        api.tx.orders.confirmReceipt(ids.D),
        api.tx.loyalty.review(ids.D, 5, blake2AsHex('review of D')),
      ]), charlie),
      submit(api.tx.disputes.openDispute(ids.E, 'Agreement', 'Damaged',
        blake2AsHex('evidence of E')), dave),
    ]);
    const paid = theEvent(charlies.events, 'orders.MerchantPaid', ids.D);
    assert.equal(big(paid.data.holdback), prices.D / 10n, 'D keeps a 10% holdback');
    const reviewed = theEvent(charlies.events, 'loyalty.Reviewed', ids.D);
    reward = { amount: big(reviewed.data.reward), vestsAt: reviewed.data.vestsAt.toNumber() };
    // min(2% of 300 USDX, half the 2.7 USDX of fees paid at confirmation), at 1 LOY per USDX.
    assert.equal(reward.amount, 1_350_000n, 'a reward of 1.35 LOY');
    assert.equal(reward.vestsAt, paid.data.afterSalesUntil.toNumber(),
      'it vests when D\'s after-sales window closes');
    const dispute = theEvent(opened.events, 'disputes.DisputeOpened');
    disputeId = dispute.data.disputeId.toNumber();
    assert.equal(big(dispute.data.frozen), prices.E, 'the whole escrow of E is frozen');

    // Bob engages: his deposit is held beside Dave's, and a first offer (40 USDX) is on the table.
    const offered = await submit(api.tx.disputes.proposeSettlement(disputeId, 40n * STABLE), bob);
    theEvent(offered.events, 'disputes.RespondentEngaged');
    const deposit = { native: 5n * UNITS, stake: prices.E / 20n }; // 5 ENT and 5% of 100 USDX
    assert.deepEqual(await depositsHeld(offered.blockHash),
      { native: 2n * deposit.native, stake: 2n * deposit.stake }, 'both deposits held');

    const at = await atBlock(offered.blockHash);
    const status = async (name) => (await at.query.orders.orders(ids[name])).unwrap().status.type;
    assert.deepEqual(
      await Promise.all(['A', 'B', 'C', 'D', 'E'].map(status)),
      ['Placed', 'Shipped', 'RefundRequested', 'Settled', 'Disputed']);
    assert.ok((await at.call.loyaltyApi.pendingReward(ids.D)).isSome, 'D\'s reward is pending');
    // Locked: A, B, C whole, D's holdback, E whole.
    assert.equal(big(await at.call.ordersApi.totalLocked(USDX_CUR)),
      prices.A + prices.B + prices.C + prices.D / 10n + prices.E);
  });

test('the state in flight is finalized and snapshotted; every order, dispute, escrow and ' +
  'balance is recorded', TIMEOUT, async (t) => {
  const last = await bestNumber();
  await until('the orders in flight finalized', async () => (await finalizedNumber()) >= last,
    60_000);
  snapshotHash = await api.rpc.chain.getFinalizedHead();
  const { keys, bytes } = await dumpState(api, snapshotHash, SNAPSHOT);
  const snapshot = JSON.parse(readFileSync(SNAPSHOT, 'utf8'));
  assert.equal(snapshot.specVersion, OLD_SPEC);
  assert.equal(snapshot.block, snapshotHash.toHex());
  assert.equal(snapshot.pairs.length, keys);
  t.diagnostic(`snapshot of block ${snapshot.number}: ${keys} keys, ${bytes} bytes, ` +
    `in ${SNAPSHOT}`);

  const at = await atBlock(snapshotHash);
  const byId = (entries) => new Map(entries.map(([key, value]) =>
    [key.args[0].toNumber(), value.unwrap().toJSON()]));
  recorded = {
    orders: byId(await at.query.orders.orders.entries()),
    disputes: byId(await at.query.disputes.disputes.entries()),
    escrows: byId(await at.query.escrow.escrows.entries()),
    totalLocked: big(await at.call.ordersApi.totalLocked(USDX_CUR)),
    pending: (await at.call.loyaltyApi.pendingReward(ids.D)).unwrap().toJSON(),
    deposits: await depositsHeld(snapshotHash),
    holdings: await holdings(snapshotHash),
  };
  assert.deepEqual([...recorded.orders.keys()].sort((a, b) => a - b),
    Object.values(ids).sort((a, b) => a - b), 'the five orders are open');
  assert.deepEqual([...recorded.disputes.keys()], [disputeId]);
  assert.equal(recorded.escrows.size, 5);
});

test('a root-track referendum authorizes the new runtime; a stranger applies it; the next ' +
  'block migrates orders, disputes and loyalty under spec 102', TIMEOUT, async (t) => {
  const started = Date.now();
  const code = readFileSync(newRuntimeWasm());
  assert.ok(code.equals(nodeRuntimeCode()), `${newRuntimeWasm()} is not the runtime of the ` +
    'node binary (a build of another commit since?): rebuild with ./scripts/build.sh ' +
    '--features fast-runtime');
  const codeHash = blake2AsHex(code, 256);
  const room = api.consts.system.blockLength.max.operational.toNumber();
  assert.ok(code.length < room - 10_000, `the new runtime (${code.length} bytes) must fit an ` +
    `operational extrinsic (${room} bytes a block)`);

  // The preimage of `system.authorizeUpgrade(hash)` and a referendum on it, on the root track.
  const call = api.tx.system.authorizeUpgrade(codeHash);
  const len = call.method.encodedLength;
  const hash = blake2AsHex(call.method.toU8a(), 256);
  const submitted = await submit(api.tx.utility.batchAll([
    api.tx.preimage.notePreimage(call.method.toHex()),
    api.tx.referenda.submit({ system: 'Root' }, { Lookup: { hash, len } }, { After: 1 }),
  ]), alice);
  assert.equal(theEvent(submitted.events, 'preimage.Noted').data[0].toHex(), hash);
  const { index, track } = theEvent(submitted.events, 'referenda.Submitted').data;
  assert.equal(track.toNumber(), 0, 'the root track');

  // The decision deposit and the votes, in one block; no key can authorize it alone.
  const ballot = { Standard: { vote: { aye: true, conviction: 'None' }, balance: VOTE } };
  await Promise.all([
    submit(api.tx.referenda.placeDecisionDeposit(index), alice),
    ...voters.map((voter) => submit(api.tx.convictionVoting.vote(index, ballot), voter)),
    assert.rejects(submit(api.tx.system.authorizeUpgrade(codeHash), eve), /BadOrigin/,
      'a signed authorizeUpgrade is refused'),
  ]);
  const confirmed = await waitFor('referenda.Confirmed', {
    from: submitted.number,
    match: (ev) => named('referenda.Confirmed')(ev) && ev.data.index.eq(index),
  });
  const authorized = await waitFor('system.UpgradeAuthorized', {
    from: confirmed.blockNumber,
    match: named('system.UpgradeAuthorized'),
  });
  assert.equal(authorized.event.data.codeHash.toHex(), codeHash);
  assert.ok(authorized.event.data.checkVersion.isTrue, 'the spec version must increase');
  const dispatched = eventsNamed(authorized.events, 'scheduler.Dispatched');
  assert.equal(dispatched.length, 1, 'enacted by the scheduler');
  assert.ok(dispatched[0].data.result.isOk);
  assert.ok((await api.query.referenda.referendumInfoFor(index)).unwrap().isApproved);
  t.diagnostic(`referendum ${index}: submitted in block ${submitted.number}, confirmed in ` +
    `${confirmed.blockNumber}, enacted in ${authorized.blockNumber}`);

  // Nothing moved meanwhile: D's reward is still pending, as the test needs it to be.
  assert.ok((await api.call.loyaltyApi.pendingReward(ids.D)).isSome,
    'D\'s reward vested before the upgrade: the referendum took too long');
  assert.ok(await bestNumber() < reward.vestsAt - 10, 'D\'s reward vests too soon');

  // Eve, who has no role, applies the code; an authorized upgrade costs nothing. It is sent
  // without watching it: polkadot.js swaps its metadata in place as soon as the upgrade's block
  // is the best one, and would decode that block's events (the old runtime's) with the new
  // metadata. Its block is found once polkadot.js runs on the new runtime, with each block's
  // events decoded with the metadata of the runtime that executed it (`eventsAt`).
  const from = await bestNumber();
  const apply = api.tx.system.applyAuthorizedUpgrade(`0x${code.toString('hex')}`);
  await apply.signAsync(eve);
  await api.rpc.author.submitExtrinsic(apply);
  await until('a block under the new runtime, and polkadot.js on its metadata', async () =>
    api.runtimeVersion.specVersion.toNumber() !== OLD_SPEC);
  reader = await connect(node);
  const { blockNumber, blockHash } = await waitFor('system.CodeUpdated',
    { from, match: named('system.CodeUpdated') });
  const applied = { number: blockNumber, blockHash };
  const events = await eventsAt(blockHash);
  const block = await api.rpc.chain.getBlock(blockHash);
  assert.ok(block.block.extrinsics.some((x) => x.hash.eq(apply.hash)),
    'Eve\'s applyAuthorizedUpgrade is in the block');
  const rejected = eventsNamed(events, 'system.RejectedInvalidAuthorizedUpgrade');
  assert.equal(rejected.length, 0, `the upgrade was rejected: ${
    JSON.stringify(rejected[0]?.data.toHuman())} (bump spec_version?)`);
  theEvent(events, 'system.CodeUpdated');
  const paidByEve = eventsNamed(events, 'transactionPayment.TransactionFeePaid')
    .filter((e) => e.data.who.eq(eve.address));
  assert.equal(paidByEve.reduce((a, e) => a + big(e.data.actualFee), 0n), 0n,
    'no fee for the upgrade');
  upgraded = { number: applied.number, hash: applied.blockHash };

  // The block that set the code ran the old runtime, the next one the new: the migration runs
  // at its start. polkadot.js reloads the metadata when the best block's runtime changes.
  await until('the first block under the new runtime', async () =>
    (await bestNumber()) > upgraded.number);
  assert.equal(api.runtimeVersion.specVersion.toNumber(), NEW_SPEC, 'the new spec_version');
  upgraded.first = await api.rpc.chain.getBlockHash(upgraded.number + 1);
  const { parentHash } = await api.rpc.chain.getHeader(upgraded.hash);
  assert.equal((await api.rpc.state.getRuntimeVersion(parentHash)).specVersion.toNumber(),
    OLD_SPEC);
  assert.equal((await api.rpc.state.getRuntimeVersion(upgraded.hash)).specVersion.toNumber(),
    NEW_SPEC, 'the code is the new one from the block that set it');
  for (const pallet of ['Orders', 'Disputes', 'Loyalty']) {
    // No stored version reads as 0, as FRAME reads it.
    assert.equal((await palletStorageVersion(api, pallet, upgraded.hash)) ?? 0, 0,
      `${pallet}: not migrated in the block that set the code`);
    assert.equal(await palletStorageVersion(api, pallet, upgraded.first), 1,
      `${pallet}: migrated to v1 in the next block`);
  }
  // The loyalty migration: LOY sufficient, with a minimum of 0.01 LOY, its supply unchanged.
  const loyBefore = (await (await atBlock(upgraded.hash)).query.assets.asset(LOY)).unwrap();
  const loyAfter = (await (await atBlock(upgraded.first)).query.assets.asset(LOY)).unwrap();
  assert.equal(loyBefore.isSufficient.toJSON(), false, 'LOY was not sufficient');
  assert.equal(loyAfter.isSufficient.toJSON(), true, 'LOY is sufficient');
  assert.equal(big(loyAfter.minBalance), STABLE / 100n, 'LOY\'s minimum is 0.01 LOY');
  assert.equal(big(loyAfter.supply), big(loyBefore.supply), 'LOY\'s supply unchanged');
  assert.ok(loyAfter.owner.eq(loyBefore.owner) && loyAfter.admin.eq(loyBefore.admin),
    'LOY\'s roles unchanged');
  const last = (await (await atBlock(upgraded.first)).query.system.lastRuntimeUpgrade()).unwrap();
  assert.equal(last.specVersion.toNumber(), NEW_SPEC);
  assert.ok((await api.query.system.authorizedUpgrade()).isNone, 'the authorization is spent');

  // polkadot.js follows: the new call shapes and fee extension, signed for the new
  // transaction version.
  assert.ok(api.runtimeVersion.transactionVersion.toNumber() > oldTxVersion,
    'transaction_version grew with the call shapes');
  const args = api.tx.orders.placeOrder.meta.args.map((a) => a.name.toString());
  assert.equal(args.at(-1), 'reference', `placeOrder(${args.join(', ')})`);
  assert.ok(api.registry.signedExtensions.includes('ChargeAssetTxPayment'),
    `fees through ChargeAssetTxPayment: ${api.registry.signedExtensions.join(', ')}`);
  // But not its runtime APIs: polkadot.js builds `api.call` from the V15 metadata it fetches
  // when it connects, and reloads only the V14 metadata on an upgrade, so the connection loses
  // the runtime APIs it has no built-in definition of. A client reconnects after an upgrade
  // (docs/upgrades.md); the rest of the test uses a connection opened after it.
  assert.equal(api.call.ordersApi, undefined,
    'polkadot.js kept the runtime APIs across the upgrade: the reconnection may go');
  assert.ok(reader.call.ordersApi?.orderByReference, 'a new connection has the new runtime APIs');
  assert.equal(reader.runtimeVersion.specVersion.toNumber(), NEW_SPEC);
  [api, stale] = [reader, api];
  t.diagnostic(`code set in block ${upgraded.number}; governance and upgrade took ` +
    `${Math.round((Date.now() - started) / 1000)} s`);
});

test('after the upgrade every order, the dispute, the reward, the escrows and the balances are ' +
  'as recorded; each v0 order carries its legacy reference', TIMEOUT, async () => {
  const at = await atBlock(upgraded.first);
  for (const [id, was] of recorded.orders) {
    const order = (await at.query.orders.orders(id)).unwrap();
    assertContains(order.toJSON(), was, `order ${id}`);
    const reference = legacyReference(id);
    assert.equal(order.reference.toHex(), reference, `order ${id}: reference`);
    assert.ok(order.depositCurrency.isNative, `order ${id}: the v0 deposit is in ENT`);
    assert.ok(order.exchange.isNone, `order ${id}: not exchanged`);
    const indexed = await at.query.orders.orderByReference(order.merchant, reference);
    assert.equal(indexed.unwrap().toNumber(), id, `order ${id}: indexed by its reference`);
    const found = (await api.call.ordersApi.orderByReference(order.merchant, reference)).unwrap();
    assert.equal(found[0].toNumber(), id, `order ${id}: OrdersApi.order_by_reference`);
  }
  assert.equal((await at.query.orders.orderByReference.entries()).length, recorded.orders.size,
    'one reference per open order');

  const escrows = new Map((await at.query.escrow.escrows.entries())
    .map(([key, value]) => [key.args[0].toNumber(), value.unwrap().toJSON()]));
  assert.deepEqual(escrows, recorded.escrows, 'the escrows');
  assert.equal(big(await at.call.ordersApi.totalLocked(USDX_CUR)), recorded.totalLocked);

  // The dispute, opaque: still there, about the same order and money, in the same stage.
  const was = recorded.disputes.get(disputeId);
  const dispute = (await at.call.disputesApi.dispute(disputeId)).unwrap();
  assert.equal(dispute.orderId.toNumber(), ids.E);
  assert.equal(dispute.toJSON().frozen, was.frozen);
  assert.deepEqual(Object.keys(dispute.toJSON().stage), Object.keys(was.stage));
  assert.deepEqual(await depositsHeld(upgraded.first), recorded.deposits, 'deposits still held');

  assertContains((await at.call.loyaltyApi.pendingReward(ids.D)).unwrap().toJSON(),
    recorded.pending, 'the pending reward');
  const now = await holdings(upgraded.first);
  for (const name of ['bob', 'charlie', 'dave', 'ferdie', 'escrow', 'disputes']) {
    assert.deepEqual(now[name], recorded.holdings[name], `${name}'s balances`);
  }
});

test('with the new calls the migrated orders complete, the dispute settles with its deposits ' +
  'returned, and the reward vests', TIMEOUT, async () => {
  const { A, B, C, D, E } = ids;
  // Bob ships A, accepts C's refund and makes a new offer on E; Charlie confirms B.
  const [bobs, confirmedB] = await Promise.all([
    submit(api.tx.utility.batchAll([
      api.tx.orders.markShipped(A, blake2AsHex('tracking A')),
      api.tx.orders.acceptRefund(C),
      api.tx.disputes.proposeSettlement(disputeId, 30n * STABLE),
    ]), bob),
    submit(api.tx.orders.confirmReceipt(B), charlie),
  ]);
  theEvent(bobs.events, 'orders.OrderShipped', A);
  assert.equal(big(theEvent(bobs.events, 'orders.RefundPaid', C).data.amount), 5n * STABLE);
  theEvent(bobs.events, 'disputes.SettlementProposed');
  for (const [id, events] of [[B, confirmedB.events], [C, bobs.events]]) {
    const paid = theEvent(events, 'orders.MerchantPaid', id);
    assert.equal(paid.data.reference.toHex(), legacyReference(id),
      `order ${id}'s payout carries its legacy reference`);
  }

  // Charlie confirms A; Dave accepts 30 USDX back on E.
  const [confirmedA, accepted] = await Promise.all([
    submit(api.tx.orders.confirmReceipt(A), charlie),
    submit(api.tx.disputes.acceptSettlement(disputeId), dave),
  ]);
  theEvent(confirmedA.events, 'orders.MerchantPaid', A);

  // The dispute: refund to Dave, the rest to Bob less the fee, both stakes back, E archived.
  const resolved = theEvent(accepted.events, 'disputes.Resolved').data;
  assert.equal(resolved.resolution.type, 'Settlement');
  assert.equal(big(resolved.refund), 30n * STABLE);
  const returnedTo = eventsNamed(accepted.events, 'disputes.DepositReturned')
    .map((e) => e.data.who.toString()).sort();
  assert.deepEqual(returnedTo, [bob.address, dave.address].sort(), 'both deposits returned');
  theEvent(accepted.events, 'orders.OrderArchived', E);
  const closedE = theEvent(accepted.events, 'escrow.Closed', E).data;
  assert.deepEqual([big(closedE.amount), big(closedE.refunded)], [100n * STABLE, 30n * STABLE]);
  const gross = 70n * STABLE;
  const released = theEvent(accepted.events, 'escrow.Released', E).data;
  assert.deepEqual([big(released.gross), big(released.fee)], [gross, await fee(gross)],
    'the rest to Bob, less the platform fee');
  assert.equal(big(theEvent(accepted.events, 'escrow.Refunded', E).data.amount), 30n * STABLE);
  // USDX moved in that block: E's settlement and the stakes (5 USDX each) back, and whatever
  // else escrow paid out in it (A's confirmation may share the block), by its events.
  const { parentHash } = await api.rpc.chain.getHeader(accepted.blockHash);
  const [before, after] = [await holdings(parentHash), await holdings(accepted.blockHash)];
  const change = (name) => after[name].usdx + after[name].usdxHeld -
    before[name].usdx - before[name].usdxHeld;
  const inBlock = await eventsAt(accepted.blockHash); // every transaction's, not only Dave's
  const escrowOut = eventsNamed(inBlock, 'escrow.Released')
    .reduce((a, e) => a + big(e.data.gross), 0n) +
    eventsNamed(inBlock, 'escrow.Refunded').reduce((a, e) => a + big(e.data.amount), 0n);
  const toBob = eventsNamed(inBlock, 'escrow.Released')
    .filter((e) => e.data.payee.eq(bob.address)).reduce((a, e) => a + big(e.data.net), 0n);
  const stake = 5n * STABLE;
  assert.equal(change('dave'), 30n * STABLE + stake, 'Dave: the refund and his stake');
  assert.equal(change('bob'), toBob + stake, 'Bob: his payouts and his stake');
  assert.equal(change('escrow'), -escrowOut, 'the escrow account: what it paid out');
  assert.equal(change('disputes'), -2n * stake, 'the disputes account: both stakes');
  assert.deepEqual(await depositsHeld(accepted.blockHash), { native: 0n, stake: 0n },
    'no dispute deposit left held');
  assert.ok((await api.call.disputesApi.dispute(disputeId)).isNone, 'the dispute is closed');

  // A, B and C release their holdback and close 3 blocks after settlement.
  for (const [id, refunded] of [[A, 0n], [B, 0n], [C, 5n * STABLE]]) {
    const archived = await waitFor(`order ${id} archived`,
      { from: confirmedB.number, match: named('orders.OrderArchived', id) });
    assert.equal(archived.event.data.outcome.type, 'Completed', `order ${id}`);
    theEvent(archived.events, 'orders.HoldbackReleased', id);
    const closed = theEvent(archived.events, 'escrow.Closed', id).data;
    assert.equal(big(closed.amount), BigInt(recorded.orders.get(id).total), `order ${id}: amount`);
    assert.equal(big(closed.refunded), refunded, `order ${id}: refunded`);
  }

  // D's reward vests as LOY when its after-sales window closes, with the holdback's release.
  const vested = await waitFor('D\'s reward vested',
    { from: upgraded.number + 1, match: named('loyalty.RewardVested', D) });
  assert.equal(vested.blockNumber, reward.vestsAt, 'in the block it was due');
  assert.equal(big(vested.event.data.amount), reward.amount);
  theEvent(vested.events, 'orders.HoldbackReleased', D);
  theEvent(vested.events, 'orders.OrderArchived', D);
  const loy = (await holdings(vested.blockHash)).charlie.loy;
  assert.equal(loy - recorded.holdings.charlie.loy, reward.amount, 'Charlie holds the reward');
  assert.ok((await api.call.loyaltyApi.pendingReward(D)).isNone);
});

test('a new order carries its payment reference; at the end nothing is locked or held, and ENT ' +
  'moved only as fees', TIMEOUT, async () => {
  const reference = randomAsHex(32);
  const place = () => api.tx.orders.placeOrder(bob.address, USDX_CUR, item('N', 15n * STABLE), 0,
    blake2AsHex('order N'), null, 'Escrow', reference);
  const placed = await submit(place(), dave);
  const event = theEvent(placed.events, 'orders.OrderPlaced');
  const id = event.data.orderId.toNumber();
  assert.equal(event.data.reference.toHex(), reference);
  const found = (await api.call.ordersApi.orderByReference(bob.address, reference)).unwrap();
  assert.equal(found[0].toNumber(), id, 'found by its reference');
  await assert.rejects(submit(place(), dave), /orders\.DuplicateReference/,
    'a reference is used once among a merchant\'s open orders');
  const cancelled = await submit(api.tx.orders.cancelOrder(id), dave);
  theEvent(cancelled.events, 'orders.OrderArchived', id);
  assert.ok((await api.call.ordersApi.orderByReference(bob.address, reference)).isNone);
  // No open order left: both merchants leave with their deposits.
  const [leftBob, leftFerdie] = await Promise.all([
    submit(api.tx.orders.unregisterMerchant(), bob),
    submit(api.tx.orders.unregisterMerchant(), ferdie),
  ]);
  theEvent(leftBob.events, 'orders.MerchantUnregistered');
  theEvent(leftFerdie.events, 'orders.MerchantUnregistered');

  const end = leftBob.number > leftFerdie.number ? leftBob : leftFerdie;
  const at = await atBlock(end.blockHash);
  assert.equal((await at.query.orders.orders.entries()).length, 0, 'no open order');
  assert.equal((await at.query.orders.orderByReference.entries()).length, 0);
  assert.equal((await at.query.escrow.escrows.entries()).length, 0, 'no open escrow');
  assert.equal(big(await at.call.ordersApi.totalLocked(USDX_CUR)), 0n);
  const final = await holdings(end.blockHash);
  assert.equal(final.escrow.usdxHeld, 0n, 'the escrow account holds nothing');
  assert.deepEqual(await depositsHeld(end.blockHash), { native: 0n, stake: 0n });
  for (const name of ['bob', 'charlie', 'dave', 'ferdie']) {
    assert.equal(final[name].reserved, 0n,
      `${name}: every order, merchant and dispute deposit back`);
    assert.equal(final[name].usdxHeld, 0n, `${name}: no USDX held`);
  }

  // USDX was neither minted nor burnt; ENT neither, and the platform account's ENT grew by the
  // transaction fees of every block, under both runtimes.
  const atGenesis = await atBlock(genesisHash);
  assert.equal(big((await at.query.assets.asset(USDX)).unwrap().supply),
    big((await atGenesis.query.assets.asset(USDX)).unwrap().supply), 'USDX supply unchanged');
  assert.equal(big(await at.query.balances.totalIssuance()),
    big(await atGenesis.query.balances.totalIssuance()), 'ENT issuance unchanged');
  let fees = 0n;
  for (let n = 1; n <= end.number; n += 1) {
    const events = await eventsAt(await api.rpc.chain.getBlockHash(n));
    for (const ev of eventsNamed(events, 'transactionPayment.TransactionFeePaid')) {
      fees += big(ev.data.actualFee);
    }
    const failures = eventsNamed(events, 'orders.TimerFailed');
    assert.equal(failures.length, 0, `block ${n}: ${JSON.stringify(failures[0]?.data.toHuman())}`);
  }
  const platformAt = async (hash) =>
    big((await (await atBlock(hash)).query.system.account(platform)).data.free);
  assert.equal(await platformAt(end.blockHash) - await platformAt(genesisHash), fees,
    'the platform account\'s ENT grew by the fees, and by nothing else');
});
