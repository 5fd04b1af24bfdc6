// The hostile scenario: a flood of cheap calls at saturation while orders are placed at a
// steady rate, with the nodes' memory and transaction pools watched throughout.
//
// Phases, one after the other (orders are placed at --rate through all of them):
//   baseline   orders only (--baseline seconds)
//   flood      orders, and the flood (--duration seconds)
//   flood+tip  the same, the orders now carrying a tip (--tip-duration seconds; --order-tip)
//   after      orders only: the flood stopped making new transactions, what it had sent
//              drains (--after seconds)
//
// The flood comes from the last --flood-accounts load accounts, round robin, in the mix
// --flood-mix of:
//   remark     system.remark of --remark-bytes bytes
//   transfer   balances.transferKeepAlive of the existential deposit to another flood account
//   overdraft  balances.transferKeepAlive of 10^9 ENT, more than anyone holds: valid (the fee
//              is paid), fails at dispatch
//   badorder   orders.placeOrder to a flood account, which is no merchant: the heaviest call of
//              the order path, fails at dispatch with orders.NotRegistered
//   unpaid     a remark signed by an account that holds nothing: refused by the pool (it cannot
//              pay its fee), never in a block; costs the node a validation each
// "At saturation": the flood keeps --flood-pending transactions submitted and not yet in a block
// (by default a quarter more than the nodes' pool holds, --pool-limit plus a tenth for future
// transactions), so the pools stay full and refuse what does not fit; a refused transaction
// is submitted again after a back-off, as a determined sender would. --flood-rate caps the
// rate instead.
//
// Every --sample seconds it records each node's best and finalized block, its transaction
// pool (Prometheus: substrate_ready_transactions_number, and the fork-aware pool's
// substrate_sub_txpool_watched_txs + substrate_sub_txpool_unwatched_txs, everything it holds)
// from --prometheus, and the resident memory (VmRSS, VmHWM of /proc/PID/status) of the
// processes of --pids (a list, or @DIR for the v<i>.pid files of scripts/network.sh).

import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { hexToU8a, u8aToBigInt } from '@polkadot/util';
import { Submitter } from './submitter.js';
import { phaseReport, quantiles, countBy } from './stats.js';
import { deriveKeys, keyFromUri } from './keys.js';
import { makePolicy, ensureBounds, ensureMerchants, placeOrderCall, placedId, OrderBook } from './orders.js';
import { roles, checkFunded } from './scenarios.js';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ED = 10n ** 9n; // the existential deposit
const TOO_MUCH = 10n ** 21n; // 10^9 ENT
export const FLOOD_KINDS = ['remark', 'transfer', 'overdraft', 'badorder', 'unpaid'];
export const DEFAULT_MIX = 'remark:3,transfer:3,overdraft:2,badorder:1,unpaid:1';
const r1 = (x) => (x === null || x === undefined ? null : Math.round(x * 10) / 10);

/** `remark:3,transfer:3` → { remark: 3, transfer: 3 } (unknown kinds refused). */
export function parseMix(text) {
  const mix = {};
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [kind, w = '1'] = part.split(':');
    if (!FLOOD_KINDS.includes(kind)) throw new Error(`--flood-mix: unknown kind ${kind} (${FLOOD_KINDS.join(', ')})`);
    const weight = Number(w);
    if (!Number.isInteger(weight) || weight < 0) throw new Error(`--flood-mix: ${part}: expected kind:integer weight`);
    if (weight) mix[kind] = weight;
  }
  if (!Object.keys(mix).length) throw new Error('--flood-mix: no kind with a weight');
  return mix;
}

// ---- Watching the nodes ----------------------------------------------------------------------

/** The processes to watch: [{ name, pid }] from `1234,5678` or `@DIR` (DIR/v<i>.pid). */
function processes(spec) {
  if (!spec) return [];
  if (spec.startsWith('@')) {
    const dir = spec.slice(1);
    if (!existsSync(dir)) return [];
    return readdirSync(dir).filter((f) => /^v\d+\.pid$/.test(f))
      .sort((a, b) => Number(a.slice(1, -4)) - Number(b.slice(1, -4)))
      .map((f) => ({ name: f.slice(0, -4), pid: Number(readFileSync(path.join(dir, f), 'utf8').trim()) }));
  }
  return spec.split(',').map((s) => s.trim()).filter(Boolean).map((p) => ({ name: `pid${p}`, pid: Number(p) }));
}

