"""One live pyqtgraph plot: named lines fed by appends, a hover read-out, a legend in the title.

Each line is one curve whose points live in a growable buffer
(:class:`studio.core.training.progress.Series`) and reach pyqtgraph with one ``setData`` per repaint,
downsampled and clipped to the view. What makes a repaint cheap (it competes with training
for the CPU and the GIL): no grid (grid lines belong to the axes and span the data area, so
every curve update would repaint both axes), a fixed epoch axis while a run trains, and the
legend in the title, outside the data area, and a steady y range
(:func:`studio.core.training.axis_range.steady_range`: the y axis moves a few times a run, not at every
repaint) until the user zooms or pans; the plot's "A" button brings the steady range back.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

from studio.core.training.axis_range import steady_range
from studio.core.training.progress import Series
from studio.gui.common.i18n import fill

GREY = "#888888"
#: pyqtgraph's scene names its one context action (shown as a tooltip) through Qt's translator
#: in this context; listing it here puts it in the studio's catalogue
PYQTGRAPH_TEXTS = (QT_TRANSLATE_NOOP("GraphicsScene", "Export..."),)


def fmt_loss(v: float) -> str:
    """A loss for the hover read-out."""
    return f"{v:.4f}"


def fmt_lr(v: float) -> str:
    """A learning rate for the hover read-out."""
    return f"{v:.3g}"


def follow_palette(plot: pg.PlotWidget, palette: QPalette) -> QColor:
    """Draw a plain ``plot`` in the light or dark palette (pyqtgraph's own default is black,
    on which the axis labels hardly show); returns the text colour (for a legend)."""
    text = palette.color(QPalette.ColorRole.Text)
    plot.setBackground(palette.color(QPalette.ColorRole.Base))
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setPen(pg.mkPen(text))
        axis.setTextPen(pg.mkPen(text))
    return text


@dataclass
class _Line:
    """One named series on a plot: its buffers, its curve and how its values read."""

    name: str
    curve: pg.PlotDataItem
    x: Series
    y: Series
    fmt: Callable[[float], str]
    per_epoch: bool
    dirty: bool = False


class LivePlot(pg.PlotWidget):
    """A PlotWidget that owns named lines fed by appends, and a hover read-out."""

    def __init__(self, object_name: str, title: str, y_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setMinimumHeight(140)
        self._title = title
        self._text_colour = "#202020"
        self._entries: dict[str, tuple[str, str, str]] = {}  # key -> (name, colour, mark)
        self.setLabel("bottom", self.tr("epoch"))
        self.setLabel("left", y_label)
        # no grid: grid lines belong to the axes and span the whole view, so every curve
        # update would repaint (and re-render) both axes; the hover read-out gives values
        self.setMenuEnabled(False)
        # room on the right for the last epoch's tick label, which sits on the plot's edge
        self.plotItem.layout.setContentsMargins(1, 1, 14, 1)
        self.lines: dict[str, _Line] = {}
        self._cursor = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen(GREY, style=Qt.PenStyle.DotLine))
        self._cursor.setVisible(False)
        self.addItem(self._cursor, ignoreBounds=True)
        self._hover = pg.TextItem(anchor=(0, 0), fill=pg.mkBrush(0, 0, 0, 150), color="w")
        self._hover.setZValue(100)
        self._hover.setVisible(False)
        self.addItem(self._hover, ignoreBounds=True)
        self._proxy = pg.SignalProxy(self.scene().sigMouseMoved, rateLimit=30, slot=self._mouse_moved)
        self._steady_y = True  # until the user zooms or pans
        self._y_range: tuple[float, float] | None = None
        self._epoch_span: int | None = None
        self.plotItem.vb.enableAutoRange(y=False)
        self.plotItem.vb.sigRangeChangedManually.connect(self._user_moved_view)
        self.plotItem.autoBtn.clicked.connect(self.follow_data)

    # ------------------------------------------------------------------ lines

    def add_line(
        self,
        key: str,
        name: str,
        pen: Any,
        fmt: Callable[[float], str],
        *,
        per_epoch: bool = False,
        symbol: str | None = None,
        legend: bool = True,
    ) -> _Line:
        """Create (or return) the line ``key``: one curve, downsampled and clipped to view."""
        if key in self.lines:
            return self.lines[key]
        kwargs: dict[str, Any] = {"pen": pen}
        colour = pen.color() if hasattr(pen, "color") else QColor(pen)
        if symbol:
            kwargs.update(symbol=symbol, symbolSize=6, symbolBrush=colour, symbolPen=None)
        curve = self.plot([], [], **kwargs)
        if legend:
            dashed = hasattr(pen, "style") and pen.style() != Qt.PenStyle.SolidLine
            mark = {"o": "●", "s": "■", "t": "▼"}.get(symbol or "", "┅" if dashed else "━")
            self._entries[key] = (name, QColor(colour).name(), mark)
            self._render_title()
        curve.setDownsampling(auto=True, method="peak")
        curve.setClipToView(True)
        curve.setSkipFiniteCheck(True)  # only finite values are appended (None/NaN are filtered out)
        line = _Line(name, curve, Series(), Series(), fmt, per_epoch)
        self.lines[key] = line
        return line

    def set_line(self, key: str, xs: Sequence[float], ys: Sequence[float]) -> None:
        """Replace a line's points (run overlays, history read back from disk)."""
        line = self.lines[key]
        line.x.clear()
        line.y.clear()
        line.x.extend(xs)
        line.y.extend(ys)
        line.dirty = True

    def append(self, key: str, xs: Iterable[float], ys: Iterable[float]) -> None:
        """Add points to a line; they show at the next :meth:`flush`."""
        line = self.lines[key]
        line.x.extend(xs)
        line.y.extend(ys)
        line.dirty = True

    def remove_line(self, key: str) -> None:
        """Take a line off the plot."""
        line = self.lines.pop(key, None)
        if line is not None:
            self.removeItem(line.curve)
            self._y_range = None  # the range may shrink to the lines left
            if self._entries.pop(key, None) is not None:
                self._render_title()

    def flush(self) -> bool:
        """Hand changed lines to their curves; True when anything was repainted."""
        changed = False
        for line in self.lines.values():
            if line.dirty:
                line.curve.setData(line.x.view(), line.y.view())
                line.dirty = False
                changed = True
        if changed and self._steady_y:
            self._steady_y_range()
        return changed

    def _steady_y_range(self) -> None:
        """Move the y range only when the data has left it or shrunk well inside it."""
        ys = [line.y.view() for line in self.lines.values() if len(line.y)]
        if not ys:
            return
        new = steady_range(self._y_range, min(float(y.min()) for y in ys), max(float(y.max()) for y in ys))
        if new is not None:
            self._y_range = new
            self.plotItem.vb.setYRange(*new, padding=0)

    @property
    def y_range(self) -> tuple[float, float] | None:
        """The steady y range last set (None before data, or while the user has zoomed)."""
        return self._y_range if self._steady_y else None

    def _user_moved_view(self, *_: Any) -> None:
        """A zoom or pan by mouse: leave the view where the user put it."""
        self._steady_y = False

    def follow_data(self, *_: Any) -> None:
        """Back to the epoch span and the steady y range (the plot's "A" button; a new run)."""
        self._steady_y = True
        self._y_range = None
        self.plotItem.vb.enableAutoRange(y=False)
        if self._epoch_span is not None:
            self.set_epoch_span(self._epoch_span)
        self._steady_y_range()

    def _render_title(self) -> None:
        """The title with the legend under it (outside the data area: curve updates never
        repaint it, unlike a legend drawn over the curves)."""
        keys = " &nbsp;".join(
            f'<span style="color:{colour}">{mark}</span>&nbsp;{html.escape(name).replace(" ", "&nbsp;")}'
            for name, colour, mark in self._entries.values()
        )
        legend = f'<br><span style="font-size:8pt">{keys}</span>' if keys else ""
        self.setTitle(
            f'<span style="color:{self._text_colour}"><b>{html.escape(self._title)}</b>{legend}</span>'
        )
        self._wrap_title()

    def _wrap_title(self) -> None:
        """Wrap the title to the plot's width: a long legend must never widen the plot
        beyond its widget (which would cut off the right-hand side), and give it the height
        it takes, so that it never reaches over the top edge nor into the data area."""
        item = getattr(self, "plotItem", None)
        if item is None:  # a resize during construction
            return
        label = item.titleLabel
        # the title sits above the data area: the widget less the y axis (up to ~70 px wide with
        # its label) and the margins; a wider title would make the plot wider than its widget
        label.item.setTextWidth(max(80.0, self.width() - 95.0))
        label.updateMin()
        # pyqtgraph gives the title row a fixed 30 px, one line's height: the legend's line(s)
        # under the title would centre the text on that row, pushing the title above the widget's
        # top edge and the legend down over the data area. The row takes the text's own height.
        height = math.ceil(label.itemRect().height())
        label.setMaximumHeight(height)
        item.layout.setRowFixedHeight(0, height)
        label.resizeEvent(None)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        """Re-wrap the title for the new width, then lay the plot out: the other way round, the
        old, wider title's minimum width would stretch the plot past the widget's right edge."""
        self._wrap_title()
        super().resizeEvent(event)

    def set_legend_entry(self, key: str, name: str | None, colour: str = GREY, mark: str = "┅") -> None:
        """Add (or with ``name=None`` remove) a legend entry that stands for no single line."""
        if name is None:
            if self._entries.pop(key, None) is not None:
                self._render_title()
            return
        self._entries[key] = (name, colour, mark)
        self._render_title()

    @property
    def legend_names(self) -> list[str]:
        """The names the title's legend lists."""
        return [name for name, _, _ in self._entries.values()]

    def set_epoch_span(self, epochs: int | None) -> None:
        """Fix the x axis to epochs 0..``epochs`` (a static axis repaints nothing); None: auto."""
        self._epoch_span = epochs
        if epochs is None:
            self.enableAutoRange(x=True)
        else:
            self.setXRange(0, max(1, epochs), padding=0.03)

    def point_count(self, key: str) -> int:
        """How many points the line ``key`` holds (0 for an unknown line)."""
        line = self.lines.get(key)
        return len(line.x) if line else 0

    # ------------------------------------------------------------------ hover

    def hover_text(self, x: float) -> str:
        """Each line's value nearest to epoch ``x`` (epoch summaries only at whole epochs)."""
        parts = [fill(self.tr("epoch %1"), f"{x:.2f}")]
        for line in self.lines.values():
            xs = line.x.view()
            if not len(xs):
                continue
            if line.per_epoch:
                i = int(abs(xs - x).argmin())
                if abs(xs[i] - x) > 0.5:
                    continue
            else:
                i = int(min(max(xs.searchsorted(x), 0), len(xs) - 1))
                if x < xs[0] - 0.5 or x > xs[-1] + 0.5:
                    continue
            y = float(line.y.view()[i])
            if math.isfinite(y):
                parts.append(f"{line.name}: {line.fmt(y)}")
        return "\n".join(parts)

    def show_hover_at(self, x: float, y: float) -> str:
        """Move the cursor line and read-out to data point (x, y); returns the text shown."""
        text = self.hover_text(x)
        self._cursor.setPos(x)
        self._cursor.setVisible(True)
        self._hover.setText(text)
        (x0, x1), _ = self.plotItem.vb.viewRange()
        self._hover.setAnchor((1, 0) if x > (x0 + x1) / 2 else (0, 0))
        self._hover.setPos(x, y)
        self._hover.setVisible(True)
        return text

    def _mouse_moved(self, args: tuple[Any, ...]) -> None:
        pos = args[0]
        vb = self.plotItem.vb
        if not self.plotItem.sceneBoundingRect().contains(pos) or not vb.sceneBoundingRect().contains(pos):
            self._cursor.setVisible(False)
            self._hover.setVisible(False)
            return
        point = vb.mapSceneToView(pos)
        self.show_hover_at(point.x(), point.y())

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Hide the read-out when the mouse leaves the plot."""
        self._cursor.setVisible(False)
        self._hover.setVisible(False)
        super().leaveEvent(event)

    # ------------------------------------------------------------------ look

    def apply_palette(self, palette: QPalette) -> None:
        """Follow the application's light or dark palette."""
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        self.setBackground(base)
        for axis in ("left", "bottom"):
            ax = self.getAxis(axis)
            ax.setPen(pg.mkPen(text))
            ax.setTextPen(pg.mkPen(text))
        self._text_colour = text.name()
        self._render_title()


def fmt_pct(v: float) -> str:
    """Values already scaled to percent."""
    return f"{v:.2f}%"
