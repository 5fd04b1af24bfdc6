// End to end: governance (issue 6), on a three-node `local` network on loopback, built with the
// `fast-runtime` feature (sessions of 60 one-second blocks, referendum periods of a few blocks).
//
// Alice and Bob validate from genesis; Charlie runs a validator node whose keys are not yet in
// the set. Alice, Bob and Charlie are the council; the `local` chain has no sudo key. With
// @polkadot/api:
//
// - a council motion (2 of 3) changes the platform fee, and the next order pays the new fee;
// - the stablecoins belong to the keyless gateways account: no key (not Alice's) can mint them
//   nor appoint a gateway; a council motion appoints one (`gateways.appointGateway`), which
//   attests its reserve and issues them with `gateways.deposit`;
// - the council cannot cancel a referendum, not even unanimously (only Root or a referendum on
//   the `cancel` track can);
// - a referendum on the `root` track passes on ENT votes and enacts (a new council member);
// - Charlie registers session keys made by his node (`author_rotateKeysWithOwner` +
//   `session.setKeys`), a council motion adds him, he authors blocks and GRANDPA needs his
//   votes; a second motion removes Bob, Bob's node is stopped, and the chain keeps finalizing
//   on Alice's and Charlie's votes.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, blake2AsHex, randomAsHex } from '@polkadot/util-crypto';
import { u8aToHex, u8aToString } from '@polkadot/util';
import { startNode, connect, nodeBinary, waitForEvent } from './lib/node.js';
import {
  submit as submitTx, theEvent, eventsNamed, palletAccount, shortestPolicy,
} from './lib/chain.js';

const UNITS = 10n ** 12n; // one ENT
const USDX = 1;
const CNYX = 2;
const USDX_CUR = { WithId: USDX };
const STABLE = 1_000_000n; // one USDX
const PERMILL = 1_000_000n;
const ROOT_TRACK = 0;
const CANCEL_TRACK = 2;
const SESSION = 60; // blocks per session with `fast-runtime` (checked against the chain below)

// The network keys of the three nodes (ed25519 secrets): fixed, so the others can find Alice.
const NODE_KEYS = {
  alice: '0000000000000000000000000000000000000000000000000000000000000001',
  bob: '0000000000000000000000000000000000000000000000000000000000000002',
  charlie: '0000000000000000000000000000000000000000000000000000000000000003',
};
const TIMEOUT = { timeout: 600_000 };

const nodes = {};
let api; // connected to Alice's node
let apiCharlie; // connected to Charlie's node
let accounts;
let slotMs; // the block time, in milliseconds

