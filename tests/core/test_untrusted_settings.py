"""Issue 20 item 5: every optimizer and scheduler setting is checked when the project loads,
not when PyTorch trips over it mid-run; a layer "type" that is a list or object is refused."""

from __future__ import annotations

import copy
import inspect
import json
from pathlib import Path
from typing import Any

import pytest
import torch

from studio.cli import main
from studio.core.base.errors import ProjectError
from studio.core.project.optim_settings import INTERNAL, OPTIMIZER_ARGS, SCHEDULER_ARGS
from studio.core.project.project_file import Project
from studio.core.project.train_settings import optimizer_with
from studio.core.training.optim import build_optimizer, build_schedule

BASE: dict[str, Any] = {
    "format": "cnn-studio/1",
    "name": "settings",
    "data": {"source": "sample", "channels": 1, "image_size": [8, 8]},
    "model": {"kind": "stack", "layers": [{"type": "Flatten"}, {"type": "Linear", "out_features": 10}]},
    "training": {"epochs": 3, "optimizer": {"type": "Adam", "lr": 0.001}},
}


def _project(
    optimizer: dict[str, Any] | None = None, scheduler: dict[str, Any] | None = None
) -> dict[str, Any]:
    raw = copy.deepcopy(BASE)
    if optimizer is not None:
        raw["training"]["optimizer"] = optimizer
    if scheduler is not None:
        raw["training"]["scheduler"] = scheduler
    return raw


BAD = [  # (optimizer, scheduler, the field the error names)
    ({"type": "Adam", "lr": 0.1, "betas": [0.9]}, None, "training.optimizer.betas"),
    ({"type": "Adam", "lr": 0.1, "betas": {}}, None, "training.optimizer.betas"),
    ({"type": "AdamW", "lr": 0.1, "betas": [0.9, 1.5]}, None, "training.optimizer.betas[1]"),
    ({"type": "Adam", "lr": 0.1, "capturable": True}, None, "training.optimizer.capturable"),
    ({"type": "AdamW", "lr": 0.1, "differentiable": True}, None, "training.optimizer.differentiable"),
    ({"type": "Adam", "lr": 0.1, "eps": 10**30}, None, "training.optimizer.eps"),
    ({"type": "SGD", "lr": 0.1, "dampening": "x"}, None, "training.optimizer.dampening"),
    ({"type": "SGD", "lr": 0.1, "betas": [0.9, 0.99]}, None, "training.optimizer.betas"),
    ({"type": "SGD", "lr": 0.1, "fused": True}, None, "training.optimizer.fused"),
    ({"type": "SGD", "lr": 0.1, "nesterov": "yes"}, None, "training.optimizer.nesterov"),
    ({"type": ["SGD"], "lr": 0.1}, None, "training.optimizer.type"),
    (None, {"type": "StepLR", "last_epoch": 3}, "training.scheduler.last_epoch"),
    (None, {"type": "StepLR", "step_size": 0}, "training.scheduler.step_size"),
    (None, {"type": "OneCycleLR", "div_factor": 0}, "training.scheduler.div_factor"),
    (None, {"type": "OneCycleLR", "total_steps": 1}, "training.scheduler.total_steps"),
    (None, {"type": "OneCycleLR", "pct_start": 1.0}, "training.scheduler.pct_start"),
    (None, {"type": "OneCycleLR", "anneal_strategy": "sine"}, "training.scheduler.anneal_strategy"),
    (None, {"type": "ReduceLROnPlateau", "min_lr": "x"}, "training.scheduler.min_lr"),
    (None, {"type": "ReduceLROnPlateau", "min_lr": [0.1]}, "training.scheduler.min_lr"),
    (None, {"type": "ReduceLROnPlateau", "factor": 1.0}, "training.scheduler.factor"),
    (None, {"type": "ReduceLROnPlateau", "verbose": True}, "training.scheduler.verbose"),
    (None, {"type": "CosineAnnealingLR", "T_mult": 2}, "training.scheduler.T_mult"),
    (None, {"type": {"name": "StepLR"}}, "training.scheduler.type"),
]


@pytest.mark.parametrize("optimizer, scheduler, field", BAD, ids=[b[2] + str(i) for i, b in enumerate(BAD)])
def test_bad_settings_are_refused_at_load_naming_the_field(
    optimizer: Any, scheduler: Any, field: str
) -> None:
    with pytest.raises(ProjectError) as info:
        Project.from_dict(_project(optimizer, scheduler))
    assert info.value.path == field, str(info.value)


