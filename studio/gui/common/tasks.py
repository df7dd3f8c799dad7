"""Run a core function off the GUI thread, with progress, cancel and its outcome as Qt signals.

A :class:`Task` wraps ``fn(progress, cancelled) -> result`` - the shape of the core's long
operations (``load_base``, ``scan_health``, ``download_source``, ``evaluate``, ``export``...)
- and runs it on a :class:`TaskRunner`'s private thread pool. ``cancelled()`` turns true after
:meth:`Task.cancel`. Exactly one of ``finished``, ``failed`` and ``cancelled`` is emitted at the
end, always through a queued connection, so slots run on the GUI thread and may touch widgets;
results that arrive after the runner (and so the page that owns it) is destroyed are dropped.

Shutting down cleanly: a task keeps itself (and so its signals object) referenced until its
``run`` has returned, so a pool thread never emits from a deleted object; an emit that still
meets a deleted receiver is dropped. When the application quits, :func:`shutdown_all` cancels
every task still running and waits for the pools, so no pool thread is still working (or
importing torch) when the interpreter goes away.

The core reports ``progress(message, fraction)`` (:class:`studio.core.base.progress.Progress`;
``fraction`` None while the total is unknown), and each runner delivers it to its slots in the
shape its widgets want: :func:`as_counts` gives ``(done: int, total: int, message: str)`` (the
Datasets page's bars: ``total`` 0 is a busy bar) and :func:`as_fraction` gives
``(message: str, fraction: float)`` (the Evaluate page).
"""

from __future__ import annotations

import atexit
import logging
import threading
import traceback
import weakref
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal

from studio.core.base.errors import Cancelled, UserError

#: turns the arguments of one ``progress(...)`` call into the tuple the ``progress`` slot gets
ProgressStyle = Callable[..., tuple[Any, ...]]
TaskFn = Callable[[Callable[..., None], Callable[[], bool]], Any]

log = logging.getLogger(__name__)

#: tasks whose ``run`` has not returned (kept alive here, whatever happens to their runner)
_RUNNING: set[Task] = set()
_RUNNING_LOCK = threading.Lock()
#: every pool made by :func:`short_lived_pool`, waited for by :func:`shutdown_all`
_POOLS: weakref.WeakSet[QThreadPool] = weakref.WeakSet()
_QUIT_HOOKED: list[bool] = []


def shutdown_all(msecs: int = 5000) -> bool:
    """Cancel every running task and wait for every pool (the application is quitting)."""
    with _RUNNING_LOCK:
        running = list(_RUNNING)
    for task in running:
        task.cancel()
    ok = True
    for pool in list(_POOLS):
        if shiboken6.isValid(pool):
            ok = pool.waitForDone(msecs) and ok
    for task in running:
        ok = task.done.wait(max(0.0, msecs / 1000)) and ok
    if not ok:
        log.warning("background tasks still running at exit")
    return ok


def _hook_quit() -> None:
    app = QCoreApplication.instance()
    if app is not None and not _QUIT_HOOKED:
        app.aboutToQuit.connect(lambda: shutdown_all())
        atexit.register(shutdown_all)  # an interpreter that exits without quitting the application
        _QUIT_HOOKED.append(True)


def as_counts(*args: Any) -> tuple[int, int, str]:
    """``(done, total, message)`` from ``(message, fraction)`` or ``(done[, total[, message]])``.

    A fraction becomes ``done`` out of 1000; an unknown one (None) or a missing total is 0 of 0
    (a busy bar).
    """
    if len(args) == 2 and isinstance(args[0], str):
        if args[1] is None:
            return 0, 0, args[0]
        return int(float(args[1]) * 1000), 1000, args[0]
    done = int(args[0]) if args else 0
    total = int(args[1]) if len(args) > 1 else 0
    message = str(args[2]) if len(args) > 2 else ""
    return done, total, message


def as_fraction(message: str, fraction: float | None) -> tuple[str, float]:
    """``(message, fraction)`` as the core reports it; an unknown fraction shows as 0."""
    return str(message), float(fraction) if fraction is not None else 0.0


def describe_error(exc: BaseException) -> str:
    """A user error's own message, or ``internal error: Type: message`` (no traceback)."""
    if isinstance(exc, UserError):
        return str(exc)
    text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    return f"internal error: {text}"


def is_cancellation(exc: BaseException) -> bool:
    """True for the core's cancellations (every one derives from :class:`Cancelled`)."""
    return isinstance(exc, Cancelled)


class TaskSignals(QObject):
    """The signals of one :class:`Task` (a QRunnable cannot carry signals itself).

    ``progress`` carries the tuple made by the runner's progress style; the runner unpacks it
    into the slot's arguments.
    """

    progress = Signal(tuple)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


class Task(QRunnable):
    """One background call of ``fn(progress, cancelled)``; see the module docstring."""

    def __init__(self, fn: TaskFn, name: str = "", style: ProgressStyle = as_counts) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn = fn
        self.name = name
        self.style = style
        self.signals = TaskSignals()
        self._cancel = threading.Event()
        self.done = threading.Event()

    def cancel(self) -> None:
        """Ask ``fn`` to stop at its next ``cancelled()`` check."""
        self._cancel.set()

    @property
    def is_cancelled(self) -> bool:
        """True once :meth:`cancel` was called."""
        return self._cancel.is_set()

    def _progress(self, *args: Any) -> None:
        self._emit(self.signals.progress, self.style(*args))

    def _emit(self, signal: Any, *args: Any) -> None:
        """Emit unless the signals object is gone (the application is tearing down)."""
        if not shiboken6.isValid(self.signals):
            return
        try:
            signal.emit(*args)
        except RuntimeError:  # deleted between the check and the emit
            pass

    def run(self) -> None:  # noqa: D102 - QRunnable API, runs in a pool thread
        try:
            result = self.fn(self._progress, self._cancel.is_set)
        except Exception as exc:  # every outcome becomes a signal; nothing escapes the thread
            if self._cancel.is_set() or is_cancellation(exc):
                self._emit(self.signals.cancelled)
            else:
                if not isinstance(exc, UserError):
                    traceback.print_exc()
                self._emit(self.signals.failed, describe_error(exc))
        else:
            if self._cancel.is_set():
                self._emit(self.signals.cancelled)
            else:
                self._emit(self.signals.finished, result)
        finally:
            self.done.set()
            with _RUNNING_LOCK:
                _RUNNING.discard(self)


