"""Classification metrics: accuracy, the confusion matrix, per-class precision/recall/F1.

Plain numpy so that the evaluation page, the CLI and the tests share one definition. Inputs
may be numpy arrays, torch tensors or lists of integer labels. Conventions (scikit-learn's):

* the confusion matrix ``cm[t, p]`` counts samples of true class ``t`` predicted as ``p``
  (rows: truth, columns: prediction);
* precision of class k = ``cm[k, k] / cm[:, k].sum()`` (0 when k was never predicted),
  recall = ``cm[k, k] / cm[k, :].sum()`` (0 when k never occurs), F1 their harmonic mean
  (0 when both are 0); no division by zero ever reaches numpy;
* macro averages weigh every class equally, weighted averages weigh them by support (their
  number of true samples).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np


def as_labels(values: Any) -> np.ndarray:
    """A 1-D int64 numpy array from a list, numpy array or (CPU/GPU) torch tensor."""
    if hasattr(values, "detach"):  # a torch tensor, without importing torch
        values = values.detach().cpu().numpy()
    arr = np.asarray(values)
    if arr.ndim != 1:
        arr = arr.reshape(-1)
    if arr.size and not np.issubdtype(arr.dtype, np.integer):
        if not np.all(np.equal(np.mod(arr, 1), 0)):
            raise ValueError("class labels must be integers")
    return arr.astype(np.int64, copy=False)


def accuracy(y_true: Any, y_pred: Any) -> float:
    """The fraction of predictions equal to the truth (0.0 for no samples)."""
    t, p = as_labels(y_true), as_labels(y_pred)
    if t.shape != p.shape:
        raise ValueError(f"y_true has {t.size} labels but y_pred has {p.size}")
    return float((t == p).mean()) if t.size else 0.0


def confusion_matrix(y_true: Any, y_pred: Any, num_classes: int | None = None) -> np.ndarray:
    """The ``(K, K)`` int64 count matrix, rows true class, columns predicted class.

    ``num_classes`` fixes K (so classes absent from both arrays still get a row and a
    column); by default K is one more than the largest label seen.
    """
    t, p = as_labels(y_true), as_labels(y_pred)
    if t.shape != p.shape:
        raise ValueError(f"y_true has {t.size} labels but y_pred has {p.size}")
    if t.size and (t.min() < 0 or p.min() < 0):
        raise ValueError("class labels must be >= 0")
    k = int(num_classes) if num_classes is not None else int(max(t.max(initial=-1), p.max(initial=-1)) + 1)
    if t.size and (t.max() >= k or p.max() >= k):
        raise ValueError(f"a label is >= num_classes ({k})")
    return np.bincount(t * k + p, minlength=k * k).reshape(k, k).astype(np.int64)


def _safe_divide(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    out = np.zeros(num.shape, dtype=np.float64)
    np.divide(num, den, out=out, where=den != 0)
    return out


@dataclass(frozen=True)
class ClassReport:
    """Per-class precision, recall, F1 and support, with macro and weighted averages.

    Arrays are indexed by class label; ``classes`` holds their names.
    """

    classes: tuple[str, ...]
    precision: np.ndarray
    recall: np.ndarray
    f1: np.ndarray
    support: np.ndarray
    predicted: np.ndarray  # how many samples were predicted as each class
    accuracy: float

    @property
    def total(self) -> int:
        """The number of samples."""
        return int(self.support.sum())

    def macro(self) -> dict[str, float]:
        """Unweighted means over classes (every class counts the same)."""
        return {
            "precision": float(self.precision.mean()) if self.precision.size else 0.0,
            "recall": float(self.recall.mean()) if self.recall.size else 0.0,
            "f1": float(self.f1.mean()) if self.f1.size else 0.0,
        }

    def weighted(self) -> dict[str, float]:
        """Means over classes weighted by support (0.0 for no samples)."""
        total = self.support.sum()
        if total == 0:
            return {"precision": 0.0, "recall": 0.0, "f1": 0.0}
        w = self.support / total
        return {
            "precision": float((self.precision * w).sum()),
            "recall": float((self.recall * w).sum()),
            "f1": float((self.f1 * w).sum()),
        }

    def rows(self) -> list[dict[str, Any]]:
        """One dict per class (name, precision, recall, f1, support): the page's table rows."""
        return [
            {
                "index": i,
                "class": name,
                "precision": float(self.precision[i]),
                "recall": float(self.recall[i]),
                "f1": float(self.f1[i]),
                "support": int(self.support[i]),
                "predicted": int(self.predicted[i]),
            }
            for i, name in enumerate(self.classes)
        ]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict: per-class rows, both averages, accuracy and the total."""
        return {
            "classes": self.rows(),
            "macro": self.macro(),
            "weighted": self.weighted(),
            "accuracy": self.accuracy,
            "total": self.total,
        }


def class_report(cm: np.ndarray, classes: Sequence[str] | None = None) -> ClassReport:
    """Precision/recall/F1/support per class from a confusion matrix (rows true)."""
    cm = np.asarray(cm, dtype=np.int64)
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1]:
        raise ValueError(f"a confusion matrix must be square, got shape {cm.shape}")
    k = cm.shape[0]
    names = tuple(str(c) for c in classes) if classes is not None else tuple(str(i) for i in range(k))
    if len(names) != k:
        raise ValueError(f"{len(names)} class names for a {k}x{k} confusion matrix")
    tp = np.diag(cm).astype(np.float64)
    support = cm.sum(axis=1)
    predicted = cm.sum(axis=0)
    precision = _safe_divide(tp, predicted.astype(np.float64))
    recall = _safe_divide(tp, support.astype(np.float64))
    f1 = _safe_divide(2 * precision * recall, precision + recall)
    total = int(cm.sum())
    acc = float(tp.sum() / total) if total else 0.0
    return ClassReport(names, precision, recall, f1, support, predicted, acc)


def row_percentages(cm: np.ndarray) -> np.ndarray:
    """Each row of the confusion matrix as percentages of that true class (0 for empty rows)."""
    cm = np.asarray(cm, dtype=np.float64)
    return 100.0 * _safe_divide(cm, cm.sum(axis=1, keepdims=True).repeat(cm.shape[1], axis=1))


def format_report(report: ClassReport) -> str:
    """A plain-text table of the report, like scikit-learn's ``classification_report``."""
    width = max([len(c) for c in report.classes] + [len("weighted avg")])
    lines = [f"{'':<{width}}  precision  recall  f1-score  support"]
    for row in report.rows():
        lines.append(
            f"{row['class']:<{width}}  {row['precision']:9.3f}  {row['recall']:6.3f}  "
            f"{row['f1']:8.3f}  {row['support']:7d}"
        )
    lines.append("")
    lines.append(f"{'accuracy':<{width}}  {'':9}  {'':6}  {report.accuracy:8.3f}  {report.total:7d}")
    for label, avg in (("macro avg", report.macro()), ("weighted avg", report.weighted())):
        lines.append(
            f"{label:<{width}}  {avg['precision']:9.3f}  {avg['recall']:6.3f}  "
            f"{avg['f1']:8.3f}  {report.total:7d}"
        )
    return "\n".join(lines)
