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

from PySide6.QtCore import QSignalBlocker, Qt, Signal
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
from studio.gui.column_scroll import ColumnScroll
from studio.gui.context import StudioContext
from studio.gui.designer.finetune_controls import FineTuneControls
from studio.gui.designer.summary_source import ModelFacts, SummarySource

WEIGHT_CHOICES = (("ImageNet weights (DEFAULT)", "DEFAULT"), ("No weights (train from scratch)", None),
                  ("A local .pth file…", "file"))


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
        self.stack_button.setText("Stack of blocks")
        self.stack_button.setToolTip("Build the network layer by layer from the palette")
        self.pretrained_button = QToolButton()
        self.pretrained_button.setObjectName("modelKindPretrained")
        self.pretrained_button.setText("Pretrained model")
        self.pretrained_button.setToolTip("Fine-tune an ImageNet-trained torchvision model (transfer learning)")
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
    parts = [f"{info.params / 1e6:.1f} M parameters"]
    if info.acc_top1 is not None:
        acc = f"ImageNet top-1 {info.acc_top1:.1f} %"
        if info.acc_top5 is not None:
            acc += f", top-5 {info.acc_top5:.1f} %"
        parts.append(acc)
    trained = f"trained at {info.input_size} × {info.input_size}"
    if max(info.min_size) > 1:
        trained += f" (smallest input {info.min_size[0]} × {info.min_size[1]})"
    parts.append(trained)
    return "  ·  ".join(parts)


