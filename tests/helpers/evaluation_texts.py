"""The core texts the Evaluate and Lab pages display through the core catalogue (``tr(text)``).

They are data (export format help, verification input names, the Lab's kernel presets) or
``core_tr("...")`` calls in the GUI's evaluation jobs, so the core's scan for literal
``tr("...")`` calls does not see them; ``tests/core/test_i18n_evaluation.py`` checks their
Korean and ``tests/core/test_i18n_core.py`` does not call them stale.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VERIFY_SOURCES = ("validation images", "test images", "training images", "synthetic inputs")


def session_texts() -> list[str]:
    """Every literal first argument of ``core_tr(...)`` in the evaluation jobs module."""
    tree = ast.parse((ROOT / "studio" / "gui" / "evaluation" / "session.py").read_text(encoding="utf-8"))
    return [
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "core_tr"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ]


def displayed_texts() -> list[str]:
    """Format help, verification sources, kernel preset names and descriptions, the jobs' messages."""
    from studio.core.evaluation.lab import PRESETS
    from studio.core.export.names import FORMAT_HELP

    texts = list(FORMAT_HELP.values()) + list(VERIFY_SOURCES) + session_texts()
    for name, (_, description) in PRESETS.items():
        texts += [name, description]
    return texts
