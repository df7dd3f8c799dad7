"""Shape rules and builders of the block types (the bodies behind :data:`studio.core.model.blocks.REGISTRY`).

A shape rule maps one sample's input shape (no batch axis) and the layer's resolved
arguments to ``(output shape, parameters, MACs)`` in pure Python, exactly as PyTorch would
compute them (``tests/core/test_shapes_property.py`` checks that against real forward
passes), or raises :class:`LayerShapeError`. A builder makes the ``torch.nn`` module; torch
is imported only when a builder runs.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from studio.core.base.i18n import tr

Shape = tuple[int, ...]
ShapeRule = Callable[[Shape, dict[str, Any]], tuple[Shape, int, int]]
Builder = Callable[[Shape, dict[str, Any]], Any]


class LayerShapeError(ValueError):
    """A layer cannot take its input shape; :mod:`shapes` adds the layer's index."""


# --------------------------------------------------------------------------- helpers


def pair(v: Any) -> tuple[int, int]:
    """An int or [h, w] as a (h, w) tuple."""
    if isinstance(v, (list, tuple)):
        return int(v[0]), int(v[1])
    return int(v), int(v)


def need_chw(name: str, s: Shape) -> tuple[int, int, int]:
    """The (C, H, W) of an image-shaped input, else a :class:`LayerShapeError` naming ``name``."""
    if len(s) != 3:
        raise LayerShapeError(
            tr(
                "{name} needs an image-shaped input (channels, height, width), got {shape}; "
                "remove the Flatten/Linear before it or move this layer up",
                name=name,
                shape=fmt_shape(s),
            )
        )
    return s[0], s[1], s[2]


def fmt_shape(s: Shape) -> str:
    """``3x28x28`` for error messages."""
    return "x".join(str(v) for v in s) if s else "a scalar"


def conv_out(size: int, k: int, s: int, p: int, d: int = 1, ceil: bool = False) -> int:
    """The lecture's output-size formula O = floor((I + 2P - D(K-1) - 1) / S) + 1.

    With ``ceil`` (pooling's ``ceil_mode``) the division rounds up, but the last window must
    start inside the input or its left padding, exactly as PyTorch does.
    """
    eff = size + 2 * p - d * (k - 1) - 1
    out = (eff + (s - 1 if ceil else 0)) // s + 1  # floor division, as PyTorch's div_rtn
    if ceil and (out - 1) * s >= size + p:
        out -= 1
    return max(out, 0)


def _formula(i: int, k: int, s: int, p: int, d: int, ceil: bool = False) -> str:
    """One axis of the output-size formula filled in with the layer's numbers, and its result."""
    op = "ceil" if ceil else "floor"
    dk = f"{d}·({k}-1)" if d != 1 else f"({k}-1)"
    eff = i + 2 * p - d * (k - 1) - 1
    raw = (eff + (s - 1 if ceil else 0)) // s + 1
    o = conv_out(i, k, s, p, d, ceil)
    text = f"O = {op}(({i} + 2·{p} - {dk} - 1) / {s}) + 1 = {raw}"
    if o != raw and raw > 0:
        text += tr(" - 1 = {o} (the last window would start past the input)", o=o)
    if o < 1:
        text += tr(" (less than 1: the window does not fit the input)")
    return text


def _same_formula(i: int, k: int, d: int) -> str:
    total = d * (k - 1)
    return tr(
        'padding "same" adds D(K-1) = {d}·({k}-1) = {total} zeros ({before} before, {after} after), '
        "so O = I = {i}",
        d=d,
        k=k,
        total=total,
        before=total // 2,
        after=total - total // 2,
        i=i,
    )


