"""Test helper (no tests here): a tiny in-memory dataset, a tiny project, an event recorder.

The dataset is 3 classes of 12x12 greyscale images whose class is a bright band at one of
three heights, served through :class:`studio.core.data.splits.TensorSplit` exactly as
``studio.core.data.datasets.load_data`` serves in-memory sources, so engine tests need no disk.
"""

from __future__ import annotations

import copy
import threading
from typing import Any

import torch

from studio.core.data.datasets import DataBundle
from studio.core.data.splits import TensorSplit
from studio.core.project.project_file import Project
from studio.core.training.callbacks import Callback

CLASSES = ["top", "middle", "bottom"]
MEAN, STD = (0.35,), (0.3,)


def tiny_bundle(
    n_train: int = 192, n_val: int = 48, n_test: int = 0, seed: int = 0, augment: Any = None
) -> DataBundle:
    """Learnable 12x12 images: class c has a bright band in rows 4c..4c+3."""
    g = torch.Generator().manual_seed(seed)
    n = n_train + n_val + n_test
    y = torch.arange(n) % 3
    y = y[torch.randperm(n, generator=g)]
    x = (torch.rand(n, 1, 12, 12, generator=g) * 80).to(torch.uint8)
    for c in range(3):
        x[y == c, :, 4 * c : 4 * c + 4, :] += 150

    def split(name: str, lo: int, hi: int) -> TensorSplit:
        kw = {"augment_config": augment} if augment is not None else {}
        return TensorSplit(name, x[lo:hi].clone(), y[lo:hi].clone(), 1, (12, 12), MEAN, STD, **kw)

    train = split("train", 0, n_train)
    val = split("val", n_train, n_train + n_val) if n_val else None
    test = split("test", n_train + n_val, n) if n_test else None
    return DataBundle(classes=list(CLASSES), train=train, val=val, test=test, mean=MEAN, std=STD)


LAYERS = [
    {"type": "Conv2d", "out_channels": 8, "kernel_size": 3, "padding": 1},
    {"type": "BatchNorm2d"},
    {"type": "ReLU"},
    {"type": "MaxPool2d", "kernel_size": 2},
    {"type": "Flatten"},
    {"type": "Dropout", "p": 0.2},
    {"type": "Linear", "out_features": 3},
]


def tiny_project(layers: list[dict[str, Any]] | None = None, **training: Any) -> Project:
    """A project over the tiny data (source ``sample``, but tests pass the bundle themselves)."""
    t: dict[str, Any] = {
        "epochs": 3,
        "batch_size": 32,
        "optimizer": {"type": "AdamW", "lr": 0.01},
        "scheduler": {"type": "OneCycleLR", "max_lr": 0.02},
        "seed": 3,
        "device": "cpu",
    }
    t.update(training)
    return Project.from_dict(
        {
            "name": "tiny",
            "data": {"source": "sample", "channels": 1, "image_size": [12, 12], "val": 0.2},
            "model": {"kind": "stack", "layers": copy.deepcopy(layers or LAYERS)},
            "training": t,
        }
    )


class Recorder(Callback):
    """Records every hook call as ``(hook, payload)``; optional hooks to act on events."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []
        self.paused = threading.Event()
        self.batch_seen = threading.Event()
        self.on_batch: Any = None
        self.on_epoch: Any = None

    def names(self) -> list[str]:
        """The hook names in call order."""
        return [name for name, _ in self.calls]

    def payloads(self, hook: str) -> list[Any]:
        """What ``hook`` received, in order."""
        return [p for name, p in self.calls if name == hook]

    def on_start(self, event: Any) -> None:  # noqa: D102
        self.calls.append(("start", event))

    def on_epoch_start(self, epoch: int, epochs: int) -> None:  # noqa: D102
        self.calls.append(("epoch_start", (epoch, epochs)))

    def on_batch_end(self, event: Any) -> None:  # noqa: D102
        self.calls.append(("batch", event))
        self.batch_seen.set()
        if self.on_batch is not None:
            self.on_batch(event)

    def on_validation_start(self, epoch: int) -> None:  # noqa: D102
        self.calls.append(("validation", epoch))

    def on_epoch_end(self, event: Any) -> None:  # noqa: D102
        self.calls.append(("epoch", event))
        if self.on_epoch is not None:
            self.on_epoch(event)

    def on_pause(self) -> None:  # noqa: D102
        self.calls.append(("pause", None))
        self.paused.set()

    def on_resume(self) -> None:  # noqa: D102
        self.calls.append(("resume", None))

    def on_log(self, message: str) -> None:  # noqa: D102
        self.calls.append(("log", message))

    def on_end(self, event: Any) -> None:  # noqa: D102
        self.calls.append(("end", event))


TIMING_KEYS = ("seconds", "images_per_second")


def without_timing(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Epoch events minus the wall-clock fields (which differ between any two runs)."""
    return [{k: v for k, v in e.items() if k not in TIMING_KEYS} for e in events]
