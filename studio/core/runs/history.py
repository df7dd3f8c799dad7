"""A project's past runs as rows and curves (what the Train page's run list shows).

Runs live in ``NAME.runs/`` beside the project file ``NAME.json``, or, for a project never
saved, in its workspace under the per-user data folder (:mod:`studio.core.runs.project_runs`).
Each row says the run's display name and note, status, best validation accuracy, epochs done
out of those planned, and whether it can be resumed; :func:`run_curves` gives the epoch curves
to overlay on the live plots.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studio.core.runs.compare import flat_settings, run_seconds
from studio.core.runs.project_runs import display_name as _display_name
from studio.core.runs.project_runs import project_runs_dir, read_run_info, runs_location, settings_diff
from studio.core.runs.run_folder import RunInfo, list_runs, read_run
from studio.core.runs.train_state import epoch_files

CURVE_KEYS = ("train_loss", "val_loss", "train_acc", "val_acc", "lr")
_STAMPED = re.compile(r"-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})(?:-(\d+))?$")


def run_label(name: str, short: bool = False) -> str:
    """A run folder's name for people: ``2026-11-28 14:25:01`` (``short``: ``14:25:01``).

    Folders made by the studio or the CLI end in a time stamp (``digits-20261128-142501``,
    ``-2`` for a second run in the same second); in a project's own run list the project part
    says nothing new. Other names are returned as they are.
    """
    match = _STAMPED.search(name)
    if not match:
        return name
    y, mo, d, h, mi, sec, n = match.groups()
    label = f"{h}:{mi}:{sec}" if short else f"{y}-{mo}-{d} {h}:{mi}:{sec}"
    return f"{label} #{n}" if n else label


def runs_dir_for(
    project_path: str | os.PathLike[str] | None, workspace: str | os.PathLike[str] | None = None
) -> Path:
    """Where a project's runs go: ``NAME.runs/`` beside its file, else its workspace's ``runs/``."""
    return runs_location(project_path, workspace)


def checkpoint_epochs(run_dir: str | os.PathLike[str]) -> list[int]:
    """The epochs with a per-epoch checkpoint in ``run_dir/checkpoints`` (``epoch-3.pt``...), sorted."""
    return sorted(epoch_files(run_dir))


@dataclass(frozen=True)
class RunRow:
    """One line of the run list."""

    path: Path
    name: str
    status: str
    best_val_acc: float | None
    test_acc: float | None
    epochs_done: int
    epochs_planned: int | None
    message: str = ""
    checkpoints: list[int] = field(default_factory=list)
    has_last: bool = False
    #: the readable name (run-info.json, else made from the folder's time stamp) and note
    display: str = ""
    note: str = ""
    #: when the run started (ISO text, from the run-info or the folder's time stamp)
    started: str = ""
    #: training time (the epochs' seconds added up) and the run's own settings, flattened
    seconds: float | None = None
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def resumable(self) -> bool:
        """An interrupted or stopped run with a checkpoint and epochs still to go."""
        if self.status not in ("interrupted", "stopped") or not self.has_last:
            return False
        return self.epochs_planned is None or self.epochs_done < self.epochs_planned

    @property
    def epochs_text(self) -> str:
        """``"3/10"`` (or ``"3"`` when the plan is unknown)."""
        return f"{self.epochs_done}/{self.epochs_planned}" if self.epochs_planned else str(self.epochs_done)


def run_row(info: RunInfo) -> RunRow:
    """Summarise one run folder."""
    end = info.end or {}
    planned = info.project.training.epochs if info.project is not None else None
    best = end.get("best_val_acc") if isinstance(end.get("best_val_acc"), (int, float)) else info.best_val_acc
    test = end.get("test_acc") if isinstance(end.get("test_acc"), (int, float)) else None
    done = max((int(e.get("epoch", 0)) for e in info.epochs), default=0)
    meta = read_run_info(info.path)
    started = str(meta.get("created") or "")
    if not started:
        match = _STAMPED.search(info.path.name)
        if match:
            y, mo, d, h, mi, sec, _n = match.groups()
            started = f"{y}-{mo}-{d}T{h}:{mi}:{sec}"
    return RunRow(
        path=info.path,
        name=info.path.name,
        status=info.status,
        best_val_acc=best,
        test_acc=test,
        epochs_done=done,
        epochs_planned=planned,
        message=str(end.get("message", "")),
        checkpoints=checkpoint_epochs(info.path),
        has_last=(info.path / "checkpoints" / "last.pt").is_file(),
        display=_display_name(info.path),
        note=str(meta.get("note") or ""),
        started=started,
        seconds=run_seconds(info.events),
        settings=flat_settings(info.project) if info.project is not None else {},
    )


def row_after_epoch(row: RunRow, event: dict[str, Any]) -> RunRow:
    """``row`` brought up to date by one epoch event of its running run (no disk read)."""
    from dataclasses import replace

    epoch = event.get("epoch")
    done = max(row.epochs_done, int(epoch)) if isinstance(epoch, int) else row.epochs_done
    best = row.best_val_acc
    value = event.get("val_acc")
    if isinstance(value, (int, float)) and (best is None or value > best):
        best = float(value)
    planned = event.get("epochs") if isinstance(event.get("epochs"), int) else row.epochs_planned
    seconds = (
        (row.seconds or 0.0) + float(event["seconds"])
        if isinstance(event.get("seconds"), (int, float))
        else row.seconds
    )
    return replace(
        row, epochs_done=done, best_val_acc=best, epochs_planned=planned, has_last=True, seconds=seconds
    )


def run_rows(base: str | os.PathLike[str]) -> list[RunRow]:
    """Every run under ``base``, newest first."""
    return [run_row(info) for info in list_runs(base)]


def curves_from_events(events: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """Epoch curves: ``epoch`` and each of :data:`CURVE_KEYS` (None where an epoch lacks it).

    A resumed run may repeat an epoch; its last report wins.
    """
    by_epoch: dict[int, dict[str, Any]] = {}
    for event in events:
        if event.get("event") == "epoch" and isinstance(event.get("epoch"), int):
            by_epoch[event["epoch"]] = event
    epochs = sorted(by_epoch)
    curves: dict[str, list[Any]] = {"epoch": list(epochs)}
    for key in CURVE_KEYS:
        values = []
        for epoch in epochs:
            value = by_epoch[epoch].get(key)
            values.append(float(value) if isinstance(value, (int, float)) else None)
        curves[key] = values
    return curves


def run_curves(run_dir: str | os.PathLike[str]) -> dict[str, list[Any]]:
    """The epoch curves of one run folder."""
    return curves_from_events(read_run(run_dir).events)


def project_run_records(project_path: str | os.PathLike[str], project: Any) -> list[dict[str, Any]]:
    """One plain dict per run of the project saved at ``project_path`` (what ``cnn-studio runs`` prints).

    Keys: ``run`` (folder path), ``folder``, ``name``, ``note``, ``status``, ``epochs`` (done),
    ``epochs_planned``, ``best_val_acc``, ``test_acc``, ``started`` and ``differs``: the
    training settings where the run differs from ``project`` now,
    ``{"training.optimizer.lr": {"run": 0.01, "project": 0.003}}``.
    """
    records: list[dict[str, Any]] = []
    for info in list_runs(project_runs_dir(project_path)):
        row = run_row(info)
        differs = {}
        if info.project is not None and project is not None:
            differs = {
                k: {"run": a, "project": b} for k, (a, b) in settings_diff(info.project, project).items()
            }
        records.append(
            {
                "run": str(row.path),
                "folder": row.name,
                "name": row.display,
                "note": row.note,
                "status": row.status,
                "epochs": row.epochs_done,
                "epochs_planned": row.epochs_planned,
                "best_val_acc": row.best_val_acc,
                "test_acc": row.test_acc,
                "started": row.started,
                "differs": differs,
            }
        )
    records.sort(key=lambda r: (r["started"], r["folder"]), reverse=True)
    return records
