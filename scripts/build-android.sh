#!/usr/bin/env bash
# Builds libhaven.so for Android (arm64-v8a, armeabi-v7a, x86_64) into the AAR module's jniLibs, and the Kotlin
# bindings the module compiles, so `bindings/android` can be assembled with Gradle.
#
# Runs on a developer machine with the Android NDK (r27 or later; set ANDROID_NDK_HOME, or let cargo-ndk find
# the newest NDK under the Android SDK). Release profile, symbols stripped, every ELF segment aligned to 16 KB
# so the library loads on devices with 16 KB pages (required by Google Play for Android 15+ targets).
#
# Usage: scripts/build-android.sh            # all three ABIs
#        ABIS="arm64-v8a" scripts/build-android.sh   # a subset, for a faster local loop
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_NDK_VERSION=3.5.4
# API level the .so files link against; matches minSdk in bindings/android/build.gradle.kts.
ANDROID_API=24
ABIS=${ABIS:-"arm64-v8a armeabi-v7a x86_64"}
OUT=bindings/android/src/main/jniLibs

if ! cargo ndk --version >/dev/null 2>&1; then
    echo "build-android: cargo-ndk missing; installing $CARGO_NDK_VERSION" >&2
    cargo install cargo-ndk --version "$CARGO_NDK_VERSION" --locked
fi

targets=()
ndk_args=()
for abi in $ABIS; do
    case "$abi" in
        arm64-v8a) triple=aarch64-linux-android ;;
        armeabi-v7a) triple=armv7-linux-androideabi ;;
        x86_64) triple=x86_64-linux-android ;;
        *) echo "build-android: unsupported ABI $abi (use arm64-v8a, armeabi-v7a, x86_64)" >&2; exit 2 ;;
    esac
    targets+=("$triple")
    ndk_args+=(-t "$abi")
    # Per-target flags rather than RUSTFLAGS: they reach only the Android artifacts, never host build scripts,
    # and leave a developer's own RUSTFLAGS alone.
    var="CARGO_TARGET_$(echo "$triple" | tr 'a-z-' 'A-Z_')_RUSTFLAGS"
    export "$var=-C link-arg=-Wl,-z,max-page-size=16384"
done
rustup target add "${targets[@]}"

# Strip in cargo itself so the .so under jniLibs is the small one even if cargo-ndk's own strip is disabled.
export CARGO_PROFILE_RELEASE_STRIP=symbols

mkdir -p "$OUT"
cargo ndk "${ndk_args[@]}" --platform "$ANDROID_API" -o "$OUT" build --profile mobile -p haven-ffi

# The generated Kotlin must come from the same sources as the .so files: regenerate it now.
scripts/gen-bindings.sh

# Verify the alignment where the NDK's llvm-readelf is at hand: every LOAD segment must be 2**14 or more.
# Any NDK's llvm-readelf will do: look where cargo-ndk looks for an NDK (its variables, then the SDK's ndk/).
readelf=
for ndk in "${ANDROID_NDK_HOME:-}" "${ANDROID_NDK_ROOT:-}" "${ANDROID_HOME:-/nonexistent}"/ndk/* \
           "${ANDROID_SDK_ROOT:-/nonexistent}"/ndk/* "$HOME/Library/Android/sdk/ndk"/* "$HOME/Android/Sdk/ndk"/*; do
    for tool in "$ndk"/toolchains/llvm/prebuilt/*/bin/llvm-readelf; do
        [ -x "$tool" ] && readelf=$tool
    done
done
readelf=${readelf:-$(command -v llvm-readelf || command -v readelf || true)}
for abi in $ABIS; do
    so="$OUT/$abi/libhaven.so"
    [ -f "$so" ] || { echo "build-android: $so was not produced" >&2; exit 1; }
    if [ -n "$readelf" ]; then
        # The last column of each LOAD line is its alignment in hex; bash arithmetic reads 0x... portably.
        aligned=yes
        while read -r align; do
            [ $((align)) -ge 16384 ] || aligned=no
        done < <("$readelf" -lW "$so" | awk '$1 == "LOAD" { print $NF }')
        if [ "$aligned" = yes ]; then
            echo "build-android: $so ($(du -h "$so" | cut -f1)), LOAD segments 16 KB aligned"
        else
            echo "build-android: $so has a LOAD segment aligned below 16 KB" >&2
            exit 1
        fi
    else
        echo "build-android: $so built (no readelf found to check alignment)"
    fi
done
echo "build-android: done. Assemble the AAR with: (cd bindings/android && gradle assembleRelease)"
