// Orders helpers: merchant policies, policy bounds, merchant registration, and the order book
// that follows every order of the load accounts through the final blocks' events, to measure
// how late each timer-driven step happened.

import { blake2AsHex, randomAsHex } from '@polkadot/util-crypto';
import { quantiles, countBy } from './stats.js';

export const USDX = 1;
export const USDX_CUR = { WithId: USDX };
const WINDOWS = ['shipWithin', 'autoConfirmAfter', 'refundResponseWithin', 'returnWindow', 'afterSalesWindow'];

/** A USDX-only merchant policy with these windows (blocks), holdback 10%, no loyalty share. */
export function makePolicy({ shipWithin, autoConfirmAfter, afterSalesWindow, refundResponseWithin,
  returnWindow, holdback = 100_000 }) {
  return {
    currencies: [USDX_CUR],
    shipWithin,
    autoConfirmAfter,
    refundResponseWithin: refundResponseWithin ?? Math.min(shipWithin, autoConfirmAfter),
    returnWindow: returnWindow ?? Math.min(shipWithin, autoConfirmAfter),
    afterSalesWindow,
    holdback,
    loyaltyShare: 0,
  };
}

function samePolicy(onChain, want) {
  const j = onChain.toJSON();
  if (!WINDOWS.every((w) => Number(j[w]) === Number(want[w]))) return false;
  if (Number(j.holdback) !== Number(want.holdback) || Number(j.loyaltyShare) !== 0) return false;
  const cur = j.currencies.map((c) => JSON.stringify(c).toLowerCase());
  return cur.length === 1 && cur[0] === JSON.stringify({ withid: USDX });
}

/**
 * Makes sure the policy bounds allow `policy`: if a minimum is above one of its windows (or
 * above 1 block), the minimums are lowered to 1 block, the maxima kept (raised only where a
 * window is above them), through the admin origin.
 */
export async function ensureBounds(ctx, policy) {
  const { api } = ctx;
  const b = (await api.query.orders.policyBoundsInForce()).toJSON();
  let change = false;
  const next = {};
  for (const w of WINDOWS) {
    const min = Number(b[w].min);
    const max = Number(b[w].max);
    if (min > 1) change = true;
    if (max < policy[w]) change = true;
    next[w] = { min: 1, max: Math.max(max, policy[w]) };
  }
  next.maxHoldback = Math.max(Number(b.maxHoldback), policy.holdback);
  if (Number(b.maxHoldback) < policy.holdback) change = true;
  if (!change) return false;
  ctx.log(`policy bounds: minimums ${WINDOWS.map((w) => b[w].min).join('/')} blocks; lowering them to 1`);
  await ctx.admin(api.tx.orders.setPolicyBounds(next), 'setPolicyBounds');
  return true;
}

/**
 * Makes sure every merchant is registered with `policy`: registers the missing ones, updates
 * the policy of the others where it differs. Returns how many transactions it sent.
 */
export async function ensureMerchants(ctx, merchants, policy) {
  const { api } = ctx;
  const infos = [];
  for (let i = 0; i < merchants.length; i += 500) {
    infos.push(...await api.query.orders.merchants.multi(merchants.slice(i, i + 500).map((m) => m.address)));
  }
  const txs = [];
  await ctx.readNonces(merchants);
  merchants.forEach((m, i) => {
    const info = infos[i];
    if (info.isNone) {
      txs.push(ctx.tx('setup', m, () => api.tx.orders.registerMerchant(policy)));
    } else if (!samePolicy(info.unwrap().policy, policy)) {
      txs.push(ctx.tx('setup', m, () => api.tx.orders.updatePolicy(policy)));
    }
  });
  if (txs.length) {
    ctx.log(`merchants: registering or updating ${txs.length} of ${merchants.length}`);
    await ctx.sendAll('merchants', txs);
  }
  return txs.length;
}

/**
 * placeOrder: one line item of `price` USDX units, no freight, no document, escrow, and a fresh
 * random payment reference (unique per merchant: a resigned or repeated call gets a new one).
 */
export function placeOrderCall(ctx, merchant, price, i) {
  return ctx.enc(ctx.api.tx.orders.placeOrder).encode(
    merchant.address,
    USDX_CUR,
    [{ product: PRODUCT, quantity: 1, unitPrice: price }],
    0,
    blake2AsHex(`load order ${i} ${RUN}`),
    null,
    'Escrow',
    randomAsHex(32),
  );
}
const RUN = `${Date.now()}`;
/** markShipped(orderId, tracking) and confirmReceipt(orderId), encoded. */
export const markShippedCall = (ctx, id) => ctx.enc(ctx.api.tx.orders.markShipped).encode(id, tracking(id));
export const confirmReceiptCall = (ctx, id) => ctx.enc(ctx.api.tx.orders.confirmReceipt).encode(id);
const PRODUCT = blake2AsHex('entrepot load test product');
export const tracking = (id) => blake2AsHex(`tracking ${id}`);

/** The order id of an included placeOrder, from its orders.OrderPlaced event. */
export function placedId(events) {
  const ev = events.find((e) => e.section === 'orders' && e.method === 'OrderPlaced');
  return ev ? ev.data.orderId.toNumber() : null;
}

