"""Resuming is exact: a killed or stopped run, resumed, ends with an uninterrupted run's numbers.

Same seed, CPU, the same thread count: the epoch events (timings aside) must be EQUAL, not
close. The data uses augmentation and the network dropout, so the data generator and torch's
RNG must both come back exactly. Forking starts a new run from a saved epoch's weights.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import torch

from studio.core.data.augment import AugmentConfig
from studio.core.runs.run_folder import RunError, read_metrics, read_run
from studio.core.runs.train_state import saved_epochs
from studio.core.training.callbacks import Commands
from studio.core.training.engine import fork_run, train
from tests.helpers.enginekit import Recorder, tiny_bundle, tiny_project, without_timing

REPO = Path(__file__).resolve().parents[2]
AUG = AugmentConfig(random_crop=2, hflip=True)


@pytest.fixture(autouse=True)
def one_thread(monkeypatch: pytest.MonkeyPatch):
    """The same thread count in every run (and in the subprocess)."""
    monkeypatch.setenv("CNN_STUDIO_THREADS", "1")
    before = torch.get_num_threads()
    yield
    torch.set_num_threads(before)


def _data():
    return tiny_bundle(augment=AUG, n_test=24)


def _epochs(run: Path) -> list[dict]:
    return without_timing([e for e in read_metrics(run) if e["event"] == "epoch"])


@pytest.fixture(scope="module")
def straight(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An uninterrupted 3-epoch run, the reference."""
    os.environ["CNN_STUDIO_THREADS"] = "1"
    try:
        run = tmp_path_factory.mktemp("straight") / "run"
        end = train(tiny_project(epochs=3), run, data=_data())
    finally:
        os.environ.pop("CNN_STUDIO_THREADS", None)
    assert end["status"] == "completed"
    return run


def _assert_same_as(straight: Path, run: Path) -> None:
    assert _epochs(run) == _epochs(straight)
    a, b = read_metrics(straight)[-1], read_metrics(run)[-1]
    for key in ("status", "best_epoch", "best_val_acc", "test_acc", "test_loss", "epochs_done"):
        assert a[key] == b[key], key
    wa = torch.load(straight / "checkpoints" / "last.pt", weights_only=True)["model"]
    wb = torch.load(run / "checkpoints" / "last.pt", weights_only=True)["model"]
    assert all(torch.equal(wa[k], wb[k]) for k in wa)


def test_a_run_killed_after_epoch_2_resumes_to_the_same_metrics(straight: Path, tmp_path: Path) -> None:
    run = tmp_path / "killed"
    script = textwrap.dedent(f"""
        import os, sys
        sys.path[:0] = [{str(REPO)!r}]
        from tests.helpers.enginekit import tiny_bundle, tiny_project
        from studio.core.data.augment import AugmentConfig
        from studio.core.training.callbacks import Callback
        from studio.core.training.engine import train

        class Kill(Callback):
            def on_epoch_end(self, event):
                if event["epoch"] == 2:
                    os._exit(9)  # no clean-up at all, like SIGKILL

        train(tiny_project(epochs=3), {str(run)!r}, callbacks=[Kill()],
              data=tiny_bundle(augment=AugmentConfig(random_crop=2, hflip=True), n_test=24))
    """)
    env = {**os.environ, "CNN_STUDIO_THREADS": "1"}
    proc = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 9, proc.stderr
    assert read_run(run).status == "interrupted"
    assert len(_epochs(run)) == 2
    rec = Recorder()
    end = train(None, run, resume=True, callbacks=[rec], data=_data())
    assert end["status"] == "completed"
    start = rec.payloads("start")[0]
    assert start["resumed"] and start["start_epoch"] == 3 and len(start["history"]) == 2
    assert [e["epoch"] for e in rec.payloads("epoch")] == [3]
    _assert_same_as(straight, run)


