"""Cycles holding Qt objects are collected on the GUI thread, never in a worker thread
(studio.gui.common.gc_guard; a collection in a pool thread deadlocked the GUI thread)."""

from __future__ import annotations

import gc
import sys
import threading
from typing import Any

from PySide6.QtCore import QObject

from studio.gui.common import gc_guard


class _Cycle:
    """A reference cycle with a QObject in it that records where it was collected."""

    def __init__(self, seen: list[str]) -> None:
        self.me = self
        self.qobject = QObject()
        self.seen = seen

    def __del__(self) -> None:
        self.seen.append(threading.current_thread().name)


def _allocate_in_a_thread() -> None:
    def churn() -> None:
        keep: list[Any] = []
        for i in range(200_000):  # container allocations: what fills generation 0
            keep.append([i])
            if len(keep) > 1000:
                keep.clear()

    worker = threading.Thread(target=churn, name="worker")
    worker.start()
    worker.join()


def test_garbage_cycles_die_on_the_gui_thread(qtbot: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(gc_guard, "_frozen_at", [len(sys.modules)])  # no import wave: no freeze
    assert gc_guard.install(interval_ms=50)
    assert gc_guard.installed() and not gc.isenabled()
    seen: list[str] = []
    _Cycle(seen)
    _allocate_in_a_thread()  # with automatic collection on, the cycle would die in "worker"
    assert seen == []
    ballast = [[i] for i in range(2000)]  # net allocations past the threshold: a collection is due
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen == [threading.main_thread().name]
    del ballast


def test_collect_now_does_nothing_off_the_gui_thread() -> None:
    results: list[int] = []
    worker = threading.Thread(target=lambda: results.append(gc_guard.collect_now()))
    worker.start()
    worker.join()
    assert results == [-1]


def test_the_application_moves_collection_to_the_gui_thread(qapp: Any) -> None:
    from studio.app import make_application

    gc.enable()
    make_application()
    assert gc_guard.installed()


def test_a_collection_after_an_import_wave_freezes_the_long_lived_objects_first(
    monkeypatch: Any,
) -> None:
    """Torch's millions of objects are frozen before a full collection would walk them (a
    100-170 ms stall of the GUI thread), once per wave of imports."""
    monkeypatch.setattr(gc_guard, "_frozen_at", [0])
    monkeypatch.setattr(gc, "get_count", lambda: (10**6, 10**6, 10**6))  # every generation due
    collected: list[int] = []
    monkeypatch.setattr(gc_guard, "_collect", lambda generation=2: collected.append(generation) or 0)
    gc.unfreeze()
    try:
        gc_guard.collect_now()
        frozen = gc.get_freeze_count()
        assert collected == [2] and frozen > 10_000  # everything alive, torch's objects included
        gc_guard.collect_now()  # no new imports since: no second freeze
        assert collected == [2, 2] and gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_a_library_s_gc_collect_in_a_worker_thread_waits_for_the_gui_thread(
    qtbot: Any, monkeypatch: Any
) -> None:
    """Optuna calls gc.collect() after every trial, on the thread that runs the sweep: with the
    guard installed that only asks the GUI thread's timer for a collection."""
    monkeypatch.setattr(gc_guard, "_frozen_at", [len(sys.modules)])  # no import wave: no freeze
    assert gc_guard.install(interval_ms=50)
    seen: list[str] = []
    _Cycle(seen)
    results: list[int] = []
    worker = threading.Thread(target=lambda: results.append(gc.collect()), name="worker")
    worker.start()
    worker.join()
    assert results == [0] and seen == []  # nothing collected in the worker
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)  # the timer's full collection found it
    assert seen == [threading.main_thread().name]
