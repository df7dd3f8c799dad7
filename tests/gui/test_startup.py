"""Start-up: the window paints its first frame before torch is imported (``run_gui``'s path)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from studio.core.project.project_file import save_project
from studio.core.project.templates import get_template

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import sys
from studio.app import make_application, create_main_window
app = make_application()
window = create_main_window(sys.argv[1], defer_pages=True)
pages_at_paint = []
def painted():
    pages_at_paint.extend(window._pages)
    print("PAINTED", "torch" in sys.modules, ",".join(pages_at_paint), flush=True)
    app.quit()
window.firstPainted.connect(painted)
window.show()
app.exec()
"""


def test_first_paint_comes_before_torch_and_before_the_other_pages(tmp_path: Path) -> None:
    project = tmp_path / "p.json"
    save_project(get_template("mnist-cnn").project(), project)
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        CNN_STUDIO_HOME=str(tmp_path / "home"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        HOME=str(tmp_path),
        PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
    )
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(project)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=ROOT,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("PAINTED")]
    assert lines, result.stderr[-2000:]
    _, torch_loaded, pages = lines[0].split(" ", 2)
    assert torch_loaded == "False"
    assert pages == "Design"
