# One-off preparation of fixtures/images/ from benign images that ship inside PyPI wheels
# (scikit-image 0.26.0's skimage/data, matplotlib's mpl-data/sample_data) plus synthetic ones.
# Kept so the derivation of every committed fixture is reproducible and reviewable; the test suite
# does not run it. Run in a throwaway venv with scikit-image and matplotlib installed:
#   python3 -m venv /tmp/fx && /tmp/fx/bin/pip install scikit-image matplotlib opencv-python-headless pillow
#   /tmp/fx/bin/python tools/image/make_fixtures.py
# Sources and licences: fixtures/images/LICENSES.md.
"""Writes fixtures/images/{*,heldout/*,traps/*,bad/*} from wheel-bundled sample images."""

import io
import os
import struct
import zlib

import cv2
import matplotlib
import numpy as np
import skimage
from PIL import Image

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(REPO, "fixtures", "images")
SK = os.path.join(os.path.dirname(skimage.__file__), "data")
MPL = os.path.join(os.path.dirname(matplotlib.__file__), "mpl-data", "sample_data")


def rgb(path):
    """Pillow RGB image of a bundled file (no network: these files are inside the wheels)."""
    return Image.open(path).convert("RGB")


def save(img, name, **kw):
    path = os.path.join(OUT, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    img.save(path, **kw)


def exif_rotated(upright, name):
    """Stores the pixels turned 90 degrees counter-clockwise with EXIF Orientation=6 ("rotate 90 CW
    to display"), so a decoder that honours EXIF shows the upright image and one that ignores it
    sees a sideways picture."""
    stored = upright.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    save(stored, name, quality=90, exif=exif.tobytes())


def rgba_with_transparency(img, name):
    """Pet photo cut to an ellipse: alpha 0 outside (with black colour stored there, as most
    encoders write it), 255 inside."""
    arr = np.array(img)
    h, w = arr.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w]
    inside = ((xx - w / 2) / (w / 2)) ** 2 + ((yy - h / 2) / (h / 2)) ** 2 <= 1
    rgba = np.dstack([arr * inside[..., None], np.where(inside, 255, 0)]).astype(np.uint8)
    save(Image.fromarray(rgba, "RGBA"), name, optimize=True)


def colour_wheel(n=371):
    """Synthetic HSV colour disc whose brightness falls to black at the rim. NudeNet 320n reports
    BUTTOCKS_EXPOSED at about 0.84 on it: a drawn-graphics false positive (docs/model-card.md)."""
    yy, xx = np.mgrid[0:n, 0:n]
    c = (n - 1) / 2
    rad = np.hypot(xx - c, yy - c) / c
    hue = (np.degrees(np.arctan2(yy - c, xx - c)) % 360) / 2
    hsv = np.zeros((n, n, 3), np.uint8)
    hsv[..., 0] = hue.astype(np.uint8)
    hsv[..., 1] = np.clip(rad * 255, 0, 255)
    hsv[..., 2] = np.clip((1 - rad) * 2 * 255, 0, 255)
    bgr = cv2.cvtColor(hsv, cv2.COLOR_HSV2BGR)
    bgr[rad > 1] = 0
    return Image.fromarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def huge_header_png(width=50000, height=50000):
    """A valid PNG signature and IHDR (correct CRC) claiming width x height RGB, with one tiny IDAT:
    a decoder that allocates from the header before checking limits would ask for 7.5 GB."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 16)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")


def main():
    astronaut = rgb(os.path.join(SK, "astronaut.png"))
    hopper = rgb(os.path.join(MPL, "grace_hopper.jpg"))
    chelsea = rgb(os.path.join(SK, "chelsea.png"))

    # People and faces, a pet, food (the coffee-cup trap), an object, grayscale.
    save(astronaut, "astronaut.jpg", quality=90)
    save(hopper, "grace_hopper.jpg", quality=90)
    save(chelsea, "chelsea_cat.jpg", quality=90)
    save(rgb(os.path.join(SK, "coffee.png")), "coffee.jpg", quality=90)
    save(Image.open(os.path.join(SK, "camera.png")).convert("L"), "camera_gray.png", optimize=True)
    # Formats and shapes: WebP, RGBA with transparency, EXIF orientation, tiny.
    save(rgb(os.path.join(SK, "rocket.jpg")), "rocket.webp", quality=80)
    rgba_with_transparency(chelsea, "chelsea_rgba.png")
    exif_rotated(hopper, "grace_hopper_exif6.jpg")
    save(chelsea.resize((8, 8), Image.Resampling.BOX), "tiny_8x8.png")

    # Held out: never looked at while the thresholds were set; run through the same parity test.
    hubble = rgb(os.path.join(SK, "hubble_deep_field.jpg"))
    save(hubble.resize((500, 436), Image.Resampling.LANCZOS), "heldout/hubble_deep_field.jpg", quality=88)
    retina = rgb(os.path.join(SK, "retina.jpg"))
    save(retina.resize((600, 600), Image.Resampling.LANCZOS), "heldout/retina.jpg", quality=88)
    save(Image.open(os.path.join(SK, "brick.png")).convert("L"), "heldout/brick_gray.jpg", quality=88)
    save(Image.open(os.path.join(SK, "horse.png")), "heldout/horse_silhouette.png", optimize=True)
    save(Image.open(os.path.join(MPL, "Minduka_Present_Blue_Pack.png")), "heldout/present_rgba.png")
    save(astronaut.crop((0, 0, 512, 341)).resize((768, 512), Image.Resampling.LANCZOS),
         "heldout/astronaut_wide.webp", quality=85)

    # A benign synthetic graphic the model misreads (kept out of the must-be-safe set).
    save(colour_wheel(), "traps/colour_wheel.png", optimize=True)

    # Bad inputs for error tests.
    good = io.BytesIO()
    astronaut.save(good, "JPEG", quality=90)
    data = good.getvalue()
    os.makedirs(os.path.join(OUT, "bad"), exist_ok=True)
    with open(os.path.join(OUT, "bad", "truncated.jpg"), "wb") as f:
        f.write(data[: len(data) // 3])
    with open(os.path.join(OUT, "bad", "random_bytes.jpg"), "wb") as f:
        f.write(np.random.default_rng(7).integers(0, 256, 4096, dtype=np.uint8).tobytes())
    with open(os.path.join(OUT, "bad", "huge_header_50000x50000.png"), "wb") as f:
        f.write(huge_header_png())
    open(os.path.join(OUT, "bad", "empty.jpg"), "wb").close()


if __name__ == "__main__":
    main()
