#!/usr/bin/env bash
# Tests the Android sample's JVM-checkable parts with Maven (no Android SDK needed):
#   android-sample/chat  the SDK-facing repository and view model, JUnit 5 against the generated Kotlin and the
#                        host libhaven from the same build (scripts/gen-bindings.sh);
#   android-sample/app   the Activity and views, compiled against the Android framework classes of
#                        org.robolectric:android-all from Maven Central (about 140 MB on the first run).
# The first run downloads the pinned Maven artifacts; later runs work from ~/.m2.
# Usage: scripts/test-samples.sh [extra Maven arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

# Rebuilds the host library and regenerates the bindings only if something changed, so the tests load exactly
# the library the Kotlin was generated from.
scripts/gen-bindings.sh
target_dir=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')

reports=android-sample/chat/target/surefire-reports
rm -rf "$reports"
status=0
mvn -q -B -Dstyle.color=never -f android-sample/pom.xml -Dhaven.target="$target_dir" "$@" verify || status=$?
scripts/surefire-summary.sh android-sample "$reports"
[ "$status" = 0 ] && echo "android-sample: UI code compiled against android-all"
exit "$status"