/** VmRSS and VmHWM of `pid` in MiB (null if it is gone). */
function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (key) => {
      const m = status.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'));
      return m ? Number(m[1]) : null;
    };
    return { rss: r1(kib('VmRSS') / 1024), hwm: r1(kib('VmHWM') / 1024) };
  } catch {
    return null;
  }
}

const METRICS = {
  ready: /^substrate_ready_transactions_number(?:\{[^}]*\})? (\S+)$/m,
  watched: /^substrate_sub_txpool_watched_txs(?:\{[^}]*\})? (\S+)$/m,
  unwatched: /^substrate_sub_txpool_unwatched_txs(?:\{[^}]*\})? (\S+)$/m,
  best: /^substrate_block_height\{status="best"[^}]*\} (\S+)$/m,
  finalized: /^substrate_block_height\{status="finalized"[^}]*\} (\S+)$/m,
};

/** The pool and block heights a node's Prometheus endpoint reports (null if it does not answer). */
async function promSample(endpoint) {
  try {
    const url = endpoint.startsWith('http') ? endpoint : `http://${endpoint}/metrics`;
    const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
    const text = await res.text();
    const v = (k) => {
      const m = text.match(METRICS[k]);
      return m ? Number(m[1]) : null;
    };
    const watched = v('watched');
    const unwatched = v('unwatched');
    return {
      ready: v('ready'),
      mempool: watched === null && unwatched === null ? null : (watched ?? 0) + (unwatched ?? 0),
      best: v('best'),
      finalized: v('finalized'),
    };
  } catch {
    return null;
  }
}

/**
 * A node's best and finalized block numbers, and (with `pool`) how many ready transactions its
 * pool holds (author_pendingExtrinsics), over JSON-RPC on HTTP (null if it does not answer).
 */
async function heights(wsUrl, pool) {
  const url = wsUrl.replace(/^ws/, 'http');
  const call = async (method, params = []) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
      signal: AbortSignal.timeout(3000),
    });
    const body = await res.json();
    if (body.error) throw new Error(body.error.message);
    return body.result;
  };
  try {
    const [head, fin, pending] = await Promise.all([call('chain_getHeader'), call('chain_getFinalizedHead'),
      pool ? call('author_pendingExtrinsics') : null]);
    const finHead = await call('chain_getHeader', [fin]);
    return { best: parseInt(head.number, 16), finalized: parseInt(finHead.number, 16), ready: pending?.length ?? null };
  } catch {
    return null;
  }
}

// ---- The flood --------------------------------------------------------------------------------

class Flood {
  constructor(ctx, accounts, mix) {
    this.ctx = ctx;
    this.accounts = accounts;
    const { opts } = ctx;
    this.cap = opts.floodPending;
    this.rate = opts.floodRate;
    this.order = Object.entries(mix).flatMap(([k, w]) => Array(w).fill(k));
    this.remark = `0x${'42'.repeat(opts.remarkBytes)}`;
    this.made = 0;
    this.byKind = Object.fromEntries(FLOOD_KINDS.map((k) => [k, 0]));
    this.next = Object.fromEntries(FLOOD_KINDS.map((k) => [k, 0]));
    this.unfunded = mix.unpaid ? deriveKeys(keyFromUri('//hostile'), '//hostile', 0, 64) : [];
    // Each flood account sends one kind only, so that a kind the pool ranks low (a heavy
    // call) does not hold the others back behind its nonces: the accounts are dealt to the
    // kinds by weight.
    const dealt = this.order.filter((k) => k !== 'unpaid');
    this.groups = {};
    accounts.forEach((a, j) => {
      if (!dealt.length) return;
      (this.groups[dealt[j % dealt.length]] ??= []).push({ key: a, index: j });
    });
    const empty = [...new Set(dealt)].filter((k) => !this.groups[k]);
    if (empty.length) {
      throw new Error(`--flood-accounts ${accounts.length}: too few for the mix (${dealt.length} needed, one kind each)`);
    }
    this.generating = false;
  }

  async start() {
    const { ctx } = this;
    const { opts } = ctx;
    this.sub = new Submitter(opts.urls, ctx.tracker, {
      connections: opts.floodConnections,
      inflight: opts.inflight,
      window: this.cap,
      resubmitAfterMs: 15_000,
      holdSenders: true,
      log: ctx.log,
    });
    await this.sub.start();
    await ctx.readNonces(this.accounts);
  }

