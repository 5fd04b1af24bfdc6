// Keys and fast signing. @polkadot/util-crypto signs sr25519 in plain JavaScript (@scure), about
// 1.5 ms a signature; @polkadot/wasm-crypto (already installed with @polkadot/api) does it in
// a tenth of that. Keys here are plain { address, publicKey, secretKey } with a `sign` that
// uses wasm, usable as an IKeyringPair by @polkadot/api too.
//
// FastSigner builds signed extrinsics itself (the signing payload: call ++ explicit extension
// data ++ implicit data; the extrinsic: 0x84 ++ MultiAddress::Id ++ MultiSignature::Sr25519 ++
// explicit data ++ call), for the transaction extensions it knows, immortal, with a tip or not.
// `check()` compares its bytes with what @polkadot/api builds for the same call, nonce and a
// fixed signature, byte for byte; if they differ (or an extension is unknown) the context
// signs with @polkadot/api instead.

import * as wasm from '@polkadot/wasm-crypto';
import { DEV_PHRASE } from '@polkadot/keyring';
import {
  blake2AsU8a, blake2AsHex, keyExtractSuri, keyExtractPath, keyFromPath, mnemonicToMiniSecret,
  sr25519PairFromSeed, encodeAddress,
} from '@polkadot/util-crypto';
import { u8aConcat, compactToU8a, u8aToHex, u8aEq, isHex, hexToU8a } from '@polkadot/util';

export async function keysReady() {
  await wasm.waitReady();
}

function makeKey({ publicKey, secretKey }, name) {
  return {
    name,
    type: 'sr25519',
    publicKey,
    secretKey,
    address: encodeAddress(publicKey, 42),
    addressRaw: publicKey,
    sign(message, options = {}) {
      const sig = wasm.sr25519Sign(publicKey, secretKey, message);
      return options.withType ? u8aConcat(new Uint8Array([1]), sig) : sig;
    },
  };
}

/** A key from a SURI: //Alice, a hex seed, a mnemonic with a path. */
export function keyFromUri(suri) {
  const { phrase, path } = keyExtractSuri(suri.startsWith('//') ? `${DEV_PHRASE}${suri}` : suri);
  const seed = isHex(phrase, 256) ? hexToU8a(phrase) : mnemonicToMiniSecret(phrase);
  return makeKey(keyFromPath(sr25519PairFromSeed(seed), path, 'sr25519'), suri);
}

/** Derives `${base}/${i}` for i in [from, to) from the key of `base` (soft junctions, wasm). */
export function deriveKeys(baseKey, baseName, from, to) {
  const pairBytes = u8aConcat(baseKey.secretKey, baseKey.publicKey);
  const out = [];
  for (let i = from; i < to; i += 1) {
    const [junction] = keyExtractPath(`/${i}`).path;
    const u8a = wasm.sr25519DeriveKeypairSoft(pairBytes, junction.chainCode);
    out.push(makeKey({ secretKey: u8a.slice(0, 64), publicKey: u8a.slice(64) }, `${baseName}/${i}`));
  }
  return out;
}

const u32 = (n) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
};

/** What each known transaction extension adds: explicit (in the extrinsic) and implicit data. */
function extensionPlan(name, c) {
  switch (name) {
    case 'CheckNonZeroSender':
    case 'CheckWeight':
    case 'WeightReclaim':
    case 'StorageWeightReclaim':
      return { explicit: () => [], implicit: [] };
    case 'CheckSpecVersion':
      return { explicit: () => [], implicit: [c.spec] };
    case 'CheckTxVersion':
      return { explicit: () => [], implicit: [c.tx] };
    case 'CheckGenesis':
      return { explicit: () => [], implicit: [c.genesis] };
    case 'CheckMortality':
    case 'CheckEra':
      return { explicit: () => [new Uint8Array([0])], implicit: [c.genesis] };
    case 'CheckNonce':
      return { explicit: (nonce) => [compactToU8a(nonce)], implicit: [] };
    case 'ChargeTransactionPayment':
      return { explicit: (nonce, tip) => [compactToU8a(tip)], implicit: [] };
    case 'ChargeAssetTxPayment':
      return { explicit: (nonce, tip) => [compactToU8a(tip), new Uint8Array([0])], implicit: [] };
    case 'CheckMetadataHash':
      return { explicit: () => [new Uint8Array([0])], implicit: [new Uint8Array([0])] };
    default:
      return null;
  }
}

