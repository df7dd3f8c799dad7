"""EfficientNet's compound scaling of a stack of layers with MBConv blocks.

EfficientNet grows a baseline network (B0) in three directions at once: *width* (channels of
every convolution times ``width``, rounded to a multiple of 8 as torchvision's
``_make_divisible`` does), *depth* (each stage of MBConv blocks repeated
``ceil(blocks x depth)`` times, as torchvision's ``MBConvConfig.adjust_depth``) and
*resolution* (the input image size times ``resolution``). The variants B0-B7 are fixed
points of that table (torchvision's ``efficientnet_b*`` constructors; resolutions are the
crop sizes of torchvision's ImageNet weights).

A *stage* is a run of consecutive MBConv blocks that share out_channels, kernel_size and
expand_ratio, where only the first may have stride 2: exactly how torchvision lays out a
row of its table. Layers other than Conv2d, MBConv, DepthwiseSeparableConv2d and
SqueezeExcitation are kept as they are (a Linear's width is the class count).
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from typing import Any

from studio.core.base.errors import UserError
from studio.core.base.i18n import tr
from studio.core.model.branch_rules import make_divisible
from studio.core.model.shapes import Summary, analyze

# variant: (width, depth, resolution, classifier dropout), from torchvision's efficientnet_b0..b7
VARIANTS: dict[str, tuple[float, float, int, float]] = {
    "b0": (1.0, 1.0, 224, 0.2),
    "b1": (1.0, 1.1, 240, 0.2),
    "b2": (1.1, 1.2, 288, 0.3),
    "b3": (1.2, 1.4, 300, 0.3),
    "b4": (1.4, 1.8, 380, 0.4),
    "b5": (1.6, 2.2, 456, 0.4),
    "b6": (1.8, 2.6, 528, 0.5),
    "b7": (2.0, 3.1, 600, 0.5),
}
BASE_RESOLUTION = 224  # B0's input size: variant resolutions are multiples of it
MAX_MULTIPLIER = 8.0


class ScaleError(UserError, ValueError):
    """A network or multiplier that cannot be scaled; the message says what to change."""


@dataclass(frozen=True)
class Scaling:
    """The three multipliers (and, for a variant, its name and classifier dropout)."""

    width: float = 1.0
    depth: float = 1.0
    resolution: float = 1.0
    variant: str | None = None
    dropout: float | None = None

    @classmethod
    def of_variant(cls, name: str) -> Scaling:
        """EfficientNet-``name`` (b0..b7) relative to a B0 baseline."""
        key = name.lower().removeprefix("efficientnet-").removeprefix("efficientnet_")
        if key not in VARIANTS:
            raise ScaleError(
                tr(
                    "unknown variant {name}; choose one of {variants}",
                    name=repr(name),
                    variants=", ".join(VARIANTS),
                )
            )
        w, d, r, p = VARIANTS[key]
        return cls(w, d, r / BASE_RESOLUTION, key, p)

    def check(self) -> Scaling:
        """Itself, or a :class:`ScaleError` naming the multiplier out of range."""
        for name in ("width", "depth", "resolution"):
            value = getattr(self, name)
            if (
                not isinstance(value, (int, float))
                or not math.isfinite(value)
                or not 0 < value <= MAX_MULTIPLIER
            ):
                raise ScaleError(
                    tr(
                        "--{name} must be a number above 0 and at most {hi}, got {value}",
                        name=name,
                        hi=f"{MAX_MULTIPLIER:g}",
                        value=value,
                    )
                )
        return self

    def label(self) -> str:
        """``EfficientNet-B3`` or ``width 1.2, depth 1.4, resolution 1.15``."""
        if self.variant:
            return f"EfficientNet-{self.variant.upper()}"
        return f"width {self.width:g}, depth {self.depth:g}, resolution {self.resolution:g}"


@dataclass
class ScaleResult:
    """The rewritten layers and input size, with the summaries before and after."""

    layers: list[dict[str, Any]]
    image_size: tuple[int, int]
    before: Summary
    after: Summary


def scale_channels(channels: int, width: float) -> int:
    """A width multiplier applied to one channel count (torchvision's rounding to 8)."""
    return channels if width == 1.0 else make_divisible(channels * width, 8)


def _stages(layers: list[dict[str, Any]]) -> list[list[int]]:
    """Indices of the MBConv stages, in order."""
    stages: list[list[int]] = []
    prev: dict[str, Any] | None = None
    for i, layer in enumerate(layers):
        if layer.get("type") != "MBConv":
            prev = None
            continue
        key = (layer.get("out_channels", 16), layer.get("kernel_size", 3), layer.get("expand_ratio", 6.0))
        starts = (
            prev is None
            or layer.get("stride", 1) != 1
            or key
            != (prev.get("out_channels", 16), prev.get("kernel_size", 3), prev.get("expand_ratio", 6.0))
        )
        if starts:
            stages.append([i])
        else:
            stages[-1].append(i)
        prev = layer
    return stages


def _widen(layer: dict[str, Any], width: float) -> dict[str, Any]:
    out = copy.deepcopy(layer)
    kind = out.get("type")
    if kind in ("MBConv", "DepthwiseSeparableConv2d") or (kind == "Conv2d" and out.get("groups", 1) == 1):
        out["out_channels"] = scale_channels(out.get("out_channels", 32 if kind == "Conv2d" else 16), width)
    elif kind == "SqueezeExcitation" and out.get("squeeze_channels"):
        # a squeeze width is small and free: scaled without the rounding to multiples of 8
        out["squeeze_channels"] = max(1, round(out["squeeze_channels"] * width))
    return out


def scale_layers(
    layers: list[dict[str, Any]], image_size: tuple[int, int], channels: int, scaling: Scaling
) -> ScaleResult:
    """Rewrite an MBConv network for ``scaling``; raises :class:`ScaleError` if it cannot.

    The input must be a valid design with at least one MBConv block. Stochastic depth is
    redistributed as torchvision does (growing linearly with the block's position, to the
    same maximum), so that a deeper network keeps the same schedule.
    """
    scaling.check()
    before = analyze(layers, (channels, *image_size))
    if before.error is not None:
        raise ScaleError(
            tr("the network is not valid yet ({error}); fix it before scaling", error=before.error)
        )
    stages = _stages(layers)
    if not stages:
        raise ScaleError(
            tr(
                "compound scaling needs a network with MBConv blocks; start from the "
                "efficientnet-b0-blocks template or add MBConv blocks"
            )
        )
    mbconvs = [i for stage in stages for i in stage]
    sds = [float(layers[i].get("stochastic_depth", 0.0)) for i in mbconvs]
    n = len(mbconvs)
    sd_max = round(max(sds) * n / (n - 1), 9) if n > 1 and max(sds) > 0 else max(sds)

    first_of = {stage[0]: stage for stage in stages}
    in_stage = {i for stage in stages for i in stage}
    new: list[dict[str, Any]] = []
    for i, layer in enumerate(layers):
        if i in first_of:
            stage = first_of[i]
            repeats = int(math.ceil(len(stage) * scaling.depth))
            for r in range(repeats):
                source = layers[stage[min(r, len(stage) - 1)]]
                block = _widen(source, scaling.width)
                if r > 0:
                    block["stride"] = 1
                new.append(block)
        elif i not in in_stage:
            new.append(_widen(layer, scaling.width))
    total = sum(1 for la in new if la.get("type") == "MBConv")
    position = 0
    for la in new:
        if la.get("type") == "MBConv":
            if sd_max > 0 or "stochastic_depth" in la:
                la["stochastic_depth"] = round(sd_max * position / total, 6)  # readable in the stack
            position += 1
    if scaling.dropout is not None:
        dropouts = [la for la in new if la.get("type") == "Dropout"]
        if dropouts:
            dropouts[-1]["p"] = scaling.dropout  # the classifier's, as in torchvision's variants
    size = (
        max(1, round(image_size[0] * scaling.resolution)),
        max(1, round(image_size[1] * scaling.resolution)),
    )
    after = analyze(new, (channels, *size))
    if after.error is not None:
        raise ScaleError(tr("the scaled network is not valid: {error}", error=after.error))
    return ScaleResult(new, size, before, after)
