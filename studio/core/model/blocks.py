"""The one registry of block types.

Every place that needs to know about a layer type reads :data:`REGISTRY`: the palette and the
property editor (groups, arguments, ranges, help texts), the shape inference
(:mod:`studio.core.model.shapes`), the model builder (:mod:`studio.core.model.builder`), validation of
project files and the Python exporter. Adding a block type is one :class:`BlockType` entry.

Shape rules (in :mod:`studio.core.model.block_rules`) are pure Python so that the designer can
recompute a whole stack on every key press without importing torch; builders import torch
lazily.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from studio.core.base.errors import ProjectError
from studio.core.base.i18n import tr
from studio.core.base.validate import describe_value, require_bool, require_choice, require_float, require_int
from studio.core.model.block_rules import (
    Builder,
    LayerShapeError,
    Shape,
    ShapeRule,
    adaptive_shape,
    bn_shape,
    build_avgpool,
    build_conv,
    build_maxpool,
    build_resblock,
    build_vgg,
    conv_out,
    conv_shape,
    dropout2d_shape,
    explain_window,
    flatten_shape,
    linear_shape,
    nn_module,
    pair,
    pool_shape,
    resblock_shape,
    same_shape,
    simple_builder,
    vgg_shape,
)
from studio.core.model.branch_rules import (
    build_dwsep,
    build_inception,
    build_mbconv,
    build_se,
    dwsep_shape,
    explain_branches,
    inception_shape,
    mbconv_shape,
    se_shape,
)

__all__ = [
    "REGISTRY",
    "GROUPS",
    "Arg",
    "BlockType",
    "LayerShapeError",
    "Shape",
    "conv_out",
    "pair",
    "default_layer",
    "layer_summary",
    "validate_layer",
    "validate_layer_at",
]

META_KEYS = ("type", "name", "comment")
NEVER_WRITTEN = ("in_channels", "in_features", "num_features", "inplanes")


@dataclass(frozen=True)
class Arg:
    """One argument of a block: its JSON type, default, allowed values and an explanation.

    ``kind`` is one of ``int``, ``int_choice`` (an int out of ``choices``, e.g. MBConv's
    kernel 3 or 5), ``float``, ``bool``, ``choice``, ``size`` (an int or an ``[h, w]`` pair),
    ``padding`` (a size or ``"same"``/``"valid"``) and ``optional_size`` (a size or null).
    """

    name: str
    kind: str
    default: Any
    help: str
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] = ()
    key: bool = False  # shown in the stack row's one-line summary

    def validate(self, value: Any, path: str) -> Any:
        """Return ``value`` if allowed, else raise :class:`ProjectError` at ``path``."""
        if self.kind == "int":
            return self._int(value, path)
        if self.kind == "int_choice":
            allowed = [int(c) for c in self.choices]
            if isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
                raise ProjectError(
                    path,
                    tr(
                        "must be one of {allowed}, got {value}",
                        allowed=", ".join(map(str, allowed)),
                        value=describe_value(value),
                    ),
                )
            return value
        if self.kind == "float":
            require_float(value, path, self.min, self.max)
            return value  # unchanged: the layer dict round-trips as written
        if self.kind == "bool":
            return require_bool(value, path)
        if self.kind == "choice":
            return require_choice(value, path, tuple(self.choices))
        if self.kind == "optional_size" and value is None:
            return value
        if self.kind == "padding" and isinstance(value, str):
            if value not in ("same", "valid"):
                raise ProjectError(
                    path,
                    tr(
                        'must be an integer, [h, w], "same" or "valid", got {value}',
                        value=describe_value(value),
                    ),
                )
            return value
        if isinstance(value, list):
            if len(value) != 2:
                raise ProjectError(
                    path, tr("must be an integer or a pair [h, w], got {value}", value=describe_value(value))
                )
            for i, v in enumerate(value):
                self._int(v, f"{path}[{i}]")
            return value
        return self._int(value, path)

    def _int(self, value: Any, path: str) -> int:
        """An integer argument: strictly a JSON integer (``3.0`` is refused: the layer dict
        reaches PyTorch as written), within the argument's bounds."""
        if isinstance(value, float):
            raise ProjectError(path, tr("must be an integer, got {value}", value=describe_value(value)))
        lo = None if self.min is None else math.ceil(self.min)
        hi = None if self.max is None else math.floor(self.max)
        return require_int(value, path, lo, hi)


