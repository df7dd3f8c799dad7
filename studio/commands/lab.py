"""``cnn-studio lab conv|pool IMAGE ...``: the Convolution Lab's arithmetic without a window.

The input is the image's pixel numbers 0-255 as the lecture draws them (Pillow's ``L``
conversion; ``--channel 0|1|2`` picks R, G or B instead), not normalised. The output equals
``torch.nn.functional.conv2d`` / ``max_pool2d`` / ``avg_pool2d`` on those numbers. ``--json``
prints ``{"input_shape": [H, W], "output_shape": [H, W], "output": [[...]]}``.
"""

from __future__ import annotations

import argparse
import json
from typing import Any


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Register ``lab`` and its two sub-commands."""
    p = sub.add_parser(
        "lab",
        help="the Convolution Lab's arithmetic (conv, pool) on an image's pixel numbers",
        description="Convolution and pooling written out on an image's pixel numbers 0-255, "
        "as the lecture draws them; the same numbers torch.nn.functional computes.",
    )
    lab_sub = p.add_subparsers(dest="lab_command", metavar="conv|pool", parser_class=type(p))
    lab_sub.required = True
    conv = lab_sub.add_parser(
        "conv",
        help="convolve the image with a kernel",
        description="Slide a kernel over the image's pixel numbers (cross-correlation "
        "with zero padding, as torch.nn.functional.conv2d) and print the output.",
    )
    conv.add_argument("image", help="image file (PNG, JPEG, ...)")
    conv.add_argument(
        "--kernel",
        required=True,
        help='kernel rows separated by ";", numbers by "," (e.g. "1,0,-1;2,0,-2;1,0,-1"), '
        "or a preset name: identity, blur, sharpen, 'edge horizontal', 'edge vertical', "
        "'sobel x', 'sobel y', emboss",
    )
    conv.add_argument("--padding", default="0", help="zero padding: a number, 'same' or 'valid' (default 0)")
    conv.add_argument("--stride", type=int, default=1, help="step between kernel positions (default 1)")
    conv.add_argument("--dilation", type=int, default=1, help="spacing between kernel cells (default 1)")
    conv.add_argument(
        "--channel",
        type=int,
        choices=(0, 1, 2),
        default=None,
        help="use the R (0), G (1) or B (2) channel instead of greyscale",
    )
    conv.add_argument("--json", action="store_true", help="print JSON: input_shape, output_shape, output")
    conv.set_defaults(_run=run)
    pool = lab_sub.add_parser(
        "pool",
        help="max or average pooling of the image",
        description="Max or average pooling of the image's pixel numbers (no padding, "
        "as torch.nn.functional.max_pool2d / avg_pool2d); pooling has no parameters.",
    )
    pool.add_argument("image", help="image file (PNG, JPEG, ...)")
    pool.add_argument("--kind", required=True, choices=("max", "avg"), help="max or avg")
    pool.add_argument("--kernel", required=True, type=int, help="window size K (a K x K window)")
    pool.add_argument(
        "--stride", type=int, default=None, help="step between windows (default: the kernel size)"
    )
    pool.add_argument(
        "--channel",
        type=int,
        choices=(0, 1, 2),
        default=None,
        help="use the R (0), G (1) or B (2) channel instead of greyscale",
    )
    pool.add_argument("--json", action="store_true", help="print JSON: input_shape, output_shape, output")
    pool.set_defaults(_run=run)
    return p


def _kernel(text: str) -> Any:
    from studio.core.evaluation.lab import PRESETS, parse_kernel, preset  # lazy: pulls in numpy

    if text.strip().lower() in PRESETS:
        return preset(text.strip())
    return parse_kernel(text)


def run(args: argparse.Namespace) -> int:
    """Compute and print the output (a table of numbers, or JSON)."""
    from studio.core.evaluation.lab import ConvLab, load_numbers, pool2d  # lazy: pulls in numpy

    image = load_numbers(args.image, args.channel)
    if args.lab_command == "conv":
        lab = ConvLab(image, _kernel(args.kernel), args.padding, args.stride, args.dilation)
        output = lab.output
        header = lab.geometry.formula()
    else:
        result = pool2d(image, args.kind, args.kernel, args.stride)
        output = result.output
        header = (
            f"{args.kind} pooling {args.kernel}x{args.kernel}, stride {result.geometry.rows.stride}: "
            f"no parameters, channels unchanged\n{result.geometry.formula()}"
        )
    if args.json:
        print(
            json.dumps(
                {
                    "input_shape": list(image.shape),
                    "output_shape": list(output.shape),
                    "output": [[float(v) for v in row] for row in output],
                }
            )
        )
        return 0
    from studio.core.evaluation.lab import format_number  # lazy: pulls in numpy

    print(f"input {image.shape[0]}x{image.shape[1]} -> output {output.shape[0]}x{output.shape[1]}")
    print(header)
    cells = [[format_number(v, 4) for v in row] for row in output]
    width = max(len(c) for row in cells for c in row)
    for row in cells:
        print(" ".join(c.rjust(width) for c in row))
    return 0
