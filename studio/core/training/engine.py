"""The training engine: a project and a run folder in, events out, commands in.

:func:`train` is the one entry point, shared by ``cnn-studio train`` and the GUI's worker
thread. It never prints: listeners receive plain-dict events through
:class:`~studio.core.training.callbacks.Callback` hooks, and a :class:`~studio.core.training.callbacks.Commands`
object pauses, resumes or stops it between batches.

The way from project to loop, top to bottom:

1. :func:`studio.core.training.setup.prepare_run` settles everything the run trains with
   (device, threads, precision, data, model, optimizer, schedule, where it starts) into one
   :class:`~studio.core.training.setup.RunSetup`;
2. the run's own concerns are callbacks on the same hook system as the listeners, called
   before them: :class:`~studio.core.training.unfreezing.GradualUnfreezing`,
   :class:`~studio.core.training.best_epoch.BestEpoch`,
   :class:`~studio.core.training.early_stopping.EarlyStopping`,
   :class:`~studio.core.training.checkpointing.Checkpointing` and
   :class:`~studio.core.training.metrics_log.MetricsLog`;
3. :class:`_Run` runs the epoch loop (:mod:`studio.core.training.loop` holds the inner loops)
   and ends every run, however it ends, with one ``end`` event.

A run leaves a run folder (docs/contract.md): ``project.json``, ``classes.json``, ``metrics.jsonl``
(epoch events, then one ``end`` event: ``completed``, ``stopped`` or ``failed`` with a message)
and ``checkpoints/``. Resuming (``resume=True``) continues from ``last.pt``, at an epoch
boundary or mid-epoch after a stop, so that on the CPU a resumed run ends with exactly the
metrics and weights of an uninterrupted one, even after SIGKILL (docs/training.md).
"""

from __future__ import annotations

import logging
import math
import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, cast

from studio.core.base.errors import Cancelled
from studio.core.base.i18n import tr
from studio.core.model.builder import count_params
from studio.core.project.project_file import Project
from studio.core.runs.run_folder import load_checkpoint
from studio.core.runs.train_state import fork_source
from studio.core.training import distributed
from studio.core.training.best_epoch import BestEpoch, best_metric
from studio.core.training.callbacks import (
    Callback,
    CallbackList,
    Commands,
    EndEvent,
    EpochEvent,
    RunCallback,
    StartEvent,
)
from studio.core.training.checkpointing import Checkpointing
from studio.core.training.devices import process_info, unwrap_model
from studio.core.training.early_stopping import EarlyStopping
from studio.core.training.failures import describe_failure
from studio.core.training.finetune import set_frozen_bn_eval
from studio.core.training.loop import EpochState, NonFiniteLoss, StopRequested, evaluate, train_epoch
from studio.core.training.metrics_log import MetricsLog
from studio.core.training.setup import RunRequest, RunSetup, SetupTrace, prepare_run
from studio.core.training.unfreezing import GradualUnfreezing

log = logging.getLogger(__name__)


def train(
    project: Project | None,
    run_dir: str | os.PathLike[str],
    *,
    callbacks: Iterable[Callback] = (),
    commands: Commands | None = None,
    resume: bool = False,
    device: str | None = None,
    epochs: int | None = None,
    data: Any = None,
    fork: dict[str, Any] | None = None,
    raise_errors: bool = True,
) -> EndEvent:
    """Train ``project`` into ``run_dir``; returns the ``end`` event (also metrics.jsonl's last line).

    ``resume``: continue the run in ``run_dir`` from its ``last.pt`` (``project`` may be None:
    the run's own project is used). ``device``/``epochs`` override the project's. ``data``: an
    already loaded :class:`~studio.core.data.datasets.DataBundle`. ``fork``: a checkpoint from
    :func:`~studio.core.runs.train_state.fork_source` whose weights start this new run.

    A NaN loss or a stop returns normally (``failed``/``stopped``). Any other error is
    recorded as a ``failed`` end event and sent to ``on_end``, then raised again unless
    ``raise_errors`` is False (the GUI's choice: it already has the message).
    """
    request = RunRequest(
        project, Path(run_dir), resume=resume, device=device, epochs=epochs, data=data, fork=fork
    )
    return _Run(request, list(callbacks), commands or Commands()).execute(raise_errors=raise_errors)


def resume_run(run_dir: str | os.PathLike[str], **kwargs: Any) -> EndEvent:
    """Continue an interrupted or stopped run from its ``last.pt`` (see :func:`train`)."""
    return train(None, run_dir, resume=True, **kwargs)


