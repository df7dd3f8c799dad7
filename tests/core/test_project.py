"""The project file: validation with field paths, round trips, migration, atomic saving, bad input."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest

from studio.core.base.errors import ProjectError
from studio.core.project import project_file as project_mod
from studio.core.project.project_file import (
    FORMAT,
    MAX_FILE_BYTES,
    Project,
    load_project,
    parse_project_text,
    save_project,
)
from studio.core.project.templates import TEMPLATES


def _write(path: Path, raw: Any) -> Path:
    path.write_text(json.dumps(raw), encoding="utf-8")
    return path


def _minimal() -> dict[str, Any]:
    return copy.deepcopy(TEMPLATES["sample-cnn"].make())


def _error(raw: Any) -> ProjectError:
    with pytest.raises(ProjectError) as info:
        Project.from_dict(raw)
    return info.value


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_every_template_round_trips_exactly(name: str, tmp_path: Path) -> None:
    raw = TEMPLATES[name].make()
    first = _write(tmp_path / "first.json", raw)
    loaded = load_project(first)
    assert json.dumps(loaded.to_dict(), sort_keys=True) == json.dumps(raw, sort_keys=True)
    second = tmp_path / "second.json"
    save_project(loaded, second)
    again = load_project(second)
    assert json.dumps(again.to_dict(), sort_keys=True) == json.dumps(loaded.to_dict(), sort_keys=True)
    third = tmp_path / "third.json"
    save_project(again, third)
    assert third.read_bytes() == second.read_bytes()


def test_unknown_keys_survive_at_every_level(tmp_path: Path) -> None:
    raw = _minimal()
    raw["x_top"] = {"nested": [1, 2, {"deep": True}]}
    raw["data"]["x_data"] = "kept"
    raw["data"]["augment"]["x_future_augment"] = 0.5
    raw["model"]["x_model"] = [1, 2]
    raw["model"]["layers"][0]["name"] = "stem"  # the layer meta keys a user may write
    raw["model"]["layers"][0]["comment"] = "first conv"
    raw["training"]["x_training"] = None
    raw["training"]["optimizer"]["betas"] = [0.9, 0.95]
    raw["training"]["scheduler"]["pct_start"] = 0.25
    raw["training"]["early_stopping"] = {"patience": 3, "x_es": "kept"}
    path = _write(tmp_path / "p.json", raw)
    out = tmp_path / "out.json"
    save_project(load_project(path), out)
    written = json.loads(out.read_text(encoding="utf-8"))
    assert json.dumps(written, sort_keys=True) == json.dumps(raw, sort_keys=True)


def test_pretrained_round_trip_keeps_unknown_model_keys() -> None:
    raw = TEMPLATES["resnet18-transfer"].make()
    raw["model"]["layers"] = []  # a key that belongs to the other kind is still kept
    raw["model"]["x_head_dropout"] = 0.2
    again = Project.from_dict(json.loads(Project.from_dict(raw).to_json()))
    assert again.to_dict()["model"] == raw["model"]


def test_unknown_layer_argument_is_refused_with_the_allowed_ones() -> None:
    """Inside a layer an unknown key would silently change the network (a typo such as
    "kernal_size"), so it is an error that lists the layer's real arguments."""
    raw = _minimal()
    raw["model"]["layers"][0]["kernal_size"] = 5
    err = _error(raw)
    assert err.path == "model.layers[0].kernal_size"
    assert "not an argument of Conv2d" in str(err) and "kernel_size" in str(err)


