"""``cnn-studio sweep PROJECT --param KEY=VALUES ...``: a hyper-parameter search on Optuna.

Each trial is an ordinary run in the project's runs folder; the study is kept in
``--storage`` (default: ``sweeps.db`` in the runs folder), so running the same command again
continues it, and ``--storage postgresql://...`` with one ``--study`` name lets processes on
several machines share it. See :mod:`studio.core.training.sweep`.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from studio.core.base.errors import UserError


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Register the command."""
    p = sub.add_parser(
        "sweep",
        help="search settings with Optuna; each trial is a run of the project",
        description="Search project settings with an Optuna study. Each --param is "
        "KEY=LOW:HIGH[:log|:int|:int-log] or KEY=A,B,C, e.g. "
        "--param training.optimizer.lr=1e-4:1e-1:log --param training.batch_size=64,128,256",
    )
    p.add_argument("project", help="project file (.json)")
    p.add_argument("--param", action="append", default=[], metavar="KEY=VALUES", help="a setting to search")
    p.add_argument("--trials", type=int, default=10, help="trials to run now (default 10)")
    p.add_argument("--sampler", default="tpe", choices=("tpe", "random", "grid"))
    p.add_argument("--pruner", default="median", choices=("median", "none"))
    p.add_argument("--storage", default=None, help="Optuna storage URL (default: sqlite in the runs folder)")
    p.add_argument("--study", default=None, help="study name (default: PROJECT-sweep)")
    p.add_argument("--timeout", type=float, default=None, help="stop starting trials after S seconds")
    p.add_argument("--epochs", type=int, default=None, help="epochs per trial (default: the project's)")
    p.add_argument("--device", default=None, help="cpu, cuda, mps or auto (default: the project's)")
    p.add_argument("--json", action="store_true", help="print the study's trials as JSON")
    return p


def run(args: argparse.Namespace) -> int:
    """Run the sweep, printing a line per trial, then the best trial."""
    from studio.core.training.sweep import TrialRecord, parse_param, run_sweep  # lazy: pulls in torch

    if args.epochs is not None and args.epochs < 1:
        raise UserError(f"--epochs must be at least 1, got {args.epochs}")
    params = [parse_param(p) for p in args.param]

    def show(t: TrialRecord) -> None:
        if not args.json:
            value = "-" if t.value is None else f"{t.value:.4f}"
            settings = ", ".join(f"{k}={v}" for k, v in t.params.items())
            sys.stdout.write(f"trial {t.number}: {t.state.lower():8s} acc {value}  {settings}\n")
            sys.stdout.flush()

    result = run_sweep(
        args.project,
        params,
        trials=args.trials,
        sampler=args.sampler,
        pruner=args.pruner,
        storage=args.storage,
        study=args.study,
        timeout=args.timeout,
        device=args.device,
        epochs=args.epochs,
        on_trial=show,
    )
    if args.json:
        print(json.dumps(result.to_json()))
        return 0
    done = sum(t.state == "COMPLETE" for t in result.trials)
    print(f"study {result.study}: {len(result.trials)} trials ({done} complete) in {result.storage}")
    if result.best is not None:
        settings = ", ".join(f"{k}={v}" for k, v in result.best.params.items())
        print(
            f"best: trial {result.best.number}, acc {result.best.value:.4f}  {settings}\n  run: {result.best.run}"
        )
    return 0