const submit = (tx, signer) => submitTx(api, tx, signer);
const big = (codec) => codec.toBigInt();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const bestNumber = async () => (await api.rpc.chain.getHeader()).number.toNumber();
const finalizedNumber = async () =>
  (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();

/** The libp2p peer id of the node network key `hex`, as the node itself derives it. */
function peerId(hex) {
  const dir = mkdtempSync(join(tmpdir(), 'entrepot-key-'));
  try {
    writeFileSync(join(dir, 'key'), hex);
    return execFileSync(nodeBinary(), ['key', 'inspect-node-key', '--file', join(dir, 'key')])
      .toString().trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Polls `check` every 2 s until it returns a truthy value; fails with `what` after `ms`. */
async function until(what, check, ms = 240_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(2000);
  }
}

/**
 * A council motion: Alice proposes `call` with the `voters`' number as threshold, each of them
 * votes aye, Alice closes it. Returns the events of the close, in which the call ran; checks
 * that the call succeeded, unless `allowFailure` (then check `council.Executed` yourself).
 */
async function councilMotion(call, voters, { allowFailure = false } = {}) {
  const { alice } = accounts;
  const length = call.method.encodedLength;
  const proposed = await submit(api.tx.council.propose(voters.length, call, length), alice);
  const { proposalIndex, proposalHash } = theEvent(proposed.events, 'council.Proposed').data;
  for (const voter of voters) {
    await submit(api.tx.council.vote(proposalHash, proposalIndex, true), accounts[voter]);
  }
  const weightBound = api.consts.council.maxProposalWeight;
  const closed = await submit(
    api.tx.council.close(proposalHash, proposalIndex, weightBound, length), alice);
  theEvent(closed.events, 'council.Approved');
  const executed = theEvent(closed.events, 'council.Executed');
  assert.ok(allowFailure || executed.data.result.isOk,
    `the motion's call failed: ${JSON.stringify(executed.data.result.toHuman())}`);
  return closed.events;
}

/** Calls JSON-RPC `method` on `node` over HTTP (for methods @polkadot/api does not know). */
async function rpc(node, method, params) {
  const res = await fetch(`http://127.0.0.1:${node.rpcPort}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const { result, error } = await res.json();
  if (error) throw new Error(`${method}: ${error.message}`);
  return result;
}

/**
 * The GRANDPA authorities (hex public keys) whose precommits are in block `n`'s stored
 * justification, or null if it has none (nodes keep the justifications of the blocks that
 * change the authority set).
 */
async function justificationSigners(n) {
  const block = await api.rpc.chain.getBlock(await api.rpc.chain.getBlockHash(n));
  if (block.justifications.isNone) return null;
  for (const [engine, data] of block.justifications.unwrap()) {
    if (u8aToString(engine.toU8a()) !== 'FRNK') continue;
    const justification = api.createType('GrandpaJustification', data);
    return justification.commit.precommits.map((p) => p.id.toHex());
  }
  return null;
}

/** The session pallet's current validators, as addresses. */
const sessionValidators = async () =>
  (await api.query.session.validators()).map((v) => v.toString());

// ---- Set-up: three nodes ---------------------------------------------------------------------

before(async () => {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  accounts = {};
  for (const n of ['alice', 'bob', 'charlie', 'dave', 'eve', 'ferdie']) {
    accounts[n] = keyring.addFromUri(`//${n[0].toUpperCase()}${n.slice(1)}`);
  }
  const start = (name, extra = []) => startNode({
    name,
    args: ['--chain', 'local', `--${name}`, '--node-key', NODE_KEYS[name], ...extra],
  });
  nodes.alice = await start('alice');
  const bootnode = `/ip4/127.0.0.1/tcp/${nodes.alice.p2pPort}/p2p/${peerId(NODE_KEYS.alice)}`;
  nodes.bob = await start('bob', ['--bootnodes', bootnode]);
  nodes.charlie = await start('charlie', ['--bootnodes', bootnode]);
  api = await connect(nodes.alice);
  apiCharlie = await connect(nodes.charlie);
  // Alice and Bob both vote in GRANDPA: finality moving shows the network is up.
  await until('the first finalized blocks', async () => (await finalizedNumber()) >= 2, 120_000);
  slotMs = (await api.call.auraApi.slotDuration()).toNumber();
}, { timeout: 300_000 });

after(async () => {
  await api?.disconnect();
  await apiCharlie?.disconnect();
  for (const node of Object.values(nodes)) await node.stop();
});

// ---- Tests ------------------------------------------------------------------------------------

test('the local chain has no sudo key: privileged calls need governance', TIMEOUT, async () => {
  assert.equal(slotMs, 1000, 'one-second blocks');
  assert.equal(api.consts.disputes.drawDelay.toNumber(), 4, 'the fast-runtime draw delay');
  assert.deepEqual((await api.call.disputesApi.arbiters()).map((a) => a.toString()).sort(),
    ['dave', 'eve', 'ferdie'].map((n) => accounts[n].address).sort(),
    'Dave, Eve and Ferdie are the arbiters from genesis');
  // Sessions start at block 0, SESSION, 2 × SESSION, …
  const head = await api.rpc.chain.getHeader();
  const index = (await (await api.at(head.hash)).query.session.currentIndex()).toNumber();
  assert.equal(index, Math.floor(head.number.toNumber() / SESSION), `sessions of ${SESSION} blocks`);
  assert.ok((await api.query.sudo.key()).isNone, 'no sudo key on the local chain');
  const members = (await api.query.council.members()).map((m) => m.toString());
  assert.deepEqual(members.sort(),
    [accounts.alice.address, accounts.bob.address, accounts.charlie.address].sort());
  await assert.rejects(submit(api.tx.escrow.setPlatformFee(50_000), accounts.alice),
    /BadOrigin/, 'a council member alone cannot change the fee');
});

test('a council motion changes the platform fee; the next order pays the new fee', TIMEOUT,
  async () => {
    const { alice, dave, eve } = accounts;
    const oldFee = (await api.query.escrow.platformFee()).toNumber();
    const newFee = 25_000; // 2.5%
    assert.notEqual(oldFee, newFee);

    // Two ayes of three members: two thirds.
    const events = await councilMotion(api.tx.escrow.setPlatformFee(newFee), ['alice', 'bob']);
    assert.equal(theEvent(events, 'escrow.PlatformFeeSet').data.fee.toNumber(), newFee);
    assert.equal((await api.query.escrow.platformFee()).toNumber(), newFee);
    // One aye is not enough: a motion with threshold 1 is executed at once, as its proposer's
    // origin is then "1 of 3", which the fee's origin (two thirds of the council) refuses.
    const alone = await submit(api.tx.council.propose(1, api.tx.escrow.setPlatformFee(0), 100),
      alice);
    assert.ok(theEvent(alone.events, 'council.Executed').data.result.isErr,
      'one council member cannot change the fee');
    assert.equal((await api.query.escrow.platformFee()).toNumber(), newFee);

    // Dave sells (with the shortest windows governance allows), Eve buys 100 USDX: the payout
    // at confirmation pays the new fee.
    await submit(api.tx.orders.registerMerchant(await shortestPolicy(api, [USDX_CUR])), dave);
    const price = 100n * STABLE;
    const items = [{ product: blake2AsHex('governed fee'), quantity: 1, unitPrice: price }];
    const placed = await submit(api.tx.orders.placeOrder(dave.address, USDX_CUR, items, 0,
      blake2AsHex('order under the new fee'), null, 'Escrow', randomAsHex(32)), eve);
    const id = theEvent(placed.events, 'orders.OrderPlaced').data.orderId.toNumber();
    await submit(api.tx.orders.markShipped(id, blake2AsHex('tracking')), dave);
    const confirmed = await submit(api.tx.orders.confirmReceipt(id), eve);
    const released = theEvent(confirmed.events, 'escrow.Released', id);
    const fee = (price * BigInt(newFee)) / PERMILL;
    assert.equal(big(released.data.gross), price);
    assert.equal(big(released.data.fee), fee, 'the fee is 2.5% of the payout');
    assert.equal(fee, 2_500_000n);
    assert.equal(big(released.data.net), price - fee);
  });

test('the stablecoins belong to the keyless gateways account: Alice cannot mint, a council ' +
  'motion appoints a gateway, which issues against its attested reserve', TIMEOUT, async () => {
  const { alice, bob, eve, ferdie } = accounts;
  const gateways = palletAccount(api, 'ent/gate');
  for (const asset of [USDX, CNYX]) {
    const details = (await api.query.assets.asset(asset)).unwrap();
    for (const role of ['owner', 'issuer', 'admin', 'freezer']) {
      assert.equal(details[role].toString(), gateways, `${role} of asset ${asset}`);
    }
  }
  const usdxOf = async (who) => {
    const account = await api.query.assets.account(USDX, who);
    return account.isSome ? big(account.unwrap().balance) : 0n;
  };
  const supply = async () => big((await api.query.assets.asset(USDX)).unwrap().supply);
  const [supplyBefore, aliceBefore] = [await supply(), await usdxOf(alice.address)];
  const limits = { perDeposit: 10_000n * STABLE, perDay: 100_000n * STABLE,
    outstanding: 1_000_000n * STABLE };
  // Refused, three signers at once (one block): no role to mint with, no gateway to deposit
  // as, and appointing a gateway takes governance, not one council member.
  await Promise.all([
    assert.rejects(submit(api.tx.assets.mint(USDX, alice.address, STABLE), alice),
      /^Error: assets\.NoPermission$/, 'Alice holds no role of USDX'),
    assert.rejects(submit(api.tx.gateways.deposit(eve.address, STABLE,
      blake2AsHex('no gateway')), eve), /^Error: gateways\.NotAGateway$/,
      'Eve is no gateway: she cannot issue'),
    assert.rejects(submit(api.tx.gateways.appointGateway(eve.address, USDX, limits), bob),
      /BadOrigin/, 'appointing a gateway is governance\'s, not a council member\'s alone'),
  ]);
  assert.equal(await supply(), supplyBefore, 'nothing was minted');
  assert.equal(await usdxOf(alice.address), aliceBefore);
  assert.ok((await api.query.gateways.gateways(eve.address)).isNone, 'nobody appointed Eve');

  // Two thirds of the council appoint Eve gateway of USDX.
  const appointed = await councilMotion(
    api.tx.gateways.appointGateway(eve.address, USDX, limits), ['alice', 'bob']);
  const appointment = theEvent(appointed, 'gateways.GatewayAppointed').data;
  assert.ok(appointment.gateway.eq(eve.address));
  assert.equal(appointment.asset.toNumber(), USDX);
  assert.equal(big(appointment.limits.perDeposit), limits.perDeposit);

  // A new gateway has no attestation: Eve attests a reserve covering the deposit, then issues
  // 1 234.56 USDX to Ferdie against the bank record of the transfer.
  const amount = 1_234_560_000n;
  const reference = blake2AsHex('bank transfer 42');
  const attested = await submit(
    api.tx.gateways.attestReserves(amount, blake2AsHex('reserve report 42')), eve);
  assert.equal(big(theEvent(attested.events, 'gateways.ReservesAttested').data.amount), amount);
  const ferdieBefore = await usdxOf(ferdie.address);
  const { events } = await submit(api.tx.gateways.deposit(ferdie.address, amount, reference),
    eve);
  const deposited = theEvent(events, 'gateways.Deposited').data;
  assert.ok(deposited.gateway.eq(eve.address));
  assert.equal(deposited.asset.toNumber(), USDX);
  assert.ok(deposited.beneficiary.eq(ferdie.address));
  assert.equal(big(deposited.amount), amount);
  assert.equal(deposited.reference.toHex(), reference);
  assert.equal(await usdxOf(ferdie.address) - ferdieBefore, amount, 'Ferdie received it');
  assert.equal(await supply() - supplyBefore, amount, 'the supply grew by exactly that');
  const info = (await api.query.gateways.gateways(eve.address)).unwrap();
  assert.equal(big(info.outstanding), amount, 'Eve answers for exactly what she issued');
});

test('the council cannot cancel a referendum, not even unanimously: a cancel track exists for ' +
  'it, and the root track keeps a 10% support floor', TIMEOUT, async () => {
  const { alice } = accounts;
  const tracks = new Map(api.consts.referenda.tracks.map(([id, info]) => [id.toNumber(), info]));
  assert.equal(tracks.get(CANCEL_TRACK).name.toString().replace(/\0+$/u, ''), 'cancel');
  const rootSupport = tracks.get(ROOT_TRACK).minSupport.asLinearDecreasing;
  assert.equal(rootSupport.ceil.toNumber(), 500_000_000, 'root support starts at 50%');
  assert.equal(rootSupport.floor.toNumber(), 100_000_000, 'and never falls below 10%');

  // A referendum on the root track (no decision deposit: it waits, ongoing).
  const remark = api.tx.system.remarkWithEvent('a referendum the council dislikes');
  const submitted = await submit(api.tx.referenda.submit(
    { system: 'Root' }, { Inline: remark.method.toHex() }, { After: 1 }), alice);
  const { index, track } = theEvent(submitted.events, 'referenda.Submitted').data;
  assert.equal(track.toNumber(), ROOT_TRACK);
  assert.ok((await api.query.referenda.referendumInfoFor(index)).unwrap().isOngoing);

  const events = await councilMotion(api.tx.referenda.cancel(index),
    ['alice', 'bob', 'charlie'], { allowFailure: true });
  const { result } = theEvent(events, 'council.Executed').data;
  assert.ok(result.isErr && result.asErr.isBadOrigin,
    `the council's cancel is refused: ${JSON.stringify(result.toHuman())}`);
  assert.equal(eventsNamed(events, 'referenda.Cancelled').length, 0);
  assert.ok((await api.query.referenda.referendumInfoFor(index)).unwrap().isOngoing,
    'the referendum goes on');
});

test('a referendum on the root track passes on ENT votes and enacts', TIMEOUT, async () => {
  const { alice, ferdie } = accounts;
  // Root only: adding a council member.
  const call = api.tx.councilMembership.addMember(ferdie.address);
  const noted = await submit(api.tx.preimage.notePreimage(call.method.toHex()), alice);
  // (The event's field is `hash_`; `data.hash` would be the hash of the event data itself.)
  const hash = theEvent(noted.events, 'preimage.Noted').data[0];
  const len = call.method.encodedLength;
  const stored = (await api.query.preimage.requestStatusFor(hash)).unwrap();
  assert.equal(stored.asUnrequested.len.toNumber(), len, 'the preimage is stored');
  const submitted = await submit(api.tx.referenda.submit(
    { system: 'Root' },
    { Lookup: { hash, len } },
    { After: 1 },
  ), alice);
  const { index, track } = theEvent(submitted.events, 'referenda.Submitted').data;
  assert.equal(track.toNumber(), ROOT_TRACK);
  await submit(api.tx.referenda.placeDecisionDeposit(index), alice);

  // Six holders vote aye with 900 000 ENT each (no conviction), all at once: about 38% of the
  // active issuance, enough once the root track's support curve (50% falling to 10%) has come
  // down.
  await Promise.all(['alice', 'bob', 'charlie', 'dave', 'eve', 'ferdie'].map((name) =>
    submit(api.tx.convictionVoting.vote(index, {
      Standard: { vote: { aye: true, conviction: 'None' }, balance: 900_000n * UNITS },
    }), accounts[name])));
  const from = submitted.number;
  const confirmed = await waitForEvent(api, {
    from,
    match: (ev) => ev.section === 'referenda' && ev.method === 'Confirmed' &&
      ev.data.index.eq(index),
    timeoutMs: 300_000,
  });
  const enacted = await waitForEvent(api, {
    from: confirmed.blockNumber,
    match: (ev) => ev.section === 'councilMembership' && ev.method === 'MemberAdded',
    timeoutMs: 120_000,
  });
  const dispatched = eventsNamed(enacted.events, 'scheduler.Dispatched');
  assert.equal(dispatched.length, 1, 'the enactment is a scheduled dispatch');
  assert.ok(dispatched[0].data.result.isOk);
  const members = (await api.query.council.members()).map((m) => m.toString());
  assert.ok(members.includes(ferdie.address), 'Ferdie sits on the council');
  const info = await api.query.referenda.referendumInfoFor(index);
  assert.ok(info.unwrap().isApproved, 'the referendum is approved');
});

test('governance adds Charlie as a validator, then removes Bob; finality continues',
  TIMEOUT, async () => {
    const started = Date.now();
    const { alice, bob, charlie } = accounts;

    // Charlie's node makes his session keys, with the proof that he holds them.
    const generated = await rpc(nodes.charlie, 'author_rotateKeysWithOwner',
      [u8aToHex(charlie.publicKey)]);
    assert.ok(generated.proof, 'the node returns an ownership proof');
    await submit(api.tx.session.setKeys(generated.keys, generated.proof), charlie);
    const keys = (await api.query.session.nextKeys(charlie.address)).unwrap();
    assert.equal(keys.toHex(), generated.keys, 'the registered keys are the node\'s');
    const auraKey = keys.aura.toHex();
    const grandpaKey = keys.grandpa.toHex();
    assert.ok((await apiCharlie.rpc.author.hasSessionKeys(generated.keys)).isTrue);

    // A council motion adds him: he is queued at the next session and in the set from the next
    // session but one. The council has four members since the referendum: two thirds takes
    // three ayes.
    const council = ['alice', 'bob', 'charlie'];
    assert.equal((await api.query.council.members()).length, 4);
    const added = await councilMotion(api.tx.validators.addValidator(charlie.address), council);
    theEvent(added, 'validators.ValidatorAdded');
    await until('Charlie in the queued validators', async () =>
      (await api.query.session.queuedKeys()).some(([who]) => who.eq(charlie.address)),
    3 * SESSION * slotMs);
    // A second motion removes Bob at once: the session that makes Charlie a validator queues
    // the set without Bob, so {Alice, Bob, Charlie} validate for one whole session.
    const removed = await councilMotion(api.tx.validators.removeValidator(bob.address), council);
    theEvent(removed, 'validators.ValidatorRemoved');
    await until('Charlie in the session validators',
      async () => (await sessionValidators()).includes(charlie.address), 6 * SESSION * slotMs);
    const auraAuthorities = (await api.query.aura.authorities()).map((a) => a.toHex());
    assert.ok(auraAuthorities.includes(auraKey), 'Charlie\'s Aura key authors');
    const grandpaAuthorities = (await api.query.grandpa.authorities()).map(([id]) => id.toHex());
    assert.ok(grandpaAuthorities.includes(grandpaKey), 'Charlie\'s GRANDPA key votes');
    assert.equal(grandpaAuthorities.length, 3);

    // Charlie authors a block (the author is the Aura slot's authority).
    const authored = await until('a block authored by Charlie', async () => {
      const header = await api.derive.chain.getHeader(await api.rpc.chain.getBlockHash());
      return header.author?.toString() === charlie.address ? header.number.toNumber() : 0;
    }, 3 * SESSION * slotMs);
    // With three GRANDPA authorities every one must vote (threshold 3 of 3): blocks after
    // Charlie joined finalize only with his votes.
    await until('a finalized block authored by Charlie',
      async () => (await finalizedNumber()) >= authored, 120_000);

    // When the set without Bob is active and final, his node stops.
    await until('Bob out of the session validators',
      async () => !(await sessionValidators()).includes(bob.address), 6 * SESSION * slotMs);
    const changedAt = await bestNumber();
    assert.deepEqual((await sessionValidators()).sort(), [alice.address, charlie.address].sort());
    assert.equal((await api.query.grandpa.authorities()).length, 2);
    await until('the set without Bob finalized',
      async () => (await finalizedNumber()) >= changedAt, 120_000);

    // The block that handed finality from {Alice, Bob, Charlie} to {Alice, Charlie} keeps its
    // GRANDPA justification: the precommits of all three, Charlie's among them.
    const signers = [];
    for (let n = authored; n <= changedAt; n += 1) {
      const found = await justificationSigners(n);
      if (found) signers.push(found);
    }
    assert.ok(signers.some((ids) => ids.length === 3 && ids.includes(grandpaKey)),
      `a justification signed by three authorities, Charlie among them: ${JSON.stringify(signers)}`);
    await nodes.bob.stop();

    // Alice and Charlie (2 of 2) keep finalizing; both author.
    const stoppedAt = await finalizedNumber();
    await until('10 more finalized blocks without Bob',
      async () => (await finalizedNumber()) >= stoppedAt + 10, 180_000);
    const authors = new Set();
    for (let n = stoppedAt + 1; n <= stoppedAt + 10; n += 1) {
      const header = await api.derive.chain.getHeader(await api.rpc.chain.getBlockHash(n));
      authors.add(header.author.toString());
    }
    assert.deepEqual([...authors].sort(), [alice.address, charlie.address].sort(),
      'the blocks after Bob left are authored by Alice and Charlie');
    console.log(`validator change: ${Math.round((Date.now() - started) / 1000)} s`);
  });
