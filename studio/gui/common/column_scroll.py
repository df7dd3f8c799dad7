"""A vertically scrolling column that never clips its content at the right edge."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize
from PySide6.QtWidgets import QScrollArea


class ColumnScroll(QScrollArea):
    """A vertically scrolling column that is always as wide as its content needs.

    Its minimum width follows the content's minimum width (re-read whenever the content's
    layout changes, e.g. when a settings row appears) plus room for the vertical scroll bar,
    so nothing is ever clipped at the right edge.
    """

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """The content's minimum width plus the frame and a vertical scroll bar."""
        hint = super().minimumSizeHint()
        content = self.widget()
        if content is None:
            return hint
        extra = 2 * self.frameWidth() + self.verticalScrollBar().sizeHint().width()
        return QSize(content.minimumSizeHint().width() + extra, hint.height())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        """Re-read the width when the content's layout changes."""
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)
