"""The Train page: settings, controls, live progress and plots, the log and the run history.

Layout: on the left the run settings (bound to the project), the Train / Pause / Stop buttons
and the list of this project's runs; on the right a failure banner, the progress bars, the
loss / accuracy / learning-rate plots and the log.

A run trains an immutable snapshot (``document.project.copy()``) on a
:class:`~studio.gui.training.worker.TrainingJob` thread; the page only listens to its queued
signals. When a run ends, however it ends, the page tells the main window with
``trainingFinished(run_dir)``. Closing the window during a run asks, then stops the run with a
checkpoint (:meth:`TrainPage.can_close`, :meth:`TrainPage.shutdown`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
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
from studio.core.runs.history import run_curves, run_label, runs_dir_for
from studio.core.training.devices import keep_calling_thread_serial
from studio.core.training.progress import end_line, epoch_line, start_line
from studio.gui.column_scroll import ColumnScroll
from studio.gui.training import jobs
from studio.gui.training.banner import Banner
from studio.gui.training.plots import TrainingPlots, overlay_colour
from studio.gui.training.progress_panel import ProgressPanel
from studio.gui.training.run_list import RunList
from studio.gui.training.settings_form import RunSettingsForm
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
        # the page going away (without the window's shutdown) stops its run; the lambda must
        # not capture the page itself, which no longer exists when ``destroyed`` arrives
        current: list[TrainingJob | None] = [None]
        self._current = current
        self.destroyed.connect(lambda *_: current[0].commands.stop() if current[0] is not None else None)

        # left column: settings, controls, runs -------------------------------------------------
        self.settings = RunSettingsForm(context, self)
        self.settings.rejected.connect(lambda msg: self.banner.show_message(msg, "warning"))
        settings_box = QGroupBox("Run settings", self)
        QVBoxLayout(settings_box).addWidget(self.settings)

        self.trainButton = QPushButton("Train", self)
        self.trainButton.setObjectName("trainButton")
        self.trainButton.setToolTip("Train the current project in a new run (F5)")
        self.trainButton.setShortcut("F5")
        self.pauseButton = QPushButton("Pause", self)
        self.pauseButton.setObjectName("pauseButton")
        self.pauseButton.setCheckable(True)
        self.pauseButton.setToolTip("Hold training after the current batch; click again to continue")
        self.stopButton = QPushButton("Stop", self)
        self.stopButton.setObjectName("stopButton")
        self.stopButton.setToolTip("Stop after the current batch; a checkpoint is written")
        self.trainButton.clicked.connect(self.start_training)
        self.pauseButton.toggled.connect(self._pause_toggled)
        self.stopButton.clicked.connect(self.stop)
        controls = QHBoxLayout()
        controls.addWidget(self.trainButton)
        controls.addWidget(self.pauseButton)
        controls.addWidget(self.stopButton)
        self.clusterButton = QPushButton("Run on a cluster…", self)
        self.clusterButton.setObjectName("clusterButton")
        self.clusterButton.setToolTip("Write this project with the torchrun command and a SLURM script, to "
                                      "train it on several GPUs or machines")
        self.clusterButton.clicked.connect(self.run_on_cluster)
        self.lrFinderButton = QPushButton(self.tr("Find learning rate…"), self)
        self.lrFinderButton.setObjectName("lrFinderButton")
        self.lrFinderButton.setToolTip(self.tr("Try rates from tiny to large on a copy of the network and "
                                               "suggest one (the project is not changed until you say so)"))
        self.lrFinderButton.clicked.connect(self.find_learning_rate)
        self.sweepButton = QPushButton(self.tr("New sweep…"), self)
        self.sweepButton.setObjectName("sweepButton")
        self.sweepButton.setToolTip(self.tr("Search learning rate, batch size and other settings with Optuna; "
                                            "each trial is a run of this project"))
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
        runs_box = QGroupBox("Runs", self)
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
        self.progress = ProgressPanel(self)
        self.epochProgress = self.progress.epochProgress
        self.plots = TrainingPlots(self)
        self.lossPlot = self.plots.lossPlot
        self.accuracyPlot = self.plots.accuracyPlot
        self.log = QPlainTextEdit(self)
        self.log.setObjectName("trainingLog")
        self.log.setReadOnly(True)
        self.log.setMaximumBlockCount(LOG_LINES)
        self.log.setPlaceholderText("The training log appears here.")
        self.log.setMinimumHeight(60)
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
        context.listen(document.path_changed, lambda *_: self.refresh_runs(), self)
        self._update_block()
        self.refresh_runs()
        self._update_controls()

    # ------------------------------------------------------------------ state

    @property
    def document(self) -> Any:
        """The window's project document."""
        return self.context.document

    def runs_dir(self) -> Path:
        """Where this project's runs live."""
        return runs_dir_for(self.document.path)

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
        if section == "all" and not self.is_running():
            self.plots.set_overlays([])
            self.refresh_runs()

    def _update_block(self) -> None:
        """Show the first invalid layer: it blocks training until fixed."""
        error = self.document.blocking_error()
        if error is None:
            self.blockLabel.hide()
            self.blockLabel.clear()
        else:
            self.blockLabel.setText(f"Cannot train: {error}. Fix it on the Design page.")
            self.blockLabel.show()
        self._update_controls()

    def _update_controls(self) -> None:
        running = self.is_running()
        blocked = self.document.blocking_error() is not None
        self.trainButton.setEnabled(not running and not blocked)
        self.pauseButton.setEnabled(running)
        self.stopButton.setEnabled(running)
        if not running:
            self.pauseButton.blockSignals(True)
            self.pauseButton.setChecked(False)
            self.pauseButton.setText("Pause")
            self.pauseButton.blockSignals(False)

    # ------------------------------------------------------------------ starting runs

    def start_training(self) -> Path | None:
        """Train the current project in a new run folder; returns it (None when refused)."""
        if self.is_running():
            return None
        error = self.document.blocking_error()
        if error is not None:
            self._update_block()
            self.banner.show_message(f"Cannot train: {error}. Fix it on the Design page.", "error")
            return None
        snapshot = self.document.project.copy()
        try:
            run_dir = jobs.new_run_folder(self.runs_dir(), snapshot)
        except (OSError, UserError) as exc:
            self.banner.show_message(f"Cannot create the run folder under {self.runs_dir()}: {exc}", "error")
            return None
        self._launch(jobs.train_job(snapshot, run_dir), run_dir, snapshot, fresh=True,
                     what=f"Training {snapshot.name!r} in {run_dir}")
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
        self._launch(jobs.resume_job(project, run_dir), Path(run_dir), project, fresh=False,
                     what=f"Resuming {Path(run_dir).name} after epoch {len(history)}")
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
        self._launch(jobs.fork_job(project, new_dir, Path(run_dir), epoch), new_dir, project, fresh=True,
                     what=f"Forking {Path(run_dir).name} at epoch {epoch} into {new_dir.name}")
        return new_dir

    def run_on_cluster(self) -> QWidget:
        """The "Run on a cluster..." dialog: the project with torchrun and SLURM scripts."""
        from studio.gui.cluster_dialog import open_cluster_dialog

        return open_cluster_dialog(self.context, self)

    def find_learning_rate(self) -> QWidget:
        """Open the learning-rate finder (non-modal) for the open project."""
        from studio.gui.training.lr_finder_dialog import LRFinderDialog

        dialog = LRFinderDialog(self.context, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def new_sweep(self) -> QWidget:
        """Open the sweep dialog (non-modal); its trials appear in the Runs list as they end."""
        from studio.gui.training.sweep_dialog import SweepDialog

        dialog = SweepDialog(self.context, self.runs_dir(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sweepFinished.connect(lambda *_: self.refresh_runs())
        dialog.runner.pool.setMaxThreadCount(1)
        dialog.show()
        return dialog

    def _fork_dialog(self, run_dir: Path) -> None:
        from studio.gui.training.fork_dialog import ForkDialog

        dialog = ForkDialog(Path(run_dir), self)
        if dialog.exec():
            self.fork_run(Path(run_dir), dialog.epoch(), dialog.training())

    def _launch(self, job_fn: Any, run_dir: Path, project: Any, fresh: bool, what: str) -> None:
        keep_calling_thread_serial()  # the GUI thread must never own torch worker threads (see there)
        self.banner.hide()
        self.log.appendPlainText(what)
        self.plots.begin_run(epochs=project.training.epochs)
        self.progress.begin(project.training.epochs)
        job = TrainingJob(job_fn, run_dir, project, fresh=fresh)  # owned by jobs.track, not the page
        worker = job.worker
        queued = Qt.ConnectionType.QueuedConnection  # emitted on the training thread
        worker.started.connect(self._on_started, queued)
        worker.batches.connect(self._on_batches, queued)
        worker.epoch.connect(self._on_epoch, queued)
        worker.state.connect(self._on_state, queued)
        worker.log.connect(self.log.appendPlainText, queued)
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
            self.pauseButton.setText("Resume")
            self.progress.statusLabel.setText("Paused")
            self.log.appendPlainText("Paused after the current batch.")
        else:
            self.job.resume()
            self.pauseButton.setText("Pause")
            self.progress.statusLabel.setText("Running")
            self.log.appendPlainText("Resumed.")

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
            self.progress.statusLabel.setText("Stopping…")
            self.log.appendPlainText("Stopping after the current batch…")

    # ------------------------------------------------------------------ worker signals

    def _on_started(self, info: dict[str, Any]) -> None:
        history = list(info.get("history") or [])
        self.plots.begin_run(history, epochs=int(info.get("epochs") or 1))
        start = int(info.get("start_epoch") or 1)
        self.progress.begin(int(info.get("epochs") or 1), start - 1)
        self.progress.statusLabel.setText("Running")
        self.runs.refresh()  # the engine has written the run folder: list it
        self.log.appendPlainText(start_line(info))

    def _on_state(self, state: str) -> None:
        self.progress.statusLabel.setText(state.capitalize())

    def _on_batches(self, rows: list[tuple[Any, ...]], last: dict[str, Any]) -> None:
        self.plots.add_batches(rows)
        if not (self.job is not None and self.job.paused):
            self.progress.on_batch(last)

    def _on_epoch(self, event: dict[str, Any]) -> None:
        self.plots.add_epoch(event)
        self.progress.on_epoch(event)
        self.runs.refresh()  # the running run's epochs and best accuracy
        self.log.appendPlainText(epoch_line(event))

    def _on_finished(self, end: dict[str, Any]) -> None:
        status = str(end.get("status", "failed"))
        run_dir = str(end.get("run_dir", self.job.run_dir if self.job else ""))
        self.plots.flush()
        self.progress.finish(status)
        summary = end_line(end)
        self.log.appendPlainText(summary)
        if status == "failed":
            message = str(end.get("message") or "the run failed; see the log")
            self.log.appendPlainText(f"Failed: {message}")
            self.banner.show_message(f"Training failed: {message}", "error")
        elif status == "stopped":
            self.context.show_status(f"Training stopped; checkpoint in {run_dir}")
        else:
            self.context.show_status(summary)
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
            self, "Training is running",
            "A training run is in progress. Stop it and close? A checkpoint is written, and the "
            "run can be resumed later from the Train page.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
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
