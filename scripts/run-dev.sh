#!/usr/bin/env bash
# One command for a newcomer: installs what is missing, builds the node, and starts a
# development chain (Alice authors and finalizes) with RPC on ws://127.0.0.1:9944.
#
#   ./scripts/run-dev.sh                   # chain data in a temporary directory
#   BASE_PATH=~/entrepot-dev ./scripts/run-dev.sh   # keep the chain between runs
#   ./scripts/run-dev.sh --rpc-port 9955   # extra arguments go to the node
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/setup.sh"
"$here/build.sh"
source "$here/env.sh"

data=(--tmp)
[ -n "${BASE_PATH:-}" ] && data=(--base-path "$BASE_PATH")
echo "[run-dev] starting a dev chain: RPC ws://127.0.0.1:9944, metrics http://127.0.0.1:9615/metrics"
echo "[run-dev] polkadot.js Apps: https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A9944"
# `--dev` alone would let any web page call the node's unsafe RPC methods (it turns CORS off):
# only pages on this machine and polkadot.js Apps may.
cors="http://localhost:*,http://127.0.0.1:*,https://localhost:*,https://127.0.0.1:*,https://polkadot.js.org"
exec "$CARGO_TARGET_DIR/release/entrepot-node" --dev "${data[@]}" --rpc-port 9944 --rpc-cors "$cors" "$@"
