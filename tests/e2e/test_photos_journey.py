"""Journey 5, a classifier for your own photos: template card -> a class-per-folder dataset dropped
on the window, the template's 2-output head following the folder's 3 classes in the same undoable
edit (no failed first run, no problem flagged on the Design page) -> one epoch ->
a confusion-matrix cell clicked to see its images -> File > Export (Ctrl+E) to TorchScript ->
photos dropped on the Predict tab, and the same photos through the exported file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QDialog, QWidget

from studio.core.evaluation.predict import load_predictor
from tests.helpers.journey_data import PHOTO_CLASSES, write_photo_folder
from tests.helpers.journey_steps import (
    close_window,
    confusion_counts,
    evaluate,
    export,
    find,
    go_to,
    open_window,
    pick_template,
    set_image_size,
    train,
    wait_listed,
)
from tests.helpers.waiting import settle


def _drop(qtbot: Any, target: QWidget, paths: list[Path]) -> None:
    """Drag ``paths`` from a file manager over ``target`` and drop them (enter, then drop)."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(
        target.rect().center(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted(), "the window refused the drag"
    event = QDropEvent(
        QPointF(target.rect().center()),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, event)
    settle()


def _click_cell(qtbot: Any, view: QAbstractItemView, row: int, column: int) -> None:
    rect = view.visualRect(view.model().index(row, column))
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center()
    )


def test_your_own_photos(qtbot: Any, tmp_path: Path, dialogs: Any) -> None:
    photos = write_photo_folder(tmp_path / "My photos", per_class=20, size=40)
    window = open_window(qtbot)
    design = pick_template(qtbot, window, "photos-cnn")
    assert window.ctx.document.project.data.source == "folder"

    # the photo folder dragged from the file manager onto the window becomes the dataset
    _drop(qtbot, window, [photos])
    assert window.ctx.document.project.data.root == str(photos)
    data = go_to(qtbot, window, "Data")
    set_image_size(qtbot, data, 32, 32)
    wait_listed(qtbot, data, 60)
    assert data.class_panel.histogram.counts.classes == PHOTO_CLASSES

    # the template's head had 2 outputs: it followed the folder's 3 classes in the same undoable edit
    head = max(i for i, layer in enumerate(window.ctx.document.layers) if layer["type"] == "Linear")
    assert window.ctx.document.layers[head]["out_features"] == len(PHOTO_CLASSES)
    assert "out_features 2 → 3" in window.ctx.undo_stack.text(0)
    design = go_to(qtbot, window, "Design")
    assert design.problem() is None and design.problem_bar.isHidden()
    run_dir = train(qtbot, window, epochs=1, batch_size=16)

    # a click on a confusion-matrix cell lists that cell's images
    page = evaluate(qtbot, window, run_dir)
    counts = np.array(confusion_counts(page))
    assert counts.sum(axis=1).tolist() == [4, 4, 4]
    row, column = np.unravel_index(int(np.argmax(counts)), counts.shape)
    _click_cell(qtbot, find(page, QAbstractItemView, "confusionMatrix"), int(row), int(column))
    gallery = find(page, QWidget, "cellGallery")
    assert page.side_tabs.currentWidget() is gallery
    assert gallery.model.rowCount() == counts[row, column]

    # File > Export… (Ctrl+E) opens the same export dialog
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = find(window, QDialog, "exportDialog")
    assert dialog.isVisible()
    dialog.close()
    model_file = export(qtbot, window, "torchscript", tmp_path / "my-photos.pt").result.path

    # photos dropped on the Predict tab are classified by the run; the exported file agrees
    images = sorted(photos.glob("*/*_1[5-9].png"))
    page.tabs.setCurrentWidget(page.predict_panel)
    _drop(qtbot, window, images)
    panel = find(page, QWidget, "predictPanel")
    qtbot.waitUntil(lambda: not panel.busy and len(panel.results) == len(images), timeout=60_000)
    in_app = [r.prediction.top[0][0] for r in panel.results]
    exported = load_predictor(model_file).predict([str(p) for p in images], top_k=1)
    assert [p.top[0][0] for p in exported] == in_app
    assert all(name in PHOTO_CLASSES for name in in_app)

    assert dialogs.titles("warning") == [] and dialogs.titles("critical") == []
    close_window(window)
