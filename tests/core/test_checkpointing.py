"""Checkpointing: which files an epoch and a stop write, in which order, and what last.pt holds."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

import studio.core.training.checkpointing as checkpointing
from studio.core.runs.run_folder import load_checkpoint
from studio.core.training.best_epoch import BestEpoch
from studio.core.training.callbacks import CallbackList, Commands
from studio.core.training.checkpointing import Checkpointing
from studio.core.training.devices import ProcessInfo
from studio.core.training.early_stopping import EarlyStopping
from studio.core.training.loop import EpochState
from studio.core.training.metrics_log import MetricsLog
from studio.core.training.setup import RunRequest, RunSetup, SetupTrace, prepare_run
from tests.helpers.enginekit import tiny_bundle, tiny_project


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> RunSetup:
    monkeypatch.setenv("CNN_STUDIO_THREADS", "1")
    run = tmp_path / "run"
    request = RunRequest(tiny_project(epochs=3), run, data=tiny_bundle())
    return prepare_run(request, ProcessInfo(), SetupTrace(), MetricsLog(run), CallbackList(), Commands())


def _event(epoch: int, best: bool) -> dict:
    return {"event": "epoch", "epoch": epoch, "train_loss": 1.0, "val_acc": 0.5, "best": best}


def test_an_epoch_writes_best_and_epoch_files_before_last(
    setup: RunSetup, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[str] = []
    real = checkpointing.save_checkpoint
    monkeypatch.setattr(
        checkpointing,
        "save_checkpoint",
        lambda path, state: (written.append(Path(path).name), real(path, state)),
    )
    cb = Checkpointing(setup)
    setup.progress.history.append(_event(1, True))
    cb.on_epoch_end(_event(1, True))  # type: ignore[arg-type]
    assert written == ["best.pt", "epoch-1.pt", "last.pt"]  # last.pt, the one a resume trusts, last
    written.clear()
    cb.on_epoch_end(_event(2, False))  # type: ignore[arg-type]
    assert written == ["epoch-2.pt", "last.pt"]  # not the best: best.pt keeps epoch 1
    assert load_checkpoint(setup.run_dir / "checkpoints" / "best.pt")["epoch"] == 1


def test_last_pt_holds_what_an_exact_resume_needs(setup: RunSetup) -> None:
    best, early = BestEpoch("val_acc"), EarlyStopping("val_loss", patience=2)
    best.on_epoch_end(_event(1, False))  # type: ignore[arg-type]
    early.wait = 1
    setup.progress.history.append(_event(1, True))
    Checkpointing(setup, states=[best, early]).on_epoch_end(_event(1, True))  # type: ignore[arg-type]
    state = load_checkpoint(setup.run_dir / "checkpoints" / "last.pt")
    assert state["epoch"] == 1 and state["history"] == [_event(1, True)]
    assert state["best"] == {"metric": "val_acc", "value": 0.5, "epoch": 1}
    assert state["early_stopping"] == {"best": None, "wait": 1}
    assert (state["threads"], state["precision"], state["device_type"]) == (1, "fp32", "cpu")
    assert set(state["rng"]) >= {"torch", "data", "python", "numpy"}
    model = setup.model.state_dict()
    assert all(torch.equal(state["model"][k], model[k]) for k in model)


def test_a_stop_mid_epoch_saves_the_epochs_running_sums(setup: RunSetup) -> None:
    partial = EpochState(
        epoch=2, batches_done=3, loss_sum=4.5, correct=20, seen=96, data_rng=setup.generator.get_state()
    )
    Checkpointing(setup).on_interrupted(2, partial)
    state = load_checkpoint(setup.run_dir / "checkpoints" / "last.pt")
    assert state["epoch"] == 1  # epoch 1 complete, epoch 2 in progress
    assert state["partial"]["batch"] == 3 and state["partial"]["seen"] == 96


def test_only_the_main_process_writes(setup: RunSetup) -> None:
    setup.proc = ProcessInfo(rank=1, local_rank=1, world_size=2)
    cb = Checkpointing(setup)
    cb.on_epoch_end(_event(1, True))  # type: ignore[arg-type]
    cb.on_interrupted(2, EpochState(epoch=2))
    assert not list((setup.run_dir / "checkpoints").iterdir())
