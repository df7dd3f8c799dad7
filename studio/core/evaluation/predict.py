"""Classify image files with a trained model: a run folder or an exported file.

:func:`load_predictor` opens any model the studio writes - a run folder (its ``best``
checkpoint), an exported TorchScript (``.pt``/``.ts``) or ONNX (``.onnx``) file, and also the
other exports (a state-dict ``.pt``, ``.safetensors``, a ``python`` export folder) - and
returns a :class:`Predictor` that knows the class names, the input size and the
normalisation. Images go through :mod:`studio.core.data.preprocess`, exactly as in training.

:meth:`Predictor.predict` gives one :class:`Prediction` per image: the top-k classes with
probabilities, or the reason the image could not be read (other images still get theirs).
The CLI ``predict`` command and the Evaluate page's predict panel are two faces of it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from studio.core.base.errors import UserError
from studio.core.export.formats import (
    ExportError,
    ExportMeta,
    Runner,
    read_onnx,
    read_safetensors,
    read_state_dict,
    read_torchscript,
    torch_runner,
)
from studio.core.export.python_source import read_python
from studio.core.runs.run_folder import load_trained_model, require_run_dir

if TYPE_CHECKING:
    from PIL import Image

BATCH = 64
TORCHSCRIPT_SUFFIXES = (".pt", ".ts", ".pth", ".torchscript")


class PredictError(UserError):
    """A model that cannot be opened for prediction (names the path and what it expected)."""


@dataclass(frozen=True)
class Prediction:
    """The model's answer for one image, or why there is none."""

    image: str
    top: list[tuple[str, int, float]]  # (class name, class index, probability), best first
    probabilities: np.ndarray | None = None  # (K,) softmax, None when the image was unreadable
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True when the image was read and classified."""
        return self.error is None

    def to_json(self) -> dict[str, Any]:
        """``{"image", "top": [{"class", "index", "probability"}]}`` or ``{"image", "error"}``."""
        if self.error is not None:
            return {"image": self.image, "error": self.error}
        return {"image": self.image, "top": [{"class": c, "index": i, "probability": p} for c, i, p in self.top]}

    def text(self) -> str:
        """``path: cat 91.2%, dog 6.0%`` or ``path: error: ...``."""
        if self.error is not None:
            return f"{self.image}: error: {self.error}"
        return f"{self.image}: " + ", ".join(f"{c} {100.0 * p:.1f}%" for c, _, p in self.top)


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax, numerically stable, float32."""
    z = np.asarray(logits, dtype=np.float64)
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return (e / e.sum(axis=1, keepdims=True)).astype(np.float32)


