#!/usr/bin/env bash
# The main job: fetches the image model if it is missing, builds the CLI and replays the demo conversations,
# with an image check inside one of them.
# Only the haven binary is built (no tests, benches or bindings): cli/Cargo.toml aligns its dependency features with
# the whole workspace, so the later scripts/build.sh of the tests reuses this build of tract instead of redoing it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/fetch-models.sh
cargo build --release --locked -p haven-cli --bin haven
exec target/release/haven demo "$@"
