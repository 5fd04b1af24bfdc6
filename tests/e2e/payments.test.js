// End to end: paying in the currency one holds (docs/payments.md). Starts `entrepot-node --dev`
// and drives it with @polkadot/api, with no custom types:
//
// - a fresh account that only ever receives CNYX (no ENT at any time) buys from Bob, a merchant
//   who accepts only USDX: it asks for a quote, places the order paying CNYX exchanged at
//   checkout, and pays every transaction fee in CNYX (`signAndSend(.., { assetId })`); Bob
//   ships, the customer confirms and reviews; the reused payment reference is refused;
// - a second order is partly refunded: the refund comes back in CNYX at the rate paid;
// - a third is disputed (Bob opens it over a refund request, the customer accepts his
//   settlement, which needs no deposit from it): the refund comes back in CNYX too;
// - a fourth is disputed by the customer itself: its dispute deposit is held in CNYX (each part
//   at its reference value), and comes back in CNYX with the settlement.
//
// Every CNYX balance of the customer is checked to the unit against its fees (the
// `assetTxPayment.AssetTxFeePaid` events), payments and refunds.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { blake2AsHex, randomAsHex } from '@polkadot/util-crypto';
import {
  devChain, eventsNamed, shortestPolicy, submit as submitTx, theEvent,
} from './lib/chain.js';

const USDX = 1;
const CNYX = 2;
const USDX_CUR = { WithId: USDX };
const CNYX_CUR = { WithId: CNYX };
const COIN = 1_000_000n; // one USDX or CNYX (6 decimals)
// `ChargeAssetTxPayment`'s `assetId` as polkadot.js encodes it: asset 2 of pallet-assets
// (pallet index 22), as an XCM location.
const PAY_FEES_IN_CNYX = {
  parents: 0, interior: { X2: [{ PalletInstance: 22 }, { GeneralIndex: CNYX }] },
};
const TIMEOUT = { timeout: 120_000 };

let chain;
let api;
let alice;
let bob; // the merchant: USDX only
let customer; // holds CNYX only

const submit = (tx, signer, options) => submitTx(api, tx, signer, options);
const big = (codec) => codec.toBigInt();

async function assetBalance(asset, who) {
  const account = await api.query.assets.account(asset, who);
  return account.isSome ? big(account.unwrap().balance) : 0n;
}
const cnyx = (who = customer.address) => assetBalance(CNYX, who);
const usdx = (who) => assetBalance(USDX, who);

/** The customer's ENT: none, ever. */
async function assertNoEnt() {
  const { data } = await api.query.system.account(customer.address);
  assert.equal(big(data.free) + big(data.reserved), 0n, 'the customer holds no ENT');
}

/** The CNYX fee the customer paid for a transaction, from its events. */
function feeIn(events) {
  const paid = theEvent(events, 'assetTxPayment.AssetTxFeePaid');
  assert.equal(paid.data.who.toString(), customer.address);
  assert.ok(big(paid.data.actualFee) > 0n);
  return big(paid.data.actualFee);
}

/** The customer sends `tx` paying its fee in CNYX; resolves with the result and the fee. */
async function pay(tx) {
  const result = await submit(tx, customer, { assetId: PAY_FEES_IN_CNYX });
  return { ...result, fee: feeIn(result.events) };
}

/** The customer sends `tx`, which must fail with `name`; resolves with the fee it still paid. */
async function refused(tx, name) {
  try {
    await submit(tx, customer, { assetId: PAY_FEES_IN_CNYX });
  } catch (error) {
    assert.equal(error.message, name);
    return feeIn(error.events);
  }
  throw new Error(`expected ${name}`);
}

function items(price) {
  return [{ product: blake2AsHex(`item of ${price}`), quantity: 1, unitPrice: price }];
}

/**
 * The customer quotes and places an order of `price` USDX with Bob, paying CNYX; checks that
 * what it paid equals the quote and what left its account; returns the order id, what it paid
 * and the order's reference.
 */
