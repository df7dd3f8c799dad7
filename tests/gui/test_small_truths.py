"""Issue 14, item 8: small things a newcomer trips over (each one checked here)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtGui import QColor, QPalette

from studio.gui.common.theme import colors, contrast_ratio, readable
from studio.gui.shell.start_page import StartPage


def test_the_offline_sample_is_the_first_card(qtbot: Any) -> None:
    page = StartPage()
    qtbot.addWidget(page)
    assert page.cards[0].template_name == "sample-cnn"


def test_card_facts_meet_wcag_aa(qtbot: Any) -> None:
    page = StartPage()
    qtbot.addWidget(page)
    for card in page.cards:
        bg = card.palette().color(QPalette.ColorRole.Window)
        assert contrast_ratio(card.facts_colour, bg) >= 4.5
    # and in the dark scheme
    dark_muted = readable(colors(dark=True).muted_fg, QColor(40, 40, 44), QColor(230, 230, 230))
    assert contrast_ratio(dark_muted, QColor(40, 40, 44)) >= 4.5


def test_readable_moves_towards_the_text_colour() -> None:
    grey, bg, text = QColor(150, 150, 150), QColor(240, 240, 240), QColor(0, 0, 0)
    assert contrast_ratio(grey, bg) < 4.5
    fixed = readable(grey, bg, text)
    assert contrast_ratio(fixed, bg) >= 4.5 and fixed.lightness() < grey.lightness()
    assert contrast_ratio(QColor(0, 0, 0), QColor(255, 255, 255)) == pytest.approx(21.0)


def test_a_typed_value_beyond_the_range_is_refused_visibly(designer: Any, qtbot: Any) -> None:
    from PySide6.QtCore import Qt

    for t in ("Conv2d", "Flatten", "Linear"):
        designer.ctx.push(designer.doc.add_layer(t))
    designer.stack_view.select_rows([0])
    editor = designer.properties.editors["kernel_size"]
    spin = editor.h
    assert designer.doc.layers[0]["kernel_size"] == 3 and spin.maximum() == 31
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "40")
    assert spin.text() == "40"  # shown as typed, not silently 4
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: spin.value() == 3)
    assert designer.doc.layers[0]["kernel_size"] == 3  # the value before the typing, not 4
    assert not editor.hint.isHidden() and "40 is outside 1–31" in editor.hint.text()
    spin.selectAll()
    qtbot.keyClicks(spin, "5")
    assert designer.doc.layers[0]["kernel_size"] == 5 and editor.hint.isHidden()


def test_an_invalid_network_shows_no_partial_totals(designer: Any) -> None:
    doc = designer.doc
    for t in ("Conv2d", "Flatten", "Linear"):
        designer.ctx.push(doc.add_layer(t))
    assert "parameters" in designer.totals.text()
    designer.ctx.push(doc.set_layer_arg(0, "kernel_size", 31))  # 31 > 28: layer 0 cannot work
    assert doc.summary().error is not None
    text = designer.totals.text()
    assert "parameters" not in text and "MACs" not in text and "invalid" in text
    assert "Total parameters" not in designer.shape_table.totals.text()


def test_help_opens_the_guide(main_window: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtGui import QAction, QDesktopServices

    from studio.gui.shell.help import about_text, guide_path

    opened: list[str] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url.toLocalFile()) or True)
    )
    action = main_window.findChild(QAction, "userGuideAction")
    assert action is not None and guide_path().is_file()
    action.trigger()
    assert opened == [str(guide_path())]
    assert str(guide_path()) in about_text()
