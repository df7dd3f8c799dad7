"""The fine-tuning controls of a pretrained model (``model.freeze``, ``unfreeze_from``,
``unfreeze_after``, ``unfreeze_mode``, ``backbone_lr_mult``; docs/transfer-learning.md).

Every change is one undoable ``document.set_field("model", key, value)`` edit; the widgets
only show the document. Under them, the model's stages (from the input to the head) with
their parameter counts and when each starts training, and the first epoch's trainable
parameter count: :func:`studio.core.training.finetune.trainable_summary`, computed off the GUI thread
by the :class:`SummarySource`.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSignalBlocker, Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from studio.core.model.zoo import STAGES, stage_names
from studio.core.project.project_file import MAX_EPOCHS
from studio.gui.common.context import StudioContext
from studio.gui.common.theme import colors
from studio.gui.designer.summary_source import SummarySource

UNFREEZE_MODES = (
    (str(QT_TRANSLATE_NOOP("FineTuneControls", "one more stage each time")), "stage"),
    (str(QT_TRANSLATE_NOOP("FineTuneControls", "the whole backbone at once")), "all"),
)
STAGE_HEADERS = (
    str(QT_TRANSLATE_NOOP("FineTuneControls", "Stage")),
    str(QT_TRANSLATE_NOOP("FineTuneControls", "Parameters")),
    str(QT_TRANSLATE_NOOP("FineTuneControls", "Trains")),
)


def train_from_choices(arch: str) -> list[tuple[str, int | None]]:
    """The "Train from" list: ``(label, unfreeze_from)`` from the head alone down to everything."""
    names = stage_names(arch)
    count = len(STAGES[arch])
    out: list[tuple[str, int | None]] = [
        (QCoreApplication.translate("FineTuneControls", "the head only"), None)
    ]
    for index in range(count, -1, -1):
        if index == count:
            label = QCoreApplication.translate("FineTuneControls", "{stage} + the head").format(
                stage=names[index]
            )
        elif index == 0:
            label = QCoreApplication.translate("FineTuneControls", "everything (stem → head)")
        else:
            label = QCoreApplication.translate("FineTuneControls", "{stage} → head").format(
                stage=names[index]
            )
        out.append((label, index))
    return out


def stage_starts(schedule: list[tuple[int, list[str]]]) -> dict[str, int]:
    """The epoch (1-based) each stage starts training in, from an unfreezing schedule."""
    return {name: epoch for epoch, names in schedule for name in names}


class FineTuneControls(QGroupBox):
    """The fine-tuning group of the pretrained panel, bound to the document."""

    def __init__(self, context: StudioContext, source: SummarySource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Fine-tuning"))
        self.setObjectName("pretrainedFineTune")
        self.ctx = context
        self.doc = context.document
        self.source = source
        self._arch: str | None = None

        self.freeze = QCheckBox(self.tr("Freeze the pretrained backbone"))
        self.freeze.setObjectName("pretrainedFreeze")
        self.freeze.setSizePolicy(
            QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed
        )  # clickable where it shows
        self.freeze.setToolTip(
            self.tr(
                "Frozen: only the new head (and the stages chosen below) trains: fast, "
                "needs few images. Off: every layer trains from the first epoch (slower, "
                "needs more data)."
            )
        )
        self._freeze_tip = self.freeze.toolTip()
        self.train_from = QComboBox()
        self.train_from.setObjectName("pretrainedUnfreezeFrom")
        self.train_from.setToolTip(
            self.tr(
                "Which stages train from the first epoch along with the head. "
                "Stages run from the input (stem) to the head; the deepest ones "
                "are the most specific to ImageNet."
            )
        )
        self.unfreeze_after = QSpinBox()
        self.unfreeze_after.setObjectName("pretrainedUnfreezeAfter")
        self.unfreeze_after.setRange(0, MAX_EPOCHS)
        self.unfreeze_after.setSpecialValueText(self.tr("never"))
        self._set_unfreeze_affixes("all", 2)
        self.unfreeze_after.setKeyboardTracking(False)
        self.unfreeze_after.setToolTip(
            self.tr(
                "Gradual unfreezing: after this many completed epochs more of the backbone starts training"
            )
        )
        self.unfreeze_mode = QComboBox()
        self.unfreeze_mode.setObjectName("pretrainedUnfreezeMode")
        for label, _ in UNFREEZE_MODES:
            self.unfreeze_mode.addItem(self.tr(label))
        self.unfreeze_mode.setToolTip(
            self.tr(
                "Unfreeze the next frozen stage (deepest first) every K epochs, "
                "or the whole backbone once K epochs are done"
            )
        )
        self.backbone_lr = QDoubleSpinBox()
        self.backbone_lr.setObjectName("pretrainedBackboneLr")
        self.backbone_lr.setRange(0.001, 1.0)
        self.backbone_lr.setDecimals(3)
        self.backbone_lr.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
        self.backbone_lr.setSuffix(self.tr(" × the head's"))
        self.backbone_lr.setKeyboardTracking(False)
        self.backbone_lr.setToolTip(
            self.tr(
                "The backbone's learning rate is the head's times this (0.1 is "
                "common once the backbone trains; 1 = the same rate)"
            )
        )

        self.stages = QTableWidget(0, len(STAGE_HEADERS))
        self.stages.setObjectName("pretrainedStages")
        self.stages.setHorizontalHeaderLabels([self.tr(h) for h in STAGE_HEADERS])
        self.stages.verticalHeader().hide()
        self.stages.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.stages.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.stages.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.stages.setShowGrid(False)
        self.stages.setWordWrap(False)
        self.stages.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stages.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.stages.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.stages.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.trainable = QLabel()
        self.trainable.setObjectName("pretrainedTrainable")
        self.trainable.setWordWrap(True)
        self.schedule = QLabel()
        self.schedule.setObjectName("pretrainedSchedule")
        self.schedule.setWordWrap(True)

        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.freeze)
        form.addRow(self.tr("Train from"), self.train_from)
        form.addRow(self.tr("Gradual unfreezing"), self.unfreeze_after)
        form.addRow(self.tr("Each step unfreezes"), self.unfreeze_mode)
        form.addRow(self.tr("Backbone learning rate"), self.backbone_lr)
        form.addRow(self.stages)
        form.addRow(self.trainable)
        form.addRow(self.schedule)

        self.freeze.toggled.connect(lambda on: self._set("freeze", "backbone" if on else "none"))
        self.train_from.activated.connect(lambda i: self._set("unfreeze_from", self.train_from.itemData(i)))
        self.unfreeze_after.valueChanged.connect(
            lambda v: self._set("unfreeze_after", int(v) or None, merge=True)
        )
        self.unfreeze_mode.activated.connect(lambda i: self._set("unfreeze_mode", UNFREEZE_MODES[i][1]))
        self.backbone_lr.valueChanged.connect(
            lambda v: self._set("backbone_lr_mult", round(float(v), 6), merge=True)
        )
        source.changed.connect(self._refresh_summary)

    def _set_unfreeze_affixes(self, mode: str, epochs: int) -> None:
        """ "every 2 epochs" / "after 1 epoch" around the spin box's number, from one whole sentence."""
        if mode == "stage":
            text = self.tr("every {n} epoch") if epochs == 1 else self.tr("every {n} epochs")
        else:
            text = self.tr("after {n} epoch") if epochs == 1 else self.tr("after {n} epochs")
        prefix, _, suffix = text.partition("{n}")
        self.unfreeze_after.setPrefix(prefix)
        self.unfreeze_after.setSuffix(suffix)

    # ------------------------------------------------------------------ view -> document

    def _set(self, key: str, value: Any, merge: bool = False) -> None:
        model = self.doc.project.model
        if model.kind != "pretrained" or getattr(model, key) == value:
            return
        merge_key: Hashable | None = ("pretrained", key) if merge else None
        self.ctx.push(lambda: self.doc.set_field("model", key, value), merge_key=merge_key)

    # ------------------------------------------------------------------ document -> view

    def refresh(self) -> None:
        """Show the document's fine-tuning settings."""
        m = self.doc.project.model
        if m.kind != "pretrained":
            return
        if self._arch != m.arch:
            self._arch = m.arch
            with QSignalBlocker(self.train_from):
                self.train_from.clear()
                for label, value in train_from_choices(m.arch):
                    self.train_from.addItem(label, value)
            names = stage_names(m.arch)
            self.stages.setRowCount(len(names))
            for row, name in enumerate(names):
                for col, text in enumerate((name, "", "")):
                    item = QTableWidgetItem(text)
                    if col == 1:
                        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    self.stages.setItem(row, col, item)
            height = self.stages.horizontalHeader().sizeHint().height() + 2 * self.stages.frameWidth()
            height += sum(self.stages.rowHeight(r) for r in range(len(names)))
            self.stages.setFixedHeight(height)
        frozen = m.freeze == "backbone"
        with QSignalBlocker(self.freeze):
            self.freeze.setChecked(frozen)
        with QSignalBlocker(self.train_from):
            self.train_from.setCurrentIndex(max(0, self.train_from.findData(m.unfreeze_from)))
        with QSignalBlocker(self.unfreeze_after):
            self.unfreeze_after.setValue(m.unfreeze_after or 0)
            self._set_unfreeze_affixes(m.unfreeze_mode, m.unfreeze_after or 0)
        with QSignalBlocker(self.unfreeze_mode):
            self.unfreeze_mode.setCurrentIndex(0 if m.unfreeze_mode == "stage" else 1)
        with QSignalBlocker(self.backbone_lr):
            self.backbone_lr.setValue(m.backbone_lr_mult)
        # random weights cannot stay frozen (studio.core.project.checks.frozen_random_backbone):
        # the box can be unticked, not ticked
        random = m.weights is None
        self.freeze.setEnabled(frozen or not random)
        self.freeze.setToolTip(
            self.tr(
                "Without pretrained weights every layer must train: choose ImageNet "
                "weights or a .pth file to freeze the backbone."
            )
            if random and not frozen
            else self._freeze_tip
        )
        self.train_from.setEnabled(frozen)
        self.unfreeze_after.setEnabled(frozen)
        self.unfreeze_mode.setEnabled(frozen and m.unfreeze_after is not None)
        backbone_trains = not frozen or m.unfreeze_from is not None or m.unfreeze_after is not None
        self.backbone_lr.setEnabled(backbone_trains)
        self._refresh_summary()

    def _refresh_summary(self) -> None:
        if not self.source.is_pretrained() or self._arch != self.doc.project.model.arch:
            return
        summary = self.source.finetune()
        error = self.source.finetune_error()
        starts = stage_starts(summary.schedule) if summary is not None else {}
        muted, normal = QBrush(colors().muted_fg), QBrush(self.palette().text().color())
        for stage in range(self.stages.rowCount()):
            name = self.stages.item(stage, 0).text()
            info = summary.stages[stage] if summary is not None and stage < len(summary.stages) else None
            start = starts.get(name)
            if summary is None:
                state = ""
            elif start == 1:
                state = self.tr("from epoch 1")
            elif start is not None:
                state = self.tr("from epoch {epoch}").format(epoch=start)
            else:
                state = self.tr("frozen")
            self.stages.item(stage, 1).setText(f"{info.params:,}" if info is not None else "")
            self.stages.item(stage, 2).setText(state)
            trains_now = info is not None and info.trainable
            for col in range(len(STAGE_HEADERS)):
                item = self.stages.item(stage, col)
                item.setForeground(normal if trains_now else muted)
                item.setToolTip(
                    self.tr("trains in the first epoch")
                    if trains_now
                    else self.tr("frozen in the first epoch: its weights do not change")
                    if info is not None
                    else ""
                )
        if error:
            self.trainable.setText(self.tr("Cannot work out what trains: {error}").format(error=error))
            self.schedule.clear()
        elif summary is None:
            self.trainable.setText(self.tr("Working out which parameters train…"))
            self.schedule.clear()
        else:
            share = 100.0 * summary.trainable_params / max(summary.total_params, 1)
            share_text = f"{share:.1f}" if share >= 1 or share == 0 else f"{share:.2g}"
            self.trainable.setText(
                self.tr("<b>Trainable in epoch 1: {trainable}</b> of {total} parameters ({share} %)").format(
                    trainable=f"{summary.trainable_params:,}",
                    total=f"{summary.total_params:,}",
                    share=share_text,
                )
            )
            self.schedule.setText(self._schedule_text(summary.schedule))
        self.schedule.setVisible(bool(self.schedule.text()))

    def _schedule_text(self, schedule: list[tuple[int, list[str]]]) -> str:
        m = self.doc.project.model
        epochs = self.doc.project.training.epochs
        later = [
            self.tr("epoch {epoch} adds {stages}").format(epoch=epoch, stages=", ".join(names))
            for epoch, names in schedule[1:]
        ]
        if later:
            return self.tr("Over the {epochs} training epochs: {steps}.").format(
                epochs=epochs, steps="; ".join(later)
            )
        if m.freeze == "backbone" and m.unfreeze_after is not None:
            return self.tr(
                "Nothing more unfreezes within the {epochs} training epochs (after {after} epochs it "
                "would); train longer or unfreeze sooner."
            ).format(epochs=epochs, after=m.unfreeze_after)
        return ""
