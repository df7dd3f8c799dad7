"""The list of a project's runs: status, best accuracy, epochs; resume and fork buttons.

Rows come from :func:`studio.core.runs.history.run_rows` (the run folders are the truth; the
list re-reads them on :meth:`RunList.refresh`, which the page calls when a run starts or ends,
never per epoch: the running row follows the epoch events, :meth:`RunList.update_running`).
A run shows its readable name (double-click to rename it) and its note in the tooltip
("Note…" in the context menu); both live in the run's ``run-info.json``. Selecting several runs asks the page to
overlay their curves; "Resume" continues an interrupted run; "Fork from checkpoint..." starts a
new run from one of a run's saved epochs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QMenu,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.core.base.errors import UserError
from studio.core.runs.compare import differing_keys, format_seconds, format_setting, short_key
from studio.core.runs.history import RunRow, row_after_epoch, run_rows
from studio.core.runs.project_runs import set_run_info
from studio.core.training.progress import format_accuracy

STATUS_COLOURS = {
    "completed": "#009E73",
    "stopped": "#E69F00",
    "failed": "#D55E00",
    "interrupted": "#0072B2",
    "running": "#0072B2",
    "paused": "#E69F00",
}
#: the Status column's words (translated when shown; the colours and tests use the keys)
STATUS_WORDS = {
    "completed": QT_TRANSLATE_NOOP("RunList", "completed"),
    "stopped": QT_TRANSLATE_NOOP("RunList", "stopped"),
    "failed": QT_TRANSLATE_NOOP("RunList", "failed"),
    "interrupted": QT_TRANSLATE_NOOP("RunList", "interrupted"),
    "running": QT_TRANSLATE_NOOP("RunList", "running"),
    "paused": QT_TRANSLATE_NOOP("RunList", "paused"),
}


def status_word(status: str) -> str:
    """A run status (``completed``, ...) in the window's language; an unknown one as it is."""
    return QCoreApplication.translate("RunList", STATUS_WORDS[status]) if status in STATUS_WORDS else status


PATH_ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2
#: the fixed columns; one more follows for each setting that differs between the listed runs
FIXED_COLUMNS = 6


#: the widest the Run column grows to fit its names (px); longer names scroll or show in the tooltip
NAME_WIDTH_MAX = 360


class _RunItem(QTreeWidgetItem):
    """A row that sorts numbers as numbers (accuracy, epochs, time) and missing values last."""

    def __lt__(self, other: QTreeWidgetItem) -> bool:
        tree = self.treeWidget()
        column = tree.sortColumn() if tree is not None else 0
        a, b = self.data(column, SORT_ROLE), other.data(column, SORT_ROLE)
        if isinstance(a, (int, float)) and isinstance(b, (int, float)):
            return float(a) < float(b)
        if isinstance(a, (int, float)) != isinstance(b, (int, float)):
            return isinstance(a, (int, float))
        return self.text(column).lower() < other.text(column).lower()


