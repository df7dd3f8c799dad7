"""Augmentation settings on the Data page (undoable) and the preview grid that follows them."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from studio.gui.datasets.augment_panel import PREVIEW_COUNT
from studio.gui.datasets.page import DataPage
from tests.helpers.gui_datasets import folder_project, open_data_page, write_folder


@pytest.fixture
def page(qtbot, tmp_path: Path) -> DataPage:
    root = write_folder(tmp_path / "데이터", broken=False)
    page = open_data_page(qtbot, tmp_path, folder_project(root, channels=3, image_size=[32, 32]))
    page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: page.augment_preview.generation >= 1, timeout=30000)
    yield page
    page.shutdown()


def _pixels(images: list[QImage]) -> list[bytes]:
    return [bytes(img.convertToFormat(QImage.Format.Format_RGB888).constBits()) for img in images]


def _next(page: DataPage, qtbot) -> list[bytes]:
    before = page.augment_preview.generation
    qtbot.waitUntil(lambda: page.augment_preview.generation > before, timeout=20000)
    return _pixels(page.augment_preview.images)


def test_preview_shows_the_original_and_augmented_copies_at_model_size(page: DataPage) -> None:
    images = page.augment_preview.images
    assert len(images) == PREVIEW_COUNT + 1
    assert all((img.width(), img.height()) == (32, 32) for img in images)
    pixels = _pixels(images)
    assert all(p == pixels[0] for p in pixels[1:])  # no augmentation yet: all equal the original


def test_preset_and_key_edits_are_undoable_and_update_the_preview(page: DataPage, qtbot) -> None:
    settings = page.augment_settings
    stack = page.context.undo_stack
    settings.preset.setCurrentIndex(settings.preset.findData("strong"))
    settings.preset.activated.emit(settings.preset.currentIndex())
    assert page.context.document.project.data.augment == {"preset": "strong"}
    assert settings.rotate.value() == 15.0 and settings.hflip.isChecked()  # the preset's values shown
    pixels = _next(page, qtbot)
    assert sum(p != pixels[0] for p in pixels[1:]) >= PREVIEW_COUNT - 1
    settings.rotate.setValue(30.0)
    assert page.context.document.project.data.augment == {"preset": "strong", "rotate": 30.0}
    assert settings.custom_note.text()
    _next(page, qtbot)
    assert stack.count() == 2
    stack.undo()
    assert page.context.document.project.data.augment == {"preset": "strong"}
    assert settings.rotate.value() == 15.0
    stack.undo()
    assert page.context.document.project.data.augment == {}
    pixels = _next(page, qtbot)
    assert all(p == pixels[0] for p in pixels[1:])


def test_reroll_draws_new_augmentations_of_the_same_image(page: DataPage, qtbot) -> None:
    page.augment_settings.hflip.setChecked(True)
    page.augment_settings.random_crop.setValue(6)
    first = _next(page, qtbot)
    page.augment_preview.reroll.click()
    second = _next(page, qtbot)
    assert first[0] == second[0]  # the same original
    assert first[1:] != second[1:]
    page.grid.setCurrentIndex(page.model.index(5))  # another image
    third = _next(page, qtbot)
    assert third[0] != second[0]
