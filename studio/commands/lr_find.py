"""``cnn-studio lr-find PROJECT [--json]``: the learning-rate range test.

Trains a throw-away copy of the project's network for at most 100 batches with a growing
learning rate and suggests where to start (see :mod:`studio.core.training.lr_finder`). The
project file and its runs are not touched; ``--json`` prints ``{"lrs": [...], "losses":
[...], "suggested": x}``.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from studio.core.base.errors import UserError
from studio.core.project.project_file import load_project
from studio.core.training.lr_finder import current_rate, find_lr, rate_key


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not (value > 0 and value == value and value != float("inf")):
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text}")
    return value


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Register the command."""
    p = sub.add_parser(
        "lr-find",
        help="learning-rate range test: which rate to train with",
        description="Sweep the learning rate exponentially over at most 100 batches on a "
        "copy of the network and suggest a tenth of the rate where the loss is lowest.",
    )
    p.add_argument("project", help="project file (.json)")
    p.add_argument("--json", action="store_true", help='print {"lrs", "losses", "suggested"} as JSON')
    p.add_argument("--batches", type=int, default=100, help="batches to sweep over (2-100, default 100)")
    p.add_argument("--start", type=_positive, default=1e-6, help="first learning rate (default 1e-6)")
    p.add_argument("--end", type=_positive, default=1.0, help="last learning rate (default 1)")
    p.add_argument("--device", default="cpu", help="cpu (default), cuda, mps or auto")
    return p


def run(args: argparse.Namespace) -> int:
    """Run the sweep and print the suggestion (or the JSON body)."""
    if not 2 <= args.batches <= 100:
        raise UserError(f"--batches must be between 2 and 100, got {args.batches}")
    project = load_project(args.project)

    def show(step: int, lr: float, loss: float) -> None:
        if not args.json and step % 10 == 0:
            sys.stderr.write(f"  step {step:3d}  lr {lr:.2e}  loss {loss:.4f}\n")

    result = find_lr(
        project,
        num_batches=args.batches,
        start_lr=args.start,
        end_lr=args.end,
        device=args.device,
        on_step=show,
    )
    if args.json:
        print(json.dumps(result.to_json()))
        return 0
    if result.stopped_early:
        print(f"the loss diverged after {len(result.lrs)} batches (at lr {result.lrs[-1]:.2e})")
    if result.suggested is None:
        print("no suggestion: the loss did not fall over the swept range; widen it with --start/--end")
    else:
        print(
            f"suggested learning rate: {result.suggested:.3g} "
            f"(set {rate_key(project)}; it is {current_rate(project)} now)"
        )
    return 0
