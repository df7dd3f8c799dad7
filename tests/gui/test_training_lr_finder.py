"""Train page > Find learning rate…: the live curve, the suggestion, and one undoable edit."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.core.project.document import ProjectDocument
from studio.core.project.project_file import save_project
from studio.gui.training.page import TrainPage
from tests.helpers.gui_training import make_context, tiny_project, write_fashion_mnist


@pytest.fixture(scope="module")
def data_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_fashion_mnist(tmp_path_factory.mktemp("data"))


def test_the_finder_suggests_a_rate_and_uses_it_as_one_undoable_edit(
    qtbot, tmp_path: Path, data_root: Path
) -> None:  # type: ignore[no-untyped-def]
    save_project(tiny_project(data_root, lr=0.01), tmp_path / "tiny.json")
    doc = ProjectDocument.open(tmp_path / "tiny.json")
    context = make_context(doc, tmp_path / "settings.ini")
    page = TrainPage(context)
    qtbot.addWidget(page)
    dialog = page.find_learning_rate()
    steps: list[float] = []
    dialog.runner.pool.setMaxThreadCount(1)
    original = dialog._step
    dialog._step = lambda step, lr, loss: (steps.append(lr), original(step, lr, loss))  # type: ignore[method-assign]
    dialog.start()
    qtbot.waitUntil(lambda: not dialog.busy and dialog.startButton.isEnabled(), timeout=120_000)
    assert len(steps) >= 10  # the curve grew batch by batch
    assert dialog.curve.getData()[0] is not None and len(dialog.curve.getData()[0]) == len(dialog.lrs)
    assert doc.project.training.optimizer["lr"] == 0.01  # nothing written yet
    if dialog.suggested is None:
        pytest.skip("this tiny dataset gave no suggestion")
    assert dialog.useButton.isEnabled() and dialog.marker.isVisible()
    assert dialog.use_rate()
    assert doc.project.training.optimizer["lr"] == pytest.approx(float(f"{dialog.suggested:.3g}"))
    assert context.undo_stack.count() == 1
    context.undo_stack.undo()
    assert doc.project.training.optimizer["lr"] == 0.01
    dialog.close()
