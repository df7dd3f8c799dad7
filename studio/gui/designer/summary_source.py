"""The summary the Design page shows: the stack's (instant) or a pretrained model's (lazy).

A stack's shapes come from :meth:`ProjectDocument.summary` (pure Python, every key press).
A pretrained model's come from :func:`studio.core.models.pretrained_summary`, which imports
torch and torchvision; it runs once per (architecture, freezing, input shape) in a worker
thread, so neither the first paint nor the event loop waits for torch.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from studio.core.shapes import Summary
from studio.gui.context import StudioContext

# Classes the head is sized for in the summary (a folder's classes are known only to the Data page)
KNOWN_CLASSES = {"mnist": 10, "fashion_mnist": 10, "cifar10": 10, "cifar100": 100, "sample": 10}


def head_classes(source: str) -> int:
    """How many outputs the replaced head gets in the pretrained summary."""
    return KNOWN_CLASSES.get(source, 10)


class _Signals(QObject):
    done = Signal(object, object, object)  # key, Summary | None, error text | None


class _SummaryJob(QRunnable):
    def __init__(self, key: tuple[Any, ...], project: Any, classes: int, signals: _Signals) -> None:
        super().__init__()
        self.key, self.project, self.classes, self.signals = key, project, classes, signals

    def run(self) -> None:
        result, error = None, None
        try:
            from studio.core.models import pretrained_summary

            result = pretrained_summary(self.project, self.classes)
        except Exception as exc:  # shown in the panel, never raised into Qt
            error = f"{type(exc).__name__}: {exc}"
        try:
            self.signals.done.emit(self.key, result, error)
        except RuntimeError:  # the window closed meanwhile
            pass


class SummarySource(QObject):
    """``changed`` fires whenever :meth:`summary` may return something new."""

    changed = Signal()

    def __init__(self, context: StudioContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = context
        self.doc = context.document
        self._cache: dict[tuple[Any, ...], Summary] = {}
        self._errors: dict[tuple[Any, ...], str] = {}
        self._running: set[tuple[Any, ...]] = set()
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        # parentless, shared with the jobs: it outlives a page closed while a job runs
        self._signals = _Signals()
        self._signals.done.connect(self._done)
        context.listen(self.doc.changed, self._on_changed, self)

    def _key(self) -> tuple[Any, ...]:
        p = self.doc.project
        return (p.model.arch, p.model.freeze, tuple(p.input_shape), head_classes(p.data.source))

    def _on_changed(self, section: str) -> None:
        self.changed.emit()

    def is_pretrained(self) -> bool:
        """True when the project uses a pretrained torchvision model."""
        return self.doc.project.model.kind == "pretrained"

    def summary(self) -> Summary | None:
        """The current summary; None while a pretrained one is being computed (it then fires ``changed``)."""
        if not self.is_pretrained():
            return self.doc.summary()
        key = self._key()
        if key in self._cache:
            return self._cache[key]
        if key not in self._running and key not in self._errors:
            self._running.add(key)
            self.pool.start(_SummaryJob(key, self.doc.project.copy(), key[3], self._signals))
        return None

    def error(self) -> str | None:
        """Why the pretrained summary failed (None when it did not)."""
        return self._errors.get(self._key()) if self.is_pretrained() else None

    def pending(self) -> bool:
        """True while the current pretrained summary is being computed."""
        return self.is_pretrained() and self._key() in self._running

    def _done(self, key: tuple[Any, ...], result: Summary | None, error: str | None) -> None:
        self._running.discard(key)
        if result is not None:
            self._cache[key] = result
        else:
            self._errors[key] = error or "unknown error"
        self.changed.emit()

    def wait(self, msecs: int = 60_000) -> bool:
        """Block until running summaries finish (tests, shutdown)."""
        return self.pool.waitForDone(msecs)
