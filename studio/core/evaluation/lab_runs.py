"""The Lab's trained-run side: a run's first filters, and how it copes with moved images.

:func:`network_filters` takes a run's first convolution (weights, bias, stride, padding,
dilation and the normalisation its input had), so the Lab can replay the feature maps the
Evaluate page's Explain tab shows, step by step.

Why convolution: the lecture opens with a network trained on centred apples that fails once the apple moves,
while filters that slide over the whole image keep finding it. :class:`ShiftEvaluator` loads a
run's model and its validation images once, then answers "what is the accuracy when every
image is shifted ``dx`` pixels right and ``dy`` down (zero fill)?" — for the Lab's shift
slider and its accuracy-against-shift plot, and for tests with no display.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from studio.core.base.i18n import tr
from studio.core.evaluation.lab import LabError
from studio.core.project.project_file import Project
from studio.core.runs.run_folder import load_trained_model, require_run_dir

log = logging.getLogger(__name__)
DEFAULT_LIMIT = 1000
MAX_SHIFT = 64


@dataclass
class NetworkFilters:
    """A run's first convolution, in the Lab's terms."""

    run_dir: Path
    layer: str  # the module's name in the network ("0", "features.0", ...)
    weights: np.ndarray  # float64 (N, C, kH, kW)
    bias: np.ndarray  # float64 (N,), zeros when the layer has none
    stride: int
    padding: int | str
    dilation: int
    mean: list[float]  # the input normalisation the network was trained with (0..1 units)
    std: list[float]
    input_shape: tuple[int, int, int]

    def normalise(self, pixels: np.ndarray) -> np.ndarray:
        """0-255 pixel numbers ``(C, H, W)`` -> the network's input (``(x/255 - mean) / std``)."""
        x = np.asarray(pixels, dtype=np.float64) / 255.0
        m = np.asarray(self.mean, dtype=np.float64).reshape(-1, 1, 1)
        s = np.asarray(self.std, dtype=np.float64).reshape(-1, 1, 1)
        return (x - m) / s


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, (tuple, list)) else value


def network_filters(run_dir: str | os.PathLike[str], which: str = "best") -> NetworkFilters:
    """The first convolution of a run's ``best`` (or ``last``) checkpoint, with its settings.

    A layer with different settings per axis (stride (1, 2)) is taken with its first value and
    logged; the studio's designer writes square ones.
    """
    # explain imports torch at module level: loaded only when a run is opened (start-up speed)
    from studio.core.evaluation.explain import conv_layer_names

    require_run_dir(run_dir)
    model, state = load_trained_model(run_dir, which)
    names = conv_layer_names(model)
    if not names:
        raise LabError(
            tr(
                "this run's network has no convolution layer, so it has no filters to replay (a "
                "Flatten + Linear network looks at the whole image at once)"
            )
        )
    conv = model.get_submodule(names[0])
    weights = conv.weight.detach().double().cpu().numpy().copy()
    bias = (
        conv.bias.detach().double().cpu().numpy().copy()
        if getattr(conv, "bias", None) is not None
        else np.zeros(weights.shape[0])
    )
    for attr in ("stride", "padding", "dilation"):
        value = getattr(conv, attr, 1)
        if isinstance(value, (tuple, list)) and len(set(value)) > 1:
            log.info("layer %s has %s %s; the Lab uses %s", names[0], attr, value, value[0])
    if getattr(conv, "groups", 1) != 1:
        raise LabError(
            tr(
                "the first convolution ({layer}) is grouped; the Lab replays ordinary convolutions",
                layer=names[0],
            )
        )
    channels = weights.shape[1]
    norm = state.get("norm") or {}
    shape = tuple(int(v) for v in (state.get("input_shape") or (channels, 0, 0)))
    padding = _first(conv.padding)
    return NetworkFilters(
        Path(run_dir),
        names[0],
        weights,
        bias,
        int(_first(conv.stride)),
        padding if isinstance(padding, str) else int(padding),
        int(_first(conv.dilation)),
        [float(v) for v in norm.get("mean") or [0.5] * channels],
        [float(v) for v in norm.get("std") or [0.5] * channels],
        (shape[0], shape[1], shape[2]),
    )


def shift_images(images: np.ndarray, dx: int, dy: int = 0) -> np.ndarray:
    """``(N, C, H, W)`` images moved ``dx`` pixels right and ``dy`` down (negative: left/up), zero fill.

    What leaves the frame is lost and what enters is black (0), as when an object moves in a
    fixed camera frame.
    """
    x = np.asarray(images)
    if x.ndim != 4:
        raise LabError(tr("images must be (N, C, H, W), got shape {shape}", shape=x.shape))
    h, w = x.shape[2], x.shape[3]
    out = np.zeros_like(x)
    if abs(dx) >= w or abs(dy) >= h:
        return out
    src_r = slice(max(0, -dy), h - max(0, dy))
    dst_r = slice(max(0, dy), h - max(0, -dy))
    src_c = slice(max(0, -dx), w - max(0, dx))
    dst_c = slice(max(0, dx), w - max(0, -dx))
    out[:, :, dst_r, dst_c] = x[:, :, src_r, src_c]
    return out


