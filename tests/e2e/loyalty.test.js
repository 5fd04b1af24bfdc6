// End to end: the loyalty token (issue 5). Starts `entrepot-node --dev` and drives the Loyalty
// pallet with @polkadot/api: a confirmed USDX order is reviewed, and its reward vests as LOY in
// the customer's asset balance in the block its after-sales window closes; a refund before
// vesting claws the reward back in proportion; a redemption at a merchant who accepts the token
// burns the tokens and pays the customer the discount out of the order's escrow.
//
// Arithmetic (docs/loyalty.md): a reward is worth the order's value times the currency's reward
// rate, but at most `RewardShareOfFees` (50%) of the platform fees the order paid when its
// receipt was confirmed, converted at the currency's `tokens_per_unit` (each step rounded
// down). At the genesis rate for USDX (2% back, 1 LOY per USDX; both have 6 decimals) the fee
// bound is the smaller: with a 10% holdback and a 1% fee, an order pays 0.9% of its value in
// fees at confirmation, and earns 0.45% of it in LOY.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { blake2AsHex, randomAsHex } from '@polkadot/util-crypto';
import { waitForEvent } from './lib/node.js';
import {
  devChain, palletAccount, submit as submitTx, sudo as sudoTx, theEvent, shortPolicyBounds,
} from './lib/chain.js';

const USDX = 1;
const USDX_CUR = { WithId: USDX };
const LOY = 3; // asset id of the loyalty token
const STABLE = 1_000_000n; // one USDX (and one LOY)
const PERMILL = 1_000_000n;
const FIXED = 10n ** 18n; // FixedU128 one
const PLATFORM_FEE = 10_000n; // genesis: 1%
const HOLDBACK = 100_000n; // Permill: 10%
const AFTER_SALES_WINDOW = 12; // blocks of 1 s: room for a review and a refund before vesting
const LOYALTY_SHARE = 100_000; // Permill: Bob accepts LOY for up to 10% of an order
const POLICY = {
  currencies: ['Native', USDX_CUR],
  shipWithin: 50,
  autoConfirmAfter: 60,
  refundResponseWithin: 10,
  returnWindow: 10,
  afterSalesWindow: AFTER_SALES_WINDOW,
  holdback: Number(HOLDBACK),
  loyaltyShare: LOYALTY_SHARE,
};
const TIMEOUT = { timeout: 120_000 };

let chain;
let api;
let alice; // sudo
let bob; // the merchant
let charlie; // a customer
let dave; // another customer
let shareOfFees; // RewardShareOfFees, Permill parts
let usdxRate; // the genesis rate of USDX: { rewardRate, tokensPerUnit, minOrderValue }

const big = (codec) => codec.toBigInt();
const submit = (tx, signer) => submitTx(api, tx, signer);
const sudo = (call) => sudoTx(api, call, alice);
const mulFloor = (parts, x) => (x * BigInt(parts)) / PERMILL;
/**
 * The reward of an order worth `value` that paid `fees` at confirmation, at `rate`:
 * tokensPerUnit × min(value × rewardRate, RewardShareOfFees × fees), each product rounded down.
 */
const rewardFor = (value, fees, rate = usdxRate) => {
  const worth = [mulFloor(rate.rewardRate, value), mulFloor(shareOfFees, fees)]
    .reduce((a, b) => (a < b ? a : b));
  return (worth * rate.tokensPerUnit) / FIXED;
};
/** The platform fee of a confirmed order of `price` (the holdback is paid out later). */
const feesAtConfirmation = (price) => mulFloor(PLATFORM_FEE, price - mulFloor(HOLDBACK, price));

/** `address`'s balance of asset `id` after block `hash` (the best block if none). */
async function assetBalance(id, address, hash) {
  const at = hash ? await api.at(hash) : api;
  const account = await at.query.assets.account(id, address);
  return account.isSome ? big(account.unwrap().balance) : 0n;
}

const loy = (address, hash) => assetBalance(LOY, address, hash);
const loySupply = async () => big((await api.query.assets.asset(LOY)).unwrap().supply);

/** `customer` places a USDX escrow order of `price` with Bob; returns its id. */
async function placeOrder(customer, price, note) {
  const items = [{ product: blake2AsHex(note), quantity: 1, unitPrice: price }];
  const placed = await submit(api.tx.orders.placeOrder(bob.address, USDX_CUR, items, 0,
    blake2AsHex(`order ${note}`), null, 'Escrow', randomAsHex(32)), customer);
  return theEvent(placed.events, 'orders.OrderPlaced').data.orderId.toNumber();
}