class RunList(QWidget):
    """The runs folder of the open project as a multi-selectable list."""

    #: the selected run folders changed (overlay their curves)
    selectionChanged = Signal(list)
    #: resume this run folder
    resumeRequested = Signal(Path)
    #: fork from this run folder (the page asks which epoch)
    forkRequested = Signal(Path)
    #: compare these run folders side by side
    compareRequested = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.base: Path | None = None
        self.rows: list[RunRow] = []
        self.running: Path | None = None
        self.paused = False
        self.colours: dict[Path, str] = {}
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("runList")
        self.setting_keys: list[str] = []
        self.tree.setColumnCount(FIXED_COLUMNS)
        self.tree.setHeaderLabels(self._fixed_headers())
        self.tree.setSortingEnabled(True)
        self.tree.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # newest first until the user sorts
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # the name keeps a readable width and the other columns fit their contents; with many
        # differing settings the table scrolls sideways instead of squeezing the names
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 150)  # until there are runs (then _fit_names)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        self.tree.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.tree.itemChanged.connect(self._item_renamed)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)

        self.resumeButton = QPushButton(self.tr("Resume"), self)
        self.resumeButton.setObjectName("resumeRunButton")
        self.resumeButton.setToolTip(
            self.tr("Continue the selected interrupted or stopped run from its last checkpoint.")
        )
        self.forkButton = QPushButton(self.tr("Fork from checkpoint…"), self)
        self.forkButton.setObjectName("forkButton")
        self.forkButton.setToolTip(
            self.tr("Start a new run from a saved epoch of the selected run, with changed settings.")
        )
        self.resumeButton.clicked.connect(self._resume_clicked)
        self.forkButton.clicked.connect(self._fork_clicked)

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.resumeButton)
        buttons.addWidget(self.forkButton)
        self.compareButton = QPushButton(self.tr("Compare…"), self)
        self.compareButton.setObjectName("compareRunsButton")
        self.compareButton.setToolTip(
            self.tr(
                "Compare the selected runs side by side: their differing settings, "
                "curves and confusion matrices (select two or more)"
            )
        )
        self.compareButton.clicked.connect(lambda: self.compareRequested.emit(self.selected_paths()))
        buttons.addWidget(self.compareButton)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        self._update_buttons()

    # ------------------------------------------------------------------ data

    def set_base(self, base: Path) -> None:
        """Show the runs under ``base``."""
        self.base = Path(base)
        self.refresh()

    def set_running(self, run_dir: Path | None) -> None:
        """Mark the run in progress (it cannot be resumed or forked while it runs)."""
        self.running = Path(run_dir) if run_dir else None
        self.paused = False
        self.refresh()

    def set_paused(self, paused: bool) -> None:
        """The run in progress is held ("paused") or going again ("running")."""
        if paused != self.paused:
            self.paused = paused
            self.refresh()

    def _fixed_headers(self) -> list[str]:
        return [
            self.tr("Run"),
            self.tr("Status"),
            self.tr("Best val"),
            self.tr("Test"),
            self.tr("Epochs"),
            self.tr("Time"),
        ]

    def _fit_names(self) -> None:
        """The Run column as wide as its longest name (150 to 360 px): a project's name and the
        start time ("Sample clothing 2026-12-03 17:04") must not be cut; the table scrolls
        sideways for the setting columns instead. The user may still drag the column."""
        names = self.tree.sizeHintForColumn(0) + 12  # a little room beside the text
        self.tree.header().resizeSection(0, max(150, min(NAME_WIDTH_MAX, names)))

    def refresh(self) -> None:
        """Re-read the run folders, keeping the selection; one column per setting that differs."""
        selected = set(self.selected_paths())
        self.rows = run_rows(self.base) if self.base else []
        self.setting_keys = differing_keys(row.settings for row in self.rows)
        self.tree.blockSignals(True)
        sorting = self.tree.isSortingEnabled()
        self.tree.setSortingEnabled(False)
        try:
            self.tree.clear()
            self.tree.setColumnCount(FIXED_COLUMNS + len(self.setting_keys))
            self.tree.setHeaderLabels(self._fixed_headers() + [short_key(k) for k in self.setting_keys])
            header_item = self.tree.headerItem()
            for i, key in enumerate(self.setting_keys):
                header_item.setToolTip(FIXED_COLUMNS + i, key)
            for row in self.rows:
                live = "paused" if self.paused else "running"
                status = live if self.running and row.path == self.running else row.status
                word = status_word(status)
                values = [
                    row.display or row.name,
                    word,
                    format_accuracy(row.best_val_acc),
                    format_accuracy(row.test_acc),
                    row.epochs_text,
                    format_seconds(row.seconds),
                ]
                values += [format_setting(row.settings.get(k)) for k in self.setting_keys]
                item = _RunItem(values)
                # the Run column sorts by start time (newest first is the default order)
                sort_values: list[Any] = [
                    row.started or row.name,
                    None,
                    row.best_val_acc,
                    row.test_acc,
                    row.epochs_done,
                    row.seconds,
                ]
                sort_values += [row.settings.get(k) for k in self.setting_keys]
                for column, value in enumerate(sort_values):
                    if value is not None:
                        item.setData(column, SORT_ROLE, value)
                item.setData(0, PATH_ROLE, str(row.path))
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
                if row.path in self.colours:
                    item.setForeground(0, QBrush(QColor(self.colours[row.path])))
                item.setData(1, STATUS_ROLE, status)
                item.setForeground(1, QBrush(QColor(STATUS_COLOURS.get(status, "#888888"))))
                tip = f"{row.display or row.name}\n{row.path}\n{word}"
                if row.test_acc is not None:
                    tip += " · " + self.tr("test accuracy {accuracy}").format(
                        accuracy=format_accuracy(row.test_acc)
                    )
                if row.message:
                    tip += f"\n{row.message}"
                if row.note:
                    tip += "\n" + self.tr("Run note: {note}").format(note=row.note)
                for column in range(FIXED_COLUMNS):
                    item.setToolTip(column, tip)
                self.tree.addTopLevelItem(item)
                if row.path in selected:
                    item.setSelected(True)
        finally:
            self.tree.setSortingEnabled(sorting)
            self.tree.blockSignals(False)
        self._fit_names()
        self._update_buttons()
        if set(self.selected_paths()) != selected:
            self.selectionChanged.emit(self.selected_paths())

    def update_running(self, event: dict[str, Any]) -> bool:
        """The running run finished an epoch: update its row from ``event`` (no disk read).

        Returns False when the running run has no row yet (its folder is listed at its start).
        """
        if self.running is None:
            return False
        for index, row in enumerate(self.rows):
            if row.path == self.running:
                new = row_after_epoch(row, event)
                self.rows[index] = new
                item = self._item(row.path)
                if item is not None:
                    self.tree.blockSignals(True)
                    item.setText(2, format_accuracy(new.best_val_acc))
                    item.setText(4, new.epochs_text)
                    item.setText(5, format_seconds(new.seconds))
                    self.tree.blockSignals(False)
                return True
        return False

    def _items(self) -> list[QTreeWidgetItem]:
        """The list's rows, top to bottom."""
        items = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [item for item in items if item is not None]

    def _item(self, path: Path) -> QTreeWidgetItem | None:
        for item in self._items():
            if Path(item.data(0, PATH_ROLE)) == Path(path):
                return item
        return None

    def rename(self, path: Path, name: str) -> bool:
        """Give a run a new display name (its folder keeps its name); False when refused."""
        try:
            set_run_info(path, name=name)
        except (UserError, OSError) as exc:
            QMessageBox.warning(self, self.tr("Cannot rename the run"), str(exc))
            self.refresh()
            return False
        self.refresh()
        return True

    def set_note(self, path: Path, note: str) -> bool:
        """Change a run's note; False when it could not be written."""
        try:
            set_run_info(path, note=note)
        except (UserError, OSError) as exc:
            QMessageBox.warning(self, self.tr("Cannot save the note"), str(exc))
            return False
        self.refresh()
        return True

    def _item_renamed(self, item: QTreeWidgetItem, column: int) -> None:
        if column != 0:
            return
        path = Path(item.data(0, PATH_ROLE))
        row = self.row_for(path)
        if row is not None and item.text(0) != (row.display or row.name):
            self.rename(path, item.text(0))

    def _context_menu(self, pos: Any) -> None:
        item = self.tree.itemAt(pos)
        if item is None:
            return
        path = Path(item.data(0, PATH_ROLE))
        menu = QMenu(self)
        menu.addAction(self.tr("Rename"), lambda: self.tree.editItem(item, 0))
        menu.addAction(self.tr("Note…"), lambda: self._edit_note(path))
        menu.exec(self.tree.viewport().mapToGlobal(pos))

    def _edit_note(self, path: Path) -> None:
        row = self.row_for(path)
        text, ok = QInputDialog.getMultiLineText(
            self,
            QCoreApplication.translate("RunList", "Run note"),
            QCoreApplication.translate("RunList", "A note for this run:"),
            row.note if row else "",
        )
        if ok:
            self.set_note(path, text)

    def set_colours(self, colours: dict[Path, str]) -> None:
        """Colour run names like their curves on the plots (``{run folder: colour}``)."""
        self.colours = {Path(p): c for p, c in colours.items()}
        for item in self._items():
            colour = self.colours.get(Path(item.data(0, PATH_ROLE)))
            item.setForeground(0, QBrush(QColor(colour)) if colour else self.tree.palette().text())

    def row_for(self, path: Path) -> RunRow | None:
        """The row of one run folder."""
        for row in self.rows:
            if row.path == Path(path):
                return row
        return None

    def shown_status(self, path: Path) -> str | None:
        """The status the list shows for a run folder ("paused" for the held run in progress).

        The status key, whatever the language the list shows it in.
        """
        item = self._item(path)
        return item.data(1, STATUS_ROLE) if item is not None else None

    def selected_paths(self) -> list[Path]:
        """The selected run folders, in list order."""
        return [Path(item.data(0, PATH_ROLE)) for item in self.tree.selectedItems()]

    def select(self, paths: list[Path]) -> None:
        """Select these run folders (and nothing else)."""
        wanted = {Path(p) for p in paths}
        for item in self._items():
            item.setSelected(Path(item.data(0, PATH_ROLE)) in wanted)

    # ------------------------------------------------------------------ actions

    def _current(self) -> RunRow | None:
        paths = self.selected_paths()
        return self.row_for(paths[0]) if len(paths) == 1 else None

    def _update_buttons(self) -> None:
        row = self._current()
        idle = self.running is None
        self.resumeButton.setEnabled(bool(idle and row and row.resumable))
        self.forkButton.setEnabled(bool(idle and row and (row.checkpoints or row.has_last)))
        self.compareButton.setEnabled(len(self.selected_paths()) >= 2)

    def _selection_changed(self) -> None:
        self._update_buttons()
        self.selectionChanged.emit(self.selected_paths())

    def _resume_clicked(self) -> None:
        row = self._current()
        if row is not None and row.resumable:
            self.resumeRequested.emit(row.path)

    def _fork_clicked(self) -> None:
        row = self._current()
        if row is not None:
            self.forkRequested.emit(row.path)
