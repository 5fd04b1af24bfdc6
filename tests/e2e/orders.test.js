// End to end: the payment core (issue 3). Starts `entrepot-node --dev` and drives the Orders
// and Escrow pallets with @polkadot/api: a merchant registers; USDX escrow orders are confirmed,
// cancelled, partly refunded, fully refunded with a return and auto-confirmed; an ENT order is
// paid directly; a backlog of due timers is worked off within its deadline block.
// Every balance that moves is checked to the unit against the fee and holdback rules (both
// rounded down, see docs/orders.md), and every balance that must not move is checked not to
// have moved. Escrowed money leaves the customer's account for the keyless escrow account
// (`ent/escr`), where it is held; payouts leave from there. ENT balances also move by
// transaction fees: they are taken from each transaction's
// `transactionPayment.TransactionFeePaid` event (they go to the platform account, which is also
// the platform-fee account).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { blake2AsHex, randomAsHex } from '@polkadot/util-crypto';
import { stringToU8a, u8aToHex, compactToU8a } from '@polkadot/util';
import { send, blockNumber, waitForEvent } from './lib/node.js';
import { devChain, eventsNamed, theEvent, shortPolicyBounds } from './lib/chain.js';

const UNITS = 10n ** 12n; // one ENT
const ED = 10n ** 9n; // ENT existential deposit
const USDX = 1;
const USDX_CUR = { WithId: USDX };
const ENT_CUR = 'Native';
const CNYX = 2;
const USDX_MIN_BALANCE = 10_000n;
const PERMILL = 1_000_000n;
const LINE_ITEM_BYTES = 52; // SCALE: product H256 (32), quantity u32 (4), unit price u128 (16)

// Short windows (blocks of 1 s): long enough for the next transactions to get in first, short
// enough to wait for the timers.
const SHIP_WITHIN = 12;
const AUTO_CONFIRM_AFTER = 8;
const REFUND_RESPONSE_WITHIN = 8;
const RETURN_WINDOW = 8;
const AFTER_SALES_WINDOW = 4;
const HOLDBACK = 100_000; // Permill: 10%
const POLICY = {
  currencies: [ENT_CUR, USDX_CUR],
  shipWithin: SHIP_WITHIN,
  autoConfirmAfter: AUTO_CONFIRM_AFTER,
  refundResponseWithin: REFUND_RESPONSE_WITHIN,
  returnWindow: RETURN_WINDOW,
  afterSalesWindow: AFTER_SALES_WINDOW,
  holdback: HOLDBACK,
  loyaltyShare: 0,
};
let BOUNDS; // the runtime's default policy bounds with every minimum lowered to one block

const TIMEOUT = { timeout: 120_000 };

let api;
let alice;
let bob; // the merchant
let charlie; // the customer
let dave; // a bystander
let eve; // another customer (of the timer backlog)
let ferdie; // a stranger to every order
let platform; // the platform (fee) account, PalletId(*b"ent/plat")
let escrowAccount; // the escrow account, PalletId(*b"ent/escr")
let who; // name -> address of the accounts whose balances are tracked
let platformFee; // Permill parts
let merchantDeposit;
let orderDepositBase;
let orderDepositPerByte;
let genesis; // balances at genesis
let genesisIssuance;

// ---- Arithmetic, as the pallets do it ---------------------------------------------------------

const mulFloor = (parts, x) => (x * BigInt(parts)) / PERMILL;
/** Fee and net of a payout of `gross` (the fee rounds down). */
const payout = (gross) => {
  const fee = mulFloor(platformFee, gross);
  return { gross, fee, net: gross - fee };
};
/** Settlement of `locked`: the holdback (rounded down) stays, the rest is paid out. */
const settlement = (locked) => {
  const holdback = mulFloor(HOLDBACK, locked);
  return { holdback, ...payout(locked - holdback) };
};
const item = (name, quantity, unitPrice) => ({ product: blake2AsHex(name), quantity, unitPrice });
const totalOf = (items, freight) =>
  items.reduce((sum, i) => sum + BigInt(i.quantity) * i.unitPrice, freight);
/**
 * The bytes an order stores beyond its base record, which its deposit pays for: its line items,
 * SCALE-encoded with their compact length prefix, and its optional document (`None`: one byte;
 * `Some`: one byte, the compact length and the bytes).
 */
const storedBytes = (itemCount, encryptedLen) =>
  compactToU8a(itemCount).length + LINE_ITEM_BYTES * itemCount +
  (encryptedLen === null ? 1 : 1 + compactToU8a(encryptedLen).length + encryptedLen);
const depositFor = (itemCount, encryptedLen) =>
  orderDepositBase + orderDepositPerByte * BigInt(storedBytes(itemCount, encryptedLen));

// ---- Events ----------------------------------------------------------------------------------

const big = (codec) => codec.toBigInt();
const isUsdx = (currency) => currency.isWithId && currency.asWithId.toNumber() === USDX;

/** Checks the escrow.Released / orders payout event's amounts. */
function assertPayout(ev, expected, label) {
  assert.equal(big(ev.data.gross), expected.gross, `${label}: gross`);
  assert.equal(big(ev.data.fee), expected.fee, `${label}: fee`);
  assert.equal(big(ev.data.net), expected.net, `${label}: net`);
}

// ---- Transaction fees -------------------------------------------------------------------------

/**
 * The transaction fees paid, from TransactionFeePaid events, in order. `mark()` and `since(mark)`
 * give the fees of an interval (between two balance snapshots).
 */
class TxFees {
  constructor(entries = []) { this.entries = entries; }

  add(events) {
    for (const ev of eventsNamed(events ?? [], 'transactionPayment.TransactionFeePaid')) {
      // actual_fee includes the tip.
      this.entries.push({ payer: ev.data.who.toHex(), fee: big(ev.data.actualFee) });
    }
  }

  mark() { return this.entries.length; }

  since(mark) { return new TxFees(this.entries.slice(mark)); }

  of(address) {
    const payer = api.createType('AccountId', address).toHex();
    return this.entries.filter((e) => e.payer === payer).reduce((a, e) => a + e.fee, 0n);
  }

  total() { return this.entries.reduce((a, e) => a + e.fee, 0n); }

  /** The fees of this log and of `others` together. */
  plus(...others) {
    return new TxFees([this, ...others].flatMap((log) => log.entries));
  }
}

/**
 * Sends `tx` from `signer` expecting it to fail with the error `name` (e.g. `orders.NotCustomer`);
 * records its fee; resolves with the block it was included in.
 */
