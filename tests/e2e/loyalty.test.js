// End to end: the loyalty token (issue 5). Starts `entrepot-node --dev` and drives the Loyalty
// pallet with @polkadot/api: a confirmed USDX order is reviewed, and its reward vests as LOY in
// the customer's asset balance in the block its after-sales window closes; a refund before
// vesting claws the reward back in proportion; a redemption at a merchant who accepts the token
// burns the tokens and pays the customer the discount out of the order's escrow.
//
// Arithmetic (genesis rate for USDX, docs/loyalty.md): 2% of the order's value back, 1 LOY per
// USDX; LOY and USDX both have 6 decimals, so a reward in LOY base units is 2% of the value in
// USDX base units.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { blake2AsHex } from '@polkadot/util-crypto';
import { waitForEvent } from './lib/node.js';
import {
  devChain, palletAccount, submit as submitTx, theEvent, SHORT_POLICY_BOUNDS,
} from './lib/chain.js';

const USDX = 1;
const USDX_CUR = { WithId: USDX };
const LOY = 3; // asset id of the loyalty token
const STABLE = 1_000_000n; // one USDX (and one LOY)
const PERMILL = 1_000_000n;
const REWARD_RATE = 20_000n; // genesis: 2% for USDX
const AFTER_SALES_WINDOW = 8; // blocks of 6 s: room for a review and a refund before vesting
const LOYALTY_SHARE = 100_000; // Permill: Bob accepts LOY for up to 10% of an order
const POLICY = {
  currencies: ['Native', USDX_CUR],
  shipWithin: 50,
  autoConfirmAfter: 60,
  refundResponseWithin: 10,
  returnWindow: 10,
  afterSalesWindow: AFTER_SALES_WINDOW,
  holdback: 100_000, // 10%
  loyaltyShare: LOYALTY_SHARE,
};
const TIMEOUT = { timeout: 240_000 };

let chain;
let api;
let alice; // sudo
let bob; // the merchant
let charlie; // a customer
let dave; // another customer

const big = (codec) => codec.toBigInt();
const submit = (tx, signer) => submitTx(api, tx, signer);
const sudo = (call) => submit(api.tx.sudo.sudo(call), alice);
const reward = (value) => (value * REWARD_RATE) / PERMILL;

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
    blake2AsHex(`order ${note}`), null, 'Escrow'), customer);
  return theEvent(placed.events, 'orders.OrderPlaced').data.orderId.toNumber();
}

/**
 * `customer`'s order of `price` is placed, shipped and confirmed: loyalty records it as
 * reviewable at its whole value. Returns the id and the end of its after-sales window.
 */
async function confirmedOrder(customer, price, note) {
  const id = await placeOrder(customer, price, note);
  await submit(api.tx.orders.markShipped(id, blake2AsHex(`tracking ${note}`)), bob);
  const confirmed = await submit(api.tx.orders.confirmReceipt(id), customer);
  const paid = theEvent(confirmed.events, 'orders.MerchantPaid', id);
  const reviewable = theEvent(confirmed.events, 'loyalty.OrderReviewable', id);
  assert.ok(reviewable.data.customer.eq(customer.address), 'OrderReviewable: customer');
  assert.equal(big(reviewable.data.value), price, 'OrderReviewable: the settled value');
  return { id, afterSalesUntil: paid.data.afterSalesUntil.toNumber() };
}

/** `customer` reviews order `id`; checks the event; returns the reward and when it vests. */
async function review(customer, id, rating) {
  const hash = blake2AsHex(`review of order ${id}`);
  const result = await submit(api.tx.loyalty.review(id, rating, hash), customer);
  const reviewed = theEvent(result.events, 'loyalty.Reviewed', id);
  assert.ok(reviewed.data.merchant.eq(bob.address), 'Reviewed: merchant');
  assert.equal(reviewed.data.rating.toNumber(), rating, 'Reviewed: rating');
  assert.equal(reviewed.data.reviewHash.toHex(), hash, 'Reviewed: review hash');
  return { reward: big(reviewed.data.reward), vestsAt: reviewed.data.vestsAt.toNumber() };
}

/** Waits for order `id`'s reward to vest from block `from` on. */
function vested(id, from) {
  return waitForEvent(api, {
    from,
    match: (ev) => ev.section === 'loyalty' && ev.method === 'RewardVested' &&
      ev.data.orderId.toNumber() === id,
    timeoutMs: 120_000,
  });
}

// ---- Set-up -----------------------------------------------------------------------------------

