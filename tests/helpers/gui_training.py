"""Helpers for the Train page tests: a tiny generated dataset, a project and a fake window.

The dataset is a torchvision-layout Fashion-MNIST folder (IDX files) that the test writes:
``n`` 28x28 greyscale images of two easy classes (bright top half / bright bottom half) plus
noise, so that a tiny network learns it within an epoch or two in well under a second.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QMainWindow, QStatusBar

from studio.core.data.sources import idx_bytes
from studio.core.project.document import ProjectDocument
from studio.core.project.project_file import Project


def make_images(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` images and labels of the two-class toy problem."""
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % 2
    images = rng.integers(0, 140, size=(n, 28, 28))
    for i, label in enumerate(labels):
        rows = slice(0, 14) if label else slice(14, 28)
        images[i, rows] += rng.integers(0, 70)  # a faint, varying cue: learnable, not instant
    return np.clip(images, 0, 255).astype(np.uint8), labels


def write_fashion_mnist(root: Path, n_train: int = 200, n_test: int = 40) -> Path:
    """Write ``root/FashionMNIST/raw`` with the four uncompressed IDX files; returns ``root``."""
    raw = root / "FashionMNIST" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for prefix, n, seed in (("train", n_train, 1), ("t10k", n_test, 2)):
        images, labels = make_images(n, seed)
        (raw / f"{prefix}-images-idx3-ubyte").write_bytes(idx_bytes(images.astype(np.uint8)))
        (raw / f"{prefix}-labels-idx1-ubyte").write_bytes(idx_bytes(labels.astype(np.uint8)))
    return root


def tiny_project(
    root: Path,
    *,
    epochs: int = 2,
    batch_size: int = 8,
    lr: float = 0.01,
    layers: list[dict[str, Any]] | None = None,
    val: float | str = 0.2,
) -> Project:
    """A small stack over the generated dataset (about 200 images, ~25 batches an epoch)."""
    return Project.from_dict(
        {
            "format": "cnn-studio/1",
            "name": "Tiny",
            "data": {
                "source": "fashion_mnist",
                "root": str(root),
                "download": False,
                "channels": 1,
                "image_size": [28, 28],
                "val": val,
                "augment": {},
            },
            "model": {
                "kind": "stack",
                "layers": layers
                or [
                    {"type": "Conv2d", "out_channels": 4, "kernel_size": 3, "padding": 1},
                    {"type": "ReLU"},
                    {"type": "MaxPool2d", "kernel_size": 4},
                    {"type": "Flatten"},
                    {"type": "Linear", "out_features": 10},
                ],
            },
            "training": {
                "epochs": epochs,
                "batch_size": batch_size,
                "optimizer": {"type": "Adam", "lr": lr},
                "scheduler": None,
                "seed": 0,
                "device": "cpu",
                "workers": 0,
            },
        }
    )


class FakeWindow(QMainWindow):
    """Just enough main window: the trainingFinished signal and a status bar."""

    trainingFinished = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setStatusBar(QStatusBar(self))


def make_context(document: ProjectDocument, settings_path: Path) -> Any:
    """The real :class:`StudioContext` over a fake window and an INI settings file."""
    from studio.gui.common.context import StudioContext

    window = FakeWindow()
    return StudioContext(window, document, QSettings(str(settings_path), QSettings.Format.IniFormat))
