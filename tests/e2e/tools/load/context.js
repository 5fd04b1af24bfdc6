// What every scenario shares: the connections, the tracker and the submitter, the load
// accounts and their nonces (read once with system_accountNextIndex, then counted here),
// signing, waiting for transactions, governance calls.

import { ApiPromise, WsProvider } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { stringToU8a, u8aConcat } from '@polkadot/util';
import { RawRpc } from './rpc.js';
import { Tracker } from './tracker.js';
import { Submitter } from './submitter.js';
import { phaseReport } from './stats.js';
import { keysReady, keyFromUri, deriveKeys, FastSigner, CallEncoder } from './keys.js';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class Context {
  constructor(opts, log) {
    this.opts = opts;
    this.log = log;
    this.phases = []; // reports, in order
    this.notes = [];
  }

  async connect() {
    await cryptoWaitReady();
    await keysReady();
    const { urls } = this.opts;
    const provider = new WsProvider(urls[0], 1000, {}, 120_000);
    this.api = await ApiPromise.create({ provider, throwOnConnect: true, noInitWarn: true });
    this.rpc = new RawRpc(urls[0]);
    await this.rpc.connect();
    this.rpc.onClose = (e) => { this.fatal ??= e; };
    this.tracker = new Tracker(this.api, this.rpc, { log: this.log });
    await this.tracker.start();
    this.submitter = new Submitter(urls, this.tracker, {
      connections: this.opts.connections,
      inflight: this.opts.inflight,
      window: this.opts.maxPending,
      resubmitAfterMs: this.opts.resubmitAfter * 1000,
      log: this.log,
    });
    await this.submitter.start();
    this.nonceOf = new Map(); // address -> next nonce to use
    this.signOptions = {
      blockHash: this.api.genesisHash,
      genesisHash: this.api.genesisHash,
      runtimeVersion: this.api.runtimeVersion,
      signedExtensions: this.api.registry.signedExtensions,
      version: this.api.extrinsicType,
    };
    this.signer = new FastSigner(this.api);
    const check = this.signer.check(keyFromUri('//Alice'), this.signOptions);
    this.fastSigning = check.ok;
    if (!check.ok) this.log(`signing with @polkadot/api (slower): ${check.why}`);
    this.encoders = new Map();
  }

  /** The encoder of calls to `fn` (e.g. api.tx.orders.placeOrder). */
  enc(fn) {
    const k = `${fn.section}.${fn.method}`;
    let e = this.encoders.get(k);
    if (!e) this.encoders.set(k, (e = new CallEncoder(this.api, fn)));
    return e;
  }

  async close() {
    this.submitter?.stop();
    await this.tracker?.stop().catch(() => {});
    this.rpc?.close();
    await this.api?.disconnect().catch(() => {});
  }

  /** Throws if a connection broke or the tracker failed. */
  check() {
    const e = this.fatal ?? this.submitter.fatal;
    if (e) throw new Error(`connection lost: ${e.message}`);
  }

  // ---- Accounts ------------------------------------------------------------------------------

  /** The load accounts: sr25519 keys derived as load/0 .. load/n-1. */
  loadAccounts(n) {
    this.accounts ??= [];
    if (this.accounts.length < n) {
      this.loadBase ??= keyFromUri('//load');
      this.accounts.push(...deriveKeys(this.loadBase, '//load', this.accounts.length, n));
    }
    return this.accounts.slice(0, n);
  }

  /** A key from a SURI (e.g. //Alice). */
  pair(suri) {
    return keyFromUri(suri);
  }

  /** Reads the next nonce of every account (system_accountNextIndex), in parallel. */
  async readNonces(pairs) {
    const todo = pairs.filter((p) => !this.nonceOf.has(p.address));
    for (let i = 0; i < todo.length; i += 200) {
      const chunk = todo.slice(i, i + 200);
      const ns = await Promise.all(chunk.map((p) => this.rpc.call('system_accountNextIndex', [p.address])));
      chunk.forEach((p, j) => this.nonceOf.set(p.address, Number(ns[j])));
    }
  }

  /** Forgets counted nonces (after transactions of the accounts were refused or lost). */
  forgetNonces(pairs) {
    for (const p of pairs) this.nonceOf.delete(p.address);
  }

  takeNonce(pair) {
    const n = this.nonceOf.get(pair.address);
    if (n === undefined) throw new Error(`no nonce read for ${pair.name ?? pair.address}`);
    this.nonceOf.set(pair.address, n + 1);
    return n;
  }

  /**
   * Signs `call` (a submittable, or a call's bytes) as `pair` with `nonce`, immortal, with a
   * tip of `tip` planck (none by default).
   */
  sign(call, pair, nonce, tip = 0) {
    if (this.fastSigning) {
      const { hex, hash } = this.signer.sign(call instanceof Uint8Array ? call : call.method.toU8a(), pair, nonce,
        undefined, tip);
      return { hex, hash };
    }
    const tx = call instanceof Uint8Array ? this.api.tx(this.api.createType('Call', call)) : call;
    tx.sign(pair, { ...this.signOptions, nonce, tip });
    return { hex: tx.toHex(), hash: tx.hash.toHex() };
  }

  /**
   * A signed transaction of phase `phase`: `make()` builds the call (again when it must be
   * re-signed); the nonce is taken now. `extra.tip` (planck) is signed into it.
   */
  tx(phase, pair, make, extra = {}) {
    const nonce = this.takeNonce(pair);
    const tip = extra.tip ?? 0;
    const signed = this.sign(make(), pair, nonce, tip);
    return {
      ...signed,
      phase,
      sender: pair.address,
      nonce,
      resign: () => this.sign(make(), pair, nonce, tip),
      ...extra,
    };
  }

  /**
   * Calls `fn(i)` for i < n (signing), giving the event loop a turn every 256 calls so that
   * submissions, background transfers and block tracking go on meanwhile.
   */
  async signMany(n, fn) {
    const out = [];
    for (let i = 0; i < n; i += 1) {
      out.push(fn(i));
      if ((i & 255) === 255) await new Promise((r) => setImmediate(r));
    }
    return out;
  }

  // ---- Waiting -------------------------------------------------------------------------------

  /**
   * Waits until every transaction of `txs` is in a block or finally refused by the pool; gives
   * up after `stallMs` without any of them getting anywhere. Returns whether all settled.
   */
  async settle(txs, { stallMs = this.opts.stallTimeout * 1000, label = '' } = {}) {
    const open = new Set(txs);
    let lastProgress = Date.now();
    let lastLog = Date.now();
    while (open.size) {
      this.check();
      let progressed = false;
      for (const tx of open) {
        if (tx.block || tx.state === 'rejected' || tx.state === 'stale') {
          open.delete(tx);
          progressed = true;
        }
      }
      if (progressed) lastProgress = Date.now();
      if (!open.size) break;
      if (Date.now() - lastProgress > stallMs) {
        this.log(`${label}: ${open.size} transactions still not in a block after ${stallMs / 1000} s without progress; giving up on them`);
        this.submitter.abandon(open);
        return false;
      }
      if (Date.now() - lastLog > 10_000) {
        lastLog = Date.now();
        this.log(`${label}: ${txs.length - open.size}/${txs.length} done, ${this.submitter.inPool} in pool, best #${this.tracker.bestNumber}`);
      }
      await sleep(100);
    }
    // Stale ones may still show up in a block being processed.
    await sleep(50);
    await this.tracker.idle();
    return true;
  }

  /** Waits until every included transaction of `txs` is final, or `timeoutMs` passed. */
  async finality(txs, timeoutMs = this.opts.finalityTimeout * 1000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.check();
      await this.tracker.idle();
      if (txs.every((t) => !t.block || t.finalizedAt)) return true;
      if (Date.now() > deadline) {
        this.log(`finality: not every transaction final within ${timeoutMs / 1000} s`);
        return false;
      }
      await sleep(200);
    }
  }

  /** Waits until block `number` is final (or the timeout passed). */
  async untilFinalized(number, timeoutMs = this.opts.finalityTimeout * 1000) {
    const deadline = Date.now() + timeoutMs;
    while (this.tracker.finalizedNumber < number) {
      this.check();
      if (Date.now() > deadline) return false;
      await sleep(200);
    }
    await this.tracker.idle();
    return true;
  }

  /** Waits until the best block is at least `number`. */
  async untilBest(number, timeoutMs = 600_000) {
    const deadline = Date.now() + timeoutMs;
    while (this.tracker.bestNumber < number) {
      this.check();
      if (Date.now() > deadline) throw new Error(`block #${number} not reached within ${timeoutMs / 1000} s`);
      await sleep(200);
    }
    await this.tracker.idle();
  }

  /** Submits `txs`, waits until they are in blocks and final, and reports them as a phase. */
  async burst(name, txs, extra = {}) {
    this.log(`${name}: submitting ${txs.length} transactions`);
    const t0 = Date.now();
    for (const tx of txs) this.submitter.push(tx);
    await this.settle(txs, { label: name });
    const t1 = Date.now();
    await this.finality(txs);
    const report = phaseReport(this.tracker, this.submitter, name, txs,
      { wallSeconds: (t1 - t0) / 1000, ...extra });
    this.phases.push(report);
    return report;
  }

  /**
   * Sends a few set-up transactions (not measured): resolves once they are in blocks; throws
   * if one is refused or fails, unless `allowFail`.
   */
  async sendAll(name, txs, { allowFail = false } = {}) {
    if (!txs.length) return [];
    for (const tx of txs) this.submitter.push(tx);
    await this.settle(txs, { label: name });
    const bad = txs.filter((t) => !t.block || !t.ok);
    if (bad.length && !allowFail) {
      const why = bad.slice(0, 5).map((t) => t.error ?? t.poolError ?? t.state).join(', ');
      throw new Error(`${name}: ${bad.length} of ${txs.length} transactions failed: ${why}`);
    }
    return txs;
  }

  // ---- Chain ---------------------------------------------------------------------------------

  palletAccount(id) {
    const raw = u8aConcat(stringToU8a('modl'), stringToU8a(id), new Uint8Array(20));
    return this.api.createType('AccountId', raw).toString();
  }

  async chainInfo() {
    const { api } = this;
    const [chain, name, version, health] = await Promise.all([
      this.rpc.call('system_chain'), this.rpc.call('system_name'), this.rpc.call('system_version'),
      this.rpc.call('system_health'),
    ]);
    let slotMs = null;
    try {
      slotMs = (await api.call.auraApi.slotDuration()).toNumber();
    } catch {
      slotMs = api.consts.timestamp?.minimumPeriod ? api.consts.timestamp.minimumPeriod.toNumber() * 2 : null;
    }
    const l = this.tracker.limits;
    return {
      chain,
      node: `${name} ${version}`,
      peers: health.peers,
      specName: api.runtimeVersion.specName.toString(),
      specVersion: api.runtimeVersion.specVersion.toNumber(),
      genesis: api.genesisHash.toHex(),
      blockTimeMs: slotMs,
      limits: {
        maxBlockRefTime: Number(l.maxBlockRefTime),
        maxNormalRefTime: Number(l.maxNormalRefTime),
        maxNormalProofSize: Number(l.maxNormalProof),
        maxNormalLength: l.maxNormalLength,
        maxLength: l.maxLength,
      },
    };
  }

  /**
   * Dispatches `call` with the admin origin: through sudo if the sudo key is a development
   * key (//Alice ... //Ferdie, or --sudo), else as a council motion of the development keys
   * in the council (two thirds).
   */
  async admin(call, label) {
    const { api } = this;
    const devs = ['//Alice', '//Bob', '//Charlie', '//Dave', '//Eve', '//Ferdie'];
    if (this.opts.sudo && !devs.includes(this.opts.sudo)) devs.unshift(this.opts.sudo);
    const pairs = devs.map((s) => this.pair(s));
    const key = api.query.sudo ? await api.query.sudo.key() : null;
    if (key && key.isSome) {
      const sudoPair = pairs.find((p) => p.address === key.unwrap().toString());
      if (sudoPair) {
        this.log(`${label}: through sudo (${sudoPair.name})`);
        await this.readNonces([sudoPair]);
        let sudid;
        await this.sendAll(label, [this.tx('setup', sudoPair, () => api.tx.sudo.sudo(call), {
          onIncluded: (tx, rec, evs) => { sudid = evs.find((e) => e.section === 'sudo' && e.method === 'Sudid'); },
        })]);
        const result = sudid?.data[0];
        if (!result || result.isErr) {
          throw new Error(`${label}: the sudo call failed: ${result ? result.toString() : 'no sudo.Sudid event'}`);
        }
        return;
      }
    }
    if (!api.query.council) throw new Error(`${label}: no sudo key we hold and no council`);
    const members = (await api.query.council.members()).map((m) => m.toString());
    const voters = pairs.filter((p) => members.includes(p.address));
    const threshold = Math.ceil((2 * members.length) / 3);
    if (voters.length < threshold) {
      throw new Error(`${label}: neither the sudo key nor ${threshold} of the ${members.length} council members are development keys`);
    }
    this.log(`${label}: through a council motion (${voters.slice(0, threshold).map((p) => p.name).join(', ')})`);
    const length = call.method.encodedLength;
    await this.readNonces(voters);
    let proposal;
    await this.sendAll(label, [this.tx('setup', voters[0],
      () => api.tx.council.propose(threshold, call, length),
      { onIncluded: (tx, rec, evs) => { proposal = evs.find((e) => e.section === 'council' && e.method === 'Proposed'); } })]);
    if (!proposal) throw new Error(`${label}: no council.Proposed event`);
    const { proposalIndex, proposalHash } = proposal.data;
    await this.sendAll(label, voters.slice(0, threshold).map((v) =>
      this.tx('setup', v, () => api.tx.council.vote(proposalHash, proposalIndex, true))));
    let executed;
    await this.sendAll(label, [this.tx('setup', voters[0],
      () => api.tx.council.close(proposalHash, proposalIndex, api.consts.council.maxProposalWeight, length),
      { onIncluded: (tx, rec, evs) => { executed = evs.find((e) => e.section === 'council' && e.method === 'Executed'); } })]);
    if (!executed || executed.data.result.isErr) {
      throw new Error(`${label}: the council motion did not execute: ${executed?.data.result.toString()}`);
    }
  }
}
