"""Runs > *Compare…*: two or more runs side by side.

Three parts, all read from the runs' own folders: the settings in which the runs differ (one
row per setting, one column per run), their validation accuracy and loss curves overlaid, and
their confusion matrices side by side (each run's best checkpoint evaluated on its validation
split in the background, as the Evaluate page does).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from studio.core.evaluation.evaluate import evaluate_run
from studio.core.runs.compare import differing_keys, format_seconds, format_setting
from studio.core.runs.history import RunRow, run_curves
from studio.core.training.progress import format_accuracy
from studio.gui.common.i18n import fill
from studio.gui.common.tasks import TaskRunner, as_fraction
from studio.gui.training.live_plot import follow_palette
from studio.gui.training.run_list import status_word

COLOURS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")


class CompareDialog(QDialog):
    """The runs ``rows`` side by side (see the module docstring)."""

    def __init__(self, rows: list[RunRow], parent: QWidget | None = None, evaluate: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("compareRunsDialog")
        self.setWindowTitle(fill(self.tr("Compare %1 runs"), len(rows)))
        self.rows = rows
        self.keys = differing_keys(r.settings for r in rows)
        self.matrices: dict[Path, Any] = {}
        self.runner = TaskRunner(self, threads=1, progress=as_fraction)

        self.settings = QTableWidget(self)
        self.settings.setObjectName("compareSettings")
        self._fill_settings()
        self.plots = QWidget(self)
        plots = QVBoxLayout(self.plots)
        self.accuracy = pg.PlotWidget(self.plots)
        self.accuracy.setObjectName("compareAccuracy")
        self.accuracy.setLabel("left", self.tr("validation accuracy (%)"))
        self.accuracy.setLabel("bottom", self.tr("epoch"))
        self.accuracy.addLegend(labelTextColor=follow_palette(self.accuracy, self.palette()))
        self.loss = pg.PlotWidget(self.plots)
        self.loss.setObjectName("compareLoss")
        self.loss.setLabel("left", self.tr("validation loss"))
        self.loss.setLabel("bottom", self.tr("epoch"))
        follow_palette(self.loss, self.palette())
        plots.addWidget(self.accuracy)
        plots.addWidget(self.loss)
        self.curves_drawn = self._draw_curves()
        self.matrix_area = QWidget(self)
        self.matrix_grid = QGridLayout(self.matrix_area)
        self.matrix_status = QLabel(
            self.tr("Evaluating each run's best checkpoint on its validation images…"), self
        )
        self.matrix_status.setWordWrap(True)
        matrices = QWidget(self)
        m_layout = QVBoxLayout(matrices)
        m_layout.addWidget(self.matrix_status)
        m_layout.addWidget(self.matrix_area, 1)
        tabs = QTabWidget(self)
        tabs.addTab(self.settings, self.tr("Settings"))
        tabs.addTab(self.plots, self.tr("Curves"))
        tabs.addTab(matrices, self.tr("Confusion matrices"))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs, 1)
        layout.addWidget(close)
        self.resize(900, 600)
        if evaluate:
            self.evaluate_all()

    # ------------------------------------------------------------------ settings and curves

    def _fill_settings(self) -> None:
        fixed = [
            (self.tr("best validation accuracy"), lambda r: format_accuracy(r.best_val_acc)),
            (self.tr("test accuracy"), lambda r: format_accuracy(r.test_acc)),
            (self.tr("epochs"), lambda r: r.epochs_text),
            (self.tr("time"), lambda r: format_seconds(r.seconds)),
            (self.tr("status"), lambda r: status_word(r.status)),
        ]
        self.settings.setRowCount(len(fixed) + len(self.keys))
        self.settings.setColumnCount(len(self.rows))
        self.settings.setHorizontalHeaderLabels([r.display or r.name for r in self.rows])
        labels = [label for label, _ in fixed] + self.keys
        self.settings.setVerticalHeaderLabels(labels)
        for c, row in enumerate(self.rows):
            for r, (_, get) in enumerate(fixed):
                self.settings.setItem(r, c, QTableWidgetItem(get(row)))
            for i, key in enumerate(self.keys):
                self.settings.setItem(
                    len(fixed) + i, c, QTableWidgetItem(format_setting(row.settings.get(key)))
                )
        self.settings.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.settings.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)

    def _draw_curves(self) -> int:
        drawn = 0
        for i, row in enumerate(self.rows):
            curves = run_curves(row.path)
            epochs = curves.get("epoch") or []
            pen = pg.mkPen(COLOURS[i % len(COLOURS)], width=2)
            name = row.display or row.name
            acc = [
                (e, 100 * v)
                for e, v in zip(epochs, curves.get("val_acc") or [], strict=False)
                if v is not None
            ]
            loss = [
                (e, v) for e, v in zip(epochs, curves.get("val_loss") or [], strict=False) if v is not None
            ]
            if acc:
                self.accuracy.plot(
                    [a for a, _ in acc],
                    [b for _, b in acc],
                    pen=pen,
                    symbol="o",
                    symbolSize=5,
                    symbolBrush=COLOURS[i % len(COLOURS)],
                    name=name,
                )
                drawn += 1
            if loss:
                self.loss.plot([a for a, _ in loss], [b for _, b in loss], pen=pen, name=name)
        return drawn

    # ------------------------------------------------------------------ confusion matrices

    def evaluate_all(self) -> None:
        """Evaluate each run's best checkpoint in the background; matrices appear as they finish."""
        for row in self.rows:
            path = row.path

            def work(progress: Any, cancelled: Any, path: Path = path) -> Any:
                return evaluate_run(path, which="best", split="val", progress=progress, cancel=cancelled)

            self.runner.start(
                work,
                name=f"compare {path.name}",
                on_finished=partial(self._show_matrix, path),
                on_failed=partial(self._show_failure, path),
            )

    def _cell(self, path: Path) -> tuple[int, int]:
        index = [r.path for r in self.rows].index(path)
        return index // 3, index % 3

    def _show_matrix(self, path: Path, evaluation: Any) -> None:
        self.matrices[path] = evaluation.confusion
        row = next(r for r in self.rows if r.path == path)
        box = QGroupBox(
            fill(self.tr("%1 · accuracy %2"), row.display or row.name, format_accuracy(evaluation.accuracy)),
            self.matrix_area,
        )
        table = QTableWidget(len(evaluation.classes), len(evaluation.classes), box)
        table.setObjectName(f"compareMatrix_{path.name}")
        table.setHorizontalHeaderLabels([str(i) for i in range(len(evaluation.classes))])
        table.setVerticalHeaderLabels([f"{i} {str(c)[:12]}" for i, c in enumerate(evaluation.classes)])
        table.horizontalHeader().setDefaultSectionSize(34)
        table.verticalHeader().setDefaultSectionSize(20)
        cm = evaluation.confusion
        peak = max(int(cm.max()), 1)
        for i in range(cm.shape[0]):
            for j in range(cm.shape[1]):
                item = QTableWidgetItem(str(int(cm[i, j])))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                strength = int(cm[i, j]) / peak
                item.setBackground(QBrush(QColor(0, 114, 178, int(30 + 200 * strength))))
                table.setItem(i, j, item)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        QVBoxLayout(box).addWidget(table)
        self.matrix_grid.addWidget(box, *self._cell(path))
        self._update_status()

    def _show_failure(self, path: Path, message: str) -> None:
        self.matrices[path] = None
        row = next(r for r in self.rows if r.path == path)
        label = QLabel(
            fill(self.tr("%1: not evaluated (%2)"), row.display or row.name, message), self.matrix_area
        )
        label.setWordWrap(True)
        self.matrix_grid.addWidget(label, *self._cell(path))
        self._update_status()

    def _update_status(self) -> None:
        if len(self.matrices) == len(self.rows):
            self.matrix_status.setText(
                self.tr(
                    "Rows: true class; columns: predicted. Each run's best checkpoint "
                    "on its validation images."
                )
            )

    @property
    def busy(self) -> bool:
        """Matrices are still being computed."""
        return self.runner.busy

    def done(self, result: int) -> None:  # noqa: D102 - closing cancels the evaluations
        self.runner.cancel_all()
        self.runner.wait(10_000)
        super().done(result)
