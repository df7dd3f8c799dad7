"""``cnn-studio train PROJECT [--out RUN_DIR] [--epochs N] [--device D] [--resume RUN_DIR]``.

Trains headless with the same engine as the GUI (:func:`studio.core.training.engine.train`): a live
one-line progress bar per epoch on stderr (plain lines when stderr is not a terminal), a
final summary, and the run folder printed on stdout. Ctrl-C stops after the current batch
with a checkpoint (resume with ``--resume``); a second Ctrl-C aborts at once. SIGTERM does
the same as Ctrl-C.

Exit codes: 0 completed, 2 bad input or a failed run (NaN loss...) with an ``error:`` line,
130 stopped by Ctrl-C, 1 an internal error. Under ``torchrun`` only rank 0 prints.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from studio.core.base.errors import UserError
from studio.core.project.checks import frozen_random_backbone
from studio.core.project.project_file import load_project
from studio.core.runs.project_runs import new_project_run, project_runs_dir
from studio.core.training import distributed
from studio.core.training.callbacks import BatchEvent, Callback, Commands, EndEvent, EpochEvent, StartEvent
from studio.core.training.devices import process_info, resolve_device
from studio.core.training.distributed import broadcast_path, is_active


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Register the command."""
    p = sub.add_parser(
        "train",
        help="train a project headless, writing a run folder",
        description="Train a project and write a run folder (project.json, metrics.jsonl, "
        "checkpoints/). Ctrl-C stops cleanly with a checkpoint; --resume continues it.",
    )
    p.add_argument("project", help="project file (.json)")
    p.add_argument(
        "--out",
        metavar="RUN_DIR",
        help="run folder to create (default: NAME.runs/<name>-<time> "
        "beside the project file NAME.json, where `cnn-studio runs` and the studio find it)",
    )
    p.add_argument("--epochs", type=int, metavar="N", help="override training.epochs")
    p.add_argument(
        "--device", metavar="D", help='override training.device ("auto", "cpu", "cuda", "cuda:N", "mps")'
    )
    p.add_argument("--resume", metavar="RUN_DIR", help="continue the run in RUN_DIR from its last checkpoint")
    return p


def run(args: argparse.Namespace) -> int:
    """Train; return the exit code for the way the run ended."""
    if args.epochs is not None and args.epochs < 1:
        raise UserError(f"--epochs must be a positive integer, got {args.epochs}")
    project = load_project(args.project)
    problem = None if args.resume else frozen_random_backbone(project)
    if problem is not None:  # before a run folder is made (the engine refuses it too)
        raise problem.error()
    info = process_info()
    main = info.is_main
    if info.distributed:  # torchrun: join the group now, so rank 0 can share the run folder
        distributed.setup(resolve_device(args.device or project.training.device, info.local_rank))
    try:
        return _run(args, project, main)
    finally:
        distributed.shutdown()


def _run(args: argparse.Namespace, project: Any, main: bool) -> int:
    """The body of :func:`run`, inside the process group under torchrun."""
    from studio.core.training.engine import train  # lazy: pulls in torch

    if args.resume:
        run_dir = Path(args.resume)
        if not run_dir.is_dir():
            raise UserError(f"--resume {run_dir}: no such run folder")
    elif args.out:
        run_dir = Path(args.out)
        refuse_existing_run(run_dir)
    else:
        run_dir = new_project_run(project_runs_dir(args.project), project) if main else Path()
        if is_active():  # rank 0 created the folder; the other ranks take its path
            run_dir = broadcast_path(run_dir if main else None)
    commands = Commands()
    progress = ProgressPrinter(sys.stderr) if main else Callback()
    restore = _install_ctrl_c(commands, progress, term=not is_active())
    try:
        end = train(
            None if args.resume else project,
            run_dir,
            callbacks=[progress],
            commands=commands,
            resume=bool(args.resume),
            device=args.device,
            epochs=args.epochs,
        )
    finally:
        restore()
    if main:
        print(end.get("run_dir", str(run_dir)))
    status = end.get("status")
    if status == "completed":
        return 0
    if status == "stopped":
        return 130
    return 2


RUN_FILES = ("project.json", "classes.json", "metrics.jsonl", "checkpoints")


def refuse_existing_run(run_dir: Path) -> None:
    """A :class:`UserError` naming the file when ``--out`` would overwrite what a run there (or
    anything else) wrote: the run files' names taken, or ``run_dir`` not a folder at all."""
    if (run_dir.exists() or run_dir.is_symlink()) and not run_dir.is_dir():
        raise UserError(f"--out {run_dir} is a file, not a folder; give a new folder for the run")
    for name in RUN_FILES:
        taken = run_dir / name
        if taken.exists() or taken.is_symlink():
            raise UserError(
                f"--out {run_dir} already holds a run ({taken} exists) and training would "
                f"overwrite it; give a new folder, or continue that run with --resume {run_dir}"
            )


