# Builds the tiny synthetic ONNX models in fixtures/models/ whose outputs we control, so the explicit,
# suggestive and safe paths of Haven's image pipeline are tested without any real explicit imagery.
# Each has NudeNet 320n's interface: input "images" float [1, 3, 320, 320], output "output0"
# [1, 4 + 18, 2100] in YOLOv8 layout (rows cx, cy, w, h in 320-pixel model space, then one score per
# label). A manifest JSON is written beside each model, derived from manifests/nudenet-320n.json.
# Deterministic: re-running reproduces the committed files byte for byte (checked by test_synthetic_models.py).
# Usage: python tools/image/gen_synthetic_models.py [OUT_DIR]   (default fixtures/models)
"""Generates synthetic-{explicit,suggestive,safe,brightness,broken-shape}.onnx and their manifests."""

import copy
import hashlib
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference import LABELS  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_OUT = os.path.join(REPO, "fixtures", "models")
NUDENET_MANIFEST = os.path.join(REPO, "manifests", "nudenet-320n.json")

INPUT_NAME = "images"
OUTPUT_NAME = "output0"
SIZE = 320
ANCHORS = 2100  # 40*40 + 20*20 + 10*10: what YOLOv8 yields at 320x320
CHANNELS = 4 + len(LABELS)
OPSET = 13
IR_VERSION = 8

# Detections the models emit: label -> (cx, cy, w, h) in model space. Far apart, so class-agnostic
# NMS at IoU 0.45 never merges them.
BOXES = {
    "FACE_FEMALE": (80.0, 80.0, 60.0, 60.0),
    "FEMALE_BREAST_COVERED": (240.0, 80.0, 60.0, 60.0),
    "FEMALE_BREAST_EXPOSED": (200.0, 220.0, 80.0, 80.0),
}
EXPLICIT = ("FEMALE_BREAST_EXPOSED", 0.9)
SUGGESTIVE = ("FEMALE_BREAST_COVERED", 0.7)
SAFE = ("FACE_FEMALE", 0.8)

# The brightness model: mean input value (0..1, padding included) below 1/3 -> safe only,
# 1/3..2/3 -> plus suggestive, above 2/3 -> plus explicit. Steep sigmoids make the steps sharp.
DARK_EDGE, BRIGHT_EDGE, STEEPNESS = 1 / 3, 2 / 3, 200.0


def column(label, score):
    """One anchor's [4 + 18] values: the label's box and `score` for that label, 0 elsewhere."""
    col = np.zeros(CHANNELS, np.float32)
    col[:4] = BOXES[label]
    col[4 + LABELS.index(label)] = score
    return col


def table(*cols):
    """[1, 22, k] float32 from k anchor columns."""
    return np.stack(cols, axis=1)[None].astype(np.float32)


