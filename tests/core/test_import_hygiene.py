"""Function-level imports of studio modules each say why they are not at the module top.

The only good reason is start-up speed: a module that pulls in torch, numpy or Qt is imported
when it is first needed (``cnn-studio --help`` imports every command module; the window paints
before torch loads). An import moved into a function to dodge an import cycle is not allowed
(the layers are enforced by ``lint-imports``), so every function-level ``from studio...``
import carries a comment on its line or the line above (``# lazy: pulls in torch``), or its
module's docstring says which imports are lazy and why. Imports under ``if TYPE_CHECKING:``
are for type hints only and are not counted.
"""

from __future__ import annotations

import ast
import io
import json
import os
import re
import subprocess
import sys
import textwrap
import tokenize
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
STUDIO = REPO / "studio"

#: a module docstring that explains its lazy imports ("... imported lazily ...", "lazy imports: ...")
LAZY_NOTE = re.compile(r"\blazy\b.{0,60}\bimport|\bimport\w*\b.{0,60}\blazily\b", re.IGNORECASE | re.DOTALL)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports_studio(node: ast.Import | ast.ImportFrom) -> bool:
    if isinstance(node, ast.ImportFrom):
        return node.level > 0 or (node.module or "").split(".")[0] == "studio"
    return any(alias.name.split(".")[0] == "studio" for alias in node.names)


def _function_level_imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Imports of studio modules inside a function or lambda body (not under TYPE_CHECKING)."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for other in child.orelse:  # the ``else:`` branch runs
                    visit_one(other, in_function)
                continue
            visit_one(child, in_function)

    def visit_one(node: ast.AST, in_function: bool) -> None:
        if in_function and isinstance(node, (ast.Import, ast.ImportFrom)) and _imports_studio(node):
            found.append(node)
        visit(node, in_function or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))

    visit(tree, False)
    return found


def unexplained_imports(source: str) -> list[int]:
    """Line numbers of the function-level studio imports in ``source`` that give no reason."""
    tree = ast.parse(source)
    if LAZY_NOTE.search(ast.get_docstring(tree) or ""):
        return []
    comments: set[int] = set()
    comment_only: set[int] = set()
    lines = source.splitlines()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            row = token.start[0]
            comments.add(row)
            if lines[row - 1].lstrip().startswith("#"):
                comment_only.add(row)
    bad = []
    for node in _function_level_imports(tree):
        rows = range(node.lineno, (node.end_lineno or node.lineno) + 1)
        if not any(r in comments for r in rows) and node.lineno - 1 not in comment_only:
            bad.append(node.lineno)
    return bad


def test_every_function_level_studio_import_says_why() -> None:
    files = sorted(STUDIO.rglob("*.py"))
    assert len(files) > 100 and STUDIO / "commands" / "train.py" in files  # really the whole tree
    bad = [
        f"{path.relative_to(REPO)}:{line}"
        for path in files
        for line in unexplained_imports(path.read_text(encoding="utf-8"))
    ]
    assert bad == [], (
        "function-level imports of studio modules without a reason (move them to the module top, "
        "or say which heavy library they keep out of start-up):\n" + "\n".join(bad)
    )


def test_the_checker_flags_only_unexplained_function_level_imports() -> None:
    source = textwrap.dedent(
        '''
        """A module."""
        from typing import TYPE_CHECKING

        from studio.core.base.errors import UserError

        if TYPE_CHECKING:
            from studio.core.project.project_file import Project


        def plain() -> None:
            from studio.core.model.blocks import REGISTRY
            import studio.core.model.zoo
            from . import sibling
            import json


        def explained() -> None:
            from studio.core.training.engine import train  # lazy: pulls in torch
            # lazy: numpy
            from studio.core.evaluation.lab import (
                ConvLab,
                pool2d,
            )


        def typed() -> None:
            if TYPE_CHECKING:
                from studio.core.runs.run_folder import RunInfo
            run = lambda: __import__("json")
        '''
    )
    assert unexplained_imports(source) == [12, 13, 14]
    noted = source.replace('"""A module."""', '"""A module; its Qt imports are lazy (import cost)."""')
    assert unexplained_imports(noted) == []
    assert unexplained_imports(source.replace('"""A module."""', '"""A lazy module."""')) == [12, 13, 14]


def test_cnn_studio_help_loads_neither_torch_nor_numpy_nor_qt() -> None:
    """Why the commands keep their numpy/torch imports inside ``run``: ``--help`` imports them all."""
    code = (
        "import json, sys\n"
        "from studio.cli import build_parser\n"
        "build_parser().format_help()\n"
        "heavy = ('torch', 'torchvision', 'numpy', 'PIL', 'optuna', 'onnx', 'PySide6', 'pyqtgraph')\n"
        "print(json.dumps(sorted(m for m in heavy if m in sys.modules)))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
