"""``classHistogram``: images per class, one bar colour per split, and an imbalance warning.

Counts come from :func:`studio.core.data.browse.class_counts` (a ``bincount`` over the listing's
label and split columns — no image is opened), the warning sentence from
:func:`studio.core.data.browse.imbalance_warning`. Bars of the splits stand side by side in each
class's row; with many classes (CIFAR-100) only every k-th name is written beside the axis.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from studio.core.data.browse import ClassCounts, imbalance_warning
from studio.gui.common.i18n import fill

SPLIT_COLOURS = {"train": (66, 133, 244), "val": (244, 160, 0), "test": (15, 157, 88)}
_OTHER = (150, 150, 150)


def split_label(name: str) -> str:
    """A split's name as shown (``train``/``val``/``test`` in the studio's language; others as they are)."""
    if name == "train":
        return QCoreApplication.translate("ClassPanel", "train")
    if name == "val":
        return QCoreApplication.translate("ClassPanel", "val")
    if name == "test":
        return QCoreApplication.translate("ClassPanel", "test")
    return name


class ClassHistogram(pg.PlotWidget):
    """A grouped bar chart of :class:`ClassCounts` (the ``classHistogram`` widget).

    Bars run horizontally, one row per class (first class on top), so that class names sit
    on the left axis at full length instead of colliding under narrow vertical bars.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("classHistogram")
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=True)
        self.showGrid(x=True, alpha=0.25)
        self.setLabel("bottom", self.tr("images"))
        self.getPlotItem().hideButtons()
        self.bars: dict[str, pg.BarGraphItem] = {}
        self.counts: ClassCounts | None = None
        self.setMinimumHeight(180)
        self.apply_palette()

    def apply_palette(self) -> None:
        """Follow the application's light or dark palette (pyqtgraph defaults to black)."""
        palette = self.palette()
        self.setBackground(palette.color(palette.ColorRole.Base))
        text = palette.color(palette.ColorRole.Text)
        for name in ("left", "bottom"):
            axis = self.getAxis(name)
            axis.setPen(pg.mkPen(text))
            axis.setTextPen(pg.mkPen(text))

    def set_counts(self, counts: ClassCounts | None) -> None:
        """Draw ``counts`` (None clears the chart)."""
        self.counts = counts
        for item in self.bars.values():
            self.removeItem(item)
        self.bars.clear()
        if counts is None or not counts.classes:
            self.getAxis("left").setTicks([[]])
            return
        n_cls, splits = len(counts.classes), counts.split_names
        thick = 0.8 / max(1, len(splits))
        rows = np.arange(n_cls, dtype=float)[::-1]  # class 0 on top
        for k, split in enumerate(splits):
            colour = SPLIT_COLOURS.get(split, _OTHER)
            item = pg.BarGraphItem(
                x0=0.0,
                y=rows + 0.4 - thick * (k + 0.5),
                width=counts.counts[k].astype(float),
                height=thick,
                brush=pg.mkBrush(*colour),
                pen=pg.mkPen(None),
            )
            self.addItem(item)
            self.bars[split] = item
        self._update_ticks()
        top = float(counts.counts.max()) if counts.counts.size else 1.0
        self.setYRange(-0.6, n_cls - 0.4, padding=0)
        self.setXRange(0, max(1.0, top) * 1.08, padding=0)

    def _update_ticks(self) -> None:
        """Name every k-th class so that the names never overlap at the current height."""
        counts = getattr(self, "counts", None)  # pyqtgraph resizes before __init__ ends
        if counts is None or not counts.classes:
            return
        n_cls = len(counts.classes)
        room = max(1.0, float(self.getPlotItem().vb.height() or self.height() - 40))
        step = max(1, math.ceil(n_cls * (self.fontMetrics().height() + 2) / room))
        major = [(float(n_cls - 1 - i), _short(counts.classes[i], 16)) for i in range(0, n_cls, step)]
        self.getAxis("left").setTicks([major, []])

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        """Re-thin the class names for the new height."""
        super().resizeEvent(event)
        self._update_ticks()

    def bar_heights(self) -> dict[str, list[float]]:
        """The drawn bar heights per split (what the chart shows; for tests)."""
        return {split: [float(v) for v in item.opts["width"]] for split, item in self.bars.items()}


def _short(name: str, limit: int = 12) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


class ClassPanel(QWidget):
    """The histogram with its warning line and a one-line total above it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel(self.tr("No dataset loaded."))
        self.summary.setWordWrap(True)
        self.warning = QLabel("")
        self.warning.setObjectName("imbalanceWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b8860b; font-weight: 600;")
        self.warning.hide()
        self.histogram = ClassHistogram()
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.warning)
        layout.addWidget(self.histogram, 1)

    def set_counts(self, counts: ClassCounts | None) -> None:
        """Update the chart, the summary and the warning."""
        self.histogram.set_counts(counts)
        self.histogram.setVisible(counts is not None)
        if counts is None:
            self.summary.setText(self.tr("No dataset loaded."))
            self.warning.hide()
            return
        keys = "  ".join(
            f"<span style='color: rgb{SPLIT_COLOURS.get(s, _OTHER)}'>&#9632;</span> {split_label(s)} {int(counts.counts[k].sum()):,}"
            for k, s in enumerate(counts.split_names)
        )
        head = fill(self.tr("%1 classes, %2 images"), len(counts.classes), f"{int(counts.counts.sum()):,}")
        self.summary.setText(f"{head} <br> {keys}")  # spaces: the English audit reads the tag as markup
        text = imbalance_warning(counts)
        self.warning.setText(f"⚠ {text}" if text else "")
        self.warning.setVisible(bool(text))
