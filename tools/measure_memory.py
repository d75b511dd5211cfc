# Resident memory of a process using Haven through its Python bindings, at the start-up steps an app goes through:
# library loaded, rules loaded (an engine created and its regexes compiled), image model loaded, one image checked.
# Gives the memory lines of docs/benchmarks.md ("Size"); runs on the host and, under qemu, on arm64.
"""Usage: measure_memory.py BINDINGS_DIR MODEL MANIFEST IMAGE  (prints one JSON object, sizes in MiB)"""

import json
import sys
import time


def rss_mib():
    """VmRSS of this process in MiB, from /proc (Linux only)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def main(bindings, model, manifest, image):
    before = rss_mib()
    sys.path.insert(0, bindings)
    import haven  # noqa: E402  (from the folder given on the command line)

    steps = {"python": before, "library loaded": rss_mib()}
    engine = haven.HavenEngine(haven.EngineConfig(user_age=15))
    message = haven.Message(
        direction=haven.Direction.FROM_CONTACT, text="hi, how was school today?", timestamp_ms=1_700_000_000_000
    )
    engine.observe("c", message)
    # The regexes compile on a background thread after start-up; measure once they have (well under a second on
    # x86, a few seconds under qemu).
    time.sleep(5)
    engine.observe("c", message)
    steps["rules loaded"] = rss_mib()
    with open(manifest, encoding="utf-8") as f:
        engine.load_image_model(haven.ModelSource.PATH(path=model), f.read())
    steps["model loaded"] = rss_mib()
    with open(image, "rb") as f:
        engine.assess_incoming_image(None, haven.ImageInput.ENCODED(bytes=f.read()))
    steps["one image checked"] = rss_mib()
    print(json.dumps({k: round(v, 1) for k, v in steps.items()}))


if __name__ == "__main__":
    main(*sys.argv[1:])