def fork_run(
    source_run: str | os.PathLike[str],
    epoch: int | None,
    project: Project,
    run_dir: str | os.PathLike[str],
    **kwargs: Any,
) -> EndEvent:
    """Start a NEW run in ``run_dir`` from epoch ``epoch`` (None: the best) of ``source_run``.

    ``project`` carries the changed settings (learning rate, schedule, epochs...); the network
    must be the same. The weights come from the source checkpoint; its optimizer state too when
    the optimizer type is unchanged (with the new hyperparameters). Epochs count from 1 again;
    the end event and checkpoints record ``forked_from``.
    """
    return train(project, run_dir, fork=fork_source(source_run, epoch), **kwargs)


class _Run:
    """One call of :func:`train`: set-up, the epoch loop, the end event.

    It owns the loop and the :class:`~studio.core.training.setup.RunProgress` (history, where it
    started); everything else a run does on the way is a callback in :attr:`hooks`.
    """

    def __init__(self, request: RunRequest, listeners: list[Callback], commands: Commands) -> None:
        self.request = request
        self.run_dir = request.run_dir
        self.commands = commands
        self.proc = process_info()
        self.listeners = listeners
        self.metrics = MetricsLog(self.run_dir, self.proc.is_main)
        # until set-up is done: the notes and the end event reach the log, the listeners and metrics.jsonl
        self.hooks = CallbackList([self.metrics, _RunLogger(self.run_dir.name), *listeners])
        self.trace = SetupTrace(project=request.project)
        self.setup: RunSetup | None = None
        self.best: BestEpoch | None = None
        self.internal: list[RunCallback] = []

    # ------------------------------------------------------------------ life cycle

    def execute(self, *, raise_errors: bool) -> EndEvent:
        """Set up and run the loop; always end with an end event (written when possible)."""
        end: EndEvent
        error: BaseException | None = None
        try:
            self.setup = prepare_run(
                self.request, self.proc, self.trace, self.metrics, self.hooks, self.commands
            )
            self._install_callbacks(self.setup)
            end = self._fit(self.setup)
        except NonFiniteLoss as exc:
            end = self._end("failed", reason="nan", message=self._nan_message(exc))
        except StopRequested as exc:  # during set-up (data loading)
            end = self._end(
                "stopped", reason="user", message=tr("stopped before training began ({reason})", reason=exc)
            )
        except KeyboardInterrupt:
            end = self._end(
                "stopped",
                reason="user",
                message=tr(
                    "interrupted (Ctrl-C); resume with: cnn-studio train PROJECT --resume {run_dir}",
                    run_dir=self.run_dir,
                ),
            )
        except BaseException as exc:  # noqa: BLE001 - recorded, then re-raised
            if isinstance(exc, Cancelled) and self.commands.stop_requested:
                end = self._end("stopped", reason="user", message=tr("stopped while loading the dataset"))
            else:
                message, internal = describe_failure(exc, self.trace.project)
                if internal:  # a bug: keep the traceback for the report
                    log.error("run %s failed with an internal error", self.run_dir, exc_info=exc)
                end = self._end("failed", reason="error", message=message)
                error = exc
        finally:
            bundle = self.trace.bundle
            if self.trace.owns_bundle and bundle is not None and hasattr(bundle, "close"):
                try:
                    bundle.close()
                except Exception:  # noqa: BLE001 - closing workers must not hide the outcome
                    log.debug("closing the data loaders failed", exc_info=True)
        if error is not None and raise_errors:
            raise error
        return end

    def _install_callbacks(self, setup: RunSetup) -> None:
        """The run's own callbacks, in the order they must act, before the listeners."""
        t = setup.project.training
        internal: list[RunCallback] = []
        if setup.pretrained:
            internal.append(GradualUnfreezing(setup.ctx, setup.project.model, self.hooks.on_log))
        self.best = BestEpoch(best_metric(t.early_stopping, setup.bundle.val is not None))
        if setup.bundle.val is None and self.best.metric != (t.early_stopping or {}).get(
            "monitor", "val_acc"
        ):
            self._log(
                tr("no validation split: the best checkpoint follows {metric}", metric=self.best.metric)
            )
        internal.append(self.best)  # marks the event "best" before it is saved
        if t.early_stopping:
            internal.append(EarlyStopping.from_settings(t.early_stopping))
        for cb in internal:
            if cb.state_key and cb.state_key in setup.progress.saved:
                cb.load_state_dict(setup.progress.saved[cb.state_key] or {})
        internal.append(Checkpointing(setup, states=internal))
        internal.append(self.metrics)  # the epoch line once its checkpoint is on disk
        internal.append(_RunLogger(self.run_dir.name))
        self.internal = internal
        self.hooks.callbacks[:] = [*internal, *self.listeners]

    # ------------------------------------------------------------------ the loop

    def _fit(self, setup: RunSetup) -> EndEvent:
        t = setup.project.training
        progress = setup.progress
        ctx, bundle, hooks = setup.ctx, setup.bundle, self.hooks
        self.hooks.on_start(self._start_event(setup))
        stopped_early: str | None = None
        for epoch in range(progress.start_epoch, t.epochs + 1):
            hooks.on_epoch_start(epoch, t.epochs)  # gradual unfreezing first
            ctx.model.train()
            set_frozen_bn_eval(ctx.model)
            state = (
                progress.partial if progress.partial is not None and progress.partial.epoch == epoch else None
            )
            progress.partial = None
            if state is None:
                state = EpochState(
                    epoch=epoch, data_rng=setup.generator.get_state(), sync_every=setup.sync_every
                )
            t_epoch = time.perf_counter()
            try:
                train_epoch(ctx, bundle.train, state, setup.generator, setup.batches)
                val_loss = val_acc = None
                if bundle.val is not None:
                    hooks.on_validation_start(epoch)
                    val_loss, val_acc = evaluate(ctx, bundle.val)
            except StopRequested:
                for cb in self.internal:
                    cb.on_interrupted(epoch, state)
                return self._end(
                    "stopped",
                    reason=self.commands.stop_reason,
                    message=tr(
                        "stopped during epoch {epoch}; resume with: cnn-studio train PROJECT --resume {run_dir}",
                        epoch=epoch,
                        run_dir=self.run_dir,
                    ),
                )
            event = epoch_event(epoch, state, val_loss, val_acc, time.perf_counter() - t_epoch)
            line = cast(dict[str, Any], event)  # the same dict: the callbacks' marks land in the history
            ctx.schedule.after_epoch(line)
            progress.history.append(line)
            try:
                hooks.on_epoch_end(event)  # best, early stopping, checkpoints, metrics.jsonl, then listeners
            except OSError:  # e.g. a full disk: the epoch was not saved, so the end event must not count it
                progress.history.pop()
                raise
            stopped_early = next((cb.finish for cb in self.internal if cb.finish), None)
            if stopped_early:
                break
            if distributed.any_rank(
                self.commands.stop_requested
            ):  # arrived during the checkpoint or a listener
                return self._end(
                    "stopped",
                    reason=self.commands.stop_reason,
                    message=tr(
                        "stopped after epoch {epoch}; resume with: cnn-studio train PROJECT --resume {run_dir}",
                        epoch=epoch,
                        run_dir=self.run_dir,
                    ),
                )
        return self._complete(setup, stopped_early)

    def _complete(self, setup: RunSetup, stopped_early: str | None) -> EndEvent:
        test_loss = test_acc = None
        if setup.bundle.test is not None:
            try:
                test_loss, test_acc = self._test(setup)
            except StopRequested:
                self._log(tr("the test evaluation was skipped (stopped)"))
        extra: dict[str, Any] = {"test_loss": test_loss}
        if stopped_early:
            extra.update(reason="early_stopping", message=stopped_early)
        return self._end("completed", test_acc=test_acc, **extra)

    def _test(self, setup: RunSetup) -> tuple[float | None, float | None]:
        """Evaluate the best weights on the test split (reusing validation when it is that split)."""
        bundle, history = setup.bundle, setup.progress.history
        best_epoch = self.best.epoch if self.best is not None else None
        last_epoch = history[-1]["epoch"] if history else None
        if bundle.test is bundle.val and best_epoch is not None:
            event = next(e for e in history if e["epoch"] == best_epoch)
            return event.get("val_loss"), event.get("val_acc")
        best_path = self.run_dir / "checkpoints" / "best.pt"
        if best_epoch is not None and best_epoch != last_epoch and best_path.is_file():
            unwrap_model(setup.model).load_state_dict(load_checkpoint(best_path)["model"])
        loss, acc = evaluate(setup.ctx, bundle.test)
        return finite_or_none(loss), acc

    # ------------------------------------------------------------------ events

    def _start_event(self, setup: RunSetup) -> StartEvent:
        total, trainable = count_params(setup.model)
        b, progress = setup.bundle, setup.progress
        return {
            "event": "start",
            "run_dir": str(self.run_dir),
            "epochs": setup.project.training.epochs,
            "start_epoch": progress.start_epoch,
            "batches": setup.batches,
            "train_size": len(b.train),
            "val_size": len(b.val) if b.val is not None else 0,
            "test_size": len(b.test) if b.test is not None else 0,
            "classes": list(b.classes),
            "device": str(setup.device),
            "threads": setup.threads,
            "mixed_precision": setup.precision != "fp32",
            "precision": setup.precision,
            "params": total,
            "trainable_params": trainable,
            "resumed": progress.start_epoch > 1 or progress.partial is not None,
            "forked_from": progress.forked_from,
            "history": [dict(e) for e in progress.history],
        }

    def _end(
        self,
        status: str,
        *,
        reason: str | None = None,
        message: str | None = None,
        test_acc: float | None = None,
        **extra: Any,
    ) -> EndEvent:
        history = self.setup.progress.history if self.setup is not None else []
        forked_from = self.setup.progress.forked_from if self.setup is not None else None
        vals = [e["val_acc"] for e in history if isinstance(e.get("val_acc"), (int, float))]
        end: EndEvent = {
            "event": "end",
            "status": status,
            "best_epoch": self.best.epoch if self.best is not None else None,
            "best_val_acc": max(vals) if vals else None,
            "test_acc": test_acc,
            "epochs_done": len(history),
            "seconds": round(self._seconds(), 3),
        }
        end.update(extra)  # type: ignore[typeddict-item]
        if reason:
            end["reason"] = reason
        if message:
            end["message"] = message
        if forked_from:
            end["forked_from"] = forked_from  # type: ignore[typeddict-unknown-key]
        end["run_dir"] = str(self.run_dir)
        self.hooks.on_end(end)  # metrics.jsonl first, then the listeners
        return end

    def _nan_message(self, exc: NonFiniteLoss) -> str:
        project = self.trace.project
        assert project is not None
        t = project.training
        lr = t.optimizer.get("lr")
        peak = (t.scheduler or {}).get("max_lr")
        rate = (
            tr("training.optimizer.lr ({lr}) or training.scheduler.max_lr ({peak})", lr=lr, peak=peak)
            if peak
            else f"training.optimizer.lr ({lr})"
        )
        clip = "" if t.grad_clip else tr(", enable gradient clipping (training.grad_clip, e.g. 1.0)")
        kept = tr(" The best checkpoint so far is kept.") if self.best is not None and self.best.epoch else ""
        return tr(
            "the training loss became {value} (not a number) at epoch {epoch}, batch {batch}: the weights "
            "diverged. Lower {rate}{clip}, or add BatchNorm layers, then train again.{kept}",
            value=exc.value,
            epoch=exc.epoch,
            batch=exc.batch,
            rate=rate,
            clip=clip,
            kept=kept,
        )

    def _seconds(self) -> float:
        if self.setup is not None:
            return self.setup.progress.seconds()
        return time.perf_counter() - self.request.started

    def _log(self, message: str) -> None:
        self.hooks.on_log(message)


class _RunLogger(RunCallback):
    """The run's notes in the diagnostic log too (``studio.core.training.engine`` at info level)."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name

    def on_log(self, message: str) -> None:  # noqa: D102
        log.info("%s: %s", self.name, message)


def epoch_event(
    epoch: int, state: EpochState, val_loss: float | None, val_acc: float | None, seconds: float
) -> EpochEvent:
    """The ``epoch`` line of metrics.jsonl from an epoch's sums (the ``best`` flag is BestEpoch's to add)."""
    seen = max(state.seen, 1)
    return {
        "event": "epoch",
        "epoch": epoch,
        "train_loss": state.loss_sum / seen,
        "train_acc": state.correct / seen,
        "val_loss": finite_or_none(val_loss),
        "val_acc": val_acc,
        "lr": state.lr,
        "seconds": round(seconds, 4),
        "images_per_second": round(state.seen / state.seconds, 2) if state.seconds > 0 else 0.0,
    }


def finite_or_none(value: float | None) -> float | None:
    """``value`` unless it is None, NaN or infinite."""
    return value if value is not None and math.isfinite(value) else None
