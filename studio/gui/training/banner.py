"""A non-modal message strip across the top of a page (failures, hints) with a close button.

Used instead of dialogs for run failures: the message says what happened and what to do,
and the user can keep working while it is shown.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from studio.gui.common.theme import colors


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
        self.close_button.setToolTip(self.tr("Dismiss"))
        self.close_button.clicked.connect(self.hide)
        self.action_button = QPushButton(self)
        self.action_button.setObjectName(f"{object_name}Action")
        self.action_button.hide()
        self.action_button.clicked.connect(self._act)
        self._action: Callable[[], object] | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.level = "info"
        self.hide()

    def show_message(
        self, text: str, level: str = "error", action: tuple[str, Callable[[], object]] | None = None
    ) -> None:
        """Show ``text``; ``level`` is ``error``, ``warning`` or ``info`` (its colours).

        ``action``: ``(label, callback)`` for one button (it also closes the banner).
        """
        self.level = level
        self._action = action[1] if action else None
        self.action_button.setText(action[0] if action else "")
        self.action_button.setVisible(action is not None)
        c = colors(self.palette())
        if level == "error":
            bg, fg = c.error_bg, c.error_fg
        elif level == "warning":
            bg, fg = c.groups["Normalization"], self.palette().color(self.foregroundRole())
        else:
            bg, fg = c.groups["Convolution"], self.palette().color(self.foregroundRole())
        self.setStyleSheet(
            f"#{self.objectName()} {{ background: {bg.name()}; border-radius: 4px; }}"
            f"#{self.objectName()} QLabel {{ color: {fg.name()}; }}"
        )
        self.label.setText(text)
        self.show()

    @property
    def text(self) -> str:
        """The message shown (empty when hidden)."""
        return "" if self.isHidden() else self.label.text()

    def _act(self) -> None:
        callback = self._action
        self.hide()
        if callback is not None:
            callback()
