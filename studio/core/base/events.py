"""A tiny, Qt-free event emitter for core models (napari's evented-model idea, pared down).

Core objects announce changes through :class:`Event`; the GUI connects thin adapters that
turn them into Qt model signals (``beginInsertRows``...). Callbacks run synchronously on the
emitting thread, so only the GUI thread may edit a document that views listen to.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Event:
    """A list of callbacks called in connection order with the emitted arguments."""

    def __init__(self) -> None:
        self._callbacks: list[Callable[..., Any]] = []

    def connect(self, callback: Callable[..., Any]) -> Callable[..., Any]:
        """Call ``callback(*args)`` on every emit; returns it (usable as a decorator)."""
        self._callbacks.append(callback)
        return callback

    def disconnect(self, callback: Callable[..., Any]) -> None:
        """Stop calling ``callback``; unknown callbacks are ignored."""
        try:
            self._callbacks.remove(callback)
        except ValueError:
            pass

    def emit(self, *args: Any) -> None:
        """Call every callback with ``args``."""
        for callback in list(self._callbacks):
            callback(*args)
