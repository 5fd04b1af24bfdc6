#!/usr/bin/env bash
# Starts N validators on loopback from a chain spec generated for them, waits until they all
# finalize, prints their endpoints and keeps running; Ctrl-C (or SIGTERM) stops them cleanly.
#
#   ./scripts/network.sh 4                      # four validators
#   BASE_DIR=/tmp/net ./scripts/network.sh 4    # keep data, logs and the chain spec there
#   NODE_ARGS="--pool-limit 20000" ./scripts/network.sh 4   # extra flags for every node
#   SUDO=//Alice ./scripts/network.sh 4         # a sudo key, for load tests and demos only
#   KEEP_RUNNING=1 ./scripts/network.sh 4       # a validator that exits does not stop the rest
#
# Validator i (1-based) listens for RPC on ws://127.0.0.1:$((RPC_BASE + i - 1)) (default
# 9944, 9945, ...), p2p on 30333 + i - 1 and Prometheus on 9615 + i - 1 (RPC_BASE, P2P_BASE,
# PROMETHEUS_BASE change them). Their keys are the development seeds //Alice, //Bob, ...,
# //Ferdie, then //Validator7, //Validator8, ...: test keys, never for a real chain. The chain
# is the `local` preset (council Alice, Bob and Charlie; no sudo) with these validators.
#
# When the network is up, $BASE_DIR/ready lists one RPC URL per line (tools wait for it);
# $BASE_DIR/v<i>.log is each node's log, $BASE_DIR/v<i>.pid its process id and
# $BASE_DIR/v<i>.cmd its command line (NUL-separated), so that a fault test
# (tests/e2e/tools/faults.js) can stop a validator and start it again on the same base path;
# the stop on the way out reads the pid files, so restarted validators are stopped too. The
# script works from a fresh clone once the node is built (./scripts/build.sh, or run-dev.sh's
# build).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/env.sh"
node="${ENTREPOT_NODE:-$CARGO_TARGET_DIR/release/entrepot-node}"
[ -x "$node" ] || "$here/build.sh"

