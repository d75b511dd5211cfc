# Measures what feeding RGB (Haven, and how the model was trained) instead of BGR (NudeNet 3.4.2's own
# Python code) changes: labels and scores of the reference pipeline on every benign fixture, printed
# as the markdown table kept in docs/model-card.md.
# Usage: python tools/image/compare_channel_order.py [--model FILE] [EXTRA_IMAGE...]
"""Prints a markdown table of reference detections with RGB vs BGR input for each fixture image."""

import argparse
import glob
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference  # noqa: E402

FIXTURES = os.path.join(reference.REPO, "fixtures", "images")


def describe(detections):
    return ", ".join(f"{d['label']} {d['score']:.3f}" for d in detections) or "none"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("extra", nargs="*")
    parser.add_argument("--model", default=reference.DEFAULT_MODEL)
    args = parser.parse_args(argv)
    paths = [
        p
        for sub in ("", "heldout", "traps")
        for p in sorted(glob.glob(os.path.join(FIXTURES, sub, "*")))
        if p.lower().endswith((".jpg", ".png", ".webp"))
    ] + args.extra
    rgb = reference.Reference(args.model, None, bgr=False)
    bgr = reference.Reference(args.model, None, bgr=True)
    print("| image | RGB (Haven) | BGR (NudeNet 3.4.2 code) | largest score change |")
    print("| --- | --- | --- | ---: |")
    for path in paths:
        a, b = rgb.assess(path)["detections"], bgr.assess(path)["detections"]
        # Largest change of a label's best score, a missing label counting as 0.
        best = lambda ds, label: max((d["score"] for d in ds if d["label"] == label), default=0.0)  # noqa: E731
        labels = {d["label"] for d in a + b}
        delta = max((abs(best(a, lb) - best(b, lb)) for lb in labels), default=0.0)
        name = os.path.relpath(path, FIXTURES) if path.startswith(FIXTURES) else os.path.basename(path)
        print(f"| {name} | {describe(a)} | {describe(b)} | {delta:.3f} |")


if __name__ == "__main__":
    main()
