"""What the Evaluate page's background jobs do: thin compositions of core calls, no Qt.

* :func:`evaluate_job` loads a run's dataset (kept, so galleries can show the images) and
  evaluates the run on it with :func:`studio.core.evaluation.evaluate.evaluate_run`;
* :class:`ModelSession` holds one run checkpoint's model for the explain views and wraps
  :mod:`studio.core.evaluation.explain` (feature maps, filters, Grad-CAM) for one image;
* :func:`predict_job` classifies image files with :func:`studio.core.evaluation.predict.load_predictor`;
* :func:`export_job` writes a verified export with :func:`studio.core.export.exporter.export_run`.

Every function here runs in a worker thread and returns plain Python / numpy / torch
objects; the page turns them into pixels on the GUI thread.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from studio.core.base.errors import UserError
from studio.core.base.i18n import tr as core_tr
from studio.core.base.progress import CancelCheck, Progress, scaled
from studio.core.data.errors import check_cancel
from studio.core.data.preprocess import ImageReadError, normalize, open_image, to_uint8_tensor
from studio.core.evaluation.evaluate import Evaluation, evaluate_run
from studio.core.evaluation.explain import (
    LayerChoice,
    as_hwc,
    conv_layer_names,
    feature_maps,
    filter_grid,
    grad_cam,
    layer_choices,
    overlay,
    tile_grid,
)
from studio.core.evaluation.predict import Prediction, Predictor, load_predictor
from studio.core.export.exporter import export_run
from studio.core.export.formats import ExportMeta
from studio.core.runs.run_folder import RunError, load_trained_model, read_run, require_run_dir

if TYPE_CHECKING:
    import torch

THUMBNAIL = 160


# --------------------------------------------------------------------------- evaluation


@dataclass
class EvaluatedRun:
    """An :class:`Evaluation`, with its split's images for the galleries."""

    evaluation: Evaluation

    def pixels(self, index: int) -> torch.Tensor:
        """Image ``index`` of the split as the model saw it: uint8 ``(C, H, W)``."""
        return self.evaluation.image(int(index))


def evaluate_job(run_dir: Path, which: str, split: str) -> Callable[[Progress, CancelCheck], EvaluatedRun]:
    """A job evaluating ``run_dir``'s ``which`` checkpoint on ``split`` (``val``/``test``)."""

    def job(progress: Progress, cancelled: CancelCheck) -> EvaluatedRun:
        # lazy: pulls in torch; imported in the worker thread, not on the GUI thread
        from studio.core.data.datasets import load_data

        require_run_dir(run_dir)
        info = read_run(run_dir)
        if info.project is None:
            raise RunError(core_tr("{run} has no readable project.json", run=run_dir))
        progress(core_tr("loading the dataset"), 0.0)
        data = load_data(info.project, progress=scaled(progress, 0.0, 0.3), cancel=cancelled)
        try:
            result = evaluate_run(
                run_dir,
                which=which,
                split=split,
                data=data,
                cancel=cancelled,
                progress=scaled(progress, 0.3, 1.0),
            )
        finally:
            data.close()  # batch workers only: split.item() keeps working for the galleries
        return EvaluatedRun(result)

    return job


# --------------------------------------------------------------------------- explain


@dataclass(frozen=True)
class ExplainImage:
    """The image the explain views look at: pixels at the model's input size and its origin."""

    pixels: Any  # torch uint8 (C, H, W)
    label: str  # a file name or "validation image 12"
    true: int | None = None  # its class, when known


@dataclass(frozen=True)
class Explanation:
    """Everything the explain views show for one image (uint8 arrays)."""

    image: np.ndarray  # (H, W) or (H, W, 3): the input as the model saw it
    layer: str
    maps: np.ndarray  # the feature-map grid
    maps_shape: tuple[int, int, int]  # (C, H, W) of the layer's output
    cam_layer: str
    cam: np.ndarray  # Grad-CAM overlay (H, W, 3)
    heatmap: np.ndarray  # Grad-CAM map (H, W), 0..1
    target: int
    probabilities: np.ndarray
    filters: np.ndarray | None = None  # first-layer filter grid (once per model)


