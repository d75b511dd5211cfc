"""Measures whether the installed `haven` package releases the GIL during engine calls (docs/python.md).

Two measurements, on image checks (a 640x640 pixel buffer through the synthetic brightness model, or NudeNet with
--nudenet) and on message checks: (1) the same N calls on 1 thread and split over 4; (2) how far a pure-Python
counting thread gets while the main thread makes the calls, against the same counter alone. If the GIL were held
for a call, the counter would stall for its whole duration.

Usage: target/wheel-venv/bin/python bindings/python/bench_threads.py [--nudenet] [-n N]
"""

import argparse
import os
import threading
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


def wall(call, n, threads):
    start = time.perf_counter()
    if threads == 1:
        for i in range(n):
            call(i)
    else:
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(call, range(n)))
    return time.perf_counter() - start


def counter_progress(call, n):
    """Increments a pure-Python counter on a second thread while `call` runs n times; returns counts per second
    during the calls and alone."""
    stop = threading.Event()
    count = [0]

    def spin():
        while not stop.is_set():
            count[0] += 1

    def run(seconds_or_calls):
        count[0] = 0
        stop.clear()
        t = threading.Thread(target=spin)
        t.start()
        start = time.perf_counter()
        if callable(seconds_or_calls):
            seconds_or_calls()
        else:
            time.sleep(seconds_or_calls)
        elapsed = time.perf_counter() - start
        stop.set()
        t.join()
        return count[0] / elapsed, elapsed

    during, elapsed = run(lambda: [call(i) for i in range(n)])
    alone, _ = run(elapsed)
    return during, alone


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--nudenet", action="store_true", help="image checks with models/nudenet-320n.onnx")
    parser.add_argument("-n", type=int, default=40, help="image checks per run (message checks: 50x as many)")
    args = parser.parse_args()
    print(f"haven {haven.haven_version()}, {os.cpu_count()} CPUs, n={args.n}")
    cases = [
        ("image check", image_call(image_engine(args.nudenet)), args.n),
        ("message check", message_call(haven.HavenEngine(haven.EngineConfig())), args.n * 50),
    ]
    print("| call | calls | 1 thread (s) | 4 threads (s) | speed-up | counter during calls / alone |")
    print("|---|---|---|---|---|---|")
    for name, call, n in cases:
        call(0)  # warm up: pattern compilation, model plan
        one = wall(call, n, 1)
        four = wall(call, n, 4)
        during, alone = counter_progress(call, n)
        print(f"| {name} | {n} | {one:.3f} | {four:.3f} | {one / four:.2f}x | {during / alone:.2f} |")


if __name__ == "__main__":
    main()
