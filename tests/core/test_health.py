"""The dataset health scan, check-data (table and JSON), quarantine and restore."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from studio.cli import main
from studio.core.base.errors import UserError
from studio.core.data.errors import DataCancelled
from studio.core.data.health import quarantine, restore, scan_health
from studio.core.project.project_file import Project, save_project
from tests.helpers.datagen import broken_files, rgb, save, write_class_folder, write_mnist


@pytest.fixture(autouse=True)
def studio_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CNN_STUDIO_HOME", str(tmp_path_factory.mktemp("studio-home")))


def folder_project(root: Path) -> Project:
    return Project.from_dict(
        {
            "name": "Pets",
            "data": {"source": "folder", "root": str(root), "channels": 3, "image_size": [32, 32]},
        }
    )


@pytest.fixture
def messy(tmp_path: Path) -> dict:
    root = tmp_path / "ds"
    write_class_folder(root / "train", {"고양이": 40, "dog": 200}, per_class=12, size=(20, 16))
    write_class_folder(root / "train", {"rare": 120}, per_class=3, size=(20, 16))
    write_class_folder(root / "test", {"고양이": 40, "dog": 200}, per_class=2, size=(20, 16), seed=50)
    shutil.copy(root / "train" / "dog" / "dog_0.png", root / "train" / "dog" / "copy_of_dog_0.png")
    shutil.copy(root / "train" / "dog" / "dog_1.png", root / "test" / "dog" / "leak.png")
    save(root / "train" / "dog" / "tiny.png", rgb(200, (6, 9)))
    save(root / "train" / "dog" / "grey.png", rgb(200)[:, :, 0])
    save(root / "train" / "dog" / "big.jpg", rgb(200, (60, 80)))
    bad = broken_files(root / "train" / "고양이")
    return {"root": root, "bad": bad}


def test_scan_health_finds_everything(messy: dict) -> None:
    root, bad = messy["root"], messy["bad"]
    seen: list[float] = []
    report = scan_health(folder_project(root), progress=lambda m, f: seen.append(f))
    assert seen and seen[-1] == 1.0
    assert report.classes == sorted(["고양이", "dog", "rare"])
    ci = report.classes.index
    assert report.counts["train"][ci("dog")] == 12 + 4
    assert report.counts["train"][ci("고양이")] == 12 + 3  # three broken files named like images
    assert report.counts["test"][ci("rare")] == 0
    unreadable = dict(report.unreadable)
    assert set(unreadable) == {str(p) for p in bad.values()}
    assert "truncated" in unreadable[str(bad["truncated"])]
    assert report.modes["RGB"] > report.modes["L"] == 1
    assert report.size_range == ((9, 6), (80, 60))
    assert [p for p, _, _ in report.tiny] == [str(root / "train" / "dog" / "tiny.png")]
    groups = {tuple(sorted(Path(p).name for p in g)) for g in report.duplicates}
    assert ("copy_of_dog_0.png", "dog_0.png") in groups and ("dog_1.png", "leak.png") in groups
    assert report.cross_split_duplicates == 1
    assert report.few == [("rare", 3)]
    assert any("duplicates" in w for w in report.warnings())
    js = report.to_json()
    json.dumps(js)
    assert js["counts"]["train"]["rare"] == 3 and js["total"] == report.total
    # the extra copies and the bad files are what quarantine is offered
    probs = report.problem_paths()
    assert str(bad["empty"]) in probs and str(root / "train" / "dog" / "copy_of_dog_0.png") in probs
    assert str(root / "train" / "dog" / "dog_0.png") not in probs
    assert str(root / "test" / "dog" / "leak.png") in probs  # the test copy of a training image


def test_healthy_in_memory_source(tmp_path: Path) -> None:
    write_mnist(tmp_path, n_train=40, n_test=10)
    p = Project.from_dict({"data": {"source": "mnist", "root": str(tmp_path)}})
    r = scan_health(p, min_per_class=2)
    assert r.counts == {"train": [4] * 10, "test": [1] * 10}
    assert r.modes == {"L": 50} and r.size_range == ((28, 28), (28, 28))
    assert not r.unreadable and not r.few


def test_in_memory_duplicates(tmp_path: Path) -> None:
    tr_x, _ = write_mnist(tmp_path, n_train=40, n_test=10)
    from studio.core.data.sources import idx_bytes

    raw = tmp_path / "MNIST" / "raw"
    tr_x = tr_x.copy()
    tr_x[5] = tr_x[0]
    (raw / "train-images-idx3-ubyte").write_bytes(idx_bytes(tr_x))
    r = scan_health(Project.from_dict({"data": {"source": "mnist", "root": str(tmp_path)}}))
    assert r.duplicates == [["train[0]", "train[5]"]]


def test_scan_cancel(messy: dict) -> None:
    with pytest.raises(DataCancelled):
        scan_health(folder_project(messy["root"]), cancel=lambda: True)


def test_quarantine_and_restore(messy: dict) -> None:
    root, _bad = messy["root"], messy["bad"]
    report = scan_health(folder_project(root))
    paths = report.problem_paths()
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    moves = quarantine(paths, root)
    assert len(moves) == len(paths)
    for m in moves:
        assert not Path(m.src).exists() and Path(m.dst).exists()
        assert "_quarantine" in Path(m.dst).relative_to(root).parts[0]
    assert (root / "_quarantine" / "train" / "고양이" / "empty.png").exists()
    assert (root / "_quarantine" / "train" / "고양이" / "x.jpg").is_dir()
    after = scan_health(folder_project(root))  # the scanner ignores _quarantine
    assert not after.unreadable and not after.duplicates
    restored = restore(moves)
    assert sorted(restored) == sorted(paths)
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before
    assert not (root / "_quarantine").exists()


def test_quarantine_never_overwrites_and_rolls_back(tmp_path: Path) -> None:
    root = tmp_path / "ds"
    a = save(root / "cat" / "a.png", rgb(10))
    (root / "_quarantine" / "cat").mkdir(parents=True)
    (root / "_quarantine" / "cat" / "a.png").write_bytes(b"older quarantined file")
    moves = quarantine([str(a)], root)
    assert Path(moves[0].dst).name == "a (2).png"
    assert (root / "_quarantine" / "cat" / "a.png").read_bytes() == b"older quarantined file"
    restore([m.to_json() for m in moves])
    assert a.exists()
    b = save(root / "cat" / "b.png", rgb(10))
    with pytest.raises(UserError, match="missing.png"):
        quarantine([str(b), str(root / "cat" / "missing.png")], root)
    assert b.exists()  # the first move was undone


def test_check_data_cli_table_and_json(messy: dict, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    proj = tmp_path / "p.json"
    save_project(folder_project(messy["root"]), proj)
    assert main(["check-data", str(proj), "--json"]) == 0
    js = json.loads(capsys.readouterr().out)
    assert {u["path"] for u in js["unreadable"]} == {str(p) for p in messy["bad"].values()}
    assert js["counts"]["test"]["dog"] == 3
    assert js["few_images"] == [{"class": "rare", "count": 3}]
    assert js["cross_split_duplicates"] == 1
    assert main(["check-data", str(proj)]) == 0
    table = capsys.readouterr().out
    assert "고양이" in table and "unreadable files: 4" in table and "truncated" in table
    assert "exact duplicates: 2 group(s), 1 across splits" in table
    row = next(line for line in table.splitlines() if line.startswith("dog"))
    assert row.split()[1:] == ["16", "3"]


def test_check_data_cli_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    proj = tmp_path / "p.json"
    save_project(folder_project(tmp_path / "nowhere"), proj)
    assert main(["check-data", str(proj)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "nowhere" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_probe_handles_many_modes(tmp_path: Path) -> None:
    from tests.helpers.datagen import write_mode_zoo

    write_mode_zoo(tmp_path / "ds" / "a")
    r = scan_health(folder_project(tmp_path / "ds"), min_per_class=1)
    assert not r.unreadable
    assert {"L", "RGB", "RGBA", "P", "CMYK", "I;16"} <= set(r.modes)
    # the EXIF-rotated 24x18 JPEG is reported with its displayed (rotated) size
    assert (18, 24) in r.sizes
    assert np.sum(list(r.modes.values())) == 7


def test_check_data_cli_survives_undecodable_file_names(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    import os

    root = tmp_path / "ds"
    write_class_folder(root, {"a": 20, "b": 200}, per_class=2)
    with open(os.fsencode(str(root / "b")) + b"/caf\xe9.png", "wb") as fh:
        fh.write(b"")  # an empty file with a Latin-1 name
    proj = tmp_path / "p.json"
    save_project(folder_project(root), proj)
    assert main(["check-data", str(proj), "--json"]) == 0
    js = json.loads(capsys.readouterr().out)
    assert len(js["unreadable"]) == 1 and "caf" in js["unreadable"][0]["path"]
    assert main(["check-data", str(proj)]) == 0
    assert "unreadable files: 1" in capsys.readouterr().out
