"""A message bar across the top of the window: non-modal news with a few buttons.

Used for things the user should see but that must not block start-up (a project that
could not be opened, a recovery copy to restore). Tests can read and click it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from studio.gui.common.theme import colors, is_dark


class InfoBar(QFrame):
    """Hidden until :meth:`show_message`; ``kind`` is ``"info"`` or ``"error"``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("infoBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.label = QLabel()
        self.label.setObjectName("infoBarText")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.label, 1)
        self._buttons: list[QPushButton] = []
        self._layout = layout
        close = QToolButton()
        close.setText("✕")
        close.setToolTip(self.tr("Dismiss"))
        close.setAutoRaise(True)
        close.clicked.connect(self.hide)
        self._close = close
        layout.addWidget(close)
        self.hide()

    def show_message(
        self,
        text: str,
        kind: str = "info",
        actions: list[tuple[str, Callable[[], object]] | tuple[str, Callable[[], object], str]] | None = None,
    ) -> None:
        """Show ``text`` with buttons ``(label, callback[, name])``; each button also closes the bar.

        ``name`` (English, stable across languages) makes the button's objectName ``infoBar_<name>``;
        without it the label is used.
        """
        for b in self._buttons:
            b.deleteLater()
        self._buttons = []
        self.label.setText(text)
        pal = self.palette()
        c = colors(pal)
        if kind == "error":
            bg, fg = c.error_bg, c.error_fg
        else:
            base = QColor(pal.color(QPalette.ColorRole.Highlight))
            bg = base.darker(260) if is_dark(pal) else base.lighter(185)
            fg = pal.color(QPalette.ColorRole.WindowText)
        pal.setColor(QPalette.ColorRole.Window, bg)
        pal.setColor(QPalette.ColorRole.WindowText, fg)
        self.setPalette(pal)
        for label, callback, *named in actions or []:
            button = QPushButton(label)
            button.setObjectName(f"infoBar_{(named[0] if named else label).replace(' ', '')}")
            button.clicked.connect(lambda _=False, cb=callback: (self.hide(), cb()))
            self._layout.insertWidget(self._layout.count() - 1, button)
            self._buttons.append(button)
        self.show()

    def buttons(self) -> list[QPushButton]:
        """The action buttons now shown (for tests and keyboard users)."""
        return list(self._buttons)
