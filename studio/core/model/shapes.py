"""Per-layer output shapes, parameter counts and MACs, computed analytically.

The designer calls :func:`analyze` on every edit, so it is pure Python over the block
registry's shape rules (no torch, no allocation): a 100-layer stack takes well under a
millisecond (``benchmarks/shape_inference.py``). The property test in
``tests/core/test_shapes_property.py`` checks it against real forward passes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from studio.core.base.errors import ProjectError, UserError
from studio.core.base.i18n import tr
from studio.core.model.blocks import REGISTRY, LayerShapeError, Shape, validate_layer_at

MAX_PARAMS = 400_000_000  # ~1.6 GB of float32 weights: far beyond anything trainable here
MAX_ACTIVATION = 64_000_000  # values in one layer's output for a single image


class ShapeError(UserError, ValueError):
    """A layer that cannot take its input; ``layer`` is its index in the stack."""

    def __init__(self, layer: int, type_name: str, message: str) -> None:
        self.layer = layer
        self.type_name = type_name
        self.message = message
        super().__init__(
            tr("layer {layer} ({type}): {message}", layer=layer, type=type_name, message=message)
        )

    def to_json(self) -> dict[str, Any]:
        """The ``{"error": {...}}`` body of ``summary --json`` (docs/contract.md)."""
        return {"layer": self.layer, "message": self.message}


@dataclass(frozen=True)
class LayerInfo:
    """One row of the summary: what a layer turns its input into and what it costs."""

    index: int
    type: str
    input_shape: Shape
    output_shape: Shape
    params: int
    macs: int
    trainable: bool = True

    def to_json(self) -> dict[str, Any]:
        """``summary --json``'s per-layer object (docs/contract.md), exactly its keys."""
        return {
            "index": self.index,
            "type": self.type,
            "output_shape": list(self.output_shape),
            "params": self.params,
        }


@dataclass
class Summary:
    """The whole stack: rows up to the first invalid layer, totals, and that layer's error."""

    input_shape: Shape
    layers: list[LayerInfo] = field(default_factory=list)
    error: ShapeError | None = None

    @property
    def output_shape(self) -> Shape:
        """The last valid layer's output (the input for an empty stack)."""
        return self.layers[-1].output_shape if self.layers else self.input_shape

    @property
    def total_params(self) -> int:
        """All parameters."""
        return sum(info.params for info in self.layers)

    @property
    def trainable_params(self) -> int:
        """Parameters that the optimizer updates."""
        return sum(info.params for info in self.layers if info.trainable)

    @property
    def macs(self) -> int:
        """Multiply-accumulates for one image's forward pass."""
        return sum(info.macs for info in self.layers)

    @property
    def size_mb(self) -> float:
        """float32 weight size in megabytes (1e6 bytes)."""
        return self.total_params * 4 / 1e6

    def to_json(self) -> dict[str, Any]:
        """The ``summary --json`` body (docs/contract.md), exactly its keys (shapes without the batch)."""
        return {
            "input_shape": list(self.input_shape),
            "output_shape": list(self.output_shape),
            "layers": [info.to_json() for info in self.layers],
            "total_params": self.total_params,
            "trainable_params": self.trainable_params,
        }


def analyze(layers: list[dict[str, Any]], input_shape: Shape) -> Summary:
    """Infer every layer's output shape; stop at (and record) the first invalid layer.

    Never raises for a user's design: the error is in ``Summary.error``, so that the designer
    can mark the failing row and keep showing the rows above it. Each layer's arguments are
    checked against the registry first, so a half-edited layer is reported, never guessed at.
    """
    summary = Summary(tuple(input_shape))
    shape: Shape = tuple(input_shape)
    total = 0
    for index, layer in enumerate(layers):
        try:
            validate_layer_at(layer, index)
        except ProjectError as exc:
            summary.error = layer_error(exc)
            break
        type_name = layer["type"]
        block = REGISTRY[type_name]
        try:
            out, params, macs = block.shape(shape, block.resolve(layer))
        except LayerShapeError as exc:
            summary.error = ShapeError(index, type_name, str(exc))
            break
        except (TypeError, ValueError, ZeroDivisionError, IndexError, KeyError) as exc:  # a bad value
            summary.error = ShapeError(index, type_name, tr("invalid arguments: {error}", error=exc))
            break
        total += params
        if total > MAX_PARAMS:
            summary.error = ShapeError(
                index,
                type_name,
                tr(
                    "the network would have {total} parameters, more than "
                    "the {limit} this studio allows; use fewer "
                    "channels or features, or pool/stride before "
                    "Flatten",
                    total=f"{total:,}",
                    limit=f"{MAX_PARAMS:,}",
                ),
            )
            break
        if math.prod(out) > MAX_ACTIVATION:
            summary.error = ShapeError(
                index,
                type_name,
                tr(
                    "its output {shape} has {values} values per image, "
                    "more than the {limit} allowed; use smaller "
                    "images or fewer channels",
                    shape="x".join(map(str, out)),
                    values=f"{math.prod(out):,}",
                    limit=f"{MAX_ACTIVATION:,}",
                ),
            )
            break
        summary.layers.append(LayerInfo(index, type_name, shape, out, params, macs))
        shape = out
    return summary


def layer_error(exc: ProjectError) -> ShapeError | None:
    """A project error inside ``model.layers[i]`` as that layer's :class:`ShapeError`, else None.

    A bad layer argument is an invalid design like a too-large kernel: ``summary`` and the
    designer report both on the layer's row (docs/contract.md), e.g.
    ``layer 3 (Conv2d): kernel_size: must be a positive integer, got -1``.
    """
    if exc.layer is None:
        return None
    prefix = f"model.layers[{exc.layer}]"
    field_name = exc.path[len(prefix) :].lstrip(".") if exc.path.startswith(prefix) else exc.path
    message = f"{field_name}: {exc.message}" if field_name not in ("", "type") else exc.message
    return ShapeError(exc.layer, exc.layer_type or "?", message)


def summarize(layers: list[dict[str, Any]], input_shape: Shape) -> Summary:
    """Like :func:`analyze` but raises the first :class:`ShapeError`."""
    summary = analyze(layers, input_shape)
    if summary.error is not None:
        raise summary.error
    return summary


def format_table(summary: Summary) -> str:
    """A readable text table of a summary (what ``cnn-studio summary`` prints)."""
    rows = [("#", "layer", "output shape", "params", "MACs")]
    rows.append(("", "input", " x ".join(map(str, summary.input_shape)), "", ""))
    for info in summary.layers:
        rows.append(
            (
                str(info.index),
                info.type + ("" if info.trainable else " (frozen)"),
                " x ".join(map(str, info.output_shape)),
                f"{info.params:,}",
                _human(info.macs),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = []
    for n, r in enumerate(rows):
        lines.append(
            "  ".join(
                c.rjust(w) if i in (0, 3, 4) else c.ljust(w)
                for i, (c, w) in enumerate(zip(r, widths, strict=True))
            ).rstrip()
        )
        if n == 0:
            lines.append("-" * len(lines[0]))
    lines.append("-" * len(lines[0]))
    lines.append(f"total params:     {summary.total_params:,}")
    lines.append(f"trainable params: {summary.trainable_params:,}")
    lines.append(f"model size:       {summary.size_mb:.2f} MB (float32)")
    lines.append(f"MACs per image:   {_human(summary.macs)}")
    return "\n".join(lines)


def _human(n: int) -> str:
    for unit, scale in (("G", 1e9), ("M", 1e6), ("K", 1e3)):
        if n >= scale:
            return f"{n / scale:.2f}{unit}"
    return str(n)
