"""A run's set-up, settled once: from a project (or a run folder to resume) to what the loop uses.

:func:`prepare_run` reads top to bottom, one step each:

1. the project: the given one, or the run's own on a resume (with the checkpoint to resume);
2. the device (joining torchrun's process group when there is one);
3. the CPU thread count: the run's own on a resume, since float sums depend on it;
4. the seeds;
5. the run folder's fixed files (``project.json``; a fresh ``metrics.jsonl``);
6. the data (``classes.json``) and the check that the network ends in one score per class;
7. the model (a pretrained one is built in its first epoch's freeze state), its optimizer,
   the batches per epoch, the schedule, the precision (the run's own on a resume) and the
   :class:`~studio.core.training.loop.LoopContext` that the inner loops read;
8. where training starts: restored from the checkpoint (weights, optimizer, schedule, every
   RNG, the history) or from a fork's weights, else epoch 1.

The result, a :class:`RunSetup`, is what :mod:`studio.core.training.engine` runs; nothing in it
changes again except the model wrapper (gradual unfreezing under torchrun) and
:class:`RunProgress`, which the loop owns.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
import torch.nn as nn

from studio.core.base.errors import ProjectError, UserError
from studio.core.base.files import remove_stale_temps
from studio.core.base.i18n import tr
from studio.core.data.datasets import DataBundle, load_data
from studio.core.model.builder import build_model
from studio.core.model.shapes import ShapeError, summarize
from studio.core.project.checks import frozen_random_backbone
from studio.core.project.project_file import Project
from studio.core.runs.run_folder import RunError, load_checkpoint, read_run, write_json
from studio.core.runs.train_state import load_optimizer_for_fork, restore_rng
from studio.core.training import distributed, finetune
from studio.core.training.callbacks import CallbackList, Commands
from studio.core.training.devices import (
    ProcessInfo,
    autocast_dtype,
    choose_precision,
    choose_threads,
    configure_threads,
    make_scaler,
    resolve_device,
    seed_everything,
    unwrap_model,
    uses_channels_last,
    wrap_model,
)
from studio.core.training.loop import EpochState, LoopContext
from studio.core.training.metrics_log import MetricsLog
from studio.core.training.optim import build_optimizer, build_schedule

log = logging.getLogger(__name__)

#: the big parts of a checkpoint, which RunProgress.saved (the callbacks' states) does not keep
_NOT_CALLBACK_STATE = frozenset({"model", "optimizer", "scheduler", "scaler", "rng", "history", "project"})


@dataclass
class RunRequest:
    """What :func:`studio.core.training.engine.train` was asked to do."""

    project: Project | None
    run_dir: Path
    resume: bool = False
    device: str | None = None  # overrides training.device
    epochs: int | None = None  # overrides training.epochs
    data: DataBundle | None = None  # an already loaded dataset
    fork: dict[str, Any] | None = None  # a fork_source() checkpoint whose weights start the run
    started: float = field(default_factory=time.perf_counter)  # the run's clock starts with the call


@dataclass
class SetupTrace:
    """How far set-up got, for the failure path: the project to describe an error with, the
    dataset to close (only one loaded here), whether metrics.jsonl belongs to this attempt."""

    project: Project | None = None
    bundle: DataBundle | None = None
    owns_bundle: bool = True


@dataclass
class RunProgress:
    """Where the run stands; the loop owns it and every checkpoint saves it."""

    start_epoch: int = 1
    history: list[dict[str, Any]] = field(default_factory=list)
    partial: EpochState | None = None  # the epoch a stop interrupted (a mid-epoch resume)
    forked_from: dict[str, Any] | None = None
    prior_seconds: float = 0.0  # training time of earlier attempts
    saved: dict[str, Any] = field(default_factory=dict)  # the checkpoint's small parts: callbacks' states
    t0: float = field(default_factory=time.perf_counter)

    def seconds(self) -> float:
        """Training time so far, earlier attempts included."""
        return self.prior_seconds + (time.perf_counter() - self.t0)


@dataclass
class RunSetup:
    """Everything a run trains with, settled once by :func:`prepare_run`."""

    project: Project
    run_dir: Path
    proc: ProcessInfo
    device: torch.device
    threads: int
    precision: str  # "fp32", "bf16" or "fp16"
    bundle: DataBundle
    ctx: LoopContext  # model, optimizer, schedule, criterion... as the inner loops read them
    generator: torch.Generator  # shuffles and augments the training data
    batches: int  # training batches per epoch
    sync_every: int  # batches between reading losses back (1 on the CPU)
    progress: RunProgress

    @property
    def main(self) -> bool:
        """This process writes the run folder (rank 0 under torchrun)."""
        return self.proc.is_main

    @property
    def pretrained(self) -> bool:
        """A zoo model (fine-tuning: param groups, gradual unfreezing, frozen BatchNorm)."""
        return self.project.model.kind == "pretrained"

    @property
    def model(self) -> Any:
        """The model as the loop trains it (a DDP wrapper under torchrun)."""
        return self.ctx.model


def prepare_run(
    request: RunRequest,
    proc: ProcessInfo,
    trace: SetupTrace,
    metrics: MetricsLog,
    hooks: CallbackList,
    commands: Commands,
) -> RunSetup:
    """Settle the run; see the module docstring. ``hooks`` hear the notes (``on_log``) and,
    through the loop context, the batches; ``trace`` records how far set-up got."""
    say = hooks.on_log
    project, checkpoint = settle_project(request, say)
    trace.project = project
    problem = frozen_random_backbone(project)  # refused in the designer and the CLI alike
    if problem is not None and checkpoint is None:
        raise problem.error()
    t = project.training
    saved = checkpoint or {}
    device = resolve_device(t.device, proc.local_rank)
    distributed.setup(device)  # torchrun: join the process group (no-op in one process)
    threads = settle_threads(device, project, saved.get("threads"), say)
    seed_everything(t.seed, t.deterministic, device)
    if proc.is_main:
        prepare_folder(request.run_dir, project, say)
        if checkpoint is None:  # a fresh run (or a resume with nothing to resume from)
            metrics.begin([])
    bundle = request.data if request.data is not None else load_project_data(project, commands, say)
    trace.bundle, trace.owns_bundle = bundle, request.data is None
    if proc.is_main:
        write_json(request.run_dir / "classes.json", list(bundle.classes))
    check_output_size(project, len(bundle.classes), list(bundle.classes))

    model = build_model(project, num_classes=len(bundle.classes))
    if project.model.kind == "pretrained":
        params: list[Any] = finetune.param_groups(
            model, project.model.arch, float(t.optimizer["lr"]), project.model
        )
    else:
        params = [p for p in model.parameters() if p.requires_grad]
    wrapped = distributed.wrap_ddp(wrap_model(model, device), device)  # DDP under torchrun
    optimizer = build_optimizer(t.optimizer, params)
    drop_last = len(bundle.train) > t.batch_size and len(bundle.train) % t.batch_size == 1
    batches = bundle.train.num_batches(t.batch_size, drop_last=drop_last, world_size=proc.world_size)
    if batches < 1:
        raise UserError(
            tr("the training split has no images ({n_train}); check data.root", n_train=len(bundle.train))
        )
    schedule = build_schedule(t.scheduler, optimizer, t.epochs, batches)
    precision = settle_precision(device, project, saved, say)
    ctx = LoopContext(
        model=wrapped,
        optimizer=optimizer,
        schedule=schedule,
        criterion=nn.CrossEntropyLoss(label_smoothing=float(t.label_smoothing)),
        device=device,
        amp=autocast_dtype(precision),
        scaler=make_scaler(device, precision),
        grad_clip=t.grad_clip,
        channels_last=uses_channels_last(model, device),  # batches follow the weights' format
        callbacks=hooks,
        commands=commands,
        batch_size=t.batch_size,
        epochs=t.epochs,
        rank=proc.rank,
        world_size=proc.world_size,
        drop_last=drop_last,
        wants_batches=hooks.wants("on_batch_end"),
        trainable=list(wrapped.parameters()),
        tta=bool(t.extra.get("tta", False)),
    )
    setup = RunSetup(
        project=project,
        run_dir=request.run_dir,
        proc=proc,
        device=device,
        threads=threads,
        precision=precision,
        bundle=bundle,
        ctx=ctx,
        generator=torch.Generator().manual_seed(t.seed),
        batches=batches,
        sync_every=1 if device.type == "cpu" else 25,
        progress=RunProgress(t0=request.started),
    )
    if checkpoint is not None:
        setup.progress = restore(setup, checkpoint, say, request.started)
        if proc.is_main:
            metrics.begin(setup.progress.history)
    elif request.fork is not None:
        setup.progress = apply_fork(setup, request.fork, say, request.started)
    return setup


# --------------------------------------------------------------------------- the steps


def settle_project(request: RunRequest, say: Callable[[str], None]) -> tuple[Project, dict[str, Any] | None]:
    """The project this run trains (the run's own on a resume) and the checkpoint to resume."""
    run_dir = request.run_dir
    last = run_dir / "checkpoints" / "last.pt"
    checkpoint = None
    project = request.project.copy() if request.project is not None else None
    if request.resume:
        if not (run_dir / "project.json").is_file() and not last.is_file():
            raise RunError(
                tr(
                    "{run_dir} is not a run folder (no project.json): pass the folder that `cnn-studio train` created",
                    run_dir=run_dir,
                )
            )
        if last.is_file():
            checkpoint = load_checkpoint(last)
            project = Project.from_dict(checkpoint["project"])
        else:
            project = read_run(run_dir).project
            say(tr("no checkpoint in the run folder yet: training starts from the beginning"))
    else:
        if project is None:
            raise ValueError("train() needs a project unless resume=True")
        if last.is_file() or (run_dir / "metrics.jsonl").is_file():
            raise RunError(
                tr(
                    "{run_dir} already holds a run; choose a new folder, or resume that run (cnn-studio train PROJECT --resume RUN_DIR)",
                    run_dir=run_dir,
                )
            )
    if project is None:
        raise RunError(tr("{run_dir} has no readable project.json", run_dir=run_dir))
    t = project.training
    if request.epochs is not None and request.epochs != t.epochs:
        if checkpoint is not None and (t.scheduler or {}).get("type") == "OneCycleLR":
            raise UserError(
                tr(
                    "this run's OneCycleLR schedule was planned for {epochs} epochs and cannot be stretched; resume without --epochs, or fork a new run from its last epoch with more epochs",
                    epochs=t.epochs,
                )
            )
        t.epochs = int(request.epochs)
    if request.device:
        t.device = request.device
    if checkpoint is not None:
        done = int(checkpoint.get("epoch") or 0)
        if done >= t.epochs and not checkpoint.get("partial"):
            raise UserError(
                tr(
                    "{run_dir} already finished all {epochs} epochs; pass --epochs with a larger number to train it longer, or fork a new run",
                    run_dir=run_dir,
                    epochs=t.epochs,
                )
            )
    return project, checkpoint


def settle_threads(device: torch.device, project: Project, saved: Any, say: Callable[[str], None]) -> int:
    """The CPU thread count: the run's own when resuming one (float sums depend on it)."""
    chosen = choose_threads(device, fixed=project.training.deterministic)
    if saved and int(saved) != chosen:
        say(
            tr(
                "resuming with the run's own {saved} thread(s), not {chosen}: float sums depend on the "
                "thread count",
                saved=int(saved),
                chosen=chosen,
            )
        )
        chosen = int(saved)
    return configure_threads(chosen)


def settle_precision(
    device: torch.device, project: Project, saved: dict[str, Any], say: Callable[[str], None]
) -> str:
    """What autocast runs in: the run's own on a resume on the same kind of device."""
    if saved.get("precision") and saved.get("device_type") == device.type:
        return str(saved["precision"])
    precision, note = choose_precision(device, str(project.training.extra.get("precision", "auto")))
    if note:
        say(f"training.precision: {note}")
    return precision


def prepare_folder(run_dir: Path, project: Project, say: Callable[[str], None] | None = None) -> None:
    """The run folder, ``checkpoints/`` and ``project.json``; torn temporary files of a killed
    write are cleared away."""
    (run_dir / "checkpoints").mkdir(parents=True, exist_ok=True)
    write_json(run_dir / "project.json", project.to_dict())
    for folder in (run_dir, run_dir / "checkpoints"):
        for stale in remove_stale_temps(folder):
            log.info("removed %s, left by an interrupted write", stale)
            if say is not None:
                say(tr("removed {name}, left by an interrupted write", name=stale.name))


def load_project_data(project: Project, commands: Commands, say: Callable[[str], None]) -> DataBundle:
    """Load the project's dataset, telling the listeners each new step and any skipped file."""
    last: list[str] = []

    def progress(message: str, fraction: float | None) -> None:
        if not last or last[-1] != message:
            last.append(message)
            say(tr("data: {message}", message=message))

    bundle = load_data(project, progress=progress, cancel=lambda: commands.stop_requested)
    if bundle.skipped:
        say(
            tr(
                "data: skipped {count} unreadable file(s), e.g. {path} ({reason})",
                count=len(bundle.skipped),
                path=bundle.skipped[0][0],
                reason=bundle.skipped[0][1],
            )
        )
    return bundle


def check_output_size(project: Project, num_classes: int, classes: list[str] | None = None) -> None:
    """A stack must end in one value per class; else a ShapeError naming the layer and the fix."""
    if project.model.kind != "stack":
        return
    layers = project.model.layers
    if not layers:
        raise ProjectError(
            "model.layers",
            tr(
                "the network is empty: add layers ending with Flatten and Linear(out_features={num_classes})",
                num_classes=num_classes,
            ),
        )
    summary = summarize(layers, project.input_shape)
    out = summary.output_shape
    last = summary.layers[-1]
    names = ""
    if classes:
        shown = ", ".join(classes[:4]) + (", ..." if len(classes) > 4 else "")
        names = f" ({shown})"
    if len(out) != 1:
        raise ShapeError(
            last.index,
            last.type,
            tr(
                "the network ends with shape {shape} but must end with one score per class: add "
                "Flatten and Linear(out_features={num_classes}) at the end",
                shape="x".join(map(str, out)),
                num_classes=num_classes,
            ),
        )
    if out[0] != num_classes:
        sized = [info for info in summary.layers if "out_features" in layers[info.index]]
        target = sized[-1] if sized else last
        raise ShapeError(
            target.index,
            target.type,
            tr(
                "the network outputs {out} values but the dataset has {num_classes} classes{names}: set "
                "this layer's out_features to {num_classes}",
                out=out[0],
                num_classes=num_classes,
                names=names,
            ),
        )


def restore(setup: RunSetup, ckpt: dict[str, Any], say: Callable[[str], None], started: float) -> RunProgress:
    """Put weights, optimizer, schedule, scaler and every RNG back as ``last.pt`` saved them."""
    ctx = setup.ctx
    try:
        unwrap_model(ctx.model).load_state_dict(ckpt["model"])
        if ckpt.get("optimizer") is not None:
            ctx.optimizer.load_state_dict(ckpt["optimizer"])
    except (RuntimeError, ValueError, KeyError) as exc:
        raise RunError(
            tr("the checkpoint does not fit the run's network: {exc}", exc=str(exc)[:200])
        ) from None
    ctx.schedule.load_state_dict(ckpt.get("scheduler"))
    t = setup.project.training
    spec = t.scheduler or {}
    if spec.get("type") == "CosineAnnealingLR" and "T_max" not in spec and ctx.schedule.scheduler is not None:
        ctx.schedule.scheduler.T_max = t.epochs  # a resume with more --epochs
    if ctx.scaler is not None and ckpt.get("scaler"):
        ctx.scaler.load_state_dict(ckpt["scaler"])
    restore_rng(ckpt.get("rng"), setup.generator, setup.device)  # checked there: one clear error
    progress = RunProgress(
        start_epoch=int(ckpt.get("epoch") or 0) + 1,
        history=list(ckpt.get("history") or []),
        forked_from=ckpt.get("forked_from"),
        prior_seconds=float(ckpt.get("seconds") or 0.0),
        saved={k: v for k, v in ckpt.items() if k not in _NOT_CALLBACK_STATE},
        t0=started,
    )
    if ckpt.get("partial"):
        progress.partial = EpochState.from_dict(ckpt["partial"], setup.sync_every)
        setup.generator.set_state(progress.partial.data_rng)
    if progress.partial:
        say(
            tr(
                "resuming {run} at epoch {epoch}, batch {batch}",
                run=setup.run_dir.name,
                epoch=progress.partial.epoch,
                batch=progress.partial.batches_done + 1,
            )
        )
    else:
        say(tr("resuming {run} at epoch {epoch}", run=setup.run_dir.name, epoch=progress.start_epoch))
    return progress


def apply_fork(
    setup: RunSetup, fork: dict[str, Any], say: Callable[[str], None], started: float
) -> RunProgress:
    """Start from a source run's checkpoint: its weights, and its optimizer state when it fits."""
    try:
        unwrap_model(setup.model).load_state_dict(fork["model"])
    except (RuntimeError, KeyError) as exc:
        raise UserError(
            tr(
                "a forked run keeps the source run's network; change training settings only (the weights do not fit: {exc})",
                exc=str(exc)[:160],
            )
        ) from None
    src_type = (fork.get("project") or {}).get("training", {}).get("optimizer", {}).get("type")
    carried = load_optimizer_for_fork(
        setup.ctx.optimizer,
        fork.get("optimizer"),
        src_type,
        setup.project.training.optimizer.get("type", "AdamW"),
    )
    forked_from = dict(fork["source"])
    if carried:
        say(
            tr(
                "forked from {run} epoch {epoch} (optimizer state carried over)",
                run=forked_from["run"],
                epoch=forked_from["epoch"],
            )
        )
    else:
        say(tr("forked from {run} epoch {epoch}", run=forked_from["run"], epoch=forked_from["epoch"]))
    return RunProgress(forked_from=forked_from, t0=started)
