"""Convolution, step by step: the kernel slides over the padded input, the output fills in.

The arithmetic is :class:`studio.core.evaluation.lab.ConvLab` (computed once per setting, so
a step is only indexing and a repaint). A ``QTimer`` drives playback at the chosen steps per
second; the slider scrubs; the products and their sum are written out for the current step,
and the output-size formula is filled in with the current numbers.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSlider,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.base.i18n import tr as core_tr
from studio.core.evaluation.lab import (
    PRESETS,
    ConvLab,
    LabError,
    format_kernel,
    format_number,
    parse_kernel,
    parse_padding,
    preset,
)
from studio.gui.lab.grid import GridView

CUSTOM = "custom"


def preset_combo(parent: QWidget) -> QComboBox:
    """A combo of the kernel presets, with their descriptions as tooltips, and "custom"."""
    combo = QComboBox(parent)
    for name, (_, description) in PRESETS.items():
        combo.addItem(core_tr(name), name)
        combo.setItemData(combo.count() - 1, core_tr(description), Qt.ItemDataRole.ToolTipRole)
    combo.addItem(QCoreApplication.translate("ConvPanel", "custom (typed)"), CUSTOM)
    return combo


class ConvPanel(QWidget):
    """The step-by-step convolution (see the module doc)."""

    stepped = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("labConvolution")
        self.image = np.zeros((1, 8, 8))  # (C, H, W) the input the kernel slides over
        self.note = ""
        self.kernel = preset("sobel x")
        self.bias = 0.0
        self.lab: ConvLab | None = None
        self.index = 0
        self.view_channel = 0
        self.digits = 0  # decimals in products: pixel numbers are whole
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._tick)

        self.preset = preset_combo(self)
        self.preset.setObjectName("kernelPreset")
        self.preset.setCurrentIndex(self.preset.findData("sobel x"))
        self.kernel_edit = QLineEdit(format_kernel(self.kernel), self)
        self.kernel_edit.setObjectName("kernelEdit")
        self.kernel_edit.setToolTip(
            self.tr("Rows separated by ';', numbers by ',' — e.g. 1,0,-1;2,0,-2;1,0,-1")
        )
        self.padding = QComboBox(self)
        self.padding.setObjectName("convPadding")
        self.padding.setEditable(True)
        self.padding.addItems(["0", "1", "2", "same", "valid"])
        self.padding.setToolTip(self.tr("Zero rows/columns around the image: a number, 'same' or 'valid'"))
        self.stride = QSpinBox(self)
        self.stride.setObjectName("convStride")
        self.stride.setRange(1, 8)
        self.dilation = QSpinBox(self)
        self.dilation.setObjectName("convDilation")
        self.dilation.setRange(1, 6)
        self.speed = QSpinBox(self)
        self.speed.setObjectName("convSpeed")
        self.speed.setRange(1, 240)
        self.speed.setValue(8)
        self.speed.setSuffix(self.tr(" steps/s"))
        self.speed.setToolTip(self.tr("Playback speed"))

        form = QFormLayout()
        form.addRow(self.tr("Preset"), self.preset)
        form.addRow(self.tr("Kernel"), self.kernel_edit)
        form.addRow(self.tr("Padding"), self.padding)
        form.addRow(self.tr("Stride"), self.stride)
        form.addRow(self.tr("Dilation"), self.dilation)

        self.back_button = QToolButton(self)
        self.back_button.setObjectName("stepBack")
        self.back_button.setText("◀")
        self.back_button.setToolTip(self.tr("One step back"))
        self.play_button = QPushButton(self.tr("Play"), self)
        self.play_button.setObjectName("playButton")
        self.play_button.setCheckable(True)
        self.step_button = QToolButton(self)
        self.step_button.setObjectName("stepForward")
        self.step_button.setText("▶")
        self.step_button.setToolTip(self.tr("One step forward"))
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setObjectName("stepSlider")
        self.step_label = QLabel(self)
        self.step_label.setObjectName("stepLabel")
        # a fixed size: its changing text then never asks the page for a new layout
        self.step_label.setFixedSize(
            self.step_label.fontMetrics().horizontalAdvance(
                self.tr("step {i} of {n}").format(i=88888, n=88888)
            )
            + 8,
            self.step_label.fontMetrics().height() + 4,
        )
        transport = QHBoxLayout()
        for w in (self.back_button, self.play_button, self.step_button):
            transport.addWidget(w)
        transport.addWidget(self.slider, 1)
        transport.addWidget(self.step_label)
        transport.addWidget(self.speed)

        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.formula = QLabel(self)
        self.formula.setObjectName("outputFormula")
        self.formula.setFont(mono)
        self.formula.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # a read-only text box, not a label: its text changes every step, and a label's new text
        # re-lays out the whole page (tens of ms), a text box's does not
        self.products = QPlainTextEdit(self)
        self.products.setObjectName("stepProducts")
        self.products.setReadOnly(True)
        self.products.setFont(mono)
        self.products.setFrameShape(QPlainTextEdit.Shape.NoFrame)
        self.products.setFixedHeight(self.products.fontMetrics().lineSpacing() * 3 + 10)
        self.products.viewport().setAutoFillBackground(False)
        self.error = QLabel(self)
        self.error.setObjectName("convError")
        self.error.setStyleSheet("color: #D55E00")
        self.error.setWordWrap(True)
        self.error.hide()

        self.input_view = GridView(self, 18, auto_fit=True)
        self.input_view.setObjectName("convInput")
        self.window_view = GridView(self, 26, auto_fit=True, max_cell=40)
        self.window_view.setObjectName("convWindow")
        self.kernel_view = GridView(self, 26, auto_fit=True, max_cell=40)
        self.kernel_view.setObjectName("convKernel")
        self.products_view = GridView(self, 26, auto_fit=True, max_cell=40)
        self.products_view.setObjectName("convProductsGrid")
        self.output_view = GridView(self, 18, auto_fit=True)
        self.output_view.setObjectName("convOutput")
        self.input_title = QLabel(self)
        self.output_title = QLabel(self)

        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(self.error)
        small = QGridLayout()
        for col, (title, view) in enumerate(
            (
                (self.tr("Window"), self.window_view),
                (self.tr("× Kernel"), self.kernel_view),
                (self.tr("= Products"), self.products_view),
            )
        ):
            small.addWidget(QLabel(title, self), col, 0)
            small.addWidget(view, col, 1)
            small.setRowStretch(col, 1)
        left.addLayout(small, 1)
        self.sum_label = QLabel(self)
        self.sum_label.setObjectName("stepSum")
        self.sum_label.setFixedSize(280, self.sum_label.fontMetrics().height() + 4)
        left.addWidget(self.sum_label)
        grids = QGridLayout()
        grids.addWidget(self.input_title, 0, 0)
        grids.addWidget(self.output_title, 0, 1)
        grids.addWidget(self.input_view, 1, 0)
        grids.addWidget(self.output_view, 1, 1)
        grids.setColumnStretch(0, 3)
        grids.setColumnStretch(1, 2)
        right = QVBoxLayout()
        right.addLayout(grids, 1)
        right.addLayout(transport)
        right.addWidget(self.products)
        right.addWidget(self.formula)
        row = QHBoxLayout(self)
        left_box = QWidget(self)
        left_box.setLayout(left)
        left_box.setMaximumWidth(300)
        row.addWidget(left_box)
        row.addLayout(right, 1)

        self.preset.activated.connect(self._preset_chosen)
        self.kernel_edit.editingFinished.connect(self._kernel_typed)
        self.padding.currentTextChanged.connect(lambda *_: self.rebuild())
        self.stride.valueChanged.connect(lambda *_: self.rebuild())
        self.dilation.valueChanged.connect(lambda *_: self.rebuild())
        self.speed.valueChanged.connect(self._speed_changed)
        self.back_button.clicked.connect(lambda: self.go_to(self.index - 1))
        self.step_button.clicked.connect(self.step_forward)
        self.play_button.toggled.connect(self.play)
        self.slider.valueChanged.connect(self.go_to)
        self.input_view.grid.cellClicked.connect(self._input_clicked)
        self.output_view.grid.cellClicked.connect(self._output_clicked)

    # ------------------------------------------------------------------ inputs

    def set_image(self, image: np.ndarray, digits: int = 0, note: str = "") -> None:
        """The input (``(H, W)`` or ``(C, H, W)``) to slide over; keeps the current step when it fits.

        ``digits`` > 0 for non-integer inputs (a network's normalised input); ``note`` says what it is.
        """
        self.note = note
        a = np.asarray(image, dtype=np.float64)
        self.image = a[None] if a.ndim == 2 else a
        self.digits = digits
        self.view_channel = min(self.view_channel, self.image.shape[0] - 1)
        self.rebuild(keep_step=True)

    def set_kernel(self, kernel: np.ndarray, bias: float = 0.0, name: str = CUSTOM) -> None:
        """Use ``kernel`` (``(kH, kW)`` or ``(C, kH, kW)``) and ``bias``; the text box follows (channel 0)."""
        self.kernel = np.asarray(kernel, dtype=np.float64)
        self.bias = float(bias)
        shown = self.kernel if self.kernel.ndim == 2 else self.kernel[0]
        self.kernel_edit.setText(format_kernel(shown))
        index = self.preset.findData(name)
        self.preset.setCurrentIndex(index if index >= 0 else self.preset.findData(CUSTOM))
        self.rebuild()

    def set_settings(self, padding: int | str, stride: int, dilation: int) -> None:
        """Padding, stride and dilation at once (a network's first layer), one rebuild."""
        for w in (self.padding, self.stride, self.dilation):
            w.blockSignals(True)
        self.padding.setCurrentText(str(padding))
        self.stride.setValue(int(stride))
        self.dilation.setValue(int(dilation))
        for w in (self.padding, self.stride, self.dilation):
            w.blockSignals(False)
        self.rebuild()

    def _preset_chosen(self, _index: int) -> None:
        name = self.preset.currentData()
        if name != CUSTOM:
            self.set_kernel(preset(name), 0.0, name)

    def _kernel_typed(self) -> None:
        try:
            kernel = parse_kernel(self.kernel_edit.text())
        except LabError as exc:
            self._show_error(str(exc))
            return
        if (
            self.kernel.ndim == 2
            and kernel.shape == self.kernel.shape
            and np.array_equal(kernel, self.kernel)
        ):
            return
        self.kernel = kernel
        self.bias = 0.0
        self.preset.setCurrentIndex(self.preset.findData(CUSTOM))
        self.rebuild()

    # ------------------------------------------------------------------ state

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def rebuild(self, keep_step: bool = False) -> None:
        """Recompute the convolution for the current image, kernel and settings."""
        try:
            padding = parse_padding(self.padding.currentText())
            kernel = self.kernel
            if kernel.ndim == 3 and kernel.shape[0] != self.image.shape[0]:
                kernel = kernel.mean(axis=0)  # a colour filter over a grey image: its channel mean
            self.lab = ConvLab(
                self.image, kernel, padding, self.stride.value(), self.dilation.value(), self.bias
            )
        except LabError as exc:
            self.lab = None
            self.play(False)
            self._show_error(str(exc))
            self.formula.setText("")
            self.products.setPlainText("")
            self.slider.setEnabled(False)
            return
        self._show_error("")
        lab = self.lab
        self.slider.setEnabled(True)
        self.slider.blockSignals(True)
        self.slider.setRange(0, lab.positions - 1)
        self.slider.blockSignals(False)
        top, bottom = lab.geometry.rows.pad_before, lab.geometry.rows.pad_after
        left, right = lab.geometry.cols.pad_before, lab.geometry.cols.pad_after
        grid = self.input_view.grid
        grid.border = (top, bottom, left, right)
        grid.set_values(lab.padded[self.view_channel], digits=max(self.digits, 2) if self.digits else 0)
        k = lab.kernel[self.view_channel]
        self.kernel_view.set_values(k, pixels=False, digits=3)
        self.output_view.set_values(lab.output, pixels=False, digits=max(self.digits, 1))
        h, w = self.image.shape[1:]
        ph, pw = lab.padded.shape[1:]
        oh, ow = lab.geometry.output_shape
        self.input_title.setText(
            self.tr("Input {h}x{w}, padded {ph}x{pw} (padding tinted blue)").format(h=h, w=w, ph=ph, pw=pw)
            + (f" — {self.note}" if self.note else "")
        )
        self.output_title.setText(self.tr("Output {oh}x{ow}").format(oh=oh, ow=ow))
        self.formula.setText(lab.geometry.formula())
        self.go_to(min(self.index, lab.positions - 1) if keep_step else 0, force=True)

    def go_to(self, index: int, force: bool = False) -> None:
        """Show step ``index`` (clamped): window, products, sum, and the output so far."""
        lab = self.lab
        if lab is None:
            return
        index = max(0, min(int(index), lab.positions - 1))
        if index == self.index and not force:
            return
        self.index = index
        step = lab.step(index)
        self.input_view.grid.set_highlight(step.cells)
        ch = self.view_channel
        digits = 2 if self.digits else 3
        self.window_view.set_values(step.window[ch], pixels=not self.digits, digits=digits)
        self.products_view.set_values(step.products[ch], pixels=False, digits=digits)
        self.sum_label.setText(
            self.tr("sum{bias} = {total}").format(
                bias=self.tr(" + bias") if self.bias else "", total=format_number(step.total, 3)
            )
        )
        self.output_view.grid.set_highlight([(step.out_row, step.out_col)])
        self.output_view.grid.set_filled(index + 1)
        self.products.setPlainText(lab.products_text(index, digits=max(self.digits, 2) if self.digits else 3))
        self.step_label.setText(self.tr("step {i} of {n}").format(i=index + 1, n=lab.positions))
        if self.slider.value() != index:
            self.slider.blockSignals(True)
            self.slider.setValue(index)
            self.slider.blockSignals(False)
        self.input_view.ensure_cell_visible(*step.cells[len(step.cells) // 2])
        self.output_view.ensure_cell_visible(step.out_row, step.out_col)
        self.stepped.emit(index)

    def step_forward(self) -> None:
        """One step; at the end, start over (so Play loops)."""
        if self.lab is None:
            return
        self.go_to(self.index + 1 if self.index + 1 < self.lab.positions else 0)

    def play(self, on: bool) -> None:
        """Start or pause playback."""
        if on and self.lab is not None:
            self.timer.start(max(1, round(1000 / self.speed.value())))
        else:
            self.timer.stop()
        if self.play_button.isChecked() != (on and self.lab is not None):
            self.play_button.blockSignals(True)
            self.play_button.setChecked(on and self.lab is not None)
            self.play_button.blockSignals(False)
        self.play_button.setText(self.tr("Pause") if self.timer.isActive() else self.tr("Play"))

    def _tick(self) -> None:
        self.step_forward()

    def _speed_changed(self, value: int) -> None:
        if self.timer.isActive():
            self.timer.setInterval(max(1, round(1000 / value)))

    def _output_clicked(self, row: int, col: int) -> None:
        if self.lab is not None:
            self.go_to(row * self.lab.geometry.cols.out + col)

    def _input_clicked(self, row: int, col: int) -> None:
        # jump to the first step whose window's top-left cell is at or after the clicked cell
        lab = self.lab
        if lab is None:
            return
        r = min(max(0, row // lab.geometry.rows.stride), lab.geometry.rows.out - 1)
        c = min(max(0, col // lab.geometry.cols.stride), lab.geometry.cols.out - 1)
        self.go_to(r * lab.geometry.cols.out + c)

    def formula_sizes(self) -> tuple[int, int]:
        """The two numbers the formula label ends with (for checks: they must equal the output grid)."""
        lines = self.formula.text().splitlines()
        return int(lines[0].rsplit("=", 1)[1]), int(lines[1].rsplit("=", 1)[1])
