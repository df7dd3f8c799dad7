"""The one shape of progress reports and cancel checks that long core operations accept.

A loader, scan, download, evaluation or export takes ``progress(message, fraction)`` and
``cancel()``; the GUI's task runner hands them in from its worker thread, the CLI prints or
ignores them. ``fraction`` runs from 0 to 1, or is None while the total is not known yet.
A cancelled operation raises :class:`~studio.core.base.errors.Cancelled`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol


class Progress(Protocol):
    """``progress(message, fraction)``: what is being done, and how much of it (None: unknown)."""

    def __call__(self, message: str, fraction: float | None, /) -> None:
        """Report; called from the worker thread, so it must be quick and thread-safe."""


#: ``cancel()``: True once the user asked to stop; polled between steps
CancelCheck = Callable[[], bool]


def scaled(progress: Progress | None, start: float, end: float) -> Progress | None:
    """A progress that maps 0..1 onto ``start..end`` of ``progress`` (one step of a longer job)."""
    if progress is None:
        return None
    outer = progress

    def report(message: str, fraction: float | None, /) -> None:
        outer(message, None if fraction is None else start + (end - start) * fraction)

    return report
