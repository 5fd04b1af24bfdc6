// Follows the chain while the load runs: every block that becomes best (new heads, with any
// skipped ancestors filled in) is fetched raw, its extrinsics hashed (blake2_256 of the bytes)
// and matched against the tracked transactions, its events decoded (success or failure of each
// extrinsic, the module error's name), its weight and length read; every block that becomes
// final (finalized heads, with the blocks between the previous and the new finalized head) is
// marked final, and the transactions in it get their finalized time and their canonical block.
// A transaction seen only in blocks that can no longer become final (a fork whose height was
// finalized on another branch) is retracted: it is no longer counted as in a block, and its
// submitter sends it again (the pools may have dropped it meanwhile).

import { blake2AsHex } from '@polkadot/util-crypto';
import { hexToU8a, u8aToBn } from '@polkadot/util';

const now = () => Date.now();

/** The name of a DispatchError: `section.Name` for module errors, `Kind.Detail` otherwise. */
export function errorName(api, dispatchError) {
  try {
    if (dispatchError.isModule) {
      const { section, name } = api.registry.findMetaError(dispatchError.asModule);
      return `${section}.${name}`;
    }
    const kind = dispatchError.type;
    const inner = dispatchError[`as${kind}`];
    return inner && inner.toString && inner.type ? `${kind}.${inner.type}` : kind;
  } catch {
    return dispatchError.toString();
  }
}

export class Tracker {
  /**
   * `api`: a connected ApiPromise (metadata, types); `rpc`: a RawRpc for block and storage
   * reads and the head subscriptions.
   */
  constructor(api, rpc, { log = () => {} } = {}) {
    this.api = api;
    this.rpc = rpc;
    this.log = log;
    this.txs = new Map(); // hash -> tracked transaction
    this.blocks = new Map(); // hash -> block record
    this.bestListeners = []; // (rec, events) => void, for each block first seen as best
    this.finalListeners = []; // (rec, events) => void, for each finalized block, in order
    this.includedListeners = []; // (tx) => void, when a tracked transaction is first in a block
    this.retractedListeners = []; // (tx) => void, when its only blocks were finalized away
    this.queue = Promise.resolve();
    this.errors = [];
    this.bestNumber = 0;
    this.finalizedNumber = 0;
    this.finalizedHash = null;
    this.reorged = 0;
    this.retracted = 0;
    const sq = api.query;
    this.keys = {
      events: sq.system.events.key(),
      weight: sq.system.blockWeight.key(),
      now: sq.timestamp.now.key(),
    };
    const lookup = (entry) => api.registry.createLookupType(entry.creator.meta.type.asPlain);
    this.types = { events: lookup(sq.system.events), weight: lookup(sq.system.blockWeight) };
    const bw = api.consts.system.blockWeights;
    const normal = bw.perClass.normal;
    this.limits = {
      maxBlockRefTime: bw.maxBlock.refTime.toBigInt(),
      maxNormalRefTime: (normal.maxTotal.isSome ? normal.maxTotal.unwrap().refTime
        : bw.maxBlock.refTime).toBigInt(),
      maxNormalProof: (normal.maxTotal.isSome ? normal.maxTotal.unwrap().proofSize
        : bw.maxBlock.proofSize).toBigInt(),
      maxNormalLength: api.consts.system.blockLength.max.normal.toNumber(),
      maxLength: api.consts.system.blockLength.max.mandatory.toNumber(),
    };
  }

  async start() {
    const head = await this.rpc.call('chain_getHeader', []);
    this.startNumber = parseInt(head.number, 16);
    this.bestNumber = this.startNumber;
    const fin = await this.rpc.call('chain_getFinalizedHead', []);
    const finHeader = await this.rpc.call('chain_getHeader', [fin]);
    this.finalizedNumber = parseInt(finHeader.number, 16);
    this.finalizedHash = fin;
    this.unsubs = [
      await this.rpc.subscribe('chain_subscribeNewHeads', [], 'chain_unsubscribeNewHeads',
        (h) => { const t = now(); this.enqueue(() => this.onBest(h, t)); }),
      await this.rpc.subscribe('chain_subscribeFinalizedHeads', [],
        'chain_unsubscribeFinalizedHeads',
        (h) => { const t = now(); this.enqueue(() => this.onFinalized(h, t)); }),
    ];
  }

  async stop() {
    for (const u of this.unsubs ?? []) await u();
    await this.queue;
  }

  enqueue(fn) {
    this.queue = this.queue.then(fn).catch((e) => {
      this.errors.push(e.message);
      this.log(`tracker: ${e.message}`);
    });
  }

  /** Waits until everything received so far has been processed. */
  async idle() {
    let q;
    do {
      q = this.queue;
      await q;
    } while (q !== this.queue);
  }

  track(tx) {
    this.txs.set(tx.hash, tx);
  }

  /**
   * A transaction got new bytes (re-signed): track it under its new hash too (the old bytes
   * may still be in a pool and get in first).
   */
  retrack(oldHash, tx) {
    this.txs.set(tx.hash, tx);
  }

