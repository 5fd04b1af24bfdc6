#!/usr/bin/env bash
# Runs the runtime benchmarks with the node's own `benchmark pallet` command and writes each
# Entrepot pallet's weights.rs from the results. Weights are never written by hand.
#
#   ./scripts/benchmark.sh                 # every Entrepot pallet, plus pallet_balances for reference
#   ./scripts/benchmark.sh pallet_orders   # one pallet
#   STEPS=50 REPEAT=20 ./scripts/benchmark.sh   # more precise (slower); defaults: 20 and 10
#
# The node is built with `--features runtime-benchmarks` (a separate, slower build).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
source "$here/env.sh"
cd "$root"

steps="${STEPS:-20}"
repeat="${REPEAT:-10}"
node="$CARGO_TARGET_DIR/release/entrepot-node"

# frame-benchmarking-cli's storage benchmarks carry a test runtime whose wasm build cannot
# find its Cargo.lock through our WASM_BUILD_WORKSPACE_HINT; we do not run storage benchmarks.
export SKIP_FRAME_STORAGE_ACCESS_TEST_RUNTIME_WASM_BUILD=1

echo "[bench] building the node with runtime benchmarks"
cargo build --locked --release -p entrepot-node --features runtime-benchmarks

# pallet name -> crate folder. Pallets without a folder are only measured (for reference).
declare -A folders=()
for dir in pallets/*/; do
	crate="$(basename "$dir")"
	[ -f "$dir/src/benchmarking.rs" ] && folders["pallet_${crate//-/_}"]="$dir"
done

pallets=("$@")
[ ${#pallets[@]} -gt 0 ] || pallets=("${!folders[@]}" pallet_balances)

mkdir -p "$CARGO_TARGET_DIR/bench"
for pallet in "${pallets[@]}"; do
	out=()
	if [ -n "${folders[$pallet]:-}" ]; then
		out=(--output "${folders[$pallet]}src/weights.rs" --template "$here/frame-weight-template.hbs")
	fi
	echo "[bench] $pallet (steps $steps, repeat $repeat)"
	"$node" benchmark pallet --chain dev --pallet "$pallet" --extrinsic '*' \
		--steps "$steps" --repeat "$repeat" --wasm-execution compiled \
		--heap-pages 4096 "${out[@]}" | tee "$CARGO_TARGET_DIR/bench/$pallet.txt" | grep -E '^(Pallet|Extrinsic|Time|\s+\+)' || true
	# Generated files name no path of the machine that made them.
	if [ -n "${folders[$pallet]:-}" ]; then
		sed -i -e "s|$node|entrepot-node|" -e "s|$root/||" "${folders[$pallet]}src/weights.rs"
	fi
done
echo "[bench] raw results in $CARGO_TARGET_DIR/bench/"

if [ $# -eq 0 ] && command -v python3 >/dev/null; then
	python3 "$here/weights-table.py" >"$root/docs/weights.md"
	echo "[bench] docs/weights.md written"
fi
