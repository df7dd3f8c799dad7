"""Several kernels -> several feature maps (bias, ReLU), and pooling with the chosen values.

Both panels only call :mod:`studio.core.evaluation.lab` and draw its arrays with
:class:`~studio.gui.lab.grid.GridView`.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studio.core.evaluation.lab import (
    LabError,
    PoolResult,
    conv2d_many,
    format_kernel,
    parse_kernel,
    parse_padding,
    pool2d,
    preset,
    relu,
)
from studio.gui.lab.conv_panel import CUSTOM, preset_combo
from studio.gui.lab.grid import GridView

DEFAULT_KERNELS = ("sobel x", "sobel y", "blur", "sharpen")


class MapsPanel(QWidget):
    """Up to four kernels, each with a bias; one feature map per kernel; ReLU on demand."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("labFeatureMaps")
        self.image = np.zeros((1, 8, 8))
        self.maps: np.ndarray = np.zeros((0, 1, 1))
        self.rows: list[tuple[QCheckBox, QComboBox, QLineEdit, QDoubleSpinBox]] = []
        table = QGridLayout()
        table.addWidget(QLabel(self.tr("Use")), 0, 0)
        table.addWidget(QLabel(self.tr("Preset")), 0, 1)
        table.addWidget(QLabel(self.tr("Kernel")), 0, 2)
        table.addWidget(QLabel(self.tr("Bias")), 0, 3)
        for i, name in enumerate(DEFAULT_KERNELS):
            use = QCheckBox(self)
            use.setChecked(i < 3)
            combo = preset_combo(self)
            combo.setCurrentIndex(combo.findData(name))
            edit = QLineEdit(format_kernel(preset(name)), self)
            edit.setObjectName(f"mapKernel{i}")
            bias = QDoubleSpinBox(self)
            bias.setRange(-1000, 1000)
            bias.setDecimals(1)
            bias.setSingleStep(10)
            bias.setObjectName(f"mapBias{i}")
            for col, w in enumerate((use, combo, edit, bias)):
                table.addWidget(w, i + 1, col)
            use.toggled.connect(lambda *_: self.rebuild())
            combo.activated.connect(lambda _i, c=combo, e=edit: self._preset(c, e))
            edit.editingFinished.connect(self.rebuild)
            bias.valueChanged.connect(lambda *_: self.rebuild())
            self.rows.append((use, combo, edit, bias))
        table.setColumnStretch(2, 1)
        self.padding = QComboBox(self)
        self.padding.setEditable(True)
        self.padding.addItems(["same", "0", "1", "valid"])
        self.stride = QSpinBox(self)
        self.stride.setRange(1, 8)
        self.relu = QCheckBox(self.tr("ReLU after the bias (negative values become 0)"), self)
        self.relu.setObjectName("mapsRelu")
        self.padding.currentTextChanged.connect(lambda *_: self.rebuild())
        self.stride.valueChanged.connect(lambda *_: self.rebuild())
        self.relu.toggled.connect(lambda *_: self.rebuild())
        settings = QFormLayout()
        settings.addRow(self.tr("Padding"), self.padding)
        settings.addRow(self.tr("Stride"), self.stride)
        settings.addRow(self.relu)
        self.summary = QLabel(self)
        self.summary.setObjectName("mapsSummary")
        self.summary.setWordWrap(True)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #D55E00")
        self.error.setWordWrap(True)
        self.maps_row = QHBoxLayout()
        self.views: list[tuple[QLabel, GridView]] = []
        for i in range(len(DEFAULT_KERNELS)):
            box = QVBoxLayout()
            title = QLabel(self)
            view = GridView(self, 6, auto_fit=True)
            view.setObjectName(f"featureMap{i}")
            box.addWidget(title)
            box.addWidget(view, 1)
            self.maps_row.addLayout(box, 1)
            self.views.append((title, view))
        top = QHBoxLayout()
        top.addLayout(table, 3)
        top.addLayout(settings, 2)
        column = QVBoxLayout(self)
        column.addLayout(top)
        column.addWidget(self.summary)
        column.addWidget(self.error)
        column.addLayout(self.maps_row, 1)

    def _preset(self, combo: QComboBox, edit: QLineEdit) -> None:
        if combo.currentData() != CUSTOM:
            edit.setText(format_kernel(preset(combo.currentData())))
            self.rebuild()

    def set_image(self, image: np.ndarray) -> None:
        """The input image ``(H, W)``."""
        a = np.asarray(image, dtype=np.float64)
        self.image = a[None] if a.ndim == 2 else a
        self.rebuild()

    def rebuild(self) -> None:
        """Convolve the image with every used kernel, add its bias, apply ReLU if asked."""
        used = [(i, r) for i, r in enumerate(self.rows) if r[0].isChecked()]
        try:
            kernels = [parse_kernel(r[2].text()) for _, r in used]
            if kernels and any(k.shape != kernels[0].shape for k in kernels):
                raise LabError(
                    self.tr("the kernels have different sizes; one convolution layer uses one kernel size")
                )
            padding = parse_padding(self.padding.currentText())
            if kernels:
                stack = np.stack([np.broadcast_to(k, (self.image.shape[0], *k.shape)) for k in kernels])
                maps = conv2d_many(
                    self.image, stack, padding, self.stride.value(), 1, [r[3].value() for _, r in used]
                )
                self.maps = relu(maps) if self.relu.isChecked() else maps
            else:
                self.maps = np.zeros((0, 1, 1))
        except LabError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.error.hide()
        n = len(used)
        shape = f"{self.maps.shape[1]}x{self.maps.shape[2]}" if n else "-"
        self.summary.setText(
            self.tr(
                "{n} kernel(s) → {n} feature map(s) of {shape}: one filter, one feature map. Each map is the "
                "kernel's sums plus its bias{relu}."
            ).format(n=n, shape=shape, relu=self.tr(", then ReLU") if self.relu.isChecked() else "")
        )
        for k, (title, view) in enumerate(self.views):
            if k < n:
                i = used[k][0]
                title.setText(
                    self.tr("map {k}: kernel {i} + bias {b}").format(
                        k=k + 1, i=i + 1, b=self.rows[i][3].value()
                    )
                )
                view.set_values(self.maps[k], pixels=False)
                view.show()
                title.show()
            else:
                view.hide()
                title.hide()


