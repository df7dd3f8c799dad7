"""``cnn-studio report RUN_DIR -o FILE.html``: one self-contained HTML report of a run.

The network, data, settings, curves, confusion matrix, per-class metrics, the most confident
mistakes and the environment, in one file with no outside references
(:mod:`studio.core.evaluation.report`). An existing file that is not a CNN Studio report is
not replaced unless ``--force``.
"""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Register the command."""
    p = sub.add_parser(
        "report",
        help="write one self-contained HTML report of a run",
        description="Write a run's network, data, settings, curves, confusion matrix, "
        "per-class metrics and most confident mistakes into one HTML file.",
    )
    p.add_argument("run", help="run folder")
    p.add_argument("-o", "--out", required=True, help="the HTML file to write")
    p.add_argument("--split", choices=("val", "test"), default="val", help="split to evaluate (default val)")
    p.add_argument("--no-eval", action="store_true", help="leave out the evaluation (no dataset needed)")
    p.add_argument("--force", action="store_true", help="replace an existing file that is not a report")
    return p


def run(args: argparse.Namespace) -> int:
    """Write the report and say where."""
    from studio.core.evaluation.report import write_report  # lazy: pulls in numpy

    path = write_report(args.run, args.out, force=args.force, evaluate=not args.no_eval, split=args.split)
    print(f"wrote {path}")
    return 0
