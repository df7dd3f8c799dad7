"""Render resources/icons/cnn-studio.svg into the PNG sizes desktops and bundles need.

Run by build.sh (and by hand after editing the SVG); uses Qt's own SVG renderer so no extra
tool is needed. Writes resources/icons/hicolor/<N>x<N>/apps/cnn-studio.png.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render(svg: Path, out_root: Path) -> list[Path]:
    """Render ``svg`` at every size in :data:`SIZES`; returns the written files."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(svg))
    written = []
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        target = out_root / f"{size}x{size}" / "apps" / "cnn-studio.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        image.save(str(target))
        written.append(target)
    return written


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[1] / "resources" / "icons"
    for path in render(root / "cnn-studio.svg", root / "hicolor"):
        print(path)
