// End to end: the foundation. Starts `entrepot-node --dev` on free loopback ports and checks,
// with @polkadot/api, what a merchant's wallet and an integrator rely on.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { blake2AsHex } from '@polkadot/util-crypto';
import { send, startNode } from './lib/node.js';
import { devChain, palletAccount, sudo, theEvent } from './lib/chain.js';

const UNITS = 10n ** 12n;
const ED = 10n ** 9n; // ENT existential deposit
const USDX = 1;
const CNYX = 2;
const STABLECOIN_UNIT = 10n ** 6n;
const STABLECOIN_MIN_BALANCE = STABLECOIN_UNIT / 100n; // 0.01

let chain;
let node;
let api;
let alice;
let bob;

before(async () => {
  chain = await devChain();
  ({ node, api } = chain);
  ({ alice, bob } = chain.accounts);
});

after(async () => {
  await chain?.stop();
});

test('chain properties advertise ENT, 12 decimals and the runtime SS58 prefix', async () => {
  const props = await api.rpc.system.properties();
  assert.deepEqual(props.tokenSymbol.unwrap().toJSON(), ['ENT']);
  assert.deepEqual(props.tokenDecimals.unwrap().toJSON(), [12]);
  const runtimePrefix = api.consts.system.ss58Prefix.toNumber();
  assert.equal(props.ss58Format.unwrap().toNumber(), runtimePrefix);
  assert.equal(api.registry.chainSS58, runtimePrefix);
  assert.equal((await api.rpc.system.chain()).toString(), 'Entrepot Development');
});

test('metadata v15 and v16 are served and list the foundation pallets', async () => {
  const versions = (await api.call.metadata.metadataVersions()).map((v) => v.toNumber());
  assert.ok(versions.includes(15) && versions.includes(16), `versions ${versions}`);
  const pallets = api.runtimeMetadata.asLatest.pallets.map((p) => p.name.toString());
  for (const name of ['System', 'Timestamp', 'Utility', 'Aura', 'Grandpa', 'Balances',
    'TransactionPayment', 'Assets', 'Sudo']) {
    assert.ok(pallets.includes(name), `${name} missing from ${pallets}`);
  }
});

test('RPC offers system_accountNextIndex and payment_queryInfo', async () => {
  const { methods } = (await api.rpc.rpc.methods()).toJSON();
  assert.ok(methods.includes('system_accountNextIndex'));
  assert.ok(methods.includes('payment_queryInfo'));
  const next = await api.rpc.system.accountNextIndex(alice.address);
  assert.ok(next.toNumber() >= 0);
});

test('a transfer fee estimate is a small fraction of an ENT', async () => {
  const tx = api.tx.balances.transferKeepAlive(bob.address, 20n * UNITS);
  const info = await tx.paymentInfo(alice);
  const fee = info.partialFee.toBigInt();
  assert.ok(fee > 0n, 'fee is positive');
  assert.ok(fee < UNITS / 100n, `fee ${fee} should be under 0.01 ENT`);
});

test('a signed ENT transfer from Alice is included, finalized and credited', async (t) => {
  const amount = 12_345n * UNITS / 1000n;
  const before = (await api.query.system.account(bob.address)).data.free.toBigInt();
  const tx = api.tx.balances.transferKeepAlive(bob.address, amount);

  const submitted = Date.now();
  let includedAt;
  let inBlockHash;
  const finalized = await new Promise((resolve, reject) => {
    let unsub = () => {};
    const timer = setTimeout(() => { unsub(); reject(new Error('not finalized within 60 s')); },
      60_000);
    tx.signAndSend(alice, (result) => {
      if (result.dispatchError || result.status.isInvalid || result.status.isDropped) {
        clearTimeout(timer); unsub();
        reject(new Error(`transfer failed: ${result.status.type}`));
      } else if (result.status.isInBlock) {
        includedAt = Date.now();
        inBlockHash = result.status.asInBlock;
      } else if (result.status.isFinalized) {
        clearTimeout(timer); unsub();
        resolve(result);
      }
    }).then((u) => { unsub = u; }, reject);
  });
  const finalizedAt = Date.now();
  t.diagnostic(`submission to inclusion: ${includedAt - submitted} ms; ` +
    `submission to finalization: ${finalizedAt - submitted} ms`);

  assert.ok(inBlockHash, 'the transfer was seen in a block before finality');
  // One-second blocks, GRANDPA voting on the best block: final within a few seconds.
  assert.ok(finalizedAt - submitted < 6000,
    `finalized ${finalizedAt - submitted} ms after submission`);
  assert.equal(finalized.status.asFinalized.toHex(), inBlockHash.toHex(),
    'the block that included it is the one finalized');
  const transfer = finalized.events.find(({ event }) => api.events.balances.Transfer.is(event));
  assert.ok(transfer, 'Transfer event emitted');
  assert.equal(transfer.event.data.amount.toBigInt(), amount);
  const after = (await api.query.system.account(bob.address)).data.free.toBigInt();
  assert.equal(after - before, amount);
});

