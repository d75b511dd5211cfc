# Reference image pipeline for Haven's parity tests and benchmarks: NudeNet 3.4.2's own preprocessing
# and postprocessing (nudenet/nudenet.py in the wheel), run on onnxruntime, except that it feeds the
# model RGB as it was trained on. `--bgr` reproduces NudeNet's original channel order.
#
# Usage: python tools/image/reference.py [--model FILE] [--manifest FILE] [--threads N] [--bgr] IMAGE...
# prints one JSON line per image, shaped like `haven image --json`. `--dump-input DIR` also writes each
# model input tensor as raw little-endian float32 [1, 3, 320, 320] (DIR/<file name>.f32), to compare
# preprocessing with Haven's value by value.
"""NudeNet 320n reference pipeline (decode, pad, resize, YOLOv8 decode, NMS, verdict)."""

import argparse
import json
import os
import sys
import time

import cv2
import numpy as np
import onnxruntime as ort

# Class order of the NudeNet 320n output (nudenet.py `__labels`, also the model's `names` metadata).
LABELS = [
    "FEMALE_GENITALIA_COVERED",
    "FACE_FEMALE",
    "BUTTOCKS_EXPOSED",
    "FEMALE_BREAST_EXPOSED",
    "FEMALE_GENITALIA_EXPOSED",
    "MALE_BREAST_EXPOSED",
    "ANUS_EXPOSED",
    "FEET_EXPOSED",
    "BELLY_COVERED",
    "FEET_COVERED",
    "ARMPITS_COVERED",
    "ARMPITS_EXPOSED",
    "FACE_MALE",
    "BELLY_EXPOSED",
    "MALE_GENITALIA_EXPOSED",
    "ANUS_COVERED",
    "FEMALE_BREAST_COVERED",
    "BUTTOCKS_COVERED",
]

INPUT_SIZE = 320
# nudenet.py keeps rows whose best class score is >= 0.2, then cv2.dnn.NMSBoxes(boxes, scores, 0.25, 0.45).
CONF_THRESHOLD = 0.2
NMS_SCORE_THRESHOLD = 0.25
NMS_IOU_THRESHOLD = 0.45

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_MODEL = os.path.join(REPO, "models", "nudenet-320n.onnx")
DEFAULT_MANIFEST = os.path.join(REPO, "manifests", "nudenet-320n.json")


class DecodeError(Exception):
    """The file could not be decoded as an image."""


def load_session(model_path, threads=1):
    """Loads the model on the CPU with an explicit thread count (the OMP/OpenBLAS env vars do not
    govern onnxruntime's own pool, so the count is set here rather than left to the default)."""
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    return ort.InferenceSession(model_path, sess_options=opts, providers=["CPUExecutionProvider"])


def decode(data, name="image"):
    """Decodes encoded bytes like nudenet.py given a path (cv2.imread): IMREAD_COLOR, which applies
    EXIF orientation, expands grayscale to three channels and drops alpha. cv2.imdecode with the same
    flag gives the same pixels as cv2.imread and lets the benchmark decode from memory, as Haven's
    does. Returns BGR uint8 HxWx3."""
    try:
        mat = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR) if data else None
    except cv2.error as e:  # e.g. a header claiming more pixels than CV_IO_MAX_IMAGE_PIXELS
        raise DecodeError(f"cannot decode {name}: {e}") from e
    if mat is None or mat.size == 0:
        raise DecodeError(f"cannot decode {name}")
    return mat


def preprocess(bgr, bgr_input=False, size=INPUT_SIZE):
    """nudenet.py `_read_image`: pad right and bottom with black to a square, resize to `size` with
    INTER_LINEAR (inside blobFromImage, on uint8), scale by 1/255, NCHW float32.

    NudeNet converts with COLOR_RGBA2BGR (which on a 3-channel BGR image swaps to RGB) and then
    swaps again with blobFromImage(swapRB=True), so it feeds BGR. We keep its exact calls and only
    flip the final swap, so that RGB is fed unless `bgr_input` asks for NudeNet's original order."""
    mat_c3 = cv2.cvtColor(bgr, cv2.COLOR_RGBA2BGR)  # -> RGB
    h, w = mat_c3.shape[:2]
    max_size = max(h, w)
    x_pad = max_size - w
    y_pad = max_size - h
    mat_pad = cv2.copyMakeBorder(mat_c3, 0, y_pad, 0, x_pad, cv2.BORDER_CONSTANT)
    blob = cv2.dnn.blobFromImage(
        mat_pad, 1 / 255.0, (size, size), (0, 0, 0), swapRB=bgr_input, crop=False
    )
    return blob, x_pad, y_pad, w, h


