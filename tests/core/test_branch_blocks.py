"""Inception, MBConv, SqueezeExcitation and DepthwiseSeparableConv2d against torchvision.

The two templates built from them are compared with torchvision's own networks as
networks: the template's weights are loaded into torchvision's model (matched by position,
every tensor's shape checked) and both must give the same outputs on a random input.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import torch
import torch.nn as nn
import torchvision
from torchvision.models import efficientnet as tv_efficientnet
from torchvision.models.googlenet import BasicConv2d, Inception

from studio.core.export.exporter import FORMATS, export_run
from studio.core.model.blocks import REGISTRY
from studio.core.model.branch_rules import (
    BRANCHES,
    inception_reduction_saving,
    make_divisible,
    mbconv_expanded,
)
from studio.core.model.builder import build_stack
from studio.core.model.shapes import analyze, summarize
from studio.core.project.templates import TEMPLATES
from tests.core.tvmatch import load_by_position, randomise_batchnorm
from tests.helpers.runfactory import CLASSES, bundle_of, make_run


def _params(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


# --------------------------------------------------------------------------- the templates


@pytest.mark.parametrize(
    ("name", "reference", "params"),
    [
        (
            "googlenet-blocks",
            lambda: torchvision.models.googlenet(aux_logits=False, init_weights=False),
            6_624_904,
        ),
        ("efficientnet-b0-blocks", lambda: torchvision.models.efficientnet_b0(), 5_288_548),
    ],
)
def test_template_is_torchvisions_network(name: str, reference: Any, params: int) -> None:
    torch.manual_seed(0)
    project = TEMPLATES[name].project()
    assert project.input_shape == (3, 224, 224)
    summary = summarize(project.model.layers, project.input_shape)
    assert summary.total_params == params and summary.output_shape == (1000,)
    theirs = reference().eval()
    randomise_batchnorm(theirs)
    assert _params(theirs) == params
    ours = build_stack(project.model.layers, project.input_shape).eval()
    assert _params(ours) == params
    load_by_position(ours, theirs)
    x = torch.randn(1, 3, 224, 224)
    with torch.no_grad():
        want, got = theirs(x), ours(x)
    assert got.shape == (1, 1000)
    torch.testing.assert_close(got, want, rtol=1e-4, atol=1e-4)


def test_efficientnet_template_has_torchvisions_stochastic_depth() -> None:
    layers = TEMPLATES["efficientnet-b0-blocks"].project().model.layers
    ours = [la["stochastic_depth"] for la in layers if la["type"] == "MBConv"]
    model = torchvision.models.efficientnet_b0()
    theirs = [m.stochastic_depth.p for m in model.modules() if isinstance(m, tv_efficientnet.MBConv)]
    assert ours == pytest.approx(theirs, abs=1e-6) and len(ours) == 16


# --------------------------------------------------------------------------- blocks vs torchvision


@pytest.mark.parametrize(
    ("expand", "kernel", "stride", "in_c", "out_c"),
    [
        (1, 3, 1, 32, 16),
        (6, 3, 2, 16, 24),
        (6, 5, 1, 40, 40),
        (6, 5, 2, 80, 112),
        (4, 3, 1, 10, 10),
    ],
)
def test_mbconv_is_efficientnets_block(
    expand: float, kernel: int, stride: int, in_c: int, out_c: int
) -> None:
    layer = {
        "type": "MBConv",
        "out_channels": out_c,
        "kernel_size": kernel,
        "stride": stride,
        "expand_ratio": float(expand),
    }
    ours = build_stack([layer], (in_c, 9, 9))[0]
    cnf = tv_efficientnet.MBConvConfig(expand, kernel, stride, in_c, out_c, 1)
    cnf.input_channels, cnf.out_channels = in_c, out_c
    theirs = tv_efficientnet.MBConv(cnf, 0.0, nn.BatchNorm2d)
    assert repr(ours) == repr(theirs)
    assert ours.use_res_connect == (stride == 1 and in_c == out_c)
    assert summarize([layer], (in_c, 9, 9)).total_params == _params(theirs)


def test_inception_reduction_saving_counts_real_modules() -> None:
    """inception3a: what the 1x1 reductions save, against torchvision modules with and without them."""
    args = REGISTRY["Inception"].resolve(
        {
            "type": "Inception",
            "ch1x1": 64,
            "ch3x3red": 96,
            "ch3x3": 128,
            "ch5x5red": 16,
            "ch5x5": 32,
            "pool_proj": 32,
        }
    )
    block = Inception(192, 64, 96, 128, 16, 32, 32)
    with_red, without = inception_reduction_saving((192, 28, 28), args)
    assert with_red == _params(block.branch2) + _params(block.branch3)
    assert without == _params(BasicConv2d(192, 128, kernel_size=3)) + _params(
        BasicConv2d(192, 32, kernel_size=3)
    )
    assert (with_red, without) == (137_248, 276_800)


@pytest.mark.parametrize(
    ("layer", "in_shape"),
    [
        (
            {
                "type": "Inception",
                "ch1x1": 3,
                "ch3x3red": 2,
                "ch3x3": 4,
                "ch5x5red": 1,
                "ch5x5": 2,
                "pool_proj": 2,
            },
            (5, 6, 4),
        ),
        (
            {"type": "MBConv", "out_channels": 6, "kernel_size": 5, "stride": 2, "expand_ratio": 6.0},
            (4, 7, 7),
        ),
        ({"type": "MBConv", "out_channels": 4, "expand_ratio": 1.0}, (4, 5, 5)),
        ({"type": "SqueezeExcitation", "reduction": 2}, (6, 3, 3)),
        ({"type": "DepthwiseSeparableConv2d", "out_channels": 5, "stride": 2}, (3, 8, 8)),
    ],
)
def test_each_branch_matches_its_torch_submodule(layer: dict[str, Any], in_shape: tuple[int, ...]) -> None:
    """The designer's per-branch rows: each branch's parameters are its submodule's."""
    block = REGISTRY[layer["type"]]
    rows = BRANCHES[layer["type"]](in_shape, block.resolve(layer))
    module = build_stack([layer], in_shape)[0]
    subs: list[nn.Module]
    if layer["type"] == "Inception":
        subs = [module.branch1, module.branch2, module.branch3, module.branch4]
    elif layer["type"] == "MBConv":
        subs = list(module.block) + ([nn.Identity()] if module.use_res_connect else [])
    elif layer["type"] == "SqueezeExcitation":
        subs = [module.fc1, module.fc2]
    else:
        subs = list(module)
    assert [r.params for r in rows] == [_params(s) for s in subs]
    assert [r.skip for r in rows] == [False] * (len(rows) - 1) + [
        bool(getattr(module, "use_res_connect", False))
    ]
    info = summarize([layer], in_shape).layers[0]
    assert info.params == sum(r.params for r in rows) and info.macs == sum(r.macs for r in rows)


