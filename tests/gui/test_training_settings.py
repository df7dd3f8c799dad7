"""The Train page's settings form: both directions, undo, and a reset document."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.core.project.document import ProjectDocument
from studio.gui.training.settings_form import LogSpinBox, RunSettingsForm
from tests.helpers.gui_training import make_context, tiny_project


@pytest.fixture
def form(qtbot, tmp_path: Path) -> RunSettingsForm:
    doc = ProjectDocument(tiny_project(tmp_path / "data"))
    context = make_context(doc, tmp_path / "settings.ini")
    widget = RunSettingsForm(context)
    qtbot.addWidget(widget)
    qtbot.addWidget(context.window)
    return widget


def test_form_shows_the_project(form: RunSettingsForm) -> None:
    t = form.context.document.project.training
    assert form.epochs.value() == t.epochs == 2
    assert form.batch_size.value() == 8
    assert form.optimizer.currentText() == "Adam"
    assert form.lr.value() == pytest.approx(0.01)
    assert form.scheduler.currentText() == "none"
    assert form.device.currentText() == "cpu"
    assert not form.early.isChecked() and not form.patience.isEnabled()
    assert form.augment.currentText() == "none"
    assert not form.momentum.isEnabled()


def test_edits_are_undoable_document_edits(form: RunSettingsForm) -> None:
    doc, stack = form.context.document, form.context.undo_stack
    form.epochs.setValue(7)
    assert doc.project.training.epochs == 7 and doc.dirty
    form.optimizer.setCurrentText("SGD")
    assert doc.project.training.optimizer == {"type": "SGD", "lr": 0.01, "momentum": 0.9}
    assert form.momentum.isEnabled()
    form.lr.setValue(0.05)
    assert doc.project.training.optimizer["lr"] == pytest.approx(0.05)
    form.scheduler.setCurrentText("StepLR")
    assert doc.project.training.scheduler == {"type": "StepLR", "step_size": 2, "gamma": 0.1}
    assert form.scheduler_int.isVisibleTo(form) and not form.scheduler_value.isVisibleTo(form)
    form.scheduler_int.setValue(4)
    assert doc.project.training.scheduler["step_size"] == 4
    form.early.setChecked(True)
    form.patience.setValue(6)
    assert doc.project.training.early_stopping == {"monitor": "val_loss", "patience": 6}
    form.augment.setCurrentText("standard")
    assert doc.project.data.augment == {"preset": "standard"}
    form.seed.setValue(42)
    form.device.setCurrentText("auto")
    assert (doc.project.training.seed, doc.project.training.device) == (42, "auto")

    while stack.canUndo():
        stack.undo()
    assert doc.project.training.epochs == 2
    assert doc.project.training.optimizer == {"type": "Adam", "lr": 0.01}
    assert doc.project.training.early_stopping is None and doc.project.data.augment == {}
    # the form followed every undo
    assert form.epochs.value() == 2 and form.optimizer.currentText() == "Adam"
    assert form.augment.currentText() == "none" and not form.early.isChecked()


def test_arrow_steps_merge_into_one_undo_step(form: RunSettingsForm) -> None:
    stack = form.context.undo_stack
    for _ in range(3):
        form.epochs.stepUp()
    assert form.context.document.project.training.epochs == 5
    assert stack.count() == 1
    stack.undo()
    assert form.context.document.project.training.epochs == 2


def test_form_follows_another_project(form: RunSettingsForm, tmp_path: Path) -> None:
    other = tiny_project(tmp_path, epochs=11, batch_size=32)
    other.data.augment = {"hflip": True}
    form.context.document.reset(other)
    assert form.epochs.value() == 11 and form.batch_size.value() == 32
    assert form.augment.currentText() == "custom"
    assert form.context.document.project.data.augment == {"hflip": True}  # showing is not editing
    form.context.document.reset(tiny_project(tmp_path))
    assert form.augment.currentText() == "none" and form.augment.findText("custom") < 0


def test_log_spin_box_steps_one_two_five(qtbot) -> None:
    box = LogSpinBox(1e-6, 10.0)
    qtbot.addWidget(box)
    box.setValue(0.001)
    seen = []
    for _ in range(4):
        box.stepBy(1)
        seen.append(box.value())
    assert seen == pytest.approx([0.002, 0.005, 0.01, 0.02])
    box.stepBy(-2)
    assert box.value() == pytest.approx(0.005)
    assert box.textFromValue(0.00001) == "1e-05"
