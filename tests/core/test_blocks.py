"""The block registry: every type's shape rule and parameter count against PyTorch itself.

Each case builds the layer through the registry (as the model builder does), runs a real
forward pass and compares the output shape and ``sum(p.numel())`` with the analytic
:func:`studio.core.model.shapes.analyze`. ``BasicBlock``/``Bottleneck`` are compared with the blocks
that torchvision's own ``ResNet._make_layer`` builds.
"""

from __future__ import annotations

import re
import warnings
from types import SimpleNamespace
from typing import Any

import pytest
import torch
import torch.nn as nn
from torchvision.models import resnet as tv_resnet

from studio.core.model.blocks import REGISTRY, default_layer, layer_summary
from studio.core.model.builder import build_stack
from studio.core.model.shapes import ShapeError, analyze, summarize

pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same'", "ignore:Initializing zero-element")


def L(type_name: str, **kw: Any) -> dict[str, Any]:  # noqa: N802 - reads like the JSON
    return {"type": type_name, **kw}


# (layer, input shape): square and non-square inputs for every type, and the tricky arguments
CASES: list[tuple[dict[str, Any], tuple[int, ...]]] = [
    (L("Conv2d", out_channels=8, kernel_size=3, padding=1), (3, 9, 9)),
    (L("Conv2d", out_channels=4, kernel_size=[3, 5], stride=[2, 1], padding=[1, 0]), (2, 11, 8)),
    (L("Conv2d", out_channels=5, kernel_size=4, padding="same", dilation=2), (3, 7, 10)),
    (L("Conv2d", out_channels=5, kernel_size=[2, 3], padding="same"), (3, 6, 6)),
    (L("Conv2d", out_channels=3, kernel_size=3, padding="valid", stride=2), (2, 9, 12)),
    (L("Conv2d", out_channels=6, kernel_size=3, dilation=[2, 3], padding=1), (3, 12, 13)),
    (L("Conv2d", out_channels=12, kernel_size=3, groups=6, padding=1), (6, 8, 5)),  # depthwise x2
    (L("Conv2d", out_channels=4, kernel_size=1, groups=2, bias=False), (6, 5, 5)),
    (L("Conv2d"), (1, 28, 28)),  # all defaults
    (L("MaxPool2d", kernel_size=2), (4, 8, 8)),
    (L("MaxPool2d", kernel_size=3, stride=2, padding=1), (4, 9, 6)),
    (L("MaxPool2d", kernel_size=3, stride=2, ceil_mode=True), (2, 8, 7)),
    (L("MaxPool2d", kernel_size=2, stride=2, ceil_mode=True), (2, 5, 3)),
    (L("MaxPool2d", kernel_size=[2, 3], dilation=2), (2, 9, 10)),
    (L("MaxPool2d", kernel_size=4, stride=2, ceil_mode=True), (2, 3, 3)),  # last window rule
    (L("AvgPool2d", kernel_size=2), (3, 6, 6)),
    (L("AvgPool2d", kernel_size=3, stride=2, padding=1, ceil_mode=True, count_include_pad=False), (3, 10, 7)),
    (L("AvgPool2d", kernel_size=[3, 1], stride=[1, 2]), (2, 5, 9)),
    (L("AdaptiveAvgPool2d", output_size=1), (5, 7, 9)),
    (L("AdaptiveAvgPool2d", output_size=[2, 3]), (3, 8, 5)),
    (L("AdaptiveAvgPool2d", output_size=4), (2, 3, 2)),  # larger than its input
    (L("AdaptiveAvgPool2d", output_size=3), (4, 6, 6)),
    (L("AdaptiveMaxPool2d", output_size=2), (3, 6, 6)),
    (L("AdaptiveMaxPool2d", output_size=[1, 3]), (3, 4, 7)),
    (L("BatchNorm2d"), (4, 5, 6)),
    (L("BatchNorm2d", affine=False, eps=0.001, momentum=0.3), (3, 4, 4)),
    (L("BatchNorm1d"), (12,)),
    (L("BatchNorm1d", affine=False), (7,)),
    (L("ReLU"), (3, 4, 5)),
    (L("ReLU"), (7,)),
    (L("LeakyReLU", negative_slope=0.2), (3, 4, 4)),
    (L("LeakyReLU"), (3, 2, 5)),
    (L("GELU", approximate="tanh"), (6,)),
    (L("GELU"), (2, 3, 5)),
    (L("SiLU"), (2, 5, 3)),
    (L("SiLU"), (5,)),
    (L("Sigmoid"), (4,)),
    (L("Sigmoid"), (2, 3, 4)),
    (L("Tanh"), (2, 4, 4)),
    (L("Tanh"), (2, 4, 3)),
    (L("Dropout", p=0.3), (3, 4, 5)),
    (L("Dropout"), (9,)),
    (L("Dropout2d", p=0.1), (3, 4, 5)),
    (L("Dropout2d"), (3, 4, 4)),
    (L("Flatten"), (3, 4, 5)),
    (L("Flatten"), (7,)),
    (L("Linear", out_features=5), (20,)),
    (L("Linear", out_features=3, bias=False), (8,)),
    (L("BasicBlock", out_channels=8), (8, 6, 6)),  # identity skip
    (L("BasicBlock", out_channels=16, stride=2), (8, 7, 5)),  # downsample: stride and channels
    (L("BasicBlock", out_channels=8), (4, 6, 9)),  # downsample: channels only
    (L("Bottleneck", out_channels=4), (16, 6, 6)),  # identity skip (4 x 4 = 16)
    (L("Bottleneck", out_channels=4, stride=2), (8, 7, 9)),
    (L("Bottleneck", out_channels=4, groups=2, base_width=32), (6, 5, 5)),
    (L("VGGBlock", out_channels=4, convs=2), (3, 8, 6)),
    (L("VGGBlock", out_channels=2, convs=1), (3, 4, 4)),
    (L("VGGBlock", out_channels=5, convs=3, batch_norm=True), (3, 5, 7)),
    (L("Inception", ch1x1=4, ch3x3red=3, ch3x3=5, ch5x5red=2, ch5x5=3, pool_proj=2), (6, 5, 5)),
    (L("Inception", ch1x1=2, ch3x3red=2, ch3x3=2, ch5x5red=1, ch5x5=1, pool_proj=1), (3, 2, 7)),
    (L("Inception", ch1x1=2, ch3x3red=2, ch3x3=2, ch5x5red=1, ch5x5=1, pool_proj=1), (3, 1, 1)),
    (L("MBConv", out_channels=8, expand_ratio=1.0), (8, 6, 6)),  # identity skip, no expansion
    (L("MBConv", out_channels=8, kernel_size=5, stride=2, expand_ratio=6.0), (4, 7, 5)),
    (L("MBConv", out_channels=6, expand_ratio=2.5, stochastic_depth=0.3), (6, 4, 9)),  # skip, rounded hidden
    (L("MBConv", out_channels=3, stride=2), (5, 1, 1)),
    (L("SqueezeExcitation"), (8, 5, 5)),
    (L("SqueezeExcitation", reduction=16), (6, 3, 7)),  # squeeze at least 1
    (L("SqueezeExcitation", squeeze_channels=10), (4, 2, 3)),
    (L("DepthwiseSeparableConv2d", out_channels=6), (3, 8, 8)),
    (L("DepthwiseSeparableConv2d", out_channels=4, kernel_size=5, stride=2), (2, 9, 6)),
    (L("DepthwiseSeparableConv2d", out_channels=4, kernel_size=4), (2, 5, 6)),  # even kernel: -1
]


