"""Built-in templates: each validates and builds, and the classic networks have their published sizes."""

from __future__ import annotations

from typing import Any

import pytest
import torch
import torch.nn as nn
import torchvision

from studio.core.model.builder import build_model, build_stack, count_params, pretrained_summary
from studio.core.model.shapes import summarize
from studio.core.project.templates import TEMPLATES, get_template

REQUIRED = (
    "sample-cnn",
    "mnist-cnn",
    "fashion-mnist-cnn",
    "cifar10-cnn",
    "lenet5",
    "vgg16",
    "resnet18-blocks",
    "resnet18-transfer",
)


def _meta_build(project: Any, num_classes: int = 10) -> nn.Module:
    """Build without allocating memory: structure and parameter counts, no weights."""
    with torch.device("meta"):
        return build_model(project, num_classes=num_classes, load_weights=False)


def test_the_issue_names_are_all_there() -> None:
    assert set(REQUIRED) <= set(TEMPLATES)


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_every_template_validates_and_builds(name: str) -> None:
    template = TEMPLATES[name]
    assert template.name == name
    assert template.description and "\n" not in template.description and len(template.description) < 120
    project = template.project()
    assert project.training.epochs >= 1 and project.training.batch_size >= 1
    model = _meta_build(project)
    out = model.eval()(torch.empty((2, *project.input_shape), device="meta"))
    if project.model.kind == "stack":
        summary = summarize(project.model.layers, project.input_shape)
        assert tuple(out.shape[1:]) == summary.output_shape
        assert sum(p.numel() for p in model.parameters()) == summary.total_params
    else:
        assert tuple(out.shape) == (2, 10)


def test_templates_are_independent_copies() -> None:
    first = TEMPLATES["lenet5"].project()
    first.model.layers[0]["out_channels"] = 99
    first.data.augment["x"] = 1
    second = TEMPLATES["lenet5"].project()
    assert second.model.layers[0]["out_channels"] == 6 and "x" not in second.data.augment


def test_unknown_template_lists_the_names() -> None:
    with pytest.raises(KeyError) as info:
        get_template("alexnet")
    assert "lenet5" in str(info.value) and "resnet18-blocks" in str(info.value)


def test_lenet5_has_61706_parameters() -> None:
    project = TEMPLATES["lenet5"].project()
    summary = summarize(project.model.layers, project.input_shape)
    assert summary.total_params == 61_706
    assert summary.output_shape == (10,)
    assert count_params(build_model(project)) == (61_706, 61_706)


def test_vgg16_has_138357544_parameters() -> None:
    project = TEMPLATES["vgg16"].project()
    assert project.input_shape == (3, 224, 224)
    summary = summarize(project.model.layers, project.input_shape)
    assert summary.total_params == 138_357_544
    assert summary.output_shape == (1000,)
    with torch.device("meta"):
        reference = torchvision.models.vgg16()
    assert sum(p.numel() for p in reference.parameters()) == 138_357_544
    assert sum(p.numel() for p in _meta_build(project).parameters()) == 138_357_544


def test_resnet18_blocks_is_torchvisions_resnet18() -> None:
    project = TEMPLATES["resnet18-blocks"].project()
    summary = summarize(project.model.layers, project.input_shape)
    reference = torchvision.models.resnet18()
    assert summary.total_params == 11_689_512 == sum(p.numel() for p in reference.parameters())
    ours = build_stack(project.model.layers, project.input_shape)
    # the same tensors in the same order: a positional copy of torchvision's weights fits exactly
    ours_state, ref_state = ours.state_dict(), reference.state_dict()
    assert [t.shape for t in ours_state.values()] == [t.shape for t in ref_state.values()]
    ours.load_state_dict(dict(zip(ours_state.keys(), ref_state.values(), strict=True)))
    torch.manual_seed(0)
    x = torch.randn(2, 3, 64, 80)
    with torch.no_grad():
        expected = reference.eval()(x)
        got = ours.eval()(x)
    assert got.shape == expected.shape == (2, 1000)
    torch.testing.assert_close(got, expected)
    assert summary.output_shape == (1000,)


def test_resnet18_transfer_summary_trains_only_the_head() -> None:
    project = TEMPLATES["resnet18-transfer"].project()
    assert (project.model.kind, project.model.arch, project.model.freeze) == (
        "pretrained",
        "resnet18",
        "backbone",
    )
    assert project.data.source == "folder"
    summary = pretrained_summary(project, num_classes=10)
    assert summary.error is None
    assert summary.trainable_params == 512 * 10 + 10
    assert summary.total_params == 11_689_512 - 513_000 + 5_130
    assert summary.output_shape == (10,)
    names = [info.type for info in summary.layers]
    assert names[0].startswith("conv1") and names[-1].startswith("fc")
    assert [info.trainable for info in summary.layers if info.params] == [False] * 6 + [True]
