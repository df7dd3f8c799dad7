"""Fine-tuning controls: the project fields, which parameters train at which epoch, the
backbone's learning rate, BatchNorm kept in eval mode while frozen, and a short training run on
a generated "pretrained" ResNet-18 in a temporary TORCH_HOME."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import torch
from torchvision.models import get_model

from studio.core.base.errors import ProjectError
from studio.core.model import zoo
from studio.core.model.builder import build_pretrained, cached_weights_path
from studio.core.project.project_file import ModelSpec, Project
from studio.core.training import finetune


def _project(**model: Any) -> Project:
    return Project.from_dict(
        {
            "data": {"source": "folder", "root": "/x", "channels": 3, "image_size": [32, 32]},
            "model": {"kind": "pretrained", "arch": "resnet18", **model},
            "training": {"epochs": 10},
        }
    )


def _requires_grad_by_stage(model: torch.nn.Module, arch: str) -> dict[int, set[bool]]:
    out: dict[int, set[bool]] = {}
    for name, p in model.named_parameters():
        out.setdefault(zoo.stage_of(name, arch), set()).add(p.requires_grad)
    return out


def _trainable_stages(model: torch.nn.Module, arch: str) -> list[int]:
    by_stage = _requires_grad_by_stage(model, arch)
    assert all(len(v) == 1 for v in by_stage.values()), "a stage is partly frozen"
    return sorted(s for s, v in by_stage.items() if v == {True})


# --------------------------------------------------------------------------- project fields


def test_fields_round_trip_and_stay_out_of_minimal_files() -> None:
    raw = {
        "kind": "pretrained",
        "arch": "resnet50",
        "weights": None,
        "freeze": "backbone",
        "unfreeze_from": 3,
        "unfreeze_after": 2,
        "unfreeze_mode": "all",
        "backbone_lr_mult": 0.1,
    }
    project = Project.from_dict({"data": {"channels": 3}, "model": raw})
    assert project.model.unfreeze_from == 3 and project.model.backbone_lr_mult == 0.1
    assert project.to_dict()["model"] == raw
    assert Project.from_dict(project.to_dict()).to_dict() == project.to_dict()
    minimal = Project.from_dict({"data": {"channels": 3}, "model": {"kind": "pretrained"}}).to_dict()["model"]
    assert set(minimal) == {"kind", "arch", "weights", "freeze"}


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("unfreeze_from", 5, "resnet18 has stages 0..4"),
        ("unfreeze_from", -1, "model.unfreeze_from"),
        ("unfreeze_after", 0, "model.unfreeze_after"),
        ("unfreeze_mode", "sometimes", "model.unfreeze_mode"),
        ("backbone_lr_mult", 0, "model.backbone_lr_mult"),
        ("backbone_lr_mult", 2.0, "model.backbone_lr_mult"),
    ],
)
def test_bad_fields_name_the_field(key: str, value: Any, expected: str) -> None:
    with pytest.raises(ProjectError, match=expected):
        _project(**{key: value})


def test_stage_range_follows_the_arch() -> None:
    ok = Project.from_dict(
        {
            "data": {"channels": 3},
            "model": {"kind": "pretrained", "arch": "mobilenet_v3_small", "unfreeze_from": 5},
        }
    )
    assert ok.model.unfreeze_from == len(zoo.STAGES["mobilenet_v3_small"])
    with pytest.raises(ProjectError, match=r"layer4"):  # the message lists the arch's stages
        _project(unfreeze_from=9)


# --------------------------------------------------------------------------- schedule


def test_unfreeze_from_trains_that_stage_and_above() -> None:
    model = build_pretrained(_project(unfreeze_from=3).model, 4, load_weights=False)
    assert _trainable_stages(model, "resnet18") == [3, 4, 5]  # layer3, layer4, head
    none = build_pretrained(_project(freeze="none").model, 4, load_weights=False)
    assert _trainable_stages(none, "resnet18") == [0, 1, 2, 3, 4, 5]


def test_gradual_unfreezing_one_stage_every_k_epochs() -> None:
    spec = _project(unfreeze_after=2).model
    model = build_pretrained(spec, 4, load_weights=False)
    seen = []
    for done in range(12):
        changed = finetune.apply_freeze(model, "resnet18", spec, done)
        seen.append((done, changed, _trainable_stages(model, "resnet18")))
    head = [5]
    assert seen[0] == (0, False, head) and seen[1] == (1, False, head)
    assert seen[2] == (2, True, [4, 5]) and seen[3] == (3, False, [4, 5])
    assert seen[4][2] == [3, 4, 5] and seen[6][2] == [2, 3, 4, 5] and seen[8][2] == [1, 2, 3, 4, 5]
    assert seen[10] == (10, True, [0, 1, 2, 3, 4, 5]) and seen[11][1] is False
    assert finetune.unfreeze_schedule("resnet18", spec, 12) == [
        (1, ["head"]),
        (3, ["layer4"]),
        (5, ["layer3"]),
        (7, ["layer2"]),
        (9, ["layer1"]),
        (11, ["stem"]),
    ]


def test_gradual_unfreezing_all_at_once_from_a_stage() -> None:
    spec = _project(unfreeze_from=4, unfreeze_after=3, unfreeze_mode="all").model
    assert [finetune.first_trainable_stage("resnet18", spec, e) for e in range(5)] == [4, 4, 4, 0, 0]
    assert finetune.unfreeze_schedule("resnet18", spec, 5) == [
        (1, ["layer4", "head"]),
        (4, ["stem", "layer1", "layer2", "layer3"]),
    ]


def test_resuming_at_an_epoch_restores_its_freeze_state() -> None:
    spec = _project(unfreeze_after=1).model
    a = build_pretrained(spec, 4, load_weights=False)
    for done in range(4):
        finetune.apply_freeze(a, "resnet18", spec, done)
    b = build_pretrained(spec, 4, load_weights=False)
    finetune.apply_freeze(b, "resnet18", spec, 3)
    assert [p.requires_grad for p in a.parameters()] == [p.requires_grad for p in b.parameters()]


# --------------------------------------------------------------------------- optimizer and BN


def test_param_groups_give_the_backbone_a_smaller_rate() -> None:
    spec = _project(freeze="none", backbone_lr_mult=0.1).model
    model = build_pretrained(spec, 4, load_weights=False)
    groups = finetune.param_groups(model, "resnet18", 0.01, spec)
    assert [g["name"] for g in groups] == ["head", "backbone"]
    assert groups[0]["lr"] == 0.01 and groups[1]["lr"] == pytest.approx(0.001)
    assert {id(p) for p in groups[0]["params"]} == {id(p) for p in model.fc.parameters()}
    ids = [id(p) for g in groups for p in g["params"]]
    assert sorted(ids) == sorted(id(p) for p in model.parameters())  # each parameter exactly once
    optimizer = torch.optim.SGD(groups, lr=0.01, momentum=0.9)
    assert optimizer.param_groups[1]["lr"] < optimizer.param_groups[0]["lr"]


def test_frozen_batchnorm_stays_in_eval_mode() -> None:
    spec = _project(unfreeze_from=4).model
    model = build_pretrained(spec, 4, load_weights=False)
    model.train()
    count = finetune.set_frozen_bn_eval(model)
    assert count > 0
    assert not model.bn1.training and not model.layer3[1].bn2.training
    assert model.layer4[0].bn1.training and model.training


def test_trainable_summary_for_the_designer() -> None:
    project = _project(unfreeze_from=3, unfreeze_after=2)
    summary = finetune.trainable_summary(project, num_classes=4)
    real = build_pretrained(project.model, 4, load_weights=False)
    assert summary.trainable_params == sum(p.numel() for p in real.parameters() if p.requires_grad)
    assert summary.total_params == sum(p.numel() for p in real.parameters())
    assert summary.frozen_layers == ["conv1", "bn1", "layer1", "layer2"]
    assert [s.trainable for s in summary.stages] == [False, False, False, True, True, True]
    later = finetune.trainable_summary(project, epoch=2, num_classes=4)
    assert later.trainable_params > summary.trainable_params and "layer2" not in later.frozen_layers
    assert summary.schedule[:2] == [(1, ["layer3", "layer4", "head"]), (3, ["layer2"])]


# --------------------------------------------------------------------------- a short training run


@pytest.fixture
def fake_resnet18(torch_home: Path) -> dict[str, torch.Tensor]:
    """A generated stand-in for the ImageNet ResNet-18 file, in the temporary TORCH_HOME cache."""
    torch.manual_seed(3)
    state = get_model("resnet18", weights=None).state_dict()
    for name, buf in state.items():
        if name.endswith("running_var"):
            buf.uniform_(0.5, 2.0)
        elif name.endswith("running_mean"):
            buf.uniform_(-0.5, 0.5)
    target = cached_weights_path("resnet18")
    target.parent.mkdir(parents=True)
    torch.save(state, target)
    return state


def _train(model: torch.nn.Module, spec: ModelSpec, epochs: int, steps: int = 1) -> None:
    """The engine's use of the module, in miniature: groups once, freeze and BN per epoch."""
    optimizer = torch.optim.SGD(finetune.param_groups(model, spec.arch, 0.05, spec), lr=0.05, momentum=0.9)
    gen = torch.Generator().manual_seed(0)
    for epoch in range(epochs):
        finetune.apply_freeze(model, spec.arch, spec, epoch)
        model.train()
        finetune.set_frozen_bn_eval(model)
        for _ in range(steps):
            x = torch.randn(4, 3, 32, 32, generator=gen)
            y = torch.randint(0, 4, (4,), generator=gen)
            optimizer.zero_grad(set_to_none=True)
            torch.nn.functional.cross_entropy(model(x), y).backward()
            optimizer.step()


