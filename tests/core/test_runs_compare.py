"""Runs side by side: flattened settings, the keys that differ, times, and the run rows that carry them."""

from __future__ import annotations

from pathlib import Path

from studio.core.project.project_file import save_project
from studio.core.runs.compare import (
    differing_keys,
    flat_settings,
    format_seconds,
    format_setting,
    run_seconds,
    short_key,
)
from studio.core.runs.history import run_rows
from studio.core.training.engine import train
from tests.helpers.enginekit import tiny_bundle, tiny_project


def test_settings_flatten_to_dotted_keys_with_layer_indices() -> None:
    flat = flat_settings(tiny_project())
    assert flat["training.optimizer.lr"] == 0.01
    assert flat["model.layers[0].out_channels"] == 8
    assert "name" not in flat and "data.root" not in flat  # not part of the recipe


def test_only_keys_that_differ_are_compared_training_first() -> None:
    a = {"training.optimizer.lr": 0.01, "training.batch_size": 32, "model.layers[0].out_channels": 8}
    b = {"training.optimizer.lr": 0.1, "training.batch_size": 32, "model.layers[0].out_channels": 16}
    c = {"training.optimizer.lr": 0.01, "training.batch_size": 32}
    assert differing_keys([a, b]) == ["training.optimizer.lr", "model.layers[0].out_channels"]
    assert differing_keys([a, c]) == ["model.layers[0].out_channels"]  # missing counts as different
    assert differing_keys([a]) == []


def test_column_titles_and_cells() -> None:
    assert short_key("training.optimizer.lr") == "lr"
    assert short_key("model.layers[3].out_channels") == "[3].out_channels"
    assert format_setting(0.000123456) == "0.0001235" and format_setting(None) == "–"
    assert (
        format_seconds(93.4) == "1:33" and format_seconds(3725) == "1:02:05" and format_seconds(None) == "–"
    )
    assert run_seconds([{"event": "epoch", "seconds": 1.5}, {"event": "epoch", "seconds": 2}]) == 3.5
    assert run_seconds([{"event": "end"}]) is None


def test_run_rows_carry_each_runs_time_and_settings(tmp_path: Path) -> None:
    data = tiny_bundle()
    for lr in (0.01, 0.05):
        project = tiny_project(epochs=1)
        project.training.optimizer = {"type": "AdamW", "lr": lr}
        project.training.scheduler = None
        train(project, tmp_path / "runs" / f"run-{lr}", data=data)
    rows = run_rows(tmp_path / "runs")
    assert len(rows) == 2
    assert all(r.seconds is not None and r.seconds > 0 for r in rows)
    assert sorted(r.settings["training.optimizer.lr"] for r in rows) == [0.01, 0.05]
    assert differing_keys(r.settings for r in rows) == ["training.optimizer.lr"]
    save_project(tiny_project(), tmp_path / "p.json")  # (the rows came from the folders alone)
