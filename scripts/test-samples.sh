#!/usr/bin/env bash
# Tests the Android sample's JVM-checkable parts with Maven (no Android SDK needed):
#   android-sample/chat  the SDK-facing repository and view model, JUnit 5 against the generated Kotlin and the
#                        host libhaven from the same build (scripts/gen-bindings.sh);
#   android-sample/app   the Activity and views, compiled against the Android framework classes of
#                        org.robolectric:android-all from Maven Central (about 140 MB on the first run).
# The first run downloads the pinned Maven artifacts; later runs are offline-capable from ~/.m2.
# Usage: scripts/test-samples.sh [extra Maven arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

# Regenerate the bindings and rebuild the host library if anything changed (a no-op otherwise), so the tests
# load exactly the library the Kotlin was generated from.
scripts/gen-bindings.sh

mvn -B -ntp -f android-sample/pom.xml "$@" verify
