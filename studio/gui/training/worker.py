"""The training worker: the core engine on a QThread, reporting through queued signals only.

The GUI thread never touches the running model. :class:`TrainingJob` owns one QThread and the
:class:`TrainingWorker` that thread runs; the worker calls a *job* (``engine.train`` or the fork
function, bound to an immutable project snapshot) with a bridge callback, and the bridge turns
engine events into Qt signals. Signals cross threads as queued connections, so every slot runs
on the GUI thread.

Keeping the GUI smooth (the training thread competes for the GIL between torch ops):

* the per-batch work in the training thread is one tuple appended to a list and one clock read;
* batch rows are sent in chunks at most every :data:`BATCH_EMIT_SECONDS` (about 10 signals a
  second however fast batches are), epoch and end events at once;
* the training thread lowers its own priority by :data:`TRAINING_NICENESS` before the engine
  starts torch's worker threads (which inherit it), so the GUI thread gets a core at once when
  it has something to paint; when the GUI is idle, training has the machine to itself;
* pause, resume and stop go through the engine's thread-safe ``Commands``, which the engine
  checks between batches, so they act within one batch without any queued call.

(The plots do their part in :mod:`studio.gui.training.plots`, and the page loads torch ahead
of the first run, :func:`studio.gui.training.jobs.warm_up`.)

Whatever happens inside the job (a user error, a NaN loss, out of memory, a bug), the worker
ends with exactly one ``finished`` signal carrying an ``end`` event. The engine is the only
writer of the run folder (as for ``cnn-studio train``): what it wrote is what the folder holds,
so the same failure leaves the same folder from the GUI and the CLI.
"""

from __future__ import annotations

import os
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

from studio.core.project.project_file import Project
from studio.core.training.callbacks import Callback, Commands
from studio.core.training.failures import describe_failure
from studio.core.training.progress import Throttle

BATCH_EMIT_SECONDS = 0.1


#: how much nicer than the GUI thread the training thread (and the torch threads it starts) runs
#: (``CNN_STUDIO_TRAINING_NICE`` sets it). Off by default: measured with
#: benchmarks/gui_responsiveness.py on an idle 2-core machine, niceness 5 cut GUI training to
#: 0.79x of headless speed against 0.87-0.88x at 0, while the event loop's p99 delay stayed
#: under 10 ms either way.
def _niceness(default: int = 0) -> int:
    try:
        return int(os.environ.get("CNN_STUDIO_TRAINING_NICE", default))
    except ValueError:
        return default


TRAINING_NICENESS = _niceness()

#: ``job(callbacks, commands) -> end event``: engine.train / fork bound to their arguments
Job = Callable[[list[Any], Any], dict[str, Any]]


class _Bridge(Callback):
    """The engine callback that forwards events to the worker's signals (on the training thread)."""

    def __init__(self, worker: TrainingWorker) -> None:
        self._worker = worker
        self._rows: list[tuple[Any, ...]] = []
        self._throttle = Throttle(BATCH_EMIT_SECONDS)
        self._last_batch: dict[str, Any] = {}
        self.batches_seen = 0

    def on_start(self, event: dict[str, Any]) -> None:
        """Training begins: epochs, batches per epoch, history of a resumed run."""
        self._worker.started.emit(dict(event))

    def on_batch_end(self, event: dict[str, Any]) -> None:
        """Keep the row; send the pending rows at most every BATCH_EMIT_SECONDS."""
        self.batches_seen += 1
        self._rows.append(
            (event["epoch"], event["batch"], event["batches"], event["loss"], event["acc"], event["lr"])
        )
        self._last_batch = event
        if self._throttle.ready():
            self.flush()

    def on_epoch_end(self, event: dict[str, Any]) -> None:
        """Send what is pending, then the epoch summary."""
        self.flush()
        self._worker.epoch.emit(dict(event))

    def on_pause(self) -> None:
        """The run is now holding between two batches."""
        self.flush()
        self._worker.state.emit("paused")

    def on_resume(self) -> None:
        """The run goes on."""
        self._worker.state.emit("running")

    def on_validation_start(self, epoch: int) -> None:
        """Validation of ``epoch`` begins (the batch bar is full)."""
        self.flush()
        self._worker.state.emit("validating")

    def on_log(self, message: str) -> None:
        """A line for the log panel."""
        self._worker.log.emit(str(message))

    def on_end(self, event: dict[str, Any]) -> None:
        """Send the last rows (the end itself is reported when the job returns)."""
        self.flush()

    def flush(self) -> None:
        """Emit the pending batch rows now."""
        if self._rows:
            rows, self._rows = self._rows, []
            self._worker.batches.emit(rows, dict(self._last_batch))


