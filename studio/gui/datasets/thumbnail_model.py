"""The image grid: a list model with one row per image, its delegate and the view.

:class:`ThumbnailModel` is a thin adapter over a core :class:`~studio.core.data.browse.Listing`
and the filtered row indices from :func:`~studio.core.data.browse.filter_rows` — a numpy array,
so 100,000 rows cost a few hundred kilobytes and a filter change is one model reset. The
decoration of a row is fetched only when the view paints that row (``data`` with
``DecorationRole``): a cached thumbnail, or None while the loader decodes it on a worker
thread; the delegate draws a placeholder meanwhile.

Finished thumbnails are announced with :attr:`ThumbnailModel.thumbnails_ready` (coalesced,
25 times a second at most), and the grid repaints just those cells. Not with
``dataChanged``: QListView answers every ``dataChanged`` with a full item re-layout, which
walks all 100,000 rows through the Python model and would stall scrolling for a second.
For the same reason the grid lays items out in batches (``LayoutMode.Batched``), so a new
listing, a filter or a window resize never blocks the event loop for long.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QImage, QPainter, QPalette
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from studio.core.data.browse import Listing, filter_rows
from studio.gui.datasets.histogram import split_label
from studio.gui.datasets.thumbnail_loader import ThumbnailLoader

IndexRole = Qt.ItemDataRole.UserRole + 1  # the image's index in the listing
LabelRole = Qt.ItemDataRole.UserRole + 2  # its class name
SplitRole = Qt.ItemDataRole.UserRole + 3  # its split name
PathRole = Qt.ItemDataRole.UserRole + 4  # its file (None for in-memory sources)


class ThumbnailModel(QAbstractListModel):
    """One row per image of the current listing that passes the class/split/name filter."""

    thumbnails_ready = Signal(list)  # rows whose thumbnail just arrived (ascending)

    def __init__(self, loader: ThumbnailLoader, parent: Any = None) -> None:
        super().__init__(parent)
        self.loader = loader
        self._listing: Listing | None = None
        self._rows = np.zeros(0, dtype=np.int64)
        self._generation = 0
        self._filter: tuple[int | None, str | None, str] = (None, None, "")
        self._changed_rows: set[int] = set()
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(40)
        self._flush_timer.timeout.connect(self._flush)
        loader.ready.connect(self._on_ready)

    # ------------------------------------------------------------------ contents

    @property
    def listing(self) -> Listing | None:
        """The listing shown (all images, before filtering)."""
        return self._listing

    @property
    def rows(self) -> np.ndarray:
        """Listing indices of the visible rows, ascending."""
        return self._rows

    def set_listing(self, listing: Listing | None) -> None:
        """Show ``listing`` (None: nothing), keeping the current filter where it still applies."""
        self.beginResetModel()
        self._generation += 1
        self.loader.clear()
        self._listing = listing
        label, split, search = self._filter
        if listing is None or (label is not None and label >= len(listing.classes)):
            label = None
        if listing is None or (split is not None and split not in listing.split_names):
            split = None
        self._filter = (label, split, search)
        self._rows = self._compute_rows()
        self.endResetModel()

    def set_filter(self, label: int | None = None, split: str | None = None, search: str = "") -> None:
        """Keep only images of class index ``label``, split ``split`` and a name containing ``search``."""
        new = (label, split, search.strip())
        if new == self._filter:
            return
        self.beginResetModel()
        self._filter = new
        self._rows = self._compute_rows()
        self.endResetModel()

    @property
    def filter(self) -> tuple[int | None, str | None, str]:
        """The current ``(label, split, search)`` filter."""
        return self._filter

    def _compute_rows(self) -> np.ndarray:
        if self._listing is None:
            return np.zeros(0, dtype=np.int64)
        label, split, search = self._filter
        return filter_rows(self._listing, label, split, search)

    def image_index(self, row: int) -> int:
        """The listing index shown at ``row``."""
        return int(self._rows[row])

    def row_of(self, image_index: int) -> int:
        """The row showing listing index ``image_index``, or -1 when it is filtered out."""
        pos = int(np.searchsorted(self._rows, image_index))
        return pos if pos < self._rows.shape[0] and self._rows[pos] == image_index else -1

    def key(self, image_index: int) -> tuple[int, int]:
        """The cache key of an image (changes with each new listing)."""
        return (self._generation, image_index)

    # ------------------------------------------------------------------ Qt model API

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        """Rows in the filtered view (0 for a tree parent)."""
        return 0 if parent.isValid() else int(self._rows.shape[0])

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Name, thumbnail (requested lazily), tooltip and the custom roles of one row."""
        listing = self._listing
        if listing is None or not index.isValid() or not 0 <= index.row() < self._rows.shape[0]:
            return None
        i = int(self._rows[index.row()])
        if role == Qt.ItemDataRole.DisplayRole:
            return listing.name(i)
        if role == Qt.ItemDataRole.DecorationRole:
            return self.thumbnail(index.row())
        if role == Qt.ItemDataRole.ToolTipRole:
            where = listing.path(i) or listing.name(i)
            return f"{where}\n{listing.label_name(i)} · {split_label(listing.split_name(i))}"
        if role == IndexRole:
            return i
        if role == LabelRole:
            return listing.label_name(i)
        if role == SplitRole:
            return listing.split_name(i)
        if role == PathRole:
            return listing.path(i)
        return None

    def thumbnail(self, row: int) -> QImage | None:
        """The thumbnail of ``row`` if decoded, else None after queuing its decoding.

        The delegate calls this directly rather than ``index.data(DecorationRole)``: PySide6
        6.12 drops a reference to ``None`` every time an empty QVariant is returned to
        Python, which crashes the interpreter after enough repaints.
        """
        listing = self._listing
        if listing is None or not 0 <= row < self._rows.shape[0]:
            return None
        i = int(self._rows[row])
        key = self.key(i)
        image = self.loader.cached(key)
        if image is None:
            size = self.loader.size
            self.loader.request(key, lambda: listing.thumbnail(i, size))
        return image

    def name(self, row: int) -> str:
        """The file name shown under ``row``'s thumbnail."""
        if self._listing is None or not 0 <= row < self._rows.shape[0]:
            return ""
        return self._listing.name(int(self._rows[row]))

    # ------------------------------------------------------------------ thumbnails arriving

    def _on_ready(self, key: Any) -> None:
        if not isinstance(key, tuple) or key[0] != self._generation:
            return
        row = self.row_of(key[1])
        if row >= 0:
            self._changed_rows.add(row)
            if not self._flush_timer.isActive():
                self._flush_timer.start()

    def _flush(self) -> None:
        rows, self._changed_rows = self._changed_rows, set()
        n = self._rows.shape[0]
        rows = sorted(r for r in rows if r < n)
        if rows:
            self.thumbnails_ready.emit(rows)

    def keep_only_rows(self, first: int, last: int) -> int:
        """Drop queued thumbnail requests outside rows ``first..last``; returns how many."""
        generation = self._generation

        def keep(key: Any) -> bool:
            if key[0] != generation:
                return False
            row = self.row_of(key[1])
            return first <= row <= last

        return self.loader.retain(keep)


