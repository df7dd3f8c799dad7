"""Small datasets that the data/health tests write for themselves (nothing downloaded)."""

from __future__ import annotations

import io
import pickle
from pathlib import Path

import numpy as np
from PIL import Image

from studio.core.data.sources import idx_bytes


def class_images(n: int, classes: int, shape: tuple[int, ...], seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` uint8 images whose brightness tells the class (so a model could learn it)."""
    rng = np.random.default_rng(seed)
    labels = (np.arange(n) % classes).astype(np.uint8)
    rng.shuffle(labels)
    base = labels.astype(np.float64) * (200 / max(classes - 1, 1)) + 20
    noise = rng.normal(0, 10, (n, *shape))
    images = np.clip(base.reshape((n,) + (1,) * len(shape)) + noise, 0, 255).astype(np.uint8)
    return images, labels


def write_mnist(
    root: Path, folder: str = "MNIST", n_train: int = 200, n_test: int = 50, classes: int = 10
) -> tuple[np.ndarray, np.ndarray]:
    """A torchvision-layout MNIST (four uncompressed IDX files in ``root/<folder>/raw``)."""
    raw = root / folder / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    tr_x, tr_y = class_images(n_train, classes, (28, 28), 1)
    te_x, te_y = class_images(n_test, classes, (28, 28), 2)
    (raw / "train-images-idx3-ubyte").write_bytes(idx_bytes(tr_x))
    (raw / "train-labels-idx1-ubyte").write_bytes(idx_bytes(tr_y))
    (raw / "t10k-images-idx3-ubyte").write_bytes(idx_bytes(te_x))
    (raw / "t10k-labels-idx1-ubyte").write_bytes(idx_bytes(te_y))
    return tr_x, tr_y


def write_cifar10(root: Path, n_per_batch: int = 20) -> None:
    """A torchvision-layout CIFAR-10 (``cifar-10-batches-py``) with tiny batches."""
    folder = root / "cifar-10-batches-py"
    folder.mkdir(parents=True, exist_ok=True)
    names = [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]
    for k, name in enumerate(names):
        x, y = class_images(n_per_batch, 10, (3072,), 10 + k)
        with open(folder / name, "wb") as fh:
            pickle.dump({"data": x, "labels": [int(v) for v in y]}, fh, protocol=2)
    with open(folder / "batches.meta", "wb") as fh:
        pickle.dump(
            {
                "label_names": [
                    "airplane",
                    "automobile",
                    "bird",
                    "cat",
                    "deer",
                    "dog",
                    "frog",
                    "horse",
                    "ship",
                    "truck",
                ]
            },
            fh,
            protocol=2,
        )


def save(path: Path, arr: np.ndarray, **kw) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(arr).save(path, **kw)
    return path


def rgb(value: int, size: tuple[int, int] = (20, 16), seed: int = 0) -> np.ndarray:
    """An (h, w, 3) uint8 image around ``value``."""
    rng = np.random.default_rng(seed)
    return np.clip(value + rng.normal(0, 8, (size[0], size[1], 3)), 0, 255).astype(np.uint8)


def broken_files(folder: Path) -> dict[str, Path]:
    """Write a truncated JPEG, an empty file, a text file named .png and a folder named .jpg."""
    folder.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    Image.fromarray(rgb(100, (48, 48), 7)).save(buf, "JPEG", quality=90)
    data = buf.getvalue()
    out = {
        "truncated": folder / "truncated.jpg",
        "empty": folder / "empty.png",
        "text": folder / "notes.png",
        "dir": folder / "x.jpg",
    }
    out["truncated"].write_bytes(data[: len(data) // 2])
    out["empty"].write_bytes(b"")
    out["text"].write_text("this is not an image", encoding="utf-8")
    out["dir"].mkdir()
    return out


def write_class_folder(
    root: Path, classes: dict[str, int], per_class: int = 6, size=(20, 16), seed: int = 0
) -> list[Path]:
    """``root/<class>/<n>.png``: per class a brightness, a few PNGs; returns the files."""
    files = []
    for c, value in classes.items():
        for i in range(per_class):
            files.append(save(root / c / f"{c}_{i}.png", rgb(value, size, seed + i)))
    return files


def write_mode_zoo(folder: Path) -> list[Path]:
    """One image in each of the modes L, RGB, RGBA, P, CMYK, I;16 plus an EXIF-rotated JPEG."""
    g = np.tile(np.linspace(0, 255, 24, dtype=np.uint8), (18, 1))
    rgbimg = np.dstack([g, g // 2, np.full_like(g, 90)])
    files = [
        save(folder / "mode_l.png", g),
        save(folder / "mode_rgb.png", rgbimg),
        save(folder / "mode_rgba.png", np.dstack([rgbimg, np.full_like(g, 128)])),
    ]
    p = Image.fromarray(rgbimg).convert("P", palette=Image.ADAPTIVE, colors=8)
    files.append(folder / "mode_p.png")
    p.save(files[-1])
    files.append(folder / "mode_cmyk.jpg")
    Image.fromarray(rgbimg).convert("CMYK").save(files[-1])
    files.append(folder / "mode_i16.png")
    Image.fromarray(g.astype(np.uint16) * 257).save(files[-1])
    exif = Image.Exif()
    exif[0x0112] = 6
    files.append(folder / "rotated.jpg")
    Image.fromarray(rgbimg).save(files[-1], exif=exif)
    return files
