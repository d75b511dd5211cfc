#!/usr/bin/env bash
# Runs every cargo-fuzz target in fuzz/ for N seconds each (default 30) and fails on any crash, timeout, OOM or
# leak report. Installs cargo-fuzz from crates.io if missing. The instrumented build is cached under
# ${XDG_CACHE_HOME:-$HOME/.cache}/haven/fuzz-target, so only the first run rebuilds the dependencies.
# Usage: scripts/fuzz.sh [--seconds N] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=30
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done

if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --version 0.13.2 --locked
fi

export CARGO_TARGET_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/haven/fuzz-target"
cd fuzz
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo +nightly fuzz list)
fi
cargo +nightly fuzz build --release

for target in "${targets[@]}"; do
  corpus="corpus/$target"
  work="$(mktemp -d)"
  echo "== fuzz $target for ${seconds}s"
  # The committed seeds are read-only input; new cases go to a scratch corpus so the tree stays clean.
  # -timeout: one input over 10 s is a hang; -rss_limit_mb bounds memory; leaks are detected by ASan at exit.
  if ! cargo +nightly fuzz run --release "$target" "$work" "$corpus" -- \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=262144 \
      -print_final_stats=1 2>"$work/log"; then
    tail -n 60 "$work/log"
    echo "fuzz target $target failed: see fuzz/artifacts/$target/" >&2
    exit 1
  fi
  grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$work/log" || true
  rm -rf "$work"
done
