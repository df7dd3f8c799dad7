"""Decode once: the folder source's uint8 cache (reuse, invalidation, size limit, damage, equality)."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import numpy as np
import pytest
import torch

import studio.core.data.folder as folder_mod
from studio.core.data import decode_cache
from studio.core.data.datasets import load_data
from studio.core.data.decode_cache import cache_info, clear_cache, entry_dir, entry_status, prepare_store
from studio.core.data.folder import scan_folder
from studio.core.data.preprocess import open_image, to_uint8_tensor
from studio.core.project.project_file import Project
from tests.helpers.datagen import broken_files, rgb, save, write_class_folder

SIZE = (12, 10)


@pytest.fixture(autouse=True)
def studio_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("studio-home")
    monkeypatch.setenv("CNN_STUDIO_HOME", str(home))
    for name in ("CNN_STUDIO_CACHE", "CNN_STUDIO_CACHE_LIMIT_MB", "CNN_STUDIO_CACHE_MEMORY_MB"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every path the in-process decoder opens."""
    seen: list[str] = []
    real = folder_mod.open_image
    monkeypatch.setattr(folder_mod, "open_image", lambda p, **k: seen.append(str(p)) or real(p, **k))
    return seen


def dataset(root: Path) -> Path:
    write_class_folder(root, {"a": 30, "b": 120, "c": 220}, per_class=6)
    return root


def store_of(root: Path, workers: int = 0):
    index = scan_folder(root)
    return index, prepare_store(index.root, index.paths, 3, SIZE, workers=workers)


def reference(path: str) -> torch.Tensor:
    return to_uint8_tensor(open_image(path, size_hint=SIZE), 3, SIZE)


def project(root: Path, **data) -> Project:
    d = {
        "source": "folder",
        "root": str(root),
        "channels": 3,
        "image_size": list(SIZE),
        "val": 0.25,
        "augment": {"preset": "strong"},
    }
    d.update(data)
    return Project.from_dict({"data": d, "training": {"workers": 0, "seed": 3}})


def epoch(split, seed: int = 5) -> list[tuple[torch.Tensor, torch.Tensor]]:
    return list(split.batches(4, shuffle=True, generator=torch.Generator().manual_seed(seed), augment=True))


def test_store_equals_direct_decoding_and_is_reused(tmp_path: Path, decodes: list[str]) -> None:
    index, store = store_of(dataset(tmp_path / "ds"))
    assert store is not None and store.decoded == len(index) == 18 and store.reused == 0
    assert store.where == "memory" and store.path is not None and store.path.is_file()
    for i, p in enumerate(index.paths):
        assert torch.equal(store.images[i], reference(p))
    decodes.clear()
    _, again = store_of(tmp_path / "ds")
    assert decodes == [] and again.decoded == 0 and again.reused == 18
    assert torch.equal(again.images, store.images)


def test_load_data_cached_batches_identical_to_uncached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = dataset(tmp_path / "ds")
    bad = broken_files(root / "b")
    monkeypatch.setenv("CNN_STUDIO_CACHE", "off")
    lazy = load_data(project(root))
    lazy_batches = {n: epoch(getattr(lazy, n)) for n in ("train", "val")}
    monkeypatch.delenv("CNN_STUDIO_CACHE")
    for run in range(2):  # built, then read back
        cached = load_data(project(root))
        assert cached.train.cached and cached.val.cached
        assert cached.mean == lazy.mean and cached.std == lazy.std
        for name, ref in lazy_batches.items():
            got = epoch(getattr(cached, name))
            assert len(got) == len(ref)
            for (x0, y0), (x1, y1) in zip(ref, got, strict=True):
                assert torch.equal(y0, y1) and torch.equal(x0, x1)
        # every unreadable file is reported once, with the reason the lazy path gives
        assert sorted(cached.skipped) == sorted(set(lazy.skipped))
        assert {p for p, _ in cached.skipped} >= {str(bad["truncated"]), str(bad["empty"]), str(bad["text"])}
        item = cached.train.item(0)
        assert torch.equal(item[0], reference(item[2])), run
        # a mid-epoch resume skips batches without reading them and replays their random draws
        g = torch.Generator().manual_seed(5)
        tail = list(cached.train.batches(4, shuffle=True, generator=g, augment=True, skip=2))
        assert len(tail) == len(lazy_batches["train"]) - 2
        assert all(torch.equal(a[0], b[0]) for a, b in zip(tail, lazy_batches["train"][2:], strict=True))


def test_changed_added_removed_files_are_decoded_again(tmp_path: Path, decodes: list[str]) -> None:
    root = dataset(tmp_path / "ds")
    store_of(root)
    changed = root / "a" / "a_2.png"
    save(changed, rgb(250, (20, 16), 99))
    os.utime(changed, ns=(1, 1_000_000_000))  # a different mtime even on a coarse clock
    added = save(root / "c" / "zz_new.png", rgb(10, (30, 30), 4))
    (root / "b" / "b_0.png").unlink()
    decodes.clear()
    index, store = store_of(root)
    assert sorted(decodes) == sorted([str(changed), str(added)])
    assert store.decoded == 2 and store.reused == len(index) - 2 == 16
    for i, p in enumerate(index.paths):
        assert torch.equal(store.images[i], reference(p)), p
    assert str(root / "b" / "b_0.png") not in index.paths


