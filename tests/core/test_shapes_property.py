"""Property test: the analytic shape inference agrees with PyTorch on random stacks.

Hypothesis draws random stacks of registry blocks (random types and arguments, small sizes,
square and non-square inputs). For each stack, either

* :func:`studio.core.model.shapes.analyze` finds no error, and every layer's output shape and
  parameter count equals a real forward pass through :func:`studio.core.model.builder.build_stack`'s
  module, or
* PyTorch fails too, and :class:`ShapeError` names the same first failing layer (found by
  building and running the layers one at a time).

A layer counts as failing in PyTorch when construction or forward raises, or when PyTorch
warns that the input is deprecated/wrong (e.g. ``Dropout2d`` on a flat vector, which PyTorch
says will become an error), or when the output lost the batch axis. One rule is stricter than PyTorch on purpose, as docs/project-format.md
asks: a ``Linear`` on an image-shaped (C, H, W) input is an error (PyTorch would silently
apply it to the last axis only).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studio.core.model.blocks import REGISTRY, Arg
from studio.core.model.builder import build_stack, layer_name
from studio.core.model.shapes import analyze

# small ranges keep every forward pass tiny; the rules do not depend on the magnitudes
SMALL: dict[str, tuple[int, int]] = {
    "out_channels": (1, 6),
    "out_features": (1, 12),
    "kernel_size": (1, 5),
    "stride": (1, 3),
    "padding": (0, 3),
    "dilation": (1, 3),
    "groups": (1, 3),
    "output_size": (1, 4),
    "convs": (1, 2),
    "ch1x1": (1, 4),
    "ch3x3red": (1, 4),
    "ch3x3": (1, 4),
    "ch5x5red": (1, 4),
    "ch5x5": (1, 4),
    "pool_proj": (1, 4),
    "reduction": (1, 8),
    "squeeze_channels": (0, 4),
}


def _int(arg: Arg) -> st.SearchStrategy[int]:
    if arg.name == "base_width":
        return st.sampled_from([8, 16, 32, 64, 96])
    lo, hi = SMALL.get(arg.name, (int(arg.min or 0), int(arg.min or 0) + 3))
    lo = max(lo, int(arg.min)) if arg.min is not None else lo
    hi = min(hi, int(arg.max)) if arg.max is not None else hi
    return st.integers(lo, hi)


def _value(arg: Arg) -> st.SearchStrategy[Any]:
    size = st.one_of(_int(arg), st.lists(_int(arg), min_size=2, max_size=2))
    if arg.kind == "int":
        return _int(arg)
    if arg.kind == "int_choice":
        return st.sampled_from([int(c) for c in arg.choices])
    if arg.name == "expand_ratio":  # MBConv: the ratios EfficientNet uses, and one that rounds
        return st.sampled_from([1.0, 2.5, 4.0, 6.0])
    if arg.kind == "float":
        return st.floats(arg.min or 0.0, min(arg.max if arg.max is not None else 1.0, 1.0))
    if arg.kind == "bool":
        return st.booleans()
    if arg.kind == "choice":
        return st.sampled_from(arg.choices)
    if arg.kind == "padding":
        return st.one_of(size, st.sampled_from(["same", "valid"]))
    if arg.kind == "optional_size":
        return st.one_of(st.none(), size)
    return size


BRANCH_TYPES = [
    "Inception",
    "MBConv",
    "SqueezeExcitation",
    "DepthwiseSeparableConv2d",
    "Conv2d",
    "MaxPool2d",
    "Flatten",
]


@st.composite
def layers_st(draw: st.DrawFn, types: tuple[str, ...] = tuple(sorted(REGISTRY))) -> dict[str, Any]:
    """One random layer: a registry type with a random subset of its arguments set."""
    block = REGISTRY[draw(st.sampled_from(types))]
    layer: dict[str, Any] = {"type": block.name}
    for arg in block.args:
        # widths are always drawn small (defaults such as Bottleneck's 64 -> 256 are slow to run)
        if arg.name in ("out_channels", "out_features") or draw(st.booleans()):
            layer[arg.name] = draw(_value(arg))
    return layer


@pytest.fixture(autouse=True, scope="module")
def _one_thread() -> Iterator[None]:
    """Thousands of tiny ops: thread start-up would cost more than the work on shared cores."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


