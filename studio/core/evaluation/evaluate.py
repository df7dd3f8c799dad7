"""Evaluate a trained run on its validation or test split: everything the Evaluate page shows.

:func:`evaluate_run` loads a run's ``best`` (or ``last``) checkpoint and its dataset, runs the
split through the model on the CPU in batches (``torch.inference_mode``), and returns an
:class:`Evaluation`: per-image true class, prediction and probabilities, the confusion matrix,
the per-class precision/recall/F1 table, the images behind every confusion-matrix cell (the
gallery a click on a cell opens) and the most confident mistakes. Long evaluations report
``progress(message, fraction)`` and stop when ``cancel()`` returns true
(:class:`~studio.core.data.errors.DataCancelled`, as dataset loading does).

Images are referred to by their **index in the split**, so the GUI fetches one with
``split.item(index)`` (uint8 image, label, path) for a thumbnail or a Grad-CAM overlay.
Unreadable files of a folder dataset are skipped (and counted), as in training.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from studio.core.base.errors import UserError
from studio.core.base.i18n import tr
from studio.core.base.progress import Progress, scaled
from studio.core.data.errors import check_cancel
from studio.core.evaluation.metrics import ClassReport, class_report, confusion_matrix, row_percentages
from studio.core.export.formats import ExportMeta, check_outputs
from studio.core.project.project_file import Project
from studio.core.runs.run_folder import checkpoint_path, load_trained_model, require_run_dir

if TYPE_CHECKING:
    import torch
    import torch.nn as nn

SPLITS = ("val", "test")
DEFAULT_BATCH = 256


class EvaluationError(UserError):
    """A run or dataset that cannot be evaluated as asked (no such split, other classes...)."""


@dataclass(frozen=True)
class Sample:
    """One evaluated image: where it is in the split and what the model said about it."""

    index: int  # index in the split: split.item(index)
    true: int
    predicted: int
    confidence: float  # probability of the predicted class
    true_probability: float
    path: str | None = None

    @property
    def correct(self) -> bool:
        """Whether the prediction is right."""
        return self.true == self.predicted


@dataclass
class Evaluation:
    """The result of evaluating a model on one split (arrays are aligned by position)."""

    classes: list[str]
    split: str
    indices: np.ndarray  # (N,) int64: index of each evaluated image in the split
    labels: np.ndarray  # (N,) int64 true classes
    predictions: np.ndarray  # (N,) int64
    probabilities: np.ndarray  # (N, K) float32 softmax
    paths: list[str | None] = field(default_factory=list)
    skipped: int = 0  # unreadable images left out
    checkpoint: str = "best"
    run_dir: Path | None = None
    epoch: int | None = None
    source: Any = field(default=None, repr=False)  # the evaluated Split, for fetching images

    def __post_init__(self) -> None:
        k = len(self.classes)
        self.confusion: np.ndarray = confusion_matrix(self.labels, self.predictions, k)
        self.report: ClassReport = class_report(self.confusion, self.classes)
        if not self.paths:
            self.paths = [None] * len(self.labels)

    def __len__(self) -> int:
        return int(len(self.labels))

    @property
    def accuracy(self) -> float:
        """Fraction of images classified correctly."""
        return self.report.accuracy

    @property
    def confidences(self) -> np.ndarray:
        """(N,) probability of each predicted class."""
        if not len(self):
            return np.zeros(0, dtype=np.float32)
        return self.probabilities[np.arange(len(self)), self.predictions]

    def row_percentages(self) -> np.ndarray:
        """The confusion matrix as percentages of each true class (the heat map's colours)."""
        return row_percentages(self.confusion)

    def sample(self, position: int) -> Sample:
        """The :class:`Sample` at ``position`` (0..N-1) of this evaluation."""
        t, p = int(self.labels[position]), int(self.predictions[position])
        probs = self.probabilities[position]
        return Sample(
            int(self.indices[position]), t, p, float(probs[p]), float(probs[t]), self.paths[position]
        )

    def image(self, index: int) -> Any:
        """The uint8 ``(C, H, W)`` tensor of split image ``index`` (for thumbnails and Grad-CAM).

        Raises ``ImageReadError`` for a file that became unreadable since the evaluation.
        """
        if self.source is None:
            raise LookupError("this evaluation has no split to fetch images from")
        return self.source.item(int(index))[0]

    def _samples(self, positions: np.ndarray) -> list[Sample]:
        return [self.sample(int(i)) for i in positions]

    def cell(self, true: int, predicted: int) -> list[Sample]:
        """The images of confusion-matrix cell (true, predicted), most confident first."""
        k = len(self.classes)
        if not (0 <= true < k and 0 <= predicted < k):
            raise IndexError(f"cell ({true}, {predicted}) is outside the {k}x{k} matrix")
        pos = np.flatnonzero((self.labels == true) & (self.predictions == predicted))
        order = np.argsort(-self.confidences[pos], kind="stable")
        return self._samples(pos[order])

    def cell_indices(self, true: int, predicted: int) -> np.ndarray:
        """Split indices of the images in cell (true, predicted), most confident first."""
        return np.asarray([s.index for s in self.cell(true, predicted)], dtype=np.int64)

    def mistakes(self, limit: int | None = None) -> list[Sample]:
        """Wrongly classified images, the most confident mistakes first."""
        pos = np.flatnonzero(self.labels != self.predictions)
        order = np.argsort(-self.confidences[pos], kind="stable")
        chosen = pos[order]
        return self._samples(chosen if limit is None else chosen[: max(0, limit)])

    def least_confident(self, limit: int = 20) -> list[Sample]:
        """The images the model was least sure about (right or wrong), least sure first."""
        order = np.argsort(self.confidences, kind="stable")[: max(0, limit)]
        return self._samples(order)

    def to_json(self, mistakes: int = 20) -> dict[str, Any]:
        """A JSON-ready summary: accuracy, matrix, per-class table, top mistakes."""
        return {
            "split": self.split,
            "checkpoint": self.checkpoint,
            "epoch": self.epoch,
            "run": str(self.run_dir) if self.run_dir else None,
            "images": len(self),
            "skipped": self.skipped,
            "accuracy": self.accuracy,
            "classes": list(self.classes),
            "confusion_matrix": self.confusion.tolist(),
            "report": self.report.to_json(),
            "mistakes": [
                {
                    "index": s.index,
                    "path": s.path,
                    "true": self.classes[s.true],
                    "predicted": self.classes[s.predicted],
                    "confidence": s.confidence,
                }
                for s in self.mistakes(mistakes)
            ],
        }


def _renormaliser(src_mean: Any, src_std: Any, mean: Any, std: Any) -> Callable[[torch.Tensor], torch.Tensor]:
    """Map a batch normalised with (src_mean, src_std) to (mean, std): one affine per channel."""
    import torch

    sm, ss = np.asarray(src_mean, dtype=np.float64), np.asarray(src_std, dtype=np.float64)
    m, s = np.asarray(mean, dtype=np.float64), np.asarray(std, dtype=np.float64)
    if (
        sm.shape == m.shape
        and np.allclose(sm, m, rtol=0, atol=1e-7)
        and np.allclose(ss, s, rtol=0, atol=1e-7)
    ):
        return lambda x: x
    a = torch.tensor(ss / s, dtype=torch.float32).view(1, -1, 1, 1)
    b = torch.tensor((sm - m) / s, dtype=torch.float32).view(1, -1, 1, 1)
    return lambda x: x * a + b


def evaluate_model(
    model: nn.Module,
    split: Any,
    classes: list[str],
    *,
    norm: dict[str, Any] | None = None,
    batch_size: int = DEFAULT_BATCH,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
) -> Evaluation:
    """Run ``split`` (a :class:`~studio.core.data.splits.Split`) through ``model`` on the CPU.

    ``norm`` (``{"mean", "std"}``, the checkpoint's) is what the model was trained with;
    batches normalised otherwise by the split are mapped to it exactly.
    """
    import torch

    n = len(split)
    k = len(classes)
    adjust = (
        _renormaliser(split.mean, split.std, norm["mean"], norm["std"])
        if norm and hasattr(split, "mean") and len(getattr(split, "mean", ()))
        else (lambda x: x)
    )
    total_batches = max(1, -(-n // batch_size))
    probs_parts: list[np.ndarray] = []
    label_parts: list[np.ndarray] = []
    was_training = model.training
    model.eval()
    try:
        with torch.inference_mode():
            for b, (xb, yb) in enumerate(split.batches(batch_size, shuffle=False)):
                check_cancel(cancel, tr("evaluating the model"))
                logits = model(adjust(xb.to("cpu", torch.float32)))
                if logits.dim() != 2 or logits.shape[1] != k:
                    raise EvaluationError(
                        tr(
                            "the model outputs shape {shape} but the run has {k} classes",
                            shape=tuple(logits.shape[1:]),
                            k=k,
                        )
                    )
                probs_parts.append(torch.softmax(logits.float(), dim=1).numpy())
                label_parts.append(yb.cpu().numpy())
                if progress:
                    progress(
                        tr("evaluating batch {batch} of {total}", batch=b + 1, total=total_batches),
                        min(1.0, (b + 1) / total_batches),
                    )
    finally:
        model.train(was_training)
    probabilities = np.concatenate(probs_parts) if probs_parts else np.zeros((0, k), dtype=np.float32)
    labels = np.concatenate(label_parts).astype(np.int64) if label_parts else np.zeros(0, dtype=np.int64)
    # unreadable files are dropped from their batches; with shuffle=False the survivors keep order
    bad = set(getattr(split, "bad", set()) or set())
    indices = np.asarray([i for i in range(n) if i not in bad], dtype=np.int64)
    all_labels = np.asarray(split.labels.cpu().numpy() if hasattr(split.labels, "cpu") else split.labels)
    if len(indices) != len(labels) or not np.array_equal(all_labels[indices], labels):
        raise RuntimeError(
            f"evaluation lost track of the images ({len(labels)} results for {len(indices)} readable images)"
        )
    split_paths = getattr(split, "paths", None)
    paths: list[str | None] = [str(split_paths[i]) for i in indices] if split_paths else [None] * len(indices)
    return Evaluation(
        list(classes),
        str(getattr(split, "name", "val")),
        indices,
        labels,
        probabilities.argmax(axis=1).astype(np.int64) if len(labels) else labels.copy(),
        probabilities.astype(np.float32),
        paths,
        skipped=len(bad),
        source=split,
    )


def pick_split(data: Any, split: str) -> Any:
    """``data.val`` or ``data.test``; :class:`EvaluationError` saying what exists otherwise."""
    if split not in SPLITS:
        raise EvaluationError(tr("unknown split {split!r}; choose val or test", split=split))
    chosen = getattr(data, split, None)
    if chosen is None or len(chosen) == 0:
        other = "test" if split == "val" else "val"
        has_other = getattr(data, other, None) is not None and len(getattr(data, other)) > 0
        if split == "val":
            message = (
                tr("the dataset has no validation images; evaluate the test split instead")
                if has_other
                else tr(
                    "the dataset has no validation images; set data.val to a fraction such as 0.1 and train again"
                )
            )
        else:
            message = (
                tr("the dataset has no test images; evaluate the val split instead")
                if has_other
                else tr(
                    "the dataset has no test images; set data.val to a fraction such as 0.1 and train again"
                )
            )
        raise EvaluationError(message)
    return chosen


def _evaluate_bundle(
    model: nn.Module,
    state: dict[str, Any],
    data: Any,
    split: str,
    classes: list[str],
    batch_size: int,
    progress: Progress | None,
    cancel: Callable[[], bool] | None,
    start: float,
) -> Evaluation:
    if classes and list(data.classes) != classes:
        raise EvaluationError(
            tr(
                "the dataset's classes ({data_classes}...) are not the run's ({classes}...); the dataset changed since training",
                data_classes=", ".join(map(str, data.classes[:6])),
                classes=", ".join(classes[:6]),
            )
        )
    chosen = pick_split(data, split)
    shape = state.get("input_shape")
    have = (getattr(chosen, "channels", None), *tuple(getattr(chosen, "size", ()) or ()))
    if shape and None not in have and tuple(have) != tuple(shape):
        raise EvaluationError(
            tr(
                "the dataset gives {have} images but the model takes {shape}",
                have=tuple(have),
                shape=tuple(shape),
            )
        )

    # loading the dataset took the first part of the bar
    return evaluate_model(
        model,
        chosen,
        classes or list(data.classes),
        norm=state.get("norm"),
        batch_size=batch_size,
        progress=scaled(progress, start, 1.0),
        cancel=cancel,
    )


def evaluate_run(
    run_dir: str | os.PathLike[str],
    *,
    which: str = "best",
    split: str = "val",
    data: Any = None,
    batch_size: int = DEFAULT_BATCH,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
) -> Evaluation:
    """Evaluate a run's ``best``/``last`` checkpoint on its ``val``/``test`` split.

    ``data`` is the run's already loaded dataset (a :class:`~studio.core.data.datasets.DataBundle`);
    without it, the checkpoint's own project loads it (progress goes to ``progress`` too).
    """
    if split not in SPLITS:
        raise EvaluationError(tr("unknown split {split!r}; choose val or test", split=split))
    require_run_dir(run_dir)
    model, state = load_trained_model(run_dir, which)
    if state.get("classes"):  # a crafted checkpoint: one score per named class, or one clear error
        where = str(checkpoint_path(run_dir, which))
        check_outputs(model, ExportMeta.from_checkpoint(state, which, where), where)
    classes = [str(c) for c in state.get("classes") or []]
    loaded_here = data is None
    if loaded_here:
        from studio.core.data.datasets import load_data  # lazy: pulls in torch

        data = load_data(
            Project.from_dict(state["project"]), progress=scaled(progress, 0.0, 0.3), cancel=cancel
        )
    try:
        result = _evaluate_bundle(
            model, state, data, split, classes, batch_size, progress, cancel, 0.3 if loaded_here else 0.0
        )
    finally:
        if loaded_here and hasattr(data, "close"):
            data.close()  # shut down the folder split's decoding workers
    result.split = split
    result.checkpoint = which
    result.run_dir = Path(run_dir)
    epoch = state.get("epoch")
    result.epoch = int(epoch) if isinstance(epoch, int) else None
    return result
