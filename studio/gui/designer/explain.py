"""The "how is this number computed" text under the property editor.

Fills the lecture's formulas with the selected layer's own numbers: the output-size formula
from :meth:`BlockType.explain` and the parameter count for the layers that have weights.
Pure functions over the registry and the shape summary (no Qt).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from studio.core.model.blocks import REGISTRY, Shape, pair
from studio.core.model.shapes import Summary


def input_shape_of(summary: Summary, row: int) -> Shape | None:
    """The shape arriving at layer ``row`` (None when an earlier layer is invalid)."""
    if row < len(summary.layers):
        return summary.layers[row].input_shape
    if row == len(summary.layers):
        return summary.output_shape
    return None


def _fmt(shape: Shape) -> str:
    return " × ".join(map(str, shape))


def params_formula(type_name: str, in_shape: Shape, args: dict[str, Any], params: int) -> str:
    """'Parameters = 32 × 1 × 3 × 3 + 32 = 320' for the layers whose count has a short formula."""
    if type_name == "Conv2d":
        kh, kw = pair(args["kernel_size"])
        cin = in_shape[0] // args["groups"]
        if args["bias"]:
            text = QCoreApplication.translate(
                "LayerExplain",
                "Parameters = out × in × K × K + out\n"
                "           = {out} × {cin} × {kh} × {kw} + {out} (biases) = {params}",
            )
        else:
            text = QCoreApplication.translate(
                "LayerExplain",
                "Parameters = out × in × K × K\n           = {out} × {cin} × {kh} × {kw} = {params}",
            )
        return text.format(out=args["out_channels"], cin=cin, kh=kh, kw=kw, params=f"{params:,}")
    if type_name == "Linear":
        if args["bias"]:
            text = QCoreApplication.translate(
                "LayerExplain", "Parameters = in × out + out\n           = {cin} × {out} + {out} = {params}"
            )
        else:
            text = QCoreApplication.translate(
                "LayerExplain", "Parameters = in × out\n           = {cin} × {out} = {params}"
            )
        return text.format(cin=in_shape[0], out=args["out_features"], params=f"{params:,}")
    if type_name in ("BatchNorm2d", "BatchNorm1d"):
        if not args["affine"]:
            return QCoreApplication.translate(
                "LayerExplain",
                "Parameters = 0 (no learned scale and shift; running statistics are not trained)",
            )
        return QCoreApplication.translate(
            "LayerExplain", "Parameters = 2 × channels (scale γ and shift β) = 2 × {c} = {params}"
        ).format(c=in_shape[0], params=f"{params:,}")
    if params == 0:
        return QCoreApplication.translate("LayerExplain", "No learned parameters.")
    return QCoreApplication.translate("LayerExplain", "Parameters = {params}").format(params=f"{params:,}")


def explain_row(summary: Summary, layers: list[dict[str, Any]], row: int) -> str:
    """The full explanation for layer ``row``: input, output-size formula, output, parameters."""
    layer = layers[row]
    block = REGISTRY.get(str(layer.get("type")))
    if block is None:
        return QCoreApplication.translate("LayerExplain", "Unknown layer type {type}.").format(
            type=repr(layer.get("type"))
        )
    in_shape = input_shape_of(summary, row)
    if in_shape is None:
        bad = summary.error.layer if summary.error is not None else row
        return QCoreApplication.translate(
            "LayerExplain", "The input shape is unknown until layer {layer} above is fixed."
        ).format(layer=bad)
    args = block.resolve(layer)
    lines = [QCoreApplication.translate("LayerExplain", "Input:  {shape}").format(shape=_fmt(in_shape))]
    if block.explain is not None:
        lines.append(block.explain(in_shape, args))
    info = summary.layers[row] if row < len(summary.layers) else None
    if info is not None:
        lines.append(
            QCoreApplication.translate("LayerExplain", "Output: {shape}").format(
                shape=_fmt(info.output_shape)
            )
        )
        lines.append(params_formula(block.name, in_shape, args, info.params))
    return "\n".join(lines)