def _case_id(case: tuple[dict[str, Any], tuple[int, ...]]) -> str:
    layer, shape = case
    args = ",".join(f"{k}={v}" for k, v in layer.items() if k != "type")
    return f"{layer['type']}({args})@{'x'.join(map(str, shape))}"


def _torch_run(model: nn.Module, in_shape: tuple[int, ...]) -> tuple[tuple[int, ...], int]:
    model.eval()
    with torch.no_grad():
        out = model(torch.randn(2, *in_shape))
    return tuple(out.shape[1:]), sum(p.numel() for p in model.parameters())


def test_every_registry_type_is_covered() -> None:
    types = {layer["type"] for layer, _ in CASES}
    assert types == set(REGISTRY)
    for name in REGISTRY:  # ...on a square and on a non-square input where it takes images
        shapes = {shape for layer, shape in CASES if layer["type"] == name}
        assert any(len(s) != 3 or s[1] == s[2] for s in shapes), name
        assert any(len(s) == 3 and s[1] != s[2] for s in shapes) or name in ("BatchNorm1d", "Linear"), name


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_shape_and_params_match_a_forward_pass(case: tuple[dict[str, Any], tuple[int, ...]]) -> None:
    layer, in_shape = case
    summary = summarize([layer], in_shape)
    out_shape, params = _torch_run(build_stack([layer], in_shape), in_shape)
    assert summary.layers[0].output_shape == out_shape
    assert summary.layers[0].params == params
    assert summary.total_params == params


def test_known_counts_by_hand() -> None:
    """Numbers a student would compute on paper, independent of the registry's builders."""
    s = summarize(
        [
            L("Conv2d", out_channels=32, kernel_size=3, padding=1),
            L("BatchNorm2d"),
            L("ReLU"),
            L("MaxPool2d", kernel_size=2),
            L("Flatten"),
            L("Linear", out_features=10),
        ],
        (1, 28, 28),
    )
    assert [info.params for info in s.layers] == [32 * 9 + 32, 64, 0, 0, 0, 32 * 14 * 14 * 10 + 10]
    assert s.output_shape == (10,)
    assert s.layers[3].output_shape == (32, 14, 14)


