"""``cnn-studio scale PROJECT (--variant b0..b7 | --width W --depth D --resolution R) -o OUT``.

EfficientNet's compound scaling of an MBConv network (see :mod:`studio.core.model.scaling`):
writes a new project file with the wider, deeper network and the larger input size, and
prints the parameters, MACs and input size before and after.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from studio.core.base.errors import UserError
from studio.core.project.project_file import load_project, save_project
from studio.core.project.scale import Scaling, scale_project


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Register the command."""
    p = sub.add_parser(
        "scale",
        help="compound scaling of an MBConv network (EfficientNet B0-B7)",
        description="Scale an MBConv network's width, depth and input resolution together "
        "(EfficientNet's compound scaling) and write the result as a new project file.",
    )
    p.add_argument("project", help="project file (.json) with MBConv blocks")
    p.add_argument(
        "--variant", help="b0..b7: the multipliers of torchvision's efficientnet_b* (relative to B0)"
    )
    p.add_argument("--width", type=float, help="channel multiplier (rounded to multiples of 8)")
    p.add_argument("--depth", type=float, help="multiplier of the blocks per stage (rounded up)")
    p.add_argument("--resolution", type=float, help="input size multiplier")
    p.add_argument("-o", "--out", required=True, help="project file to write (.json)")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    return p


def _fmt(n: int) -> str:
    return f"{n:,}"


def run(args: argparse.Namespace) -> int:
    """Scale the project and write it."""
    multipliers = (args.width, args.depth, args.resolution)
    if args.variant is not None and any(m is not None for m in multipliers):
        raise UserError("give either --variant or --width/--depth/--resolution, not both")
    if args.variant is not None:
        scaling = Scaling.of_variant(args.variant)
    elif any(m is not None for m in multipliers):
        width, depth, resolution = (1.0 if m is None else float(m) for m in multipliers)
        scaling = Scaling(width, depth, resolution)
    else:
        raise UserError("say how to scale: --variant b0..b7, or --width W --depth D --resolution R")
    out = Path(args.out)
    if out.exists() and not args.force:
        raise UserError(f"{out} already exists; choose another name or pass --force")
    project = load_project(args.project)
    scaled, result = scale_project(project, scaling)
    if scaling.variant:
        scaled.name = f"{project.name} ({scaling.label()})"
    try:
        save_project(scaled, out)
    except OSError as exc:
        raise UserError(f"cannot write {out}: {exc.strerror or exc}") from None
    b, a = result.before, result.after
    rows = [
        ("", "before", "after"),
        ("parameters", _fmt(b.total_params), _fmt(a.total_params)),
        ("MACs per image", _fmt(b.macs), _fmt(a.macs)),
        ("input size", "x".join(map(str, project.input_shape)), "x".join(map(str, scaled.input_shape))),
        (
            "MBConv blocks",
            str(sum(la.type == "MBConv" for la in b.layers)),
            str(sum(la.type == "MBConv" for la in a.layers)),
        ),
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    print(
        f"{scaling.label()}: width x{scaling.width:g}, depth x{scaling.depth:g}, "
        f"resolution x{scaling.resolution:g}"
    )
    for r in rows:
        print(f"  {r[0].ljust(widths[0])}  {r[1].rjust(widths[1])}  {r[2].rjust(widths[2])}")
    print(f"wrote {out}")
    return 0
