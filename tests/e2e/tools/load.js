#!/usr/bin/env node
// Entrepot's load tool: drives a running node or network over JSON-RPC and measures it.
//
//   node tests/e2e/tools/load.js --scenario setup --accounts 2000 --merchants 100
//   node tests/e2e/tools/load.js --scenario transfers --accounts 2000 --count 20000 --out t.json
//   node tests/e2e/tools/load.js --scenario orders --accounts 2000 --count 10000
//   node tests/e2e/tools/load.js --scenario sustained --accounts 2000 --rate 50 --duration 600
//   node tests/e2e/tools/load.js --scenario state --accounts 2000 --count 1000
//   node tests/e2e/tools/load.js --scenario hostile --accounts 600 --flood-accounts 400 --rate 5 \
//       --duration 300 --pids @/tmp/net --prometheus 127.0.0.1:9615,127.0.0.1:9616
//   node tests/e2e/tools/load.js --scenario transfers ... --background-rate 300
//   node tests/e2e/tools/load.js --urls ws://127.0.0.1:9944,ws://127.0.0.1:9945 ...
//
// `--help` lists every option. Transactions are signed before the timed phase (immortal,
// explicit nonces read once with system_accountNextIndex), submitted raw with
// author_submitExtrinsic over several connections with a bounded number pending, and tracked
// by hash through the best and the finalized blocks. The human summary goes to stdout, the
// progress to stderr, the full measurements to --out FILE (JSON). The exit status is non-zero
// only if the tool itself failed; failed transactions are reported, not fatal.

