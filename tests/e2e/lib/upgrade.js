// Runtime upgrades in the end-to-end tests: a chain spec that starts a chain on an older
// runtime (a committed wasm fixture), the new runtime's wasm as the node build leaves it, a
// pallet's on-chain storage version, and a snapshot of a block's whole state for the try-runtime
// test (runtime/src/tests: `try_runtime_upgrade_on_a_live_snapshot`, see docs/upgrades.md).

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir, homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringToU8a, u8aConcat } from '@polkadot/util';
import { encodeAddress, xxhashAsHex } from '@polkadot/util-crypto';
import { nodeBinary } from './node.js';

/** The runtime of commit 0e635ac (spec 100, orders at storage version 0), `fast-runtime`. */
export const OLD_RUNTIME_WASM = fileURLToPath(new URL(
  '../fixtures/entrepot-runtime-0e635ac-fast.compact.compressed.wasm', import.meta.url));

/**
 * Genesis keys of pallets the old runtime does not have: its genesis builder refuses unknown
 * keys (`RuntimeGenesisConfig` denies unknown fields).
 */
const NEW_PALLETS = ['assetConversion', 'exchange'];

/** The asset id of the loyalty token, LOY. */
const LOY_ASSET = 3;

// Integers of 16 digits and more (balances) lose precision in a JavaScript number: they are
// carried through JSON.parse and JSON.stringify as marked strings and written back as numbers.
const BIG = '__entrepot_big__';