async function submitFailing(fees, tx, signer, name) {
  const error = await submit(fees, tx, signer).then(
    () => assert.fail(`expected ${name}, the transaction succeeded`), (e) => e);
  assert.equal(error.message, name);
  assert.ok(error.blockHash, `${name}: the failed transaction was included in a block`);
  return error.blockHash;
}

/** Sends `tx` from `signer`, recording its fee (also when it fails). */
async function submit(fees, tx, signer) {
  try {
    const result = await send(api, tx, signer);
    fees.add(result.events);
    return { ...result, number: await blockNumber(api, result.blockHash) };
  } catch (error) {
    fees.add(error.events);
    throw error;
  }
}

// ---- Balances ---------------------------------------------------------------------------------

const FIELDS = ['free', 'reserved', 'usdx', 'usdxHeld'];

/** ENT free/reserved and USDX balance/held of every tracked account, after block `hash`. */
async function balances(hash) {
  const at = await api.at(hash ?? await api.rpc.chain.getBlockHash());
  const out = {};
  for (const [name, address] of Object.entries(who)) {
    const { data } = await at.query.system.account(address);
    const account = await at.query.assets.account(USDX, address);
    const held = await at.query.assetsHolder.balancesOnHold(USDX, address);
    out[name] = {
      free: big(data.free),
      reserved: big(data.reserved),
      usdx: account.isSome ? big(account.unwrap().balance) : 0n,
      usdxHeld: held.isSome ? big(held.unwrap()) : 0n,
    };
  }
  return out;
}

/**
 * Asserts that from `before` to `after` every tracked balance changed by exactly `changes`
 * (name -> field -> delta, default 0), plus the transaction fees in `fees`: each signer's free
 * ENT went down by what it paid, the platform account's went up by all of it.
 */
function assertChanges(before, after, fees, changes, label) {
  for (const name of Object.keys(who)) {
    for (const field of FIELDS) {
      let want = changes[name]?.[field] ?? 0n;
      if (field === 'free') {
        want -= fees.of(who[name]);
        if (name === 'platform') want += fees.total();
      }
      assert.equal(after[name][field] - before[name][field], want,
        `${label}: change of ${name}.${field}`);
    }
  }
}

// ---- Runtime API ------------------------------------------------------------------------------

async function apiOrder(id) {
  return api.call.ordersApi.order(id);
}

async function apiOrderIdsOfCustomer(address, startAfter = null, limit = 100) {
  const page = await api.call.ordersApi.ordersOfCustomer(address, startAfter, limit);
  return page.map(([id]) => id.toNumber());
}

async function apiTotalLocked(currency) {
  return big(await api.call.ordersApi.totalLocked(currency));
}

// ---- Steps shared by the tests ----------------------------------------------------------------

/** Charlie places an order with Bob; returns the id, the block and the events. */
async function placeOrder(fees, { currency = USDX_CUR, items, freight, encrypted = null,
  mode = 'Escrow', note, reference = randomAsHex(32) }) {
  // Bytes from a hex string are the bytes themselves (a Uint8Array would be read as SCALE).
  const tx = api.tx.orders.placeOrder(bob.address, currency, items, freight,
    blake2AsHex(note), encrypted ? u8aToHex(encrypted) : null, mode, reference);
  const encryptedLen = encrypted ? encrypted.length : null;
  // The stored bytes counted by hand are those of the call's own encoding of both arguments.
  const [, , itemsArg, , , documentArg] = tx.method.args;
  assert.equal(itemsArg.encodedLength + documentArg.encodedLength,
    storedBytes(items.length, encryptedLen), 'line items and document: stored bytes');
  const result = await submit(fees, tx, charlie);
  const placed = theEvent(result.events, 'orders.OrderPlaced');
  const id = placed.data.orderId.toNumber();
  const total = totalOf(items, freight);
  assert.ok(placed.data.customer.eq(charlie.address), 'OrderPlaced: customer');
  assert.ok(placed.data.merchant.eq(bob.address), 'OrderPlaced: merchant');
  assert.equal(big(placed.data.total), total, 'OrderPlaced: total');
  assert.equal(placed.data.mode.type, mode, 'OrderPlaced: mode');
  assert.equal(big(placed.data.deposit), depositFor(items.length, encryptedLen),
    'OrderPlaced: deposit');
  if (mode === 'Escrow') {
    const locked = theEvent(result.events, 'escrow.Locked', id);
    assert.ok(locked.data.payer.eq(charlie.address) && locked.data.payee.eq(bob.address));
    assert.equal(big(locked.data.amount), total, 'escrow.Locked: amount');
  }
  return { ...result, id, total, deposit: big(placed.data.deposit) };
}

/** Bob marks the order shipped; returns the block and the auto-confirm block. */
async function ship(fees, id) {
  const tracking = blake2AsHex(`tracking of order ${id}`);
  const result = await submit(fees, api.tx.orders.markShipped(id, tracking), bob);
  const shipped = theEvent(result.events, 'orders.OrderShipped', id);
  assert.equal(shipped.data.tracking.toHex(), tracking);
  assert.equal(shipped.data.confirmBy.toNumber(), result.number + AUTO_CONFIRM_AFTER,
    'confirm_by = shipped + auto_confirm_after');
  return { ...result, confirmBy: shipped.data.confirmBy.toNumber() };
}

/**
 * Checks the events of a settlement (the merchant paid `locked` minus the holdback, minus the
 * fee) in `events`; returns the expected amounts and the end of the after-sales window.
 */
function assertSettled(events, id, locked, settledAt) {
  const expected = settlement(locked);
  const released = theEvent(events, 'escrow.Released', id);
  assertPayout(released, expected, 'escrow.Released at settlement');
  assert.ok(released.data.payee.eq(bob.address) && isUsdx(released.data.currency));
  const paid = theEvent(events, 'orders.MerchantPaid', id);
  assertPayout(paid, expected, 'orders.MerchantPaid');
  assert.equal(big(paid.data.holdback), expected.holdback, 'MerchantPaid: holdback');
  assert.equal(paid.data.afterSalesUntil.toNumber(), settledAt + AFTER_SALES_WINDOW,
    'after_sales_until = settlement + after_sales_window');
  return { ...expected, afterSalesUntil: paid.data.afterSalesUntil.toNumber() };
}

/**
 * Waits for the after-sales window of order `id` to close; checks the holdback is released in
 * exactly that block (to the merchant, minus the fee) and the order archived as completed.
 * Returns the block's hash and the payout of the holdback.
 */
