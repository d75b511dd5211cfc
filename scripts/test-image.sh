#!/usr/bin/env bash
# Image part of the test command (called by scripts/test.sh): installs the Python test dependencies,
# fetches the NudeNet 320n model, builds the CLI in release, generates the large benign JPEGs and runs
# the parity, synthetic-model and bad-input tests in tools/image. Idempotent; passes on a clean clone.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-python.sh
scripts/fetch-models.sh
scripts/build.sh
large="${TMPDIR:-/tmp}/haven-large-images"
.venv/bin/python tools/image/gen_large_images.py "$large" >/dev/null
HAVEN_BIN="${HAVEN_BIN:-$PWD/target/release/haven}" HAVEN_LARGE_IMAGES="$large" \
    .venv/bin/python -m pytest -q -p no:cacheprovider tools/image "$@"
