#!/usr/bin/env bash
# Builds the haven-safety Python wheel (import name `haven`) with maturin into target/wheels/, from the release
# build of scripts/build.sh: maturin builds bindings/ffi alone, with the `wheel` feature that makes its features
# match the workspace's, so cargo reuses every compiled dependency. (No SOURCE_DATE_EPOCH: maturin already writes
# fixed zip timestamps, and the cc crate tracks that variable, so setting it would rebuild tract.) Then
# `auditwheel show` reports the platform tag.
# Where the arm64 toolchain is present (rustup target aarch64-unknown-linux-gnu and aarch64-linux-gnu-gcc), the
# aarch64 wheel is built too, into the same target/wheels/, from scripts/test-arm64.sh's cross build (cross-env.sh's
# `cross_dir`; a full cross build of tract the first time: about 15 minutes on 2 cores).
#
# Usage: scripts/build-wheel.sh [--host-only | --aarch64-only]   (idempotent)
set -euo pipefail
cd "$(dirname "$0")/.."

host=true aarch64=true
case "${1:-}" in
    --host-only) aarch64=false ;;
    --aarch64-only) host=false ;;
    "") ;;
    *) echo "usage: scripts/build-wheel.sh [--host-only | --aarch64-only]" >&2; exit 2 ;;
esac

scripts/setup-python.sh
target_dir=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
out="$target_dir/wheels"
version=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"name":"haven-ffi","version":"\([^"]*\)".*/\1/p')

# maturin generates the Python module with the `uniffi-bindgen` it finds on PATH: the workspace's bindgen, built in
# release by scripts/build.sh (see bindings/uniffi-bindgen/Cargo.toml). It runs on the host for both wheels.
cargo build --release --locked --workspace --bin haven-bindgen --quiet
bindgen_dir=$(mktemp -d)
trap 'rm -rf "$bindgen_dir"' EXIT
ln -s "$target_dir/release/haven-bindgen" "$bindgen_dir/uniffi-bindgen"

build() {
    # $1: a rustup target, or empty for the host. Only this version's wheel for that target is replaced.
    local args=(build --release --locked --quiet -m bindings/ffi/Cargo.toml --out "$out")
    local arch
    arch=${1:-$(uname -m)}
    arch=${arch%%-*}
    rm -f "$out"/haven_safety-"$version"-*_"$arch".whl
    if [ -n "$1" ]; then args+=(--target "$1"); fi
    PATH="$bindgen_dir:$PATH" .venv/bin/maturin "${args[@]}"
    local wheel
    wheel=$(ls "$out"/haven_safety-"$version"-*_"$arch".whl)
    echo "build-wheel: $wheel"
    .venv/bin/auditwheel show "$wheel"
}

if $host; then
    scripts/build.sh --quiet
    build ""
fi
if ! $aarch64; then
    exit 0
fi
if [ "$(uname -s)" = Linux ] && rustup target list --installed 2>/dev/null | grep -qx aarch64-unknown-linux-gnu \
    && command -v aarch64-linux-gnu-gcc >/dev/null; then
    # shellcheck source=scripts/cross-env.sh
    source scripts/cross-env.sh
    CARGO_TARGET_DIR="$cross_dir" build aarch64-unknown-linux-gnu
else
    echo "build-wheel: no aarch64 wheel: needs 'rustup target add aarch64-unknown-linux-gnu' and" \
        "aarch64-linux-gnu-gcc (Debian gcc-aarch64-linux-gnu)"
fi
