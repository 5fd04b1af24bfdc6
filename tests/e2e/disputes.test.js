// End to end: the dispute ladder (issue 4). Starts `entrepot-node --dev` and walks each kind of
// dispute through to payout with @polkadot/api: an agreement dispute settled by negotiation,
// one the merchant opens about a pending refund (never about a plain shipped order), one
// decided by an arbiter (the loser's deposit pays the arbiter, the platform and the winner),
// one appealed and decided by the privileged origin (sudo in the dev chain), an after-sales
// claim against the holdback, a platform dispute compensated from the platform's fee account up
// to the fees the order paid, and one whose respondent stays silent: it goes to arbitration,
// where an arbiter who misses the ruling deadline is replaced.
//
// Deposits are the runtime's: a flat part in ENT and a stake of 5% of the frozen money (rounded
// up) in the order's currency, both moved to the keyless disputes account (`ent/disp`) and held
// there. Money is checked to the unit in USDX in the block that resolves a dispute: the
// customer gets the refund, the merchant the rest minus the 1% platform fee (rounded down), the
// platform account the fee, both out of the escrow account (`ent/escr`); stakes go back to
// their owners, or a loser's to the winner, out of the disputes account.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { blake2AsHex, randomAsHex } from '@polkadot/util-crypto';
import { waitForEvent } from './lib/node.js';
import {
  devChain, inBlock, theEvent, eventsNamed, submit as submitTx, sudo as sudoTx,
  shortPolicyBounds,
} from './lib/chain.js';

const UNITS = 10n ** 12n;
const USDX = 1;
const USDX_CUR = { WithId: USDX };
const PERMILL = 1_000_000n;
const PRICE = 100_000_000n; // 100 USDX
const HOLDBACK = 100_000; // Permill: 10%

// Short windows, in blocks of 1 s: each leaves room for the few transactions that must come
// before it closes; the tests wait for those that close by themselves.
const WINDOWS = {
  responseWithin: 8,
  negotiationWithin: 20,
  rulingWithin: 10,
  appealWithin: 8,
  decideWithin: 20,
};
const POLICY = {
  currencies: ['Native', USDX_CUR],
  shipWithin: 50,
  autoConfirmAfter: 60,
  refundResponseWithin: 30,
  returnWindow: 30,
  afterSalesWindow: 80,
  holdback: HOLDBACK,
  loyaltyShare: 0,
};
const TIMEOUT = { timeout: 120_000 };

let chain;
let api;
let platform; // the platform (fee) account
let escrowAccount; // the escrow account: it holds the orders' money
let disputesAccount; // the disputes account: it holds every dispute deposit
let alice; // sudo, and a stranger to every order
let bob; // the merchant
let charlie; // a customer
let dave; // another customer
let eve; // an arbiter
let ferdie; // an arbiter
let platformFee;
let drawDelay;
let PARAMS; // the runtime's dispute parameters with the short windows above
let KIND; // the agreement (and after-sales) terms in force

const big = (codec) => codec.toBigInt();
const fee = (gross) => (gross * BigInt(platformFee)) / PERMILL;
/** A deposit's stake of `frozen`: `stake` Permill of it, rounded up. */
const stakeOf = (frozen) => (frozen * BigInt(KIND.stake) + PERMILL - 1n) / PERMILL;
const depositJson = (d) => ({ native: big(d.native), stake: big(d.stake) });

const submit = (tx, signer) => submitTx(api, tx, signer);
const sudo = (call) => sudoTx(api, call, alice);

/** Resolves with the error name a failing `tx` from `signer` is refused with. */
const refusal = (tx, signer) => submit(tx, signer).then(
  () => assert.fail('the transaction succeeded'), (e) => e.message);

/** `address`'s USDX, free and held, after block `hash`. */
async function usdx(address, hash) {
  const at = await api.at(hash);
  const account = await at.query.assets.account(USDX, address);
  const held = await at.query.assetsHolder.balancesOnHold(USDX, address);
  return (account.isSome ? big(account.unwrap().balance) : 0n) +
    (held.isSome ? big(held.unwrap()) : 0n);
}

