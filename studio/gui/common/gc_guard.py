"""Python's cycle collector runs on the GUI thread only.

Why: CPython runs its cycle collector in whichever thread happens to allocate when a
generation fills up. When that is a pool or training thread and the garbage holds a PySide
object (a widget of a closed dialog caught in a reference cycle), shiboken destroys the C++
object there: ``QObject::~QObject`` takes Qt's signal-slot mutex and then waits for the GIL,
while the GUI thread, holding the GIL, destroys another object and waits for that mutex.
Both wait forever. This hung the test suite once in a few full runs (py-spy: ``~QObject``
under ``gc_collect_main`` in an evaluation pool thread, ``~QAction`` on the GUI thread), and
would hang a user's window the same way.

:func:`install` turns automatic collection off and collects from a timer on the GUI thread,
generation by generation when the allocation counts pass the usual thresholds, so garbage
still goes away within a quarter of a second and Qt objects only ever die on the GUI thread.
Every 250 ms rather than every second: a collection walks what was allocated since the last
one, and while a run trains, a second's worth cost up to 44-50 ms of the GUI thread
(``benchmarks/gui_responsiveness.py``: worst event-loop delay 10-26 ms at 250 ms).

pyqtgraph's ``util.garbage_collector.GarbageCollector`` does the same; it is not used because
importing pyqtgraph before the first paint costs about 0.4 s (``benchmarks/startup.py``
keeps the window's first paint free of it), and :func:`collect_now` lets the tests collect
between tests on the main thread.
"""

from __future__ import annotations

import gc
import logging
import sys
import threading

import shiboken6
from PySide6.QtCore import QCoreApplication, QTimer

log = logging.getLogger(__name__)

_timer: list[QTimer] = []
_thresholds: tuple[int, int, int] = gc.get_threshold()
#: the interpreter's own ``gc.collect`` (``gc.collect`` itself is replaced by :func:`install`)
_collect = gc.collect
#: a full collection asked for off the GUI thread, done at the timer's next tick
_requested: list[bool] = []


def _collect_on_the_gui_thread(generation: int = 2) -> int:
    """``gc.collect`` while the guard is installed: at once on the GUI thread, else later on it.

    Libraries call ``gc.collect()`` from whatever thread runs them - Optuna after every trial
    of a sweep, which the studio runs on a pool thread. That is the same deadlock as an
    automatic collection there (seen as a hung test run), so such a call only asks the GUI
    thread's timer for a full collection and returns 0.
    """
    if threading.current_thread() is threading.main_thread():
        return _collect(generation)
    _requested.append(True)
    return 0


#: ``len(sys.modules)`` when the long-lived objects were last frozen (see :func:`_freeze_long_lived`)
_frozen_at: list[int] = [0]
#: this many more modules since the last freeze make a new one (torch alone brings about 1,000)
IMPORT_WAVE = 200


def freeze_due() -> bool:
    """True when enough modules were imported since the last freeze that the next collection
    freezes first (see :func:`_freeze_long_lived`)."""
    return len(sys.modules) >= _frozen_at[0] + IMPORT_WAVE


def _freeze_long_lived() -> bool:
    """After a wave of imports, move every object alive now into the permanent generation.

    A collection walks every object of its generations: with torch imported, millions of
    them, 104-173 ms on the GUI thread (``benchmarks/browser_scale.py`` saw it as the longest
    stall while scrolling). Modules, classes and functions live as long as the process, so
    walking them finds nothing; frozen (:func:`gc.freeze`), a full collection took 15-36 ms.
    What a later wave brings is frozen at the next collection. The freeze comes before any
    collection: with automatic collection off since start-up, torch's objects are all young,
    and even a generation-0 collection would walk them once (135 ms). The price: cycles that
    are already garbage at that moment stay for good; right after an import they are few.
    """
    if not freeze_due():
        return False
    gc.freeze()
    _frozen_at[0] = len(sys.modules)
    log.debug("%d objects frozen after the imports (%d modules)", gc.get_freeze_count(), len(sys.modules))
    return True


def collect_now() -> int:
    """Collect the generations whose counts passed their thresholds; on the GUI thread only
    (anywhere else it does nothing and returns -1). Returns the objects found unreachable."""
    if threading.current_thread() is not threading.main_thread():
        return -1
    g0, g1, g2 = gc.get_count()
    found = 0
    if g0 > _thresholds[0] or _requested:
        generation = 2 if _requested else 0
        if g1 > _thresholds[1]:
            generation = 2 if g2 > _thresholds[2] else max(generation, 1)
        _requested.clear()
        _freeze_long_lived()
        found = _collect(generation)
    return found


def install(interval_ms: int = 250) -> bool:
    """Collect cycles only on the GUI thread from now on (idempotent); True when the timer runs.

    Needs a ``QCoreApplication`` (the timer belongs to it and so to the GUI thread); call it
    from the GUI thread.
    """
    app = QCoreApplication.instance()
    if app is None or threading.current_thread() is not threading.main_thread():
        return False
    if _timer and not shiboken6.isValid(_timer[0]):  # its application was destroyed
        _timer.clear()
    if not _timer:
        timer = QTimer(app)
        timer.setObjectName("gcGuardTimer")
        timer.timeout.connect(collect_now)
        _timer.append(timer)
        log.debug("cycle collection moved to the GUI thread (every %d ms)", interval_ms)
    gc.disable()
    gc.collect = _collect_on_the_gui_thread  # see its docstring
    _timer[0].start(interval_ms)
    return True


def installed() -> bool:
    """True while automatic collection is off and the GUI thread's timer collects instead."""
    return bool(_timer) and shiboken6.isValid(_timer[0]) and _timer[0].isActive() and not gc.isenabled()
