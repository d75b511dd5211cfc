#!/usr/bin/env bash
# Builds the whole workspace in the release profile, tests and benches included: the CLI, the FFI library, the
# bindgen and the tests then share one feature resolution. (Building one package with `-p` resolves features
# differently and recompiles tract and most dependencies a second time.) Idempotent; extra arguments go to cargo.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --workspace --all-targets "$@"
