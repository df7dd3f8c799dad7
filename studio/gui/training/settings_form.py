"""The run settings form: epochs, batch size, optimizer, schedule, early stopping, device...

Every widget shows a field of ``document.project`` and writes changes back only through
``context.push(document.set_field(...))``, so every change is one undoable edit and the form
never keeps its own copy of the recipe. When the document changes (an edit, undo, a project
opened) the form re-reads it with its signals blocked. The dict-shaped fields (optimizer,
scheduler, early stopping, augmentation) are computed by :mod:`studio.core.project.train_settings`.
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from studio.core.base.errors import UserError
from studio.core.base.i18n import tr as core_tr
from studio.core.data.augment import PRESET_NAMES
from studio.core.project import train_settings as ts
from studio.core.project.project_file import DEVICES, MAX_EPOCHS, OPTIMIZERS, SCHEDULERS


class LogSpinBox(QDoubleSpinBox):
    """A spin box for rates: arrows step 1-2-5 (0.001, 0.002, 0.005, 0.01...), text in %g."""

    def __init__(self, minimum: float, maximum: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDecimals(10)
        self.setRange(minimum, maximum)
        self.setKeyboardTracking(False)

    def textFromValue(self, value: float) -> str:  # noqa: N802 (Qt override)
        """Short scientific-friendly text: 0.003, 1e-05."""
        return f"{value:.4g}"

    def valueFromText(self, text: str) -> float:  # noqa: N802 (Qt override)
        """Parse what :meth:`textFromValue` writes (or any float)."""
        try:
            return float(text)
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int) -> object:  # noqa: D102 (Qt override)
        from PySide6.QtGui import QValidator

        stripped = text.strip()
        if stripped in ("", ".", "-", "e", "1e", "1e-"):
            return QValidator.State.Intermediate
        try:
            value = float(stripped)
        except ValueError:
            ok = all(c in "0123456789.eE-+" for c in stripped)
            return QValidator.State.Intermediate if ok else QValidator.State.Invalid
        if self.minimum() <= value <= self.maximum():
            return QValidator.State.Acceptable
        return QValidator.State.Intermediate

    def stepBy(self, steps: int) -> None:  # noqa: N802 (Qt override)
        """Move along the 1-2-5 ladder instead of adding a fixed step."""
        value = self.value()
        if value <= 0:
            self.setValue(max(self.minimum(), 1e-4) if steps > 0 else self.minimum())
            return
        exponent = math.floor(math.log10(value))
        ladder = [m * 10.0**e for e in range(exponent - 2, exponent + 3) for m in (1, 2, 5)]
        for _ in range(abs(steps)):
            if steps > 0:
                bigger = [v for v in ladder if v > value * 1.0001]
                value = bigger[0] if bigger else value
            else:
                smaller = [v for v in ladder if v < value * 0.9999]
                value = smaller[-1] if smaller else value
        self.setValue(float(f"{value:.6g}"))


class RunSettingsForm(QWidget):
    """The training recipe of the open project, as editable, undoable fields."""

    #: a change was refused (the message says why)
    rejected = Signal(str)

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runSettings")
        self.context = context
        self._loading = False
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setContentsMargins(0, 0, 0, 0)

        self.epochs = QSpinBox(objectName="epochsSpin")
        self.epochs.setRange(1, MAX_EPOCHS)
        self.batch_size = QSpinBox(objectName="batchSizeSpin")
        self.batch_size.setRange(1, 65536)
        self.optimizer = QComboBox(objectName="optimizerCombo")
        self.optimizer.addItems(list(OPTIMIZERS))
        self.lr = LogSpinBox(1e-7, 10.0)
        self.lr.setObjectName("learningRateSpin")
        self.weight_decay = LogSpinBox(0.0, 10.0)
        self.weight_decay.setObjectName("weightDecaySpin")
        self.momentum = QDoubleSpinBox(objectName="momentumSpin")
        self.momentum.setRange(0.0, 1.0)
        self.momentum.setSingleStep(0.05)
        self.scheduler = QComboBox(objectName="schedulerCombo")
        self.scheduler.addItem(self.tr("none"), ts.NO_SCHEDULER)
        for name in SCHEDULERS:
            self.scheduler.addItem(name, name)
        self.scheduler_param_label = QLabel()
        self.scheduler_value = LogSpinBox(1e-7, 10.0)
        self.scheduler_value.setObjectName("schedulerValueSpin")
        self.scheduler_int = QSpinBox(objectName="schedulerIntSpin")
        self.scheduler_int.setRange(0, MAX_EPOCHS)
        self.early = QCheckBox(self.tr("Use"), objectName="earlyStoppingCheck")
        self.patience = QSpinBox(objectName="patienceSpin")
        self.patience.setRange(1, 1000)
        self.patience.setPrefix(self.tr("patience "))
        self.monitor = QComboBox(objectName="monitorCombo")
        self.monitor.addItems(list(ts.EARLY_STOP_MONITORS))
        self.device = QComboBox(objectName="deviceCombo")
        for name in DEVICES:
            self.device.addItem(self.tr("auto") if name == "auto" else name, name)
        self.seed = QSpinBox(objectName="seedSpin")
        self.seed.setRange(0, 2**31 - 1)
        self.augment = QComboBox(objectName="augmentCombo")
        for name in PRESET_NAMES:
            self.augment.addItem(self.preset_label(name), name)

        for spin in (self.epochs, self.batch_size, self.seed, self.scheduler_int, self.patience):
            spin.setKeyboardTracking(False)
        self.momentum.setKeyboardTracking(False)

        early_row = QHBoxLayout()
        early_row.addWidget(self.early)
        early_row.addWidget(self.patience, 1)
        early_row.addWidget(self.monitor, 1)
        sched_row = QHBoxLayout()
        sched_row.addWidget(self.scheduler_value, 1)
        sched_row.addWidget(self.scheduler_int, 1)

        form.addRow(self.tr("Epochs"), self.epochs)
        form.addRow(self.tr("Batch size"), self.batch_size)
        form.addRow(self.tr("Optimizer"), self.optimizer)
        form.addRow(self.tr("Learning rate"), self.lr)
        form.addRow(self.tr("Weight decay"), self.weight_decay)
        form.addRow(self.tr("Momentum"), self.momentum)
        form.addRow(self.tr("Scheduler"), self.scheduler)
        form.addRow(self.scheduler_param_label, sched_row)
        form.addRow(self.tr("Early stopping"), early_row)
        form.addRow(self.tr("Device"), self.device)
        form.addRow(self.tr("Seed"), self.seed)
        form.addRow(self.tr("Augmentation"), self.augment)
        self._form = form

        tips = {
            self.epochs: self.tr("How many passes over the training set."),
            self.batch_size: self.tr(
                "Images per optimisation step; larger is faster per image but needs more memory."
            ),
            self.lr: self.tr("Step size of the optimizer. Arrows move along 1-2-5 (0.001, 0.002, 0.005...)."),
            self.weight_decay: self.tr("L2 penalty on the weights (AdamW: decoupled)."),
            self.momentum: self.tr("SGD momentum (only for SGD)."),
            self.scheduler: self.tr("How the learning rate changes during the run."),
            self.early: self.tr("Stop when the monitored metric has not improved for `patience` epochs."),
            self.device: self.tr("auto picks CUDA, then Apple MPS, then the CPU."),
            self.seed: self.tr("Same seed and settings on the CPU: the same run, number for number."),
            self.augment: self.tr("Random crops, flips, rotations... applied to training batches."),
        }
        for widget, tip in tips.items():
            widget.setToolTip(tip)

        self.epochs.valueChanged.connect(lambda v: self._set("epochs", int(v)))
        self.batch_size.valueChanged.connect(lambda v: self._set("batch_size", int(v)))
        self.seed.valueChanged.connect(lambda v: self._set("seed", int(v)))
        self.device.currentIndexChanged.connect(lambda _: self._set("device", self.device.currentData()))
        self.optimizer.currentTextChanged.connect(lambda v: self._set_optimizer(type=v))
        self.lr.valueChanged.connect(lambda v: self._set_optimizer(lr=float(f"{v:.6g}")))
        self.weight_decay.valueChanged.connect(lambda v: self._set_optimizer(weight_decay=float(f"{v:.6g}")))
        self.momentum.valueChanged.connect(lambda v: self._set_optimizer(momentum=round(float(v), 4)))
        self.scheduler.currentIndexChanged.connect(
            lambda _: self._set_scheduler_type(self.scheduler.currentData())
        )
        self.scheduler_value.valueChanged.connect(lambda v: self._set_scheduler_param(float(f"{v:.6g}")))
        self.scheduler_int.valueChanged.connect(lambda v: self._set_scheduler_param(int(v)))
        self.early.toggled.connect(lambda on: self._set_early(on))
        self.patience.valueChanged.connect(lambda v: self._set_early(True, patience=int(v)))
        self.monitor.currentTextChanged.connect(lambda v: self._set_early(True, monitor=v))
        self.augment.currentIndexChanged.connect(lambda _: self._set_augment(self.augment.currentData()))

        context.listen(context.document.changed, self._on_changed, self)
        self.refresh()

    # ------------------------------------------------------------------ document

    @property
    def _document(self) -> Any:
        return self.context.document

    def _on_changed(self, section: str) -> None:
        if section in ("training", "data", "all"):
            self.refresh()

    def refresh(self) -> None:
        """Re-read every field from the document (signals blocked: no edits are made)."""
        project = self._document.project
        t = project.training
        self._loading = True
        try:
            self.epochs.setValue(t.epochs)
            self.batch_size.setValue(t.batch_size)
            self.seed.setValue(min(t.seed, self.seed.maximum()))
            _select(self.device, t.device)
            opt = t.optimizer
            _select(self.optimizer, str(opt.get("type", "AdamW")))
            self.lr.setValue(float(opt.get("lr", 0.001)))
            self.weight_decay.setValue(float(opt.get("weight_decay", 0.0)))
            is_sgd = opt.get("type") == "SGD"
            self.momentum.setValue(float(opt.get("momentum", 0.0)))
            self.momentum.setEnabled(is_sgd)
            kind = ts.scheduler_type(t.scheduler)
            _select(self.scheduler, kind)
            param = ts.SCHEDULER_PARAM.get(kind)
            value = ts.scheduler_param(t.scheduler, epochs=t.epochs, lr=float(opt.get("lr", 0.001)))
            is_int = param is not None and param[0] in ("step_size", "patience")
            # the argument's label comes from the core (train_settings.SCHEDULER_PARAM)
            self.scheduler_param_label.setText(core_tr(param[1]) if param else self.tr("Schedule"))
            self.scheduler_value.setVisible(param is not None and not is_int)
            self.scheduler_int.setVisible(is_int)
            if param is not None and value is not None:
                (self.scheduler_int if is_int else self.scheduler_value).setValue(value)
            self.scheduler_param_label.setEnabled(param is not None)
            self.scheduler_value.setEnabled(param is not None)
            es = t.early_stopping
            self.early.setChecked(es is not None)
            self.patience.setValue(int((es or {}).get("patience", 3)))
            _select(self.monitor, str((es or {}).get("monitor", "val_loss")))
            self.patience.setEnabled(es is not None)
            self.monitor.setEnabled(es is not None)
            preset = ts.augment_preset(project.data.augment)
            custom = self.augment.findData(ts.CUSTOM_AUGMENT)
            if preset != ts.CUSTOM_AUGMENT and custom >= 0:
                self.augment.removeItem(custom)  # only offered while the project has hand-set keys
            _select(self.augment, preset, self.preset_label(preset))
        finally:
            self._loading = False

    def preset_label(self, name: str) -> str:
        """The augmentation combo's label for a preset key (``"light"``, ``"custom"``...)."""
        labels = {
            "none": self.tr("none"),
            "light": self.tr("light"),
            "standard": self.tr("standard"),
            "strong": self.tr("strong"),
            ts.CUSTOM_AUGMENT: self.tr("custom"),
        }
        return labels.get(name, name)

    # ------------------------------------------------------------------ edits

    def _push(self, section: str, key: str, value: Any) -> None:
        if self._loading:
            return
        document = self._document
        if document.project.to_dict()[section].get(key) == value:
            return
        try:
            edit = document.set_field(section, key, value)
        except UserError as exc:
            self.rejected.emit(str(exc))
            self.refresh()
            return
        # consecutive changes of one field (arrow steps) are one undo step
        self.context.push(edit, merge_key=("settings", section, key))

    def _set(self, key: str, value: Any) -> None:
        self._push("training", key, value)

    def _set_optimizer(self, **changes: Any) -> None:
        if self._loading:
            return
        self._set("optimizer", ts.optimizer_with(self._document.project.training.optimizer, **changes))

    def _set_scheduler_type(self, kind: str) -> None:
        if self._loading:
            return
        t = self._document.project.training
        lr = float(t.optimizer.get("lr", 0.001))
        self._set("scheduler", ts.scheduler_for(kind, t.scheduler, epochs=t.epochs, lr=lr))

    def _set_scheduler_param(self, value: float | int) -> None:
        if self._loading:
            return
        current = self._document.project.training.scheduler
        if current is None or ts.SCHEDULER_PARAM.get(ts.scheduler_type(current)) is None:
            return
        self._set("scheduler", ts.scheduler_with_param(current, value))

    def _set_early(self, enabled: bool, **changes: Any) -> None:
        if self._loading:
            return
        current = self._document.project.training.early_stopping
        if changes and current is None:
            return  # patience/monitor edits while off do nothing
        self._set("early_stopping", ts.early_stopping_for(enabled, current, **changes))

    def _set_augment(self, name: str) -> None:
        if self._loading or name == ts.CUSTOM_AUGMENT:
            return
        self._push("data", "augment", ts.augment_for_preset(name))


def _select(combo: QComboBox, value: str, label: str | None = None) -> None:
    """Select the item whose data (or, without data, text) is ``value``, adding it first when
    the file holds an unlisted value (shown as ``label``, else as the value itself)."""
    index = combo.findData(value)
    if index < 0:
        index = combo.findText(value, Qt.MatchFlag.MatchExactly)
    if index < 0:
        combo.addItem(label or value, value)
        index = combo.count() - 1
    combo.setCurrentIndex(index)