@pytest.mark.parametrize("where", ["batch", "validation", "epoch_end"])
def test_a_stopped_run_resumes_to_the_same_metrics(straight: Path, tmp_path: Path, where: str) -> None:
    commands = Commands()
    rec = Recorder()
    if where == "batch":  # mid-epoch: the data order is replayed from the epoch's generator state
        rec.on_batch = lambda e: commands.stop() if (e["epoch"], e["batch"]) == (2, 3) else None
    elif where == "epoch_end":
        rec.on_epoch = lambda e: commands.stop() if e["epoch"] == 2 else None
    else:
        original = rec.on_validation_start

        def stop_in_validation(epoch: int) -> None:
            original(epoch)
            if epoch == 2:
                commands.stop()

        rec.on_validation_start = stop_in_validation  # type: ignore[method-assign]
    run = tmp_path / "stopped"
    end = train(tiny_project(epochs=3), run, callbacks=[rec], commands=commands, data=_data())
    assert end["status"] == "stopped"
    assert read_run(run).status == "stopped"
    rec2 = Recorder()
    end = train(None, run, resume=True, callbacks=[rec2], data=_data())
    assert end["status"] == "completed"
    assert (
        read_metrics(run)[-1]["event"] == "end" and sum(e["event"] == "end" for e in read_metrics(run)) == 1
    )
    first = rec2.payloads("batch")[0]
    if where == "batch":
        assert (first["epoch"], first["batch"]) == (2, 4)
    _assert_same_as(straight, run)


def test_fork_starts_a_new_run_from_a_saved_epoch(straight: Path, tmp_path: Path) -> None:
    assert list(saved_epochs(straight)) == [1, 2, 3]
    project = tiny_project(epochs=1, optimizer={"type": "AdamW", "lr": 1e-12}, scheduler=None)
    run = tmp_path / "fork"
    rec = Recorder()
    end = fork_run(straight, 1, project, run, callbacks=[rec], data=_data())
    assert end["status"] == "completed"
    assert end["forked_from"]["epoch"] == 1 and end["forked_from"]["run"] == str(straight)
    assert rec.payloads("start")[0]["forked_from"]["epoch"] == 1
    assert any("optimizer state carried over" in m for m in rec.payloads("log"))
    source = torch.load(straight / "checkpoints" / "epoch-1.pt", weights_only=True)["model"]
    forked = torch.load(run / "checkpoints" / "last.pt", weights_only=True)
    assert forked["forked_from"]["epoch"] == 1 and forked["project"] == project.to_dict()
    # with a learning rate of 1e-12 the weights barely move from the source epoch's
    torch.testing.assert_close(
        forked["model"]["0_Conv2d.weight"], source["0_Conv2d.weight"], atol=1e-6, rtol=0
    )
    final = torch.load(straight / "checkpoints" / "last.pt", weights_only=True)["model"]
    assert not torch.allclose(final["0_Conv2d.weight"], source["0_Conv2d.weight"], atol=1e-4)
    with pytest.raises(RunError, match="no saved checkpoint for epoch 7"):
        fork_run(straight, 7, project, tmp_path / "nope", data=_data())
    other = tiny_project([{"type": "Flatten"}, {"type": "Linear", "out_features": 3}])
    from studio.core.base.errors import UserError

    with pytest.raises(UserError, match="keeps the source run's network"):
        fork_run(straight, 2, other, tmp_path / "bad", data=_data())


def test_a_resume_computes_in_the_runs_own_precision_and_threads(tmp_path: Path) -> None:
    commands = Commands()
    rec = Recorder()
    rec.on_epoch = lambda e: commands.stop() if e["epoch"] == 1 else None
    run = tmp_path / "run"
    train(tiny_project(epochs=2), run, callbacks=[rec], commands=commands, data=_data())
    last = run / "checkpoints" / "last.pt"
    state = torch.load(last, weights_only=True)
    assert (state["threads"], state["precision"], state["device_type"]) == (1, "fp32", "cpu")
    # pretend the run began in bfloat16 with 2 threads: the resume must use that, not its own choice
    state.update(precision="bf16", threads=2)
    torch.save(state, last)
    rec2 = Recorder()
    end = train(None, run, resume=True, callbacks=[rec2], data=_data())
    assert end["status"] == "completed"
    start = rec2.payloads("start")[0]
    assert (start["precision"], start["threads"]) == ("bf16", 2)
    assert any("run's own 2 thread(s)" in m for m in rec2.payloads("log"))
