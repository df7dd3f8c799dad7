"""The folder source: scanning, layouts, broken files, odd modes, Korean names, worker decoding."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
import torch

from studio.core.data.datasets import load_data
from studio.core.data.errors import DatasetError, DatasetMissingError
from studio.core.data.folder import FolderSplit, scan_folder
from studio.core.data.preprocess import ImageReadError
from studio.core.project.project_file import Project
from tests.helpers.datagen import broken_files, rgb, save, write_class_folder, write_mode_zoo


@pytest.fixture(autouse=True)
def studio_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("studio-home")
    monkeypatch.setenv("CNN_STUDIO_HOME", str(home))
    return home


def project(root: Path, workers: int = 0, **data) -> Project:
    d = {"source": "folder", "root": str(root), "channels": 3, "image_size": [16, 16], "val": 0.0}
    d.update(data)
    return Project.from_dict({"data": d, "training": {"workers": workers, "seed": 0}})


def test_scan_class_layout_sorted_no_decoding(tmp_path: Path) -> None:
    write_class_folder(tmp_path / "ds", {"b_dog": 200, "a_cat": 30}, per_class=3)
    save(tmp_path / "ds" / "a_cat" / "nested" / "deep.png", rgb(30))
    (tmp_path / "ds" / "a_cat" / "readme.txt").write_text("ignored")
    (tmp_path / "ds" / ".hidden").mkdir()
    idx = scan_folder(tmp_path / "ds")
    assert idx.layout == "classes"
    assert idx.classes == ["a_cat", "b_dog"]
    assert len(idx) == 7 and idx.counts() == {"train": [4, 3]}
    assert idx.labels.dtype == np.int64 and set(idx.splits.tolist()) == {"train"}
    assert any(p.endswith("deep.png") for p in idx.paths)
    assert all(os.path.isabs(p) for p in idx.paths)
    assert any(p.endswith("readme.txt") for p in idx.ignored)


def test_scan_does_not_open_images(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_class_folder(tmp_path, {"a": 10, "b": 90}, per_class=2)
    import PIL.Image

    def boom(*a, **k):
        raise AssertionError("scan_folder decoded an image")

    monkeypatch.setattr(PIL.Image, "open", boom)
    assert len(scan_folder(tmp_path)) == 4


def test_split_layout_train_val_test(tmp_path: Path) -> None:
    for split, n in (("train", 4), ("val", 2), ("test", 3)):
        write_class_folder(tmp_path / split, {"cat": 40, "dog": 200}, per_class=n)
    idx = scan_folder(tmp_path)
    assert idx.layout == "splits" and idx.split_names() == ["train", "val", "test"]
    assert idx.counts() == {"train": [4, 4], "val": [2, 2], "test": [3, 3]}
    b = load_data(project(tmp_path, val=0.5))  # an explicit val/ folder wins over the fraction
    assert (len(b.train), len(b.val), len(b.test)) == (8, 4, 6)
    assert b.val.paths[0].startswith(str(tmp_path / "val"))
    b2 = load_data(project(tmp_path, val="test"))
    assert b2.val is b2.test


def test_train_test_layout_holds_val_out_of_train(tmp_path: Path) -> None:
    write_class_folder(tmp_path / "train", {"cat": 40, "dog": 200}, per_class=10)
    write_class_folder(tmp_path / "test", {"cat": 40, "dog": 200}, per_class=2)
    b = load_data(project(tmp_path, val=0.2))
    assert (len(b.train), len(b.val), len(b.test)) == (16, 4, 4)
    assert not set(b.train.paths) & set(b.val.paths)


def test_broken_files_skipped_and_reported(tmp_path: Path) -> None:
    write_class_folder(tmp_path, {"cat": 40, "dog": 200}, per_class=5)
    bad = broken_files(tmp_path / "dog")
    heard: list[tuple[str, str]] = []
    p = project(tmp_path)
    b = load_data(p, on_skip=lambda path, reason: heard.append((path, reason)))
    # the folder named x.jpg is known from the scan; the others when first decoded
    assert (str(bad["dir"]), "it is a folder, not an image file") in b.skipped
    assert len(b.train) == 13
    total = 0
    for epoch in range(2):
        g = torch.Generator().manual_seed(epoch)
        for x, y in b.train.batches(4, shuffle=True, generator=g):
            assert x.shape[1:] == (3, 16, 16) and len(x) == len(y)
            total += len(y)
    assert total == 2 * 10
    skipped = dict(b.skipped)
    for key in ("truncated", "empty", "text", "dir"):
        assert str(bad[key]) in skipped, key
    assert len(b.skipped) == 4  # each reported once, though read in two epochs
    assert "truncated" in skipped[str(bad["truncated"])]
    assert {p for p, _ in heard} == {str(bad[k]) for k in ("truncated", "empty", "text")}
    with pytest.raises(ImageReadError):
        b.train.item(b.train.paths.index(str(bad["empty"])))


def test_batch_members_do_not_depend_on_known_bad_files(tmp_path: Path) -> None:
    """A resumed run (which has not met the bad files yet) must batch exactly like the original."""
    write_class_folder(tmp_path, {"cat": 40, "dog": 200}, per_class=6)
    broken_files(tmp_path / "cat")
    p = project(tmp_path)
    fresh = load_data(p).train
    seasoned = load_data(p).train
    list(seasoned.batches(5, shuffle=False))  # meets the bad files
    assert seasoned.bad
    g1, g2 = torch.Generator().manual_seed(3), torch.Generator().manual_seed(3)
    a = [y for _, y in fresh.batches(5, shuffle=True, generator=g1)]
    b = [y for _, y in seasoned.batches(5, shuffle=True, generator=g2)]
    assert len(a) == len(b) and all(torch.equal(u, v) for u, v in zip(a, b, strict=True))


def test_every_mode_and_exif(tmp_path: Path) -> None:
    files = write_mode_zoo(tmp_path / "mixed")
    write_class_folder(tmp_path, {"other": 200}, per_class=2)
    for channels in (1, 3, 4):
        b = load_data(project(tmp_path, channels=channels, image_size=[12, 10]))
        xs = list(b.train.batches(64, shuffle=False))
        assert not b.skipped
        assert sum(len(y) for _, y in xs) == len(files) + 2
        assert xs[0][0].shape[1:] == (channels, 12, 10)
        assert torch.isfinite(xs[0][0]).all()
    b = load_data(project(tmp_path, channels=1, image_size=[24, 18]))
    i = b.train.paths.index(str(tmp_path / "mixed" / "rotated.jpg"))
    img, label, path = b.train.item(i)
    assert b.classes[label] == "mixed" and path.endswith("rotated.jpg")
    # the 24x18 landscape gradient, rotated 90 degrees clockwise: dark at the top, light below
    assert img[0, :4].float().mean() < img[0, -4:].float().mean() - 50


def test_korean_class_and_file_names(tmp_path: Path) -> None:
    for cls, value in (("고양이", 30), ("강아지", 220)):
        for i in range(3):
            save(tmp_path / cls / f"사진_{i}.jpg", rgb(value, seed=i))
    b = load_data(project(tmp_path, workers=1, val=0.0))
    assert b.classes == sorted(["고양이", "강아지"])
    x, y = next(b.train.batches(6, shuffle=False))
    assert len(y) == 6
    bright = {b.classes[int(lab)]: float(img.mean()) for img, lab in zip(x, y, strict=True)}
    assert bright["강아지"] > bright["고양이"]
    b.close()


def test_worker_decoding_matches_in_process(tmp_path: Path) -> None:
    write_class_folder(tmp_path, {"a": 20, "b": 120, "c": 220}, per_class=4)
    broken_files(tmp_path / "b")
    inproc = load_data(project(tmp_path, workers=0, augment={"preset": "standard"}))
    workers = load_data(project(tmp_path, workers=2, augment={"preset": "standard"}))
    for epoch in range(2):  # persistent workers across epochs
        a = list(
            inproc.train.batches(
                5, shuffle=True, generator=torch.Generator().manual_seed(epoch), augment=True
            )
        )
        b = list(
            workers.train.batches(
                5, shuffle=True, generator=torch.Generator().manual_seed(epoch), augment=True
            )
        )
        assert len(a) == len(b)
        assert all(
            torch.equal(x1, x2) and torch.equal(y1, y2) for (x1, y1), (x2, y2) in zip(a, b, strict=True)
        )
    assert sorted(inproc.skipped) == sorted(workers.skipped)
    workers.close()


def test_folder_errors_name_the_folder(tmp_path: Path) -> None:
    with pytest.raises(DatasetMissingError, match=str(tmp_path / "missing")):
        load_data(project(tmp_path / "missing"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(DatasetError, match="no class sub-folders"):
        load_data(project(tmp_path / "empty"))
    save(tmp_path / "loose" / "a.png", rgb(5))
    with pytest.raises(DatasetError, match="directly in it"):
        load_data(project(tmp_path / "loose"))
    write_class_folder(tmp_path / "one_empty", {"a": 5}, per_class=2)
    (tmp_path / "one_empty" / "b").mkdir()
    with pytest.raises(DatasetError, match=r"one_empty.b has no images"):
        load_data(project(tmp_path / "one_empty"))


def test_folder_stats_and_pretrained(tmp_path: Path) -> None:
    write_class_folder(tmp_path, {"dark": 50, "light": 150}, per_class=5)
    b = load_data(project(tmp_path, channels=3))
    assert all(0.3 < m < 0.5 for m in b.mean)  # ~ (50 + 150) / 2 / 255
    assert isinstance(b.train, FolderSplit)
    assert b.input_shape == (3, 16, 16)


def test_scan_100k_style_speed_is_not_decoding(tmp_path: Path) -> None:
    """Scanning many (fake, empty) files works without reading them: broken content is not scanned."""
    for c in ("a", "b"):
        (tmp_path / c).mkdir()
        for i in range(500):
            (tmp_path / c / f"{i:05d}.jpg").write_bytes(b"")
    idx = scan_folder(tmp_path)
    assert len(idx) == 1000 and idx.counts()["train"] == [500, 500]
    assert idx.paths[:2] == [str(tmp_path / "a" / "00000.jpg"), str(tmp_path / "a" / "00001.jpg")]


def test_big_folders_sort_by_name_exactly_as_sorted_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The numpy sort (which lets the GUI thread run meanwhile) orders names as ``sorted()`` does."""
    import studio.core.data.folder as folder_module

    names = ["b.png", "B.png", "a10.png", "a9.png", "é.png", "e.png", "고양이.png", "가.png", "😀.png"]
    names += ["z" * 200 + ".png", "a.png", "A.PNG", "_x.png"]
    d = tmp_path / "cls"
    d.mkdir()
    for n in names:
        (d / n).write_bytes(b"")
    with open(os.fsencode(str(d)) + b"/caf\xe9.png", "wb"):  # not UTF-8: a lone surrogate in the str
        pass
    with os.scandir(d) as it:
        entries = list(it)
    expected = [e.name for e in sorted(entries, key=lambda e: e.name)]
    assert [e.name for e in folder_module._sorted_by_name(entries, big=3)] == expected
    assert [e.name for e in folder_module._sorted_by_name(entries)] == expected  # the small-folder path
    monkeypatch.setattr(folder_module, "BIG_FOLDER", 4)
    idx = scan_folder(tmp_path)
    assert [os.path.basename(p) for p in idx.paths] == [n for n in expected if n.lower().endswith(".png")]
    assert idx.labels.tolist() == [0] * len(idx) and set(idx.splits.tolist()) == {"train"}


