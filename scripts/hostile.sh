#!/usr/bin/env bash
# The hostile-load tool: starts a loopback network (scripts/network.sh), places orders at a
# steady rate while a flood of cheap calls (remarks, transfers, transfers above the balance,
# orders to a non-merchant, transactions nobody can pay for) keeps the transaction pools full,
# and reports order latency, finality, the pools and the nodes' memory; fails if a pool went
# over its limit, a node's memory over the bound, finality stalled or an order was lost. See
# tests/e2e/tools/hostile.js; results in docs/reliability.md.
#
#   ./scripts/hostile.sh                        # 4 validators, about 12 minutes
#   ./scripts/hostile.sh --validators 1 --accounts 150 --baseline 10 --duration 30 \
#       --tip-duration 15 --after 15 --drain 0  # about the short run the tests make
#   ./scripts/hostile.sh --out hostile.json     # every measurement as JSON
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
source "$here/env.sh"
[ -d "$root/tests/e2e/node_modules/@polkadot/api" ] || "$here/setup.sh"
[ -x "${ENTREPOT_NODE:-$CARGO_TARGET_DIR/release/entrepot-node}" ] || "$here/build.sh"
exec node "$root/tests/e2e/tools/hostile.js" "$@"