def short_lived_pool(parent: QObject | None, threads: int = 1) -> QThreadPool:
    """A thread pool whose threads exit as soon as they run out of work.

    Why not keep idle threads for Qt's default 30 seconds: a thread that ran torch math keeps
    its OpenMP team (torch's intra-op worker threads) for as long as it lives. With more
    OpenMP threads alive than cores, GNU OpenMP stops busy-waiting between parallel regions
    and sleeps instead, so a training run started meanwhile - a user who evaluates, then
    trains again - ran about 1.4x slower on 2 cores (``benchmarks/omp_teams.py``). A thread
    that exits takes its team with it; starting a thread per task costs microseconds.
    """
    pool = QThreadPool(parent)
    pool.setMaxThreadCount(threads)
    pool.setExpiryTimeout(0)
    _POOLS.add(pool)
    _hook_quit()
    return pool


class TaskRunner(QObject):
    """Starts :class:`Task` s on a private pool (``threads`` at a time) and keeps them alive.

    ``progress`` is the style (:func:`as_counts` or :func:`as_fraction`) of the arguments that
    this runner's ``on_progress`` slots receive.
    """

    def __init__(
        self, parent: QObject | None = None, threads: int = 1, progress: ProgressStyle = as_counts
    ) -> None:
        super().__init__(parent)
        self.pool = short_lived_pool(self, threads)
        self.style = progress
        self._tasks: set[Task] = set()

    def start(
        self,
        fn: TaskFn,
        *,
        on_finished: Callable[[Any], None] | None = None,
        on_failed: Callable[[str], None] | None = None,
        on_progress: Callable[..., None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
        name: str = "",
    ) -> Task:
        """Run ``fn(progress, cancelled)`` in the pool and connect the given slots."""
        task = Task(fn, name, self.style)
        if on_progress:
            guarded = self._guard(on_progress)
            task.signals.progress.connect(lambda args: guarded(*args))
        for signal, slot in (
            (task.signals.finished, on_finished),
            (task.signals.failed, on_failed),
            (task.signals.cancelled, on_cancelled),
        ):
            if slot:
                signal.connect(self._guard(slot))
            signal.connect(lambda *_, t=task: self._tasks.discard(t))
        self._tasks.add(task)
        with _RUNNING_LOCK:
            _RUNNING.add(task)
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

    @property
    def busy(self) -> bool:
        """True while a task started here has not ended."""
        return any(not t.done.is_set() for t in self._tasks)

    def cancel_all(self) -> None:
        """Ask every running task to stop."""
        for task in list(self._tasks):
            task.cancel()

    def wait(self, msecs: int = 5000) -> bool:
        """Block until the pool is idle (for shutdown and tests); False on timeout."""
        return self.pool.waitForDone(msecs)


class LatestTask:
    """A widget's one current task: starting another supersedes it, and only the newest is heard.

    The Evaluate page and its panels re-run their work when an option changes, and a result
    that arrives after it was superseded must not reach the widgets. Here the slots of a
    superseded (or :meth:`forget` -ten) task are dropped, as is progress after a cancel; when
    the current task ends, ``on_end`` runs first (hide the progress bar, re-enable buttons) and
    then the slot for its outcome.
    """

    def __init__(self, runner: TaskRunner, on_end: Callable[[], None] | None = None) -> None:
        self.runner = runner
        self.on_end = on_end
        self.task: Task | None = None
        self._token = 0

    @property
    def busy(self) -> bool:
        """True while the current task has not ended."""
        return self.task is not None

    def start(
        self,
        fn: TaskFn,
        *,
        on_finished: Callable[[Any], None] | None = None,
        on_failed: Callable[[str], None] | None = None,
        on_progress: Callable[..., None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
        name: str = "",
    ) -> Task:
        """Cancel the current task (if any) and run ``fn`` on the runner as the new current one."""
        self.forget()
        token = self._token

        def current(slot: Callable[..., Any] | None, ends: bool) -> Callable[..., None]:
            def call(*args: Any) -> None:
                if token != self._token or self.task is None:
                    return
                if ends:
                    self.task = None
                    if self.on_end:
                        self.on_end()
                elif self.task.is_cancelled:
                    return
                if slot:
                    slot(*args)

            return call

        self.task = self.runner.start(
            fn,
            name=name,
            on_progress=current(on_progress, False) if on_progress else None,
            on_finished=current(on_finished, True),
            on_failed=current(on_failed, True),
            on_cancelled=current(on_cancelled, True),
        )
        return self.task

    def cancel(self) -> None:
        """Ask the current task to stop; its ``on_cancelled`` (or other end) slot still comes."""
        if self.task is not None:
            self.task.cancel()

    def forget(self) -> None:
        """Cancel the current task and drop everything it still sends (``on_end`` included)."""
        self._token += 1
        if self.task is not None:
            self.task.cancel()
            self.task = None
