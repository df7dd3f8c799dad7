"""A project owns its runs: where they live, their run-info, moving, importing, listing (no display)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studio.cli import main
from studio.core.project.project_file import Project, save_project
from studio.core.project.templates import get_template
from studio.core.runs.history import row_after_epoch, run_rows, runs_dir_for
from studio.core.runs.project_runs import (
    RUN_INFO,
    display_name,
    import_run,
    legacy_runs,
    network_mismatch,
    new_project_run,
    project_runs_dir,
    read_run_info,
    set_run_info,
    settings_diff,
    slug,
    transfer_runs,
)
from studio.core.runs.run_folder import RunError, append_metric, init_run_dir


def stack(name: str, width: int = 8) -> Project:
    return Project.from_dict(
        {
            "name": name,
            "data": {"source": "sample", "channels": 1, "image_size": [28, 28]},
            "model": {
                "kind": "stack",
                "layers": [
                    {"type": "Conv2d", "out_channels": width, "kernel_size": 3},
                    {"type": "ReLU"},
                    {"type": "Flatten"},
                    {"type": "Linear", "out_features": 10},
                ],
            },
            "training": {"epochs": 3, "optimizer": {"type": "SGD", "lr": 0.1}},
        }
    )


def fake_run(base: Path, project: Project, epochs: int = 1, status: str | None = "completed") -> Path:
    run = new_project_run(base, project)
    init_run_dir(run, project, ["a", "b"])
    for e in range(1, epochs + 1):
        append_metric(run, {"event": "epoch", "epoch": e, "val_acc": 0.1 * e})
    if status:
        append_metric(run, {"event": "end", "status": status, "best_val_acc": 0.1 * epochs})
    return run


def test_two_projects_in_one_folder_keep_their_own_runs(tmp_path: Path) -> None:
    digits, photos = tmp_path / "mnist.json", tmp_path / "photos.json"
    assert project_runs_dir(digits) == (tmp_path / "mnist.runs").resolve()
    assert runs_dir_for(digits) == project_runs_dir(digits) != project_runs_dir(photos)
    run = fake_run(project_runs_dir(digits), stack("Digits"))
    assert [r.path for r in run_rows(project_runs_dir(digits))] == [run]
    assert run_rows(project_runs_dir(photos)) == []


def test_a_run_is_named_from_the_project_and_time_and_can_be_renamed(tmp_path: Path) -> None:
    run = new_project_run(tmp_path, stack("My photos / v2"))
    assert run.name.startswith(slug("My photos / v2") + "-") and slug("My photos / v2") == "my-photos-v2"
    info = read_run_info(run)
    assert info["name"].startswith("My photos / v2 ") and info["note"] == ""
    assert display_name(run) == info["name"]
    set_run_info(run, name="  lr 0.1   try ", note="too high?")
    assert read_run_info(run) | {} == {**info, "name": "lr 0.1 try", "note": "too high?"}
    assert [p.name for p in run.iterdir()] == [RUN_INFO]  # written atomically: no temp file left
    with pytest.raises(RunError, match="cannot be empty"):
        set_run_info(run, name="   ")
    assert read_run_info(run)["name"] == "lr 0.1 try"
    second = new_project_run(tmp_path, stack("My photos / v2"))
    assert second != run  # the same second: a unique folder


def test_a_folder_without_run_info_gets_a_name_from_its_time_stamp(tmp_path: Path) -> None:
    run = init_run_dir(tmp_path / "digits-20261128-142501", stack("d"), [])
    assert display_name(run) == "digits 2026-11-28 14:25:01"
    assert run_rows(tmp_path)[0].started == "2026-11-28T14:25:01"


def test_runs_move_or_copy_with_their_project(tmp_path: Path) -> None:
    workspace = tmp_path / "ws" / "runs"
    a, b = fake_run(workspace, stack("x")), fake_run(workspace, stack("x"))
    target = tmp_path / "x.runs"
    (target / a.name).mkdir(parents=True)  # a clash: the moved run gets another name
    moved = transfer_runs(workspace, target, skip={b})
    assert [p.parent for p in moved] == [target] and moved[0].name == f"{a.name}-2"
    assert not a.exists() and b.exists()  # b is still training: it stays
    copied = transfer_runs(workspace, tmp_path / "y.runs", copy=True)
    assert b.exists() and [p.name for p in copied] == [b.name]


def test_import_refuses_a_run_whose_network_does_not_fit(tmp_path: Path) -> None:
    run = fake_run(tmp_path / "elsewhere", stack("a", width=8))
    assert network_mismatch(stack("a", 8), stack("b", 8)) is None
    with pytest.raises(RunError, match=r"layer 0 differs.*out_channels=8.*out_channels=16"):
        import_run(run, stack("b", width=16), tmp_path / "b.runs")
    assert not (tmp_path / "b.runs").exists()
    placed = import_run(run, stack("b", width=8), tmp_path / "b.runs")
    assert placed.parent == tmp_path / "b.runs" and run.exists()  # copied: the source stays
    assert read_run_info(placed)["name"]
    with pytest.raises(RunError, match="not a run folder"):
        import_run(tmp_path, stack("b"), tmp_path / "b.runs")


def test_runs_of_the_older_layout_are_found_for_their_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CNN_STUDIO_HOME", str(tmp_path / "home"))
    mine = fake_run(tmp_path / "runs", stack("Digits"))
    fake_run(tmp_path / "runs", stack("Photos"))  # another project's
    unsaved = fake_run(tmp_path / "home" / "runs", stack("Digits"), epochs=2)
    fake_run(tmp_path / "home" / "runs", stack("Digits", width=4))  # same name, other network
    project_path = tmp_path / "digits.json"
    save_project(stack("Digits"), project_path)
    found = legacy_runs(project_path, stack("Digits"))
    assert sorted(r.path for r in found) == sorted([mine, unsaved])
    import_run(mine, stack("Digits"), project_runs_dir(project_path), move=True)
    assert [r.path for r in legacy_runs(project_path, stack("Digits"))] == [unsaved]


def test_settings_diff_and_epoch_rows() -> None:
    run, now = stack("a"), stack("a")
    now.training.optimizer["lr"] = 0.01
    now.training.epochs = 5
    assert settings_diff(run, now) == {"training.epochs": (3, 5), "training.optimizer.lr": (0.1, 0.01)}


def test_row_follows_epoch_events_without_reading_the_folder(tmp_path: Path) -> None:
    run = fake_run(tmp_path, stack("a"), epochs=1, status=None)
    (row,) = run_rows(tmp_path)
    assert row.epochs_text == "1/3" and row.best_val_acc == pytest.approx(0.1)
    row2 = row_after_epoch(row, {"event": "epoch", "epoch": 2, "val_acc": 0.5})
    assert row2.epochs_text == "2/3" and row2.best_val_acc == 0.5 and row2.path == run
    assert row_after_epoch(row2, {"event": "epoch", "epoch": 3, "val_acc": 0.2}).best_val_acc == 0.5


def test_runs_command_lists_only_the_projects_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    save_project(stack("A"), a)
    save_project(stack("B"), b)
    run = fake_run(project_runs_dir(a), stack("A"), epochs=2)
    set_run_info(run, note="baseline")
    changed = stack("A")
    changed.training.epochs = 4  # the project moved on since the run
    save_project(changed, a)
    assert main(["runs", str(a), "--json"]) == 0
    (record,) = json.loads(capsys.readouterr().out)
    assert record["run"] == str(run) and record["status"] == "completed" and record["epochs"] == 2
    assert record["best_val_acc"] == pytest.approx(0.2) and record["name"] == read_run_info(run)["name"]
    assert record["note"] == "baseline" and record["differs"] == {"training.epochs": {"run": 3, "project": 4}}
    assert main(["runs", str(a)]) == 0
    out = capsys.readouterr().out
    assert run.name in out and "training.epochs: 3 (project now: 4)" in out and "note: baseline" in out
    assert main(["runs", str(b), "--json"]) == 0 and json.loads(capsys.readouterr().out) == []
    assert main(["runs", str(tmp_path / "missing.json")]) == 2
    assert capsys.readouterr().err.startswith("error: ")


def test_train_without_out_writes_into_the_projects_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CNN_STUDIO_THREADS", "1")
    project = get_template("sample-cnn").project()
    path = tmp_path / "clothes.json"
    save_project(project, path)
    assert main(["train", str(path), "--epochs", "1"]) == 0
    run = Path(capsys.readouterr().out.strip().splitlines()[-1])
    assert run.parent == project_runs_dir(path) and (run / RUN_INFO).is_file()
    assert main(["runs", str(path), "--json"]) == 0
    assert [r["run"] for r in json.loads(capsys.readouterr().out)] == [str(run)]
