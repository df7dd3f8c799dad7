"""What a training run records and reads back: checkpoints, epoch and end events.

:class:`RunRecords` is the half of the engine's run (:class:`studio.core.training.engine._Run`) that
turns its state into files and events: the ``last.pt``/``best.pt``/``epoch-N.pt`` checkpoints,
restoring from them (a resume or a fork), the epoch and end events of metrics.jsonl (docs/contract.md), the best-epoch and
early-stopping bookkeeping. It holds no state of its own; the run's attributes are documented
in the engine.
"""

from __future__ import annotations

import logging
import math
import time
from typing import Any

from studio.core.base.errors import UserError
from studio.core.runs.run_folder import RunError, append_metric, save_checkpoint
from studio.core.runs.train_state import (
    EPOCH_CHECKPOINT_MAX_PARAMS,
    capture_rng,
    epoch_checkpoint_path,
    load_optimizer_for_fork,
    restore_rng,
)
from studio.core.training.callbacks import EndEvent, EpochEvent, StartEvent
from studio.core.training.loop import EpochState, NonFiniteLoss
from studio.core.training.optim import metric_value, monitored_value

log = logging.getLogger(__name__)


class RunRecords:
    """Checkpoints and events of a run (a mixin of the engine's run object)."""

    # set by the engine's run object
    project: Any
    run_dir: Any
    cb: Any
    ctx: Any
    model: Any
    optimizer: Any
    schedule: Any
    generator: Any
    device: Any
    bundle: Any
    history: list[dict[str, Any]]
    best: dict[str, Any]
    es: dict[str, Any]
    forked_from: dict[str, Any] | None
    partial: EpochState | None
    prior_seconds: float
    t0: float
    main: bool
    files_ready: bool
    batches: int
    threads: int
    precision: str
    sync_every: int
    start_epoch: int

    def _restore(self, ckpt: dict[str, Any]) -> None:
        from studio.core.training.devices import unwrap_model

        try:
            unwrap_model(self.model).load_state_dict(ckpt["model"])
            if ckpt.get("optimizer") is not None:
                self.optimizer.load_state_dict(ckpt["optimizer"])
        except (RuntimeError, ValueError, KeyError) as exc:
            raise RunError(f"the checkpoint does not fit the run's network: {str(exc)[:200]}") from None
        self.schedule.load_state_dict(ckpt.get("scheduler"))
        spec = self.project.training.scheduler or {}
        if spec.get("type") == "CosineAnnealingLR" and "T_max" not in spec and self.schedule.scheduler is not None:
            self.schedule.scheduler.T_max = self.project.training.epochs  # a resume with more --epochs
        if self.ctx is not None and self.ctx.scaler is not None and ckpt.get("scaler"):
            self.ctx.scaler.load_state_dict(ckpt["scaler"])
        self.history = list(ckpt.get("history") or [])
        self.best.update(ckpt.get("best") or {})
        self.es.update(ckpt.get("early_stopping") or {})
        self.forked_from = ckpt.get("forked_from")
        self.prior_seconds = float(ckpt.get("seconds") or 0.0)
        restore_rng(ckpt.get("rng"), self.generator, self.device)  # checked there: one clear error
        if ckpt.get("partial"):
            self.partial = EpochState.from_dict(ckpt["partial"], self.sync_every)
            self.generator.set_state(self.partial.data_rng)
        self.start_epoch = int(ckpt.get("epoch") or 0) + 1
        where = (f"epoch {self.partial.epoch}, batch {self.partial.batches_done + 1}" if self.partial
                 else f"epoch {self.start_epoch}")
        self._log(f"resuming {self.run_dir.name} at {where}")

    def _apply_fork(self, fork: dict[str, Any]) -> None:
        from studio.core.training.devices import unwrap_model

        try:
            unwrap_model(self.model).load_state_dict(fork["model"])
        except (RuntimeError, KeyError) as exc:
            raise UserError("a forked run keeps the source run's network; change training settings only "
                            f"(the weights do not fit: {str(exc)[:160]})") from None
        src_type = (fork.get("project") or {}).get("training", {}).get("optimizer", {}).get("type")
        assert self.project is not None
        carried = load_optimizer_for_fork(self.optimizer, fork.get("optimizer"), src_type,
                                          self.project.training.optimizer.get("type", "AdamW"))
        self.forked_from = dict(fork["source"])
        self._log(f"forked from {self.forked_from['run']} epoch {self.forked_from['epoch']}"
                  + (" (optimizer state carried over)" if carried else ""))


    def _epoch_event(self, epoch: int, state: EpochState, val_loss: float | None, val_acc: float | None,
                     seconds: float) -> EpochEvent:
        seen = max(state.seen, 1)
        event: EpochEvent = {
            "event": "epoch", "epoch": epoch, "train_loss": state.loss_sum / seen, "train_acc": state.correct / seen,
            "val_loss": finite_or_none(val_loss), "val_acc": val_acc, "lr": state.lr, "seconds": round(seconds, 4),
            "images_per_second": round(state.seen / state.seconds, 2) if state.seconds > 0 else 0.0,
        }
        value = metric_value(event, self.best["metric"])
        better = value is not None and (self.best["value"] is None
                                        or improves(value, self.best["value"], self.best["metric"], 0.0))
        if better:
            self.best.update({"value": value, "epoch": epoch})
        event["best"] = bool(better)
        return event

    def _early_stopping(self, event: EpochEvent) -> str | None:
        """Update the patience counter; a message when training should end now."""
        assert self.project is not None
        es = self.project.training.early_stopping
        if not es:
            return None
        monitor = es.get("monitor", "val_loss")
        value = monitored_value(event, monitor)
        if value is None:
            return None
        min_delta = float(es.get("min_delta", 0.0))
        patience = int(es.get("patience", 3))
        if self.es["best"] is None or improves(value, self.es["best"], monitor, min_delta):
            self.es.update({"best": value, "wait": 0})
            return None
        self.es["wait"] += 1
        if self.es["wait"] >= patience:
            return (f"early stopping after epoch {event['epoch']}: {monitor} did not improve by more than "
                    f"{min_delta:g} for {patience} epoch(s)")
        return None

    # ------------------------------------------------------------------ checkpoints and events

    def _state(self, epochs_done: int, partial: EpochState | None = None) -> dict[str, Any]:
        import torch

        from studio.core.training.devices import unwrap_model

        assert self.project is not None and self.ctx is not None
        bundle = self.bundle
        return {
            "model": unwrap_model(self.model).state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "optimizer_type": self.project.training.optimizer.get("type"),
            "scheduler": self.schedule.state_dict(),
            "scaler": self.ctx.scaler.state_dict() if self.ctx.scaler is not None else None,
            "epoch": epochs_done,
            "rng": capture_rng(self.generator, self.device),
            "history": [dict(e) for e in self.history],
            "project": self.project.to_dict(),
            "classes": list(bundle.classes),
            "input_shape": list(self.project.input_shape),
            "norm": {"mean": [float(v) for v in bundle.mean], "std": [float(v) for v in bundle.std]},
            "best": dict(self.best),
            "early_stopping": dict(self.es),
            "partial": partial.to_dict() if partial is not None else None,
            "forked_from": self.forked_from,
            "seconds": self._seconds(),
            "threads": torch.get_num_threads(),
        }

    def _save_epoch(self, epoch: int, event: EpochEvent) -> None:
        if not self.main:
            return
        state = self._state(epoch)
        folder = self.run_dir / "checkpoints"
        save_checkpoint(folder / "last.pt", state)
        light = {k: state[k] for k in ("model", "epoch", "project", "classes", "input_shape", "norm",
                                       "best", "forked_from", "history")}
        if event.get("best"):
            save_checkpoint(folder / "best.pt", light)
        if sum(p.numel() for p in self.model.parameters()) <= EPOCH_CHECKPOINT_MAX_PARAMS:
            save_checkpoint(epoch_checkpoint_path(self.run_dir, epoch),
                            {**light, "optimizer": state["optimizer"], "optimizer_type": state["optimizer_type"]})

    def _save_stopped(self, epoch: int, state: EpochState) -> None:
        """On a stop: ``last.pt`` with the mid-epoch state, so that a resume continues exactly."""
        if not self.main or self.ctx is None:
            return
        try:
            from studio.core.training.loop import flush

            flush(self.ctx, state)
        except NonFiniteLoss:
            return
        save_checkpoint(self.run_dir / "checkpoints" / "last.pt", self._state(epoch - 1, state))

    def _start_event(self, start: int) -> StartEvent:
        from studio.core.model.builder import count_params

        assert self.project is not None
        total, trainable = count_params(self.model)
        b = self.bundle
        return {
            "event": "start", "run_dir": str(self.run_dir), "epochs": self.project.training.epochs,
            "start_epoch": start, "batches": self.batches, "train_size": len(b.train),
            "val_size": len(b.val) if b.val is not None else 0, "test_size": len(b.test) if b.test is not None else 0,
            "classes": list(b.classes), "device": str(self.device), "threads": self.threads,
            "mixed_precision": self.precision != "fp32", "precision": self.precision, "params": total, "trainable_params": trainable,
            "resumed": start > 1 or self.partial is not None, "forked_from": self.forked_from,
            "history": [dict(e) for e in self.history],
        }

    def _end(self, status: str, *, reason: str | None = None, message: str | None = None,
             test_acc: float | None = None, **extra: Any) -> EndEvent:
        vals = [e["val_acc"] for e in self.history if isinstance(e.get("val_acc"), (int, float))]
        end: EndEvent = {
            "event": "end", "status": status, "best_epoch": self.best.get("epoch"),
            "best_val_acc": max(vals) if vals else None, "test_acc": test_acc,
            "epochs_done": len(self.history), "seconds": round(self._seconds(), 3),
        }
        end.update(extra)  # type: ignore[typeddict-item]
        if reason:
            end["reason"] = reason
        if message:
            end["message"] = message
        if self.forked_from:
            end["forked_from"] = self.forked_from  # type: ignore[typeddict-unknown-key]
        end["run_dir"] = str(self.run_dir)
        if self.main and self.files_ready:
            try:
                append_metric(self.run_dir, {k: v for k, v in end.items() if k != "run_dir"})
            except OSError as exc:
                self._log(f"could not write the end event: {exc}")
        self.cb.on_end(end)
        return end

    def _nan_message(self, exc: NonFiniteLoss) -> str:
        assert self.project is not None
        t = self.project.training
        lr = t.optimizer.get("lr")
        peak = (t.scheduler or {}).get("max_lr")
        rate = f"training.optimizer.lr ({lr})" + (f" or training.scheduler.max_lr ({peak})" if peak else "")
        clip = "" if t.grad_clip else ", enable gradient clipping (training.grad_clip, e.g. 1.0)"
        kept = " The best checkpoint so far is kept." if self.best.get("epoch") else ""
        return (f"the training loss became {exc.value} (not a number) at epoch {exc.epoch}, batch {exc.batch}: "
                f"the weights diverged. Lower {rate}{clip}, or add BatchNorm layers, then train again.{kept}")

    def _resume_hint(self) -> str:
        return f"resume with: cnn-studio train PROJECT --resume {self.run_dir}"

    def _seconds(self) -> float:
        return self.prior_seconds + (time.perf_counter() - self.t0)

    def _log(self, message: str) -> None:
        log.info("%s: %s", self.run_dir.name, message)
        self.cb.on_log(message)



def improves(value: float, best: float, metric: str, min_delta: float) -> bool:
    """Whether ``value`` beats ``best`` by more than ``min_delta`` (up for accuracies, down for losses)."""
    if metric.endswith("acc"):
        return value > best + min_delta
    return value < best - min_delta


def finite_or_none(value: float | None) -> float | None:
    """``value`` unless it is None, NaN or infinite."""
    return value if value is not None and math.isfinite(value) else None

