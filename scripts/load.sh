#!/usr/bin/env bash
# The load tool: drives a running node or network over JSON-RPC and measures throughput,
# latency, block fullness, timer lateness and state size. See tests/e2e/tools/load.js --help.
#
#   ./scripts/network.sh 4 &                  # or: SUDO=//Alice ./scripts/network.sh 4
#   ./scripts/load.sh --scenario setup --accounts 2000
#   ./scripts/load.sh --scenario transfers --accounts 2000 --count 20000 --out transfers.json \
#       --urls ws://127.0.0.1:9944,ws://127.0.0.1:9945,ws://127.0.0.1:9946,ws://127.0.0.1:9947
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
if [ ! -d "$root/tests/e2e/node_modules/@polkadot/api" ]; then
	"$here/setup.sh"
fi
exec node "$root/tests/e2e/tools/load.js" "$@"
