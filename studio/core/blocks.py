"""The one registry of block types.

Every place that needs to know about a layer type reads :data:`REGISTRY`: the palette and the
property editor (groups, arguments, ranges, help texts), the shape inference
(:mod:`studio.core.shapes`), the model builder (:mod:`studio.core.models`), validation of
project files and the Python exporter. Adding a block type is one :class:`BlockType` entry.

Shape rules are pure Python so that the designer can recompute a whole stack on every key
press without importing torch; builders import torch lazily.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from studio.core.project import ProjectError, describe_value

Shape = tuple[int, ...]
META_KEYS = ("type", "name", "comment")
NEVER_WRITTEN = ("in_channels", "in_features", "num_features", "inplanes")


class LayerShapeError(ValueError):
    """A layer cannot take its input shape; :mod:`shapes` adds the layer's index."""


@dataclass(frozen=True)
class Arg:
    """One argument of a block: its JSON type, default, allowed values and an explanation.

    ``kind`` is one of ``int``, ``float``, ``bool``, ``choice``, ``size`` (an int or an
    ``[h, w]`` pair), ``padding`` (a size or ``"same"``/``"valid"``) and ``optional_size``
    (a size or null).
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
            return _check_int(value, path, self.min, self.max)
        if self.kind == "float":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ProjectError(path, f"must be a number, got {describe_value(value)}")
            if self.min is not None and value < self.min:
                raise ProjectError(path, f"must be >= {self.min:g}, got {value:g}")
            if self.max is not None and value > self.max:
                raise ProjectError(path, f"must be <= {self.max:g}, got {value:g}")
            return value
        if self.kind == "bool":
            if not isinstance(value, bool):
                raise ProjectError(path, f"must be true or false, got {describe_value(value)}")
            return value
        if self.kind == "choice":
            if value not in self.choices:
                raise ProjectError(path, "must be one of " + ", ".join(f'"{c}"' for c in self.choices)
                                   + f", got {describe_value(value)}")
            return value
        if self.kind == "optional_size" and value is None:
            return value
        if self.kind == "padding" and isinstance(value, str):
            if value not in ("same", "valid"):
                raise ProjectError(path, f'must be an integer, [h, w], "same" or "valid", got {describe_value(value)}')
            return value
        if isinstance(value, list):
            if len(value) != 2:
                raise ProjectError(path, f"must be an integer or a pair [h, w], got {describe_value(value)}")
            for i, v in enumerate(value):
                _check_int(v, f"{path}[{i}]", self.min, self.max)
            return value
        return _check_int(value, path, self.min, self.max)


def _check_int(value: Any, path: str, lo: float | None, hi: float | None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        kind = "a positive integer" if lo == 1 else "an integer"
        raise ProjectError(path, f"must be {kind}, got {describe_value(value)}")
    if lo is not None and value < lo:
        kind = "a positive integer" if lo == 1 else f"an integer >= {lo:g}"
        raise ProjectError(path, f"must be {kind}, got {value}")
    if hi is not None and value > hi:
        raise ProjectError(path, f"must be at most {hi:g}, got {value}")
    return value


ShapeRule = Callable[[Shape, dict[str, Any]], tuple[Shape, int, int]]
Builder = Callable[[Shape, dict[str, Any]], Any]


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


# --------------------------------------------------------------------------- helpers


def pair(v: Any) -> tuple[int, int]:
    """An int or [h, w] as a (h, w) tuple."""
    if isinstance(v, (list, tuple)):
        return int(v[0]), int(v[1])
    return int(v), int(v)


def _need_chw(name: str, s: Shape) -> tuple[int, int, int]:
    if len(s) != 3:
        raise LayerShapeError(f"{name} needs an image-shaped input (channels, height, width), got "
                              f"{_fmt(s)}; remove the Flatten/Linear before it or move this layer up")
    return s[0], s[1], s[2]


def _fmt(s: Shape) -> str:
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
        text += f" - 1 = {o} (the last window would start past the input)"
    if o < 1:
        text += " (less than 1: the window does not fit the input)"
    return text


def _same_formula(i: int, k: int, d: int) -> str:
    total = d * (k - 1)
    return (f'padding "same" adds D(K-1) = {d}·({k}-1) = {total} zeros ({total // 2} before, '
            f"{total - total // 2} after), so O = I = {i}")


def _explain_window(name: str) -> Callable[[Shape, dict[str, Any]], str]:
    def explain(in_shape: Shape, a: dict[str, Any]) -> str:
        if len(in_shape) != 3:
            return f"{name} needs a (C, H, W) input."
        kh, kw = pair(a["kernel_size"])
        sh, sw = pair(a.get("stride") or a["kernel_size"])
        dh, dw = pair(a.get("dilation", 1))
        ceil = bool(a.get("ceil_mode", False))
        head = ("Output size O = floor((I + 2P - D(K-1) - 1) / S) + 1"
                + (" (ceil instead of floor: ceil_mode)" if ceil else ""))
        if a.get("padding") == "same":
            return (f"{head}\nheight: {_same_formula(in_shape[1], kh, dh)}\n"
                    f"width:  {_same_formula(in_shape[2], kw, dw)}")
        ph, pw = (0, 0) if a.get("padding") == "valid" else pair(a.get("padding", 0))
        return (f"{head}\nheight: {_formula(in_shape[1], kh, sh, ph, dh, ceil)}\n"
                f"width:  {_formula(in_shape[2], kw, sw, pw, dw, ceil)}")
    return explain


# --------------------------------------------------------------------------- shape rules


def _conv_shape(s: Shape, a: dict[str, Any]) -> tuple[Shape, int, int]:
    c, h, w = _need_chw("Conv2d", s)
    kh, kw = pair(a["kernel_size"])
    sh, sw = pair(a["stride"])
    dh, dw = pair(a["dilation"])
    g = a["groups"]
    out_c = a["out_channels"]
    if c % g or out_c % g:
        raise LayerShapeError(f"groups={g} must divide both the input channels ({c}) and "
                              f"out_channels ({out_c})")
    if a["padding"] == "same":
        if (sh, sw) != (1, 1):
            raise LayerShapeError('padding="same" only works with stride 1; use a number instead')
        oh, ow = h, w
    else:
        ph, pw = (0, 0) if a["padding"] == "valid" else pair(a["padding"])
        oh, ow = conv_out(h, kh, sh, ph, dh), conv_out(w, kw, sw, pw, dw)
        if oh < 1 or ow < 1:
            raise LayerShapeError(f"the kernel {kh}x{kw} (dilation {dh}x{dw}) is larger than its "
                                  f"padded input {h + 2 * ph}x{w + 2 * pw}; use a smaller kernel, "
                                  "more padding, or remove a pooling layer above")
    weights = out_c * (c // g) * kh * kw
    params = weights + (out_c if a["bias"] else 0)
    return (out_c, oh, ow), params, weights * oh * ow


def _pool_shape(name: str, s: Shape, a: dict[str, Any]) -> tuple[Shape, int, int]:
    c, h, w = _need_chw(name, s)
    kh, kw = pair(a["kernel_size"])
    sh, sw = pair(a["stride"] if a["stride"] is not None else a["kernel_size"])
    ph, pw = pair(a["padding"])
    dh, dw = pair(a.get("dilation", 1))
    if ph > kh // 2 or pw > kw // 2:  # PyTorch's rule, for max pooling whatever the dilation
        raise LayerShapeError(f"padding {ph}x{pw} must be at most half the kernel size {kh}x{kw}")
    oh = conv_out(h, kh, sh, ph, dh, a["ceil_mode"])
    ow = conv_out(w, kw, sw, pw, dw, a["ceil_mode"])
    if oh < 1 or ow < 1:
        raise LayerShapeError(f"the pooling window {kh}x{kw} is larger than its input {h}x{w}; "
                              "use a smaller kernel or remove a pooling/stride layer above")
    return (c, oh, ow), 0, c * oh * ow * kh * kw


def _adaptive_shape(name: str) -> ShapeRule:
    def rule(s: Shape, a: dict[str, Any]) -> tuple[Shape, int, int]:
        c, h, w = _need_chw(name, s)
        oh, ow = pair(a["output_size"])
        return (c, oh, ow), 0, c * h * w
    return rule


def _bn_shape(dims: int) -> ShapeRule:
    def rule(s: Shape, a: dict[str, Any]) -> tuple[Shape, int, int]:
        if dims == 2:
            _need_chw("BatchNorm2d", s)
        elif len(s) not in (1, 2):
            raise LayerShapeError(f"BatchNorm1d needs a flat (features) input, got {_fmt(s)}; "
                                  "put a Flatten before it or use BatchNorm2d")
        return s, (2 * s[0] if a["affine"] else 0), math.prod(s)
    return rule


def _same_shape(s: Shape, a: dict[str, Any]) -> tuple[Shape, int, int]:
    return s, 0, math.prod(s)


def _dropout2d_shape(s: Shape, a: dict[str, Any]) -> tuple[Shape, int, int]:
    _need_chw("Dropout2d", s)
    return s, 0, 0


def _flatten_shape(s: Shape, a: dict[str, Any]) -> tuple[Shape, int, int]:
    return (math.prod(s),), 0, 0


def _linear_shape(s: Shape, a: dict[str, Any]) -> tuple[Shape, int, int]:
    if len(s) != 1:
        raise LayerShapeError(f"Linear needs a flat input but gets {_fmt(s)}; add a Flatten "
                              "(or AdaptiveAvgPool2d then Flatten) before it")
    n_in, n_out = s[0], a["out_features"]
    return (n_out,), n_in * n_out + (n_out if a["bias"] else 0), n_in * n_out


def _resblock_shape(expansion: int) -> ShapeRule:
    def rule(s: Shape, a: dict[str, Any]) -> tuple[Shape, int, int]:
        name = "BasicBlock" if expansion == 1 else "Bottleneck"
        c, h, w = _need_chw(name, s)
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
                raise LayerShapeError(f"the block width out_channels x base_width / 64 = "
                                      f"{planes} x {a['base_width']} / 64 rounds down to 0; raise "
                                      "out_channels or base_width")
            params = c * width + width * (width // g) * 9 + width * out_c + 4 * width + 2 * out_c
            macs = c * width * h * w + (width * (width // g) * 9 + width * out_c) * oh * ow
        if stride != 1 or c != out_c:
            params += c * out_c + 2 * out_c
            macs += c * out_c * oh * ow
        return (out_c, oh, ow), params, macs
    return rule


def _vgg_shape(s: Shape, a: dict[str, Any]) -> tuple[Shape, int, int]:
    c, h, w = _need_chw("VGGBlock", s)
    out_c, n = a["out_channels"], a["convs"]
    params = macs = 0
    for _ in range(n):
        params += c * out_c * 9 + out_c + (2 * out_c if a["batch_norm"] else 0)
        macs += c * out_c * 9 * h * w
        c = out_c
    if h < 2 or w < 2:
        raise LayerShapeError(f"VGGBlock ends with a 2x2 max pooling but its input is only {h}x{w}; "
                              "remove a block above or use larger images")
    return (out_c, h // 2, w // 2), params, macs


# --------------------------------------------------------------------------- builders


def _nn() -> Any:
    import torch.nn as nn

    return nn


def _padding_arg(a: dict[str, Any]) -> Any:
    p = a["padding"]
    return tuple(p) if isinstance(p, list) else p


def _size_arg(v: Any) -> Any:
    return tuple(v) if isinstance(v, list) else v


def _build_conv(s: Shape, a: dict[str, Any]) -> Any:
    return _nn().Conv2d(s[0], a["out_channels"], _size_arg(a["kernel_size"]), stride=_size_arg(a["stride"]),
                        padding=_padding_arg(a), dilation=_size_arg(a["dilation"]), groups=a["groups"],
                        bias=a["bias"])


def _build_maxpool(s: Shape, a: dict[str, Any]) -> Any:
    return _nn().MaxPool2d(_size_arg(a["kernel_size"]), stride=_size_arg(a["stride"]),
                           padding=_size_arg(a["padding"]), dilation=_size_arg(a["dilation"]),
                           ceil_mode=a["ceil_mode"])


def _build_avgpool(s: Shape, a: dict[str, Any]) -> Any:
    return _nn().AvgPool2d(_size_arg(a["kernel_size"]), stride=_size_arg(a["stride"]),
                           padding=_size_arg(a["padding"]), ceil_mode=a["ceil_mode"],
                           count_include_pad=a["count_include_pad"])


def _build_resblock(expansion: int) -> Builder:
    def build(s: Shape, a: dict[str, Any]) -> Any:
        from torchvision.models.resnet import BasicBlock, Bottleneck, conv1x1

        nn = _nn()
        c, planes, stride = s[0], a["out_channels"], a["stride"]
        downsample = None
        if stride != 1 or c != planes * expansion:  # exactly torchvision's ResNet._make_layer rule
            downsample = nn.Sequential(conv1x1(c, planes * expansion, stride),
                                       nn.BatchNorm2d(planes * expansion))
        if expansion == 1:
            return BasicBlock(c, planes, stride, downsample)
        return Bottleneck(c, planes, stride, downsample, groups=a["groups"], base_width=a["base_width"])
    return build


def _build_vgg(s: Shape, a: dict[str, Any]) -> Any:
    nn = _nn()
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


def _simple(cls_name: str, *arg_names: str) -> Builder:
    def build(s: Shape, a: dict[str, Any]) -> Any:
        return getattr(_nn(), cls_name)(**{k: _size_arg(a[k]) for k in arg_names})
    return build


# --------------------------------------------------------------------------- the registry

_K = "the kernel (filter) is a KxK window of weights slid over the input; each output value is one dot product"
_S = "how many pixels the window moves each step; stride 2 halves the feature map"
_P = "zeros added around the border; padding (K-1)/2 keeps the size at stride 1"
_D = "spacing between kernel taps; dilation 2 widens a 3x3 kernel's view to 5x5 with no extra weights"


def _conv_args() -> tuple[Arg, ...]:
    return (
        Arg("out_channels", "int", 32, "number of filters; each one produces one output feature map",
            1, 8192, key=True),
        Arg("kernel_size", "size", 3, _K, 1, 31, key=True),
        Arg("stride", "size", 1, _S, 1, 16),
        Arg("padding", "padding", 0, _P + '; "same" keeps the size (stride 1 only)', 0, 64),
        Arg("dilation", "size", 1, _D, 1, 16),
        Arg("groups", "int", 1, "split channels into groups convolved separately (groups = in = out is depthwise)",
            1, 8192),
        Arg("bias", "bool", True, "learn one offset per filter; usually off when BatchNorm follows"),
    )


def _pool_args(kind: str) -> tuple[Arg, ...]:
    args = [
        Arg("kernel_size", "size", 2, f"the pooling window; each output is the {kind} of a KxK patch",
            1, 31, key=True),
        Arg("stride", "optional_size", None, _S + " (default: the kernel size)", 1, 16, key=True),
        Arg("padding", "size", 0, "padding around the border; at most half the kernel", 0, 15),
    ]
    if kind == "maximum":
        args.append(Arg("dilation", "size", 1, _D, 1, 16))
    args.append(Arg("ceil_mode", "bool", False, "round the output size up instead of down"))
    if kind == "average":
        args.append(Arg("count_include_pad", "bool", True, "count padded zeros in the average"))
    return tuple(args)


def _act(name: str, help_text: str, *args: Arg) -> BlockType:
    return BlockType(name, "Activation", help_text, args, _same_shape,
                     _simple(name, *(a.name for a in args)))


_BLOCKS: list[BlockType] = [
    BlockType("Conv2d", "Convolution",
              "2-D convolution: slides out_channels learned KxK filters over the input; each filter "
              "makes one feature map. Parameters = out x in x K x K (+ out biases).",
              _conv_args(), _conv_shape, _build_conv, _explain_window("Conv2d")),
    BlockType("MaxPool2d", "Pooling",
              "Max pooling: keeps the largest value of each window, shrinking the feature maps "
              "and adding a little translation invariance. No parameters.",
              _pool_args("maximum"), lambda s, a: _pool_shape("MaxPool2d", s, a), _build_maxpool,
              _explain_window("MaxPool2d")),
    BlockType("AvgPool2d", "Pooling",
              "Average pooling: replaces each window by its mean. No parameters.",
              _pool_args("average"), lambda s, a: _pool_shape("AvgPool2d", s, a), _build_avgpool,
              _explain_window("AvgPool2d")),
    BlockType("AdaptiveAvgPool2d", "Pooling",
              "Averages each feature map down to a fixed size whatever the input size; output 1 is "
              "global average pooling, as in ResNet and GoogLeNet.",
              (Arg("output_size", "size", 1, "the output height and width", 1, 512, key=True),),
              _adaptive_shape("AdaptiveAvgPool2d"), _simple("AdaptiveAvgPool2d", "output_size")),
    BlockType("AdaptiveMaxPool2d", "Pooling",
              "Takes the maximum of each feature map region down to a fixed output size.",
              (Arg("output_size", "size", 1, "the output height and width", 1, 512, key=True),),
              _adaptive_shape("AdaptiveMaxPool2d"), _simple("AdaptiveMaxPool2d", "output_size")),
    BlockType("BatchNorm2d", "Normalization",
              "Normalises each channel over the batch, then scales and shifts it (2 parameters per "
              "channel). Speeds up and stabilises training.",
              (Arg("eps", "float", 1e-5, "added to the variance for numerical stability", 0.0, 1.0),
               Arg("momentum", "float", 0.1, "how fast the running statistics follow the batches", 0.0, 1.0),
               Arg("affine", "bool", True, "learn a scale and shift per channel")),
              _bn_shape(2), lambda s, a: _nn().BatchNorm2d(s[0], eps=a["eps"], momentum=a["momentum"],
                                                           affine=a["affine"])),
    BlockType("BatchNorm1d", "Normalization",
              "Batch normalisation for flat feature vectors (after Flatten or Linear).",
              (Arg("eps", "float", 1e-5, "added to the variance for numerical stability", 0.0, 1.0),
               Arg("momentum", "float", 0.1, "how fast the running statistics follow the batches", 0.0, 1.0),
               Arg("affine", "bool", True, "learn a scale and shift per feature")),
              _bn_shape(1), lambda s, a: _nn().BatchNorm1d(s[0], eps=a["eps"], momentum=a["momentum"],
                                                           affine=a["affine"])),
    _act("ReLU", "max(0, x): the standard non-linearity; without one, stacked layers collapse into "
         "one linear map."),
    _act("LeakyReLU", "Like ReLU but lets a small slope through for negative inputs.",
         Arg("negative_slope", "float", 0.01, "slope for x < 0", 0.0, 1.0, key=True)),
    _act("GELU", "Smooth ReLU used by transformers and ConvNeXt.",
         Arg("approximate", "choice", "none", "tanh approximation or the exact form",
             choices=("none", "tanh"))),
    _act("SiLU", "x * sigmoid(x) (Swish), used by EfficientNet."),
    _act("Sigmoid", "Squashes values into (0, 1)."),
    _act("Tanh", "Squashes values into (-1, 1); LeNet-5's original activation."),
    BlockType("Dropout", "Regularization",
              "Zeroes a random fraction p of values while training, so the network cannot rely on "
              "any single one. Inactive at evaluation.",
              (Arg("p", "float", 0.5, "probability of zeroing each value", 0.0, 1.0, key=True),),
              _same_shape, _simple("Dropout", "p")),
    BlockType("Dropout2d", "Regularization",
              "Drops whole feature maps (channels) at random while training.",
              (Arg("p", "float", 0.5, "probability of zeroing each channel", 0.0, 1.0, key=True),),
              _dropout2d_shape, _simple("Dropout2d", "p")),
    BlockType("Flatten", "Dense",
              "Unrolls the C x H x W feature maps into one vector so that Linear layers can follow.",
              (), _flatten_shape, lambda s, a: _nn().Flatten()),
    BlockType("Linear", "Dense",
              "Fully connected layer: every output is a weighted sum of all inputs. Parameters = "
              "in x out (+ out biases). The last one gives one score per class.",
              (Arg("out_features", "int", 10, "number of outputs (the class count for the last layer)",
                   1, 1_000_000, key=True),
               Arg("bias", "bool", True, "learn one offset per output")),
              _linear_shape, lambda s, a: _nn().Linear(s[0], a["out_features"], bias=a["bias"])),
    BlockType("BasicBlock", "Blocks",
              "ResNet's basic residual block (ResNet-18/34): two 3x3 convolutions with BatchNorm, "
              "plus a skip connection that adds the input back; a 1x1 convolution matches the "
              "shapes when they change.",
              (Arg("out_channels", "int", 64, "channels of both 3x3 convolutions", 1, 8192, key=True),
               Arg("stride", "int", 1, "stride of the first convolution; 2 halves the size", 1, 4, key=True)),
              _resblock_shape(1), _build_resblock(1)),
    BlockType("Bottleneck", "Blocks",
              "ResNet's bottleneck block (ResNet-50+): 1x1 reduce, 3x3, 1x1 expand x4, with a skip "
              "connection. out_channels is the width before the 4x expansion.",
              (Arg("out_channels", "int", 64, "bottleneck width; the block outputs 4x this", 1, 8192, key=True),
               Arg("stride", "int", 1, "stride of the 3x3 convolution; 2 halves the size", 1, 4, key=True),
               Arg("groups", "int", 1, "grouped 3x3 convolution (ResNeXt)", 1, 256),
               Arg("base_width", "int", 64, "width per group (Wide ResNet uses 128)", 1, 1024)),
              _resblock_shape(4), _build_resblock(4)),
    BlockType("VGGBlock", "Blocks",
              "VGGNet's building block: n 3x3 convolutions (padding 1) with ReLU, then 2x2 max "
              "pooling that halves the size.",
              (Arg("out_channels", "int", 64, "channels of every convolution in the block", 1, 8192, key=True),
               Arg("convs", "int", 2, "number of 3x3 convolutions", 1, 8, key=True),
               Arg("batch_norm", "bool", False, "BatchNorm after each convolution (VGG-BN)")),
              _vgg_shape, _build_vgg),
]

REGISTRY: dict[str, BlockType] = {b.name: b for b in _BLOCKS}
GROUPS: tuple[str, ...] = ("Convolution", "Pooling", "Normalization", "Activation",
                           "Regularization", "Dense", "Blocks")


def get_block(name: str) -> BlockType:
    """The block type ``name``; ``KeyError`` if unknown."""
    return REGISTRY[name]


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
    block = REGISTRY.get(layer.get("type", ""))
    if block is None:
        return str(layer.get("type", "?"))
    bits = []
    for a in block.args:
        if a.name in layer and (a.key or layer[a.name] != a.default):
            v = layer[a.name]
            v = "x".join(map(str, v)) if isinstance(v, list) else v
            short = {"out_channels": "", "out_features": "", "kernel_size": "k", "stride": "s",
                     "padding": "p", "dilation": "d", "groups": "g", "output_size": ""}.get(a.name, a.name + "=")
            bits.append(f"{short}{v}")
    return f"{block.name} " + ", ".join(bits) if bits else block.name


def validate_layer(raw: Any, path: str) -> dict[str, Any]:
    """Check one layer dict against the registry; returns it unchanged (for round-tripping)."""
    if not isinstance(raw, dict):
        raise ProjectError(path, f"must be an object with a \"type\", got {describe_value(raw)}")
    kind = raw.get("type")
    if kind not in REGISTRY:
        raise ProjectError(f"{path}.type", f"unknown layer type {describe_value(kind)}; known types: "
                           + ", ".join(REGISTRY))
    block = REGISTRY[kind]
    names = {a.name for a in block.args}
    for key, value in raw.items():
        if key in META_KEYS:
            continue
        if key in NEVER_WRITTEN:
            raise ProjectError(f"{path}.{key}", "is never written: it follows from the layer before; "
                               "remove it")
        if key not in names:
            allowed = ", ".join(sorted(names)) or "no arguments"
            raise ProjectError(f"{path}.{key}", f"is not an argument of {kind} (allowed: {allowed})")
        block.arg(key).validate(value, f"{path}.{key}")
    return raw
