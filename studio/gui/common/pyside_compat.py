"""Work around PySide6 6.12.0 dropping a reference to ``None`` on Python 3.11.

With PySide6 6.12.0 on CPython 3.11, every call of a wrapped method that returns ``void``
(``painter.save()``, ``label.setText()``, ``timer.start()``...) and every empty ``QVariant``
handed back to Python (``index.data(role)`` of an unset role, ``combo.currentData()`` of an
item without data) returns ``None`` without taking a reference to it. Python 3.12 made
``None`` immortal, so the binding no longer counts; on 3.11 ``None``'s reference count (about
60,000 once torch is imported) falls by one per call until the interpreter aborts with
``Fatal Python error: none_dealloc`` — after a minute of scrolling a thumbnail grid or of
live plotting. ``tests/gui/test_datasets_compat.py`` shows the leak.

:func:`protect_none` gives ``None`` a reference count so large (2**40) that no session can
use it up — in effect what Python 3.12 does. It is a no-op on 3.12 and later and safe to
call more than once; call it before Qt starts doing work (the app and the test set-up do). pyproject.toml excludes
6.12.0 (6.11.3 does not leak), so this only matters where that release is already installed.
"""

from __future__ import annotations

import sys

_BOOST = 1 << 40
_done = False


def _affected_release() -> bool:
    """True for the PySide6 release known to leak (6.12.0); pyproject excludes it."""
    try:
        import shiboken6
    except ImportError:
        return False
    return str(getattr(shiboken6, "__version__", "")).startswith("6.12.0")


def protect_none() -> bool:
    """Make ``None`` effectively immortal on Python < 3.12; True when something was done."""
    global _done
    if _done or sys.version_info >= (3, 12) or not _affected_release():
        return False
    import ctypes

    # ob_refcnt is the first field of every PyObject: one Py_ssize_t
    ctypes.c_ssize_t.from_address(id(None)).value += _BOOST
    _done = True
    return True