/** What the disputes account holds for dispute deposits after block `hash`: ENT and USDX. */
async function depositsHeld(hash) {
  const at = hash ? await api.at(hash) : api;
  const native = (await at.query.balances.holds(disputesAccount))
    .filter((h) => h.id.isDisputes && h.id.asDisputes.isDisputeDeposit)
    .reduce((a, h) => a + big(h.amount), 0n);
  const stake = (await at.query.assetsHolder.holds(USDX, disputesAccount))
    .filter((h) => h.id.isDisputes && h.id.asDisputes.isDisputeDeposit)
    .reduce((a, h) => a + big(h.amount), 0n);
  return { native, stake };
}

/** How the held deposits changed in block `hash`. */
async function depositsChange(hash) {
  const { parentHash } = await api.rpc.chain.getHeader(hash);
  const [before, after] = [await depositsHeld(parentHash), await depositsHeld(hash)];
  return { native: after.native - before.native, stake: after.stake - before.stake };
}

/** How the USDX of customer, merchant, platform, escrow and disputes accounts changed in `hash`. */
async function usdxChange(hash, customer) {
  const { parentHash } = await api.rpc.chain.getHeader(hash);
  const out = {};
  for (const [name, address] of [['customer', customer.address], ['merchant', bob.address],
    ['platform', platform], ['escrow', escrowAccount], ['disputes', disputesAccount]]) {
    out[name] = (await usdx(address, hash)) - (await usdx(address, parentHash));
  }
  return out;
}

/** `customer` places an escrow order of `price` USDX with Bob, Bob ships it. Returns its id. */
async function shippedOrder(customer, note, price = PRICE) {
  const items = [{ product: blake2AsHex(note), quantity: 1, unitPrice: price }];
  const placed = await submit(api.tx.orders.placeOrder(bob.address, USDX_CUR, items, 0,
    blake2AsHex(`order ${note}`), null, 'Escrow', randomAsHex(32)), customer);
  const id = theEvent(placed.events, 'orders.OrderPlaced').data.orderId.toNumber();
  await submit(api.tx.orders.markShipped(id, blake2AsHex(`tracking ${note}`)), bob);
  return id;
}

/**
 * `who` opens a dispute; checks the event and that its deposit (the kind's flat ENT deposit
 * and the stake of the frozen money) moved to the disputes account and is held there. Returns
 * the dispute id, the frozen amount and the deposit.
 */
async function open(who, orderId, kind, reason) {
  const result = await submit(api.tx.disputes.openDispute(orderId, kind, reason,
    blake2AsHex(`evidence of ${who.address} on ${orderId}`)), who);
  const opened = theEvent(result.events, 'disputes.DisputeOpened');
  assert.equal(opened.data.orderId.toNumber(), orderId);
  assert.equal(opened.data.kind.type, kind);
  const frozen = big(opened.data.frozen);
  const terms = kind === 'Platform' ? PARAMS.platform : KIND;
  const deposit = { native: terms.deposit, stake: kind === 'Platform' ? 0n : stakeOf(frozen) };
  assert.deepEqual(depositJson(opened.data.deposit), deposit, 'the opener\'s deposit');
  assert.deepEqual(await depositsChange(result.blockHash), deposit,
    'the deposit is held on the disputes account');
  const { parentHash } = await api.rpc.chain.getHeader(result.blockHash);
  assert.equal(await usdx(who.address, parentHash) - await usdx(who.address, result.blockHash),
    deposit.stake, 'the stake left the opener');
  if (kind !== 'Platform') {
    const frozenEvent = theEvent(result.events, 'orders.OrderFrozen', orderId);
    assert.equal(big(frozenEvent.data.amount), frozen);
  }
  return { id: opened.data.disputeId.toNumber(), frozen, deposit, deadline:
    opened.data.deadline.toNumber(), ...result };
}

/** Checks that `respondent` engaged in `result` with the party deposit; returns it. */
async function assertEngaged(result, respondent, frozen) {
  const engaged = theEvent(result.events, 'disputes.RespondentEngaged');
  assert.ok(engaged.data.respondent.eq(respondent.address));
  const deposit = { native: KIND.deposit, stake: stakeOf(frozen) };
  assert.deepEqual(depositJson(engaged.data.deposit), deposit, 'the respondent\'s deposit');
  assert.deepEqual(await depositsChange(result.blockHash), deposit,
    'the respondent\'s deposit is held on the disputes account');
  return deposit;
}

