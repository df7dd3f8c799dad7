"""Live training plots: loss, accuracy and learning rate over (fractional) epochs.

Three :class:`~studio.gui.training.live_plot.LivePlot`s (one curve per series, downsampled
and clipped to the view, so a long run with tens of thousands of batches stays as smooth as a
short one). Incoming points only mark the plots dirty; a single-shot timer updates one plot
per tick (:data:`REPAINT_MS`), so the GUI repaints about 7 times a second however fast
batches arrive, and never all three plots in one go. Hovering shows every series' value at
the mouse's epoch.

The x axis is the epoch: batch ``b`` of ``n`` in epoch ``e`` sits at ``e - 1 + b / n``, the
epoch summaries at ``e``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from studio.core.training.progress import EmaSmoother
from studio.gui.training.live_plot import LivePlot, fmt_loss, fmt_lr, fmt_pct

REPAINT_MS = 150  # one plot per tick: about 7 repaints a second in all, each plot about twice
SMOOTHING = 0.9

# colour-blind-friendly (Okabe-Ito) colours that read on light and dark backgrounds
BLUE, ORANGE, GREEN, PURPLE = "#0072B2", "#E69F00", "#009E73", "#CC79A7"
OVERLAY_COLOURS = ("#D55E00", "#56B4E9", "#AA3377", "#332288", "#117733", "#999999")

BatchRow = tuple[int, int, int, float, float, float]  # epoch, batch, batches, loss, acc, lr


def overlay_colour(index: int) -> str:
    """The colour of the ``index``-th overlaid run (the run list colours its name alike)."""
    return OVERLAY_COLOURS[index % len(OVERLAY_COLOURS)]


class TrainingPlots(QWidget):
    """The three live plots of a run, plus overlays of earlier runs' epoch curves."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lossPlot = LivePlot("lossPlot", self.tr("Loss"), self.tr("loss"), self)
        self.accuracyPlot = LivePlot("accuracyPlot", self.tr("Accuracy"), self.tr("accuracy (%)"), self)
        self.lrPlot = LivePlot("lrPlot", self.tr("Learning rate"), self.tr("lr"), self)
        self.accuracyPlot.getViewBox().setLimits(yMin=-5, yMax=105)
        self._empty_accuracy_range()
        self.lrPlot.setMinimumHeight(110)
        self.lrPlot.getViewBox().setLimits(yMin=0)
        thin = pg.mkPen(QColor(BLUE).lighter(150), width=1)
        thin.setColor(QColor(0, 114, 178, 90))
        batch, smoothed, train, validation = (
            self.tr("batch"),
            self.tr("smoothed"),
            self.tr("train"),
            self.tr("validation"),
        )
        self.lossPlot.add_line("batch", batch, thin, fmt_loss)
        self.lossPlot.add_line("smooth", smoothed, pg.mkPen(BLUE, width=2), fmt_loss)
        self.lossPlot.add_line("train", train, pg.mkPen(GREEN, width=2), fmt_loss, per_epoch=True, symbol="o")
        self.lossPlot.add_line(
            "val", validation, pg.mkPen(ORANGE, width=2), fmt_loss, per_epoch=True, symbol="s"
        )
        pct = fmt_pct
        self.accuracyPlot.add_line("smooth", smoothed, pg.mkPen(BLUE, width=2), pct)
        self.accuracyPlot.add_line("train", train, pg.mkPen(GREEN, width=2), pct, per_epoch=True, symbol="o")
        self.accuracyPlot.add_line(
            "val", validation, pg.mkPen(ORANGE, width=2), pct, per_epoch=True, symbol="s"
        )
        self.lrPlot.add_line("lr", self.tr("learning rate"), pg.mkPen(PURPLE, width=2), fmt_lr, legend=False)

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
            plot.follow_data()  # a view the user zoomed into belonged to the last run
            plot.set_epoch_span(self._span_with_overlays())
            for key in list(plot.lines):
                if not key.startswith("overlay:"):
                    plot.set_line(key, [], [])
        self._loss_smoother.reset()
        self._acc_smoother.reset()
        self._empty_accuracy_range()
        for event in history:
            self.add_epoch(event)
        self._schedule()

    def _empty_accuracy_range(self) -> None:
        """An accuracy axis in % shows 0-100 before any data (pyqtgraph's empty default is 0-1)."""
        self.accuracyPlot.getViewBox().setYRange(0, 100, padding=0)

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
        for plot, key, field, scale in (
            (self.lossPlot, "train", "train_loss", 1.0),
            (self.lossPlot, "val", "val_loss", 1.0),
            (self.accuracyPlot, "train", "train_acc", 100.0),
            (self.accuracyPlot, "val", "val_acc", 100.0),
        ):
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
                (self.lossPlot, "train_loss", 1.0, fmt_loss, Qt.PenStyle.DotLine),
                (self.lossPlot, "val_loss", 1.0, fmt_loss, Qt.PenStyle.DashLine),
                (self.accuracyPlot, "train_acc", 100.0, fmt_pct, Qt.PenStyle.DotLine),
                (self.accuracyPlot, "val_acc", 100.0, fmt_pct, Qt.PenStyle.DashLine),
                (self.lrPlot, "lr", 1.0, fmt_lr, Qt.PenStyle.DashLine),
            ):
                ys = curves.get(field, [])
                pairs = [(a, b * scale) for a, b in zip(x, ys, strict=False) if b is not None]
                if not pairs:
                    continue
                key = f"overlay:{i}:{field}"
                is_val = field.startswith("val")
                if is_val:
                    name = self.tr("{run} val").format(run=label)
                elif field.startswith("train"):
                    name = self.tr("{run} train").format(run=label)
                else:
                    name = self.tr("{run} lr").format(run=label)
                plot.add_line(
                    key,
                    name,
                    pg.mkPen(colour, width=2, style=style),
                    fmt,
                    per_epoch=True,
                    symbol="t" if is_val else None,
                    legend=False,
                )
                plot.set_line(key, [p[0] for p in pairs], [p[1] for p in pairs])
            self._overlays.append(label)
        for plot in (self.lossPlot, self.accuracyPlot):
            plot.set_legend_entry("overlays", self.tr("selected runs (┅ val, ┈ train)") if runs else None)
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
