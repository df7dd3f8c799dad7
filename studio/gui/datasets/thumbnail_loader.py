"""Decode thumbnails on worker threads, newest request first, into a byte-bounded cache.

The grid asks for a thumbnail only when it paints a row, so requests follow the eye. They
go on a LIFO queue of bounded length: after a fast scroll the rows now on screen are decoded
first and the rows scrolled past are dropped (also explicitly, by :meth:`retain`) before a
thread spends time on them. Decoded thumbnails become ``QImage`` s on the worker (QImage,
unlike QPixmap, is safe off the GUI thread) and land in a core
:class:`~studio.core.data.browse.LRUCache` bounded by bytes. ``ready`` carries finished keys to
the GUI thread through a queued connection.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable

import numpy as np
from PySide6.QtCore import QObject, QRunnable, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen

from studio.core.base.errors import UserError
from studio.core.data.browse import LRUCache
from studio.gui.common.qimage import array_to_qimage
from studio.gui.common.tasks import short_lived_pool


def broken_image(size: int) -> QImage:
    """The thumbnail shown for a file that cannot be decoded: a grey square with a red cross."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor(90, 90, 90))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor(220, 60, 60), max(2, size // 16)))
    m = size // 4
    painter.drawLine(m, m, size - m, size - m)
    painter.drawLine(size - m, m, m, size - m)
    painter.end()
    return image


class _Drain(QRunnable):
    """Pulls jobs off the loader's queue until it is empty."""

    def __init__(self, loader: ThumbnailLoader) -> None:
        super().__init__()
        self.loader = loader

    def run(self) -> None:  # noqa: D102 - pool thread
        self.loader._drain()


class ThumbnailLoader(QObject):
    """Background thumbnail decoding with a LIFO queue and a byte-bounded LRU cache.

    ``request(key, job)`` queues ``job() -> (H, W, C) uint8 array`` unless ``key`` is cached
    or already queued; ``cached(key)`` returns the QImage or None. A job raising
    :class:`UserError` (an unreadable file) caches the broken-image marker instead.
    """

    ready = Signal(object)  # the key whose thumbnail is now cached

    def __init__(
        self,
        parent: QObject | None = None,
        size: int = 64,
        max_bytes: int = 48 << 20,
        threads: int | None = None,
        max_pending: int = 600,
    ) -> None:
        super().__init__(parent)
        self.size = size
        self.cache: LRUCache[QImage] = LRUCache(max_bytes)
        self.max_pending = max_pending
        # one core stays with the GUI thread: decoding small files is mostly Python (GIL) work
        self.threads = threads if threads is not None else max(1, min(4, (os.cpu_count() or 2) - 1))
        self._pending: OrderedDict[Hashable, Callable[[], np.ndarray]] = OrderedDict()
        self._lock = threading.Lock()
        self._active = 0
        self._pool = short_lived_pool(self, self.threads)  # in-memory datasets' thumbnails use torch
        self._broken = broken_image(size)
        self.decoded = 0  # jobs run (for tests and the benchmark)
        self._busy_until = 0.0
        # set when the loader goes away: pool threads stop decoding and never emit after it; the
        # lambda holds the event only (``destroyed`` arrives when the Python object may be gone)
        self._closed = threading.Event()
        closed = self._closed
        self.destroyed.connect(lambda *_: closed.set())

    def cached(self, key: Hashable) -> QImage | None:
        """The thumbnail for ``key`` if it is in the cache."""
        return self.cache.get(key)

    def request(self, key: Hashable, job: Callable[[], np.ndarray]) -> None:
        """Queue ``job`` for ``key`` (newest first); drops the oldest beyond ``max_pending``."""
        start = False
        with self._lock:
            if key in self._pending:
                self._pending.move_to_end(key)
                return
            self._pending[key] = job
            while len(self._pending) > self.max_pending:
                self._pending.popitem(last=False)
            if self._active < self.threads:
                self._active += 1
                start = True
        if start:
            self._pool.start(_Drain(self))

    def throttle(self, seconds: float = 0.15) -> None:
        """Decode more slowly for ``seconds``: the GUI thread is busy scrolling."""
        self._busy_until = time.monotonic() + seconds

    def retain(self, keep: Callable[[Hashable], bool]) -> int:
        """Drop queued requests whose key fails ``keep`` (rows scrolled away); returns how many."""
        with self._lock:
            gone = [k for k in self._pending if not keep(k)]
            for k in gone:
                del self._pending[k]
        return len(gone)

    def pending_keys(self) -> list[Hashable]:
        """The queued keys, oldest first."""
        with self._lock:
            return list(self._pending)

    def clear(self) -> None:
        """Forget the queue and the cache (a new listing)."""
        with self._lock:
            self._pending.clear()
        self.cache.clear()

    def prefill(self, items: Iterable[tuple[Hashable, QImage]]) -> None:
        """Put ready thumbnails into the cache (tests)."""
        for key, image in items:
            self.cache.put(key, image, image.sizeInBytes())

    def wait(self, msecs: int = 10000) -> bool:
        """Block until the queue is drained (tests, shutdown)."""
        return self._pool.waitForDone(msecs)

    def close(self, msecs: int = 5000) -> bool:
        """Stop for good: drop the queue, let running decodes finish silently, wait for them."""
        self._closed.set()
        with self._lock:
            self._pending.clear()
        return self._pool.waitForDone(msecs)

    def _drain(self) -> None:
        closed = self._closed
        while True:
            with self._lock:
                if not self._pending or closed.is_set():
                    self._active -= 1
                    return
                key, job = self._pending.popitem(last=True)
            try:
                image = array_to_qimage(job())
            except UserError:
                image = self._broken
            except Exception:  # a bug in one decode must not kill the loader thread
                import traceback

                traceback.print_exc()
                image = self._broken
            self.decoded += 1
            self.cache.put(key, image, image.sizeInBytes())
            if closed.is_set():
                continue  # the loop's check returns
            try:
                self.ready.emit(key)
            except RuntimeError:  # deleted between the check and the emit (the window closing)
                closed.set()
            # hand the GIL over so that a waiting GUI thread paints before the next decode; while
            # the user scrolls, leave it the CPU too (the rows flying past are not worth decoding)
            time.sleep(0.004 if time.monotonic() < self._busy_until else 0)
