#!/usr/bin/env bash
# arm64 part of the test command (called by scripts/test.sh): cross-builds the workspace's tests in release for
# aarch64-unknown-linux-gnu and runs them under qemu-aarch64 (user-mode emulation); then the image tests of
# tools/image (synthetic models, NudeNet on the benign photos against the reference detections, bad input) through
# the aarch64 `haven` binary, with the same tolerances as on x86; last, the Python suite against the aarch64 wheel,
# unpacked for an arm64 Python that qemu runs. Installs what it needs (scripts/cross-env.sh: Debian's cross gcc and
# qemu-user-static, the rustup targets; the arm64 Python, below) idempotently. The cross build is cached in
# cross-env.sh's `cross_dir` (${XDG_CACHE_HOME:-$HOME/.cache}/haven/target-aarch64; HAVEN_ARM64_TARGET_DIR
# overrides it), shared with scripts/build-wheel.sh's aarch64 wheel.
#
# Usage: scripts/test-arm64.sh [pytest args for tools/image...]
set -euo pipefail
cd "$(dirname "$0")/.."

triple=aarch64-unknown-linux-gnu
# Where the host build and scripts/build-wheel.sh's wheels are.
host_target=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
# shellcheck source=scripts/cross-env.sh
source scripts/cross-env.sh

# Progress lines carry the seconds since the script started (the README's timings of the arm64 part come from them).
say() { echo "test-arm64 [${SECONDS} s]: $*"; }

# qemu's default CPU ("max") has SVE, which makes tract pick its SVE kernels; phones run the NEON ones (Android
# builds have no SVE kernels at all), so the tests emulate a Cortex-A76: NEON, fp16 and dot product, no SVE.
export QEMU_CPU="${QEMU_CPU:-cortex-a76}"

# The whole workspace, as scripts/build.sh builds it for the host: the same feature resolution as the aarch64
# wheel's maturin build (the ffi crate's `wheel` feature), so that one build of tract serves the tests, the `haven`
# binary the image tests run and the library the wheel packs. (No benches: they do not run here.)
# CARGO_TARGET_DIR is set per command, not exported: test-image.sh and build-wheel.sh build for the host in target/.
cargo_args=(--release --locked --workspace --target "$triple")
say "cross build ($cross_dir)"
CARGO_TARGET_DIR="$cross_dir" nice -n 10 cargo build "${cargo_args[@]}" --lib --bins --tests --quiet
out="$cross_dir/$triple/release"
# The core's and the FFI crate's test binaries, run one by one under qemu. (`cargo test` would also run the CLI's
# tests, which start the aarch64 `haven` as a child process: that needs binfmt_misc, which this script does not
# touch. The CLI is tested below, through the image tests' wrapper.)
mapfile -t test_bins < <(CARGO_TARGET_DIR="$cross_dir" cargo test "${cargo_args[@]}" --no-run --message-format=json 2>/dev/null | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    crate_dir = m.get("package_id", "").split("#")[0].removeprefix("path+file://")
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["profile"]["test"] \
            and crate_dir.rsplit("/", 1)[-1] in ("core", "ffi"):
        print(m["target"]["kind"][0], crate_dir, m["executable"])
')
[ ${#test_bins[@]} -ge 2 ] || { say "found only ${#test_bins[@]} test binaries" >&2; exit 1; }
say "${#test_bins[@]} test binaries under $qemu -cpu $QEMU_CPU"
for entry in "${test_bins[@]}"; do
    read -r kind crate_dir bin <<<"$entry"
    say "$(basename "$bin")"
    # From the crate's folder, as cargo runs them (the tests find fixtures and the model relative to it).
    (cd "$crate_dir" && "$qemu" -L "$sysroot" "$bin" -q)
    # The custom tract operators again on qemu's "max" CPU, where tract's matrix products take the SVE kernels.
    if [ "$kind" = lib ] && [ "$crate_dir" = "$PWD/core" ]; then
        (cd "$crate_dir" && QEMU_CPU=max "$qemu" -L "$sysroot" "$bin" -q image::ops)
    fi
done

scripts/setup-python.sh
scripts/fetch-models.sh
# The image tests start `haven` as a program; qemu runs the aarch64 one for them.
wrapper_dir=$(mktemp -d)
trap 'rm -rf "$wrapper_dir"' EXIT
cat >"$wrapper_dir/haven" <<WRAPPER
#!/bin/sh
exec "$qemu" -L "$sysroot" "$out/haven" "\$@"
WRAPPER
chmod +x "$wrapper_dir/haven"
say "image tests through the aarch64 haven"
HAVEN_BIN="$wrapper_dir/haven" scripts/test-image.sh "$@"

# The Python suite against the aarch64 wheel, in an arm64 Python run by qemu. The Python comes from Debian:
# debootstrap's first (--foreign) stage downloads the packages without running any arm64 code, and they are
# unpacked with dpkg -x (no binfmt_misc needed); qemu -L then runs the interpreter inside that folder. Cached.
py_root="${XDG_CACHE_HOME:-$HOME/.cache}/haven/arm64-python-bookworm"
if [ ! -x "$py_root/usr/bin/python3" ]; then
    say "building the arm64 Python root in $py_root"
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
say "the aarch64 wheel"
scripts/build-wheel.sh --aarch64-only
version=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"name":"haven-ffi","version":"\([^"]*\)".*/\1/p')
wheel=$(ls "$host_target"/wheels/haven_safety-"$version"-*_aarch64.whl)
# A wheel is a zip laid out as site-packages: unpacked, it is the installed package, files and all.
site="$wrapper_dir/site-packages"
python3 -m zipfile -e "$wheel" "$site"
tests=$PWD/bindings/python
say "Python suite under $qemu ($("$qemu" -L "$py_root" "$py_root/usr/bin/python3" --version))"
(cd "$wrapper_dir" && PYTHONPATH="$site" HAVEN_CLI="$wrapper_dir/haven" \
    "$qemu" -L "$py_root" "$py_root/usr/bin/python3" -m pytest -q -p no:cacheprovider --rootdir "$tests" "$tests")
say "done"
