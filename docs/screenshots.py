"""Regenerate screenshots of the studio's pages (offscreen) into ``docs/screenshots/``.

``python docs/screenshots.py [--lang ko] [--out DIR] [--sizes 1280x800,1920x1080]`` writes, for each
size: the start page, the Design page (MNIST template, a layer selected, shapes tab), the
Design page with an invalid layer and the diagram tab, the pretrained-model settings, and
the Data, Train and Evaluate pages. Look at them after changing a layout: nothing should be
cut off, empty or overlapping. ``--lang ko`` shows the Korean window (into ``docs/screenshots/ko/``
unless ``--out`` is given): Korean text is often wider, so look at both.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """``--lang`` (en or ko), ``--out`` (default docs/screenshots, or docs/screenshots/<lang>), ``--sizes``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", choices=("en", "ko"), default="en", help="the window's language")
    parser.add_argument("--out", default=None)
    parser.add_argument("--sizes", default="1280x800,1920x1080")
    args = parser.parse_args(argv)
    if args.out is None:
        folder = ROOT / "docs" / "screenshots"
        args.out = str(folder if args.lang == "en" else folder / args.lang)
    return args


def main(argv: list[str] | None = None) -> int:
    """Write the screenshots; prints their paths."""
    args = parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    tmp = tempfile.mkdtemp(prefix="cnn-studio-shots-")
    os.environ["CNN_STUDIO_HOME"] = str(Path(tmp) / "home")
    os.environ["XDG_CONFIG_HOME"] = str(Path(tmp) / "config")
    sys.path.insert(0, str(ROOT))

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from studio.app import create_main_window, make_application
    from studio.core.project.project_file import save_project
    from studio.core.project.templates import get_template

    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(Path(tmp) / "config"))
    app = make_application(language=args.lang)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    project = Path(tmp) / "mnist.json"
    save_project(get_template("mnist-cnn").project(), project)

    def settle(window: object, rounds: int = 20) -> None:
        for _ in range(rounds):
            app.processEvents()

    for size in args.sizes.split(","):
        w, h = (int(v) for v in size.split("x"))
        shots: list[tuple[str, object]] = []
        start = create_main_window()
        start.resize(w, h)
        start.show()
        settle(start)
        shots.append(("start", start))
        window = create_main_window(str(project))
        window.resize(w, h)
        window.show()
        design = window.show_page("Design")
        design.stack_view.select_rows([4])
        settle(window)
        _save(window, out / f"design-{size}.png")
        doc = window.ctx.document
        window.ctx.push(doc.set_layer_arg(7, "kernel_size", 20))
        design.stack_view.select_rows([7])
        design.tabs.setCurrentIndex(1)
        settle(window)
        _save(window, out / f"design-error-diagram-{size}.png")
        window.ctx.undo_stack.undo()
        window.ctx.push(doc.set_model_kind("pretrained"))
        design.tabs.setCurrentIndex(0)
        design.source.wait(120_000)
        settle(window)
        _save(window, out / f"design-pretrained-{size}.png")
        window.ctx.undo_stack.undo()
        for title in ("Data", "Train", "Evaluate"):
            window.show_page(title)
            settle(window)
            _save(window, out / f"{title.lower()}-{size}.png")
        _save(start, out / f"start-{size}.png")
        for win in (start, window):
            win.ctx.document.reset(win.ctx.document.project)
            win.close()
    QApplication.processEvents()
    return 0


def _save(window: object, path: Path) -> None:
    window.grab().save(str(path))  # type: ignore[attr-defined]
    print(path)


if __name__ == "__main__":
    sys.exit(main())
