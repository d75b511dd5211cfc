# Shared pytest fixtures for the image tests: paths, the haven binary, the NudeNet model, generated
# large images and a cached reference pipeline.
"""pytest fixtures for tools/image."""

import json
import os
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_large_images  # noqa: E402
import reference  # noqa: E402

REPO = reference.REPO
MODEL = os.path.join(REPO, "models", "nudenet-320n.onnx")
MANIFEST = os.path.join(REPO, "manifests", "nudenet-320n.json")
FIXTURES = os.path.join(REPO, "fixtures", "images")
SYNTHETIC = os.path.join(REPO, "fixtures", "models")


def haven_bin():
    path = os.environ.get("HAVEN_BIN", os.path.join(REPO, "target", "release", "haven"))
    return path if os.path.isabs(path) else os.path.join(REPO, path)


def run_haven(*args, timeout=600):
    """Runs the haven CLI; fails the test (not skips) when the binary has not been built, since
    scripts/test-image.sh always builds it first."""
    binary = haven_bin()
    if not os.path.exists(binary):
        pytest.fail(f"{binary} not found: build it with `cargo build --release -p haven-cli` or set HAVEN_BIN")
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=timeout)


def json_lines(stdout):
    return [json.loads(line) for line in stdout.splitlines() if line.strip().startswith("{")]


@pytest.fixture(scope="session")
def nudenet_model():
    if not os.path.exists(MODEL):
        pytest.skip(f"{MODEL} absent: run scripts/fetch-models.sh (scripts/test-image.sh does)")
    return MODEL


@pytest.fixture(scope="session")
def large_images(tmp_path_factory):
    """{name: path} of the generated 10 MP and phone-size JPEGs (HAVEN_LARGE_IMAGES reuses a dir)."""
    out = os.environ.get("HAVEN_LARGE_IMAGES") or str(tmp_path_factory.mktemp("large"))
    return gen_large_images.generate(out)
