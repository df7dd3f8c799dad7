"""Tiny datasets that the user-journey tests write for themselves (nothing is downloaded).

Each one is in the layout a user would have on disk, so the studio reads it exactly as it
would read the real thing:

* :func:`write_mnist` — torchvision's MNIST raw layout (``root/MNIST/raw``, four uncompressed
  IDX files), as left behind by an earlier download;
* :func:`write_cifar10` — torchvision's ``cifar-10-batches-py`` folder (five training batches,
  a test batch and ``batches.meta``, pickled as the originals are);
* :func:`write_photo_folder` — one sub-folder of PNG files per class, as a user's own photos.

The classes differ in an obvious way (brightness for the digits, colour and pattern for the
photos) so that one short epoch learns something, but no test depends on how much.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
from PIL import Image

from studio.core.data.sources import idx_bytes

CIFAR10_CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
PHOTO_CLASSES = ["apples", "leaves", "sky"]
_PHOTO_COLOURS = {"apples": (200, 40, 40), "leaves": (40, 170, 60), "sky": (70, 110, 220)}


def class_images(n: int, classes: int, shape: tuple[int, ...], seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` uint8 images whose brightness tells their class, and the labels (every class present)."""
    rng = np.random.default_rng(seed)
    labels = (np.arange(n) % classes).astype(np.uint8)
    rng.shuffle(labels)
    level = labels.astype(np.float64) * (200 / max(classes - 1, 1)) + 20
    noise = rng.normal(0, 12, (n, *shape))
    images = np.clip(level.reshape((n,) + (1,) * len(shape)) + noise, 0, 255).astype(np.uint8)
    return images, labels


def write_mnist(root: Path, n_train: int = 200, n_test: int = 60) -> tuple[np.ndarray, np.ndarray]:
    """``root/MNIST/raw`` with the four IDX files; returns the test images and labels."""
    raw = root / "MNIST" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    tr_x, tr_y = class_images(n_train, 10, (28, 28), 1)
    te_x, te_y = class_images(n_test, 10, (28, 28), 2)
    for name, arr in (
        ("train-images-idx3-ubyte", tr_x),
        ("train-labels-idx1-ubyte", tr_y),
        ("t10k-images-idx3-ubyte", te_x),
        ("t10k-labels-idx1-ubyte", te_y),
    ):
        (raw / name).write_bytes(idx_bytes(arr))
    return te_x, te_y


def write_cifar10(root: Path, n_per_batch: int = 30, n_test: int = 60) -> tuple[np.ndarray, np.ndarray]:
    """``root/cifar-10-batches-py`` as torchvision unpacks it; returns the test images (N, 32, 32, 3)."""
    folder = root / "cifar-10-batches-py"
    folder.mkdir(parents=True, exist_ok=True)
    test_x = test_y = None
    for k, name in enumerate([f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]):
        x, y = class_images(n_test if name == "test_batch" else n_per_batch, 10, (3072,), 10 + k)
        with open(folder / name, "wb") as fh:
            pickle.dump({"data": x, "labels": [int(v) for v in y]}, fh, protocol=2)
        if name == "test_batch":
            test_x, test_y = x.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1), y
    with open(folder / "batches.meta", "wb") as fh:
        pickle.dump({"label_names": CIFAR10_CLASSES}, fh, protocol=2)
    assert test_x is not None and test_y is not None
    return test_x, test_y


def photo(label: str, size: int, seed: int) -> np.ndarray:
    """An (size, size, 3) "photo" of ``label``: its colour, with a pattern and noise of its own."""
    rng = np.random.default_rng(seed)
    colour = np.array(_PHOTO_COLOURS[label], dtype=np.float64)
    img = np.ones((size, size, 3)) * colour * rng.uniform(0.7, 1.2)
    yy, xx = np.mgrid[0:size, 0:size]
    if label == "apples":  # a round blob
        cy, cx = rng.uniform(0.3, 0.7, 2) * size
        img[(yy - cy) ** 2 + (xx - cx) ** 2 < (size / 4) ** 2] *= 0.5
    elif label == "leaves":  # diagonal veins
        img[(xx + yy + rng.integers(0, 6)) % 7 == 0] *= 0.4
    else:  # a bright horizon
        img[: int(size * rng.uniform(0.2, 0.5))] += 40
    img += rng.normal(0, 10, img.shape)
    return np.clip(img, 0, 255).astype(np.uint8)


def write_photo_folder(root: Path, per_class: int = 20, size: int = 40) -> Path:
    """``root/<class>/<class>_NN.png`` for each of :data:`PHOTO_CLASSES` (60 PNGs by default)."""
    for c, label in enumerate(PHOTO_CLASSES):
        folder = root / label
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(per_class):
            Image.fromarray(photo(label, size, 1000 * c + i)).save(folder / f"{label}_{i:02d}.png")
    return root


def save_pngs(images: np.ndarray, folder: Path, prefix: str) -> list[Path]:
    """Write uint8 images (N, H, W) or (N, H, W, 3) as PNG files; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, img in enumerate(images):
        path = folder / f"{prefix}_{i:02d}.png"
        Image.fromarray(np.ascontiguousarray(img)).save(path)
        paths.append(path)
    return paths