import { parseArgs } from 'node:util';
import { writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { inspect } from 'node:util';
import { Context } from './load/context.js';
import { phaseLine, quantiles } from './load/stats.js';
import * as scenarios from './load/scenarios.js';
import { hostile, hostileSummary, parseMix, DEFAULT_MIX } from './load/hostile.js';

const SCENARIOS = {
  setup: scenarios.setup,
  transfers: scenarios.transfers,
  orders: scenarios.orders,
  sustained: scenarios.sustained,
  state: scenarios.state,
  background: scenarios.backgroundOnly,
  hostile,
};

const HELP = `usage: node tests/e2e/tools/load.js --scenario NAME [options]

scenarios:
  setup       create and fund --accounts load accounts (derived keys load/0 .. load/N-1) with ENT and USDX from
              --funder in utility.batchAll batches; register the first --merchants as merchants
              accepting USDX (lowering the policy bounds' minimums to 1 block through sudo or a
              council motion of the development keys if needed). Idempotent.
  transfers   a burst of --count balances.transferKeepAlive among the load accounts
  orders      a burst of --count USDX escrow orders, then all shipped, then all confirmed
              (three timed phases), then the holdback timers after --after-sales blocks
  sustained   orders at --rate per second for --duration seconds, each shipped and confirmed
              once its previous step is in a block (except --unshipped-share / --unconfirmed-share),
              windows of --window blocks: throughput, failures, timer lateness
  state       storage bytes (Orders, Escrow, Loyalty, Disputes, Balances, AssetsHolder and the
              accounts' records) before, with --count open orders, settled, and archived
  background  only the --background-rate transfers, for --duration seconds
  hostile     orders placed at --rate (5) per second throughout, and a flood of cheap calls at
              saturation from the last --flood-accounts accounts: --baseline s without it,
              --duration s with it, --tip-duration s with it and the orders tipped (--order-tip),
              --after s without it (while what it sent drains); order latency, finality, blocks,
              each node's pool (--prometheus) and memory (--pids) over time, against --pool-limit

connection:
  --urls LIST            comma-separated ws:// URLs, or @FILE with one per line
                         (default ws://127.0.0.1:9944); the first one is also read from
  --connections N        WebSocket connections for submitting, spread over the URLs (4)
  --inflight N           submissions awaiting an answer per connection (32)
  --max-pending N        transactions submitted and not yet in a block, at most (4000)
  --resubmit-after S     resubmit a pooled transaction not in a block after S seconds (60)
  --stall-timeout S      give up on transactions after S seconds without progress (60)
  --finality-timeout S   wait at most S seconds for finality after a phase (120)

accounts:
  --accounts N           load accounts (100)
  --merchants M          the first M of them are merchants (accounts/10, at least 1)
  --funder SURIS         who funds the accounts in setup, comma-separated; several funders
                         fund equal slices (//Alice; e.g. //Alice,//Bob,//Charlie,//Dave,//Eve,//Ferdie
                         for more USDX: each development account holds 100,000)
  --sudo SURI            the sudo key, if not a development key
  --fund-ent X           ENT per account (min(1000, half a funder's ENT / its accounts))
  --fund-usdx X          USDX per account (min(1000, 80% of a funder's USDX / its accounts))
  --batch N              accounts funded per utility.batchAll (100)

load:
  --count K              transactions or orders of a burst (transfers 1000, orders 200, state 100)
  --rate R               sustained: orders placed per second (2)
  --duration S           sustained, background: seconds; hostile: seconds of flood (60)
  --window B             sustained and setup: ship_within, auto_confirm_after, after_sales (20 blocks)
  --long-window B        orders, state: ship_within and auto_confirm_after (3600 blocks)
  --after-sales B        orders: after_sales_window (--window)
  --state-after-sales B  state: after_sales_window (30 blocks)
  --drain B              extra blocks to wait for timers and archival (60; 0: orders does not wait)
  --price UNITS          unit price of the one line item, USDX units of 10^-6 (100000 = 0.1 USDX)
  --unshipped-share F    sustained: share of orders never shipped (0.1)
  --unconfirmed-share F  sustained: share of shipped orders never confirmed (0.1)
  --seed N               sustained: random seed for who is left unshipped/unconfirmed (1)
  --background-rate R    transfers per second during the scenario, from their own accounts (0)
  --background-accounts N  the last N load accounts send them (min(50, accounts/5))
  --background-presign S   background transfers signed ahead, in seconds of rate (120)

hostile:
  --flood-accounts N     the last N load accounts flood (min(400, accounts/2))
  --flood-mix MIX        kinds and weights, ${DEFAULT_MIX} by default:
                         remark, transfer, overdraft (a transfer above the balance: fails at
                         dispatch, pays its fee), badorder (placeOrder to a non-merchant: fails at
                         dispatch), unpaid (signed by an empty account: refused by the pool)
  --flood-pending N      flood transactions submitted and not yet in a block, at most
                         (1.25 × (pool limit + a tenth): the pools stay full)
  --flood-rate R         cap the flood at R per second (0: no cap, saturate)
  --flood-connections N  WebSocket connections of the flood, spread over the URLs (4)
  --pool-limit L         the nodes' --pool-limit (8192, the node's default): the bound checked
  --rss-limit MIB        the resident memory bound checked for each process of --pids
  --baseline S           seconds of orders without the flood first (60)
  --tip-duration S       seconds of flood with tipped orders (0: none)
  --order-tip T|auto     the orders' tip in planck then (auto: twice the smallest tip that puts
                         an order above every kind of the flood in priority)
  --after S              seconds of orders after the flood (60)
  --pids LIST|@DIR       processes whose VmRSS to sample: pids, or DIR/v<i>.pid (scripts/network.sh)
  --prometheus LIST      host:port of each node's Prometheus endpoint, for its pool and heights
  --sample S             seconds between samples (2)
  --remark-bytes N       bytes of each flood remark (64)

output:
  --out FILE             write every measurement as JSON
  --quiet                no progress on stderr
`;

function parse(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      help: { type: 'boolean', short: 'h' },
      scenario: { type: 'string', short: 's' },
      urls: { type: 'string' },
      url: { type: 'string' },
      connections: { type: 'string' },
      inflight: { type: 'string' },
      'max-pending': { type: 'string' },
      'resubmit-after': { type: 'string' },
      'stall-timeout': { type: 'string' },
      'finality-timeout': { type: 'string' },
      accounts: { type: 'string' },
      merchants: { type: 'string' },
      funder: { type: 'string' },
      sudo: { type: 'string' },
      'fund-ent': { type: 'string' },
      'fund-usdx': { type: 'string' },
      batch: { type: 'string' },
      count: { type: 'string' },
      rate: { type: 'string' },
      duration: { type: 'string' },
      window: { type: 'string' },
      'long-window': { type: 'string' },
      'after-sales': { type: 'string' },
      'state-after-sales': { type: 'string' },
      drain: { type: 'string' },
      price: { type: 'string' },
      'unshipped-share': { type: 'string' },
      'unconfirmed-share': { type: 'string' },
      seed: { type: 'string' },
      'background-rate': { type: 'string' },
      'background-accounts': { type: 'string' },
      'background-presign': { type: 'string' },
      'flood-accounts': { type: 'string' },
      'flood-mix': { type: 'string' },
      'flood-pending': { type: 'string' },
      'flood-rate': { type: 'string' },
      'flood-connections': { type: 'string' },
      'pool-limit': { type: 'string' },
      'rss-limit': { type: 'string' },
      baseline: { type: 'string' },
      'tip-duration': { type: 'string' },
      'order-tip': { type: 'string' },
      after: { type: 'string' },
      pids: { type: 'string' },
      prometheus: { type: 'string' },
      sample: { type: 'string' },
      'remark-bytes': { type: 'string' },
      out: { type: 'string' },
      quiet: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) return null;
  const num = (name, dflt, { int = true, min = 0 } = {}) => {
    const v = values[name];
    if (v === undefined) return dflt;
    const x = Number(v);
    if (!Number.isFinite(x) || x < min || (int && !Number.isInteger(x))) {
      throw new Error(`--${name} ${v}: expected ${int ? 'an integer' : 'a number'} >= ${min}`);
    }
    return x;
  };
  const scenario = values.scenario;
  if (!SCENARIOS[scenario]) throw new Error(`--scenario must be one of ${Object.keys(SCENARIOS).join(', ')}`);
  let urls = values.urls ?? values.url ?? 'ws://127.0.0.1:9944';
  urls = urls.startsWith('@')
    ? readFileSync(urls.slice(1), 'utf8').split('\n').map((l) => l.trim()).filter(Boolean)
    : urls.split(',').map((u) => u.trim()).filter(Boolean);
  const accounts = num('accounts', 100, { min: 1 });
  const window = num('window', 20, { min: 1 });
  const backgroundRate = num('background-rate', 0, { int: false });
  const duration = num('duration', 60, { int: false, min: 1 });
  const opts = {
    scenario,
    urls,
    connections: num('connections', 4, { min: 1 }),
    inflight: num('inflight', 32, { min: 1 }),
    maxPending: num('max-pending', 4000, { min: 1 }),
    resubmitAfter: num('resubmit-after', 60, { int: false, min: 1 }),
    stallTimeout: num('stall-timeout', 60, { int: false, min: 1 }),
    finalityTimeout: num('finality-timeout', 120, { int: false, min: 1 }),
    accounts,
    merchants: num('merchants', Math.max(1, Math.round(accounts / 10)), { min: 1 }),
    funder: values.funder ?? '//Alice',
    sudo: values.sudo,
    fundEnt: values['fund-ent'] === undefined ? undefined : num('fund-ent', 0, { int: false }),
    fundUsdx: values['fund-usdx'] === undefined ? undefined : num('fund-usdx', 0, { int: false }),
    batch: num('batch', 100, { min: 1 }),
    count: num('count', { transfers: 1000, orders: 200, state: 100 }[scenario] ?? 0),
    rate: num('rate', scenario === 'hostile' ? 5 : 2, { int: false }),
    duration,
    window,
    longWindow: num('long-window', 3600, { min: 1 }),
    afterSales: num('after-sales', window, { min: 1 }),
    stateAfterSales: num('state-after-sales', 30, { min: 1 }),
    drain: num('drain', 60),
    price: BigInt(num('price', 100_000, { min: 1 })),
    unshippedShare: num('unshipped-share', 0.1, { int: false }),
    unconfirmedShare: num('unconfirmed-share', 0.1, { int: false }),
    seed: num('seed', 1),
    backgroundRate,
    backgroundAccounts: num('background-accounts', Math.min(50, Math.max(1, Math.floor(accounts / 5))), { min: 1 }),
    backgroundPresign: num('background-presign',
      scenario === 'background' ? duration + 1 : 120, { int: false }),
    out: values.out,
    quiet: !!values.quiet,
  };
  if (scenario === 'hostile') {
    const poolLimit = num('pool-limit', 8192, { min: 1 });
    Object.assign(opts, {
      floodAccounts: num('flood-accounts', Math.min(400, Math.max(1, Math.floor(accounts / 2))), { min: 1 }),
      floodMix: values['flood-mix'] ?? DEFAULT_MIX,
      floodPending: num('flood-pending', Math.ceil(1.25 * (poolLimit + Math.floor(poolLimit / 10))), { min: 1 }),
      floodRate: num('flood-rate', 0, { int: false }),
      floodConnections: num('flood-connections', 4, { min: 1 }),
      poolLimit,
      rssLimit: values['rss-limit'] === undefined ? undefined : num('rss-limit', 0, { min: 1 }),
      baseline: num('baseline', 60, { int: false }),
      tipDuration: num('tip-duration', 0, { int: false }),
      orderTip: values['order-tip'] === undefined || values['order-tip'] === 'auto' ? 'auto'
        : String(num('order-tip', 0)),
      after: num('after', 60, { int: false }),
      pids: values.pids,
      prometheus: (values.prometheus ?? '').split(',').map((x) => x.trim()).filter(Boolean),
      sample: num('sample', 2, { int: false, min: 0.2 }),
      remarkBytes: num('remark-bytes', 64),
    });
    parseMix(opts.floodMix);
  }
  opts.bgAccounts = scenario !== 'setup' && (backgroundRate > 0 || scenario === 'background')
    ? opts.backgroundAccounts : 0;
  // The hostile scenario's flood comes from where the background transfers would.
  if (scenario === 'hostile') {
    if (backgroundRate) throw new Error('--scenario hostile has its own flood: no --background-rate');
    opts.bgAccounts = opts.floodAccounts;
  }
  if (scenario === 'background' && !backgroundRate) throw new Error('--scenario background needs --background-rate');
  if (opts.merchants >= accounts) throw new Error('--merchants must be fewer than --accounts');
  return opts;
}

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
    platform: `${os.platform()} ${os.release()}`,
    node: process.version,
  };
}

