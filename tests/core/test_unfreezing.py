"""GradualUnfreezing: at each epoch start the model gets that epoch's trainable stages, once.

The model comes from the builder in its first epoch's state; the callback moves it on with the
same rule (``studio.core.model.freeze``), says so in the log, and leaves a model alone when
nothing changes (so a DDP wrapper is rebuilt only when it must be).
"""

from __future__ import annotations

from types import SimpleNamespace

import torch

from studio.core.model import zoo
from studio.core.model.builder import build_pretrained
from studio.core.model.freeze import first_trainable_stage
from studio.core.project.project_file import Project
from studio.core.training.unfreezing import GradualUnfreezing


def _spec(**model):
    return Project.from_dict(
        {
            "data": {"source": "folder", "root": "/x", "channels": 3, "image_size": [32, 32]},
            "model": {"kind": "pretrained", "arch": "resnet18", "weights": None, **model},
            "training": {"epochs": 6},
        }
    ).model


def _lowest_trainable(model: torch.nn.Module) -> int:
    return min(zoo.stage_of(name, "resnet18") for name, p in model.named_parameters() if p.requires_grad)


def test_each_epoch_start_applies_that_epochs_stages_and_logs_the_change() -> None:
    spec = _spec(unfreeze_after=2)
    model = build_pretrained(spec, 3, load_weights=False)
    assert _lowest_trainable(model) == 5  # the builder: the first epoch's state, the head alone
    ctx = SimpleNamespace(model=model, device=torch.device("cpu"))
    notes: list[str] = []
    cb = GradualUnfreezing(ctx, spec, notes.append)  # type: ignore[arg-type]
    lowest = []
    for epoch in range(1, 7):
        cb.on_epoch_start(epoch, 6)
        lowest.append(_lowest_trainable(ctx.model))
    assert (
        lowest == [first_trainable_stage("resnet18", spec, e - 1) for e in range(1, 7)] == [5, 5, 4, 4, 3, 3]
    )
    assert notes == [
        "epoch 3: more of the backbone trains from now on",
        "epoch 5: more of the backbone trains from now on",
    ]
    assert ctx.model is model  # one process: no wrapper to rebuild


def test_a_resumed_run_starts_in_the_state_of_its_epoch() -> None:
    spec = _spec(unfreeze_after=1, unfreeze_mode="all")
    model = build_pretrained(spec, 3, load_weights=False)
    ctx = SimpleNamespace(model=model, device=torch.device("cpu"))
    notes: list[str] = []
    GradualUnfreezing(ctx, spec, notes.append).on_epoch_start(4, 6)  # type: ignore[arg-type]
    assert all(p.requires_grad for p in model.parameters())
    assert notes == ["epoch 4: more of the backbone trains from now on"]


def test_a_fully_trainable_model_is_left_alone() -> None:
    spec = _spec(freeze="none")
    model = build_pretrained(spec, 3, load_weights=False)
    notes: list[str] = []
    cb = GradualUnfreezing(SimpleNamespace(model=model, device=torch.device("cpu")), spec, notes.append)  # type: ignore[arg-type]
    for epoch in range(1, 4):
        cb.on_epoch_start(epoch, 3)
    assert notes == [] and all(p.requires_grad for p in model.parameters())
