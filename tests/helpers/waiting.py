"""Waiting on conditions instead of sleeping a fixed time.

``settle()`` delivers every event Qt has already posted (queued signals from finished worker
threads, deferred layout requests, zero-delay timers): after it, "nothing more arrived" is a
fact, not a guess about how long a delivery takes. ``wait_until`` polls a plain-Python
condition (no event loop needed) and fails with a message when it never holds.
"""

from __future__ import annotations

import time
from collections.abc import Callable


def settle() -> None:
    """Deliver the events already posted to the Qt event loop of this thread."""
    from PySide6.QtCore import QCoreApplication  # lazy: the core tests run without Qt

    QCoreApplication.sendPostedEvents()
    QCoreApplication.processEvents()


def wait_until(condition: Callable[[], object], timeout: float, what: str = "the condition") -> None:
    """Return once ``condition()`` is true; raise AssertionError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not hold within {timeout:g} s")
        time.sleep(0.005)
