#!/usr/bin/env bash
# Builds the haven library in release and generates its Kotlin, Swift and Python bindings, in library mode from
# that same built library, into target/bindings/{kotlin,swift,python}. The Python folder also gets a copy of the
# library, so `import haven` there loads exactly the build the bindings were generated from.
#
# Usage: scripts/gen-bindings.sh        (idempotent; cargo rebuilds only what changed)
set -euo pipefail
cd "$(dirname "$0")/.."

case "$(uname -s)" in
    Darwin) lib_file=libhaven.dylib ;;
    *) lib_file=libhaven.so ;;
esac
target_dir=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
lib="$target_dir/release/$lib_file"
out="$target_dir/bindings"

scripts/build.sh --quiet

for language in kotlin swift python; do
    rm -rf "${out:?}/$language"
    cargo uniffi-bindgen generate --library "$lib" --language "$language" --out-dir "$out/$language" --no-format
done
cp "$lib" "$out/python/"

echo "gen-bindings: $out/{kotlin,swift,python} from $lib"