  headerHash(header) {
    return this.api.registry.createType('Header', header).hash.toHex();
  }

  async onBest(header, seenAt) {
    const hash = this.headerHash(header);
    const number = parseInt(header.number, 16);
    if (number > this.bestNumber) this.bestNumber = number;
    if (this.blocks.has(hash)) return;
    // Fill in ancestors the subscription skipped (several blocks imported at once).
    const chain = [{ hash, header }];
    let parent = header.parentHash;
    let n = number - 1;
    while (n > this.startNumber && !this.blocks.has(parent) && chain.length < 256) {
      const h = await this.rpc.call('chain_getHeader', [parent]);
      if (!h) break;
      chain.push({ hash: parent, header: h });
      parent = h.parentHash;
      n -= 1;
    }
    for (const b of chain.reverse()) await this.processBlock(b.hash, seenAt, true);
  }

  async onFinalized(header, seenAt) {
    const hash = this.headerHash(header);
    const number = parseInt(header.number, 16);
    if (number <= this.finalizedNumber) return;
    const chain = [];
    let h = hash;
    let parentHash = header.parentHash;
    for (let n = number; n > this.finalizedNumber; n -= 1) {
      chain.push(h);
      if (n - 1 <= this.finalizedNumber) break;
      h = parentHash;
      const known = this.blocks.get(h);
      parentHash = known ? known.parentHash
        : (await this.rpc.call('chain_getHeader', [h])).parentHash;
    }
    for (const b of chain.reverse()) {
      let rec = this.blocks.get(b);
      if (!rec) rec = await this.processBlock(b, seenAt, false);
      this.finalize(rec, seenAt);
    }
    this.finalizedNumber = number;
    this.finalizedHash = hash;
  }

  finalize(rec, at) {
    rec.finalizedAt = at;
    for (const hash of rec.txHashes) {
      const tx = this.txs.get(hash);
      if (!tx) continue;
      tx.finalizedAt = at;
      if (tx.block !== rec.hash) {
        // First seen in a block that did not become final: this one is the canonical one.
        this.reorged += 1;
        tx.block = rec.hash;
        tx.blockNumber = rec.number;
      }
      const o = rec.outcomes.get(hash);
      tx.ok = o.ok;
      tx.error = o.error;
    }
    this.dropForks(rec);
    const events = rec.events;
    for (const l of this.finalListeners) {
      try { l(rec, events); } catch (e) { this.errors.push(`final listener: ${e.stack}`); }
    }
    rec.events = null; // keep memory flat on long runs
  }

  /**
   * The other blocks at the height of `rec` (just finalized) are dead, and so is every block
   * built on them that we know of: a tracked transaction that was in none but dead blocks is
   * retracted (its `block` cleared) and the retracted listeners are told.
   */
  dropForks(rec) {
    const dead = [];
    for (const b of this.blocks.values()) {
      if (b.dead || b === rec || b.finalizedAt) continue;
      if (b.number === rec.number) dead.push(b);
    }
    for (let i = 0; i < dead.length; i += 1) {
      // Descendants of a dead block die with it.
      for (const b of this.blocks.values()) {
        if (!b.dead && b.parentHash === dead[i].hash && !dead.includes(b)) dead.push(b);
      }
    }
    for (const d of dead) d.dead = true;
    for (const d of dead) {
      for (const h of d.txHashes) {
        const tx = this.txs.get(h);
        if (!tx || tx.finalizedAt || tx.block !== d.hash) continue;
        const alive = (tx.seenIn ?? []).map((x) => this.blocks.get(x)).find((b) => b && !b.dead);
        if (alive) {
          tx.block = alive.hash;
          tx.blockNumber = alive.number;
          const o = alive.outcomes.get(h);
          if (o) { tx.ok = o.ok; tx.error = o.error; }
          continue;
        }
        tx.block = null;
        tx.blockNumber = null;
        tx.inBlockAt = null;
        this.retracted += 1;
        for (const l of this.retractedListeners) {
          try { l(tx); } catch (e) { this.errors.push(`retracted listener: ${e.stack}`); }
        }
      }
    }
  }

