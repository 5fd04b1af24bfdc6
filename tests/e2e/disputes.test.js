// End to end: the dispute ladder (issue 4). Starts `entrepot-node --dev` and walks each kind of
// dispute through to payout with @polkadot/api: an agreement dispute settled by negotiation, one
// decided by an arbiter, one appealed and decided by the privileged origin (sudo in the dev
// chain), an after-sales claim against the holdback, a platform dispute compensated from the
// platform's fee account, and an arbiter who misses the ruling deadline and is replaced.
//
// Money is checked to the unit in USDX, which only the dispute moves in the block that resolves
// it: the customer gets the refund, the merchant the rest minus the 1% platform fee (rounded
// down), the platform account the fee. Deposits (ENT) are checked through the pallet's events and
// the holds left on the accounts.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { blake2AsHex } from '@polkadot/util-crypto';
import { waitForEvent } from './lib/node.js';
import {
  devChain, inBlock, theEvent, submit as submitTx, SHORT_POLICY_BOUNDS,
} from './lib/chain.js';

const UNITS = 10n ** 12n;
const USDX = 1;
const USDX_CUR = { WithId: USDX };
const PERMILL = 1_000_000n;
const PRICE = 100_000_000n; // 100 USDX
const HOLDBACK = 100_000; // Permill: 10%

// Short windows, in blocks of 6 s.
const KIND = {
  responseWithin: 10,
  negotiationWithin: 12,
  rulingWithin: 5,
  appealWithin: 4,
  decideWithin: 10,
  deposit: 1n * UNITS,
  appealDeposit: 3n * UNITS,
};
const PARAMS = { agreement: KIND, afterSales: KIND, platform: KIND, arbiterFee: UNITS / 2n };
const POLICY = {
  currencies: ['Native', USDX_CUR],
  shipWithin: 50,
  autoConfirmAfter: 60,
  refundResponseWithin: 10,
  returnWindow: 10,
  afterSalesWindow: 80,
  holdback: HOLDBACK,
  loyaltyShare: 0,
};
const BOUNDS = SHORT_POLICY_BOUNDS;
const TIMEOUT = { timeout: 300_000 };

let chain;
let api;
let platform;
let alice; // sudo
let bob; // the merchant
let charlie; // a customer
let dave; // another customer
let eve; // an arbiter
let ferdie; // an arbiter
let platformFee;

const big = (codec) => codec.toBigInt();
const fee = (gross) => (gross * BigInt(platformFee)) / PERMILL;

const submit = (tx, signer) => submitTx(api, tx, signer);

const sudo = (call) => submit(api.tx.sudo.sudo(call), alice);

async function usdx(address, hash) {
  const account = await (await api.at(hash)).query.assets.account(USDX, address);
  return account.isSome ? big(account.unwrap().balance) : 0n;
}

/** The USDX of customer, merchant and platform before and after the block `hash`. */
async function usdxChange(hash, customer) {
  const { parentHash } = await api.rpc.chain.getHeader(hash);
  const out = {};
  for (const [name, address] of [['customer', customer.address], ['merchant', bob.address],
    ['platform', platform]]) {
    out[name] = (await usdx(address, hash)) - (await usdx(address, parentHash));
  }
  return out;
}

/** ENT held for dispute deposits by `address`. */
async function disputeHold(address) {
  const holds = await api.query.balances.holds(address);
  return holds.filter((h) => h.id.isDisputes).reduce((a, h) => a + big(h.amount), 0n);
}

/** `customer` places a 100 USDX escrow order with Bob, Bob ships it. Returns the order id. */
async function shippedOrder(customer, note) {
  const items = [{ product: blake2AsHex(note), quantity: 1, unitPrice: PRICE }];
  const placed = await submit(api.tx.orders.placeOrder(bob.address, USDX_CUR, items, 0,
    blake2AsHex(`order ${note}`), null, 'Escrow'), customer);
  const id = theEvent(placed.events, 'orders.OrderPlaced').data.orderId.toNumber();
  await submit(api.tx.orders.markShipped(id, blake2AsHex(`tracking ${note}`)), bob);
  return id;
}

