"""Run the Evaluate page's long work (evaluate, predict, explain, export) off the GUI thread.

A :class:`Job` runs ``fn(progress, cancelled) -> result`` - the shape of the core's long
operations, ``progress(message, fraction)`` and ``cancelled() -> bool`` - on a
:class:`JobRunner`'s private thread pool. Progress, the result, a user error's message or
the cancellation come back as queued signals, so slots run on the GUI thread. Exactly one of
``finished``, ``failed`` and ``cancelled`` is emitted per job; results that arrive after the
runner (and so the page that owns it) is destroyed are dropped.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from studio.core.errors import UserError

Progress = Callable[[str, float], None]
JobFn = Callable[[Progress, Callable[[], bool]], Any]


class JobSignals(QObject):
    """The signals of one :class:`Job` (a QRunnable cannot carry signals itself)."""

    progress = Signal(str, float)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


def describe_error(exc: BaseException) -> str:
    """A user error's own message, or ``internal error: Type: message`` (no traceback)."""
    if isinstance(exc, UserError):
        return str(exc)
    text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    return f"internal error: {text}"


def is_cancellation(exc: BaseException) -> bool:
    """True for the core's "cancelled" exceptions (``DataCancelled``, ``ExportCancelled``...)."""
    return "Cancel" in type(exc).__name__


class Job(QRunnable):
    """One background call of ``fn(progress, cancelled)``; see the module docstring."""

    def __init__(self, fn: JobFn, name: str = "") -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn = fn
        self.name = name
        self.signals = JobSignals()
        self._cancel = threading.Event()
        self.done = threading.Event()

    def cancel(self) -> None:
        """Ask ``fn`` to stop at its next ``cancelled()`` check."""
        self._cancel.set()

    @property
    def is_cancelled(self) -> bool:
        """True once :meth:`cancel` was called."""
        return self._cancel.is_set()

    def _progress(self, message: str, fraction: float) -> None:
        self.signals.progress.emit(str(message), float(fraction))

    def run(self) -> None:  # noqa: D102 - QRunnable API, runs in a pool thread
        try:
            result = self.fn(self._progress, self._cancel.is_set)
        except Exception as exc:  # every outcome becomes a signal; nothing escapes the thread
            if self._cancel.is_set() or is_cancellation(exc):
                self.signals.cancelled.emit()
            else:
                if not isinstance(exc, UserError):
                    traceback.print_exc()
                self.signals.failed.emit(describe_error(exc))
        else:
            if self._cancel.is_set():
                self.signals.cancelled.emit()
            else:
                self.signals.finished.emit(result)
        finally:
            self.done.set()


class JobRunner(QObject):
    """Starts :class:`Job` s on a private pool (``threads`` at a time) and keeps them alive."""

    def __init__(self, parent: QObject | None = None, threads: int = 1) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(threads)
        self._jobs: set[Job] = set()

    def start(self, fn: JobFn, *, on_finished: Callable[[Any], None] | None = None,
              on_failed: Callable[[str], None] | None = None,
              on_progress: Callable[[str, float], None] | None = None,
              on_cancelled: Callable[[], None] | None = None, name: str = "") -> Job:
        """Run ``fn(progress, cancelled)`` in the pool, connecting the given slots."""
        job = Job(fn, name)
        if on_progress:
            job.signals.progress.connect(self._guard(on_progress))
        for signal, slot in ((job.signals.finished, on_finished), (job.signals.failed, on_failed),
                             (job.signals.cancelled, on_cancelled)):
            if slot:
                signal.connect(self._guard(slot))
            signal.connect(lambda *_, j=job: self._jobs.discard(j))
        self._jobs.add(job)
        self.pool.start(job)
        return job

    def _guard(self, slot: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any) -> None:
            if shiboken6.isValid(self):
                slot(*args)

        return call

    @property
    def busy(self) -> bool:
        """True while a job started here has not ended."""
        return any(not j.done.is_set() for j in self._jobs)

    def cancel_all(self) -> None:
        """Ask every running job to stop."""
        for job in list(self._jobs):
            job.cancel()

    def wait(self, msecs: int = 5000) -> bool:
        """Wait for the pool to drain; True if it did in time."""
        return self.pool.waitForDone(msecs)
