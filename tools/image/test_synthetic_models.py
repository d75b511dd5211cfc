# Checks the synthetic ONNX models in fixtures/models/: the generator reproduces them byte for byte,
# they emit what they claim on onnxruntime, their detections land on the intended verdicts under the
# real NudeNet manifest policy, and `haven image` drives the safe, suggestive and explicit paths with
# them from benign synthetic images (plain grey levels).
"""Synthetic model reproducibility and end-to-end verdict paths."""

import filecmp
import glob
import os

import numpy as np
import onnxruntime as ort
import pytest
from PIL import Image

import gen_synthetic_models as gen
import reference
from conftest import FIXTURES, MANIFEST, SYNTHETIC, json_lines, run_haven

def policy():
    assert os.path.exists(MANIFEST), f"{MANIFEST} missing"
    p = reference.load_policy(MANIFEST)
    assert p["explicit"] and p["suggestive"], f"no explicit/suggestive labels read from {MANIFEST}"
    return p


def test_generator_reproduces_committed_files(tmp_path):
    written = gen.generate(str(tmp_path), MANIFEST)
    names = sorted(os.path.basename(p) for p in written)
    committed = sorted(os.path.basename(p) for p in glob.glob(os.path.join(SYNTHETIC, "*")))
    assert names == committed
    for name in names:
        assert filecmp.cmp(tmp_path / name, os.path.join(SYNTHETIC, name), shallow=False), (
            f"{name} differs from a fresh run of gen_synthetic_models.py: regenerate and commit"
        )


def run_model(name, level):
    session = ort.InferenceSession(os.path.join(SYNTHETIC, name), providers=["CPUExecutionProvider"])
    out = session.run(None, {"images": np.full((1, 3, 320, 320), level, np.float32)})[0]
    return out, reference.postprocess(out, 0, 0, 320, 320)


@pytest.mark.parametrize(
    "name,level,expected",
    [
        ("synthetic-explicit.onnx", 0.5, {gen.EXPLICIT, gen.SAFE}),
        ("synthetic-suggestive.onnx", 0.5, {gen.SUGGESTIVE, gen.SAFE}),
        ("synthetic-safe.onnx", 0.5, {gen.SAFE}),
        ("synthetic-brightness.onnx", 0.0, {gen.SAFE}),
        ("synthetic-brightness.onnx", 0.5, {gen.SUGGESTIVE, gen.SAFE}),
        ("synthetic-brightness.onnx", 1.0, {gen.EXPLICIT, gen.SAFE}),
    ],
)
def test_model_emits_what_it_claims(name, level, expected):
    out, detections = run_model(name, level)
    assert out.shape == (1, 22, gen.ANCHORS)
    got = {(d["label"], round(d["score"], 4)) for d in detections}
    assert got == {(label, round(score, 4)) for label, score in expected}


def test_broken_model_has_wrong_output_shape():
    session = ort.InferenceSession(os.path.join(SYNTHETIC, "synthetic-broken-shape.onnx"))
    (out,) = session.run(None, {"images": np.zeros((1, 3, 320, 320), np.float32)})
    assert out.shape == (1, 10, gen.ANCHORS)


def test_synthetic_detections_hit_intended_levels_of_the_real_policy():
    p = policy()
    det = lambda pair: [{"label": pair[0], "score": pair[1]}]  # noqa: E731
    assert reference.verdict(det(gen.EXPLICIT), p)[0] == "explicit"
    assert reference.verdict(det(gen.SUGGESTIVE), p)[0] == "suggestive"
    assert reference.verdict(det(gen.SAFE), p)[0] == "safe"


@pytest.fixture(scope="module")
def grey_images(tmp_path_factory):
    """Benign synthetic images: plain black, mid-grey and white squares."""
    d = tmp_path_factory.mktemp("grey")
    paths = {}
    for name, value in (("black", 0), ("grey", 128), ("white", 255)):
        paths[name] = str(d / f"{name}.png")
        Image.new("RGB", (400, 400), (value, value, value)).save(paths[name])
    return paths


def assess(model, *paths):
    proc = run_haven("image", "--json", "--model", os.path.join(SYNTHETIC, model), *paths)
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = json_lines(proc.stdout)
    assert len(lines) == len(paths), proc.stdout
    return lines


def test_haven_follows_the_brightness_model(grey_images):
    lines = assess("synthetic-brightness.onnx", grey_images["black"], grey_images["grey"], grey_images["white"])
    assert [line["verdict"] for line in lines] == ["safe", "suggestive", "explicit"]
    white = {d["label"]: d for d in lines[2]["detections"]}
    label, score = gen.EXPLICIT
    assert abs(white[label]["score"] - score) < 1e-3
    assert abs(lines[2]["score"] - score) < 1e-3
    # Model-space box (200, 220, 80, 80 centre form) mapped to the 400x400 original.
    assert [round(v) for v in white[label]["box"]] == [200, 225, 100, 100]


@pytest.mark.parametrize(
    "model,verdict",
    [
        ("synthetic-explicit.onnx", "explicit"),
        ("synthetic-suggestive.onnx", "suggestive"),
        ("synthetic-safe.onnx", "safe"),
    ],
)
def test_haven_constant_models(model, verdict):
    (line,) = assess(model, os.path.join(FIXTURES, "chelsea_cat.jpg"))
    assert line["verdict"] == verdict


def test_haven_rejects_broken_model(grey_images):
    proc = run_haven("image", "--json", "--model", os.path.join(SYNTHETIC, "synthetic-broken-shape.onnx"),
                     grey_images["grey"])
    assert "panicked" not in proc.stderr, proc.stderr
    assert proc.returncode != 0 or not any(line.get("verdict") for line in json_lines(proc.stdout))
    assert proc.stderr.strip() or "error" in proc.stdout