class TrainingWorker(QObject):
    """Runs one job on the thread it was moved to; every report is a signal.

    Signals (all delivered queued to GUI-thread receivers):

    * ``started(dict)`` — the engine's start event (epochs, start epoch, batches, history...);
    * ``batches(list, dict)`` — batch rows ``(epoch, batch, batches, loss, acc, lr)`` since the
      last emission, and the latest batch event (for the progress bars);
    * ``epoch(dict)`` — an epoch summary (docs/contract.md, metrics.jsonl);
    * ``state(str)`` — ``paused``, ``running`` or ``validating``, when the engine gets there;
    * ``log(str)`` — a line for the log panel;
    * ``finished(dict)`` — the end event, with ``run_dir`` added; always exactly once.
    """

    started = Signal(dict)
    batches = Signal(list, dict)
    epoch = Signal(dict)
    state = Signal(str)
    log = Signal(str)
    finished = Signal(dict)

    def __init__(self, job: Job, run_dir: Path, project: Project, commands: Any, fresh: bool = True) -> None:
        super().__init__()
        self.job = job
        self.fresh = fresh
        self.run_dir = Path(run_dir)
        self.project = project
        self.commands = commands
        self.bridge = _Bridge(self)

    def run(self) -> None:
        """Run the job to its end and report it (never raises)."""
        lower_thread_priority(TRAINING_NICENESS)
        try:
            end = self.job([self.bridge], self.commands)
            if not isinstance(end, dict):
                end = {"event": "end", "status": "completed"}
        except BaseException as exc:  # noqa: BLE001 (the thread must always report its end)
            message, internal = describe_failure(exc, self.project)
            if internal:
                self.log.emit("".join(traceback.format_exception(exc)).rstrip())
            end = {"event": "end", "status": "failed", "reason": "error", "message": message}
        self.bridge.flush()
        end = dict(end)
        end["run_dir"] = str(self.run_dir)
        self.finished.emit(end)


def lower_thread_priority(niceness: int) -> bool:
    """Make the calling thread ``niceness`` steps nicer than it is (Linux and other Unixes).

    Training saturates every core with torch's worker threads, which are started by (and
    inherit the priority of) the training thread. Slightly nicer training threads leave the
    GUI thread a core the moment it has something to paint, without slowing training when
    the GUI is idle. Returns False where thread priorities cannot be changed.
    """
    if niceness <= 0 or not hasattr(os, "setpriority"):
        return False
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, os.getpriority(os.PRIO_PROCESS, tid) + niceness)
    except (OSError, AttributeError):
        return False
    return True


class _TrainingThread(QThread):
    """A thread whose whole life is one worker's :meth:`TrainingWorker.run` (no event loop).

    Without an event loop there is no ``quit()`` to deliver: the thread ends as soon as the
    job returns, even while the GUI thread is blocked waiting for it (closing the window).
    """

    def __init__(self, worker: TrainingWorker) -> None:
        super().__init__()
        self._worker = worker

    def run(self) -> None:  # noqa: D102 - QThread API
        self._worker.run()


class TrainingJob(QObject):
    """One run: a QThread, the worker it runs, and the commands that steer it.

    ``ended(job)`` is emitted on the GUI thread once the thread has returned.

    Create it, connect the worker's signals (queued: they are emitted on the training
    thread), then :meth:`start`. :meth:`shutdown` stops a run and waits for its thread; the
    owner keeps the job until the thread's ``finished`` arrives, so Qt never sees a running
    thread destroyed.
    """

    ended = Signal(object)

    def __init__(
        self, job: Job, run_dir: Path, project: Project, parent: QObject | None = None, fresh: bool = True
    ) -> None:
        super().__init__(parent)
        self.commands = Commands()
        self.run_dir = Path(run_dir)
        self.worker = TrainingWorker(job, self.run_dir, project, self.commands, fresh)
        self.thread = _TrainingThread(self.worker)
        self.thread.setObjectName(f"training:{self.run_dir.name}")
        self.thread.finished.connect(self._thread_finished)  # queued: this object lives in the GUI thread
        self.paused = False
        #: the run's planned epochs (the engine's start event may correct it)
        self.epochs = int(project.training.epochs)

    def _thread_finished(self) -> None:
        self.ended.emit(self)

    @property
    def batches_seen(self) -> int:
        """Batches the engine has finished so far (read from the GUI thread; for tests)."""
        return self.worker.bridge.batches_seen

    def start(self) -> None:
        """Start the thread (and so the job)."""
        self.thread.start()

    def is_running(self) -> bool:
        """True until the thread has returned."""
        return self.thread.isRunning()

    def pause(self) -> None:
        """Hold training after the current batch."""
        self.paused = True
        self.commands.pause()

    def resume(self) -> None:
        """Continue a paused run."""
        self.paused = False
        self.commands.resume()

    def stop(self) -> None:
        """Stop after the current batch (a paused run stops too); a checkpoint is written."""
        self.paused = False
        self.commands.stop()

    def wait(self, timeout_ms: int) -> bool:
        """Block until the thread has finished, at most ``timeout_ms``; True when it has."""
        return self.thread.wait(max(0, int(timeout_ms)))

    def shutdown(self, timeout_ms: int) -> bool:
        """Stop the run and wait for its thread; True when it ended within ``timeout_ms``."""
        if not self.thread.isRunning():
            return True
        self.stop()
        return self.wait(timeout_ms)
