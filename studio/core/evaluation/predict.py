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
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from studio.core.base.errors import UserError
from studio.core.base.i18n import tr
from studio.core.export.formats import (
    ExportError,
    ExportMeta,
    Runner,
    check_outputs,
    read_onnx,
    read_safetensors,
    read_state_dict,
    read_torchscript,
    torch_runner,
)
from studio.core.export.python_source import read_python
from studio.core.export.trust import is_own_export, is_torchscript_archive, require_trusted
from studio.core.runs.run_folder import checkpoint_path, load_trained_model, require_run_dir

if TYPE_CHECKING:
    from PIL import Image

BATCH = 64
#: seconds a batch of a model the studio did not write may take before predict gives up on it
#: (an ONNX ``Loop`` that never ends would otherwise spin forever)
FOREIGN_TIME_LIMIT_S = 120.0
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
        return {
            "image": self.image,
            "top": [{"class": c, "index": i, "probability": p} for c, i, p in self.top],
        }

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
        self.time_limit: float | None = None  # seconds per batch; None: no limit (own models)

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
        out = [
            softmax(self._checked(self._run(batch[i : i + BATCH]), len(batch[i : i + BATCH])))
            for i in range(0, len(batch), BATCH)
        ]
        return np.concatenate(out) if out else np.zeros((0, len(self.meta.classes)), dtype=np.float32)

    def _run(self, x: np.ndarray) -> Any:
        """The runner's output for ``x``, within :attr:`time_limit` when one is set.

        The model runs in a daemon thread; past the limit an ONNX session is told to stop
        (``RunOptions.terminate``) and a :class:`PredictError` is raised either way.
        """
        if self.time_limit is None:
            try:
                return self.runner(x)
            except Exception as exc:
                raise PredictError(
                    tr(
                        "{source}: the model failed to run ({kind}: {exc})",
                        source=self.source,
                        kind=type(exc).__name__,
                        exc=str(exc)[:200],
                    )
                ) from None
        result: dict[str, Any] = {}

        def work() -> None:
            try:
                result["out"] = self.runner(x)
            except Exception as exc:  # reported below, in the caller's thread
                result["error"] = exc

        thread = threading.Thread(target=work, name="predict-foreign-model", daemon=True)
        thread.start()
        thread.join(self.time_limit)
        if thread.is_alive():
            stop = getattr(self.runner, "stop", None)
            if stop is not None:
                stop()
            raise PredictError(
                tr(
                    "{source}: the model did not finish one batch within {time_limit:g} s; it may loop without end (a model CNN Studio did not write runs under this limit)",
                    source=self.source,
                    time_limit=self.time_limit,
                )
            )
        if "error" in result:
            failure = result["error"]
            raise PredictError(
                tr(
                    "{source}: the model failed to run ({kind}: {exc})",
                    source=self.source,
                    kind=type(failure).__name__,
                    exc=str(failure)[:200],
                )
            )
        return result["out"]

    def _checked(self, logits: Any, n: int) -> np.ndarray:
        """``logits`` as an ``(n, classes)`` array, else a :class:`PredictError` naming the file."""
        k = len(self.meta.classes)
        if not isinstance(logits, np.ndarray) or logits.shape != (n, k):
            got = getattr(logits, "shape", type(logits).__name__)
            raise PredictError(
                tr(
                    "{source}: the model's output is {got}, expected ({n}, {k}): one score per class (field classes) for each image",
                    source=self.source,
                    got=got,
                    n=n,
                    k=k,
                )
            )
        return logits

    def load_images(
        self, images: Sequence[str | os.PathLike[str] | Image.Image]
    ) -> tuple[list[Any], list[str | None]]:
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

    def predict(
        self, images: Sequence[str | os.PathLike[str] | Image.Image], top_k: int = 3
    ) -> list[Prediction]:
        """One :class:`Prediction` per image (in order); unreadable images carry their error."""
        import torch

        from studio.core.data.preprocess import normalize  # lazy: pulls in PIL

        k = self.clip_top_k(top_k)
        results: list[Prediction] = []
        for start in range(0, len(images), BATCH):
            chunk = list(images[start : start + BATCH])
            tensors, errors = self.load_images(chunk)
            probs = (
                self.probabilities(normalize(torch.stack(tensors), self.meta.mean, self.meta.std).numpy())
                if tensors
                else np.zeros((0, len(self.meta.classes)), dtype=np.float32)
            )
            row = 0
            for item, error in zip(chunk, errors, strict=True):
                name = _name(item)
                if error is not None:
                    results.append(Prediction(name, [], None, error))
                    continue
                p = probs[row]
                row += 1
                order = np.argsort(-p, kind="stable")[:k]
                results.append(
                    Prediction(name, [(self.meta.classes[i], int(i), float(p[i])) for i in order], p)
                )
        return results


