"""One editor widget per argument kind of the block registry (:class:`studio.core.model.blocks.Arg`).

Each editor shows a value with the registry's range and help text, emits ``edited(value)``
with a JSON-ready value (int, float, bool, str, ``[h, w]`` or None) while the user types,
and takes new values from the document with :meth:`ArgEditor.set_value` (without echoing).
"""

from __future__ import annotations

import math
import re
from typing import Any

from PySide6.QtCore import QSignalBlocker, QTimer, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QToolButton,
    QWidget,
)

from studio.core.base.i18n import tr as core_tr
from studio.core.model.blocks import Arg
from studio.gui.common.theme import colors

INT_LIMIT = 2**31 - 1


class ArgEditor(QWidget):
    """Base class: ``edited(value)`` when the user changes the value."""

    edited = Signal(object)

    def __init__(self, arg: Arg, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.arg = arg
        self.setObjectName(f"arg_{arg.name}")
        self.setToolTip(core_tr(arg.help))
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 0, 0)

    def show_hint(self, text: str) -> None:
        """A visible note beside the editor (a refused value); empty hides it."""
        hint = getattr(self, "hint", None)
        if hint is None:
            hint = self.hint = QLabel(self)
            hint.setObjectName(f"hint_{self.arg.name}")
            hint.setStyleSheet(f"color: {colors().error_fg.name()};")
            self._row.addWidget(hint)
        hint.setText(text)
        hint.setVisible(bool(text))

    def set_value(self, value: Any) -> None:
        """Show ``value`` without emitting ``edited``."""
        raise NotImplementedError

    def value(self) -> Any:
        """The value shown."""
        raise NotImplementedError


class RangeSpin(QSpinBox):
    """A spin box that refuses a typed number outside its range visibly (``refused(hint)``).

    A plain QSpinBox ignores the key that would leave the range: typing 40 into a 1..31 box
    gives 4, silently. Here the number shows as typed; when the edit ends it is refused, the
    value from before the typing comes back and ``refused`` carries the allowed range.
    """

    refused = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._before: int | None = None  # the value when the current typing began
        self.lineEdit().textEdited.connect(self._typing)
        self.editingFinished.connect(self._finished)

    def _typing(self, _text: str) -> None:
        if self._before is None:
            self._before = self.value()
        self.refused.emit("")

    def _finished(self) -> None:
        self._before = None

    def _number(self, text: str) -> int | None:
        core = text.strip()
        if self.prefix():
            core = core.removeprefix(self.prefix())
        if self.suffix():
            core = core.removesuffix(self.suffix())
        core = core.strip()
        return int(core) if re.fullmatch(r"[-+]?\d+", core) else None

    def validate(self, text: str, pos: int) -> object:  # noqa: D102 - Qt API
        state, text_out, pos_out = super().validate(text, pos)
        number = self._number(text)
        if state == QValidator.State.Invalid and number is not None:
            return QValidator.State.Intermediate, text, pos  # shown as typed, refused at the end
        return state, text_out, pos_out

    def fixup(self, text: str) -> str:  # noqa: D102 - Qt API
        number = self._number(text)
        if number is not None and not self.minimum() <= number <= self.maximum():
            self.refused.emit(
                self.tr("{number} is outside {lo}–{hi}; not used.").format(
                    number=number, lo=self.minimum(), hi=self.maximum()
                )
            )
            before, self._before = self._before, None
            if before is not None and before != self.value():
                QTimer.singleShot(0, lambda: self.setValue(before))
        return text


def _spin(arg: Arg, lo_default: int = -INT_LIMIT) -> QSpinBox:
    spin = RangeSpin()
    spin.setRange(
        int(arg.min) if arg.min is not None else lo_default,
        int(arg.max) if arg.max is not None else INT_LIMIT,
    )
    spin.setKeyboardTracking(True)
    spin.setAccelerated(True)
    spin.setToolTip(core_tr(arg.help))
    spin.setMinimumWidth(72)
    return spin


class IntEditor(ArgEditor):
    """A spin box within the argument's range."""

    def __init__(self, arg: Arg, parent: QWidget | None = None) -> None:
        super().__init__(arg, parent)
        self.spin = _spin(arg)
        self.spin.refused.connect(self.show_hint)
        self.spin.valueChanged.connect(lambda v: self.edited.emit(int(v)))
        self._row.addWidget(self.spin)
        self._row.addStretch(1)

    def set_value(self, value: Any) -> None:  # noqa: D102
        if self.spin.value() != value:
            with QSignalBlocker(self.spin):
                self.spin.setValue(int(value))

    def value(self) -> int:  # noqa: D102
        return self.spin.value()


