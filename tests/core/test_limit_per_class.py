"""``data.limit_per_class`` (issue 14, item 7): at most N images of each class in each split,
the same pick for the same seed, written to the file only when set, refused when not positive."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from studio.core.base.errors import ProjectError
from studio.core.data.datasets import limit_indices, load_data
from studio.core.project.project_file import Project
from tests.helpers.datagen import write_class_folder, write_mnist


def _mnist_project(root: Path, **data: object) -> Project:
    raw = {"source": "mnist", "root": str(root), "val": 0.2, **data}
    return Project.from_dict({"data": raw, "model": {"kind": "stack", "layers": []}})


def test_limit_indices_is_per_class_and_seeded() -> None:
    labels = np.repeat(np.arange(3), [50, 5, 20])
    picked = limit_indices(labels, 10, seed=0)
    assert picked is not None and np.all(np.diff(picked) > 0)
    assert np.bincount(labels[picked]).tolist() == [10, 5, 10]
    assert np.array_equal(picked, limit_indices(labels, 10, seed=0))
    assert not np.array_equal(picked, limit_indices(labels, 10, seed=1))
    assert limit_indices(labels, None, 0) is None and limit_indices(labels, 50, 0) is None


def test_the_field_round_trips_and_is_validated() -> None:
    assert "limit_per_class" not in Project().to_dict()["data"]
    p = Project.from_dict({"data": {"limit_per_class": 100}})
    assert p.data.limit_per_class == 100 and p.to_dict()["data"]["limit_per_class"] == 100
    for bad in (0, -3, "many", 1.5):
        with pytest.raises(ProjectError, match="data.limit_per_class"):
            Project.from_dict({"data": {"limit_per_class": bad}})


def test_an_array_source_uses_at_most_n_per_class(tmp_path: Path) -> None:
    write_mnist(tmp_path, n_train=300, n_test=150)
    full = load_data(_mnist_project(tmp_path))
    bundle = load_data(_mnist_project(tmp_path, limit_per_class=10))
    assert len(bundle.train) + len(bundle.val) == 100  # 10 of each of 10 classes, then the hold-out
    assert len(bundle.val) == 20  # 2 of each class's 10
    test_counts = np.bincount(bundle.test.labels.numpy(), minlength=10)
    assert test_counts.max() <= 10 and len(bundle.test) < len(full.test)
    assert len(full.train) + len(full.val) == 300


def test_a_folder_uses_at_most_n_per_class(tmp_path: Path) -> None:
    root = tmp_path / "photos"
    write_class_folder(root, {"a": 50}, per_class=12)
    write_class_folder(root, {"b": 200}, per_class=4)
    project = Project.from_dict(
        {
            "data": {
                "source": "folder",
                "root": str(root),
                "channels": 3,
                "image_size": [16, 16],
                "val": 0,
                "limit_per_class": 5,
            },
            "model": {"kind": "stack", "layers": []},
        }
    )
    bundle = load_data(project)
    assert np.bincount(bundle.train.labels.numpy()).tolist() == [5, 4]