/** `who` opens a dispute; checks the event; returns the dispute id and the frozen amount. */
async function open(who, orderId, kind, reason) {
  const result = await submit(api.tx.disputes.openDispute(orderId, kind, reason,
    blake2AsHex(`evidence of ${who.address} on ${orderId}`)), who);
  const opened = theEvent(result.events, 'disputes.DisputeOpened');
  assert.equal(opened.data.orderId.toNumber(), orderId);
  assert.equal(opened.data.kind.type, kind);
  assert.equal(big(opened.data.deposit), KIND.deposit, 'the opener deposit is held');
  if (kind !== 'Platform') theEvent(result.events, 'orders.OrderFrozen', orderId);
  return { id: opened.data.disputeId.toNumber(), frozen: big(opened.data.frozen), ...result };
}

/** Waits for the dispute's `Resolved` event from block `from` on. */
function resolved(disputeId, from, timeoutMs = 180_000) {
  return waitForEvent(api, {
    from,
    match: (ev) => ev.section === 'disputes' && ev.method === 'Resolved' &&
      ev.data.disputeId.toNumber() === disputeId,
    timeoutMs,
  });
}

/** Waits for the arbiter assigned to the dispute from block `from` on. */
async function assigned(disputeId, from) {
  const found = await waitForEvent(api, {
    from,
    match: (ev) => ev.section === 'disputes' && ev.method === 'ArbiterAssigned' &&
      ev.data.disputeId.toNumber() === disputeId,
    timeoutMs: 120_000,
  });
  const address = found.event.data.arbiter.toString();
  const arbiter = [eve, ferdie].find((a) => a.address === address);
  assert.ok(arbiter, `the arbiter ${address} is one of the appointed ones`);
  return { arbiter, ...found };
}

/**
 * Checks the money of a resolution in block `hash`: `refund` back to the customer, the rest of
 * `frozen` to the merchant minus the fee, the fee to the platform account; the order is archived
 * and no dispute deposit is left held.
 */
async function assertPaidOut(found, { customer, orderId, frozen, refund, resolution }) {
  const ev = found.event.data;
  assert.equal(ev.resolution.type, resolution, 'resolution');
  assert.equal(big(ev.frozen), frozen, 'Resolved: frozen');
  assert.equal(big(ev.refund), refund, 'Resolved: refund');
  assert.equal(big(ev.merchantGross), frozen - refund, 'refund + merchant gross == frozen');
  const gross = frozen - refund;
  const change = await usdxChange(found.blockHash, customer);
  assert.deepEqual(change, { customer: refund, merchant: gross - fee(gross), platform: fee(gross) },
    'USDX paid out in the resolving block');
  theEvent(found.events, 'orders.OrderArchived', orderId);
  assert.ok((await api.call.ordersApi.order(orderId)).isNone, 'the order is archived');
  assert.equal(await disputeHold(customer.address), 0n, 'customer: no deposit left held');
  assert.equal(await disputeHold(bob.address), 0n, 'merchant: no deposit left held');
}

// ---- Set-up -----------------------------------------------------------------------------------

before(async () => {
  chain = await devChain({ pallets: ['orders', 'escrow', 'disputes'] });
  ({ api, platform } = chain);
  ({ alice, bob, charlie, dave, eve, ferdie } = chain.accounts);
  platformFee = (await api.query.escrow.platformFee()).toNumber();
  await sudo(api.tx.orders.setPolicyBounds(BOUNDS));
  await sudo(api.tx.disputes.setParams(PARAMS));
  await submit(api.tx.orders.registerMerchant(POLICY), bob);
  // Every dev account holds ENT and USDX at genesis.
  for (const arbiter of [eve, ferdie]) {
    await sudo(api.tx.disputes.addArbiter(arbiter.address));
  }
}, { timeout: 240_000 });

after(async () => {
  await chain?.stop();
});

// ---- Tests ------------------------------------------------------------------------------------

test('governance sets the dispute parameters and appoints two arbiters', TIMEOUT, async () => {
  const params = await api.call.disputesApi.params();
  assert.equal(params.agreement.rulingWithin.toNumber(), KIND.rulingWithin);
  assert.equal(big(params.arbiterFee), UNITS / 2n);
  const arbiters = (await api.call.disputesApi.arbiters()).map((a) => a.toString()).sort();
  assert.deepEqual(arbiters, [eve.address, ferdie.address].sort());
  // Only the admin origin appoints arbiters.
  await assert.rejects(submit(api.tx.disputes.addArbiter(dave.address), dave),
    /badOrigin/i);
});

