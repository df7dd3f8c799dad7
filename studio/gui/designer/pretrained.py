"""The model-kind switch and the pretrained-model settings.

A project's network is either a stack of blocks or a pretrained torchvision classifier
(SPEC section 2, ``model.kind``). For a pretrained model the user picks the architecture
(:data:`studio.core.zoo.ARCHITECTURES`), the weights (ImageNet ``DEFAULT``, none, or a local
``.pth`` file) and whether the backbone is frozen; each choice is one undoable edit.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.zoo import ARCHITECTURES
from studio.gui.context import StudioContext
from studio.gui.designer.summary_source import SummarySource, head_classes

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


class PretrainedPanel(QWidget):
    """Architecture, weights and freezing of a pretrained model, bound to the document."""

    def __init__(self, context: StudioContext, source: SummarySource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pretrainedPanel")
        self.ctx = context
        self.doc = context.document
        self.source = source
        layout = QVBoxLayout(self)
        intro = QLabel("<b>Transfer learning</b>: start from a network trained on ImageNet's 1.2 million "
                       "photos and retrain only its last layer (the head) for your classes. It learns from "
                       "few images and trains fast. The head is replaced to fit the dataset's classes.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.arch = QComboBox()
        self.arch.setObjectName("pretrainedArch")
        self.arch.addItems(list(ARCHITECTURES))
        self.arch.setToolTip("torchvision's classification model (ResNets are a good first choice)")
        self.weights = QComboBox()
        self.weights.setObjectName("pretrainedWeights")
        for label, _ in WEIGHT_CHOICES:
            self.weights.addItem(label)
        self.weights.setToolTip("Where the starting weights come from")
        file_row = QHBoxLayout()
        self.weights_file = QLineEdit()
        self.weights_file.setObjectName("pretrainedWeightsFile")
        self.weights_file.setPlaceholderText("path to a .pth state dict")
        self.browse = QPushButton("Browse…")
        file_row.addWidget(self.weights_file, 1)
        file_row.addWidget(self.browse)
        self.file_host = QWidget()
        self.file_host.setLayout(file_row)
        file_row.setContentsMargins(0, 0, 0, 0)
        self.freeze = QCheckBox("Freeze the backbone (train only the new head)")
        self.freeze.setObjectName("pretrainedFreeze")
        self.freeze.setToolTip("Frozen: fast, needs few images. Unfrozen: fine-tunes every layer (slower, "
                               "needs more data)")
        form.addRow("Architecture", self.arch)
        form.addRow("Weights", self.weights)
        form.addRow("", self.file_host)
        form.addRow("", self.freeze)
        layout.addLayout(form)
        self.status = QLabel()
        self.status.setObjectName("pretrainedStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        layout.addStretch(1)

        self.arch.currentTextChanged.connect(lambda v: self._set("arch", v))
        self.weights.activated.connect(self._weights_chosen)
        self.weights_file.editingFinished.connect(self._file_typed)
        self.browse.clicked.connect(self._browse)
        self.freeze.toggled.connect(lambda on: self._set("freeze", "backbone" if on else "none"))
        context.listen(self.doc.changed, lambda *_: self.refresh(), self)
        source.changed.connect(self._refresh_status)
        self.refresh()

    # ------------------------------------------------------------------ view -> document

    def _set(self, key: str, value: Any) -> None:
        if self.doc.project.model.kind != "pretrained" or getattr(self.doc.project.model, key) == value:
            return
        raw = self.doc.project.to_dict()["model"]
        raw[key] = value
        self.ctx.push(lambda: self.doc.set_section("model", raw))

    def _weights_chosen(self, index: int) -> None:
        choice = WEIGHT_CHOICES[index][1]
        if choice == "file":
            self.file_host.setVisible(True)
            if self.weights_file.text().strip():
                self._set("weights", self.weights_file.text().strip())
            else:
                self._browse()
        else:
            self._set("weights", choice)

    def _file_typed(self) -> None:
        text = self.weights_file.text().strip()
        if text:
            self._set("weights", text)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose pretrained weights", "",
                                              "PyTorch weights (*.pth *.pt *.safetensors);;All files (*)")
        if path:
            self.weights_file.setText(path)
            self._set("weights", path)
        else:
            self.refresh()

    # ------------------------------------------------------------------ document -> view

    def refresh(self) -> None:
        """Show the document's pretrained settings."""
        m = self.doc.project.model
        with QSignalBlocker(self.arch):
            self.arch.setCurrentText(m.arch)
        index = 0 if m.weights == "DEFAULT" else 1 if m.weights is None else 2
        with QSignalBlocker(self.weights):
            self.weights.setCurrentIndex(index)
        self.file_host.setVisible(index == 2)
        if index == 2:
            with QSignalBlocker(self.weights_file):
                self.weights_file.setText(m.weights or "")
        with QSignalBlocker(self.freeze):
            self.freeze.setChecked(m.freeze == "backbone")
        self._refresh_status()

    def _refresh_status(self) -> None:
        if not self.source.is_pretrained():
            self.status.clear()
            return
        error = self.source.error()
        summary = self.source.summary()
        classes = head_classes(self.doc.project.data.source)
        if error:
            self.status.setText(f"Cannot summarise {self.doc.project.model.arch}: {error}")
        elif summary is None:
            self.status.setText(f"Loading PyTorch to summarise {self.doc.project.model.arch}…")
        else:
            frozen = summary.total_params - summary.trainable_params
            self.status.setText(f"{self.doc.project.model.arch}: {summary.total_params:,} parameters, "
                                f"{summary.trainable_params:,} trained, {frozen:,} frozen (head sized for "
                                f"{classes} classes here). Its layers are listed under Shapes.")
