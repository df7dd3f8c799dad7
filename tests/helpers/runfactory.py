"""Test helper (no tests here): tiny synthetic datasets and briefly trained run folders.

Builds a run folder exactly as docs/contract.md describes it (``runs.init_run_dir`` +
``runs.save_checkpoint``) around a tiny stack trained for a few dozen steps on generated
images: diagonals, horizontal bars and vertical bars. The images are also written as PNG
files in a ``folder`` dataset, so that the project in the run can load them for real, and
:class:`ArraySplit` / :class:`ArrayBundle` serve the same arrays through the interface of
``studio.core.data.datasets`` (``Split.batches``/``item``/``labels``, ``DataBundle.val``...).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from PIL import Image

from studio.core.model.builder import build_model
from studio.core.project.project_file import Project
from studio.core.runs.run_folder import append_metric, init_run_dir, save_checkpoint

CLASSES = ["diagonal", "horizontal", "vertical"]  # sorted, as a folder scan orders them
SIZE = 12


def make_images(
    n_per_class: int, seed: int = 0, size: int = SIZE, channels: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """``(N, C, size, size)`` uint8 images and their int64 labels, class-interleaved."""
    rng = np.random.default_rng(seed)
    images, labels = [], []
    for _ in range(n_per_class):
        for label in range(3):
            img = rng.integers(0, 70, (size, size)).astype(np.float64)
            pos = rng.integers(1, size - 2)
            if label == 1:
                img[pos : pos + 2, :] += 170
            elif label == 2:
                img[:, pos : pos + 2] += 170
            else:
                offset = rng.integers(-3, 4)
                for r in range(size):
                    c = r + offset
                    if 0 <= c < size:
                        img[r, c] += 170
            img = np.clip(img, 0, 255).astype(np.uint8)
            images.append(np.repeat(img[None], channels, axis=0))
            labels.append(label)
    return np.stack(images), np.asarray(labels, dtype=np.int64)


def write_folder_dataset(root: Path, images: np.ndarray, labels: np.ndarray) -> list[Path]:
    """Write the images as ``root/<class>/<i>.png``; returns the paths in order."""
    paths = []
    for i, (img, label) in enumerate(zip(images, labels, strict=True)):
        folder = root / CLASSES[int(label)]
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{i:04d}.png"
        arr = img[0] if img.shape[0] == 1 else img.transpose(1, 2, 0)
        Image.fromarray(arr).save(path)
        paths.append(path)
    return paths


def stack_layers(num_classes: int = 3) -> list[dict[str, Any]]:
    """A small conv net for 12x12 images."""
    return [
        {"type": "Conv2d", "out_channels": 8, "kernel_size": 3, "padding": 1},
        {"type": "BatchNorm2d"},
        {"type": "ReLU"},
        {"type": "MaxPool2d", "kernel_size": 2},
        {"type": "Conv2d", "out_channels": 8, "kernel_size": 3, "padding": 1},
        {"type": "ReLU"},
        {"type": "Flatten"},
        {"type": "Linear", "out_features": num_classes},
    ]


def make_project(
    root: Path, channels: int = 1, layers: list[dict[str, Any]] | None = None, size: int = SIZE
) -> Project:
    """A ``folder`` project over ``root`` with the small stack (or ``layers``)."""
    return Project.from_dict(
        {
            "format": "cnn-studio/1",
            "name": "Bars test",
            "data": {
                "source": "folder",
                "root": str(root),
                "download": False,
                "channels": channels,
                "image_size": [size, size],
                "val": 0.25,
                "augment": {},
            },
            "model": {"kind": "stack", "layers": layers if layers is not None else stack_layers()},
            "training": {
                "epochs": 1,
                "batch_size": 32,
                "optimizer": {"type": "Adam", "lr": 0.01},
                "scheduler": None,
                "seed": 0,
                "device": "cpu",
            },
        }
    )


def normalise(images: np.ndarray, mean: list[float], std: list[float]) -> torch.Tensor:
    """uint8 ``(N, C, H, W)`` -> float32 ``(x / 255 - mean) / std``."""
    x = torch.from_numpy(images).float() / 255.0
    m = torch.tensor(mean).view(1, -1, 1, 1)
    s = torch.tensor(std).view(1, -1, 1, 1)
    return (x - m) / s


def train(model: torch.nn.Module, x: torch.Tensor, y: torch.Tensor, steps: int, seed: int = 0) -> None:
    """A few Adam steps on mini-batches of (x, y)."""
    torch.manual_seed(seed)
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=0.01)
    model.train()
    for _ in range(steps):
        idx = torch.randint(0, len(x), (32,))
        loss = torch.nn.functional.cross_entropy(model(x[idx]), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()


@dataclass
class MadeRun:
    """A run folder and the data it was trained on."""

    path: Path
    project: Project
    images: np.ndarray  # all images (uint8)
    labels: np.ndarray
    paths: list[Path]
    mean: list[float]
    std: list[float]


def make_run(
    tmp: Path,
    *,
    steps: int = 60,
    n_per_class: int = 40,
    channels: int = 1,
    layers: list[dict[str, Any]] | None = None,
    seed: int = 0,
) -> MadeRun:
    """Write a dataset and a run folder (best.pt after ``steps``, last.pt after 2 more) under ``tmp``."""
    images, labels = make_images(n_per_class, seed=seed, channels=channels)
    data_root = tmp / "data"
    paths = write_folder_dataset(data_root, images, labels)
    project = make_project(data_root, channels=channels, layers=layers)
    mean = [float(images.mean() / 255.0)] * channels
    std = [float(images.std() / 255.0)] * channels
    torch.manual_seed(seed)
    model = build_model(project, num_classes=3, load_weights=False)
    x, y = normalise(images, mean, std), torch.from_numpy(labels)
    train(model, x, y, steps, seed)
    run = init_run_dir(tmp / "run", project, CLASSES)
    base = {
        "project": project.to_dict(),
        "classes": CLASSES,
        "input_shape": [channels, SIZE, SIZE],
        "norm": {"mean": mean, "std": std},
        "optimizer": None,
        "scheduler": None,
        "rng": {},
        "history": [],
    }
    save_checkpoint(
        run / "checkpoints" / "best.pt",
        {
            **base,
            "model": model.state_dict(),
            "epoch": 1,
            "best": {"metric": "val_acc", "value": 0.9, "epoch": 1},
        },
    )
    train(model, x, y, 2, seed + 1)
    save_checkpoint(run / "checkpoints" / "last.pt", {**base, "model": model.state_dict(), "epoch": 2})
    append_metric(run, {"event": "epoch", "epoch": 1, "val_acc": 0.9})
    append_metric(run, {"event": "end", "status": "completed", "best_epoch": 1, "best_val_acc": 0.9})
    return MadeRun(run, project, images, labels, paths, mean, std)


class ArraySplit:
    """``studio.core.data.datasets.Split``'s interface over uint8 arrays (for tests)."""

    def __init__(
        self,
        images: np.ndarray,
        labels: np.ndarray,
        mean: list[float],
        std: list[float],
        paths: list[Path] | None = None,
        name: str = "val",
    ) -> None:
        self._images = torch.from_numpy(np.ascontiguousarray(images))
        self.labels = torch.from_numpy(np.asarray(labels, dtype=np.int64))
        self.mean, self.std, self.name = tuple(mean), tuple(std), name
        self.channels, self.size = int(images.shape[1]), (int(images.shape[2]), int(images.shape[3]))
        self.paths = [str(p) for p in paths] if paths else None

    def __len__(self) -> int:
        return len(self.labels)

    def batches(
        self, batch_size: int, *, shuffle: bool = False, generator: Any = None, augment: bool = False
    ) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        order = torch.randperm(len(self), generator=generator) if shuffle else torch.arange(len(self))
        for i in range(0, len(self), batch_size):
            idx = order[i : i + batch_size]
            yield normalise(self._images[idx].numpy(), list(self.mean), list(self.std)), self.labels[idx]

    def item(self, i: int) -> tuple[torch.Tensor, int, str | None]:
        return self._images[i], int(self.labels[i]), (self.paths[i] if self.paths else None)