  /** A signed flood transaction of `kind`, the `i`-th of its kind. */
  make(kind, i) {
    const { ctx } = this;
    const { api } = ctx;
    const a = this.accounts;
    const g = this.groups[kind];
    const from = g ? g[i % g.length].key : null;
    const to = g ? a[(g[i % g.length].index + 1) % a.length] : null;
    const extra = { flood: kind, onRejected: (tx) => ctx.tracker.txs.delete(tx.hash) };
    const phase = `flood:${kind}`;
    switch (kind) {
      case 'remark':
        return ctx.tx(phase, from, () => ctx.enc(api.tx.system.remark).encode(this.remark), extra);
      case 'transfer':
        return ctx.tx(phase, from, () => ctx.enc(api.tx.balances.transferKeepAlive).encode(to.address, ED), extra);
      case 'overdraft':
        return ctx.tx(phase, from, () => ctx.enc(api.tx.balances.transferKeepAlive).encode(to.address, TOO_MUCH), extra);
      case 'badorder':
        return ctx.tx(phase, from, () => placeOrderCall(ctx, to, 100_000n, 0), extra);
      case 'unpaid': {
        // Nonce 0 of an account that does not exist; the remark makes each one different.
        const key = this.unfunded[i % this.unfunded.length];
        const call = api.tx.system.remark(`0x${(this.made + 1).toString(16).padStart(16, '0')}`);
        const signed = ctx.sign(call, key, 0);
        return { ...signed, phase, sender: key.address, nonce: 0, ...extra };
      }
      default:
        throw new Error(kind);
    }
  }

  /** Starts making transactions: as many as fit under the pending bound, or at --flood-rate. */
  go() {
    this.generating = true;
    this.t0 ??= Date.now();
    this.timer ??= setInterval(() => this.tick(), 20);
  }

  tick() {
    if (!this.generating) return;
    const due = this.rate ? Math.floor(((Date.now() - this.t0) * this.rate) / 1000) : Infinity;
    let n = 0;
    // At most 1,000 a tick, so that blocks and answers are processed meanwhile.
    while (this.made < due && this.sub.pending < this.cap && n < 1000) {
      const kind = this.order[this.made % this.order.length];
      const tx = this.make(kind, this.next[kind]);
      this.next[kind] += 1;
      this.made += 1;
      this.byKind[kind] += 1;
      n += 1;
      this.sub.push(tx);
    }
  }

  /** Stops making new transactions; what was made is still submitted until it is in a block. */
  halt() {
    this.generating = false;
    this.haltedAt = Date.now();
  }

  stop() {
    this.generating = false;
    clearInterval(this.timer);
    this.sub?.stop();
  }
}

// ---- The scenario -----------------------------------------------------------------------------

/**
 * The priority the runtime gives the signed extrinsic `hex`: TaggedTransactionQueue's
 * validate_transaction(TransactionSource::External, tx, best block) called at the best block.
 */
async function priorityOf(ctx, hex) {
  try {
    const at = await ctx.rpc.call('chain_getBlockHash', []);
    const input = `0x02${hex.slice(2)}${at.slice(2)}`;
    const out = hexToU8a(await ctx.rpc.call('state_call', ['TaggedTransactionQueue_validate_transaction', input, at]));
    // Result<ValidTransaction, TransactionValidityError>; ValidTransaction starts with the u64 priority.
    if (out[0] === 0) return { priority: u8aToBigInt(out.subarray(1, 9), { isLe: true }) };
    try {
      return { invalid: ctx.api.createType('TransactionValidityError', out.subarray(1)).toString() };
    } catch {
      return { invalid: `0x${Buffer.from(out.subarray(1)).toString('hex')}` };
    }
  } catch (e) {
    return { error: e.message.split('\n')[0] };
  }
}

