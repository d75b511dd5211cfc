#!/usr/bin/env bash
# arm64 part of the test command (called by scripts/test.sh): cross-builds the core's, the FFI crate's and the
# CLI's tests in release for aarch64-unknown-linux-gnu and runs them under qemu-aarch64 (user-mode emulation),
# then the image tests of tools/image (synthetic models, NudeNet on the benign photos against the reference
# detections, bad input) through the aarch64 `haven` binary, with the same tolerances as on x86.
# Last, the Python suite against the aarch64 libhaven.so, in an arm64 Python under qemu. Installs what it needs
# (scripts/cross-env.sh: Debian's cross gcc and qemu-user-static, the rustup targets; the arm64 Python, below)
# idempotently. The cross build has its own target dir, kept under
# ${XDG_CACHE_HOME:-$HOME/.cache}/haven/target-aarch64 so that repeated runs on one machine only rebuild what
# changed (override with HAVEN_ARM64_TARGET_DIR).
#
# Usage: scripts/test-arm64.sh [pytest args for tools/image...]
set -euo pipefail
cd "$(dirname "$0")/.."

triple=aarch64-unknown-linux-gnu
# shellcheck source=scripts/cross-env.sh
source scripts/cross-env.sh

# Only the cross builds use it: the host build that test-image.sh and gen-bindings.sh run stays in target/.
cross_dir="${HAVEN_ARM64_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/haven/target-aarch64}"
mkdir -p "$cross_dir"

# qemu's default CPU ("max") has SVE, which makes tract pick its SVE kernels; phones run the NEON ones (Android
# builds have no SVE kernels at all), so the tests emulate a Cortex-A76: NEON, fp16 and dot product, no SVE.
export QEMU_CPU="${QEMU_CPU:-cortex-a76}"

# One build: the test binaries, the `haven` binary (the image tests run it) and
# libhaven.so (the Python suite loads it).
tests=(--release --locked --target "$triple" -p haven-core -p haven-ffi -p haven-cli)
echo "test-arm64: cross build ($cross_dir)"
CARGO_TARGET_DIR="$cross_dir" nice -n 10 cargo test "${tests[@]}" --no-run
CARGO_TARGET_DIR="$cross_dir" nice -n 10 cargo build --release --locked --target "$triple" -p haven-ffi -p haven-cli
out="$cross_dir/$triple/release"
echo "test-arm64: cargo test under $qemu -cpu $QEMU_CPU"
CARGO_TARGET_DIR="$cross_dir" cargo test "${tests[@]}"
# The custom tract operators again on qemu's "max" CPU, where tract's matrix products take the SVE kernels.
CARGO_TARGET_DIR="$cross_dir" QEMU_CPU=max cargo test --release --locked --target "$triple" -p haven-core --lib \
    image::ops

scripts/setup-python.sh
scripts/fetch-models.sh
# The image tests start `haven` as a program; qemu runs the aarch64 one for them.
wrapper_dir=$(mktemp -d)
trap 'rm -rf "$wrapper_dir"' EXIT
cat >"$wrapper_dir/haven" <<EOF
#!/bin/sh
exec "$qemu" -L "$sysroot" "$out/haven" "\$@"
EOF
chmod +x "$wrapper_dir/haven"
echo "test-arm64: image tests through the aarch64 haven"
HAVEN_BIN="$wrapper_dir/haven" scripts/test-image.sh "$@"

# The Python suite against the aarch64 libhaven.so, in an arm64 Python run by qemu. The Python comes from Debian:
# debootstrap's first (--foreign) stage downloads the packages without running any arm64 code, and they are
# unpacked with dpkg -x (no binfmt_misc needed); qemu -L then runs the interpreter inside that folder. Cached.
py_root="${XDG_CACHE_HOME:-$HOME/.cache}/haven/arm64-python-bookworm"
if [ ! -x "$py_root/usr/bin/python3" ]; then
    echo "test-arm64: building the arm64 Python root in $py_root"
    command -v debootstrap >/dev/null || {
        sudo=""
        [ "$(id -u)" -eq 0 ] || sudo=sudo
        $sudo apt-get install -y --no-install-recommends debootstrap >/dev/null
    }
    rm -rf "$py_root.partial"
    debootstrap --foreign --arch=arm64 --variant=minbase --include=python3,python3-pytest \
        bookworm "$py_root.partial" http://deb.debian.org/debian >/dev/null
    for deb in "$py_root.partial"/var/cache/apt/archives/*.deb; do dpkg -x "$deb" "$py_root.partial"; done
    rm -f "$py_root.partial"/var/cache/apt/archives/*.deb
    mv "$py_root.partial" "$py_root"
fi
scripts/gen-bindings.sh >/dev/null
host_target=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
mkdir -p "$wrapper_dir/python"
cp "$host_target/bindings/python/haven.py" "$out/libhaven.so" "$wrapper_dir/python/"
echo "test-arm64: Python suite under $qemu ($("$qemu" -L "$py_root" "$py_root/usr/bin/python3" --version))"
HAVEN_PYTHON_BINDINGS="$wrapper_dir/python" "$qemu" -L "$py_root" "$py_root/usr/bin/python3" \
    -m pytest -q -p no:cacheprovider bindings/python