class ThumbnailDelegate(QStyledItemDelegate):
    """Draws a thumbnail (or a placeholder) with the elided file name under it."""

    def __init__(self, thumb: int, parent: Any = None) -> None:
        super().__init__(parent)
        self.thumb = thumb

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        """Every cell has the same size (the view relies on uniform sizes for speed)."""
        return QSize(self.thumb + 16, self.thumb + 16 + option.fontMetrics.height())

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        """Selection background, image centred in its square, name below."""
        rect: QRect = option.rect
        palette: QPalette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.save()
        if selected:
            painter.fillRect(rect.adjusted(2, 2, -2, -2), palette.color(QPalette.ColorRole.Highlight))
        box = QRect(rect.x() + 8, rect.y() + 6, self.thumb, self.thumb)
        model = index.model()
        image = model.thumbnail(index.row()) if isinstance(model, ThumbnailModel) else None
        if isinstance(image, QImage) and not image.isNull():
            scale = min(self.thumb / max(1, image.width()), self.thumb / max(1, image.height()))
            w, h = max(1, round(image.width() * scale)), max(1, round(image.height() * scale))
            target = QRect(box.x() + (self.thumb - w) // 2, box.y() + (self.thumb - h) // 2, w, h)
            painter.drawImage(target, image)
        else:
            base = palette.color(QPalette.ColorRole.Mid)
            painter.fillRect(box, QColor(base.red(), base.green(), base.blue(), 70))
        text_rect = QRect(rect.x() + 4, box.bottom() + 3, rect.width() - 8, option.fontMetrics.height())
        name = model.name(index.row()) if isinstance(model, ThumbnailModel) else ""
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(palette.color(role))
        elided = option.fontMetrics.elidedText(name, Qt.TextElideMode.ElideMiddle, text_rect.width())
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter, elided)
        painter.restore()