async function placeInCnyx(price, reference = randomAsHex(32)) {
  const quote = (await api.call.ordersApi.quote(CNYX_CUR, USDX_CUR, price)).unwrap();
  assert.equal(big(quote.amount), price);
  const before = await cnyx();
  const placed = await pay(api.tx.orders.placeOrderExchanged(bob.address, USDX_CUR, items(price),
    0, blake2AsHex(`order of ${price}`), null, reference, CNYX_CUR, quote.payAmount,
    quote.expiresAt));
  const event = theEvent(placed.events, 'orders.OrderPlaced');
  const orderId = event.data.orderId.toNumber();
  const exchange = event.data.exchange.unwrap();
  assert.deepEqual(exchange.currency.toJSON(), { withId: CNYX });
  const paid = big(exchange.paid);
  assert.equal(paid, big(quote.payAmount), 'paid exactly the quote');
  // The deposit is held in CNYX: the customer has no ENT.
  assert.deepEqual(event.data.depositCurrency.toJSON(), { withId: CNYX });
  const deposit = big(event.data.deposit);
  assert.equal(await cnyx(), before - placed.fee - paid - deposit, 'fee + payment + deposit');
  // Escrow holds the merchant's currency.
  const escrow = (await api.call.ordersApi.escrow(orderId)).unwrap();
  assert.deepEqual(escrow.currency.toJSON(), { withId: USDX });
  assert.equal(big(escrow.locked), price);
  assert.equal(event.data.reference.toHex(), reference);
  // The escrow's own record of the money names the reference too.
  assert.equal(theEvent(placed.events, 'escrow.Locked').data.reference.toHex(), reference);
  return { orderId, paid, reference };
}

before(async () => {
  chain = await devChain({ name: 'payments', pallets: ['exchange', 'assetConversion'] });
  ({ api } = chain);
  ({ alice, bob } = chain.accounts);
  customer = chain.keyring.addFromUri('//PaysInCnyx');
  await submit(api.tx.orders.registerMerchant(await shortestPolicy(api, [USDX_CUR])), bob);
  // The customer's only money: 2 000 CNYX from Alice.
  await submit(api.tx.assets.transferKeepAlive(CNYX, customer.address, 2_000n * COIN), alice);
  await assertNoEnt();
});

after(async () => {
  await chain?.stop();
});

test('a customer holding only CNYX buys from a USDX-only merchant: quote, fees in CNYX, ship, ' +
  'confirm, review; the reused reference is refused', TIMEOUT, async () => {
  const price = 50n * COIN;
  const bobBefore = await usdx(bob.address);
  const { orderId, reference } = await placeInCnyx(price);
  const found = await api.call.ordersApi.orderByReference(bob.address, reference);
  assert.equal(found.unwrap()[0].toNumber(), orderId);

  // The client resubmits the checkout: refused, nothing paid but the fee.
  let before = await cnyx();
  const quote = (await api.call.ordersApi.quote(CNYX_CUR, USDX_CUR, price)).unwrap();
  const fee = await refused(api.tx.orders.placeOrderExchanged(bob.address, USDX_CUR,
    items(price), 0, blake2AsHex('again'), null, reference, CNYX_CUR, quote.payAmount,
    quote.expiresAt), 'orders.DuplicateReference');
  assert.equal(await cnyx(), before - fee);

  await submit(api.tx.orders.markShipped(orderId, blake2AsHex('tracking 1')), bob);
  before = await cnyx();
  const confirmed = await pay(api.tx.orders.confirmReceipt(orderId));
  const paidOut = theEvent(confirmed.events, 'orders.MerchantPaid', orderId);
  assert.equal(paidOut.data.reference.toHex(), reference);
  assert.equal(big(paidOut.data.gross), price, 'no holdback');
  assert.equal(await usdx(bob.address), bobBefore + big(paidOut.data.net), 'Bob is paid in USDX');
  const reviewed = await pay(api.tx.loyalty.review(orderId, 5, blake2AsHex('great tea')));
  theEvent(reviewed.events, 'loyalty.Reviewed', orderId);
  assert.equal(await cnyx(), before - confirmed.fee - reviewed.fee);
  await assertNoEnt();
});

test('a partial refund comes back in CNYX at the rate the customer paid', TIMEOUT, async () => {
  const price = 20n * COIN;
  const { orderId, paid, reference } = await placeInCnyx(price);
  await submit(api.tx.orders.markShipped(orderId, blake2AsHex('tracking 2')), bob);
  const refund = 8n * COIN;
  const requested = await pay(api.tx.orders.requestRefund(orderId, refund, false, 'Damaged'));
  const before = await cnyx();
  const accepted = await submit(api.tx.orders.acceptRefund(orderId), bob);
  const refunded = theEvent(accepted.events, 'orders.RefundPaid', orderId);
  assert.equal(refunded.data.reference.toHex(), reference);
  assert.equal(big(refunded.data.amount), refund);
  const owed = (paid * refund) / price;
  assert.deepEqual(refunded.data.converted.unwrap().map((x) => x.toJSON()),
    [{ withId: CNYX }, Number(owed)]);
  assert.equal(await cnyx(), before + owed, 'exactly 8/20 of what was paid, in CNYX');
  assert.ok(requested.fee > 0n);
  await assertNoEnt();
});

