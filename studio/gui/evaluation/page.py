"""The Evaluate page: how good is a trained run, where does it fail, and what does it look at?

Top row: the run picker (this project's runs, newest first, from
:func:`studio.core.runs.history.run_rows`), the checkpoint (best or last), the split
(validation or test), **Evaluate** and **Export…**. Evaluating runs
:func:`~studio.gui.evaluation.session.evaluate_job` in a worker thread with a progress bar
and Cancel; errors appear in place in the page's message bar.

Tabs:

* **Evaluation** - the confusion matrix heat map (``confusionMatrix``; click a cell to see
  its images), the per-class precision / recall / F1 table, the images of the clicked cell
  and the most confident mistakes (galleries, with Grad-CAM overlays on demand);
* **Predict** - open or drop image files, see their top-k classes as bars;
* **Explain** - feature maps of any convolution layer, the first layer's filters and a
  Grad-CAM overlay for one image.

When the Train page finishes a run (the window's ``trainingFinished``), the run list is
re-read and the new run is offered in the message bar.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.base.errors import UserError
from studio.core.base.i18n import tr as core_tr
from studio.core.evaluation.report import write_report
from studio.core.runs.history import RunRow, run_rows
from studio.core.runs.run_folder import checkpoint_path
from studio.core.training.progress import format_accuracy
from studio.gui.common.i18n import fill
from studio.gui.common.info_bar import InfoBar
from studio.gui.common.tasks import LatestTask, TaskRunner, as_fraction
from studio.gui.evaluation.explain_panel import ExplainPanel
from studio.gui.evaluation.export_dialog import ExportDialog
from studio.gui.evaluation.predict_panel import PredictPanel
from studio.gui.evaluation.results_view import ResultsView
from studio.gui.evaluation.session import EvaluatedRun, ExplainImage, ModelCache, evaluate_job


class EvaluatePage(QWidget):
    """Evaluate, predict, explain and export one of the project's runs (see the module doc)."""

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evaluatePage")
        self.context = context
        self.rows: list[RunRow] = []
        self.result: EvaluatedRun | None = None
        self.cache = ModelCache()
        self.runner = TaskRunner(self, progress=as_fraction)
        self.work = LatestTask(self.runner, on_end=self._ended)
        self.export: ExportDialog | None = None

        # top row ----------------------------------------------------------------------------
        self.run_combo = QComboBox(self)
        self.run_combo.setObjectName("runPicker")
        self.run_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.run_combo.setMinimumContentsLength(24)
        self.run_combo.setToolTip(self.tr("A trained run of this project (newest first)"))
        self.refresh_button = QToolButton(self)
        self.refresh_button.setObjectName("refreshRuns")
        self.refresh_button.setText("↻")
        self.refresh_button.setToolTip(self.tr("Read the runs folder again"))
        self.refresh_button.clicked.connect(self.refresh_runs)
        self.which_combo = QComboBox(self)
        self.which_combo.setObjectName("checkpointPicker")
        self.which_combo.addItem(self.tr("best checkpoint"), "best")
        self.which_combo.addItem(self.tr("last checkpoint"), "last")
        self.split_combo = QComboBox(self)
        self.split_combo.setObjectName("splitPicker")
        self.split_combo.addItem(self.tr("validation images"), "val")
        self.split_combo.addItem(self.tr("test images"), "test")
        self.evaluate_button = QPushButton(self.tr("Evaluate"), self)
        self.evaluate_button.setObjectName("evaluateButton")
        self.evaluate_button.setToolTip(self.tr("Run the chosen checkpoint over the chosen images (F6)"))
        self.evaluate_button.setShortcut("F6")
        self.evaluate_button.clicked.connect(self.evaluate)
        self.export_button = QPushButton(self.tr("Export…"), self)
        self.export_button.setObjectName("exportModelButton")
        self.export_button.setToolTip(
            self.tr("Export the chosen checkpoint: TorchScript, ONNX, state dict, safetensors or Python")
        )
        self.export_button.clicked.connect(self.export_dialog)
        self.report_button = QPushButton(self.tr("Report…"), self)
        self.report_button.setObjectName("exportReportButton")
        self.report_button.setToolTip(
            self.tr(
                "Write one self-contained HTML report of the chosen run: network, "
                "data, settings, curves, confusion matrix, mistakes"
            )
        )
        self.report_button.clicked.connect(lambda: self.export_report())
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Run:"), self))
        top.addWidget(self.run_combo, 1)
        top.addWidget(self.refresh_button)
        top.addWidget(self.which_combo)
        top.addWidget(QLabel(self.tr("on"), self))
        top.addWidget(self.split_combo)
        top.addWidget(self.evaluate_button)
        top.addWidget(self.export_button)
        top.addWidget(self.report_button)

        self.progress = QProgressBar(self)
        self.progress.setObjectName("evaluateProgress")
        self.progress.setRange(0, 1000)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setObjectName("evaluateCancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.progress_row = QWidget(self)
        row = QHBoxLayout(self.progress_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        self.progress_row.hide()

        self.info = InfoBar(self)
        self.info.setObjectName("evaluateMessage")
        self.summary = QLabel(self)
        self.summary.setObjectName("evaluationSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setText(self.tr("Not evaluated yet."))

        # tabs -------------------------------------------------------------------------------
        self.results = ResultsView(self.cache, self)
        self.results.explainRequested.connect(self.explain_sample)
        # the results' parts, for tests and keyboard users
        self.matrix = self.results.matrix
        self.class_table = self.results.class_table
        self.cell_gallery = self.results.cell_gallery
        self.mistakes = self.results.mistakes
        self.side_tabs = self.results.side_tabs
        self.show_cell = self.results.show_cell

        self.predict_panel = PredictPanel(self.cache.predictor, self.cache.has_run, self)
        self.explain_panel = ExplainPanel(self.cache.session, self.cache.has_run, self)
        self.predict_panel.explainRequested.connect(self.explain_file)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("evaluatePageTabs")
        self.tabs.addTab(self.results, self.tr("Evaluation"))
        self.tabs.addTab(self.predict_panel, self.tr("Predict"))
        self.tabs.addTab(self.explain_panel, self.tr("Explain"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(top)
        layout.addWidget(self.progress_row)
        layout.addWidget(self.info)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)

        self.run_combo.currentIndexChanged.connect(self._run_changed)
        self.which_combo.currentIndexChanged.connect(self._run_changed)
        document = context.document
        context.listen(document.changed, self._document_changed, self)
        context.listen(document.path_changed, lambda *_: self.refresh_runs(), self)
        runs_changed = getattr(context, "runsChanged", None)
        if runs_changed is not None:
            runs_changed.connect(lambda: self.refresh_runs())
        finished = getattr(context.window, "trainingFinished", None)
        if finished is not None:
            finished.connect(self.training_finished)
        self.refresh_runs()
        self._update_controls()

    # ------------------------------------------------------------------ runs

    def runs_dir(self) -> Path:
        """Where this project's runs live (the Train page puts them there)."""
        return self.context.runs_dir()

    def refresh_runs(self, select: Path | None = None) -> None:
        """Re-read the runs folder, keeping the chosen run (or choosing ``select``)."""
        current = select or self.run_dir()
        try:
            rows = [r for r in run_rows(self.runs_dir()) if checkpoint_path(r.path).is_file()]
        except OSError as exc:
            rows = []
            self.info.show_message(
                fill(self.tr("Cannot read the runs folder %1: %2"), self.runs_dir(), exc), "error"
            )
        self.rows = rows
        self.run_combo.blockSignals(True)
        try:
            self.run_combo.clear()
            for r in rows:
                name, status = r.display or r.name, self.status_text(r.status)
                text = (
                    fill(self.tr("%1 · %2 · best val %3"), name, status, format_accuracy(r.best_val_acc))
                    if r.best_val_acc is not None
                    else f"{name} · {status}"
                )
                self.run_combo.addItem(text, str(r.path))
                self.run_combo.setItemData(
                    self.run_combo.count() - 1, str(r.path), Qt.ItemDataRole.ToolTipRole
                )
            if not rows:
                self.run_combo.addItem(self.tr("no trained runs yet: train on the Train page"), None)
            index = self.run_combo.findData(str(current)) if current else -1
            self.run_combo.setCurrentIndex(index if index >= 0 else 0)
        finally:
            self.run_combo.blockSignals(False)
        self._run_changed()

    def run_dir(self) -> Path | None:
        """The chosen run folder (None when the project has none)."""
        data = self.run_combo.currentData()
        return Path(data) if data else None

    @property
    def which(self) -> str:
        """``best`` or ``last``."""
        return str(self.which_combo.currentData())

    @property
    def split(self) -> str:
        """``val`` or ``test``."""
        return str(self.split_combo.currentData())

    def select_run(self, run_dir: str | Path) -> bool:
        """Choose ``run_dir`` in the picker (re-reading the folder); False if it is not a run here."""
        self.refresh_runs(select=Path(run_dir))
        return self.run_dir() == Path(run_dir)

    def _run_changed(self, *_: Any) -> None:
        if self.cache.set_run(self.run_dir(), self.which):
            self.predict_panel.clear()
            self.explain_panel.run_changed()
            if self.result is not None and (
                self.result.evaluation.run_dir != self.run_dir()
                or self.result.evaluation.checkpoint != self.which
            ):
                self.show_evaluation(None)
        self._update_controls()

    def training_finished(self, run_dir: str) -> None:
        """A run ended on the Train page: list it and offer to evaluate it."""
        if self.select_run(run_dir):
            name = Path(run_dir).name
            self.info.show_message(
                fill(self.tr("Run %1 finished."), name), "info", [(self.tr("Evaluate it"), self.evaluate)]
            )
        else:
            self.refresh_runs()

    def page_activated(self) -> None:
        """The page was shown: pick up runs made meanwhile."""
        if not self.work.busy:
            self.refresh_runs()

    def _document_changed(self, section: str) -> None:
        if section == "all":
            self.show_evaluation(None)
            self.refresh_runs()

    def project_opened(self) -> None:
        """Another project is open: drop the previous one's results, pictures and messages."""
        self.work.forget()
        self.info.hide()
        self.show_evaluation(None)
        self.predict_panel.work.forget()
        self.predict_panel.clear()
        self.explain_panel.reset()
        self.refresh_runs()

    def status_text(self, status: str) -> str:
        """A run's status (a core key such as ``completed``) as the picker shows it."""
        labels = {
            "completed": self.tr("completed"),
            "running": self.tr("running"),
            "interrupted": self.tr("interrupted"),
            "stopped": self.tr("stopped"),
            "failed": self.tr("failed"),
        }
        return labels.get(status, status)

    # ------------------------------------------------------------------ evaluation

    def evaluate(self) -> None:
        """Evaluate the chosen run in the background (the Evaluate button)."""
        run = self.run_dir()
        if run is None:
            self.info.show_message(
                self.tr(
                    "This project has no trained run yet: train one on the Train page, then evaluate it here."
                ),
                "error",
            )
            return
        if self.work.busy:
            return
        self.info.hide()
        self.progress.setValue(0)
        self.progress.setFormat(self.tr("starting…"))
        self.progress_row.show()
        self.work.start(
            evaluate_job(run, self.which, self.split),
            name="evaluate",
            on_progress=self._progress,
            on_finished=self.show_evaluation,
            on_failed=lambda m: self.info.show_message(m, "error"),
            on_cancelled=lambda: self.context.show_status(self.tr("Evaluation cancelled")),
        )
        self._update_controls()

    def cancel(self) -> None:
        """Stop the running evaluation."""
        if self.work.busy:
            self.work.cancel()
            self.progress.setFormat(self.tr("cancelling…"))

    @property
    def busy(self) -> bool:
        """True while an evaluation runs."""
        return self.work.busy

    def _progress(self, message: str, fraction: float) -> None:
        self.progress.setValue(int(1000 * max(0.0, min(1.0, fraction))))
        self.progress.setFormat(f"{core_tr(message)} (%p%)")

    def _ended(self) -> None:
        self.progress_row.hide()
        self._update_controls()

    def _update_controls(self) -> None:
        running = self.work.busy
        has_run = self.run_dir() is not None
        self.results.set_placeholder(
            self.tr("Evaluating…")
            if running
            else self.tr(
                "Press Evaluate to run the chosen checkpoint over the chosen images: the confusion matrix, "
                "the per-class scores and the mistakes appear here."
            )
            if has_run
            else self.tr(
                "This project has no trained run yet. Train one on the Train page; it will appear here."
            )
        )
        self.evaluate_button.setEnabled(has_run and not running)
        self.export_button.setEnabled(has_run)
        for w in (self.run_combo, self.which_combo, self.split_combo, self.refresh_button):
            w.setEnabled(not running)

    def show_evaluation(self, result: EvaluatedRun | None) -> None:
        """Show ``result`` (None clears the results) and its one-line summary."""
        self.result = result
        self.results.show_result(result)
        ev = result.evaluation if result is not None else None
        if ev is None:
            self.summary.setText(self.tr("Not evaluated yet."))
            return
        accuracy = f"{100.0 * ev.accuracy:.1f}"
        if ev.split == "test":
            head = fill(self.tr("<b>Accuracy %1%</b> on %2 test images"), accuracy, len(ev))
        else:
            head = fill(self.tr("<b>Accuracy %1%</b> on %2 validation images"), accuracy, len(ev))
        checkpoint = {"best": self.tr("best checkpoint"), "last": self.tr("last checkpoint")}.get(
            ev.checkpoint, ev.checkpoint
        )
        epoch = fill(self.tr(" (epoch %1)"), ev.epoch) if ev.epoch is not None else ""
        skipped = fill(self.tr("; %1 unreadable image(s) skipped"), ev.skipped) if ev.skipped else ""
        run_name = ev.run_dir.name if ev.run_dir else ""
        self.summary.setText(f"{head} — {run_name}, {checkpoint}{epoch}{skipped}")
        self.tabs.setCurrentWidget(self.results)

    # ------------------------------------------------------------------ explain / predict

    def explain_sample(self, sample: Any) -> None:
        """Open the Explain tab on an evaluated image."""
        if self.result is None:
            return
        try:
            pixels = self.result.pixels(sample.index)
        except (UserError, OSError) as exc:
            self.info.show_message(fill(self.tr("Cannot read that image: %1"), exc), "error")
            return
        if sample.path:
            label = Path(sample.path).name
        elif self.result.evaluation.split == "test":
            label = fill(self.tr("test image %1"), sample.index)
        else:
            label = fill(self.tr("validation image %1"), sample.index)
        self.explain_panel.explain(ExplainImage(pixels, label, sample.true))
        self.tabs.setCurrentWidget(self.explain_panel)

    def explain_file(self, path: str) -> None:
        """Open the Explain tab on an image file."""
        self.explain_panel.explain(path)
        self.tabs.setCurrentWidget(self.explain_panel)

    def handle_drop(self, paths: list[Path]) -> bool:
        """Images dropped on the window while this page shows: classify them."""
        if not self.isVisible():
            return False
        if self.predict_panel.take_paths(paths):
            self.tabs.setCurrentWidget(self.predict_panel)
            return True
        return False

    # ------------------------------------------------------------------ export

    def export_dialog(self) -> ExportDialog:
        """File > Export... and the Export button: the export dialog for the chosen run."""
        if self.export is not None and self.export.busy:
            self.export.show()
            self.export.raise_()
            return self.export
        doc = self.context.document
        folder = (doc.path.parent if doc.path else self.runs_dir().parent) / "exports"
        if self.export is not None:
            self.export.deleteLater()
        self.export = ExportDialog(self.run_dir(), self.which, doc.project.name or "model", folder, self)
        self.export.show()
        return self.export

    def export_report(self, path: str | Path | None = None) -> bool:
        """Write the chosen run's HTML report (asking where, unless ``path``) in the background."""
        from PySide6.QtWidgets import QFileDialog

        run = self.run_dir()
        if run is None:
            self.info.show_message(
                self.tr("This project has no trained run yet: train one on the Train page first."), "error"
            )
            return False
        if path is None:
            doc = self.context.document
            folder = doc.path.parent if doc.path else Path.home()
            chosen, _ = QFileDialog.getSaveFileName(
                self,
                self.tr("Save the run report"),
                str(folder / f"{run.name}-report.html"),
                self.tr("HTML files (*.html)"),
            )
            if not chosen:
                return False
            path = chosen
        target = Path(path)
        split = self.split

        def work(progress: Any, cancelled: Any) -> Path:
            # the user confirmed the file name in the save dialog, which asks before replacing
            return write_report(run, target, force=True, split=split, progress=progress, cancel=cancelled)

        def done(written: Path) -> None:
            from PySide6.QtCore import QUrl
            from PySide6.QtGui import QDesktopServices

            self.info.show_message(
                fill(self.tr("Wrote the report %1."), written.name),
                "info",
                [(self.tr("Open it"), lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(written))))],
            )

        self.runner.start(
            work, name="report", on_finished=done, on_failed=lambda m: self.info.show_message(m, "error")
        )
        self.context.show_status(self.tr("Writing the report…"))
        return True

    # ------------------------------------------------------------------ window hooks

    def shutdown(self) -> None:
        """The window closes: stop every job and wait briefly for the threads."""
        self.runner.cancel_all()
        for runner in (self.predict_panel.runner, self.explain_panel.runner):
            runner.cancel_all()
        if self.export is not None:
            self.export.runner.cancel_all()
        for runner in (self.runner, self.predict_panel.runner, self.explain_panel.runner):
            runner.wait(2000)
        self.results.wait(2000)
