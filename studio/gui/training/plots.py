"""Live training plots: loss, accuracy and learning rate over (fractional) epochs.

One pyqtgraph curve per series, fed with ``setData`` from growable buffers
(:class:`studio.core.progress.Series`), downsampled and clipped to the view, so a long run
with tens of thousands of batches stays as smooth as a short one. Incoming points only mark
the plots dirty; a single-shot timer repaints them at most ~25 times a second however fast
batches arrive. Hovering shows every series' value at the mouse's epoch.

The x axis is the epoch: batch ``b`` of ``n`` in epoch ``e`` sits at ``e - 1 + b / n``, the
epoch summaries at ``e``.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pyqtgraph as pg  # noqa: I001  (after PySide6, so pyqtgraph binds to it)
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from studio.core.progress import EmaSmoother, Series

REPAINT_MS = 50  # one plot per tick: 20 repaints a second in all, each plot ~7 times a second
SMOOTHING = 0.9

# colour-blind-friendly (Okabe-Ito) colours that read on light and dark backgrounds
BLUE, ORANGE, GREEN, PURPLE, GREY = "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#888888"
OVERLAY_COLOURS = ("#D55E00", "#56B4E9", "#AA3377", "#332288", "#117733", "#999999")

BatchRow = tuple[int, int, int, float, float, float]


def overlay_colour(index: int) -> str:
    """The colour of the ``index``-th overlaid run (the run list colours its name alike)."""
    return OVERLAY_COLOURS[index % len(OVERLAY_COLOURS)]  # epoch, batch, batches, loss, acc, lr


def _fmt_loss(v: float) -> str:
    return f"{v:.4f}"


def _fmt_lr(v: float) -> str:
    return f"{v:.3g}"


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
        self.setLabel("bottom", "epoch")
        self.setLabel("left", y_label)
        # no grid: grid lines belong to the axes and span the whole view, so every curve
        # update would repaint (and re-render) both axes; the hover read-out gives values
        self.setMenuEnabled(False)
        self.lines: dict[str, _Line] = {}
        self._cursor = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen(GREY, style=Qt.PenStyle.DotLine))
        self._cursor.setVisible(False)
        self.addItem(self._cursor, ignoreBounds=True)
        self._hover = pg.TextItem(anchor=(0, 0), fill=pg.mkBrush(0, 0, 0, 150), color="w")
        self._hover.setZValue(100)
        self._hover.setVisible(False)
        self.addItem(self._hover, ignoreBounds=True)
        self._proxy = pg.SignalProxy(self.scene().sigMouseMoved, rateLimit=30, slot=self._mouse_moved)

    # ------------------------------------------------------------------ lines

    def add_line(self, key: str, name: str, pen: Any, fmt: Callable[[float], str], *,
                 per_epoch: bool = False, symbol: str | None = None, legend: bool = True) -> _Line:
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
            if self._entries.pop(key, None) is not None:
                self._render_title()

    def clear_lines(self) -> None:
        """Empty every line (keeps them, so their colours and legend stay put)."""
        for line in self.lines.values():
            line.x.clear()
            line.y.clear()
            line.dirty = True

    def flush(self) -> bool:
        """Hand changed lines to their curves; True when anything was repainted."""
        changed = False
        for line in self.lines.values():
            if line.dirty:
                line.curve.setData(line.x.view(), line.y.view())
                line.dirty = False
                changed = True
        return changed

    def _render_title(self) -> None:
        """The title with the legend under it (outside the data area: curve updates never
        repaint it, unlike a legend drawn over the curves)."""
        keys = " &nbsp;".join(f'<span style="color:{colour}">{mark}</span>&nbsp;{html.escape(name).replace(" ", "&nbsp;")}'
                              for name, colour, mark in self._entries.values())
        self.setTitle(f'<span style="color:{self._text_colour}"><b>{html.escape(self._title)}</b>'
                      f'<br><span style="font-size:8pt">{keys}</span></span>')
        self._wrap_title()

    def _wrap_title(self) -> None:
        """Wrap the title to the plot's width: a long legend must never widen the plot
        beyond its widget (which would cut off the right-hand side)."""
        item = getattr(self, "plotItem", None)
        if item is None:  # a resize during construction
            return
        label = item.titleLabel
        label.item.setTextWidth(max(80.0, self.width() - 60.0))
        label.updateMin()
        label.resizeEvent(None)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        """Re-wrap the title for the new width."""
        super().resizeEvent(event)
        self._wrap_title()

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
        parts = [f"epoch {x:.2f}"]
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


class TrainingPlots(QWidget):
    """The three live plots of a run, plus overlays of earlier runs' epoch curves."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lossPlot = LivePlot("lossPlot", "Loss", "loss", self)
        self.accuracyPlot = LivePlot("accuracyPlot", "Accuracy", "accuracy (%)", self)
        self.lrPlot = LivePlot("lrPlot", "Learning rate", "lr", self)
        self.accuracyPlot.getViewBox().setLimits(yMin=-5, yMax=105)
        self.lrPlot.setMinimumHeight(110)
        self.lrPlot.getViewBox().setLimits(yMin=0)
        thin = pg.mkPen(QColor(BLUE).lighter(150), width=1)
        thin.setColor(QColor(0, 114, 178, 90))
        self.lossPlot.add_line("batch", "batch", thin, _fmt_loss)
        self.lossPlot.add_line("smooth", "smoothed", pg.mkPen(BLUE, width=2), _fmt_loss)
        self.lossPlot.add_line("train", "train", pg.mkPen(GREEN, width=2), _fmt_loss,
                               per_epoch=True, symbol="o")
        self.lossPlot.add_line("val", "validation", pg.mkPen(ORANGE, width=2), _fmt_loss,
                               per_epoch=True, symbol="s")
        pct = _fmt_pct
        self.accuracyPlot.add_line("smooth", "smoothed", pg.mkPen(BLUE, width=2), pct)
        self.accuracyPlot.add_line("train", "train", pg.mkPen(GREEN, width=2), pct,
                                   per_epoch=True, symbol="o")
        self.accuracyPlot.add_line("val", "validation", pg.mkPen(ORANGE, width=2), pct,
                                   per_epoch=True, symbol="s")
        self.lrPlot.add_line("lr", "learning rate", pg.mkPen(PURPLE, width=2), _fmt_lr, legend=False)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        top = QSplitter(Qt.Orientation.Horizontal, splitter)
        top.addWidget(self.lossPlot)
        top.addWidget(self.accuracyPlot)
        splitter.addWidget(top)
        splitter.addWidget(self.lrPlot)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self._loss_smoother = EmaSmoother(SMOOTHING)
        self._acc_smoother = EmaSmoother(SMOOTHING)
        self._overlays: list[str] = []
        self._span: int | None = None
        self._overlay_span = 0
        self.repaints = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REPAINT_MS)
        self._timer.timeout.connect(self._flush_next)
        self._next = 0
        self._apply_palette()

    @property
    def plots(self) -> tuple[LivePlot, LivePlot, LivePlot]:
        """Loss, accuracy and learning-rate plots."""
        return (self.lossPlot, self.accuracyPlot, self.lrPlot)

    # ------------------------------------------------------------------ live data

    def begin_run(self, history: Sequence[dict[str, Any]] = (), epochs: int | None = None) -> None:
        """Clear the live curves for a new run of ``epochs`` epochs (fixes the x axis to them);
        ``history`` preloads a resumed run's epochs."""
        self._span = epochs
        for plot in self.plots:
            plot.set_epoch_span(self._span_with_overlays())
            for key in list(plot.lines):
                if not key.startswith("overlay:"):
                    plot.set_line(key, [], [])
        self._loss_smoother.reset()
        self._acc_smoother.reset()
        for event in history:
            self.add_epoch(event)
        self._schedule()

    def add_batches(self, rows: Sequence[BatchRow]) -> None:
        """Append batch rows ``(epoch, batch, batches, loss, acc, lr)``; repaint soon."""
        rows = [r for r in rows if math.isfinite(r[3])]  # the curves skip pyqtgraph's finite check
        if not rows:
            return
        xs = [e - 1 + b / max(1, n) for e, b, n, _, _, _ in rows]
        losses = [r[3] for r in rows]
        self.lossPlot.append("batch", xs, losses)
        self.lossPlot.append("smooth", xs, [self._loss_smoother.push(v) for v in losses])
        accs = [r[4] for r in rows]
        if all(a is not None for a in accs):
            self.accuracyPlot.append("smooth", xs, [100 * self._acc_smoother.push(a) for a in accs])
        lrs = [r[5] for r in rows]
        if all(v is not None for v in lrs):
            self.lrPlot.append("lr", xs, lrs)
        self._schedule()

    def add_epoch(self, event: dict[str, Any]) -> None:
        """Append one epoch summary (train/val loss and accuracy)."""
        x = float(event.get("epoch", 0))
        for plot, key, field, scale in ((self.lossPlot, "train", "train_loss", 1.0),
                                        (self.lossPlot, "val", "val_loss", 1.0),
                                        (self.accuracyPlot, "train", "train_acc", 100.0),
                                        (self.accuracyPlot, "val", "val_acc", 100.0)):
            value = event.get(field)
            if isinstance(value, (int, float)):
                plot.append(key, [x], [float(value) * scale])
        self._schedule()

    def _schedule(self) -> None:
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        """Hand every changed curve to pyqtgraph now (end of a run, tests)."""
        if any([plot.flush() for plot in self.plots]):
            self.repaints += 1

    def _flush_next(self) -> None:
        """The timer's tick: update the next plot with new points, and come back for the rest.

        One plot per tick keeps each repaint short (the event loop is never busy painting all
        three plots at once), and a plot with no news costs nothing.
        """
        plots = self.plots
        for step in range(len(plots)):
            plot = plots[(self._next + step) % len(plots)]
            if plot.flush():
                self._next = (self._next + step + 1) % len(plots)
                self.repaints += 1
                break
        if any(line.dirty for plot in plots for line in plot.lines.values()):
            self._timer.start()

    # ------------------------------------------------------------------ overlays

    def set_overlays(self, runs: Sequence[tuple[str, dict[str, list[float]]]]) -> None:
        """Show earlier runs' epoch curves: ``(label, curves)`` with ``epoch``, ``val_loss``...

        Replaces the previous overlays; an empty list removes them all.
        """
        for plot in self.plots:
            for key in [k for k in plot.lines if k.startswith("overlay:")]:
                plot.remove_line(key)
        self._overlays = []
        self._overlay_span = max((max(c.get("epoch") or [0]) for _, c in runs), default=0)
        for plot in self.plots:
            plot.set_epoch_span(self._span_with_overlays())
        for i, (label, curves) in enumerate(runs):
            colour = overlay_colour(i)
            x = curves.get("epoch", [])
            for plot, field, scale, fmt, style in (
                    (self.lossPlot, "train_loss", 1.0, _fmt_loss, Qt.PenStyle.DotLine),
                    (self.lossPlot, "val_loss", 1.0, _fmt_loss, Qt.PenStyle.DashLine),
                    (self.accuracyPlot, "train_acc", 100.0, _fmt_pct, Qt.PenStyle.DotLine),
                    (self.accuracyPlot, "val_acc", 100.0, _fmt_pct, Qt.PenStyle.DashLine),
                    (self.lrPlot, "lr", 1.0, _fmt_lr, Qt.PenStyle.DashLine)):
                ys = curves.get(field, [])
                pairs = [(a, b * scale) for a, b in zip(x, ys, strict=False) if b is not None]
                if not pairs:
                    continue
                key = f"overlay:{i}:{field}"
                short = "val" if field.startswith("val") else "train" if field.startswith("train") else "lr"
                plot.add_line(key, f"{label} {short}", pg.mkPen(colour, width=2, style=style), fmt,
                              per_epoch=True, symbol="t" if short == "val" else None, legend=False)
                plot.set_line(key, [p[0] for p in pairs], [p[1] for p in pairs])
            self._overlays.append(label)
        for plot in (self.lossPlot, self.accuracyPlot):
            plot.set_legend_entry("overlays", "selected runs (┅ val, ┈ train)" if runs else None)
        self._apply_palette()
        self.flush()

    def _span_with_overlays(self) -> int | None:
        if self._span is None:
            return None
        return max(self._span, self._overlay_span)

    @property
    def overlay_labels(self) -> list[str]:
        """The labels of the runs currently overlaid."""
        return list(self._overlays)

    # ------------------------------------------------------------------ look

    def _apply_palette(self) -> None:
        for plot in self.plots:
            plot.apply_palette(self.palette())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Re-colour the plots when the system switches between light and dark."""
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_palette()
        super().changeEvent(event)


def _fmt_pct(v: float) -> str:
    """Values already scaled to percent."""
    return f"{v:.2f}%"
