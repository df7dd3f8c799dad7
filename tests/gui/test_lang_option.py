"""``cnn-studio --lang ko [PROJECT]`` opens the window in Korean for this session (#18)."""

from __future__ import annotations

import signal
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication, QWidget

import studio.app
from studio import cli
from studio.core.base import i18n as core_i18n
from studio.gui.common.i18n import SETTINGS_KEY, current_language, install_language


@pytest.fixture(autouse=True)
def _english_again() -> Any:
    yield
    install_language("en")


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--lang", "ko"], (None, "ko")),
        (["--lang", "ko", "my project.json"], ("my project.json", "ko")),
        (["--lang=ko"], (None, "ko")),
        (["--lang", "en", "p.json"], ("p.json", "en")),
        ([], (None, None)),
        (["p.json"], ("p.json", None)),
    ],
)
def test_the_window_opens_in_the_language_asked_for(
    argv: list[str], expected: tuple[str | None, str | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str | None, str | None]] = []
    monkeypatch.setattr(
        studio.app, "run_gui", lambda project=None, language=None: calls.append((project, language)) or 0
    )
    assert cli.main(argv) == 0
    assert calls == [expected]


def test_a_bad_language_or_a_command_after_it_goes_to_the_parser(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(studio.app, "run_gui", lambda *a, **k: pytest.fail("the window must not open"))
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--lang", "xx"])
    assert exit_info.value.code == 2 and "--lang" in capsys.readouterr().err


def test_run_gui_installs_the_language_without_saving_it(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    def window(project: str | None = None, **kwargs: Any) -> QWidget:
        seen.append(current_language())
        seen.append(QCoreApplication.translate("Menus", "&File"))
        widget = QWidget()
        qtbot.addWidget(widget)
        return widget

    monkeypatch.setattr(studio.app, "create_main_window", window)
    monkeypatch.setattr(QApplication, "exec", lambda self: 0)
    monkeypatch.setattr(signal, "signal", lambda *args: None)
    assert studio.app.run_gui(language="ko") == 0
    assert seen[0] == "ko" and core_i18n.current_language() == "ko"
    assert seen[1] != "&File"  # the menus' translations are installed
    assert not QSettings().value(SETTINGS_KEY)  # View > Language's saved choice is untouched
