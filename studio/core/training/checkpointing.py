"""Checkpointing: what a run saves after each epoch and on a stop (docs/contract.md).

* ``checkpoints/last.pt`` holds everything a resume needs: weights, optimizer, scheduler and
  GradScaler, every RNG (:func:`studio.core.runs.train_state.capture_rng`), the history, the
  engine callbacks' states (best epoch, early stopping), the run's thread count and precision,
  and, after a stop mid-epoch, the epoch's running sums.
* ``checkpoints/best.pt``: the weights of the best epoch (the ``best`` flag that
  :class:`~studio.core.training.best_epoch.BestEpoch` put on the event, so it runs first).
* ``checkpoints/epoch-N.pt``: weights and optimizer while the model is small, to fork from.

Every file is written whole or not at all; ``last.pt`` is written last, so a kill in between
leaves a ``last.pt`` that never points past the other files. Only the main process writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from studio.core.runs.run_folder import save_checkpoint
from studio.core.runs.train_state import EPOCH_CHECKPOINT_MAX_PARAMS, capture_rng, epoch_checkpoint_path
from studio.core.training.callbacks import EpochEvent, RunCallback
from studio.core.training.devices import unwrap_model
from studio.core.training.loop import EpochState, NonFiniteLoss, flush
from studio.core.training.setup import RunSetup

#: what best.pt and epoch-N.pt keep of the full state
LIGHT_KEYS = ("model", "epoch", "project", "classes", "input_shape", "norm", "best", "forked_from", "history")


class Checkpointing(RunCallback):
    """Writes ``best.pt``, ``epoch-N.pt`` and ``last.pt`` after each epoch, ``last.pt`` on a stop."""

    def __init__(self, setup: RunSetup, states: Sequence[RunCallback] = ()) -> None:
        super().__init__()
        self.setup = setup
        self.states = list(states)  # the callbacks whose state_dict() a checkpoint carries
        self.folder = setup.run_dir / "checkpoints"

    def state(self, epochs_done: int, partial: EpochState | None = None) -> dict[str, Any]:
        """The full ``last.pt`` contents after ``epochs_done`` epochs (+ ``partial``'s batches)."""
        s = self.setup
        project, bundle, ctx, progress = s.project, s.bundle, s.ctx, s.progress
        state: dict[str, Any] = {
            "model": unwrap_model(ctx.model).state_dict(),
            "optimizer": ctx.optimizer.state_dict(),
            "optimizer_type": project.training.optimizer.get("type"),
            "scheduler": ctx.schedule.state_dict(),
            "scaler": ctx.scaler.state_dict() if ctx.scaler is not None else None,
            "epoch": epochs_done,
            "rng": capture_rng(s.generator, s.device),
            "history": [dict(e) for e in progress.history],
            "project": project.to_dict(),
            "classes": list(bundle.classes),
            "input_shape": list(project.input_shape),
            "norm": {"mean": [float(v) for v in bundle.mean], "std": [float(v) for v in bundle.std]},
            "partial": partial.to_dict() if partial is not None else None,
            "forked_from": progress.forked_from,
            "seconds": progress.seconds(),
            "threads": torch.get_num_threads(),
            "precision": s.precision,
            "device_type": s.device.type,
        }
        for cb in self.states:
            if cb.state_key:
                state[cb.state_key] = cb.state_dict()
        return state

    def on_epoch_end(self, event: EpochEvent) -> None:
        """Save the epoch (the loop has added ``event`` to the history already)."""
        if not self.setup.main:
            return
        epoch = event["epoch"]
        state = self.state(epoch)
        light = {k: state.get(k) for k in LIGHT_KEYS}
        if event.get("best"):
            save_checkpoint(self.folder / "best.pt", light)
        if sum(p.numel() for p in self.setup.model.parameters()) <= EPOCH_CHECKPOINT_MAX_PARAMS:
            save_checkpoint(
                epoch_checkpoint_path(self.setup.run_dir, epoch),
                {**light, "optimizer": state["optimizer"], "optimizer_type": state["optimizer_type"]},
            )
        # last.pt last: it is what a resume trusts, so a kill before it is written repeats this
        # epoch, which rewrites best.pt and epoch-N.pt with the same weights
        save_checkpoint(self.folder / "last.pt", state)

    def on_interrupted(self, epoch: int, state: EpochState) -> None:
        """A stop during ``epoch``: ``last.pt`` with its running sums, so a resume continues exactly."""
        if not self.setup.main:
            return
        try:
            flush(self.setup.ctx, state)  # losses still on the device (GPU runs)
        except NonFiniteLoss:
            return  # the weights are broken: keep the previous epoch's last.pt
        save_checkpoint(self.folder / "last.pt", self.state(epoch - 1, state))
