"""Issue 20 item 8: a full disk, leftover temporary files, SIGTERM, deep nesting, a single
class and an impossible format version each end with one clear message."""

from __future__ import annotations

import errno
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
from studio.core.base.errors import ProjectError
from studio.core.data.datasets import load_data
from studio.core.data.errors import DatasetError
from studio.core.project.project_file import MAX_DEPTH, Project, parse_project_text
from studio.core.runs import run_folder
from studio.core.runs.run_folder import read_metrics
from tests.helpers.datagen import write_mnist
from tests.helpers.runfactory import make_images, make_project, write_folder_dataset

REPO = Path(__file__).resolve().parents[2]
LAYERS = [
    {"type": "Conv2d", "out_channels": 2, "kernel_size": 3, "padding": 1},
    {"type": "ReLU"},
    {"type": "MaxPool2d", "kernel_size": 4},
    {"type": "Flatten"},
    {"type": "Linear", "out_features": 10},
]


@pytest.fixture(autouse=True)
def one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CNN_STUDIO_THREADS", "1")


def _project(tmp_path: Path, epochs: int = 2) -> Path:
    root = tmp_path / "data"
    if not (root / "FashionMNIST").exists():
        write_mnist(root, "FashionMNIST", n_train=200, n_test=50)
    project = {
        "format": "cnn-studio/1",
        "name": "faults",
        "data": {
            "source": "fashion_mnist",
            "root": str(root),
            "download": False,
            "channels": 1,
            "image_size": [28, 28],
            "val": "test",
        },
        "model": {"kind": "stack", "layers": LAYERS},
        "training": {
            "epochs": epochs,
            "batch_size": 50,
            "optimizer": {"type": "Adam", "lr": 0.01},
            "seed": 0,
            "device": "cpu",
        },
    }
    path = tmp_path / "proj.json"
    path.write_text(json.dumps(project), encoding="utf-8")
    return path


def test_a_full_disk_is_one_error_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _project(tmp_path)
    real = run_folder.atomic_write_bytes

    def full(target: object, data: bytes) -> None:
        if str(target).endswith(".pt"):
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        real(target, data)

    monkeypatch.setattr(run_folder, "atomic_write_bytes", full)
    assert main(["train", str(path), "--out", str(tmp_path / "run")]) == 2
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "disk is full" in errors[0] and "checkpoints" in errors[0], (
        err
    )  # names the file
    assert "Traceback" not in err and "internal error" not in err
    end = read_metrics(tmp_path / "run")[-1]
    assert end["event"] == "end" and end["status"] == "failed" and end["epochs_done"] == 0  # none was saved


def test_resume_removes_temporary_files_a_kill_left(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _project(tmp_path, epochs=1)
    run = tmp_path / "run"
    assert main(["train", str(path), "--out", str(run)]) == 0
    stale = [run / "checkpoints" / ".last.pt.0123456789ab.tmp", run / ".metrics.jsonl.abcdef012345.tmp"]
    for p in stale:
        p.write_bytes(b"half a checkpoint")
    keep = run / "checkpoints" / "notes.tmp"
    keep.write_text("not ours")
    assert main(["train", str(path), "--resume", str(run), "--epochs", "2"]) == 0
    assert not any(p.exists() for p in stale) and keep.exists()
    assert ".last.pt.0123456789ab.tmp" in capsys.readouterr().err


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM cannot be caught on Windows")
def test_sigterm_stops_like_ctrl_c(tmp_path: Path) -> None:
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
    deadline = time.monotonic() + 180
    assert proc.stderr is not None
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        lines.append(line)
        if line.startswith("epoch 1/400:"):
            proc.send_signal(signal.SIGTERM)
            break
    out, rest = proc.communicate(timeout=180)
    err = "".join(lines) + rest
    assert proc.returncode == 130, err
    assert "stopping after this batch" in err
    end = read_metrics(run)[-1]
    assert end["event"] == "end" and end["status"] == "stopped"
    assert torch.load(run / "checkpoints" / "last.pt", weights_only=True)["epoch"] >= 1


def test_deep_nesting_is_refused_at_load(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deep: object = 1
    for _ in range(500):
        deep = [deep]
    raw = {"format": "cnn-studio/1", "name": "deep", "extra_key": deep}
    with pytest.raises(ProjectError, match="nest 501 levels deep"):
        Project.from_dict(raw)
    path = tmp_path / "deep.json"
    path.write_text(json.dumps(raw))
    for command in ("summary", "train"):
        assert main([command, str(path)]) == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith("error: ") and "levels deep" in err and "\n" not in err
    shallow = {"format": "cnn-studio/1", "extra": {"a": [[{"b": 1}]]}}
    assert Project.from_dict(shallow).extra == {"extra": {"a": [[{"b": 1}]]}} and MAX_DEPTH >= 8


@pytest.mark.parametrize(
    "fmt", ["cnn-studio/-1", "cnn-studio/+1", "cnn-studio/1.0", "cnn-studio/ 1", "cnn-studio/"]
)
def test_impossible_format_versions_are_refused(fmt: str) -> None:
    with pytest.raises(ProjectError) as info:
        parse_project_text(json.dumps({"format": fmt}))
    assert info.value.path == "format"


def test_a_single_class_dataset_is_refused_for_training_and_warned_about(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "data"
    images, labels = make_images(4)
    write_folder_dataset(root, images[labels == 1], labels[labels == 1])  # only "horizontal"
    project = make_project(root)
    with pytest.raises(DatasetError, match="only one class folder"):
        load_data(project)
    path = tmp_path / "p.json"
    path.write_text(project.to_json())
    assert main(["check-data", str(path)]) == 0
    assert "only one class" in capsys.readouterr().out
    assert main(["train", str(path), "--out", str(tmp_path / "run")]) == 2
    assert "only one class folder" in capsys.readouterr().err
