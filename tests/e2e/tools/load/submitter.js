// Submits signed extrinsics with raw `author_submitExtrinsic` over several WebSocket
// connections (to one node or several), as fast as the nodes accept them, with a bounded
// number in the pools: at most `window` transactions submitted and not yet seen in a block.
// A sender's transactions always go through the same connection, in nonce order, so that they
// reach the pool in order. Pool refusals that mean "not now" (priority too low, immediately
// dropped, pool full) are retried after a back-off and counted; a banned transaction is
// re-signed (sr25519 signatures differ each time, so its bytes and hash change); a transaction
// accepted but not in a block after `resubmitAfterMs` is submitted again. With `holdSenders`,
// a sender has one submission at a time (its next is sent once the pool answered), and none
// while one of its transactions waits to be retried: its transactions reach the pool in nonce
// order and a refusal leaves no gap (later ones would sit in the pool as future transactions,
// up to the pool's future limit, unusable until the gap is filled).

import { RawRpc } from './rpc.js';

/** A FIFO queue with O(1) shift. */
class Queue {
  constructor() { this.items = []; this.head = 0; }
  get length() { return this.items.length - this.head; }
  push(x) { this.items.push(x); }
  shift() {
    const x = this.items[this.head];
    this.items[this.head] = undefined;
    this.head += 1;
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return x;
  }
}

const CODE_NAMES = {
  1001: 'BadFormat',
  1002: 'VerificationError',
  1010: 'Invalid',
  1011: 'UnknownValidity',
  1012: 'TemporarilyBanned',
  1013: 'AlreadyImported',
  1014: 'PriorityTooLow',
  1015: 'CycleDetected',
  1016: 'ImmediatelyDropped',
  1018: 'Unactionable',
  1019: 'NoTagsProvided',
  1020: 'InvalidBlockId',
  1021: 'FutureRejected',
};

/** A short name for a pool error: `Invalid(Transaction is outdated)`, `PriorityTooLow`, ... */
export function poolErrorName(e) {
  if (e.code === undefined) return `Connection(${e.message})`;
  const base = CODE_NAMES[e.code] ?? `Rpc${e.code}`;
  if (e.code === 1010 || e.code === 1011) {
    const d = typeof e.data === 'string' ? e.data : e.rpcMessage;
    return `${base}(${d})`;
  }
  if (e.code === 1002) {
    // The runtime could not validate it (e.g. the block it validated against was pruned).
    const d = String(typeof e.data === 'string' ? e.data : e.rpcMessage ?? '').split('\n')[0];
    return `${base}(${d.length > 80 ? `${d.slice(0, 80)}…` : d})`;
  }
  return base;
}

/** How many times a transaction the runtime could not validate (1002) is submitted again. */
const VERIFICATION_ATTEMPTS = 20;

function retryable(e) {
  if (e.code === undefined) return false;
  if ([1002, 1011, 1014, 1016, 1018, 1020, 1021].includes(e.code)) return true;
  if (e.code === 1010) {
    const d = `${e.data ?? ''} ${e.rpcMessage ?? ''}`;
    return /exhaust|future|Unable to retrieve|overweight/i.test(d);
  }
  return false;
}

export class Submitter {
  constructor(urls, tracker, {
    connections = 4, inflight = 32, window = 4000, resubmitAfterMs = 60_000,
    maxAttempts = 10_000, holdSenders = false, log = () => {},
  } = {}) {
    this.urls = urls;
    this.tracker = tracker;
    this.connections = Math.max(connections, urls.length);
    this.inflight = inflight;
    this.window = window;
    this.maxWindow = window;
    this.resubmitAfterMs = resubmitAfterMs;
    this.maxAttempts = maxAttempts;
    this.holdSenders = holdSenders;
    this.blocked = new Map(); // sender -> its transaction being submitted or retried
    this.held = new Map(); // sender -> its transactions waiting behind that one, in order
    this.log = log;
    this.pins = new Map();
    this.nextPin = 0;
    this.queued = 0;
    this.sending = 0;
    this.waiting = 0;
    this.inPool = 0;
    this.maxInPool = 0;
    this.pooled = new Set();
    this.fatal = null;
    this.stats = {}; // phase -> { submitted, accepted, retries, resubmits, resigned, errors: {} }
  }

  /**
   * Blocks that carried none of the pooled transactions although they had room shrink the
   * pending bound (`recover`); blocks that carry them let it grow back by a quarter, up to
   * --max-pending, so one hiccup does not throttle the rest of the run.
   */
  onBlock(rec) {
    if (!this.inPool) { this.idleBlocks = 0; return; }
    const share = rec.normalRefTime === null ? 0
      : Number(rec.normalRefTime) / Number(this.tracker.limits.maxNormalRefTime);
    if (rec.txHashes.length || share > 0.5) {
      this.idleBlocks = 0;
      if (rec.txHashes.length && this.window < this.maxWindow) {
        this.window = Math.min(this.maxWindow, this.window + Math.max(50, this.window >> 2));
        this.pump();
      }
      return;
    }
    this.idleBlocks = (this.idleBlocks ?? 0) + 1;
    if (this.idleBlocks >= 3) {
      this.idleBlocks = 0;
      this.recover();
    }
  }