def explain_window(name: str) -> Callable[[Shape, dict[str, Any]], str]:
    """The output-size explanation of a convolution or pooling layer, with its own numbers."""

    def explain(in_shape: Shape, a: dict[str, Any]) -> str:
        if len(in_shape) != 3:
            return tr("{name} needs a (C, H, W) input.", name=name)
        kh, kw = pair(a["kernel_size"])
        sh, sw = pair(a.get("stride") or a["kernel_size"])
        dh, dw = pair(a.get("dilation", 1))
        ceil = bool(a.get("ceil_mode", False))
        head = (
            tr("Output size O = floor((I + 2P - D(K-1) - 1) / S) + 1 (ceil instead of floor: ceil_mode)")
            if ceil
            else tr("Output size O = floor((I + 2P - D(K-1) - 1) / S) + 1")
        )
        if a.get("padding") == "same":
            height, width = _same_formula(in_shape[1], kh, dh), _same_formula(in_shape[2], kw, dw)
        else:
            ph, pw = (0, 0) if a.get("padding") == "valid" else pair(a.get("padding", 0))
            height = _formula(in_shape[1], kh, sh, ph, dh, ceil)
            width = _formula(in_shape[2], kw, sw, pw, dw, ceil)
        return "\n".join(
            (head, tr("height: {formula}", formula=height), tr("width:  {formula}", formula=width))
        )

    return explain


# --------------------------------------------------------------------------- shape rules


