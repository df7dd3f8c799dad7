"""Shape rules and builders of the blocks with parallel branches or inner stages.

``Inception`` (GoogLeNet), ``MBConv`` (EfficientNet), ``SqueezeExcitation`` and
``DepthwiseSeparableConv2d`` (MobileNet) are each described by :func:`branches`: a list of
:class:`Branch` rows (one per parallel branch or inner stage, each with its own output
shape, parameters and MACs). The block's shape rule is the sum of those rows, so the
designer's expanded row and the summary can never disagree. Everything here is pure Python;
builders use torchvision's own classes where they exist and import torch lazily.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from studio.core.base.i18n import tr
from studio.core.model.block_rules import LayerShapeError, Shape, conv_out, need_chw, nn_module

# values in one branch's output for a single image; the same limit as a layer's output
# (studio.core.model.shapes.MAX_ACTIVATION), checked here because a branch is inside one row
MAX_BRANCH_ACTIVATION = 64_000_000


@dataclass(frozen=True)
class Branch:
    """One branch (or inner stage) of a block: what it computes and what it costs.

    ``arg`` names the block argument that sets the branch's width, so that an error or the
    designer can point at it; ``skip`` marks an identity/shortcut path (drawn as a bypass).
    """

    name: str
    detail: str
    out_shape: Shape
    params: int
    macs: int
    arg: str = ""
    skip: bool = False
    short: str = ""  # a few characters for a diagram box ("1x1→3x3")
    reduce: int = 0  # the channels of a 1x1 reduction inside the branch (Inception), else 0


#: the stage names :func:`branch_table` shows through ``tr`` (torchvision's own ``branch1``...
#: stay as they are); Korean in resources/i18n/core_ko.json
STAGE_NAMES = (
    "expand",
    "depthwise",
    "squeeze-excitation",
    "project",
    "skip",
    "squeeze",
    "excite",
    "pointwise",
)


def make_divisible(v: float, divisor: int = 8, min_value: int | None = None) -> int:
    """Round a channel count to a multiple of ``divisor``, never more than 10% down.

    The rounding rule of MobileNet/EfficientNet (torchvision's ``_make_divisible``), written
    out so that shape inference and compound scaling need no torch import.
    """
    if min_value is None:
        min_value = divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


def _cbn(c_in: int, c_out: int, k: int, groups: int = 1) -> int:
    """Parameters of conv (no bias) + BatchNorm."""
    return c_out * (c_in // groups) * k * k + 2 * c_out


# --------------------------------------------------------------------------- Inception


def inception_branches(s: Shape, a: dict[str, Any]) -> list[Branch]:
    """GoogLeNet's four branches as torchvision builds them (conv + BatchNorm + ReLU each).

    torchvision's "5x5" branch uses a 3x3 kernel (a known quirk kept for its pretrained
    weights, pytorch/vision#906); the counts here follow torchvision, not the paper.
    """
    c, h, w = need_chw("Inception", s)
    hw = h * w
    r3, r5 = a["ch3x3red"], a["ch5x5red"]
    return [
        Branch(
            "branch1",
            tr("1x1 conv"),
            (a["ch1x1"], h, w),
            _cbn(c, a["ch1x1"], 1),
            c * a["ch1x1"] * hw,
            "ch1x1",
            short="1x1",
        ),
        Branch(
            "branch2",
            tr("1x1 conv to {channels} -> 3x3 conv", channels=r3),
            (a["ch3x3"], h, w),
            _cbn(c, r3, 1) + _cbn(r3, a["ch3x3"], 3),
            (c * r3 + r3 * a["ch3x3"] * 9) * hw,
            "ch3x3",
            short="1x1→3x3",
            reduce=r3,
        ),
        Branch(
            "branch3",
            tr("1x1 conv to {channels} -> 3x3 conv (the paper's 5x5; torchvision uses 3x3)", channels=r5),
            (a["ch5x5"], h, w),
            _cbn(c, r5, 1) + _cbn(r5, a["ch5x5"], 3),
            (c * r5 + r5 * a["ch5x5"] * 9) * hw,
            "ch5x5",
            short='1x1→"5x5"',
            reduce=r5,
        ),
        Branch(
            "branch4",
            tr("3x3 max pool (stride 1) -> 1x1 conv"),
            (a["pool_proj"], h, w),
            _cbn(c, a["pool_proj"], 1),
            (c * 9 + c * a["pool_proj"]) * hw,
            "pool_proj",
            short="pool→1x1",
        ),
    ]


def inception_reduction_saving(s: Shape, a: dict[str, Any]) -> tuple[int, int]:
    """(parameters with the 1x1 reductions, parameters if branches 2 and 3 had none).

    Without a reduction the 3x3 convolution of branches 2 and 3 reads all input channels
    directly: ``C_in x ch3x3 x 9`` instead of ``C_in x ch3x3red + ch3x3red x ch3x3 x 9``.
    Conv weights and BatchNorm both counted, as in :func:`inception_branches`.
    """
    c = need_chw("Inception", s)[0]
    with_red = (
        _cbn(c, a["ch3x3red"], 1)
        + _cbn(a["ch3x3red"], a["ch3x3"], 3)
        + _cbn(c, a["ch5x5red"], 1)
        + _cbn(a["ch5x5red"], a["ch5x5"], 3)
    )
    without = _cbn(c, a["ch3x3"], 3) + _cbn(c, a["ch5x5"], 3)
    return with_red, without


def inception_shape(s: Shape, a: dict[str, Any]) -> tuple[Shape, int, int]:
    """Inception: the four branches concatenated along channels; height and width unchanged."""
    rows = inception_branches(s, a)
    out_c = sum(b.out_shape[0] for b in rows)
    return (out_c, s[1], s[2]), sum(b.params for b in rows), sum(b.macs for b in rows)


def build_inception(s: Shape, a: dict[str, Any]) -> Any:
    """torchvision's ``Inception`` (GoogLeNet's module), unchanged."""
    from torchvision.models.googlenet import Inception

    return Inception(s[0], a["ch1x1"], a["ch3x3red"], a["ch3x3"], a["ch5x5red"], a["ch5x5"], a["pool_proj"])


# --------------------------------------------------------------------------- MBConv


def mbconv_expanded(in_channels: int, expand_ratio: float) -> int:
    """The expanded width, as torchvision's ``MBConvConfig.adjust_channels`` rounds it."""
    return make_divisible(in_channels * expand_ratio, 8)


