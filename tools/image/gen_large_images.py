# Generates the large benign JPEGs used by the parity test and the benchmarks, from committed fixtures,
# into a directory outside the repository (they are too big to commit):
#   photo_10mp.jpg   3872x2592 (10.0 MP, 3:2), upscaled from the top of fixtures/images/astronaut.jpg
#   phone_1080x1440.jpg  1080x1440 (3:4), upscaled from fixtures/images/grace_hopper.jpg
# Usage: python tools/image/gen_large_images.py OUT_DIR   (prints the two paths)
"""Writes photo_10mp.jpg and phone_1080x1440.jpg into OUT_DIR; idempotent."""

import os
import sys

import cv2

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(REPO, "fixtures", "images")

# name -> (source fixture, crop (x, y, w, h) with the target aspect ratio, output size)
IMAGES = {
    "photo_10mp.jpg": ("astronaut.jpg", (0, 0, 512, 341), (3872, 2592)),
    "phone_1080x1440.jpg": ("grace_hopper.jpg", (31, 0, 450, 600), (1080, 1440)),
}


def generate(out_dir):
    """Writes each image unless it is already there; returns {name: path}."""
    os.makedirs(out_dir, exist_ok=True)
    paths = {}
    for name, (source, (x, y, w, h), size) in IMAGES.items():
        path = os.path.join(out_dir, name)
        if not os.path.exists(path):
            src = cv2.imread(os.path.join(FIXTURES, source), cv2.IMREAD_COLOR)
            big = cv2.resize(src[y : y + h, x : x + w], size, interpolation=cv2.INTER_CUBIC)
            tmp = path + ".partial.jpg"
            if not cv2.imwrite(tmp, big, [cv2.IMWRITE_JPEG_QUALITY, 92]):
                raise OSError(f"cannot write {tmp}")
            os.replace(tmp, path)
        paths[name] = path
    return paths


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    for p in generate(sys.argv[1]).values():
        print(p)
