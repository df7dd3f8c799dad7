"""Progress of the running training: epoch and batch bars, time left, images per second.

``epochProgress`` counts finished epochs, the batch bar the current epoch's batches. The ETA
comes from :class:`studio.core.training.progress.EtaEstimator`; the speed is the engine's own
images-per-second figure.

``QProgressBar.setValue`` repaints the bar *at once* (a synchronous ``repaint()``) whenever
its text changes, which the batch bar's does at every update; :func:`set_value_later` asks
for an ordinary queued repaint instead, so that a bar, the labels beside it and the plots
are painted together in one pass of the event loop while training competes for the CPU.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QGridLayout, QLabel, QProgressBar, QWidget

from studio.core.training.progress import EtaEstimator, format_duration, format_rate
from studio.gui.common.i18n import fill

#: what the status read-out says for each state of a run (translated when shown)
STATUS_TEXTS = {
    "ready": QT_TRANSLATE_NOOP("TrainingStatus", "Ready"),
    "starting": QT_TRANSLATE_NOOP("TrainingStatus", "Starting…"),
    "running": QT_TRANSLATE_NOOP("TrainingStatus", "Running"),
    "paused": QT_TRANSLATE_NOOP("TrainingStatus", "Paused"),
    "validating": QT_TRANSLATE_NOOP("TrainingStatus", "Validating"),
    "stopping": QT_TRANSLATE_NOOP("TrainingStatus", "Stopping…"),
    "completed": QT_TRANSLATE_NOOP("TrainingStatus", "Completed"),
    "stopped": QT_TRANSLATE_NOOP("TrainingStatus", "Stopped"),
    "failed": QT_TRANSLATE_NOOP("TrainingStatus", "Failed"),
    "interrupted": QT_TRANSLATE_NOOP("TrainingStatus", "Interrupted"),
}


def status_text(status: str) -> str:
    """The status read-out's word for ``status`` (``"paused"`` -> ``"Paused"``), translated."""
    text = STATUS_TEXTS.get(status)
    return QCoreApplication.translate("TrainingStatus", str(text)) if text else status.capitalize()


def set_value_later(bar: QProgressBar, value: int) -> None:
    """``bar.setValue(value)``, repainted with the next paint pass instead of right now."""
    if bar.value() == value:
        return
    bar.setUpdatesEnabled(False)  # setValue's own repaint() does nothing while updates are off
    bar.setValue(value)
    bar.setUpdatesEnabled(True)  # schedules an update()


class ProgressPanel(QWidget):
    """Two bars and three read-outs; fed by the page from worker signals."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.epochProgress = QProgressBar(self)
        self.epochProgress.setObjectName("epochProgress")
        self.epochProgress.setFormat(self.tr("epoch %v / %m"))
        self.epochProgress.setRange(0, 1)
        self.epochProgress.setValue(0)
        self.batchProgress = QProgressBar(self)
        self.batchProgress.setObjectName("batchProgress")
        self.batchProgress.setFormat(self.tr("batch %v / %m"))
        self.batchProgress.setRange(0, 1)
        self.batchProgress.setValue(0)
        self.statusLabel = QLabel(status_text("ready"), self)
        self.statusLabel.setObjectName("trainingStatus")
        self.etaLabel = QLabel(self)
        self.etaLabel.setObjectName("etaLabel")
        self.speedLabel = QLabel(self)
        self.speedLabel.setObjectName("speedLabel")
        # fixed sizes: a read-out whose text changes every batch must not re-layout the window
        # (Qt invalidates the parent layouts of a label whose new text could change its size
        # hint unless both its width and its height are fixed)
        metrics = self.etaLabel.fontMetrics()
        statuses = [status_text(s) for s in STATUS_TEXTS] + [fill(self.tr("Epoch %1"), 999)]
        for label, samples in (
            (self.etaLabel, [fill(self.tr("left %1"), "00:00:00")]),
            (self.speedLabel, ["00,000 img/s"]),
            (self.statusLabel, statuses),
        ):
            width = max(metrics.horizontalAdvance(sample) for sample in samples)
            label.setFixedSize(width + 12, label.sizeHint().height())
        self.etaLabel.setToolTip(self.tr("Estimated time left"))
        self.speedLabel.setToolTip(self.tr("Training images per second"))
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.addWidget(self.statusLabel, 0, 0)
        grid.addWidget(self.epochProgress, 0, 1)
        grid.addWidget(self.etaLabel, 0, 2)
        grid.addWidget(self.batchProgress, 1, 1)
        grid.addWidget(self.speedLabel, 1, 2)
        grid.setColumnStretch(1, 1)
        self._eta: EtaEstimator | None = None
        self._epochs = 1
        self.reset()

    def reset(self, status: str = "ready") -> None:
        """Nothing running (``status``: a key of :data:`STATUS_TEXTS`)."""
        self.statusLabel.setText(status_text(status))
        self.etaLabel.setText(fill(self.tr("left %1"), "–"))
        self.speedLabel.setText(format_rate(None))
        self._eta = None

    def set_planned(self, epochs: int) -> None:
        """Nothing running: the epoch bar shows the project's epochs ("epoch 0 / 10")."""
        self._epochs = max(1, int(epochs))
        self.epochProgress.setRange(0, self._epochs)
        self.epochProgress.setValue(0)

    def begin(self, epochs: int, start_epoch: int = 0) -> None:
        """A run of ``epochs`` epochs starts (after ``start_epoch`` already done: a resume)."""
        self._epochs = max(1, int(epochs))
        self.epochProgress.setRange(0, self._epochs)
        self.epochProgress.setValue(min(start_epoch, self._epochs))
        self.batchProgress.setRange(0, 1)
        self.batchProgress.setValue(0)
        self._eta = EtaEstimator(self._epochs, start_epoch)
        self.statusLabel.setText(status_text("starting"))
        self.etaLabel.setText(fill(self.tr("left %1"), "–"))
        self.speedLabel.setText(format_rate(None))

    def on_batch(self, event: dict[str, Any]) -> None:
        """The latest batch event: move the batch bar, ETA and speed."""
        epoch, batch, batches = (
            int(event.get("epoch", 1)),
            int(event.get("batch", 0)),
            int(event.get("batches", 1)),
        )
        if self.batchProgress.maximum() != batches:
            self.batchProgress.setRange(0, max(1, batches))
        set_value_later(self.batchProgress, min(batch, batches))
        set_value_later(self.epochProgress, min(max(0, epoch - 1), self._epochs))
        if self._eta is not None:
            self._eta.update(epoch, batch, batches)
            self.etaLabel.setText(fill(self.tr("left %1"), format_duration(self._eta.remaining())))
        self.speedLabel.setText(format_rate(event.get("images_per_second")))
        self.statusLabel.setText(fill(self.tr("Epoch %1"), epoch))

    def on_epoch(self, event: dict[str, Any]) -> None:
        """An epoch finished."""
        epoch = int(event.get("epoch", 0))
        self.epochProgress.setValue(min(epoch, self._epochs))
        if isinstance(event.get("images_per_second"), (int, float)):
            self.speedLabel.setText(format_rate(event["images_per_second"]))

    def finish(self, status: str) -> None:
        """The run ended with ``status``."""
        self.statusLabel.setText(status_text(status))
        self.etaLabel.setText(fill(self.tr("left %1"), "–"))
        if status == "completed":
            self.epochProgress.setValue(self.epochProgress.maximum())
            self.batchProgress.setValue(self.batchProgress.maximum())
        self._eta = None