stacks = st.lists(layers_st(), min_size=1, max_size=6)
inputs = st.tuples(st.integers(1, 4), st.integers(1, 12), st.integers(1, 12))


def _torch_layer(layer: dict[str, Any], in_shape: tuple[int, ...]) -> tuple[tuple[int, ...], int] | None:
    """Build and run one layer on its own; (output shape, params), or None if PyTorch refuses."""
    block = REGISTRY[layer["type"]]
    if layer["type"] == "Linear" and len(in_shape) != 1:
        return None  # docs/project-format.md: a Linear before Flatten on a 4-D tensor is an invalid design
    with warnings.catch_warnings():
        # PyTorch saying the input is deprecated/misread counts as a failure; a perf hint does not
        warnings.filterwarnings("error", message=".*(deprecated|will result in an error)")
        try:
            module = block.build(in_shape, block.resolve(layer)).eval()
            with torch.no_grad():
                out = module(torch.randn(2, *in_shape))
        except Exception:
            return None
    if out.shape[0] != 2:
        return None  # PyTorch mistook the batch axis for a feature axis (AdaptiveAvgPool2d on 2-D)
    return tuple(out.shape[1:]), sum(p.numel() for p in module.parameters())


@pytest.mark.filterwarnings(
    "ignore:Initializing zero-element tensors", "ignore:Using padding='same'", "ignore:dropout2d"
)
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stack=stacks, in_shape=inputs)
def test_analytic_shapes_match_pytorch(stack: list[dict[str, Any]], in_shape: tuple[int, int, int]) -> None:
    _check_against_pytorch(stack, in_shape)


@pytest.mark.filterwarnings("ignore:Initializing zero-element tensors", "ignore:Using padding='same'")
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stack=st.lists(layers_st(tuple(BRANCH_TYPES)), min_size=1, max_size=5), in_shape=inputs)
def test_branch_blocks_match_pytorch(stack: list[dict[str, Any]], in_shape: tuple[int, int, int]) -> None:
    """The blocks with branches (Inception, MBConv, SE, depthwise-separable) drawn far more often."""
    _check_against_pytorch(stack, in_shape)


def _check_against_pytorch(stack: list[dict[str, Any]], in_shape: tuple[int, int, int]) -> None:
    torch.manual_seed(0)
    summary = analyze(stack, in_shape)

    # PyTorch, one layer at a time: the first layer it refuses
    torch_rows: list[tuple[tuple[int, ...], int]] = []
    shape: tuple[int, ...] = in_shape
    first_failure: int | None = None
    for index, layer in enumerate(stack):
        row = _torch_layer(layer, shape)
        if row is None:
            first_failure = index
            break
        torch_rows.append(row)
        shape = row[0]

    analytic_rows = [(info.output_shape, info.params) for info in summary.layers]
    if summary.error is None:
        assert first_failure is None, f"analytic accepts the stack, PyTorch refuses layer {first_failure}"
        assert analytic_rows == torch_rows
        model = build_stack(stack, in_shape).eval()
        assert [name for name, _ in model.named_children()] == [
            layer_name(i, layer["type"]) for i, layer in enumerate(stack)
        ]
        with torch.no_grad():
            out = model(torch.randn(2, *in_shape))
        assert tuple(out.shape[1:]) == summary.output_shape
        assert sum(p.numel() for p in model.parameters()) == summary.total_params
    else:
        assert first_failure is not None, (
            f"analytic refuses layer {summary.error.layer} ({summary.error.message}), PyTorch accepts it"
        )
        assert summary.error.layer == first_failure, summary.error.message
        assert analytic_rows == torch_rows  # every layer above the failing one agrees
