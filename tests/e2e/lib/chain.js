// Shared set-up of the end-to-end tests: a fresh `entrepot-node --dev` with @polkadot/api
// connected, the well-known dev accounts, the platform's keyless accounts (fees, escrow, dispute
// deposits, stablecoin gateways), and helpers to pick events out of a block and to read errors.

import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { stringToU8a, u8aConcat } from '@polkadot/util';
import { startNode, connect, send, blockNumber } from './node.js';

/**
 * Starts a dev node and connects to it. Resolves with { node, api, keyring, accounts, platform,
 * escrow, disputes, gateways, stop }: `accounts` has the sr25519 dev keys alice … ferdie;
 * `platform` is the address of the platform (fee) account, `PalletId(*b"ent/plat")`, `escrow`
 * the escrow account (`ent/escr`, which holds every order's escrowed money), `disputes` the
 * disputes account (`ent/disp`, which holds every dispute deposit) and `gateways` the account
 * holding every role of the stablecoins (`ent/gate`). `pallets` are checked to be in the
 * runtime.
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
  const escrow = palletAccount(api, 'ent/escr');
  const disputes = palletAccount(api, 'ent/disp');
  const gateways = palletAccount(api, 'ent/gate');
  for (const p of pallets) {
    assert.ok(api.tx[p], `the node runtime has no ${p} pallet: rebuild entrepot-node`);
  }
  const stop = async () => {
    await api?.disconnect();
    await node?.stop();
  };
  return { node, api, keyring, accounts, platform, escrow, disputes, gateways, stop };
}

/**
 * The address of the account of the pallet with id `id` (8 characters, e.g. `ent/plat`):
 * `PalletId(id).into_account_truncating()` is "modl" ++ id, zero-padded to 32 bytes.
 */
export function palletAccount(api, id) {
  const raw = u8aConcat(stringToU8a('modl'), stringToU8a(id), new Uint8Array(20));
  return api.createType('AccountId', raw).toString();
}

/**
 * The policy bounds in force (at genesis: the runtime's defaults) with every minimum window
 * lowered to one block, so that tests can use windows of a few (one-second) blocks; the
 * maxima and the maximum holdback stay the runtime's.
 */
export async function shortPolicyBounds(api) {
  const inForce = (await api.query.orders.policyBoundsInForce()).toJSON();
  const bounds = {};
  for (const [window, value] of Object.entries(inForce)) {
    bounds[window] = window === 'maxHoldback' ? value : { min: 1, max: value.max };
  }
  return bounds;
}

/**
 * A merchant policy accepting `currencies` with the shortest windows governance allows now and
 * no holdback or loyalty share: confirmed, an order pays the merchant in full (less the fee).
 */
export async function shortestPolicy(api, currencies) {
  const bounds = (await api.query.orders.policyBoundsInForce()).toJSON();
  return {
    currencies,
    shipWithin: bounds.shipWithin.min,
    autoConfirmAfter: bounds.autoConfirmAfter.min,
    refundResponseWithin: bounds.refundResponseWithin.min,
    returnWindow: bounds.returnWindow.min,
    afterSalesWindow: bounds.afterSalesWindow.min,
    holdback: 0,
    loyaltyShare: 0,
  };
}

/** The name `section.Name` of a `DispatchError` (a module error's, or the variant's). */
export function errorName(api, dispatchError) {
  if (dispatchError.isModule) {
    const { section, name } = api.registry.findMetaError(dispatchError.asModule);
    return `${section}.${name}`;
  }
  return dispatchError.type === 'Other' ? dispatchError.toString() : dispatchError.type;
}

/**
 * Sends `call` through `sudo.sudo` from `signer` (the sudo key); resolves like `submit`, and
 * rejects with an Error named after the call's own error (e.g. `disputes.CompensationAboveCap`)
 * if the call failed inside sudo (sudo itself succeeds then, and the error would be missed).
 */
export async function sudo(api, call, signer) {
  const result = await submit(api, api.tx.sudo.sudo(call), signer);
  const sudid = theEvent(result.events, 'sudo.Sudid');
  if (sudid.data.sudoResult.isErr) {
    const error = new Error(errorName(api, sudid.data.sudoResult.asErr));
    error.events = result.events;
    error.blockHash = result.blockHash;
    throw error;
  }
  return result;
}

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

/**
 * Sends `tx` from `signer` (with `send`'s `options`, e.g. `assetId` to pay the fee in a
 * stablecoin); resolves with `send`'s result and the number of its block.
 */
export async function submit(api, tx, signer, options = {}) {
  const result = await send(api, tx, signer, options);
  return { ...result, number: await blockNumber(api, result.blockHash) };
}
