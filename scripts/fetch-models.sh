#!/usr/bin/env bash
# Fetches the default image model (NudeNet 320n, from the PyPI wheel nudenet==3.4.2) into models/.
# Idempotent: a models/nudenet-320n.onnx with the pinned SHA-256 is left alone. The weights are never
# committed (models/ is git-ignored); see docs/model-card.md for provenance and licence.
set -euo pipefail
cd "$(dirname "$0")/.."

NUDENET_VERSION=3.4.2
model=models/nudenet-320n.onnx
manifest_src=manifests/nudenet-320n.json

# The venv's pip when it exists (scripts/setup-python.sh), otherwise the system one.
if [ -x .venv/bin/python ]; then py=.venv/bin/python; else py=python3; fi
# One source of truth for the digest: the manifest's, which the library checks on every load too.
MODEL_SHA256=$("$py" -c 'import json, sys; print(json.load(open(sys.argv[1]))["sha256"])' "$manifest_src")

mkdir -p models
if [ -f "$model" ] && [ "$(sha256sum "$model" | cut -d' ' -f1)" = "$MODEL_SHA256" ]; then
    echo "fetch-models: $model present, checksum ok"
else
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    "$py" -m pip download --quiet --disable-pip-version-check --no-deps \
        "nudenet==$NUDENET_VERSION" -d "$tmp"
    # zipfile rather than unzip: no extra system dependency.
    "$py" - "$tmp" "$model.partial" <<'PY'
import glob, sys, zipfile
wheel = glob.glob(sys.argv[1] + "/nudenet-*.whl")[0]
with zipfile.ZipFile(wheel) as z, open(sys.argv[2], "wb") as out:
    out.write(z.read("nudenet/320n.onnx"))
PY
    got=$(sha256sum "$model.partial" | cut -d' ' -f1)
    if [ "$got" != "$MODEL_SHA256" ]; then
        rm -f "$model.partial"
        echo "fetch-models: checksum mismatch for nudenet/320n.onnx: got $got, want $MODEL_SHA256" >&2
        exit 1
    fi
    mv "$model.partial" "$model"
    echo "fetch-models: wrote $model"
fi

cp "$manifest_src" models/nudenet-320n.json
echo "fetch-models: copied $manifest_src to models/nudenet-320n.json"
