"""Issue 20 item 9: mutated project files and checkpoint dicts end in success or in exit 2 with one
``error:`` line - never a traceback, never an internal error."""

from __future__ import annotations

import copy
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studio.cli import main
from studio.core.base.errors import UserError
from studio.core.project.project_file import Project
from studio.core.training.optim import build_optimizer, build_schedule
from tests.helpers.runfactory import MadeRun, shared_run

VALID: dict[str, Any] = {
    "format": "cnn-studio/1",
    "name": "fuzz",
    "data": {
        "source": "sample",
        "channels": 1,
        "image_size": [28, 28],
        "val": 0.1,
        "augment": {"hflip": True},
    },
    "model": {
        "kind": "stack",
        "layers": [
            {"type": "Conv2d", "out_channels": 4, "kernel_size": 3, "padding": 1},
            {"type": "ReLU"},
            {"type": "MaxPool2d", "kernel_size": 2},
            {"type": "Flatten"},
            {"type": "Linear", "out_features": 10},
        ],
    },
    "training": {
        "epochs": 2,
        "batch_size": 32,
        "optimizer": {"type": "SGD", "lr": 0.01, "momentum": 0.9},
        "scheduler": {"type": "OneCycleLR", "max_lr": 0.1},
        "seed": 0,
        "early_stopping": {"patience": 2},
    },
}

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(
        [
            "SGD",
            "Adam",
            "StepLR",
            "OneCycleLR",
            "Conv2d",
            "cnn-studio/-1",
            "folder",
            "same",
            "\udc80",
            "../..",
            "max",
            "cos",
        ]
    ),
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path to a value inside nested dicts/lists."""
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*prefix, i))
    return out


@st.composite
def mutated_projects(draw: st.DrawFn) -> dict[str, Any]:
    raw = copy.deepcopy(VALID)
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(raw) if p]
        path = draw(st.sampled_from(paths))
        parent = raw
        for key in path[:-1]:
            parent = parent[key]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "delete":
            del parent[path[-1]]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.text(max_size=10))] = draw(JSON)
        else:
            parent[path[-1]] = draw(JSON)
    return raw


def _one_error_or_success(code: int, err: str) -> None:
    assert "Traceback" not in err and "internal error" not in err, err
    assert code in (0, 2), (code, err)
    if code == 2:
        errors = [line for line in err.splitlines() if line.startswith("error:")]
        assert len(errors) == 1, err


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(raw=mutated_projects())
def test_mutated_projects_load_or_fail_with_one_error(
    raw: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        project = Project.from_dict(raw)
    except UserError:
        project = None
    if project is not None:  # what loads must also save, reload and build its optimizer
        again = Project.from_dict(json.loads(project.to_json()))
        assert again.to_dict() == project.to_dict()
        model = torch.nn.Linear(2, 2)
        try:
            opt = build_optimizer(project.training.optimizer, model.parameters())
            build_schedule(project.training.scheduler, opt, project.training.epochs, 3)
        except UserError:
            pass  # e.g. OneCycleLR planned shorter than this run: a clear refusal
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.json"
        path.write_text(json.dumps(raw), encoding="utf-8", errors="surrogatepass")
        code = main(["summary", str(path)])
    _one_error_or_success(code, capsys.readouterr().err)


# --------------------------------------------------------------------------- checkpoints

TENSORS = st.one_of(
    st.builds(lambda n: torch.zeros(n), st.integers(0, 4)),
    st.builds(lambda n: torch.ones(n, dtype=torch.uint8), st.integers(0, 4)),
)
CKPT_VALUES = st.one_of(
    JSON, TENSORS, st.lists(TENSORS, max_size=2), st.dictionaries(st.text(max_size=6), TENSORS, max_size=2)
)
FIELDS = [
    "model",
    "project",
    "classes",
    "input_shape",
    "norm",
    "epoch",
    "rng",
    "optimizer",
    "history",
    "best",
]


@pytest.fixture(scope="module")
def made() -> MadeRun:
    return shared_run()


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    changes=st.lists(
        st.tuples(st.sampled_from(FIELDS), st.one_of(st.just(None), CKPT_VALUES)), min_size=1, max_size=3
    ),
    nested=st.booleans(),
)
def test_mutated_checkpoints_predict_or_fail_with_one_error(
    made: MadeRun, changes: list[tuple[str, Any]], nested: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        run = Path(tmp) / "run"
        shutil.copytree(made.path, run)
        state = torch.load(run / "checkpoints" / "best.pt", weights_only=True)
        for field, value in changes:
            if nested and isinstance(state.get(field), dict) and state[field]:
                key = sorted(state[field])[0]  # change one entry inside the field instead
                state[field][key] = value
            elif value is None:
                state.pop(field, None)
            else:
                state[field] = value
        torch.save(state, run / "checkpoints" / "best.pt")
        code = main(["predict", str(run), str(made.paths[0])])
    _one_error_or_success(code, capsys.readouterr().err)
