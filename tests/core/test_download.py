"""Dataset downloads with progress, cancel and a clear message without network (no real network)."""

from __future__ import annotations

import gzip
import hashlib
import io
import random
import urllib.error
from pathlib import Path

import pytest

from studio.core.data import download
from studio.core.data.download import DownloadCancelled, DownloadError, Resource, download_source


class _Response(io.BytesIO):
    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.headers = {"Content-Length": str(len(data))}


def _fake_resources(tmp_path: Path, payload: bytes, monkeypatch: pytest.MonkeyPatch) -> Path:
    archive = gzip.compress(payload)
    md5 = hashlib.md5(archive).hexdigest()
    raw = tmp_path / "MNIST" / "raw"
    monkeypatch.setattr(
        download,
        "resources",
        lambda source, root: [
            Resource(("http://mirror-a/x.gz", "http://mirror-b/x.gz"), "x.gz", md5, raw, raw)
        ],
    )
    return raw


def test_resources_follow_torchvision_layout(tmp_path: Path) -> None:
    mnist = download.resources("mnist", tmp_path)
    assert [r.folder for r in mnist] == [tmp_path / "MNIST" / "raw"] * 4
    assert all(r.urls[0].endswith(r.filename) for r in mnist)
    cifar = download.resources("cifar10", tmp_path)
    assert cifar[0].filename == "cifar-10-python.tar.gz" and cifar[0].folder == tmp_path
    with pytest.raises(DownloadError, match="folder"):
        download.resources("folder", tmp_path)


def test_download_reports_progress_falls_back_to_a_mirror_and_unpacks(tmp_path, monkeypatch) -> None:
    payload = random.Random(0).randbytes(50_000)
    raw = _fake_resources(tmp_path, payload, monkeypatch)
    archive = gzip.compress(payload)
    monkeypatch.setattr(download, "CHUNK", 4096)
    seen: list[str] = []

    def opener(url: str, timeout: float) -> _Response:
        seen.append(url)
        if "mirror-a" in url:
            raise urllib.error.URLError("mirror down")
        return _Response(archive)

    progress: list[tuple[str, float | None]] = []
    download_source("mnist", tmp_path, progress=lambda m, f: progress.append((m, f)), opener=opener)
    assert seen == ["http://mirror-a/x.gz", "http://mirror-b/x.gz"]
    assert (raw / "x").read_bytes() == payload  # unpacked beside the archive, as torchvision does
    fractions = [f for m, f in progress if f is not None and m != "done"]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and len(fractions) > 2
    assert progress[-1] == ("done", 1.0) and ("unpacking x.gz", None) in progress
    mb = len(archive) / 1e6
    assert [m for m, f in progress if f == 1.0][0] == f"x.gz: {mb:.1f} / {mb:.1f} MB"
    # a second call finds the checked archive and fetches nothing
    download_source("mnist", tmp_path, opener=lambda *a, **k: pytest.fail("fetched again"))


def test_download_without_network_names_the_folder_and_the_files(tmp_path, monkeypatch) -> None:
    def offline(url: str, timeout: float) -> _Response:
        raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")

    with pytest.raises(DownloadError) as err:
        download_source("mnist", tmp_path, opener=offline)
    text = str(err.value)
    assert "no network" in text and str(tmp_path / "MNIST" / "raw") in text
    assert "train-images-idx3-ubyte.gz" in text
    assert not list((tmp_path / "MNIST" / "raw").glob("*.part"))


def test_cancel_leaves_no_partial_file(tmp_path, monkeypatch) -> None:
    raw = _fake_resources(tmp_path, b"z" * 200_000, monkeypatch)
    archive = gzip.compress(b"z" * 200_000)
    monkeypatch.setattr(download, "CHUNK", 64)
    calls = {"n": 0}

    def cancel() -> bool:
        calls["n"] += 1
        return calls["n"] > 3

    with pytest.raises(DownloadCancelled):
        download_source("mnist", tmp_path, cancel=cancel, opener=lambda u, timeout: _Response(archive))
    assert list(raw.iterdir()) == []


def test_damaged_download_is_refused_and_removed(tmp_path, monkeypatch) -> None:
    raw = _fake_resources(tmp_path, b"payload", monkeypatch)
    with pytest.raises(DownloadError, match="checksum"):
        download_source("mnist", tmp_path, opener=lambda u, timeout: _Response(b"garbage"))
    assert list(raw.iterdir()) == []
