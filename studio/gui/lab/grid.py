"""A zoomable grid of numbers: the Lab's picture of an image, a kernel window or a feature map.

Each cell is one value, painted as a colour (grey for pixel numbers 0-255; white-red for
positive and white-blue for negative values of other maps) and, once cells are large enough,
with its number written in it. Cells can be highlighted (the kernel's window, pooling's
chosen value) and hidden (output cells not computed yet), so a step of a convolution is one
:meth:`set_highlight` and one :meth:`set_filled` — no re-layout, only a repaint.

Large images are drawn as one scaled ``QImage``; numbers are written only for the cells in
the exposed rectangle, so a 224x224 grid still repaints quickly.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from PySide6.QtCore import QLine, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QScrollArea, QSizePolicy, QWidget

from studio.core.evaluation.lab import format_number
from studio.gui.common.qimage import array_to_qimage

MIN_CELL = 2
MAX_CELL = 64
TEXT_CELL = 22  # numbers are written from this cell size on
CACHE_PIXELS = 2400 * 2400  # grids up to this size are drawn once into a pixmap


def colour_map(values: np.ndarray, pixels: bool) -> np.ndarray:
    """``(H, W)`` values -> ``(H, W, 3)`` uint8 colours.

    ``pixels``: values are 0-255 pixel numbers, shown as grey. Otherwise 0 is white, positive
    values red and negative values blue, scaled by the largest magnitude (so a sign is a hue).
    """
    v = np.asarray(values, dtype=np.float64)
    if pixels:
        g = np.clip(v, 0, 255).astype(np.uint8)
        return np.repeat(g[..., None], 3, axis=2)
    scale = float(np.abs(v).max()) if v.size else 0.0
    t = np.clip(np.abs(v) / scale, 0, 1) if scale > 0 else np.zeros_like(v)
    fade = (255 * (1 - 0.85 * t)).astype(np.uint8)
    out = np.empty((*v.shape, 3), dtype=np.uint8)
    pos = v >= 0
    out[..., 0] = np.where(pos, 255, fade)
    out[..., 1] = fade
    out[..., 2] = np.where(pos, fade, 255)
    out[..., 0] = np.where(pos, 255, np.maximum(fade, 40))
    return out


class PixelGrid(QWidget):
    """One 2-D array drawn cell by cell (see the module doc). Emits ``cellClicked(row, col)``."""

    cellClicked = Signal(int, int)
    zoomed = Signal()  # the user zoomed with Ctrl+wheel

    def __init__(self, parent: QWidget | None = None, cell: int = 18) -> None:
        super().__init__(parent)
        self.values = np.zeros((1, 1))
        self.pixels = True
        self.cell = cell
        self.digits = 3
        self._image = array_to_qimage(np.zeros((1, 1, 3), dtype=np.uint8))
        self._base: QPixmap | None = None  # the drawn grid, reused until values or zoom change
        self._text_colours: np.ndarray = np.zeros((1, 1), dtype=bool)
        self.highlight: list[tuple[int, int]] = []
        self.highlight_colour = QColor(255, 170, 0)
        self.marks: list[tuple[int, int]] = []  # a second kind of highlight (pooling's chosen cells)
        self.mark_colour = QColor(0, 170, 90)
        self.filled: int | None = None  # cells in reading order shown; None: all
        self.border: tuple[int, int, int, int] | None = None  # (top, bottom, left, right) padding rows/cols
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(False)

    # ------------------------------------------------------------------ content

    def set_values(self, values: np.ndarray, pixels: bool | None = None, digits: int | None = None) -> None:
        """Show ``values`` (2-D); ``pixels`` picks grey 0-255 colours (default: guessed from the range)."""
        v = np.asarray(values, dtype=np.float64)
        if v.ndim != 2:
            raise ValueError(f"a grid shows a 2-D array, got shape {v.shape}")
        same_shape = v.shape == self.values.shape
        self.values = v
        if pixels is None:
            pixels = bool(v.size and v.min() >= 0 and v.max() <= 255 and np.allclose(v, np.round(v)))
        self.pixels = pixels
        if digits is not None:
            self.digits = digits
        rgb = colour_map(v, pixels)
        self._image = array_to_qimage(rgb)
        self._base = None
        lum = rgb.astype(np.float32) @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
        self._text_colours = lum < 128  # white text on dark cells
        if not same_shape:  # a relayout only when the size changes (stepping keeps it)
            self.updateGeometry()
            self.resize(self.sizeHint())
        self.update()

    def set_highlight(self, cells: Iterable[tuple[int, int]]) -> None:
        """Outline these cells (the kernel's window)."""
        self.highlight = list(cells)
        self.update()

    def set_marks(self, cells: Iterable[tuple[int, int]]) -> None:
        """Mark these cells (pooling's chosen values)."""
        self.marks = list(cells)
        self.update()

    def set_filled(self, count: int | None) -> None:
        """Show only the first ``count`` cells in reading order (the output so far); None: all."""
        self.filled = count
        self.update()

    def set_cell_size(self, size: int) -> None:
        """Zoom: each cell ``size`` pixels wide (clamped to 2..64)."""
        self.cell = max(MIN_CELL, min(MAX_CELL, int(size)))
        self._base = None
        self.updateGeometry()
        self.resize(self.sizeHint())
        self.update()

    def cell_rect(self, row: int, col: int) -> QRect:
        """Where cell ``(row, col)`` is drawn."""
        return QRect(col * self.cell, row * self.cell, self.cell, self.cell)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        h, w = self.values.shape
        return QSize(w * self.cell + 1, h * self.cell + 1)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return self.sizeHint()

    # ------------------------------------------------------------------ painting

    def _paint_base(self, p: QPainter, r0: int, r1: int, c0: int, c1: int) -> None:
        """Colours, grid lines, the padding border and the numbers of rows r0..r1, columns c0..c1."""
        h, w = self.values.shape
        c = self.cell
        p.drawImage(QRect(0, 0, w * c, h * c), self._image)
        if c >= 6:
            p.setPen(QPen(QColor(150, 150, 150), 1))
            lines = [QLine(c0 * c, r * c, c1 * c, r * c) for r in range(r0, r1 + 1)]
            lines += [QLine(col * c, r0 * c, col * c, r1 * c) for col in range(c0, c1 + 1)]
            p.drawLines(lines)
        if self.border is not None and any(self.border):
            top, bottom, left, right = self.border
            tint = QColor(70, 130, 220, 90)  # the zero padding, told apart from black pixels
            p.fillRect(QRect(0, 0, w * c, top * c), tint)
            p.fillRect(QRect(0, (h - bottom) * c, w * c, bottom * c), tint)
            p.fillRect(QRect(0, top * c, left * c, (h - top - bottom) * c), tint)
            p.fillRect(QRect((w - right) * c, top * c, right * c, (h - top - bottom) * c), tint)
            p.setPen(QPen(QColor(70, 130, 220), 1, Qt.PenStyle.DashLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(QRect(left * c, top * c, (w - left - right) * c, (h - top - bottom) * c))
        if c >= TEXT_CELL:
            self._paint_numbers(p, r0, r1, c0, c1, h, w)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        h, w = self.values.shape
        c = self.cell
        p = QPainter(self)
        if w * c * h * c <= CACHE_PIXELS:  # small enough: draw once into a pixmap, then blit
            if self._base is None or self._base.size() != QSize(w * c + 1, h * c + 1):
                self._base = QPixmap(w * c + 1, h * c + 1)
                self._base.fill(self.palette().color(self.backgroundRole()))
                bp = QPainter(self._base)
                self._paint_base(bp, 0, h, 0, w)
                bp.end()
            p.drawPixmap(event.rect(), self._base, event.rect())
        else:  # a large zoomed image: only the exposed cells
            exposed = event.rect()
            self._paint_base(
                p,
                max(0, exposed.top() // c),
                min(h, exposed.bottom() // c + 1),
                max(0, exposed.left() // c),
                min(w, exposed.right() // c + 1),
            )
        if self.filled is not None and self.filled < h * w:
            blank = self.palette().color(self.backgroundRole())
            first_row, first_col = divmod(max(0, self.filled), w)
            p.fillRect(QRect(first_col * c + 1, first_row * c + 1, (w - first_col) * c - 1, c - 1), blank)
            p.fillRect(QRect(1, (first_row + 1) * c + 1, w * c - 1, (h - first_row - 1) * c - 1), blank)
        for cells, colour in ((self.marks, self.mark_colour), (self.highlight, self.highlight_colour)):
            if cells:
                p.setPen(QPen(colour, max(1, c // (8 if colour is self.highlight_colour else 12))))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRects([self.cell_rect(r, col).adjusted(1, 1, -1, -1) for r, col in cells])
        p.end()

    def _paint_numbers(self, p: QPainter, r0: int, r1: int, c0: int, c1: int, h: int, w: int) -> None:
        font = QFont(self.font())
        font.setPixelSize(max(7, min(14, self.cell // 3)))
        p.setFont(font)
        white, black = QColor(255, 255, 255), QColor(20, 20, 20)
        digits = 1 if self.cell < 30 else (min(2, self.digits) if self.cell < 44 else self.digits)
        for r in range(r0, r1):
            for col in range(c0, c1):
                p.setPen(white if self._text_colours[r, col] else black)
                p.drawText(
                    self.cell_rect(r, col),
                    Qt.AlignmentFlag.AlignCenter,
                    format_number(self.values[r, col], digits),
                )

    # ------------------------------------------------------------------ input

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        pos = event.position().toPoint()
        r, col = pos.y() // self.cell, pos.x() // self.cell
        if 0 <= r < self.values.shape[0] and 0 <= col < self.values.shape[1]:
            self.cellClicked.emit(r, col)
        super().mousePressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt API
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            step = 1 if event.angleDelta().y() > 0 else -1
            self.set_cell_size(self.cell + step * max(1, self.cell // 6))
            self.zoomed.emit()
            event.accept()
            return
        super().wheelEvent(event)


class GridView(QScrollArea):
    """A :class:`PixelGrid` in a scroll area (Ctrl+wheel zooms), with ``ensure_cell_visible``."""

    def __init__(
        self, parent: QWidget | None = None, cell: int = 18, auto_fit: bool = False, max_cell: int = 40
    ) -> None:
        super().__init__(parent)
        self.grid = PixelGrid(self, cell)
        self.setWidget(self.grid)
        self.setWidgetResizable(False)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(48, 48)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.auto_fit = auto_fit  # follow the view's size until the user zooms (Ctrl+wheel)
        self.max_cell = max_cell
        self.grid.zoomed.connect(self._user_zoomed)

    def _user_zoomed(self) -> None:
        self.auto_fit = False

    def set_values(self, values: np.ndarray, pixels: bool | None = None, digits: int | None = None) -> None:
        """The grid's :meth:`PixelGrid.set_values`, refitted when following the view's size."""
        shape = self.grid.values.shape
        self.grid.set_values(values, pixels, digits)
        if self.auto_fit and shape != self.grid.values.shape:
            self.fit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if self.auto_fit:
            self.fit()

    def ensure_cell_visible(self, row: int, col: int) -> None:
        """Scroll so that cell ``(row, col)`` is on screen (the kernel follows playback)."""
        r = self.grid.cell_rect(row, col)
        centre: QPoint = r.center()
        self.ensureVisible(centre.x(), centre.y(), r.width() * 2, r.height() * 2)

    def fit(self) -> None:
        """Pick the cell size that shows the whole grid in the visible area (at least 2 px)."""
        h, w = self.grid.values.shape
        vp = self.viewport().size()
        size = min((vp.width() - 4) // max(1, w), (vp.height() - 4) // max(1, h))
        self.grid.set_cell_size(max(MIN_CELL, min(self.max_cell, size)))
