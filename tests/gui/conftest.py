"""Fixtures for the GUI tests: private settings and user folders, and no modal dialogs.

Every test here gets (autouse):

* ``QSettings`` pointed at a fresh folder under ``tmp_path`` (and ``HOME``,
  ``XDG_CONFIG_HOME``, ``CNN_STUDIO_HOME`` too), so recent files, window geometry and
  recovery copies never leak between tests or into the real user's files;
* Qt's static dialogs (``QMessageBox.question/warning/information/critical``,
  ``QFileDialog.get*``) replaced by recorders that answer at once: "Discard" for questions,
  "cancelled" for file dialogs. A test that needs another answer monkeypatches again; the
  ``dialogs`` fixture shows what was asked.

``main_window`` is a window from :func:`studio.app.create_main_window`, shown, closed at the
end without prompts.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QMessageBox


class DialogLog:
    """What the code under test asked the user: ``(kind, title, text)`` tuples."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str]] = []

    def titles(self, kind: str | None = None) -> list[str]:
        """Titles of the dialogs shown (of one kind, if given)."""
        return [t for k, t, _ in self.calls if kind is None or k == kind]


@pytest.fixture(autouse=True)
def isolated_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private HOME, config and data folder, and QSettings under ``tmp_path/config``."""
    home = tmp_path / "user-home"
    config = tmp_path / "config"
    for d in (home, config):
        d.mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.setenv("CNN_STUDIO_HOME", str(tmp_path / "studio-home"))
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
            QSettings.setPath(fmt, scope, str(config))
    yield home


@pytest.fixture(autouse=True)
def dialogs(monkeypatch: pytest.MonkeyPatch) -> DialogLog:
    """Record modal dialogs instead of blocking on them (see the module docstring)."""
    log = DialogLog()

    def message(kind: str, answer: Any) -> Any:
        def show(parent: Any, title: str, text: str = "", *args: Any, **kwargs: Any) -> Any:
            log.calls.append((kind, title, text))
            return answer

        return staticmethod(show)

    monkeypatch.setattr(QMessageBox, "question", message("question", QMessageBox.StandardButton.Discard))
    for kind in ("warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, kind, message(kind, QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "about", message("about", None))

    def file_dialog(kind: str) -> Any:
        def show(parent: Any = None, caption: str = "", *args: Any, **kwargs: Any) -> Any:
            log.calls.append((kind, caption, ""))
            return "" if kind == "getExistingDirectory" else ("", "")

        return staticmethod(show)

    for kind in ("getOpenFileName", "getSaveFileName", "getOpenFileNames", "getExistingDirectory"):
        monkeypatch.setattr(QFileDialog, kind, file_dialog(kind))
    return log


@pytest.fixture
def main_window(qtbot: Any) -> Iterator[Any]:
    """The studio's main window on the start page (empty project), shown at 1280x800."""
    from studio.app import create_main_window

    window = create_main_window()
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    yield window
    window.ctx.document.reset(window.ctx.document.project)  # nothing unsaved: close without asking


@pytest.fixture
def designer(main_window: Any) -> Any:
    """The Design page of ``main_window`` with an empty stack (the "Empty project" card)."""
    main_window.files.new_from_template(None, ask=False)
    return main_window.show_page("Design")


@pytest.fixture(autouse=True)
def english_gui() -> Iterator[None]:
    """No test leaves a Korean translator installed for the next one."""
    yield
    from studio.gui.common.i18n import current_language, install_language

    if current_language() != "en":
        install_language("en")
