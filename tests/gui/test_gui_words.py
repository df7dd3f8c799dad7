"""No project-file jargon in the window's own texts (issue 14, item 3): no ``data.root``,
``model.weights``, ``null``... in any string the GUI code writes (docstrings aside); core
messages reach the window through :func:`studio.core.base.wording.in_gui_words`."""

from __future__ import annotations

import ast
import re
from pathlib import Path

GUI = Path(__file__).resolve().parents[2] / "studio" / "gui"
FIELD = re.compile(r"(?<![\w.])(data|model|training)\.[a-z_]+|\bnull\b")
#: strings that look like field paths but are not shown as such
ALLOWED = {"model.weights:"}  # the prefix a failure message is recognised by, never displayed
#: where the user types project-file keys on purpose: the sweep form's KEY=VALUES lines are the
#: CLI's ``--param`` syntax
KEY_LANGUAGE = {"training/sweep_dialog.py"}


def _shown_strings(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(body, list)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
        ):
            docstrings.add(id(body[0].value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def test_no_field_paths_or_null_in_gui_strings() -> None:
    found = []
    for path in sorted(GUI.rglob("*.py")):
        if path.relative_to(GUI).as_posix() in KEY_LANGUAGE:
            continue
        for line, text in _shown_strings(path):
            hits = [m.group(0) for m in FIELD.finditer(text)]
            hits = [h for h in hits if h not in ("model.onnx",)]  # a file name in a CLI example
            if hits and text not in ALLOWED:
                found.append(f"{path.relative_to(GUI)}:{line}: {text[:80]!r}")
    assert found == []