# --------------------------------------------------------------------------- validation messages


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda r: r["model"]["layers"].__setitem__(3, {"type": "Conv2d", "kernel_size": -1}),
            "model.layers[3].kernel_size: must be a positive integer, got -1",
        ),
        (
            lambda r: r["model"]["layers"][0].__setitem__("out_channels", "32"),
            'model.layers[0].out_channels: must be a positive integer, got "32"',
        ),
        (
            lambda r: r["model"]["layers"][0].__setitem__("padding", "full"),
            'model.layers[0].padding: must be an integer, [h, w], "same" or "valid", got "full"',
        ),
        (
            lambda r: r["model"]["layers"][0].__setitem__("kernel_size", [3, 3, 3]),
            "model.layers[0].kernel_size: must be an integer or a pair [h, w], got [3, 3, 3]",
        ),
        (
            lambda r: r["model"]["layers"][0].__setitem__("bias", 1),
            "model.layers[0].bias: must be true or false, got 1",
        ),
        (
            lambda r: r["model"]["layers"][0].__setitem__("in_channels", 3),
            "model.layers[0].in_channels: is never written",
        ),
        (
            lambda r: r["model"]["layers"].__setitem__(1, {"type": "Conv3d"}),
            'model.layers[1].type: unknown layer type "Conv3d"; known types: Conv2d,',
        ),
        (
            lambda r: r["model"]["layers"].__setitem__(1, "ReLU"),
            'model.layers[1]: must be an object with a "type", got "ReLU"',
        ),
        (
            lambda r: r["model"]["layers"].__setitem__(
                1, {"type": "Linear", "out_features": list(range(10**4))}
            ),
            "model.layers[1].out_features: must be a positive integer, got [0, 1, 2,",
        ),
        (
            lambda r: r["model"].__setitem__("layers", {"type": "ReLU"}),
            "model.layers: must be a list of layers, got an object",
        ),
        (
            lambda r: r["model"].__setitem__("kind", "graph"),
            'model.kind: must be one of "stack", "pretrained", got "graph"',
        ),
        (
            lambda r: r["training"].__setitem__("epochs", "ten"),
            'training.epochs: must be a positive integer, got "ten"',
        ),
        (
            lambda r: r["training"].__setitem__("epochs", 0),
            "training.epochs: must be a positive integer, got 0",
        ),
        (
            lambda r: r["training"].__setitem__("batch_size", 1.5),
            "training.batch_size: must be a positive integer",
        ),
        (lambda r: r["training"]["optimizer"].__setitem__("lr", 0), "training.optimizer.lr: must be > 0"),
        (
            lambda r: r["training"]["optimizer"].__setitem__("type", "Adagrad"),
            'training.optimizer.type: must be one of "SGD", "Adam", "AdamW"',
        ),
        (lambda r: r["training"].__setitem__("device", "tpu"), "training.device: must be"),
        (lambda r: r["data"].__setitem__("source", "imagenet"), "data.source: must be one of"),
        (
            lambda r: r["data"].__setitem__("channels", 2),
            "data.channels: must be 1 (greyscale), 3 (RGB) or 4",
        ),
        (lambda r: r["data"].__setitem__("image_size", [28]), "data.image_size: must be [height, width]"),
        (
            lambda r: r["data"].__setitem__("image_size", [28, 100000]),
            "data.image_size[1]: must be at most 2048",
        ),
        (lambda r: r["data"].__setitem__("val", 1.5), "data.val: must be at most 0.9"),
        (
            lambda r: r["data"].__setitem__("val", "train"),
            'data.val: must be a fraction in [0, 0.9] or "test"',
        ),
        (lambda r: r["data"].__setitem__("download", "yes"), "data.download: must be true or false"),
        (lambda r: r.__setitem__("data", [1]), "data: must be an object, got a list"),
        (lambda r: r.__setitem__("name", 5), "name: must be a string, got 5"),
        (lambda r: r.__setitem__("format", 1), 'format: must be "cnn-studio/1", got 1'),
        (lambda r: r.__setitem__("format", "keras/1"), 'format: must be "cnn-studio/1", got "keras/1"'),
        (
            lambda r: r["model"].__setitem__("layers", [{"type": "ReLU"}] * 501),
            "model.layers: has 501 layers; at most 500",
        ),
    ],
)
def test_errors_name_the_field_path(edit: Any, message: str) -> None:
    raw = _minimal()
    edit(raw)
    err = _error(raw)
    assert message in str(err)
    assert len(str(err)) < 500  # a long value is cut, never dumped whole


def test_the_path_attribute_is_the_field() -> None:
    raw = _minimal()
    raw["model"]["layers"][3] = {"type": "MaxPool2d", "kernel_size": -1}
    err = _error(raw)
    assert err.path == "model.layers[3].kernel_size"
    assert str(err) == "model.layers[3].kernel_size: must be a positive integer, got -1"


def test_pretrained_settings_are_checked() -> None:
    raw = TEMPLATES["resnet18-transfer"].make()
    raw["model"]["arch"] = "resnet9000"
    assert "model.arch: must be one of resnet18, resnet34, resnet50" in str(_error(raw))
    raw = TEMPLATES["resnet18-transfer"].make()
    raw["model"]["freeze"] = "all"
    assert 'model.freeze: must be one of "backbone", "none"' in str(_error(raw))
    raw = TEMPLATES["resnet18-transfer"].make()
    raw["data"]["channels"] = 1
    assert "data.channels: pretrained resnet18 expects 3-channel" in str(_error(raw))


# --------------------------------------------------------------------------- format versions