class FloatSpin(QDoubleSpinBox):
    """A double spin box that shows ``1e-05`` and ``0.5`` rather than fixed decimals."""

    def textFromValue(self, value: float) -> str:  # noqa: N802, D102 - Qt API
        return f"{value:.6g}"

    def valueFromText(self, text: str) -> float:  # noqa: N802, D102 - Qt API
        try:
            return float(text.replace(",", "."))
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int) -> object:  # noqa: D102 - Qt API
        from PySide6.QtGui import QValidator

        stripped = text.strip()
        if stripped in ("", "-", ".", "e", "1e", "1e-"):
            return QValidator.State.Intermediate, text, pos
        try:
            v = float(stripped.replace(",", "."))
        except ValueError:
            ok = all(c in "0123456789.,eE-+" for c in stripped)
            return (QValidator.State.Intermediate if ok else QValidator.State.Invalid), text, pos
        state = (
            QValidator.State.Acceptable
            if self.minimum() <= v <= self.maximum()
            else QValidator.State.Intermediate
        )
        return state, text, pos


class FloatEditor(ArgEditor):
    """A number with a step matched to its default's magnitude."""

    def __init__(self, arg: Arg, parent: QWidget | None = None) -> None:
        super().__init__(arg, parent)
        self.spin = FloatSpin()
        self.spin.setDecimals(10)
        self.spin.setRange(arg.min if arg.min is not None else -1e9, arg.max if arg.max is not None else 1e9)
        default = abs(float(arg.default or 0))
        if not default:
            step = 0.01
        else:
            decade = 10 ** math.floor(math.log10(default))
            step = decade / 2 if default >= 0.05 else decade
        self.spin.setSingleStep(step)
        self.spin.setKeyboardTracking(True)
        self.spin.setToolTip(core_tr(arg.help))
        self.spin.setMinimumWidth(90)
        self.spin.valueChanged.connect(lambda v: self.edited.emit(float(v)))
        self._row.addWidget(self.spin)
        self._row.addStretch(1)

    def set_value(self, value: Any) -> None:  # noqa: D102
        if self.spin.value() != value:
            with QSignalBlocker(self.spin):
                self.spin.setValue(float(value))

    def value(self) -> float:  # noqa: D102
        return self.spin.value()


class BoolEditor(ArgEditor):
    """A check box."""

    def __init__(self, arg: Arg, parent: QWidget | None = None) -> None:
        super().__init__(arg, parent)
        self.check = QCheckBox()
        self.check.setToolTip(core_tr(arg.help))
        self.check.toggled.connect(lambda v: self.edited.emit(bool(v)))
        self._row.addWidget(self.check)
        self._row.addStretch(1)

    def set_value(self, value: Any) -> None:  # noqa: D102
        with QSignalBlocker(self.check):
            self.check.setChecked(bool(value))

    def value(self) -> bool:  # noqa: D102
        return self.check.isChecked()


class ChoiceEditor(ArgEditor):
    """A combo box of the allowed values."""

    def __init__(self, arg: Arg, parent: QWidget | None = None) -> None:
        super().__init__(arg, parent)
        self.combo = QComboBox()
        self.combo.addItems(list(arg.choices))
        self.combo.setToolTip(core_tr(arg.help))
        self.combo.currentTextChanged.connect(self.edited.emit)
        self._row.addWidget(self.combo)
        self._row.addStretch(1)

    def set_value(self, value: Any) -> None:  # noqa: D102
        with QSignalBlocker(self.combo):
            self.combo.setCurrentText(str(value))

    def value(self) -> str:  # noqa: D102
        return self.combo.currentText()


class IntChoiceEditor(ArgEditor):
    """A combo box of the allowed integers (MBConv's kernel 3 or 5, stride 1 or 2)."""

    def __init__(self, arg: Arg, parent: QWidget | None = None) -> None:
        super().__init__(arg, parent)
        self.combo = QComboBox()
        self.combo.addItems(list(arg.choices))
        self.combo.setToolTip(core_tr(arg.help))
        self.combo.currentTextChanged.connect(lambda text: self.edited.emit(int(text)))
        self._row.addWidget(self.combo)
        self._row.addStretch(1)

    def set_value(self, value: Any) -> None:  # noqa: D102
        with QSignalBlocker(self.combo):
            self.combo.setCurrentText(str(value))

    def value(self) -> int:  # noqa: D102
        return int(self.combo.currentText())


