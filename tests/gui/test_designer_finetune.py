"""The pretrained panel's fine-tuning controls, model facts, input-size button, weights choice and
the head sized for a folder's classes: view edits -> project fields (undoable), document edits ->
view, frozen rows greyed and the trainable count following ``unfreeze_from``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog

from studio.core.model.zoo import STAGES
from studio.core.project.document import REMOVE
from studio.gui.common.theme import colors
from studio.gui.designer.pretrained import match_stages

WAIT_MS = 120_000  # the first summary imports torch in the worker thread


def _use_pretrained(designer: Any, qtbot: Any) -> Any:
    designer.kind_switch.pretrained_button.click()
    source = designer.source
    qtbot.waitUntil(
        lambda: source.summary() is not None and source.finetune() is not None and source.facts() is not None,
        timeout=WAIT_MS,
    )
    return designer.pretrained


def _settle(designer: Any, qtbot: Any) -> None:
    source = designer.source
    qtbot.waitUntil(lambda: source.summary() is not None and source.finetune() is not None, timeout=WAIT_MS)


def _choose(combo: Any, index: int) -> None:
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def _shape_rows(designer: Any) -> dict[str, int]:
    model = designer.shape_table.view.model()
    return {model.index(r, 1).data().split(" ")[0]: r for r in range(model.rowCount())}


def _muted(designer: Any, row: int, col: int = 4) -> bool:
    from PySide6.QtCore import Qt

    brush = designer.shape_table.view.model().index(row, col).data(Qt.ItemDataRole.ForegroundRole)
    return brush is not None and brush.color() == colors().muted_fg


def test_finetune_controls_edit_the_model_section_undoably(
    designer: Any, qtbot: Any, torch_home: Path
) -> None:
    panel = _use_pretrained(designer, qtbot)
    doc, ft, stack = designer.doc, panel.finetune, designer.ctx.undo_stack
    designer.ctx.push(doc.set_field("training", "epochs", 6))
    _settle(designer, qtbot)
    rows = _shape_rows(designer)
    assert _muted(designer, rows["layer4"]) and _muted(designer, rows["layer3"])
    assert not _muted(designer, rows["fc"])
    head_only = designer.source.finetune().trainable_params
    assert "Trainable in epoch 1: " + f"{head_only:,}" in ft.trainable.text()
    assert ft.train_from.isEnabled() and not ft.unfreeze_mode.isEnabled() and not ft.backbone_lr.isEnabled()
    steps = stack.count()

    # train layer4 with the head: the project field, the greyed rows and the trainable count follow
    _choose(ft.train_from, ft.train_from.findData(4))
    assert doc.project.model.unfreeze_from == 4 and stack.count() == steps + 1
    _settle(designer, qtbot)
    rows = _shape_rows(designer)
    assert not _muted(designer, rows["layer4"]) and _muted(designer, rows["layer3"])
    layer4 = designer.source.finetune().stages[4]
    assert layer4.name == "layer4" and layer4.trainable
    assert designer.source.finetune().trainable_params == head_only + layer4.params
    assert f"{head_only + layer4.params:,}" in ft.trainable.text()
    assert f"{head_only + layer4.params:,} trainable" in designer.totals.text()
    assert ft.stages.item(4, 2).text() == "from epoch 1" and ft.stages.item(3, 2).text() == "frozen"
    assert ft.backbone_lr.isEnabled()

    # gradual unfreezing, its mode and the backbone's learning rate
    ft.unfreeze_after.setValue(2)
    assert doc.project.model.unfreeze_after == 2 and ft.unfreeze_mode.isEnabled()
    _choose(ft.unfreeze_mode, 1)
    assert doc.project.model.unfreeze_mode == "all"
    ft.backbone_lr.setValue(0.1)
    assert doc.project.model.backbone_lr_mult == pytest.approx(0.1)
    _settle(designer, qtbot)
    assert "Over the 6 training epochs: epoch 3 adds stem, layer1" in ft.schedule.text()
    assert ft.schedule.isVisibleTo(ft) and ft.unfreeze_after.text() == "after 2 epochs"
    assert ft.stages.item(0, 2).text() == "from epoch 3"
    # freezing off: the stage picker no longer applies, everything trains
    ft.freeze.setChecked(False)
    assert doc.project.model.freeze == "none" and not ft.train_from.isEnabled()
    _settle(designer, qtbot)
    s = designer.source.finetune()
    assert s.trainable_params == s.total_params and not _muted(designer, _shape_rows(designer)["layer1"])
    assert stack.count() == steps + 5  # one undo step per change

    # undo restores every field, the view follows
    for _ in range(5):
        stack.undo()
    m = doc.project.model
    assert (m.freeze, m.unfreeze_from, m.unfreeze_after, m.unfreeze_mode, m.backbone_lr_mult) == (
        "backbone",
        None,
        None,
        "stage",
        1.0,
    )
    assert ft.train_from.currentData() is None and ft.unfreeze_after.value() == 0
    assert ft.unfreeze_after.text() == "never" and ft.freeze.isChecked()
    stack.redo()
    assert doc.project.model.unfreeze_from == 4 and ft.train_from.currentData() == 4

    # document -> view: an edit made elsewhere shows in the controls
    designer.ctx.push(doc.set_field("model", "unfreeze_from", REMOVE))
    assert ft.train_from.currentData() is None
    designer.ctx.push(doc.set_field("model", "backbone_lr_mult", 0.25))
    assert ft.backbone_lr.value() == pytest.approx(0.25)


def test_architecture_switch_keeps_the_trained_stage_count(
    designer: Any, qtbot: Any, torch_home: Path
) -> None:
    raw = {"kind": "pretrained", "arch": "vgg16_bn", "unfreeze_from": 4}
    assert match_stages(raw, "resnet18")["unfreeze_from"] == 3  # block5 + fc6-fc7 -> layer3 + layer4
    assert match_stages({**raw, "unfreeze_from": 0}, "resnet18")["unfreeze_from"] == 0
    assert "unfreeze_from" not in match_stages({"kind": "pretrained", "arch": "vgg16_bn"}, "resnet18")
    panel = _use_pretrained(designer, qtbot)
    doc = designer.doc
    designer.ctx.push(doc.set_field("model", "unfreeze_from", 3))  # layer3 and layer4
    panel.arch.setCurrentText("mobilenet_v3_small")  # 5 stages: the last two train, as before
    assert doc.project.model.arch == "mobilenet_v3_small"
    assert doc.project.model.unfreeze_from == len(STAGES["mobilenet_v3_small"]) - 1
    ft = panel.finetune
    assert ft.stages.rowCount() == len(STAGES["mobilenet_v3_small"]) + 2
    assert ft.train_from.count() == len(STAGES["mobilenet_v3_small"]) + 2
    assert ft.train_from.currentData() == doc.project.model.unfreeze_from
    qtbot.waitUntil(lambda: designer.source.facts() is not None, timeout=WAIT_MS)
    info = designer.source.facts().info
    assert f"{info.params / 1e6:.1f} M parameters" in panel.facts.text()
    assert f"top-1 {info.acc_top1:.1f} %" in panel.facts.text()
    designer.ctx.undo_stack.undo()
    assert doc.project.model.arch == "resnet18" and panel.arch.currentText() == "resnet18"
    assert ft.stages.item(1, 0).text() == "layer1"


def test_use_the_models_input_size_is_one_undoable_edit(designer: Any, qtbot: Any, torch_home: Path) -> None:
    panel = _use_pretrained(designer, qtbot)
    doc = designer.doc
    assert doc.project.data.image_size == (28, 28)  # the empty project's default
    assert "much smaller" in panel.input_note.text() and panel.use_input_size.isEnabled()
    assert "224 × 224" in panel.facts.text()
    panel.use_input_size.click()
    assert doc.project.data.image_size == (224, 224) and doc.project.data.channels == 3
    assert not panel.use_input_size.isEnabled() and "much smaller" not in panel.input_note.text()
    assert designer.input_editor.height_spin.value() == 224
    assert designer.ctx.undo_stack.undoText() == "Use the model's input size"
    designer.ctx.undo_stack.undo()
    assert doc.project.data.image_size == (28, 28) and panel.use_input_size.isEnabled()


def test_weights_default_none_or_a_local_file(
    designer: Any, qtbot: Any, torch_home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    panel = _use_pretrained(designer, qtbot)
    doc = designer.doc
    assert (
        "Not downloaded yet" in panel.weights_status.text() and str(torch_home) in panel.weights_status.text()
    )
    weights = tmp_path / "mine.pth"
    weights.write_bytes(b"placeholder")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(weights), "")))
    _choose(panel.weights, 2)
    assert doc.project.model.weights == str(weights) and panel.weights_file.text() == str(weights)
    assert not panel.file_host.isHidden() and "Starts from" in panel.weights_status.text()
    _choose(panel.weights, 1)
    assert doc.project.model.weights is None and panel.file_host.isHidden()
    assert "from scratch" in panel.weights_status.text()
    designer.ctx.undo_stack.undo()
    assert doc.project.model.weights == str(weights) and panel.weights.currentIndex() == 2


def test_the_head_fits_a_folders_classes(designer: Any, qtbot: Any, torch_home: Path, tmp_path: Path) -> None:
    photos = tmp_path / "photos"
    for name in ("apple", "banana", "cherry"):
        (photos / name).mkdir(parents=True)
    doc = designer.doc
    designer.ctx.push(
        doc.set_section(
            "data", {"source": "folder", "root": str(photos), "channels": 3, "image_size": [64, 64]}
        )
    )
    panel = _use_pretrained(designer, qtbot)
    summary = designer.source.summary()
    assert summary.output_shape == (3,)
    model = designer.shape_table.view.model()
    last = model.rowCount() - 1
    assert model.index(last, 1).data().startswith("fc (Linear)") and model.index(last, 3).data() == "3"
    assert "3 outputs" in panel.status.text()
    assert designer.source.finetune().trainable_params == 512 * 3 + 3
    # a class folder added on disk is picked up when the page is shown again
    (photos / "date").mkdir()
    designer.page_activated()
    qtbot.waitUntil(
        lambda: (s := designer.source.summary()) is not None and s.output_shape == (4,), timeout=WAIT_MS
    )
    assert "4 outputs" in panel.status.text()
    # a folder that does not exist yet: ImageNet's 1000, and the panel says why
    designer.ctx.push(doc.set_field("data", "root", str(tmp_path / "missing")))
    assert "no class sub-folders" in panel.status.text() and "1000" in panel.status.text()


def test_the_unfreezing_schedule_follows_epochs_without_rebuilding_the_model(
    designer: Any, qtbot: Any, torch_home: Path
) -> None:
    _use_pretrained(designer, qtbot)
    source = designer.source
    designer.ctx.push(designer.doc.set_field("model", "unfreeze_after", 2))
    _settle(designer, qtbot)
    before = source.finetune()
    jobs = len(source._cache) + len(source._running)
    designer.ctx.push(designer.doc.set_field("training", "epochs", 7))
    after = source.finetune()  # at once: no new worker job
    assert after is not None and len(source._cache) + len(source._running) == jobs
    assert after.trainable_params == before.trainable_params
    assert after.schedule != before.schedule and designer.doc.project.training.epochs == 7
