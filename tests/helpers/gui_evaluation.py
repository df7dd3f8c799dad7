"""Helpers for the Evaluate page tests: a tiny trained run of a project, and a page context.

:func:`trained_project` writes a ``folder`` dataset of ten classes of 16x16 RGB images (class
``k`` is a bright bar at one of ten positions and orientations, over noise), a project file
beside it, and trains a tiny stack on it for one epoch with :func:`studio.core.training.engine.train`
into ``bars.runs/`` beside the project file ``bars.json`` - where the Train page puts its runs - so that the
Evaluate page finds it as a user's page would. It is made once per test process (a second of
training) and must be used read-only; tests that write export into their own ``tmp_path``.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image
from PySide6.QtCore import QSettings

from studio.core.project.document import ProjectDocument
from studio.core.project.project_file import Project, save_project

CLASSES = [f"class-{k:02d}" for k in range(10)]
SIZE = 16
PER_CLASS = 16


def write_images(root: Path, per_class: int = PER_CLASS, seed: int = 0) -> list[Path]:
    """``root/<class>/<i>.png``: a bar per class (5 rows, 5 columns), a noisy colour background."""
    rng = np.random.default_rng(seed)
    paths: list[Path] = []
    for k, name in enumerate(CLASSES):
        folder = root / name
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(per_class):
            img = rng.integers(0, 130, (SIZE, SIZE, 3)).astype(np.int64)
            pos = 1 + 3 * (k % 5) + int(rng.integers(-1, 3))
            if k < 5:
                img[pos : pos + 2, :, :] += 90
            else:
                img[:, pos : pos + 2, :] += 90
            path = folder / f"{i:03d}.png"
            Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)).save(path)
            paths.append(path)
    return paths


def project_dict(data_root: Path, epochs: int = 1) -> dict[str, Any]:
    """A small stack over the generated folder (validation: a quarter of the images)."""
    return {
        "format": "cnn-studio/1",
        "name": "Bars ten",
        "data": {
            "source": "folder",
            "root": str(data_root),
            "download": False,
            "channels": 3,
            "image_size": [SIZE, SIZE],
            "val": 0.25,
            "augment": {},
        },
        "model": {
            "kind": "stack",
            "layers": [
                {"type": "Conv2d", "out_channels": 8, "kernel_size": 3, "padding": 1},
                {"type": "ReLU"},
                {"type": "MaxPool2d", "kernel_size": 2},
                {"type": "Conv2d", "out_channels": 12, "kernel_size": 3, "padding": 1},
                {"type": "ReLU"},
                {"type": "Flatten"},
                {"type": "Linear", "out_features": 10},
            ],
        },
        "training": {
            "epochs": epochs,
            "batch_size": 16,
            "optimizer": {"type": "Adam", "lr": 0.01},
            "scheduler": None,
            "seed": 0,
            "device": "cpu",
            "workers": 0,
        },
    }


@dataclass
class TrainedProject:
    """A saved project, its dataset and one finished run under ``bars.runs/``."""

    root: Path
    project_path: Path
    project: Project
    run_dir: Path
    images: list[Path]


_SHARED: dict[str, TrainedProject] = {}


def trained_project() -> TrainedProject:
    """The shared trained project (made once per test process; read-only)."""
    if "project" not in _SHARED:
        from studio.core.runs.history import runs_dir_for
        from studio.core.runs.run_folder import new_run_dir
        from studio.core.training.engine import train

        root = Path(tempfile.mkdtemp(prefix="cnn-studio-eval-test-"))
        atexit.register(shutil.rmtree, root, True)
        images = write_images(root / "data")
        project = Project.from_dict(project_dict(root / "data"))
        project_path = root / "bars.json"
        save_project(project, project_path)
        run_dir = new_run_dir(runs_dir_for(project_path), "bars-ten")
        end = train(project, run_dir)
        assert end["status"] == "completed", end
        _SHARED["project"] = TrainedProject(root, project_path, project, run_dir, images)
    return _SHARED["project"]


def context_for(project_path: Path, settings_path: Path) -> Any:
    """A real :class:`StudioContext` over a fake window with ``project_path`` open."""
    from studio.gui.common.context import StudioContext
    from tests.helpers.gui_training import FakeWindow

    document = ProjectDocument.open(project_path)
    return StudioContext(FakeWindow(), document, QSettings(str(settings_path), QSettings.Format.IniFormat))


def copy_project(source: TrainedProject, dest: Path) -> Path:
    """A copy of the project file and its runs under ``dest`` (for tests that add runs); its path."""
    dest.mkdir(parents=True, exist_ok=True)
    project_path = dest / source.project_path.name
    shutil.copy2(source.project_path, project_path)
    shutil.copytree(source.run_dir, dest / f"{project_path.stem}.runs" / source.run_dir.name)
    return project_path


def open_page(
    qtbot: Any, project_path: Path, settings_path: Path, size: tuple[int, int] = (1188, 760)
) -> Any:
    """An :class:`EvaluatePage` over ``project_path``, shown at ``size``."""
    from studio.gui.evaluation.page import EvaluatePage

    context = context_for(project_path, settings_path)
    qtbot.addWidget(context.window)
    page = EvaluatePage(context)
    qtbot.addWidget(page)
    page.resize(*size)
    page.show()
    return page


def evaluate(qtbot: Any, page: Any, timeout_ms: int = 60000) -> Any:
    """Press Evaluate and wait for the result (the page's ``result``)."""
    from PySide6.QtCore import Qt

    qtbot.mouseClick(page.evaluate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.busy, timeout=timeout_ms)
    assert page.result is not None, page.info.label.text()
    return page.result