def test_frozen_backbone_and_its_bn_statistics_do_not_change(fake_resnet18: dict[str, torch.Tensor]) -> None:
    spec = _project(weights="DEFAULT", unfreeze_from=4, backbone_lr_mult=0.5).model
    model = build_pretrained(spec, 4)
    head_before = model.fc.weight.detach().clone()
    _train(model, spec, epochs=2)
    after = model.state_dict()
    frozen = [k for k in after if zoo.stage_of(k, "resnet18") < 4]
    assert any("running_mean" in k for k in frozen)
    for key in frozen:  # weights and BN running statistics alike
        assert torch.equal(after[key], fake_resnet18[key]), key
    assert not torch.equal(after["layer4.0.conv1.weight"], fake_resnet18["layer4.0.conv1.weight"])
    assert not torch.equal(after["layer4.0.bn1.running_mean"], fake_resnet18["layer4.0.bn1.running_mean"])
    assert not torch.equal(model.fc.weight, head_before)


def test_a_stage_trains_once_gradual_unfreezing_reaches_it(fake_resnet18: dict[str, torch.Tensor]) -> None:
    spec = _project(weights="DEFAULT", unfreeze_after=1).model
    model = build_pretrained(spec, 4)
    _train(model, spec, epochs=1)
    assert torch.equal(model.state_dict()["layer4.1.conv2.weight"], fake_resnet18["layer4.1.conv2.weight"])
    _train(model, spec, epochs=2)  # epoch index 1: layer4 unfreezes
    state = model.state_dict()
    assert not torch.equal(state["layer4.1.conv2.weight"], fake_resnet18["layer4.1.conv2.weight"])
    assert torch.equal(state["layer3.1.conv2.weight"], fake_resnet18["layer3.1.conv2.weight"])


