#!/usr/bin/env bash
# The whole test suite, as CI runs it on a clean checkout: formatting, lints, the Rust tests, the fixture
# evaluation, the image pipeline against the reference, the Python and Kotlin bindings, and the Android sample's
# JVM tests. Installs what it needs (Python packages into .venv, the model, Maven artifacts) idempotently.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

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

step "image pipeline (parity with the reference, synthetic models, bad input)"
scripts/test-image.sh

step "bindings (Python, Kotlin)"
scripts/test-bindings.sh

step "Swift on Linux (bindings XCTest suite, iOS sample's chat logic; Debian trixie root cached)"
scripts/test-swift.sh

step "Android sample (JVM)"
scripts/test-samples.sh

step "all tests passed"
