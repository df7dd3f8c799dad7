"""The GUI's languages: catalogues in step with the source, and switching without a restart."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QListWidget, QMenu

from studio.gui.common import i18n

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "i18n" / "studio_ko.ts"
QM = TS.with_suffix(".qm")


def _tool(name: str) -> str:
    here = Path(sys.executable).with_name(name)
    found = str(here) if here.exists() else shutil.which(name)
    if not found:
        pytest.skip(f"{name} is not installed")
    return found


def _sources(ts_text: str) -> set[str]:
    return {html.unescape(s) for s in re.findall(r"<source>(.*?)</source>", ts_text, flags=re.S)}


def test_the_compiled_qm_matches_its_ts(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.qm"
    subprocess.run([_tool("pyside6-lrelease"), "-silent", str(TS), "-qm", str(fresh)], check=True)
    assert fresh.read_bytes() == QM.read_bytes(), "run: python tools/update_translations.py --no-update"


def test_the_ts_holds_every_text_the_source_marks(tmp_path: Path) -> None:
    copy = tmp_path / "studio_ko.ts"
    shutil.copy(TS, copy)
    files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "studio" / "gui").rglob("*.py"))
    subprocess.run(
        [_tool("pyside6-lupdate"), *files, "-no-obsolete", "-locations", "none", "-ts", str(copy)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    new = _sources(copy.read_text(encoding="utf-8")) - _sources(TS.read_text(encoding="utf-8"))
    assert new == set(), "run: python tools/update_translations.py, then translate the new texts"


def test_every_marked_text_has_a_finished_korean_translation() -> None:
    text = TS.read_text(encoding="utf-8")
    unfinished = re.findall(r'<source>(.*?)</source>\s*<translation type="unfinished"', text, flags=re.S)
    assert unfinished == []
    assert len(i18n.catalogue("ko")) == len(_sources(text))


def test_the_system_locale_decides_until_the_user_chooses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LANGUAGE", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    settings = QSettings()
    assert i18n.preferred_language(settings) == "ko"
    settings.setValue(i18n.SETTINGS_KEY, "en")
    assert i18n.preferred_language(settings) == "en"


def _menu_titles(window) -> list[str]:  # type: ignore[no-untyped-def]
    return [a.text() for a in window.menuBar().actions()]


def _sidebar(window) -> list[str]:  # type: ignore[no-untyped-def]
    lists = [w for w in window.findChildren(QListWidget) if w.count() >= 4]
    assert lists
    return [lists[0].item(i).text() for i in range(lists[0].count())]


def test_view_language_switches_the_open_window_at_once_and_is_remembered(main_window) -> None:  # type: ignore[no-untyped-def]
    window = main_window
    assert _menu_titles(window)[:4] == ["&File", "&Edit", "&View", "&Help"]
    assert _sidebar(window)[:4] == ["Design", "Data", "Train", "Evaluate"]
    language_menu = window.findChild(QMenu, "languageMenu")
    assert language_menu is not None
    korean = next(a for a in language_menu.actions() if a.data() == "ko")
    korean.trigger()
    assert _menu_titles(window)[:4] == ["파일(&F)", "편집(&E)", "보기(&V)", "도움말(&H)"]
    assert _sidebar(window)[:4] == ["설계", "데이터", "학습", "평가"]
    assert language_menu.title() == "언어(&L)"
    assert QSettings().value(i18n.SETTINGS_KEY) == "ko"
    from studio.core.base.i18n import current_language

    assert current_language() == "ko"  # the core's messages follow
    english = next(a for a in language_menu.actions() if a.data() == "en")
    english.trigger()
    assert _menu_titles(window)[:4] == ["&File", "&Edit", "&View", "&Help"]
    assert _sidebar(window)[:4] == ["Design", "Data", "Train", "Evaluate"]
    assert QSettings().value(i18n.SETTINGS_KEY) == "en"


def test_a_window_built_in_korean_speaks_korean_from_the_start(qtbot) -> None:  # type: ignore[no-untyped-def]
    from studio.app import create_main_window

    i18n.install_language("ko")
    window = create_main_window()
    qtbot.addWidget(window)
    assert _menu_titles(window)[:4] == ["파일(&F)", "편집(&E)", "보기(&V)", "도움말(&H)"]
    assert _sidebar(window)[:4] == ["설계", "데이터", "학습", "평가"]
    window.ctx.document.reset(window.ctx.document.project)


def test_fill_replaces_numbered_placeholders_in_any_order() -> None:
    assert i18n.fill("Batch %1 of %2", 3, 10) == "Batch 3 of 10"
    assert i18n.fill("%2개 중 %1번째", 3, 10) == "10개 중 3번째"
    assert i18n.fill("%1 and %10", *range(1, 11)) == "1 and 10"
