"""The training engine: a project and a run folder in, events out, commands in.

:func:`train` is the one entry point, shared by ``cnn-studio train`` and the GUI's worker
thread. It never prints: listeners receive plain-dict events through
:class:`~studio.core.training.callbacks.Callback` hooks, and a :class:`~studio.core.training.callbacks.Commands`
object pauses, resumes or stops it between batches.

A run, however it ends, leaves a run folder (docs/contract.md): ``project.json``,
``classes.json``, ``metrics.jsonl`` (epoch events, then one ``end`` event: ``completed``,
``stopped`` or ``failed`` with a message) and ``checkpoints/``: ``last.pt`` (everything needed
to resume: weights, optimizer, scheduler, every RNG, the history) written atomically after each
epoch and on a stop, ``best.pt`` by the monitored metric, and ``epoch-N.pt`` (weights and
optimizer) while the model is small, for "fork from checkpoint".

Resuming (``resume=True``) continues from ``last.pt`` — at an epoch boundary, or mid-epoch
after a stop by replaying the data order from the epoch's saved generator state — so that on
the CPU a resumed run ends with exactly the metrics an uninterrupted one would.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from studio.core.base.errors import ProjectError, UserError
from studio.core.project.project_file import Project
from studio.core.runs.run_folder import (
    RunError,
    append_metric,
    atomic_write_bytes,
    load_checkpoint,
    metric_line,
    write_json,
)
from studio.core.runs.train_state import (
    fork_source,
)
from studio.core.training.callbacks import Callback, CallbackList, Commands, EndEvent
from studio.core.training.loop import (
    EpochState,
    LoopContext,
    NonFiniteLoss,
    StopRequested,
    evaluate,
    train_epoch,
)
from studio.core.training.records import RunRecords, finite_or_none

log = logging.getLogger(__name__)


def train(project: Project | None, run_dir: str | os.PathLike[str], *, callbacks: Iterable[Callback] = (),
          commands: Commands | None = None, resume: bool = False, device: str | None = None,
          epochs: int | None = None, data: Any = None, fork: dict[str, Any] | None = None,
          raise_errors: bool = True) -> EndEvent:
    """Train ``project`` into ``run_dir``; returns the ``end`` event (also metrics.jsonl's last line).

    ``resume``: continue the run in ``run_dir`` from its ``last.pt`` (``project`` may be None:
    the run's own project is used). ``device``/``epochs`` override the project's. ``data``: an
    already loaded :class:`~studio.core.data.datasets.DataBundle`. ``fork``: a checkpoint from
    :func:`~studio.core.runs.train_state.fork_source` whose weights start this new run.

    A NaN loss or a stop returns normally (``failed``/``stopped``). Any other error is
    recorded as a ``failed`` end event and sent to ``on_end``, then raised again unless
    ``raise_errors`` is False (the GUI's choice: it already has the message).
    """
    run = _Run(project, Path(run_dir), CallbackList(callbacks), commands or Commands(), device, epochs, data)
    return run.execute(resume=resume, fork=fork, raise_errors=raise_errors)


def resume_run(run_dir: str | os.PathLike[str], **kwargs: Any) -> EndEvent:
    """Continue an interrupted or stopped run from its ``last.pt`` (see :func:`train`)."""
    return train(None, run_dir, resume=True, **kwargs)


def fork_run(source_run: str | os.PathLike[str], epoch: int | None, project: Project,
             run_dir: str | os.PathLike[str], **kwargs: Any) -> EndEvent:
    """Start a NEW run in ``run_dir`` from epoch ``epoch`` (None: the best) of ``source_run``.

    ``project`` carries the changed settings (learning rate, schedule, epochs...); the network
    must be the same. The weights come from the source checkpoint; its optimizer state too when
    the optimizer type is unchanged (with the new hyperparameters). Epochs count from 1 again;
    the end event and checkpoints record ``forked_from``.
    """
    return train(project, run_dir, fork=fork_source(source_run, epoch), **kwargs)


def check_output_size(project: Project, num_classes: int, classes: list[str] | None = None) -> None:
    """A stack must end in one value per class; else a ShapeError naming the layer and the fix."""
    from studio.core.model.shapes import ShapeError, summarize

    if project.model.kind != "stack":
        return
    layers = project.model.layers
    if not layers:
        raise ProjectError("model.layers", f"the network is empty: add layers ending with Flatten and "
                           f"Linear(out_features={num_classes})")
    summary = summarize(layers, project.input_shape)
    out = summary.output_shape
    last = summary.layers[-1]
    names = ""
    if classes:
        shown = ", ".join(classes[:4]) + (", ..." if len(classes) > 4 else "")
        names = f" ({shown})"
    if len(out) != 1:
        raise ShapeError(last.index, last.type, f"the network ends with shape {'x'.join(map(str, out))} "
                         f"but must end with one score per class: add Flatten and "
                         f"Linear(out_features={num_classes}) at the end")
    if out[0] != num_classes:
        sized = [info for info in summary.layers if "out_features" in layers[info.index]]
        target = sized[-1] if sized else last
        raise ShapeError(target.index, target.type, f"the network outputs {out[0]} values but the dataset "
                         f"has {num_classes} classes{names}: set this layer's out_features to {num_classes}")


class _Run(RunRecords):
    """One call of :func:`train`: set-up, the epoch loop, checkpoints and the end event."""

    def __init__(self, project: Project | None, run_dir: Path, callbacks: CallbackList, commands: Commands,
                 device: str | None, epochs: int | None, data: Any) -> None:
        from studio.core.training.devices import process_info

        self.project = project.copy() if project is not None else None
        self.run_dir = run_dir
        self.cb = callbacks
        self.commands = commands
        self.device_name = device
        self.epochs_override = epochs
        self.bundle = data
        self.owns_bundle = data is None  # close worker processes only of a bundle loaded here
        self.proc = process_info()
        self.main = self.proc.is_main
        self.history: list[dict[str, Any]] = []
        self.best: dict[str, Any] = {"metric": "val_acc", "value": None, "epoch": None}
        self.es: dict[str, Any] = {"best": None, "wait": 0}
        self.forked_from: dict[str, Any] | None = None
        self.partial: EpochState | None = None
        self.prior_seconds = 0.0
        self.t0 = time.perf_counter()
        self.files_ready = False  # metrics.jsonl belongs to this attempt: the end event may go there
        self.ctx: LoopContext | None = None

    # ------------------------------------------------------------------ life cycle

    def execute(self, *, resume: bool, fork: dict[str, Any] | None, raise_errors: bool) -> EndEvent:
        """Run set-up and the loop; always end with an end event (written when possible)."""
        end: EndEvent
        error: BaseException | None = None
        try:
            self._setup(resume, fork)
            end = self._fit()
        except NonFiniteLoss as exc:
            end = self._end("failed", reason="nan", message=self._nan_message(exc))
        except StopRequested as exc:  # during set-up (data loading)
            end = self._end("stopped", reason="user", message=f"stopped before training began ({exc})")
        except KeyboardInterrupt:
            end = self._end("stopped", reason="user", message="interrupted (Ctrl-C); " + self._resume_hint())
        except BaseException as exc:  # noqa: BLE001 - recorded, then re-raised
            from studio.core.training.failures import describe_failure

            if type(exc).__name__ == "DataCancelled" and self.commands.stop_requested:
                end = self._end("stopped", reason="user", message="stopped while loading the dataset")
            else:
                message, internal = describe_failure(exc, self.project)
                if internal:  # a bug: keep the traceback for the report
                    log.error("run %s failed with an internal error", self.run_dir, exc_info=exc)
                end = self._end("failed", reason="error", message=message)
                error = exc
        finally:
            if self.owns_bundle and self.bundle is not None and hasattr(self.bundle, "close"):
                try:
                    self.bundle.close()
                except Exception:  # noqa: BLE001 - closing workers must not hide the outcome
                    log.debug("closing the data loaders failed", exc_info=True)
        if error is not None and raise_errors:
            raise error
        return end

    def _setup(self, resume: bool, fork: dict[str, Any] | None) -> None:
        import torch

        from studio.core.training.devices import (
            choose_threads,
            configure_threads,
            resolve_device,
            seed_everything,
        )

        checkpoint = self._prepare_project(resume)
        project = self.project
        assert project is not None
        self.device = resolve_device(project.training.device, self.proc.local_rank)
        from studio.core.training import distributed

        distributed.setup(self.device)  # torchrun: join the process group (no-op in one process)
        # a resumed run keeps its thread count: CPU float sums depend on it
        saved_threads = (checkpoint or {}).get("threads")
        self.threads = configure_threads(int(saved_threads) if saved_threads else
                                         choose_threads(self.device, fixed=project.training.deterministic))
        seed_everything(project.training.seed, project.training.deterministic, self.device)
        if self.main:
            self.run_dir.mkdir(parents=True, exist_ok=True)
            (self.run_dir / "checkpoints").mkdir(exist_ok=True)
            write_json(self.run_dir / "project.json", project.to_dict())
            if checkpoint is None:  # a fresh run (or a resume with nothing to resume from)
                atomic_write_bytes(self.run_dir / "metrics.jsonl", b"")
                self.files_ready = True
        self._load_data()
        bundle = self.bundle
        if self.main:
            write_json(self.run_dir / "classes.json", list(bundle.classes))
        check_output_size(project, len(bundle.classes), list(bundle.classes))
        self._build(project, len(bundle.classes))
        self.generator = torch.Generator().manual_seed(project.training.seed)
        if checkpoint is not None:
            self._restore(checkpoint)
        elif fork is not None:
            self._apply_fork(fork)
        if self.main and checkpoint is not None:
            lines = "".join(metric_line(e) for e in self.history)
            atomic_write_bytes(self.run_dir / "metrics.jsonl", lines.encode("utf-8"))
            self.files_ready = True

    def _prepare_project(self, resume: bool) -> dict[str, Any] | None:
        """Settle the project (the run's own one on a resume) and return the checkpoint to resume."""
        last = self.run_dir / "checkpoints" / "last.pt"
        checkpoint = None
        if resume:
            if not (self.run_dir / "project.json").is_file() and not last.is_file():
                raise RunError(f"{self.run_dir} is not a run folder (no project.json): pass the folder "
                               "that `cnn-studio train` created")
            if last.is_file():
                checkpoint = load_checkpoint(last)
                self.project = Project.from_dict(checkpoint["project"])
            else:
                from studio.core.runs.run_folder import read_run

                self.project = read_run(self.run_dir).project
                self._log("no checkpoint in the run folder yet: training starts from the beginning")
        else:
            if self.project is None:
                raise ValueError("train() needs a project unless resume=True")
            if last.is_file() or (self.run_dir / "metrics.jsonl").is_file():
                raise RunError(f"{self.run_dir} already holds a run; choose a new folder, or resume that "
                               "run (cnn-studio train PROJECT --resume RUN_DIR)")
        assert self.project is not None
        t = self.project.training
        if self.epochs_override is not None and self.epochs_override != t.epochs:
            if checkpoint is not None and (t.scheduler or {}).get("type") == "OneCycleLR":
                raise UserError(f"this run's OneCycleLR schedule was planned for {t.epochs} epochs and "
                                "cannot be stretched; resume without --epochs, or fork a new run from "
                                "its last epoch with more epochs")
            t.epochs = int(self.epochs_override)
        if self.device_name:
            t.device = self.device_name
        if checkpoint is not None:
            done = int(checkpoint.get("epoch") or 0)
            if done >= t.epochs and not checkpoint.get("partial"):
                raise UserError(f"{self.run_dir} already finished all {t.epochs} epochs; pass --epochs with "
                                "a larger number to train it longer, or fork a new run")
        return checkpoint

    def _load_data(self) -> None:
        if self.bundle is not None:
            return
        from studio.core.data.datasets import load_data

        last: list[str] = []

        def progress(message: str, fraction: float) -> None:
            if not last or last[-1] != message:
                last.append(message)
                self._log(f"data: {message}")

        self.bundle = load_data(self.project, progress=progress, cancel=lambda: self.commands.stop_requested)
        if self.bundle.skipped:
            self._log(f"data: skipped {len(self.bundle.skipped)} unreadable file(s), e.g. "
                      f"{self.bundle.skipped[0][0]} ({self.bundle.skipped[0][1]})")

    def _build(self, project: Project, num_classes: int) -> None:
        import torch.nn as nn

        from studio.core.model.builder import build_model
        from studio.core.training.devices import (
            autocast_dtype,
            choose_precision,
            make_scaler,
            uses_channels_last,
            wrap_model,
        )
        from studio.core.training.optim import build_optimizer, build_schedule

        t = project.training
        model = build_model(project, num_classes=num_classes)
        self.pretrained = project.model.kind == "pretrained"
        if self.pretrained:
            from studio.core.training import finetune

            finetune.apply_freeze(model, project.model.arch, project.model, 0)
            params: list[Any] = finetune.param_groups(model, project.model.arch,
                                                      float(t.optimizer["lr"]), project.model)
        else:
            params = [p for p in model.parameters() if p.requires_grad]
        from studio.core.training.distributed import wrap_ddp

        self.model = wrap_ddp(wrap_model(model, self.device), self.device)  # DDP under torchrun
        self.optimizer = build_optimizer(t.optimizer, params)
        bundle = self.bundle
        self.drop_last = len(bundle.train) > t.batch_size and len(bundle.train) % t.batch_size == 1
        self.batches = bundle.train.num_batches(t.batch_size, drop_last=self.drop_last,
                                                world_size=self.proc.world_size)
        if self.batches < 1:
            raise UserError(f"the training split has no images ({len(bundle.train)}); check data.root")
        self.schedule = build_schedule(t.scheduler, self.optimizer, t.epochs, self.batches)
        self.precision, note = choose_precision(self.device, str(t.extra.get("precision", "auto")))
        if note:
            self._log(f"training.precision: {note}")
        monitor = (t.early_stopping or {}).get("monitor", "val_acc")
        if bundle.val is None and monitor.startswith("val_"):
            monitor = "train_" + monitor[4:]
            self._log(f"no validation split: the best checkpoint follows {monitor}")
        self.best["metric"] = monitor
        self.ctx = LoopContext(
            model=self.model, optimizer=self.optimizer, schedule=self.schedule,
            criterion=nn.CrossEntropyLoss(label_smoothing=float(t.label_smoothing)), device=self.device,
            amp=autocast_dtype(self.precision), scaler=make_scaler(self.device, self.precision), grad_clip=t.grad_clip,
            channels_last=uses_channels_last(model, self.device),  # batches follow the weights' format
            callbacks=self.cb, commands=self.commands, batch_size=t.batch_size, epochs=t.epochs,
            rank=self.proc.rank, world_size=self.proc.world_size, drop_last=self.drop_last,
            wants_batches=self.cb.wants("on_batch_end"),
            trainable=list(self.model.parameters()), tta=bool(t.extra.get("tta", False)),
        )
        self.sync_every = 1 if self.device.type == "cpu" else 25

    # ------------------------------------------------------------------ the loop

    def _fit(self) -> EndEvent:
        assert self.project is not None and self.ctx is not None
        t = self.project.training
        start = getattr(self, "start_epoch", 1)
        self.cb.on_start(self._start_event(start))
        stopped_early: str | None = None
        for epoch in range(start, t.epochs + 1):
            self._set_train_mode(epoch - 1)
            self.cb.on_epoch_start(epoch, t.epochs)
            state = self.partial if self.partial is not None and self.partial.epoch == epoch else None
            self.partial = None
            if state is None:
                state = EpochState(epoch=epoch, data_rng=self.generator.get_state(), sync_every=self.sync_every)
            t_epoch = time.perf_counter()
            try:
                train_epoch(self.ctx, self.bundle.train, state, self.generator, self.batches)
                val_loss = val_acc = None
                if self.bundle.val is not None:
                    self.cb.on_validation_start(epoch)
                    val_loss, val_acc = evaluate(self.ctx, self.bundle.val)
            except StopRequested:
                self._save_stopped(epoch, state)
                return self._end("stopped", reason=self.commands.stop_reason,
                                 message=f"stopped during epoch {epoch}; " + self._resume_hint())
            event = self._epoch_event(epoch, state, val_loss, val_acc, time.perf_counter() - t_epoch)
            self.schedule.after_epoch(event)
            self.history.append(event)
            stopped_early = self._early_stopping(event)
            self._save_epoch(epoch, event)
            if self.main:
                append_metric(self.run_dir, event)
            self.cb.on_epoch_end(event)
            if stopped_early:
                break
            from studio.core.training.distributed import any_rank

            if any_rank(self.commands.stop_requested):  # arrived during the checkpoint or a listener
                return self._end("stopped", reason=self.commands.stop_reason,
                                 message=f"stopped after epoch {epoch}; " + self._resume_hint())
        return self._complete(stopped_early)

    def _set_train_mode(self, epochs_done: int) -> None:
        from studio.core.training.finetune import set_frozen_bn_eval

        assert self.project is not None
        if self.pretrained:
            from studio.core.training import finetune
            from studio.core.training.devices import unwrap_model

            if finetune.apply_freeze(unwrap_model(self.model), self.project.model.arch, self.project.model,
                                     epochs_done):
                self._log(f"epoch {epochs_done + 1}: more of the backbone trains from now on")
                from studio.core.training.distributed import rewrap

                # DDP syncs only what required grad when it was built: wrap again (all ranks alike)
                self.model = rewrap(self.model, self.device)
                if self.ctx is not None:
                    self.ctx.model = self.model
        self.model.train()
        set_frozen_bn_eval(self.model)

    def _complete(self, stopped_early: str | None) -> EndEvent:
        test_loss = test_acc = None
        bundle = self.bundle
        if bundle.test is not None:
            try:
                test_loss, test_acc = self._test(bundle)
            except StopRequested:
                self._log("the test evaluation was skipped (stopped)")
        extra: dict[str, Any] = {"test_loss": test_loss}
        if stopped_early:
            extra.update(reason="early_stopping", message=stopped_early)
        return self._end("completed", test_acc=test_acc, **extra)

    def _test(self, bundle: Any) -> tuple[float | None, float | None]:
        """Evaluate the best weights on the test split (reusing validation when it is that split)."""
        from studio.core.training.devices import unwrap_model

        assert self.ctx is not None
        best_epoch = self.best.get("epoch")
        last_epoch = self.history[-1]["epoch"] if self.history else None
        if bundle.test is bundle.val and best_epoch is not None:
            event = next(e for e in self.history if e["epoch"] == best_epoch)
            return event.get("val_loss"), event.get("val_acc")
        best_path = self.run_dir / "checkpoints" / "best.pt"
        if best_epoch is not None and best_epoch != last_epoch and best_path.is_file():
            unwrap_model(self.model).load_state_dict(load_checkpoint(best_path)["model"])
        loss, acc = evaluate(self.ctx, bundle.test)
        return finite_or_none(loss), acc
