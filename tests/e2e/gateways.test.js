// End to end: stablecoin gateways (docs/gateways.md). Starts `entrepot-node --dev` and drives
// the Gateways pallet with @polkadot/api, and with the example bank service
// (`tools/bank.js`, run as a child process for //One on a fake bank ledger in a temporary
// directory):
//
// - genesis: //One is the gateway of USDX and //Two of CNYX, each answering for the whole
//   supply of its coin, with reserves attested at block 0;
// - a fiat transfer to the bank becomes USDX on a new customer's account (the service attests
//   the reserve, then deposits), the customer pays an order with it, and the merchant (Bob)
//   withdraws: the service starts the request, pays it on the ledger and completes it, which
//   burns the coins;
// - the service is killed between a payout and its completion: restarted, it completes the
//   request without paying it again, and a second restart does nothing;
// - refused deposits, requests and steps (each with its error, nothing moved), cancellation
//   after the timeout, refunds and failures, destinations.
//
// The money invariant is checked after each test: for each stablecoin, its supply is the sum of
// its gateways' outstanding, and the keyless gateways account (`ent/gate`) holds exactly the
// amounts of the open withdrawal requests. While the service runs, nothing else signs with
// //One (two senders would race for its nonces), and the test writes the ledger only while no
// payout can be under way (the service rewrites it when it pays).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import {
  mkdtempSync, readFileSync, writeFileSync, renameSync, rmSync, appendFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { blake2AsHex, mnemonicGenerate, randomAsHex } from '@polkadot/util-crypto';
import { waitForEvent } from './lib/node.js';
import {
  devChain, shortestPolicy, submit as submitTx, sudo as sudoTx, theEvent,
} from './lib/chain.js';

const USDX = 1;
const CNYX = 2;
const USDX_CUR = { WithId: USDX };
const UNITS = 10n ** 12n; // one ENT
const STABLE = 1_000_000n; // one USDX (6 decimals)
const GENESIS_LIMITS = {
  perDeposit: 100_000n * STABLE,
  perDay: 1_000_000n * STABLE,
  outstanding: 1_000_000_000n * STABLE,
};
const DAY = 86_400; // blocks of 1 s
const ZERO_HASH = `0x${'00'.repeat(32)}`;
const BANK = fileURLToPath(new URL('./tools/bank.js', import.meta.url));
// Bob's bank account, which //One verified off chain: only its hash goes on chain.
const BOB_DESTINATION = blake2AsHex('FR76 3000 6000 0112 3456 7890 189, Bob');
// The bank's id of the customer's fiat transfer, and the deposit reference the service derives.
const FIAT_ID = 'fiat-0001';
const FIAT_REFERENCE = blake2AsHex(`incoming:${FIAT_ID}`);

const TIMEOUT = { timeout: 120_000 };
const BANK_TIMEOUT = { timeout: 180_000 };

let chain;
let api;
let alice; // sudo
let bob; // the merchant, who withdraws
let charlie; // a bystander
let one; // //One, the gateway of USDX
let two; // //Two, the gateway of CNYX
let gatewaysAccount; // the keyless gateways account, PalletId(*b"ent/gate")
let minBalance; // USDX's minimum balance
let dir; // the bank's files
let ledgerPath;
let statePath;
const banks = new Set(); // the bank services running

const big = (codec) => codec.toBigInt();
const submit = (tx, signer) => submitTx(api, tx, signer);
const sudo = (call) => sudoTx(api, call, alice);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const bestNumber = async () => (await api.rpc.chain.getHeader()).number.toNumber();

/** Waits until the best block is at least `n`. */
async function untilBlock(n) {
  while ((await bestNumber()) < n) await sleep(250);
}

/** Rejects after `ms` unless `promise` settled first. */
const within = (promise, ms, what) => Promise.race([promise, new Promise((_, reject) => {
  setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms).unref();
})]);

// ---- Chain state ------------------------------------------------------------------------------

/** The API at block `hash`, or at the best block. */
const atBlock = async (hash) => api.at(hash ?? await api.rpc.chain.getBlockHash());

/** `address`'s balance of `asset` after block `hash` (the best block if none). */
async function balance(address, hash, asset = USDX) {
  const account = await (await atBlock(hash)).query.assets.account(asset, address);
  return account.isSome ? big(account.unwrap().balance) : 0n;
}

/** The supply of `asset` after block `hash`. */
async function supply(hash, asset = USDX) {
  return big((await (await atBlock(hash)).query.assets.asset(asset)).unwrap().supply);
}

/** What the gateways account holds of `asset` after block `hash`, free and on hold. */
async function heldByGateways(hash, asset = USDX) {
  const at = await atBlock(hash);
  const account = await at.query.assets.account(asset, gatewaysAccount);
  const held = await at.query.assetsHolder.balancesOnHold(asset, gatewaysAccount);
  return (account.isSome ? big(account.unwrap().balance) : 0n) +
    (held.isSome ? big(held.unwrap()) : 0n);
}

/** The gateway record of `address` after block `hash`. */
async function gateway(address, hash) {
  return (await (await atBlock(hash)).query.gateways.gateways(address)).unwrap();
}

/** How block `hash` changed what `read(hash)` reads: its value there minus in the parent. */
async function change(hash, read) {
  const { parentHash } = await api.rpc.chain.getHeader(hash);
  return (await read(hash)) - (await read(parentHash));
}

