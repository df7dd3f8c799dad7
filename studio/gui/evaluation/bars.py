"""Horizontal probability bars: one row per class, best first (the predict panel's top-k)."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

ROW_GAP = 6


class TopKBars(QWidget):
    """Paints ``(class name, probability)`` pairs as labelled bars; :attr:`items` holds them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("topKBars")
        self.items: list[tuple[str, float]] = []
        self.placeholder = self.tr("Open or drop images to classify them.")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumHeight(60)

    def set_items(self, items: list[tuple[str, float]]) -> None:
        """Show these classes and probabilities (0..1), in the given order."""
        self.items = [(str(n), float(p)) for n, p in items]
        self.updateGeometry()
        self.update()

    def _row_height(self) -> int:
        return self.fontMetrics().height() + 10

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """Room for every row."""
        rows = max(1, len(self.items))
        return QSize(320, rows * (self._row_height() + ROW_GAP) + ROW_GAP)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """At least one row."""
        return QSize(200, self._row_height() + 2 * ROW_GAP)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        """Name on the left, bar in the middle, percentage on the right."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.WindowText)
        if not self.items:
            painter.setPen(pal.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(
                self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.placeholder
            )
            return
        fm = QFontMetrics(self.font())
        h = self._row_height()
        name_w = min(max(fm.horizontalAdvance(n) for n, _ in self.items) + 12, int(self.width() * 0.38))
        pct_w = fm.horizontalAdvance("100.0%") + 10
        bar_w = max(20, self.width() - name_w - pct_w - 8)
        accent = pal.color(QPalette.ColorRole.Highlight)
        track = QColor(pal.color(QPalette.ColorRole.Mid))
        track.setAlpha(60)
        y = ROW_GAP
        for i, (name, p) in enumerate(self.items):
            painter.setPen(text)
            painter.drawText(
                QRect(0, y, name_w - 8, h),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                fm.elidedText(name, Qt.TextElideMode.ElideRight, name_w - 8),
            )
            bar = QRect(name_w, y + 3, bar_w, h - 6)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(track)
            painter.drawRoundedRect(bar, 3, 3)
            colour = QColor(accent) if i == 0 else QColor(accent).lighter(135)
            painter.setBrush(colour)
            filled = QRect(
                bar.left(), bar.top(), max(2, int(bar.width() * max(0.0, min(1.0, p)))), bar.height()
            )
            painter.drawRoundedRect(filled, 3, 3)
            painter.setPen(text)
            painter.drawText(
                QRect(name_w + bar_w + 6, y, pct_w, h),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                f"{100.0 * p:.1f}%",
            )
            y += h + ROW_GAP
