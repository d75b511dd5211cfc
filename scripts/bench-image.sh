#!/usr/bin/env bash
# Image benchmark, Haven (tract) beside the reference pipeline (onnxruntime), in one run: 1 and 2 threads,
# phone-size photo and 10-megapixel JPEG, median end-to-end ms, model load time, peak RSS. Prints a
# markdown table for docs/benchmarks.md. Extra arguments go to tools/image/bench_compare.py (--runs N).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-python.sh
scripts/fetch-models.sh >&2
scripts/build.sh >&2
.venv/bin/python tools/image/bench_compare.py --haven target/release/haven "$@"
