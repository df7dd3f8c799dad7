""" "Fork from checkpoint": pick a saved epoch of a run and change the recipe for the new run.

The dialog starts from the source run's own training settings (from its ``project.json``),
so that only what the user changes differs; the new run starts from the chosen epoch's
weights. The dict-shaped fields come from :mod:`studio.core.project.train_settings`.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studio.core.project import train_settings as ts
from studio.core.project.project_file import MAX_EPOCHS, OPTIMIZERS, SCHEDULERS
from studio.core.runs.history import checkpoint_epochs
from studio.core.runs.run_folder import read_run
from studio.core.training.progress import format_accuracy
from studio.gui.training.settings_form import LogSpinBox


class ForkDialog(QDialog):
    """Choose the epoch to start from and the new run's epochs, optimizer, rate and schedule."""

    def __init__(self, run_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("forkDialog")
        self.setWindowTitle(self.tr("Fork {run}").format(run=run_dir.name))
        info = read_run(run_dir)
        self._training = info.project.to_dict()["training"] if info.project else {}
        by_epoch = {int(e["epoch"]): e for e in info.epochs if isinstance(e.get("epoch"), int)}
        epochs = checkpoint_epochs(run_dir) or sorted(by_epoch)[-1:]
        self.epochCombo = QComboBox(objectName="forkEpoch")
        for epoch in epochs:
            acc = by_epoch.get(epoch, {}).get("val_acc")
            self.epochCombo.addItem(
                self.tr("epoch {epoch}  (val {accuracy})").format(epoch=epoch, accuracy=format_accuracy(acc)),
                epoch,
            )
        self.epochCombo.setCurrentIndex(self.epochCombo.count() - 1)
        self.epochs = QSpinBox(objectName="forkEpochs")
        self.epochs.setRange(1, MAX_EPOCHS)
        self.epochs.setValue(int(self._training.get("epochs", 3)))
        self.epochs.setToolTip(self.tr("Epochs of the new run (counted from its start)"))
        opt = self._training.get("optimizer", {"type": "AdamW", "lr": 0.001})
        self.optimizer = QComboBox(objectName="forkOptimizer")
        self.optimizer.addItems(list(OPTIMIZERS))
        self.optimizer.setCurrentText(str(opt.get("type", "AdamW")))
        self.lr = LogSpinBox(1e-7, 10.0)
        self.lr.setObjectName("forkLearningRate")
        self.lr.setValue(float(opt.get("lr", 0.001)))
        self.batch_size = QSpinBox(objectName="forkBatchSize")
        self.batch_size.setRange(1, 65536)
        self.batch_size.setValue(int(self._training.get("batch_size", 64)))
        self.scheduler = QComboBox(objectName="forkScheduler")
        self.scheduler.addItem(self.tr("none"), ts.NO_SCHEDULER)
        for name in SCHEDULERS:
            self.scheduler.addItem(name, name)
        kind = ts.scheduler_type(self._training.get("scheduler"))
        self.scheduler.setCurrentIndex(max(0, self.scheduler.findData(kind)))

        form = QFormLayout()
        form.addRow(self.tr("Start from"), self.epochCombo)
        form.addRow(self.tr("Epochs"), self.epochs)
        form.addRow(self.tr("Optimizer"), self.optimizer)
        form.addRow(self.tr("Learning rate"), self.lr)
        form.addRow(self.tr("Batch size"), self.batch_size)
        form.addRow(self.tr("Scheduler"), self.scheduler)
        note = QLabel(
            self.tr("The new run starts from the chosen epoch's weights; the original run is kept.")
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Fork"))
        buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.epochCombo.count() > 0)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def epoch(self) -> int:
        """The epoch to fork from."""
        return int(self.epochCombo.currentData())

    def training(self) -> dict[str, Any]:
        """The new run's ``training`` section: the source run's, with the dialog's changes."""
        training = copy.deepcopy(self._training)
        lr = float(f"{self.lr.value():.6g}")
        training["epochs"] = self.epochs.value()
        training["batch_size"] = self.batch_size.value()
        training["optimizer"] = ts.optimizer_with(
            training.get("optimizer", {}), type=self.optimizer.currentText(), lr=lr
        )
        training["scheduler"] = ts.scheduler_for(
            str(self.scheduler.currentData()), training.get("scheduler"), epochs=self.epochs.value(), lr=lr
        )
        return training
