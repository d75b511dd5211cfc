# Benchmark of the reference pipeline (tools/image/reference.py on onnxruntime): median end-to-end
# milliseconds per image, decode to verdict, at a given thread count; model load time; peak RSS of
# this process (Python, numpy, OpenCV and onnxruntime included: the reference's real footprint).
# Usage: python tools/image/bench_reference.py [--model FILE] [--threads N] [--runs R] IMAGE...
# prints one JSON object. Run one thread count per process so peak RSS is per configuration.
"""Reference pipeline benchmark: one JSON line with load_ms, peak_rss_mb and per-image medians."""

import argparse
import json
import os
import resource
import statistics
import sys
import time

# Keep OpenCV's and any BLAS pools from competing with the measured onnxruntime threads; onnxruntime
# itself gets its count explicitly (intra_op_num_threads) in reference.load_session.
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cv2  # noqa: E402

import reference  # noqa: E402


def bench(model, manifest, threads, runs, warmup, images):
    cv2.setNumThreads(threads)
    loads = []
    for _ in range(3):
        t0 = time.perf_counter()
        ref = reference.Reference(model, manifest, threads=threads)
        loads.append((time.perf_counter() - t0) * 1000)
    result = {"threads": threads, "load_ms": round(statistics.median(loads), 2), "images": {}}
    for path in images:
        # Bytes read once, decoded from memory each run: the same as `haven bench-image`.
        with open(path, "rb") as f:
            data = f.read()
        for _ in range(warmup):
            ref.assess_bytes(data, path)
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            ref.assess_bytes(data, path)
            times.append((time.perf_counter() - t0) * 1000)
        result["images"][path] = {"median_ms": round(statistics.median(times), 2), "runs": runs}
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("images", nargs="+")
    parser.add_argument("--model", default=reference.DEFAULT_MODEL)
    parser.add_argument("--manifest", default=reference.DEFAULT_MANIFEST)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args(argv)
    print(json.dumps(bench(args.model, args.manifest, args.threads, args.runs, args.warmup, args.images)))


if __name__ == "__main__":
    main()
