"""The model zoo: every architecture builds with a head that fits the classes, its stages cover
the network, its metadata comes from torchvision, and weights load from the cache or a file
(or the error says which file to put where)."""

from __future__ import annotations

import urllib.error
from pathlib import Path
from typing import Any

import pytest
import torch
from torchvision.models import get_model, get_model_weights

from studio.core.model import zoo
from studio.core.model.builder import (
    WeightsError,
    build_pretrained,
    cached_weights_path,
    head_of,
    load_pretrained_state,
)
from studio.core.project.document import ProjectDocument
from studio.core.project.project_file import ModelSpec, Project


def _spec(arch: str, weights: str | None = "DEFAULT", **kw: Any) -> ModelSpec:
    return ModelSpec(kind="pretrained", arch=arch, weights=weights, **kw)


def _module_path(model: torch.nn.Module, target: torch.nn.Module) -> str:
    return next(name for name, m in model.named_modules() if m is target)


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """No network: torch.hub's download raises URLError; the URLs it was asked for are recorded."""
    asked: list[str] = []

    def refuse(url: str, *args: Any, **kwargs: Any) -> None:
        asked.append(url)
        raise urllib.error.URLError("network is unreachable")

    monkeypatch.setattr(torch.hub, "download_url_to_file", refuse)
    return asked


@pytest.mark.parametrize("arch", zoo.ARCHITECTURES)
def test_each_arch_builds_with_a_head_for_the_classes(arch: str) -> None:
    with torch.device("meta"):
        model = build_pretrained(_spec(arch, weights=None), 5, load_weights=False)
        out = model.eval()(torch.empty(2, 3, 224, 224))
    assert tuple(out.shape) == (2, 5)
    _, _, head = head_of(model)
    assert head.out_features == 5
    assert _module_path(model, head) == zoo.HEADS[arch]
    # every stage's modules exist, hold parameters, and no parameter is in two stages
    modules = dict(model.named_modules())
    seen: set[str] = set()
    for stage in zoo.STAGES[arch]:
        for path in stage.modules:
            assert path in modules, f"{arch}: stage {stage.name} names missing module {path}"
            names = {f"{path}.{n}" for n, _ in modules[path].named_parameters()}
            assert not names & seen
            seen |= names
        assert any(True for p in stage.modules for _ in modules[p].parameters()), stage.name
    # stages run from the input side: their first modules appear in registration order
    order = list(modules)
    firsts = [order.index(stage.modules[0]) for stage in zoo.STAGES[arch]]
    assert firsts == sorted(firsts)


@pytest.mark.parametrize("arch", zoo.ARCHITECTURES)
def test_param_count_matches_torchvision_metadata(arch: str) -> None:
    with torch.device("meta"):
        model = build_pretrained(_spec(arch, weights=None), 1000, load_weights=False)
    count = sum(p.numel() for p in model.parameters())
    info = zoo.model_info(arch)
    meta = get_model_weights(arch).DEFAULT.meta
    assert info.params == meta["num_params"]
    # torchvision counts GoogLeNet without its auxiliary classifiers, which the studio drops too
    assert count == info.params


@pytest.mark.parametrize("arch", ["googlenet", "mobilenet_v3_small"])  # the others: meta device above
def test_small_input_forward_in_train_and_eval_mode(arch: str) -> None:
    torch.manual_seed(0)
    model = build_pretrained(_spec(arch, weights=None, freeze="none"), 3, load_weights=False)
    x = torch.randn(2, 3, 40, 40)
    out = model.train()(x)  # googlenet must give a plain tensor, not its aux-output tuple
    assert isinstance(out, torch.Tensor) and out.shape == (2, 3)
    assert model.eval()(x).shape == (2, 3)


def test_model_info_reads_torchvision_metadata() -> None:
    for arch in zoo.ARCHITECTURES:
        w = get_model_weights(arch).DEFAULT
        info = zoo.model_info(arch)
        assert info.acc_top1 == w.meta["_metrics"]["ImageNet-1K"]["acc@1"]
        assert info.acc_top5 == w.meta["_metrics"]["ImageNet-1K"]["acc@5"]
        assert info.input_size == w.transforms().crop_size[0]
        assert info.resize_size == w.transforms().resize_size[0]
        assert info.weights_file == Path(w.url).name
        assert (info.mean, info.std) == (zoo.IMAGENET_MEAN, zoo.IMAGENET_STD) == zoo.normalization(arch)
        assert info.stages[0] == "stem" and info.stages[-1] == "head"
        assert len(info.stages) == len(zoo.STAGES[arch]) + 2