@dataclass(frozen=True)
class BlockType:
    """A layer type: where it sits in the palette, its arguments, shape rule and builder.

    ``shape(in_shape, args)`` returns ``(out_shape, params, macs)`` for one sample (no batch
    dimension) or raises :class:`LayerShapeError`; ``build(in_shape, args)`` returns the
    ``torch.nn.Module``. Both receive ``args`` with defaults filled in.
    """

    name: str
    group: str
    help: str
    args: tuple[Arg, ...]
    shape: ShapeRule
    build: Builder
    explain: Callable[[Shape, dict[str, Any]], str] | None = None
    extra_doc: str = field(default="")

    def arg(self, name: str) -> Arg:
        """The argument called ``name``."""
        for a in self.args:
            if a.name == name:
                return a
        raise KeyError(name)

    def resolve(self, layer: dict[str, Any]) -> dict[str, Any]:
        """The layer's arguments with defaults filled in (meta keys dropped)."""
        return {a.name: layer.get(a.name, a.default) for a in self.args}


# --------------------------------------------------------------------------- the registry

_K = (
    "the kernel (filter) is a KxK window of weights slid over the input; each output value is one dot product"
)
_S = "how many pixels the window moves each step; stride 2 halves the feature map"
_P = "zeros added around the border; padding (K-1)/2 keeps the size at stride 1"
_D = "spacing between kernel taps; dilation 2 widens a 3x3 kernel's view to 5x5 with no extra weights"


def _conv_args() -> tuple[Arg, ...]:
    return (
        Arg(
            "out_channels",
            "int",
            32,
            "number of filters; each one produces one output feature map",
            1,
            8192,
            key=True,
        ),
        Arg("kernel_size", "size", 3, _K, 1, 31, key=True),
        Arg("stride", "size", 1, _S, 1, 16),
        Arg("padding", "padding", 0, _P + '; "same" keeps the size (stride 1 only)', 0, 64),
        Arg("dilation", "size", 1, _D, 1, 16),
        Arg(
            "groups",
            "int",
            1,
            "split channels into groups convolved separately (groups = in = out is depthwise)",
            1,
            8192,
        ),
        Arg("bias", "bool", True, "learn one offset per filter; usually off when BatchNorm follows"),
    )


def _pool_args(kind: str) -> tuple[Arg, ...]:
    args = [
        Arg(
            "kernel_size",
            "size",
            2,
            f"the pooling window; each output is the {kind} of a KxK patch",
            1,
            31,
            key=True,
        ),
        Arg("stride", "optional_size", None, _S + " (default: the kernel size)", 1, 31, key=True),
        Arg("padding", "size", 0, "padding around the border; at most half the kernel", 0, 15),
    ]
    if kind == "maximum":
        args.append(Arg("dilation", "size", 1, _D, 1, 16))
    args.append(Arg("ceil_mode", "bool", False, "round the output size up instead of down"))
    if kind == "average":
        args.append(Arg("count_include_pad", "bool", True, "count padded zeros in the average"))
    return tuple(args)


def _act(name: str, help_text: str, *args: Arg) -> BlockType:
    return BlockType(
        name, "Activation", help_text, args, same_shape, simple_builder(name, *(a.name for a in args))
    )


