#!/usr/bin/env bash
# The main job: fetches the image model if it is missing, builds the CLI and replays the demo conversations,
# with an image check inside one of them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/fetch-models.sh
scripts/build.sh
exec target/release/haven demo "$@"