const limitsOf = (limits) => ({ perDeposit: big(limits.perDeposit), perDay: big(limits.perDay),
  outstanding: big(limits.outstanding) });

/** The ids of `address`'s open requests after block `hash`, in storage and by the runtime API. */
async function openIds(address, hash) {
  const at = await atBlock(hash);
  const stored = (await at.query.gateways.withdrawalsOf(address)).map((id) => id.toNumber());
  const listed = (await at.call.gatewaysApi.withdrawalsOf(address)).map(([id]) => id.toNumber());
  assert.deepEqual(listed, stored, 'gatewaysApi.withdrawalsOf agrees with storage');
  return stored;
}

/** The money a refused call must not move, at the best block. */
async function snapshot() {
  const hash = await api.rpc.chain.getBlockHash();
  const info = await gateway(one.address, hash);
  return {
    usdxSupply: await supply(hash),
    cnyxSupply: await supply(hash, CNYX),
    outstanding: big(info.outstanding),
    mintedInWindow: big(info.mintedInWindow),
    bob: await balance(bob.address, hash),
    charlie: await balance(charlie.address, hash),
    gateways: await heldByGateways(hash),
    nextWithdrawalId: big(await (await atBlock(hash)).query.gateways.nextWithdrawalId()),
  };
}

/**
 * The money invariant at the best block, for each stablecoin: its supply equals the sum of its
 * gateways' outstanding (and `reserves()` says so), and the gateways account holds exactly the
 * amounts of its open withdrawal requests.
 */
async function assertBooks(label) {
  const at = await atBlock();
  const gateways = await at.call.gatewaysApi.gateways();
  const open = (await at.query.gateways.withdrawals.entries()).map(([, w]) => w.unwrap());
  const reserves = await at.call.gatewaysApi.reserves();
  assert.deepEqual(reserves.map((r) => r.asset.toNumber()).sort((a, b) => a - b), [USDX, CNYX]);
  for (const r of reserves) {
    const asset = r.asset.toNumber();
    const total = big((await at.query.assets.asset(asset)).unwrap().supply);
    const outstanding = gateways.filter(([, g]) => g.asset.toNumber() === asset)
      .reduce((sum, [, g]) => sum + big(g.outstanding), 0n);
    assert.equal(big(r.supply), total, `${label}: reserves().supply of asset ${asset}`);
    assert.equal(big(r.outstanding), outstanding, `${label}: reserves().outstanding of ${asset}`);
    assert.equal(outstanding, total,
      `${label}: the supply of ${asset} is its gateways' outstanding`);
    const pending = open.filter((w) => w.asset.toNumber() === asset)
      .reduce((sum, w) => sum + big(w.amount), 0n);
    assert.equal(await heldByGateways(undefined, asset), pending,
      `${label}: the gateways account holds the open requests of ${asset}`);
  }
}

// ---- Transactions -----------------------------------------------------------------------------

/**
 * Sends `tx` from `signer` expecting it to be refused with the error `name` (e.g.
 * `gateways.NotAGateway`) in a block.
 */
async function refused(tx, signer, name) {
  const error = await submit(tx, signer).then(
    () => assert.fail(`expected ${name}, the transaction succeeded`), (e) => e);
  assert.equal(error.message, name);
  assert.ok(error.blockHash, `${name}: refused in a block`);
}

/** The first `gateways.<method>` event from block `from` on whose data `match` accepts. */
function gatewayEvent(method, match, from, timeoutMs = 90_000) {
  return waitForEvent(api, {
    from,
    match: (ev) => ev.section === 'gateways' && ev.method === method && match(ev.data),
    timeoutMs,
  });
}

/** Bob asks //One for `amount` USDX to his registered destination; returns the id and block. */
async function request(amount, who = bob) {
  const result = await submit(api.tx.gateways.requestWithdrawal(one.address, amount,
    BOB_DESTINATION), who);
  const requested = theEvent(result.events, 'gateways.WithdrawalRequested').data;
  return { ...result, id: requested.id.toNumber(), event: requested };
}

// ---- The bank service -------------------------------------------------------------------------

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const readLedger = () => readJson(ledgerPath);

/** Writes the ledger as the bank's other systems would: atomically. */
function writeLedger(ledger) {
  writeFileSync(`${ledgerPath}.test.tmp`, `${JSON.stringify(ledger, null, 2)}\n`);
  renameSync(`${ledgerPath}.test.tmp`, ledgerPath);
}

/**
 * The first line of `bank`'s output matching `pattern` (its match); fails after `ms`, or as soon
 * as the service ended without writing one.
 */
async function waitForLine(bank, pattern, ms = 60_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const line = bank.lines.find((l) => pattern.test(l));
    if (line) return line.match(pattern);
    if (bank.ended || Date.now() > deadline) {
      throw new Error(`the bank service ${bank.ended ? 'ended' : 'wrote nothing'} matching ` +
        `${pattern}; its last lines:\n${bank.lines.slice(-20).join('\n')}`);
    }
    await sleep(200);
  }
}

/**
 * Starts the bank service for //One on the test's ledger and state files, with `args` added;
 * resolves once it has reconciled and follows the finalized blocks. Its output lines collect
 * in `lines` (and in bank.log beside the ledger); `exited` resolves with { code, signal }.
 */
