"""Model building: stacks, pretrained torchvision models, weights loading and the parameter budget.

Pretrained weights are never downloaded: a generated state dict is written at the exact
file torchvision's cache would hold (under a temporary ``TORCH_HOME``), and every test that
could reach the network has the download replaced by one that raises ``URLError``.
"""

from __future__ import annotations

import os
import urllib.error
from pathlib import Path
from typing import Any

import pytest
import torch
import torch.nn as nn
import torchvision

from studio.core.model.builder import (
    WeightsError,
    build_model,
    build_pretrained,
    build_stack,
    cached_weights_path,
    count_params,
    layer_name,
)
from studio.core.model.shapes import MAX_PARAMS, ShapeError
from studio.core.project.project_file import ModelSpec, Project
from studio.core.project.templates import TEMPLATES


class _Refused(Exception):
    pass


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every download attempt raises URLError (and is recorded): the tests never reach the network."""
    attempts: list[str] = []

    def no_download(url: str, *args: Any, **kwargs: Any) -> None:
        attempts.append(url)
        raise urllib.error.URLError("no network in tests")

    monkeypatch.setattr(torch.hub, "download_url_to_file", no_download)
    return attempts


def _spec(arch: str = "resnet18", weights: str | None = None, freeze: str = "backbone") -> ModelSpec:
    return ModelSpec(kind="pretrained", arch=arch, weights=weights, freeze=freeze)


# --------------------------------------------------------------------------- stacks


def test_stack_children_are_named_by_index_and_type() -> None:
    layers = [
        {"type": "Conv2d", "out_channels": 4, "kernel_size": 3},
        {"type": "BatchNorm2d"},
        {"type": "ReLU"},
        {"type": "BasicBlock", "out_channels": 8, "stride": 2},
        {"type": "AdaptiveAvgPool2d"},
        {"type": "Flatten"},
        {"type": "Linear", "out_features": 3},
    ]
    model = build_stack(layers, (1, 12, 10))
    names = [name for name, _ in model.named_children()]
    assert names == [
        "0_Conv2d",
        "1_BatchNorm2d",
        "2_ReLU",
        "3_BasicBlock",
        "4_AdaptiveAvgPool2d",
        "5_Flatten",
        "6_Linear",
    ]
    assert names == [layer_name(i, la["type"]) for i, la in enumerate(layers)]
    assert isinstance(model[0], nn.Conv2d) and isinstance(model[3], torchvision.models.resnet.BasicBlock)
    assert "3_BasicBlock.downsample.0.weight" in model.state_dict()
    assert model(torch.randn(2, 1, 12, 10)).shape == (2, 3)


def test_build_model_for_a_stack_project() -> None:
    project = TEMPLATES["lenet5"].project()
    model = build_model(project)
    assert count_params(model) == (61_706, 61_706)


def test_a_pretrained_project_needs_the_class_count() -> None:
    with pytest.raises(ValueError, match="number of classes"):
        build_model(TEMPLATES["resnet18-transfer"].project())


# --------------------------------------------------------------------------- pretrained: head and freezing


@pytest.mark.parametrize(("arch", "head_in"), [("resnet18", 512), ("resnet34", 512), ("resnet50", 2048)])
def test_pretrained_head_fits_the_classes_and_backbone_is_frozen(arch: str, head_in: int) -> None:
    model = build_pretrained(_spec(arch, None, "backbone"), num_classes=7)
    assert isinstance(model, torchvision.models.ResNet)
    assert isinstance(model.fc, nn.Linear) and (model.fc.in_features, model.fc.out_features) == (head_in, 7)
    trainable = {name for name, p in model.named_parameters() if p.requires_grad}
    assert trainable == {"fc.weight", "fc.bias"}
    reference = getattr(torchvision.models, arch)(num_classes=7)
    assert count_params(model) == (sum(p.numel() for p in reference.parameters()), head_in * 7 + 7)
    assert model(torch.randn(1, 3, 64, 48)).shape == (1, 7)


def test_freeze_none_trains_everything() -> None:
    model = build_pretrained(_spec("resnet18", None, "none"), num_classes=3)
    assert all(p.requires_grad for p in model.parameters())
    total, trainable = count_params(model)
    assert total == trainable > 11_000_000


# --------------------------------------------------------------------------- pretrained: weights


def _fake_imagenet_state(arch: str) -> dict[str, torch.Tensor]:
    torch.manual_seed(1234)
    return getattr(torchvision.models, arch)(weights=None).state_dict()


def test_default_weights_come_from_torchvisions_cache(torch_home: Path, offline: list[str]) -> None:
    target = cached_weights_path("resnet18")
    expected = torchvision.models.ResNet18_Weights.DEFAULT.url.rsplit("/", 1)[-1]
    assert target == torch_home / "hub" / "checkpoints" / expected  # torchvision's exact cache file
    state = _fake_imagenet_state("resnet18")
    target.parent.mkdir(parents=True)
    torch.save(state, target)

    model = build_pretrained(_spec("resnet18", "DEFAULT", "backbone"), num_classes=4)
    assert offline == []  # the cache answered: no download was attempted
    loaded = model.state_dict()
    for key, value in state.items():
        if key.startswith("fc."):
            continue
        assert torch.equal(loaded[key], value), key
    assert model.fc.out_features == 4
    assert not torch.equal(loaded["conv1.weight"], torchvision.models.resnet18().state_dict()["conv1.weight"])


def test_offline_without_a_cached_file_names_the_file_and_folder(
    torch_home: Path, offline: list[str]
) -> None:
    with pytest.raises(WeightsError) as info:
        build_pretrained(_spec("resnet18", "DEFAULT"), num_classes=2)
    message = str(info.value)
    target = cached_weights_path("resnet18")
    assert offline, "the download path was not exercised"
    assert info.value.path == "model.weights"
    assert target.name in message and str(target.parent) in message
    assert ".pth" in message and "null" in message  # the other ways out


def test_a_corrupt_cached_file_says_to_delete_it(torch_home: Path, offline: list[str]) -> None:
    target = cached_weights_path("resnet18")
    target.parent.mkdir(parents=True)
    target.write_bytes(b"not a checkpoint")
    with pytest.raises(WeightsError, match="delete it") as info:
        build_pretrained(_spec("resnet18", "DEFAULT"), num_classes=2)
    assert str(target) in str(info.value)


def test_local_pth_is_loaded_with_weights_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    state = _fake_imagenet_state("resnet18")
    path = tmp_path / "mine.pth"
    torch.save(state, path)
    calls: list[Any] = []
    real_load = torch.load

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs.get("weights_only"))
        return real_load(*args, **kwargs)

    monkeypatch.setattr(torch, "load", spy)
    model = build_pretrained(_spec("resnet18", str(path), "none"), num_classes=5)
    assert calls == [True]
    assert torch.equal(model.state_dict()["layer4.1.conv2.weight"], state["layer4.1.conv2.weight"])


def test_a_pickled_object_in_a_pth_is_refused_and_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "unpickled-and-ran"

    class Payload:
        def __reduce__(self) -> tuple[Any, ...]:
            return (os.mkdir, (str(marker),))

    path = tmp_path / "evil.pth"
    torch.save({"conv1.weight": torch.zeros(1), "extra": Payload()}, path)
    with pytest.raises(WeightsError, match="loaded safely"):
        build_pretrained(_spec("resnet18", str(path)), num_classes=2)
    assert not marker.exists()


def test_a_missing_or_unfitting_local_file(tmp_path: Path) -> None:
    with pytest.raises(WeightsError, match="does not exist"):
        build_pretrained(_spec("resnet18", str(tmp_path / "nope.pth")), num_classes=2)
    other = tmp_path / "other.pth"
    torch.save({"weight": torch.zeros(3)}, other)
    with pytest.raises(WeightsError, match="do not fit resnet18"):
        build_pretrained(_spec("resnet18", str(other)), num_classes=2)
    listed = tmp_path / "list.pth"
    torch.save([torch.zeros(3)], listed)
    with pytest.raises(WeightsError, match="not a state dict"):
        build_pretrained(_spec("resnet18", str(listed)), num_classes=2)


# --------------------------------------------------------------------------- the parameter budget


class _NoAllocation(nn.Module):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise AssertionError("a layer was allocated for a design that should have been refused")


def test_absurd_designs_are_refused_before_allocating(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nn, "Linear", _NoAllocation)
    monkeypatch.setattr(nn, "Conv2d", _NoAllocation)
    huge_linear = [{"type": "Flatten"}, {"type": "Linear", "out_features": 1_000_000}]
    with pytest.raises(ShapeError) as info:
        build_stack(huge_linear, (3, 2048, 2048))
    assert info.value.layer == 1 and info.value.type_name == "Linear"
    assert f"{MAX_PARAMS:,}" in info.value.message and "fewer" in info.value.message

    huge_activation = [{"type": "Conv2d", "out_channels": 8192, "kernel_size": 1}]
    with pytest.raises(ShapeError) as info:
        build_stack(huge_activation, (3, 2048, 2048))
    assert info.value.layer == 0 and "values per image" in info.value.message


def test_the_budget_counts_the_whole_stack() -> None:
    """Layers that are each acceptable but together too big are refused at the layer that tips it."""
    wide = {"type": "Conv2d", "out_channels": 8192, "kernel_size": 1, "bias": False}
    layers = [{"type": "AdaptiveAvgPool2d"}] + [wide] * 8  # 8192 x 8192 = 67M each
    with pytest.raises(ShapeError) as info:
        build_stack(layers, (3, 8, 8))
    # layer 1: 3 x 8192; layers 2..: 8192 x 8192 = 67.1M each; 24,576 + 6 x 67.1M > 400M at layer 7
    assert info.value.layer == 7
    assert "parameters" in info.value.message


def test_the_project_level_build_uses_the_same_budget() -> None:
    raw = TEMPLATES["sample-cnn"].make()
    raw["data"]["image_size"] = [2048, 2048]
    raw["model"]["layers"] = [{"type": "Flatten"}, {"type": "Linear", "out_features": 1_000_000}]
    with pytest.raises(ShapeError, match="layer 1 \\(Linear\\)"):
        build_model(Project.from_dict(raw))