/**
 * Follows the load accounts' orders through the events of final blocks. Every timer-driven
 * event (emitted in on_initialize or on_idle, not by a transaction) is compared with the
 * deadline it served: placed block + ship_within for OrderExpired, the OrderShipped event's
 * confirm_by for ReceiptConfirmed { auto: true }, the MerchantPaid event's after_sales_until
 * for HoldbackReleased, and the matching one for OrderArchived.
 */
export class OrderBook {
  constructor(ctx, customers, shipWithin) {
    this.ctx = ctx;
    this.customers = new Set(customers.map((c) => ctx.api.createType('AccountId', c.address).toHex()));
    this.shipWithin = shipWithin;
    this.orders = new Map();
    this.late = { shipBy: [], autoConfirm: [], afterSales: [], archived: [] };
    this.timerFailed = 0;
    this.byTx = { expired: 0, autoConfirmed: 0, holdbackReleased: 0, archivedByTimer: 0 };
    this.lastBlock = 0;
  }

  watch() {
    this.ctx.tracker.finalListeners.push((rec, events) => this.onBlock(rec, events));
    return this;
  }

  onBlock(rec, events) {
    const n = rec.number;
    this.lastBlock = n;
    for (const { phase, event } of events) {
      if (event.section !== 'orders') continue;
      const timer = !phase.isApplyExtrinsic;
      const d = event.data;
      if (event.method === 'OrderPlaced') {
        if (!this.customers.has(d.customer.toHex())) continue;
        const id = d.orderId.toNumber();
        this.orders.set(id, { id, placed: n, shipBy: n + this.shipWithin });
        continue;
      }
      if (!d.orderId) continue;
      const o = this.orders.get(d.orderId.toNumber());
      if (!o) continue;
      switch (event.method) {
        case 'OrderShipped':
          o.shipped = n;
          o.confirmBy = d.confirmBy.toNumber();
          break;
        case 'ReceiptConfirmed':
          o.confirmed = n;
          if (d.auto.isTrue) {
            o.autoConfirmed = true;
            if (timer) this.late.autoConfirm.push(n - o.confirmBy);
          }
          break;
        case 'MerchantPaid':
          o.settled = n;
          o.afterSalesUntil = d.afterSalesUntil.toNumber();
          break;
        case 'OrderExpired':
          o.expired = n;
          if (timer) this.late.shipBy.push(n - o.shipBy);
          break;
        case 'HoldbackReleased':
          o.holdbackReleased = n;
          if (timer) this.late.afterSales.push(n - o.afterSalesUntil);
          break;
        case 'OrderArchived': {
          o.archived = n;
          o.outcome = d.outcome.type;
          if (timer) {
            const due = o.outcome === 'Expired' ? o.shipBy : o.afterSalesUntil;
            if (due !== undefined) this.late.archived.push(n - due);
          }
          break;
        }
        case 'TimerFailed':
          this.timerFailed += 1;
          o.timerFailures = (o.timerFailures ?? 0) + 1;
          break;
        default:
      }
    }
  }

  /** The deadline an open order waits for now, and its kind. */
  static pending(o) {
    if (o.archived) return null;
    if (!o.shipped) return { kind: 'shipBy', due: o.shipBy };
    if (!o.settled) return o.confirmBy === undefined ? null : { kind: 'autoConfirm', due: o.confirmBy };
    return { kind: 'afterSales', due: o.afterSalesUntil };
  }

  /** The latest deadline of the open orders (null if none is open). */
  lastDue() {
    let m = null;
    for (const o of this.orders.values()) {
      const p = OrderBook.pending(o);
      if (p && (m === null || p.due > m)) m = p.due;
    }
    return m;
  }

  /** Orders in `ids` (all if omitted) not archived yet. */
  open(ids) {
    const list = ids ? ids.map((id) => this.orders.get(id)).filter(Boolean) : [...this.orders.values()];
    return list.filter((o) => !o.archived).length;
  }

  report() {
    const n = this.lastBlock;
    const overdue = [];
    for (const o of this.orders.values()) {
      const p = OrderBook.pending(o);
      if (p && p.due <= n) overdue.push({ id: o.id, ...p, by: n - p.due });
    }
    const all = Object.values(this.late).flat();
    const list = [...this.orders.values()];
    return {
      orders: this.orders.size,
      outcomes: countBy(list, (o) => o.outcome ?? (o.settled ? 'Settled' : o.shipped ? 'Shipped' : 'Placed')),
      timerEvents: Object.fromEntries(Object.entries(this.late).map(([k, v]) => [k, v.length])),
      latenessBlocks: {
        all: quantiles(all),
        ...Object.fromEntries(Object.entries(this.late).map(([k, v]) => [k, quantiles(v)])),
      },
      timerFailed: this.timerFailed,
      lastFinalBlock: n,
      overdueAtEnd: overdue.length,
      overdueByKind: countBy(overdue, (o) => o.kind),
      overdueMaxBlocks: overdue.reduce((m, o) => Math.max(m, o.by), 0),
      overdueSample: overdue.slice(0, 10),
    };
  }
}