def test_size_limit_evicts_old_entries_and_skips_too_big(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    one = dataset(tmp_path / "one")
    two = dataset(tmp_path / "two")
    per_entry = 18 * 3 * SIZE[0] * SIZE[1]
    _, first = store_of(one)
    assert first.path is not None
    monkeypatch.setenv("CNN_STUDIO_CACHE_LIMIT_MB", str(1.5 * per_entry / (1 << 20)))
    _, second = store_of(two)
    assert second.path is not None and second.path.is_file()
    assert not entry_dir(str(one), 3, SIZE).exists()  # evicted: both would exceed the limit
    assert cache_info().bytes <= 1.5 * per_entry + 4096
    # larger than the limit: kept in memory for this run only
    monkeypatch.setenv("CNN_STUDIO_CACHE_LIMIT_MB", str(0.5 * per_entry / (1 << 20)))
    clear_cache()
    _, mem_only = store_of(one)
    assert mem_only is not None and mem_only.path is None and cache_info().bytes == 0
    # larger than the limit and the memory budget: no cache, the split decodes lazily
    monkeypatch.setenv("CNN_STUDIO_CACHE_MEMORY_MB", str(0.5 * per_entry / (1 << 20)))
    with caplog.at_level(logging.INFO, logger="studio.core.data.decode_cache"):
        assert store_of(one)[1] is None
    assert "not caching" in caplog.text
    bundle = load_data(project(one, val=0.0, augment={}))
    assert not bundle.train.cached and sum(len(x) for x, _ in bundle.train.batches(5, shuffle=False)) == 18


def test_memory_mapped_when_over_the_memory_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = dataset(tmp_path / "ds")
    monkeypatch.setenv("CNN_STUDIO_CACHE_MEMORY_MB", "0.001")
    index, store = store_of(root)
    assert store.where == "memory-mapped"
    _, again = store_of(root)
    assert again.where == "memory-mapped" and again.decoded == 0
    for i, p in enumerate(index.paths):
        assert torch.equal(again.images[i], reference(p))


@pytest.mark.parametrize("damage", ["truncate", "garbage-index", "flipped-byte", "missing-array"])
def test_damaged_cache_is_rebuilt(tmp_path: Path, damage: str, caplog: pytest.LogCaptureFixture) -> None:
    root = dataset(tmp_path / "ds")
    index, store = store_of(root)
    d = entry_dir(index.root, 3, SIZE)
    array = store.path
    if damage == "truncate":
        array.write_bytes(array.read_bytes()[:-100])
    elif damage == "garbage-index":
        (d / "meta.json").write_bytes(b"{not json")
    elif damage == "flipped-byte":
        data = bytearray(array.read_bytes())
        data[-7] ^= 0xFF
        array.write_bytes(bytes(data))
    else:
        array.unlink()
    with caplog.at_level(logging.WARNING, logger="studio.core.data.decode_cache"):
        _, again = store_of(root)
    assert "damaged" in caplog.text
    assert again is not None and again.decoded == len(index)
    for i, p in enumerate(index.paths):
        assert torch.equal(again.images[i], reference(p))
    _, third = store_of(root)
    assert third.decoded == 0  # the rebuilt entry is sound


def test_worker_processes_fill_the_same_store(tmp_path: Path) -> None:
    root = tmp_path / "ds"
    write_class_folder(root, {"a": 30, "b": 220}, per_class=80)
    index, store = store_of(root, workers=2)
    assert store.decoded == 160
    for i in (0, 77, 159):
        assert torch.equal(store.images[i], reference(index.paths[i]))


def test_clear_cache_and_status(tmp_path: Path) -> None:
    root = dataset(tmp_path / "ds")
    index = scan_folder(root)
    assert entry_status(index.root, index.paths, 3, SIZE)[:2] == (0, 18)
    load_data(project(root))
    ready, total, size, d = entry_status(index.root, index.paths, 3, SIZE)
    assert (ready, total) == (18, 18) and size >= 18 * 3 * SIZE[0] * SIZE[1] and d.is_dir()
    assert decode_cache.stats_cache_file().is_file()
    assert cache_info().entries == 1
    freed = clear_cache()
    assert freed >= size and cache_info().bytes == 0 and not decode_cache.stats_cache_file().exists()
    assert entry_status(index.root, index.paths, 3, SIZE)[0] == 0


def test_index_naming_a_file_outside_the_entry_is_refused(tmp_path: Path) -> None:
    root = dataset(tmp_path / "ds")
    index, _ = store_of(root)
    meta_path = entry_dir(index.root, 3, SIZE) / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta["images"] = "../../../elsewhere.npy"
    meta_path.write_text(json.dumps(meta))
    _, again = store_of(root)
    assert again.decoded == 18
    assert np.array_equal(again.images[0].numpy(), reference(index.paths[0]).numpy())


def test_cli_check_data_line_and_cache_clear(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from studio.cli import main

    root = dataset(tmp_path / "ds")
    path = tmp_path / "p.json"
    path.write_text(json.dumps(project(root).to_dict()), encoding="utf-8")
    assert main(["check-data", str(path)]) == 0
    assert "decoded-image cache: not built yet" in capsys.readouterr().out
    load_data(project(root))
    assert main(["check-data", str(path), "--json"]) == 0
    assert "18 of 18 images ready" in json.loads(capsys.readouterr().out)["cache"]
    assert main(["cache"]) == 0
    assert "1 dataset(s)" in capsys.readouterr().out
    assert main(["cache", "--clear"]) == 0
    out = capsys.readouterr().out
    assert "cleared the decoded-image cache" in out and "0 dataset(s), 0 MB" in out
    assert cache_info().entries == 0
