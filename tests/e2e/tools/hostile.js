#!/usr/bin/env node
// Entrepot's hostile-load tool: a flood of cheap calls at saturation against a running loopback
// network while orders are placed, with the bounds that must hold checked afterwards.
//
//   node tests/e2e/tools/hostile.js                     # 4 validators, about 12 minutes
//   node tests/e2e/tools/hostile.js --validators 1 --accounts 150 --baseline 10 --duration 30 \
//       --tip-duration 15 --after 15 --drain 0          # about the short run ./scripts/test.sh makes
//   node tests/e2e/tools/hostile.js --out hostile.json  # every measurement as JSON
//
// It starts `scripts/network.sh N` (KEEP_RUNNING, a sudo key for the load tool's set-up, every
// node with `--pool-limit`), funds the load accounts and registers merchants (the load tool's
// `setup`), then runs the load tool's `hostile` scenario against all the validators (see
// tests/e2e/tools/load/hostile.js): orders at --rate a second throughout; --baseline seconds
// without the flood, --duration seconds with it, --tip-duration seconds with it and the
// orders tipped, --after seconds without it while what it sent drains. The scenario samples
// every validator's pool (Prometheus) and resident memory (/proc/PID/status) throughout.
//
// Checks (the exit status is non-zero if one fails):
//   - no validator's pool ever held more than its limit: --pool-limit ready transactions, and
//     --pool-limit plus a tenth (the future queue) in all;
//   - the flood saturated the pools (some node's pool reached 90% of its limit, or refused
//     flood transactions for room): otherwise nothing was tested;
//   - no validator's resident memory went above --rss-limit MiB, none exited;
//   - finality went on during the flood: at least half as many blocks finalized as seconds
//     passed, the finalized head never more than --max-lag blocks behind the best;
//   - every order placed got into a block and succeeded; the failing calls of the flood failed
//     at dispatch (paying their fees) and the unpaid ones never got into a block;
//   - the pools emptied after the flood stopped.
// Progress goes to stderr, the load tool's summary and the checks to stdout.

import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');

const { values: opt } = parseArgs({
  options: {
    validators: { type: 'string', default: '4' },
    accounts: { type: 'string', default: '600' },
    merchants: { type: 'string' },
    'flood-accounts': { type: 'string' },
    'flood-mix': { type: 'string' },
    'flood-pending': { type: 'string' },
    rate: { type: 'string', default: '5' },
    baseline: { type: 'string', default: '60' },
    duration: { type: 'string', default: '300' },
    'tip-duration': { type: 'string', default: '120' },
    'order-tip': { type: 'string', default: 'auto' },
    after: { type: 'string', default: '60' },
    drain: { type: 'string', default: '30' },
    'pool-limit': { type: 'string', default: '8192' },
    'rss-limit': { type: 'string', default: '4096' },
    'max-lag': { type: 'string', default: '30' },
    'max-tipped': { type: 'string', default: '10' },
    'rpc-base': { type: 'string', default: '9944' },
    'p2p-base': { type: 'string', default: '30333' },
    'prometheus-base': { type: 'string', default: '9615' },
    'node-args': { type: 'string', default: '' },
    base: { type: 'string' },
    out: { type: 'string' },
  },
});
const N = Number(opt.validators);
const L = Number(opt['pool-limit']);
const RSS_LIMIT = Number(opt['rss-limit']);
const MAX_LAG = Number(opt['max-lag']);
const MAX_TIPPED = Number(opt['max-tipped']);
const RPC_BASE = Number(opt['rpc-base']);
const PROM_BASE = Number(opt['prometheus-base']);
const base = opt.base ?? mkdtempSync(path.join(tmpdir(), 'entrepot-hostile-'));
const t0 = Date.now();
const log = (m) => process.stderr.write(`[hostile ${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what, fn, timeoutMs) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs / 1000} s: ${what}`);
    await sleep(250);
  }
}

const report = { validators: N, base, poolLimit: L, rssLimitMiB: RSS_LIMIT, checks: [] };
let failed = 0;
function check(name, ok, detail) {
  report.checks.push({ name, ok, detail });
  if (!ok) failed += 1;
  log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
}

// ---- The network and the load tool, and stopping them ---------------------------------------

let network;
let child;
const pidsOf = () => (existsSync(base) ? readdirSync(base) : []).filter((f) => /^v\d+\.pid$/.test(f))
  .map((f) => Number(readFileSync(path.join(base, f), 'utf8').trim()));
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };

let cleaning = null;
function cleanup() {
  cleaning ??= (async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    if (network && network.exitCode === null && network.signalCode === null) {
      // The validators first (SIGTERM: a clean stop), then the script, which finds them gone.
      const pids = pidsOf().filter(alive);
      for (const p of pids) { try { process.kill(p, 'SIGTERM'); } catch { /* gone */ } }
      const end = Date.now() + 20_000;
      while (pids.some(alive) && Date.now() < end) await sleep(200);
      network.kill('SIGTERM');
      await new Promise((r) => (network.exitCode !== null || network.signalCode !== null ? r() : network.once('exit', r)));
    }
  })();
  return cleaning;
}
for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
  process.once(sig, () => {
    log(`${sig}: stopping the network`);
    cleanup().then(() => process.exit(130));
  });
}