def conv_shape(s: Shape, a: dict[str, Any]) -> tuple[Shape, int, int]:
    """Conv2d: output shape, parameters and MACs (padding "same"/"valid", dilation, groups)."""
    c, h, w = need_chw("Conv2d", s)
    kh, kw = pair(a["kernel_size"])
    sh, sw = pair(a["stride"])
    dh, dw = pair(a["dilation"])
    g = a["groups"]
    out_c = a["out_channels"]
    if c % g or out_c % g:
        raise LayerShapeError(
            tr(
                "groups={groups} must divide both the input channels ({c}) and out_channels ({out_c})",
                groups=g,
                c=c,
                out_c=out_c,
            )
        )
    if a["padding"] == "same":
        if (sh, sw) != (1, 1):
            raise LayerShapeError(tr('padding="same" only works with stride 1; use a number instead'))
        oh, ow = h, w
    else:
        ph, pw = (0, 0) if a["padding"] == "valid" else pair(a["padding"])
        oh, ow = conv_out(h, kh, sh, ph, dh), conv_out(w, kw, sw, pw, dw)
        if oh < 1 or ow < 1:
            raise LayerShapeError(
                tr(
                    "the kernel {kernel} (dilation {dilation}) is larger than its padded input "
                    "{padded}; use a smaller kernel, more padding, or remove a pooling "
                    "layer above",
                    kernel=f"{kh}x{kw}",
                    dilation=f"{dh}x{dw}",
                    padded=f"{h + 2 * ph}x{w + 2 * pw}",
                )
            )
    weights = out_c * (c // g) * kh * kw
    params = weights + (out_c if a["bias"] else 0)
    return (out_c, oh, ow), params, weights * oh * ow


def pool_shape(name: str, s: Shape, a: dict[str, Any]) -> tuple[Shape, int, int]:
    """MaxPool2d/AvgPool2d: output shape (ceil_mode as PyTorch), no parameters."""
    c, h, w = need_chw(name, s)
    kh, kw = pair(a["kernel_size"])
    sh, sw = pair(a["stride"] if a["stride"] is not None else a["kernel_size"])
    ph, pw = pair(a["padding"])
    dh, dw = pair(a.get("dilation", 1))
    if ph > kh // 2 or pw > kw // 2:  # PyTorch's rule, for max pooling whatever the dilation
        raise LayerShapeError(
            tr(
                "padding {padding} must be at most half the kernel size {kernel}",
                padding=f"{ph}x{pw}",
                kernel=f"{kh}x{kw}",
            )
        )
    oh = conv_out(h, kh, sh, ph, dh, a["ceil_mode"])
    ow = conv_out(w, kw, sw, pw, dw, a["ceil_mode"])
    if oh < 1 or ow < 1:
        raise LayerShapeError(
            tr(
                "the pooling window {kernel} is larger than its input {size}; use a smaller "
                "kernel or remove a pooling/stride layer above",
                kernel=f"{kh}x{kw}",
                size=f"{h}x{w}",
            )
        )
    return (c, oh, ow), 0, c * oh * ow * kh * kw


def adaptive_shape(name: str) -> ShapeRule:
    """Adaptive pooling: any input down (or up) to ``output_size``."""

    def rule(s: Shape, a: dict[str, Any]) -> tuple[Shape, int, int]:
        c, h, w = need_chw(name, s)
        oh, ow = pair(a["output_size"])
        return (c, oh, ow), 0, c * h * w

    return rule


def bn_shape(dims: int) -> ShapeRule:
    """BatchNorm1d/2d: the same shape, 2 parameters per channel when affine."""

    def rule(s: Shape, a: dict[str, Any]) -> tuple[Shape, int, int]:
        if dims == 2:
            need_chw("BatchNorm2d", s)
        elif len(s) not in (1, 2):
            raise LayerShapeError(
                tr(
                    "BatchNorm1d needs a flat (features) input, got {shape}; put a Flatten "
                    "before it or use BatchNorm2d",
                    shape=fmt_shape(s),
                )
            )
        return s, (2 * s[0] if a["affine"] else 0), math.prod(s)

    return rule


def same_shape(s: Shape, a: dict[str, Any]) -> tuple[Shape, int, int]:
    """Element-wise layers (activations, dropout): the same shape, no parameters."""
    return s, 0, math.prod(s)


def dropout2d_shape(s: Shape, a: dict[str, Any]) -> tuple[Shape, int, int]:
    """Dropout2d: an image-shaped input only (PyTorch deprecates the rest)."""
    need_chw("Dropout2d", s)
    return s, 0, 0


def flatten_shape(s: Shape, a: dict[str, Any]) -> tuple[Shape, int, int]:
    """Flatten: one vector of all the input's values."""
    return (math.prod(s),), 0, 0


def linear_shape(s: Shape, a: dict[str, Any]) -> tuple[Shape, int, int]:
    """Linear: a flat input only (docs/project-format.md: never on an image-shaped tensor)."""
    if len(s) != 1:
        raise LayerShapeError(
            tr(
                "Linear needs a flat input but gets {shape}; add a Flatten (or "
                "AdaptiveAvgPool2d then Flatten) before it",
                shape=fmt_shape(s),
            )
        )
    n_in, n_out = s[0], a["out_features"]
    return (n_out,), n_in * n_out + (n_out if a["bias"] else 0), n_in * n_out


def resblock_shape(expansion: int) -> ShapeRule:
    """BasicBlock (expansion 1) / Bottleneck (expansion 4), as torchvision counts them."""

    def rule(s: Shape, a: dict[str, Any]) -> tuple[Shape, int, int]:
        name = "BasicBlock" if expansion == 1 else "Bottleneck"
        c, h, w = need_chw(name, s)
        planes, stride = a["out_channels"], a["stride"]
        oh, ow = conv_out(h, 3, stride, 1), conv_out(w, 3, stride, 1)
        out_c = planes * expansion
        if expansion == 1:
            params = c * planes * 9 + planes * planes * 9 + 4 * planes
            macs = (c * planes * 9 + planes * planes * 9) * oh * ow
        else:
            g = a["groups"]
            width = int(planes * (a["base_width"] / 64.0)) * g  # torchvision's own formula
            if width < 1:
                raise LayerShapeError(
                    tr(
                        "the block width out_channels x base_width / 64 = {planes} x "
                        "{base_width} / 64 rounds down to 0; raise out_channels or "
                        "base_width",
                        planes=planes,
                        base_width=a["base_width"],
                    )
                )
            params = c * width + width * (width // g) * 9 + width * out_c + 4 * width + 2 * out_c
            macs = c * width * h * w + (width * (width // g) * 9 + width * out_c) * oh * ow
        if stride != 1 or c != out_c:
            params += c * out_c + 2 * out_c
            macs += c * out_c * oh * ow
        return (out_c, oh, ow), params, macs

    return rule


def vgg_shape(s: Shape, a: dict[str, Any]) -> tuple[Shape, int, int]:
    """VGGBlock: ``convs`` 3x3 convolutions (padding 1), then 2x2 max pooling."""
    c, h, w = need_chw("VGGBlock", s)
    out_c, n = a["out_channels"], a["convs"]
    params = macs = 0
    for _ in range(n):
        params += c * out_c * 9 + out_c + (2 * out_c if a["batch_norm"] else 0)
        macs += c * out_c * 9 * h * w
        c = out_c
    if h < 2 or w < 2:
        raise LayerShapeError(
            tr(
                "VGGBlock ends with a 2x2 max pooling but its input is only {size}; remove "
                "a block above or use larger images",
                size=f"{h}x{w}",
            )
        )
    return (out_c, h // 2, w // 2), params, macs


# --------------------------------------------------------------------------- builders


def nn_module() -> Any:
    """``torch.nn``, imported on first use so that shape inference never loads torch."""
    import torch.nn as nn

    return nn


def _padding_arg(a: dict[str, Any]) -> Any:
    p = a["padding"]
    return tuple(p) if isinstance(p, list) else p


def _size_arg(v: Any) -> Any:
    return tuple(v) if isinstance(v, list) else v


def build_conv(s: Shape, a: dict[str, Any]) -> Any:
    """The ``nn.Conv2d`` of a layer."""
    return nn_module().Conv2d(
        s[0],
        a["out_channels"],
        _size_arg(a["kernel_size"]),
        stride=_size_arg(a["stride"]),
        padding=_padding_arg(a),
        dilation=_size_arg(a["dilation"]),
        groups=a["groups"],
        bias=a["bias"],
    )


def build_maxpool(s: Shape, a: dict[str, Any]) -> Any:
    """The ``nn.MaxPool2d`` of a layer."""
    return nn_module().MaxPool2d(
        _size_arg(a["kernel_size"]),
        stride=_size_arg(a["stride"]),
        padding=_size_arg(a["padding"]),
        dilation=_size_arg(a["dilation"]),
        ceil_mode=a["ceil_mode"],
    )


def build_avgpool(s: Shape, a: dict[str, Any]) -> Any:
    """The ``nn.AvgPool2d`` of a layer."""
    return nn_module().AvgPool2d(
        _size_arg(a["kernel_size"]),
        stride=_size_arg(a["stride"]),
        padding=_size_arg(a["padding"]),
        ceil_mode=a["ceil_mode"],
        count_include_pad=a["count_include_pad"],
    )


def build_resblock(expansion: int) -> Builder:
    """torchvision's BasicBlock/Bottleneck with the downsample its ResNet._make_layer adds."""

    def build(s: Shape, a: dict[str, Any]) -> Any:
        from torchvision.models.resnet import BasicBlock, Bottleneck, conv1x1

        nn = nn_module()
        c, planes, stride = s[0], a["out_channels"], a["stride"]
        downsample = None
        if stride != 1 or c != planes * expansion:  # exactly torchvision's ResNet._make_layer rule
            downsample = nn.Sequential(
                conv1x1(c, planes * expansion, stride), nn.BatchNorm2d(planes * expansion)
            )
        if expansion == 1:
            return BasicBlock(c, planes, stride, downsample)
        return Bottleneck(c, planes, stride, downsample, groups=a["groups"], base_width=a["base_width"])

    return build


def build_vgg(s: Shape, a: dict[str, Any]) -> Any:
    """A VGGBlock as an ``nn.Sequential``."""
    nn = nn_module()
    layers: list[Any] = []
    c = s[0]
    for _ in range(a["convs"]):
        layers.append(nn.Conv2d(c, a["out_channels"], 3, padding=1))
        if a["batch_norm"]:
            layers.append(nn.BatchNorm2d(a["out_channels"]))
        layers.append(nn.ReLU(inplace=True))
        c = a["out_channels"]
    layers.append(nn.MaxPool2d(2, 2))
    return nn.Sequential(*layers)


def simple_builder(cls_name: str, *arg_names: str) -> Builder:
    """A builder for a ``torch.nn`` class whose arguments are the layer's, unchanged."""

    def build(s: Shape, a: dict[str, Any]) -> Any:
        return getattr(nn_module(), cls_name)(**{k: _size_arg(a[k]) for k in arg_names})

    return build