/** `text` (JSON) with every integer of 16 digits or more outside strings made a marked string. */
function protectBig(text) {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') { // a string, escapes included, copied as it is
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '-' || (c >= '0' && c <= '9')) { // a number
      let j = i + 1;
      while (j < text.length && /[0-9.eE+-]/.test(text[j])) j += 1;
      const number = text.slice(i, j);
      out += /^\d{16,}$/.test(number) ? `"${BIG}${number}"` : number;
      i = j;
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

const restoreBig = (text) => text.replace(new RegExp(`"${BIG}(\\d+)"`, 'g'), '$1');

/**
 * The node's plain chain spec of preset `chain` (`export-chain-spec`, not `--raw`), parsed,
 * big integers protected: its `genesis.runtimeGenesis` is `{ code, patch }`, the runtime the
 * node was built with and the preset's JSON patch.
 */
function plainSpec(chain) {
  if (!existsSync(nodeBinary())) throw new Error(`node binary not found at ${nodeBinary()}`);
  const plain = execFileSync(nodeBinary(), ['export-chain-spec', '--chain', chain],
    { maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  const spec = JSON.parse(protectBig(plain));
  const genesis = spec.genesis?.runtimeGenesis;
  if (!genesis?.patch || !genesis.code) {
    throw new Error(`export-chain-spec --chain ${chain} gave no genesis.runtimeGenesis ` +
      `{ code, patch }: ${Object.keys(spec.genesis ?? {}).join(', ')}`);
  }
  return spec;
}

/** The runtime the node binary was built with (its `WASM_BINARY`), as bytes. */
export function nodeRuntimeCode() {
  return Buffer.from(plainSpec('dev').genesis.runtimeGenesis.code.slice(2), 'hex');
}

/** `PalletId(id)`'s account as the genesis patch writes it: SS58, prefix 42. */
const palletAddress = (id) =>
  encodeAddress(u8aConcat(stringToU8a('modl'), stringToU8a(id), new Uint8Array(20)), 42);

/**
 * A chain spec file that starts chain `chain` (a preset of the node: `dev` or `local`) on the
 * old runtime: the node's plain spec (`export-chain-spec`, not `--raw`), whose
 * `genesis.runtimeGenesis` is the node's runtime `code` and the preset's JSON `patch`, with the
 * old wasm as `code` and the patch made the old preset again: without the keys of the pallets
 * the old runtime lacks, and with the platform account funded as the old preset funded it (the
 * minimum of each currency, as the escrow and disputes accounts; the current preset adds the
 * genesis pools' liquidity and the refund float, which only the new pallets use), and with LOY
 * created as it was (not sufficient, minimum balance 1). The chain's
 * name, id, type and properties are the preset's. The node builds the genesis state by running
 * the old code's genesis builder on the patch. Returns the path of the file (in a fresh
 * temporary directory).
 *
 * Start a single-validator node on it as `--dev` would start the dev chain:
 * `startNode({ args: ['--chain', path, '--alice', '--validator', '--force-authoring',
 * '--node-key', KEY, '--rpc-cors', 'all', '--rpc-methods', 'unsafe'] })` (a validator outside
 * `--dev` needs a network key).
 */
export function oldRuntimeSpec({ chain = 'dev', wasm = OLD_RUNTIME_WASM } = {}) {
  if (!existsSync(wasm)) {
    throw new Error(`the old runtime's wasm is missing at ${wasm}: it is a committed fixture ` +
      '(./scripts/build-old-runtime.sh 0e635ac builds it, see docs/upgrades.md)');
  }
  const spec = plainSpec(chain);
  const genesis = spec.genesis.runtimeGenesis;
  genesis.code = `0x${readFileSync(wasm).toString('hex')}`;
  const { patch } = genesis;
  for (const key of NEW_PALLETS) delete patch[key];

  // The platform account's balances as the old preset had them: the escrow account's.
  const platform = palletAddress('ent/plat');
  const escrow = palletAddress('ent/escr');
  const entOf = (who) => patch.balances.balances.find(([account]) => account === who);
  const [platformEnt, escrowEnt] = [entOf(platform), entOf(escrow)];
  if (!platformEnt || !escrowEnt) {
    throw new Error(`no ENT balance of the platform (${platform}) or escrow (${escrow}) ` +
      'account in the genesis patch');
  }
  platformEnt[1] = escrowEnt[1];
  for (const entry of patch.assets.accounts) {
    const [asset, who] = entry;
    if (who !== platform) continue;
    const ofEscrow = patch.assets.accounts.find(([a, w]) => a === asset && w === escrow);
    if (!ofEscrow) throw new Error(`no balance of asset ${asset} of the escrow account`);
    entry[2] = ofEscrow[2];
  }

  // LOY as the old preset created it: not sufficient, with a minimum balance of 1 (the
  // loyalty migration of spec 102 changes that).
  const loy = patch.assets.assets.find(([id]) => id === LOY_ASSET);
  if (!loy) throw new Error(`no asset ${LOY_ASSET} (LOY) in the genesis patch`);
  loy[2] = false;
  loy[3] = 1;

  const dir = mkdtempSync(join(tmpdir(), 'entrepot-old-runtime-'));
  const path = join(dir, `${chain}-0e635ac.json`);
  writeFileSync(path, restoreBig(JSON.stringify(spec, null, 1)));
  return path;
}

/** The new runtime's wasm, as the node build leaves it: its path. */
export function newRuntimeWasm() {
  const target = process.env.CARGO_TARGET_DIR || join(homedir(), '.cache', 'entrepot', 'target');
  const path = join(target, 'release', 'wbuild', 'entrepot-runtime',
    'entrepot_runtime.compact.compressed.wasm');
  if (!existsSync(path)) {
    throw new Error(`the new runtime's wasm is missing at ${path}: build the node first ` +
      '(./scripts/build.sh --features fast-runtime)');
  }
  return path;
}

/** The storage key of pallet `pallet`'s on-chain storage version. */
export function storageVersionKey(pallet) {
  const [prefix, suffix] = [pallet, ':__STORAGE_VERSION__:'].map((s) => xxhashAsHex(s, 128));
  return `${prefix}${suffix.slice(2)}`;
}

/**
 * Pallet `pallet`'s on-chain storage version (the u16 FRAME stores under
 * `twox128(pallet) ++ twox128(":__STORAGE_VERSION__:")`) after block `blockHash` (the best block
 * if omitted), or null if none is stored.
 */
export async function palletStorageVersion(api, pallet, blockHash) {
  const params = blockHash ? [storageVersionKey(pallet), blockHash.toString()]
    : [storageVersionKey(pallet)];
  // `api.rpc(method, ...params)` passes the call through as it is: the raw bytes, undecoded.
  const value = await api.rpc('state_getStorage', ...params);
  if (value === null) return null;
  const bytes = Buffer.from(value.slice(2), 'hex');
  if (bytes.length !== 2) throw new Error(`${pallet}'s storage version is not a u16: ${value}`);
  return bytes.readUInt16LE(0);
}

/**
 * Writes every storage key and value of the state after block `blockHash` (`:code` included)
 * to `path` as JSON: `{ "block": "0x…", "number": N, "stateRoot": "0x…", "specVersion": S,
 * "pairs": [["0xkey", "0xvalue"], …] }`, keys in order. Keys come in pages of 1000
 * (`state_getKeysPaged`), values with `state_queryStorageAt`, both raw JSON-RPC (no decoding:
 * the bytes as stored). Resolves with { path, keys, bytes }.
 */
export async function dumpState(api, blockHash, path) {
  const block = blockHash.toString();
  const header = await api.rpc.chain.getHeader(block);
  const version = await api.rpc.state.getRuntimeVersion(block);
  const send = (method, params) => api.rpc(method, ...params); // raw JSON-RPC, undecoded
  const pairs = [];
  let bytes = 0;
  for (let startKey = null; ;) {
    const keys = await send('state_getKeysPaged', ['0x', 1000, startKey, block]);
    if (keys.length === 0) break;
    const [{ changes }] = await send('state_queryStorageAt', [keys, block]);
    const values = new Map(changes);
    for (const key of keys) {
      const value = values.get(key);
      if (value === null || value === undefined) {
        throw new Error(`key ${key} listed at ${block} has no value`);
      }
      pairs.push([key, value]);
      bytes += (key.length + value.length - 4) / 2;
    }
    if (keys.length < 1000) break;
    startKey = keys[keys.length - 1];
  }
  if (!pairs.some(([key]) => key === '0x3a636f6465')) {
    throw new Error(`the state at ${block} has no :code`);
  }
  const head = JSON.stringify({
    block,
    number: header.number.toNumber(),
    stateRoot: header.stateRoot.toHex(),
    specVersion: version.specVersion.toNumber(),
  });
  // One pair a line: the file stays greppable and diffable.
  const lines = pairs.map((p) => JSON.stringify(p)).join(',\n');
  writeFileSync(path, `${head.slice(0, -1)},"pairs":[\n${lines}\n]}\n`);
  return { path, keys: pairs.length, bytes };
}
