"""The window's log: ``run_gui`` starts ``cnn-studio.log`` in the user's data folder, core records
land in it, and Help > Open Log Folder shows that folder."""

from __future__ import annotations

import logging
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QWidget

import studio.app
from studio.core.base.logs import LOG_FILE, stop_logging
from studio.core.base.paths import log_dir


@pytest.fixture(autouse=True)
def _clean_logging() -> Iterator[None]:
    hook = sys.excepthook
    yield
    stop_logging()
    sys.excepthook = hook


def _flush() -> None:
    for handler in logging.getLogger("studio").handlers:
        handler.flush()


def test_run_gui_writes_the_log_file_in_the_user_data_folder(
    qtbot: Any, isolated_user: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    windows: list[QWidget] = []

    def window(project: str | None = None, **kwargs: Any) -> QWidget:
        windows.append(QWidget())
        qtbot.addWidget(windows[-1])
        return windows[-1]

    monkeypatch.setattr(studio.app, "create_main_window", window)
    monkeypatch.setattr(QApplication, "exec", lambda self: 0)  # no event loop: return at once
    monkeypatch.setattr(signal, "signal", lambda *args: None)  # keep the test runner's Ctrl-C
    assert studio.app.run_gui() == 0 and len(windows) == 1
    path = log_dir() / LOG_FILE
    assert path.parent == isolated_user.parent / "studio-home" / "logs"
    logging.getLogger("studio.core.project.project_file").warning("a diagnostic for the report")
    _flush()
    text = path.read_text(encoding="utf-8")
    assert "INFO studio.app: CNN Studio" in text and " started (Python " in text
    assert "WARNING studio.core.project.project_file: a diagnostic for the report" in text


def test_an_unwritable_data_folder_does_not_stop_the_window(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("CNN_STUDIO_HOME", str(blocker))
    assert studio.app.start_log_file() is None


def test_help_open_log_folder_shows_the_log_folder(main_window: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url.toLocalFile()) or True)
    )
    action = main_window.actions_.log_folder
    help_menu = next(a.menu() for a in main_window.menuBar().actions() if a.text() == "&Help")
    assert action in help_menu.actions()
    action.trigger()
    assert opened == [str(log_dir())] and log_dir().is_dir()


def test_open_log_folder_names_the_folder_when_nothing_can_show_it(
    main_window: Any, dialogs: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: False))
    main_window.actions_.log_folder.trigger()
    assert dialogs.calls == [("information", "Log folder", f"The log is in {log_dir()}")]