/** Fullness of every block of the run, and the measured block time. */
function blocksOfRun(ctx, from) {
  const t = ctx.tracker;
  const recs = t.canonicalBlocks(from, Math.max(t.bestNumber, t.finalizedNumber));
  const list = recs.map((rec) => {
    const f = t.fullness(rec);
    const r4 = (x) => (x === null ? null : Math.round(x * 10000) / 10000);
    return { n: rec.number, ts: rec.ts, x: rec.extrinsics, ev: rec.eventCount, rt: r4(f.refTimeShare),
      len: r4(f.lengthShare), pov: r4(f.proofShare), final: !!rec.finalizedAt };
  });
  const withTs = list.filter((b) => b.ts);
  let measured = null;
  if (withTs.length > 1) {
    const a = withTs[0];
    const b = withTs[withTs.length - 1];
    measured = Math.round(((b.ts - a.ts) / (b.n - a.n)) * 10) / 10;
    const gaps = withTs.slice(1).map((x, i) => x.ts - withTs[i].ts);
    return { measuredBlockTimeMs: measured, blockIntervalMs: quantiles(gaps), list };
  }
  return { measuredBlockTimeMs: measured, blockIntervalMs: null, list };
}

function summary(report) {
  const lines = [];
  const c = report.chain;
  lines.push(`== entrepot load: ${report.scenario} ==`);
  lines.push(`machine: ${report.machine.cpu} × ${report.machine.cores} cores, load ${report.machine.loadAverage.join(' ')}`);
  if (c) {
    lines.push(`chain: ${c.chain} (${c.node}, ${c.specName} v${c.specVersion}, ${c.peers} peers) via ${report.options.urls.join(', ')}`);
    lines.push(`block time ${c.blockTimeMs} ms configured, ${report.blocks?.measuredBlockTimeMs ?? '-'} ms measured` +
      (report.blocks?.blockIntervalMs ? ` (interval p50/p99/max ${report.blocks.blockIntervalMs.p50}/${report.blocks.blockIntervalMs.p99}/${report.blocks.blockIntervalMs.max} ms)` : '') +
      `; normal class: ${c.limits.maxNormalRefTime / 1e12} s ref_time, ${c.limits.maxNormalLength} bytes`);
  }
  for (const p of report.phases) lines.push(phaseLine(p));
  const r = report.result ?? {};
  if (report.scenario === 'setup') {
    lines.push(`setup: ${r.accounts} accounts (${r.funded} funded in ${r.batches} batches, ${r.fundSeconds} s), ` +
      `${r.entEach} ENT and ${r.usdxEach} USDX each; ${r.merchants} merchants (${r.merchantTxs} registered or updated); ` +
      `bounds lowered: ${r.boundsLowered}`);
  }
  if (report.scenario === 'sustained') {
    lines.push(`sustained: target ${r.targetRate}/s for ${r.duration} s: placed ${r.placedPerSecond}/s, ` +
      `shipped ${r.shippedPerSecond}/s, confirmed ${r.confirmedPerSecond}/s; left unshipped ${r.leftUnshipped}, ` +
      `unconfirmed ${r.leftUnconfirmed}; placing took ${Math.round(r.placingSeconds)} s`);
  }
  if (r.timers) {
    const t = r.timers;
    const q = (x) => (x ? `${x.p50}/${x.p99}/${x.max} (n=${x.n})` : '-');
    lines.push(`timers: ${t.orders} orders ${JSON.stringify(t.outcomes)}; lateness blocks p50/p99/max: ` +
      `all ${q(t.latenessBlocks.all)}, expiry ${q(t.latenessBlocks.shipBy)}, auto-confirm ${q(t.latenessBlocks.autoConfirm)}, ` +
      `holdback ${q(t.latenessBlocks.afterSales)}, archive ${q(t.latenessBlocks.archived)}; ` +
      `overdue at end ${t.overdueAtEnd}${t.overdueAtEnd ? ` ${JSON.stringify(t.overdueByKind)}, max ${t.overdueMaxBlocks} blocks` : ''}; ` +
      `TimerFailed ${t.timerFailed}`);
  }
  if (report.scenario === 'hostile' && r.phases) lines.push(...hostileSummary(r));
  if (report.scenario === 'state') {
    const f = (d) => Object.entries(d.items).filter(([, v]) => v.bytesPerOrder)
      .map(([k, v]) => `${k} ${v.bytesPerOrder}`).join(', ');
    lines.push(`state: ${r.orders} orders; bytes per order: open ${r.perOpenOrder.bytesPerOrder} (${f(r.perOpenOrder)})`);
    lines.push(`  settled (after-sales window, ${r.perSettledOrder.alreadyArchived} already archived) ${r.perSettledOrder.bytesPerOrder} (${f(r.perSettledOrder)})`);
    lines.push(`  archived (all: ${r.perArchivedOrder.allArchived}) ${r.perArchivedOrder.bytesPerOrder} (${f(r.perArchivedOrder)})`);
  }
  if (report.blocks?.list?.length) {
    const busy = report.blocks.list.filter((b) => b.x > 1);
    const q = (k) => quantiles(busy.map((b) => b[k]));
    const rt = q('rt');
    const len = q('len');
    const pov = q('pov');
    const pct = (x) => (x ? `${Math.round(x.mean * 100)}%/${Math.round(x.p99 * 100)}%/${Math.round(x.max * 100)}%` : '-');
    lines.push(`blocks: ${report.blocks.list.length} (${busy.length} with transactions); fullness mean/p99/max: ` +
      `ref_time ${pct(rt)}, length ${pct(len)}, proof ${pct(pov)}` +
      (rt && len ? `; the nearest limit: ${[['ref_time', rt.max], ['length', len.max], ['proof size', pov?.max ?? 0]].sort((a, b) => b[1] - a[1])[0][0]}` : ''));
  }
  if (report.trackerErrors?.length) lines.push(`tracker errors: ${report.trackerErrors.length}: ${report.trackerErrors.slice(0, 3).join('; ')}`);
  if (report.error) lines.push(`FAILED: ${report.error}`);
  lines.push(`took ${report.seconds} s`);
  return lines.join('\n');
}