# --------------------------------------------------------------------------- through the engine


def _photo_folder(root: Path, classes: int = 3, per_class: int = 12, size: int = 32) -> Path:
    """A generated folder dataset: one sub-folder per class, the class in the dominant colour."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(0)
    for c in range(classes):
        folder = root / f"class{c}"
        folder.mkdir(parents=True)
        for i in range(per_class):
            pixels = rng.integers(0, 90, (size, size, 3), dtype=np.uint8)
            pixels[..., c % 3] += 140
            Image.fromarray(pixels).save(folder / f"{i}.png")
    return root


def test_engine_fine_tunes_with_frozen_stages_groups_and_gradual_unfreezing(
    fake_resnet18: dict[str, torch.Tensor], tmp_path: Path
) -> None:
    from studio.core.runs.run_folder import load_checkpoint, read_run
    from studio.core.training.engine import train

    project = Project.from_dict(
        {
            "data": {
                "source": "folder",
                "root": str(_photo_folder(tmp_path / "photos")),
                "channels": 3,
                "image_size": [32, 32],
                "val": 0.25,
            },
            "model": {
                "kind": "pretrained",
                "arch": "resnet18",
                "weights": "DEFAULT",
                "freeze": "backbone",
                "unfreeze_after": 1,
                "backbone_lr_mult": 0.1,
            },
            "training": {
                "epochs": 2,
                "batch_size": 9,
                "optimizer": {"type": "SGD", "lr": 0.05, "momentum": 0.9},
                "seed": 0,
                "device": "cpu",
                "workers": 0,
            },
        }
    )
    end = train(project, tmp_path / "run")
    assert end["status"] == "completed", end
    assert len(read_run(tmp_path / "run").epochs) == 2
    ckpt = load_checkpoint(tmp_path / "run" / "checkpoints" / "last.pt")
    state = ckpt["model"]
    frozen = [k for k in state if zoo.stage_of(k, "resnet18") < 4]  # stem..layer3 never trained
    assert any(k.endswith("running_var") for k in frozen)
    for key in frozen:
        assert torch.equal(state[key], fake_resnet18[key]), key
    # layer4 unfroze for epoch 2 (weights and BN statistics move); the head trained throughout
    assert not torch.equal(state["layer4.1.conv2.weight"], fake_resnet18["layer4.1.conv2.weight"])
    assert not torch.equal(state["layer4.1.bn2.running_mean"], fake_resnet18["layer4.1.bn2.running_mean"])
    assert state["fc.weight"].shape == (3, 512)
    groups = ckpt["optimizer"]["param_groups"]
    assert [g["name"] for g in groups] == ["head", "backbone"]
    assert groups[1]["lr"] == pytest.approx(0.1 * groups[0]["lr"])