before(async () => {
  chain = await devChain({ pallets: ['orders', 'escrow', 'loyalty'] });
  ({ api } = chain);
  ({ alice, bob, charlie, dave } = chain.accounts);
  await sudo(api.tx.orders.setPolicyBounds(SHORT_POLICY_BOUNDS));
  await submit(api.tx.orders.registerMerchant(POLICY), bob);
}, { timeout: 180_000 });

after(async () => {
  await chain?.stop();
});

// ---- Tests ------------------------------------------------------------------------------------

test('genesis: LOY is an asset administered by the loyalty pallet; USDX earns 2%', TIMEOUT,
  async () => {
    const metadata = await api.query.assets.metadata(LOY);
    assert.equal(metadata.symbol.toUtf8(), 'LOY');
    assert.equal(metadata.decimals.toNumber(), 6);
    const details = (await api.query.assets.asset(LOY)).unwrap();
    const loyalty = palletAccount(api, 'ent/loya');
    assert.equal(details.owner.toString(), loyalty, 'owner: the loyalty pallet account');
    assert.equal(details.admin.toString(), loyalty, 'admin: the loyalty pallet account');
    assert.equal(details.issuer.toString(), loyalty, 'issuer: the loyalty pallet account');
    assert.equal(big(details.supply), 0n, 'no LOY before any reward');
    const rate = (await api.call.loyaltyApi.currencyRate(USDX_CUR)).unwrap();
    assert.equal(big(rate.rewardRate), REWARD_RATE);
    assert.equal(big(rate.tokensPerUnit), 10n ** 18n, 'FixedU128 1: 1 LOY per USDX');
    // Only governance sets rates.
    await assert.rejects(submit(api.tx.loyalty.setEarningPaused(true), bob), /badOrigin/i);
  });

test('a reviewed order earns LOY that vests when its after-sales window closes', TIMEOUT,
  async () => {
    const price = 100n * STABLE;
    const { id, afterSalesUntil } = await confirmedOrder(charlie, price, 'vesting');
    assert.ok((await api.call.loyaltyApi.completedOrder(id)).isSome, 'reviewable');

    const { reward: earned, vestsAt } = await review(charlie, id, 5);
    assert.equal(earned, reward(price), '2% of 100 USDX: 2 LOY');
    assert.equal(vestsAt, afterSalesUntil, 'vests when the after-sales window closes');
    const pending = (await api.call.loyaltyApi.pendingReward(id)).unwrap();
    assert.equal(big(pending.reward), earned);
    assert.equal(await loy(charlie.address), 0n, 'nothing spendable before vesting');
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
  const { id, afterSalesUntil } = await confirmedOrder(dave, price, 'clawback');
  const { reward: earned } = await review(dave, id, 2);
  assert.equal(earned, reward(price), '2% of 50 USDX: 1 LOY');

  // 5 USDX back out of the holdback: the order is worth 45 USDX, the reward 45/50 of itself.
  const refund = 5n * STABLE;
  await submit(api.tx.orders.requestRefund(id, refund, false, 'Damaged'), dave);
  const accepted = await submit(api.tx.orders.acceptRefund(id), bob);
  assert.equal(big(theEvent(accepted.events, 'orders.RefundPaid', id).data.amount), refund);
  const remaining = (earned * (price - refund)) / price;
  const clawed = theEvent(accepted.events, 'loyalty.RewardClawedBack', id);
  assert.equal(big(clawed.data.amount), earned - remaining, 'clawed back');
  assert.equal(big(clawed.data.remaining), remaining, 'left of the reward');
  assert.ok(accepted.number < afterSalesUntil, 'the refund came before vesting');

  const found = await vested(id, accepted.number);
  assert.equal(found.blockNumber, afterSalesUntil);
  assert.equal(big(found.event.data.amount), remaining);
  assert.equal(await loy(dave.address, found.blockHash), remaining,
    'only what is left of the reward is minted');
});

test('redeeming LOY at a merchant who accepts it burns the tokens and returns the discount ' +
  'from escrow', TIMEOUT, async () => {
  const tokens = await loy(charlie.address);
  assert.ok(tokens >= 2n * STABLE, 'Charlie holds the LOY earned above');
  // Bob accepts LOY for 10% of an order: 1 USDX of a 10 USDX order.
  const price = 10n * STABLE;
  const id = await placeOrder(charlie, price, 'redeem');
  const supply = await loySupply();

  const amount = 600_000n; // 0.6 LOY, worth 0.6 USDX
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

  // Another 0.6 LOY would take the discount past Bob's 10%.
  await assert.rejects(submit(api.tx.loyalty.redeem(id, amount), charlie),
    /loyalty\.ExceedsLoyaltyShare/);
  assert.equal(await loy(charlie.address), tokens - amount, 'a refused redemption burns nothing');
});