def test_a_newer_format_is_refused_clearly(tmp_path: Path) -> None:
    raw = _minimal()
    raw["format"] = "cnn-studio/2"
    with pytest.raises(ProjectError) as info:
        load_project(_write(tmp_path / "new.json", raw))
    assert info.value.path == "format"
    assert "newer CNN Studio" in str(info.value) and "cnn-studio/2" in str(info.value)
    assert "Update" in str(info.value)


@pytest.mark.parametrize("old_format", [None, "cnn-studio/0"])
def test_an_older_format_is_migrated(old_format: str | None, tmp_path: Path) -> None:
    raw = _minimal()
    del raw["format"]
    if old_format:
        raw["format"] = old_format
    raw["dataset"] = raw.pop("data")  # the draft format's name for the section
    raw["dataset"]["source"] = "mnist"
    loaded = load_project(_write(tmp_path / "old.json", raw))
    assert loaded.data.source == "mnist"
    out = tmp_path / "migrated.json"
    save_project(loaded, out)
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written["format"] == FORMAT
    assert "dataset" not in written and written["data"]["source"] == "mnist"


# --------------------------------------------------------------------------- atomic saving


def test_a_failing_save_leaves_the_old_file_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "p.json"
    save_project(Project.from_dict(_minimal()), path)
    before = path.read_bytes()
    changed = Project.from_dict(_minimal())
    changed.name = "Changed"

    def boom(src: Any, dst: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(project_mod.os, "replace", boom)
    with pytest.raises(OSError):
        save_project(changed, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.json"]  # no temporary file left behind


def test_a_failing_write_leaves_the_old_file_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "p.json"
    save_project(Project.from_dict(_minimal()), path)
    before = path.read_bytes()

    def boom(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(project_mod.os, "fsync", boom)
    with pytest.raises(OSError):
        save_project(Project(), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["p.json"]


def test_save_keeps_the_files_permissions(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    save_project(Project(), path)
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask  # as any new file, not mkstemp's 0600
    path.chmod(0o640)
    save_project(Project(), path)
    assert path.stat().st_mode & 0o777 == 0o640


# --------------------------------------------------------------------------- bad files


def test_a_utf8_bom_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(_minimal()).encode("utf-8"))
    assert load_project(path).name == "Sample clothing"


def test_malformed_json_names_the_file_and_position(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "name": "x",\n  "data": {,}\n}', encoding="utf-8")
    with pytest.raises(ProjectError) as info:
        load_project(path)
    assert str(path) in str(info.value) and "not valid JSON (line 3, column" in str(info.value)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[1, 2, 3]", "one JSON object, got a list"),
        ('"a project"', "one JSON object, got a string"),
        ("", "not valid JSON"),
        ('{"name": 1' + "0" * 5000 + "}", "not a usable project file"),
    ],
)
def test_not_a_project_object(text: str, words: str, tmp_path: Path) -> None:
    path = tmp_path / "odd.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProjectError) as info:
        load_project(path)
    assert words in str(info.value) and str(path) in str(info.value)


def test_deeply_nested_json_is_refused_without_crashing() -> None:
    text = '{"name": "x", "x_deep": ' + "[" * 100_000 + "]" * 100_000 + "}"
    with pytest.raises(ProjectError, match="nested too deeply"):
        parse_project_text(text, "deep.json")


def test_moderately_deep_unknown_keys_are_refused_or_kept_never_crash() -> None:
    """Nesting that JSON parses but copying cannot is still a ProjectError, never a RecursionError."""
    for depth in (200, 900, 5000):
        text = '{"name": "x", "x_deep": ' + "[" * depth + "]" * depth + "}"
        try:
            project = parse_project_text(text, "deep.json")
        except ProjectError as exc:
            assert "nested too deeply" in str(exc)
        else:
            assert "x_deep" in project.to_dict()


def test_an_enormous_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with open(path, "wb") as fh:  # sparse: costs no disk
        fh.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(ProjectError) as info:
        load_project(path)
    assert str(path) in str(info.value) and "at most 5 MB" in str(info.value)


def test_a_non_utf8_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes('{"name": "caf\u00e9"}'.encode("latin-1"))
    with pytest.raises(ProjectError, match="not UTF-8"):
        load_project(path)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="does not exist"):
        load_project(tmp_path / "nope.json")
    with pytest.raises(ProjectError, match="is a folder"):
        load_project(tmp_path)


def test_non_finite_numbers_are_refused() -> None:
    raw = _minimal()
    raw["training"]["optimizer"]["lr"] = float("nan")
    assert "training.optimizer.lr: must be a finite number" in str(_error(raw))
    raw = _minimal()
    raw["model"]["layers"][-1] = {"type": "Dropout", "p": float("inf")}
    assert "model.layers" in str(_error(raw))