  /**
   * The pool accepted transactions and then dropped them (a pool over its limits drops and
   * bans what does not fit, without telling a raw submission): submit them again (banned ones
   * are re-signed) and keep fewer pending from now on.
   */
  recover() {
    const old = Date.now() - 3000;
    const lost = [...this.pooled].filter((tx) => tx.submitAt < old && (tx.recoveries ?? 0) < 5)
      .sort((a, b) => a.seq - b.seq);
    if (!lost.length) return;
    const before = this.window;
    this.window = Math.max(50, Math.floor(Math.min(this.window, this.inPool) * 0.75));
    this.recoveries = (this.recoveries ?? 0) + 1;
    this.log(`pool: ${lost.length} pending transactions not in the last blocks although they had room: ` +
      `submitting them again, at most ${this.window} pending from now on (was ${before}); ` +
      'is --max-pending above the node\'s --pool-limit?');
    for (const tx of lost) {
      tx.recoveries = (tx.recoveries ?? 0) + 1;
      this.pooled.delete(tx);
      this.inPool -= 1;
      this.statsOf(tx.phase).resubmits += 1;
      tx.state = 'queued';
      this.queued += 1;
      this.pin(tx.sender).retry.push(tx);
    }
    this.pump();
  }

  async start() {
    this.conns = [];
    for (let i = 0; i < this.connections; i += 1) {
      const rpc = new RawRpc(this.urls[i % this.urls.length]);
      await rpc.connect();
      rpc.q = new Queue();
      rpc.retry = new Queue();
      rpc.onClose = (e) => { this.fatal ??= e; };
      this.conns.push(rpc);
    }
    this.tracker.includedListeners.push((tx) => this.included(tx));
    this.tracker.retractedListeners.push((tx) => this.retracted(tx));
    this.tracker.bestListeners.push((rec) => this.onBlock(rec));
    this.sweeper = setInterval(() => this.sweep(), 1000);
  }

  stop() {
    clearInterval(this.sweeper);
    for (const c of this.conns ?? []) c.close();
  }

  statsOf(phase) {
    return (this.stats[phase] ??= {
      submitted: 0, accepted: 0, retries: 0, resubmits: 0, resigned: 0, rejected: 0,
      stale: 0, errors: {},
    });
  }

  /** Transactions given to the submitter and not yet in a block nor finally refused. */
  get pending() {
    return this.queued + this.sending + this.waiting + this.inPool;
  }

  pin(sender) {
    let c = this.pins.get(sender);
    if (c === undefined) {
      c = this.nextPin % this.conns.length;
      this.nextPin += 1;
      this.pins.set(sender, c);
    }
    return this.conns[c];
  }

  /** Queues `tx` ({ hex, hash, sender, phase, resign?, onRejected? }) for submission. */
  push(tx) {
    tx.owner = this;
    tx.state = 'queued';
    tx.attempts = 0;
    tx.seq = this.seq = (this.seq ?? 0) + 1;
    this.tracker.track(tx);
    this.statsOf(tx.phase).submitted += 1;
    this.pin(tx.sender).q.push(tx);
    this.queued += 1;
    this.pump();
  }

