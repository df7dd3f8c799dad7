"""The Train page: settings, controls, live progress and plots, the log and the run history.

Layout: on the left the run settings (bound to the project), the Train / Pause / Stop buttons
and the list of this project's runs; on the right a failure banner, the progress bars, the
loss / accuracy / learning-rate plots and the log.

A run trains an immutable snapshot (``document.project.copy()``) on a
:class:`~studio.gui.training.worker.TrainingJob` thread; the page only listens to its queued
signals. When a run ends, however it ends, the page tells the main window with
``trainingFinished(run_dir)``. Closing the window during a run asks, then stops the run with a
checkpoint (:meth:`TrainPage.can_close`, :meth:`TrainPage.shutdown`).

The page shows the open project only: opening another project (:meth:`TrainPage.project_opened`)
clears the plots, log, banner and progress. A run of the previous project keeps training; the
page then names it in a line above the plots (``otherProjectRun``) with its epoch, and Stop
still stops it, but its batches and epochs no longer draw here until its project is open again.
The run list's running row follows the epoch events (no folder is re-read per epoch).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from studio.core.base.errors import UserError
from studio.core.base.wording import in_gui_words
from studio.core.model.builder import weights_download
from studio.core.project.checks import training_problems
from studio.core.runs.history import run_curves, run_label
from studio.core.runs.run_folder import read_run
from studio.core.training.devices import keep_calling_thread_serial
from studio.core.training.progress import end_line, epoch_line, start_line
from studio.gui.common.column_scroll import ColumnScroll
from studio.gui.shell.cluster_dialog import open_cluster_dialog
from studio.gui.training import jobs
from studio.gui.training.banner import Banner
from studio.gui.training.compare_dialog import CompareDialog
from studio.gui.training.fork_dialog import ForkDialog
from studio.gui.training.lr_finder_dialog import LRFinderDialog
from studio.gui.training.plots import TrainingPlots, overlay_colour
from studio.gui.training.progress_panel import ProgressPanel, status_text
from studio.gui.training.run_list import RunList
from studio.gui.training.settings_form import RunSettingsForm
from studio.gui.training.sweep_dialog import SweepDialog
from studio.gui.training.worker import TrainingJob

LOG_LINES = 5000
CLOSE_TIMEOUT_MS = 2000


class TrainPage(QWidget):
    """The training dashboard (see the module docstring)."""

    #: a run ended: its folder and end event (the window's trainingFinished carries the folder)
    runFinished = Signal(str, dict)

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainPage")
        self.context = context
        self.job: TrainingJob | None = None
        self._epochs: int | None = None  # the running run's epoch count, for its log lines
        # the page going away (without the window's shutdown) stops its run; the lambda must
        # not capture the page itself, which no longer exists when ``destroyed`` arrives
        current: list[TrainingJob | None] = [None]
        self._current = current
        self.destroyed.connect(lambda *_: current[0].commands.stop() if current[0] is not None else None)

        # left column: settings, controls, runs -------------------------------------------------
        self.settings = RunSettingsForm(context, self)
        self.settings.rejected.connect(lambda msg: self.banner.show_message(msg, "warning"))
        settings_box = QGroupBox(self.tr("Run settings"), self)
        QVBoxLayout(settings_box).addWidget(self.settings)

        self.trainButton = QPushButton(self.tr("Train"), self)
        self.trainButton.setObjectName("trainButton")
        self.trainButton.setToolTip(self.tr("Train the current project in a new run (F5)"))
        self.trainButton.setShortcut("F5")
        self.pauseButton = QPushButton(self.tr("Pause"), self)
        self.pauseButton.setObjectName("pauseButton")
        self.pauseButton.setCheckable(True)
        self.pauseButton.setToolTip(self.tr("Hold training after the current batch; click again to continue"))
        self.stopButton = QPushButton(self.tr("Stop"), self)
        self.stopButton.setObjectName("stopButton")
        self.stopButton.setToolTip(self.tr("Stop after the current batch; a checkpoint is written"))
        self.trainButton.clicked.connect(self.start_training)
        self.pauseButton.toggled.connect(self._pause_toggled)
        self.stopButton.clicked.connect(self.stop)
        controls = QHBoxLayout()
        controls.addWidget(self.trainButton)
        controls.addWidget(self.pauseButton)
        controls.addWidget(self.stopButton)
        self.clusterButton = QPushButton(self.tr("Run on a cluster…"), self)
        self.clusterButton.setObjectName("clusterButton")
        self.clusterButton.setToolTip(
            self.tr(
                "Write this project with the torchrun command and a SLURM script, "
                "to train it on several GPUs or machines"
            )
        )
        self.clusterButton.clicked.connect(self.run_on_cluster)
        self.lrFinderButton = QPushButton(self.tr("Find learning rate…"), self)
        self.lrFinderButton.setObjectName("lrFinderButton")
        self.lrFinderButton.setToolTip(
            self.tr(
                "Try rates from tiny to large on a copy of the network and "
                "suggest one (the project is not changed until you say so)"
            )
        )
        self.lrFinderButton.clicked.connect(self.find_learning_rate)
        self.sweepButton = QPushButton(self.tr("New sweep…"), self)
        self.sweepButton.setObjectName("sweepButton")
        self.sweepButton.setToolTip(
            self.tr(
                "Search learning rate, batch size and other settings with Optuna; "
                "each trial is a run of this project"
            )
        )
        self.sweepButton.clicked.connect(self.new_sweep)
        cluster_row = QHBoxLayout()
        cluster_row.addWidget(self.lrFinderButton)
        cluster_row.addWidget(self.sweepButton)
        cluster_row.addWidget(self.clusterButton)
        cluster_row.addStretch(1)

        self.blockLabel = QLabel(self)
        self.blockLabel.setObjectName("trainingBlocked")
        self.blockLabel.setWordWrap(True)
        self.blockLabel.setStyleSheet("color: #c62828;")
        self.blockLabel.hide()

        self.runs = RunList(self)
        self.runs.selectionChanged.connect(self._overlay_runs)
        self.runs.resumeRequested.connect(self.resume_run)
        self.runs.forkRequested.connect(self._fork_dialog)
        self.runs.compareRequested.connect(self.compare_runs)
        runs_box = QGroupBox(self.tr("Runs"), self)
        QVBoxLayout(runs_box).addWidget(self.runs)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 4, 0)
        left_layout.addWidget(settings_box)
        left_layout.addLayout(controls)
        left_layout.addLayout(cluster_row)
        left_layout.addWidget(self.blockLabel)
        left_layout.addWidget(runs_box, 1)
        scroll = ColumnScroll(self)
        scroll.setWidget(left)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)

        # right column: banner, progress, plots, log -----------------------------------------
        self.banner = Banner("trainingBanner", self)
        self.otherRun = QLabel(self)
        self.otherRun.setObjectName("otherProjectRun")
        self.otherRun.setWordWrap(True)
        self.otherRun.hide()
        #: the running job's project name, and whether it belongs to the open project
        self._job_project = ""
        self._watching = True
        self.progress = ProgressPanel(self)
        self.epochProgress = self.progress.epochProgress
        self.plots = TrainingPlots(self)
        self.lossPlot = self.plots.lossPlot
        self.accuracyPlot = self.plots.accuracyPlot
        self.log = QPlainTextEdit(self)
        self.log.setObjectName("trainingLog")
        self.log.setReadOnly(True)
        self.log.setMaximumBlockCount(LOG_LINES)
        self.log.setPlaceholderText(self.tr("The training log appears here."))
        self.log.setMinimumHeight(60)
        # the log follows its last line while the user has not scrolled up, also when the log
        # itself shrinks (a banner appears above it at the end of a run). Only the user's own
        # scrolling (drag, wheel, clicks: actionTriggered, with the slider's new position) decides
        # whether to follow: the text edit moves the bar itself while it lays out new lines, and
        # reading valueChanged then stopped the log from following now and then.
        bar = self.log.verticalScrollBar()
        self._log_follows = True
        bar.actionTriggered.connect(
            lambda _action: setattr(self, "_log_follows", bar.sliderPosition() >= bar.maximum())
        )
        bar.rangeChanged.connect(lambda _lo, hi: bar.setValue(hi) if self._log_follows else None)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.plots)
        splitter.addWidget(self.log)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([600, 120])
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(4, 0, 0, 0)
        right_layout.addWidget(self.banner)
        right_layout.addWidget(self.otherRun)
        right_layout.addWidget(self.progress)
        right_layout.addWidget(splitter, 1)

        outer = QSplitter(Qt.Orientation.Horizontal, self)
        outer.addWidget(scroll)
        outer.addWidget(right)
        outer.setStretchFactor(0, 0)
        outer.setStretchFactor(1, 1)
        outer.setCollapsible(1, False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(outer)

        document = context.document
        context.listen(document.changed, self._document_changed, self)
        context.listen(document.path_changed, lambda *_: self._path_changed(), self)
        runs_changed = getattr(context, "runsChanged", None)
        if runs_changed is not None:
            runs_changed.connect(self._path_changed)
        self._update_block()
        self.refresh_runs()
        self._update_controls()
        self.progress.set_planned(document.project.training.epochs)

    # ------------------------------------------------------------------ state

    @property
    def document(self) -> Any:
        """The window's project document."""
        return self.context.document

    def runs_dir(self) -> Path:
        """Where this project's runs live (``NAME.runs`` beside its file, or its workspace)."""
        return self.context.runs_dir()

    def is_running(self) -> bool:
        """True while a run's thread is alive."""
        return self.job is not None and self.job.is_running()

    def refresh_runs(self) -> None:
        """Re-read the run list from disk."""
        self.runs.set_base(self.runs_dir())

    def page_activated(self) -> None:
        """The page was shown: pick up runs made meanwhile; load the engine in the background."""
        jobs.warm_up()
        if not self.is_running():
            self.refresh_runs()

    def _document_changed(self, section: str) -> None:
        if section in ("layers", "model", "data", "all"):
            self._update_block()
        if section in ("training", "all") and not self.is_running():
            self.progress.set_planned(self.document.project.training.epochs)

    def _path_changed(self) -> None:
        """Saved under a new name, or runs moved: re-list them (a running run follows at its end)."""
        self._check_watching()
        self.refresh_runs()

    def project_opened(self) -> None:
        """Another project is open: forget the previous one's plots, log, banner and progress."""
        self.banner.hide()
        self.log.clear()
        self.plots.set_overlays([])
        self.plots.begin_run(epochs=self.document.project.training.epochs)
        self.progress.reset()
        self.progress.epochProgress.setValue(0)
        self.progress.batchProgress.setValue(0)
        self._check_watching()
        if self.is_running() and self._watching and self.job is not None:  # its own project again
            try:
                history = read_run(self.job.run_dir).epochs
            except UserError:
                history = []
            self.plots.begin_run(history, epochs=self.job.epochs)
            self.progress.begin(self.job.epochs, len(history))
            self.progress.statusLabel.setText(status_text("running"))
            self.log.appendPlainText(
                self.tr("Training “{name}” in {folder} (epoch {done} of {epochs} done)").format(
                    name=self._job_project, folder=self.job.run_dir, done=len(history), epochs=self.job.epochs
                )
            )
        self.refresh_runs()
        self._update_block()

    def _check_watching(self) -> None:
        """Is the running job (if any) a run of the open project? Say so when it is not."""
        job = self.job if self.is_running() else None
        if job is None:
            self._watching = True
            self.otherRun.hide()
            return
        parent = job.run_dir.parent.resolve()
        here = self.runs_dir().resolve()
        moved_to = getattr(self.context, "pending_moves", {}).get(parent)
        self._watching = parent == here or (moved_to is not None and Path(moved_to).resolve() == here)
        self.otherRun.setVisible(not self._watching)
        self._show_other_run(None)

    def _show_other_run(self, event: dict[str, Any] | None) -> None:
        if self._watching or self.job is None:
            return
        if event:
            text = self.tr(
                "“{name}” (another project) is still training in the background: epoch {epoch} of "
                "{epochs} done. Open that project to watch it; Stop stops it."
            ).format(name=self._job_project, epoch=event["epoch"], epochs=self.job.epochs)
        else:
            text = self.tr(
                "“{name}” (another project) is still training in the background. "
                "Open that project to watch it; Stop stops it."
            ).format(name=self._job_project)
        self.otherRun.setText(text)

    def blocker(self) -> str | None:
        """Why the Train button is refused: an invalid layer or a training problem (same rules as the CLI)."""
        error = self.document.blocking_error()
        if error is not None:
            return self.tr("Cannot train: {error}. Fix it on the Design page.").format(error=error)
        problems = training_problems(self.document.project)
        if problems:
            return self.tr("Cannot train: {problem} Fix it on the Design page.").format(
                problem=problems[0].gui
            )
        return None

    def evaluate_run(self, run_dir: str) -> bool:
        """ "Evaluate →": the Evaluate page, with this run picked."""
        window = self.context.window
        show = getattr(window, "show_page", None)
        if not callable(show):
            return False
        page = show("Evaluate")
        select = getattr(page, "select_run", None)
        return bool(select(run_dir)) if callable(select) else True

    def weights_failure_text(self, message: str) -> str | None:
        """A failed ImageNet download in the GUI's words: which file, from where, into which folder."""
        model = self.document.project.model
        if model.kind != "pretrained":
            return None
        name, url, folder = weights_download(model.arch)
        if url not in message:  # only the failed download names the URL (in every language)
            return None
        return self.tr(
            "Training failed: the ImageNet weights of {arch} could not be downloaded (no network?). "
            "On a computer with a network, download {name} from {url} and copy it into the folder "
            "{folder}; or click Choose weights file… if you already have it; or choose "
            "“No weights (train from scratch)” on the Design page."
        ).format(arch=model.arch, name=name, url=url, folder=folder)

    def choose_weights_file(self) -> bool:
        """ "Choose weights file…": a .pth from disk becomes the pretrained model's weights (one edit)."""
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose pretrained weights"),
            "",
            self.tr("PyTorch weights (*.pth *.pt);;All files (*)"),
        )
        if not path:
            return False
        return bool(self.context.push(lambda: self.document.set_field("model", "weights", path)))

    def _update_block(self) -> None:
        """Show what blocks training until it is fixed."""
        text = self.blocker()
        if text is None:
            self.blockLabel.hide()
            self.blockLabel.clear()
        else:
            self.blockLabel.setText(text)
            self.blockLabel.show()
        self._update_controls()

    def _update_controls(self) -> None:
        running = self.is_running()
        blocked = self.blocker() is not None
        self.trainButton.setEnabled(not running and not blocked)
        self.pauseButton.setEnabled(running)
        self.stopButton.setEnabled(running)
        if not running:
            self.pauseButton.blockSignals(True)
            self.pauseButton.setChecked(False)
            self.pauseButton.setText(self.tr("Pause"))
            self.pauseButton.blockSignals(False)

    # ------------------------------------------------------------------ starting runs

    def start_training(self) -> Path | None:
        """Train the current project in a new run folder; returns it (None when refused)."""
        if self.is_running():
            return None
        blocked = self.blocker()
        if blocked is not None:
            self._update_block()
            self.banner.show_message(blocked, "error")
            return None
        snapshot = self.document.project.copy()
        try:
            run_dir = jobs.new_run_folder(self.runs_dir(), snapshot)
        except (OSError, UserError) as exc:
            self.banner.show_message(
                self.tr("Cannot create the run folder under {folder}: {error}").format(
                    folder=self.runs_dir(), error=exc
                ),
                "error",
            )
            return None
        self._launch(
            jobs.train_job(snapshot, run_dir),
            run_dir,
            snapshot,
            fresh=True,
            what=self.tr("Training “{name}” in {folder}").format(name=snapshot.name, folder=run_dir),
        )
        return run_dir

    def resume_run(self, run_dir: Path) -> bool:
        """Continue an interrupted run from its last checkpoint; False when refused."""
        if self.is_running():
            return False
        try:
            project, history = jobs.resume_info(run_dir)
        except UserError as exc:
            self.banner.show_message(str(exc), "error")
            return False
        self.plots.set_overlays([])
        self._launch(
            jobs.resume_job(project, run_dir),
            Path(run_dir),
            project,
            fresh=False,
            what=self.tr("Resuming {run} after epoch {epoch}").format(
                run=Path(run_dir).name, epoch=len(history)
            ),
        )
        return True

    def fork_run(self, run_dir: Path, epoch: int, training: dict[str, Any]) -> Path | None:
        """Start a new run from ``run_dir``'s checkpoint of ``epoch`` with ``training`` settings."""
        if self.is_running():
            return None
        try:
            project, new_dir = jobs.prepare_fork(run_dir, epoch, training, self.runs_dir())
        except (OSError, UserError) as exc:
            self.banner.show_message(str(exc), "error")
            return None
        self._launch(
            jobs.fork_job(project, new_dir, Path(run_dir), epoch),
            new_dir,
            project,
            fresh=True,
            what=self.tr("Forking {run} at epoch {epoch} into {new}").format(
                run=Path(run_dir).name, epoch=epoch, new=new_dir.name
            ),
        )
        return new_dir

    def run_on_cluster(self) -> QWidget:
        """The "Run on a cluster..." dialog: the project with torchrun and SLURM scripts."""
        return open_cluster_dialog(self.context, self)

    def find_learning_rate(self) -> QWidget:
        """Open the learning-rate finder (non-modal) for the open project."""
        dialog = LRFinderDialog(self.context, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def new_sweep(self) -> QWidget:
        """Open the sweep dialog (non-modal); its trials appear in the Runs list as they end."""
        dialog = SweepDialog(self.context, self.runs_dir(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sweepFinished.connect(lambda *_: self.refresh_runs())
        dialog.runner.pool.setMaxThreadCount(1)
        dialog.show()
        return dialog

    def compare_runs(self, paths: list[Path], evaluate: bool = True) -> QWidget | None:
        """Open the Compare view for two or more of the project's runs (non-modal)."""
        rows = [r for r in (self.runs.row_for(p) for p in paths) if r is not None]
        if len(rows) < 2:
            return None
        dialog = CompareDialog(rows, self, evaluate=evaluate)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def _fork_dialog(self, run_dir: Path) -> None:
        dialog = ForkDialog(Path(run_dir), self)
        if dialog.exec():
            self.fork_run(Path(run_dir), dialog.epoch(), dialog.training())

    def _launch(self, job_fn: Any, run_dir: Path, project: Any, fresh: bool, what: str) -> None:
        keep_calling_thread_serial()  # the GUI thread must never own torch worker threads (see there)
        self.banner.hide()
        self.log.appendPlainText(what)
        self.log.moveCursor(QTextCursor.MoveOperation.End)  # a new run: the log follows it
        self.log.ensureCursorVisible()
        self.plots.begin_run(epochs=project.training.epochs)
        self.progress.begin(project.training.epochs)
        job = TrainingJob(job_fn, run_dir, project, fresh=fresh)  # owned by jobs.track, not the page
        self._job_project = project.name
        self._watching = True
        self.otherRun.hide()
        worker = job.worker
        queued = Qt.ConnectionType.QueuedConnection  # emitted on the training thread
        worker.started.connect(self._on_started, queued)
        worker.batches.connect(self._on_batches, queued)
        worker.epoch.connect(self._on_epoch, queued)
        worker.state.connect(self._on_state, queued)
        worker.log.connect(self._on_log, queued)
        worker.finished.connect(self._on_finished, queued)
        job.ended.connect(self._on_thread_finished)
        self.job = job
        jobs.track(job)
        self._current[0] = job
        job.start()
        self.runs.set_running(run_dir)
        self._update_controls()

    # ------------------------------------------------------------------ controls

    def _pause_toggled(self, paused: bool) -> None:
        if self.job is None:
            return
        if paused:
            self.job.pause()
            self.pauseButton.setText(self.tr("Resume"))
            self.progress.statusLabel.setText(status_text("paused"))
            self.runs.set_paused(True)
            self._on_log(self.tr("Paused after the current batch."))
        else:
            self.job.resume()
            self.pauseButton.setText(self.tr("Pause"))
            self.progress.statusLabel.setText(status_text("running"))
            self.runs.set_paused(False)
            self._on_log(self.tr("Resumed."))

    def pause(self) -> None:
        """Hold the running training (as the Pause button)."""
        if self.is_running() and not self.pauseButton.isChecked():
            self.pauseButton.setChecked(True)

    def resume(self) -> None:
        """Continue paused training (as the Resume button)."""
        if self.is_running() and self.pauseButton.isChecked():
            self.pauseButton.setChecked(False)

    def stop(self) -> None:
        """Stop the run after the current batch, writing a checkpoint."""
        if self.job is not None and self.is_running():
            self.job.stop()
            self.stopButton.setEnabled(False)
            self.pauseButton.setEnabled(False)
            if not self._watching:  # a run of another project: say it here, not in this one's log
                self.otherRun.setText(
                    self.tr("Stopping “{name}” after the current batch…").format(name=self._job_project)
                )
                return
            self.progress.statusLabel.setText(status_text("stopping"))
            self.log.appendPlainText(self.tr("Stopping after the current batch…"))

    # ------------------------------------------------------------------ worker signals

    def _on_started(self, info: dict[str, Any]) -> None:
        if self.job is not None:
            self.job.epochs = int(info.get("epochs") or self.job.epochs)
        if not self._watching:
            return
        history = list(info.get("history") or [])
        self.plots.begin_run(history, epochs=int(info.get("epochs") or 1))
        start = int(info.get("start_epoch") or 1)
        self.progress.begin(int(info.get("epochs") or 1), start - 1)
        self.progress.statusLabel.setText(status_text("running"))
        self.runs.refresh()  # the engine has written the run folder: list it
        self._epochs = int(info.get("epochs") or 1)
        self.log.appendPlainText(start_line(info))

    def _on_state(self, state: str) -> None:
        if not self._watching:
            return
        self.progress.statusLabel.setText(status_text(state))

    def _on_batches(self, rows: list[tuple[Any, ...]], last: dict[str, Any]) -> None:
        if not self._watching:
            return
        self.plots.add_batches(rows)
        if not (self.job is not None and self.job.paused):
            self.progress.on_batch(last)

    def _on_epoch(self, event: dict[str, Any]) -> None:
        if not self._watching:
            self._show_other_run(event)
            return
        self.plots.add_epoch(event)
        self.progress.on_epoch(event)
        self.runs.update_running(event)  # the running row's epochs and best accuracy, from the event
        self.log.appendPlainText(epoch_line(event, self._epochs))

    def _on_log(self, message: str) -> None:
        if self._watching:
            self.log.appendPlainText(message)

    def _on_finished(self, end: dict[str, Any]) -> None:
        status = str(end.get("status", "failed"))
        run_dir = str(end.get("run_dir", self.job.run_dir if self.job else ""))
        settle = getattr(self.context, "settle_run", None)
        if callable(settle) and run_dir:  # its project was saved elsewhere meanwhile: it follows now
            run_dir = str(settle(Path(run_dir)))
        if not self._watching:  # a run of another project: tell the window, draw nothing here
            self.context.show_status(
                self.tr("Training of “{name}” ended: {status}").format(
                    name=self._job_project, status=status_text(status)
                )
            )
            self.runFinished.emit(run_dir, end)
            signal = getattr(self.context.window, "trainingFinished", None)
            if signal is not None:
                signal.emit(run_dir)
            return
        self.plots.flush()
        self.progress.finish(status)
        summary = end_line(end)
        self.log.appendPlainText(summary)
        if status == "failed":
            message = str(end.get("message") or self.tr("the run failed; see the log"))
            self.log.appendPlainText(self.tr("Failed: {message}").format(message=message))
            action = None
            shown = self.tr("Training failed: {message}").format(message=in_gui_words(message))
            if message.startswith("model.weights:"):  # the weights are missing or unusable
                action = (self.tr("Choose weights file…"), self.choose_weights_file)
                shown = self.weights_failure_text(message) or shown
            self.banner.show_message(shown, "error", action)
        elif status == "stopped":
            self.context.show_status(
                self.tr("Training stopped; checkpoint in {folder}").format(folder=run_dir)
            )
        else:
            self.context.show_status(summary)
            self.banner.show_message(
                self.tr("Training finished: {summary}").format(summary=summary),
                "info",
                (self.tr("Evaluate →"), lambda: self.evaluate_run(run_dir)),
            )
        self.runFinished.emit(run_dir, end)
        signal = getattr(self.context.window, "trainingFinished", None)
        if signal is not None:
            signal.emit(run_dir)

    def _on_thread_finished(self, job: TrainingJob) -> None:
        job.thread.wait()  # returns at once: the thread has ended
        if job is self.job:
            self.job = None
            self._current[0] = None
        job.deleteLater()
        settle = getattr(self.context, "settle_run", None)
        if callable(settle):
            settle(job.run_dir)  # its project was saved elsewhere meanwhile: it follows
        self._watching = True
        self.otherRun.hide()
        self.runs.set_running(None)
        self._update_controls()

    # ------------------------------------------------------------------ overlays

    def _overlay_runs(self, paths: list[Path]) -> None:
        overlays, shown = [], []
        for path in paths:
            try:
                curves = run_curves(path)
            except UserError as exc:
                self.context.show_status(str(exc))
                continue
            overlays.append((run_label(path.name, short=True), curves))
            shown.append(path)
        self.plots.set_overlays(overlays)
        self.runs.set_colours({path: overlay_colour(i) for i, path in enumerate(shown)})

    # ------------------------------------------------------------------ closing

    def can_close(self) -> bool:
        """The window wants to close: during a run, ask first; False keeps the window open.

        Saying yes does not stop the run yet: the window calls :meth:`shutdown` once every
        page and the unsaved-changes question agree, so cancelling later keeps it training.
        """
        if not self.is_running():
            return True
        answer = QMessageBox.question(
            self,
            self.tr("Training is running"),
            self.tr(
                "A training run is in progress. Stop it and close? A checkpoint is written, and the "
                "run can be resumed later from the Train page."
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def shutdown(self, timeout_ms: int = CLOSE_TIMEOUT_MS) -> bool:
        """Stop any run and wait for its thread; True when it ended within ``timeout_ms``.

        A thread that does not end in time is kept referenced (never destroyed while running)
        and waited for when the application quits.
        """
        job = self.job
        if job is None or not job.is_running():
            return True
        job.stop()
        if job.wait(timeout_ms):
            # deliver the queued end signals now, so trainingFinished fires before the window goes
            from PySide6.QtCore import QCoreApplication

            QCoreApplication.sendPostedEvents()
            return True
        return False  # still tracked by jobs: waited for when the application quits
