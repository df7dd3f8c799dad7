"""The health report on the Data page: what ``check-data`` finds, and a way to set bad files aside.

"Check data" runs :func:`studio.core.data.health.scan_health` on a worker thread with a progress
bar and Cancel. The findings appear as a tree — unreadable files, exact duplicates, mixed
image modes, tiny images, classes with too few images — with a check box on each file that
can be moved. "Move to quarantine" moves the checked files into ``_quarantine`` beside the
dataset with :func:`studio.core.data.health.quarantine` (nothing is ever deleted) and records the
move on the window's undo stack, where Undo puts every file back
(:func:`studio.core.data.health.restore`).

Below the tree, a line says how much of a folder dataset is already in the decoded-image cache
(:func:`studio.core.data.decode_cache.status_line`) and "Clear cache" deletes that cache
(:func:`studio.core.data.decode_cache.clear_cache`, on a worker thread; the next run rebuilds it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.core.base.errors import UserError
from studio.core.project.document import Edit
from studio.core.project.project_file import DataSpec
from studio.gui.common.i18n import fill
from studio.gui.common.tasks import Task, TaskRunner
from studio.gui.datasets.histogram import split_label

PathRole = Qt.ItemDataRole.UserRole + 1

#: the English intro (what :meth:`HealthPanel._intro` translates; tests compare with it)
INTRO = "Check the dataset for unreadable files, duplicates, mixed modes and tiny images."


class HealthPanel(QWidget):
    """Runs the health scan and shows its findings; moves checked files to quarantine."""

    files_moved = Signal()  # files were moved or restored: the listing must be re-read
    file_selected = Signal(str)  # a file row was clicked: show it in the grid

    def __init__(self, context: Any, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._generation = 0  # bumped when another project opens: older scans report nothing
        self.context = context
        self.runner = runner
        self.task: Task | None = None
        self.report: Any = None
        self.scans_finished = 0  # tests wait on it
        # (tree item, file) for every movable file shown; read instead of item.data(), which
        # in PySide6 6.12 loses a reference to None for items without a path
        self.file_items: list[tuple[QTreeWidgetItem, str]] = []
        self.run_button = QPushButton(self.tr("Check data"))
        self.run_button.setObjectName("healthRun")
        self.run_button.setToolTip(self.tr("scan every image: unreadable files, duplicates, modes, sizes"))
        self.run_button.clicked.connect(self.run_scan)
        self.cancel_button = QPushButton(self.tr("Cancel"))
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
        self.summary = QLabel(self._intro())
        self.summary.setObjectName("healthSummary")
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("healthTree")
        self.tree.setHeaderLabels([self.tr("Finding"), self.tr("Details")])
        self.tree.setColumnWidth(0, 190)
        self.tree.setWordWrap(True)  # reasons are sentences: wrap them rather than cut them
        self.tree.header().setStretchLastSection(True)
        self.quarantine_button = QPushButton(self.tr("Move to quarantine"))
        self.quarantine_button.setObjectName("quarantineButton")
        self.quarantine_button.setToolTip(
            self.tr(
                "move the checked files into _quarantine beside the dataset "
                "(nothing is deleted; Edit > Undo puts them back)"
            )
        )
        self.quarantine_button.setEnabled(False)
        self.quarantine_button.clicked.connect(self.quarantine_checked)
        self.tree.itemChanged.connect(lambda *_: self._update_button())
        self.tree.currentItemChanged.connect(self._item_selected)
        self.cache_label = QLabel("")
        self.cache_label.setObjectName("cacheStatus")
        self.cache_label.setWordWrap(True)
        self.cache_button = QPushButton(self.tr("Clear cache"))
        self.cache_button.setObjectName("clearCache")
        self.cache_button.setToolTip(
            self.tr(
                "delete the images decoded for training and the cached dataset "
                "statistics (the next run decodes the images again)"
            )
        )
        self.cache_button.clicked.connect(self.clear_cache)
        self.caches_cleared = 0  # tests wait on it
        bottom = QHBoxLayout()
        bottom.addWidget(self.quarantine_button)
        bottom.addStretch(1)
        bottom.addWidget(self.cache_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.cache_label)
        layout.addLayout(bottom)

    def _intro(self) -> str:
        """What the panel says before the first check."""
        return self.tr("Check the dataset for unreadable files, duplicates, mixed modes and tiny images.")

    # ------------------------------------------------------------------ inputs from the page

    def source_changed(self, data: DataSpec) -> None:
        """A different dataset: the old report no longer applies."""
        key = (data.source, data.root)
        if getattr(self, "_report_key", None) not in (None, key):
            self._clear(self.tr("The dataset changed; check it again."))

    # ------------------------------------------------------------------ scanning

    def run_scan(self) -> Task | None:
        """Scan the project's dataset on a worker thread."""
        if self.task is not None:
            return None
        project = self.context.document.project.copy()
        self._report_key: tuple[Any, Any] | None = (project.data.source, project.data.root)

        def work(progress: Any, cancelled: Any) -> Any:
            # lazy: pulls in torch; imported in the worker thread, not on the GUI thread
            from studio.core.data.health import scan_health

            # scan_health reports (message, fraction); the runner's as_counts turns it into counts
            report = scan_health(project, progress=progress, cancel=cancelled)
            line = ""
            if project.data.source == "folder":
                # lazy: pulls in torch; imported in the worker thread, not on the GUI thread
                from studio.core.data.decode_cache import status_line

                line = status_line(project.data.root, project.data.channels, project.data.image_size)
            return report, line

        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, 0)
        self.summary.setText(self.tr("Checking every image…"))
        generation = self._generation

        def mine(slot: Any) -> Any:  # a scan of a project since closed reports nothing here
            return lambda *args: slot(*args) if generation == self._generation else None

        self.task = self.runner.start(
            work,
            on_finished=mine(self._scanned),
            on_failed=mine(self._failed),
            on_progress=mine(self._progress),
            on_cancelled=mine(self._cancelled),
        )
        return self.task

    def reset(self) -> None:
        """Another project: cancel its scan and forget its report."""
        self._generation += 1
        if self.task is not None:
            self.task.cancel()
            self.task = None
            self.run_button.setEnabled(True)
            self.cancel_button.setEnabled(False)
            self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.progress.resetFormat()
        self._report_key = None
        self._clear(self._intro())

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

    def _set_outcome(self, outcome: str) -> None:
        """Write how the last scan ended on the progress bar (kept to rewrite it in another language)."""
        self._outcome = outcome
        words = {"done": self.tr("done"), "failed": self.tr("failed"), "cancelled": self.tr("cancelled")}
        self.progress.setFormat(words[outcome])

    def _finish_ui(self) -> None:
        self.task = None
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.progress.setRange(0, 100)
        self.scans_finished += 1

    def _scanned(self, result: tuple[Any, str]) -> None:
        report, cache_line = result
        self._finish_ui()
        self.progress.setValue(100)
        self._set_outcome("done")
        self.show_report(report)
        self.cache_label.setText(cache_line)

    # ------------------------------------------------------------------ the decoded-image cache

    def clear_cache(self) -> Task:
        """Delete the decoded-image cache on a worker thread; the label says how much was freed."""

        def work(progress: Any, cancelled: Any) -> int:
            # lazy: pulls in torch; imported in the worker thread, not on the GUI thread
            from studio.core.data.decode_cache import clear_cache

            return clear_cache()

        def done(freed: int) -> None:
            self.cache_button.setEnabled(True)
            self.cache_label.setText(
                self.tr(
                    "Cleared the decoded-image cache: {0} MB freed; the next run decodes the images again."
                ).format(f"{freed / (1 << 20):,.1f}")
            )
            self.caches_cleared += 1

        def failed(message: str) -> None:
            self.cache_button.setEnabled(True)
            self.cache_label.setText(message)
            self.caches_cleared += 1

        self.cache_button.setEnabled(False)
        return self.runner.start(work, on_finished=done, on_failed=failed)

    def _failed(self, message: str) -> None:
        self._finish_ui()
        self.progress.setValue(0)
        self._set_outcome("failed")
        self._clear(message, error=True)

    def _cancelled(self) -> None:
        self._finish_ui()
        self.progress.setValue(0)
        self._set_outcome("cancelled")
        self._clear(self.tr("The check was cancelled."))

    # ------------------------------------------------------------------ the report

    def _clear(self, text: str, error: bool = False) -> None:
        self.report = None
        self.tree.clear()
        self.file_items = []
        self.summary.setText(text)
        self.summary.setStyleSheet("color: #d9534f;" if error else "")
        self._update_button()

    def show_report(self, report: Any) -> None:
        """Fill the tree from a :class:`~studio.core.data.health.HealthReport`."""
        self.report = report
        data = report.to_json()
        root = data.get("root") or ""
        files = report.source == "folder"
        self.tree.blockSignals(True)
        self.tree.clear()
        self.file_items = []
        warnings = data.get("warnings", [])
        total, n_classes = f"{data.get('total', 0):,}", len(data.get("classes", []))
        if warnings:
            head = fill(
                self.tr("%1 images in %2 classes — %n finding(s):", "", len(warnings)), total, n_classes
            )
            self.summary.setText(head + "\n• " + "\n• ".join(warnings))
            self.summary.setStyleSheet("color: #b8860b;")
        else:
            self.summary.setText(
                fill(self.tr("%1 images in %2 classes — no problems found."), total, n_classes)
            )
            self.summary.setStyleSheet("color: #2e7d32;")

        def group(title: str, details: str = "", expanded: bool = True) -> QTreeWidgetItem:
            item = QTreeWidgetItem(self.tree, [title, details])
            item.setExpanded(expanded)
            return item

        def file_item(parent: QTreeWidgetItem, path: str, details: str, checked: bool) -> None:
            item = QTreeWidgetItem(parent, [_relative(path, root), details])
            item.setToolTip(0, path)
            item.setToolTip(1, details)
            if files:
                item.setData(0, PathRole, path)
                self.file_items.append((item, path))
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

        unreadable = data.get("unreadable", [])
        if unreadable:
            top = group(self.tr("Unreadable files (%n)", "", len(unreadable)), self.tr("skipped by training"))
            for entry in unreadable:
                file_item(top, entry["path"], entry["reason"], True)
        dups = data.get("duplicates", [])
        if dups:
            extra = sum(len(g) - 1 for g in dups)
            cross = data.get("cross_split_duplicates", 0)
            note = fill(self.tr("%1 across splits"), cross) if cross else self.tr("identical bytes")
            top = group(self.tr("Exact duplicates (%n extra copies)", "", extra), note)
            for g in dups:
                for path in g[1:]:
                    file_item(top, path, fill(self.tr("same as %1"), _relative(g[0], root)), True)
        tiny = data.get("tiny", [])
        if tiny:
            top = group(
                self.tr("Tiny images (%n)", "", len(tiny)),
                fill(self.tr("shorter side < %1 px"), data.get("tiny_side")),
            )
            for entry in tiny:
                w, h = entry["size"]
                file_item(top, entry["path"], f"{w} × {h} px", False)
        modes = data.get("modes", {})
        if modes:
            top = group(
                self.tr("Image modes (mixed)") if len(modes) > 1 else self.tr("Image modes"),
                self.tr("converted to the project's channels"),
                expanded=len(modes) > 1,
            )
            for mode, n in modes.items():
                QTreeWidgetItem(top, [mode, fill(self.tr("%1 images"), f"{n:,}")])
        rng = data.get("size_range")
        if rng:
            (w0, h0), (w1, h1) = rng["min"], rng["max"]
            top = group(
                self.tr("Image sizes"), fill(self.tr("%1×%2 to %3×%4 px"), w0, h0, w1, h1), expanded=False
            )
            for entry in data.get("common_sizes", []):
                w, h = entry["size"]
                QTreeWidgetItem(top, [f"{w} × {h}", fill(self.tr("%1 images"), f"{entry['count']:,}")])
        few = data.get("few_images", [])
        if few:
            top = group(
                self.tr("Classes with few images (%n)", "", len(few)),
                fill(self.tr("fewer than %1"), data.get("min_per_class")),
            )
            for entry in few:
                QTreeWidgetItem(
                    top, [str(entry["class"]), fill(self.tr("%1 training images"), entry["count"])]
                )
        counts = data.get("counts", {})
        if counts:
            top = group(self.tr("Images per split"), "", expanded=False)
            for split, per in counts.items():
                QTreeWidgetItem(
                    top, [split_label(split), fill(self.tr("%1 images"), f"{sum(per.values()):,}")]
                )
        self.tree.resizeColumnToContents(0)
        self._names_width = self.tree.columnWidth(0)
        self._fit_columns()
        self.tree.blockSignals(False)
        if not files and (unreadable or dups):
            self.quarantine_button.setToolTip(
                self.tr("only files of a folder dataset can be moved to quarantine")
            )
        self._update_button()

    def retranslate(self) -> None:
        """Rewrite the report (or the intro) in the language just chosen."""
        self.tree.setHeaderLabels([self.tr("Finding"), self.tr("Details")])
        if self.task is None and getattr(self, "_outcome", None) and self.progress.format() != "%p%":
            self._set_outcome(self._outcome)
        if self.report is not None:
            self.show_report(self.report)
        elif self.task is None and getattr(self, "_report_key", None) is None:
            self._clear(self._intro())

    def _item_selected(self, item: QTreeWidgetItem | None, _previous: Any = None) -> None:
        for candidate, path in self.file_items:
            if candidate is item:
                self.file_selected.emit(path)
                return

    def _fit_columns(self) -> None:
        """File names get up to 55% of the width; the reasons wrap in the rest."""
        width = max(160, min(getattr(self, "_names_width", 190), int(self.tree.viewport().width() * 0.55)))
        self.tree.setColumnWidth(0, width)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        """Keep the columns' share as the panel changes size."""
        super().resizeEvent(event)
        self._fit_columns()

    def checked_paths(self) -> list[str]:
        """The files whose check box is ticked."""
        out: list[str] = []
        for item, path in self.file_items:
            if item.checkState(0) == Qt.CheckState.Checked and path not in out:
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
        # lazy: pulls in torch (already loaded by the scan that listed these files)
        from studio.core.data.health import quarantine, restore

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
                try:
                    state["moves"] = quarantine(paths, root)
                except UserError as exc:  # a file vanished meanwhile: nothing was moved
                    state["moves"] = []
                    self.context.show_status(str(exc), 10000)
            self._after_move(self.tr("Moved %n file(s) to quarantine.", "", len(paths)))

        def undo() -> None:
            try:
                restore(state["moves"])
            except UserError as exc:  # a file's old place was taken meanwhile: say so, keep going
                self.context.show_status(str(exc), 10000)
            self._after_move(self.tr("Put %n file(s) back.", "", len(paths)))

        self.context.push(Edit(self.tr("Move %n file(s) to quarantine", "", len(paths)), redo, undo))
        return True

    def _dataset_root(self) -> str:
        data = self.context.document.project.data
        return data.root if data.source == "folder" else ""

    def _after_move(self, message: str) -> None:
        self._clear(message + " " + self.tr("Check the data again for a fresh report."))
        self.context.show_status(message)
        self.files_moved.emit()


def _relative(path: str, root: str) -> str:
    """``path`` relative to the dataset root when inside it (shorter rows)."""
    if root:
        try:
            return str(Path(path).relative_to(root))
        except ValueError:
            pass
    return path