_BLOCKS: list[BlockType] = [
    BlockType(
        "Conv2d",
        "Convolution",
        "2-D convolution: slides out_channels learned KxK filters over the input; each filter "
        "makes one feature map. Parameters = out x in x K x K (+ out biases).",
        _conv_args(),
        conv_shape,
        build_conv,
        explain_window("Conv2d"),
    ),
    BlockType(
        "MaxPool2d",
        "Pooling",
        "Max pooling: keeps the largest value of each window, shrinking the feature maps "
        "and adding a little translation invariance. No parameters.",
        _pool_args("maximum"),
        lambda s, a: pool_shape("MaxPool2d", s, a),
        build_maxpool,
        explain_window("MaxPool2d"),
    ),
    BlockType(
        "AvgPool2d",
        "Pooling",
        "Average pooling: replaces each window by its mean. No parameters.",
        _pool_args("average"),
        lambda s, a: pool_shape("AvgPool2d", s, a),
        build_avgpool,
        explain_window("AvgPool2d"),
    ),
    BlockType(
        "AdaptiveAvgPool2d",
        "Pooling",
        "Averages each feature map down to a fixed size whatever the input size; output 1 is "
        "global average pooling, as in ResNet and GoogLeNet.",
        (Arg("output_size", "size", 1, "the output height and width", 1, 512, key=True),),
        adaptive_shape("AdaptiveAvgPool2d"),
        simple_builder("AdaptiveAvgPool2d", "output_size"),
    ),
    BlockType(
        "AdaptiveMaxPool2d",
        "Pooling",
        "Takes the maximum of each feature map region down to a fixed output size.",
        (Arg("output_size", "size", 1, "the output height and width", 1, 512, key=True),),
        adaptive_shape("AdaptiveMaxPool2d"),
        simple_builder("AdaptiveMaxPool2d", "output_size"),
    ),
    BlockType(
        "BatchNorm2d",
        "Normalization",
        "Normalises each channel over the batch, then scales and shifts it (2 parameters per "
        "channel). Speeds up and stabilises training.",
        (
            Arg("eps", "float", 1e-5, "added to the variance for numerical stability", 0.0, 1.0),
            Arg("momentum", "float", 0.1, "how fast the running statistics follow the batches", 0.0, 1.0),
            Arg("affine", "bool", True, "learn a scale and shift per channel"),
        ),
        bn_shape(2),
        lambda s, a: nn_module().BatchNorm2d(s[0], eps=a["eps"], momentum=a["momentum"], affine=a["affine"]),
    ),
    BlockType(
        "BatchNorm1d",
        "Normalization",
        "Batch normalisation for flat feature vectors (after Flatten or Linear).",
        (
            Arg("eps", "float", 1e-5, "added to the variance for numerical stability", 0.0, 1.0),
            Arg("momentum", "float", 0.1, "how fast the running statistics follow the batches", 0.0, 1.0),
            Arg("affine", "bool", True, "learn a scale and shift per feature"),
        ),
        bn_shape(1),
        lambda s, a: nn_module().BatchNorm1d(s[0], eps=a["eps"], momentum=a["momentum"], affine=a["affine"]),
    ),
    _act(
        "ReLU",
        "max(0, x): the standard non-linearity; without one, stacked layers collapse into one linear map.",
    ),
    _act(
        "LeakyReLU",
        "Like ReLU but lets a small slope through for negative inputs.",
        Arg("negative_slope", "float", 0.01, "slope for x < 0", 0.0, 1.0, key=True),
    ),
    _act(
        "GELU",
        "Smooth ReLU used by transformers and ConvNeXt.",
        Arg(
            "approximate", "choice", "none", "tanh approximation or the exact form", choices=("none", "tanh")
        ),
    ),
    _act("SiLU", "x * sigmoid(x) (Swish), used by EfficientNet."),
    _act("Sigmoid", "Squashes values into (0, 1)."),
    _act("Tanh", "Squashes values into (-1, 1); LeNet-5's original activation."),
    BlockType(
        "Dropout",
        "Regularization",
        "Zeroes a random fraction p of values while training, so the network cannot rely on "
        "any single one. Inactive at evaluation.",
        (Arg("p", "float", 0.5, "probability of zeroing each value", 0.0, 1.0, key=True),),
        same_shape,
        simple_builder("Dropout", "p"),
    ),
    BlockType(
        "Dropout2d",
        "Regularization",
        "Drops whole feature maps (channels) at random while training.",
        (Arg("p", "float", 0.5, "probability of zeroing each channel", 0.0, 1.0, key=True),),
        dropout2d_shape,
        simple_builder("Dropout2d", "p"),
    ),
    BlockType(
        "Flatten",
        "Dense",
        "Unrolls the C x H x W feature maps into one vector so that Linear layers can follow.",
        (),
        flatten_shape,
        lambda s, a: nn_module().Flatten(),
    ),
    BlockType(
        "Linear",
        "Dense",
        "Fully connected layer: every output is a weighted sum of all inputs. Parameters = "
        "in x out (+ out biases). The last one gives one score per class.",
        (
            Arg(
                "out_features",
                "int",
                10,
                "number of outputs (the class count for the last layer)",
                1,
                1_000_000,
                key=True,
            ),
            Arg("bias", "bool", True, "learn one offset per output"),
        ),
        linear_shape,
        lambda s, a: nn_module().Linear(s[0], a["out_features"], bias=a["bias"]),
    ),
    BlockType(
        "BasicBlock",
        "Blocks",
        "ResNet's basic residual block (ResNet-18/34): two 3x3 convolutions with BatchNorm, "
        "plus a skip connection that adds the input back; a 1x1 convolution matches the "
        "shapes when they change.",
        (
            Arg("out_channels", "int", 64, "channels of both 3x3 convolutions", 1, 8192, key=True),
            Arg("stride", "int", 1, "stride of the first convolution; 2 halves the size", 1, 4, key=True),
        ),
        resblock_shape(1),
        build_resblock(1),
    ),
    BlockType(
        "Bottleneck",
        "Blocks",
        "ResNet's bottleneck block (ResNet-50+): 1x1 reduce, 3x3, 1x1 expand x4, with a skip "
        "connection. out_channels is the width before the 4x expansion.",
        (
            Arg("out_channels", "int", 64, "bottleneck width; the block outputs 4x this", 1, 8192, key=True),
            Arg("stride", "int", 1, "stride of the 3x3 convolution; 2 halves the size", 1, 4, key=True),
            Arg("groups", "int", 1, "grouped 3x3 convolution (ResNeXt)", 1, 256),
            Arg("base_width", "int", 64, "width per group (Wide ResNet uses 128)", 1, 1024),
        ),
        resblock_shape(4),
        build_resblock(4),
    ),
    BlockType(
        "VGGBlock",
        "Blocks",
        "VGGNet's building block: n 3x3 convolutions (padding 1) with ReLU, then 2x2 max "
        "pooling that halves the size.",
        (
            Arg("out_channels", "int", 64, "channels of every convolution in the block", 1, 8192, key=True),
            Arg("convs", "int", 2, "number of 3x3 convolutions", 1, 8, key=True),
            Arg("batch_norm", "bool", False, "BatchNorm after each convolution (VGG-BN)"),
        ),
        vgg_shape,
        build_vgg,
    ),
    BlockType(
        "Inception",
        "Blocks",
        "GoogLeNet's inception module: four branches side by side (1x1; 1x1 then 3x3; 1x1 then "
        '"5x5"; 3x3 max pool then 1x1) concatenated along channels. The 1x1 convolutions '
        "first shrink the channels, which makes the wide 3x3 convolutions cheap.",
        (
            Arg("ch1x1", "int", 64, "output channels of branch 1 (a 1x1 convolution)", 1, 4096, key=True),
            Arg(
                "ch3x3red",
                "int",
                96,
                "branch 2's 1x1 reduction: channels fed to its 3x3 convolution",
                1,
                4096,
            ),
            Arg("ch3x3", "int", 128, "output channels of branch 2 (the 3x3 convolution)", 1, 4096, key=True),
            Arg(
                "ch5x5red",
                "int",
                16,
                "branch 3's 1x1 reduction: channels fed to its second convolution",
                1,
                4096,
            ),
            Arg(
                "ch5x5",
                "int",
                32,
                "output channels of branch 3 (torchvision uses a 3x3 kernel here, the paper a 5x5)",
                1,
                4096,
                key=True,
            ),
            Arg(
                "pool_proj",
                "int",
                32,
                "output channels of branch 4 (1x1 convolution after the 3x3 max pool)",
                1,
                4096,
                key=True,
            ),
        ),
        inception_shape,
        build_inception,
        explain_branches("Inception"),
    ),
    BlockType(
        "MBConv",
        "Blocks",
        "EfficientNet's inverted residual: a 1x1 convolution widens the channels (expand_ratio), "
        "a cheap depthwise KxK convolution filters each channel, squeeze-and-excitation reweighs "
        "them, and a 1x1 convolution projects back down; the input is added back when the shape "
        "is unchanged.",
        (
            Arg("out_channels", "int", 16, "channels after the 1x1 projection", 1, 8192, key=True),
            Arg(
                "kernel_size",
                "int_choice",
                3,
                "the depthwise convolution's kernel (3x3 or 5x5)",
                choices=("3", "5"),
                key=True,
            ),
            Arg(
                "stride",
                "int_choice",
                1,
                "stride of the depthwise convolution; 2 halves the size (and removes the skip)",
                choices=("1", "2"),
                key=True,
            ),
            Arg(
                "expand_ratio",
                "float",
                6.0,
                "the hidden width is in_channels x expand_ratio "
                "(rounded to a multiple of 8); 1 skips the expansion",
                1.0,
                16.0,
                key=True,
            ),
            Arg(
                "stochastic_depth",
                "float",
                0.0,
                "probability of skipping the whole block for a "
                "sample while training (only blocks with a skip); 0 turns it off",
                0.0,
                0.95,
            ),
        ),
        mbconv_shape,
        build_mbconv,
        explain_branches("MBConv"),
    ),
    BlockType(
        "SqueezeExcitation",
        "Blocks",
        "Squeeze-and-excitation: global average pooling squeezes each channel to one number, a "
        "tiny two-layer network turns those into 0..1 weights, and every channel is multiplied "
        "by its weight, so the network learns which channels matter for this image.",
        (
            Arg("reduction", "int", 4, "squeeze to in_channels / reduction (at least 1)", 1, 1024, key=True),
            Arg("squeeze_channels", "int", 0, "squeeze width set directly; 0 means use reduction", 0, 8192),
        ),
        se_shape,
        build_se,
        explain_branches("SqueezeExcitation"),
    ),
    BlockType(
        "DepthwiseSeparableConv2d",
        "Convolution",
        "MobileNet's factorised convolution: a KxK depthwise convolution filters each channel on "
        "its own, then a 1x1 pointwise convolution mixes the channels; about K x K times fewer "
        "weights than a full KxK convolution.",
        (
            Arg("out_channels", "int", 64, "channels of the 1x1 pointwise convolution", 1, 8192, key=True),
            Arg(
                "kernel_size",
                "int",
                3,
                "the depthwise kernel; padding (K-1)/2 keeps the size at stride 1",
                1,
                15,
                key=True,
            ),
            Arg("stride", "int", 1, "stride of the depthwise convolution; 2 halves the size", 1, 4, key=True),
        ),
        dwsep_shape,
        build_dwsep,
        explain_branches("DepthwiseSeparableConv2d"),
    ),
]

