"""The run's ``metrics.jsonl``: one line per epoch event, then the ``end`` event (docs/contract.md).

The engine's only writer of that file. A fresh run starts it empty; a resumed one rewrites it
from the checkpoint's history (dropping what a killed attempt appended after its last
checkpoint, and its end event). Until then an end event is not written there: it would land
in a file that belongs to an earlier attempt. Only the main process of a torchrun run writes.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from studio.core.base.files import atomic_write_bytes
from studio.core.runs.run_folder import append_metric, metric_line
from studio.core.training.callbacks import EndEvent, EpochEvent, RunCallback

log = logging.getLogger(__name__)


class MetricsLog(RunCallback):
    """Appends epoch and end events to ``run_dir/metrics.jsonl`` (fsynced: a kill loses nothing)."""

    def __init__(self, run_dir: Path, main: bool = True) -> None:
        super().__init__()
        self.run_dir = run_dir
        self.main = main
        self.ready = False  # metrics.jsonl belongs to this attempt

    def begin(self, history: list[dict[str, Any]]) -> None:
        """Start the file over with ``history`` (empty for a fresh run)."""
        if self.main:
            lines = "".join(metric_line(e) for e in history)
            atomic_write_bytes(self.run_dir / "metrics.jsonl", lines.encode("utf-8"))
        self.ready = True

    def on_epoch_end(self, event: EpochEvent) -> None:
        """Append the epoch line (after the checkpoint callback has saved the epoch)."""
        if self.main:
            append_metric(self.run_dir, dict(event))

    def on_end(self, event: EndEvent) -> None:
        """Append the end event (without ``run_dir``, which is for listeners only)."""
        if not (self.main and self.ready):
            return
        try:
            append_metric(self.run_dir, {k: v for k, v in event.items() if k != "run_dir"})
        except OSError as exc:
            log.warning("could not write the end event to %s: %s", self.run_dir, exc)