export async function hostile(ctx) {
  const { api, opts } = ctx;
  const r = roles(ctx);
  const mix = parseMix(opts.floodMix);
  await checkFunded(ctx, [...r.customers, ...r.merchants], { usdx: true });
  await checkFunded(ctx, r.background);
  const W = opts.window;
  const policy = makePolicy({ shipWithin: W, autoConfirmAfter: W, afterSalesWindow: W });
  await ensureBounds(ctx, policy);
  await ensureMerchants(ctx, r.merchants, policy);
  const book = new OrderBook(ctx, r.customers, W).watch();
  await ctx.readNonces([...r.customers, ...r.merchants]);

  const flood = new Flood(ctx, r.background, mix);
  await flood.start();

  // Priorities: what the pool orders by (higher first; among equals, the older first).
  const priorities = {};
  const sampleNonce = (p) => ctx.nonceOf.get(p.address);
  const orderSample = (tip) => ctx.sign(placeOrderCall(ctx, r.merchants[0], opts.price, 0), r.customers[0],
    sampleNonce(r.customers[0]), tip).hex;
  priorities.order = await priorityOf(ctx, orderSample(0));
  for (const kind of Object.keys(mix)) {
    const tx = flood.make(kind, 0);
    // make() took a nonce of a flood account: give it back (nothing was submitted).
    if (kind !== 'unpaid') ctx.nonceOf.set(tx.sender, tx.nonce);
    priorities[kind] = await priorityOf(ctx, tx.hex);
  }
  let tip = 0n;
  if (opts.orderTip === 'auto') {
    const top = Object.entries(priorities).filter(([k, p]) => k !== 'order' && p.priority !== undefined)
      .reduce((m, [, p]) => (p.priority > m ? p.priority : m), 0n);
    const base = priorities.order.priority;
    // Priority is (tip + 1) × how many such transactions fit in a block: twice the smallest
    // tip that puts an order above every kind of the flood.
    if (base) tip = 2n * (top / base + 1n);
    else {
      tip = 1_000_000n;
      ctx.log(`hostile: priorities unknown; the orders' tip is ${tip} planck`);
    }
  } else {
    tip = BigInt(opts.orderTip);
  }
  if (opts.tipDuration > 0) priorities.orderWithTip = { tip, ...await priorityOf(ctx, orderSample(tip)) };
  ctx.log(`hostile: priorities ${JSON.stringify(priorities, (k, v) => (typeof v === 'bigint' ? v.toString() : v))}`);

  const plan = [
    { name: 'baseline', seconds: opts.baseline, flood: false, tip: 0n },
    { name: 'flood', seconds: opts.duration, flood: true, tip: 0n },
    { name: 'flood+tip', seconds: opts.tipDuration, flood: true, tip },
    { name: 'after', seconds: opts.after, flood: false, tip: 0n },
  ].filter((p) => p.seconds > 0);

  // ---- Flood outcomes, counted as blocks become final (and forgotten, to keep memory flat).
  const t0 = Date.now();
  const phaseAt = (t) => {
    let cur = plan[0]?.name ?? 'baseline';
    for (const p of plan) if (p.start !== undefined && t >= p.start) cur = p.name;
    const last = plan[plan.length - 1];
    return last?.end !== undefined && t >= last.end ? 'drain' : cur;
  };
  const floodIn = {}; // phase -> kind -> { ok, failed, errors }
  ctx.tracker.finalListeners.push((rec) => {
    for (const h of rec.txHashes) {
      const tx = ctx.tracker.txs.get(h);
      if (!tx?.flood) continue;
      const ph = phaseAt(tx.inBlockAt ?? rec.seenAt);
      const e = ((floodIn[ph] ??= {})[tx.flood] ??= { ok: 0, failed: 0, errors: {} });
      if (tx.ok) e.ok += 1;
      else {
        e.failed += 1;
        e.errors[tx.error] = (e.errors[tx.error] ?? 0) + 1;
      }
      ctx.tracker.txs.delete(h);
      tx.hex = null;
      tx.resign = null;
    }
  });

  // ---- Samples: heights, pools, memory.
  const orders = [];
  const samples = [];
  const procs = () => processes(opts.pids);
  const sample = async () => {
    const t = Date.now();
    const [proms, hs] = await Promise.all([Promise.all(opts.prometheus.map((p) => promSample(p))),
      Promise.all(opts.urls.map((u) => heights(u, true)))]);
    const s = {
      t: Math.round((t - t0) / 100) / 10,
      phase: phaseAt(t),
      best: hs[0]?.best ?? ctx.tracker.bestNumber,
      finalized: hs[0]?.finalized ?? ctx.tracker.finalizedNumber,
      heights: hs,
      trackerBest: ctx.tracker.bestNumber,
      toolRss: r1(process.memoryUsage().rss / 2 ** 20),
      floodPending: flood.sub.pending,
      floodInPool: flood.sub.inPool,
      ordersPending: ctx.submitter.pending,
      nodes: proms.map((p, i) => ({ endpoint: opts.prometheus[i], ...(p ?? { down: true }) })),
      memory: procs().map(({ name, pid }) => ({ name, pid, ...(memoryOf(pid) ?? { gone: true }) })),
    };
    samples.push(s);
    return s;
  };
  let sampling = true;
  const sampler = (async () => {
    let lastLog = 0;
    while (sampling) {
      const s = await sample();
      if (Date.now() - lastLog > 10_000) {
        lastLog = Date.now();
        const pool = s.nodes.map((n) => (n.down ? 'down' : `${n.ready ?? '-'}/${n.mempool ?? '-'}`)).join(' ');
        const mem = s.memory.map((m) => (m.gone ? `${m.name} gone` : `${m.name} ${Math.round(m.rss)}`)).join(' ');
        ctx.log(`hostile ${s.phase}: best #${s.best} final #${s.finalized} (tracker at #${s.trackerBest}); flood made ${flood.made}, ` +
          `pending ${s.floodPending}; orders placed ${orders.length}; pools ready/all ${pool || '-'}; RSS MiB ${mem || '-'}`);
      }
      await sleep(opts.sample * 1000);
    }
  })();

  // ---- Orders at --rate through every phase; the flood in its phases. Each phase's orders
  // come from customers of their own: a customer's orders go in nonce order, so an order held
  // back in one phase would hold back the same customer's orders of the next.
  if (r.customers.length < plan.length) throw new Error(`${r.customers.length} customers: at least ${plan.length} needed, one per phase`);
  plan.forEach((p, g) => { p.customers = r.customers.filter((c, i) => i % plan.length === g); p.placed = 0; });
  let current = plan[0];
  let n = 0;
  let placer = null;
  let floodLeft;
  let tEnd;
  try {
    placer = setInterval(() => {
      const due = Math.floor(((Date.now() - t0) * opts.rate) / 1000);
      while (n < due) {
        const i = n;
        n += 1;
        const c = current.customers[current.placed % current.customers.length];
        current.placed += 1;
        const m = r.merchants[i % r.merchants.length];
        const tx = ctx.tx(`orders/${current.name}`, c, () => placeOrderCall(ctx, m, opts.price, i), {
          tip: current.tip,
          customer: c,
          merchant: m,
          onIncluded: (t, rec, evs) => { t.orderId = t.ok ? placedId(evs) : null; },
        });
        orders.push(tx);
        ctx.submitter.push(tx);
      }
    }, 10);
    try {
      for (const p of plan) {
        current = p;
        p.start = Date.now();
        ctx.log(`hostile: phase ${p.name} for ${p.seconds} s (flood ${p.flood ? 'on' : 'off'}, order tip ${p.tip})`);
        if (p.flood) flood.go();
        else if (flood.generating) flood.halt();
        const end = p.start + p.seconds * 1000;
        while (Date.now() < end) {
          ctx.check();
          if (flood.sub.fatal) throw new Error(`flood connection lost: ${flood.sub.fatal.message}`);
          await sleep(200);
        }
        p.end = Date.now();
      }
    } finally {
      clearInterval(placer);
      if (flood.generating) flood.halt();
    }

    // ---- Let everything get in: the orders, and what the flood had sent.
    tEnd = Date.now();
    await ctx.settle(orders, { label: 'orders' });
    const floodOpen = () => flood.sub.pending;
    let floodLast = floodOpen();
    let floodProgress = Date.now();
    while (floodOpen() > 0 && Date.now() - floodProgress < opts.stallTimeout * 1000) {
      await sleep(500);
      if (floodOpen() < floodLast) { floodLast = floodOpen(); floodProgress = Date.now(); }
    }
    floodLeft = floodOpen();
    await ctx.finality(orders);
    // The orders' ship-by timers (W blocks after placement) fire under the flood too.
    if (opts.drain > 0) {
      const limit = ctx.tracker.bestNumber + W + opts.drain;
      for (;;) {
        await sleep(250);
        await ctx.tracker.idle();
        const lastDue = book.lastDue();
        if (lastDue === null || ctx.tracker.finalizedNumber >= limit) break;
        const target = Math.min(limit, lastDue + 1);
        try {
          await ctx.untilBest(target, (target - ctx.tracker.bestNumber + 10) * (ctx.blockTimeMs ?? 1000) * 3 + 60_000);
        } catch (e) {
          ctx.log(`hostile: ${e.message}`);
          break;
        }
        if (!await ctx.untilFinalized(target)) break;
      }
    }
    // The pools empty once what the flood sent is in blocks.
    for (let i = 0; i < 60; i += 1) {
      const hs = await Promise.all(opts.urls.map((u) => heights(u, true)));
      if (hs.every((h) => h && h.ready !== null && h.ready <= 20)) break;
      await sleep(1000);
    }
  } finally {
    clearInterval(placer);
    sampling = false;
    await sampler;
    flood.stop();
  }
  await sample();
  await ctx.tracker.idle();

  // ---- The report.
  const phases = {};
  const blocks = ctx.tracker.canonicalBlocks(ctx.tracker.startNumber + 1, ctx.tracker.bestNumber);
  const drain = floodIn.drain ?? {};
  for (const p of plan) {
    const name = `orders/${p.name}`;
    const txs = orders.filter((t) => t.phase === name);
    const rep = phaseReport(ctx.tracker, ctx.submitter, name, txs, { saturating: false, tip: p.tip.toString() });
    ctx.phases.push(rep);
    const inc = txs.filter((t) => t.block);
    const latIn = quantiles(inc.map((t) => t.inBlockAt - t.firstSubmitAt));
    const latFin = quantiles(inc.filter((t) => t.finalizedAt).map((t) => t.finalizedAt - t.firstSubmitAt));
    const bs = blocks.filter((b) => b.seenAt >= p.start && b.seenAt < p.end);
    const ts = bs.filter((b) => b.ts).map((b) => b.ts);
    const ss = samples.filter((s) => s.t * 1000 >= p.start - t0 && s.t * 1000 < p.end - t0);
    // Lag: how far each node's finalized block is behind its best, sampled over RPC.
    const lagBlocks = quantiles(ss.flatMap((s) => s.heights.filter(Boolean).map((h) => h.best - h.finalized)));
    const unanswered = ss.reduce((a, s) => a + s.heights.filter((h) => !h).length, 0);
    const fin = quantiles(bs.filter((b) => b.finalizedAt).map((b) => b.finalizedAt - b.seenAt));
    const full = quantiles(bs.map((b) => ctx.tracker.fullness(b).refTimeShare));
    const fl = floodIn[p.name] ?? {};
    const floodOk = Object.values(fl).reduce((a, e) => a + e.ok + e.failed, 0);
    phases[p.name] = {
      seconds: (p.end - p.start) / 1000,
      flood: p.flood,
      orderTip: p.tip.toString(),
      orders: {
        placed: txs.length,
        included: inc.length,
        succeeded: inc.filter((t) => t.ok).length,
        failed: countBy(inc.filter((t) => !t.ok), (t) => t.error),
        refusals: ctx.submitter.statsOf(name).errors,
        inBlockMs: latIn,
        finalizedMs: latFin,
      },
      blocks: bs.length,
      blockIntervalMs: ts.length > 1 ? Math.round((ts[ts.length - 1] - ts[0]) / (ts.length - 1)) : null,
      refTimeShare: full,
      finality: { lagBlocks, unansweredSamples: unanswered, blockToFinalMs: fin,
        finalizedFrom: ss[0]?.finalized ?? null, finalizedTo: ss[ss.length - 1]?.finalized ?? null,
        bestFrom: ss[0]?.best ?? null, bestTo: ss[ss.length - 1]?.best ?? null },
      customers: p.customers.length,
      floodIncluded: fl,
      floodPerSecond: r1(floodOk / ((p.end - p.start) / 1000)),
    };
  }

  // Pools and memory: per node, the largest values seen, and when the pool drained.
  const L = opts.poolLimit;
  const futureLimit = Math.floor(L / 10);
  // Two views of each pool: over RPC, the ready transactions of its latest view at the moment
  // of the sample (author_pendingExtrinsics); from Prometheus, the ready count (refreshed every
  // 5 s) and everything the pool holds (ready, future, and what is in blocks not yet final)
  // as it was after the last block.
  const maxOf = (vals, k) => vals.reduce((m, x) => (x && x[k] !== null && x[k] !== undefined && x[k] > m ? x[k] : m), 0);
  const pools = opts.urls.map((url, i) => {
    const prom = samples.map((s) => s.nodes[i]).filter((x) => x && !x.down);
    return {
      url,
      endpoint: opts.prometheus[i] ?? null,
      maxReady: Math.max(maxOf(samples.map((s) => s.heights[i]), 'ready'), maxOf(prom, 'ready')),
      maxAll: maxOf(prom, 'mempool'),
    };
  });
  const floodStart = plan.find((p) => p.flood)?.start;
  const haltedAt = flood.haltedAt ?? tEnd;
  const afterHalt = samples.filter((s) => s.t * 1000 >= haltedAt - t0);
  const drained = afterHalt.find((s) => s.heights.every((h) => h && h.ready !== null && h.ready <= 20));
  const full = samples.find((s) => floodStart && s.t * 1000 >= floodStart - t0
    && (s.heights.some((h) => h?.ready >= 0.9 * L)
      || s.nodes.some((x) => !x.down && (x.ready >= 0.9 * L || x.mempool >= 0.9 * (L + futureLimit)))));
  const memory = {};
  for (const s of samples) {
    for (const m of s.memory) {
      const e = (memory[m.name] ??= { pid: m.pid, first: null, max: 0, hwm: 0, last: null, gone: false });
      if (m.gone) { e.gone = true; continue; }
      e.first ??= m.rss;
      e.max = Math.max(e.max, m.rss);
      e.hwm = Math.max(e.hwm, m.hwm ?? 0);
      e.last = m.rss;
      e.byPhase ??= {};
      e.byPhase[s.phase] = Math.max(e.byPhase[s.phase] ?? 0, m.rss);
    }
  }
  const refused = Object.fromEntries(Object.keys(mix).map((k) => [k, flood.sub.statsOf(`flood:${k}`).errors]));
  const poolFullRefusals = Object.values(refused).reduce((a, e) => a + (e.ImmediatelyDropped ?? 0) + (e.PriorityTooLow ?? 0), 0);
  // Accepted, then neither in a block nor in the pool 15 s later: dropped by a full pool to make
  // room (lowest priority first), and submitted again.
  const dropped = Object.keys(mix).reduce((a, k) => {
    const st = flood.sub.statsOf(`flood:${k}`);
    return a + Math.max(0, st.resubmits - (st.errors.AlreadyImported ?? 0));
  }, 0);
  const maxAll = pools.reduce((m, p) => Math.max(m, p.maxAll), 0);
  const maxReady = pools.reduce((m, p) => Math.max(m, p.maxReady), 0);
  const rssMax = Object.values(memory).reduce((m, e) => Math.max(m, e.max), 0);
  const bounds = {
    poolLimit: L,
    futureLimit,
    poolLimitAll: L + futureLimit,
    maxReady,
    maxAll,
    withinLimit: maxReady <= L && maxAll <= L + futureLimit,
    saturated: !!full || poolFullRefusals > 0 || dropped > 0,
    poolFullSeconds: full ? r1(full.t - (floodStart - t0) / 1000) : null,
    poolFullRefusals,
    floodDropped: dropped,
    drainedSecondsAfterFlood: drained ? r1(drained.t - (haltedAt - t0) / 1000) : null,
    rssMaxMiB: rssMax,
    toolRssMaxMiB: samples.reduce((m, s) => Math.max(m, s.toolRss), 0),
    rssLimitMiB: opts.rssLimit ?? null,
    rssWithinLimit: opts.rssLimit ? rssMax <= opts.rssLimit : null,
    processesGone: Object.entries(memory).filter(([, e]) => e.gone).map(([k]) => k),
  };
  return {
    policy,
    rate: opts.rate,
    mix,
    floodPending: flood.cap,
    floodAccounts: r.background.length,
    priorities,
    orderTip: tip.toString(),
    flood: { made: flood.made, byKind: flood.byKind, refused, leftAtEnd: floodLeft, drainIncluded: drain,
      submitter: flood.sub.stats },
    phases,
    pools,
    memory,
    bounds,
    timers: book.report(),
    samples,
  };
}

