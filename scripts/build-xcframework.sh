#!/usr/bin/env bash
# Builds HavenFFI.xcframework for the Swift package in bindings/swift, and copies the generated Swift into the
# package's Haven target, both from the same build.
#
# Runs on macOS with Xcode (xcodebuild, lipo) and rustup. Slices:
#   ios-arm64                  device, aarch64-apple-ios
#   ios-arm64_x86_64-simulator aarch64-apple-ios-sim + x86_64-apple-ios, combined with lipo
#   macos-arm64_x86_64         aarch64-apple-darwin + x86_64-apple-darwin, so `swift test` runs the XCTest
#                              suite on the Mac itself (skip with MACOS=0 for an iOS-only framework)
# Each slice is the mobile-profile static library (libhaven.a). The C header and module map sit in a folder named after
# the FFI module (Headers/<module>/), so they cannot collide with other XCFrameworks' headers when Xcode merges
# every framework's headers into one include directory.
#
# Usage: scripts/build-xcframework.sh
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(uname -s)" != Darwin ]; then
    echo "build-xcframework: needs macOS with Xcode (xcodebuild and lipo); this is $(uname -s)" >&2
    exit 1
fi

# Lowest iOS and macOS versions the static libraries are built for; match `platforms` in Package.swift.
export IPHONEOS_DEPLOYMENT_TARGET=15.0
export MACOSX_DEPLOYMENT_TARGET=12.0
MACOS=${MACOS:-1}
PACKAGE=bindings/swift
XCFRAMEWORK=$PACKAGE/HavenFFI.xcframework
target_dir=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
WORK=$target_dir/xcframework

device=(aarch64-apple-ios)
simulator=(aarch64-apple-ios-sim x86_64-apple-ios)
macos=(aarch64-apple-darwin x86_64-apple-darwin)
all=("${device[@]}" "${simulator[@]}")
[ "$MACOS" = 1 ] && all+=("${macos[@]}")

rustup target add "${all[@]}"
for triple in "${all[@]}"; do
    cargo build --profile mobile -p haven-ffi --lib --target "$triple"
done

# Swift sources, C header and module map, generated from the host build of the same sources.
scripts/gen-bindings.sh
generated=$target_dir/bindings/swift
modulemap=$(ls "$generated"/*.modulemap)
header=$(ls "$generated"/*.h)
ffi_module=$(awk '$1 == "module" || $2 == "module" { for (i = 1; i <= NF; i++) if ($i == "module") { print $(i + 1); exit } }' "$modulemap")
[ -n "$ffi_module" ] || { echo "build-xcframework: no module name in $modulemap" >&2; exit 1; }

rm -rf "$WORK" "$XCFRAMEWORK"
mkdir -p "$WORK/headers/$ffi_module" "$WORK/ios-simulator" "$WORK/macos"
cp "$header" "$WORK/headers/$ffi_module/"
# UniFFI writes a plain (non-framework) module map, which is what a static library's headers need; it only has
# to be named module.modulemap for Xcode to find it.
cp "$modulemap" "$WORK/headers/$ffi_module/module.modulemap"

lib() { echo "$target_dir/$1/mobile/libhaven.a"; }
lipo -create "$(lib aarch64-apple-ios-sim)" "$(lib x86_64-apple-ios)" -output "$WORK/ios-simulator/libhaven.a"
args=(-library "$(lib aarch64-apple-ios)" -headers "$WORK/headers"
      -library "$WORK/ios-simulator/libhaven.a" -headers "$WORK/headers")
if [ "$MACOS" = 1 ]; then
    lipo -create "$(lib aarch64-apple-darwin)" "$(lib x86_64-apple-darwin)" -output "$WORK/macos/libhaven.a"
    args+=(-library "$WORK/macos/libhaven.a" -headers "$WORK/headers")
fi
xcodebuild -create-xcframework "${args[@]}" -output "$XCFRAMEWORK"

# The generated Swift is a build output too: it is git-ignored and always replaced with this build's copy.
mkdir -p "$PACKAGE/Sources/Haven"
cp "$(ls "$generated"/*.swift)" "$PACKAGE/Sources/Haven/Haven.generated.swift"

echo "build-xcframework: $XCFRAMEWORK (FFI module $ffi_module) and $PACKAGE/Sources/Haven/Haven.generated.swift"
echo "build-xcframework: test with: (cd $PACKAGE && swift test)"
