"""The health report on the Data page: what ``check-data`` finds, and a way to set bad files aside.

"Check data" runs :func:`studio.core.health.scan_health` on a worker thread with a progress
bar and Cancel. The findings appear as a tree — unreadable files, exact duplicates, mixed
image modes, tiny images, classes with too few images — with a check box on each file that
can be moved. "Move to quarantine" moves the checked files into ``_quarantine`` beside the
dataset with :func:`studio.core.health.quarantine` (nothing is ever deleted) and records the
move on the window's undo stack, where Undo puts every file back
(:func:`studio.core.health.restore`).
"""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)

from studio.core.browse import Listing
from studio.core.document import Edit
from studio.core.errors import UserError
from studio.core.project import DataSpec
from studio.gui.datasets.workers import Task, TaskRunner

PathRole = Qt.ItemDataRole.UserRole + 1


class HealthPanel(QWidget):
    """Runs the health scan and shows its findings; moves checked files to quarantine."""

    files_moved = Signal()  # files were moved or restored: the listing must be re-read

    def __init__(self, context: Any, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.runner = runner
        self.task: Task | None = None
        self.report: Any = None
        self.report_json: dict[str, Any] | None = None
        self.scans_finished = 0  # tests wait on it
        self.run_button = QPushButton("Check data")
        self.run_button.setObjectName("healthRun")
        self.run_button.setToolTip("scan every image: unreadable files, duplicates, modes, sizes")
        self.run_button.clicked.connect(self.run_scan)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("healthCancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setObjectName("healthProgress")
        self.progress.setValue(0)
        top = QHBoxLayout()
        top.addWidget(self.run_button)
        top.addWidget(self.progress, 1)
        top.addWidget(self.cancel_button)
        self.summary = QLabel("Check the dataset for unreadable files, duplicates, mixed modes and tiny images.")
        self.summary.setObjectName("healthSummary")
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("healthTree")
        self.tree.setHeaderLabels(["Finding", "Details"])
        self.tree.setColumnWidth(0, 210)
        self.tree.setUniformRowHeights(True)
        self.quarantine_button = QPushButton("Move to quarantine")
        self.quarantine_button.setObjectName("quarantineButton")
        self.quarantine_button.setToolTip("move the checked files into _quarantine beside the dataset "
                                          "(nothing is deleted; Edit > Undo puts them back)")
        self.quarantine_button.setEnabled(False)
        self.quarantine_button.clicked.connect(self.quarantine_checked)
        self.tree.itemChanged.connect(lambda *_: self._update_button())
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.quarantine_button)

    # ------------------------------------------------------------------ inputs from the page

    def set_listing(self, listing: Listing | None) -> None:
        """The page listed the dataset again (nothing to do until the user runs a check)."""
        self._listing = listing

    def source_changed(self, data: DataSpec) -> None:
        """A different dataset: the old report no longer applies."""
        key = (data.source, data.root)
        if getattr(self, "_report_key", None) not in (None, key):
            self._clear("The dataset changed; check it again.")

    # ------------------------------------------------------------------ scanning

    def run_scan(self) -> Task | None:
        """Scan the project's dataset on a worker thread."""
        if self.task is not None:
            return None
        project = self.context.document.project.copy()
        self._report_key = (project.data.source, project.data.root)

        def work(progress: Any, cancelled: Any) -> Any:
            from studio.core.health import scan_health

            def report(*args: Any) -> None:
                progress(*_progress_args(args))

            return scan_health(project, progress=report, cancel=cancelled)

        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, 0)
        self.summary.setText("Checking every image…")
        self.task = self.runner.start(work, on_finished=self._scanned, on_failed=self._failed,
                                      on_progress=self._progress, on_cancelled=self._cancelled)
        return self.task

    def cancel(self) -> None:
        """Stop a running scan."""
        if self.task is not None:
            self.task.cancel()

    def _progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
        if message:
            self.progress.setFormat(f"%p%  {message}" if total > 0 else message)

    def _finish_ui(self) -> None:
        self.task = None
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.progress.setRange(0, 100)
        self.scans_finished += 1

    def _scanned(self, report: Any) -> None:
        self._finish_ui()
        self.progress.setValue(100)
        self.progress.setFormat("done")
        self.show_report(report)

    def _failed(self, message: str) -> None:
        self._finish_ui()
        self.progress.setValue(0)
        self.progress.setFormat("failed")
        self._clear(message, error=True)

    def _cancelled(self) -> None:
        self._finish_ui()
        self.progress.setValue(0)
        self.progress.setFormat("cancelled")
        self._clear("The check was cancelled.")

    # ------------------------------------------------------------------ the report

    def _clear(self, text: str, error: bool = False) -> None:
        self.report, self.report_json = None, None
        self.tree.clear()
        self.summary.setText(text)
        self.summary.setStyleSheet("color: #d9534f;" if error else "")
        self._update_button()

    def show_report(self, report: Any) -> None:
        """Fill the tree from a HealthReport."""
        self.report = report
        data = report.to_json() if hasattr(report, "to_json") else dict(report)
        if isinstance(data, str):
            import json

            data = json.loads(data)
        self.report_json = copy.deepcopy(data)
        self.tree.blockSignals(True)
        self.tree.clear()
        self.summary.setStyleSheet("")
        self.summary.setText(str(data))
        self.tree.blockSignals(False)
        self._update_button()

    def checked_paths(self) -> list[str]:
        """The files whose check box is ticked."""
        out: list[str] = []
        for k in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(k)
            for j in range(top.childCount()):
                child = top.child(j)
                path = child.data(0, PathRole)
                if path and child.checkState(0) == Qt.CheckState.Checked and path not in out:
                    out.append(path)
        return out

    def _update_button(self) -> None:
        self.quarantine_button.setEnabled(bool(self.checked_paths()))

    # ------------------------------------------------------------------ quarantine

    def quarantine_checked(self) -> bool:
        """Move the checked files into ``_quarantine`` as one undoable step."""
        paths = self.checked_paths()
        root = self._dataset_root()
        if not paths or not root:
            return False
        from studio.core.health import quarantine, restore

        try:
            moves = quarantine(paths, root)
        except UserError as exc:
            self.context.show_status(str(exc), 8000)
            return False
        state = {"moves": moves, "first": True}

        def redo() -> None:
            if state["first"]:
                state["first"] = False
            else:
                state["moves"] = quarantine(paths, root)
            self._after_move(f"Moved {len(paths)} file{'s' if len(paths) != 1 else ''} to quarantine.")

        def undo() -> None:
            restore(state["moves"])
            self._after_move(f"Put {len(paths)} file{'s' if len(paths) != 1 else ''} back.")

        self.context.push(Edit(f"Move {len(paths)} file{'s' if len(paths) != 1 else ''} to quarantine",
                               redo, undo))
        return True

    def _dataset_root(self) -> str:
        data = self.context.document.project.data
        return data.root if data.source == "folder" else ""

    def _after_move(self, message: str) -> None:
        self._clear(message + " Check the data again for a fresh report.")
        self.context.show_status(message)
        self.files_moved.emit()


def _progress_args(args: tuple[Any, ...]) -> tuple[int, int, str]:
    """Accept ``(message, fraction)`` or ``(done, total[, message])`` progress calls."""
    if len(args) == 2 and isinstance(args[0], str):
        return int(float(args[1]) * 1000), 1000, args[0]
    done = int(args[0]) if args else 0
    total = int(args[1]) if len(args) > 1 else 0
    message = str(args[2]) if len(args) > 2 else ""
    return done, total, message
