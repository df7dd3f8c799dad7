"""The layer stack (``layerStack``): document <-> view in both directions, drag and drop, undo."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QMimeData, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView

from studio.core.project.document import ProjectDocument
from studio.core.project.project_file import Project
from studio.gui.designer.stack_model import (
    BLOCK_MIME,
    COL_ARGS,
    COL_PARAMS,
    COL_SHAPE,
    COL_TYPE,
    ROWS_MIME,
    ErrorRole,
    LayerStackModel,
)


def _types(doc: ProjectDocument) -> list[str]:
    return [layer["type"] for layer in doc.layers]


def _column(model: Any, col: int) -> list[str]:
    return [model.index(r, col).data() for r in range(model.rowCount())]


def _add(page: Any, *types: str) -> None:
    for t in types:
        page.ctx.push(page.doc.add_layer(t))


def test_the_stack_is_the_spec_widget(designer: Any, main_window: Any) -> None:
    view = main_window.findChild(QAbstractItemView, "layerStack")
    assert view is designer.stack_view
    assert view.selectionMode() == QAbstractItemView.SelectionMode.ExtendedSelection
    assert view.dragDropMode() == QAbstractItemView.DragDropMode.DragDrop


def test_model_passes_qt_model_tester_through_every_kind_of_edit(qtmodeltester: Any) -> None:
    doc = ProjectDocument(Project())
    pushed: list[Any] = []

    def push(edit: Any) -> bool:
        made = edit() if callable(edit) else edit
        doc.apply(made)
        pushed.append(made)
        return True

    model = LayerStackModel(doc, push)
    qtmodeltester.check(model, force_py=True)
    for t in ("Conv2d", "ReLU", "MaxPool2d", "Flatten", "Linear"):
        doc.apply(doc.add_layer(t))
    doc.apply(doc.move_layers([0, 1], 5))
    doc.apply(doc.move_layer(4, 0))
    doc.apply(doc.remove_layers([1, 3]))
    doc.apply(doc.duplicate_layers([0]))
    assert _types(doc) == ["ReLU", "ReLU", "Flatten", "Conv2d"]
    doc.apply(doc.set_layer_arg(3, "out_channels", 8))
    while doc.undo():
        pass
    assert model.rowCount() == 0
    while doc.redo():
        pass
    assert model.rowCount() == len(doc.layers) == 4
    doc.reset(Project())
    assert model.rowCount() == 0


def test_document_edits_update_rows_shapes_and_params(designer: Any) -> None:
    model = designer.stack_view.model()
    _add(designer, "Conv2d", "ReLU", "Flatten", "Linear")
    assert _column(model, COL_TYPE) == ["Conv2d", "ReLU", "Flatten", "Linear"]
    assert _column(model, COL_SHAPE) == ["32 × 26 × 26", "32 × 26 × 26", "21632", "10"]
    assert model.index(0, COL_PARAMS).data() == "320"  # 32 x 1 x 3 x 3 + 32
    assert model.index(0, COL_ARGS).data() == "32, k3"
    designer.ctx.push(designer.doc.set_layer_arg(0, "padding", 1))
    assert model.index(0, COL_SHAPE).data() == "32 × 28 × 28"
    assert model.index(2, COL_SHAPE).data() == "25088"  # the change ripples down the stack
    assert model.index(0, COL_ARGS).data() == "32, k3, p1"


def test_first_invalid_layer_is_red_with_its_reason_and_rows_after_are_unknown(designer: Any) -> None:
    model = designer.stack_view.model()
    _add(designer, "Conv2d", "Linear", "ReLU")
    assert model.index(1, 0).data(ErrorRole) and "Flatten" in model.index(1, 0).data(ErrorRole)
    assert model.index(1, COL_SHAPE).data().startswith("✗")
    assert model.index(1, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert model.index(0, 0).data(ErrorRole) is None
    assert model.index(2, COL_SHAPE).data() == "?"
    assert designer.error_banner.isVisible() and "Layer 1" in designer.error_banner.text()
    assert designer.doc.blocking_error().layer == 1
    # the invalid row is taller: its reason is written across it
    view = designer.stack_view
    view.resizeRowsToContents()
    assert view.rowHeight(1) > view.rowHeight(0)
    designer.ctx.push(designer.doc.add_layer("Flatten", 1))
    assert model.index(2, 0).data(ErrorRole) is None
    assert not designer.error_banner.isVisible()


def test_delete_duplicate_and_move_from_the_view_with_undo(designer: Any, main_window: Any) -> None:
    _add(designer, "Conv2d", "ReLU", "MaxPool2d", "Flatten")
    view = designer.stack_view
    view.select_rows([1, 2])
    main_window.actions_.duplicate.trigger()
    assert _types(designer.doc) == ["Conv2d", "ReLU", "MaxPool2d", "ReLU", "MaxPool2d", "Flatten"]
    assert view.selected_rows() == [3, 4]
    main_window.actions_.delete.trigger()
    assert _types(designer.doc) == ["Conv2d", "ReLU", "MaxPool2d", "Flatten"]
    view.select_rows([2])
    main_window.actions_.move_up.trigger()
    assert _types(designer.doc) == ["Conv2d", "MaxPool2d", "ReLU", "Flatten"]
    assert view.selected_rows() == [1]
    main_window.actions_.move_down.trigger()
    main_window.actions_.move_down.trigger()
    assert _types(designer.doc) == ["Conv2d", "ReLU", "Flatten", "MaxPool2d"]
    stack = main_window.ctx.undo_stack
    stack.undo()
    stack.undo()
    stack.undo()
    assert _types(designer.doc) == ["Conv2d", "ReLU", "MaxPool2d", "Flatten"]
    stack.undo()  # the delete
    stack.undo()  # the duplicate
    assert _types(designer.doc) == ["Conv2d", "ReLU", "MaxPool2d", "Flatten"]
    assert stack.undoText() == "Add Flatten"
    stack.redo()
    assert len(designer.doc.layers) == 6


def test_drag_rows_to_reorder_is_one_undoable_move(designer: Any, main_window: Any) -> None:
    _add(designer, "Conv2d", "ReLU", "MaxPool2d", "Flatten", "Linear")
    model = designer.stack_view.model()
    mime = model.mimeData([model.index(0, 0), model.index(1, 3)])
    assert json.loads(bytes(mime.data(ROWS_MIME).data())) == [0, 1]
    # dropping between MaxPool2d and Flatten; returning False keeps the view from deleting rows
    assert model.dropMimeData(mime, Qt.DropAction.MoveAction, 3, 0, QModelIndex()) is False
    assert _types(designer.doc) == ["MaxPool2d", "Conv2d", "ReLU", "Flatten", "Linear"]
    assert model.last_dropped == [1, 2]
    main_window.ctx.undo_stack.undo()
    assert _types(designer.doc) == ["Conv2d", "ReLU", "MaxPool2d", "Flatten", "Linear"]
    main_window.ctx.undo_stack.redo()
    assert _types(designer.doc) == ["MaxPool2d", "Conv2d", "ReLU", "Flatten", "Linear"]
    # a drop onto the same place changes nothing and adds no undo step
    count = main_window.ctx.undo_stack.count()
    model.dropMimeData(model.mimeData([model.index(1, 0)]), Qt.DropAction.MoveAction, 2, 0, QModelIndex())
    assert main_window.ctx.undo_stack.count() == count


def test_drop_a_palette_block_between_rows_or_at_the_end(designer: Any) -> None:
    _add(designer, "Conv2d", "Flatten")
    model = designer.stack_view.model()
    mime = QMimeData()
    mime.setData(BLOCK_MIME, json.dumps(["ReLU"]).encode())
    assert model.canDropMimeData(mime, Qt.DropAction.CopyAction, 1, 0, QModelIndex())
    assert model.dropMimeData(mime, Qt.DropAction.CopyAction, 1, 0, QModelIndex())
    assert model.dropMimeData(mime, Qt.DropAction.CopyAction, -1, -1, QModelIndex())
    assert _types(designer.doc) == ["Conv2d", "ReLU", "Flatten", "ReLU"]
    bad = QMimeData()
    bad.setData(BLOCK_MIME, json.dumps(["NoSuchBlock"]).encode())
    assert not model.dropMimeData(bad, Qt.DropAction.CopyAction, 0, 0, QModelIndex())
    assert len(designer.doc.layers) == 4


def test_multi_select_drives_the_property_panel(designer: Any) -> None:
    _add(designer, "Conv2d", "ReLU")
    designer.stack_view.select_rows([0, 1])
    assert designer.properties.row is None and "2 layers selected" in designer.properties.title.text()
    designer.stack_view.select_rows([1])
    assert designer.properties.row == 1 and "ReLU" in designer.properties.title.text()


def test_another_project_resets_the_stack(designer: Any, main_window: Any) -> None:
    _add(designer, "Conv2d")
    main_window.files.new_from_template("lenet5", ask=False)
    model = designer.stack_view.model()
    assert model.rowCount() == 12 and model.index(0, COL_TYPE).data() == "Conv2d"
    assert designer.stack_view.selected_rows() == [0] and designer.properties.row == 0
    assert main_window.ctx.undo_stack.count() == 0
