"""Early stopping: end the run when the monitored metric stops improving.

``training.early_stopping`` = ``{"monitor": "val_loss", "patience": 3, "min_delta": 0.0}``
(docs/project-format.md): after ``patience`` epochs in a row without an improvement by more than
``min_delta``, the run ends ``completed`` with ``reason: early_stopping``. With no validation
split a ``val_`` monitor reads its training counterpart.
"""

from __future__ import annotations

from typing import Any

from studio.core.base.i18n import tr
from studio.core.training.best_epoch import improves
from studio.core.training.callbacks import EpochEvent, RunCallback
from studio.core.training.optim import monitored_value


class EarlyStopping(RunCallback):
    """Counts epochs without improvement; sets :attr:`finish` when patience runs out."""

    state_key = "early_stopping"

    def __init__(self, monitor: str = "val_loss", patience: int = 3, min_delta: float = 0.0) -> None:
        super().__init__()
        self.monitor = monitor
        self.patience = int(patience)
        self.min_delta = float(min_delta)
        self.best: float | None = None
        self.wait = 0

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> EarlyStopping:
        """From the project's ``training.early_stopping`` section."""
        return cls(
            str(settings.get("monitor", "val_loss")),
            int(settings.get("patience", 3)),
            float(settings.get("min_delta", 0.0)),
        )

    def on_epoch_end(self, event: EpochEvent) -> None:
        """Update the patience counter from this epoch's metric."""
        value = monitored_value(dict(event), self.monitor)
        if value is None:
            return
        if self.best is None or improves(value, self.best, self.monitor, self.min_delta):
            self.best, self.wait = value, 0
            return
        self.wait += 1
        if self.wait >= self.patience:
            self.finish = tr(
                "early stopping after epoch {epoch}: {monitor} did not improve by more than {delta:g} for "
                "{patience} epoch(s)",
                epoch=event["epoch"],
                monitor=self.monitor,
                delta=self.min_delta,
                patience=self.patience,
            )

    def state_dict(self) -> dict[str, Any]:
        """``{"best", "wait"}`` as the checkpoint keeps it."""
        return {"best": self.best, "wait": self.wait}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Resume counting where the run was."""
        self.best = state.get("best")
        self.wait = int(state.get("wait") or 0)
