"""Metrics against hand-computed values, including classes never predicted or never seen."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from studio.core.evaluation.metrics import (
    accuracy,
    class_report,
    confusion_matrix,
    format_report,
    row_percentages,
)

# class 3 occurs but is never predicted; class 4 neither occurs nor is predicted
Y_TRUE = [0, 0, 0, 1, 1, 2, 2, 2, 2, 3]
Y_PRED = [0, 0, 1, 1, 0, 2, 2, 1, 0, 2]
CM = np.array(
    [
        [2, 1, 0, 0, 0],
        [1, 1, 0, 0, 0],
        [1, 1, 2, 0, 0],
        [0, 0, 1, 0, 0],
        [0, 0, 0, 0, 0],
    ]
)


def test_confusion_matrix_by_hand() -> None:
    assert confusion_matrix(Y_TRUE, Y_PRED, 5).tolist() == CM.tolist()
    # torch tensors and numpy arrays give the same answer; K defaults to the largest label + 1
    assert confusion_matrix(torch.tensor(Y_TRUE), np.array(Y_PRED)).tolist() == CM[:4, :4].tolist()
    assert confusion_matrix([], [], 3).tolist() == [[0] * 3] * 3


def test_confusion_matrix_rejects_bad_labels() -> None:
    with pytest.raises(ValueError):
        confusion_matrix([0, 1], [0], 2)
    with pytest.raises(ValueError):
        confusion_matrix([0, 3], [0, 1], 3)
    with pytest.raises(ValueError):
        confusion_matrix([0, -1], [0, 1], 3)


def test_accuracy() -> None:
    assert accuracy(Y_TRUE, Y_PRED) == pytest.approx(0.5)
    assert accuracy(torch.tensor([1, 1]), torch.tensor([1, 1])) == 1.0
    assert accuracy([], []) == 0.0


def test_per_class_report_by_hand() -> None:
    names = ["a", "b", "c", "d", "e"]
    with np.errstate(all="raise"):  # no division by zero may reach numpy
        rep = class_report(CM, names)
    assert rep.precision.tolist() == pytest.approx([2 / 4, 1 / 3, 2 / 3, 0.0, 0.0])
    assert rep.recall.tolist() == pytest.approx([2 / 3, 1 / 2, 2 / 4, 0.0, 0.0])
    assert rep.f1.tolist() == pytest.approx([4 / 7, 0.4, 4 / 7, 0.0, 0.0])
    assert rep.support.tolist() == [3, 2, 4, 1, 0]
    assert rep.predicted.tolist() == [4, 3, 3, 0, 0]
    assert rep.accuracy == pytest.approx(0.5)
    assert rep.total == 10
    macro = rep.macro()
    assert macro["precision"] == pytest.approx(1.5 / 5)
    assert macro["recall"] == pytest.approx((2 / 3 + 1 / 2 + 1 / 2) / 5)
    assert macro["f1"] == pytest.approx((8 / 7 + 0.4) / 5)
    weighted = rep.weighted()
    assert weighted["precision"] == pytest.approx((3 * 0.5 + 2 / 3 + 4 * 2 / 3) / 10)
    assert weighted["recall"] == pytest.approx(0.5)  # weighted recall is the accuracy
    assert weighted["f1"] == pytest.approx((3 * 4 / 7 + 2 * 0.4 + 4 * 4 / 7) / 10)
    rows = rep.rows()
    assert [r["class"] for r in rows] == names
    assert rows[3] == {
        "index": 3,
        "class": "d",
        "precision": 0.0,
        "recall": 0.0,
        "f1": 0.0,
        "support": 1,
        "predicted": 0,
    }
    js = rep.to_json()
    assert js["total"] == 10 and js["macro"] == macro


def test_report_of_empty_matrix_is_zero_not_nan() -> None:
    rep = class_report(np.zeros((3, 3), dtype=int))
    assert rep.accuracy == 0.0
    assert rep.weighted() == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert not np.isnan(rep.f1).any()
    assert rep.classes == ("0", "1", "2")


def test_report_rejects_wrong_names() -> None:
    with pytest.raises(ValueError):
        class_report(CM, ["a", "b"])
    with pytest.raises(ValueError):
        class_report(np.zeros((2, 3)))


def test_row_percentages_and_text_table() -> None:
    pct = row_percentages(CM)
    assert pct[0].tolist() == pytest.approx([200 / 3, 100 / 3, 0, 0, 0])
    assert pct[2].tolist() == pytest.approx([25, 25, 50, 0, 0])
    assert pct[4].tolist() == [0, 0, 0, 0, 0]
    text = format_report(class_report(CM, ["cat", "dog", "bird", "frog", "ship"]))
    lines = text.splitlines()
    assert lines[1].split() == ["cat", "0.500", "0.667", "0.571", "3"]
    assert "macro avg" in text and "weighted avg" in text
