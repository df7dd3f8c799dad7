"""ReduceLROnPlateau and early stopping read their metric the same way, validation split or not."""

from __future__ import annotations

import torch

from studio.core.training.optim import build_schedule, monitored_value


def plateau(monitor: str):
    model = torch.nn.Linear(2, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
    return optimizer, build_schedule(
        {"type": "ReduceLROnPlateau", "monitor": monitor, "patience": 0, "factor": 0.5},
        optimizer,
        epochs=5,
        steps_per_epoch=1,
    )


def test_a_val_monitor_without_validation_reads_its_training_counterpart() -> None:
    event = {"train_loss": 0.5, "train_acc": 0.8, "val_loss": None, "val_acc": None}
    assert monitored_value(event, "val_acc") == 0.8 and monitored_value(event, "val_loss") == 0.5
    assert monitored_value({"val_acc": 0.7, "train_acc": 0.9}, "val_acc") == 0.7
    assert monitored_value({"train_loss": float("nan")}, "val_loss") is None


def test_plateau_on_val_acc_without_validation_follows_the_rising_training_accuracy() -> None:
    """It used to read the training *loss* with mode max: a falling loss halved the rate each epoch."""
    optimizer, schedule = plateau("val_acc")
    for acc, loss in ((0.5, 1.0), (0.6, 0.8), (0.7, 0.6)):  # improving every epoch
        schedule.after_epoch({"train_acc": acc, "train_loss": loss, "val_acc": None, "val_loss": None})
    assert optimizer.param_groups[0]["lr"] == 1.0
    schedule.after_epoch({"train_acc": 0.6, "train_loss": 0.7})  # worse: patience 0 halves it
    assert optimizer.param_groups[0]["lr"] == 0.5