class Predictor:
    """A loaded model with everything needed to turn image files into class probabilities."""

    def __init__(self, runner: Runner, meta: ExportMeta, kind: str, source: Path) -> None:
        self.runner = runner
        self.meta = meta
        self.kind = kind  # "run", "torchscript", "onnx", "state-dict", "safetensors", "python"
        self.source = source

    @property
    def classes(self) -> list[str]:
        """Class names in label order."""
        return list(self.meta.classes)

    @property
    def input_shape(self) -> tuple[int, int, int]:
        """(C, H, W) the model takes."""
        return tuple(self.meta.input_shape)  # type: ignore[return-value]

    def clip_top_k(self, k: int) -> int:
        """``k`` limited to 1..number of classes."""
        return max(1, min(int(k), len(self.meta.classes) or 1))

    def probabilities(self, batch: np.ndarray) -> np.ndarray:
        """Softmax probabilities ``(N, K)`` of a normalised float32 batch ``(N, C, H, W)``."""
        out = [softmax(self.runner(batch[i:i + BATCH])) for i in range(0, len(batch), BATCH)]
        return np.concatenate(out) if out else np.zeros((0, len(self.meta.classes)), dtype=np.float32)

    def load_images(self, images: Sequence[str | os.PathLike[str] | Image.Image]) -> tuple[list[Any], list[str | None]]:
        """uint8 tensors of the images that could be read, and an error (or None) per image."""
        from PIL import Image as PILImage

        # lazy: pulls in PIL
        from studio.core.data.preprocess import ImageReadError, open_image, to_uint8_tensor

        c, h, w = self.meta.input_shape
        tensors: list[Any] = []
        errors: list[str | None] = []
        for item in images:
            try:
                img = item if isinstance(item, PILImage.Image) else open_image(item, size_hint=(h, w))
                tensors.append(to_uint8_tensor(img, c, (h, w)))
                errors.append(None)
            except ImageReadError as exc:
                errors.append(exc.reason)
        return tensors, errors

    def predict(self, images: Sequence[str | os.PathLike[str] | Image.Image], top_k: int = 3) -> list[Prediction]:
        """One :class:`Prediction` per image (in order); unreadable images carry their error."""
        import torch

        from studio.core.data.preprocess import normalize  # lazy: pulls in PIL

        k = self.clip_top_k(top_k)
        results: list[Prediction] = []
        for start in range(0, len(images), BATCH):
            chunk = list(images[start:start + BATCH])
            tensors, errors = self.load_images(chunk)
            probs = self.probabilities(normalize(torch.stack(tensors), self.meta.mean, self.meta.std).numpy()) \
                if tensors else np.zeros((0, len(self.meta.classes)), dtype=np.float32)
            row = 0
            for item, error in zip(chunk, errors, strict=True):
                name = _name(item)
                if error is not None:
                    results.append(Prediction(name, [], None, error))
                    continue
                p = probs[row]
                row += 1
                order = np.argsort(-p, kind="stable")[:k]
                results.append(Prediction(name, [(self.meta.classes[i], int(i), float(p[i])) for i in order], p))
        return results


def _name(item: Any) -> str:
    if isinstance(item, (str, os.PathLike)):
        return os.fspath(item)
    return getattr(item, "filename", "") or "<image>"


def _run_folder_predictor(path: Path, which: str) -> Predictor:
    require_run_dir(path)
    model, state = load_trained_model(path, which)
    meta = ExportMeta.from_checkpoint(state, which)
    if not meta.classes:
        raise PredictError(f"{path}: the checkpoint has no class names")

    return Predictor(torch_runner(model), meta, "run", path)


def load_predictor(model: str | os.PathLike[str], which: str = "best") -> Predictor:
    """Open a run folder or an exported model file/folder for prediction.

    ``which`` picks a run folder's ``best`` or ``last`` checkpoint. Raises
    :class:`PredictError` (a :class:`UserError`) saying what ``model`` should be.
    """
    path = Path(model).expanduser()
    if not path.exists():
        raise PredictError(f"model {path} does not exist; give a run folder or an exported .pt/.onnx file")
    if path.is_dir():
        if (path / "project.json").is_file():
            return _run_folder_predictor(path, which)
        if (path / "model.py").is_file():
            runner, meta = read_python(path)
            return Predictor(runner, meta, "python", path)
        raise PredictError(f"{path} is a folder but not a run folder (no project.json) or a python export "
                           "(no model.py)")
    suffix = path.suffix.lower()
    try:
        if suffix == ".onnx":
            runner, meta = read_onnx(path)
            return Predictor(runner, meta, "onnx", path)
        if suffix == ".safetensors":
            runner, meta = read_safetensors(path)
            return Predictor(runner, meta, "safetensors", path)
        if suffix in TORCHSCRIPT_SUFFIXES:
            try:
                runner, meta = read_torchscript(path)
                return Predictor(runner, meta, "torchscript", path)
            except ExportError as first:
                try:  # a .pt may also be a state-dict export
                    runner, meta = read_state_dict(path)
                    return Predictor(runner, meta, "state-dict", path)
                except ExportError:
                    raise first from None
    except ExportError as exc:
        raise PredictError(str(exc)) from None
    raise PredictError(f"{path}: unknown model file type {suffix or '(none)'}; give a run folder, a "
                       "TorchScript .pt/.ts file or an .onnx file written by `cnn-studio export`")
