"""Run a core function off the GUI thread, with progress, cancel and results as Qt signals.

A :class:`Task` wraps ``fn(progress, cancelled) -> result`` — the shape of the core's long
operations (``load_data``, ``scan_health``, ``download_source``): ``progress(done, total,
message)`` is called from the worker and arrives in the GUI thread as the ``progress``
signal; ``cancelled()`` turns true after :meth:`Task.cancel`. Exactly one of ``finished``,
``failed`` or ``cancelled`` is emitted at the end, always through a queued connection, so
slots run on the GUI thread and may touch widgets.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from studio.core.errors import UserError


class TaskSignals(QObject):
    """The signals of one :class:`Task` (a QRunnable cannot carry signals itself)."""

    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


class Task(QRunnable):
    """One background call of ``fn(progress, cancelled)``; see the module docstring."""

    def __init__(self, fn: Callable[[Callable[[int, int, str], None], Callable[[], bool]], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn = fn
        self.signals = TaskSignals()
        self._cancel = threading.Event()
        self.done = threading.Event()

    def cancel(self) -> None:
        """Ask the function to stop at its next ``cancelled()`` check."""
        self._cancel.set()

    @property
    def is_cancelled(self) -> bool:
        """True once :meth:`cancel` was called."""
        return self._cancel.is_set()

    def _progress(self, done: int, total: int = 0, message: str = "") -> None:
        self.signals.progress.emit(int(done), int(total), str(message))

    def run(self) -> None:  # noqa: D102 - QRunnable API, runs in a pool thread
        try:
            result = self.fn(self._progress, self._cancel.is_set)
        except Exception as exc:  # every outcome becomes a signal; nothing escapes the thread
            if self._cancel.is_set():
                self.signals.cancelled.emit()
            elif isinstance(exc, UserError):
                self.signals.failed.emit(str(exc))
            else:
                text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
                self.signals.failed.emit(f"internal error: {text}")
                traceback.print_exc()
        else:
            if self._cancel.is_set():
                self.signals.cancelled.emit()
            else:
                self.signals.finished.emit(result)
        finally:
            self.done.set()


class TaskRunner(QObject):
    """Starts :class:`Task` s on a private pool and keeps them alive until they end."""

    def __init__(self, parent: QObject | None = None, threads: int = 2) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(threads)
        self._tasks: set[Task] = set()

    def start(self, fn: Callable[..., Any], on_finished: Callable[[Any], None] | None = None,
              on_failed: Callable[[str], None] | None = None,
              on_progress: Callable[[int, int, str], None] | None = None,
              on_cancelled: Callable[[], None] | None = None) -> Task:
        """Run ``fn(progress, cancelled)`` in the pool and connect the given slots."""
        task = Task(fn)
        if on_progress:
            task.signals.progress.connect(self._guard(on_progress))
        for signal, slot in ((task.signals.finished, on_finished), (task.signals.failed, on_failed),
                             (task.signals.cancelled, on_cancelled)):
            if slot:
                signal.connect(self._guard(slot))
            signal.connect(lambda *_, t=task: self._tasks.discard(t))
        self._tasks.add(task)
        self.pool.start(task)
        return task

    def _guard(self, slot: Callable[..., Any]) -> Callable[..., Any]:
        """``slot`` that is skipped once this runner (and so the page owning it) is destroyed.

        A result may arrive after its page is gone (a test closing the window mid-scan); its
        widgets must not be touched then.
        """
        def call(*args: Any) -> None:
            if shiboken6.isValid(self):
                slot(*args)

        return call

    def cancel_all(self) -> None:
        """Ask every running task to stop."""
        for task in list(self._tasks):
            task.cancel()

    def wait(self, msecs: int = 5000) -> bool:
        """Block until the pool is idle (for shutdown and tests); False on timeout."""
        return self.pool.waitForDone(msecs)