async function awaitHoldback(id, settled, deposit, { refunded = 0n, total }) {
  const found = await waitForEvent(api, {
    from: settled.afterSalesUntil - AFTER_SALES_WINDOW + 1,
    match: (ev) => ev.section === 'orders' && ev.method === 'HoldbackReleased' &&
      ev.data.orderId.toNumber() === id,
    timeoutMs: 120_000,
  });
  assert.equal(found.blockNumber, settled.afterSalesUntil,
    'the holdback is released in the block the after-sales window closes');
  const expected = payout(settled.holdback);
  assertPayout(found.event, expected, 'orders.HoldbackReleased');
  assertPayout(theEvent(found.events, 'escrow.Released', id), expected,
    'escrow.Released of the holdback');
  const closed = theEvent(found.events, 'escrow.Closed', id);
  assert.equal(big(closed.data.amount), total, 'escrow.Closed: amount');
  assert.equal(big(closed.data.refunded), refunded, 'escrow.Closed: refunded');
  assert.equal(big(closed.data.releasedGross), total - refunded, 'escrow.Closed: released_gross');
  assert.equal(big(closed.data.fees), settled.fee + expected.fee, 'escrow.Closed: fees');
  const archived = theEvent(found.events, 'orders.OrderArchived', id);
  assert.equal(archived.data.outcome.type, 'Completed');
  assert.equal(big(archived.data.deposit), deposit);
  assert.ok((await apiOrder(id)).isNone, 'the archived order is gone');
  return { hash: found.blockHash, ...expected };
}

// ---- Set-up -----------------------------------------------------------------------------------

let chain;

before(async () => {
  chain = await devChain({ pallets: ['orders', 'escrow'] });
  ({ api, platform, escrow: escrowAccount } = chain);
  ({ alice, bob, charlie, dave, eve, ferdie } = chain.accounts);
  who = { bob: bob.address, charlie: charlie.address, dave: dave.address, platform,
    escrow: escrowAccount };
  BOUNDS = await shortPolicyBounds(api);
}, { timeout: 180_000 });

after(async () => {
  await chain?.stop();
});

// ---- Tests ------------------------------------------------------------------------------------

test('genesis: 1% platform fee; the platform and escrow accounts hold ED ENT and the USDX and ' +
  'CNYX minimum (the platform also a float of each, for refunds converted back at the paid ' +
  'rate)', TIMEOUT, async () => {
    const float = { platform: { [USDX]: 100_000_000_000n, [CNYX]: 700_000_000_000n },
      escrow: { [USDX]: 0n, [CNYX]: 0n } };
    const genesisHash = await api.rpc.chain.getBlockHash(0);
    const at = await api.at(genesisHash);
    assert.equal(big((await at.query.assets.asset(USDX)).unwrap().minBalance), USDX_MIN_BALANCE);
    for (const [name, address] of [['platform', platform], ['escrow', escrowAccount]]) {
      const { data } = await at.query.system.account(address);
      assert.equal(big(data.free), ED, `${name} account: ED of ENT`);
      assert.equal(big(data.reserved), 0n);
      for (const asset of [USDX, CNYX]) {
        const minimum = big((await at.query.assets.asset(asset)).unwrap().minBalance);
        const account = await at.query.assets.account(asset, address);
        assert.ok(account.isSome, `${name} account holds asset ${asset}`);
        assert.equal(big(account.unwrap().balance), minimum + float[name][asset],
          `${name} account: minimum (and float) of ${asset}`);
      }
      assert.equal((await at.query.assetsHolder.holds(USDX, address)).length, 0);
    }

    platformFee = (await at.query.escrow.platformFee()).toNumber();
    assert.equal(platformFee, 10_000, 'platform fee 1%');
    merchantDeposit = big(api.consts.orders.merchantDeposit);
    orderDepositBase = big(api.consts.orders.orderDepositBase);
    orderDepositPerByte = big(api.consts.orders.orderDepositPerByte);
    assert.equal(merchantDeposit, 10n * UNITS, 'merchant deposit 10 ENT');
    assert.equal(orderDepositBase, 100_000_000_000n, 'order deposit deposit(5, 500): 0.1 ENT');
    assert.equal(orderDepositPerByte, 100_000_000n, 'order deposit per byte 100 µENT');

    genesis = await balances(genesisHash);
    genesisIssuance = big(await at.query.balances.totalIssuance());
    for (const name of ['bob', 'charlie', 'dave']) {
      assert.equal(genesis[name].free, 1_000_000n * UNITS, `${name}: 1,000,000 ENT`);
      assert.equal(genesis[name].usdx, 100_000n * 1_000_000n, `${name}: 100,000 USDX`);
    }
    assert.equal(await apiTotalLocked(USDX_CUR), 0n);
    assert.equal(await apiTotalLocked(ENT_CUR), 0n);
  });

test('the default bounds refuse short windows; sudo lowers the minimum windows',
  TIMEOUT, async () => {
    const fees = new TxFees();
    const before = await balances();
    await submitFailing(fees, api.tx.orders.registerMerchant(POLICY), bob,
      'orders.PolicyOutOfBounds');
    assert.ok((await api.query.orders.merchants(bob.address)).isNone, 'not registered');

    const result = await submit(fees,
      api.tx.sudo.sudo(api.tx.orders.setPolicyBounds(BOUNDS)), alice);
    const sudid = theEvent(result.events, 'sudo.Sudid');
    if (sudid.data.sudoResult.isErr) {
      const err = sudid.data.sudoResult.asErr;
      const meta = err.isModule ? api.registry.findMetaError(err.asModule) : null;
      const why = meta ? `${meta.section}.${meta.name}` : err.toString();
      assert.fail(`sudo(set_policy_bounds) failed: ${why}`);
    }
    const set = theEvent(result.events, 'orders.PolicyBoundsSet');
    assert.equal(set.data.bounds.autoConfirmAfter.min.toNumber(), 1);
    const inForce = await api.query.orders.policyBoundsInForce();
    for (const [window, { min, max }] of Object.entries(BOUNDS)) {
      if (window === 'maxHoldback') continue;
      assert.equal(inForce[window].min.toNumber(), min, `${window}.min`);
      assert.equal(inForce[window].max.toNumber(), max, `${window}.max`);
    }
    assert.equal(inForce.maxHoldback.toNumber(), BOUNDS.maxHoldback);
    // The refused registration cost Bob its transaction fee and nothing else.
    assertChanges(before, await balances(result.blockHash), fees, {}, 'refused registration');
  });

