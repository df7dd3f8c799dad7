"""The list of a project's runs: status, best accuracy, epochs; resume and fork buttons.

Rows come from :func:`studio.core.runs.history.run_rows` (the run folders are the truth; the
list re-reads them on :meth:`RunList.refresh`). Selecting several runs asks the page to
overlay their curves; "Resume" continues an interrupted run; "Fork from checkpoint..." starts a
new run from one of a run's saved epochs.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.core.runs.history import RunRow, run_label, run_rows
from studio.core.training.progress import format_accuracy

STATUS_COLOURS = {"completed": "#009E73", "stopped": "#E69F00", "failed": "#D55E00",
                  "interrupted": "#0072B2", "running": "#0072B2",
                  "paused": "#E69F00"}
PATH_ROLE = Qt.ItemDataRole.UserRole


class RunList(QWidget):
    """The runs folder of the open project as a multi-selectable list."""

    #: the selected run folders changed (overlay their curves)
    selectionChanged = Signal(list)
    #: resume this run folder
    resumeRequested = Signal(Path)
    #: fork from this run folder (the page asks which epoch)
    forkRequested = Signal(Path)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.base: Path | None = None
        self.rows: list[RunRow] = []
        self.running: Path | None = None
        self.paused = False
        self.colours: dict[Path, str] = {}
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("runList")
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels(["Run", "Status", "Best val", "Epochs"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemSelectionChanged.connect(self._selection_changed)

        self.resumeButton = QPushButton("Resume", self)
        self.resumeButton.setObjectName("resumeRunButton")
        self.resumeButton.setToolTip("Continue the selected interrupted or stopped run from its last checkpoint.")
        self.forkButton = QPushButton("Fork from checkpoint…", self)
        self.forkButton.setObjectName("forkButton")
        self.forkButton.setToolTip("Start a new run from a saved epoch of the selected run, with changed settings.")
        self.resumeButton.clicked.connect(self._resume_clicked)
        self.forkButton.clicked.connect(self._fork_clicked)

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.resumeButton)
        buttons.addWidget(self.forkButton)
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

    def refresh(self) -> None:
        """Re-read the run folders, keeping the selection."""
        selected = set(self.selected_paths())
        self.rows = run_rows(self.base) if self.base else []
        self.tree.blockSignals(True)
        try:
            self.tree.clear()
            for row in self.rows:
                live = "paused" if self.paused else "running"
                status = live if self.running and row.path == self.running else row.status
                item = QTreeWidgetItem([run_label(row.name), status, format_accuracy(row.best_val_acc),
                                        row.epochs_text])
                item.setData(0, PATH_ROLE, str(row.path))
                if row.path in self.colours:
                    item.setForeground(0, QBrush(QColor(self.colours[row.path])))
                item.setForeground(1, QBrush(QColor(STATUS_COLOURS.get(status, "#888888"))))
                tip = f"{row.name}\n{row.path}\n{status}"
                if row.test_acc is not None:
                    tip += f" · test accuracy {format_accuracy(row.test_acc)}"
                if row.message:
                    tip += f"\n{row.message}"
                for column in range(4):
                    item.setToolTip(column, tip)
                self.tree.addTopLevelItem(item)
                if row.path in selected:
                    item.setSelected(True)
        finally:
            self.tree.blockSignals(False)
        self._update_buttons()
        if set(self.selected_paths()) != selected:
            self.selectionChanged.emit(self.selected_paths())

    def set_colours(self, colours: dict[Path, str]) -> None:
        """Colour run names like their curves on the plots (``{run folder: colour}``)."""
        self.colours = {Path(p): c for p, c in colours.items()}
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            colour = self.colours.get(Path(item.data(0, PATH_ROLE)))
            item.setForeground(0, QBrush(QColor(colour)) if colour else self.tree.palette().text())

    def row_for(self, path: Path) -> RunRow | None:
        """The row of one run folder."""
        for row in self.rows:
            if row.path == Path(path):
                return row
        return None

    def shown_status(self, path: Path) -> str | None:
        """The status the list shows for a run folder ("paused" for the held run in progress)."""
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if Path(item.data(0, PATH_ROLE)) == Path(path):
                return item.text(1)
        return None

    def selected_paths(self) -> list[Path]:
        """The selected run folders, in list order."""
        return [Path(item.data(0, PATH_ROLE)) for item in self.tree.selectedItems()]

    def select(self, paths: list[Path]) -> None:
        """Select these run folders (and nothing else)."""
        wanted = {Path(p) for p in paths}
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
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
