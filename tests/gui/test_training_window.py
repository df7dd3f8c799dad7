"""The Train page inside the real main window: closing during a run asks, then stops it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from studio.core.project.project_file import save_project
from studio.core.runs.run_folder import read_run
from tests.helpers.gui_training import tiny_project, write_fashion_mnist


@pytest.fixture
def window(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from studio.app import create_main_window

    monkeypatch.setenv("CNN_STUDIO_HOME", str(tmp_path / "home"))
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "config"))
    root = write_fashion_mnist(tmp_path / "data")
    save_project(tiny_project(root, epochs=3, batch_size=2), tmp_path / "tiny.json")
    win = create_main_window(str(tmp_path / "tiny.json"))
    qtbot.addWidget(win)
    win.show()
    return win


def test_close_during_a_run_asks_then_stops_with_a_checkpoint(qtbot, window, monkeypatch) -> None:
    page = window.show_page("Train")
    assert type(page).__name__ == "TrainPage"
    finished: list[str] = []
    window.trainingFinished.connect(finished.append)
    run_dir = page.start_training()
    qtbot.waitUntil(lambda: page.job is not None and page.job.batches_seen >= 2, timeout=60_000)

    asked: list[str] = []

    def answer(choice):
        def question(parent, title, text, *args, **kwargs):
            asked.append(title)
            return choice

        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    assert not window.close()  # "No": the window stays and training goes on
    assert asked and page.is_running()

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    thread = page.job.thread
    assert window.close()
    assert len(asked) == 2
    assert not thread.isRunning()  # stopped and joined before the window went away
    assert finished == [str(run_dir)]
    assert read_run(run_dir).status == "stopped"
    assert (Path(run_dir) / "checkpoints" / "last.pt").is_file()
