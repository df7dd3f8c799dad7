"""Train page > *Find learning rate…*: the range test with its loss curve drawn live.

The sweep (:func:`studio.core.training.lr_finder.find_lr`) runs on a background task over a
copy of the network; the curve grows as batches finish, the suggested rate is marked with a
vertical line, and *Use this rate* writes it into the project as one undoable edit (the
optimizer's ``lr``, or a one-cycle schedule's ``max_lr``).
"""

from __future__ import annotations

import math
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.training.lr_finder import find_lr, rate_edit
from studio.gui.common.i18n import fill
from studio.gui.common.tasks import TaskRunner
from studio.gui.training.live_plot import follow_palette


def _passthrough(*args: Any) -> tuple[Any, ...]:
    return args


class LRFinderDialog(QDialog):
    """The learning-rate finder for the open project (see the module docstring)."""

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lrFinderDialog")
        self.setWindowTitle(self.tr("Find a learning rate"))
        self.context = context
        self.suggested: float | None = None
        self.lrs: list[float] = []
        self.losses: list[float] = []
        self.runner = TaskRunner(self, progress=_passthrough)
        self.task: Any = None

        intro = QLabel(
            self.tr(
                "Trains a copy of the network for up to 100 batches while the learning rate "
                "grows from 10⁻⁶ to 1, and suggests a tenth of the rate where the loss is lowest. "
                "The project and its runs are not changed."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.plot = pg.PlotWidget(self)
        self.plot.setObjectName("lrFinderPlot")
        self.plot.setLogMode(x=True, y=False)
        self.plot.setLabel("bottom", self.tr("learning rate"))
        self.plot.getAxis("bottom").enableAutoSIPrefix(False)
        self.plot.setLabel("left", self.tr("loss (smoothed)"))
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        follow_palette(self.plot, self.palette())
        self.curve = self.plot.plot([], [], pen=pg.mkPen("#2f6fdf", width=2))
        self.marker = pg.InfiniteLine(angle=90, pen=pg.mkPen("#e07b1f", width=2, style=Qt.PenStyle.DashLine))
        self.marker.hide()
        self.plot.addItem(self.marker)
        self.status = QLabel(self.tr("Press Start."), self)
        self.status.setObjectName("lrFinderStatus")
        self.status.setWordWrap(True)

        self.startButton = QPushButton(self.tr("Start"), self)
        self.startButton.setObjectName("lrFinderStart")
        self.startButton.clicked.connect(self.start)
        self.cancelButton = QPushButton(self.tr("Cancel"), self)
        self.cancelButton.setEnabled(False)
        self.cancelButton.clicked.connect(self.cancel)
        self.useButton = QPushButton(self.tr("Use this rate"), self)
        self.useButton.setObjectName("lrFinderUse")
        self.useButton.setEnabled(False)
        self.useButton.clicked.connect(self.use_rate)
        row = QHBoxLayout()
        row.addWidget(self.startButton)
        row.addWidget(self.cancelButton)
        row.addStretch(1)
        row.addWidget(self.useButton)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.status)
        layout.addLayout(row)
        layout.addWidget(close)
        self.resize(620, 460)

    @property
    def busy(self) -> bool:
        """A sweep is running."""
        return self.runner.busy

    def start(self) -> None:
        """Run the sweep on the project as it is now."""
        project = self.context.document.project.copy()
        self.lrs, self.losses, self.suggested = [], [], None
        self.curve.setData([], [])
        self.marker.hide()
        self.useButton.setEnabled(False)
        self.startButton.setEnabled(False)
        self.cancelButton.setEnabled(True)
        self.status.setText(self.tr("Loading the data and building the network…"))

        def work(progress: Any, cancelled: Any) -> Any:
            return find_lr(project, on_step=progress, cancel=cancelled)

        self.task = self.runner.start(
            work,
            on_progress=self._step,
            on_finished=self._done,
            on_failed=self._failed,
            on_cancelled=self._cancelled,
            name="lr-find",
        )

    def cancel(self) -> None:
        """Stop the sweep after the current batch (what it has so far stays on the plot)."""
        if self.task is not None:
            self.task.cancel()

    def _step(self, step: int, lr: float, loss: float) -> None:
        self.lrs.append(lr)
        self.losses.append(loss)
        self.curve.setData(self.lrs, self.losses)
        self.status.setText(
            fill(self.tr("Batch %1 · learning rate %2 · loss %3"), step, f"{lr:.2e}", f"{loss:.4f}")
        )

    def _finish_buttons(self) -> None:
        self.startButton.setEnabled(True)
        self.cancelButton.setEnabled(False)

    def _done(self, result: Any) -> None:
        self._finish_buttons()
        self.lrs, self.losses = list(result.lrs), list(result.losses)
        self.curve.setData(self.lrs, self.losses)
        self.suggested = result.suggested
        if self.suggested is None:
            self.status.setText(self.tr("No suggestion: the loss did not fall over the swept range."))
            return
        self.marker.setValue(math.log10(self.suggested))
        self.marker.show()
        self.useButton.setEnabled(True)
        note = self.tr(" The loss diverged, so the sweep stopped early.") if result.stopped_early else ""
        self.status.setText(fill(self.tr("Suggested learning rate: %1."), f"{self.suggested:.3g}") + note)

    def _failed(self, message: str) -> None:
        self._finish_buttons()
        self.status.setText(message)

    def _cancelled(self) -> None:
        self._finish_buttons()
        self.status.setText(self.tr("Cancelled."))

    def use_rate(self) -> bool:
        """Write the suggested rate into the project (one undoable edit)."""
        if self.suggested is None:
            return False
        doc = self.context.document
        section, key, value = rate_edit(doc.project, self.suggested)

        def make() -> Any:
            edit = doc.set_field(section, key, value)
            edit.text = fill(self.tr("use learning rate %1"), f"{self.suggested:.3g}")
            return edit

        return bool(self.context.push(make))

    def done(self, result: int) -> None:  # noqa: D102 - closing cancels a running sweep
        self.cancel()
        self.runner.wait(10_000)
        super().done(result)