test('the platform, escrow and disputes accounts exist from genesis with the minimum of ENT, ' +
  'USDX and CNYX; the platform keeps a float of each stablecoin and seeded the pools', async () => {
    const at = await api.at(await api.rpc.chain.getBlockHash(0));
    // The platform's float pays refunds converted back at the rate a customer paid.
    const float = { [USDX]: 100_000n * 1_000_000n, [CNYX]: 700_000n * 1_000_000n };
    for (const id of ['ent/plat', 'ent/escr', 'ent/disp']) {
      const address = palletAccount(api, id);
      const { data } = await at.query.system.account(address);
      assert.equal(data.free.toBigInt(), ED, `${id}: ENT's existential deposit`);
      for (const asset of [USDX, CNYX]) {
        const minimum = (await at.query.assets.asset(asset)).unwrap().minBalance.toBigInt();
        assert.equal(minimum, STABLECOIN_MIN_BALANCE, `asset ${asset}: minimum balance 0.01`);
        const account = await at.query.assets.account(asset, address);
        const want = minimum + (id === 'ent/plat' ? float[asset] : 0n);
        assert.equal(account.unwrap().balance.toBigInt(), want, `${id}: balance of ${asset}`);
      }
    }
    // The genesis pools: 1 000 000 ENT : 500 000 USDX, 1 000 000 ENT : 3 500 000 CNYX and
    // 500 000 USDX : 3 500 000 CNYX (1 USDX = 2 ENT = 7 CNYX), through the runtime API.
    const ENT_UNIT = 10n ** 12n;
    const COIN = 1_000_000n;
    const reserves = async (a, b) => (await api.call.assetConversionApi.getReserves(a, b))
      .unwrap().map((x) => x.toBigInt());
    assert.deepEqual(await reserves('Native', { WithId: USDX }),
      [1_000_000n * ENT_UNIT, 500_000n * COIN]);
    assert.deepEqual(await reserves('Native', { WithId: CNYX }),
      [1_000_000n * ENT_UNIT, 3_500_000n * COIN]);
  });

test('every role of the stablecoins is the keyless gateways account\'s: Alice cannot mint, ' +
  'only a gateway sudo appointed issues, against its attested reserve', async () => {
    const { ferdie } = chain.accounts;
    const gateways = palletAccount(api, 'ent/gate');
    for (const asset of [USDX, CNYX]) {
      const details = (await api.query.assets.asset(asset)).unwrap();
      for (const role of ['owner', 'issuer', 'admin', 'freezer']) {
        assert.equal(details[role].toString(), gateways, `${role} of asset ${asset}`);
      }
    }
    const supply = async () => (await api.query.assets.asset(USDX)).unwrap().supply.toBigInt();
    const before = await supply();
    const limits = {
      perDeposit: 100n * STABLECOIN_UNIT,
      perDay: 1_000n * STABLECOIN_UNIT,
      outstanding: 10_000n * STABLECOIN_UNIT,
    };
    // Three signers at once, one block: no role to mint with, no gateway to deposit as, and
    // appointing a gateway (even oneself) is governance's.
    await Promise.all([
      assert.rejects(send(api, api.tx.assets.mint(USDX, alice.address, STABLECOIN_UNIT), alice),
        /^Error: assets\.NoPermission$/),
      assert.rejects(send(api, api.tx.gateways.deposit(bob.address, STABLECOIN_UNIT,
        blake2AsHex('no gateway')), bob), /^Error: gateways\.NotAGateway$/),
      assert.rejects(send(api, api.tx.gateways.appointGateway(ferdie.address, USDX, limits),
        ferdie), /^Error: BadOrigin$/),
    ]);
    assert.equal(await supply(), before, 'nothing minted');
    assert.ok((await api.query.gateways.gateways(ferdie.address)).isNone, 'Ferdie is no gateway');

    // Sudo appoints Ferdie gateway of USDX. A new gateway has no attestation: Ferdie attests a
    // reserve covering the deposit, then deposits against the bank record of the transfer.
    const appointed = await sudo(api,
      api.tx.gateways.appointGateway(ferdie.address, USDX, limits), alice);
    const appointment = theEvent(appointed.events, 'gateways.GatewayAppointed').data;
    assert.ok(appointment.gateway.eq(ferdie.address));
    assert.equal(appointment.asset.toNumber(), USDX);
    const amount = 5n * STABLECOIN_UNIT;
    await send(api, api.tx.gateways.attestReserves(amount, blake2AsHex('reserve report 7')),
      ferdie);
    const reference = blake2AsHex('wire 7');
    const { events } = await send(api,
      api.tx.gateways.deposit(bob.address, amount, reference), ferdie);
    const deposited = theEvent(events, 'gateways.Deposited').data;
    assert.ok(deposited.gateway.eq(ferdie.address));
    assert.equal(deposited.asset.toNumber(), USDX);
    assert.ok(deposited.beneficiary.eq(bob.address));
    assert.equal(deposited.amount.toBigInt(), amount);
    assert.equal(deposited.reference.toHex(), reference);
    assert.equal(await supply() - before, amount);
    const info = (await api.query.gateways.gateways(ferdie.address)).unwrap();
    assert.equal(info.outstanding.toBigInt(), amount, 'Ferdie answers for what he issued');
  });