def mbconv_branches(s: Shape, a: dict[str, Any]) -> list[Branch]:
    """EfficientNet's MBConv stages (expand, depthwise, squeeze-excitation, project) and its skip."""
    c, h, w = need_chw("MBConv", s)
    k, stride, out_c = int(a["kernel_size"]), int(a["stride"]), a["out_channels"]
    exp = mbconv_expanded(c, a["expand_ratio"])
    pad = (k - 1) // 2
    oh, ow = conv_out(h, k, stride, pad), conv_out(w, k, stride, pad)
    if exp * h * w > MAX_BRANCH_ACTIVATION:
        raise LayerShapeError(
            tr(
                "its expand branch widens {c} channels to {exp} at {size}: {values} values "
                "per image, more than the {limit} allowed; lower expand_ratio or use smaller "
                "images",
                c=c,
                exp=exp,
                size=f"{h}x{w}",
                values=f"{exp * h * w:,}",
                limit=f"{MAX_BRANCH_ACTIVATION:,}",
            )
        )
    rows: list[Branch] = []
    if exp != c:
        rows.append(
            Branch(
                "expand",
                tr(
                    "1x1 conv {c} -> {exp} + BatchNorm + SiLU (expand_ratio {ratio})",
                    c=c,
                    exp=exp,
                    ratio=f"{a['expand_ratio']:g}",
                ),
                (exp, h, w),
                _cbn(c, exp, 1),
                c * exp * h * w,
                "expand_ratio",
            )
        )
    rows.append(
        Branch(
            "depthwise",
            tr("{k}x{k} depthwise conv, stride {stride} + BatchNorm + SiLU", k=k, stride=stride),
            (exp, oh, ow),
            _cbn(exp, exp, k, groups=exp),
            exp * k * k * oh * ow,
            "kernel_size",
        )
    )
    sq = max(1, c // 4)
    rows.append(
        Branch(
            "squeeze-excitation",
            tr("global pool -> 1x1 {exp} -> {sq} -> {exp}, sigmoid scale", exp=exp, sq=sq),
            (exp, oh, ow),
            2 * exp * sq + sq + exp,
            2 * exp * oh * ow + 2 * exp * sq,
        )
    )
    rows.append(
        Branch(
            "project",
            tr("1x1 conv {exp} -> {out_c} + BatchNorm (no activation)", exp=exp, out_c=out_c),
            (out_c, oh, ow),
            _cbn(exp, out_c, 1),
            exp * out_c * oh * ow,
            "out_channels",
        )
    )
    if stride == 1 and c == out_c:
        sd = a.get("stochastic_depth", 0.0)
        rows.append(
            Branch(
                "skip",
                tr("identity added back (dropped with probability {p} while training)", p=f"{sd:g}")
                if sd
                else tr("identity added back"),
                (out_c, oh, ow),
                0,
                out_c * oh * ow,
                skip=True,
            )
        )
    return rows


def mbconv_shape(s: Shape, a: dict[str, Any]) -> tuple[Shape, int, int]:
    """MBConv: stride 2 halves the size; a skip when stride 1 and channels match."""
    rows = mbconv_branches(s, a)
    return rows[-1].out_shape, sum(b.params for b in rows), sum(b.macs for b in rows)


def build_mbconv(s: Shape, a: dict[str, Any]) -> Any:
    """torchvision's ``MBConv`` with its ``MBConvConfig`` (SE and BatchNorm as in EfficientNet)."""
    from torchvision.models.efficientnet import MBConv, MBConvConfig

    nn = nn_module()
    cnf = MBConvConfig(a["expand_ratio"], int(a["kernel_size"]), int(a["stride"]), s[0], a["out_channels"], 1)
    # the config rounds channels to multiples of 8 (width scaling); a block keeps them as written
    cnf.input_channels, cnf.out_channels = s[0], a["out_channels"]
    return MBConv(cnf, float(a["stochastic_depth"]), nn.BatchNorm2d)


# --------------------------------------------------------------------------- SqueezeExcitation


def se_squeeze(c: int, a: dict[str, Any]) -> int:
    """The squeeze width: ``squeeze_channels`` when set, else ``max(1, C // reduction)``."""
    return a["squeeze_channels"] or max(1, c // a["reduction"])


def se_branches(s: Shape, a: dict[str, Any]) -> list[Branch]:
    """The squeeze (global pool, 1x1 down, ReLU) and excitation (1x1 up, sigmoid, multiply)."""
    c, h, w = need_chw("SqueezeExcitation", s)
    sq = se_squeeze(c, a)
    arg = "squeeze_channels" if a["squeeze_channels"] else "reduction"
    return [
        Branch(
            "squeeze",
            tr("global average pool -> 1x1 conv {c} -> {sq} + ReLU", c=c, sq=sq),
            (sq, 1, 1),
            c * sq + sq,
            c * h * w + c * sq,
            arg,
        ),
        Branch(
            "excite",
            tr("1x1 conv {sq} -> {c} + sigmoid, multiplies each channel", sq=sq, c=c),
            (c, h, w),
            sq * c + c,
            sq * c + c * h * w,
        ),
    ]


def se_shape(s: Shape, a: dict[str, Any]) -> tuple[Shape, int, int]:
    """SqueezeExcitation: the same shape, each channel scaled by a learned 0..1 weight."""
    rows = se_branches(s, a)
    return s, sum(b.params for b in rows), sum(b.macs for b in rows)


def build_se(s: Shape, a: dict[str, Any]) -> Any:
    """``torchvision.ops.SqueezeExcitation`` (ReLU inside, sigmoid scale)."""
    from torchvision.ops import SqueezeExcitation

    return SqueezeExcitation(s[0], se_squeeze(s[0], a))


# --------------------------------------------------------------------------- DepthwiseSeparableConv2d


def dwsep_branches(s: Shape, a: dict[str, Any]) -> list[Branch]:
    """MobileNet's pair: a KxK depthwise conv per channel, then a 1x1 pointwise conv mixing them."""
    c, h, w = need_chw("DepthwiseSeparableConv2d", s)
    k, stride, out_c = a["kernel_size"], a["stride"], a["out_channels"]
    pad = (k - 1) // 2
    oh, ow = conv_out(h, k, stride, pad), conv_out(w, k, stride, pad)
    if oh < 1 or ow < 1:
        raise LayerShapeError(
            tr(
                "the depthwise branch's kernel_size {k} is larger than its padded input "
                "{size}; use an odd kernel_size (3 or 5) or larger images",
                k=k,
                size=f"{h + 2 * pad}x{w + 2 * pad}",
            )
        )
    return [
        Branch(
            "depthwise",
            tr(
                "{k}x{k} conv per channel ({c} filters of 1 channel), stride {stride} + BatchNorm + ReLU",
                k=k,
                c=c,
                stride=stride,
            ),
            (c, oh, ow),
            _cbn(c, c, k, groups=c),
            c * k * k * oh * ow,
            "kernel_size",
        ),
        Branch(
            "pointwise",
            tr("1x1 conv {c} -> {out_c} + BatchNorm + ReLU", c=c, out_c=out_c),
            (out_c, oh, ow),
            _cbn(c, out_c, 1),
            c * out_c * oh * ow,
            "out_channels",
        ),
    ]


def dwsep_shape(s: Shape, a: dict[str, Any]) -> tuple[Shape, int, int]:
    """DepthwiseSeparableConv2d: padding (K-1)/2, so stride 1 keeps the size."""
    rows = dwsep_branches(s, a)
    return rows[-1].out_shape, sum(b.params for b in rows), sum(b.macs for b in rows)


def build_dwsep(s: Shape, a: dict[str, Any]) -> Any:
    """Two torchvision ``Conv2dNormActivation``s (conv + BatchNorm + ReLU): depthwise, then 1x1."""
    from torchvision.ops import Conv2dNormActivation

    nn = nn_module()
    c = s[0]
    return nn.Sequential(
        Conv2dNormActivation(c, c, a["kernel_size"], a["stride"], groups=c, activation_layer=nn.ReLU),
        Conv2dNormActivation(c, a["out_channels"], 1, activation_layer=nn.ReLU),
    )


BRANCHES = {
    "Inception": inception_branches,
    "MBConv": mbconv_branches,
    "SqueezeExcitation": se_branches,
    "DepthwiseSeparableConv2d": dwsep_branches,
}


def _human(n: int) -> str:
    for unit, scale in (("G", 1e9), ("M", 1e6), ("K", 1e3)):
        if n >= scale:
            return f"{n / scale:.2f}{unit}"
    return str(n)


def branch_table(type_name: str, in_shape: Shape, a: dict[str, Any]) -> str:
    """The block's branches: name, output shape, parameters and MACs, then what it does, per branch.

    What the designer shows for a selected block (and the properties' formula area): the
    parallel branches of an Inception module, the stages and skip of an MBConv. For an
    Inception, a last line says what its 1x1 reductions save.
    """
    if len(in_shape) != 3:
        return tr("{type} needs a (C, H, W) input.", type=type_name)
    rows = BRANCHES[type_name](in_shape, a)
    names = {b.name: tr(b.name) if b.name in STAGE_NAMES else b.name for b in rows}  # in the user's language
    name_w = max(len(n) for n in names.values())
    shape_w = max(len("x".join(map(str, b.out_shape))) for b in rows)
    param_w = max(len(f"{b.params:,}") for b in rows)
    how = {
        "Inception": tr("Branches side by side, concatenated along channels:"),
        "MBConv": tr("Stages, one after the other:"),
        "SqueezeExcitation": tr("Stages:"),
        "DepthwiseSeparableConv2d": tr("Stages, one after the other:"),
    }[type_name]
    lines = [how]
    for b in rows:
        shape = "x".join(map(str, b.out_shape))
        lines.append(
            f"  {names[b.name].ljust(name_w)}  {shape.rjust(shape_w)}  "
            + tr(
                "{params} params  {macs} MACs",
                params=f"{b.params:,}".rjust(param_w),
                macs=_human(b.macs).rjust(7),
            )
        )
        lines.append(f"      {b.detail}")  # on its own line: the properties column is narrow
    if type_name == "Inception":
        with_red, without = inception_reduction_saving(in_shape, a)
        saved = without - with_red
        numbers = {"with_red": f"{with_red:,}", "channels": in_shape[0], "without": f"{without:,}"}
        if saved >= 0:
            line = tr(
                "1x1 reductions: branches 2 and 3 have {with_red} parameters; with their 3x3 convolutions "
                "reading all {channels} input channels directly they would have {without}: the reductions "
                "save {saved} ({share}).",
                saved=f"{saved:,}",
                share=f"{saved / without:.0%}" if without else "0%",
                **numbers,
            )
        else:
            line = tr(
                "1x1 reductions: branches 2 and 3 have {with_red} parameters; with their 3x3 convolutions "
                "reading all {channels} input channels directly they would have {without}: here the "
                "reductions cost {extra} more (they are wider than the input).",
                extra=f"{-saved:,}",
                **numbers,
            )
        lines.append(line)
    if type_name == "MBConv" and not any(b.skip for b in rows):
        lines.append(tr("No skip: the stride is 2 or out_channels differs from the input's channels."))
    return "\n".join(lines)


def explain_branches(type_name: str) -> Any:
    """The registry's ``explain`` for a block with branches."""

    def explain(in_shape: Shape, a: dict[str, Any]) -> str:
        return branch_table(type_name, in_shape, a)

    return explain


def skip_path(type_name: str, in_shape: Shape, a: dict[str, Any]) -> str | None:
    """What a residual block adds back: ``"identity"``, ``"1x1 conv"`` (a downsample) or None.

    ``BasicBlock``/``Bottleneck`` always have a skip (a 1x1 conv + BatchNorm where the shape
    changes, as torchvision's ResNet builds it); ``MBConv`` only when stride is 1 and the
    channels match. The diagram draws it as a bypass around the block.
    """
    if len(in_shape) != 3:
        return None
    c = in_shape[0]
    if type_name in ("BasicBlock", "Bottleneck"):
        out_c = a["out_channels"] * (1 if type_name == "BasicBlock" else 4)
        return "identity" if a["stride"] == 1 and c == out_c else "1x1 conv"
    if type_name == "MBConv":
        return "identity" if int(a["stride"]) == 1 and c == a["out_channels"] else None
    return None
