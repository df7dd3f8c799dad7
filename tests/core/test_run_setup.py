"""prepare_run: one call settles everything the loop uses, and writes the run folder's fixed files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studio.core.base.errors import UserError
from studio.core.training.callbacks import Callback, CallbackList, Commands
from studio.core.training.devices import ProcessInfo
from studio.core.training.metrics_log import MetricsLog
from studio.core.training.setup import RunRequest, SetupTrace, prepare_run
from tests.helpers.enginekit import CLASSES, tiny_bundle, tiny_project


class Notes(Callback):
    def __init__(self) -> None:
        self.lines: list[str] = []

    def on_log(self, message: str) -> None:  # noqa: D102
        self.lines.append(message)


def test_a_fresh_run_is_settled_in_one_object(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CNN_STUDIO_THREADS", "1")
    run = tmp_path / "run"
    trace = SetupTrace()
    hooks = CallbackList([Notes()])
    setup = prepare_run(
        RunRequest(tiny_project(epochs=2, batch_size=32), run, data=tiny_bundle(n_train=96)),
        ProcessInfo(),
        trace,
        MetricsLog(run),
        hooks,
        Commands(),
    )
    assert (str(setup.device), setup.threads, setup.precision, setup.batches) == ("cpu", 1, "fp32", 3)
    assert setup.progress.start_epoch == 1 and setup.progress.history == []
    assert setup.ctx.callbacks is hooks and setup.ctx.optimizer.param_groups[0]["lr"] > 0
    assert trace.project is setup.project and trace.bundle is setup.bundle and not trace.owns_bundle
    assert json.loads((run / "classes.json").read_text()) == CLASSES
    assert (run / "project.json").is_file() and (run / "metrics.jsonl").read_text() == ""


def test_a_network_that_does_not_end_in_one_score_per_class_is_refused(tmp_path: Path) -> None:
    project = tiny_project([{"type": "Flatten"}, {"type": "Linear", "out_features": 5}])
    with pytest.raises(UserError, match="outputs 5 values but the dataset has 3 classes"):
        prepare_run(
            RunRequest(project, tmp_path / "run", data=tiny_bundle()),
            ProcessInfo(),
            SetupTrace(),
            MetricsLog(tmp_path / "run"),
            CallbackList(),
            Commands(),
        )
