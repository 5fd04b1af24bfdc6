#!/usr/bin/env bash
# Starts the two-validator `local` network on this machine: Alice and Bob, on loopback,
# each with its own data directory. Ctrl-C stops both.
#
#   Alice: RPC ws://127.0.0.1:9944, p2p 30333, metrics 9615
#   Bob:   RPC ws://127.0.0.1:9945, p2p 30334, metrics 9616
#
# BASE_DIR (default: a new temporary directory) holds both nodes' data and logs.
#
# Both listen for RPC on loopback only, with the default CORS list (localhost pages and
# polkadot.js.org): unsafe methods (key insertion, peer management) are for the operator on
# this machine, never for a web page from elsewhere. To serve RPC to others, run a separate
# non-validating node with `--public-rpc` (docs/security.md).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/env.sh"
node="$CARGO_TARGET_DIR/release/entrepot-node"
[ -x "$node" ] || "$here/build.sh"

base="${BASE_DIR:-$(mktemp -d -t entrepot-local-XXXX)}"
mkdir -p "$base"
# Validators need a persistent network key. Alice's is fixed so Bob knows her address.
alice_key="0000000000000000000000000000000000000000000000000000000000000001"
printf '%s' "$alice_key" >"$base/alice-node-key"
alice_peer="$("$node" key inspect-node-key --file "$base/alice-node-key")"
[ -f "$base/bob-node-key" ] || "$node" key generate-node-key --file "$base/bob-node-key" 2>/dev/null

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait' EXIT INT TERM

echo "[local] Alice ($alice_peer): ws://127.0.0.1:9944, log $base/alice.log"
"$node" --chain local --alice --validator --base-path "$base/alice" \
	--node-key-file "$base/alice-node-key" --rpc-port 9944 --prometheus-port 9615 \
	--no-mdns --listen-addr /ip4/127.0.0.1/tcp/30333 >"$base/alice.log" 2>&1 &
pids+=($!)

echo "[local] Bob: ws://127.0.0.1:9945, log $base/bob.log"
"$node" --chain local --bob --validator --base-path "$base/bob" --node-key-file "$base/bob-node-key" \
	--rpc-port 9945 --prometheus-port 9616 --no-mdns \
	--listen-addr /ip4/127.0.0.1/tcp/30334 \
	--bootnodes "/ip4/127.0.0.1/tcp/30333/p2p/$alice_peer" >"$base/bob.log" 2>&1 &
pids+=($!)

echo "[local] both validators started; Ctrl-C stops them"
wait -n "${pids[@]}"
echo "[local] a node stopped; see the logs in $base" >&2
exit 1