  pump() {
    if (this.pumping) return;
    this.pumping = true;
    try {
      let progress = true;
      while (progress) {
        progress = false;
        for (const c of this.conns) {
          if (this.inPool + this.sending >= this.window) return;
          if (c.inflight >= this.inflight) continue;
          const q = c.retry.length ? c.retry : c.q;
          if (!q.length) continue;
          const tx = q.shift();
          progress = true;
          if (tx.block || tx.abandoned) {
            this.queued -= 1;
            if (tx.block) tx.state = 'included';
            this.release(tx);
            continue;
          }
          const blocker = this.holdSenders ? this.blocked.get(tx.sender) : undefined;
          if (blocker && blocker !== tx) {
            let list = this.held.get(tx.sender);
            if (!list) this.held.set(tx.sender, (list = []));
            list.push(tx);
            continue;
          }
          this.send(c, tx);
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  send(c, tx) {
    if (this.holdSenders) this.blocked.set(tx.sender, tx);
    this.queued -= 1;
    this.sending += 1;
    const t = Date.now();
    tx.submitAt = t;
    tx.firstSubmitAt ??= t;
    tx.attempts += 1;
    tx.state = 'sending';
    c.call('author_submitExtrinsic', [tx.hex]).then(
      () => { this.sending -= 1; this.accepted(tx); this.pump(); },
      (e) => { this.sending -= 1; this.refused(c, tx, e); this.pump(); },
    );
  }

  /** `tx` got somewhere (accepted, included or finally refused): its sender's next one may go. */
  release(tx) {
    if (!this.holdSenders || this.blocked.get(tx.sender) !== tx) return;
    const list = this.held.get(tx.sender);
    if (!list?.length) {
      this.blocked.delete(tx.sender);
      this.held.delete(tx.sender);
      return;
    }
    const next = list.shift();
    this.blocked.set(tx.sender, next);
    this.pin(tx.sender).retry.push(next);
  }

  accepted(tx) {
    this.release(tx);
    if (tx.block) { tx.state = 'included'; return; }
    this.statsOf(tx.phase).accepted += 1;
    tx.state = 'pooled';
    this.inPool += 1;
    if (this.inPool > this.maxInPool) this.maxInPool = this.inPool;
    this.pooled.add(tx);
  }

  included(tx) {
    // Several submitters may share one tracker (the hostile scenario floods through its own).
    if (tx.owner !== this) return;
    this.release(tx);
    if (tx.state === 'pooled') {
      this.inPool -= 1;
      this.pooled.delete(tx);
    }
    if (tx.state === 'stale' || tx.state === 'rejected') this.statsOf(tx.phase).lateIncluded = true;
    if (tx.state !== 'sending' && tx.state !== 'queued' && tx.state !== 'waiting') tx.state = 'included';
    this.pump();
  }

  /** `tx` was only in blocks finalized away: submit it again. */
  retracted(tx) {
    if (tx.owner !== this || tx.abandoned) return;
    if (tx.state !== 'included' && tx.state !== 'stale') return;
    this.statsOf(tx.phase).resubmits += 1;
    this.statsOf(tx.phase).retracted = (this.statsOf(tx.phase).retracted ?? 0) + 1;
    tx.state = 'queued';
    this.queued += 1;
    this.pin(tx.sender).retry.push(tx);
    this.pump();
  }

  requeue(c, tx, delayMs) {
    tx.state = 'waiting';
    this.waiting += 1;
    setTimeout(() => {
      this.waiting -= 1;
      if (tx.block) { tx.state = 'included'; this.release(tx); this.pump(); return; }
      if (tx.abandoned) { this.release(tx); this.pump(); return; }
      tx.state = 'queued';
      this.queued += 1;
      c.retry.push(tx);
      this.pump();
    }, delayMs);
  }

  refused(c, tx, e) {
    const st = this.statsOf(tx.phase);
    const name = poolErrorName(e);
    st.errors[name] = (st.errors[name] ?? 0) + 1;
    if (tx.block) { tx.state = 'included'; this.release(tx); return; }
    if (e.code === 1013) { this.accepted(tx); return; }
    if (e.code === undefined) {
      this.fatal ??= e;
      tx.state = 'rejected';
      tx.poolError = name;
      this.release(tx);
      return;
    }
    if (e.code === 1012 && tx.resign && tx.attempts < this.maxAttempts) {
      if (this.holdSenders) this.blocked.set(tx.sender, tx);
      const old = tx.hash;
      Object.assign(tx, tx.resign());
      this.tracker.retrack(old, tx);
      st.resigned += 1;
      this.requeue(c, tx, 10);
      return;
    }
    if (retryable(e) && tx.attempts < (e.code === 1002 ? VERIFICATION_ATTEMPTS : this.maxAttempts)) {
      if (this.holdSenders) this.blocked.set(tx.sender, tx);
      st.retries += 1;
      tx.retries = (tx.retries ?? 0) + 1;
      const delay = Math.min(2000, 25 * 2 ** Math.min(tx.retries, 7)) * (0.75 + Math.random() / 2);
      this.requeue(c, tx, delay);
      return;
    }
    if (e.code === 1010 && /outdated|stale/i.test(`${e.data} ${e.rpcMessage}`)) {
      // Its nonce is used: it was included already (a block not processed yet) or another
      // transaction of the sender took it. Counted as included if it shows up in a block.
      st.stale += 1;
      tx.state = 'stale';
      tx.poolError = name;
      this.release(tx);
      if (tx.onRejected) tx.onRejected(tx);
      return;
    }
    st.rejected += 1;
    tx.state = 'rejected';
    tx.poolError = name;
    this.release(tx);
    if (tx.onRejected) tx.onRejected(tx);
  }

  /**
   * Stops caring about transactions that got nowhere: they are not submitted again and no
   * longer count against the pending bound (they are still matched if they show up in a block).
   */
  abandon(txs) {
    for (const tx of txs) {
      if (tx.block || tx.abandoned) continue;
      tx.abandoned = true;
      this.release(tx);
      if (tx.state === 'pooled') {
        this.pooled.delete(tx);
        this.inPool -= 1;
      }
    }
    this.pump();
  }

  sweep() {
    const limit = Date.now() - this.resubmitAfterMs;
    for (const tx of this.pooled) {
      if (tx.submitAt > limit) continue;
      this.pooled.delete(tx);
      this.inPool -= 1;
      this.statsOf(tx.phase).resubmits += 1;
      tx.state = 'queued';
      this.queued += 1;
      this.pin(tx.sender).retry.push(tx);
    }
    this.pump();
  }
}
