"""The model-kind switch and the pretrained-model settings.

A project's network is either a stack of blocks or a pretrained torchvision classifier
(docs/project-format.md, ``model.kind``). For a pretrained model the user picks the architecture
(:data:`studio.core.model.zoo.ARCHITECTURES`, with torchvision's facts about it: parameters,
ImageNet accuracy, input size), the weights (ImageNet ``DEFAULT``, none, or a local ``.pth``
file), the input size the weights expect ("Use the model's input size") and the fine-tuning
controls (:mod:`studio.gui.designer.finetune_controls`); each choice is one undoable edit.
Everything that needs torch or torchvision runs in the :class:`SummarySource`'s worker thread.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.model import zoo
from studio.core.model.zoo import ARCHITECTURES, STAGES
from studio.core.project.document import Edit
from studio.gui.common.column_scroll import ColumnScroll
from studio.gui.common.context import StudioContext
from studio.gui.designer.finetune_controls import FineTuneControls
from studio.gui.designer.summary_source import ModelFacts, SummarySource

WEIGHT_CHOICES = (
    (str(QT_TRANSLATE_NOOP("PretrainedPanel", "ImageNet weights (DEFAULT)")), "DEFAULT"),
    (str(QT_TRANSLATE_NOOP("PretrainedPanel", "No weights (train from scratch)")), None),
    (str(QT_TRANSLATE_NOOP("PretrainedPanel", "A local .pth file…")), "file"),
)


class ModelKindSwitch(QWidget):
    """Two exclusive buttons: "Stack of blocks" / "Pretrained model"; ``kindChosen(kind)``."""

    kindChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.stack_button = QToolButton()
        self.stack_button.setObjectName("modelKindStack")
        self.stack_button.setText(self.tr("Stack of blocks"))
        self.stack_button.setToolTip(self.tr("Build the network layer by layer from the palette"))
        self.pretrained_button = QToolButton()
        self.pretrained_button.setObjectName("modelKindPretrained")
        self.pretrained_button.setText(self.tr("Pretrained model"))
        self.pretrained_button.setToolTip(
            self.tr("Fine-tune an ImageNet-trained torchvision model (transfer learning)")
        )
        self.group = QButtonGroup(self)
        for b in (self.stack_button, self.pretrained_button):
            b.setCheckable(True)
            self.group.addButton(b)
            row.addWidget(b)
        self.stack_button.setChecked(True)
        self.stack_button.clicked.connect(lambda: self.kindChosen.emit("stack"))
        self.pretrained_button.clicked.connect(lambda: self.kindChosen.emit("pretrained"))

    def set_kind(self, kind: str) -> None:
        """Show ``kind`` as chosen (no signal)."""
        button = self.pretrained_button if kind == "pretrained" else self.stack_button
        with QSignalBlocker(self.group):
            button.setChecked(True)


def facts_text(facts: ModelFacts) -> str:
    """'11.7 M parameters · ImageNet top-1 69.8 %, top-5 89.1 % · trained at 224 × 224'."""
    info = facts.info
    parts = [
        QCoreApplication.translate("PretrainedPanel", "{millions} M parameters").format(
            millions=f"{info.params / 1e6:.1f}"
        )
    ]
    if info.acc_top1 is not None:
        if info.acc_top5 is not None:
            parts.append(
                QCoreApplication.translate(
                    "PretrainedPanel", "ImageNet top-1 {top1} %, top-5 {top5} %"
                ).format(top1=f"{info.acc_top1:.1f}", top5=f"{info.acc_top5:.1f}")
            )
        else:
            parts.append(
                QCoreApplication.translate("PretrainedPanel", "ImageNet top-1 {top1} %").format(
                    top1=f"{info.acc_top1:.1f}"
                )
            )
    if max(info.min_size) > 1:
        parts.append(
            QCoreApplication.translate(
                "PretrainedPanel", "trained at {size} × {size} (smallest input {h} × {w})"
            ).format(size=info.input_size, h=info.min_size[0], w=info.min_size[1])
        )
    else:
        parts.append(
            QCoreApplication.translate("PretrainedPanel", "trained at {size} × {size}").format(
                size=info.input_size
            )
        )
    return "  ·  ".join(parts)


def weights_text(weights: str | None, facts: ModelFacts | None) -> str:
    """Where the starting weights come from, and what to do when they are missing."""
    if weights is None:
        return QCoreApplication.translate(
            "PretrainedPanel",
            "Random initial weights: every layer trains (a frozen backbone would never learn). "
            "Training from scratch needs far more images and epochs.",
        )
    if weights != "DEFAULT":
        path = Path(os.path.expanduser(weights))
        return (
            QCoreApplication.translate("PretrainedPanel", "Starts from {path}.")
            if path.is_file()
            else QCoreApplication.translate(
                "PretrainedPanel",
                "✗ {path} does not exist: choose an existing .pth state dict of this architecture.",
            )
        ).format(path=path)
    if facts is None:
        return ""
    target = facts.weights_path
    if target.is_file():
        return QCoreApplication.translate("PretrainedPanel", "✓ In torchvision's cache: {path}").format(
            path=target
        )
    return QCoreApplication.translate(
        "PretrainedPanel",
        "Not downloaded yet: the first training run downloads {file} into {folder}. Without a network, "
        "download it on another computer from {url} and copy it into that folder, or choose it with "
        "“A local .pth file…”.",
    ).format(file=target.name, folder=target.parent, url=facts.info.url)


def match_stages(raw: dict[str, Any], arch: str) -> dict[str, Any]:
    """A model section switched to ``arch``, training as many of its deepest stages as before."""
    old_count = len(STAGES[raw["arch"]])
    raw = {**raw, "arch": arch}
    if raw.get("unfreeze_from") is not None:
        trained = old_count - int(raw["unfreeze_from"]) + 1  # stages below the head that train
        raw["unfreeze_from"] = max(0, len(STAGES[arch]) - trained + 1)
    return raw


class PretrainedPanel(ColumnScroll):
    """Architecture, weights, input size and fine-tuning of a pretrained model, bound to the document."""

    def __init__(self, context: StudioContext, source: SummarySource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pretrainedPanel")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.ctx = context
        self.doc = context.document
        self.source = source
        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(0, 4, 6, 4)
        intro = QLabel(
            self.tr(
                "<b>Transfer learning</b>: start from a network trained on ImageNet's 1.2 "
                "million photos. Its last layer (the head) is replaced to fit your classes; "
                "train the head alone, or more of the network below it."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        model_box = QGroupBox(self.tr("Model"))
        grid = QGridLayout(model_box)  # a grid, not a form: its wrapped labels get their true height
        grid.setColumnStretch(1, 1)
        self.arch = QComboBox()
        self.arch.setObjectName("pretrainedArch")
        self.arch.addItems(list(ARCHITECTURES))
        self.arch.setToolTip(self.tr("torchvision's classification model (ResNets are a good first choice)"))
        self.facts = QLabel()
        self.facts.setObjectName("pretrainedFacts")
        self.facts.setWordWrap(True)
        self.weights = QComboBox()
        self.weights.setObjectName("pretrainedWeights")
        for label, _ in WEIGHT_CHOICES:
            self.weights.addItem(self.tr(label))
        self.weights.setToolTip(self.tr("Where the starting weights come from"))
        self.weights_file = QLineEdit()
        self.weights_file.setObjectName("pretrainedWeightsFile")
        self.weights_file.setPlaceholderText(self.tr("path to a .pth state dict"))
        self.browse = QPushButton(self.tr("Browse…"))
        self.browse.setObjectName("pretrainedBrowseWeights")
        self.file_host = QWidget()
        file_row = QHBoxLayout(self.file_host)
        file_row.setContentsMargins(0, 0, 0, 0)
        file_row.addWidget(self.weights_file, 1)
        file_row.addWidget(self.browse)
        self.weights_status = QLabel()
        self.weights_status.setObjectName("pretrainedWeightsStatus")
        self.weights_status.setWordWrap(True)
        self.weights_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.input_note = QLabel()
        self.input_note.setObjectName("pretrainedInputWarning")
        self.input_note.setWordWrap(True)
        self.use_input_size = QPushButton(self.tr("Use the model's input size"))
        self.use_input_size.setObjectName("pretrainedUseInputSize")
        self.use_input_size.clicked.connect(self.apply_input_size)
        input_row = QWidget()
        ir = QVBoxLayout(input_row)
        ir.setContentsMargins(0, 0, 0, 0)
        ir.addWidget(self.input_note)
        ir.addWidget(self.use_input_size, 0, Qt.AlignmentFlag.AlignLeft)
        top = Qt.AlignmentFlag.AlignTop
        for row, (label, widget) in enumerate(
            (
                (self.tr("Architecture"), self.arch),
                ("", self.facts),
                (self.tr("Weights"), self.weights),
                ("", self.file_host),
                ("", self.weights_status),
                (self.tr("Input"), input_row),
            )
        ):
            if label:
                grid.addWidget(QLabel(label), row, 0, top if widget is input_row else Qt.AlignmentFlag(0))
            grid.addWidget(widget, row, 1)
        layout.addWidget(model_box)

        self.finetune = FineTuneControls(context, source)
        self.freeze = self.finetune.freeze
        layout.addWidget(self.finetune)
        self.status = QLabel()
        self.status.setObjectName("pretrainedStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.setWidget(inner)

        self.arch.currentTextChanged.connect(self._set_arch)
        self.weights.activated.connect(self._weights_chosen)
        self.weights_file.editingFinished.connect(self._file_typed)
        self.browse.clicked.connect(self._browse)
        context.listen(self.doc.changed, lambda *_: self.refresh(), self)
        source.changed.connect(self._refresh_lazy)
        self.refresh()

    # ------------------------------------------------------------------ view -> document

    def _set(self, key: str, value: Any) -> None:
        if self.doc.project.model.kind != "pretrained" or getattr(self.doc.project.model, key) == value:
            return
        self.ctx.push(lambda: self.doc.set_field("model", key, value))

    def _set_arch(self, arch: str) -> None:
        model = self.doc.project.model
        if model.kind != "pretrained" or model.arch == arch:
            return

        def edit() -> Edit:
            made = self.doc.set_section("model", match_stages(self.doc.project.to_dict()["model"], arch))
            made.text = self.tr("Use {arch}").format(arch=arch)
            return made

        self.ctx.push(edit)

    def apply_input_size(self) -> None:
        """ "Use the model's input size": RGB at the weights' size, one undoable data edit."""
        if self.source.facts() is None:  # model_info is read in the worker, never here
            return

        def edit() -> Edit:
            made = self.doc.set_section("data", zoo.recommended_data(self.doc.project))
            made.text = self.tr("Use the model's input size")
            return made

        self.ctx.push(edit)

    def _weights_chosen(self, index: int) -> None:
        choice = WEIGHT_CHOICES[index][1]
        if choice == "file":
            self.file_host.setVisible(True)
            if self.weights_file.text().strip():
                self._set("weights", self.weights_file.text().strip())
            else:
                self._browse()
        elif choice is None and self.doc.project.model.freeze == "backbone":
            self._train_from_scratch()
        else:
            self._set("weights", choice)

    def _train_from_scratch(self) -> None:
        """No weights: random features cannot stay frozen, so every layer trains (one edit)."""
        if self.doc.project.model.kind != "pretrained":
            return

        def edit() -> Edit:
            raw = {**self.doc.project.to_dict()["model"], "weights": None, "freeze": "none"}
            made = self.doc.set_section("model", raw)
            made.text = self.tr("Train from scratch")
            return made

        if self.ctx.push(edit):
            self.ctx.show_status(
                self.tr("No pretrained weights: the backbone was unfrozen, every layer trains.")
            )

    def choose_weights_file(self) -> None:
        """ "Choose weights file…": a .pth downloaded elsewhere becomes the starting weights."""
        self.file_host.setVisible(True)
        self._browse()

    def _file_typed(self) -> None:
        text = self.weights_file.text().strip()
        if text:
            self._set("weights", text)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose pretrained weights"),
            "",
            self.tr("PyTorch weights (*.pth *.pt);;All files (*)"),
        )
        if path:
            self.weights_file.setText(path)
            self._set("weights", path)
        else:
            self.refresh()

    # ------------------------------------------------------------------ document -> view

    def refresh(self) -> None:
        """Show the document's pretrained settings."""
        m = self.doc.project.model
        if m.kind != "pretrained":
            return
        with QSignalBlocker(self.arch):
            self.arch.setCurrentText(m.arch)
        index = 0 if m.weights == "DEFAULT" else 1 if m.weights is None else 2
        with QSignalBlocker(self.weights):
            self.weights.setCurrentIndex(index)
        self.file_host.setVisible(index == 2)
        if index == 2:
            with QSignalBlocker(self.weights_file):
                self.weights_file.setText(m.weights or "")
        self.finetune.refresh()
        self._refresh_lazy()

    def _refresh_lazy(self) -> None:
        """The parts that wait for the worker: model facts, weights cache, input size, head size."""
        if not self.source.is_pretrained():
            self.status.clear()
            return
        project = self.doc.project
        facts = self.source.facts()
        facts_error = self.source.facts_error()
        if facts_error:
            self.facts.setText(
                self.tr("Cannot read torchvision's facts about {arch}: {error}").format(
                    arch=project.model.arch, error=facts_error
                )
            )
        else:
            self.facts.setText(
                facts_text(facts) if facts is not None else self.tr("Loading torchvision's model facts…")
            )
        self.weights_status.setText(weights_text(project.model.weights, facts))
        self.weights_status.setVisible(bool(self.weights_status.text()))
        self._refresh_input(facts)
        self._refresh_head()

    def _refresh_input(self, facts: ModelFacts | None) -> None:
        project = self.doc.project
        h, w = project.data.image_size
        if facts is None:
            self.input_note.setText(self.tr("Images are resized to {h} × {w}.").format(h=h, w=w))
            self.use_input_size.setEnabled(False)
            return
        size = facts.info.input_size
        fits = (h, w) == (size, size) and project.data.channels == 3
        warning = zoo.input_size_warning(project)  # model_info is cached by now: no torch import here
        note = self.tr(
            "Images are resized to {h} × {w}; the weights were trained at {size} × {size}."
        ).format(h=h, w=w, size=size)
        if warning:
            note = f"⚠ {warning}"
        self.input_note.setText(note)
        self.use_input_size.setEnabled(not fits)
        self.use_input_size.setToolTip(
            self.tr(
                "Set the image size to {size} × {size} and the channels to 3 "
                "(RGB) (one undoable edit). Smaller images train faster on a "
                "CPU."
            ).format(size=size)
        )

    def _refresh_head(self) -> None:
        project = self.doc.project
        count = self.source.class_count()
        classes = self.source.classes()
        if count is None and project.data.source == "folder":
            if project.data.root:
                head = self.tr(
                    "The new head is shown with ImageNet's {classes} outputs: the dataset folder "
                    "{root} has no class sub-folders yet (Data page)."
                ).format(classes=classes, root=project.data.root)
            else:
                head = self.tr(
                    "The new head is shown with ImageNet's {classes} outputs: no dataset folder is "
                    "chosen yet (Data page)."
                ).format(classes=classes)
        elif project.data.source == "folder":
            head = self.tr("The new head has {classes} outputs, one per class folder of {root}.").format(
                classes=classes, root=project.data.root
            )
        else:
            head = self.tr("The new head has {classes} outputs, one per class of {dataset}.").format(
                classes=classes, dataset=project.data.source
            )
        error = self.source.error()
        summary = self.source.summary()
        if error:
            self.status.setText(
                self.tr("Cannot summarise {arch}: {error}").format(arch=project.model.arch, error=error)
                + "\n"
                + head
            )
        elif summary is None:
            self.status.setText(
                self.tr("Loading PyTorch to summarise {arch}…").format(arch=project.model.arch) + "\n" + head
            )
        else:
            frozen = summary.total_params - summary.trainable_params
            self.status.setText(
                self.tr(
                    "{arch}: {total} parameters, {trained} trained, {frozen} frozen. {head} "
                    "Its layers are listed under Shapes (frozen ones greyed)."
                ).format(
                    arch=project.model.arch,
                    total=f"{summary.total_params:,}",
                    trained=f"{summary.trainable_params:,}",
                    frozen=f"{frozen:,}",
                    head=head,
                )
            )
