# Times the image check through the Python bindings: loads a model, checks one image RUNS times after two warm-up
# checks, and prints the median of each stage Haven reports (decode, preprocess, inference, postprocess) in ms. Used
# to compare builds of the library side by side, for example the release and the mobile profile under qemu
# (docs/benchmarks.md, "Size").
"""Usage: image_timings.py BINDINGS_DIR MODEL MANIFEST IMAGE [RUNS]  (prints one JSON object)"""

import json
import statistics
import sys


def main(bindings, model, manifest, image, runs="20"):
    sys.path.insert(0, bindings)
    import haven  # noqa: E402  (from the folder given on the command line)

    engine = haven.HavenEngine(haven.EngineConfig(user_age=15))
    with open(manifest, encoding="utf-8") as f:
        engine.load_image_model(haven.ModelSource.PATH(path=model), f.read())
    with open(image, "rb") as f:
        photo = haven.ImageInput.ENCODED(bytes=f.read())
    stages = ("decode_ms", "preprocess_ms", "inference_ms", "postprocess_ms")
    samples = {stage: [] for stage in stages}
    for k in range(int(runs) + 2):
        timings = engine.assess_incoming_image(None, photo).nudity.timings
        if k >= 2:
            for stage in stages:
                samples[stage].append(getattr(timings, stage))
    print(json.dumps({stage: round(statistics.median(v), 2) for stage, v in samples.items()}))


if __name__ == "__main__":
    main(*sys.argv[1:])
