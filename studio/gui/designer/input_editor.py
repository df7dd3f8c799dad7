"""The input shape the network sees (``data.channels`` and ``data.image_size``), editable here.

Changing it re-runs the shape inference, so the designer shows at once how a bigger image or
colour input changes every layer's output and the parameter count of the first Linear
layer. The same fields are on the Data page; both read and write the one document.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSignalBlocker
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSpinBox, QWidget

from studio.core.project.project_file import MAX_IMAGE_SIDE
from studio.gui.common.context import StudioContext

CHANNELS = ((1, str(QT_TRANSLATE_NOOP("InputShapeEditor", "1 (grey)"))), (3, "3 (RGB)"), (4, "4 (RGBA)"))


class InputShapeEditor(QWidget):
    """``Input: [channels] × [height] × [width]``."""

    def __init__(self, context: StudioContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inputShape")
        self.ctx = context
        self.doc = context.document
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.channels = QComboBox()
        self.channels.setObjectName("inputChannels")
        for _, label in CHANNELS:
            self.channels.addItem(self.tr(label))
        self.channels.setToolTip(self.tr("Colour channels of each image (pretrained models need RGB)"))
        self.height_spin = QSpinBox()
        self.height_spin.setObjectName("inputHeight")
        self.width_spin = QSpinBox()
        self.width_spin.setObjectName("inputWidth")
        for spin, tip in (
            (self.height_spin, self.tr("Image height in pixels after resizing")),
            (self.width_spin, self.tr("Image width in pixels after resizing")),
        ):
            spin.setRange(1, MAX_IMAGE_SIDE)
            spin.setToolTip(tip)
            spin.setKeyboardTracking(True)
        row.addWidget(QLabel(self.tr("Input")))
        row.addWidget(self.channels)
        row.addWidget(QLabel("×"))
        row.addWidget(self.height_spin)
        row.addWidget(QLabel("×"))
        row.addWidget(self.width_spin)
        self.channels.activated.connect(self._channels_chosen)
        self.height_spin.valueChanged.connect(self._size_changed)
        self.width_spin.valueChanged.connect(self._size_changed)
        context.listen(self.doc.changed, lambda *_: self.refresh(), self)
        self.refresh()

    def _channels_chosen(self, index: int) -> None:
        value = CHANNELS[index][0]
        if value != self.doc.project.data.channels:
            self.ctx.push(lambda: self.doc.set_field("data", "channels", value))

    def _size_changed(self, *_: int) -> None:
        size = [self.height_spin.value(), self.width_spin.value()]
        if tuple(size) != tuple(self.doc.project.data.image_size):
            self.ctx.push(
                lambda: self.doc.set_field("data", "image_size", size), merge_key=("data", "image_size")
            )

    def refresh(self) -> None:
        """Show the document's input shape."""
        d = self.doc.project.data
        with QSignalBlocker(self.channels):
            values = [c for c, _ in CHANNELS]
            self.channels.setCurrentIndex(values.index(d.channels) if d.channels in values else 0)
        for spin, v in ((self.height_spin, d.image_size[0]), (self.width_spin, d.image_size[1])):
            if spin.value() != v:
                with QSignalBlocker(spin):
                    spin.setValue(v)
        self.channels.setEnabled(self.doc.project.model.kind == "stack")