def _install_ctrl_c(commands: Commands, progress: Callback, term: bool = True) -> Any:
    """First Ctrl-C (or, with ``term``, SIGTERM as ``kill`` and service managers send): stop after
    this batch with a checkpoint and an end event; a second one: KeyboardInterrupt. Returns the
    undo. (Under torchrun SIGTERM keeps its default: the launcher uses it to end the group.)"""
    signals = [signal.SIGINT] + ([signal.SIGTERM] if term and hasattr(signal, "SIGTERM") else [])
    try:
        previous = {sig: signal.getsignal(sig) for sig in signals}
    except ValueError:
        return lambda: None

    def handler(signum: int, frame: Any) -> None:
        if commands.stop_requested:
            raise KeyboardInterrupt
        commands.stop()
        if isinstance(progress, ProgressPrinter):
            what = "Ctrl-C" if signum == signal.SIGINT else "a second termination signal"
            progress.note(f"stopping after this batch (a checkpoint is written; {what} aborts at once)")

    try:
        for sig in signals:
            signal.signal(sig, handler)
    except ValueError:  # not the main thread
        return lambda: None

    def restore() -> None:
        for sig, old in previous.items():
            signal.signal(sig, old)

    return restore


class ProgressPrinter(Callback):
    """The CLI's listener: a live bar per epoch on a terminal, plain lines otherwise."""

    BAR = 24

    def __init__(self, stream: TextIO, interval: float = 0.1) -> None:
        self.stream = stream
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self.interval = interval
        self._last_draw = 0.0
        self._width = 0
        self._t0 = time.monotonic()
        self._eta: Any = None
        self._epochs = 1

    def on_start(self, event: StartEvent) -> None:
        """Say what trains where (the GUI's log says it in the same words)."""
        from studio.core.training.progress import EtaEstimator, start_line  # lazy: pulls in numpy

        self._epochs = int(event.get("epochs", 1))
        self._eta = EtaEstimator(self._epochs, int(event.get("start_epoch", 1)) - 1)
        self._line(start_line(dict(event)))
        self._line(f"run folder: {event.get('run_dir')}")

    def on_batch_end(self, event: BatchEvent) -> None:
        """Redraw the bar (at most every ``interval`` seconds; plain mode prints nothing)."""
        if not self.tty:  # the ETA is only shown on the bar
            return
        if self._eta is not None:
            self._eta.update(event["epoch"], event["batch"], event["batches"])
        now = time.monotonic()
        if now - self._last_draw < self.interval and event["batch"] < event["batches"]:
            return
        self._last_draw = now
        from studio.core.training.progress import format_duration, format_rate  # lazy: pulls in numpy

        done = event["batch"] / max(1, event["batches"])
        filled = int(round(done * self.BAR))
        bar = "#" * filled + "-" * (self.BAR - filled)
        eta = self._eta.remaining() if self._eta is not None else None
        text = (
            f"epoch {event['epoch']}/{event['epochs']} [{bar}] {event['batch']}/{event['batches']} "
            f"loss {event['loss']:.4f} acc {100 * event['acc']:.1f}% "
            f"{format_rate(event['images_per_second'])} ETA {format_duration(eta)}"
        )
        self._draw(text)

    def on_epoch_end(self, event: EpochEvent) -> None:
        """One finished line per epoch."""
        from studio.core.training.progress import epoch_line  # lazy: pulls in numpy

        self._line(epoch_line(dict(event), self._epochs))

    def on_pause(self) -> None:  # noqa: D102 - the CLI cannot pause, but say so if asked
        self.note("paused")

    def on_log(self, message: str) -> None:
        """Notes from the engine."""
        self.note(message)

    def on_end(self, event: EndEvent) -> None:
        """The final summary."""
        from studio.core.training.progress import end_line  # lazy: pulls in numpy

        status = event.get("status")
        self._line(end_line(dict(event)))
        message = event.get("message")
        if message and not (status == "failed" and event.get("reason") == "error"):
            # an exception's message is printed once, by the CLI's error handler
            self._line(("error: " if status == "failed" else "") + message)

    def note(self, message: str) -> None:
        """A line that does not disturb the bar."""
        self._line(message)

    def _draw(self, text: str) -> None:
        pad = max(0, self._width - len(text))
        self.stream.write("\r" + text + " " * pad)
        self.stream.flush()
        self._width = len(text)

    def _line(self, text: str) -> None:
        if self.tty and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self._width = 0
        self.stream.write(text + "\n")
        self.stream.flush()
