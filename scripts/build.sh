#!/usr/bin/env bash
# Builds the whole workspace in the release profile, tests and benches included: the CLI, the FFI library, the
# bindgen and the tests then share one feature resolution. (Building one package with `-p` resolves features
# differently and would recompile tract and most dependencies a second time; cli/Cargo.toml aligns the CLI's
# features with this build so that scripts/demo.sh's `-p haven-cli` build is reused here.) Idempotent; extra
# arguments go to cargo.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --workspace --all-targets "$@"