/** The human summary's lines for the hostile scenario. */
export function hostileSummary(r) {
  const lines = [];
  const q = (x, d = 0) => (x ? `${(x.p50 / 10 ** d).toFixed(d ? 2 : 0)}/${(x.p99 / 10 ** d).toFixed(d ? 2 : 0)}` : '-');
  const pr = Object.entries(r.priorities).map(([k, v]) => `${k} ${v.priority ?? v.invalid ?? v.error}`).join(', ');
  lines.push(`flood: ${r.floodAccounts} accounts, mix ${JSON.stringify(r.mix)}, at most ${r.floodPending} pending; ` +
    `made ${r.flood.made} ${JSON.stringify(r.flood.byKind)}; left at the end ${r.flood.leftAtEnd}`);
  lines.push(`priorities: ${pr}; order tip in flood+tip ${r.orderTip} planck`);
  for (const [name, p] of Object.entries(r.phases)) {
    const o = p.orders;
    const fails = Object.entries(o.failed).map(([k, v]) => `${k}×${v}`).join(', ');
    const refusals = Object.entries(o.refusals).map(([k, v]) => `${k}×${v}`).join(', ');
    const fl = Object.entries(p.floodIncluded).map(([k, e]) => `${k} ${e.ok + e.failed}` +
      (e.failed ? ` (${Object.entries(e.errors).map(([x, c]) => `${x}×${c}`).join(', ')})` : '')).join(', ');
    lines.push(`${name} (${p.seconds} s${p.flood ? ', flood' : ''}${p.orderTip !== '0' ? `, tip ${p.orderTip}` : ''}): ` +
      `orders ${o.succeeded}/${o.placed} ok${fails ? ` (failed ${fails})` : ''}, in block p50/p99 ${q(o.inBlockMs, 3)} s, ` +
      `finalized ${q(o.finalizedMs, 3)} s${refusals ? `; refused ${refusals}` : ''}`);
    lines.push(`  blocks ${p.blocks} (mean interval ${p.blockIntervalMs ?? '-'} ms, ref_time mean ${p.refTimeShare ? Math.round(p.refTimeShare.mean * 100) : '-'}%); ` +
      `finality lag blocks p50/p99/max ${p.finality.lagBlocks ? `${p.finality.lagBlocks.p50}/${p.finality.lagBlocks.p99}/${p.finality.lagBlocks.max}` : '-'}, ` +
      `block seen → final ms p50/p99 ${q(p.finality.blockToFinalMs)}; finalized #${p.finality.finalizedFrom} → #${p.finality.finalizedTo}` +
      (fl ? `; flood in blocks ${p.floodPerSecond}/s: ${fl}` : ''));
  }
  const dr = Object.entries(r.flood.drainIncluded ?? {}).map(([k, e]) => `${k} ${e.ok + e.failed}`).join(', ');
  if (dr) lines.push(`drain (after the last phase): flood in blocks ${dr}`);
  const b = r.bounds;
  lines.push(`pools (limit ${b.poolLimit} ready + ${b.futureLimit} future): ` +
    r.pools.map((p) => `${p.url} max ready ${p.maxReady}, max held ${p.maxAll}`).join('; ') +
    `; ${b.withinLimit ? 'within' : 'OVER'} the limit; ${b.saturated ? 'saturated' : 'NOT saturated'} ` +
    `(${b.poolFullSeconds !== null ? `at 90% ${b.poolFullSeconds} s into the flood` : 'never at 90%'}, ` +
    `${b.poolFullRefusals} flood submissions refused for room, ${b.floodDropped} dropped for room and sent again); ` +
    `ready below 20 ${b.drainedSecondsAfterFlood ?? '-'} s after the flood stopped`);
  lines.push(`memory (RSS MiB first/max/last, peak VmHWM): ` + Object.entries(r.memory)
    .map(([k, m]) => `${k} ${Math.round(m.first)}/${Math.round(m.max)}/${Math.round(m.last)} (${Math.round(m.hwm)})${m.gone ? ' GONE' : ''}`).join(', ') +
    (b.rssLimitMiB ? `; limit ${b.rssLimitMiB}: ${b.rssWithinLimit ? 'within' : 'OVER'}` : '') +
    `; the load tool itself at most ${Math.round(b.toolRssMaxMiB)}`);
  const t = r.timers;
  if (t) {
    const x = t.latenessBlocks.shipBy;
    lines.push(`timers: ${t.orders} orders ${JSON.stringify(t.outcomes)}; expiry lateness blocks p50/p99/max ` +
      `${x ? `${x.p50}/${x.p99}/${x.max} (n=${x.n})` : '-'}; overdue at end ${t.overdueAtEnd}; TimerFailed ${t.timerFailed}`);
  }
  return lines;
}
