// The scenarios: setup, transfers, orders, sustained, state, background.

import { xxhashAsHex } from '@polkadot/util-crypto';
import { phaseReport } from './stats.js';
import {
  USDX, makePolicy, ensureBounds, ensureMerchants, placeOrderCall, markShippedCall, confirmReceiptCall,
  placedId, OrderBook,
} from './orders.js';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const UNIT = 10n ** 12n; // one ENT
const USDX_UNIT = 10n ** 6n;
const TRANSFER_AMOUNT = 10n ** 9n; // the existential deposit

/** A small deterministic random number generator (mulberry32). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Who does what: merchants first, background senders last, customers in between. */
export function roles(ctx) {
  const { accounts: n, merchants: m, bgAccounts: bg } = ctx.opts;
  const all = ctx.loadAccounts(n);
  const r = {
    all,
    merchants: all.slice(0, m),
    customers: all.slice(m, n - bg),
    background: bg ? all.slice(n - bg) : [],
    senders: all.slice(0, n - bg),
  };
  if (!r.merchants.length) throw new Error('--merchants must be at least 1');
  if (!r.customers.length) throw new Error(`no customers: --accounts ${n} leaves none after ${m} merchants and ${bg} background senders`);
  return r;
}

async function balances(ctx, pairs) {
  const { api } = ctx;
  const out = [];
  for (let i = 0; i < pairs.length; i += 500) {
    const chunk = pairs.slice(i, i + 500).map((p) => p.address);
    const [acc, usdx] = await Promise.all([
      api.query.system.account.multi(chunk),
      api.query.assets.account.multi(chunk.map((a) => [USDX, a])),
    ]);
    acc.forEach((a, j) => out.push({
      free: a.data.free.toBigInt(),
      usdx: usdx[j].isSome ? usdx[j].unwrap().balance.toBigInt() : 0n,
    }));
  }
  return out;
}

export async function checkFunded(ctx, pairs, { usdx = false } = {}) {
  const b = await balances(ctx, pairs);
  const poor = b.filter((x) => x.free < UNIT || (usdx && x.usdx < USDX_UNIT)).length;
  if (poor) {
    throw new Error(`${poor} of ${pairs.length} load accounts hold less than 1 ENT${usdx ? ' or 1 USDX' : ''}: ` +
      `run --scenario setup with the same --accounts ${ctx.opts.accounts} --merchants ${ctx.opts.merchants} first`);
  }
}

/** Steady transfers among the background senders at `rate` per second, until stopped. */
export class Background {
  constructor(ctx, accounts, rate) {
    this.ctx = ctx;
    this.accounts = accounts;
    this.rate = rate;
    this.txs = [];
    this.presigned = [];
  }