def test_mbconv_hidden_width_is_rounded_like_torchvision() -> None:
    for c, e in ((3, 6.0), (10, 2.5), (17, 4.0), (4, 1.0), (40, 6.0)):
        assert mbconv_expanded(c, e) == tv_efficientnet._make_divisible(c * e, 8)
    for v in (3.0, 12.0, 35.2, 101.0, 1408.0, 88.0):
        assert make_divisible(v) == tv_efficientnet._make_divisible(v, 8)


def test_a_too_wide_expansion_names_the_branch_and_argument() -> None:
    summary = analyze([{"type": "MBConv", "out_channels": 8, "expand_ratio": 16.0}], (1024, 64, 64))
    assert summary.error is not None and summary.error.layer == 0
    assert "expand branch" in summary.error.message and "expand_ratio" in summary.error.message


# --------------------------------------------------------------------------- every export format


SMALL_NET = [
    {"type": "Conv2d", "out_channels": 8, "kernel_size": 3, "padding": 1, "bias": False},
    {"type": "BatchNorm2d"},
    {"type": "SiLU"},
    {"type": "Inception", "ch1x1": 4, "ch3x3red": 4, "ch3x3": 6, "ch5x5red": 2, "ch5x5": 4, "pool_proj": 2},
    {"type": "MBConv", "out_channels": 16, "kernel_size": 3, "stride": 2, "expand_ratio": 4.0},
    {"type": "MBConv", "out_channels": 16, "kernel_size": 5, "expand_ratio": 6.0, "stochastic_depth": 0.1},
    {"type": "SqueezeExcitation", "reduction": 4},
    {"type": "DepthwiseSeparableConv2d", "out_channels": 12, "stride": 2},
    {"type": "AdaptiveAvgPool2d", "output_size": 1},
    {"type": "Flatten"},
    {"type": "Linear", "out_features": 3},
]


@pytest.fixture(scope="module")
def branch_run(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return make_run(tmp_path_factory.mktemp("branch-run"), steps=30, n_per_class=20, layers=SMALL_NET)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_verifies_a_trained_branch_network(fmt: str, branch_run: Any, tmp_path: Path) -> None:
    result = export_run(branch_run.path, fmt, tmp_path / "out", data=bundle_of(branch_run))
    v = result.verification
    assert v.ok and v.top1_agreement == 1.0 and v.samples > 0, v
    assert math.isfinite(v.max_abs_diff) and v.max_abs_diff <= v.tolerance
    assert len(CLASSES) == 3


def test_the_branch_table_lists_branches_and_the_saving() -> None:
    block = REGISTRY["Inception"]
    text = block.explain((192, 28, 28), block.resolve({"type": "Inception"}))  # inception3a's numbers
    lines = text.splitlines()
    assert [line.split()[0] for line in lines[1:9:2]] == ["branch1", "branch2", "branch3", "branch4"]
    assert "128x28x28" in lines[3] and "129,472 params" in lines[3] and "1x1 conv to 96" in lines[4]
    assert "137,248" in lines[-1] and "276,800" in lines[-1] and "save 139,552 (50%)" in lines[-1]
    mb = REGISTRY["MBConv"]
    with_skip = mb.explain((16, 8, 8), mb.resolve({"type": "MBConv", "out_channels": 16}))
    assert with_skip.splitlines()[-2].split()[0] == "skip"
    strided = mb.explain((16, 8, 8), mb.resolve({"type": "MBConv", "out_channels": 16, "stride": 2}))
    assert "No skip" in strided and "16x4x4" in strided