/** Waits for the dispute's `Resolved` event from block `from` on. */
function resolved(disputeId, from, timeoutMs = 60_000) {
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
    timeoutMs: 60_000,
    pollMs: 250,
  });
  const address = found.event.data.arbiter.toString();
  const arbiter = [eve, ferdie].find((a) => a.address === address);
  assert.ok(arbiter, `the arbiter ${address} is one of the appointed ones`);
  assert.equal(found.event.data.ruleBy.toNumber(), found.blockNumber + WINDOWS.rulingWithin);
  return { arbiter, ...found };
}

/**
 * Checks the money of a resolution in block `found.blockHash`: `refund` back to the customer,
 * the rest of `frozen` to the merchant minus the fee, the fee to the platform account, all out
 * of the escrow account; `stakes` (name -> USDX) back or won out of the disputes account. The
 * order is archived and no dispute deposit is left held.
 */
async function assertPaidOut(found, { customer, orderId, frozen, refund, resolution,
  stakes = {} }) {
  const ev = found.event.data;
  assert.equal(ev.resolution.type, resolution, 'resolution');
  assert.equal(big(ev.frozen), frozen, 'Resolved: frozen');
  assert.equal(big(ev.refund), refund, 'Resolved: refund');
  assert.equal(big(ev.merchantGross), frozen - refund, 'refund + merchant gross == frozen');
  const gross = frozen - refund;
  const [toCustomer, toMerchant] = [stakes.customer ?? 0n, stakes.merchant ?? 0n];
  const settled = theEvent(found.events, 'orders.DisputeSettled', orderId);
  assert.equal(big(settled.data.fee), fee(gross), 'DisputeSettled: fee');
  assert.deepEqual(await usdxChange(found.blockHash, customer), {
    customer: refund + toCustomer,
    merchant: gross - fee(gross) + toMerchant,
    platform: fee(gross),
    escrow: -frozen,
    disputes: -(toCustomer + toMerchant),
  }, 'USDX paid out in the resolving block');
  theEvent(found.events, 'orders.OrderArchived', orderId);
  assert.ok((await api.call.ordersApi.order(orderId)).isNone, 'the order is archived');
  assert.deepEqual(await depositsHeld(found.blockHash), { native: 0n, stake: 0n },
    'no dispute deposit left held');
}

/** The `DepositReturned` event of `who` among `events`, as { native, stake }. */
function returned(events, who) {
  const list = eventsNamed(events, 'disputes.DepositReturned').filter((e) => e.data.who.eq(who));
  assert.equal(list.length, 1, `one DepositReturned to ${who}`);
  return depositJson(list[0].data.amount);
}

// ---- Set-up -----------------------------------------------------------------------------------

before(async () => {
  chain = await devChain({ pallets: ['orders', 'escrow', 'disputes'] });
  ({ api, platform, escrow: escrowAccount, disputes: disputesAccount } = chain);
  ({ alice, bob, charlie, dave, eve, ferdie } = chain.accounts);
  platformFee = (await api.query.escrow.platformFee()).toNumber();
  drawDelay = api.consts.disputes.drawDelay.toNumber();
  // The runtime's deposits, stake, arbiter fee and compensation cap; short windows.
  const genesis = await api.call.disputesApi.params();
  const kind = (k) => ({
    ...WINDOWS, deposit: big(k.deposit), appealDeposit: big(k.appealDeposit),
    stake: k.stake.toNumber(),
  });
  PARAMS = {
    agreement: kind(genesis.agreement),
    afterSales: kind(genesis.afterSales),
    platform: kind(genesis.platform),
    arbiterFee: big(genesis.arbiterFee),
    maxCompensation: genesis.maxCompensation.toNumber(),
  };
  KIND = PARAMS.agreement;
  await sudo(api.tx.orders.setPolicyBounds(await shortPolicyBounds(api)));
  await sudo(api.tx.disputes.setParams(PARAMS));
  await submit(api.tx.orders.registerMerchant(POLICY), bob);
  // Every dev account holds ENT and USDX at genesis.
  for (const arbiter of [eve, ferdie]) {
    await sudo(api.tx.disputes.addArbiter(arbiter.address));
  }
}, { timeout: 180_000 });

after(async () => {
  await chain?.stop();
});

// ---- Tests ------------------------------------------------------------------------------------

