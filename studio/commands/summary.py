"""``cnn-studio summary PROJECT [--json]``: per-layer output shapes and parameter counts.

docs/contract.md: a valid design prints a table (or the JSON body); an invalid one (a kernel
larger than its input, a Linear on an image, a bad layer argument) exits 2 with
``error: layer N (Type): ...`` on stderr and, with ``--json``, ``{"error": {"layer": N,
"message": ...}}`` on stdout. Other bad input (a missing file, a bad field) exits 2 too; with
``--json`` its stdout body is ``{"error": {"field": ..., "message": ...}}``.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from studio.core.base.errors import ProjectError, UserError
from studio.core.data.classes import head_classes
from studio.core.model.builder import pretrained_summary
from studio.core.model.shapes import analyze, format_table, layer_error
from studio.core.project.project_file import load_project


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Register the command."""
    p = sub.add_parser(
        "summary",
        help="per-layer output shape and parameter count",
        description="Print each layer's output shape and parameter count, with totals "
        "(parameters, trainable parameters, model size in MB, MACs per image).",
    )
    p.add_argument("project", help="project file (.json)")
    p.add_argument("--json", action="store_true", help="print JSON (format: docs/contract.md)")
    p.add_argument(
        "--classes",
        type=int,
        default=None,
        help="class count for a pretrained model's head (default: the dataset's, when it "
        "is a built-in source or an existing folder; else 1000)",
    )
    return p


def run(args: argparse.Namespace) -> int:
    """Print the summary, or the first invalid layer (exit 2)."""
    if args.classes is not None and not 1 <= args.classes <= 100_000:
        raise UserError(f"--classes must be between 1 and 100000, got {args.classes}")
    try:
        project = load_project(args.project)
    except ProjectError as exc:
        bad_layer = layer_error(exc)
        if bad_layer is not None:
            return _design_error(bad_layer, args.json)
        if args.json:
            print(json.dumps({"error": {"field": exc.path or None, "message": str(exc)}}))
        raise
    classes = None
    if project.model.kind == "pretrained":
        classes = args.classes or head_classes(project)
        summary = pretrained_summary(project, classes)
    else:
        summary = analyze(project.model.layers, project.input_shape)
    if summary.error is not None:
        return _design_error(summary.error, args.json)
    if args.json:
        print(json.dumps(summary.to_json()))
    else:
        head = f", head for {classes} classes (--classes to change)" if classes else ""
        print(f"{project.name}: input {' x '.join(map(str, project.input_shape))}{head}")
        print(format_table(summary))
    return 0


def _design_error(error: Any, as_json: bool) -> int:
    if as_json:
        print(json.dumps({"error": error.to_json()}))
    sys.stderr.write(f"error: {error}\n")
    return 2
