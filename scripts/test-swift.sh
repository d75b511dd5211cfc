#!/usr/bin/env bash
# Compiles and tests Haven's Swift layer on Linux: the XCTest suite of bindings/swift and the iOS sample's SDK-facing
# package (ios-sample/Chat), against the host libhaven.so and the Swift generated from that same build.
#
# Swift runs in a Debian trixie root (Debian's `swiftlang`: Swift 6.0 with Foundation and XCTest), made once with
# `debootstrap --variant=minbase` under ${XDG_CACHE_HOME:-$HOME/.cache}/haven/swift-trixie and reused while its
# marker file says it is complete (about 3 GB). The repository (and the cargo target directory) are bind-mounted at
# their own paths inside it, with /proc and /dev, for the run only: a trap unmounts them on every exit.
# The Linux SwiftPM package is laid out in <target>/swift-linux (generated, never committed); the XCFramework
# package in bindings/swift stays for Apple platforms.
#
# Needs root (chroot, mount) or sudo. Usage: scripts/test-swift.sh [swift test arguments...]
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd -P)

# Bump when the root's recipe changes, so cached roots are rebuilt. libc6-dev: the linker's C runtime files, which
# swiftlang only gets through gcc's recommends (left out to keep the root small).
ROOT_RECIPE="trixie minbase swiftlang libc6-dev v2"
cache=${XDG_CACHE_HOME:-$HOME/.cache}/haven
root=$cache/swift-trixie
marker=$root/.haven-swift-root

sudo=()
[ "$(id -u)" = 0 ] || sudo=(sudo)

mkdir -p "$cache"
# One run at a time per cache: two runs would share the root's mounts.
exec 9>"$cache/swift-trixie.lock"
flock 9

# Every mount this run makes, unmounted in reverse order on exit (success, failure or interrupt).
mounts=()
unmount_all() {
    local i
    for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
        "${sudo[@]}" umount "${mounts[i]}" 2>/dev/null || "${sudo[@]}" umount -l "${mounts[i]}" || true
    done
    mounts=()
}
trap unmount_all EXIT
trap 'exit 130' INT TERM

# Mounts left under a root by a run that was killed outright (no trap), deepest first.
clear_stale_mounts() {
    local dir=$1 path
    awk -v d="$dir/" 'index($2 "/", d) == 1 { print $2 }' /proc/self/mounts | sort -r | while read -r path; do
        "${sudo[@]}" umount -l "$path"
    done
}

bind_in() { # bind_in SOURCE: SOURCE appears at the same path inside the root
    "${sudo[@]}" mkdir -p "$root$1"
    "${sudo[@]}" mount --bind "$1" "$root$1"
    mounts+=("$root$1")
}

mount_system() {
    "${sudo[@]}" mount -t proc proc "$root/proc"
    mounts+=("$root/proc")
    "${sudo[@]}" mount --bind /dev "$root/dev"
    mounts+=("$root/dev")
}

# The Debian mirror apt already uses here (deb.debian.org when none is found).
debian_mirror() {
    grep -rhoE 'https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null \
        | head -n1 | tr -d ' ' | sed 's:/$::' || true
}

clear_stale_mounts "$root"
if [ -f "$marker" ] && [ "$(cat "$marker")" = "$ROOT_RECIPE" ]; then
    echo "test-swift: reusing the Swift root $root"