/**
 * `customer`'s order of `price` is placed, shipped and confirmed: loyalty records it as
 * reviewable at its whole value, with the platform fees paid at confirmation. Returns the id,
 * the end of its after-sales window and those fees.
 */
async function confirmedOrder(customer, price, note) {
  const id = await placeOrder(customer, price, note);
  await submit(api.tx.orders.markShipped(id, blake2AsHex(`tracking ${note}`)), bob);
  const confirmed = await submit(api.tx.orders.confirmReceipt(id), customer);
  const paid = theEvent(confirmed.events, 'orders.MerchantPaid', id);
  const fees = big(paid.data.fee);
  assert.equal(fees, feesAtConfirmation(price), 'the fee paid at confirmation');
  const reviewable = theEvent(confirmed.events, 'loyalty.OrderReviewable', id);
  assert.ok(reviewable.data.customer.eq(customer.address), 'OrderReviewable: customer');
  assert.equal(big(reviewable.data.value), price, 'OrderReviewable: the settled value');
  const completed = (await api.call.loyaltyApi.completedOrder(id)).unwrap();
  assert.equal(big(completed.fees), fees, 'loyalty records the fees the order paid');
  return { id, afterSalesUntil: paid.data.afterSalesUntil.toNumber(), fees };
}

/**
 * `customer` reviews order `id`; checks the event; returns the reward, whether the review
 * counted for reputation and when the reward vests.
 */
async function review(customer, id, rating) {
  const hash = blake2AsHex(`review of order ${id}`);
  const result = await submit(api.tx.loyalty.review(id, rating, hash), customer);
  const reviewed = theEvent(result.events, 'loyalty.Reviewed', id);
  assert.ok(reviewed.data.merchant.eq(bob.address), 'Reviewed: merchant');
  assert.equal(reviewed.data.rating.toNumber(), rating, 'Reviewed: rating');
  assert.equal(reviewed.data.reviewHash.toHex(), hash, 'Reviewed: review hash');
  return { reward: big(reviewed.data.reward), counted: reviewed.data.counted.isTrue,
    vestsAt: reviewed.data.vestsAt.toNumber() };
}

/** Waits for order `id`'s reward to vest from block `from` on. */
function vested(id, from) {
  return waitForEvent(api, {
    from,
    match: (ev) => ev.section === 'loyalty' && ev.method === 'RewardVested' &&
      ev.data.orderId.toNumber() === id,
    timeoutMs: 60_000,
  });
}

// ---- Set-up -----------------------------------------------------------------------------------

before(async () => {
  chain = await devChain({ pallets: ['orders', 'escrow', 'loyalty'] });
  ({ api } = chain);
  ({ alice, bob, charlie, dave } = chain.accounts);
  shareOfFees = api.consts.loyalty.rewardShareOfFees.toNumber();
  const rate = (await api.call.loyaltyApi.currencyRate(USDX_CUR)).unwrap();
  usdxRate = { rewardRate: rate.rewardRate.toNumber(), tokensPerUnit: big(rate.tokensPerUnit),
    minOrderValue: big(rate.minOrderValue) };
  await sudo(api.tx.orders.setPolicyBounds(await shortPolicyBounds(api)));
  await submit(api.tx.orders.registerMerchant(POLICY), bob);
}, { timeout: 180_000 });

after(async () => {
  await chain?.stop();
});

// ---- Tests ------------------------------------------------------------------------------------

test('genesis: LOY is an asset administered by the loyalty pallet; USDX earns 2%, a reward is ' +
  'worth at most half the fees', TIMEOUT, async () => {
    const metadata = await api.query.assets.metadata(LOY);
    assert.equal(metadata.symbol.toUtf8(), 'LOY');
    assert.equal(metadata.decimals.toNumber(), 6);
    const details = (await api.query.assets.asset(LOY)).unwrap();
    const loyalty = palletAccount(api, 'ent/loya');
    assert.equal(details.owner.toString(), loyalty, 'owner: the loyalty pallet account');
    assert.equal(details.admin.toString(), loyalty, 'admin: the loyalty pallet account');
    assert.equal(details.issuer.toString(), loyalty, 'issuer: the loyalty pallet account');
    assert.equal(big(details.supply), 0n, 'no LOY before any reward');
    assert.ok(details.isSufficient.isTrue, 'sufficient: an account without ENT can hold LOY');
    assert.equal(big(details.minBalance), STABLE / 100n, 'minimum balance: 0.01 LOY');
    assert.equal(usdxRate.rewardRate, 20_000, '2%');
    assert.equal(usdxRate.tokensPerUnit, FIXED, 'FixedU128 1: 1 LOY per USDX');
    assert.equal(usdxRate.minOrderValue, 5n * STABLE, 'orders of 5 USDX and more earn');
    assert.equal(shareOfFees, 500_000, 'RewardShareOfFees: 50%');
    assert.equal((await api.query.escrow.platformFee()).toNumber(), Number(PLATFORM_FEE));
    // Only governance sets rates.
    await assert.rejects(submit(api.tx.loyalty.setEarningPaused(true), bob), /badOrigin/i);
  });

