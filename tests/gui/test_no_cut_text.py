"""Nothing is cut off at 1280x800, in Korean or in English (issue #18 item 3, issue #14 item 4).

The main window opens the sample project at 1280x800 and every area is read with
:func:`studio.gui.common.layout_audit.cut_texts` (labels, buttons, check boxes, combo boxes,
tabs and group titles narrower than their text; a word-wrapped label is never cut) and
:func:`~studio.gui.common.layout_audit.cut_cells` (table and tree columns narrower than their
cells, or behind a horizontal scroll bar): the start page, each page of
:data:`studio.gui.shell.pages.PAGES` with each of its tabs in turn, and the dialogs that open
without blocking. Korean text is often wider than English, so both languages are checked; what
is cut is printed (``where: 'text' needs N px, has M``) and fails its area.

Offscreen fonts differ a little from a desktop's: each comparison allows a few pixels
(``layout_audit``'s ``slack``). At 1024x700 scrolling and shortened texts are allowed; that
size is checked by ``test_small_screen.py`` (the window fits and every page is shown).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from studio.gui.common.i18n import install_language
from studio.gui.common.layout_audit import Cut, cut_cells, cut_texts
from studio.gui.shell.pages import PAGES
from tests.helpers.waiting import settle

SIZE = (1280, 800)
#: widgets allowed to scroll sideways, with the reason (each is named in the report of the task)
SCROLLS_SIDEWAYS = {
    "QTreeWidget#runList": "one more column for each setting that differs between runs: it scrolls by design",
}


@pytest.fixture(params=["ko", "en"])
def window(request: pytest.FixtureRequest, qtbot: Any) -> Iterator[Any]:
    """The main window at 1280x800 in the language of the test, the sample project open."""
    install_language(request.param)  # the autouse ``english_gui`` fixture puts English back afterwards
    from studio.app import create_main_window

    win = create_main_window()
    qtbot.addWidget(win)
    win.resize(*SIZE)
    win.show()
    assert win.files.new_from_template("sample-cnn", ask=False)
    QApplication.processEvents()
    yield win
    win.ctx.document.reset(win.ctx.document.project)  # nothing unsaved: close without asking


def _cuts(root: QWidget, where: str) -> list[str]:
    settle()  # twice: a text that changed while the first delivery ran posts a new layout request
    settle()
    cells = [c for c in cut_cells(root) if not (c.where.endswith("(scrolled)") and _scrolls(c))]
    return [f"{where}: {cut}" for cut in [*cut_texts(root), *cells]]


def _scrolls(cut: Cut) -> bool:
    return any(cut.where.startswith(name + ".") for name in SCROLLS_SIDEWAYS)


def _every_tab(window: Any, page: QWidget, where: str) -> list[str]:
    """The window's cuts with the page shown, then with each tab of its tab widgets."""
    found = _cuts(window, where)
    for tabs in page.findChildren(QTabWidget):
        if not tabs.isVisible():
            continue
        first = tabs.currentIndex()
        for i in range(tabs.count()):
            if i != first and tabs.isTabEnabled(i):
                tabs.setCurrentIndex(i)
                found += _cuts(window, f"{where} > {tabs.objectName() or 'tabs'}[{tabs.tabText(i)}]")
        tabs.setCurrentIndex(first)
    return found


def _start(window: Any) -> list[str]:
    window.show_start_page()
    return _cuts(window, "Start")


def _page(title: str) -> Callable[[Any], list[str]]:
    def read(window: Any) -> list[str]:
        page = window.show_page(title)
        if hasattr(page, "ensure_loaded"):
            page.ensure_loaded()
        return _every_tab(window, page, title)

    return read


def _dialogs(window: Any) -> list[str]:
    from studio.gui.shell.start_page import TemplateDialog

    train = window.show_page("Train")
    found: list[str] = []
    for name, make in (
        ("LR finder", train.find_learning_rate),
        ("Sweep", train.new_sweep),
        ("Cluster", window.run_on_cluster),
        ("Templates", lambda: TemplateDialog(window)),
    ):
        dialog = make()
        dialog.show()
        found += _cuts(dialog, name)
        dialog.close()
    return found


AREAS: dict[str, Callable[[Any], list[str]]] = {
    "Start": _start,
    **{spec.title: _page(spec.title) for spec in PAGES},
    "Dialogs": _dialogs,
}


@pytest.mark.parametrize("area", list(AREAS))
def test_nothing_is_cut_off_at_1280x800(area: str, window: Any) -> None:
    found = AREAS[area](window)
    assert (window.width(), window.height()) == SIZE
    assert not found, f"{len(found)} text(s) cut off at 1280x800:\n" + "\n".join(found)


def test_the_audit_sees_a_cut_text_and_passes_a_wrapped_one(qtbot: Any) -> None:
    """The check can fail: a label and a button squeezed below their text are reported, a
    word-wrapped label of the same text is not, and each is reported with its widths."""
    box = QWidget()
    qtbot.addWidget(box)
    layout = QVBoxLayout(box)
    text = "학습률 찾기 — a text far wider than the eighty pixels it is given"
    squeezed, button, wrapped = QLabel(text), QPushButton(text), QLabel(text)
    wrapped.setWordWrap(True)
    for w in (squeezed, button, wrapped):
        w.setMinimumWidth(0)
        w.setMaximumWidth(80)
        layout.addWidget(w)
    box.show()
    QApplication.processEvents()
    cuts: list[Cut] = cut_texts(box)
    assert {c.text for c in cuts} == {text} and len(cuts) == 2
    assert all(c.need > c.have + 100 and c.have <= 80 for c in cuts)
    squeezed.setMaximumWidth(10_000)
    button.setMaximumWidth(10_000)
    box.resize(squeezed.sizeHint().width() + 40, 200)
    QApplication.processEvents()
    assert cut_texts(box) == []


def test_run_names_are_not_cut_in_the_runs_table(qtbot: Any, tmp_path: Path) -> None:
    """A run's name (the project's name and its start time) fits its column at 1280x800; only
    the setting columns scroll sideways."""
    from studio.core.project.templates import get_template
    from studio.core.runs.run_folder import init_run_dir
    from studio.gui.training.run_list import RunList

    project = get_template("fashion-mnist-cnn").project()
    base = tmp_path / "runs"
    for stamp in ("20261203-170400", "20261203-171500"):
        init_run_dir(base / f"sample-clothing-with-a-long-name-{stamp}", project, ["a", "b"])
    runs = RunList()
    qtbot.addWidget(runs)
    runs.resize(420, 300)  # about the Train page's left column at 1280x800
    runs.show()
    runs.set_base(base)
    runs.refresh()
    assert len(runs.rows) == 2
    assert [c for c in cut_cells(runs) if c.where.endswith(".column0")] == []