async function startBank(args = []) {
  const child = spawn(process.execPath, [BANK, '--ws', chain.node.wsUrl, '--gateway', '//One',
    '--ledger', ledgerPath, '--state', statePath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const bank = { child, lines: [], ended: false };
  const keep = (line) => {
    bank.lines.push(line);
    appendFileSync(join(dir, 'bank.log'), `${line}\n`);
  };
  createInterface({ input: child.stdout }).on('line', keep);
  createInterface({ input: child.stderr }).on('line', (line) => keep(`stderr: ${line}`));
  // 'close' comes once the process ended and its output was read.
  bank.exited = new Promise((resolve) => child.on('close', (code, signal) => {
    bank.ended = true;
    resolve({ code, signal });
  }));
  banks.add(bank);
  await waitForLine(bank, /following finalized blocks from #(\d+)/);
  return bank;
}

/** Stops `bank` (SIGTERM: whenever it stops, its files are whole) and waits for its end. */
async function stopBank(bank) {
  if (!bank.ended) bank.child.kill('SIGTERM');
  const exit = await bank.exited;
  banks.delete(bank);
  return exit;
}

// ---- Set-up -----------------------------------------------------------------------------------

before(async () => {
  chain = await devChain({ name: 'gateways', pallets: ['gateways', 'orders'] });
  ({ api, gateways: gatewaysAccount } = chain);
  ({ alice, bob, charlie } = chain.accounts);
  one = chain.keyring.addFromUri('//One');
  two = chain.keyring.addFromUri('//Two');
  minBalance = big((await api.query.assets.asset(USDX)).unwrap().minBalance);
  dir = mkdtempSync(join(tmpdir(), 'entrepot-bank-'));
  ledgerPath = join(dir, 'ledger.json');
  statePath = join(dir, 'bank-state.json');
}, { timeout: 180_000 });

after(async () => {
  for (const bank of banks) {
    bank.child.kill('SIGKILL');
    await bank.exited;
  }
  await chain?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// ---- Tests ------------------------------------------------------------------------------------

test('genesis: //One is the gateway of USDX and //Two of CNYX, active, each answering for the ' +
  'whole supply of its coin, with reserves attested at block 0', TIMEOUT, async () => {
    const hash = await api.rpc.chain.getBlockHash(0);
    const at = await api.at(hash);
    const listed = await at.call.gatewaysApi.gateways();
    assert.equal(listed.length, 2, 'two gateways');
    for (const [signer, asset] of [[one, USDX], [two, CNYX]]) {
      const [, info] = listed.find(([who]) => who.eq(signer.address)) ?? [];
      assert.ok(info, `the gateway of asset ${asset} is listed`);
      assert.equal(info.asset.toNumber(), asset);
      assert.equal(info.status.type, 'Active');
      assert.deepEqual(limitsOf(info.limits), GENESIS_LIMITS);
      const total = await supply(hash, asset);
      assert.ok(total > 0n);
      assert.equal(big(info.outstanding), total, 'the whole genesis supply is the gateway\'s');
      assert.equal(big(info.mintedInWindow), 0n);
      const attestation = info.attestation.unwrap();
      assert.equal(big(attestation.amount), total, 'reserves attested: the whole supply');
      assert.equal(attestation.document.toHex(), ZERO_HASH);
      assert.equal(attestation.at.toNumber(), 0);
      assert.equal((await at.query.gateways.gateways(signer.address)).unwrap().toHex(),
        info.toHex(), 'storage and the runtime API agree');
    }
    const reserves = await at.call.gatewaysApi.reserves();
    assert.deepEqual(reserves.map((r) => r.asset.toNumber()).sort((a, b) => a - b), [USDX, CNYX]);
    for (const r of reserves) {
      const total = await supply(hash, r.asset.toNumber());
      assert.equal(big(r.supply), total, `reserves(): supply of ${r.asset}`);
      assert.equal(big(r.outstanding), total, `reserves(): outstanding of ${r.asset}`);
      assert.ok(big(r.attested) >= total, `reserves(): attested of ${r.asset} covers the supply`);
      assert.equal(r.lastAttested.unwrap().toNumber(), 0);
    }
    const params = await at.call.gatewaysApi.params();
    assert.equal(params.withdrawalTimeout.toNumber(), DAY);
    assert.equal(params.maxAttestationAge.toNumber(), DAY);
    assert.equal(big(await at.query.gateways.nextWithdrawalId()), 0n);
    assert.ok((await at.query.gateways.gateways(bob.address)).isNone, 'Bob is no gateway');
    await assertBooks('now');
  });

test('fiat in, an order, fiat out: the bank service deposits a transfer as USDX for a new ' +
  'customer, who pays an order; the merchant withdraws, and the service pays and completes',
BANK_TIMEOUT, async () => {
  // //One verified Bob's bank details off chain and registers their hash as his destination
  // (before the service starts: it signs with //One's key too).
  const registered = await submit(api.tx.gateways.registerDestination(bob.address,
    BOB_DESTINATION), one);
  const reg = theEvent(registered.events, 'gateways.DestinationRegistered').data;
  assert.ok(reg.gateway.eq(one.address) && reg.who.eq(bob.address));
  assert.equal(reg.destination.toHex(), BOB_DESTINATION);
  assert.deepEqual((await api.query.gateways.destinations(one.address, bob.address))
    .map((d) => d.toHex()), [BOB_DESTINATION]);

  // The bank's books match the chain: its reserve is what //One answers for.
  const outstanding0 = big((await gateway(one.address)).outstanding);
  writeLedger({ reserve: String(outstanding0), incoming: [], payouts: [] });
  const bank = await startBank();

  // A new customer (a fresh key: no ENT, no USDX) wires 250 USD to the bank; the bank's other
  // systems book it as incoming and raise the reserve by as much.
  const customer = chain.keyring.addFromMnemonic(mnemonicGenerate());
  const amount = 250n * STABLE;
  const supply0 = await supply();
  const from = await bestNumber();
  writeLedger({
    reserve: String(outstanding0 + amount),
    incoming: [{ id: FIAT_ID, account: customer.address, amount: String(amount) }],
    payouts: [],
  });

  const deposited = await gatewayEvent('Deposited', (d) => d.reference.toHex() === FIAT_REFERENCE,
    from);
  const dep = deposited.event.data;
  assert.ok(dep.gateway.eq(one.address), 'Deposited: gateway');
  assert.ok(dep.beneficiary.eq(customer.address), 'Deposited: beneficiary');
  assert.equal(dep.asset.toNumber(), USDX);
  assert.equal(big(dep.amount), amount);
  // It attested the reserve, the new money included, first.
  const attested = await gatewayEvent('ReservesAttested', (d) => d.gateway.eq(one.address), from);
  assert.ok(attested.blockNumber <= deposited.blockNumber, 'attested before depositing');
  assert.equal(attested.event.data.asset.toNumber(), USDX);
  assert.equal(big(attested.event.data.amount), outstanding0 + amount);
  const info = await gateway(one.address, deposited.blockHash);
  assert.equal(big(info.outstanding), outstanding0 + amount, 'outstanding');
  assert.equal(big(info.attestation.unwrap().amount), outstanding0 + amount);
  assert.equal(info.attestation.unwrap().at.toNumber(), attested.blockNumber);
  assert.equal(await change(deposited.blockHash,
    async (h) => big((await gateway(one.address, h)).mintedInWindow)), amount,
  'counted in the day window');
  assert.equal(await supply(deposited.blockHash), supply0 + amount, 'minted');
  assert.equal(await balance(customer.address, deposited.blockHash), amount);
  const at = await api.at(deposited.blockHash);
  assert.equal((await at.query.gateways.depositReferences(one.address, FIAT_REFERENCE)).unwrap()
    .toNumber(), deposited.blockNumber, 'the reference is recorded with its block');
  assert.ok((await at.call.gatewaysApi.referenceUsed(one.address, FIAT_REFERENCE)).isTrue);
  // USDX is a sufficient asset: the account exists without ENT...
  const account = await at.query.system.account(customer.address);
  assert.equal(big(account.data.free), 0n);
  assert.equal(account.sufficients.toNumber(), 1);
  // ...but without ENT it can pay neither a fee nor an order deposit: Alice gives it 10 ENT.
  await submit(api.tx.balances.transferKeepAlive(customer.address, 10n * UNITS), alice);

  // Bob sells for USDX, at the shortest windows in force and with no holdback: confirmed, the
  // order pays him in full (less the platform fee) at once.
  await submit(api.tx.orders.registerMerchant(await shortestPolicy(api, [USDX_CUR])), bob);
  const price = 200n * STABLE;
  const placed = await submit(api.tx.orders.placeOrder(bob.address, USDX_CUR,
    [{ product: blake2AsHex('gateways: a teapot'), quantity: 1, unitPrice: price }], 0,
    blake2AsHex('gateways: order note'), null, 'Escrow', randomAsHex(32)), customer);
  const orderId = theEvent(placed.events, 'orders.OrderPlaced').data.orderId.toNumber();
  await submit(api.tx.orders.markShipped(orderId, blake2AsHex('gateways: tracking')), bob);
  const confirmed = await submit(api.tx.orders.confirmReceipt(orderId), customer);
  const paid = theEvent(confirmed.events, 'orders.MerchantPaid', orderId);
  assert.equal(big(paid.data.holdback), 0n);
  const net = big(paid.data.net);
  assert.equal(net + big(paid.data.fee), price);
  assert.equal(await change(confirmed.blockHash, (h) => balance(bob.address, h)), net,
    'Bob was paid in USDX');
  assert.equal(await balance(customer.address, confirmed.blockHash), amount - price);

  // Bob withdraws 150 USDX: the coins leave him at once for the gateways account.
  const out = 150n * STABLE;
  const held0 = await heldByGateways();
  const requested = await request(out);
  const { id } = requested;
  assert.ok(requested.event.gateway.eq(one.address) && requested.event.who.eq(bob.address));
  assert.equal(requested.event.asset.toNumber(), USDX);
  assert.equal(big(requested.event.amount), out);
  assert.equal(requested.event.destination.toHex(), BOB_DESTINATION);
  assert.equal(await change(requested.blockHash, (h) => balance(bob.address, h)), -out,
    'the coins left Bob');
  assert.equal(await heldByGateways(requested.blockHash), held0 + out,
    'the gateways account holds them');
  const open = (await (await api.at(requested.blockHash)).call.gatewaysApi.withdrawal(id)).unwrap();
  assert.equal(open.status.type, 'Requested');
  assert.equal(open.since.toNumber(), requested.number);
  assert.ok(open.who.eq(bob.address) && open.gateway.eq(one.address));
  assert.equal(big(open.amount), out);
  assert.deepEqual(await openIds(bob.address, requested.blockHash), [id]);
  const bobRequested = await balance(bob.address, requested.blockHash);
  const supplyRequested = await supply(requested.blockHash);

  // The service starts it once the request is final, pays it once Processing is final, and
  // completes it.
  const completed = await gatewayEvent('WithdrawalCompleted', (d) => d.id.toNumber() === id,
    requested.number);
  const processing = await gatewayEvent('WithdrawalProcessing', (d) => d.id.toNumber() === id,
    requested.number);
  assert.ok(processing.event.data.gateway.eq(one.address));
  assert.ok(processing.blockNumber < completed.blockNumber, 'started, then completed');
  const done = completed.event.data;
  assert.ok(done.gateway.eq(one.address) && done.who.eq(bob.address));
  assert.equal(done.asset.toNumber(), USDX);
  assert.equal(big(done.amount), out);
  const ledger = readLedger();
  const payouts = ledger.payouts.filter((p) => p.withdrawalId === String(id));
  const record = { withdrawalId: String(id), destination: BOB_DESTINATION, amount: String(out) };
  assert.deepEqual(payouts, [{ ...record, payout: done.payout.toHex() }], 'one payout, on chain');
  assert.equal(done.payout.toHex(), blake2AsHex(JSON.stringify(record)),
    'the payout hash is the hash of the payout record');
  assert.equal(BigInt(ledger.reserve), outstanding0 + amount - out, 'the reserve paid it');
  assert.equal(await change(completed.blockHash, supply), -out, 'the completion burnt the coins');
  assert.equal(await supply(completed.blockHash), supplyRequested - out);
  assert.equal(await supply(completed.blockHash), supply0 + amount - out);
  assert.equal(await balance(bob.address, completed.blockHash), bobRequested,
    'Bob: 150 USDX less than before the request, to the unit');
  assert.equal(await heldByGateways(completed.blockHash), held0);
  assert.equal(big((await gateway(one.address, completed.blockHash)).outstanding),
    outstanding0 + amount - out);
  const after = await api.at(completed.blockHash);
  assert.ok((await after.query.gateways.withdrawals(id)).isNone, 'the request is gone');
  assert.ok((await after.call.gatewaysApi.withdrawal(id)).isNone);
  assert.deepEqual(await openIds(bob.address, completed.blockHash), []);
  const [usdx] = (await after.call.gatewaysApi.reserves())
    .filter((r) => r.asset.toNumber() === USDX);
  assert.equal(big(usdx.supply), big(usdx.outstanding));
  assert.ok(big(usdx.attested) >= big(usdx.supply), 'the attested reserve covers the supply');

  await stopBank(bank);
  await assertBooks('after the withdrawal');
});

test('the bank service killed between a payout and its completion: restarted, it completes ' +
  'the request without paying it again; restarted once more, it does nothing', BANK_TIMEOUT,
async () => {
  const crashing = await startBank(['--crash-after-payouts', '1']);
  const ledger0 = readLedger();
  const supply0 = await supply();
  const bob0 = await balance(bob.address);
  const amounts = [40n * STABLE, 60n * STABLE];
  const ids = [];
  let from;
  for (const amount of amounts) {
    const requested = await request(amount);
    from ??= requested.number;
    ids.push(requested.id);
  }

  const crash = await within(crashing.exited, 90_000, 'the bank service to crash');
  assert.equal(crash.signal, 'SIGKILL');
  banks.delete(crashing);
  await waitForLine(crashing, /crashing after 1 payout/);
  const ledger1 = readLedger();
  assert.equal(ledger1.payouts.length, ledger0.payouts.length + 1, 'one payout, then the crash');
  const first = ledger1.payouts.at(-1);
  const paidId = Number(first.withdrawalId);
  assert.ok(ids.includes(paidId));
  assert.equal((await api.query.gateways.withdrawals(paidId)).unwrap().status.type, 'Processing',
    'paid on the ledger, not completed on chain');

  const restarted = await startBank();
  const completions = [];
  for (const id of ids) {
    completions.push(await gatewayEvent('WithdrawalCompleted', (d) => d.id.toNumber() === id,
      from));
  }
  await stopBank(restarted);
  assert.ok(restarted.lines.some((l) => l.includes(`complete #${paidId}: in block`)),
    `the restarted service completed #${paidId}`);
  assert.ok(!restarted.lines.some((l) => l.includes(`paid #${paidId}:`)), 'without paying again');

  const ledger2 = readLedger();
  assert.equal(ledger2.payouts.length, ledger0.payouts.length + 2, 'two payouts in all');
  assert.deepEqual(ledger2.payouts.find((p) => p.withdrawalId === String(paidId)), first);
  for (const [i, id] of ids.entries()) {
    const payouts = ledger2.payouts.filter((p) => p.withdrawalId === String(id));
    assert.equal(payouts.length, 1, `one payout of #${id}`);
    assert.equal(payouts[0].amount, String(amounts[i]));
    assert.equal(payouts[0].payout, completions[i].event.data.payout.toHex());
    assert.equal(big(completions[i].event.data.amount), amounts[i]);
    assert.ok((await api.query.gateways.withdrawals(id)).isNone, `#${id} is closed`);
  }
  const total = amounts[0] + amounts[1];
  assert.equal(BigInt(ledger2.reserve), BigInt(ledger0.reserve) - total, 'the reserve paid both');
  assert.equal(await supply(), supply0 - total, 'both burnt, once');
  assert.equal(await balance(bob.address), bob0 - total);

  // Restarted again: nothing is open, every incoming transfer is deposited. It follows a few
  // finalized blocks and sends nothing, pays nothing.
  const nonce = (await api.rpc.system.accountNextIndex(one.address)).toNumber();
  const idle = await startBank();
  const [, next] = await waitForLine(idle, /following finalized blocks from #(\d+)/);
  assert.ok(idle.lines.some((l) => /reconciling at finalized #\d+: 0 open request/.test(l)));
  const deadline = Date.now() + 30_000;
  while (readJson(statePath).cursor < Number(next) + 3) {
    assert.ok(Date.now() < deadline, 'the service follows the finalized blocks');
    await sleep(250);
  }
  await stopBank(idle);
  assert.equal((await api.rpc.system.accountNextIndex(one.address)).toNumber(), nonce,
    'it sent no transaction');
  assert.deepEqual(readLedger(), ledger2, 'nor touched the ledger');
  await assertBooks('after the restarts');
});

test('deposits refused, nothing moved: not a gateway, a reference used twice, zero, above the ' +
  'deposit, day and outstanding limits, a stale attestation, a suspended gateway, beyond the ' +
  'attested reserve', { timeout: 180_000 }, async () => {
  const { outstanding, limits } = await gateway(one.address);
  assert.deepEqual(limitsOf(limits), GENESIS_LIMITS);
  // A fresh attestation of far more than any deposit below needs: each refusal has one cause.
  const ample = big(outstanding) + 200_000n * STABLE;
  const report = blake2AsHex('reserve report: ample');
  const attest = await submit(api.tx.gateways.attestReserves(ample, report), one);
  const ev = theEvent(attest.events, 'gateways.ReservesAttested').data;
  assert.ok(ev.gateway.eq(one.address));
  assert.equal(ev.asset.toNumber(), USDX);
  assert.equal(big(ev.amount), ample);
  assert.equal(ev.document.toHex(), report);
  const before = await snapshot();

  let n = 0;
  const fresh = () => blake2AsHex(`gateways test: deposit ${n += 1}`);
  const deposit = (amount, reference = fresh()) =>
    api.tx.gateways.deposit(charlie.address, amount, reference);
  await refused(deposit(STABLE), bob, 'gateways.NotAGateway');
  await refused(deposit(STABLE, FIAT_REFERENCE), one, 'gateways.DuplicateReference');
  await refused(deposit(0), one, 'gateways.ZeroAmount');
  await refused(deposit(GENESIS_LIMITS.perDeposit + 1n), one, 'gateways.AboveDepositLimit');

  // Limits lowered to a few USDX above what was minted today, then above the outstanding.
  const minted = big((await gateway(one.address)).mintedInWindow);
  const setLimits = async (changed) => {
    const set = await sudo(api.tx.gateways.setGatewayLimits(one.address,
      { ...GENESIS_LIMITS, ...changed }));
    const event = theEvent(set.events, 'gateways.GatewayLimitsSet').data;
    assert.ok(event.gateway.eq(one.address));
    assert.deepEqual(limitsOf(event.limits), { ...GENESIS_LIMITS, ...changed });
  };
  try {
    await setLimits({ perDay: minted + 5n * STABLE });
    await refused(deposit(6n * STABLE), one, 'gateways.AboveDailyLimit');
    await setLimits({ outstanding: big(outstanding) + STABLE });
    await refused(deposit(2n * STABLE), one, 'gateways.AboveOutstandingLimit');
  } finally {
    await setLimits({});
  }

  // Attestations older than 2 blocks are stale.
  const params = (await api.call.gatewaysApi.params()).toJSON();
  try {
    const set = await sudo(api.tx.gateways.setParams({ ...params, maxAttestationAge: 2 }));
    assert.equal(theEvent(set.events, 'gateways.ParamsSet').data.params.maxAttestationAge
      .toNumber(), 2);
    await untilBlock(attest.number + 3);
    await refused(deposit(STABLE), one, 'gateways.ReservesStale');
  } finally {
    await sudo(api.tx.gateways.setParams(params));
  }

  const suspended = await sudo(api.tx.gateways.suspendGateway(one.address));
  assert.ok(theEvent(suspended.events, 'gateways.GatewaySuspended').data.gateway.eq(one.address));
  assert.equal((await gateway(one.address)).status.type, 'Suspended');
  try {
    await refused(deposit(STABLE), one, 'gateways.GatewaySuspended');
  } finally {
    const resumed = await sudo(api.tx.gateways.resumeGateway(one.address));
    assert.ok(theEvent(resumed.events, 'gateways.GatewayResumed').data.gateway.eq(one.address));
  }
  assert.equal((await gateway(one.address)).status.type, 'Active');

  // A reserve of exactly the outstanding leaves no room for one more unit.
  await submit(api.tx.gateways.attestReserves(outstanding, blake2AsHex('reserve report: exact')),
    one);
  await refused(deposit(STABLE), one, 'gateways.ReservesBelowSupply');
  assert.deepEqual(await snapshot(), before, 'nothing moved');

  // With one more USDX in the reserve, one more USDX can be deposited.
  await submit(api.tx.gateways.attestReserves(big(outstanding) + STABLE,
    blake2AsHex('reserve report: one more')), one);
  const reference = fresh();
  const ok = await submit(deposit(STABLE, reference), one);
  assert.equal(theEvent(ok.events, 'gateways.Deposited').data.reference.toHex(), reference);
  assert.equal(await change(ok.blockHash, (h) => balance(charlie.address, h)), STABLE);
  assert.equal(await change(ok.blockHash, supply), STABLE);
  await assertBooks('after the refused deposits');
});

test('withdrawal requests refused, nothing moved: an unregistered destination, another ' +
  'account\'s or gateway\'s, more than the balance, below the minimum, not a gateway, a ' +
  'suspended gateway', TIMEOUT, async () => {
    const before = await snapshot();
    const ask = (gatewayAddress, amount, destination) =>
      api.tx.gateways.requestWithdrawal(gatewayAddress, amount, destination);
    const five = 5n * STABLE;
    await refused(ask(one.address, five, blake2AsHex('an account //One never verified')), bob,
      'gateways.DestinationNotRegistered');
    await refused(ask(one.address, five, BOB_DESTINATION), charlie,
      'gateways.DestinationNotRegistered');
    // Bob's destination is registered with //One, not with //Two (of CNYX, which Bob holds).
    await refused(ask(two.address, five, BOB_DESTINATION), bob,
      'gateways.DestinationNotRegistered');
    await refused(ask(one.address, before.bob + 1n, BOB_DESTINATION), bob,
      'gateways.InsufficientBalance');
    await refused(ask(one.address, minBalance - 1n, BOB_DESTINATION), bob, 'gateways.BelowMinimum');
    await refused(ask(charlie.address, five, BOB_DESTINATION), bob, 'gateways.NotAGateway');

    await sudo(api.tx.gateways.suspendGateway(one.address));
    try {
      await refused(ask(one.address, five, BOB_DESTINATION), bob, 'gateways.GatewaySuspended');
    } finally {
      await sudo(api.tx.gateways.resumeGateway(one.address));
    }
    assert.deepEqual(await snapshot(), before, 'nothing moved');
    await assertBooks('after the refused requests');
  });

test('an open request: another gateway, an out-of-order step, an early cancel and a stranger ' +
  'are refused; untouched for withdrawalTimeout blocks, its account cancels it and gets the ' +
  'coins back in full; one the gateway took up only governance returns', TIMEOUT, async () => {
    const requested = await request(5n * STABLE);
    const { id } = requested;
    const open = await snapshot();
    await refused(api.tx.gateways.startWithdrawal(id), two, 'gateways.NotYourGateway');
    await refused(api.tx.gateways.refundWithdrawal(id, 'not mine'), two,
      'gateways.NotYourGateway');
    await refused(api.tx.gateways.completeWithdrawal(id, blake2AsHex('no payout')), one,
      'gateways.WrongStatus');
    await refused(api.tx.gateways.cancelWithdrawal(id), bob, 'gateways.NotYetCancellable');
    await refused(api.tx.gateways.startWithdrawal(1_000_000), one, 'gateways.UnknownWithdrawal');
    assert.deepEqual(await snapshot(), open, 'nothing moved');
    const still = (await api.call.gatewaysApi.withdrawal(id)).unwrap();
    assert.equal(still.status.type, 'Requested');
    assert.equal(still.since.toNumber(), requested.number, 'refusals are no status change');

    // A second request, which //One starts and then leaves.
    const second = await request(7n * STABLE);
    const started = await submit(api.tx.gateways.startWithdrawal(second.id), one);
    const processing = theEvent(started.events, 'gateways.WithdrawalProcessing').data;
    assert.equal(processing.id.toNumber(), second.id);
    assert.ok(processing.gateway.eq(one.address));
    const w = (await api.query.gateways.withdrawals(second.id)).unwrap();
    assert.equal(w.status.type, 'Processing');
    assert.equal(w.since.toNumber(), started.number);
    await refused(api.tx.gateways.startWithdrawal(second.id), one, 'gateways.WrongStatus');

    const params = (await api.call.gatewaysApi.params()).toJSON();
    try {
      const set = await sudo(api.tx.gateways.setParams({ ...params, withdrawalTimeout: 3 }));
      assert.equal(theEvent(set.events, 'gateways.ParamsSet').data.params.withdrawalTimeout
        .toNumber(), 3);
      await untilBlock(started.number + 3);
      // Cancellable now, but only by its account.
      await refused(api.tx.gateways.cancelWithdrawal(id), charlie, 'gateways.NotYourWithdrawal');
      // Taken up, the request may be being paid: its account cannot cancel it.
      await refused(api.tx.gateways.cancelWithdrawal(second.id), bob, 'gateways.WrongStatus');
      const cancelled = await submit(api.tx.gateways.cancelWithdrawal(id), bob);
      const ev = theEvent(cancelled.events, 'gateways.WithdrawalCancelled').data;
      assert.equal(ev.id.toNumber(), id);
      assert.ok(ev.gateway.eq(one.address) && ev.who.eq(bob.address));
      assert.equal(ev.asset.toNumber(), USDX);
      assert.equal(big(ev.amount), 5n * STABLE);
      assert.equal(await change(cancelled.blockHash, (h) => balance(bob.address, h)),
        5n * STABLE, 'the coins back in full');
      assert.equal(await change(cancelled.blockHash, heldByGateways), -5n * STABLE);
      assert.ok((await api.query.gateways.withdrawals(id)).isNone);
      // Governance returns the one the gateway left in Processing.
      const returned = await sudo(api.tx.gateways.forceRefundWithdrawal(second.id,
        'gateway stalled'));
      const refunded = theEvent(returned.events, 'gateways.WithdrawalRefunded').data;
      assert.equal(refunded.id.toNumber(), second.id);
      assert.equal(big(refunded.amount), 7n * STABLE);
      assert.equal(await change(returned.blockHash, (h) => balance(bob.address, h)),
        7n * STABLE, 'the coins back in full');
      assert.ok((await api.query.gateways.withdrawals(second.id)).isNone);
    } finally {
      await sudo(api.tx.gateways.setParams(params));
    }
    assert.deepEqual(await openIds(bob.address), []);
    assert.equal(await supply(), open.usdxSupply, 'nothing burnt');
    await assertBooks('after the cancellations');
  });

test('the gateway refunds a request or fails one it started, with a reason: the coins go back ' +
  'to the account; suspended, it still does, but takes no new request', TIMEOUT, async () => {
    const supply0 = await supply();
    const first = await request(11n * STABLE);
    const second = await request(13n * STABLE);
    await submit(api.tx.gateways.startWithdrawal(second.id), one);

    await sudo(api.tx.gateways.suspendGateway(one.address));
    try {
      await refused(api.tx.gateways.requestWithdrawal(one.address, 5n * STABLE, BOB_DESTINATION),
        bob, 'gateways.GatewaySuspended');
      const cases = [
        [first, 11n * STABLE, 'refundWithdrawal', 'WithdrawalRefunded', 'account closed'],
        [second, 13n * STABLE, 'failWithdrawal', 'WithdrawalFailed', 'rejected by the bank'],
      ];
      for (const [{ id }, amount, call, event, reason] of cases) {
        const result = await submit(api.tx.gateways[call](id, reason), one);
        const ev = theEvent(result.events, `gateways.${event}`).data;
        assert.equal(ev.id.toNumber(), id);
        assert.ok(ev.gateway.eq(one.address) && ev.who.eq(bob.address));
        assert.equal(ev.asset.toNumber(), USDX);
        assert.equal(big(ev.amount), amount);
        assert.equal(ev.reason.toUtf8(), reason);
        assert.equal(await change(result.blockHash, (h) => balance(bob.address, h)), amount,
          `${call}: the coins back in full`);
        assert.equal(await change(result.blockHash, heldByGateways), -amount);
        assert.ok((await api.query.gateways.withdrawals(id)).isNone);
      }
    } finally {
      await sudo(api.tx.gateways.resumeGateway(one.address));
    }
    assert.deepEqual(await openIds(bob.address), []);
    assert.equal(await supply(), supply0, 'nothing burnt');
    await assertBooks('after the refund and the failure');
  });

test('destinations: only the gateway registers them, each once, at most 4 per account; the ' +
  'account or the gateway removes one', TIMEOUT, async () => {
    const dests = [1, 2, 3, 4, 5].map((i) => blake2AsHex(`Charlie's bank account ${i}`));
    const register = (destination) =>
      api.tx.gateways.registerDestination(charlie.address, destination);
    const registered = async () => (await api.query.gateways.destinations(one.address,
      charlie.address)).map((d) => d.toHex()).sort();
    await refused(register(dests[0]), charlie, 'gateways.NotAGateway');
    await submit(register(dests[0]), one);
    await submit(register(dests[1]), one);
    await refused(register(dests[0]), one, 'gateways.DestinationAlreadyRegistered');
    await submit(register(dests[2]), one);
    await submit(register(dests[3]), one);
    await refused(register(dests[4]), one, 'gateways.TooManyDestinations');
    assert.deepEqual(await registered(), dests.slice(0, 4).sort());

    const remove = (destination) =>
      api.tx.gateways.removeDestination(one.address, charlie.address, destination);
    const byCharlie = await submit(remove(dests[0]), charlie);
    const ev = theEvent(byCharlie.events, 'gateways.DestinationRemoved').data;
    assert.ok(ev.gateway.eq(one.address) && ev.who.eq(charlie.address));
    assert.equal(ev.destination.toHex(), dests[0]);
    await submit(remove(dests[1]), one);
    await assert.rejects(submit(remove(dests[2]), bob), /BadOrigin/, 'nobody else removes one');
    assert.deepEqual(await registered(), dests.slice(2, 4).sort());
    await refused(api.tx.gateways.requestWithdrawal(one.address, 5n * STABLE, dests[0]), charlie,
      'gateways.DestinationNotRegistered');
    // Room again for a fourth.
    await submit(register(dests[4]), one);
    assert.deepEqual(await registered(), dests.slice(2).sort());
  });
