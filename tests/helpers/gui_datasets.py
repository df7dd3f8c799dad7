"""Helpers for the Data page tests: generated image folders and a window context.

The folders hold a few dozen tiny images in class folders, with Korean class and file
names, mixed modes (L, RGB, RGBA), a tiny image, an exact duplicate and broken entries: a
truncated PNG, an empty file, a text file named like a JPEG and a folder named like an image.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMainWindow

from studio.core.project.document import ProjectDocument
from studio.core.project.project_file import Project

CLASSES = ("고양이", "dog", "새")
BROKEN = ("잘린.png", "empty.jpg", "notes.jpg")


def _png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def write_folder(root: Path, per_class: tuple[int, ...] = (8, 6, 4), broken: bool = True) -> Path:
    """A class-per-folder dataset under ``root``; returns ``root``."""
    rng = np.random.default_rng(0)
    for c, (name, n) in enumerate(zip(CLASSES, per_class, strict=True)):
        folder = root / name
        folder.mkdir(parents=True, exist_ok=True)
        for k in range(n):
            arr = rng.integers(0, 255, size=(24, 20, 3), dtype=np.uint8)
            arr[..., c % 3] = 200
            img = Image.fromarray(arr)
            if k % 3 == 1:
                img = img.convert("L")
            elif k % 3 == 2:
                img = img.convert("RGBA")
            (folder / f"사진_{k:02d}.png").write_bytes(_png(img))
    first = root / CLASSES[0]
    (first / "사진_00 복사본.png").write_bytes((first / "사진_00.png").read_bytes())  # exact duplicate
    Image.new("RGB", (3, 3), (10, 20, 30)).save(first / "tiny.png")
    if broken:
        good = (first / "사진_00.png").read_bytes()
        (first / BROKEN[0]).write_bytes(good[: len(good) // 2])
        (first / BROKEN[1]).write_bytes(b"")
        (root / CLASSES[1] / BROKEN[2]).write_text("not an image", encoding="utf-8")
        (root / CLASSES[2] / "folder.png").mkdir()
    return root


def write_split_folder(root: Path) -> Path:
    """``train/`` and ``test/`` folders of class folders (no broken files)."""
    write_folder(root / "train", (5, 5, 5), broken=False)
    write_folder(root / "test", (2, 2, 2), broken=False)
    return root


def folder_project(root: Path, **data: Any) -> Project:
    """A project whose data is the folder ``root`` (grey 24x24 by default)."""
    spec = {"source": "folder", "root": str(root), "channels": 1, "image_size": [24, 24], "val": 0.25}
    spec.update(data)
    return Project.from_dict(
        {
            "format": "cnn-studio/1",
            "name": "Data test",
            "data": spec,
            "model": {"kind": "stack", "layers": []},
        }
    )


def make_context(project: Project, tmp_path: Path) -> Any:
    """The window's real StudioContext around a bare QMainWindow, settings in ``tmp_path``."""
    from studio.gui.common.context import StudioContext

    window = QMainWindow()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    context = StudioContext(window, ProjectDocument(project), settings)
    context.errors = []  # type: ignore[attr-defined]
    context.show_error = lambda title, message: context.errors.append((title, message))  # type: ignore[method-assign]
    return context


def open_data_page(qtbot: Any, tmp_path: Path, project: Project) -> Any:
    """The Data page on ``project``, shown at 1100x700, after its first load has finished."""
    from studio.gui.datasets.page import DataPage

    page = DataPage(make_context(project, tmp_path))
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    qtbot.waitUntil(lambda: page.loads_finished >= 1, timeout=30000)
    return page