@dataclass
class ModelSession:
    """One checkpoint's model, loaded once, with the core's explain functions bound to it.

    The model is used by one job at a time (:attr:`lock`): the explain jobs run on a
    single-threaded pool, and the lock keeps that true if someone starts two.
    """

    run_dir: Path
    which: str
    model: Any
    state: dict[str, Any]
    lock: threading.Lock = field(default_factory=threading.Lock)
    _layers: list[LayerChoice] | None = None

    @classmethod
    def load(cls, run_dir: Path, which: str) -> ModelSession:
        """Load ``run_dir``'s ``which`` checkpoint (a :class:`UserError` if it cannot be)."""
        model, state = load_trained_model(run_dir, which)
        return cls(Path(run_dir), which, model, state)

    @functools.cached_property
    def meta(self) -> Any:
        """The checkpoint's :class:`~studio.core.export.formats.ExportMeta` (classes, input
        shape, normalisation), read the way export and prediction read it."""
        return ExportMeta.from_checkpoint(self.state, self.which)

    @property
    def classes(self) -> list[str]:
        """Class names in label order."""
        return self.meta.classes

    @property
    def input_shape(self) -> tuple[int, int, int]:
        """(C, H, W) the model takes."""
        return self.meta.input_shape

    def layers(self) -> list[LayerChoice]:
        """Layers with feature-map outputs, in forward order (conv layers and top-level rows)."""
        if self._layers is None:
            with self.lock:
                self._layers = layer_choices(self.model, self.input_shape)
        return self._layers

    def default_layer(self) -> str:
        """The first convolution (its maps are the easiest to read)."""
        names = conv_layer_names(self.model)
        if names:
            return names[0]
        choices = self.layers()
        if not choices:
            raise UserError(core_tr("the model has no convolution layer, so it has no feature maps to show"))
        return choices[0].name

    def image_from_file(self, path: str | os.PathLike[str]) -> ExplainImage:
        """An image file as the model sees it (:class:`UserError` naming the file if unreadable)."""
        c, h, w = self.input_shape
        img = open_image(path, size_hint=(h, w))
        return ExplainImage(to_uint8_tensor(img, c, (h, w)), Path(path).name)

    def normalised(self, pixels: Any) -> torch.Tensor:
        """uint8 ``(C, H, W)`` -> the float input the model was trained on."""
        return normalize(pixels, self.meta.mean, self.meta.std)

    def cam_overlay(self, pixels: Any, target: int | None = None) -> Any:
        """The Grad-CAM of ``target`` (default: the predicted class) over uint8 ``pixels``, as a
        PIL image (the galleries' Grad-CAM tiles)."""
        x = self.normalised(pixels)
        with self.lock:
            heat = grad_cam(self.model, x, target=target).heatmap
        return overlay(as_hwc(pixels), heat)

    def explain(
        self,
        image: ExplainImage,
        layer: str | None = None,
        target: int | None = None,
        cam_layer: str | None = None,
        with_filters: bool = False,
        scale: int = 0,
    ) -> Explanation:
        """Feature maps of ``layer``, Grad-CAM of ``target`` (default: the predicted class)."""
        layer = layer or self.default_layer()
        x = self.normalised(image.pixels)
        with self.lock:
            maps = feature_maps(self.model, x, layer)
            cam = grad_cam(self.model, x, target=target, layer=cam_layer or None)
            filters = filter_grid(self.model) if with_filters else None
        side = max(maps.shape[1], maps.shape[2])
        grid = tile_grid(maps, pad=1, scale=scale or max(1, min(8, 48 // max(1, side))))
        picture = as_hwc(image.pixels)
        return Explanation(
            picture,
            layer,
            grid,
            tuple(int(v) for v in maps.shape),
            cam.layer,
            np.asarray(overlay(picture, cam.heatmap)),
            cam.heatmap,
            cam.target,
            cam.probabilities,
            filters,
        )


@dataclass(frozen=True)
class ExplainResult:
    """What an explain job hands back: the session used, the image, the pictures, the layers."""

    session: ModelSession
    image: ExplainImage
    explanation: Explanation
    layers: list[LayerChoice]


def explain_job(
    session_holder: Callable[[], ModelSession],
    image: ExplainImage | str,
    layer: str | None,
    target: int | None,
    cam_layer: str | None,
    with_filters: bool,
) -> Callable[[Progress, CancelCheck], ExplainResult]:
    """A job: (load the model if needed,) read ``image`` if it is a path, and explain it."""

    def job(progress: Progress, cancelled: CancelCheck) -> ExplainResult:
        progress(core_tr("loading the model"), 0.1)
        session = session_holder()
        picked = session.image_from_file(image) if isinstance(image, (str, os.PathLike)) else image
        progress(core_tr("computing feature maps and Grad-CAM"), 0.5)
        explanation = session.explain(picked, layer, target, cam_layer, with_filters)
        return ExplainResult(session, picked, explanation, session.layers())

    return job


class ModelCache:
    """The chosen run's model, loaded on first use (from a worker job) and kept until the
    run or checkpoint changes: one :class:`ModelSession` for explaining, one
    :class:`~studio.core.evaluation.predict.Predictor` for predicting."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.run_dir: Path | None = None
        self.which = "best"
        self._session: ModelSession | None = None
        self._predictor: Predictor | None = None

    def set_run(self, run_dir: Path | None, which: str) -> bool:
        """Use ``run_dir``'s ``which`` checkpoint from now on; True when that is a change."""
        with self._lock:
            key = (Path(run_dir) if run_dir else None, which)
            if key == (self.run_dir, self.which):
                return False
            self.run_dir, self.which = key
            self._session = None
            self._predictor = None
            return True

    def has_run(self) -> bool:
        """True when a run is chosen."""
        return self.run_dir is not None

    def _require(self) -> Path:
        if self.run_dir is None:
            raise UserError(core_tr("no trained run is chosen; pick one at the top of the Evaluate page"))
        return self.run_dir

    def session(self) -> ModelSession:
        """The explain session (loads the checkpoint the first time)."""
        with self._lock:
            if self._session is None:
                self._session = ModelSession.load(self._require(), self.which)
            return self._session

    def predictor(self) -> Predictor:
        """The predictor (loads the checkpoint the first time)."""
        with self._lock:
            if self._predictor is None:
                self._predictor = load_predictor(self._require(), self.which)
            return self._predictor


# --------------------------------------------------------------------------- predict


@dataclass(frozen=True)
class PredictedImage:
    """One image's prediction and a small picture of it (None when unreadable)."""

    prediction: Prediction
    thumbnail: np.ndarray | None


def _thumbnail(path: str) -> np.ndarray | None:
    try:
        img = open_image(path, size_hint=(THUMBNAIL, THUMBNAIL))
    except (ImageReadError, UserError, OSError):
        return None
    img = img.convert("RGBA" if "A" in img.getbands() else "RGB")
    img.thumbnail((THUMBNAIL, THUMBNAIL))
    return np.asarray(img)


def predict_job(
    predictor_holder: Callable[[], Predictor], paths: Sequence[str], top_k: int
) -> Callable[[Progress, CancelCheck], list[PredictedImage]]:
    """A job classifying ``paths`` (in chunks, cancellable between them)."""

    def job(progress: Progress, cancelled: CancelCheck) -> list[PredictedImage]:
        progress(core_tr("loading the model"), 0.0)
        predictor = predictor_holder()
        out: list[PredictedImage] = []
        chunk = 32
        for start in range(0, len(paths), chunk):
            check_cancel(cancelled, "classifying the images")
            part = list(paths[start : start + chunk])
            for path, prediction in zip(part, predictor.predict(part, top_k), strict=True):
                out.append(PredictedImage(prediction, _thumbnail(path) if prediction.ok else None))
            progress(
                core_tr("classified {done} of {total} images", done=len(out), total=len(paths)),
                len(out) / max(1, len(paths)),
            )
        return out

    return job


# --------------------------------------------------------------------------- export


def export_job(
    run_dir: Path, which: str, fmt: str, out: Path, force: bool = False
) -> Callable[[Progress, CancelCheck], Any]:
    """A job writing a verified ``fmt`` export of ``run_dir`` to ``out`` (an ``ExportResult``).

    Cancelling stops between the exporter's steps; its temporary file is removed and
    nothing appears at ``out``.
    """

    def job(progress: Progress, cancelled: CancelCheck) -> Any:
        progress(core_tr("loading the checkpoint"), 0.0)
        return export_run(run_dir, fmt, out, which=which, progress=progress, cancel=cancelled, force=force)

    return job
