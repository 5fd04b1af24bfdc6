// Shared set-up of the end-to-end tests: a fresh `entrepot-node --dev` with @polkadot/api
// connected, the well-known dev accounts, the platform account, and helpers to pick events out
// of a block.

import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { stringToU8a, u8aConcat } from '@polkadot/util';
import { startNode, connect, send, blockNumber } from './node.js';

/**
 * Starts a dev node and connects to it. Resolves with { node, api, keyring, accounts, platform,
 * stop }: `accounts` has the sr25519 dev keys alice … ferdie, `platform` the address of the
 * platform (fee) account, `PalletId(*b"ent/plat")`. `pallets` are checked to be in the runtime.
 */
export async function devChain({ name = 'dev', pallets = [] } = {}) {
  await cryptoWaitReady();
  const node = await startNode({ name });
  let api;
  try {
    api = await connect(node);
  } catch (e) {
    await node.stop();
    throw e;
  }
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const accounts = {};
  for (const n of ['alice', 'bob', 'charlie', 'dave', 'eve', 'ferdie']) {
    accounts[n] = keyring.addFromUri(`//${n[0].toUpperCase()}${n.slice(1)}`);
  }
  const platform = palletAccount(api, 'ent/plat');
  for (const p of pallets) {
    assert.ok(api.tx[p], `the node runtime has no ${p} pallet: rebuild entrepot-node`);
  }
  const stop = async () => {
    await api?.disconnect();
    await node?.stop();
  };
  return { node, api, keyring, accounts, platform, stop };
}

/**
 * The address of the account of the pallet with id `id` (8 characters, e.g. `ent/plat`):
 * `PalletId(id).into_account_truncating()` is "modl" ++ id, zero-padded to 32 bytes.
 */
export function palletAccount(api, id) {
  const raw = u8aConcat(stringToU8a('modl'), stringToU8a(id), new Uint8Array(20));
  return api.createType('AccountId', raw).toString();
}

const DAYS = 24 * 600; // blocks of 6 s

/** The runtime's default policy bounds with every minimum lowered to one block. */
export const SHORT_POLICY_BOUNDS = {
  shipWithin: { min: 1, max: 60 * DAYS },
  autoConfirmAfter: { min: 1, max: 90 * DAYS },
  refundResponseWithin: { min: 1, max: 14 * DAYS },
  returnWindow: { min: 1, max: 30 * DAYS },
  afterSalesWindow: { min: 1, max: 180 * DAYS },
  maxHoldback: 300_000,
};

/**
 * The one event named `name` among the events of a transaction sent with `send`, as
 * { event, events, blockHash }: the shape `waitForEvent` resolves with.
 */
export function inBlock(result, name) {
  return {
    event: theEvent(result.events, name),
    events: result.events.map((r) => r.event ?? r),
    blockHash: result.blockHash,
  };
}

/** The events named `section.Method` (whose `orderId` is `orderId`, if given). */
export function eventsNamed(events, name, orderId) {
  const [section, method] = name.split('.');
  return events
    .map((e) => e.event ?? e)
    .filter((ev) => ev.section === section && ev.method === method &&
      (orderId === undefined || ev.data.orderId?.toNumber() === orderId));
}

/** The one event named `section.Method` (of `orderId`, if given); fails if not exactly one. */
export function theEvent(events, name, orderId) {
  const list = eventsNamed(events, name, orderId);
  const of = orderId === undefined ? '' : ` of order ${orderId}`;
  assert.equal(list.length, 1, `expected exactly one ${name}${of}, got ${list.length}: ` +
    events.map((e) => { const ev = e.event ?? e; return `${ev.section}.${ev.method}`; }).join(', '));
  return list[0];
}

/** Sends `tx` from `signer`; resolves with `send`'s result and the number of its block. */
export async function submit(api, tx, signer) {
  const result = await send(api, tx, signer);
  return { ...result, number: await blockNumber(api, result.blockHash) };
}