  async processBlock(hash, seenAt, asBest) {
    const [block, storage] = await Promise.all([
      this.rpc.call('chain_getBlock', [hash]),
      this.rpc.call('state_queryStorageAt',
        [[this.keys.events, this.keys.weight, this.keys.now], hash]),
    ]);
    const values = new Map((storage[0]?.changes ?? []).map(([k, v]) => [k, v]));
    const { header, extrinsics } = block.block;
    const number = parseInt(header.number, 16);
    const events = values.get(this.keys.events)
      ? this.api.registry.createType(this.types.events, values.get(this.keys.events))
      : [];
    const weight = values.get(this.keys.weight)
      ? this.api.registry.createType(this.types.weight, values.get(this.keys.weight))
      : null;
    const tsHex = values.get(this.keys.now);
    const ts = tsHex ? u8aToBn(hexToU8a(tsHex)).toNumber() : null;

    // Per extrinsic: success or failure (with the error), and its events.
    const outcomes = new Array(extrinsics.length).fill(null);
    const evs = new Array(extrinsics.length);
    for (const record of events) {
      const { phase, event } = record;
      if (!phase.isApplyExtrinsic) continue;
      const i = phase.asApplyExtrinsic.toNumber();
      (evs[i] ??= []).push(event);
      if (event.section === 'system') {
        if (event.method === 'ExtrinsicSuccess') outcomes[i] = { ok: true, error: null };
        else if (event.method === 'ExtrinsicFailed') {
          outcomes[i] = { ok: false, error: errorName(this.api, event.data[0]) };
        }
      }
    }
    // A block built on a dead one (a fork finalized away) is dead too: nothing in it counts.
    const dead = !!this.blocks.get(header.parentHash)?.dead;
    let length = 0;
    let signedLength = 0;
    const txHashes = [];
    const outcomeMap = new Map();
    const trackedByPhase = {};
    const included = [];
    extrinsics.forEach((x, i) => {
      const bytes = hexToU8a(x);
      length += bytes.length;
      // The version byte follows the compact length prefix: bit 7 set means signed.
      const prefix = (bytes[0] & 3) === 0 ? 1 : (bytes[0] & 3) === 1 ? 2 : 4;
      if (bytes[prefix] & 0x80) signedLength += bytes.length;
      const h = blake2AsHex(bytes);
      const tx = this.txs.get(h);
      if (!tx) return;
      txHashes.push(h);
      if (!(tx.seenIn ??= []).includes(hash)) tx.seenIn.push(hash);
      const o = outcomes[i] ?? { ok: false, error: 'no outcome event' };
      outcomeMap.set(h, o);
      trackedByPhase[tx.phase] = (trackedByPhase[tx.phase] ?? 0) + 1;
      if (dead) return;
      if (!tx.block) {
        tx.block = hash;
        tx.blockNumber = number;
        tx.inBlockAt = seenAt;
        tx.ok = o.ok;
        tx.error = o.error;
        included.push([tx, evs[i] ?? []]);
      } else if (tx.block !== hash) {
        tx.forks = (tx.forks ?? 0) + 1;
      }
    });
    const normal = weight ? weight.normal : null;
    const rec = {
      hash,
      number,
      dead,
      parentHash: header.parentHash,
      seenAt,
      asBest,
      finalizedAt: null,
      ts,
      extrinsics: extrinsics.length,
      length,
      signedLength,
      normalRefTime: normal ? normal.refTime.toBigInt() : null,
      normalProof: normal ? normal.proofSize.toBigInt() : null,
      totalRefTime: weight ? weight.normal.refTime.toBigInt() + weight.operational.refTime
        .toBigInt() + weight.mandatory.refTime.toBigInt() : null,
      events: events,
      eventCount: events.length,
      txHashes,
      outcomes: outcomeMap,
      trackedByPhase,
    };
    this.blocks.set(hash, rec);
    for (const [tx, txEvents] of included) {
      for (const l of this.includedListeners) l(tx);
      if (tx.onIncluded) {
        try { tx.onIncluded(tx, rec, txEvents); } catch (e) { this.errors.push(`onIncluded: ${e.stack}`); }
      }
    }
    if (asBest) {
      for (const l of this.bestListeners) {
        try { l(rec, events); } catch (e) { this.errors.push(`best listener: ${e.stack}`); }
      }
    }
    return rec;
  }

  /** Fullness of a block: shares of the normal class's ref_time and of its length. */
  fullness(rec) {
    const l = this.limits;
    return {
      number: rec.number,
      ts: rec.ts,
      extrinsics: rec.extrinsics,
      events: rec.eventCount,
      normalRefTime: rec.normalRefTime === null ? null : Number(rec.normalRefTime),
      refTimeShare: rec.normalRefTime === null ? null
        : Number(rec.normalRefTime) / Number(l.maxNormalRefTime),
      totalRefTimeShare: rec.totalRefTime === null ? null
        : Number(rec.totalRefTime) / Number(l.maxBlockRefTime),
      proofShare: rec.normalProof === null ? null
        : Number(rec.normalProof) / Number(l.maxNormalProof),
      length: rec.length,
      lengthShare: rec.signedLength / l.maxNormalLength,
      tracked: rec.trackedByPhase,
    };
  }

  /** The best-chain blocks (canonical where final) numbered from..to, oldest first. */
  canonicalBlocks(from, to) {
    const byNumber = new Map();
    for (const rec of this.blocks.values()) {
      if (rec.number < from || rec.number > to) continue;
      const cur = byNumber.get(rec.number);
      if (!cur || (rec.finalizedAt && !cur.finalizedAt) || (!cur.finalizedAt && rec.seenAt > cur.seenAt)) {
        byNumber.set(rec.number, rec);
      }
    }
    return [...byNumber.values()].sort((a, b) => a.number - b.number);
  }
}