@pytest.mark.parametrize("layer_type", [["Conv2d"], {"Conv2d": 1}, 3, None])
def test_a_layer_type_that_is_not_a_string_is_one_clear_error(
    layer_type: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = _project()
    raw["model"]["layers"][0]["type"] = layer_type
    with pytest.raises(ProjectError, match="unknown layer type") as info:
        Project.from_dict(raw)
    assert info.value.path == "model.layers[0].type" and info.value.layer == 0
    path = tmp_path / "p.json"
    path.write_text(json.dumps(raw))
    assert main(["summary", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: layer 0") and "unknown layer type" in err and "Traceback" not in err
    assert err.count("\n") == 1


def test_bad_settings_fail_the_cli_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps(_project(None, {"type": "StepLR", "last_epoch": 3})))
    for command in ("summary", "train"):
        assert main([command, str(path)]) == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith("error: training.scheduler.last_epoch: cannot be set") and "\n" not in err


def test_every_allowed_argument_is_a_real_pytorch_argument() -> None:
    import torch.optim.lr_scheduler as lrs

    classes = {
        "SGD": torch.optim.SGD,
        "Adam": torch.optim.Adam,
        "AdamW": torch.optim.AdamW,
        "StepLR": lrs.StepLR,
        "CosineAnnealingLR": lrs.CosineAnnealingLR,
        "OneCycleLR": lrs.OneCycleLR,
        "ReduceLROnPlateau": lrs.ReduceLROnPlateau,
    }
    for kind, table in {**OPTIMIZER_ARGS, **SCHEDULER_ARGS}.items():
        real = set(inspect.signature(classes[kind].__init__).parameters)
        studio_only = {"monitor"} if kind == "ReduceLROnPlateau" else set()
        assert set(table) - studio_only <= real, kind
        assert not set(table) & set(INTERNAL), kind


FULL = [
    (
        {
            "type": "SGD",
            "lr": 0.1,
            "momentum": 0.9,
            "dampening": 0.0,
            "nesterov": True,
            "weight_decay": 0.01,
            "maximize": False,
        },
        {"type": "StepLR", "step_size": 1, "gamma": 0.5},
    ),
    (
        {"type": "Adam", "lr": 0.01, "betas": [0.8, 0.99], "eps": 1e-6, "amsgrad": True, "weight_decay": 0},
        {"type": "CosineAnnealingLR", "T_max": 3, "eta_min": 0.0001},
    ),
    (
        {"type": "AdamW", "lr": 0.01, "betas": [0.9, 0.999]},
        {
            "type": "OneCycleLR",
            "max_lr": 0.1,
            "pct_start": 0.25,
            "anneal_strategy": "linear",
            "cycle_momentum": True,
            "base_momentum": 0.8,
            "max_momentum": 0.9,
            "div_factor": 10,
            "final_div_factor": 100,
            "three_phase": True,
        },
    ),
    (
        {"type": "Adam", "lr": 0.01},
        {
            "type": "ReduceLROnPlateau",
            "monitor": "val_acc",
            "factor": 0.5,
            "patience": 0,
            "threshold": 0.01,
            "threshold_mode": "abs",
            "cooldown": 1,
            "min_lr": 1e-5,
            "eps": 1e-9,
        },
    ),
]


@pytest.mark.parametrize("optimizer, scheduler", FULL)
def test_accepted_settings_build_and_step_in_pytorch(
    optimizer: dict[str, Any], scheduler: dict[str, Any]
) -> None:
    project = Project.from_dict(_project(optimizer, scheduler))
    model = torch.nn.Linear(2, 2)
    opt = build_optimizer(project.training.optimizer, model.parameters())
    schedule = build_schedule(project.training.scheduler, opt, epochs=3, steps_per_epoch=4)
    for _ in range(3):
        for _ in range(4):
            opt.step()
            schedule.after_batch()
        schedule.after_epoch({"val_acc": 0.5, "val_loss": 1.0})  # a plateau: min_lr etc. are used


def test_one_cycle_total_steps_shorter_than_the_run_is_refused_before_training() -> None:
    project = Project.from_dict(_project(None, {"type": "OneCycleLR", "total_steps": 5}))
    opt = build_optimizer(project.training.optimizer, torch.nn.Linear(2, 2).parameters())
    with pytest.raises(ProjectError, match="plans 5 steps but this run takes 12") as info:
        build_schedule(project.training.scheduler, opt, epochs=3, steps_per_epoch=4)
    assert info.value.path == "training.scheduler.total_steps"


def test_switching_optimizer_drops_arguments_the_new_one_refuses() -> None:
    adam = {"type": "Adam", "lr": 0.01, "betas": [0.9, 0.99], "eps": 1e-7, "weight_decay": 0.1}
    sgd = optimizer_with(adam, type="SGD")
    assert sgd == {"type": "SGD", "lr": 0.01, "weight_decay": 0.1, "momentum": 0.9}
    Project.from_dict(_project(sgd))
    back = optimizer_with(dict(sgd, dampening=0.1, nesterov=True), type="AdamW")
    assert back == {"type": "AdamW", "lr": 0.01, "weight_decay": 0.1}
