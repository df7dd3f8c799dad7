"""A gallery of evaluated images: thumbnail, true and predicted class, confidence.

:class:`GalleryModel` lists :class:`~studio.core.evaluation.evaluate.Sample` s (the images of one
confusion-matrix cell, or the most confident mistakes). Thumbnails are rendered off the GUI
thread by a ``render(sample, cam) -> uint8 image`` function the page provides (the split's
own pixels, or with ``cam`` the Grad-CAM overlay), most recently asked first, and cached;
until one arrives the row shows a blank tile. :class:`Gallery` is the view with a title,
a "Grad-CAM overlay" switch and an "Explain" button (or a double-click) that asks the page
to explain the chosen image.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRunnable,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio.gui.common.tasks import short_lived_pool
from studio.gui.common.theme import colors
from studio.gui.evaluation.images import scaled, to_qimage

if TYPE_CHECKING:
    from studio.core.evaluation.evaluate import Sample

Render = Callable[["Sample", bool], Any]
SAMPLE_ROLE = Qt.ItemDataRole.UserRole + 1
TILE = 96
Index = QModelIndex | QPersistentModelIndex


class _Loaded(QObject):
    done = Signal(int, int, QImage)  # generation, row, image
    failed = Signal(int, int, str)


class _RenderTask(QRunnable):
    """Renders queued rows (newest request first) until the queue is empty."""

    def __init__(self, model: GalleryModel) -> None:
        super().__init__()
        self.model = model
        self.signals = model._signals

    def run(self) -> None:  # noqa: D102 - runs in a pool thread
        while True:
            job = self.model._next_request()
            if job is None:
                return
            generation, row, sample, cam, render = job
            try:
                image = to_qimage(render(sample, cam))
            except Exception as exc:  # an unreadable file: the tile says so
                ok = self._emit(self.signals.failed, generation, row, str(exc)[:200])
            else:
                ok = self._emit(self.signals.done, generation, row, image)
            if not ok:
                return

    @staticmethod
    def _emit(signal: Any, *args: Any) -> bool:
        """Emit, unless the gallery was destroyed meanwhile (then stop quietly)."""
        try:
            signal.emit(*args)
        except RuntimeError:  # "Signal source has been deleted"
            return False
        return True


class GalleryModel(QAbstractListModel):
    """Samples with lazily rendered thumbnails (see the module docstring)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.samples: list[Sample] = []
        self.classes: list[str] = []
        self.render: Render | None = None
        self.cam = False
        self._generation = 0
        self._thumbs: dict[int, QImage] = {}
        self._errors: dict[int, str] = {}
        self._queue: list[int] = []
        self._queued: set[int] = set()
        self._lock = threading.Lock()
        self._running = False
        self.pool = short_lived_pool(self, 1)  # made first, destroyed first: it waits for its task
        self._signals = _Loaded(self)
        self._signals.done.connect(self._on_done)
        self._signals.failed.connect(self._on_failed)
        self._blank = QPixmap(TILE, TILE)
        self._blank.fill(QColor(128, 128, 128, 40))

    def set_samples(self, samples: list[Sample], classes: list[str], render: Render | None) -> None:
        """Show ``samples`` (thumbnails from ``render``)."""
        self.beginResetModel()
        self.samples = list(samples)
        self.classes = list(classes)
        self.render = render
        self._forget()
        self.endResetModel()

    def set_cam(self, cam: bool) -> None:
        """Show Grad-CAM overlays (True) or the plain images."""
        if cam != self.cam:
            self.cam = cam
            self._forget()
            if self.samples:
                self.dataChanged.emit(
                    self.index(0), self.index(len(self.samples) - 1), [Qt.ItemDataRole.DecorationRole]
                )

    def _forget(self) -> None:
        with self._lock:
            self._generation += 1
            self._thumbs.clear()
            self._errors.clear()
            self._queue.clear()
            self._queued.clear()

    def thumbnail(self, row: int) -> QImage | None:
        """The rendered thumbnail of ``row`` (None until it arrives)."""
        return self._thumbs.get(row)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        """One row per sample."""
        return 0 if parent.isValid() else len(self.samples)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: D102 - Qt API
        if not index.isValid() or index.row() >= len(self.samples):
            return None
        row = index.row()
        s = self.samples[row]
        if role == SAMPLE_ROLE:
            return s
        if role == Qt.ItemDataRole.DisplayRole:
            return self.tr("{true}\n→ {predicted}\n{percent:.0f}% sure").format(
                true=self._name(s.true), predicted=self._name(s.predicted), percent=100.0 * s.confidence
            )
        if role == Qt.ItemDataRole.DecorationRole:
            image = self._thumbs.get(row)
            if image is None:
                self._request(row)
                return self._blank
            return QPixmap.fromImage(image)
        if role == Qt.ItemDataRole.ForegroundRole and not s.correct:
            return colors().error_fg
        if role == Qt.ItemDataRole.ToolTipRole:
            where = s.path or self.tr("image {index} of the split").format(index=s.index)
            error = self._errors.get(row)
            text = self.tr(
                "{where}<br>true: <b>{true}</b> ({true_percent:.1f}%)<br>predicted: <b>{predicted}</b> "
                "({percent:.1f}%)"
            ).format(
                where=where,
                true=self._name(s.true),
                true_percent=100.0 * s.true_probability,
                predicted=self._name(s.predicted),
                percent=100.0 * s.confidence,
            )
            return text + ("<br>" + self.tr("cannot show it: {error}").format(error=error) if error else "")
        return None

    def _name(self, k: int) -> str:
        return self.classes[k] if 0 <= k < len(self.classes) else str(k)

    # ------------------------------------------------------------------ rendering

    def _request(self, row: int) -> None:
        if self.render is None:
            return
        with self._lock:
            if row in self._queued or row in self._errors:
                return
            self._queued.add(row)
            self._queue.append(row)
            start = not self._running
            self._running = True
        if start:
            self.pool.start(_RenderTask(self))

    def _next_request(self) -> tuple[int, int, Sample, bool, Render] | None:
        with self._lock:
            while self._queue:
                row = self._queue.pop()  # newest first: the rows on screen now
                if row < len(self.samples) and self.render is not None:
                    return self._generation, row, self.samples[row], self.cam, self.render
            self._running = False
            return None

    def _on_done(self, generation: int, row: int, image: QImage) -> None:
        if generation != self._generation or row >= len(self.samples):
            return
        self._thumbs[row] = scaled(image, QSize(TILE, TILE))
        index = self.index(row)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])

    def _on_failed(self, generation: int, row: int, message: str) -> None:
        if generation == self._generation:
            self._errors[row] = message

    def wait(self, msecs: int = 5000) -> bool:
        """Wait until the pending thumbnails are rendered (tests, shutdown)."""
        return self.pool.waitForDone(msecs)