@pytest.mark.parametrize(
    ("layers", "in_shape", "bad", "words"),
    [
        ([L("Conv2d", kernel_size=5)], (1, 3, 8), 0, "larger than"),
        ([L("Flatten"), L("MaxPool2d")], (1, 4, 4), 1, "image-shaped"),
        ([L("Conv2d", out_channels=4, kernel_size=3), L("Linear", out_features=3)], (1, 6, 6), 1, "Flatten"),
        ([L("BatchNorm2d"), L("Flatten"), L("BatchNorm2d")], (2, 3, 3), 2, "image-shaped"),
        ([L("BatchNorm1d")], (2, 3, 3), 0, "Flatten"),
        ([L("Conv2d", kernel_size=3, padding="same", stride=2)], (1, 8, 8), 0, "stride 1"),
        ([L("Conv2d", out_channels=4, groups=3)], (6, 8, 8), 0, "groups=3"),
        ([L("MaxPool2d", kernel_size=3, padding=2)], (1, 8, 8), 0, "half the kernel"),
        ([L("MaxPool2d", kernel_size=3, padding=2, dilation=2)], (1, 9, 9), 0, "half the kernel"),
        ([L("ReLU"), L("MaxPool2d", kernel_size=4)], (1, 3, 9), 1, "larger than its input"),
        ([L("Dropout2d")], (5,), 0, "image-shaped"),
        ([L("Bottleneck", out_channels=1, base_width=16)], (4, 4, 4), 0, "rounds down to 0"),
        ([L("Flatten"), L("Inception")], (2, 3, 3), 1, "image-shaped"),
        (
            [L("DepthwiseSeparableConv2d", kernel_size=4, stride=2)],
            (2, 1, 1),
            0,
            "depthwise branch's kernel_size 4",
        ),
    ],
)
def test_impossible_layers_fail_in_both(
    layers: list[dict[str, Any]], in_shape: tuple[int, ...], bad: int, words: str
) -> None:
    """The analytic error names the first failing layer, and PyTorch really fails there."""
    summary = analyze(layers, in_shape)
    assert summary.error is not None
    assert summary.error.layer == bad
    assert words in summary.error.message
    assert str(summary.error).startswith(f"layer {bad} ({layers[bad]['type']}): ")
    assert len(summary.layers) == bad
    with pytest.raises(ShapeError):
        build_stack(layers, in_shape)
    # PyTorch itself refuses that layer, given the (valid) layers above it
    above = nn.Sequential(
        *[
            REGISTRY[la["type"]].build(info.input_shape, REGISTRY[la["type"]].resolve(la))
            for la, info in zip(layers, summary.layers, strict=False)
        ]
    )
    x = above.eval()(torch.randn(2, *in_shape))
    assert _torch_refuses(layers[bad], x)


def _torch_refuses(layer: dict[str, Any], x: torch.Tensor) -> bool:
    """Whether PyTorch fails (or warns that the input is deprecated) building/running ``layer`` on x."""
    if layer["type"] == "Linear" and x.dim() != 2:
        return True  # docs/project-format.md: a Linear on an image-shaped tensor is an invalid design
    block = REGISTRY[layer["type"]]
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*deprecated")
        try:
            block.build(tuple(x.shape[1:]), block.resolve(layer)).eval()(x)
        except (RuntimeError, ValueError, UserWarning):
            return True
    return False


# --------------------------------------------------------------------------- torchvision ResNet blocks


def _torchvision_block(
    block: type, in_channels: int, planes: int, stride: int, groups: int = 1, base_width: int = 64
) -> nn.Module:
    """The block torchvision's ``ResNet._make_layer`` builds for one block of a stage."""
    host = SimpleNamespace(
        inplanes=in_channels, _norm_layer=nn.BatchNorm2d, groups=groups, base_width=base_width, dilation=1
    )
    stage = tv_resnet.ResNet._make_layer(host, block, planes, 1, stride=stride)
    return stage[0]


