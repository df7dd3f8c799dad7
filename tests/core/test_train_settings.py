"""The dict-shaped training settings the Train page's form edits (and that they validate)."""

from __future__ import annotations

import pytest

from studio.core.project import train_settings as ts
from studio.core.project.document import ProjectDocument
from studio.core.project.project_file import Project


def test_optimizer_switch_drops_and_adds_momentum() -> None:
    adam = {"type": "AdamW", "lr": 0.003, "weight_decay": 1e-4}
    sgd = ts.optimizer_with(adam, type="SGD")
    assert sgd == {"type": "SGD", "lr": 0.003, "weight_decay": 1e-4, "momentum": 0.9}
    back = ts.optimizer_with({**sgd, "nesterov": True}, type="Adam")
    assert back == {"type": "Adam", "lr": 0.003, "weight_decay": 1e-4}
    assert ts.optimizer_with(sgd, lr=0.1)["momentum"] == 0.9
    assert adam["type"] == "AdamW"  # input untouched


def test_scheduler_defaults_and_params() -> None:
    assert ts.scheduler_for("none", None, epochs=9, lr=0.01) is None
    step = ts.scheduler_for("StepLR", None, epochs=9, lr=0.01)
    assert step == {"type": "StepLR", "step_size": 3, "gamma": 0.1}
    one = ts.scheduler_for("OneCycleLR", None, epochs=9, lr=0.003)
    assert one == {"type": "OneCycleLR", "max_lr": 0.009}
    kept = ts.scheduler_for("OneCycleLR", {"type": "OneCycleLR", "max_lr": 0.5}, epochs=9, lr=0.003)
    assert kept["max_lr"] == 0.5
    assert ts.scheduler_param({"type": "StepLR"}, epochs=9, lr=0.01) == 3  # default when omitted
    assert ts.scheduler_param({"type": "CosineAnnealingLR"}, epochs=9, lr=0.01) is None
    assert ts.scheduler_with_param(step, 5) == {"type": "StepLR", "step_size": 5, "gamma": 0.1}
    assert ts.scheduler_with_param(one, 0.02)["max_lr"] == 0.02
    with pytest.raises(ValueError):
        ts.scheduler_with_param({"type": "CosineAnnealingLR"}, 1)
    with pytest.raises(ValueError):
        ts.scheduler_for("Warmup", None, epochs=1, lr=0.1)


def test_every_scheduler_default_is_a_valid_project_field() -> None:
    doc = ProjectDocument(Project())
    for kind in ts.SCHEDULER_PARAM:
        doc.apply(doc.set_field("training", "scheduler", ts.scheduler_for(kind, None, epochs=6, lr=0.01)))
        assert ts.scheduler_type(doc.project.training.scheduler) == kind


def test_early_stopping_on_off_and_changes() -> None:
    assert ts.early_stopping_for(False, {"patience": 4}) is None
    on = ts.early_stopping_for(True, None)
    assert on == {"monitor": "val_loss", "patience": 3}
    assert ts.early_stopping_for(True, {**on, "min_delta": 0.01}, patience=7) == {
        "monitor": "val_loss",
        "patience": 7,
        "min_delta": 0.01,
    }
    assert ts.early_stopping_for(True, on, monitor="val_acc")["monitor"] == "val_acc"
    with pytest.raises(ValueError):
        ts.early_stopping_for(True, on, monitor="speed")


def test_augment_presets_round_trip() -> None:
    assert ts.augment_preset({}) == "none"
    assert ts.augment_preset({"preset": "strong"}) == "strong"
    assert ts.augment_preset({"hflip": True}) == "custom"
    assert ts.augment_preset({"preset": "light", "rotate": 5}) == "custom"
    for name in ("none", "light", "standard", "strong"):
        assert ts.augment_preset(ts.augment_for_preset(name)) == name
    with pytest.raises(ValueError):
        ts.augment_for_preset("extreme")