class PoolPanel(QWidget):
    """Max or average pooling of the image or of the convolution's output, with the chosen cells."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("labPooling")
        self.sources: dict[str, np.ndarray] = {}
        self.result: PoolResult | None = None
        self.source = QComboBox(self)
        self.source.setObjectName("poolSource")
        self.kind = QComboBox(self)
        self.kind.setObjectName("poolKind")
        self.kind.addItem(self.tr("max"), "max")
        self.kind.addItem(self.tr("average"), "avg")
        self.kernel = QSpinBox(self)
        self.kernel.setObjectName("poolKernel")
        self.kernel.setRange(1, 8)
        self.kernel.setValue(2)
        self.stride = QSpinBox(self)
        self.stride.setObjectName("poolStride")
        self.stride.setRange(0, 8)
        self.stride.setSpecialValueText(self.tr("= kernel"))
        form = QFormLayout()
        form.addRow(self.tr("Pool"), self.source)
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow(self.tr("Kernel"), self.kernel)
        form.addRow(self.tr("Stride"), self.stride)
        self.note = QLabel(self)
        self.note.setObjectName("poolNote")
        self.note.setWordWrap(True)
        self.window_text = QLabel(self)
        self.window_text.setObjectName("poolWindow")
        self.window_text.setWordWrap(True)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #D55E00")
        self.error.setWordWrap(True)
        self.input_view = GridView(self, 14, auto_fit=True)
        self.input_view.setObjectName("poolInput")
        self.output_view = GridView(self, 20, auto_fit=True)
        self.output_view.setObjectName("poolOutput")
        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(self.note)
        left.addWidget(self.window_text)
        left.addWidget(self.error)
        left.addStretch(1)
        left_box = QWidget(self)
        left_box.setLayout(left)
        left_box.setMaximumWidth(280)
        self.formula = QLabel(self)
        self.formula.setObjectName("poolFormula")
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.formula.setFont(mono)
        self.formula.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(left_box)
        row.addWidget(self.input_view, 3)
        row.addWidget(self.output_view, 2)
        outer.addLayout(row, 1)
        outer.addWidget(self.formula)
        for w in (self.kind, self.source):
            w.currentIndexChanged.connect(lambda *_: self.rebuild())
        for s in (self.kernel, self.stride):
            s.valueChanged.connect(lambda *_: self.rebuild())
        self.output_view.grid.cellClicked.connect(self.select)

    def set_sources(self, sources: dict[str, np.ndarray]) -> None:
        """What can be pooled: name -> 2-D array (the image, the convolution's output)."""
        current = self.source.currentText()
        self.sources = {k: np.asarray(v, dtype=np.float64) for k, v in sources.items()}
        self.source.blockSignals(True)
        self.source.clear()
        self.source.addItems(list(self.sources))
        if current in self.sources:
            self.source.setCurrentText(current)
        self.source.blockSignals(False)
        self.rebuild()

    def rebuild(self) -> None:
        """Pool the chosen source and mark every window's chosen value."""
        data = self.sources.get(self.source.currentText())
        if data is None:
            return
        try:
            self.result = pool2d(
                data, self.kind.currentData(), self.kernel.value(), self.stride.value() or None
            )
        except LabError as exc:
            self.result = None
            self.error.setText(str(exc))
            self.error.show()
            return
        self.error.hide()
        res = self.result
        self.input_view.set_values(data)
        self.output_view.set_values(res.output)
        if res.kind == "max":
            self.input_view.grid.set_marks([tuple(c) for c in res.chosen.reshape(-1, 2)])
        else:
            self.input_view.grid.set_marks([])
        h, w = data.shape
        oh, ow = res.output.shape
        self.note.setText(
            self.tr(
                "No parameters, channels unchanged: pooling learns nothing (0 parameters) and works on each "
                "channel alone (1 channel in, 1 channel out). {h}x{w} → {oh}x{ow}."
            ).format(h=h, w=w, oh=oh, ow=ow)
        )
        self.formula.setText(res.geometry.formula())
        self.select(0, 0)

    def select(self, row: int, col: int) -> None:
        """Highlight output cell ``(row, col)``'s window on the input and write out what it chose."""
        res = self.result
        if res is None:
            return
        data = self.sources[self.source.currentText()]
        geo = res.geometry
        cells = geo.window_cells(row * geo.cols.out + col)
        self.input_view.grid.set_highlight(cells)
        self.output_view.grid.set_highlight([(row, col)])
        values = ", ".join(f"{data[r, c]:g}" for r, c in cells)
        if res.kind == "max":
            r, c = res.chosen[row, col]
            text = self.tr(
                "window ({row}, {col}): max of {values} = {value:g} (green: the value kept, at "
                "row {r}, column {c})"
            ).format(row=row, col=col, values=values, value=res.output[row, col], r=r, c=c)
        else:
            text = self.tr("window ({row}, {col}): mean of {values} = {value:g}").format(
                row=row, col=col, values=values, value=res.output[row, col]
            )
        self.window_text.setText(text)
