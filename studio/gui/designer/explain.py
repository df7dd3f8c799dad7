"""The "how is this number computed" text under the property editor.

Fills the lecture's formulas with the selected layer's own numbers: the output-size formula
from :meth:`BlockType.explain` and the parameter count for the layers that have weights.
Pure functions over the registry and the shape summary (no Qt).
"""

from __future__ import annotations

from typing import Any

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
        bias = f" + {args['out_channels']} (biases)" if args["bias"] else ""
        return (f"Parameters = out × in × K × K{' + out' if args['bias'] else ''}\n"
                f"           = {args['out_channels']} × {cin} × {kh} × {kw}{bias} = {params:,}")
    if type_name == "Linear":
        bias = f" + {args['out_features']}" if args["bias"] else ""
        return (f"Parameters = in × out{' + out' if args['bias'] else ''}\n"
                f"           = {in_shape[0]} × {args['out_features']}{bias} = {params:,}")
    if type_name in ("BatchNorm2d", "BatchNorm1d"):
        if not args["affine"]:
            return "Parameters = 0 (no learned scale and shift; running statistics are not trained)"
        return f"Parameters = 2 × channels (scale γ and shift β) = 2 × {in_shape[0]} = {params:,}"
    if params == 0:
        return "No learned parameters."
    return f"Parameters = {params:,}"


def explain_row(summary: Summary, layers: list[dict[str, Any]], row: int) -> str:
    """The full explanation for layer ``row``: input, output-size formula, output, parameters."""
    layer = layers[row]
    block = REGISTRY.get(str(layer.get("type")))
    if block is None:
        return f"Unknown layer type {layer.get('type')!r}."
    in_shape = input_shape_of(summary, row)
    if in_shape is None:
        bad = summary.error.layer if summary.error is not None else row
        return f"The input shape is unknown until layer {bad} above is fixed."
    args = block.resolve(layer)
    lines = [f"Input:  {_fmt(in_shape)}"]
    if block.explain is not None:
        lines.append(block.explain(in_shape, args))
    info = summary.layers[row] if row < len(summary.layers) else None
    if info is not None:
        lines.append(f"Output: {_fmt(info.output_shape)}")
        lines.append(params_formula(block.name, in_shape, args, info.params))
    return "\n".join(lines)
