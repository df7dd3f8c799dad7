"""``studio.core`` never imports Qt, and the designer's core modules never import torch.

Both are checked in a fresh interpreter (a subprocess), because this test process may already
have imported Qt or torch for other tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

IMPORT_ALL_CORE = """
import importlib, json, pkgutil, sys
import studio.core
names = sorted(m.name for m in pkgutil.walk_packages(studio.core.__path__, "studio.core."))
for name in names:
    importlib.import_module(name)
qt = sorted(m for m in sys.modules if m.split(".")[0].lower().startswith(("pyside6", "shiboken", "pyqt")))
print(json.dumps({"modules": names, "qt": qt, "pyqtgraph": "pyqtgraph" in sys.modules}))
"""

IMPORT_DESIGNER_CORE = """
import json, sys
import studio.core.project.project_file, studio.core.model.blocks, studio.core.model.shapes, studio.core.project.templates
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in ("torch", "torchvision"))))
"""


def _fresh_python(code: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("QT_API", None)
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_importing_every_core_module_loads_no_qt() -> None:
    result = json.loads(_fresh_python(IMPORT_ALL_CORE))
    core_files = {p.stem for p in (REPO / "studio" / "core").rglob("*.py") if p.stem != "__init__"}
    assert {name.rsplit(".", 1)[1] for name in result["modules"]} >= core_files  # really all of them
    assert result["qt"] == []
    assert result["pyqtgraph"] is False


def test_the_designer_core_starts_without_torch() -> None:
    """Project files, the registry, shape inference and templates load instantly (no torch)."""
    assert json.loads(_fresh_python(IMPORT_DESIGNER_CORE)) == []
