#!/usr/bin/env bash
# Builds the release node (with the runtime's wasm blob) into $CARGO_TARGET_DIR/release.
# Extra arguments go to cargo, e.g. `./scripts/build.sh --features runtime-benchmarks`.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/env.sh"
cd "$here/.."
echo "[build] cargo build --release -p entrepot-node $* (CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"
cargo build --locked --release -p entrepot-node "$@"
echo "[build] node: $CARGO_TARGET_DIR/release/entrepot-node"