test('an agreement dispute settled by negotiation splits the escrow as agreed', TIMEOUT,
  async () => {
    const orderId = await shippedOrder(charlie, 'negotiated');
    const { id, frozen } = await open(charlie, orderId, 'Agreement', 'Damaged');
    assert.equal(frozen, PRICE, 'the whole escrow is frozen');
    const dispute = await api.call.disputesApi.disputeOfOrder(orderId);
    assert.equal(dispute.unwrap()[0].toNumber(), id);
    // The frozen order refuses the parties' usual calls.
    await assert.rejects(submit(api.tx.orders.confirmReceipt(orderId), charlie),
      /orders\.OrderDisputed/);
    // Bob engages (his deposit is held) and offers 30 USDX back; Charlie accepts.
    const proposal = await submit(api.tx.disputes.proposeSettlement(id, 30_000_000n), bob);
    theEvent(proposal.events, 'disputes.RespondentEngaged');
    assert.equal(await disputeHold(bob.address), KIND.deposit);
    const accepted = await submit(api.tx.disputes.acceptSettlement(id), charlie);
    const found = inBlock(accepted, 'disputes.Resolved');
    await assertPaidOut(found, { customer: charlie, orderId, frozen, refund: 30_000_000n,
      resolution: 'Settlement' });
    assert.ok((await api.call.disputesApi.dispute(id)).isNone, 'the dispute is closed');
  });

test('an arbitrated agreement dispute: the drawn arbiter rules, the ruling is executed when ' +
  'the appeal window closes, the loser pays the arbiter', TIMEOUT, async () => {
  const orderId = await shippedOrder(dave, 'arbitrated');
  const { id, frozen, number } = await open(dave, orderId, 'Agreement', 'NotAsDescribed');
  const escalated = await submit(api.tx.disputes.escalate(id), bob);
  theEvent(escalated.events, 'disputes.Escalated');
  const { arbiter, blockNumber: at } = await assigned(id, number);
  assert.ok(at > escalated.number, 'the arbiter is drawn after the escalating block');
  const cases = await api.call.disputesApi.arbiterCases(arbiter.address);
  assert.ok(cases.some(([d]) => d.toNumber() === id), 'the case is on the arbiter\'s list');
  // The arbiter gives the customer 80 USDX back: the customer is favoured.
  const ruled = await submit(api.tx.disputes.rule(id, 80_000_000n), arbiter);
  const ruling = theEvent(ruled.events, 'disputes.Ruled');
  const arbiterBefore = big((await api.query.system.account(arbiter.address)).data.free);
  const found = await resolved(id, ruled.number);
  assert.equal(found.blockNumber, ruling.data.appealBy.toNumber(),
    'executed in the block the appeal window closes');
  await assertPaidOut(found, { customer: dave, orderId, frozen, refund: 80_000_000n,
    resolution: 'Ruling' });
  const forfeited = theEvent(found.events, 'disputes.DepositForfeited');
  assert.ok(forfeited.data.who.eq(bob.address), 'the merchant lost: his deposit is forfeited');
  assert.equal(big(forfeited.data.toArbiter), UNITS / 2n, 'the arbiter fee');
  assert.equal(big(forfeited.data.toPlatform), KIND.deposit - UNITS / 2n);
  const arbiterAfter = big((await (await api.at(found.blockHash)).query.system
    .account(arbiter.address)).data.free);
  assert.equal(arbiterAfter - arbiterBefore, UNITS / 2n, 'the arbiter is paid its fee');
});

test('an appealed ruling is decided by the privileged origin', TIMEOUT, async () => {
  const orderId = await shippedOrder(charlie, 'appealed');
  const { id, frozen, number } = await open(charlie, orderId, 'Agreement', 'NotReceived');
  await submit(api.tx.disputes.escalate(id), charlie);
  const { arbiter } = await assigned(id, number);
  // The arbiter sides with the merchant (10 USDX back); Charlie appeals with a larger deposit.
  await submit(api.tx.disputes.rule(id, 10_000_000n), arbiter);
  await assert.rejects(submit(api.tx.disputes.appeal(id), bob), /disputes\.\w+/,
    'the favoured side cannot appeal');
  const appealed = await submit(api.tx.disputes.appeal(id), charlie);
  const appeal = theEvent(appealed.events, 'disputes.Appealed');
  assert.equal(big(appeal.data.deposit), KIND.appealDeposit);
  assert.equal(await disputeHold(charlie.address), KIND.deposit + KIND.appealDeposit);
  // Governance gives the customer 70 USDX back: final.
  const decided = await sudo(api.tx.disputes.decide(id, 70_000_000n));
  const found = inBlock(decided, 'disputes.Resolved');
  await assertPaidOut(found, { customer: charlie, orderId, frozen, refund: 70_000_000n,
    resolution: 'Appeal' });
});

