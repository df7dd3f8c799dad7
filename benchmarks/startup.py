"""Start-up: process start -> first painted frame of the studio window, against a bare window.

Each measurement is a whole new Python process (interpreter start, imports, window build,
first paint), timed from the parent: the clock starts before the process is spawned and
stops when the child reports that its main window finished its first frame (the first Paint
event of any widget in the window, plus the rest of that event-loop turn). The baseline is a bare PySide6
``QMainWindow`` holding a pyqtgraph ``PlotWidget``; the studio is measured the way
``run_gui`` starts it (``create_main_window(..., defer_pages=True)``), on the start page and
with a project open on the Design page. Target: at most 2x the baseline. The child also says
whether torch had been imported by the time of the first paint (it should not be).

Usage: ``python benchmarks/startup.py [--runs 5]`` (uses the offscreen platform when there is
no display).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BARE = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
import pyqtgraph as pg

app = QApplication(sys.argv[:1])
window = QMainWindow()
plot = pg.PlotWidget()
plot.plot([1, 3, 2, 4])
window.setCentralWidget(plot)
window.resize(1280, 800)

class FirstPaint(QObject):  # the same rule as MainWindow.firstPainted: any widget of the window
    seen = False
    def eventFilter(self, obj, event):
        if (event.type() == QEvent.Type.Paint and not self.seen and hasattr(obj, "window")
                and obj.window() is window):
            self.seen = True
            QTimer.singleShot(0, lambda: (print("PAINTED", "torch" in sys.modules, flush=True), app.quit()))
        return False

watcher = FirstPaint()
app.installEventFilter(watcher)
window.show()
app.exec()
"""

STUDIO = """
import sys
from studio.app import make_application, create_main_window

app = make_application()
window = create_main_window(sys.argv[1] or None, defer_pages=True)
window.resize(1280, 800)
window.firstPainted.connect(lambda: (print("PAINTED", "torch" in sys.modules, flush=True), app.quit()))
window.show()
app.exec()
"""


def measure(code: str, args: list[str], env: dict[str, str], timeout: float = 180.0) -> tuple[float, bool]:
    """Seconds from spawning ``python -c code`` to its PAINTED line; and whether torch was loaded."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    watchdog = threading.Timer(timeout, proc.kill)  # a child that never paints must not hang us
    watchdog.start()
    assert proc.stdout is not None
    painted_at, torch_loaded = None, False
    try:
        for line in proc.stdout:
            if line.startswith("PAINTED"):
                painted_at = time.perf_counter() - start
                torch_loaded = line.split()[1] == "True"
                break
        _, err = proc.communicate()
    finally:
        watchdog.cancel()
    if painted_at is None:
        raise RuntimeError(f"the child never painted (exit {proc.returncode}):\n{err[-2000:]}")
    return painted_at, torch_loaded


def main() -> int:
    """Run the comparison and print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="processes per variant (median reported)")
    args = parser.parse_args()
    env = dict(os.environ)
    env.setdefault(
        "QT_QPA_PLATFORM",
        "offscreen"
        if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY")
        else env.get("QT_QPA_PLATFORM", ""),
    )
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    with tempfile.TemporaryDirectory() as tmp:
        env["CNN_STUDIO_HOME"] = str(Path(tmp) / "home")  # no recovery offers, no recent files
        env["XDG_CONFIG_HOME"] = str(Path(tmp) / "config")
        project = Path(tmp) / "mnist.json"
        sys.path.insert(0, str(ROOT))
        from studio.core.project.project_file import save_project
        from studio.core.project.templates import get_template

        save_project(get_template("mnist-cnn").project(), project)
        variants = {
            "bare PySide6 + pyqtgraph": (BARE, []),
            "studio, start page": (STUDIO, [""]),
            "studio, MNIST project": (STUDIO, [str(project)]),
        }
        times: dict[str, list[float]] = {k: [] for k in variants}
        torch_seen: dict[str, bool] = {k: False for k in variants}
        measure(BARE, [], env)  # warm the disk cache once
        for _ in range(args.runs):
            for name, (code, extra) in variants.items():  # interleaved, so load changes hit all alike
                seconds, torch_loaded = measure(code, extra, env)
                times[name].append(seconds)
                torch_seen[name] |= torch_loaded
    base = statistics.median(times["bare PySide6 + pyqtgraph"])
    print(
        f"first paint, median of {args.runs} processes (QT_QPA_PLATFORM={env['QT_QPA_PLATFORM'] or 'default'}):"
    )
    for name, values in times.items():
        med = statistics.median(values)
        print(
            f"  {name:28s} {med * 1000:7.0f} ms   ratio {med / base:4.2f}x   "
            f"torch loaded before first paint: {'yes' if torch_seen[name] else 'no'}"
        )
    worst = max(statistics.median(v) for k, v in times.items() if k.startswith("studio")) / base
    print(f"studio / bare: {worst:.2f}x (target <= 2x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
