#!/usr/bin/env bash
# Text engine benchmark, Haven beside a Python keyword-list peer (tools/bench/keyword_peer.py), in one run on the
# same corpus: messages/s of both and their ratio, Haven's p50/p99 per message and start-up. Prints a markdown
# table for docs/benchmarks.md. Arguments: fixture files or folders (default: fixtures/conversations and
# fixtures/validation); ROUNDS=N sets the timed passes over the corpus (default 30).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-30}
if [ $# -eq 0 ]; then set -- fixtures/conversations fixtures/validation; fi
cargo build --release --locked --quiet -p haven-cli --bin haven >&2
if [ -x .venv/bin/python ]; then py=.venv/bin/python; else py=python3; fi

haven=$(target/release/haven bench --rounds "$rounds" "$@")
peer=$("$py" tools/bench/keyword_peer.py --rounds "$rounds" "$@")
field() { awk -v k="$1" '$1 == k { print $2 }'; }
haven_mps=$(field messages_per_second <<<"$haven")
peer_mps=$(field messages_per_second <<<"$peer")
python3 - "$haven_mps" "$peer_mps" "$(field p50_us <<<"$haven")" "$(field p99_us <<<"$haven")" \
    "$(field first_message_ready_ms <<<"$haven")" "$(field messages <<<"$haven")" "$(field messages <<<"$peer")" <<'PY'
import sys
haven, peer, p50, p99, ready, n_haven, n_peer = sys.argv[1:]
print("| engine | messages timed | messages/s | p50 µs | p99 µs | rules ready for the first message |")
print("|---|---|---|---|---|---|")
print(f"| Haven (`haven bench`) | {n_haven} | {float(haven):,.0f} | {p50} | {p99} | {ready} ms |")
print(f"| Python keyword peer | {n_peer} | {float(peer):,.0f} | | | |")
print(f"\nratio Haven / peer: {float(haven) / float(peer):.1f}x")
PY
