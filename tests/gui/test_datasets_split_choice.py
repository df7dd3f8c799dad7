"""The validation-split control tells the truth (issue 14, item 5): a folder with a val/ folder
validates on it, so "Hold out a fraction" is disabled and says why; a folder without test/
cannot "use the test/ folder"."""

from __future__ import annotations

from pathlib import Path

from studio.core.data.classes import folder_splits
from tests.helpers.gui_datasets import folder_project, open_data_page, write_folder, write_split_folder


def test_folder_splits_lists_the_split_layout(tmp_path: Path) -> None:
    assert folder_splits(write_split_folder(tmp_path / "a")) == {"train", "test"}
    write_folder(tmp_path / "b" / "train", (2, 2, 2), broken=False)
    write_folder(tmp_path / "b" / "validation", (2, 2, 2), broken=False)
    assert folder_splits(tmp_path / "b") == {"train", "val"}
    assert folder_splits(write_folder(tmp_path / "c", broken=False)) == set()  # class folders only
    assert folder_splits(tmp_path / "missing") == set()


def test_a_val_folder_disables_the_fraction(qtbot, tmp_path: Path) -> None:
    root = tmp_path / "photos"
    write_folder(root / "train", (4, 4, 4), broken=False)
    write_folder(root / "val", (2, 2, 2), broken=False)
    page = open_data_page(qtbot, tmp_path, folder_project(root))
    try:
        picker = page.source_picker
        assert not picker.val_fraction.isEnabled() and not picker.val_spin.isEnabled()
        assert "val/" in picker.val_note.text() and not picker.val_note.isHidden()
        assert "val/" in picker.val_fraction.toolTip()
        assert not picker.val_test.isEnabled()  # no test/ folder to use
        assert picker.val_test.text() == "Use the test/ folder"
        # what the page lists agrees: the val images are the val/ folder's 6
        assert page.listing is not None and "val" in page.listing.split_names
    finally:
        page.shutdown()


def test_class_folders_keep_the_fraction(qtbot, tmp_path: Path) -> None:
    page = open_data_page(qtbot, tmp_path, folder_project(write_folder(tmp_path / "d", broken=False)))
    try:
        picker = page.source_picker
        assert picker.val_fraction.isEnabled() and picker.val_spin.isEnabled()
        assert picker.val_note.isHidden() and not picker.val_test.isEnabled()
    finally:
        page.shutdown()


def test_use_at_most_n_per_class_is_one_undoable_edit(qtbot, tmp_path: Path) -> None:
    page = open_data_page(qtbot, tmp_path, folder_project(write_folder(tmp_path / "e", broken=False)))
    try:
        picker, doc = page.source_picker, page.context.document
        assert picker.limit_spin.value() == 0 and picker.limit_spin.text() == "all images"
        picker.limit_spin.setValue(500)
        assert doc.project.data.limit_per_class == 500
        assert page.context.undo_stack.undoText() == "Change images per class"
        picker.limit_spin.setValue(0)
        assert doc.project.data.limit_per_class is None
        assert "limit_per_class" not in doc.project.to_dict()["data"]
    finally:
        page.shutdown()