test('the runtime\'s deposits (5 ENT, 25 ENT to appeal, a 5% stake), arbiter fee (2 ENT) and ' +
  'compensation cap (100% of the fees); governance sets windows and appoints arbiters',
TIMEOUT, async () => {
  for (const k of [PARAMS.agreement, PARAMS.afterSales, PARAMS.platform]) {
    assert.equal(k.deposit, 5n * UNITS);
    assert.equal(k.appealDeposit, 25n * UNITS);
    assert.equal(k.stake, 50_000, 'stake: 5%');
  }
  assert.equal(PARAMS.arbiterFee, 2n * UNITS);
  assert.equal(PARAMS.maxCompensation, 1_000_000, 'compensation: up to 100% of the fees');
  assert.equal(drawDelay, 4, 'the arbiter is drawn 4 blocks after an escalation (fast-runtime)');
  const params = await api.call.disputesApi.params();
  assert.equal(params.agreement.rulingWithin.toNumber(), WINDOWS.rulingWithin);
  assert.equal(big(params.agreement.deposit), 5n * UNITS);
  const arbiters = (await api.call.disputesApi.arbiters()).map((a) => a.toString()).sort();
  assert.deepEqual(arbiters, [eve.address, ferdie.address].sort());
  // Only the admin origin appoints arbiters; the disputes account holds nothing yet.
  assert.equal(await refusal(api.tx.disputes.addArbiter(dave.address), dave), 'BadOrigin');
  assert.deepEqual(await depositsHeld(), { native: 0n, stake: 0n });
});

test('an agreement dispute settled by negotiation splits the escrow as agreed; both deposits ' +
  'and their stakes come back', TIMEOUT, async () => {
  // An odd price: 5% of 100.000007 USDX is 5.00000035 USDX, a stake of 5.000001 USDX.
  const price = 100_000_007n;
  const orderId = await shippedOrder(charlie, 'negotiated', price);
  const { id, frozen, deposit } = await open(charlie, orderId, 'Agreement', 'Damaged');
  assert.equal(frozen, price, 'the whole escrow is frozen');
  assert.equal(deposit.stake, 5_000_001n, 'the stake is rounded up');
  const dispute = await api.call.disputesApi.disputeOfOrder(orderId);
  assert.equal(dispute.unwrap()[0].toNumber(), id);
  // The frozen order refuses the parties' usual calls.
  assert.equal(await refusal(api.tx.orders.confirmReceipt(orderId), charlie),
    'orders.OrderDisputed');
  // Bob engages (his deposit is held) and offers 30 USDX back; Charlie accepts.
  const proposal = await submit(api.tx.disputes.proposeSettlement(id, 30_000_000n), bob);
  await assertEngaged(proposal, bob, frozen);
  assert.deepEqual(await depositsHeld(proposal.blockHash),
    { native: 2n * KIND.deposit, stake: 2n * deposit.stake });
  const accepted = await submit(api.tx.disputes.acceptSettlement(id), charlie);
  const found = inBlock(accepted, 'disputes.Resolved');
  await assertPaidOut(found, { customer: charlie, orderId, frozen, refund: 30_000_000n,
    resolution: 'Settlement', stakes: { customer: deposit.stake, merchant: deposit.stake } });
  assert.deepEqual(returned(found.events, charlie.address), deposit);
  assert.deepEqual(returned(found.events, bob.address), deposit);
  assert.equal(eventsNamed(found.events, 'disputes.DepositForfeited').length, 0);
  assert.ok((await api.call.disputesApi.dispute(id)).isNone, 'the dispute is closed');
});

test('the merchant cannot dispute a plain shipped order, only a refund step the customer ' +
  'started', TIMEOUT, async () => {
  const orderId = await shippedOrder(charlie, 'merchant opener');
  const held = await depositsHeld();
  assert.equal(await refusal(api.tx.disputes.openDispute(orderId, 'Agreement',
    'OtherAgreement', blake2AsHex('junk tracking')), bob), 'orders.MerchantCannotDispute');
  assert.ok((await api.call.ordersApi.order(orderId)).unwrap().status.isShipped,
    'the order keeps its auto-confirm clock');
  assert.ok((await api.call.disputesApi.disputeOfOrder(orderId)).isNone);
  assert.deepEqual(await depositsHeld(), held, 'no deposit taken');

  // Charlie asks for 40 USDX back; Bob contests it with a dispute, Charlie engages with a
  // proposal of 20 USDX, Bob accepts.
  await submit(api.tx.orders.requestRefund(orderId, 40_000_000n, false, 'NotAsDescribed'),
    charlie);
  const { id, frozen, deposit } = await open(bob, orderId, 'Agreement', 'OtherAgreement');
  assert.equal(frozen, PRICE);
  const proposal = await submit(api.tx.disputes.proposeSettlement(id, 20_000_000n), charlie);
  await assertEngaged(proposal, charlie, frozen);
  const accepted = await submit(api.tx.disputes.acceptSettlement(id), bob);
  await assertPaidOut(inBlock(accepted, 'disputes.Resolved'), { customer: charlie, orderId,
    frozen, refund: 20_000_000n, resolution: 'Settlement',
    stakes: { customer: deposit.stake, merchant: deposit.stake } });
});

