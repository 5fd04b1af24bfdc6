#!/usr/bin/env bash
# The fuzz run: random call sequences of every product pallet (orders, escrow, disputes,
# loyalty, gateways) in the real runtime, with every pallet's try_state, the state root of
# failed calls and the money checked after each call (runtime/src/tests/fuzz.rs). The tests run
# 3 000 calls of seed 1; this runs more, over several seeds. Results in docs/reliability.md.
#
#   ./scripts/fuzz.sh                    # seeds 1-10, 20 000 calls each
#   ./scripts/fuzz.sh 100000 3 7         # 100 000 calls each of seeds 3 to 7
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
source "$here/env.sh"
cd "$root"

calls="${1:-20000}"
first="${2:-1}"
last="${3:-10}"
for seed in $(seq "$first" "$last"); do
	echo "[fuzz] seed $seed, $calls calls"
	if ! out="$(ENTREPOT_FUZZ_CALLS="$calls" ENTREPOT_FUZZ_SEED="$seed" \
		cargo test --locked --release -p entrepot-runtime --features entrepot-runtime/fast-runtime \
		-- --nocapture tests::fuzz 2>&1)"; then
		echo "$out" | tail -40 >&2
		echo "[fuzz] seed $seed failed" >&2
		exit 1
	fi
	echo "$out" | grep -E '^fuzz:'
done