test('a merchant registers: MerchantRegistered, 10 ENT deposit held', TIMEOUT, async () => {
  const fees = new TxFees();
  const before = await balances();
  const result = await submit(fees, api.tx.orders.registerMerchant(POLICY), bob);
  const registered = theEvent(result.events, 'orders.MerchantRegistered');
  assert.ok(registered.data.merchant.eq(bob.address));
  assert.equal(big(registered.data.deposit), merchantDeposit);
  assertChanges(before, await balances(result.blockHash), fees,
    { bob: { free: -merchantDeposit, reserved: merchantDeposit } }, 'registration');

  const holds = await api.query.balances.holds(bob.address);
  const deposit = holds.find((h) => h.id.isOrders && h.id.asOrders.isMerchantDeposit);
  assert.ok(deposit, `a MerchantDeposit hold: ${JSON.stringify(holds.toHuman())}`);
  assert.equal(big(deposit.amount), merchantDeposit);

  const info = (await api.query.orders.merchants(bob.address)).unwrap();
  assert.equal(big(info.deposit), merchantDeposit);
  assert.equal((await api.query.orders.ordersOfMerchant.keys(bob.address)).length, 0,
    'no open orders');
  const policy = (await api.call.ordersApi.merchantPolicy(bob.address)).unwrap();
  assert.deepEqual(policy.currencies.map((c) => c.type), ['Native', 'WithId']);
  assert.equal(policy.currencies[1].asWithId.toNumber(), USDX);
  assert.equal(policy.shipWithin.toNumber(), SHIP_WITHIN);
  assert.equal(policy.autoConfirmAfter.toNumber(), AUTO_CONFIRM_AFTER);
  assert.equal(policy.refundResponseWithin.toNumber(), REFUND_RESPONSE_WITHIN);
  assert.equal(policy.returnWindow.toNumber(), RETURN_WINDOW);
  assert.equal(policy.afterSalesWindow.toNumber(), AFTER_SALES_WINDOW);
  assert.equal(policy.holdback.toNumber(), HOLDBACK);
  assert.ok((await api.call.ordersApi.merchantPolicy(dave.address)).isNone);
});

test('USDX escrow order: placed → shipped → confirmed; holdback paid when after-sales closes',
  TIMEOUT, async () => {
    const fees = new TxFees();
    const s0 = await balances();
    const items = [item('kettle', 2, 450_123_457n), item('mug', 1, 99_999_999n)];
    const freight = 12_345_679n;
    const encrypted = stringToU8a('sealed: 1, rue du Port, Nantes!!'); // 32 bytes
    assert.equal(encrypted.length, 32);
    const placed = await placeOrder(fees, { items, freight, encrypted, note: 'order A' });
    const { id, total, deposit } = placed;
    assert.equal(total, 1_012_592_592n);
    // Two line items (1 + 2 × 52 bytes) and a 32-byte document (1 + 1 + 32 bytes): 139 bytes.
    assert.equal(deposit, orderDepositBase + 139n * orderDepositPerByte);
    const s1 = await balances(placed.blockHash);
    // The money left Charlie (his total USDX, free and held, is down by the order's total) and
    // is held on the escrow account, whose own USDX balance stays at the minimum.
    assertChanges(s0, s1, fees, {
      charlie: { usdx: -total, free: -deposit, reserved: deposit },
      escrow: { usdxHeld: total },
    }, 'placed');
    assert.equal((s0.charlie.usdx + s0.charlie.usdxHeld) - (s1.charlie.usdx + s1.charlie.usdxHeld),
      total, 'the customer\'s total USDX dropped by the escrowed amount');
    assert.equal(s1.escrow.usdx, USDX_MIN_BALANCE, 'the escrow account keeps its minimum free');
    const placedMark = fees.mark();

    // The runtime API and storage agree with what happened.
    const order = (await apiOrder(id)).unwrap();
    assert.ok(order.customer.eq(charlie.address) && order.merchant.eq(bob.address));
    assert.ok(isUsdx(order.currency));
    assert.equal(big(order.total), total);
    assert.equal(big(order.locked), total);
    assert.equal(big(order.deposit), deposit);
    assert.equal(order.status.type, 'Placed');
    assert.equal(order.status.asPlaced.shipBy.toNumber(), placed.number + SHIP_WITHIN);
    assert.equal(order.encryptedDetails.unwrap().toHex(), u8aToHex(encrypted));
    assert.equal(order.policy.holdback.toNumber(), HOLDBACK);
    const escrow = (await api.call.ordersApi.escrow(id)).unwrap();
    assert.ok(escrow.payer.eq(charlie.address) && escrow.payee.eq(bob.address));
    assert.equal(big(escrow.amount), total);
    assert.equal(big(escrow.locked), total);
    assert.equal(await apiTotalLocked(USDX_CUR), total);
    assert.deepEqual(await apiOrderIdsOfCustomer(charlie.address), [id]);
    const merchantPage = await api.call.ordersApi.ordersOfMerchant(bob.address, null, 100);
    assert.deepEqual(merchantPage.map(([i]) => i.toNumber()), [id]);
    assert.equal((await api.query.assetsHolder.holds(USDX, charlie.address)).length, 0,
      'nothing is held on the customer\'s account');
    const holds = await api.query.assetsHolder.holds(USDX, escrowAccount);
    assert.equal(holds.length, 1);
    assert.ok(holds[0].id.isEscrow && holds[0].id.asEscrow.isEscrow, 'held for Escrow');
    assert.equal(big(holds[0].amount), total);
    const charlieHolds = await api.query.balances.holds(charlie.address);
    assert.deepEqual(charlieHolds.map((h) => [h.id.toJSON(), big(h.amount)]),
      [[{ orders: 'OrderDeposit' }, deposit]], 'the customer holds only the order deposit');

    const shipped = await ship(fees, id);
    assert.equal((await apiOrder(id)).unwrap().status.type, 'Shipped');

    const confirmed = await submit(fees, api.tx.orders.confirmReceipt(id), charlie);
    const receipt = theEvent(confirmed.events, 'orders.ReceiptConfirmed', id);
    assert.equal(receipt.data.auto.isTrue, false, 'confirmed by the customer, not the clock');
    const settled = assertSettled(confirmed.events, id, total, confirmed.number);
    // 10% of 1 012 592 592 = 101 259 259.2 → 101 259 259 held back; 1% of 911 333 333 →
    // 9 113 333 fee; 902 220 000 to the merchant.
    assert.equal(settled.holdback, 101_259_259n);
    assert.equal(settled.fee, 9_113_333n);
    assert.equal(settled.net, 902_220_000n);
    const s3 = await balances(confirmed.blockHash);
    assertChanges(s1, s3, fees.since(placedMark), {
      escrow: { usdxHeld: -settled.gross },
      bob: { usdx: settled.net },
      platform: { usdx: settled.fee },
    }, 'settled');
    const afterSettle = (await apiOrder(id)).unwrap();
    assert.equal(afterSettle.status.type, 'Settled');
    assert.equal(big(afterSettle.locked), settled.holdback);
    assert.equal(big(afterSettle.paidOut), settled.gross);
    assert.equal(await apiTotalLocked(USDX_CUR), settled.holdback);
    assert.equal(big((await api.call.ordersApi.escrow(id)).unwrap().locked), settled.holdback);
    assert.ok(shipped.number < confirmed.number);

    const release = await awaitHoldback(id, settled, deposit, { total });
    assert.equal(release.fee, 1_012_592n);
    assert.equal(release.net, 100_246_667n);
    const s4 = await balances(release.hash);
    // Between settlement and the after-sales block only the timer ran: no transaction fees.
    assertChanges(s3, s4, new TxFees(), {
      charlie: { free: deposit, reserved: -deposit },
      escrow: { usdxHeld: -settled.holdback },
      bob: { usdx: release.net },
      platform: { usdx: release.fee },
    }, 'holdback released');
    // Overall: the customer paid the total; merchant + fee account received exactly it.
    assertChanges(s0, s4, fees, {
      charlie: { usdx: -total },
      bob: { usdx: settled.net + release.net },
      platform: { usdx: settled.fee + release.fee },
    }, 'whole order');
    assert.equal(settled.net + release.net + settled.fee + release.fee, total,
      'merchant + customer + fee == paid');
    assert.equal(await apiTotalLocked(USDX_CUR), 0n);
    assert.ok((await api.call.ordersApi.escrow(id)).isNone);
    assert.deepEqual(await apiOrderIdsOfCustomer(charlie.address), []);
    assert.equal((await api.query.orders.ordersOfMerchant.keys(bob.address)).length, 0);
  });

