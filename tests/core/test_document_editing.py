"""Core support for the designer: pre-change events, reset, multi-row moves, model kind, recovery."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from studio.core.project.document import ProjectDocument, find_recoveries, recovery_origin
from studio.core.project.project_file import Project, load_project
from studio.core.project.templates import get_template


def _doc(*types: str) -> ProjectDocument:
    doc = ProjectDocument(Project())
    for t in types:
        doc.apply(doc.add_layer(t))
    return doc


def _types(doc: ProjectDocument) -> list[str]:
    return [layer["type"] for layer in doc.layers]


def test_pre_events_fire_before_the_list_changes() -> None:
    doc = _doc("Conv2d", "ReLU")
    seen: list[tuple[str, int]] = []
    doc.layers_inserting.connect(lambda i, n: seen.append(("inserting", len(doc.layers))))
    doc.layers_inserted.connect(lambda i, n: seen.append(("inserted", len(doc.layers))))
    doc.layers_removing.connect(lambda i, n: seen.append(("removing", len(doc.layers))))
    doc.layers_removed.connect(lambda i, n: seen.append(("removed", len(doc.layers))))
    doc.layer_moving.connect(lambda a, b: seen.append(("moving", doc.layers[a]["type"] == "Conv2d")))
    doc.apply(doc.add_layer("Flatten"))
    doc.apply(doc.remove_layers([2]))
    doc.apply(doc.move_layer(0, 1))
    assert seen == [("inserting", 2), ("inserted", 3), ("removing", 3), ("removed", 2), ("moving", True)]


def test_reset_replaces_project_clears_history_and_is_clean(tmp_path: Path) -> None:
    doc = _doc("Conv2d")
    events: list[object] = []
    doc.changed.connect(lambda s: events.append(("changed", s)))
    doc.dirty_changed.connect(lambda d: events.append(("dirty", d)))
    doc.path_changed.connect(lambda p: events.append(("path", p)))
    project = get_template("mnist-cnn").project()
    doc.reset(project, tmp_path / "m.json")
    assert doc.project.to_dict() == project.to_dict()
    assert doc.project is not project
    assert not doc.dirty and not doc.history and not doc.undo()
    assert ("changed", "all") in events and ("dirty", False) in events
    assert ("path", tmp_path / "m.json") in events
    doc.reset(Project(), None, dirty=True)
    assert doc.dirty and doc.path is None


@pytest.mark.parametrize("n", [4, 5])
def test_move_layers_matches_list_semantics_and_undoes(n: int) -> None:
    names = ["Conv2d", "ReLU", "MaxPool2d", "Flatten", "Linear"][:n]
    for k in (1, 2):
        for rows in itertools.combinations(range(n), k):
            for before in range(n + 1):
                doc = _doc(*names)
                expected_rest = [t for i, t in enumerate(names) if i not in rows]
                cut = sum(1 for i in range(n) if i not in rows and i < before)
                expected = expected_rest[:cut] + [names[i] for i in rows] + expected_rest[cut:]
                doc.apply(doc.move_layers(list(rows), before))
                assert _types(doc) == expected, (rows, before)
                doc.undo()
                assert _types(doc) == names


def test_single_move_to_the_end_is_one_event() -> None:
    doc = _doc("Conv2d", "ReLU", "MaxPool2d", "Flatten")
    moves: list[tuple[int, int]] = []
    doc.layer_moved.connect(lambda a, b: moves.append((a, b)))
    doc.apply(doc.move_layers([0], 4))
    assert moves == [(0, 3)]


def test_model_kind_switch_keeps_the_stack_and_sets_rgb() -> None:
    doc = _doc("Conv2d", "Flatten")
    assert doc.project.data.channels == 1
    doc.apply(doc.set_model_kind("pretrained"))
    assert doc.project.model.kind == "pretrained" and doc.project.data.channels == 3
    assert "layers" not in doc.project.to_dict()["model"]
    doc.apply(doc.set_field("model", "arch", "resnet34"))
    doc.apply(doc.set_model_kind("stack"))
    assert _types(doc) == ["Conv2d", "Flatten"]
    doc.undo()
    doc.undo()
    doc.undo()
    assert doc.project.model.kind == "stack" and doc.project.data.channels == 1
    assert doc.project.model.arch == "resnet18"


def test_blocking_error_names_the_first_invalid_layer() -> None:
    doc = _doc()
    assert doc.blocking_error() is not None  # empty
    doc.apply(doc.add_layer("Linear"))
    err = doc.blocking_error()
    assert err is not None and err.layer == 0
    doc.apply(doc.add_layer("Flatten", 0))
    assert doc.blocking_error() is None


def test_recovery_copy_round_trip(tmp_path: Path) -> None:
    original = tmp_path / "p.json"
    doc = ProjectDocument(Project(name="Mine"))
    doc.save(original)
    doc.apply(doc.add_layer("Conv2d"))
    folder = tmp_path / "recovery"
    copy_path = doc.autosave(folder)
    assert copy_path is not None and copy_path.exists()
    assert copy_path == doc.recovery_path(folder)  # stable name across calls
    assert find_recoveries(folder) == [copy_path]
    assert recovery_origin(copy_path) == str(original)
    assert json.loads(copy_path.read_text())["model"]["layers"] == [
        {"type": "Conv2d", "out_channels": 32, "kernel_size": 3}
    ]
    other = ProjectDocument()
    other.restore_recovery(copy_path)
    assert other.dirty and other.path == original
    assert "recovery_of" not in other.project.to_dict()
    other.save()
    assert not copy_path.exists()
    assert load_project(original).model.layers == doc.layers


def test_mark_clean_after_walking_back_to_the_save_point(tmp_path: Path) -> None:
    doc = _doc("Conv2d")
    doc.save(tmp_path / "p.json")
    states: list[bool] = []
    doc.dirty_changed.connect(states.append)
    doc.apply(doc.add_layer("ReLU"))
    doc.undo()
    assert doc.dirty
    doc.mark_clean()
    doc.mark_clean()  # already clean: no second event
    assert not doc.dirty and states == [True, False]


def test_set_field_null_weights_trains_from_scratch_and_remove_restores_default() -> None:
    from studio.core.project.document import REMOVE, ProjectDocument
    from studio.core.project.templates import get_template

    doc = ProjectDocument(get_template("resnet18-transfer").project())
    doc.apply(doc.set_field("model", "weights", None))
    assert doc.project.model.weights is None
    assert doc.project.to_dict()["model"]["weights"] is None
    doc.undo()
    assert doc.project.model.weights == "DEFAULT"
    doc.apply(doc.set_field("model", "weights", None))
    doc.apply(doc.set_field("model", "weights", REMOVE))
    assert doc.project.model.weights == "DEFAULT"
