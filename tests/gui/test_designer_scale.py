"""Design > Scale network…: the dialog's before/after numbers, one undoable edit, refusals."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialogButtonBox, QWidget

from studio.core.model.blocks import REGISTRY
from studio.gui.designer.arg_editors import IntChoiceEditor


def _open(main_window: Any, template: str) -> Any:
    main_window.files.new_from_template(template, ask=False)
    return main_window.show_page("Design")


def test_scale_dialog_shows_before_and_after_and_applies_one_undo_step(main_window: Any, qtbot: Any) -> None:
    page = _open(main_window, "efficientnet-b0-blocks")
    main_window.actions_.scale.trigger()  # Edit > Scale Network…
    dialog = page.scale_dialog
    assert dialog is not None and dialog.isVisible()
    assert main_window.findChild(QWidget, "scaleDialog") is dialog
    table = dialog.table
    assert table.item(0, 0).text().startswith("5,288,548") and table.item(0, 1).text().startswith("5,288,548")
    dialog.set_variant("b3")
    assert dialog.spins["width"].value() == 1.2 and dialog.spins["depth"].value() == 1.4
    assert table.item(0, 1).text().startswith("12,233,232")
    assert table.item(2, 0).text() == "3x224x224" and table.item(2, 1).text() == "3x300x300"
    assert (table.item(3, 0).text(), table.item(3, 1).text()) == ("16", "26")
    assert table.item(1, 1).text().startswith("1,848,908,048")
    dialog.grab().save("/tmp/scale_dialog.png")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: page.doc.summary().total_params == 12_233_232)
    assert page.doc.project.input_shape == (3, 300, 300)
    assert "Scale network (EfficientNet-B3)" in main_window.actions_.undo.text()
    main_window.actions_.undo.trigger()
    assert page.doc.summary().total_params == 5_288_548 and page.doc.project.input_shape == (3, 224, 224)


def test_custom_multipliers_and_a_network_without_mbconv(main_window: Any) -> None:
    page = _open(main_window, "efficientnet-b0-blocks")
    dialog = page.scale_network()
    dialog.set_variant("b2")
    dialog.spins["depth"].setValue(1.0)  # editing a multiplier switches to custom
    assert dialog.variant.currentData() == "custom"
    assert dialog.scaling().width == 1.1 and dialog.scaling().depth == 1.0
    assert dialog.table.item(3, 1).text() == "16"
    dialog.reject()
    page = _open(main_window, "lenet5")
    dialog = page.scale_network()
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    assert "needs a network with MBConv" in dialog.message.text()
    dialog.reject()


def test_mbconv_kernel_and_stride_are_choices(main_window: Any) -> None:
    page = _open(main_window, "efficientnet-b0-blocks")
    row = next(i for i, la in enumerate(page.doc.layers) if la["type"] == "MBConv")
    page.stack_view.select_rows([row])
    editor = page.properties.editors["kernel_size"]
    assert isinstance(editor, IntChoiceEditor)
    assert [editor.combo.itemText(i) for i in range(editor.combo.count())] == list(
        REGISTRY["MBConv"].arg("kernel_size").choices
    )
    editor.combo.setCurrentText("5")
    assert page.doc.layers[row]["kernel_size"] == 5
    assert "squeeze-excitation" in page.properties.formula.text()  # the branch table under the editors


def test_diagram_draws_inception_branches_and_skip_connections(main_window: Any, tmp_path: Any) -> None:
    from PySide6.QtGui import QImage

    from studio.gui.designer.diagram import BOX_H, diagram_blocks

    page = _open(main_window, "googlenet-blocks")
    _, blocks = diagram_blocks(page.source)
    inception = [b for b in blocks if b.label.startswith("Inception")]
    assert len(inception) == 9 and all(len(b.branches) == 4 for b in inception)
    assert inception[0].branches == (
        ("1x1", "64 ch"),
        ("1x1→3x3", "96→128 ch"),
        ('1x1→"5x5"', "16→32 ch"),
        ("pool→1x1", "32 ch"),
    )
    assert inception[0].height > BOX_H and not any(b.skip for b in blocks)
    page.tabs.setCurrentWidget(page.diagram)
    page.diagram.diagram.grab().save(str(tmp_path / "googlenet.png"))
    page.diagram.diagram.grab().save("/tmp/diagram_googlenet.png")

    page = _open(main_window, "efficientnet-b0-blocks")
    _, blocks = diagram_blocks(page.source)
    mb = [b for b in blocks if b.label.startswith("MBConv")]
    # a skip wherever stride is 1 and the channels match: 16 blocks, 7 stage starts without one
    assert [b.skip for b in mb].count("identity") == 9 and [b.skip for b in mb].count(None) == 7
    assert "skip: identity" in mb[2].detail
    png = tmp_path / "effnet.png"
    assert page.diagram.diagram.export_png(png)
    assert QImage(str(png)).height() > 40 * len(blocks)

    page = _open(main_window, "resnet18-blocks")
    _, blocks = diagram_blocks(page.source)
    skips = [b.skip for b in blocks if b.label.startswith("BasicBlock")]
    assert skips == [
        "identity",
        "identity",
        "1x1 conv",
        "identity",
        "1x1 conv",
        "identity",
        "1x1 conv",
        "identity",
    ]
    page.tabs.setCurrentWidget(page.diagram)
    page.diagram.diagram.grab().save("/tmp/diagram_resnet.png")


def test_shape_table_expands_blocks_to_their_branches(main_window: Any, qtmodeltester: Any) -> None:
    page = _open(main_window, "googlenet-blocks")
    model = page.shape_table.model
    qtmodeltester.check(model, force_py=True)
    row = next(i for i, la in enumerate(page.doc.layers) if la["type"] == "Inception")
    parent = model.index(row, 0)
    assert model.rowCount(parent) == 5 and model.rowCount(model.index(0, 0)) == 0  # a Conv2d has none
    cells = [[model.index(r, c, parent).data() for c in range(6)] for r in range(5)]
    assert cells[1][1].startswith("branch2: 1x1 conv to 96") and cells[1][3] == "128 × 28 × 28"
    assert cells[1][4] == "129,472"
    assert "276,800" in cells[4][1] and cells[4][4] == "-139,552"
    page.shape_table.view.expand(parent)
    page.ctx.push(page.doc.set_layer_arg(row, "ch1x1", 32))  # an edit keeps the row expanded
    parent = model.index(row, 0)
    assert page.shape_table.view.isExpanded(parent)
    assert model.index(0, 3, parent).data() == "32 × 28 × 28"
    page.tabs.setCurrentWidget(page.shape_table)
    page.resize(1280, 800)
    page.shape_table.view.scrollTo(parent)
    main_window.grab().save("/tmp/shape_tree.png")
