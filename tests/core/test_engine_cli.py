"""``cnn-studio train``: exit codes, progress output, the default run folder, Ctrl-C and --resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

from studio.cli import main
from studio.core.runs.run_folder import read_metrics
from tests.helpers.datagen import write_mnist

REPO = Path(__file__).resolve().parents[2]

LAYERS = [
    {"type": "Conv2d", "out_channels": 4, "kernel_size": 3, "padding": 1},
    {"type": "ReLU"},
    {"type": "MaxPool2d", "kernel_size": 4},
    {"type": "Flatten"},
    {"type": "Linear", "out_features": 10},
]


@pytest.fixture(autouse=True)
def one_thread(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CNN_STUDIO_THREADS", "1")
    monkeypatch.setenv(
        "CNN_STUDIO_HOME", str(Path(os.environ.get("TMPDIR", "/tmp")) / "cnn-studio-test-home")
    )
    before = torch.get_num_threads()
    yield
    torch.set_num_threads(before)


def _project(tmp_path: Path, layers: list | None = None, **training) -> Path:
    root = tmp_path / "data"
    if not (root / "FashionMNIST").exists():
        write_mnist(root, "FashionMNIST", n_train=200, n_test=50)
    t = {"epochs": 2, "batch_size": 50, "optimizer": {"type": "Adam", "lr": 0.01}, "seed": 0, "device": "cpu"}
    t.update(training)
    project = {
        "format": "cnn-studio/1",
        "name": "cli",
        "data": {
            "source": "fashion_mnist",
            "root": str(root),
            "download": False,
            "channels": 1,
            "image_size": [28, 28],
            "val": "test",
        },
        "model": {"kind": "stack", "layers": layers or LAYERS},
        "training": t,
    }
    path = tmp_path / "proj.json"
    path.write_text(json.dumps(project), encoding="utf-8")
    return path


def test_train_completes_with_progress_summary_and_default_run_folder(tmp_path: Path, capsys) -> None:
    path = _project(tmp_path)
    assert main(["train", str(path), "--epochs", "1"]) == 0
    out, err = capsys.readouterr()
    run = Path(out.strip().splitlines()[-1])
    assert run.parent == tmp_path / "proj.runs" and run.name.startswith("cli-")  # the project's name
    assert "epoch 1/1: train loss" in err and "completed" in err and "test acc" in err
    events = read_metrics(run)
    assert [e["event"] for e in events] == ["epoch", "end"] and events[-1]["test_acc"] is not None
    assert json.loads((run / "project.json").read_text())["training"]["epochs"] == 1


def test_bad_input_exits_2_with_one_error_line(tmp_path: Path, capsys) -> None:
    bad = [{"type": "Flatten"}, {"type": "Linear", "out_features": 7}]
    path = _project(tmp_path, bad)
    assert main(["train", str(path), "--out", str(tmp_path / "run")]) == 2
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "layer 1 (Linear)" in errors[0] and "out_features to 10" in errors[0]
    assert "Traceback" not in err
    assert main(["train", str(path), "--epochs", "0"]) == 2
    assert main(["train", str(tmp_path / "missing.json")]) == 2


def test_a_nan_run_exits_2_and_says_what_to_do(tmp_path: Path, capsys) -> None:
    path = _project(tmp_path, optimizer={"type": "SGD", "lr": 10.0, "momentum": 0.99}, epochs=3)
    assert main(["train", str(path), "--out", str(tmp_path / "run")]) == 2
    err = capsys.readouterr().err
    assert "error: the training loss became" in err and "Lower training.optimizer.lr" in err
    assert read_metrics(tmp_path / "run")[-1]["status"] == "failed"


def test_ctrl_c_stops_with_a_checkpoint_and_resume_finishes(tmp_path: Path, capsys) -> None:
    path = _project(tmp_path, epochs=400)
    run = tmp_path / "run"
    env = {**os.environ, "PYTHONPATH": str(REPO), "CNN_STUDIO_THREADS": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "studio", "train", str(path), "--out", str(run)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )
    lines = []
    deadline = time.time() + 120
    assert proc.stderr is not None
    while time.time() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        lines.append(line)
        if line.startswith("epoch 2/400:"):
            proc.send_signal(signal.SIGINT)
            break
    out, rest = proc.communicate(timeout=120)
    err = "".join(lines) + rest
    assert proc.returncode == 130, err
    assert "\r" not in err  # not a terminal: plain lines, no bar redraws
    assert "epoch 1/400: train loss" in err and "stopping after this batch" in err
    assert "stopped" in err and out.strip() == str(run)
    end = read_metrics(run)[-1]
    assert end["event"] == "end" and end["status"] == "stopped"
    last = torch.load(run / "checkpoints" / "last.pt", weights_only=True)
    assert last["epoch"] >= 2
    # resume it, shortened (no OneCycle: the epoch count may change)
    assert main(["train", str(path), "--resume", str(run), "--epochs", str(last["epoch"] + 1)]) == 0
    events = read_metrics(run)
    assert events[-1]["status"] == "completed" and events[-1]["epochs_done"] == last["epoch"] + 1
    assert [e["epoch"] for e in events if e["event"] == "epoch"] == list(range(1, last["epoch"] + 2))


def test_progress_bar_redraws_one_line_on_a_terminal() -> None:
    import io

    from studio.commands.train import ProgressPrinter

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Tty()
    printer = ProgressPrinter(stream, interval=0.0)
    printer.on_start(
        {
            "epochs": 2,
            "start_epoch": 1,
            "params": 1234,
            "device": "cpu",
            "threads": 2,
            "classes": ["a", "b"],
            "train_size": 100,
            "val_size": 20,
            "batches": 4,
            "run_dir": "R",
        }
    )
    for b in range(1, 5):
        printer.on_batch_end(
            {
                "event": "batch",
                "epoch": 1,
                "epochs": 2,
                "batch": b,
                "batches": 4,
                "loss": 0.5,
                "acc": 0.75,
                "lr": 0.01,
                "images_per_second": 1000.0,
                "seconds": 0.1 * b,
            }
        )
    printer.on_epoch_end(
        {
            "event": "epoch",
            "epoch": 1,
            "train_loss": 0.5,
            "train_acc": 0.75,
            "val_loss": 0.4,
            "val_acc": 0.8,
            "lr": 0.01,
            "seconds": 0.5,
            "images_per_second": 1000.0,
            "best": True,
        }
    )
    text = stream.getvalue()
    bars = [part for part in text.split("\r") if part.startswith("epoch 1/2 [")]
    assert len(bars) == 4 and "4/4" in bars[-1] and "loss 0.5000" in bars[-1] and "acc 75.0%" in bars[-1]
    assert "1,000 img/s" in bars[-1] and "ETA" in bars[-1]
    assert (
        "(2 threads)" in text
        and "epoch 1/2: train loss 0.5000" in text
        and "val loss 0.4000 acc 80.00%" in text
    )
    plain = io.StringIO()  # not a terminal: no bar at all
    p2 = ProgressPrinter(plain, interval=0.0)
    p2.on_batch_end(
        {
            "event": "batch",
            "epoch": 1,
            "epochs": 2,
            "batch": 1,
            "batches": 4,
            "loss": 0.5,
            "acc": 0.75,
            "lr": 0.01,
            "images_per_second": 1000.0,
            "seconds": 0.1,
        }
    )
    assert plain.getvalue() == ""