REGISTRY: dict[str, BlockType] = {b.name: b for b in _BLOCKS}
GROUPS: tuple[str, ...] = (
    "Convolution",
    "Pooling",
    "Normalization",
    "Activation",
    "Regularization",
    "Dense",
    "Blocks",
)


def default_layer(name: str) -> dict[str, Any]:
    """A new layer dict of type ``name`` with its key arguments set to their defaults."""
    block = REGISTRY[name]
    layer: dict[str, Any] = {"type": name}
    for a in block.args:
        if a.key and a.default is not None:
            layer[a.name] = a.default
    return layer


def layer_summary(layer: dict[str, Any]) -> str:
    """A short 'Conv2d 32, k3, p1' label for stack rows."""
    block = REGISTRY.get(str(layer.get("type", "")))
    if block is None:
        return str(layer.get("type", "?"))
    bits = []
    for a in block.args:
        if a.name in layer and (a.key or layer[a.name] != a.default):
            v = layer[a.name]
            v = "x".join(map(str, v)) if isinstance(v, list) else v
            short = {
                "out_channels": "",
                "out_features": "",
                "kernel_size": "k",
                "stride": "s",
                "padding": "p",
                "dilation": "d",
                "groups": "g",
                "output_size": "",
                "expand_ratio": "e",
                "stochastic_depth": "sd=",
            }.get(a.name, a.name + "=")
            bits.append(f"{short}{v}")
    return f"{block.name} " + ", ".join(bits) if bits else block.name