n="${1:-4}"
[[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le 32 ] || {
	echo "usage: $0 N (1..32 validators)" >&2
	exit 2
}
rpc_base="${RPC_BASE:-9944}"
p2p_base="${P2P_BASE:-30333}"
prom_base="${PROMETHEUS_BASE:-9615}"
base="${BASE_DIR:-$(mktemp -d -t entrepot-net-XXXX)}"
mkdir -p "$base"
rm -f "$base/ready" "$base"/v*.pid
say() { printf '\033[1m[network]\033[0m %s\n' "$*"; }

seeds=(Alice Bob Charlie Dave Eve Ferdie)
seed() { if [ "$1" -le 6 ]; then echo "//${seeds[$(($1 - 1))]}"; else echo "//Validator$1"; fi; }
public() { "$node" key inspect --scheme "$1" --output-type json "$2" | python3 -c 'import json,sys; print(json.load(sys.stdin)["ss58Address"])'; }

# 1. The chain spec: the `local` preset with these validators and their session keys.
say "generating the chain spec for $n validators in $base"
"$node" export-chain-spec --chain local >"$base/plain.json"
keys="$base/validators.json"
echo "[" >"$keys"
for i in $(seq 1 "$n"); do
	s="$(seed "$i")"
	printf '%s{"account":"%s","aura":"%s","grandpa":"%s"}\n' "$([ "$i" -gt 1 ] && echo ,)" \
		"$(public sr25519 "$s")" "$(public sr25519 "$s")" "$(public ed25519 "$s")" >>"$keys"
done
echo "]" >>"$keys"
sudo=""
[ -n "${SUDO:-}" ] && sudo="$(public sr25519 "$SUDO")"
python3 - "$base/plain.json" "$keys" "$sudo" <<'EOF'
import json, sys
spec_path, keys_path, sudo = sys.argv[1], sys.argv[2], sys.argv[3]
spec = json.load(open(spec_path))
validators = json.load(open(keys_path))
patch = spec["genesis"]["runtimeGenesis"]["patch"]
patch["validators"]["initialValidators"] = [v["account"] for v in validators]
patch["session"]["keys"] = [
    [v["account"], v["account"], {"aura": v["aura"], "grandpa": v["grandpa"]}] for v in validators
]
funded = {entry[0] for entry in patch["balances"]["balances"]}
for v in validators:
    if v["account"] not in funded:
        patch["balances"]["balances"].append([v["account"], 1_000_000 * 10**12])
if sudo:
    patch["sudo"] = {"key": sudo}
spec["name"] = f"Entrepot {len(validators)}-validator network"
spec["id"] = "entrepot_network"
json.dump(spec, open(spec_path, "w"), indent=1)
EOF
"$node" export-chain-spec --chain "$base/plain.json" --raw >"$base/raw.json"

# 2. Every validator's data: a network key and its session keys in its keystore.
for i in $(seq 1 "$n"); do
	dir="$base/v$i"
	mkdir -p "$dir"
	[ -f "$dir/node-key" ] || "$node" key generate-node-key --file "$dir/node-key" 2>/dev/null
	s="$(seed "$i")"
	"$node" key insert --base-path "$dir" --chain "$base/raw.json" --scheme sr25519 \
		--suri "$s" --key-type aura
	"$node" key insert --base-path "$dir" --chain "$base/raw.json" --scheme ed25519 \
		--suri "$s" --key-type gran
done
boot="/ip4/127.0.0.1/tcp/$p2p_base/p2p/$("$node" key inspect-node-key --file "$base/v1/node-key")"

# 3. Start them; stop them all, cleanly, on the way out.
pids=()
stop() {
	trap - EXIT INT TERM
	for f in "$base"/v*.pid; do
		[ -f "$f" ] && pids+=("$(cat "$f")")
	done
	say "stopping $n validators"
	kill -INT "${pids[@]}" 2>/dev/null || true
	for _ in $(seq 1 40); do
		alive=0
		for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
		[ "$alive" = 0 ] && break
		sleep 0.5
	done
	kill -KILL "${pids[@]}" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -f "$base/ready"
	say "stopped; data and logs in $base"
}
trap stop EXIT
trap 'stop; exit 0' INT TERM
read -r -a extra <<<"${NODE_ARGS:-}"
for i in $(seq 1 "$n"); do
	args=(--chain "$base/raw.json" --validator --name "v$i" --base-path "$base/v$i"
		--node-key-file "$base/v$i/node-key" --rpc-port $((rpc_base + i - 1))
		--prometheus-port $((prom_base + i - 1)) --no-mdns --no-telemetry
		--listen-addr "/ip4/127.0.0.1/tcp/$((p2p_base + i - 1))" "${extra[@]}")
	[ "$i" -gt 1 ] && args+=(--bootnodes "$boot")
	printf '%s\0' "$node" "${args[@]}" >"$base/v$i.cmd"
	"$node" "${args[@]}" >"$base/v$i.log" 2>&1 &
	pids+=($!)
	echo $! >"$base/v$i.pid"
done

# 4. Wait until every validator sees the others and has finalized a few blocks.
rpc() { curl -s -m 2 -H 'content-type: application/json' \
	-d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$2\",\"params\":[${3:-}]}" "http://127.0.0.1:$1"; }
finalized() {
	local hash
	hash="$(rpc "$1" chain_getFinalizedHead | python3 -c 'import json,sys; print(json.load(sys.stdin)["result"])' 2>/dev/null)" || return 1
	rpc "$1" chain_getHeader "\"$hash\"" | python3 -c 'import json,sys; print(int(json.load(sys.stdin)["result"]["number"],16))' 2>/dev/null
}
say "waiting for $n validators to finalize"
deadline=$((SECONDS + 120))
for i in $(seq 1 "$n"); do
	port=$((rpc_base + i - 1))
	until [ "$(finalized "$port" || echo 0)" -ge 3 ] 2>/dev/null; do
		for p in "${pids[@]}"; do
			kill -0 "$p" 2>/dev/null || { say "a validator exited; see $base/v*.log" >&2; exit 1; }
		done
		[ "$SECONDS" -lt "$deadline" ] || { say "no finality within 120 s; see $base/v*.log" >&2; exit 1; }
		sleep 0.5
	done
done
for i in $(seq 1 "$n"); do echo "ws://127.0.0.1:$((rpc_base + i - 1))"; done >"$base/ready"
say "ready: $n validators finalizing; RPC $(tr '\n' ' ' <"$base/ready")"
say "Ctrl-C stops them"
if [ -n "${KEEP_RUNNING:-}" ]; then
	while true; do sleep 1; done
fi
wait -n "${pids[@]}" || true
say "a validator stopped unexpectedly; see $base/v*.log" >&2
exit 1
