"""Look and feel: Fusion style following the system's light or dark colour scheme.

Widgets paint with palette roles, so they follow a scheme change at run time; the few
hand-drawn things (error rows, the block diagram) ask :func:`colors` for their colours.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication


def is_dark(palette: QPalette | None = None) -> bool:
    """True when the window background is dark."""
    pal = palette or QGuiApplication.palette()
    return pal.color(QPalette.ColorRole.Window).lightness() < 128


def dark_palette() -> QPalette:
    """A calm dark palette for Fusion."""
    p = QPalette()
    base, window, text = QColor(30, 32, 36), QColor(43, 45, 50), QColor(225, 227, 230)
    for role, color in (
        (QPalette.ColorRole.Window, window),
        (QPalette.ColorRole.WindowText, text),
        (QPalette.ColorRole.Base, base),
        (QPalette.ColorRole.AlternateBase, QColor(38, 40, 45)),
        (QPalette.ColorRole.ToolTipBase, QColor(55, 58, 64)),
        (QPalette.ColorRole.ToolTipText, text),
        (QPalette.ColorRole.Text, text),
        (QPalette.ColorRole.Button, window),
        (QPalette.ColorRole.ButtonText, text),
        (QPalette.ColorRole.BrightText, QColor(255, 120, 120)),
        (QPalette.ColorRole.Highlight, QColor(61, 126, 209)),
        (QPalette.ColorRole.HighlightedText, QColor(255, 255, 255)),
        (QPalette.ColorRole.Link, QColor(110, 170, 255)),
        (QPalette.ColorRole.Mid, QColor(70, 72, 78)),
        (QPalette.ColorRole.PlaceholderText, QColor(140, 143, 150)),
    ):
        p.setColor(role, color)
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(120, 122, 128))
    return p


def apply_theme(app: QApplication) -> None:
    """Use Fusion with the system scheme's palette, and follow later scheme changes."""
    app.setStyle("Fusion")
    hints = app.styleHints()

    def update(*_: object) -> None:
        dark = hints.colorScheme() == Qt.ColorScheme.Dark
        app.setPalette(dark_palette() if dark else app.style().standardPalette())

    update()
    hints.colorSchemeChanged.connect(update)


@dataclass(frozen=True)
class Colors:
    """Hand-picked colours that read well on the current palette."""

    error_bg: QColor
    error_fg: QColor
    ok_fg: QColor
    muted_fg: QColor
    groups: dict[str, QColor]


_GROUP_HUES = {
    "Convolution": 212,
    "Pooling": 140,
    "Normalization": 45,
    "Activation": 25,
    "Regularization": 265,
    "Dense": 300,
    "Blocks": 180,
    "Input": 0,
    "Pretrained": 200,
}


def colors(palette: QPalette | None = None, dark: bool | None = None) -> Colors:
    """Colours for error rows, hints and diagram blocks in the current (or the given) scheme."""
    dark = is_dark(palette) if dark is None else dark
    groups = {}
    for name, hue in _GROUP_HUES.items():
        sat = 0 if name == "Input" else (110 if dark else 120)
        groups[name] = QColor.fromHsv(hue, sat, 95 if dark else 235)
    if dark:
        return Colors(
            QColor(92, 35, 38), QColor(255, 170, 165), QColor(120, 210, 140), QColor(150, 153, 160), groups
        )
    return Colors(
        QColor(253, 226, 225), QColor(170, 20, 25), QColor(20, 130, 60), QColor(110, 113, 120), groups
    )


def _luminance(c: QColor) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""

    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21; AA body text needs 4.5)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable(fg: QColor, bg: QColor, towards: QColor, minimum: float = 4.5) -> QColor:
    """``fg`` moved towards ``towards`` (the normal text colour) until it reaches ``minimum`` on ``bg``."""
    colour = QColor(fg)
    for step in range(1, 21):
        if contrast_ratio(colour, bg) >= minimum:
            return colour
        t = step / 20
        colour = QColor.fromRgbF(
            fg.redF() + (towards.redF() - fg.redF()) * t,
            fg.greenF() + (towards.greenF() - fg.greenF()) * t,
            fg.blueF() + (towards.blueF() - fg.blueF()) * t,
        )
    return QColor(towards)