test('a cancel by anyone but the customer is refused and changes nothing; the customer\'s ' +
  'cancel before shipping refunds everything', TIMEOUT, async () => {
  const fees = new TxFees();
  const s0 = await balances();
  const items = [item('teapot', 3, 33_333_333n)];
  const freight = 5_000_001n;
  const placed = await placeOrder(fees, { items, freight, note: 'order B' });
  const { id, total, deposit } = placed;
  // One line item (1 + 52 bytes), no document (1 byte): 54 bytes.
  assert.equal(deposit, orderDepositBase + 54n * orderDepositPerByte);
  const orderBefore = (await apiOrder(id)).toHex();
  const s1 = await balances(placed.blockHash);

  const refusals = new TxFees();
  await submitFailing(refusals, api.tx.orders.cancelOrder(id), dave, 'orders.NotCustomer');
  const refusedAt = await submitFailing(refusals, api.tx.orders.cancelOrder(id), bob,
    'orders.NotCustomer');
  assert.equal((await apiOrder(id)).toHex(), orderBefore, 'the order did not change');
  assert.equal(await apiTotalLocked(USDX_CUR), total);
  assertChanges(s1, await balances(refusedAt), refusals, {},
    'refused cancels (only their transaction fees)');
  assert.ok(refusals.of(dave.address) > 0n, 'a refused transaction still pays its fee');

  const cancelled = await submit(fees, api.tx.orders.cancelOrder(id), charlie);
  theEvent(cancelled.events, 'orders.OrderCancelled', id);
  assert.equal(big(theEvent(cancelled.events, 'escrow.Refunded', id).data.amount), total);
  assert.equal(big(theEvent(cancelled.events, 'orders.RefundPaid', id).data.amount), total);
  const closed = theEvent(cancelled.events, 'escrow.Closed', id);
  assert.equal(big(closed.data.refunded), total);
  assert.equal(big(closed.data.releasedGross), 0n);
  assert.equal(big(closed.data.fees), 0n);
  assert.equal(eventsNamed(cancelled.events, 'escrow.Released').length, 0, 'nothing released');
  const archived = theEvent(cancelled.events, 'orders.OrderArchived', id);
  assert.equal(archived.data.outcome.type, 'Cancelled');
  assert.equal(big(archived.data.deposit), deposit);

  // Customer's USDX back to where it was; the deposit returned; only transaction fees spent.
  assertChanges(s0, await balances(cancelled.blockHash), fees.plus(refusals), {},
    'cancelled order');
  assert.ok((await apiOrder(id)).isNone);
  assert.equal(await apiTotalLocked(USDX_CUR), 0n);
});

test('an ENT escrow order: the ENT leaves the customer and is held on the escrow account; ' +
  'the customer\'s cancel brings it back', TIMEOUT, async () => {
  const fees = new TxFees();
  const s0 = await balances();
  const items = [item('lantern', 2, 1_500_000_000_003n)];
  const freight = 7n;
  const placed = await placeOrder(fees,
    { currency: ENT_CUR, items, freight, note: 'order B2' });
  const { id, total, deposit } = placed;
  assert.equal(total, 3_000_000_000_013n);
  const s1 = await balances(placed.blockHash);
  // The order deposit is held on Charlie's account; the escrowed ENT is not his any more.
  assertChanges(s0, s1, fees, {
    charlie: { free: -total - deposit, reserved: deposit },
    escrow: { reserved: total },
  }, 'ENT escrowed');
  assert.equal(s1.escrow.free, ED, 'the escrow account keeps its existential deposit free');
  const holds = await api.query.balances.holds(escrowAccount);
  assert.deepEqual(holds.map((h) => [h.id.toJSON(), big(h.amount)]),
    [[{ escrow: 'Escrow' }, total]], 'held on the escrow account for Escrow');
  assert.equal(await apiTotalLocked(ENT_CUR), total);

  const cancelled = await submit(fees, api.tx.orders.cancelOrder(id), charlie);
  assert.equal(big(theEvent(cancelled.events, 'escrow.Refunded', id).data.amount), total);
  theEvent(cancelled.events, 'orders.OrderArchived', id);
  assertChanges(s0, await balances(cancelled.blockHash), fees, {}, 'ENT order cancelled');
  assert.equal(await apiTotalLocked(ENT_CUR), 0n);
  assert.equal((await api.query.balances.holds(escrowAccount)).length, 0);
});

