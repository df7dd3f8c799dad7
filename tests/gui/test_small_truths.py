"""Issue 14, item 8: small things a newcomer trips over (each one checked here)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtGui import QColor, QPalette

from studio.gui.start_page import StartPage
from studio.gui.theme import colors, contrast_ratio, readable


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
