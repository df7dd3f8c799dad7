"""Resume is exact after SIGKILL: a run killed at any point and resumed ends as an uninterrupted one.

The scenario of issue 13 at toy size: a folder project (decoded in a DataLoader worker
process), RGB images with horizontal flips, a Dropout layer, SGD with momentum and a cosine
schedule, seed 7, on the CPU. Every run is a real ``python`` process. A child trains until it
reaches the chosen point, says so on stdout and waits; the test then kills it with SIGKILL
(no clean-up of any kind runs) and resumes with ``cnn-studio train --resume``. The resumed
run's epoch events (timings aside), end event and final weights must EQUAL the reference's.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from studio.core.runs.run_folder import load_checkpoint, read_metrics

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="SIGKILL and /proc/self/fd: Linux")

REPO = Path(__file__).resolve().parents[2]
TIMING = ("seconds", "images_per_second")

# The child: train, and at POINT print "AT POINT" and block until killed.
CHILD = textwrap.dedent("""
    import os, sys
    from studio.core.project.project_file import load_project
    from studio.core.training.callbacks import Callback
    from studio.core.training.engine import train

    project_path, run_dir, point = sys.argv[1:4]

    def halt():
        print("AT", point, flush=True)
        sys.stdin.readline()  # the parent kills us here
        raise SystemExit("not killed")

    class Halt(Callback):
        def on_batch_end(self, event):
            if point == "mid_epoch" and (event["epoch"], event["batch"]) == (2, 2):
                halt()

        def on_validation_start(self, epoch):
            if point == "validation" and epoch == 2:
                halt()

        def on_epoch_end(self, event):
            if point == "after_epoch" and event["epoch"] == 2:
                halt()

    if point == "checkpoint_write":
        # the real atomic writer, stopped between writing epoch 2's last.pt and renaming it
        real_fsync, seen = os.fsync, []

        def fsync(fd):
            real_fsync(fd)
            name = os.path.basename(os.readlink(f"/proc/self/fd/{fd}"))
            if name.startswith(".last.pt.") and name.endswith(".tmp"):
                seen.append(name)
                if len(seen) == 2:
                    halt()

        os.fsync = fsync
    train(load_project(project_path), run_dir, callbacks=[Halt()])
""")


def _env(threads: int = 1) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "CNN_STUDIO_THREADS": str(threads)}


def _cli(*args: str, threads: int = 1) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "studio", *args],
        env=_env(threads),
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3 classes x 12 RGB 8x8 images on disk, and a project over them like the issue's."""
    root = tmp_path_factory.mktemp("sigkill")
    rng = np.random.default_rng(0)
    for c in range(3):
        folder = root / "data" / f"class{c}"
        folder.mkdir(parents=True)
        for i in range(12):
            img = rng.integers(0, 120, (8, 8, 3), dtype=np.uint8)
            img[:, : 2 + 2 * c, c] += 100  # learnable, and not symmetric under a flip
            Image.fromarray(img).save(folder / f"{i}.png")
    spec = {
        "name": "sigkill",
        "data": {
            "source": "folder",
            "root": str(root / "data"),
            "channels": 3,
            "image_size": [8, 8],
            "val": 0.2,
            "augment": {"hflip": True},
        },
        "model": {
            "kind": "stack",
            "layers": [
                {"type": "Conv2d", "out_channels": 4, "kernel_size": 3, "padding": 1},
                {"type": "ReLU"},
                {"type": "MaxPool2d", "kernel_size": 2},
                {"type": "Flatten"},
                {"type": "Dropout", "p": 0.3},
                {"type": "Linear", "out_features": 3},
            ],
        },
        "training": {
            "epochs": 3,
            "batch_size": 8,
            "seed": 7,
            "device": "cpu",
            "workers": 1,
            "optimizer": {"type": "SGD", "lr": 0.05, "momentum": 0.9},
            "scheduler": {"type": "CosineAnnealingLR", "T_max": 3},
        },
    }
    path = root / "project.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def reference(project: Path) -> Path:
    """The uninterrupted run, in its own process."""
    run = project.parent / "reference"
    proc = _cli("train", str(project), "--out", str(run))
    assert proc.returncode == 0, proc.stderr
    return run


def _epochs(run: Path) -> list[dict]:
    return [
        {k: v for k, v in e.items() if k not in TIMING} for e in read_metrics(run) if e["event"] == "epoch"
    ]


def _kill_at(project: Path, run: Path, point: str) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(project), str(run), point],
        env=_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line.strip() == f"AT {point}", child.stderr.read() if child.stderr else ""
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=60) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        for stream in (child.stdin, child.stdout, child.stderr):
            if stream is not None:
                stream.close()


@pytest.mark.parametrize(
    ("point", "saved_epoch"),
    [
        ("mid_epoch", 1),
        ("validation", 1),
        ("checkpoint_write", 1),
        ("after_epoch", 2),
    ],
)
def test_a_run_killed_with_sigkill_resumes_to_the_uninterrupted_result(
    project: Path, reference: Path, tmp_path: Path, point: str, saved_epoch: int
) -> None:
    run = tmp_path / "run"
    _kill_at(project, run, point)
    checkpoints = run / "checkpoints"
    # the kill left the last COMPLETE checkpoint, never a torn one
    assert load_checkpoint(checkpoints / "last.pt")["epoch"] == saved_epoch
    leftovers = list(checkpoints.glob(".*.tmp"))
    assert bool(leftovers) == (point == "checkpoint_write")

    # resumed on a machine that would pick another thread count: the run keeps its own
    proc = _cli("train", str(project), "--resume", str(run), threads=2)
    assert proc.returncode == 0, proc.stderr
    assert "resuming with the run's own 1 thread(s)" in proc.stderr

    assert _epochs(run) == _epochs(reference)
    ends = [e for e in read_metrics(run) if e["event"] == "end"]
    assert len(ends) == 1
    want = read_metrics(reference)[-1]
    for key in ("status", "best_epoch", "best_val_acc", "test_acc", "epochs_done"):
        assert ends[0][key] == want[key], key
    got, ref = (
        load_checkpoint(checkpoints / "last.pt"),
        load_checkpoint(reference / "checkpoints" / "last.pt"),
    )
    assert got["model"].keys() == ref["model"].keys()
    assert all(torch.equal(got["model"][k], ref["model"][k]) for k in ref["model"])
    assert (got["threads"], got["precision"]) == (1, "fp32")
    assert not list(checkpoints.glob(".*.tmp"))  # the torn temporary file was cleared away
