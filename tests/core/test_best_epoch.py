"""BestEpoch: the ``best`` flag on epoch events, the metric's direction, and its checkpointed state."""

from __future__ import annotations

import pytest

from studio.core.training.best_epoch import BestEpoch, best_metric, improves


def _events(cb: BestEpoch, key: str, values: list[float | None]) -> list[bool]:
    flags = []
    for epoch, value in enumerate(values, 1):
        event = {"event": "epoch", "epoch": epoch, key: value}
        cb.on_epoch_end(event)  # type: ignore[arg-type]
        flags.append(event["best"])
    return flags


def test_accuracy_is_best_when_it_rises_and_the_first_tie_keeps_the_title() -> None:
    cb = BestEpoch("val_acc")
    assert _events(cb, "val_acc", [0.5, 0.7, 0.7, 0.6, 0.8]) == [True, True, False, False, True]
    assert (cb.epoch, cb.value) == (5, 0.8)


def test_a_loss_is_best_when_it_falls_and_a_missing_value_is_never_best() -> None:
    cb = BestEpoch("val_loss")
    assert _events(cb, "val_loss", [1.0, None, 1.2, 0.4, float("nan")]) == [True, False, False, True, False]
    assert cb.epoch == 4


def test_its_state_survives_a_checkpoint() -> None:
    first = BestEpoch("val_acc")
    _events(first, "val_acc", [0.5, 0.9])
    resumed = BestEpoch("val_acc")
    resumed.load_state_dict(first.state_dict())
    assert _events(resumed, "val_acc", [0.8]) == [False]  # 0.9 from before the resume still rules
    assert resumed.epoch == 2


@pytest.mark.parametrize(
    ("settings", "has_val", "metric"),
    [
        (None, True, "val_acc"),
        (None, False, "train_acc"),
        ({"monitor": "val_loss"}, True, "val_loss"),
        ({"monitor": "val_loss"}, False, "train_loss"),
        ({"monitor": "train_acc"}, True, "train_acc"),
    ],
)
def test_the_metric_follows_early_stopping_and_the_splits(settings, has_val: bool, metric: str) -> None:
    assert best_metric(settings, has_val) == metric


def test_improves_needs_more_than_min_delta_in_the_metrics_direction() -> None:
    assert improves(0.71, 0.7, "val_acc", 0.0) and not improves(0.71, 0.7, "val_acc", 0.05)
    assert improves(0.5, 0.7, "val_loss", 0.1) and not improves(0.65, 0.7, "val_loss", 0.1)