class SizeEditor(ArgEditor):
    """An int, or ``[h, w]`` when "square" is switched off (a second spin box appears)."""

    def __init__(self, arg: Arg, parent: QWidget | None = None) -> None:
        super().__init__(arg, parent)
        self.h = _spin(arg, 0)
        self.w = _spin(arg, 0)
        self.times = QLabel("×")
        self.square = QToolButton()
        self.square.setObjectName(f"square_{arg.name}")
        self.square.setCheckable(True)
        self.square.setChecked(True)
        self.square.setText(self.tr("square"))
        self.square.setToolTip(self.tr("Same value for height and width; switch off to set them separately"))
        self.h.valueChanged.connect(self._emit)
        self.w.valueChanged.connect(self._emit)
        self.h.refused.connect(self.show_hint)
        self.w.refused.connect(self.show_hint)
        self.square.toggled.connect(self._square_toggled)
        for w in (self.h, self.times, self.w, self.square):
            self._row.addWidget(w)
        self._row.addStretch(1)
        self._sync_visibility()

    def _sync_visibility(self) -> None:
        self.w.setVisible(not self.square.isChecked())
        self.times.setVisible(not self.square.isChecked())

    def _square_toggled(self, checked: bool) -> None:
        if not checked:
            with QSignalBlocker(self.w):
                self.w.setValue(self.h.value())
        self._sync_visibility()
        self._emit()

    def _emit(self, *_: object) -> None:
        self.edited.emit(self.value())

    def set_value(self, value: Any) -> None:  # noqa: D102
        if isinstance(value, (list, tuple)):
            h, w, square = int(value[0]), int(value[1]), False
        else:
            h = w = int(value)
            square = True
        for widget, v in ((self.h, h), (self.w, w)):
            if widget.value() != v:
                with QSignalBlocker(widget):
                    widget.setValue(v)
        with QSignalBlocker(self.square):
            self.square.setChecked(square)
        self._sync_visibility()

    def value(self) -> int | list[int]:  # noqa: D102
        if self.square.isChecked():
            return self.h.value()
        return [self.h.value(), self.w.value()]

    def spin_boxes(self) -> list[QAbstractSpinBox]:
        """The visible spin boxes (for tests)."""
        return [self.h] if self.square.isChecked() else [self.h, self.w]


class PaddingEditor(ArgEditor):
    """A size, or ``"same"``/``"valid"``."""

    MODES = ("number", "same", "valid")

    def __init__(self, arg: Arg, parent: QWidget | None = None) -> None:
        super().__init__(arg, parent)
        self.mode = QComboBox()
        labels = {"number": self.tr("number"), "same": self.tr("same"), "valid": self.tr("valid")}
        for mode in self.MODES:  # the data is PyTorch's value, the text its translation
            self.mode.addItem(labels[mode], mode)
        self.mode.setToolTip(self.tr('"same" keeps the size (stride 1), "valid" means no padding'))
        self.size_editor = SizeEditor(arg)
        self.size_editor.setObjectName(f"size_{arg.name}")
        self.mode.currentIndexChanged.connect(lambda _: self._mode_changed(self.mode.currentData()))
        self.size_editor.edited.connect(lambda _: self.edited.emit(self.value()))
        self._row.addWidget(self.size_editor)
        self._row.addWidget(self.mode)
        self._row.addStretch(1)

    def _mode_changed(self, mode: str) -> None:
        self.size_editor.setEnabled(mode == "number")
        self.edited.emit(self.value())

    def set_value(self, value: Any) -> None:  # noqa: D102
        with QSignalBlocker(self.mode):
            self.mode.setCurrentIndex(
                max(0, self.mode.findData(value if isinstance(value, str) else "number"))
            )
        if not isinstance(value, str):
            self.size_editor.set_value(value)
        self.size_editor.setEnabled(not isinstance(value, str))

    def value(self) -> Any:  # noqa: D102
        mode = self.mode.currentData()
        return mode if mode != "number" else self.size_editor.value()


class OptionalSizeEditor(ArgEditor):
    """A size, or None ("auto": PyTorch's default, e.g. stride = kernel size)."""

    def __init__(self, arg: Arg, parent: QWidget | None = None) -> None:
        super().__init__(arg, parent)
        self.auto = QCheckBox(self.tr("auto"))
        self.auto.setToolTip(self.tr("Use PyTorch's default: {help}").format(help=core_tr(arg.help)))
        self.size_editor = SizeEditor(arg)
        self.size_editor.setObjectName(f"size_{arg.name}")
        self.auto.toggled.connect(self._auto_toggled)
        self.size_editor.edited.connect(lambda _: self.edited.emit(self.value()))
        self._row.addWidget(self.size_editor)
        self._row.addWidget(self.auto)
        self._row.addStretch(1)

    def _auto_toggled(self, checked: bool) -> None:
        self.size_editor.setEnabled(not checked)
        self.edited.emit(self.value())

    def set_value(self, value: Any, fallback: Any = 1) -> None:  # noqa: D102
        with QSignalBlocker(self.auto):
            self.auto.setChecked(value is None)
        self.size_editor.set_value(fallback if value is None else value)
        self.size_editor.setEnabled(value is not None)

    def value(self) -> Any:  # noqa: D102
        return None if self.auto.isChecked() else self.size_editor.value()


EDITORS: dict[str, type[ArgEditor]] = {
    "int": IntEditor,
    "int_choice": IntChoiceEditor,
    "float": FloatEditor,
    "bool": BoolEditor,
    "choice": ChoiceEditor,
    "size": SizeEditor,
    "padding": PaddingEditor,
    "optional_size": OptionalSizeEditor,
}


def make_editor(arg: Arg, parent: QWidget | None = None) -> ArgEditor:
    """The editor for ``arg``'s kind."""
    return EDITORS[arg.kind](arg, parent)
