#!/usr/bin/env bash
# Builds the FFI library in the `mobile` profile (Cargo.toml: size-optimized, fat LTO, stripped) for the arm64
# targets this machine can build, and prints the sizes docs/benchmarks.md reports: the aarch64 Linux shared library
# (the stand-in for Android's arm64-v8a libhaven.so, which needs the NDK's linker), and the Android and iOS static
# libraries (a static library needs no vendor linker; the app's link keeps only what it calls, so its size is an
# upper bound). The cross toolchain comes from scripts/cross-env.sh; the builds share its cross dir. Each target
# compiles tract again, with fat LTO: about 5 minutes per target on 2 cores.
#
# Usage: scripts/measure-sizes.sh [TRIPLE...]   (default: all three)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/cross-env.sh
source scripts/cross-env.sh

triples=("$@")
[ ${#triples[@]} -gt 0 ] || triples=(aarch64-unknown-linux-gnu aarch64-linux-android aarch64-apple-ios)
for triple in "${triples[@]}"; do
    case "$triple" in
        aarch64-unknown-linux-gnu) crate_type=cdylib file=libhaven.so ;;
        aarch64-linux-android | aarch64-apple-ios) crate_type=staticlib file=libhaven.a ;;
        *) echo "measure-sizes: unsupported target $triple" >&2; exit 2 ;;
    esac
    # `cargo rustc --crate-type` builds just that kind: a cdylib for Android or iOS would need the vendor linker.
    CARGO_TARGET_DIR="$cross_dir" cargo rustc --profile mobile --locked -p haven-ffi --lib --target "$triple" \
        --crate-type "$crate_type" --quiet
    lib="$cross_dir/$triple/mobile/$file"
    awk -v t="$triple" -v f="$file" -v b="$(stat -c %s "$lib")" \
        'BEGIN { printf "%-28s %-12s %10d bytes  %6.1f MiB\n", t, f, b, b / 1048576 }'
done