test('a partial refund without return: refund paid at once, the rest settles minus holdback ' +
  'and fee', TIMEOUT, async () => {
  const fees = new TxFees();
  const s0 = await balances();
  const items = [item('lamp', 2, 450_000_001n)];
  const freight = 100_000_003n;
  const placed = await placeOrder(fees, { items, freight, note: 'order C' });
  const { id, total, deposit } = placed;
  assert.equal(total, 1_000_000_005n);
  await ship(fees, id);

  const refund = 300_000_007n;
  const requested = await submit(fees,
    api.tx.orders.requestRefund(id, refund, false, 'NotAsDescribed'), charlie);
  const request = theEvent(requested.events, 'orders.RefundRequested', id);
  assert.equal(big(request.data.amount), refund);
  assert.equal(request.data.returnGoods.isTrue, false);
  assert.equal(request.data.reason.type, 'NotAsDescribed');
  assert.equal(request.data.respondBy.toNumber(), requested.number + REFUND_RESPONSE_WITHIN);
  assert.equal((await apiOrder(id)).unwrap().status.type, 'RefundRequested');

  const accepted = await submit(fees, api.tx.orders.acceptRefund(id), bob);
  assert.equal(theEvent(accepted.events, 'orders.RefundAccepted', id).data.auto.isTrue, false);
  assert.equal(big(theEvent(accepted.events, 'escrow.Refunded', id).data.amount), refund);
  const paid = theEvent(accepted.events, 'orders.RefundPaid', id);
  assert.ok(paid.data.customer.eq(charlie.address));
  assert.equal(big(paid.data.amount), refund);
  const settled = assertSettled(accepted.events, id, total - refund, accepted.number);
  // 1 000 000 005 − 300 000 007 = 699 999 998 locked: holdback 69 999 999, gross 629 999 999,
  // fee 6 299 999, net 623 700 000.
  assert.equal(settled.holdback, 69_999_999n);
  assert.equal(settled.fee, 6_299_999n);
  assert.equal(settled.net, 623_700_000n);
  const s2 = await balances(accepted.blockHash);
  assertChanges(s0, s2, fees, {
    charlie: { usdx: -total + refund, free: -deposit, reserved: deposit },
    escrow: { usdxHeld: settled.holdback },
    bob: { usdx: settled.net },
    platform: { usdx: settled.fee },
  }, 'refund paid and rest settled');

  const release = await awaitHoldback(id, settled, deposit, { refunded: refund, total });
  const s3 = await balances(release.hash);
  assertChanges(s0, s3, fees, {
    charlie: { usdx: -total + refund },
    bob: { usdx: settled.net + release.net },
    platform: { usdx: settled.fee + release.fee },
  }, 'whole order');
  assert.equal(refund + settled.net + release.net + settled.fee + release.fee, total,
    'merchant + customer + fee == paid');
});

test('a full refund with return: accepted, returned, return confirmed; everything back, ' +
  'no fee', TIMEOUT, async () => {
  const fees = new TxFees();
  const s0 = await balances();
  const items = [item('chair', 1, 250_000_000n), item('cushion', 4, 12_500_003n)];
  const freight = 20_000_000n;
  const placed = await placeOrder(fees, { items, freight, note: 'order D' });
  const { id, total, deposit } = placed;
  await ship(fees, id);

  const requested = await submit(fees,
    api.tx.orders.requestRefund(id, total, true, 'Damaged'), charlie);
  assert.equal(theEvent(requested.events, 'orders.RefundRequested', id).data.returnGoods.isTrue,
    true);
  const accepted = await submit(fees, api.tx.orders.acceptRefund(id), bob);
  assert.equal(theEvent(accepted.events, 'orders.RefundAccepted', id).data.auto.isTrue, false);
  assert.equal(eventsNamed(accepted.events, 'escrow.Refunded').length, 0,
    'nothing refunded before the goods come back');
  const awaiting = (await apiOrder(id)).unwrap().status;
  assert.equal(awaiting.type, 'AwaitingReturn');
  assert.equal(awaiting.asAwaitingReturn.returnBy.toNumber(), accepted.number + RETURN_WINDOW);

  const tracking = blake2AsHex('return parcel of order D');
  const returned = await submit(fees, api.tx.orders.markReturned(id, tracking), charlie);
  const marked = theEvent(returned.events, 'orders.ReturnMarked', id);
  assert.equal(marked.data.tracking.toHex(), tracking);
  assert.equal(marked.data.confirmBy.toNumber(), returned.number + RETURN_WINDOW);
  assert.equal((await apiOrder(id)).unwrap().returnTracking.unwrap().toHex(), tracking);
  const s2 = await balances(returned.blockHash);
  assertChanges(s0, s2, fees, {
    charlie: { usdx: -total, free: -deposit, reserved: deposit },
    escrow: { usdxHeld: total },
  }, 'awaiting the return: all still locked');

  const confirmed = await submit(fees, api.tx.orders.confirmReturn(id), bob);
  assert.equal(theEvent(confirmed.events, 'orders.ReturnConfirmed', id).data.auto.isTrue, false);
  assert.equal(big(theEvent(confirmed.events, 'escrow.Refunded', id).data.amount), total);
  assert.equal(big(theEvent(confirmed.events, 'orders.RefundPaid', id).data.amount), total);
  const closed = theEvent(confirmed.events, 'escrow.Closed', id);
  assert.equal(big(closed.data.refunded), total);
  assert.equal(big(closed.data.fees), 0n);
  assert.equal(eventsNamed(confirmed.events, 'escrow.Released').length, 0, 'nothing released');
  assert.equal(eventsNamed(confirmed.events, 'orders.MerchantPaid').length, 0, 'merchant unpaid');
  const archived = theEvent(confirmed.events, 'orders.OrderArchived', id);
  assert.equal(archived.data.outcome.type, 'Refunded');
  assert.equal(big(archived.data.deposit), deposit);
  assertChanges(s0, await balances(confirmed.blockHash), fees, {},
    'fully refunded order (only transaction fees spent)');
  assert.equal(await apiTotalLocked(USDX_CUR), 0n);
});

