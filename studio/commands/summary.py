"""``cnn-studio summary PROJECT [--json]``: per-layer output shapes and parameter counts."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Register the command."""
    p = sub.add_parser("summary", help="per-layer output shape and parameter count",
                       description="Print each layer's output shape and parameter count, with totals.")
    p.add_argument("project", help="project file (.json)")
    p.add_argument("--json", action="store_true", help="print JSON (SPEC section 3)")
    p.add_argument("--classes", type=int, default=None,
                   help="class count for a pretrained model's head (default: 1000)")
    return p


def run(args: argparse.Namespace) -> int:
    """Print the summary, or the first invalid layer (exit 2)."""
    from studio.core.project import load_project
    from studio.core.shapes import analyze, format_table

    project = load_project(args.project)
    if project.model.kind == "pretrained":
        from studio.core.models import pretrained_summary

        summary = pretrained_summary(project, args.classes or 1000)
    else:
        summary = analyze(project.model.layers, project.input_shape)
    if summary.error is not None:
        if args.json:
            print(json.dumps({"error": summary.error.to_json()}))
        sys.stderr.write(f"error: {summary.error}\n")
        return 2
    if args.json:
        print(json.dumps(summary.to_json()))
    else:
        print(f"{project.name}: input {' x '.join(map(str, project.input_shape))}")
        print(format_table(summary))
    return 0
