#!/usr/bin/env bash
# The whole test suite, as CI runs it on a clean checkout: formatting, lints, the Rust tests, the fixture
# evaluation, the image pipeline against the reference, the Python, Kotlin and Swift bindings, the samples' tests,
# and the arm64 build's tests under emulation. Installs what it needs (Python packages into .venv, the model, Maven
# artifacts, the cross toolchain, the Debian roots for Swift and for arm64 Python) idempotently.
set -euo pipefail
cd "$(dirname "$0")/.."

# Each step's wall time, printed as it ends and again as a table at the end (the README's timings come from it).
timings=()
current=""
started=$SECONDS
step_started=$SECONDS
step() {
  if [ -n "$current" ]; then
    timings+=("$(printf '%5d s  %s' $((SECONDS - step_started)) "$current")")
    printf '(%s: %d s)\n' "$current" $((SECONDS - step_started))
  fi
  current="$*"
  step_started=$SECONDS
  printf '\n== %s\n' "$*"
}

step "cargo fmt"
cargo fmt --all --check

step "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo test (release profile, one build shared with the CLI and the bindings)"
# The model first: the NudeNet tests skip themselves without it, and CI must not pass by skipping them.
scripts/fetch-models.sh
scripts/build.sh
cargo test --workspace --release --locked

step "haven eval fixtures/conversations"
target/release/haven eval fixtures/conversations

step "false alarms on the chatterbot-corpus dialogues (committed maxima per language)"
scripts/setup-python.sh && .venv/bin/python tools/corpus/chatterbot_false_alarms.py

step "soak (10 s: concurrent observe, export/import, forget, model reloads)"
HAVEN_SOAK_SECONDS=10 cargo test --release --locked --workspace --test soak -- --ignored --nocapture

step "fuzz targets (20 s each; the instrumented build is cached under ~/.cache/haven/fuzz-target)"
scripts/fuzz.sh --seconds 20

step "image pipeline (parity with the reference, synthetic models, bad input)"
scripts/test-image.sh

step "bindings (Python, Kotlin)"
scripts/test-bindings.sh

step "Swift on Linux (bindings XCTest suite, iOS sample's chat logic; Debian trixie root cached)"
scripts/test-swift.sh

step "Android sample (JVM)"
scripts/test-samples.sh

step "arm64 under qemu (core and FFI tests, image tests through the aarch64 haven, Python on the aarch64 wheel)"
scripts/test-arm64.sh

step "all tests passed"
printf '%s\n' "${timings[@]}"
printf '%5d s  in all\n' $((SECONDS - started))
