"""The layer palette (``layerPalette``): grouped, searchable, adds by double-click, Enter or drag."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView

from studio.core.model.blocks import GROUPS, REGISTRY
from studio.gui.designer.palette import BlockRole
from studio.gui.designer.stack_model import BLOCK_MIME


def test_palette_lists_every_block_under_its_group(designer: Any, main_window: Any) -> None:
    tree = main_window.findChild(QAbstractItemView, "layerPalette")
    proxy = tree.model()
    groups = [proxy.index(r, 0).data() for r in range(proxy.rowCount())]
    assert groups == list(GROUPS)
    assert sorted(designer.palette_panel.visible_blocks()) == sorted(REGISTRY)
    conv = designer.palette_panel.index_of("Conv2d")
    assert conv.parent().data() == "Convolution"
    assert "filters" in conv.data(Qt.ItemDataRole.ToolTipRole)


def test_search_filters_by_name_and_description(designer: Any, qtbot: Any) -> None:
    panel = designer.palette_panel
    qtbot.keyClicks(panel.search, "pool")
    visible = panel.visible_blocks()
    assert "MaxPool2d" in visible and "AdaptiveAvgPool2d" in visible
    assert "ReLU" not in visible and "Linear" not in visible
    panel.search.clear()
    qtbot.keyClicks(panel.search, "skip connection")  # only in the help texts of the ResNet blocks
    assert set(panel.visible_blocks()) == {"BasicBlock", "Bottleneck"}
    # Enter in the search field adds the first match
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert [layer["type"] for layer in designer.doc.layers] == ["BasicBlock"]


def test_double_click_and_enter_add_after_the_selected_layer(designer: Any, qtbot: Any) -> None:
    tree = designer.palette_panel.tree
    index = designer.palette_panel.index_of("Conv2d")
    tree.doubleClicked.emit(index)
    tree.setCurrentIndex(designer.palette_panel.index_of("Flatten"))
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert [layer["type"] for layer in designer.doc.layers] == ["Conv2d", "Flatten"]
    assert designer.stack_view.selected_rows() == [1]
    designer.stack_view.select_rows([0])
    tree.doubleClicked.emit(designer.palette_panel.index_of("ReLU"))
    assert [layer["type"] for layer in designer.doc.layers] == ["Conv2d", "ReLU", "Flatten"]
    assert designer.stack_view.selected_rows() == [1]
    tree.doubleClicked.emit(tree.model().index(0, 0))  # a group heading adds nothing
    assert len(designer.doc.layers) == 3


def test_dragging_a_block_carries_its_type_to_the_stack(designer: Any) -> None:
    proxy = designer.palette_panel.proxy
    index = designer.palette_panel.index_of("MaxPool2d")
    mime = proxy.mimeData([index])
    assert json.loads(bytes(mime.data(BLOCK_MIME).data())) == ["MaxPool2d"]
    assert index.flags() & Qt.ItemFlag.ItemIsDragEnabled
    stack_model = designer.stack_view.model()
    assert stack_model.dropMimeData(mime, Qt.DropAction.CopyAction, -1, -1, QModelIndex())
    assert designer.doc.layers == [{"type": "MaxPool2d", "kernel_size": 2}]
    assert index.data(BlockRole) == "MaxPool2d"