@dataclass
class ArrayBundle:
    """``studio.core.data.datasets.DataBundle``'s interface (for tests)."""

    classes: list[str]
    train: ArraySplit | None
    val: ArraySplit | None
    test: ArraySplit | None
    mean: list[float]
    std: list[float]


def bundle_of(run: MadeRun, val_every: int = 4) -> ArrayBundle:
    """Every ``val_every``-th image as validation, the rest as training, served from memory."""
    idx = np.arange(len(run.labels))
    val = idx % val_every == 0
    vpaths = [run.paths[i] for i in idx[val]]
    tpaths = [run.paths[i] for i in idx[~val]]
    return ArrayBundle(
        CLASSES,
        ArraySplit(run.images[~val], run.labels[~val], run.mean, run.std, tpaths, "train"),
        ArraySplit(run.images[val], run.labels[val], run.mean, run.std, vpaths, "val"),
        None,
        run.mean,
        run.std,
    )


# --------------------------------------------------------------------------- shared across test files

_SHARED: dict[str, Any] = {}


def shared_run() -> MadeRun:
    """One trained run for every test file of the session (read-only use only).

    Exporting to ONNX costs seconds, so the run and its exports (:func:`shared_export`) are
    made once per test process; the folder is deleted when the process exits.
    """
    if "run" not in _SHARED:
        import atexit
        import shutil
        import tempfile

        root = Path(tempfile.mkdtemp(prefix="cnn-studio-test-run-"))
        atexit.register(shutil.rmtree, root, True)
        _SHARED["root"] = root
        _SHARED["run"] = make_run(root, steps=40)
    return _SHARED["run"]


def shared_export(fmt: str) -> Any:
    """The :class:`~studio.core.export.exporter.ExportResult` of :func:`shared_run` in ``fmt`` (made once),
    each written into its own, otherwise empty folder."""
    from studio.core.export.exporter import export_run

    key = f"export:{fmt}"
    if key not in _SHARED:
        run = shared_run()
        out = _SHARED["root"] / "exports" / fmt / "out"
        out.mkdir(parents=True)
        _SHARED[key] = export_run(run.path, fmt, out, data=bundle_of(run))
    return _SHARED[key]