def _uint8_images(split: Any, limit: int) -> tuple[np.ndarray, np.ndarray]:
    """The first ``limit`` images of a split as uint8 ``(N, C, H, W)`` and their labels."""
    n = min(len(split), limit)
    if n == 0:
        raise LabError(
            tr(
                "the run's dataset has no validation images; set data.val to a fraction such as 0.1 and "
                "train again"
            )
        )
    if hasattr(split, "uint8_batch"):  # an in-memory split: one indexing
        import torch

        x = split.uint8_batch(torch.arange(n)).numpy()
        y = split.labels[:n].numpy()
        return x, np.asarray(y, dtype=np.int64)
    xs, ys = [], []
    for i in range(n):
        img, label, _ = split.item(i)
        xs.append(np.asarray(img.numpy() if hasattr(img, "numpy") else img, dtype=np.uint8))
        ys.append(int(label))
    return np.stack(xs), np.asarray(ys, dtype=np.int64)


@dataclass
class ShiftedPrediction:
    """One shifted image (uint8 ``(C, H, W)``), its true class and the network's guess."""

    image: np.ndarray
    label: int
    predicted: int


class ShiftEvaluator:
    """A run's model and (at most ``limit``) validation images, evaluated under shifts.

    ``data`` is the run's already loaded dataset (anything with ``.val``); without it the
    checkpoint's own project loads it. Loading happens once, in the constructor; each
    :meth:`accuracy` call is one forward pass over the images (cached per shift).
    """

    def __init__(
        self,
        run_dir: str | os.PathLike[str],
        *,
        which: str = "best",
        data: Any = None,
        limit: int = DEFAULT_LIMIT,
    ) -> None:
        self.run_dir = Path(run_dir)
        require_run_dir(run_dir)
        self.model, state = load_trained_model(run_dir, which)
        self.classes = [str(c) for c in state.get("classes") or []]
        project = Project.from_dict(state["project"])
        self.name = project.name
        norm = state.get("norm") or {}
        loaded_here = data is None
        if loaded_here:  # datasets imports torch at module level: only when a run is evaluated
            from studio.core.data.datasets import load_data  # lazy: pulls in torch

            data = load_data(project)
        try:
            split = getattr(data, "val", None)
            if split is None or len(split) == 0:
                raise LabError(
                    tr(
                        "the run's dataset has no validation images; set data.val to a fraction such as "
                        "0.1 and train again"
                    )
                )
            self.images, self.labels = _uint8_images(split, limit)
        finally:
            if loaded_here and hasattr(data, "close"):
                data.close()
        channels = self.images.shape[1]
        self.mean = np.asarray(norm.get("mean") or [0.5] * channels, dtype=np.float32).reshape(1, -1, 1, 1)
        self.std = np.asarray(norm.get("std") or [0.5] * channels, dtype=np.float32).reshape(1, -1, 1, 1)
        self._cache: dict[tuple[int, int], np.ndarray] = {}

    def predictions(self, dx: int, dy: int = 0) -> np.ndarray:
        """The predicted class of every image shifted by ``(dx, dy)``."""
        import torch

        if abs(dx) > MAX_SHIFT or abs(dy) > MAX_SHIFT:
            raise LabError(tr("a shift must be between -{limit} and {limit} pixels", limit=MAX_SHIFT))
        key = (int(dx), int(dy))
        if key not in self._cache:
            shifted = shift_images(self.images, *key).astype(np.float32) / 255.0
            x = torch.from_numpy((shifted - self.mean) / self.std)
            preds = []
            with torch.inference_mode():
                for i in range(0, len(x), 256):
                    preds.append(self.model(x[i : i + 256]).argmax(dim=1).numpy())
            self._cache[key] = np.concatenate(preds)
        return self._cache[key]

    def accuracy(self, dx: int, dy: int = 0) -> float:
        """The fraction of images still classified right after the shift."""
        return float((self.predictions(dx, dy) == self.labels).mean())

    def curve(self, shifts: Sequence[int], vertical: bool = False) -> list[float]:
        """Accuracy for each shift (horizontal, or vertical when asked)."""
        return [self.accuracy(0, s) if vertical else self.accuracy(s, 0) for s in shifts]

    def examples(self, dx: int, dy: int = 0, count: int = 4) -> list[ShiftedPrediction]:
        """The first ``count`` shifted images with their true class and prediction."""
        preds = self.predictions(dx, dy)
        shifted = shift_images(self.images[:count], dx, dy)
        return [
            ShiftedPrediction(shifted[i], int(self.labels[i]), int(preds[i])) for i in range(len(shifted))
        ]