test('a reviewed order earns LOY, half the fees it paid, which vests when its after-sales ' +
  'window closes', TIMEOUT, async () => {
    const price = 300n * STABLE;
    const { id, afterSalesUntil, fees } = await confirmedOrder(charlie, price, 'vesting');
    // 1% of the 270 USDX paid out at confirmation: 2.7 USDX of fees.
    assert.equal(fees, 2_700_000n);

    const { reward: earned, counted, vestsAt } = await review(charlie, id, 5);
    // min(2% of 300 USDX = 6 USDX, 50% of 2.7 USDX = 1.35 USDX) at 1 LOY per USDX: 1.35 LOY.
    assert.equal(earned, rewardFor(price, fees));
    assert.equal(earned, 1_350_000n, 'half the fees, not 2% of the value');
    assert.ok(counted, 'the review counts for reputation');
    assert.equal(vestsAt, afterSalesUntil, 'vests when the after-sales window closes');
    const pending = (await api.call.loyaltyApi.pendingReward(id)).unwrap();
    assert.equal(big(pending.reward), earned);
    assert.equal(await loy(charlie.address), 0n, 'nothing spendable before vesting');
    // Nobody can vest it early.
    await assert.rejects(submit(api.tx.loyalty.poke(id), dave), /loyalty\.NothingDue/);
    // Once per order.
    await assert.rejects(submit(api.tx.loyalty.review(id, 4, blake2AsHex('again')), charlie),
      /loyalty\.NotReviewable/);

    const reputation = await api.call.loyaltyApi.reputation(bob.address);
    assert.deepEqual([reputation.count.toNumber(), reputation.sum.toNumber()], [1, 5]);
    const [latest] = await api.call.loyaltyApi.recentReviews(bob.address, 0, 10);
    assert.equal(latest.orderId.toNumber(), id);
    assert.ok(latest.customer.eq(charlie.address));

    const found = await vested(id, vestsAt - AFTER_SALES_WINDOW);
    assert.equal(found.blockNumber, afterSalesUntil, 'minted in the block the window closes');
    theEvent(found.events, 'orders.OrderArchived', id);
    assert.equal(big(found.event.data.amount), earned);
    assert.equal(await loy(charlie.address, found.blockHash), earned,
      'the reward is in the customer\'s LOY balance');
    assert.ok((await api.call.loyaltyApi.pendingReward(id)).isNone);
  });

test('a refund before vesting claws the reward back in proportion', TIMEOUT, async () => {
  const price = 50n * STABLE;
  const { id, afterSalesUntil, fees } = await confirmedOrder(dave, price, 'clawback');
  const { reward: earned } = await review(dave, id, 2);
  // Half of 1% of 45 USDX: 0.225 LOY.
  assert.equal(earned, rewardFor(price, fees));
  assert.equal(earned, 225_000n);

  // 5 USDX back out of the holdback: the order is worth 45 USDX, the reward 45/50 of itself
  // (0.2025 LOY).
  const refund = 5n * STABLE;
  await submit(api.tx.orders.requestRefund(id, refund, false, 'Damaged'), dave);
  const accepted = await submit(api.tx.orders.acceptRefund(id), bob);
  assert.equal(big(theEvent(accepted.events, 'orders.RefundPaid', id).data.amount), refund);
  const remaining = (earned * (price - refund)) / price;
  const clawed = theEvent(accepted.events, 'loyalty.RewardClawedBack', id);
  assert.equal(big(clawed.data.amount), earned - remaining, 'clawed back');
  assert.equal(big(clawed.data.remaining), remaining, 'left of the reward');
  assert.equal(remaining, 202_500n);
  assert.ok(accepted.number < afterSalesUntil, 'the refund came before vesting');

  const found = await vested(id, accepted.number);
  assert.equal(found.blockNumber, afterSalesUntil);
  assert.equal(big(found.event.data.amount), remaining);
  assert.equal(await loy(dave.address, found.blockHash), remaining,
    'only what is left of the reward is minted');
});

