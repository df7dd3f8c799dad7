"""Sweeps on Optuna: parameter syntax, setting keys, trials as runs, resuming a study."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from studio.core.base.errors import UserError
from studio.core.project.project_file import save_project
from studio.core.runs.run_folder import read_metrics
from studio.core.training.sweep import ParamSpec, parse_param, run_sweep, set_key, trial_project
from tests.helpers.enginekit import tiny_bundle, tiny_project


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "training.optimizer.lr=1e-4:1e-1:log",
            ParamSpec("training.optimizer.lr", "float", 1e-4, 1e-1, True),
        ),
        (
            "training.batch_size=64,128,256",
            ParamSpec("training.batch_size", "choice", choices=(64, 128, 256)),
        ),
        (
            "model.layers[0].out_channels=8:64:int",
            ParamSpec("model.layers[0].out_channels", "int", 8, 64, False),
        ),
        (
            "training.optimizer.type=SGD,AdamW",
            ParamSpec("training.optimizer.type", "choice", choices=("SGD", "AdamW")),
        ),
        ("training.label_smoothing=0:0.2", ParamSpec("training.label_smoothing", "float", 0.0, 0.2, False)),
    ],
)
def test_param_syntax(text: str, expected: ParamSpec) -> None:
    assert parse_param(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("training.optimizer.lr", "KEY=LOW:HIGH"),
        ("training.optimizer.lr=0.1:0.01", "LOW must be below HIGH"),
        ("training.optimizer.lr=0:1:log", "positive"),
        ("training.batch_size=64", "at least two choices"),
        ("training.batch_size=1.5:8:int", "whole numbers"),
        ("x y=1,2", "is not a project-file key"),
        ("training.optimizer.lr=1e-4:1e-1:cubic", ":log, :int"),
    ],
)
def test_bad_params_are_refused_with_the_fix(text: str, message: str) -> None:
    with pytest.raises(UserError, match=message):
        parse_param(text)


def test_set_key_reaches_nested_and_listed_settings_and_refuses_typos() -> None:
    raw = tiny_project().to_dict()
    set_key(raw, "training.optimizer.lr", 0.5)
    set_key(raw, "model.layers[0].out_channels", 4)
    assert raw["training"]["optimizer"]["lr"] == 0.5 and raw["model"]["layers"][0]["out_channels"] == 4
    with pytest.raises(UserError, match="no 'optimiser'"):
        set_key(raw, "training.optimiser.lr", 0.1)
    with pytest.raises(UserError, match="does not exist"):
        set_key(raw, "model.layers[99].out_channels", 4)
    with pytest.raises(UserError, match="invalid"):
        trial_project(raw, {"training.batch_size": -3})


@pytest.fixture
def project_file(tmp_path: Path) -> Path:
    project = tiny_project(epochs=2)
    project.training.scheduler = None
    path = tmp_path / "tiny.json"
    save_project(project, path)
    return path


def test_a_sweep_runs_trials_as_ordinary_runs_and_continues_its_study(project_file: Path) -> None:
    import optuna

    data = tiny_bundle()
    seen: list[Any] = []
    params = [parse_param("training.optimizer.lr=1e-3:1e-1:log"), parse_param("training.batch_size=16,32")]
    first = run_sweep(project_file, params, trials=3, pruner="none", data=data, on_trial=seen.append)
    assert [t.state for t in first.trials] == ["COMPLETE"] * 3
    assert len(seen) == 3
    runs = project_file.parent / "tiny.runs"
    for t in first.trials:
        run = Path(t.run)
        assert run.parent == runs.resolve()
        saved = json.loads((run / "project.json").read_text(encoding="utf-8"))
        assert saved["training"]["optimizer"]["lr"] == pytest.approx(t.params["training.optimizer.lr"])
        assert saved["training"]["batch_size"] == t.params["training.batch_size"]
        assert read_metrics(run)[-1]["event"] == "end"
    assert first.best is not None and first.best.value == max(t.value or 0 for t in first.trials)
    # the default storage is an SQLite file in the runs folder that Optuna itself can load
    study = optuna.load_study(study_name=first.study, storage=first.storage)
    assert len(study.trials) == 3 and first.storage.endswith("tiny.runs/sweeps.db")
    again = run_sweep(project_file, params, trials=1, pruner="none", data=data)
    assert len(again.trials) == 4  # the same study, continued


def test_a_crashed_trial_is_marked_failed_and_the_sweep_goes_on(project_file: Path) -> None:
    data = tiny_bundle()
    # a 20x20 pooling window is a valid argument but larger than the 12x12 images: that run fails
    params = [parse_param("model.layers[3].kernel_size=20,2")]
    result = run_sweep(project_file, params, trials=2, sampler="grid", pruner="none", data=data)
    states = sorted(t.state for t in result.trials)
    assert states == ["COMPLETE", "FAIL"]


def test_a_setting_the_project_refuses_stops_the_sweep_before_any_trial(project_file: Path) -> None:
    with pytest.raises(UserError, match="training.batch_size: must be a positive integer"):
        run_sweep(project_file, [parse_param("training.batch_size=0,16")], trials=1, data=tiny_bundle())
    assert not (project_file.parent / "tiny.runs").exists() or not any(
        p.is_dir() for p in (project_file.parent / "tiny.runs").iterdir()
    )


def test_grid_needs_choices(project_file: Path) -> None:
    with pytest.raises(UserError, match="grid needs choices"):
        run_sweep(project_file, [parse_param("training.optimizer.lr=1e-3:1e-1:log")], sampler="grid")