function errorText(e, opts) {
  if (e instanceof Error) return e.stack;
  if (e && typeof e === 'object' && (e.type === 'error' || e.target)) {
    return `cannot connect to ${opts.urls[0]} (${e.message ?? e.error?.message ?? e.type})`;
  }
  return inspect(e, { depth: 2 });
}

const jsonReplacer = (k, v) => (typeof v === 'bigint' ? v.toString() : v instanceof Map ? Object.fromEntries(v) : v);

async function main() {
  let opts;
  try {
    opts = parse(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${e.message}\n\n${HELP}`);
    return 2;
  }
  if (!opts) {
    process.stdout.write(HELP);
    return 0;
  }
  const t0 = Date.now();
  const log = opts.quiet ? () => {} : (m) => process.stderr.write(`[load ${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}\n`);
  const report = {
    tool: 'entrepot load',
    scenario: opts.scenario,
    command: process.argv.join(' '),
    startedAt: new Date(t0).toISOString(),
    machine: machine(),
    options: opts,
    phases: [],
  };
  const ctx = new Context(opts, log);
  let status = 0;
  try {
    await ctx.connect();
    report.chain = await ctx.chainInfo();
    ctx.blockTimeMs = report.chain.blockTimeMs ?? 1000;
    report.signing = ctx.fastSigning ? 'wasm sr25519, extrinsics built by the tool (checked against @polkadot/api)'
      : '@polkadot/api';
    const from = ctx.tracker.startNumber + 1;
    log(`connected to ${report.chain.chain} (${report.chain.node}) at #${ctx.tracker.startNumber}`);
    report.result = await SCENARIOS[opts.scenario](ctx);
    report.phases = ctx.phases;
    report.blocks = blocksOfRun(ctx, from);
    report.pool = { maxPendingSeen: ctx.submitter.maxInPool, maxPendingAtEnd: ctx.submitter.window,
      recoveries: ctx.submitter.recoveries ?? 0, reorgedTransactions: ctx.tracker.reorged };
  } catch (e) {
    report.error = errorText(e, opts);
    report.phases = ctx.phases;
    status = 1;
  }
  report.trackerErrors = ctx.tracker?.errors ?? [];
  if (report.trackerErrors.length && !status) status = 1;
  await ctx.close().catch(() => {});
  report.finishedAt = new Date().toISOString();
  report.seconds = Math.round((Date.now() - t0) / 100) / 10;
  report.machine.loadAverageAtEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
  if (opts.out) writeFileSync(opts.out, `${JSON.stringify(report, jsonReplacer, 1)}\n`);
  process.stdout.write(`${summary(report)}\n`);
  if (report.error) process.stderr.write(`${report.error}\n`);
  return status;
}

main().then((code) => process.exit(code), (e) => {
  process.stderr.write(`${e.stack}\n`);
  process.exit(1);
});
