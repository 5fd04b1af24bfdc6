#!/usr/bin/env bash
# Builds the runtime of an earlier commit, with `fast-runtime` as the end-to-end tests' node,
# into tests/e2e/fixtures/: the runtime tests/e2e/upgrade.test.js starts a chain on and then
# upgrades through governance. The default commit, 0e635ac, is the last runtime whose orders
# and disputes pallets are at storage version 0 (docs/upgrades.md).
#
# Usage: ./scripts/build-old-runtime.sh [commit]
# It builds in a temporary git worktree, sharing $CARGO_TARGET_DIR (the next build of the
# current tree rebuilds the runtime crate). Clippy is off: the old code is linted as it was.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
commit="${1:-0e635ac}"
source "$here/env.sh"
out="$root/tests/e2e/fixtures/entrepot-runtime-$commit-fast.compact.compressed.wasm"

tree="$(mktemp -d)"
trap 'git -C "$root" worktree remove --force "$tree" >/dev/null 2>&1 || true; rm -rf "$tree"' EXIT
git -C "$root" worktree add --detach "$tree" "$commit" >/dev/null
(
	cd "$tree"
	export ENTREPOT_NO_CLIPPY=1 WASM_BUILD_WORKSPACE_HINT="$tree"
	unset RUSTC_WORKSPACE_WRAPPER CLIPPY_ARGS
	cargo build --locked --release -p entrepot-runtime --features fast-runtime
)
mkdir -p "$(dirname "$out")"
cp "$CARGO_TARGET_DIR/release/wbuild/entrepot-runtime/entrepot_runtime.compact.compressed.wasm" "$out"
echo "[build-old-runtime] $out ($(stat -c %s "$out") bytes)"
