"""A user builds the MNIST network from an empty stack by clicks and key presses, saves, reopens.

Drives the real window from :func:`studio.app.create_main_window` with mouse clicks on the
start page, the palette and the stack, typing in the property editor and the Edit menu's
shortcuts (Ctrl+D, Delete, Ctrl+S), then checks the saved file against the built-in
``mnist-cnn`` template and that reopening it gives back exactly the same JSON.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QCheckBox, QFileDialog, QMessageBox, QWidget

from studio.core.project.templates import get_template
from tests.helpers.waiting import settle


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Private settings and user folders; Qt's modal dialogs answered without blocking."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CNN_STUDIO_HOME", str(tmp_path / "studio-home"))
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.NativeFormat, scope, str(tmp_path / "config"))
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard)
    )
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda *a, **k: pytest.fail(f"warning: {a[1:3]}"))
    )
    return tmp_path


def _click_row(qtbot: Any, view: Any, row: int, modifier: Any = Qt.KeyboardModifier.NoModifier) -> None:
    rect = view.visualRect(view.model().index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())
    settle()  # the property editor shows its new widgets


def _double_click_block(qtbot: Any, palette: Any, name: str) -> None:
    tree = palette.tree
    index = palette.index_of(name)
    tree.scrollTo(index)
    rect = tree.visualRect(index)
    # a real double-click is press, release, then a double-click press and release
    qtbot.mouseClick(
        tree.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center()
    )
    qtbot.mouseDClick(
        tree.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center()
    )


def _type(qtbot: Any, spin: Any, text: str) -> None:
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, text)


def _types(page: Any) -> list[str]:
    return [layer["type"] for layer in page.doc.layers]


def test_build_mnist_by_hand_save_and_reopen(
    qtbot: Any, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from studio.app import create_main_window

    window = create_main_window()
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)

    # the start page: "Empty project"
    card = window.findChild(QWidget, "templateCard_empty")
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
    page = window.current_page()
    assert page is window.page("Design") and page.doc.layers == []
    palette, stack = page.palette_panel, page.stack_view

    # Conv2d by searching and pressing Enter, the rest of the first stage by double-clicks
    # (the template pools right after the convolution: the same result, a quarter of the work)
    qtbot.keyClicks(palette.search, "Conv2d")
    qtbot.keyClick(palette.search, Qt.Key.Key_Return)
    qtbot.keyClick(palette.search, Qt.Key.Key_Escape)  # clears the search: every block again
    for name in ("MaxPool2d", "BatchNorm2d", "ReLU"):
        _double_click_block(qtbot, palette, name)
    assert _types(page) == ["Conv2d", "MaxPool2d", "BatchNorm2d", "ReLU"]

    # the convolution: 16 filters, padding 1, no bias (BatchNorm follows)
    _click_row(qtbot, stack, 0)
    props = page.properties
    _type(qtbot, props.editors["out_channels"].spin, "16")
    _type(qtbot, props.editors["padding"].size_editor.h, "1")
    bias = props.editors["bias"].findChild(QCheckBox)
    qtbot.mouseClick(bias, Qt.MouseButton.LeftButton)
    assert page.doc.layers[0] == {
        "type": "Conv2d",
        "out_channels": 16,
        "kernel_size": 3,
        "padding": 1,
        "bias": False,
    }

    # select the stage (click, shift-click) and duplicate it twice with Ctrl+D
    _click_row(qtbot, stack, 0)
    _click_row(qtbot, stack, 3, Qt.KeyboardModifier.ShiftModifier)
    assert stack.selected_rows() == [0, 1, 2, 3]
    qtbot.keyClick(stack, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert stack.selected_rows() == [4, 5, 6, 7]
    qtbot.keyClick(stack, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert _types(page) == ["Conv2d", "MaxPool2d", "BatchNorm2d", "ReLU"] * 3

    # the second stage halves the size by a stride-2 convolution instead of pooling:
    # 32 filters, stride 2, and its MaxPool2d goes with the Delete key
    _click_row(qtbot, stack, 4)
    _type(qtbot, props.editors["out_channels"].spin, "32")
    _type(qtbot, props.editors["stride"].h, "2")
    _click_row(qtbot, stack, 5)
    stack.setFocus()
    qtbot.keyClick(stack, Qt.Key.Key_Delete)
    assert len(page.doc.layers) == 11 and "MaxPool2d" != page.doc.layers[5]["type"]
    # the third stage is wider
    _click_row(qtbot, stack, 7)
    _type(qtbot, props.editors["out_channels"].spin, "64")
    # the head goes below the last ReLU
    _click_row(qtbot, stack, 10)
    # Flatten with the keyboard: select it in the palette and press Enter
    palette.tree.setCurrentIndex(palette.index_of("Flatten"))
    palette.tree.setFocus()
    qtbot.keyClick(palette.tree, Qt.Key.Key_Return)
    _double_click_block(qtbot, palette, "Linear")

    template = get_template("mnist-cnn").project()
    assert page.doc.layers == template.model.layers
    assert page.doc.blocking_error() is None
    assert page.model.index(12, 3).data() == "10"
    assert "*" in window.windowTitle()

    # Ctrl+S asks where (first save) and writes the file
    target = isolated / "my-mnist.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    qtbot.keyClick(stack, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert target.exists() and "*" not in window.windowTitle()
    saved = json.loads(target.read_text(encoding="utf-8"))
    assert saved["model"] == {"kind": "stack", "layers": template.model.layers}

    # reopen in a fresh window: the same JSON, and saving again changes nothing
    again = create_main_window(str(target))
    qtbot.addWidget(again)
    assert again.ctx.document.project.to_dict() == saved
    assert again.findChild(QWidget, "layerStack").model().rowCount() == 13
    before = target.read_bytes()
    again.files.save()
    assert target.read_bytes() == before

    # and every step can be undone, back to the empty stack
    while window.ctx.undo_stack.canUndo():
        window.ctx.undo_stack.undo()
    assert page.doc.layers == []
