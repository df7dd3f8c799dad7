"""Throttling, smoothing, ETA, formats and the plot buffer behind the Train page."""

from __future__ import annotations

import math

import numpy as np
import pytest

from studio.core.training.progress import (
    EmaSmoother,
    EtaEstimator,
    Series,
    Throttle,
    end_line,
    epoch_line,
    format_accuracy,
    format_duration,
    format_rate,
    smooth,
    start_line,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_throttle_fires_first_then_once_per_interval() -> None:
    clock = FakeClock()
    throttle = Throttle(0.05, clock)
    assert throttle.ready()
    assert not throttle.ready()
    clock.now += 0.049
    assert not throttle.ready()
    clock.now += 0.002
    assert throttle.ready()
    assert not throttle.ready()
    throttle.reset()
    assert throttle.ready()


def test_ema_is_bias_corrected_and_skips_non_finite() -> None:
    s = EmaSmoother(0.9)
    assert s.push(2.0) == pytest.approx(2.0)  # no start-up bias toward 0
    assert s.push(2.0) == pytest.approx(2.0)
    assert math.isnan(s.push(float("nan")))
    assert s.push(2.0) == pytest.approx(2.0)  # the NaN did not poison the average
    values = smooth([0.0, 10.0], 0.5)
    # debiased: (0.5*0 + 0.5*10... ) -> second value is the weighted mean 10*0.5/(1-0.25)
    assert values[0] == 0.0 and values[1] == pytest.approx(5.0 / 0.75)
    assert smooth([1.0, 5.0, 3.0], 0.0) == [1.0, 5.0, 3.0]
    with pytest.raises(ValueError):
        EmaSmoother(1.0)


def test_ema_follows_a_step_over_time() -> None:
    out = smooth([0.0] * 20 + [1.0] * 60, 0.9)
    assert out[19] == pytest.approx(0.0)
    assert 0.0 < out[25] < 1.0
    assert out[-1] == pytest.approx(1.0, abs=0.01)


def test_eta_from_pace_and_resume_offset() -> None:
    clock = FakeClock()
    eta = EtaEstimator(4, clock=clock)
    assert eta.remaining() is None
    clock.now += 10.0
    eta.update(epoch=1, batch=50, batches=100)  # half an epoch in 10 s -> 3.5 epochs = 70 s
    assert eta.remaining() == pytest.approx(70.0)
    assert eta.fraction == pytest.approx(0.125)
    resumed = EtaEstimator(4, start_epoch=2, clock=clock)
    clock.now += 20.0
    resumed.update(epoch=3, batch=100, batches=100)  # one epoch in 20 s, one left
    assert resumed.remaining() == pytest.approx(20.0)
    assert resumed.fraction == pytest.approx(0.75)


def test_formats() -> None:
    assert format_duration(None) == "–"
    assert format_duration(42.4) == "42 s"
    assert format_duration(187) == "3:07"
    assert format_duration(3723) == "1:02:03"
    assert format_rate(12345.6) == "12,346 img/s"
    assert format_rate(12.34) == "12.3 img/s"
    assert format_rate(None).startswith("–")
    assert format_accuracy(0.97312) == "97.31%"
    assert format_accuracy(float("nan")) == "–"


def test_series_grows_and_views() -> None:
    s = Series(capacity=4)
    for i in range(10):
        s.append(i)
    s.extend(np.arange(10, 1000))
    assert len(s) == 1000
    assert np.array_equal(s.view(), np.arange(1000, dtype=float))
    s.clear()
    assert len(s) == 0 and s.view().size == 0
    s.extend([1.5, 2.5])
    assert s.view().tolist() == [1.5, 2.5]


def test_log_lines() -> None:
    """One wording per event, for the CLI's printer and the GUI's log alike."""
    start = {
        "train_size": 54000,
        "val_size": 6000,
        "test_size": 10000,
        "batches": 422,
        "classes": list("abcdefghij"),
        "params": 94186,
        "device": "cpu",
        "threads": 2,
        "start_epoch": 3,
    }
    assert start_line(start) == (
        "training 94,186 parameters on cpu (2 threads): 10 classes, 54,000 train / "
        "6,000 val / 10,000 test images, 422 batches per epoch, from epoch 3"
    )
    assert "from epoch" not in start_line({**start, "start_epoch": 1})
    assert "bf16 mixed precision" in start_line({**start, "mixed_precision": True, "precision": "bf16"})
    line = epoch_line(
        {
            "epoch": 2,
            "train_loss": 0.31234,
            "val_loss": None,
            "train_acc": 0.9,
            "val_acc": 0.8812,
            "lr": 0.001,
            "seconds": 75,
            "images_per_second": 812.4,
            "best": True,
        },
        5,
    )
    assert (
        line
        == "epoch 2/5: train loss 0.3123 acc 90.00% | val loss – acc 88.12% | lr 0.001 | 1:15, 812 img/s *"
    )
    assert epoch_line({"epoch": 1, "train_loss": 0.5, "train_acc": 0.5}).startswith(
        "epoch 1: train loss 0.5000"
    )
    assert end_line(
        {
            "status": "completed",
            "best_val_acc": 0.9,
            "best_epoch": 3,
            "test_acc": 0.89,
            "epochs_done": 4,
            "seconds": 65,
        }
    ) == ("Run completed, best val acc 90.00% (epoch 3), test acc 89.00%, 4 epoch(s) in 1:05")
    assert end_line({"status": "failed", "best_val_acc": None}) == "Run failed"
