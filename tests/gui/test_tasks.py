"""The shared background-task runner (studio.gui.common.tasks): outcomes, progress styles, guards."""

from __future__ import annotations

import threading
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QObject

from studio.core.base.errors import Cancelled, UserError
from studio.gui.common.tasks import LatestTask, TaskRunner, as_counts, as_fraction
from tests.helpers.waiting import settle

WAIT_MS = 5000


class Recorder:
    """Collects what the runner's slots received, and in which thread."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...]]] = []
        self.threads: set[int] = set()

    def slot(self, kind: str) -> Any:
        def record(*args: Any) -> None:
            self.threads.add(threading.get_ident())
            self.calls.append((kind, args))

        return record

    def kwargs(self) -> dict[str, Any]:
        return {f"on_{k}": self.slot(k) for k in ("finished", "failed", "progress", "cancelled")}

    def ends(self) -> list[tuple[str, tuple[Any, ...]]]:
        return [c for c in self.calls if c[0] != "progress"]


def test_as_counts_accepts_both_conventions() -> None:
    assert as_counts(3, 10, "listing") == (3, 10, "listing")
    assert as_counts(5) == (5, 0, "")
    assert as_counts("checking", 0.25) == (250, 1000, "checking")
    assert as_counts("listing /data", None) == (0, 0, "listing /data")  # unknown total: a busy bar
    assert as_fraction("exporting", 1) == ("exporting", 1.0)
    assert as_fraction("unpacking", None) == ("unpacking", 0.0)


@pytest.mark.parametrize(
    "style,reports,expected",
    [
        (as_counts, [(1, 4, "a"), ("half", 0.5)], [(1, 4, "a"), (500, 1000, "half")]),
        (as_fraction, [("start", 0.0), ("end", 1)], [("start", 0.0), ("end", 1.0)]),
    ],
)
def test_progress_then_finished_in_gui_thread(
    qtbot: Any, style: Any, reports: list[tuple[Any, ...]], expected: list[tuple[Any, ...]]
) -> None:
    owner = QObject()
    runner = TaskRunner(owner, progress=style)
    rec = Recorder()

    def work(progress: Any, cancelled: Any) -> str:
        for args in reports:
            progress(*args)
        return "result"

    task = runner.start(work, name="demo", **rec.kwargs())
    qtbot.waitUntil(lambda: len(rec.ends()) == 1, timeout=WAIT_MS)
    settle()
    assert task.name == "demo" and task.done.is_set() and not runner.busy
    assert [args for kind, args in rec.calls if kind == "progress"] == expected
    assert rec.ends() == [("finished", ("result",))]
    assert rec.threads == {threading.get_ident()}


def test_user_error_and_internal_error_become_failed(qtbot: Any, capsys: Any) -> None:
    owner = QObject()
    runner = TaskRunner(owner)
    rec = Recorder()

    def user(progress: Any, cancelled: Any) -> None:
        raise UserError("data.root: no such folder; pick another")

    def bug(progress: Any, cancelled: Any) -> None:
        raise ValueError("boom")

    runner.start(user, **rec.kwargs())
    qtbot.waitUntil(lambda: len(rec.ends()) == 1, timeout=WAIT_MS)
    runner.start(bug, **rec.kwargs())
    qtbot.waitUntil(lambda: len(rec.ends()) == 2, timeout=WAIT_MS)
    assert rec.ends() == [
        ("failed", ("data.root: no such folder; pick another",)),
        ("failed", ("internal error: ValueError: boom",)),
    ]
    assert "Traceback" in capsys.readouterr().err  # only the internal error prints one


def test_cancel_and_cancelled_exceptions_become_cancelled(qtbot: Any) -> None:
    owner = QObject()
    runner = TaskRunner(owner, threads=2)
    rec = Recorder()
    started = threading.Event()

    def loop(progress: Any, cancelled: Any) -> str:
        started.set()
        while not cancelled():
            threading.Event().wait(0.005)
        return "stopped early"

    class ExportCancelled(Cancelled):
        pass

    def raises(progress: Any, cancelled: Any) -> None:
        raise ExportCancelled("cancelled by the user")

    task = runner.start(loop, **rec.kwargs())
    assert started.wait(WAIT_MS / 1000) and runner.busy
    runner.cancel_all()
    assert task.is_cancelled
    qtbot.waitUntil(lambda: len(rec.ends()) == 1, timeout=WAIT_MS)
    runner.start(raises, **rec.kwargs())
    qtbot.waitUntil(lambda: len(rec.ends()) == 2, timeout=WAIT_MS)
    assert rec.ends() == [("cancelled", ()), ("cancelled", ())]


def test_slots_of_a_destroyed_owner_are_skipped(qtbot: Any) -> None:
    owner = QObject()
    runner = TaskRunner(owner)
    rec = Recorder()

    def work(progress: Any, cancelled: Any) -> int:
        progress(1, 1, "done")
        return 1

    task = runner.start(work, **rec.kwargs())
    assert task.done.wait(WAIT_MS / 1000)  # its signals are queued; no events processed yet
    shiboken6.delete(owner)  # the page closes before they arrive
    assert not shiboken6.isValid(runner)
    settle()  # deliver the queued signals
    assert rec.calls == []


def test_latest_task_hears_only_the_newest(qtbot: Any) -> None:
    owner = QObject()
    runner = TaskRunner(owner, threads=2, progress=as_fraction)
    order: list[str] = []
    latest = LatestTask(runner, on_end=lambda: order.append("end"))
    gate = threading.Event()

    def slow(progress: Any, cancelled: Any) -> str:
        gate.wait(WAIT_MS / 1000)
        return "old"  # ignores cancel: its result must still be dropped

    def fast(progress: Any, cancelled: Any) -> str:
        progress("half", 0.5)
        return "new"

    first = latest.start(slow, on_finished=lambda r: order.append(f"finished {r}"))
    assert latest.busy and latest.task is first
    latest.start(
        fast,
        on_finished=lambda r: order.append(f"finished {r}"),
        on_progress=lambda m, f: order.append(f"progress {m} {f}"),
    )
    assert first.is_cancelled
    qtbot.waitUntil(lambda: not latest.busy, timeout=WAIT_MS)
    gate.set()
    assert first.done.wait(WAIT_MS / 1000) and runner.wait(WAIT_MS)
    settle()
    assert order == ["progress half 0.5", "end", "finished new"]


def test_latest_task_cancel_and_forget(qtbot: Any) -> None:
    owner = QObject()
    runner = TaskRunner(owner, progress=as_fraction)
    events: list[str] = []
    latest = LatestTask(runner, on_end=lambda: events.append("end"))
    started = threading.Event()

    def loop(progress: Any, cancelled: Any) -> None:
        started.set()
        while not cancelled():
            threading.Event().wait(0.005)
        progress("after cancel", 1.0)  # dropped: the task was cancelled

    latest.start(
        loop, on_cancelled=lambda: events.append("cancelled"), on_progress=lambda m, f: events.append(m)
    )
    assert started.wait(WAIT_MS / 1000)
    latest.cancel()
    qtbot.waitUntil(lambda: not latest.busy, timeout=WAIT_MS)
    assert events == ["end", "cancelled"]

    started.clear()
    task = latest.start(loop, on_cancelled=lambda: events.append("cancelled again"))
    assert started.wait(WAIT_MS / 1000)
    latest.forget()
    assert not latest.busy and task.is_cancelled
    assert task.done.wait(WAIT_MS / 1000) and runner.wait(WAIT_MS)
    settle()
    assert events == ["end", "cancelled"]  # nothing from the forgotten task


def _thread_ids() -> set[str]:
    from pathlib import Path

    return {task.name for task in Path("/proc/self/task").iterdir()}


@pytest.mark.skipif(not __import__("os").path.isdir("/proc/self/task"), reason="reads Linux's /proc")
def test_a_task_thread_and_its_torch_workers_exit_when_the_work_is_done(qtbot: Any) -> None:
    """Idle task threads would keep torch's OpenMP team alive and slow a later training run."""
    import torch

    runner = TaskRunner()
    before = _thread_ids()
    seen: list[set[str]] = []

    def work(progress: Any, cancelled: Any) -> float:
        total = float(torch.ones(4_000_000).mul_(2).sum())  # big enough for a parallel region
        seen.append(_thread_ids())
        return total

    done: list[float] = []
    runner.start(work, on_finished=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    assert done == [8_000_000.0] and seen[0] - before  # the task ran on a thread of its own
    qtbot.waitUntil(lambda: not (_thread_ids() - before), timeout=5_000)