def test_symlink_loop_and_odd_byte_names(tmp_path: Path) -> None:
    write_class_folder(tmp_path, {"a": 20, "b": 200}, per_class=2)
    os.symlink(tmp_path / "a", tmp_path / "a" / "loop")
    odd = os.fsencode(str(tmp_path / "b")) + b"/caf\xe9.png"  # Latin-1 bytes, not UTF-8
    with open(odd, "wb") as fh:
        fh.write((tmp_path / "b" / "b_0.png").read_bytes())
    idx = scan_folder(tmp_path)
    assert idx.counts() == {"train": [2, 3]}
    b = load_data(project(tmp_path))
    assert sum(len(y) for _, y in b.train.batches(8, shuffle=False)) == 5 and not b.skipped


def test_skip_resumes_mid_epoch_without_decoding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CNN_STUDIO_CACHE", "off")  # the lazy path (a cached split decodes nothing at all)
    write_class_folder(tmp_path, {"a": 20, "b": 120, "c": 220}, per_class=5)
    split = load_data(project(tmp_path, augment={"preset": "strong"})).train
    full = list(split.batches(4, shuffle=True, generator=torch.Generator().manual_seed(2), augment=True))
    decoded: list[str] = []
    import studio.core.data.folder as folder_mod

    real = folder_mod.open_image
    monkeypatch.setattr(folder_mod, "open_image", lambda p, **k: decoded.append(p) or real(p, **k))
    g = torch.Generator().manual_seed(2)
    tail = list(split.batches(4, shuffle=True, generator=g, augment=True, skip=2))
    assert len(decoded) == len(split) - 8  # the two skipped batches were not read
    assert len(tail) == len(full) - 2
    assert all(
        torch.equal(x1, x2) and torch.equal(y1, y2) for (x1, y1), (x2, y2) in zip(full[2:], tail, strict=True)
    )