@pytest.mark.parametrize(
    ("kind", "in_c", "planes", "stride", "groups", "base_width", "downsample"),
    [
        ("BasicBlock", 64, 64, 1, 1, 64, False),
        ("BasicBlock", 64, 128, 2, 1, 64, True),
        ("BasicBlock", 32, 64, 1, 1, 64, True),
        ("BasicBlock", 16, 16, 2, 1, 64, True),
        ("Bottleneck", 256, 64, 1, 1, 64, False),
        ("Bottleneck", 64, 64, 1, 1, 64, True),
        ("Bottleneck", 256, 128, 2, 1, 64, True),
        ("Bottleneck", 64, 16, 2, 4, 32, True),
    ],
)
def test_resnet_blocks_are_built_exactly_like_torchvision(
    kind: str, in_c: int, planes: int, stride: int, groups: int, base_width: int, downsample: bool
) -> None:
    layer = L(kind, out_channels=planes, stride=stride)
    if kind == "Bottleneck":
        layer.update(groups=groups, base_width=base_width)
    size = 9
    ours = build_stack([layer], (in_c, size, size))[0]
    theirs = _torchvision_block(getattr(tv_resnet, kind), in_c, planes, stride, groups, base_width)
    assert type(ours) is type(theirs)
    assert repr(ours) == repr(theirs)
    assert (ours.downsample is not None) == downsample
    assert [(n, p.shape) for n, p in ours.named_parameters()] == [
        (n, p.shape) for n, p in theirs.named_parameters()
    ]
    # the same weights give the same output: the wiring (skip, ReLU placement) is the same
    ours.load_state_dict(theirs.state_dict())
    x = torch.randn(2, in_c, size, size)
    with torch.no_grad():
        assert torch.equal(ours.eval()(x), theirs.eval()(x))
    info = summarize([layer], (in_c, size, size)).layers[0]
    assert info.params == sum(p.numel() for p in theirs.parameters())
    assert info.output_shape == tuple(theirs(x).shape[1:])


# --------------------------------------------------------------------------- help and explanations


def test_every_block_and_argument_has_help() -> None:
    for block in REGISTRY.values():
        assert len(block.help) > 20, block.name
        assert block.group, block.name
        for arg in block.args:
            assert len(arg.help) > 10, f"{block.name}.{arg.name}"
            arg.validate(arg.default, f"{block.name}.{arg.name}") if arg.default is not None else None


@pytest.mark.parametrize(
    ("layer", "in_shape", "height", "width"),
    [
        (
            L("Conv2d", out_channels=4, kernel_size=5, stride=2, padding=1),
            (3, 32, 30),
            "floor((32 + 2·1 - (5-1) - 1) / 2) + 1 = ",
            "floor((30 + 2·1 - (5-1) - 1) / 2) + 1 = ",
        ),
        (
            L("Conv2d", out_channels=4, kernel_size=3, dilation=2),
            (1, 11, 12),
            "floor((11 + 2·0 - 2·(3-1) - 1) / 1) + 1 = ",
            "floor((12 + 2·0 - 2·(3-1) - 1) / 1) + 1 = ",
        ),
        (
            L("MaxPool2d", kernel_size=3, stride=2, ceil_mode=True),
            (2, 10, 7),
            "ceil((10 + 2·0 - (3-1) - 1) / 2) + 1 = ",
            "ceil((7 + 2·0 - (3-1) - 1) / 2) + 1 = ",
        ),
        (
            L("AvgPool2d", kernel_size=[2, 3], padding=[1, 0]),
            (2, 9, 9),
            "floor((9 + 2·1 - (2-1) - 1) / 2) + 1 = ",
            "floor((9 + 2·0 - (3-1) - 1) / 3) + 1 = ",
        ),
        (L("Conv2d", out_channels=2, kernel_size=4, padding="same"), (1, 10, 7), "O = I = ", "O = I = "),
    ],
)
def test_explain_fills_the_formula_with_the_layers_numbers(
    layer: dict[str, Any], in_shape: tuple[int, ...], height: str, width: str
) -> None:
    block = REGISTRY[layer["type"]]
    text = block.explain(in_shape, block.resolve(layer))
    assert "O = floor((I + 2P - D(K-1) - 1) / S) + 1" in text
    out_shape, _ = _torch_run(build_stack([layer], in_shape), in_shape)
    lines = text.splitlines()
    h_line = next(line for line in lines if line.startswith("height:"))
    w_line = next(line for line in lines if line.startswith("width:"))
    assert height in h_line and w_line.count(width) == 1
    # the number the formula ends with is the size PyTorch really produces
    assert re.search(r"= (\d+)(?: \(.*\))?$", h_line).group(1) == str(out_shape[1])  # type: ignore[union-attr]
    assert re.search(r"= (\d+)(?: \(.*\))?$", w_line).group(1) == str(out_shape[2])  # type: ignore[union-attr]


def test_every_window_block_explains_itself() -> None:
    for name in ("Conv2d", "MaxPool2d", "AvgPool2d"):
        assert REGISTRY[name].explain is not None, name


def test_default_layers_are_valid_and_summarised() -> None:
    for name, block in REGISTRY.items():
        layer = default_layer(name)
        assert layer["type"] == name
        assert layer_summary(layer).startswith(name)
        assert set(layer) - {"type"} <= {a.name for a in block.args}