class ThumbnailGrid(QListView):
    """The ``thumbnailGrid``: a wrapping, uniform-size list view that only asks for what it shows.

    A list-mode view with wrapping (not icon mode) lays out 100,000 uniform items in
    constant time. After scrolling settles, queued decodes for rows no longer near the
    viewport are dropped.
    """

    def __init__(self, model: ThumbnailModel, thumb: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("thumbnailGrid")
        self.setViewMode(QListView.ViewMode.ListMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(True)
        self.setLayoutMode(QListView.LayoutMode.Batched)
        # each item laid out calls the Python rowCount twice (QAbstractListModel.index checks
        # the row): 2,000 a pass held the GUI thread 35-70 ms, 1,000 keeps it under 50 ms
        self.setBatchSize(1000)
        self.setSelectionMode(QListView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.setMovement(QListView.Movement.Static)
        self.setItemDelegate(ThumbnailDelegate(thumb, self))
        self.setModel(model)
        self.verticalScrollBar().setSingleStep(24)
        self._prune_timer = QTimer(self)
        self._prune_timer.setSingleShot(True)
        self._prune_timer.setInterval(60)
        self._prune_timer.timeout.connect(self.prune_requests)
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        model.thumbnails_ready.connect(self._repaint_rows)

    def _scrolled(self, _value: int) -> None:
        self.thumbnail_model().loader.throttle()
        self._prune_timer.start()

    def _repaint_rows(self, rows: list[int]) -> None:
        """Repaint the cells of ``rows`` (no re-layout; cells off screen cost nothing)."""
        model = self.thumbnail_model()
        for row in rows:
            self.update(model.index(row))

    def thumbnail_model(self) -> ThumbnailModel:
        """The grid's model, typed."""
        model = self.model()
        assert isinstance(model, ThumbnailModel)
        return model

    def visible_rows(self) -> tuple[int, int]:
        """First and last row (inclusive) in the viewport, from the uniform cell grid.

        Computed from the scroll position rather than ``indexAt``, which walks every item
        through the Python model and costs a second on 100,000 rows.
        """
        model = self.thumbnail_model()
        n = model.rowCount()
        if n == 0:
            return (0, -1)
        cell = self.sizeHintForIndex(model.index(0))
        spacing = self.spacing()
        cw, ch = max(1, cell.width() + spacing), max(1, cell.height() + spacing)
        cols = max(1, self.viewport().width() // cw)
        value = max(0, self.verticalScrollBar().value())
        line = value // ch
        lines = max(1, math.ceil((value % ch + self.viewport().height()) / ch))
        first = min(n - 1, line * cols)
        return (first, min(n - 1, first + cols * lines - 1))

    def prune_requests(self) -> int:
        """Forget queued decodes more than a screen away from what is visible."""
        first, last = self.visible_rows()
        span = max(0, last - first + 1)
        return self.thumbnail_model().keep_only_rows(first - span, last + span)