test('redeeming LOY at a merchant who accepts it burns the tokens and returns the discount ' +
  'from escrow', TIMEOUT, async () => {
  const amount = 600_000n; // 0.6 LOY, worth 0.6 USDX
  const tokens = await loy(charlie.address);
  assert.ok(tokens >= 2n * amount, 'Charlie holds the LOY earned above, for two redemptions');
  // Bob accepts LOY for 10% of an order: 1 USDX of a 10 USDX order.
  const price = 10n * STABLE;
  const id = await placeOrder(charlie, price, 'redeem');
  const supply = await loySupply();

  const result = await submit(api.tx.loyalty.redeem(id, amount), charlie);
  const redeemed = theEvent(result.events, 'loyalty.Redeemed', id);
  assert.equal(big(redeemed.data.tokens), amount, 'Redeemed: tokens burnt');
  assert.equal(big(redeemed.data.discount), amount, 'Redeemed: discount at 1 LOY per USDX');
  const paid = theEvent(result.events, 'orders.LoyaltyDiscountPaid', id);
  assert.equal(big(paid.data.amount), amount);
  assert.equal(big(theEvent(result.events, 'orders.RefundPaid', id).data.amount), amount);

  const { parentHash } = await api.rpc.chain.getHeader(result.blockHash);
  assert.equal(await loy(charlie.address, parentHash) - await loy(charlie.address, result.blockHash),
    amount, 'the tokens left Charlie');
  assert.equal(await loySupply(), supply - amount, 'and were burnt');
  const usdxBack = await assetBalance(USDX, charlie.address, result.blockHash) -
    await assetBalance(USDX, charlie.address, parentHash);
  assert.equal(usdxBack, amount, 'the discount is back in Charlie\'s USDX');
  const escrow = (await api.call.ordersApi.escrow(id)).unwrap();
  assert.equal(big(escrow.locked), price - amount, 'the escrow locks the order less the discount');
  assert.equal(big(escrow.refunded), amount);

  // Another 0.6 LOY (Charlie holds them) would take the discount past Bob's 10%.
  await assert.rejects(submit(api.tx.loyalty.redeem(id, amount), charlie),
    /loyalty\.ExceedsLoyaltyShare/);
  assert.equal(await loy(charlie.address), tokens - amount, 'a refused redemption burns nothing');
});

test('under another rate the reward is the value times the rate, converted at its tokens per ' +
  'unit; a review of an order below the minimum earns nothing and does not count', TIMEOUT,
async () => {
  // Governance lowers the reward rate of USDX to 0.1% and sets 1.5 LOY per USDX: now the value
  // times the rate is the smaller bound.
  const rate = { rewardRate: 1_000, tokensPerUnit: 3n * FIXED / 2n,
    minOrderValue: usdxRate.minOrderValue };
  await sudo(api.tx.loyalty.setCurrencyRate(USDX_CUR, rate));
  try {
    const price = 100n * STABLE;
    const { id, fees } = await confirmedOrder(dave, price, 'another rate');
    const { reward: earned, counted } = await review(dave, id, 4);
    // min(0.1% of 100 USDX = 0.1 USDX, 50% of 0.9 USDX) × 1.5: 0.15 LOY.
    assert.equal(earned, rewardFor(price, fees, rate));
    assert.equal(earned, 150_000n, 'the rate, not the fees, bounds this reward');
    assert.ok(counted);

    // An order of 4 USDX is below the 5 USDX minimum: no reward, and the merchant's reputation
    // does not move.
    const before = await api.call.loyaltyApi.reputation(bob.address);
    const small = await confirmedOrder(dave, 4n * STABLE, 'below the minimum');
    const tiny = await review(dave, small.id, 1);
    assert.deepEqual([tiny.reward, tiny.counted], [0n, false]);
    assert.ok((await api.call.loyaltyApi.pendingReward(small.id)).isNone, 'nothing pending');
    const after = await api.call.loyaltyApi.reputation(bob.address);
    assert.deepEqual([after.count.toNumber(), after.sum.toNumber()],
      [before.count.toNumber(), before.sum.toNumber()], 'the review did not count');
    const recent = await api.call.loyaltyApi.recentReviews(bob.address, 0, 20);
    assert.ok(!recent.some((r) => r.orderId.toNumber() === small.id), 'nor is it listed');
  } finally {
    await sudo(api.tx.loyalty.setCurrencyRate(USDX_CUR, usdxRate));
  }
  const restored = (await api.call.loyaltyApi.currencyRate(USDX_CUR)).unwrap();
  assert.equal(big(restored.tokensPerUnit), usdxRate.tokensPerUnit);
});