def _name(item: Any) -> str:
    if isinstance(item, (str, os.PathLike)):
        return os.fspath(item)
    return getattr(item, "filename", "") or "<image>"


def _run_folder_predictor(path: Path, which: str) -> Predictor:
    require_run_dir(path)
    model, state = load_trained_model(path, which)
    where = str(checkpoint_path(path, which))
    meta = ExportMeta.from_checkpoint(state, which, where)
    check_outputs(model, meta, where)
    return Predictor(torch_runner(model), meta, "run", path)


def load_predictor(model: str | os.PathLike[str], which: str = "best", trust: bool = False) -> Predictor:
    """Open a run folder or an exported model file/folder for prediction.

    ``which`` picks a run folder's ``best`` or ``last`` checkpoint. A TorchScript file or a
    python export folder runs code when loaded: unless the studio wrote it (its hash is
    recorded, :mod:`studio.core.export.trust`) or ``trust`` is true, it is refused with an
    :class:`~studio.core.export.trust.UntrustedModelError` (a :class:`UserError` naming the
    file, the risk and ``--trust``). An ONNX or TorchScript model the studio did not write runs
    under a time limit (:data:`FOREIGN_TIME_LIMIT_S` per batch). Raises :class:`PredictError`
    (a :class:`UserError`) saying what ``model`` should be.
    """
    path = Path(model).expanduser()
    if not path.exists():
        raise PredictError(
            tr("model {path} does not exist; give a run folder or an exported .pt/.onnx file", path=path)
        )
    if path.is_dir():
        if (path / "project.json").is_file():
            return _run_folder_predictor(path, which)
        if (path / "model.py").is_file():
            require_trusted(path, "python", trust)
            runner, meta = read_python(path)
            return Predictor(runner, meta, "python", path)
        raise PredictError(
            tr(
                "{path} is a folder but not a run folder (no project.json) or a python export (no model.py)",
                path=path,
            )
        )
    if not path.is_file():  # a FIFO or a device would block or never end
        raise PredictError(
            tr("{path} is not a regular file; give a run folder or an exported model file", path=path)
        )
    suffix = path.suffix.lower()
    try:
        if suffix == ".onnx":
            runner, meta = read_onnx(path)
            return _limited(Predictor(runner, meta, "onnx", path))
        if suffix == ".safetensors":
            runner, meta = read_safetensors(path)
            return Predictor(runner, meta, "safetensors", path)
        if suffix in TORCHSCRIPT_SUFFIXES:
            if is_torchscript_archive(path):
                require_trusted(path, "torchscript", trust)
                runner, meta = read_torchscript(path)
                return _limited(Predictor(runner, meta, "torchscript", path))
            try:
                runner, meta = read_state_dict(path)  # weights_only: no code can run
            except ExportError as exc:
                raise PredictError(
                    tr(
                        "{path} is neither a TorchScript nor a state-dict export ({exc}); export one with `cnn-studio export`",
                        path=path,
                        exc=exc,
                    )
                ) from None
            return Predictor(runner, meta, "state-dict", path)
    except ExportError as exc:
        raise PredictError(str(exc)) from None
    raise PredictError(
        tr(
            "{path}: unknown model file type {suffix}; give a run folder, a TorchScript .pt/.ts file or an .onnx file written by `cnn-studio export`",
            path=path,
            suffix=suffix or tr("(none)"),
        )
    )


def _limited(predictor: Predictor) -> Predictor:
    """``predictor`` with a time limit per batch unless the studio wrote its file."""
    if not is_own_export(predictor.source):
        predictor.time_limit = FOREIGN_TIME_LIMIT_S
    return predictor
