// Numbers out of tracked transactions: counts, failures by error, latencies, rates at
// saturation from the blocks' own timestamps, block fullness.

/** p50/p90/p99/max/mean of `values` (nearest rank); null when empty. */
export function quantiles(values) {
  const v = values.filter((x) => x !== null && x !== undefined && Number.isFinite(x))
    .sort((a, b) => a - b);
  if (!v.length) return null;
  const at = (q) => v[Math.min(v.length - 1, Math.max(0, Math.ceil(q * v.length) - 1))];
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return { n: v.length, min: v[0], p50: at(0.5), p90: at(0.9), p99: at(0.99), max: v[v.length - 1],
    mean: Math.round(mean * 10_000) / 10_000 };
}

export function countBy(items, key) {
  const out = {};
  for (const it of items) {
    const k = key(it);
    if (k === undefined || k === null) continue;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

const minOf = (a) => a.reduce((m, x) => (x < m ? x : m), Infinity);
const maxOf = (a) => a.reduce((m, x) => (x > m ? x : m), -Infinity);
const round = (x, d = 3) => (x === null || x === undefined ? null : Math.round(x * 10 ** d) / 10 ** d);

/**
 * The report of one phase: the transactions `txs` (all of one phase), the tracker's blocks,
 * the submitter's pool statistics.
 */
export function phaseReport(tracker, submitter, name, txs, extra = {}) {
  const included = txs.filter((t) => t.block);
  const succeeded = included.filter((t) => t.ok);
  const failed = included.filter((t) => !t.ok);
  const missing = txs.filter((t) => !t.block);
  const submitTimes = txs.map((t) => t.firstSubmitAt).filter(Boolean);
  const firstSubmit = submitTimes.length ? minOf(submitTimes) : null;
  const lastSubmit = submitTimes.length ? maxOf(submitTimes) : null;

  const numbers = succeeded.map((t) => t.blockNumber);
  const first = numbers.length ? minOf(numbers) : null;
  const last = numbers.length ? maxOf(numbers) : null;
  const perBlock = [];
  let rate = null;
  let rateExFirst = null;
  let spanMs = null;
  if (first !== null) {
    const okBy = countBy(succeeded, (t) => t.blockNumber);
    const failBy = countBy(failed, (t) => t.blockNumber);
    for (const rec of tracker.canonicalBlocks(first, last)) {
      const f = tracker.fullness(rec);
      perBlock.push({
        number: rec.number,
        ts: rec.ts,
        ok: okBy[rec.number] ?? 0,
        failed: failBy[rec.number] ?? 0,
        extrinsics: rec.extrinsics,
        refTimeShare: round(f.refTimeShare, 4),
        lengthShare: round(f.lengthShare, 4),
        proofShare: round(f.proofShare, 4),
      });
    }
    const tsFirst = perBlock[0]?.ts;
    const tsLast = perBlock[perBlock.length - 1]?.ts;
    if (tsFirst && tsLast && tsLast > tsFirst) {
      spanMs = tsLast - tsFirst;
      rate = succeeded.length / (spanMs / 1000);
      rateExFirst = (succeeded.length - (okBy[first] ?? 0)) / (spanMs / 1000);
    }
  }
  const carrying = perBlock.filter((b) => b.ok > 0);
  const latIn = included.map((t) => t.inBlockAt - t.submitAt);
  const latInFirst = included.map((t) => t.inBlockAt - t.firstSubmitAt);
  const latFin = included.filter((t) => t.finalizedAt).map((t) => t.finalizedAt - t.submitAt);
  const pool = submitter.statsOf(name);
  const fullness = (key) => quantiles(perBlock.map((b) => b[key]));
  return {
    name,
    count: txs.length,
    included: included.length,
    succeeded: succeeded.length,
    failed: failed.length,
    failuresByError: countBy(failed, (t) => t.error),
    notIncluded: missing.length,
    notIncludedBy: countBy(missing, (t) => t.poolError ?? t.state),
    finalized: included.filter((t) => t.finalizedAt).length,
    pool: {
      accepted: pool.accepted,
      retries: pool.retries,
      resubmits: pool.resubmits,
      resigned: pool.resigned,
      refusals: pool.errors,
    },
    submitSeconds: firstSubmit === null ? null : round((lastSubmit - firstSubmit) / 1000),
    firstBlock: first,
    lastBlock: last,
    blocks: perBlock.length,
    blocksCarrying: carrying.length,
    spanSecondsByBlockTimestamps: spanMs === null ? null : spanMs / 1000,
    perSecond: round(rate, 1),
    perSecondExcludingFirstBlock: round(rateExFirst, 1),
    maxPerBlock: carrying.length ? maxOf(carrying.map((b) => b.ok)) : null,
    latencyMs: {
      inBlock: quantiles(latIn),
      inBlockFromFirstAttempt: quantiles(latInFirst),
      finalized: quantiles(latFin),
    },
    fullness: {
      refTime: fullness('refTimeShare'),
      length: fullness('lengthShare'),
      proof: fullness('proofShare'),
    },
    perBlock,
    ...extra,
  };
}

function perBlockCounts(blocks) {
  const c = blocks.map((b) => (b.failed ? `${b.ok}+${b.failed}✗` : `${b.ok}`));
  return c.length <= 24 ? c.join(' ') : `${c.slice(0, 12).join(' ')} … ${c.slice(-6).join(' ')}`;
}

/** One line for the human summary. */
export function phaseLine(r) {
  const q = (x) => (x ? `${x.p50}/${x.p99}` : '-');
  const pct = (x) => (x ? `${Math.round(x.mean * 100)}%/${Math.round(x.max * 100)}%` : '-');
  const fails = Object.entries(r.failuresByError).map(([k, v]) => `${k}×${v}`).join(', ');
  const refusals = Object.entries(r.pool.refusals).map(([k, v]) => `${k}×${v}`).join(', ');
  return [
    `${r.name}: ${r.succeeded}/${r.count} ok, ${r.failed} failed${fails ? ` (${fails})` : ''}, ` +
      `${r.notIncluded} not included` +
      (r.notIncluded ? ` (${Object.entries(r.notIncludedBy).map(([k, v]) => `${k}×${v}`).join(', ')})` : ''),
    (r.blocksCarrying === 1 && r.saturating !== false ? '  all in one block: no rate (a saturating burst needs a larger --count)\n' : '') +
    (r.saturating === false
      ? `  rate ${r.perSecond ?? '-'}/s by block timestamps${r.targetRate ? ` (target ${r.targetRate}/s, offered ${r.offeredRate}/s)` : ''}, `
      : `  rate ${r.perSecond ?? '-'}/s at saturation (${r.perSecondExcludingFirstBlock ?? '-'}/s without the first block), `) +
      `${r.blocksCarrying} blocks #${r.firstBlock ?? '-'}..#${r.lastBlock ?? '-'} over ${r.spanSecondsByBlockTimestamps ?? '-'} s, ` +
      `max ${r.maxPerBlock ?? '-'}/block; submitted in ${r.submitSeconds ?? '-'} s`,
    `  per block: ${perBlockCounts(r.perBlock)}\n` +
    `  latency ms p50/p99: in block ${q(r.latencyMs.inBlock)}, finalized ${q(r.latencyMs.finalized)}; ` +
      `fullness mean/max: ref_time ${pct(r.fullness.refTime)}, length ${pct(r.fullness.length)}`,
    ...(refusals || r.pool.resubmits || r.pool.resigned
      ? [`  pool: ${r.pool.retries} retries, ${r.pool.resubmits} resubmits, ${r.pool.resigned} re-signed; refusals ${refusals || 'none'}`]
      : []),
  ].join('\n');
}
