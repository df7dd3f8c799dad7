"""Train page > *New sweep…*: an Optuna search over a few settings, each trial a run.

The form builds the same ``--param`` specifications as ``cnn-studio sweep`` (learning rate,
batch size, optimizer, label smoothing, plus any ``KEY=VALUES`` line), and
:func:`studio.core.training.sweep.run_sweep` runs them on a background task. The table fills
in as trials end; when the sweep is over, a parallel-coordinates plot draws every trial from
its settings to its accuracy, and Optuna's own importance estimate says which setting mattered.
"""

from __future__ import annotations

import math
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.core.base.errors import UserError
from studio.core.training.lr_finder import rate_key
from studio.gui.common.i18n import fill
from studio.gui.common.tasks import TaskRunner


def _passthrough(*args: Any) -> tuple[Any, ...]:
    return args


class SweepDialog(QDialog):
    """Configure, run and read a sweep of the open project (see the module docstring)."""

    sweepFinished = Signal(object)  # the SweepResult

    def __init__(self, context: Any, runs_dir: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sweepDialog")
        self.setWindowTitle(self.tr("New sweep"))
        self.context = context
        self.runs_dir = runs_dir
        self.result: Any = None
        self.runner = TaskRunner(self, progress=_passthrough)
        self.task: Any = None
        project = context.document.project

        self.lrCheck = QCheckBox(self.tr("Learning rate from"), self)
        self.lrCheck.setChecked(True)
        self.lrLow = QLineEdit("1e-4", self)
        self.lrHigh = QLineEdit("1e-1", self)
        lr_row = QHBoxLayout()
        lr_row.addWidget(self.lrLow)
        lr_row.addWidget(QLabel(self.tr("to"), self))
        lr_row.addWidget(self.lrHigh)
        lr_row.addWidget(QLabel(self.tr("(log scale)"), self))
        self.batchCheck = QCheckBox(self.tr("Batch size, one of"), self)
        self.batchValues = QLineEdit("32,64,128", self)
        self.optimizerCheck = QCheckBox(self.tr("Optimizer, one of"), self)
        self.optimizerValues = QLineEdit("SGD,Adam,AdamW", self)
        self.smoothingCheck = QCheckBox(self.tr("Label smoothing from 0 to"), self)
        self.smoothingHigh = QLineEdit("0.2", self)
        self.extra = QPlainTextEdit(self)
        self.extra.setPlaceholderText(
            self.tr("More settings, one KEY=VALUES a line, e.g.\nmodel.layers[0].out_channels=8:64:int")
        )
        self.extra.setMaximumHeight(60)
        self.trials = QSpinBox(self)
        self.trials.setRange(1, 200)
        self.trials.setValue(8)
        self.epochs = QSpinBox(self)
        self.epochs.setRange(1, 1000)
        self.epochs.setValue(max(1, min(project.training.epochs, 3)))
        self.sampler = QComboBox(self)
        for label, key in (
            (self.tr("TPE (learns from earlier trials)"), "tpe"),
            (self.tr("random"), "random"),
            (self.tr("grid (choices only)"), "grid"),
        ):
            self.sampler.addItem(label, key)
        self.prune = QCheckBox(self.tr("Stop hopeless trials early (median pruner)"), self)
        self.prune.setChecked(True)
        form = QFormLayout()
        form.addRow(self.lrCheck, lr_row)
        form.addRow(self.batchCheck, self.batchValues)
        form.addRow(self.optimizerCheck, self.optimizerValues)
        form.addRow(self.smoothingCheck, self.smoothingHigh)
        form.addRow(self.tr("Other settings"), self.extra)
        form.addRow(self.tr("Trials"), self.trials)
        form.addRow(self.tr("Epochs per trial"), self.epochs)
        form.addRow(self.tr("Search"), self.sampler)
        form.addRow("", self.prune)

        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("sweepTrials")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Trial"), self.tr("State"), self.tr("Accuracy"), self.tr("Settings")]
        )
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().hide()
        self.plot = pg.PlotWidget(self)
        self.plot.setObjectName("sweepParallel")
        self.plot.setMinimumHeight(150)
        self.plot.hide()
        self.status = QLabel(self.tr("Each trial is a run of this project in its Runs list."), self)
        self.status.setObjectName("sweepStatus")
        self.status.setWordWrap(True)
        self.startButton = QPushButton(self.tr("Start sweep"), self)
        self.startButton.setObjectName("sweepStart")
        self.startButton.clicked.connect(self.start)
        self.stopButton = QPushButton(self.tr("Stop"), self)
        self.stopButton.setEnabled(False)
        self.stopButton.clicked.connect(self.stop)
        buttons = QHBoxLayout()
        buttons.addWidget(self.startButton)
        buttons.addWidget(self.stopButton)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.plot, 1)
        layout.addWidget(close)
        self.resize(720, 640)
        self._stop = False

    # ------------------------------------------------------------------ settings

    def param_texts(self) -> list[str]:
        """The form as ``cnn-studio sweep --param`` texts."""
        texts = []
        if self.lrCheck.isChecked():
            key = rate_key(self.context.document.project)
            texts.append(f"{key}={self.lrLow.text().strip()}:{self.lrHigh.text().strip()}:log")
        if self.batchCheck.isChecked():
            texts.append(f"training.batch_size={self.batchValues.text().strip()}")
        if self.optimizerCheck.isChecked():
            texts.append(f"training.optimizer.type={self.optimizerValues.text().strip()}")
        if self.smoothingCheck.isChecked():
            texts.append(f"training.label_smoothing=0:{self.smoothingHigh.text().strip()}")
        texts += [line.strip() for line in self.extra.toPlainText().splitlines() if line.strip()]
        return texts

    # ------------------------------------------------------------------ running

    @property
    def busy(self) -> bool:
        """A sweep is running."""
        return self.runner.busy

    def start(self) -> bool:
        """Check the form and start the sweep; False (with the reason shown) when refused."""
        # lazy: torch and optuna; the dialog opens without them
        from studio.core.training.sweep import parse_param, run_sweep

        try:
            params = [parse_param(t) for t in self.param_texts()]
            if not params:
                raise UserError(self.tr("Choose at least one setting to search."))
        except UserError as exc:
            self.status.setText(str(exc))
            return False
        project = self.context.document.project.copy()
        runs_dir, trials, epochs = self.runs_dir, self.trials.value(), self.epochs.value()
        sampler, pruner = str(self.sampler.currentData()), "median" if self.prune.isChecked() else "none"
        self._stop = False
        self.table.setRowCount(0)
        self.plot.hide()
        self.startButton.setEnabled(False)
        self.stopButton.setEnabled(True)
        self.status.setText(fill(self.tr("Running %1 trials…"), trials))

        def work(progress: Any, cancelled: Any) -> Any:
            return run_sweep(
                project,
                params,
                trials=trials,
                sampler=sampler,
                pruner=pruner,
                runs_dir=runs_dir,
                epochs=epochs,
                on_trial=progress,
                stop=lambda: cancelled() or self._stop,
            )

        self.task = self.runner.start(
            work,
            on_progress=self._trial,
            on_finished=self._done,
            on_failed=self._failed,
            on_cancelled=self._cancelled,
            name="sweep",
        )
        return True

    def stop(self) -> None:
        """End the sweep after the current epoch of the current trial."""
        self._stop = True
        self.status.setText(self.tr("Stopping after the current epoch…"))

    def _trial(self, record: Any) -> None:
        row = self.table.rowCount()
        sorting = self.table.isSortingEnabled()
        self.table.setSortingEnabled(False)
        self.table.insertRow(row)
        number = QTableWidgetItem()
        number.setData(Qt.ItemDataRole.DisplayRole, int(record.number))
        accuracy = QTableWidgetItem()
        if record.value is not None:
            accuracy.setData(Qt.ItemDataRole.DisplayRole, round(float(record.value), 4))
        settings = ", ".join(f"{k.split('.')[-1]}={_short(v)}" for k, v in record.params.items())
        cells = [number, QTableWidgetItem(record.state.lower()), accuracy, QTableWidgetItem(settings)]
        for col, item in enumerate(cells):
            item.setToolTip(record.run)
            self.table.setItem(row, col, item)
        self.table.setSortingEnabled(sorting)

    def _done(self, result: Any) -> None:
        self.result = result
        self.startButton.setEnabled(True)
        self.stopButton.setEnabled(False)
        done = sum(t.state == "COMPLETE" for t in result.trials)
        text = fill(self.tr("%1 trials in the study, %2 complete."), len(result.trials), done)
        if result.best is not None:
            text += " " + fill(
                self.tr("Best: trial %1, accuracy %2."), result.best.number, f"{result.best.value:.4f}"
            )
        importances = self.importances()
        if importances:
            parts = ", ".join(f"{k.split('.')[-1]} {v:.0%}" for k, v in importances.items())
            text += " " + fill(self.tr("What mattered most: %1."), parts)
        self.status.setText(text)
        self.draw_parallel(result)
        self.sweepFinished.emit(result)

    def _failed(self, message: str) -> None:
        self.startButton.setEnabled(True)
        self.stopButton.setEnabled(False)
        self.status.setText(message)

    def _cancelled(self) -> None:
        self.startButton.setEnabled(True)
        self.stopButton.setEnabled(False)
        self.status.setText(self.tr("Cancelled."))

    def importances(self) -> dict[str, float]:
        """Optuna's importance of each setting for the finished study (empty with too few trials)."""
        import optuna

        # lazy: torch and optuna, once a sweep has run
        from studio.core.training.sweep import param_importances

        if self.result is None:
            return {}
        study = optuna.load_study(study_name=self.result.study, storage=self.result.storage)
        return param_importances(study)

    def draw_parallel(self, result: Any) -> int:
        """Parallel coordinates: one line per complete trial, across its settings to its accuracy."""
        self.plot.clear()
        done = [t for t in result.trials if t.state == "COMPLETE" and t.value is not None]
        keys = sorted({k for t in done for k in t.params})
        if not done or not keys:
            self.plot.hide()
            return 0
        axes = [*keys, self.tr("accuracy")]

        def column(key: str) -> list[float]:
            if key == axes[-1]:
                return [float(t.value) for t in done]
            raw = [t.params.get(key) for t in done]
            if all(isinstance(v, (int, float)) for v in raw):
                values = [float(v) for v in raw]
                if min(values) > 0 and max(values) / min(values) > 20:
                    values = [math.log10(v) for v in values]  # a log-scale setting
                return values
            names = sorted({str(v) for v in raw})
            return [float(names.index(str(v))) for v in raw]

        columns = []
        for key in axes:
            values = column(key)
            lo, hi = min(values), max(values)
            columns.append([(v - lo) / (hi - lo) if hi > lo else 0.5 for v in values])
        best = max(range(len(done)), key=lambda i: done[i].value or 0.0)
        for i in range(len(done)):
            pen = pg.mkPen("#e07b1f" if i == best else "#2f6fdf", width=3 if i == best else 1)
            self.plot.plot(list(range(len(axes))), [columns[a][i] for a in range(len(axes))], pen=pen)
        ticks = [(i, k.split(".")[-1]) for i, k in enumerate(axes)]
        self.plot.getAxis("bottom").setTicks([ticks])
        self.plot.getAxis("left").setTicks([[(0, self.tr("low")), (1, self.tr("high"))]])
        self.plot.setXRange(-0.25, len(axes) - 0.75, padding=0)
        self.plot.setYRange(-0.05, 1.05, padding=0)
        self.plot.show()
        return len(done)

    def done(self, result: int) -> None:  # noqa: D102 - closing stops a running sweep
        if self.busy:
            self._stop = True
            if self.task is not None:
                self.task.cancel()
            self.runner.wait(30_000)
        super().done(result)


def _short(value: Any) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value)
