"""Help > About and Help > Keyboard shortcuts.

The shortcut list is generated from the window's own actions (so it can never drift from
what the keys really do), plus the few keys that widgets handle themselves.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio import __version__
from studio.core.base.paths import log_dir

#: keys that widgets handle themselves (English; translated when shown, context "Help")
WIDGET_KEYS: tuple[tuple[str, str], ...] = (
    (
        QT_TRANSLATE_NOOP("Help", "Enter / double-click"),
        QT_TRANSLATE_NOOP("Help", "Layer palette: add the block after the selected layer"),
    ),
    (
        QT_TRANSLATE_NOOP("Help", "Drag a block"),
        QT_TRANSLATE_NOOP("Help", "Layer palette: drop it between two layers of the stack"),
    ),
    (
        QT_TRANSLATE_NOOP("Help", "Drag layers"),
        QT_TRANSLATE_NOOP("Help", "Layer stack: reorder (several at once with Ctrl/Shift-click)"),
    ),
    ("Ctrl+F", QT_TRANSLATE_NOOP("Help", "Design page: search the layer palette")),
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("Help", text)


def about_text() -> str:
    """Version information (torch's version only if it is already loaded)."""
    torch = sys.modules.get("torch")
    torch_line = f"PyTorch {torch.__version__}<br>" if torch is not None else ""
    guide = guide_path()
    guide_word = QCoreApplication.translate("Help", "Guide:")
    guide_line = f"<p>{guide_word} <a href='{guide.as_uri()}'>{guide}</a></p>" if guide.is_file() else ""
    blurb = QCoreApplication.translate(
        "Help",
        "Design convolutional networks as a stack of blocks, browse datasets, "
        "train with live plots, fine-tune pretrained models and export them — by "
        "clicking.",
    )
    return (
        f"<h3>CNN Studio {__version__}</h3>"
        f"<p>{blurb}</p>"
        + guide_line
        + f"<p>{torch_line}PySide6 {pyside_version}<br>Python {sys.version.split()[0]}</p>"
    )


def guide_path() -> Path:
    """docs/guide.md of this installation (a source checkout or the bundle's copy)."""
    return Path(__file__).resolve().parents[3] / "docs" / "guide.md"


def open_guide(parent: QWidget) -> bool:
    """Help > User Guide: the click-by-click guide in the system's viewer for Markdown files."""
    path = guide_path()
    if path.is_file() and QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        return True
    where = (
        str(path)
        if path.is_file()
        else QCoreApplication.translate("Help", "docs/guide.md in the CNN Studio sources")
    )
    QMessageBox.information(
        parent,
        QCoreApplication.translate("Help", "User Guide"),
        QCoreApplication.translate("Help", "The guide is {where}.").format(where=where),
    )
    return False


def open_log_folder(parent: QWidget) -> bool:
    """Help > Open Log Folder: show the folder of ``cnn-studio.log`` in the file manager.

    The folder is created if needed, so that the action always has something to show; if no
    file manager can be started, a message gives the folder's path instead.
    """
    folder = log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass  # the message below still names it
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
        return True
    QMessageBox.information(
        parent,
        QCoreApplication.translate("Help", "Log folder"),
        QCoreApplication.translate("Help", "The log is in {folder}").format(folder=folder),
    )
    return False


def show_about(parent: QWidget) -> None:
    """Help > About."""
    QMessageBox.about(parent, QCoreApplication.translate("Help", "About CNN Studio"), about_text())


def shortcut_rows(actions: list[QAction]) -> list[tuple[str, str]]:
    """(keys, what) for every action with a shortcut, then the widget keys."""
    rows = []
    for action in actions:
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
        keys = [k for k in keys if k]
        if keys:
            text = action.text().replace("&", "").rstrip(".…")
            text = re.sub(r"\s*\([^)]*\)$", "", text)  # a translated mnemonic "(&F)" leaves "(F)"
            rows.append((QCoreApplication.translate("Help", " or ").join(keys), text))
    return rows + [(_tr(keys), _tr(what)) for keys, what in WIDGET_KEYS]


class ShortcutsDialog(QDialog):
    """A table of keyboard shortcuts."""

    def __init__(self, actions: list[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.resize(560, 520)
        layout = QVBoxLayout(self)
        rows = shortcut_rows(actions)
        table = QTableWidget(len(rows), 2)
        table.setObjectName("shortcutsTable")
        table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("Does")])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, (keys, what) in enumerate(rows):
            table.setItem(r, 0, QTableWidgetItem(keys))
            table.setItem(r, 1, QTableWidgetItem(what))
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(table)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
