# Side-by-side image benchmark for docs/benchmarks.md: `haven bench-image` (tract) against the reference
# pipeline on onnxruntime (bench_reference.py), in the same run, at 1 and 2 threads each, on the
# generated phone-size photo and 10-megapixel JPEG. Each configuration runs in its own process so peak
# RSS (taken from os.wait4) is per configuration. Prints a markdown table.
# Usage: python tools/image/bench_compare.py [--haven BIN] [--model FILE] [--threads 1,2] [--runs R] [--out DIR]
"""Runs haven bench-image and the reference benchmark and prints a markdown comparison table."""

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile

# No numpy/OpenCV/onnxruntime imports here: a child's ru_maxrss includes what it inherited at fork
# time, so this parent stays small for the peak RSS figures to be the children's own.
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

IMAGES = [("phone photo 1080x1440", "phone_1080x1440.jpg"), ("10 MP JPEG 3872x2592", "photo_10mp.jpg")]


def spawn(cmd, env=None):
    """Runs cmd, reaping it with os.wait4 to get its own peak RSS. Returns (stdout, stderr, rss_mb)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {stderr[-2000:]}")
    return stdout, stderr, usage.ru_maxrss / 1024


def combine(results):
    """Median over rounds of each figure; peak RSS is the largest seen."""
    out = {}
    for key in ("median_ms", "load_ms"):
        values = [r[key] for r in results if r[key] is not None]
        out[key] = statistics.median(values) if values else None
    out["peak_rss_mb"] = max(r["peak_rss_mb"] for r in results)
    return out


def haven(binary, model, path, threads, runs):
    """Median ms (the figure alone on the last line), model load ms if printed, peak RSS MB."""
    stdout, stderr, rss = spawn([binary, "bench-image", path, "--model", model, "--threads", str(threads),
                                 "--runs", str(runs)])
    lines = [line.strip() for line in stdout.splitlines() if line.strip()]
    median = float(lines[-1].split()[0])
    load = None
    for line in lines[:-1] + stderr.splitlines():
        m = re.search(r"load\D*?([\d.]+)\s*ms", line, re.IGNORECASE)
        if m:
            load = float(m.group(1))
    return {"median_ms": median, "load_ms": load, "peak_rss_mb": rss, "log": lines[:-1]}


def ref(model, path, threads, runs):
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    cmd = [sys.executable, os.path.join(HERE, "bench_reference.py"), "--model", model,
           "--threads", str(threads), "--runs", str(runs), path]
    stdout, _, rss = spawn(cmd, env)
    result = json.loads(stdout.strip().splitlines()[-1])
    return {"median_ms": result["images"][path]["median_ms"], "load_ms": result["load_ms"], "peak_rss_mb": rss}


def fmt(value, unit=""):
    return "n/a" if value is None else f"{value:.1f}{unit}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--haven", default=os.environ.get("HAVEN_BIN", os.path.join(REPO, "target", "release", "haven")))
    parser.add_argument("--model", default=os.path.join(REPO, "models", "nudenet-320n.onnx"))
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3,
                        help="alternate haven and reference this many times per configuration and keep "
                             "the median of each side's medians, so a burst of load on a shared machine "
                             "does not land on one side only")
    parser.add_argument("--out", default=os.path.join(tempfile.gettempdir(), "haven-large-images"))
    args = parser.parse_args(argv)
    subprocess.run([sys.executable, os.path.join(HERE, "gen_large_images.py"), args.out], check=True,
                   stdout=subprocess.DEVNULL)
    paths = {name: os.path.join(args.out, name) for _, name in IMAGES}
    rows = []
    for threads in [int(t) for t in args.threads.split(",")]:
        for title, name in IMAGES:
            hs, rs = [], []
            for _ in range(args.rounds):
                rs.append(ref(args.model, paths[name], threads, args.runs))
                hs.append(haven(args.haven, args.model, paths[name], threads, args.runs))
            h, r = combine(hs), combine(rs)
            rows.append((title, threads, h, r))
            print(f"{title}, {threads} thread(s): haven {h['median_ms']} ms, reference {r['median_ms']} ms",
                  file=sys.stderr)
    load = os.getloadavg()[0]
    print(f"Image pipeline, decode to verdict: median of {args.runs} runs, median over {args.rounds} alternating "
          f"rounds; load average {load:.1f} at the end "
          f"({platform.machine()}, {os.cpu_count()} CPUs, {platform.python_version()} reference on onnxruntime).\n")
    print("| image | threads | haven (tract) ms | reference (onnxruntime) ms | ratio | haven load ms | reference load ms "
          "| haven peak RSS MB | reference peak RSS MB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for title, threads, h, r in rows:
        print(f"| {title} | {threads} | {fmt(h['median_ms'])} | {fmt(r['median_ms'])} | "
              f"{h['median_ms'] / r['median_ms']:.2f}x | {fmt(h['load_ms'])} | {fmt(r['load_ms'])} | "
              f"{fmt(h['peak_rss_mb'])} | {fmt(r['peak_rss_mb'])} |")


if __name__ == "__main__":
    main()
