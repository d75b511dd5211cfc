#!/usr/bin/env bash
# Tests the bindings as apps use them: builds the library and generates the bindings (gen-bindings.sh); builds
# the Python wheel from that same library (build-wheel.sh), installs it into a fresh virtual environment
# (target/wheel-venv, recreated every run) and runs the pytest suite against the installed package; then runs the
# Kotlin JUnit suite on the JVM with Maven against the library. Idempotent; the first runs download pytest (pip's
# cache keeps it) and Maven's pinned plugins.
#
# Usage: scripts/test-bindings.sh [pytest args...]
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup-python.sh
scripts/gen-bindings.sh
target_dir=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')

echo "test-bindings: Python (the installed wheel)"
scripts/build-wheel.sh --host-only
version=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"name":"haven-ffi","version":"\([^"]*\)".*/\1/p')
wheel=$(ls "$target_dir"/wheels/haven_safety-"$version"-*_"$(uname -m)".whl)
venv="$target_dir/wheel-venv"
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "$wheel" "$(grep '^pytest==' requirements-dev.txt)"
# From outside the repository, so nothing in the work tree can shadow the installed package. HAVEN_CLI: the CLI
# of this same build, whose `haven corpus --json` the corpus helper must match.
tests=$PWD/bindings/python
(cd "$venv" && HAVEN_CLI="$target_dir/release/haven" bin/python -m pytest -q -p no:cacheprovider --rootdir "$tests" "$tests" "$@")

echo "test-bindings: Kotlin"
reports=bindings/kotlin/target/surefire-reports
rm -rf "$reports"
status=0
(cd bindings/kotlin && mvn -q -B -Dstyle.color=never test -Dhaven.target="$target_dir") || status=$?
scripts/surefire-summary.sh kotlin "$reports"
exit "$status"
