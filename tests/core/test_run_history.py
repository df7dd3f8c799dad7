"""The run list's rows and curves, read from run folders written like the engine writes them."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.core.project.project_file import Project
from studio.core.runs.history import (
    checkpoint_epochs,
    curves_from_events,
    run_curves,
    run_label,
    run_rows,
    runs_dir_for,
)
from studio.core.runs.run_folder import append_metric, init_run_dir


def make_run(
    base: Path,
    name: str,
    epochs: list[dict],
    end: dict | None = None,
    planned: int = 3,
    checkpoints: tuple[str, ...] = (),
) -> Path:
    project = Project()
    project.training.epochs = planned
    run = init_run_dir(base / name, project, ["a", "b"])
    for event in epochs:
        append_metric(run, {"event": "epoch", **event})
    if end is not None:
        append_metric(run, {"event": "end", **end})
    for file in checkpoints:
        (run / "checkpoints" / file).write_bytes(b"x")
    return run


def test_runs_dir_named_after_the_project_or_in_its_workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert runs_dir_for(tmp_path / "p" / "digits.json") == (tmp_path / "p" / "digits.runs").resolve()
    assert runs_dir_for(tmp_path / "p" / "photos.json") != runs_dir_for(tmp_path / "p" / "digits.json")
    monkeypatch.setenv("CNN_STUDIO_HOME", str(tmp_path / "home"))
    assert (
        runs_dir_for(None, tmp_path / "home" / "workspaces" / "w1")
        == tmp_path / "home" / "workspaces" / "w1" / "runs"
    )


def test_rows_say_status_best_accuracy_and_what_can_be_done(tmp_path: Path) -> None:
    done = make_run(
        tmp_path,
        "done",
        [{"epoch": 1, "val_acc": 0.5}, {"epoch": 2, "val_acc": 0.7}],
        {"status": "completed", "best_val_acc": 0.7, "test_acc": 0.69},
        planned=2,
        checkpoints=("epoch-1.pt", "epoch-2.pt", "last.pt", "best.pt"),
    )
    killed = make_run(tmp_path, "killed", [{"epoch": 1, "val_acc": 0.4}], None, checkpoints=("last.pt",))
    failed = make_run(tmp_path, "failed", [], {"status": "failed", "message": "loss became nan"})
    rows = {row.name: row for row in run_rows(tmp_path)}
    assert set(rows) == {"done", "killed", "failed"}
    assert rows["done"].status == "completed" and rows["done"].best_val_acc == 0.7
    assert rows["done"].test_acc == 0.69 and rows["done"].epochs_text == "2/2"
    assert rows["done"].checkpoints == [1, 2] and not rows["done"].resumable
    assert rows["killed"].status == "interrupted" and rows["killed"].resumable
    assert rows["killed"].best_val_acc == 0.4 and rows["killed"].epochs_text == "1/3"
    assert rows["failed"].message == "loss became nan" and not rows["failed"].resumable
    assert checkpoint_epochs(done) == [1, 2] and checkpoint_epochs(killed) == []
    assert checkpoint_epochs(failed) == []


def test_a_stopped_run_without_checkpoint_cannot_resume(tmp_path: Path) -> None:
    make_run(tmp_path, "early", [], {"status": "stopped"})
    (row,) = run_rows(tmp_path)
    assert row.status == "stopped" and not row.resumable


def test_curves_keep_the_last_report_of_each_epoch(tmp_path: Path) -> None:
    events = [
        {"event": "epoch", "epoch": 1, "train_loss": 1.0, "val_loss": 1.2, "lr": 0.1},
        {"event": "epoch", "epoch": 2, "train_loss": 0.9},
        {"event": "epoch", "epoch": 2, "train_loss": 0.8, "val_acc": 0.6},
        {"event": "end", "status": "completed"},
    ]
    curves = curves_from_events(events)
    assert curves["epoch"] == [1, 2]
    assert curves["train_loss"] == [1.0, 0.8]
    assert curves["val_loss"] == [1.2, None]
    assert curves["val_acc"] == [None, 0.6]
    run = make_run(tmp_path, "r", [{"epoch": 1, "train_loss": 2.0}])
    assert run_curves(run)["train_loss"] == [2.0]


def test_run_labels_read_the_time_stamp() -> None:
    assert run_label("fashion-mnist-clothing-20261128-142501") == "2026-11-28 14:25:01"
    assert run_label("digits-20261128-142501-2", short=True) == "14:25:01 #2"
    assert run_label("my experiment") == "my experiment"