  /** Signs `seconds` worth of transfers ahead of the timed phase. */
  async prepare(seconds) {
    if (!this.rate) return;
    const { ctx } = this;
    await ctx.readNonces(this.accounts);
    const n = Math.ceil(this.rate * seconds);
    const t = Date.now();
    this.presigned = await ctx.signMany(n, (i) => this.make(i));
    ctx.log(`background: ${n} transfers signed in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }

  make(i) {
    const { ctx } = this;
    const a = this.accounts;
    const from = a[i % a.length];
    const to = a[(i + 1) % a.length];
    return ctx.tx('background', from, () => ctx.enc(ctx.api.tx.balances.transferKeepAlive).encode(to.address, TRANSFER_AMOUNT));
  }

  start() {
    if (!this.rate) return;
    this.t0 = Date.now();
    this.sent = 0;
    this.timer = setInterval(() => {
      const due = Math.floor(((Date.now() - this.t0) * this.rate) / 1000);
      while (this.sent < due) {
        const tx = this.sent < this.presigned.length ? this.presigned[this.sent] : this.make(this.sent);
        this.sent += 1;
        this.txs.push(tx);
        this.ctx.submitter.push(tx);
      }
    }, 10);
  }

  async stop() {
    if (!this.rate) return null;
    clearInterval(this.timer);
    const seconds = (Date.now() - this.t0) / 1000;
    await this.ctx.settle(this.txs, { label: 'background' });
    await this.ctx.finality(this.txs);
    const report = phaseReport(this.ctx.tracker, this.ctx.submitter, 'background', this.txs, {
      saturating: false,
      targetRate: this.rate,
      seconds,
      offeredRate: Math.round((this.txs.length / seconds) * 10) / 10,
      signedOnTheFly: Math.max(0, this.txs.length - this.presigned.length),
    });
    this.ctx.phases.push(report);
    return report;
  }
}

function background(ctx, r, seconds) {
  const bg = new Background(ctx, r.background, ctx.opts.backgroundRate);
  return bg.prepare(seconds).then(() => bg);
}

// ---- setup ---------------------------------------------------------------------------------

export async function setup(ctx) {
  const { api, opts } = ctx;
  const all = ctx.loadAccounts(opts.accounts);
  // Several funders (--funder //Alice,//Bob,...) fund equal slices of the accounts.
  const funders = opts.funder.split(',').map((f) => ctx.pair(f.trim()));
  const fb = await balances(ctx, funders);
  const minOf = (a, b) => (a < b ? a : b);
  const perFunder = BigInt(Math.ceil(all.length / funders.length));
  const fa = fb.reduce((m, b) => minOf(m, b.free), fb[0].free);
  const fu = fb.reduce((m, b) => minOf(m, b.usdx), fb[0].usdx);
  const entTarget = opts.fundEnt !== undefined ? BigInt(Math.round(opts.fundEnt * 1e6)) * 10n ** 6n
    : minOf(1000n * UNIT, fa / 2n / perFunder);
  const usdxTarget = opts.fundUsdx !== undefined ? BigInt(Math.round(opts.fundUsdx * 1e6))
    : minOf(1000n * USDX_UNIT, (fu * 8n) / 10n / perFunder);
  if (entTarget < 20n * UNIT) throw new Error(`the funders cannot give ${all.length} accounts 20 ENT each: add funders (--funder //Alice,//Bob,...)`);
  if (usdxTarget < USDX_UNIT) ctx.log(`setup: only ${Number(usdxTarget) / 1e6} USDX per account: add funders (--funder //Alice,//Bob,...)`);
  ctx.log(`setup: ${all.length} accounts, ${Number(entTarget) / 1e12} ENT and ${Number(usdxTarget) / 1e6} USDX each, from ${funders.map((f) => f.name).join(', ')}`);

  const have = await balances(ctx, all);
  await ctx.readNonces(funders);
  const batches = [];
  let topped = 0;
  const per = opts.batch * 2;
  funders.forEach((funder, f) => {
    const calls = [];
    const from = f * Number(perFunder);
    all.slice(from, from + Number(perFunder)).forEach((p, j) => {
      const h = have[from + j];
      const c = [];
      if (h.free < (entTarget * 9n) / 10n) c.push(api.tx.balances.transferKeepAlive(p.address, entTarget - h.free));
      if (h.usdx < (usdxTarget * 9n) / 10n) c.push(api.tx.assets.transferKeepAlive(USDX, p.address, usdxTarget - h.usdx));
      if (c.length) topped += 1;
      calls.push(...c);
    });
    const need = calls.reduce((a, c) => a + (c.method.section === 'balances' ? BigInt(c.args[1].toString()) : 0n), 0n);
    if (need > fb[f].free) throw new Error(`${funder.name} holds ${fb[f].free / UNIT} ENT, its accounts need ${need / UNIT}`);
    for (let i = 0; i < calls.length; i += per) {
      const chunk = calls.slice(i, i + per);
      batches.push(ctx.tx('setup', funder, () => api.tx.utility.batchAll(chunk)));
    }
  });
  const t = Date.now();
  if (batches.length) {
    ctx.log(`setup: funding ${topped} accounts in ${batches.length} batches`);
    await ctx.sendAll('fund', batches);
  }
  const fundSeconds = (Date.now() - t) / 1000;
  const policy = makePolicy({ shipWithin: opts.window, autoConfirmAfter: opts.window, afterSalesWindow: opts.window });
  const boundsLowered = await ensureBounds(ctx, policy);
  const merchants = all.slice(0, opts.merchants);
  const merchantTxs = await ensureMerchants(ctx, merchants, policy);
  return {
    accounts: all.length,
    funded: topped,
    batches: batches.length,
    fundSeconds,
    entEach: Number(entTarget) / 1e12,
    usdxEach: Number(usdxTarget) / 1e6,
    boundsLowered,
    merchants: merchants.length,
    merchantTxs,
    policy,
  };
}

// ---- transfers -----------------------------------------------------------------------------

export async function transfers(ctx) {
  const { api, opts } = ctx;
  const r = roles(ctx);
  const s = r.senders;
  await checkFunded(ctx, [...s, ...r.background]);
  await ctx.readNonces(s);
  const t = Date.now();
  const txs = await ctx.signMany(opts.count, (i) => {
    const from = s[i % s.length];
    const to = s[(i + 1) % s.length];
    return ctx.tx('transfers', from, () => ctx.enc(api.tx.balances.transferKeepAlive).encode(to.address, TRANSFER_AMOUNT));
  });
  const signSeconds = (Date.now() - t) / 1000;
  ctx.log(`transfers: ${txs.length} signed in ${signSeconds.toFixed(1)} s`);
  const bg = await background(ctx, r, opts.backgroundPresign);
  bg.start();
  const report = await ctx.burst('transfers', txs, { signSeconds, senders: s.length });
  await bg.stop();
  return { transfers: report.perSecond };
}

// ---- orders --------------------------------------------------------------------------------

/** Signs one placeOrder per order, customers and merchants round robin. */
function signPlacements(ctx, r, count, phase = 'place') {
  const { opts } = ctx;
  return ctx.signMany(count, (i) => {
    const c = r.customers[i % r.customers.length];
    const m = r.merchants[i % r.merchants.length];
    return ctx.tx(phase, c, () => placeOrderCall(ctx, m, opts.price, i), {
      customer: c,
      merchant: m,
      onIncluded: (tx, rec, evs) => { tx.orderId = tx.ok ? placedId(evs) : null; },
    });
  });
}

/** Places, ships and confirms `count` orders in three timed bursts. */
async function orderBursts(ctx, r, count, bg) {
  await ctx.readNonces([...r.customers, ...r.merchants]);
  let t = Date.now();
  const place = await signPlacements(ctx, r, count);
  let signSeconds = (Date.now() - t) / 1000;
  ctx.log(`place: ${place.length} orders signed in ${signSeconds.toFixed(1)} s`);
  bg?.start();
  const out = {};
  out.place = await ctx.burst('place', place, { signSeconds });

  const placed = place.filter((p) => p.ok && p.orderId !== null && p.orderId !== undefined);
  t = Date.now();
  const ship = await ctx.signMany(placed.length, (i) => ctx.tx('ship', placed[i].merchant,
    () => markShippedCall(ctx, placed[i].orderId), { order: placed[i] }));
  signSeconds = (Date.now() - t) / 1000;
  out.ship = await ctx.burst('ship', ship, { signSeconds });

  const shipped = ship.filter((s) => s.ok);
  t = Date.now();
  const confirm = await ctx.signMany(shipped.length, (i) => ctx.tx('confirm', shipped[i].order.customer,
    () => confirmReceiptCall(ctx, shipped[i].order.orderId), { order: shipped[i].order }));
  signSeconds = (Date.now() - t) / 1000;
  out.confirm = await ctx.burst('confirm', confirm, { signSeconds });
  out.ids = placed.map((p) => p.orderId);
  return out;
}

/** Waits until the orders `ids` are archived, or `blocks` more blocks passed. */
async function untilArchived(ctx, book, ids, blocks) {
  const limit = ctx.tracker.bestNumber + blocks;
  for (;;) {
    ctx.check();
    await ctx.tracker.idle();
    if (book.open(ids) === 0) return true;
    if (ctx.tracker.finalizedNumber >= limit) return false;
    await sleep(250);
  }
}

export async function orders(ctx) {
  const { opts } = ctx;
  const r = roles(ctx);
  await checkFunded(ctx, [...r.customers, ...r.merchants], { usdx: true });
  await checkFunded(ctx, r.background);
  const policy = makePolicy({
    shipWithin: opts.longWindow, autoConfirmAfter: opts.longWindow, afterSalesWindow: opts.afterSales,
  });
  await ensureBounds(ctx, policy);
  await ensureMerchants(ctx, r.merchants, policy);
  const book = new OrderBook(ctx, r.customers, policy.shipWithin).watch();
  const bg = await background(ctx, r, opts.backgroundPresign);
  const res = await orderBursts(ctx, r, opts.count, bg);
  await bg.stop();
  let holdbacks = null;
  if (opts.drain > 0) {
    ctx.log(`orders: waiting for the ${res.ids.length} holdbacks to be released (after-sales window ${opts.afterSales} blocks)`);
    const t = Date.now();
    const done = await untilArchived(ctx, book, res.ids, opts.afterSales + opts.drain);
    holdbacks = { allArchived: done, seconds: (Date.now() - t) / 1000 };
  }
  return {
    policy,
    place: res.place.perSecond,
    ship: res.ship.perSecond,
    confirm: res.confirm.perSecond,
    holdbacks,
    timers: book.report(),
  };
}

// ---- sustained -----------------------------------------------------------------------------

export async function sustained(ctx) {
  const { opts } = ctx;
  const r = roles(ctx);
  await checkFunded(ctx, [...r.customers, ...r.merchants], { usdx: true });
  await checkFunded(ctx, r.background);
  const W = opts.window;
  const policy = makePolicy({ shipWithin: W, autoConfirmAfter: W, afterSalesWindow: W });
  await ensureBounds(ctx, policy);
  await ensureMerchants(ctx, r.merchants, policy);
  const book = new OrderBook(ctx, r.customers, W).watch();
  await ctx.readNonces([...r.customers, ...r.merchants]);
  const bg = await background(ctx, r, opts.duration + 60);
  const random = rng(opts.seed);
  const place = [];
  const ship = [];
  const confirm = [];
  let unshipped = 0;
  let unconfirmed = 0;

  const onShipped = (tx) => {
    if (!tx.ok) return;
    if (random() < opts.unconfirmedShare) { unconfirmed += 1; return; }
    const o = tx.order;
    const c = ctx.tx('confirm', o.customer, () => confirmReceiptCall(ctx, o.orderId), { order: o });
    confirm.push(c);
    ctx.submitter.push(c);
  };
  const onPlaced = (tx, rec, evs) => {
    tx.orderId = tx.ok ? placedId(evs) : null;
    if (tx.orderId === null) return;
    if (random() < opts.unshippedShare) { unshipped += 1; return; }
    const s = ctx.tx('ship', tx.merchant, () => markShippedCall(ctx, tx.orderId),
      { order: tx, onIncluded: onShipped });
    ship.push(s);
    ctx.submitter.push(s);
  };

  const total = Math.round(opts.rate * opts.duration);
  ctx.log(`sustained: ${total} orders at ${opts.rate}/s for ${opts.duration} s, windows ${W} blocks`);
  bg.start();
  const t0 = Date.now();
  let n = 0;
  let lastLog = t0;
  await new Promise((resolve) => {
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((Date.now() - t0) * opts.rate) / 1000));
      while (n < due) {
        const i = n;
        n += 1;
        const c = r.customers[i % r.customers.length];
        const m = r.merchants[i % r.merchants.length];
        const tx = ctx.tx('place', c, () => placeOrderCall(ctx, m, opts.price, i),
          { customer: c, merchant: m, onIncluded: onPlaced });
        place.push(tx);
        ctx.submitter.push(tx);
      }
      if (Date.now() - lastLog > 10_000) {
        lastLog = Date.now();
        ctx.log(`sustained: ${n} placed, ${ship.length} ship and ${confirm.length} confirm sent, ` +
          `${ctx.submitter.inPool} in pool, best #${ctx.tracker.bestNumber}, final #${ctx.tracker.finalizedNumber}`);
      }
      if (n >= total || ctx.fatal || ctx.submitter.fatal) {
        clearInterval(timer);
        resolve();
      }
    }, 10);
  });
  const placingSeconds = (Date.now() - t0) / 1000;
  ctx.check();
  // Let the last orders take their steps: ship and confirm transactions keep coming while
  // placements and shipments get into blocks.
  for (;;) {
    const sizes = [place.length, ship.length, confirm.length];
    await ctx.settle(place, { label: 'place' });
    await ctx.settle(ship, { label: 'ship' });
    await ctx.settle(confirm, { label: 'confirm' });
    await ctx.tracker.idle();
    if (sizes[1] === ship.length && sizes[2] === confirm.length) break;
  }
  const stepsSeconds = (Date.now() - t0) / 1000;
  // Wait for every timer to fall due and fire in a final block: an auto-confirmation starts
  // the after-sales window, so deadlines keep coming until every order is archived.
  const limit = ctx.tracker.bestNumber + 3 * W + opts.drain;
  for (;;) {
    await sleep(250);
    await ctx.tracker.idle();
    const lastDue = book.lastDue();
    if (lastDue === null || ctx.tracker.finalizedNumber >= limit) break;
    const target = Math.min(limit, lastDue + 1);
    ctx.log(`sustained: waiting for the timers, ${book.open()} orders open, the last due at #${lastDue}`);
    try {
      await ctx.untilBest(target, (target - ctx.tracker.bestNumber + 10) * ctx.blockTimeMs * 3 + 60_000);
    } catch (e) {
      ctx.log(`sustained: ${e.message}`);
      break;
    }
    if (!await ctx.untilFinalized(target)) break;
  }
  await ctx.finality([...place, ...ship, ...confirm]);
  const reports = {};
  for (const [name, txs] of [['place', place], ['ship', ship], ['confirm', confirm]]) {
    const rep = phaseReport(ctx.tracker, ctx.submitter, name, txs, { saturating: false });
    rep.achievedPerSecond = Math.round((rep.succeeded / opts.duration) * 100) / 100;
    ctx.phases.push(rep);
    reports[name] = rep;
  }
  await bg.stop();
  return {
    policy,
    targetRate: opts.rate,
    duration: opts.duration,
    placingSeconds,
    stepsSeconds,
    offered: n,
    placedPerSecond: reports.place.achievedPerSecond,
    shippedPerSecond: reports.ship.achievedPerSecond,
    confirmedPerSecond: reports.confirm.achievedPerSecond,
    leftUnshipped: unshipped,
    leftUnconfirmed: unconfirmed,
    timers: book.report(),
  };
}