test('auto-confirm: shipped and not confirmed, the clock pays the merchant (auto: true)',
  TIMEOUT, async () => {
    const fees = new TxFees();
    const s0 = await balances();
    const items = [item('rug', 1, 777_777_777n)];
    const freight = 1_234_567n;
    const placed = await placeOrder(fees, { items, freight, note: 'order E' });
    const { id, total, deposit } = placed;
    const shipped = await ship(fees, id);
    const s1 = await balances(shipped.blockHash);

    const found = await waitForEvent(api, {
      from: shipped.number + 1,
      match: (ev) => ev.section === 'orders' && ev.method === 'ReceiptConfirmed' &&
        ev.data.orderId.toNumber() === id,
      timeoutMs: 120_000,
    });
    assert.equal(found.blockNumber, shipped.confirmBy, 'auto-confirmed in the confirm_by block');
    assert.equal(found.event.data.auto.isTrue, true, 'ReceiptConfirmed says auto');
    const settled = assertSettled(found.events, id, total, found.blockNumber);
    const s2 = await balances(found.blockHash);
    assertChanges(s1, s2, new TxFees(), {
      escrow: { usdxHeld: -settled.gross },
      bob: { usdx: settled.net },
      platform: { usdx: settled.fee },
    }, 'auto-confirmed');

    const release = await awaitHoldback(id, settled, deposit, { total });
    assertChanges(s0, await balances(release.hash), fees, {
      charlie: { usdx: -total },
      bob: { usdx: settled.net + release.net },
      platform: { usdx: settled.fee + release.fee },
    }, 'whole order');
    assert.equal(settled.net + release.net + settled.fee + release.fee, total);
  });

test('an ENT direct order is paid to the merchant at once, minus the fee; it is final',
  TIMEOUT, async () => {
    const fees = new TxFees();
    const s0 = await balances();
    const items = [item('bicycle', 3, 6_041_152_263_004n)];
    const freight = 1_000_000_000_001n;
    const placed = await placeOrder(fees,
      { currency: ENT_CUR, items, freight, mode: 'Direct', note: 'order F' });
    const { id, total, deposit } = placed;
    assert.equal(total, 19_123_456_789_013n);
    const expected = payout(total);
    assert.equal(expected.fee, 191_234_567_890n);
    const direct = theEvent(placed.events, 'escrow.DirectPaid', id);
    assertPayout(direct, expected, 'escrow.DirectPaid');
    assert.ok(direct.data.payer.eq(charlie.address) && direct.data.payee.eq(bob.address));
    assert.ok(direct.data.currency.isNative);
    assert.equal(eventsNamed(placed.events, 'escrow.Locked').length, 0, 'nothing locked');
    const s1 = await balances(placed.blockHash);
    assertChanges(s0, s1, fees, {
      charlie: { free: -total - deposit, reserved: deposit },
      bob: { free: expected.net },
      platform: { free: expected.fee },
    }, 'paid directly');
    const order = (await apiOrder(id)).unwrap();
    assert.equal(order.status.type, 'DirectPaid');
    assert.equal(big(order.locked), 0n);
    assert.equal(big(order.paidOut), total);
    assert.ok((await api.call.ordersApi.escrow(id)).isNone, 'no escrow for a direct order');
    assert.equal(await apiTotalLocked(ENT_CUR), 0n);

    await submitFailing(fees, api.tx.orders.cancelOrder(id), charlie,
      'orders.DirectPaymentFinal');
    await ship(fees, id);
    assert.equal((await apiOrder(id)).unwrap().status.type, 'DirectShipped');
    const confirmed = await submit(fees, api.tx.orders.confirmReceipt(id), charlie);
    theEvent(confirmed.events, 'orders.ReceiptConfirmed', id);
    const archived = theEvent(confirmed.events, 'orders.OrderArchived', id);
    assert.equal(archived.data.outcome.type, 'Completed');
    assert.equal(big(archived.data.deposit), deposit);
    assert.equal(eventsNamed(confirmed.events, 'orders.MerchantPaid').length, 0);
    assertChanges(s0, await balances(confirmed.blockHash), fees, {
      charlie: { free: -total },
      bob: { free: expected.net },
      platform: { free: expected.fee },
    }, 'whole direct order');
    assert.equal(expected.net + expected.fee, total);
  });

test('runtime API pages a customer\'s orders; a merchant rejects an order before shipping',
  TIMEOUT, async () => {
    const fees = new TxFees();
    const s0 = await balances();
    const a = await placeOrder(fees, { items: [item('pen', 10, 1_000_003n)], freight: 0n,
      note: 'order G' });
    const b = await placeOrder(fees, { items: [item('ink', 1, 20_000_000n)], freight: 7n,
      note: 'order H' });
    const all = await apiOrderIdsOfCustomer(charlie.address);
    assert.deepEqual([...all].sort(), [a.id, b.id].sort());
    const first = await apiOrderIdsOfCustomer(charlie.address, null, 1);
    assert.equal(first.length, 1);
    const second = await apiOrderIdsOfCustomer(charlie.address, first[0], 1);
    assert.deepEqual([...first, ...second], all, 'pages follow each other');
    assert.deepEqual(await apiOrderIdsOfCustomer(charlie.address, second[0], 1), []);
    const ofMerchant = await api.call.ordersApi.ordersOfMerchant(bob.address, null, 100);
    assert.deepEqual(ofMerchant.map(([i]) => i.toNumber()).sort(), [a.id, b.id].sort());
    assert.equal(await apiTotalLocked(USDX_CUR), a.total + b.total);
    assert.equal((await api.query.orders.ordersOfMerchant.keys(bob.address)).length,
      2);

    await submitFailing(fees, api.tx.orders.rejectOrder(a.id), charlie, 'orders.NotMerchant');
    const rejected = await submit(fees, api.tx.orders.rejectOrder(a.id), bob);
    theEvent(rejected.events, 'orders.OrderRejected', a.id);
    assert.equal(big(theEvent(rejected.events, 'orders.RefundPaid', a.id).data.amount), a.total);
    assert.equal(theEvent(rejected.events, 'orders.OrderArchived', a.id).data.outcome.type,
      'Rejected');
    assert.deepEqual(await apiOrderIdsOfCustomer(charlie.address), [b.id]);
    assert.equal(await apiTotalLocked(USDX_CUR), b.total);
    const cancelled = await submit(fees, api.tx.orders.cancelOrder(b.id), charlie);
    theEvent(cancelled.events, 'orders.OrderArchived', b.id);
    assertChanges(s0, await balances(cancelled.blockHash), fees, {}, 'rejected and cancelled');
    assert.deepEqual(await apiOrderIdsOfCustomer(charlie.address), []);
  });

/**
 * Resolves once the best block is `number` (rejects if it is already past it): a transaction
 * sent then goes into block `number + 1`, the next one authored.
 */
function bestBlockIs(number) {
  return new Promise((resolve, reject) => {
    let unsub;
    let done = false;
    const finish = (error) => {
      if (done) return;
      done = true;
      unsub?.();
      if (error) reject(error); else resolve();
    };
    api.rpc.chain.subscribeNewHeads((header) => {
      const n = header.number.toNumber();
      if (n === number) finish();
      else if (n > number) finish(new Error(`best block ${n} is already past ${number}`));
    }).then((u) => { unsub = u; if (done) u(); }, finish);
  });
}