test('an after-sales claim is paid out of the holdback, and only up to it', TIMEOUT, async () => {
  const orderId = await shippedOrder(dave, 'after-sales');
  const confirmed = await submit(api.tx.orders.confirmReceipt(orderId), dave);
  const paid = theEvent(confirmed.events, 'orders.MerchantPaid', orderId);
  const holdback = big(paid.data.holdback);
  assert.equal(holdback, PRICE / 10n, 'a 10% holdback stays locked');
  const { id, frozen } = await open(dave, orderId, 'AfterSales', 'Defective');
  assert.equal(frozen, holdback, 'only the holdback is frozen');
  await assert.rejects(submit(api.tx.disputes.proposeSettlement(id, holdback + 1n), bob),
    /disputes\.\w+/, 'no proposal above the holdback');
  await submit(api.tx.disputes.proposeSettlement(id, 6_000_000n), bob);
  const accepted = await submit(api.tx.disputes.acceptSettlement(id), dave);
  const found = inBlock(accepted, 'disputes.Resolved');
  await assertPaidOut(found, { customer: dave, orderId, frozen, refund: 6_000_000n,
    resolution: 'Settlement' });
});

test('a platform dispute is decided by the privileged origin, which compensates from the fee ' +
  'account', TIMEOUT, async () => {
  const orderId = await shippedOrder(charlie, 'platform');
  const { id } = await open(charlie, orderId, 'Platform', 'WrongFee');
  const stage = (await api.call.disputesApi.dispute(id)).unwrap().stage;
  assert.ok(stage.isAwaitingGovernance, 'a platform dispute goes to governance at once');
  const order = (await api.call.ordersApi.order(orderId)).unwrap();
  assert.ok(order.status.isShipped, 'a platform dispute freezes nothing');
  const compensation = 500_000n; // 0.5 USDX, out of the fees of the earlier disputes
  const decided = await sudo(api.tx.disputes.decide(id, compensation));
  const done = theEvent(decided.events, 'disputes.Resolved');
  assert.equal(done.data.resolution.type, 'Compensation');
  assert.equal(big(done.data.compensation), compensation);
  const compensated = theEvent(decided.events, 'escrow.Compensated', orderId);
  assert.ok(compensated.data.who.eq(charlie.address));
  const change = await usdxChange(decided.blockHash, charlie);
  assert.deepEqual(change, { customer: compensation, merchant: 0n, platform: -compensation });
  assert.equal(await disputeHold(charlie.address), 0n, 'the deposit is returned');
  // The order itself goes on as before.
  await submit(api.tx.orders.confirmReceipt(orderId), charlie);
});

test('an arbiter who misses the ruling deadline is recorded and replaced; the dispute does ' +
  'not wait', TIMEOUT, async () => {
  const orderId = await shippedOrder(dave, 'missed');
  const { id, frozen, number } = await open(dave, orderId, 'Agreement', 'WrongQuantity');
  await submit(api.tx.disputes.escalate(id), dave);
  const first = await assigned(id, number);
  const missed = await waitForEvent(api, {
    from: first.blockNumber,
    match: (ev) => ev.section === 'disputes' && ev.method === 'ArbiterMissedDeadline' &&
      ev.data.disputeId.toNumber() === id,
    timeoutMs: 120_000,
  });
  assert.equal(missed.blockNumber, first.event.data.ruleBy.toNumber(),
    'the miss is recorded when rule_by passes');
  assert.ok(missed.event.data.arbiter.eq(first.arbiter.address));
  assert.equal(missed.event.data.misses.toNumber(), 1);
  const second = await assigned(id, missed.blockNumber);
  assert.notEqual(second.arbiter.address, first.arbiter.address, 'another arbiter is drawn');
  await assert.rejects(submit(api.tx.disputes.rule(id, 0n), first.arbiter), /disputes\.\w+/,
    'the replaced arbiter can no longer rule');
  const ruled = await submit(api.tx.disputes.rule(id, 50_000_000n), second.arbiter);
  const found = await resolved(id, ruled.number);
  await assertPaidOut(found, { customer: dave, orderId, frozen, refund: 50_000_000n,
    resolution: 'Ruling' });
});
