"""The property editor (``layerProperties``): generated from the registry, both directions, undo."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QSpinBox, QWidget

from studio.core.model.blocks import REGISTRY
from studio.gui.designer.arg_editors import (
    BoolEditor,
    ChoiceEditor,
    FloatEditor,
    IntEditor,
    OptionalSizeEditor,
    PaddingEditor,
    SizeEditor,
)


def _select(page: Any, *types: str, row: int = 0) -> Any:
    for t in types:
        page.ctx.push(page.doc.add_layer(t))
    page.stack_view.select_rows([row])
    return page.properties


def test_editors_follow_the_argument_schema(designer: Any, main_window: Any) -> None:
    props = _select(designer, "Conv2d")
    assert main_window.findChild(QWidget, "layerProperties") is props
    block = REGISTRY["Conv2d"]
    assert list(props.editors) == [a.name for a in block.args]
    kinds = {name: type(editor) for name, editor in props.editors.items()}
    assert kinds == {
        "out_channels": IntEditor,
        "kernel_size": SizeEditor,
        "stride": SizeEditor,
        "padding": PaddingEditor,
        "dilation": SizeEditor,
        "groups": IntEditor,
        "bias": BoolEditor,
    }
    spin = props.editors["out_channels"].findChild(QSpinBox)
    arg = block.arg("out_channels")
    assert (spin.minimum(), spin.maximum()) == (arg.min, arg.max)
    assert spin.toolTip() == arg.help and spin.value() == 32
    assert props.editors["bias"].findChild(QCheckBox).isChecked()


def test_choice_float_and_optional_editors(designer: Any) -> None:
    props = _select(designer, "GELU", "Dropout", "MaxPool2d")
    assert isinstance(props.editors["approximate"], ChoiceEditor)
    combo = props.editors["approximate"].findChild(QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == ["none", "tanh"]
    combo.setCurrentText("tanh")
    assert designer.doc.layers[0]["approximate"] == "tanh"
    designer.stack_view.select_rows([1])
    assert isinstance(props.editors["p"], FloatEditor)
    spin = props.editors["p"].findChild(QDoubleSpinBox)
    assert (spin.minimum(), spin.maximum()) == (0.0, 1.0) and spin.text() == "0.5"
    spin.setValue(0.25)
    assert designer.doc.layers[1]["p"] == 0.25
    designer.stack_view.select_rows([2])
    stride = props.editors["stride"]
    assert isinstance(stride, OptionalSizeEditor) and stride.auto.isChecked()
    stride.auto.setChecked(False)
    stride.size_editor.h.setValue(1)
    assert designer.doc.layers[2]["stride"] == 1
    stride.auto.setChecked(True)
    assert designer.doc.layers[2]["stride"] is None


def test_typing_updates_the_document_shapes_and_formula_at_once(designer: Any, qtbot: Any) -> None:
    props = _select(designer, "Conv2d", "Flatten", "Linear")
    model = designer.stack_view.model()
    spin = props.editors["kernel_size"].h
    spin.selectAll()
    qtbot.keyClicks(spin, "5")
    assert designer.doc.layers[0]["kernel_size"] == 5
    assert model.index(0, 3).data() == "32 × 24 × 24"
    assert "O = floor((28 + 2·0 - (5-1) - 1) / 1) + 1 = 24" in props.formula.text()
    assert "32 × 1 × 5 × 5 + 32 (biases) = 832" in props.formula.text()
    assert "832 parameters" not in designer.totals.text()  # totals cover the whole stack
    assert f"{832 + 32 * 24 * 24 * 10 + 10:,} parameters" in designer.totals.text()


def test_non_square_kernel_and_padding_modes(designer: Any) -> None:
    props = _select(designer, "Conv2d")
    size = props.editors["kernel_size"]
    size.square.setChecked(False)
    size.w.setValue(5)
    assert designer.doc.layers[0]["kernel_size"] == [3, 5]
    padding = props.editors["padding"]
    padding.mode.setCurrentText("same")
    assert designer.doc.layers[0]["padding"] == "same"
    assert not padding.size_editor.isEnabled()
    assert designer.stack_view.model().index(0, 3).data() == "32 × 28 × 28"


def test_document_changes_show_up_in_the_editors(designer: Any) -> None:
    props = _select(designer, "Conv2d", "Linear")
    designer.ctx.push(designer.doc.set_layer_arg(0, "out_channels", 7))
    assert props.editors["out_channels"].value() == 7
    designer.ctx.push(designer.doc.set_layer_arg(0, "bias", False))
    assert not props.editors["bias"].value()
    designer.ctx.undo_stack.undo()
    assert props.editors["bias"].value()
    # the invalid Linear shows its reason in the editor
    designer.stack_view.select_rows([1])
    assert props.error.isVisible() and "Flatten" in props.error.text()


def test_typing_in_one_field_is_one_undo_step(designer: Any, qtbot: Any) -> None:
    props = _select(designer, "Conv2d")
    stack = designer.ctx.undo_stack
    before = stack.count()
    spin = props.editors["out_channels"].spin
    spin.selectAll()
    qtbot.keyClicks(spin, "128")
    assert designer.doc.layers[0]["out_channels"] == 128
    assert stack.count() == before + 1
    props.editors["groups"].spin.setValue(2)  # another field: another step
    assert stack.count() == before + 2
    stack.undo()
    stack.undo()
    assert designer.doc.layers[0]["out_channels"] == 32 and "groups" not in designer.doc.layers[0]
    assert spin.value() == 32
    stack.redo()
    assert designer.doc.layers[0]["out_channels"] == 128


def test_no_selection_and_argument_free_layers(designer: Any) -> None:
    props = _select(designer, "ReLU")
    assert props.editors == {}
    assert "No learned parameters" in props.formula.text()
    designer.stack_view.clearSelection()
    assert props.row is None and "No layer selected" in props.title.text()
    assert props.formula.isHidden()
    assert props.help.textFormat() in (
        Qt.TextFormat.AutoText,
        Qt.TextFormat.PlainText,
        Qt.TextFormat.RichText,
    )


def test_auto_pool_stride_shows_the_kernel_size(designer: Any) -> None:
    props = _select(designer, "MaxPool2d", "AvgPool2d")
    for row in (0, 1):
        designer.stack_view.select_rows([row])
        stride = props.editors["stride"]
        kernel = props.editors["kernel_size"].h
        assert stride.size_editor.h.maximum() >= kernel.maximum()  # every kernel size can be the auto stride
        kernel.setValue(20)
        assert designer.doc.layers[row]["kernel_size"] == 20 and stride.auto.isChecked()
        assert (
            stride.size_editor.h.value() == 20 and not stride.size_editor.h.isEnabled()
        )  # the effective stride
        designer.ctx.push(designer.doc.set_layer_arg(row, "kernel_size", [3, 5]))
        assert [s.value() for s in stride.size_editor.spin_boxes()] == [3, 5]


def test_block_help_is_readable_text(designer: Any) -> None:
    from PySide6.QtGui import QPalette

    props = _select(designer, "MaxPool2d")
    assert "Max pooling" in props.help.text() and props.help.wordWrap()
    assert props.help.isEnabled()  # not the disabled, low-contrast look
    palette = props.help.palette()
    text = palette.color(QPalette.ColorGroup.Active, props.help.foregroundRole())
    background = palette.color(QPalette.ColorGroup.Active, props.help.backgroundRole())
    assert props.help.foregroundRole() == QPalette.ColorRole.WindowText
    assert abs(text.lightness() - background.lightness()) > 100