def weights_text(weights: str | None, facts: ModelFacts | None) -> str:
    """Where the starting weights come from, and what to do when they are missing."""
    if weights is None:
        return ("Random initial weights: every layer trains (a frozen backbone would never learn). "
                "Training from scratch needs far more images and epochs.")
    if weights != "DEFAULT":
        path = Path(os.path.expanduser(weights))
        return (f"Starts from {path}." if path.is_file() else
                f"✗ {path} does not exist: choose an existing .pth state dict of this architecture.")
    if facts is None:
        return ""
    target = facts.weights_path
    if target.is_file():
        return f"✓ In torchvision's cache: {target}"
    return (f"Not downloaded yet: the first training run downloads {target.name} into {target.parent}. "
            f"Without a network, download it on another computer from {facts.info.url} and copy it into "
            "that folder, or choose it with “A local .pth file…”.")


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
        intro = QLabel("<b>Transfer learning</b>: start from a network trained on ImageNet's 1.2 million "
                       "photos. Its last layer (the head) is replaced to fit your classes; train the head "
                       "alone, or more of the network below it.")
        intro.setWordWrap(True)
        layout.addWidget(intro)

        model_box = QGroupBox("Model")
        grid = QGridLayout(model_box)  # a grid, not a form: its wrapped labels get their true height
        grid.setColumnStretch(1, 1)
        self.arch = QComboBox()
        self.arch.setObjectName("pretrainedArch")
        self.arch.addItems(list(ARCHITECTURES))
        self.arch.setToolTip("torchvision's classification model (ResNets are a good first choice)")
        self.facts = QLabel()
        self.facts.setObjectName("pretrainedFacts")
        self.facts.setWordWrap(True)
        self.weights = QComboBox()
        self.weights.setObjectName("pretrainedWeights")
        for label, _ in WEIGHT_CHOICES:
            self.weights.addItem(label)
        self.weights.setToolTip("Where the starting weights come from")
        self.weights_file = QLineEdit()
        self.weights_file.setObjectName("pretrainedWeightsFile")
        self.weights_file.setPlaceholderText("path to a .pth state dict")
        self.browse = QPushButton("Browse…")
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
        self.use_input_size = QPushButton("Use the model's input size")
        self.use_input_size.setObjectName("pretrainedUseInputSize")
        self.use_input_size.clicked.connect(self.apply_input_size)
        input_row = QWidget()
        ir = QVBoxLayout(input_row)
        ir.setContentsMargins(0, 0, 0, 0)
        ir.addWidget(self.input_note)
        ir.addWidget(self.use_input_size, 0, Qt.AlignmentFlag.AlignLeft)
        top = Qt.AlignmentFlag.AlignTop
        for row, (label, widget) in enumerate((("Architecture", self.arch), ("", self.facts),
                                               ("Weights", self.weights), ("", self.file_host),
                                               ("", self.weights_status), ("Input", input_row))):
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
            made.text = f"Use {arch}"
            return made

        self.ctx.push(edit)

    def apply_input_size(self) -> None:
        """"Use the model's input size": RGB at the weights' size, one undoable data edit."""
        if self.source.facts() is None:  # model_info is read in the worker, never here
            return

        def edit() -> Edit:
            made = self.doc.set_section("data", zoo.recommended_data(self.doc.project))
            made.text = "Use the model's input size"
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
            made.text = "Train from scratch"
            return made

        if self.ctx.push(edit):
            self.ctx.show_status(self.tr("No pretrained weights: the backbone was unfrozen, every layer trains."))

    def choose_weights_file(self) -> None:
        """"Choose weights file…": a .pth downloaded elsewhere becomes the starting weights."""
        self.file_host.setVisible(True)
        self._browse()

    def _file_typed(self) -> None:
        text = self.weights_file.text().strip()
        if text:
            self._set("weights", text)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose pretrained weights", "",
                                              "PyTorch weights (*.pth *.pt);;All files (*)")
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
            self.facts.setText(f"Cannot read torchvision's facts about {project.model.arch}: {facts_error}")
        else:
            self.facts.setText(facts_text(facts) if facts is not None else "Loading torchvision's model facts…")
        self.weights_status.setText(weights_text(project.model.weights, facts))
        self.weights_status.setVisible(bool(self.weights_status.text()))
        self._refresh_input(facts)
        self._refresh_head()

    def _refresh_input(self, facts: ModelFacts | None) -> None:
        project = self.doc.project
        h, w = project.data.image_size
        if facts is None:
            self.input_note.setText(f"Images are resized to {h} × {w}.")
            self.use_input_size.setEnabled(False)
            return
        size = facts.info.input_size
        fits = (h, w) == (size, size) and project.data.channels == 3
        warning = zoo.input_size_warning(project)  # model_info is cached by now: no torch import here
        note = f"Images are resized to {h} × {w}; the weights were trained at {size} × {size}."
        if warning:
            note = f"⚠ {warning}"
        self.input_note.setText(note)
        self.use_input_size.setEnabled(not fits)
        self.use_input_size.setToolTip(f"Set the image size to {size} × {size} and the channels to 3 (RGB) "
                                       "(one undoable edit). Smaller images train faster on a CPU.")

    def _refresh_head(self) -> None:
        project = self.doc.project
        count = self.source.class_count()
        classes = self.source.classes()
        if count is None and project.data.source == "folder":
            where = (f"the dataset folder {project.data.root} has no class sub-folders yet"
                     if project.data.root else "no dataset folder is chosen yet")
            head = f"The new head is shown with ImageNet's {classes} outputs: {where} (Data page)."
        elif project.data.source == "folder":
            head = f"The new head has {classes} outputs, one per class folder of {project.data.root}."
        else:
            head = f"The new head has {classes} outputs, one per class of {project.data.source}."
        error = self.source.error()
        summary = self.source.summary()
        if error:
            self.status.setText(f"Cannot summarise {project.model.arch}: {error}\n{head}")
        elif summary is None:
            self.status.setText(f"Loading PyTorch to summarise {project.model.arch}…\n{head}")
        else:
            frozen = summary.total_params - summary.trainable_params
            self.status.setText(f"{project.model.arch}: {summary.total_params:,} parameters, "
                                f"{summary.trainable_params:,} trained, {frozen:,} frozen. {head} Its layers "
                                "are listed under Shapes (frozen ones greyed).")