test('an arbitrated agreement dispute: the arbiter is drawn DrawDelay blocks after the ' +
  'escalation, its ruling is executed when the appeal window closes, and the loser\'s ' +
  'deposit pays the arbiter, the platform and, with its stake, the winner', TIMEOUT,
async () => {
  const orderId = await shippedOrder(dave, 'arbitrated');
  const { id, frozen, deposit } = await open(dave, orderId, 'Agreement', 'NotAsDescribed');
  const escalated = await submit(api.tx.disputes.escalate(id), bob);
  const bobDeposit = await assertEngaged(escalated, bob, frozen);
  const escalation = theEvent(escalated.events, 'disputes.Escalated');
  assert.ok(escalation.data.by.unwrap().eq(bob.address));
  const drawAt = escalated.number + drawDelay;
  assert.equal(escalation.data.drawAt.toNumber(), drawAt);
  const { arbiter, blockNumber: at } = await assigned(id, escalated.number);
  assert.equal(at, drawAt, 'the arbiter is drawn DrawDelay blocks after the escalation');
  const cases = await api.call.disputesApi.arbiterCases(arbiter.address);
  assert.ok(cases.some(([d]) => d.toNumber() === id), 'the case is on the arbiter\'s list');
  // The arbiter gives the customer 80 USDX back: the customer is favoured.
  const ruled = await submit(api.tx.disputes.rule(id, 80_000_000n), arbiter);
  const ruling = theEvent(ruled.events, 'disputes.Ruled');
  assert.equal(ruling.data.appealBy.toNumber(), ruled.number + WINDOWS.appealWithin);
  const found = await resolved(id, ruled.number);
  assert.equal(found.blockNumber, ruling.data.appealBy.toNumber(),
    'executed in the block the appeal window closes');
  // Dave gets the refund, his own stake back and Bob's stake.
  await assertPaidOut(found, { customer: dave, orderId, frozen, refund: 80_000_000n,
    resolution: 'Ruling', stakes: { customer: deposit.stake + bobDeposit.stake } });
  assert.deepEqual(returned(found.events, dave.address), deposit);
  const forfeited = theEvent(found.events, 'disputes.DepositForfeited').data;
  assert.ok(forfeited.who.eq(bob.address), 'the merchant lost: his deposit is forfeited');
  assert.ok(forfeited.arbiter.unwrap().eq(arbiter.address));
  assert.equal(big(forfeited.toArbiter), PARAMS.arbiterFee, 'the arbiter fee');
  assert.equal(big(forfeited.toPlatform), bobDeposit.native - PARAMS.arbiterFee);
  assert.ok(forfeited.winner.eq(dave.address), 'the stake goes to the favoured party');
  assert.equal(big(forfeited.toWinner), bobDeposit.stake);
  // In ENT: the arbiter and the platform account are paid out of the disputes account.
  const { parentHash } = await api.rpc.chain.getHeader(found.blockHash);
  const free = async (address, hash) =>
    big((await (await api.at(hash)).query.system.account(address)).data.free);
  assert.equal(await free(arbiter.address, found.blockHash) -
    await free(arbiter.address, parentHash), PARAMS.arbiterFee, 'the arbiter is paid its fee');
  const txFees = eventsNamed(found.events, 'transactionPayment.TransactionFeePaid')
    .reduce((a, e) => a + big(e.data.actualFee), 0n);
  assert.equal(await free(platform, found.blockHash) - await free(platform, parentHash),
    bobDeposit.native - PARAMS.arbiterFee + txFees, 'the rest of the flat deposit');
});

