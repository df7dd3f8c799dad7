"""Issue 20 item 1: names are data, never code, in the ``python`` export.

Hostile project and class names (every kind of quote, triple quotes, backslashes, line breaks,
braces, ``#``, an undecodable file-name byte, Korean) must give a ``model.py`` that parses,
imports without running anything the names say, and gives the names back exactly.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import sys
from pathlib import Path

import pytest
import torch

from studio.core.export.exporter import ExportMeta, Samples, export_model
from studio.core.export.python_source import model_source
from studio.core.model.builder import build_model
from studio.core.project.project_file import Project

MARK = "PWNED_MARK"
HOSTILE_PROJECT_NAMES = [
    'Digits"""\n__import__("pathlib").Path("PWNED_MARK").write_text("x")\n"""',
    "Digits'''\n__import__('pathlib').Path('PWNED_MARK').write_text('x')\n'''",
    "C:\\Users\\new model\\",
    "a\"b'c`d{e}f#g\\nh\r\n\t\x00",
    "손글씨 숫자 \U0001f600",
    "caf" + os.fsdecode(b"\xe9"),  # a lone surrogate, as an undecodable folder name reads
]
HOSTILE_CLASSES = [
    "''';import pathlib;pathlib.Path('PWNED_MARK').write_text('x')#",
    '""";import pathlib;pathlib.Path("PWNED_MARK").write_text("x")#',
    "\\",
    "{}{0}{name}",
    "# not a comment",
    "new\nline",
    "고양이",
    "caf" + os.fsdecode(b"\xe9"),
    "",
]
LAYERS = [
    {"type": "Conv2d", "out_channels": 2, "kernel_size": 3},
    {"type": "Flatten"},
    {"type": "Linear", "out_features": len(HOSTILE_CLASSES)},
]


def _setup(name: str) -> tuple[torch.nn.Module, ExportMeta]:
    project = Project.from_dict(
        {
            "format": "cnn-studio/1",
            "name": "hostile",
            "data": {"source": "folder", "root": "/nonexistent", "channels": 1, "image_size": [6, 6]},
            "model": {"kind": "stack", "layers": LAYERS},
        }
    )
    torch.manual_seed(0)
    model = build_model(project).eval()
    raw = project.to_dict()
    raw["name"] = name  # as a checkpoint would carry it (a project file refuses lone surrogates)
    meta = ExportMeta(name, list(HOSTILE_CLASSES), (1, 6, 6), [0.5], [0.25], raw)
    return model, meta


def _import(path: Path) -> object:
    spec = importlib.util.spec_from_file_location(f"_hostile_{abs(hash(path))}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", HOSTILE_PROJECT_NAMES, ids=range(len(HOSTILE_PROJECT_NAMES)))
def test_hostile_names_stay_data_in_model_py(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    model, meta = _setup(name)
    source = model_source(meta, model)
    tree = ast.parse(source)  # parses at all
    # top level: the docstring, imports, constants, functions - no statement a name could add
    kinds = {type(node).__name__ for node in tree.body}
    assert kinds <= {"Expr", "ImportFrom", "Import", "AnnAssign", "FunctionDef", "ClassDef"}
    assert isinstance(tree.body[0], ast.Expr) and sum(isinstance(n, ast.Expr) for n in tree.body) == 1
    first = ast.get_docstring(tree).splitlines()[0]  # the name shows, defanged, in the prose
    assert first.endswith(": a CNN exported by CNN Studio as plain PyTorch.") and not set("\"'\\") & set(
        first
    )
    (tmp_path / "model.py").write_text(source, encoding="utf-8")
    module = _import(tmp_path / "model.py")
    assert not (tmp_path / MARK).exists()
    assert module.NAME == name and module.CLASSES == HOSTILE_CLASSES  # round trip, exactly


def test_hostile_names_survive_a_full_python_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    model, meta = _setup(HOSTILE_PROJECT_NAMES[0])
    g = torch.Generator().manual_seed(1)
    samples = Samples(torch.randn((3, 1, 6, 6), generator=g).numpy(), "synthetic inputs", "test")
    result = export_model(model, meta, "python", tmp_path / "py", samples=samples)  # imports model.py
    assert result.verification.ok
    assert not (tmp_path / MARK).exists() and not (result.path / MARK).exists()
    side = json.loads((result.path / "cnn_studio.json").read_text(encoding="utf-8"))
    assert side["classes"] == HOSTILE_CLASSES and side["name"] == meta.name
    sys.path.insert(0, str(result.path))
    try:
        module = _import(result.path / "predict.py")  # imports model.py as `model`, as a user would
        assert module.CLASSES == HOSTILE_CLASSES
    finally:
        sys.path.remove(str(result.path))
        sys.modules.pop("model", None)
    assert not (tmp_path / MARK).exists()


def test_a_lone_surrogate_class_name_exports_in_every_file_format(tmp_path: Path) -> None:
    # (an undecodable class folder name; a project *name* like that is refused when the project loads)
    model, meta = _setup("digits")
    g = torch.Generator().manual_seed(1)
    samples = Samples(torch.randn((2, 1, 6, 6), generator=g).numpy(), "synthetic inputs", "test")
    for fmt, out in (("torchscript", "m.pt"), ("state-dict", "s.pt"), ("safetensors", "m.safetensors")):
        result = export_model(model, meta, fmt, tmp_path / out, samples=samples)
        assert result.meta.classes == HOSTILE_CLASSES
