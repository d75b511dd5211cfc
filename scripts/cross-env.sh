# Sourced by scripts/test-arm64.sh (and by hand for the size builds of docs/benchmarks.md): installs the cross
# toolchain for the arm64 targets this machine can build (Debian's aarch64 gcc and libc, qemu-user-static, clang and
# llvm-ar for the Android and iOS targets, the rustup targets) idempotently, and exports what cargo and cc-rs need
# to use it. Sets `qemu` and `sysroot` for running aarch64 Linux programs, and `cross_dir`. No NDK and no Xcode:
# see docs/android.md and docs/ios.md.

sysroot=/usr/aarch64-linux-gnu

cross_packages=()
command -v aarch64-linux-gnu-gcc >/dev/null || cross_packages+=(gcc-aarch64-linux-gnu)
[ -e "$sysroot/lib/libc.so.6" ] || cross_packages+=(libc6-dev-arm64-cross)
command -v qemu-aarch64-static >/dev/null || command -v qemu-aarch64 >/dev/null || cross_packages+=(qemu-user-static)
command -v clang >/dev/null || cross_packages+=(clang)
command -v llvm-ar >/dev/null || cross_packages+=(llvm)
if [ ${#cross_packages[@]} -gt 0 ]; then
    echo "cross-env: installing ${cross_packages[*]}"
    cross_sudo=""
    [ "$(id -u)" -eq 0 ] || cross_sudo=sudo
    $cross_sudo apt-get install -y --no-install-recommends "${cross_packages[@]}" >/dev/null \
        || { $cross_sudo apt-get update >/dev/null \
            && $cross_sudo apt-get install -y --no-install-recommends "${cross_packages[@]}" >/dev/null; }
fi
for cross_triple in aarch64-unknown-linux-gnu aarch64-linux-android aarch64-apple-ios; do
    rustup target list --installed | grep -qx "$cross_triple" || rustup target add "$cross_triple"
done
qemu=$(command -v qemu-aarch64-static || command -v qemu-aarch64)

# The aarch64 Linux builds (scripts/test-arm64.sh's tests, scripts/build-wheel.sh's aarch64 wheel) share one target
# dir outside the work tree, so repeated runs on one machine only rebuild what changed. The host build stays in
# target/.
cross_dir="${HAVEN_ARM64_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/haven/target-aarch64}"
mkdir -p "$cross_dir"

# aarch64 Linux: Debian's cross gcc links, and assembles tract-linalg's NEON kernels; qemu runs the tests.
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER="$qemu -L $sysroot"
export CC_aarch64_unknown_linux_gnu=aarch64-linux-gnu-gcc
export AR_aarch64_unknown_linux_gnu=aarch64-linux-gnu-ar
# Android and iOS: only static libraries can be built here (a shared library needs the NDK's or Xcode's linker and
# system libraries). clang, given the target by cc-rs, assembles tract-linalg's kernels for both.
export CC_aarch64_linux_android=clang AR_aarch64_linux_android=llvm-ar
export CC_aarch64_apple_ios=clang AR_aarch64_apple_ios=llvm-ar
# cc-rs asks `xcrun` for the iOS SDK, only to pass it as -isysroot; tract-linalg's assembly includes no SDK header,
# so without Xcode an empty folder stands in for it.
if ! command -v xcrun >/dev/null && [ -z "${SDKROOT:-}" ]; then
    SDKROOT="${XDG_CACHE_HOME:-$HOME/.cache}/haven/no-ios-sdk"
    mkdir -p "$SDKROOT"
    export SDKROOT
fi