export class FastSigner {
  constructor(api) {
    this.api = api;
    const rv = api.runtimeVersion;
    const c = { spec: u32(rv.specVersion.toNumber()), tx: u32(rv.transactionVersion.toNumber()),
      genesis: api.genesisHash.toU8a() };
    this.names = api.registry.signedExtensions;
    this.plan = this.names.map((n) => extensionPlan(n, c));
    this.unknown = this.names.filter((n, i) => !this.plan[i]);
    this.implicit = u8aConcat(...this.plan.flatMap((p) => p?.implicit ?? []));
    this.ok = false;
  }

  /** Signs `method` (the call's bytes) as `key` with `nonce` and `tip` (planck): { hex, hash }. */
  sign(method, key, nonce, signature, tip = 0) {
    const explicit = u8aConcat(...this.plan.flatMap((p) => p.explicit(nonce, tip)));
    let payload = u8aConcat(method, explicit, this.implicit);
    if (payload.length > 256) payload = blake2AsU8a(payload, 256);
    const sig = signature ?? wasm.sr25519Sign(key.publicKey, key.secretKey, payload);
    const body = u8aConcat(new Uint8Array([0x84, 0x00]), key.publicKey, new Uint8Array([0x01]), sig,
      explicit, method);
    const bytes = u8aConcat(compactToU8a(body.length), body);
    return { hex: u8aToHex(bytes), hash: blake2AsHex(bytes, 256), payload };
  }

  /** Compares with @polkadot/api's own extrinsic for the same call; sets and returns `ok`. */
  check(key, signOptions) {
    if (this.unknown.length) return { ok: (this.ok = false), why: `unknown extensions ${this.unknown.join(', ')}` };
    const version = this.api.extrinsicVersion ?? this.api.extrinsicType ?? 4;
    if (version !== 4) return { ok: (this.ok = false), why: `extrinsic version ${version}` };
    const fixed = new Uint8Array(64).fill(0x5a);
    for (const [call, nonce, tip] of [[this.api.tx.system.remark('0x0102'), 7, 0],
      [this.api.tx.system.remark(`0x${'ab'.repeat(300)}`), 70000, 0],
      [this.api.tx.system.remark('0x03'), 3, 123456789]]) {
      let seen;
      const fake = { ...key, sign: (m, o) => { seen = m; return o?.withType ? u8aConcat(new Uint8Array([1]), fixed) : fixed; } };
      const theirs = call.sign(fake, { ...signOptions, nonce, tip }).toU8a();
      const mine = this.sign(call.method.toU8a(), key, nonce, fixed, tip);
      if (!u8aEq(hexToU8a(mine.hex), theirs) || !u8aEq(mine.payload, seen)) {
        return { ok: (this.ok = false), why: 'the extrinsic differs from @polkadot/api\'s' };
      }
    }
    return { ok: (this.ok = true) };
  }
}

/**
 * Encodes calls of one extrinsic function argument by argument, caching the encoding of
 * repeated argument values (the same merchant, currency, items...).
 */
export class CallEncoder {
  constructor(api, fn) {
    this.api = api;
    this.fn = fn;
    this.types = fn.meta.args.map((a) => a.type.toString());
    this.caches = this.types.map(() => new Map());
    this.checked = false;
  }

  encode(...values) {
    const parts = [this.fn.callIndex];
    values.forEach((v, i) => {
      const key = typeof v === 'object' && v !== null && !(v instanceof Uint8Array)
        ? JSON.stringify(v, (k, x) => (typeof x === 'bigint' ? x.toString() : x)) : String(v);
      const cache = this.caches[i];
      let enc = cache.get(key);
      if (!enc) {
        enc = this.api.registry.createTypeUnsafe(this.types[i], [v]).toU8a();
        if (cache.size < 10_000 && key.length < 400) cache.set(key, enc);
      }
      parts.push(enc);
    });
    const out = u8aConcat(...parts);
    if (!this.checked) {
      const ref = this.fn(...values).method.toU8a();
      if (!u8aEq(ref, out)) throw new Error(`encoding ${this.fn.section}.${this.fn.method} differs from @polkadot/api`);
      this.checked = true;
    }
    return out;
  }
}