test('a USDX transfer moves the stablecoin', async () => {
  const meta = await api.query.assets.metadata(USDX);
  assert.equal(meta.symbol.toUtf8(), 'USDX');
  assert.equal(meta.decimals.toNumber(), 6);
  const balanceOf = async (who) => {
    const account = await api.query.assets.account(USDX, who);
    return account.isSome ? account.unwrap().balance.toBigInt() : 0n;
  };
  const amount = 250n * STABLECOIN_UNIT;
  const [aliceBefore, bobBefore] = [await balanceOf(alice.address), await balanceOf(bob.address)];
  const { events } = await send(api, api.tx.assets.transfer(USDX, bob.address, amount), alice);
  assert.ok(events.some(({ event }) => api.events.assets.Transferred.is(event)));
  assert.equal(await balanceOf(bob.address) - bobBefore, amount);
  assert.equal(aliceBefore - await balanceOf(alice.address), amount);
});

test('a transfer of an unknown asset is refused and changes nothing', async () => {
  const before = (await api.query.system.account(bob.address)).data.free.toBigInt();
  await assert.rejects(send(api, api.tx.assets.transfer(77, bob.address, 1n), alice),
    /assets\.Unknown/);
  assert.equal((await api.query.system.account(bob.address)).data.free.toBigInt(), before);
});

test('the finalized head keeps advancing', async () => {
  const number = async () =>
    (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
  const first = await number();
  const deadline = Date.now() + 45_000;
  let now = first;
  while (now < first + 2 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 1000));
    now = await number();
  }
  assert.ok(now >= first + 2, `finalized head went from ${first} to ${now} only`);
});

test('one-second blocks: the slot is 1 s, each block is stamped within its own slot and the ' +
  'next block comes in the next slot', async () => {
    const slot = (await api.call.auraApi.slotDuration()).toNumber();
    assert.equal(slot, 1000, 'a slot of 1 s');
    assert.equal(api.consts.timestamp.minimumPeriod.toNumber() * 2, slot);
    const bestNumber = async () => (await api.rpc.chain.getHeader()).number.toNumber();
    const deadline = Date.now() + 30_000;
    while (await bestNumber() < 8 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
    }
    const best = await bestNumber();
    assert.ok(best >= 8, `blocks are authored: best ${best}`);
    const slots = [];
    for (let n = best - 6; n <= best; n += 1) {
      const at = await api.at(await api.rpc.chain.getBlockHash(n));
      const [now, current] = [(await at.query.timestamp.now()).toNumber(),
        (await at.query.aura.currentSlot()).toNumber()];
      assert.equal(Math.floor(now / slot), current, `block ${n} is stamped within its slot`);
      slots.push(current);
    }
    const gaps = slots.slice(1).map((s, i) => s - slots[i]);
    assert.ok(gaps.every((g) => g >= 1), `slots advance: ${gaps}`);
    assert.ok(gaps.filter((g) => g === 1).length >= 4, `blocks in consecutive slots: ${gaps}`);
  });

test('the node exposes Prometheus metrics', async () => {
  const res = await fetch(`http://127.0.0.1:${node.prometheusPort}/metrics`);
  assert.equal(res.status, 200);
  const body = await res.text();
  assert.match(body, /substrate_block_height\{status="finalized"/);
});

test('a node that cannot start fails fast instead of hanging', async () => {
  const started = Date.now();
  await assert.rejects(
    startNode({ args: ['--chain', '/nonexistent/entrepot-spec.json'], name: 'broken',
      timeoutMs: 60_000 }),
    /exited/,
  );
  assert.ok(Date.now() - started < 60_000);
});