// ---- state ---------------------------------------------------------------------------------

const STATE_PALLETS = ['Orders', 'Escrow', 'Loyalty', 'Disputes', 'Balances', 'AssetsHolder'];

/** Storage item names by their 32-byte prefix (twox128(pallet) ++ twox128(item)). */
function itemNames(api) {
  const names = new Map();
  for (const p of api.registry.metadata.pallets) {
    if (p.storage.isNone) continue;
    const pallet = p.name.toString();
    const prefix = xxhashAsHex(pallet, 128);
    for (const item of p.storage.unwrap().items) {
      const name = item.name.toString();
      names.set(prefix + xxhashAsHex(name, 128).slice(2), `${pallet}.${name}`);
    }
  }
  return names;
}

async function valuesAt(ctx, keys, at) {
  const out = new Map();
  for (let i = 0; i < keys.length; i += 500) {
    const res = await ctx.rpc.call('state_queryStorageAt', [keys.slice(i, i + 500), at]);
    for (const [k, v] of res[0]?.changes ?? []) out.set(k, v);
  }
  return out;
}

/** Key + value bytes of every storage item of the pallets, and of the accounts' records. */
async function snapshot(ctx, accounts, label) {
  const { api, rpc } = ctx;
  const at = await rpc.call('chain_getBlockHash', []);
  const header = await rpc.call('chain_getHeader', [at]);
  const names = itemNames(api);
  const items = {};
  const add = (name, k, v) => {
    const e = (items[name] ??= { keys: 0, bytes: 0 });
    e.keys += 1;
    e.bytes += (k.length - 2) / 2 + (v ? (v.length - 2) / 2 : 0);
  };
  for (const pallet of STATE_PALLETS) {
    const prefix = xxhashAsHex(pallet, 128);
    const keys = [];
    let start = null;
    for (;;) {
      const page = await rpc.call('state_getKeysPaged', [prefix, 1000, start, at]);
      keys.push(...page);
      if (page.length < 1000) break;
      start = page[page.length - 1];
    }
    const values = await valuesAt(ctx, keys, at);
    for (const k of keys) add(names.get(k.slice(0, 66)) ?? `${pallet}.?`, k, values.get(k));
  }
  // The accounts' own records: System.Account and Assets.Account (USDX).
  const sys = accounts.map((a) => api.query.system.account.key(a));
  const ast = accounts.map((a) => api.query.assets.account.key(USDX, a));
  const values = await valuesAt(ctx, [...sys, ...ast], at);
  for (const k of sys) if (values.get(k)) add('System.Account (load accounts)', k, values.get(k));
  for (const k of ast) if (values.get(k)) add('Assets.Account USDX (load accounts)', k, values.get(k));
  const total = Object.values(items).reduce((a, e) => a + e.bytes, 0);
  ctx.log(`state ${label}: ${total} bytes at #${parseInt(header.number, 16)}`);
  return { label, block: parseInt(header.number, 16), hash: at, total, items };
}