test('an appealed ruling is decided by the privileged origin', TIMEOUT, async () => {
  const orderId = await shippedOrder(charlie, 'appealed');
  const { id, frozen, deposit, number } = await open(charlie, orderId, 'Agreement',
    'NotReceived');
  // The opener escalates: Bob never engages, and holds no deposit.
  const escalated = await submit(api.tx.disputes.escalate(id), charlie);
  assert.equal(eventsNamed(escalated.events, 'disputes.RespondentEngaged').length, 0);
  const { arbiter } = await assigned(id, number);
  // The arbiter sides with the merchant (10 USDX back); Charlie appeals with a larger deposit.
  await submit(api.tx.disputes.rule(id, 10_000_000n), arbiter);
  assert.equal(await refusal(api.tx.disputes.appeal(id), bob), 'disputes.RulingFavoursCaller',
    'the favoured side cannot appeal');
  const appealed = await submit(api.tx.disputes.appeal(id), charlie);
  const appeal = theEvent(appealed.events, 'disputes.Appealed');
  const appealDeposit = { native: KIND.appealDeposit, stake: stakeOf(frozen) };
  assert.deepEqual(depositJson(appeal.data.deposit), appealDeposit);
  assert.deepEqual(await depositsHeld(appealed.blockHash),
    { native: deposit.native + appealDeposit.native, stake: deposit.stake + appealDeposit.stake });
  // Governance gives the customer 70 USDX back: final; Charlie's deposits come back.
  const decided = await sudo(api.tx.disputes.decide(id, 70_000_000n));
  const found = inBlock(decided, 'disputes.Resolved');
  await assertPaidOut(found, { customer: charlie, orderId, frozen, refund: 70_000_000n,
    resolution: 'Appeal', stakes: { customer: deposit.stake + appealDeposit.stake } });
  assert.deepEqual(returned(found.events, charlie.address),
    { native: deposit.native + appealDeposit.native, stake: deposit.stake + appealDeposit.stake });
  assert.equal(eventsNamed(found.events, 'disputes.DepositForfeited').length, 0);
});

test('an after-sales claim is paid out of the holdback, and only up to it', TIMEOUT, async () => {
  const orderId = await shippedOrder(dave, 'after-sales');
  const confirmed = await submit(api.tx.orders.confirmReceipt(orderId), dave);
  const paid = theEvent(confirmed.events, 'orders.MerchantPaid', orderId);
  const holdback = big(paid.data.holdback);
  assert.equal(holdback, PRICE / 10n, 'a 10% holdback stays locked');
  const { id, frozen, deposit } = await open(dave, orderId, 'AfterSales', 'Defective');
  assert.equal(frozen, holdback, 'only the holdback is frozen');
  assert.equal(deposit.stake, 500_000n, 'the stake is 5% of the holdback');
  assert.equal(await refusal(api.tx.disputes.proposeSettlement(id, holdback + 1n), bob),
    'disputes.RefundExceedsFrozen', 'no proposal above the holdback');
  const proposal = await submit(api.tx.disputes.proposeSettlement(id, 6_000_000n), bob);
  await assertEngaged(proposal, bob, frozen);
  const accepted = await submit(api.tx.disputes.acceptSettlement(id), dave);
  await assertPaidOut(inBlock(accepted, 'disputes.Resolved'), { customer: dave, orderId, frozen,
    refund: 6_000_000n, resolution: 'Settlement',
    stakes: { customer: deposit.stake, merchant: deposit.stake } });
});