def postprocess(output, x_pad, y_pad, width, height, size=INPUT_SIZE):
    """nudenet.py `_postprocess`, vectorised with numpy (same arithmetic, same float32 values, no
    per-row Python loop): YOLOv8 decode, confidence 0.2, boxes back to original coordinates and
    clipped, then class-agnostic cv2.dnn.NMSBoxes(0.25, 0.45). Returns detections by falling score."""
    rows = np.transpose(np.squeeze(output, axis=0))  # [N, 4 + classes]
    class_scores = rows[:, 4:]
    max_scores = class_scores.max(axis=1)
    keep = max_scores >= CONF_THRESHOLD
    rows, class_scores, max_scores = rows[keep], class_scores[keep], max_scores[keep]
    class_ids = class_scores.argmax(axis=1)
    cx, cy, bw, bh = rows[:, 0], rows[:, 1], rows[:, 2], rows[:, 3]
    x = (cx - bw / 2) * ((width + x_pad) / size)
    y = (cy - bh / 2) * ((height + y_pad) / size)
    bw = bw * ((width + x_pad) / size)
    bh = bh * ((height + y_pad) / size)
    x = np.clip(x, 0, width)
    y = np.clip(y, 0, height)
    bw = np.minimum(bw, width - x)
    bh = np.minimum(bh, height - y)
    boxes = np.stack([x, y, bw, bh], axis=1)
    indices = cv2.dnn.NMSBoxes(boxes.tolist(), max_scores.tolist(), NMS_SCORE_THRESHOLD, NMS_IOU_THRESHOLD)
    detections = []
    for i in np.asarray(indices, dtype=np.int64).reshape(-1):
        detections.append(
            {
                "label": LABELS[int(class_ids[i])],
                "score": float(max_scores[i]),
                "box": [float(v) for v in boxes[i]],
            }
        )
    return detections


def load_policy(manifest_path):
    """Reads explicit/suggestive label thresholds from a Haven model manifest, if there is one.
    Returns {"explicit": {label: threshold}, "suggestive": {label: threshold}} or None."""
    if not manifest_path or not os.path.exists(manifest_path):
        return None
    with open(manifest_path, encoding="utf-8") as f:
        manifest = json.load(f)
    policy = manifest.get("policy") or manifest
    out = {}
    for level in ("explicit", "suggestive"):
        labels = policy.get(level) or {}
        if isinstance(labels, list):  # [{"label": ..., "threshold": ...}]
            labels = {e["label"]: e["threshold"] for e in labels}
        out[level] = {k: float(v) for k, v in labels.items()}
    return out


def verdict(detections, policy):
    """The strongest level any detection reaches: explicit, then suggestive, else safe, with the
    highest score among the detections that reached it; for safe, the highest score among labels
    the policy names (0 when none), i.e. how close the image came. Same rule as Haven's verdict."""
    if policy is None:
        return None, None
    for level in ("explicit", "suggestive"):
        hits = [d["score"] for d in detections if d["score"] >= policy[level].get(d["label"], 2.0)]
        if hits:
            return level, max(hits)
    named = set(policy["explicit"]) | set(policy["suggestive"])
    return "safe", max((d["score"] for d in detections if d["label"] in named), default=0.0)


class Reference:
    """One loaded model plus the policy; `assess` runs decode to verdict on one file.
    Not thread-safe to share across Python threads with different settings; cheap to call."""

    def __init__(self, model=DEFAULT_MODEL, manifest=DEFAULT_MANIFEST, threads=1, bgr=False, dump_dir=None):
        self.dump_dir = dump_dir
        self.session = load_session(model, threads)
        self.input_name = self.session.get_inputs()[0].name
        self.bgr = bgr
        self.policy = load_policy(manifest)

    def assess(self, path):
        """Decode to verdict for one file; the result is shaped like a `haven image --json` line."""
        with open(path, "rb") as f:
            return self.assess_bytes(f.read(), path)

    def assess_bytes(self, data, name):
        """Decode to verdict for encoded bytes already in memory (timed from the decode)."""
        t0 = time.perf_counter()
        mat = decode(data, name)
        t1 = time.perf_counter()
        blob, x_pad, y_pad, w, h = preprocess(mat, self.bgr)
        t2 = time.perf_counter()
        if self.dump_dir:
            blob.astype("<f4").tofile(os.path.join(self.dump_dir, os.path.basename(name) + ".f32"))
        output = self.session.run(None, {self.input_name: blob})[0]
        t3 = time.perf_counter()
        detections = postprocess(output, x_pad, y_pad, w, h)
        level, score = verdict(detections, self.policy)
        t4 = time.perf_counter()
        ms = lambda a, b: round((b - a) * 1000, 3)  # noqa: E731
        return {
            "file": name,
            "verdict": level,
            "score": score,
            "detections": detections,
            "width": w,
            "height": h,
            "timings_ms": {
                "decode": ms(t0, t1),
                "preprocess": ms(t1, t2),
                "inference": ms(t2, t3),
                "postprocess": ms(t3, t4),
            },
        }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("images", nargs="+")
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--manifest", default=DEFAULT_MANIFEST)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--bgr", action="store_true", help="feed BGR as NudeNet 3.4.2 does")
    parser.add_argument("--dump-input", metavar="DIR", help="write each model input as raw float32")
    args = parser.parse_args(argv)
    if args.dump_input:
        os.makedirs(args.dump_input, exist_ok=True)
    ref = Reference(args.model, args.manifest, args.threads, args.bgr, args.dump_input)
    status = 0
    for path in args.images:
        try:
            print(json.dumps(ref.assess(path)))
        except DecodeError as e:
            print(json.dumps({"file": path, "error": str(e)}))
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
