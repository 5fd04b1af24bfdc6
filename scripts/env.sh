# Sourced by every script: one toolchain, one target directory, one set of lints.
#
# The workspace is built with Debian's wasm-capable Rust in /usr/bin (substrate-wasm-builder
# builds the runtime with the cargo that runs the outer build), so /usr/bin comes first.
# The target directory lives outside the work tree so builds survive a fresh checkout.
export PATH="/usr/bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/entrepot/target}"
mkdir -p "$CARGO_TARGET_DIR"
# With the target directory outside the work tree, substrate-wasm-builder cannot find the
# workspace (and its Cargo.lock) by walking up from the build directory: tell it.
WASM_BUILD_WORKSPACE_HINT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export WASM_BUILD_WORKSPACE_HINT

# Clippy runs as the compiler of the workspace's own crates during every build (what
# `cargo clippy` does inside, minus its separate check-only pass over all ~900 dependencies):
# one compile gives the binary and the lints, and warnings are errors. Dependencies are
# compiled by plain rustc and shared by every script. ENTREPOT_NO_CLIPPY=1 turns it off.
if [ "${ENTREPOT_NO_CLIPPY:-0}" != 1 ] && [ -x /usr/bin/clippy-driver ]; then
	export RUSTC_WORKSPACE_WRAPPER=/usr/bin/clippy-driver
	export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
fi