test('a platform dispute is decided by the privileged origin, which compensates from the fee ' +
  'account at most the fees the order paid', TIMEOUT, async () => {
  const orderId = await shippedOrder(charlie, 'platform');
  const confirmed = await submit(api.tx.orders.confirmReceipt(orderId), charlie);
  const paidFee = big(theEvent(confirmed.events, 'orders.MerchantPaid', orderId).data.fee);
  assert.equal(paidFee, fee(PRICE - PRICE / 10n), '1% of the settled 90 USDX');
  const order = (await api.call.ordersApi.order(orderId)).unwrap();
  assert.equal(big(order.fees), paidFee, 'the order records the fees it paid');
  const cap = (paidFee * BigInt(PARAMS.maxCompensation)) / PERMILL;

  const { id, deposit } = await open(charlie, orderId, 'Platform', 'WrongFee');
  assert.deepEqual(deposit, { native: PARAMS.platform.deposit, stake: 0n },
    'nothing frozen, nothing staked');
  const stage = (await api.call.disputesApi.dispute(id)).unwrap().stage;
  assert.ok(stage.isAwaitingGovernance, 'a platform dispute goes to governance at once');
  assert.ok((await api.call.ordersApi.order(orderId)).unwrap().status.isSettled,
    'a platform dispute freezes nothing');

  const above = await sudo(api.tx.disputes.decide(id, cap + 1n)).then(
    () => assert.fail('a compensation above the cap was paid'), (e) => e.message);
  assert.equal(above, 'disputes.CompensationAboveCap');
  const decided = await sudo(api.tx.disputes.decide(id, cap));
  const done = theEvent(decided.events, 'disputes.Resolved');
  assert.equal(done.data.resolution.type, 'Compensation');
  assert.equal(big(done.data.compensation), cap);
  const compensated = theEvent(decided.events, 'escrow.Compensated', orderId);
  assert.ok(compensated.data.who.eq(charlie.address));
  assert.equal(big(compensated.data.amount), cap);
  assert.deepEqual(await usdxChange(decided.blockHash, charlie),
    { customer: cap, merchant: 0n, platform: -cap, escrow: 0n, disputes: 0n });
  assert.deepEqual(returned(decided.events, charlie.address), deposit, 'the deposit is returned');
  assert.deepEqual(await depositsHeld(decided.blockHash), { native: 0n, stake: 0n });
  assert.ok((await api.call.ordersApi.order(orderId)).unwrap().status.isSettled,
    'the order itself goes on as before');
});

test('a silent respondent loses nothing: the dispute goes to arbitration, where an arbiter ' +
  'who misses the ruling deadline is recorded and replaced', TIMEOUT, async () => {
  const orderId = await shippedOrder(dave, 'silent');
  const { id, frozen, deposit, deadline: respondBy, number } = await open(dave, orderId,
    'Agreement', 'WrongQuantity');
  assert.equal(respondBy, number + WINDOWS.responseWithin);
  // Nothing is due yet: nobody can fire the deadline early.
  assert.equal(await refusal(api.tx.disputes.poke(id), alice), 'disputes.NothingDue');

  // Bob never answers. At respond_by the dispute is escalated, not decided.
  const escalated = await waitForEvent(api, {
    from: number + 1,
    match: (ev) => ev.section === 'disputes' && ev.method === 'Escalated' &&
      ev.data.disputeId.toNumber() === id,
    timeoutMs: 60_000,
  });
  assert.equal(escalated.blockNumber, respondBy, 'escalated when the response window closes');
  assert.ok(escalated.event.data.by.isNone, 'escalated by the chain');
  assert.equal(escalated.event.data.drawAt.toNumber(), respondBy + drawDelay);
  for (const name of ['disputes.Resolved', 'disputes.DepositForfeited', 'orders.OrderArchived']) {
    assert.equal(eventsNamed(escalated.events, name).length, 0, `no ${name}`);
  }
  const at = await api.at(escalated.blockHash);
  assert.ok((await at.call.disputesApi.dispute(id)).unwrap().stage.isAwaitingArbiter);
  assert.ok((await at.call.ordersApi.order(orderId)).unwrap().status.isDisputed,
    'the order stays frozen');
  assert.deepEqual(await depositsHeld(escalated.blockHash), deposit,
    'only the opener\'s deposit is held');

  const first = await assigned(id, escalated.blockNumber);
  assert.equal(first.blockNumber, respondBy + drawDelay);
  const missed = await waitForEvent(api, {
    from: first.blockNumber,
    match: (ev) => ev.section === 'disputes' && ev.method === 'ArbiterMissedDeadline' &&
      ev.data.disputeId.toNumber() === id,
    timeoutMs: 60_000,
  });
  assert.equal(missed.blockNumber, first.event.data.ruleBy.toNumber(),
    'the miss is recorded when rule_by passes');
  assert.ok(missed.event.data.arbiter.eq(first.arbiter.address));
  assert.equal(missed.event.data.misses.toNumber(), 1);
  const second = await assigned(id, missed.blockNumber);
  assert.equal(second.blockNumber, missed.blockNumber, 'redrawn at once');
  assert.notEqual(second.arbiter.address, first.arbiter.address, 'another arbiter is drawn');
  assert.equal(await refusal(api.tx.disputes.rule(id, 0n), first.arbiter),
    'disputes.NotAssignedArbiter', 'the replaced arbiter can no longer rule');
  const ruled = await submit(api.tx.disputes.rule(id, 50_000_000n), second.arbiter);
  const found = await resolved(id, ruled.number);
  await assertPaidOut(found, { customer: dave, orderId, frozen, refund: 50_000_000n,
    resolution: 'Ruling', stakes: { customer: deposit.stake } });
  assert.deepEqual(returned(found.events, dave.address), deposit);
  assert.equal(eventsNamed(found.events, 'disputes.DepositForfeited').length, 0,
    'the silent merchant posted nothing, and forfeits nothing');
});

