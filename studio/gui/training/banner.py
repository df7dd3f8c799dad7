"""A non-modal message strip across the top of a page (failures, hints) with a close button.

Used instead of dialogs for run failures: the message says what happened and what to do,
and the user can keep working while it is shown.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from studio.gui.theme import colors


class Banner(QFrame):
    """A dismissable, word-wrapped message; hidden until :meth:`show_message`."""

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = QLabel(self)
        self.label.setObjectName(f"{object_name}Text")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip("Dismiss")
        self.close_button.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.level = "info"
        self.hide()

    def show_message(self, text: str, level: str = "error") -> None:
        """Show ``text``; ``level`` is ``error``, ``warning`` or ``info`` (its colours)."""
        self.level = level
        c = colors(self.palette())
        if level == "error":
            bg, fg = c.error_bg, c.error_fg
        elif level == "warning":
            bg, fg = c.groups["Normalization"], self.palette().color(self.foregroundRole())
        else:
            bg, fg = c.groups["Convolution"], self.palette().color(self.foregroundRole())
        self.setStyleSheet(f"#{self.objectName()} {{ background: {bg.name()}; border-radius: 4px; }}"
                           f"#{self.objectName()} QLabel {{ color: {fg.name()}; }}")
        self.label.setText(text)
        self.show()

    @property
    def text(self) -> str:
        """The message shown (empty when hidden)."""
        return "" if self.isHidden() else self.label.text()