def validate_layer_at(raw: Any, index: int) -> dict[str, Any]:
    """:func:`validate_layer` for ``model.layers[index]``; its error also carries the layer's
    index and type (``ProjectError.layer``/``layer_type``), which the designer marks."""
    try:
        return validate_layer(raw, f"model.layers[{index}]")
    except ProjectError as exc:
        kind = raw.get("type") if isinstance(raw, dict) else None
        exc.layer, exc.layer_type = index, kind[:40] if isinstance(kind, str) else None
        raise


def validate_layer(raw: Any, path: str) -> dict[str, Any]:
    """Check one layer dict against the registry; returns it unchanged (for round-tripping)."""
    if not isinstance(raw, dict):
        raise ProjectError(
            path, tr('must be an object with a "type", got {value}', value=describe_value(raw))
        )
    kind = raw.get("type")
    if not isinstance(kind, str) or kind not in REGISTRY:  # a list or object is unhashable: not a type
        raise ProjectError(
            f"{path}.type",
            tr(
                "unknown layer type {value}; known types: {known}",
                value=describe_value(kind),
                known=", ".join(REGISTRY),
            ),
        )
    block = REGISTRY[kind]
    names = {a.name for a in block.args}
    for key, value in raw.items():
        if key in META_KEYS:
            continue
        if key in NEVER_WRITTEN:
            raise ProjectError(
                f"{path}.{key}", tr("is never written: it follows from the layer before; remove it")
            )
        if key not in names:
            allowed = ", ".join(sorted(names)) or tr("no arguments")
            raise ProjectError(
                f"{path}.{key}",
                tr("is not an argument of {type} (allowed: {allowed})", type=kind, allowed=allowed),
            )
        block.arg(key).validate(value, f"{path}.{key}")
    return raw