else
    started=$SECONDS
    if ! command -v debootstrap >/dev/null; then
        "${sudo[@]}" apt-get update -qq
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap
    fi
    mirror=$(debian_mirror)
    mirror=${mirror:-http://deb.debian.org/debian}
    echo "test-swift: building the Swift root $root from $mirror (once; a few minutes, about 3 GB)"
    # --one-file-system: never follow into a bind mount a killed run may have left.
    "${sudo[@]}" rm -rf --one-file-system "$root"
    "${sudo[@]}" debootstrap --variant=minbase trixie "$root" "$mirror"
    mount_system
    "${sudo[@]}" chroot "$root" apt-get update -q
    "${sudo[@]}" chroot "$root" /usr/bin/env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        --no-install-recommends swiftlang libc6-dev
    "${sudo[@]}" chroot "$root" apt-get clean
    unmount_all
    echo "$ROOT_RECIPE" | "${sudo[@]}" tee "$marker" >/dev/null
    echo "test-swift: Swift root ready in $((SECONDS - started)) s"
fi

# NudeNet for the suite's benign-photo test (idempotent; skipped by the test when absent), then the host library
# and the Swift and C header generated from it (cargo rebuilds only what changed).
scripts/fetch-models.sh
scripts/gen-bindings.sh
target_dir=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
target_dir=$(cd "$target_dir" && pwd -P)
generated=$target_dir/bindings/swift
libdir=$target_dir/release

# The Linux package: the generated API as target Haven over a system-library target HavenFFI (the generated header
# with a module map that links libhaven.so), and the committed test and sample sources through symlinks, so
# compiler messages point at the files in the repository.
pkg=$target_dir/swift-linux
mkdir -p "$pkg/Sources/HavenFFI" "$pkg/Sources/Haven" "$pkg/Tests"
# Files are replaced only when their content changed, so SwiftPM rebuilds only what did.
put() { # put FILE: stdin becomes FILE
    local tmp
    tmp=$(mktemp "$1.XXXXXX")
    cat >"$tmp"
    if cmp -s "$tmp" "$1"; then rm -f "$tmp"; else mv "$tmp" "$1"; fi
}
put "$pkg/Sources/HavenFFI/HavenFFI.h" <"$generated/HavenFFI.h"
put "$pkg/Sources/Haven/Haven.swift" <"$generated/Haven.swift"
# UniFFI's own module map names Darwin; this one names the library to link instead.
put "$pkg/Sources/HavenFFI/module.modulemap" <<'MAP'
module HavenFFI {
    header "HavenFFI.h"
    link "haven"
    export *
}
MAP
ln -sfn "$repo/bindings/swift/Tests/HavenTests" "$pkg/Tests/HavenTests"
ln -sfn "$repo/ios-sample/Chat/Sources/HavenChat" "$pkg/Sources/HavenChat"
ln -sfn "$repo/ios-sample/Chat/Tests/HavenChatTests" "$pkg/Tests/HavenChatTests"
put "$pkg/Package.swift" <<'SWIFT'
// swift-tools-version:5.9
// Generated by scripts/test-swift.sh: Haven's Swift API and the iOS sample's chat logic, built and tested on Linux
// against the host libhaven.so.
import PackageDescription

let package = Package(
    name: "HavenLinux",
    targets: [
        .systemLibrary(name: "HavenFFI", path: "Sources/HavenFFI"),
        .target(name: "Haven", dependencies: ["HavenFFI"], path: "Sources/Haven"),
        .testTarget(name: "HavenTests", dependencies: ["Haven"], path: "Tests/HavenTests"),
        .target(name: "HavenChat", dependencies: ["Haven"], path: "Sources/HavenChat"),
        .testTarget(name: "HavenChatTests", dependencies: ["HavenChat"], path: "Tests/HavenChatTests"),
    ]
)
SWIFT

# Inside the root: the repository and the target directory at their own paths.
mount_system
bind_in "$repo"
case "$target_dir/" in
    "$repo"/*) ;;
    *) bind_in "$target_dir" ;;
esac
swift_args=(-Xlinker -L"$libdir" -Xlinker -rpath -Xlinker "$libdir")
quoted_args=$(printf '%q ' "${swift_args[@]}")
quoted_test=
[ "$#" = 0 ] || quoted_test=$(printf '%q ' "$@")
"${sudo[@]}" chroot "$root" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/root LANG=C.UTF-8 \
    HAVEN_REPO="$repo" /bin/bash -c "cd $(printf '%q' "$pkg") && swift build --build-tests $quoted_args && swift test --skip-build $quoted_args $quoted_test"
echo "test-swift: Swift suites passed"
