"""Issue 20 item 4: FIFOs, devices and huge files are refused quickly; the statistics step is
bounded in memory whatever the image size."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
import torch

from studio.cli import main
from studio.core.base.files import open_regular, read_regular
from studio.core.data import datasets
from studio.core.data.preprocess import ImageReadError, open_image
from studio.core.data.splits import TensorSplit
from studio.core.project.project_file import ProjectError, load_project, save_project
from tests.helpers.runfactory import make_images, make_project, write_folder_dataset

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")


def _ends(fn: Callable[[], object], seconds: float = 120.0) -> object:
    """``fn()``'s result; fails (instead of hanging the suite) when it does not return in time."""
    box: dict[str, object] = {}

    def work() -> None:
        try:
            box["result"] = fn()
        except BaseException as exc:  # handed to the test below
            box["error"] = exc

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"{fn} did not return within {seconds} s (it hangs)"
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box.get("result")


@needs_fifo
def test_regular_file_helpers_refuse_pipes_devices_and_big_files(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="not a regular file"):
        _ends(lambda: open_regular(fifo), 30)
    with pytest.raises(OSError, match="not a regular file"):
        read_regular("/dev/zero", 1000)
    sparse = tmp_path / "sparse.bin"
    with open(sparse, "wb") as fh:
        fh.truncate(2_000_000_000)  # 2 GB that take no disk space
    with pytest.raises(OSError, match="2000.0 MB"):
        read_regular(sparse, 10_000_000)
    small = tmp_path / "ok.bin"
    small.write_bytes(b"abc")
    assert read_regular(small, 3) == b"abc"


@needs_fifo
def test_images_that_are_pipes_devices_or_huge_are_unreadable_not_hangs(tmp_path: Path) -> None:
    fifo = tmp_path / "x.png"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.png"
    zero.symlink_to("/dev/zero")
    huge = tmp_path / "huge.png"
    with open(huge, "wb") as fh:
        fh.truncate(2_000_000_000)
    for path, reason in ((fifo, "not a regular file"), (zero, "not a regular file"), (huge, "MB")):
        with pytest.raises(ImageReadError, match=reason):
            _ends(lambda p=path: open_image(p), 30)


@needs_fifo
def test_check_data_and_summary_end_on_a_fifo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "data"
    write_folder_dataset(root, *make_images(4))
    os.mkfifo(root / "diagonal" / "x.png")
    (root / "horizontal" / "zero.png").symlink_to("/dev/zero")
    project = tmp_path / "p.json"
    save_project(make_project(root), project)
    assert _ends(lambda: main(["check-data", str(project)])) == 0
    out = capsys.readouterr().out
    assert "x.png" in out and "zero.png" in out and "not a regular file" in out
    fifo_project = tmp_path / "fifo.json"
    os.mkfifo(fifo_project)
    for command in ("summary", "train"):
        assert _ends(lambda c=command: main([c, str(fifo_project)])) == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith("error: ") and "not a regular file" in err and "\n" not in err
    with pytest.raises(ProjectError, match="not a regular file"):
        load_project("/dev/zero")


def test_statistics_chunks_are_bounded_in_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    assert datasets.stats_step(3, (2048, 2048), 16384) * 3 * 2048 * 2048 <= datasets.STATS_CHUNK_BYTES
    assert datasets.stats_step(1, (28, 28), 16384) == 16384 and datasets.stats_step(4, (8192, 8192), 64) == 1
    images = torch.randint(0, 256, (40, 1, 8, 8), dtype=torch.uint8)
    split = TensorSplit("train", images, torch.zeros(40, dtype=torch.int64), 1, (8, 8))
    whole = datasets.dataset_stats(split, "whole-test-key")
    monkeypatch.setattr(datasets, "STATS_CHUNK_BYTES", 64 * 7)  # 7 images a chunk
    sizes: list[int] = []
    real = TensorSplit.uint8_batch

    def spy(self: TensorSplit, idx: torch.Tensor) -> torch.Tensor:
        sizes.append(len(idx))
        return real(self, idx)

    monkeypatch.setattr(TensorSplit, "uint8_batch", spy)
    chunked = datasets.dataset_stats(split, "chunked-test-key")
    assert max(sizes) == 7 and sum(sizes) == 40
    assert chunked == whole  # the same exact histogram, just counted in pieces
