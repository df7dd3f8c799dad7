"""``cnn-studio export RUN_DIR --format F --out PATH``: write a verified export of a run.

F is ``torchscript``, ``onnx``, ``state-dict``, ``safetensors`` or ``python`` (a folder).
The export is reloaded and compared with the PyTorch model on validation images (or
synthetic inputs when the dataset is unavailable) before it is kept; the figures are
printed. An export that disagrees is deleted and the command exits 2. An existing PATH is
replaced only when it is an earlier export of the same format (or with ``--force``).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from studio.core.base.errors import UserError
from studio.core.export.names import FORMAT_HELP, FORMATS


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Register the command."""
    p = sub.add_parser(
        "export",
        help="export a trained run (TorchScript, ONNX, state dict, safetensors, Python)",
        description="Export a run's model, verified against the PyTorch model. Formats: "
        + "; ".join(f"{k}: {v}" for k, v in FORMAT_HELP.items()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("run_dir", metavar="RUN_DIR", help="run folder written by `cnn-studio train`")
    p.add_argument("--format", "-f", required=True, choices=FORMATS, help="export format")
    p.add_argument(
        "--out",
        "-o",
        required=True,
        metavar="PATH",
        help="output file (a folder for python); an existing folder gets a file named after the project",
    )
    p.add_argument(
        "--checkpoint",
        choices=("best", "last"),
        default="best",
        help="which checkpoint to export (default: best)",
    )
    p.add_argument("--samples", type=int, default=64, help="validation images used to verify (default 64)")
    p.add_argument(
        "--force",
        action="store_true",
        help="replace PATH even when it is not an earlier CNN Studio export of this format",
    )
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    return p


def run(args: argparse.Namespace) -> int:
    """Export, verify and report."""
    from studio.core.export.exporter import export_run  # lazy: pulls in numpy

    if args.samples < 1:
        raise UserError(f"--samples must be at least 1, got {args.samples}")
    result = export_run(
        args.run_dir, args.format, args.out, which=args.checkpoint, max_samples=args.samples, force=args.force
    )
    print(json.dumps(result.to_json(), indent=2) if args.json else result.text())
    return 0
