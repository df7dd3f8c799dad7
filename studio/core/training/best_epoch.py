"""Best-epoch tracking: which epoch is the best so far by the monitored metric.

It marks each epoch event ``best: true|false`` (the flag the Runs list, ``best.pt`` and the
test evaluation follow). The metric is the early-stopping monitor when early stopping is on,
else ``val_acc`` (``train_*`` when the run has no validation split).
"""

from __future__ import annotations

from typing import Any

from studio.core.training.callbacks import EpochEvent, RunCallback
from studio.core.training.optim import metric_value


def improves(value: float, best: float, metric: str, min_delta: float) -> bool:
    """Whether ``value`` beats ``best`` by more than ``min_delta`` (up for accuracies, down for losses)."""
    if metric.endswith("acc"):
        return value > best + min_delta
    return value < best - min_delta


def best_metric(early_stopping: dict[str, Any] | None, has_val: bool) -> str:
    """The metric that picks the best epoch for a run's settings."""
    monitor = str((early_stopping or {}).get("monitor", "val_acc"))
    if not has_val and monitor.startswith("val_"):
        monitor = "train_" + monitor[4:]
    return monitor


class BestEpoch(RunCallback):
    """Marks each epoch event ``best`` and remembers the best epoch and its value."""

    state_key = "best"

    def __init__(self, metric: str = "val_acc") -> None:
        super().__init__()
        self.metric = metric
        self.value: float | None = None
        self.epoch: int | None = None

    def on_epoch_end(self, event: EpochEvent) -> None:
        """Set ``event["best"]`` (runs before the checkpoint is written)."""
        value = metric_value(dict(event), self.metric)
        better = value is not None and (self.value is None or improves(value, self.value, self.metric, 0.0))
        if better:
            self.value, self.epoch = value, event["epoch"]
        event["best"] = bool(better)

    def state_dict(self) -> dict[str, Any]:
        """``{"metric", "value", "epoch"}`` as the checkpoint keeps it."""
        return {"metric": self.metric, "value": self.value, "epoch": self.epoch}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Resume the tracking (the metric stays the one this run chose)."""
        self.value = state.get("value")
        self.epoch = state.get("epoch")
