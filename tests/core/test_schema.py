"""The project file's JSON Schema: valid, accepts every template, refuses bad files, and agrees
with the parser on every range and choice it states (so that the generated
docs/project-format.md, made from the same dict, tells the truth)."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest

from studio.cli import main
from studio.core.base.errors import ProjectError
from studio.core.model.blocks import META_KEYS, REGISTRY
from studio.core.project.optim_settings import OPTIMIZER_ARGS, SCHEDULER_ARGS, takers
from studio.core.project.project_file import PRECISIONS, parse_project_text
from studio.core.project.schema import project_schema
from studio.core.project.templates import TEMPLATES

SCHEMA = project_schema()
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
STACK = TEMPLATES["mnist-cnn"].make()
PRETRAINED = TEMPLATES["resnet18-transfer"].make()


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert set(SCHEMA["$defs"]) == {"layer"} | {f"layer_{n}" for n in REGISTRY}


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_every_template_is_valid(name: str) -> None:
    errors = [e.message for e in VALIDATOR.iter_errors(TEMPLATES[name].make())]
    assert errors == []


def _with(base: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    raw = copy.deepcopy(base)
    *parents, last = path.split(".")
    node = raw
    for key in parents:
        node = node.setdefault(key, {})
    node[last] = value
    return raw


BAD_FILES: list[tuple[str, dict[str, Any], str]] = [
    ("unknown layer type", _with(STACK, "model.layers", [{"type": "Conv3d"}]), "model.layers[0].type"),
    (
        "unknown layer argument",
        _with(STACK, "model.layers", [{"type": "ReLU", "inplace": True}]),
        "model.layers[0].inplace",
    ),
    (
        "in_channels written",
        _with(STACK, "model.layers", [{"type": "Conv2d", "in_channels": 3}]),
        "model.layers[0].in_channels",
    ),
    (
        "zero kernel",
        _with(STACK, "model.layers", [{"type": "Conv2d", "kernel_size": [3, 0]}]),
        "model.layers[0].kernel_size[1]",
    ),
    (
        "bad padding word",
        _with(STACK, "model.layers", [{"type": "Conv2d", "padding": "full"}]),
        "model.layers[0].padding",
    ),
    ("zero epochs", _with(STACK, "training.epochs", 0), "training.epochs"),
    ("unknown source", _with(STACK, "data.source", "imagenet"), "data.source"),
    ("folder without root", _with(_with(STACK, "data.source", "folder"), "data.root", ""), "data.root"),
    ("pretrained on greyscale", _with(PRETRAINED, "data.channels", 1), "data.channels"),
    ("optimizer without lr", _with(STACK, "training.optimizer", {"type": "SGD"}), "training.optimizer.lr"),
    ("bool for a number", _with(STACK, "training.label_smoothing", True), "training.label_smoothing"),
    ("newer format", _with(STACK, "format", "cnn-studio/x"), "format"),
    ("string epochs", _with(STACK, "training.epochs", "3"), "training.epochs"),
]


@pytest.mark.parametrize(("raw", "field"), [(b[1], b[2]) for b in BAD_FILES], ids=[b[0] for b in BAD_FILES])
def test_bad_files_fail_the_schema_and_the_parser(raw: dict[str, Any], field: str) -> None:
    assert list(VALIDATOR.iter_errors(raw)), "the schema accepted a bad file"
    with pytest.raises(ProjectError) as info:
        parse_project_text(json.dumps(raw))
    assert info.value.path == field


# --------------------------------------------------------------------------- range probes


def _leaves() -> Iterator[tuple[str, dict[str, Any], dict[str, Any], Any]]:
    """``(path, schema, base project, wrap)`` for every probed key; ``wrap(value)`` is what goes
    at ``path`` (a layer or a scheduler needs its object around the value)."""
    props = SCHEMA["properties"]
    for key, s in props["data"]["properties"].items():
        if key != "augment":
            yield f"data.{key}", s, STACK, None
    for key, s in props["data"]["properties"]["augment"]["properties"].items():
        yield f"data.augment.{key}", s, STACK, None
    for key, s in props["model"]["properties"].items():
        if key not in ("kind", "layers"):
            yield f"model.{key}", s, PRETRAINED, None
    training = props["training"]["properties"]
    for key, s in training.items():
        if key not in ("optimizer", "scheduler", "early_stopping", "device"):
            yield f"training.{key}", s, STACK, None
    for key, s in training["optimizer"]["properties"].items():  # each in a class that takes it
        wrap = (
            None
            if key in ("type", "lr")
            else ("training.optimizer", {"type": takers(OPTIMIZER_ARGS, key)[0], "lr": 0.01})
        )
        yield f"training.optimizer.{key}", s, STACK, wrap
    for key, s in training["scheduler"]["anyOf"][0]["properties"].items():
        if key != "type":
            yield (
                f"training.scheduler.{key}",
                s,
                STACK,
                ("training.scheduler", {"type": takers(SCHEDULER_ARGS, key)[0]}),
            )
    for key, s in training["early_stopping"]["anyOf"][0]["properties"].items():
        yield f"training.early_stopping.{key}", s, STACK, ("training.early_stopping", {})
    for name in REGISTRY:
        for key, s in SCHEMA["$defs"][f"layer_{name}"]["properties"].items():
            if key not in META_KEYS:
                yield f"model.layers[0].{key}", s, STACK, ("model.layers", {"type": name})


def _probes(s: dict[str, Any]) -> Iterator[tuple[Any, bool]]:
    """Values the schema says are allowed (True) or not (False), at its stated edges."""
    for branch in s.get("anyOf", [s]):
        if "enum" in branch:
            yield from ((v, True) for v in branch["enum"])
            numbers = [v for v in branch["enum"] if isinstance(v, int)]
            yield ("no-such-choice", False) if not numbers else (max(numbers) + 1, False)
            if numbers == [1, 3, 4]:
                yield 2, False
        elif branch.get("type") in ("integer", "number"):
            step = 1 if branch["type"] == "integer" else 1e-3
            if "minimum" in branch:
                yield branch["minimum"], True
                yield branch["minimum"] - step, False
            if "exclusiveMinimum" in branch:
                yield branch["exclusiveMinimum"] + step, True
                yield branch["exclusiveMinimum"], False
            if "maximum" in branch:
                yield branch["maximum"], True
                yield branch["maximum"] + step, False
            if "exclusiveMaximum" in branch:
                yield branch["exclusiveMaximum"] - step, True
                yield branch["exclusiveMaximum"], False


def _place(base: dict[str, Any], path: str, wrap: Any, value: Any) -> dict[str, Any]:
    if wrap is None:
        return _with(base, path, value)
    where, obj = wrap
    key = path.rsplit(".", 1)[1]
    obj = {**obj, key: value}
    return _with(base, where, [obj] if where == "model.layers" else obj)


PROBES = [(path, value, ok, base, wrap) for path, s, base, wrap in _leaves() for value, ok in _probes(s)]


def test_the_probes_cover_the_stated_limits() -> None:
    assert len(PROBES) > 250
    paths = {p[0] for p in PROBES}
    assert {
        "training.epochs",
        "data.image_size",
        "model.backbone_lr_mult",
        "data.augment.rotate",
        "model.layers[0].kernel_size",
        "training.scheduler.step_size",
    } <= paths


@pytest.mark.parametrize(
    ("path", "value", "ok", "base", "wrap"), PROBES, ids=[f"{p[0]}={p[1]!r}" for p in PROBES]
)
def test_the_parser_agrees_with_every_stated_limit(
    path: str, value: Any, ok: bool, base: dict[str, Any], wrap: Any
) -> None:
    raw = _place(base, path, wrap, value)
    schema_errors = [e.message for e in VALIDATOR.iter_errors(raw)]
    assert (not schema_errors) is ok, schema_errors
    if ok:
        parse_project_text(json.dumps(raw))
    else:
        with pytest.raises(ProjectError) as info:
            parse_project_text(json.dumps(raw))
        assert info.value.path.startswith(path)


def test_the_precision_choices_are_the_engines() -> None:
    from studio.core.training.devices import PRECISIONS as ENGINE_PRECISIONS

    assert PRECISIONS == ENGINE_PRECISIONS


def test_the_schema_command_prints_the_schema(capsys: pytest.CaptureFixture[str], tmp_path: Any) -> None:
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == SCHEMA
    out = tmp_path / "sub" / "project.schema.json"
    assert main(["schema", "--out", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == SCHEMA


def test_the_schema_command_reports_an_unwritable_path(
    capsys: pytest.CaptureFixture[str], tmp_path: Any
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["schema", "-o", str(blocker / "schema.json")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cannot write") and err.count("\n") == 1
