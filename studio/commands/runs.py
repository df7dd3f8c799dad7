"""``cnn-studio runs PROJECT [--json]``: the project's runs, as the studio's Runs list shows them.

A project saved as ``DIR/NAME.json`` keeps its runs in ``DIR/NAME.runs/``
(:mod:`studio.core.runs.project_runs`); each is listed with its folder, name, status, epochs
done / planned, best validation accuracy, test accuracy, start time and the training settings
that differ from the project's current ones. ``--json`` prints a list of objects (the
public contract, docs/contract.md: at least ``run``, ``name``, ``status``, ``epochs``, ``best_val_acc``).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from studio.core.project.project_file import load_project
from studio.core.runs.history import project_run_records
from studio.core.runs.project_runs import project_runs_dir


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Register the command."""
    p = sub.add_parser(
        "runs",
        help="list a project's runs",
        description="List the runs of a project (the run folders in NAME.runs/ beside "
        "the project file NAME.json): status, epochs, accuracies and changed settings.",
    )
    p.add_argument("project", help="project file (.json)")
    p.add_argument("--json", action="store_true", help="print a JSON list of runs")
    return p


def run(args: argparse.Namespace) -> int:
    """Print the runs (none: a note saying where they would be)."""
    from studio.core.training.progress import format_accuracy  # lazy: pulls in numpy

    project = load_project(args.project)
    records = project_run_records(args.project, project)
    if args.json:
        print(json.dumps(records, indent=2, ensure_ascii=False))
        return 0
    if not records:
        print(
            f"no runs yet in {project_runs_dir(args.project)} (train with: cnn-studio train {args.project})"
        )
        return 0
    header = ("folder", "name", "status", "epochs", "best val", "test", "started")
    rows = []
    for r in records:
        epochs = f"{r['epochs']}/{r['epochs_planned']}" if r["epochs_planned"] else str(r["epochs"])
        rows.append(
            (
                r["folder"],
                r["name"],
                r["status"],
                epochs,
                format_accuracy(r["best_val_acc"]),
                format_accuracy(r["test_acc"]),
                r["started"].replace("T", " "),
            )
        )
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=False)]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip())
    for r, row in zip(records, rows, strict=True):
        print("  ".join(str(x).ljust(w) for x, w in zip(row, widths, strict=True)).rstrip())
        for key, change in r["differs"].items():
            print(f"    {key}: {_show(change['run'])} (project now: {_show(change['project'])})")
        if r["note"]:
            print(f"    note: {r['note']}")
    return 0


def _show(value: Any) -> str:
    return "-" if value is None else json.dumps(value) if isinstance(value, (dict, list, str)) else str(value)