/** Runs the load tool with `args`; resolves with { code, stdout }. Progress lines go to stderr. */
function loadTool(args) {
  return new Promise((resolve) => {
    child = spawn(process.execPath, [path.join(here, 'load.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => process.stderr.write(d));
    child.once('exit', (code, signal) => resolve({ code: code ?? signal, stdout }));
  });
}

async function main() {
  log(`network of ${N} validators (--pool-limit ${L}) in ${base}`);
  network = spawn(path.join(root, 'scripts/network.sh'), [String(N)], {
    env: {
      ...process.env, BASE_DIR: base, KEEP_RUNNING: '1', SUDO: '//Alice',
      RPC_BASE: String(RPC_BASE), P2P_BASE: opt['p2p-base'], PROMETHEUS_BASE: String(PROM_BASE),
      NODE_ARGS: `--pool-limit ${L} ${opt['node-args']}`.trim(),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  network.once('exit', (code) => { if (code) log(`network.sh exited with ${code}`); });
  await waitFor('the network to finalize', async () => {
    if (network.exitCode !== null) throw new Error(`network.sh exited with ${network.exitCode}`);
    return existsSync(path.join(base, 'ready'));
  }, 240_000).catch((e) => { throw new Error(`${e.message}; see ${base}/v*.log`); });
  const urls = `@${path.join(base, 'ready')}`;
  const prometheus = Array.from({ length: N }, (_, i) => `127.0.0.1:${PROM_BASE + i}`).join(',');
  const common = ['--accounts', opt.accounts, '--urls', urls,
    ...(opt.merchants ? ['--merchants', opt.merchants] : [])];

  log(`load: funding ${opt.accounts} accounts and registering merchants`);
  const setup = await loadTool(['--scenario', 'setup', ...common, '--sudo', '//Alice', '--quiet']);
  if (setup.code !== 0) throw new Error(`load setup exited with ${setup.code}:\n${setup.stdout}`);

  const out = path.join(base, 'hostile.json');
  const args = ['--scenario', 'hostile', ...common, '--rate', opt.rate,
    '--baseline', opt.baseline, '--duration', opt.duration, '--tip-duration', opt['tip-duration'],
    '--order-tip', opt['order-tip'], '--after', opt.after, '--drain', opt.drain,
    '--pool-limit', String(L), '--rss-limit', String(RSS_LIMIT),
    '--pids', `@${base}`, '--prometheus', prometheus,
    '--stall-timeout', '120', '--finality-timeout', '300', '--resubmit-after', '10', '--out', out];
  for (const k of ['flood-accounts', 'flood-mix', 'flood-pending']) if (opt[k]) args.push(`--${k}`, opt[k]);
  log(`load: ${opt.rate} orders/s; ${opt.baseline} s without the flood, ${opt.duration} s with it, ` +
    `${opt['tip-duration']} s with it and tipped orders, ${opt.after} s after it`);
  const run = await loadTool(args);
  child = null;
  process.stdout.write(run.stdout);
  const rep = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : null;
  check('the hostile run completed', run.code === 0 && rep && !rep.error,
    run.code === 0 ? '' : `the load tool exited with ${run.code}${rep?.error ? `: ${rep.error.split('\n')[0]}` : ''}`);
  if (!rep?.result?.bounds) return;
  const r = rep.result;
  report.result = r;
  const b = r.bounds;

  check(`every pool within its limit (${L} ready, ${b.poolLimitAll} in all)`, b.withinLimit,
    r.pools.map((p) => `${p.url.replace('ws://', '')}: max ${p.maxReady} ready, ${p.maxAll} held`).join('; '));
  check('the flood saturated the pools', b.saturated,
    `${b.poolFullSeconds !== null ? `a pool at 90% of its limit ${b.poolFullSeconds} s into the flood` : 'no pool at 90% of its limit'}; ` +
    `${b.poolFullRefusals} flood submissions refused for room, ${b.floodDropped} dropped for room`);
  const fl = r.phases.flood;
  if (fl) {
    check('the flood filled the blocks', (fl.refTimeShare?.mean ?? 0) >= 0.8,
      `ref_time mean ${Math.round((fl.refTimeShare?.mean ?? 0) * 100)}% of the normal class during the flood; ${fl.floodPerSecond} flood transactions a second in blocks`);
  }
  const mem = Object.entries(r.memory);
  check(`resident memory under ${RSS_LIMIT} MiB`, b.rssWithinLimit === true && mem.length === N,
    mem.map(([k, m]) => `${k} ${Math.round(m.first)} → max ${Math.round(m.max)} → ${Math.round(m.last)} MiB`).join(', '));
  const gone = [...b.processesGone, ...pidsOf().filter((p) => !alive(p)).map((p) => `pid ${p}`)];
  check('every validator still running', gone.length === 0, gone.length ? `gone: ${gone.join(', ')}` : '');

  for (const [name, p] of Object.entries(r.phases).filter(([, x]) => x.flood)) {
    // Finality keeps up with the blocks the validators manage to produce (the flood may slow
    // them down on a loaded machine): never more than --max-lag behind the best block.
    const f = p.finality;
    const finalized = f.finalizedTo - f.finalizedFrom;
    const produced = f.bestTo - f.bestFrom;
    const lag = f.lagBlocks?.max ?? Infinity;
    check(`finality keeps up during ${name}`, finalized > 0 && lag <= MAX_LAG && produced - finalized <= MAX_LAG,
      `${produced} blocks produced (mean interval ${p.blockIntervalMs} ms), finalized #${f.finalizedFrom} → #${f.finalizedTo} in ${p.seconds} s; ` +
      `lag behind the best p50/p99/max ${f.lagBlocks ? `${f.lagBlocks.p50}/${f.lagBlocks.p99}/${f.lagBlocks.max}` : '-'} blocks (at most ${MAX_LAG})`);
  }
  const phases = Object.entries(r.phases);
  const placed = phases.reduce((a, [, p]) => a + p.orders.placed, 0);
  const ok = phases.reduce((a, [, p]) => a + p.orders.succeeded, 0);
  const q = (x) => (x ? `${(x.p50 / 1000).toFixed(2)}/${(x.p99 / 1000).toFixed(2)} s` : '-');
  check('every order placed got into a block', placed > 0 && ok === placed,
    `${ok}/${placed}; in a block p50/p99: ${phases.map(([k, p]) => `${k} ${q(p.orders.inBlockMs)}`).join(', ')}`);
  const tipped = r.phases['flood+tip'];
  if (tipped) {
    check(`orders with a tip get in during the flood within ${MAX_TIPPED} s`,
      tipped.orders.inBlockMs && tipped.orders.inBlockMs.p99 <= MAX_TIPPED * 1000,
      `tip ${tipped.orderTip} planck: in a block p50/p99 ${q(tipped.orders.inBlockMs)}, without a tip ${q(fl?.orders.inBlockMs)}`);
  }

  const inc = {};
  for (const [, p] of phases) {
    for (const [kind, e] of Object.entries(p.floodIncluded)) {
      const x = (inc[kind] ??= { ok: 0, failed: 0, errors: {} });
      x.ok += e.ok;
      x.failed += e.failed;
      for (const [k, v] of Object.entries(e.errors)) x.errors[k] = (x.errors[k] ?? 0) + v;
    }
  }
  const detail = Object.entries(inc).map(([k, e]) => `${k} ${e.ok} ok, ${e.failed} failed` +
    (e.failed ? ` (${Object.entries(e.errors).map(([x, c]) => `${x}×${c}`).join(', ')})` : '')).join('; ');
  const failing = ['overdraft', 'badorder'].filter((k) => r.mix[k]);
  check('the flood\'s failing calls failed at dispatch, its unpaid ones never got in',
    failing.every((k) => inc[k] && inc[k].ok === 0 && inc[k].failed > 0)
    && (!inc.badorder || Object.keys(inc.badorder.errors).every((e) => e === 'orders.NotRegistered'))
    && !inc.unpaid && Object.values(inc).reduce((a, e) => a + e.ok + e.failed, 0) > 0,
    `${detail}; unpaid refused: ${JSON.stringify(r.flood.refused.unpaid ?? {})}`);
  check('the pools emptied after the flood', b.drainedSecondsAfterFlood !== null,
    b.drainedSecondsAfterFlood !== null ? `fewer than 20 ready ${b.drainedSecondsAfterFlood} s after it stopped` : 'still holding transactions at the end');
}

let code = 0;
try {
  await main();
} catch (e) {
  log(`error: ${e.stack ?? e}`);
  code = 2;
}
await cleanup();
report.seconds = (Date.now() - t0) / 1000;
report.failed = failed;
if (opt.out) writeFileSync(opt.out, JSON.stringify(report, null, 1));
console.log(`== entrepot hostile load: ${N} validator${N === 1 ? '' : 's'}, pool limit ${L} ==`);
for (const c of report.checks) console.log(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}${c.detail ? `: ${c.detail}` : ''}`);
console.log(`checks: ${report.checks.length - failed} passed, ${failed} failed; took ${report.seconds.toFixed(0)} s`);
// A temporary directory of a run that passed goes; a failed run keeps its logs.
if (!opt.base && !code && !failed) rmSync(base, { recursive: true, force: true });
else console.log(`logs, chain data and the load tool's JSON in ${base}`);
process.exit(code || (failed ? 1 : 0));