test('a dispute governance leaves undecided ends Undecided: every deposit comes back and the ' +
  'order resumes where it was frozen, with a fresh window', TIMEOUT, async () => {
  // Ferdie sells to Eve: both arbiters are parties, so no arbiter is eligible and the dispute
  // goes to governance, which lets it lapse (a short decision window, for this dispute only:
  // a dispute keeps the terms it was opened under).
  await submit(api.tx.orders.registerMerchant(POLICY), ferdie);
  const items = [{ product: blake2AsHex('undecided'), quantity: 1, unitPrice: PRICE }];
  const placed = await submit(api.tx.orders.placeOrder(ferdie.address, USDX_CUR, items, 0,
    blake2AsHex('order undecided'), null, 'Escrow', randomAsHex(32)), eve);
  const orderId = theEvent(placed.events, 'orders.OrderPlaced').data.orderId.toNumber();
  await submit(api.tx.orders.markShipped(orderId, blake2AsHex('tracking undecided')), ferdie);
  const decideWithin = 6;
  await sudo(api.tx.disputes.setParams({ ...PARAMS, agreement: { ...KIND, decideWithin } }));
  const { id, deposit } = await open(eve, orderId, 'Agreement', 'NotReceived');
  await sudo(api.tx.disputes.setParams(PARAMS));
  const escalated = await submit(api.tx.disputes.escalate(id), eve);
  const drawAt = escalated.number + drawDelay;

  const sent = await waitForEvent(api, {
    from: escalated.number,
    match: (ev) => ev.section === 'disputes' && ev.method === 'SentToGovernance' &&
      ev.data.disputeId.toNumber() === id,
    timeoutMs: 60_000,
  });
  assert.equal(sent.blockNumber, drawAt, 'no arbiter could be drawn');
  assert.equal(eventsNamed(sent.events, 'disputes.ArbiterAssigned').length, 0);
  const decideBy = sent.event.data.decideBy.toNumber();
  assert.equal(decideBy, drawAt + decideWithin);

  const found = await resolved(id, sent.blockNumber);
  assert.equal(found.blockNumber, decideBy, 'ended when governance\'s window closed');
  const ev = found.event.data;
  assert.equal(ev.resolution.type, 'Undecided');
  assert.deepEqual([big(ev.refund), big(ev.merchantGross), big(ev.compensation)], [0n, 0n, 0n]);
  theEvent(found.events, 'orders.OrderUnfrozen', orderId);
  for (const name of ['orders.OrderArchived', 'orders.DisputeSettled', 'escrow.Released',
    'escrow.Refunded', 'disputes.DepositForfeited']) {
    assert.equal(eventsNamed(found.events, name).length, 0, `no ${name}`);
  }
  assert.deepEqual(returned(found.events, eve.address), deposit, 'the opener\'s deposit back');
  assert.deepEqual(await depositsHeld(found.blockHash), { native: 0n, stake: 0n });
  const { parentHash } = await api.rpc.chain.getHeader(found.blockHash);
  assert.equal(await usdx(eve.address, found.blockHash) - await usdx(eve.address, parentHash),
    deposit.stake, 'only the stake moved: back to Eve');
  assert.equal(await usdx(escrowAccount, found.blockHash), await usdx(escrowAccount, parentHash),
    'the escrowed money stays locked');

  // Shipped again, with a fresh auto-confirm window; its own rules go on.
  const order = (await (await api.at(found.blockHash)).call.ordersApi.order(orderId)).unwrap();
  assert.ok(order.status.isShipped, `back to Shipped: ${order.status.type}`);
  assert.equal(order.status.asShipped.confirmBy.toNumber(), decideBy + POLICY.autoConfirmAfter);
  assert.equal(big(order.locked), PRICE);
  assert.ok((await api.call.disputesApi.disputeOfOrder(orderId)).isNone);
  const confirmed = await submit(api.tx.orders.confirmReceipt(orderId), eve);
  theEvent(confirmed.events, 'orders.MerchantPaid', orderId);
});