test('a backlog of due timers: the timer budget of the block fires the first ones, the rest ' +
  'fire before the block ends; a stranger cannot poke a deadline before it is due',
  TIMEOUT, async (t) => {
    const fees = new TxFees();
    // The timers on_initialize is sure to fire: its budget over the worst case of one timer
    // (the heaviest timer, which bounds poke's declared weight, and the queue's reads and
    // writes).
    const budget = api.consts.orders.maxTimerWeight.refTime.toBigInt();
    const db = api.consts.system.dbWeight;
    const [read, write] = [big(db.read), big(db.write)];
    const heaviest = (await api.tx.orders.poke(0).paymentInfo(ferdie)).weight.refTime.toBigInt();
    const sureToFire = Number((budget - read - write) / (read + 2n * write + heaviest));
    assert.ok(sureToFire >= 1, 'the budget fits at least one timer');
    const count = 2 * sureToFire + 2;

    // Eve places `count` orders in one transaction: their ship-by deadlines fall in one block.
    const usdxBefore = big((await api.query.assets.account(USDX, eve.address)).unwrap().balance);
    const items = [item('backlog', 1, 1_000_000n)];
    const calls = Array.from({ length: count }, (_, i) => api.tx.orders.placeOrder(bob.address,
      USDX_CUR, items, 0, blake2AsHex(`backlog ${i}`), null, 'Escrow', randomAsHex(32)));
    const placed = await submit(fees, api.tx.utility.batchAll(calls), eve);
    const ids = eventsNamed(placed.events, 'orders.OrderPlaced')
      .map((e) => e.data.orderId.toNumber());
    assert.equal(ids.length, count);
    const due = placed.number + SHIP_WITHIN;
    // One timer per order, all due in that block, fired in the order of their storage keys.
    const keys = (await api.query.orders.timers.keys(due))
      .map((k) => [k.toHex(), k.args[1].toNumber()])
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, id]) => id);
    assert.deepEqual([...keys].sort((a, b) => a - b), ids, 'one ship-by timer per order');
    const last = keys[count - 1];

    await submitFailing(fees, api.tx.orders.poke(last), ferdie, 'orders.NothingDue');
    assert.ok((await apiOrder(last)).unwrap().status.isPlaced, 'a refused poke changes nothing');

    // The deadline block fires them all: on_initialize within its budget, on_idle the rest.
    // (A poke succeeds only while a deadline is overdue and unfired, i.e. when both budgets of
    // its block ran out; the unit tests show that case.)
    const found = await waitForEvent(api, {
      from: due,
      match: (ev) => ev.section === 'orders' && ev.method === 'OrderExpired',
    });
    assert.equal(found.blockNumber, due, 'the first ship-by timer fires in its deadline block');
    const records = await (await api.at(found.blockHash)).query.system.events();
    const expired = (inPhase) => records
      .filter(({ phase, event }) => inPhase(phase) && event.section === 'orders' &&
        event.method === 'OrderExpired')
      .map(({ event }) => event.data.orderId.toNumber());
    const initial = expired((p) => p.isInitialization);
    const idle = expired((p) => p.isFinalization);
    assert.ok(initial.length >= sureToFire,
      `on_initialize fired ${initial.length} of ${count} (at least ${sureToFire})`);
    t.diagnostic(`${count} timers due in block ${due}: ${initial.length} fired by on_initialize ` +
      `(at least ${sureToFire}), ${idle.length} by on_idle`);
    assert.deepEqual(initial, keys.slice(0, initial.length), 'oldest first, in key order');
    assert.deepEqual(idle, keys.slice(initial.length), 'on_idle fired the rest in the same block');
    await submitFailing(fees, api.tx.orders.poke(last), ferdie, 'orders.OrderNotFound');
    assert.equal((await api.query.orders.timers.keys(due)).length, 0, 'no timer left behind');
    for (const id of ids) assert.ok((await apiOrder(id)).isNone, `order ${id} archived`);
    assert.equal(await apiTotalLocked(USDX_CUR), 0n);
    const eveAfter = await api.query.system.account(eve.address);
    assert.equal(big(eveAfter.data.reserved), 0n, 'every order deposit returned');
    assert.equal(big((await api.query.assets.account(USDX, eve.address)).unwrap().balance),
      usdxBefore, 'every order refunded');
  });

test('at the end nothing is locked, no timer failed, no money was minted or burned, and the ' +
  'merchant gets its deposit back', TIMEOUT, async () => {
  assert.equal(await apiTotalLocked(USDX_CUR), 0n);
  assert.equal(await apiTotalLocked(ENT_CUR), 0n);
  assert.equal((await api.query.orders.orders.entries()).length, 0, 'no open order');
  assert.equal((await api.query.escrow.escrows.entries()).length, 0, 'no open escrow');
  assert.equal((await api.query.orders.ordersOfMerchant.keys(bob.address)).length, 0);

  const fees = new TxFees();
  const before = await balances();
  const result = await submit(fees, api.tx.orders.unregisterMerchant(), bob);
  assert.equal(big(theEvent(result.events, 'orders.MerchantUnregistered').data.deposit),
    merchantDeposit);
  const end = await balances(result.blockHash);
  assertChanges(before, end, fees,
    { bob: { free: merchantDeposit, reserved: -merchantDeposit } }, 'unregistered');
  for (const name of ['bob', 'charlie', 'escrow']) {
    assert.equal(end[name].reserved, 0n, `${name}: nothing held any more`);
    assert.equal(end[name].usdxHeld, 0n, `${name}: no USDX held any more`);
  }
  assert.equal(end.escrow.usdx, USDX_MIN_BALANCE, 'the escrow account is back to its minimum');
  assert.equal(end.escrow.free, ED);

  // USDX only moved between the customer, the merchant, the escrow and the fee account.
  const usdxOf = (s) => ['bob', 'charlie', 'dave', 'platform', 'escrow']
    .reduce((sum, n) => sum + s[n].usdx + s[n].usdxHeld, 0n);
  assert.equal(usdxOf(end), usdxOf(genesis), 'USDX conserved');
  assert.equal(big(await api.query.balances.totalIssuance()), genesisIssuance,
    'ENT neither minted nor burned');

  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  const failures = [];
  for (let n = 1; n <= best; n += 1) {
    const events = await api.query.system.events.at(await api.rpc.chain.getBlockHash(n));
    for (const ev of eventsNamed(events, 'orders.TimerFailed')) {
      failures.push(`block ${n}: ${JSON.stringify(ev.data.toHuman())}`);
    }
  }
  assert.deepEqual(failures, [], 'no timer failed');
});
