// Faults, the short run: a four-validator network (scripts/network.sh) with orders in flight
// loses one validator (finality goes on), then two (finality stops, no fork is finalized),
// gets both back (finality catches up), then three nodes are killed with SIGKILL at random
// moments and restarted on their base paths (each keeps what it had finalized and resyncs);
// the money is checked afterwards. The long run (20 kills) and its figures are in
// docs/reliability.md; both are tests/e2e/tools/faults.js.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

test('validator faults and crashes with orders in flight lose nothing and finality recovers', { timeout: 900_000 }, async () => {
  const tool = spawn(process.execPath, [path.join(here, 'tools/faults.js'), '--kills', '3', '--rate', '3',
    '--accounts', '60', '--rpc-base', '9960'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  tool.stdout.on('data', (d) => { out += d; });
  tool.stderr.on('data', (d) => { err += d; });
  const code = await new Promise((r) => tool.once('exit', r));
  const checks = err.split('\n').filter((l) => /\] (ok  |FAIL) /.test(l));
  for (const line of checks) console.log(line.replace(/^\[faults [0-9.]+s\] /, ''));
  console.log(out.trim());
  assert.equal(code, 0, `faults.js exited with ${code}:\n${err.split('\n').slice(-30).join('\n')}`);
  // Every step was checked: 2 validator-fault checks, agreement, catch-up, 2 escrow checks of
  // 2 currencies, 3 kills, the stream and issuance.
  assert.ok(checks.length >= 14, `only ${checks.length} checks ran`);
  assert.ok(checks.every((l) => l.includes('] ok ')), checks.join('\n'));
});
