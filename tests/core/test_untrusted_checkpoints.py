"""Issue 20 item 7: crafted but pickle-free checkpoints give one ``error:`` line naming the file
and the field - in predict, export and train --resume - never a traceback."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import torch

from studio.cli import main
from studio.core.runs.run_folder import RunError, load_checkpoint
from tests.helpers.runfactory import MadeRun, shared_run


@pytest.fixture(scope="module")
def made() -> MadeRun:
    return shared_run()


def _crafted(made: MadeRun, tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    run = tmp_path / "run"
    shutil.copytree(made.path, run)
    for name in ("best.pt", "last.pt"):
        path = run / "checkpoints" / name
        state = torch.load(path, weights_only=True)
        change(state)
        torch.save(state, path)
    return run


def _set(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(state: dict[str, Any]) -> None:
        if value is _DROP:
            state.pop(key, None)
        else:
            state[key] = value

    return change


_DROP = object()

CASES = [
    ("classes", _set("classes", 3), "field classes"),
    ("no classes", _set("classes", []), "field classes"),
    ("shape string", _set("input_shape", "1x12x12"), "field input_shape"),
    ("7 channels", _set("input_shape", [7, 12, 12]), "field input_shape"),
    ("negative size", _set("input_shape", [1, -12, 12]), "field input_shape"),
    ("std 0", _set("norm", {"mean": [0.1], "std": [0.0]}), "field norm.std"),
    ("norm list", _set("norm", [0.1, 0.2]), "field norm"),
    ("project int", _set("project", 5), "field project"),
    ("no project", _set("project", _DROP), "field project"),
    ("model list", _set("model", [1, 2]), "field model"),
    ("epoch text", _set("epoch", "two"), "field epoch"),
    ("rng bad", _set("rng", {"torch": 5}), "field rng.torch"),
    ("more classes than outputs", _set("classes", ["a", "b", "c", "d", "e"]), "field classes names 5"),
]


@pytest.mark.parametrize("change, field", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_crafted_checkpoints_are_one_error_line_everywhere(
    made: MadeRun,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    change: Callable[[dict[str, Any]], None],
    field: str,
) -> None:
    run = _crafted(made, tmp_path, change)
    commands = [
        ["predict", str(run), str(made.paths[0])],
        ["export", str(run), "--format", "onnx", "--out", str(tmp_path / "m.onnx"), "--samples", "2"],
    ]
    for argv in commands:
        assert main(argv) == 2, argv
        err = capsys.readouterr().err.strip()
        assert err.startswith("error: ") and "\n" not in err and "Traceback" not in err, err
        assert "best.pt" in err and field in err, err
    assert not (tmp_path / "m.onnx").exists()


def test_a_resume_without_rng_state_says_so(
    made: MadeRun, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CNN_STUDIO_THREADS", "1")
    run = _crafted(made, tmp_path, _set("rng", _DROP))
    assert load_checkpoint(run / "checkpoints" / "last.pt")["epoch"] == 2  # predicting needs no rng
    assert main(["train", str(run / "project.json"), "--resume", str(run), "--epochs", "4"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("error: checkpoints/last.pt: field rng is missing"), err
    assert not any("Traceback" in line for line in err)


def test_load_checkpoint_names_file_and_field(tmp_path: Path) -> None:
    path = tmp_path / "x.pt"
    torch.save({"model": {"w": torch.zeros(1)}, "project": {}, "classes": "abc"}, path)
    with pytest.raises(RunError, match=r"x\.pt: field classes must be a list"):
        load_checkpoint(path)


@pytest.mark.parametrize(
    "change, field",
    [c[1:] for c in CASES if c[0] in ("classes", "std 0", "more classes than outputs")],
    ids=["classes", "std 0", "more classes than outputs"],
)
def test_the_evaluate_page_core_reports_crafted_checkpoints(
    made: MadeRun, tmp_path: Path, change: Callable[[dict[str, Any]], None], field: str
) -> None:
    from studio.core.base.errors import UserError
    from studio.core.evaluation.evaluate import evaluate_run

    run = _crafted(made, tmp_path, change)
    with pytest.raises(UserError) as info:
        evaluate_run(run)
    assert "best.pt" in str(info.value) and field in str(info.value)
