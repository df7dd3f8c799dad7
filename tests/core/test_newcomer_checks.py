"""Issue 14's core rules: random weights with a frozen backbone are refused everywhere, a stack
whose last layer does not fit the dataset's classes is found before training with a one-edit
fix, undo texts are words, and an unnamed project takes its file's name when saved."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studio.cli import main
from studio.core.base.errors import ProjectError
from studio.core.project.checks import (
    FIX_OUT_FEATURES,
    FIX_UNFREEZE,
    check_trainable,
    class_count_problem,
    frozen_random_backbone,
)
from studio.core.project.document import ProjectDocument
from studio.core.project.project_file import Project
from studio.core.project.templates import get_template
from studio.core.training.engine import train


def _transfer(weights: str | None, freeze: str) -> Project:
    project = get_template("resnet18-transfer").project()
    project.model.weights = weights
    project.model.freeze = freeze
    return project


def _folder(tmp_path: Path, classes: int) -> Path:
    for i in range(classes):
        (tmp_path / "photos" / f"class{i}").mkdir(parents=True)
    return tmp_path / "photos"


def test_random_weights_with_a_frozen_backbone_is_a_problem() -> None:
    problem = frozen_random_backbone(_transfer(None, "backbone"))
    assert problem is not None and problem.fix == FIX_UNFREEZE
    assert str(problem).startswith("model.freeze: ")  # the CLI keeps the field path
    assert "model." not in problem.gui and "null" not in problem.gui  # the GUI's words
    assert problem.gui.endswith(".")
    for weights, freeze in ((None, "none"), ("DEFAULT", "backbone"), ("/x.pth", "backbone")):
        assert frozen_random_backbone(_transfer(weights, freeze)) is None
    with pytest.raises(ProjectError, match="model.freeze"):
        check_trainable(_transfer(None, "backbone"))


def test_the_engine_refuses_it_before_making_files(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="model.freeze"):
        train(_transfer(None, "backbone"), tmp_path / "run")
    assert not (tmp_path / "run" / "metrics.jsonl").exists()


def test_the_cli_refuses_it_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.json"
    path.write_text(_transfer(None, "backbone").to_json(), encoding="utf-8")
    assert main(["train", str(path), "--out", str(tmp_path / "run")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: model.freeze:")
    assert not (tmp_path / "run").exists()


def test_document_fix_unfreezes_in_one_undoable_edit() -> None:
    doc = ProjectDocument(_transfer(None, "backbone"))
    problem = frozen_random_backbone(doc.project)
    assert problem is not None
    edit = doc.apply(doc.fix_problem(problem))
    assert edit.text == "Train every layer" and doc.project.model.freeze == "none"
    assert frozen_random_backbone(doc.project) is None
    doc.undo()
    assert doc.project.model.freeze == "backbone"


def test_class_count_mismatch_is_found_from_the_folder(tmp_path: Path) -> None:
    project = get_template("photos-cnn").project()  # ends in Linear(out_features=2)
    project.data.root = str(_folder(tmp_path, 5))
    problem = class_count_problem(project)
    assert problem is not None and problem.fix == FIX_OUT_FEATURES and problem.value == 5
    last = len(project.model.layers) - 1
    assert problem.layer == last and problem.field == f"model.layers[{last}].out_features"
    assert "Set its out_features to 5." in problem.gui
    with pytest.raises(ProjectError, match="dataset has 5 classes"):
        check_trainable(project)
    doc = ProjectDocument(project)
    edit = doc.apply(doc.fix_problem(problem))
    assert edit.text == "Set out_features to 5"
    assert doc.project.model.layers[last]["out_features"] == 5
    assert class_count_problem(doc.project) is None
    assert doc.undo() and doc.project.model.layers[last]["out_features"] == 2
    assert len(doc.history) == 0  # it was one edit


def test_class_count_unknown_or_matching_is_no_problem(tmp_path: Path) -> None:
    project = get_template("photos-cnn").project()
    project.data.root = str(tmp_path / "missing")
    assert class_count_problem(project) is None  # unknown: nothing to compare yet
    project.data.root = str(_folder(tmp_path, 2))
    assert class_count_problem(project) is None
    assert class_count_problem(get_template("mnist-cnn").project()) is None
    lenet = get_template("lenet5").project()
    assert class_count_problem(lenet, 3) is not None  # the last of three Linears is the one
    assert class_count_problem(lenet, 3).layer == len(lenet.model.layers) - 1  # type: ignore[union-attr]


def test_undo_texts_are_words() -> None:
    doc = ProjectDocument(get_template("mnist-cnn").project())
    assert doc.set_field("training", "epochs", 4).text == "Change epochs"
    assert doc.set_field("training", "batch_size", 64).text == "Change batch size"
    assert doc.set_field("data", "val", 0.2).text == "Change validation split"


def test_saving_an_unnamed_project_takes_the_file_name(tmp_path: Path) -> None:
    doc = ProjectDocument(Project(name="Untitled"))
    doc.save(tmp_path / "my digits.json")
    assert doc.project.name == "my digits"
    assert json.loads((tmp_path / "my digits.json").read_text())["name"] == "my digits"
    named = ProjectDocument(get_template("mnist-cnn").project())
    named.save(tmp_path / "other.json")
    assert named.project.name == "MNIST digits"


def test_choosing_a_folder_sizes_the_stacks_head_in_the_same_edit(tmp_path: Path) -> None:
    doc = ProjectDocument(get_template("photos-cnn").project())  # Linear(out_features=2), no folder yet
    raw = {**doc.project.to_dict()["data"], "root": str(_folder(tmp_path, 3))}
    edit = doc.apply(doc.set_data(raw, "Use image folder"))
    assert edit.text == "Use image folder (out_features 2 → 3)"
    assert doc.project.model.layers[-1]["out_features"] == 3 and class_count_problem(doc.project) is None
    assert doc.undo()
    assert doc.project.model.layers[-1]["out_features"] == 2 and doc.project.data.root != raw["root"]
    # a change that keeps the class count leaves the network alone
    same = ProjectDocument(get_template("mnist-cnn").project())
    edit = same.apply(
        same.set_data({**same.project.to_dict()["data"], "val": 0.2}, "Change validation split")
    )
    assert edit.text == "Change validation split" and same.project.model.layers[-1]["out_features"] == 10


def test_new_from_a_folder_follows_its_class_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _folder(tmp_path, 4)
    out = tmp_path / "photos.json"
    assert main(["new", "photos-cnn", "-o", str(out), "--root", str(folder)]) == 0
    raw = json.loads(out.read_text())
    assert raw["data"]["root"] == str(folder) and raw["model"]["layers"][-1]["out_features"] == 4
    assert "out_features 4" in capsys.readouterr().out
    assert main(["new", "photos-cnn", "-o", str(tmp_path / "plain.json")]) == 0  # no folder: unchanged
    assert json.loads((tmp_path / "plain.json").read_text())["model"]["layers"][-1]["out_features"] == 2
