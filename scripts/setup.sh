#!/usr/bin/env bash
# Installs everything Entrepot needs on a fresh Debian 12 machine of the project's kind:
# system packages, a wasm-capable Rust toolchain, the wasm standard library, and the npm
# packages of the end-to-end tests. Idempotent: a second run only checks.
#
# Honours: ENTREPOT_SKIP_NPM=1 (skip the npm install).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
# shellcheck source=scripts/env.sh
source "$here/env.sh"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[setup] error:\033[0m %s\n' "$*" >&2; exit 1; }

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
		die "need root to run: $* (run as root or install sudo)"
	fi
}

# 1. System packages.
debs=(rustc-web cargo-web rust-web-src rust-web-llvm lld-22 rust-web-clippy rustfmt-web
	protobuf-compiler clang libclang-dev build-essential pkg-config libssl-dev nodejs npm)
missing=()
for d in "${debs[@]}"; do
	dpkg-query -W -f='${Status}' "$d" 2>/dev/null | grep -q "install ok installed" || missing+=("$d")
done
# nodejs/npm may come from elsewhere (a NodeSource build); only ask apt when the commands are absent.
if command -v node >/dev/null && command -v npm >/dev/null; then
	missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
read -r -a missing <<<"${missing[*]}"
if [ "${#missing[@]}" -gt 0 ]; then
	say "installing Debian packages: ${missing[*]}"
	as_root apt-get update -qq || die "apt-get update failed"
	DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" \
		|| die "apt-get install failed for: ${missing[*]}"
else
	say "Debian packages present"
fi

[ -x /usr/bin/cargo ] || die "/usr/bin/cargo missing after installing cargo-web"
say "toolchain: $(rustc --version) ($(command -v rustc))"

# 2. The wasm standard library. substrate-wasm-builder wants the target installed; Debian's
# rustc-web ships the library sources but no prebuilt wasm rlibs, so build core/alloc once.
sysroot="$(rustc --print sysroot)"
for target in wasm32v1-none wasm32-unknown-unknown; do
	libdir="$sysroot/lib/rustlib/$target/lib"
	if ls "$libdir"/libcore-*.rlib >/dev/null 2>&1; then
		say "wasm std for $target present"
		continue
	fi
	say "building the wasm standard library for $target (one time, about a minute)"
	scratch="$(mktemp -d)"
	mkdir -p "$scratch/src"
	cat >"$scratch/Cargo.toml" <<'EOF'
[package]
name = "wasm-std-probe"
version = "0.0.0"
edition = "2021"
[lib]
crate-type = ["cdylib"]
[profile.release]
panic = "abort"
EOF
	cat >"$scratch/src/lib.rs" <<'EOF'
#![no_std]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! { loop {} }
EOF
	# Plain rustc (no clippy wrapper, see env.sh) with bitcode: the runtime is linked with LTO.
	(cd "$scratch" && unset RUSTC_WORKSPACE_WRAPPER CLIPPY_ARGS &&
		RUSTC_BOOTSTRAP=1 RUSTFLAGS="-Cembed-bitcode=yes" CARGO_TARGET_DIR="$scratch/target" \
		cargo build --quiet --release --target "$target" -Zbuild-std=core,alloc) \
		|| die "could not build core/alloc for $target (is rust-web-src installed?)"
	as_root mkdir -p "$libdir"
	as_root rm -f "$libdir"/*.rlib
	as_root cp "$scratch/target/$target/release/deps/"lib{core,alloc,compiler_builtins}-*.rlib "$libdir/"
	rm -rf "$scratch"
	# Runtimes built against an older copy of these rlibs must be rebuilt.
	rm -rf "${CARGO_TARGET_DIR}"/*/wbuild 2>/dev/null || true
done

# 3. npm packages for the end-to-end tests (versions pinned in tests/e2e/package-lock.json).
if [ "${ENTREPOT_SKIP_NPM:-0}" != 1 ] && [ -f "$root/tests/e2e/package-lock.json" ]; then
	if [ -d "$root/tests/e2e/node_modules/@polkadot/api" ]; then
		say "npm packages present"
	else
		say "installing npm packages for the end-to-end tests"
		(cd "$root/tests/e2e" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed"
	fi
fi

say "ready (CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"