def initializer(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def graph_nodes(parts):
    """Nodes computing out = A + g_low * B_low + g_high * B_high (B terms optional), padded with zero
    anchors to [1, channels, ANCHORS]. `mean` (a scalar of the input) always enters, so the input is a
    real dependency of the output even for the constant models (A + 0 * mean)."""
    nodes = [helper.make_node("ReduceMean", [INPUT_NAME], ["mean"], keepdims=0)]
    inits = [initializer("A", parts["A"])]
    if "B_low" in parts:
        for edge, b in (("low", parts["B_low"]), ("high", parts["B_high"])):
            value = DARK_EDGE if edge == "low" else BRIGHT_EDGE
            inits += [
                initializer(f"edge_{edge}", np.float32(value)),
                initializer(f"B_{edge}", b),
            ]
            nodes += [
                helper.make_node("Sub", ["mean", f"edge_{edge}"], [f"d_{edge}"]),
                helper.make_node("Mul", [f"d_{edge}", "steepness"], [f"z_{edge}"]),
                helper.make_node("Sigmoid", [f"z_{edge}"], [f"g_{edge}"]),
                helper.make_node("Mul", [f"g_{edge}", f"B_{edge}"], [f"t_{edge}"]),
            ]
        inits.append(initializer("steepness", np.float32(STEEPNESS)))
        nodes += [
            helper.make_node("Add", ["A", "t_low"], ["s1"]),
            helper.make_node("Add", ["s1", "t_high"], ["small"]),
        ]
    else:
        inits.append(initializer("zero", np.float32(0.0)))
        nodes += [
            helper.make_node("Mul", ["mean", "zero"], ["nothing"]),
            helper.make_node("Add", ["A", "nothing"], ["small"]),
        ]
    k = parts["A"].shape[2]
    inits += [
        initializer("pads", np.array([0, 0, 0, 0, 0, ANCHORS - k], np.int64)),
        initializer("pad_value", np.float32(0.0)),
    ]
    nodes.append(helper.make_node("Pad", ["small", "pads", "pad_value"], [OUTPUT_NAME], mode="constant"))
    return nodes, inits


def make_model(name, doc, parts, channels=CHANNELS):
    nodes, inits = graph_nodes(parts)
    graph = helper.make_graph(
        nodes,
        name,
        [helper.make_tensor_value_info(INPUT_NAME, TensorProto.FLOAT, [1, 3, SIZE, SIZE])],
        [helper.make_tensor_value_info(OUTPUT_NAME, TensorProto.FLOAT, [1, channels, ANCHORS])],
        inits,
    )
    model = helper.make_model(
        graph,
        producer_name="haven tools/image/gen_synthetic_models.py",
        opset_imports=[helper.make_opsetid("", OPSET)],
        doc_string=doc,
    )
    model.ir_version = IR_VERSION
    onnx.checker.check_model(model, full_check=True)
    return model


def models():
    """name -> (doc, parts, channels)."""
    zero = np.zeros(CHANNELS, np.float32)
    explicit, suggestive, safe = column(*EXPLICIT), column(*SUGGESTIVE), column(*SAFE)
    # Brightness: the box rows of the gated anchors are constant (in A); only their scores move.
    boxes_only = lambda col: np.concatenate([col[:4], np.zeros(len(LABELS), np.float32)])  # noqa: E731
    scores_only = lambda col: np.concatenate([np.zeros(4, np.float32), col[4:]])  # noqa: E731
    return {
        "synthetic-explicit": (
            f"Constant output: {EXPLICIT[0]} at {EXPLICIT[1]} and {SAFE[0]} at {SAFE[1]}.",
            {"A": table(explicit, safe)},
            CHANNELS,
        ),
        "synthetic-suggestive": (
            f"Constant output: {SUGGESTIVE[0]} at {SUGGESTIVE[1]} and {SAFE[0]} at {SAFE[1]}.",
            {"A": table(suggestive, safe)},
            CHANNELS,
        ),
        "synthetic-safe": (
            f"Constant output: only {SAFE[0]} at {SAFE[1]}.",
            {"A": table(safe)},
            CHANNELS,
        ),
        "synthetic-brightness": (
            f"{SAFE[0]} at {SAFE[1]} always; mean input above {DARK_EDGE:.3f} adds {SUGGESTIVE[0]} at "
            f"{SUGGESTIVE[1]}; above {BRIGHT_EDGE:.3f} that is replaced by {EXPLICIT[0]} at {EXPLICIT[1]}.",
            {
                "A": table(safe, boxes_only(suggestive), boxes_only(explicit)),
                "B_low": table(zero, scores_only(suggestive), zero),
                "B_high": table(zero, -scores_only(suggestive), scores_only(explicit)),
            },
            CHANNELS,
        ),
        "synthetic-broken-shape": (
            "Deliberately wrong output shape [1, 10, 2100] (a manifest with 18 labels needs 22 rows).",
            {"A": np.zeros((1, 10, 1), np.float32)},
            10,
        ),
    }


def manifest_for(template, name, doc, onnx_bytes):
    """The NudeNet manifest with this model's name, source and checksum; input, labels, thresholds
    and policy stay the same so the synthetic models exercise the real policy."""
    m = copy.deepcopy(template)
    m["name"] = name
    m["source"] = f"Synthetic test model generated by tools/image/gen_synthetic_models.py. {doc}"
    m["sha256"] = hashlib.sha256(onnx_bytes).hexdigest()
    return m


def generate(out_dir=DEFAULT_OUT, manifest_path=NUDENET_MANIFEST):
    """Writes every model and, when the NudeNet manifest exists, its manifest. Returns written paths."""
    os.makedirs(out_dir, exist_ok=True)
    template = None
    if os.path.exists(manifest_path):
        with open(manifest_path, encoding="utf-8") as f:
            template = json.load(f)
    written = []
    for name, (doc, parts, channels) in models().items():
        path = os.path.join(out_dir, name + ".onnx")
        onnx_bytes = make_model(name, doc, parts, channels).SerializeToString(deterministic=True)
        with open(path, "wb") as f:
            f.write(onnx_bytes)
        written.append(path)
        if template is not None:
            mpath = os.path.join(out_dir, name + ".json")
            with open(mpath, "w", encoding="utf-8") as f:
                json.dump(manifest_for(template, name, doc, onnx_bytes), f, indent=2)
                f.write("\n")
            written.append(mpath)
    if template is None:
        print(f"gen_synthetic_models: {manifest_path} not found, manifests not written", file=sys.stderr)
    return written


if __name__ == "__main__":
    for p in generate(*sys.argv[1:2]):
        print(p)
