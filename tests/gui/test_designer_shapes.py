"""Shape table, totals, block diagram (PNG/SVG export), model kind switch and input shape."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QAbstractItemView

from studio.core.model.shapes import analyze
from studio.core.project.templates import get_template
from studio.gui.designer.diagram import diagram_blocks


def _rows(view: Any) -> list[list[str]]:
    m = view.model()
    return [[m.index(r, c).data() for c in range(m.columnCount())] for r in range(m.rowCount())]


def test_shape_table_rows_and_totals_follow_edits(designer: Any, main_window: Any) -> None:
    table = main_window.findChild(QAbstractItemView, "shapeTable")
    assert table is designer.shape_table.view
    designer.ctx.push(designer.doc.insert_layers(0, get_template("lenet5").project().model.layers))
    rows = _rows(table)
    assert len(rows) == 12
    assert rows[0][:5] == ["0", "Conv2d", "1 × 28 × 28", "6 × 28 × 28", "156"]
    expected = analyze(designer.doc.layers, (1, 28, 28))
    assert f"{expected.total_params:,}" in designer.shape_table.totals.text()
    assert f"{expected.size_mb:.2f} MB" in designer.shape_table.totals.text()
    assert (
        "MACs" in designer.totals.text()
        and f"{expected.trainable_params:,} trainable" in designer.totals.text()
    )
    designer.ctx.push(designer.doc.set_layer_arg(0, "out_channels", 8))
    assert _rows(table)[0][3] == "8 × 28 × 28" and _rows(table)[0][4] == "208"
    assert f"{analyze(designer.doc.layers, (1, 28, 28)).total_params:,}" in designer.shape_table.totals.text()


def test_input_shape_editor_changes_the_data_section_undoably(designer: Any) -> None:
    designer.ctx.push(designer.doc.add_layer("Conv2d"))
    editor = designer.input_editor
    editor.height_spin.setValue(32)
    editor.width_spin.setValue(40)
    assert designer.doc.project.data.image_size == (32, 40)
    assert designer.stack_view.model().index(0, 3).data() == "32 × 30 × 38"
    editor.channels.setCurrentIndex(1)
    editor.channels.activated.emit(1)
    assert designer.doc.project.data.channels == 3
    assert designer.stack_view.model().index(0, 2).data() == f"{32 * 3 * 9 + 32:,}"
    designer.ctx.undo_stack.undo()
    assert designer.doc.project.data.channels == 1 and editor.channels.currentIndex() == 0
    designer.ctx.push(designer.doc.set_field("data", "image_size", [64, 64]))
    assert (editor.height_spin.value(), editor.width_spin.value()) == (64, 64)


def test_diagram_shows_blocks_shapes_and_errors_and_exports(designer: Any, tmp_path: Path) -> None:
    for t in ("Conv2d", "MaxPool2d", "Linear"):
        designer.ctx.push(designer.doc.add_layer(t))
    in_text, blocks = diagram_blocks(designer.source)
    assert in_text == "1 × 28 × 28"
    assert [b.out_shape for b in blocks] == ["32 × 26 × 26", "32 × 13 × 13", "?"]
    assert blocks[2].error and "Flatten" in blocks[2].error
    diagram = designer.diagram.diagram
    png, svg = tmp_path / "net.png", tmp_path / "net.svg"
    assert diagram.export_png(png) and diagram.export_svg(svg)
    image = QImage(str(png))
    assert not image.isNull() and image.height() > image.width() / 2
    text = svg.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "<svg" in text and "Conv2d" in text
    designer.ctx.push(designer.doc.add_layer("Flatten", 2))
    _, blocks = diagram_blocks(designer.source)
    assert blocks[-1].out_shape == "10" and not any(b.error for b in blocks)
    assert diagram.sizeHint().height() > 5 * 38


def test_diagram_export_buttons_ask_for_a_file(designer: Any, tmp_path: Path, monkeypatch: Any) -> None:
    from PySide6.QtWidgets import QFileDialog, QPushButton

    target = tmp_path / "from-button.svg"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    designer.ctx.push(designer.doc.add_layer("ReLU"))
    designer.diagram.findChild(QPushButton, "exportDiagramSvg").click()
    assert target.exists() and "ReLU" in target.read_text(encoding="utf-8")


def test_pretrained_kind_shows_settings_and_a_lazy_summary(
    designer: Any, qtbot: Any, torch_home: Path
) -> None:
    designer.ctx.push(designer.doc.add_layer("Conv2d"))
    designer.kind_switch.pretrained_button.click()
    doc = designer.doc
    assert doc.project.model.kind == "pretrained" and doc.project.data.channels == 3
    assert designer.center_stack.currentWidget() is designer.pretrained
    assert not designer.props_box.isVisible()
    assert not designer.palette_panel.isEnabled()  # blocks go into stacks only
    designer.add_block("Conv2d")
    assert doc.layers == [{"type": "Conv2d", "out_channels": 32, "kernel_size": 3}]
    qtbot.waitUntil(lambda: designer.source.summary() is not None, timeout=120_000)
    table = designer.shape_table.view
    names = [table.model().index(r, 1).data() for r in range(table.model().rowCount())]
    assert names[0].startswith("conv1 (Conv2d)") and names[0].endswith("(frozen)")
    assert any(n.startswith("fc (Linear)") for n in names)
    assert "11,1" in designer.totals.text()  # resnet18 with a 10-class head: ~11.18 M parameters
    # freezing off: everything trains
    designer.pretrained.freeze.setChecked(False)
    assert doc.project.model.freeze == "none"
    qtbot.waitUntil(lambda: designer.source.summary() is not None, timeout=60_000)
    s = designer.source.summary()
    assert s.trainable_params == s.total_params
    designer.pretrained.weights.setCurrentIndex(1)
    designer.pretrained.weights.activated.emit(1)
    assert doc.project.model.weights is None
    # back to the stack: the layers are still there
    designer.kind_switch.stack_button.click()
    assert doc.project.model.kind == "stack" and [layer["type"] for layer in doc.layers] == ["Conv2d"]
    while designer.ctx.undo_stack.canUndo():
        designer.ctx.undo_stack.undo()
    assert doc.project.model.kind == "stack" and doc.project.data.channels == 1


def test_shape_names_stay_readable_on_a_narrow_table(designer: Any, main_window: Any) -> None:
    """Wide: the names' column takes the room the numbers leave, no sideways scrolling. Narrow
    (the Shapes pane of a 1024 px window): the names keep their width (up to NAMES_WIDTH) and
    the numbers scroll sideways, instead of a column of "…"."""
    from PySide6.QtWidgets import QApplication, QHeaderView

    from studio.gui.designer.shape_table import NAMES_WIDTH

    designer.ctx.push(designer.doc.insert_layers(0, get_template("mnist-cnn").project().model.layers))
    view = designer.shape_table.view
    header = view.header()
    main_window.show_page("Design")
    need = min(NAMES_WIDTH, view.sizeHintForColumn(1))
    for width, stretched in ((1280, True), (1024, False), (1280, True)):
        main_window.resize(width, 800)
        QApplication.processEvents()
        right_edge = header.sectionViewportPosition(5) + header.sectionSize(5)
        assert header.sectionSize(1) >= need, f"{width} px: names get {header.sectionSize(1)} px"
        assert (header.sectionResizeMode(1) == QHeaderView.ResizeMode.Stretch) is stretched
        if stretched:
            assert right_edge <= view.viewport().width(), f"{width} px: the numbers scroll sideways"
