#!/usr/bin/env bash
# Tests the bindings as apps use them: builds the library and generates the bindings (gen-bindings.sh), runs the
# Python pytest suite in the project's .venv, then the Kotlin JUnit suite on the JVM with Maven, both against
# that same library. Idempotent; the first Maven run downloads its pinned plugins from Maven Central.
#
# Usage: scripts/test-bindings.sh [pytest args...]
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup-python.sh
scripts/gen-bindings.sh
target_dir=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')

echo "test-bindings: Python"
HAVEN_PYTHON_BINDINGS="$target_dir/bindings/python" .venv/bin/python -m pytest -q bindings/python "$@"

echo "test-bindings: Kotlin"
reports=bindings/kotlin/target/surefire-reports
rm -rf "$reports"
status=0
(cd bindings/kotlin && mvn -q -B -Dstyle.color=never test -Dhaven.target="$target_dir") || status=$?
scripts/surefire-summary.sh kotlin "$reports"
exit "$status"
