"""The window fits a 1024x700 screen (issue 14, item 4): every page's minimum size fits, and
screenshots of every page at 1024x700 and 1280x800 are written for a person to look at
(into ``$CNN_STUDIO_SCREENSHOTS`` when set, else the test's temporary folder)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

SMALL = (1024, 700)
PAGES = ("Design", "Data", "Train", "Evaluate", "Lab")


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("CNN_STUDIO_SCREENSHOTS", tmp_path / "screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("template", ["mnist-cnn", "resnet18-transfer"])
def test_every_page_fits_1024x700(main_window: Any, qtbot: Any, tmp_path: Path, template: str) -> None:
    window = main_window
    window.files.new_from_template(template, ask=False)
    shots = _shots(tmp_path)
    for title in PAGES:
        window.show_page(title)
        QApplication.processEvents()
        hint = window.minimumSizeHint()
        assert hint.width() <= SMALL[0], f"{title}: the window needs {hint.width()} px of width"
        assert hint.height() <= SMALL[1], f"{title}: the window needs {hint.height()} px of height"
        for size in ((1920, 1080), SMALL, (1280, 800)):  # a big window must shrink again
            window.resize(*size)
            QApplication.processEvents()
            assert (window.width(), window.height()) == size
            if size != (1920, 1080):
                window.grab().save(str(shots / f"{template}-{title.lower()}-{size[0]}x{size[1]}.png"))
    window.show_start_page()
    for size in (SMALL, (1280, 800)):
        window.resize(*size)
        QApplication.processEvents()
        window.grab().save(str(shots / f"start-{size[0]}x{size[1]}.png"))