class Gallery(QWidget):
    """A titled thumbnail grid of samples; double-click or "Explain" to look inside."""

    #: explain this sample
    explainRequested = Signal(object)

    def __init__(self, object_name: str, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.title = QLabel(placeholder, self)
        self.title.setObjectName(f"{object_name}Title")
        self.title.setWordWrap(True)
        self.cam_box = QCheckBox(self.tr("Grad-CAM overlay"), self)
        self.cam_box.setObjectName(f"{object_name}Cam")
        self.cam_box.setToolTip(
            self.tr("Colour each image by where the network looked for its predicted class")
        )
        self.explain_button = QPushButton(self.tr("Explain…"), self)
        self.explain_button.setObjectName(f"{object_name}Explain")
        self.explain_button.setToolTip(
            self.tr("Feature maps and Grad-CAM of the selected image (or double-click it)")
        )
        self.explain_button.setEnabled(False)
        self.model = GalleryModel(self)
        self.view = QListView(self)
        self.view.setObjectName(f"{object_name}View")
        self.view.setModel(self.model)
        self.view.setViewMode(QListView.ViewMode.IconMode)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setMovement(QListView.Movement.Static)
        self.view.setUniformItemSizes(True)
        self.view.setIconSize(QSize(TILE, TILE))
        metrics = self.fontMetrics()
        self.view.setGridSize(QSize(TILE + 26, TILE + 4 * metrics.height()))
        self.view.setWordWrap(True)
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.doubleClicked.connect(lambda index: self._explain(index.row()))
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.explain_button.clicked.connect(lambda: self._explain(self.current_row()))
        self.cam_box.toggled.connect(self.model.set_cam)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.cam_box)
        top.addWidget(self.explain_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)

    def set_samples(
        self, title: str, samples: list[Sample], classes: list[str], render: Render | None
    ) -> None:
        """Show ``samples`` under ``title``."""
        self.title.setText(title)
        self.model.set_samples(samples, classes, render)
        self.explain_button.setEnabled(False)
        if samples:
            self.view.scrollToTop()

    def current_row(self) -> int:
        """The selected row, or -1."""
        rows = self.view.selectionModel().selectedIndexes()
        return rows[0].row() if rows else -1

    def _selection_changed(self, *_: Any) -> None:
        self.explain_button.setEnabled(self.current_row() >= 0)

    def _explain(self, row: int) -> None:
        if 0 <= row < len(self.model.samples):
            self.explainRequested.emit(self.model.samples[row])
