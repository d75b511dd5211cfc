"""Measures whether the installed `haven` package releases the GIL during engine calls (docs/python.md).

The same N calls on 1 thread and split over 4 threads, for image checks (a 640x640 pixel buffer through the
synthetic brightness model, or NudeNet with --nudenet) and message checks. Calls that hold the GIL cannot overlap,
so they gain nothing from threads. Two controls calibrate that on the machine as loaded: libc's usleep(20 ms)
called through ctypes.PyDLL (holds the GIL) and through ctypes.CDLL (releases it, as the generated module calls
the library).

Usage: target/wheel-venv/bin/python bindings/python/bench_threads.py [--nudenet] [-n N]
"""

import argparse
import ctypes
import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import haven

REPO = Path(__file__).resolve().parents[2]
EPOCH_MS = 1_700_000_000_000


def image_engine(nudenet):
    engine = haven.HavenEngine(haven.EngineConfig())
    if nudenet:
        haven.load_nudenet(engine, REPO / "models" / "nudenet-320n.onnx")
    else:
        models = REPO / "fixtures" / "models"
        haven.load_nudenet(engine, models / "synthetic-brightness.onnx", models / "synthetic-brightness.json")
    return engine


def image_call(engine):
    side = 640
    image = haven.ImageInput.PIXELS(
        data=bytes([128, 128, 128, 255]) * side * side, width=side, height=side, row_stride=side * 4,
        format=haven.PixelFormat.RGBA8,
    )
    return lambda i: engine.assess_incoming_image(None, image)


def message_call(engine):
    text = "i have ur pics. send $200 to my cashapp in 10 minutes or everyone u know sees them"

    def call(i):
        cid = f"c{i % 64}"
        engine.observe(cid, haven.Message(direction=haven.Direction.FROM_CONTACT, text=text, timestamp_ms=EPOCH_MS + i))

    return call


def sleep_call(library):
    usleep = library(None).usleep
    return lambda i: usleep(20_000)


def wall(call, n, threads):
    start = time.perf_counter()
    if threads == 1:
        for i in range(n):
            call(i)
    else:
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(call, range(n)))
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--nudenet", action="store_true", help="image checks with models/nudenet-320n.onnx")
    parser.add_argument("-n", type=int, default=40, help="image checks per run (message checks: 50x as many)")
    args = parser.parse_args()
    print(f"haven {haven.haven_version()}, {os.cpu_count()} CPUs, n={args.n}")
    cases = [
        ("image check", image_call(image_engine(args.nudenet)), args.n),
        ("message check", message_call(haven.HavenEngine(haven.EngineConfig())), args.n * 50),
        ("control: usleep 20 ms, PyDLL (GIL held)", sleep_call(ctypes.PyDLL), args.n),
        ("control: usleep 20 ms, CDLL (GIL released)", sleep_call(ctypes.CDLL), args.n),
    ]
    print("| call | calls | 1 thread (s) | 4 threads (s) | speed-up |")
    print("|---|---|---|---|---|")
    for name, call, n in cases:
        call(0)  # warm up: pattern compilation, model plan
        one = wall(call, n, 1)
        four = wall(call, n, 4)
        print(f"| {name} | {n} | {one:.3f} | {four:.3f} | {one / four:.2f}x |")


if __name__ == "__main__":
    main()
