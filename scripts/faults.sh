#!/usr/bin/env bash
# The fault tool: starts a four-validator network (scripts/network.sh) and a non-validating
# RPC node, streams orders through validator 1, stops one validator then a second, restarts
# both, kills random nodes with SIGKILL and restarts them, and checks finality, the finalized
# state and the money. See tests/e2e/tools/faults.js; results in docs/reliability.md.
#
#   ./scripts/faults.sh                         # 20 kills, about 15 minutes
#   ./scripts/faults.sh --kills 3 --rate 3      # the short run the tests make
#   ./scripts/faults.sh --out faults.json       # every measurement as JSON
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
source "$here/env.sh"
[ -d "$root/tests/e2e/node_modules/@polkadot/api" ] || "$here/setup.sh"
[ -x "${ENTREPOT_NODE:-$CARGO_TARGET_DIR/release/entrepot-node}" ] || "$here/build.sh"
exec node "$root/tests/e2e/tools/faults.js" "$@"
