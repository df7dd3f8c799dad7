"""``dataset_classes.class_count``: the built-in sources' counts, a folder's class sub-folders in
both layouts (as ``scan_folder`` finds them), and no torch import (the designer calls it on the
GUI thread)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from studio.core.data import classes as dataset_classes
from studio.core.data.classes import IMAGENET_CLASSES, class_count, folder_class_names, head_classes
from studio.core.project.project_file import Project

REPO = Path(__file__).resolve().parents[2]


def _project(source: str, root: str = "") -> Project:
    data = {"source": source, "channels": 3, "image_size": [32, 32]}
    if root:
        data["root"] = root
    return Project.from_dict({"data": data})


def _mkdirs(base: Path, *names: str) -> None:
    for name in names:
        (base / name).mkdir(parents=True, exist_ok=True)


@pytest.mark.parametrize(
    ("source", "expected"),
    [("mnist", 10), ("fashion_mnist", 10), ("cifar10", 10), ("cifar100", 100), ("sample", 10)],
)
def test_built_in_sources_have_their_known_counts(source: str, expected: int) -> None:
    assert class_count(_project(source)) == expected
    assert head_classes(_project(source)) == expected


def test_known_counts_match_the_sources_class_lists() -> None:
    from studio.core.data.sources import FASHION_CLASSES, MNIST_CLASSES

    assert dataset_classes.KNOWN_CLASSES["mnist"] == len(MNIST_CLASSES)
    assert dataset_classes.KNOWN_CLASSES["fashion_mnist"] == len(FASHION_CLASSES)
    assert dataset_classes.KNOWN_CLASSES["sample"] == len(FASHION_CLASSES)


def test_a_class_folder_counts_its_visible_sub_folders_only(tmp_path: Path) -> None:
    root = tmp_path / "photos"
    _mkdirs(root, "cat", "dog", "owl", ".hidden", "_quarantine", "__MACOSX")
    (root / "notes.txt").write_text("not a class")
    (root / "cat" / "a.png").write_bytes(b"not even an image: never opened")
    assert folder_class_names(root) == ["cat", "dog", "owl"]
    assert class_count(_project("folder", str(root))) == 3


def test_a_split_layout_counts_the_classes_of_train_val_and_test_together(tmp_path: Path) -> None:
    root = tmp_path / "ds"
    _mkdirs(root / "Train", "a", "b")
    _mkdirs(root / "validation", "a", "c")
    _mkdirs(root / "test", "d", ".x")
    assert folder_class_names(root) == ["a", "b", "c", "d"]
    assert class_count(_project("folder", str(root))) == 4


def test_missing_or_empty_folders_are_unknown_and_fall_back_to_imagenet(tmp_path: Path) -> None:
    missing = _project("folder", str(tmp_path / "nowhere"))
    assert class_count(missing) is None and head_classes(missing) == IMAGENET_CLASSES
    (tmp_path / "empty").mkdir()
    assert class_count(_project("folder", str(tmp_path / "empty"))) is None
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    assert class_count(_project("folder", str(a_file))) is None


def test_a_home_relative_root_is_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    _mkdirs(tmp_path / "pics", "x", "y")
    assert class_count(_project("folder", "~/pics")) == 2


@pytest.mark.parametrize("layout", ["classes", "splits"])
def test_agrees_with_scan_folder(tmp_path: Path, layout: str) -> None:
    from studio.core.data.folder import SPLIT_NAMES, scan_folder

    assert SPLIT_NAMES == dataset_classes.SPLIT_NAMES
    root = tmp_path / layout
    if layout == "classes":
        _mkdirs(root, "b", "a", "_quarantine", ".git", "c")
    else:
        _mkdirs(root / "training", "x", "y")
        _mkdirs(root / "val", "y", "z")
        _mkdirs(root, "extra")  # beside the split folders: not a class
    assert folder_class_names(root) == scan_folder(root).classes


def test_the_module_imports_neither_torch_nor_numpy() -> None:
    code = (
        "import json, sys, studio.core.data.classes; "
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'numpy'))))"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