test('a disputed order: the customer accepts the merchant\'s settlement without a deposit, and ' +
  'the refund comes back in CNYX', TIMEOUT, async () => {
  const price = 30n * COIN;
  const { orderId, paid } = await placeInCnyx(price);
  await submit(api.tx.orders.markShipped(orderId, blake2AsHex('tracking 3')), bob);
  await pay(api.tx.orders.requestRefund(orderId, price, false, 'NotAsDescribed'));
  // Bob disputes the request and offers 12 USDX back.
  const opened = await submit(api.tx.disputes.openDispute(orderId, 'Agreement', 'Damaged',
    blake2AsHex('photos of the parcel')), bob);
  const disputeId = theEvent(opened.events, 'disputes.DisputeOpened').data.disputeId;
  await submit(api.tx.disputes.proposeSettlement(disputeId, 12n * COIN), bob);
  const before = await cnyx();
  const accepted = await pay(api.tx.disputes.acceptSettlement(disputeId));
  const refunded = theEvent(accepted.events, 'orders.RefundPaid', orderId);
  const owed = (paid * 12n * COIN) / price;
  assert.deepEqual(refunded.data.converted.unwrap().map((x) => x.toJSON()),
    [{ withId: CNYX }, Number(owed)]);
  // The settlement ends the dispute and the order: its deposit comes back, in CNYX.
  const archived = theEvent(accepted.events, 'orders.OrderArchived', orderId);
  const deposit = big(archived.data.deposit);
  assert.ok(deposit > 0n);
  assert.equal(await cnyx(), before - accepted.fee + owed + deposit);
  await assertNoEnt();
});

test('the customer opens a dispute itself: the deposit is held in CNYX at its reference value ' +
  'and comes back in CNYX', TIMEOUT, async () => {
  const price = 40n * COIN;
  const { orderId, paid, reference } = await placeInCnyx(price);
  await submit(api.tx.orders.markShipped(orderId, blake2AsHex('tracking 4')), bob);
  const before = await cnyx();
  const opened = await pay(api.tx.disputes.openDispute(orderId, 'Agreement', 'NotReceived',
    blake2AsHex('no parcel')));
  const event = theEvent(opened.events, 'disputes.DisputeOpened').data;
  assert.equal(event.reference.toHex(), reference);
  // No ENT and no USDX: both parts in CNYX, at the reference rates (1 USDX = 2 ENT = 7 CNYX).
  const deposit = event.deposit;
  assert.deepEqual(deposit.heldIn.toJSON(), { withId: CNYX });
  const held = big(deposit.native) + big(deposit.stake);
  assert.ok(big(deposit.native) > 0n && big(deposit.stake) > 0n);
  assert.equal(await cnyx(), before - opened.fee - held, 'fee + deposit, in CNYX');
  await assertNoEnt();

  // Bob offers 15 USDX back; the customer accepts: the refund at the rate paid and both
  // deposits come back in CNYX.
  await submit(api.tx.disputes.proposeSettlement(event.disputeId, 15n * COIN), bob);
  const mid = await cnyx();
  const accepted = await pay(api.tx.disputes.acceptSettlement(event.disputeId));
  const owed = (paid * 15n * COIN) / price;
  // Bob engaged by his offer: both deposits come back, the customer's in CNYX.
  const returned = eventsNamed(accepted.events, 'disputes.DepositReturned')
    .map((e) => e.data).find((d) => d.who.toString() === customer.address);
  assert.ok(returned, 'the customer\'s deposit is returned');
  assert.deepEqual(returned.amount.heldIn.toJSON(), { withId: CNYX });
  assert.equal(big(returned.amount.native) + big(returned.amount.stake), held);
  const orderDeposit = big(theEvent(accepted.events, 'orders.OrderArchived', orderId).data.deposit);
  assert.equal(await cnyx(), mid - accepted.fee + owed + orderDeposit + held);
  const resolved = theEvent(accepted.events, 'disputes.Resolved').data;
  assert.equal(resolved.reference.toHex(), reference);
  await assertNoEnt();
});
