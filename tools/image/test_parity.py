# Parity between Haven's image pipeline (`haven image --json`) and the reference pipeline
# (tools/image/reference.py: NudeNet 3.4.2's pre/postprocessing on onnxruntime, RGB input) on every
# benign fixture, the held-out set, the traps and the generated phone-size and 10-megapixel JPEGs.
# Also checks that benign images are `safe` and that bad inputs give clean errors, not panics.
"""Haven vs reference parity on benign images; clean errors on bad inputs."""

import glob
import os

import pytest

import reference
from conftest import FIXTURES, MANIFEST, json_lines, run_haven

IMAGE_EXTS = (".jpg", ".jpeg", ".png", ".webp")
SCORE_TOL = 0.02
BOX_TOL = 0.02  # of the image's longer side
# Images far larger than the model input may be decoded at reduced scale (JPEG DCT scaling) by Haven,
# which changes the model input slightly: same labels and verdict, scores within 0.05 (issue 3).
LARGE_SCORE_TOL = 0.05


def images(sub=""):
    return sorted(
        p for p in glob.glob(os.path.join(FIXTURES, sub, "*")) if p.lower().endswith(IMAGE_EXTS)
    )


BENIGN = images() + images("heldout")
TRAPS = images("traps")
BAD = sorted(glob.glob(os.path.join(FIXTURES, "bad", "*")))
LARGE = ["phone_1080x1440.jpg", "photo_10mp.jpg"]


def rel(path):
    return os.path.relpath(path, FIXTURES)


@pytest.fixture(scope="session")
def outputs(nudenet_model, large_images):
    """{path: (reference result, haven result)} for every image, computed once: one haven process
    (one model load) for all files, one reference session."""
    paths = BENIGN + TRAPS + [large_images[n] for n in LARGE]
    proc = run_haven("image", "--json", "--model", nudenet_model, *paths)
    assert proc.returncode == 0, f"haven image failed ({proc.returncode}): {proc.stderr[-2000:]}"
    lines = json_lines(proc.stdout)
    assert len(lines) == len(paths), f"expected {len(paths)} JSON lines, got {len(lines)}: {proc.stdout[-2000:]}"
    by_file = {os.path.abspath(line["file"]): line for line in lines}
    ref = reference.Reference(nudenet_model, MANIFEST, threads=1)
    result = {}
    for path, line in zip(paths, lines):
        result[path] = (ref.assess(path), by_file.get(os.path.abspath(path), line))
    return result, large_images


def compare(ref, hav, score_tol, box_tol_px):
    """Problems found pairing Haven's detections with the reference's (same label, nearest box).
    A detection present on one side only is tolerated just when its score is within the score
    tolerance of the NMS score threshold, where the other side may legitimately fall below it."""
    problems = []
    borderline = reference.NMS_SCORE_THRESHOLD + score_tol
    unmatched = list(hav["detections"])
    for r in sorted(ref["detections"], key=lambda d: -d["score"]):
        same = [h for h in unmatched if h["label"] == r["label"]]
        if not same:
            if r["score"] >= borderline:
                problems.append(f"missing in haven: {r['label']} {r['score']:.3f} {r['box']}")
            continue
        h = min(same, key=lambda d: max(abs(a - b) for a, b in zip(d["box"], r["box"])))
        unmatched.remove(h)
        if abs(h["score"] - r["score"]) > score_tol:
            problems.append(f"{r['label']}: score {h['score']:.4f} vs reference {r['score']:.4f}")
        off = max(abs(a - b) for a, b in zip(h["box"], r["box"]))
        if off > box_tol_px:
            problems.append(f"{r['label']}: box {h['box']} vs reference {r['box']} (off {off:.1f}px)")
    for h in unmatched:
        if h["score"] >= borderline:
            problems.append(f"extra in haven: {h['label']} {h['score']:.3f} {h['box']}")
    return problems


@pytest.mark.parametrize("path", BENIGN + TRAPS, ids=rel)
def test_fixture_matches_reference(outputs, path):
    ref, hav = outputs[0][path]
    box_tol = BOX_TOL * max(ref["width"], ref["height"])
    problems = compare(ref, hav, SCORE_TOL, box_tol)
    assert not problems, f"{rel(path)}: {problems}\nreference: {ref['detections']}\nhaven: {hav['detections']}"
    assert hav["verdict"] == ref["verdict"]
    assert abs(hav["score"] - ref["score"]) <= SCORE_TOL, f"verdict score {hav['score']} vs {ref['score']}"


@pytest.mark.parametrize("name", LARGE)
def test_large_jpeg_matches_reference(outputs, name):
    ref, hav = outputs[0][outputs[1][name]]
    box_tol = BOX_TOL * max(ref["width"], ref["height"])
    problems = compare(ref, hav, LARGE_SCORE_TOL, box_tol)
    assert not problems, f"{name}: {problems}\nreference: {ref['detections']}\nhaven: {hav['detections']}"
    assert hav["verdict"] == ref["verdict"]
    assert abs(hav["score"] - ref["score"]) <= LARGE_SCORE_TOL


@pytest.mark.parametrize("path", BENIGN, ids=rel)
def test_benign_image_is_safe(outputs, path):
    hav = outputs[0][path][1]
    assert hav["verdict"] == "safe", f"{rel(path)}: {hav['verdict']} {hav['score']} {hav['detections']}"


@pytest.mark.parametrize("name", LARGE)
def test_large_benign_image_is_safe(outputs, name):
    hav = outputs[0][outputs[1][name]][1]
    assert hav["verdict"] == "safe", f"{name}: {hav['verdict']} {hav['detections']}"


def test_known_traps_stay_low(outputs):
    """The coffee cup's BUTTOCKS_EXPOSED (~0.30) must not become a warning (issue 3)."""
    coffee = outputs[0][os.path.join(FIXTURES, "coffee.jpg")][1]
    assert coffee["verdict"] == "safe"
    assert any(d["label"] == "BUTTOCKS_EXPOSED" for d in coffee["detections"]), (
        "the trap detection disappeared: the fixture no longer exercises the threshold"
    )


@pytest.mark.parametrize("path", BAD, ids=rel)
def test_bad_input_is_a_clean_error(nudenet_model, path):
    proc = run_haven("image", "--json", "--model", nudenet_model, path)
    assert "panicked" not in proc.stderr, proc.stderr
    lines = json_lines(proc.stdout)
    verdicts = [line for line in lines if line.get("verdict")]
    assert proc.returncode != 0 or not verdicts, f"{rel(path)} was assessed: {proc.stdout}"
    assert proc.stderr.strip() or any("error" in line for line in lines), "no error message"


def test_missing_model_is_a_clean_error(tmp_path):
    proc = run_haven("image", "--json", "--model", str(tmp_path / "absent.onnx"), BENIGN[0])
    assert proc.returncode != 0
    assert "panicked" not in proc.stderr, proc.stderr
    assert proc.stderr.strip(), "no error message"
