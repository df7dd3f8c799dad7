"""The Design page finds what would spoil training before Train (issue 14, items 1 and 2): a stack
whose last layer does not fit the dataset's classes, and random weights with a frozen backbone;
each with a one-click fix that is one undoable edit. The Train page refuses the same."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from studio.core.project.templates import get_template


def _photos(tmp_path: Path, classes: int) -> Path:
    for i in range(classes):
        (tmp_path / "photos" / f"kind{i}").mkdir(parents=True, exist_ok=True)
    return tmp_path / "photos"


def test_class_count_flagged_as_soon_as_the_folder_is_chosen(designer: Any, tmp_path: Path) -> None:
    ctx, doc = designer.ctx, designer.doc
    ctx.replace_project(get_template("photos-cnn").project(), None)  # ends in Linear(out_features=2)
    assert designer.problem_bar.isHidden()  # ~/Pictures/my-dataset does not exist here: unknown count
    raw = doc.project.to_dict()["data"]
    ctx.push(doc.set_section("data", {**raw, "root": str(_photos(tmp_path, 4))}))
    assert not designer.problem_bar.isHidden()
    assert "4 classes" in designer.problem_text.text() and "data." not in designer.problem_text.text()
    assert designer.problem_fix.text() == "Set out_features to 4" and designer.problem_weights.isHidden()
    designer.problem_fix.click()
    assert doc.project.model.layers[-1]["out_features"] == 4 and designer.problem_bar.isHidden()
    assert ctx.undo_stack.undoText() == "Set out_features to 4"
    ctx.undo_stack.undo()
    assert doc.project.model.layers[-1]["out_features"] == 2 and not designer.problem_bar.isHidden()


def test_a_new_class_folder_on_disk_is_noticed_when_the_page_is_shown(designer: Any, tmp_path: Path) -> None:
    ctx = designer.ctx
    project = get_template("photos-cnn").project()
    project.data.root = str(_photos(tmp_path, 2))
    ctx.replace_project(project, None)
    assert designer.problem_bar.isHidden()
    _photos(tmp_path, 3)
    designer.page_activated()
    assert not designer.problem_bar.isHidden() and "3 classes" in designer.problem_text.text()


def test_random_weights_with_a_frozen_backbone(designer: Any, tmp_path: Path) -> None:
    ctx, doc = designer.ctx, designer.doc
    project = get_template("resnet18-transfer").project()
    project.model.weights = None  # a file written by hand (the designer never makes this)
    ctx.replace_project(project, None)
    assert not designer.problem_bar.isHidden()
    assert designer.problem_fix.text() == "Train every layer" and not designer.problem_weights.isHidden()
    assert "null" not in designer.problem_text.text() and "model." not in designer.problem_text.text()
    designer.problem_fix.click()
    assert doc.project.model.freeze == "none" and designer.problem_bar.isHidden()
    assert ctx.undo_stack.undoText() == "Train every layer"


def test_choosing_no_weights_unfreezes_with_a_notice(designer: Any, tmp_path: Path) -> None:
    ctx, doc = designer.ctx, designer.doc
    ctx.replace_project(get_template("resnet18-transfer").project(), None)
    panel = designer.pretrained
    assert doc.project.model.freeze == "backbone"
    panel.weights.setCurrentIndex(1)
    panel.weights.activated.emit(1)
    assert doc.project.model.weights is None and doc.project.model.freeze == "none"
    assert ctx.undo_stack.undoText() == "Train from scratch"  # one edit
    assert "every layer trains" in panel.weights_status.text()
    assert designer.problem_bar.isHidden()
    # the box cannot be ticked again while there are no weights
    assert not panel.freeze.isEnabled()
    ctx.undo_stack.undo()
    assert doc.project.model.weights == "DEFAULT" and doc.project.model.freeze == "backbone"
    assert panel.freeze.isEnabled()


def test_the_train_page_refuses_the_same(main_window: Any, tmp_path: Path) -> None:
    project = get_template("resnet18-transfer").project()
    project.model.weights = None
    main_window.ctx.replace_project(project, None)
    page = main_window.show_page("Train")
    assert not page.trainButton.isEnabled()
    assert "Cannot train" in page.blocker() and "Design page" in page.blocker()
    assert page.start_training() is None and "only the last layer would learn" in page.banner.text