def _pretrained_project(arch: str = "efficientnet_b0", size: int = 64) -> Project:
    return Project.from_dict(
        {
            "data": {"source": "folder", "root": "/x", "channels": 3, "image_size": [size, size]},
            "model": {"kind": "pretrained", "arch": arch},
        }
    )


def test_recommended_data_applies_the_weights_input_size_as_one_undoable_edit() -> None:
    project = _pretrained_project("mobilenet_v3_large", 64)
    assert "smaller" in (zoo.input_size_warning(project) or "")
    doc = ProjectDocument(project)
    doc.apply(doc.set_section("data", zoo.recommended_data(doc.project)))
    size = zoo.model_info("mobilenet_v3_large").input_size
    assert doc.project.data.image_size == (size, size)
    assert doc.project.data.source == "folder" and doc.project.data.root == "/x"
    assert zoo.input_size_warning(doc.project) is None
    doc.undo()
    assert doc.project.data.image_size == (64, 64)


def test_input_below_the_minimum_is_warned_about() -> None:
    warning = zoo.input_size_warning(_pretrained_project("vgg11_bn", 16))
    assert warning is not None and "minimum" in warning and "vgg11_bn" in warning


@pytest.mark.parametrize("arch", zoo.ARCHITECTURES)
def test_offline_without_cache_names_the_file_and_where_to_put_it(
    arch: str, torch_home: Path, offline: list[str]
) -> None:
    with pytest.raises(WeightsError) as info:
        load_pretrained_state(_spec(arch))
    message = str(info.value)
    target = cached_weights_path(arch)
    assert target.is_relative_to(torch_home)
    assert zoo.model_info(arch).weights_file == target.name
    assert str(target) in message and zoo.model_info(arch).url in message
    assert message.startswith("model.weights:")
    assert offline == [zoo.model_info(arch).url]


def _fake_imagenet_state(arch: str) -> dict[str, torch.Tensor]:
    """A generated stand-in for torchvision's file: same keys and shapes (googlenet's aux too)."""
    torch.manual_seed(1)
    kwargs = {"aux_logits": True, "init_weights": False} if arch == "googlenet" else {}
    model = get_model(arch, weights=None, **kwargs)
    for name, buf in model.named_buffers():  # distinctive BN statistics, as after ImageNet training
        if name.endswith("running_mean"):
            buf.uniform_(-0.5, 0.5)
        elif name.endswith("running_var"):
            buf.uniform_(0.5, 2.0)
    return model.state_dict()


@pytest.mark.parametrize("arch", ["googlenet", "mobilenet_v3_small"])
def test_weights_load_from_the_torch_home_cache_without_network(
    arch: str, torch_home: Path, offline: list[str]
) -> None:
    state = _fake_imagenet_state(arch)
    target = cached_weights_path(arch)
    target.parent.mkdir(parents=True)
    torch.save(state, target)
    model = build_pretrained(_spec(arch), 4)
    assert offline == []
    own = model.state_dict()
    head = zoo.HEADS[arch]
    loaded = [k for k in own if not k.startswith(head + ".")]
    assert loaded and all(torch.equal(own[k], state[k]) for k in loaded)
    assert own[f"{head}.weight"].shape[0] == 4
    assert not any(k.startswith("aux") for k in own)
    if arch == "googlenet":
        assert model.transform_input is True  # the Google weights expect inputs in [-1, 1]
        assert build_pretrained(_spec(arch, weights=None), 4, load_weights=False).transform_input is False


def test_weights_load_from_a_local_file_with_another_head(tmp_path: Path, offline: list[str]) -> None:
    torch.manual_seed(2)
    finetuned = get_model("resnet18", weights=None, num_classes=10).state_dict()
    path = tmp_path / "mine.pth"
    torch.save({"model": finetuned}, path)  # a studio checkpoint's layout
    model = build_pretrained(_spec("resnet18", str(path)), 3)
    own = model.state_dict()
    assert torch.equal(own["layer4.1.conv2.weight"], finetuned["layer4.1.conv2.weight"])
    assert own["fc.weight"].shape == (3, 512)
    assert offline == []


def test_weights_for_another_arch_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.pth"
    torch.save(get_model("mobilenet_v3_small", weights=None).state_dict(), path)
    with pytest.raises(WeightsError, match="do not fit resnet18"):
        build_pretrained(_spec("resnet18", str(path)), 3)


def test_missing_local_file_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(WeightsError, match="does not exist"):
        load_pretrained_state(_spec("resnet18", str(tmp_path / "nope.pth")))
