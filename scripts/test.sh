#!/usr/bin/env bash
# Runs every test: format and clippy checks, the Rust unit tests, and the end-to-end tests
# against a running node. Installs what is missing first (scripts/setup.sh).
#
# Everything is built in the release profile, once: the node binary and the tests share one
# set of compiled dependencies in $CARGO_TARGET_DIR. Clippy lints the workspace's crates as
# they compile (see scripts/env.sh), with warnings as errors.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
"$here/setup.sh"
source "$here/env.sh"
cd "$root"

step() { printf '\n\033[1m[test] %s\033[0m\n' "$*"; }
started=$SECONDS

step "rustfmt"
cargo fmt --all -- --check

[ -n "${RUSTC_WORKSPACE_WRAPPER:-}" ] || { echo "clippy-driver missing (rust-web-clippy)" >&2; exit 1; }

# The tests run on the `fast-runtime` build: governance and session periods are blocks instead of
# days, so a referendum or a validator change completes within a test. Nothing else differs.
features=(--features entrepot-runtime/fast-runtime)

step "build the node (release, wasm runtime, fast-runtime, clippy-clean)"
"$here/build.sh" "${features[@]}"

step "unit tests (clippy-clean)"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
cargo test --locked --release --workspace "${features[@]}" 2>&1 | tee "$log"
unit_passed=$(grep -oE '^test result: ok\. [0-9]+ passed' "$log" | awk '{s += $4} END {print s + 0}')

step "benchmarks of every pallet, run as tests (runtime-benchmarks)"
pallets=()
for dir in pallets/*/; do
	[ -f "$dir/src/benchmarking.rs" ] && pallets+=(-p "pallet-$(basename "$dir")")
done
cargo test --locked --release "${pallets[@]}" --features runtime-benchmarks -- benchmarking:: 2>&1 | tee "$log"
bench_passed=$(grep -oE '^test result: ok\. [0-9]+ passed' "$log" | awk '{s += $4} END {print s + 0}')

step "no RocksDB, one copy of the core crates"
if cargo tree --locked -i librocksdb-sys >/dev/null 2>&1; then
	echo "librocksdb-sys is in the dependency tree" >&2
	exit 1
fi
dups="$(cargo tree --locked -d --depth 0 -e normal --prefix none 2>/dev/null |
	grep -E '^(sp-runtime|sp-core|sp-io|frame-support|frame-system|sc-service) ' || true)"
if [ -n "$dups" ]; then
	echo "duplicate core crates:" >&2
	echo "$dups" >&2
	exit 1
fi
echo "ok"

step "end-to-end tests against a running node"
# upgrade.test.js writes the state of a live chain on the previous runtime here, for try-runtime.
snapshot_dir="$(mktemp -d)"
trap 'rm -f "$log"; rm -rf "$snapshot_dir"' EXIT
export ENTREPOT_SNAPSHOT="$snapshot_dir/snapshot.json"
(cd tests/e2e && node --test --test-concurrency=1 --test-reporter=spec ./*.test.js) 2>&1 | tee "$log"
e2e_passed=$(grep -oE ' pass [0-9]+$' "$log" | awk '{print $2}' | tail -1)

step "try-runtime: this runtime's migrations on the live chain's snapshot (pre/post, idempotent)"
SKIP_WASM_BUILD=1 cargo test --locked --release -p entrepot-runtime --features try-runtime,fast-runtime \
	-- --ignored try_runtime_upgrade_on_a_live_snapshot 2>&1 | tee "$log"
try_passed=$(grep -oE '^test result: ok\. [0-9]+ passed' "$log" | awk '{s += $4} END {print s + 0}')
[ "$try_passed" -ge 1 ] || { echo "the try-runtime check did not run" >&2; exit 1; }
unit_passed=$((unit_passed + try_passed))

step "all tests passed in $((SECONDS - started)) s: $unit_passed unit, $bench_passed with benchmarks, ${e2e_passed:-0} end-to-end"
echo "tests: $((unit_passed + bench_passed + ${e2e_passed:-0})) passed, 0 failed"