function stateDiff(a, b, per) {
  const names = new Set([...Object.keys(a.items), ...Object.keys(b.items)]);
  const out = {};
  for (const n of names) {
    const d = (b.items[n]?.bytes ?? 0) - (a.items[n]?.bytes ?? 0);
    const dk = (b.items[n]?.keys ?? 0) - (a.items[n]?.keys ?? 0);
    if (d || dk) out[n] = { bytes: d, keys: dk, bytesPerOrder: Math.round((d / per) * 10) / 10 };
  }
  return { bytes: b.total - a.total, bytesPerOrder: Math.round(((b.total - a.total) / per) * 10) / 10, items: out };
}

export async function state(ctx) {
  const { opts } = ctx;
  const r = roles(ctx);
  await checkFunded(ctx, [...r.customers, ...r.merchants], { usdx: true });
  const policy = makePolicy({
    shipWithin: opts.longWindow, autoConfirmAfter: opts.longWindow, afterSalesWindow: opts.stateAfterSales,
  });
  await ensureBounds(ctx, policy);
  await ensureMerchants(ctx, r.merchants, policy);
  const book = new OrderBook(ctx, r.customers, policy.shipWithin).watch();
  const involved = [...r.merchants, ...r.customers.slice(0, opts.count)].map((p) => p.address);
  involved.push(ctx.palletAccount('ent/escr'), ctx.palletAccount('ent/plat'));
  await ctx.tracker.idle();
  const before = await snapshot(ctx, involved, 'before');

  await ctx.readNonces([...r.customers, ...r.merchants]);
  const place = await signPlacements(ctx, r, opts.count);
  await ctx.burst('place', place);
  const placed = place.filter((p) => p.ok && p.orderId !== null && p.orderId !== undefined);
  const open = await snapshot(ctx, involved, 'open');

  const ship = placed.map((p) => ctx.tx('ship', p.merchant,
    () => markShippedCall(ctx, p.orderId), { order: p }));
  await ctx.burst('ship', ship);
  const shipped = ship.filter((s) => s.ok);
  const confirm = shipped.map((s) => ctx.tx('confirm', s.order.customer,
    () => confirmReceiptCall(ctx, s.order.orderId), { order: s.order }));
  await ctx.burst('confirm', confirm);
  const ids = placed.map((p) => p.orderId);
  await ctx.untilFinalized(ctx.tracker.bestNumber);
  const archivedEarly = ids.length - book.open(ids);
  const settled = await snapshot(ctx, involved, 'settled');
  ctx.log(`state: waiting for the ${ids.length} orders to be archived`);
  const allArchived = await untilArchived(ctx, book, ids, opts.stateAfterSales + opts.drain);
  const archived = await snapshot(ctx, involved, 'archived');
  const k = placed.length || 1;
  return {
    orders: placed.length,
    policy,
    pallets: STATE_PALLETS,
    note: 'bytes = key + value bytes of every storage entry of the pallets, plus System.Account and ' +
      'Assets.Account (USDX) of the merchants, the customers used, the escrow and the platform accounts',
    snapshots: [before, open, settled, archived].map(({ label, block, total }) => ({ label, block, total })),
    perOpenOrder: stateDiff(before, open, k),
    perSettledOrder: { ...stateDiff(before, settled, k), alreadyArchived: archivedEarly },
    perArchivedOrder: { ...stateDiff(before, archived, k), allArchived },
    detail: { before: before.items, open: open.items, settled: settled.items, archived: archived.items },
    timers: book.report(),
  };
}

// ---- background only -----------------------------------------------------------------------

export async function backgroundOnly(ctx) {
  const { opts } = ctx;
  const r = roles(ctx);
  await checkFunded(ctx, r.background);
  const bg = await background(ctx, r, opts.duration + 1);
  bg.start();
  await sleep(opts.duration * 1000);
  const rep = await bg.stop();
  return { background: rep.perSecond };
}
