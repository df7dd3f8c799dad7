"""The Lab's trained-run panels: "your network's filters" and "why convolution".

* :class:`FiltersPanel` loads a run's first convolution (:func:`network_filters`, in a worker
  thread: torch loads the checkpoint) and shows each filter with the feature map it makes of
  the current image — on the network's own input (normalised as in training), so the maps are
  the Evaluate page's Explain maps of that layer. "Replay" hands a filter, its bias and the
  layer's padding/stride/dilation to the convolution panel.
* :class:`ShiftPanel` evaluates two runs on validation images shifted left/right
  (:class:`ShiftEvaluator`), plots accuracy against shift with pyqtgraph and shows a few
  shifted images with each network's prediction at the slider's shift.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studio.core.evaluation.lab import conv2d_many
from studio.core.evaluation.lab_runs import ShiftEvaluator, network_filters
from studio.core.runs.history import RunRow, run_rows
from studio.core.runs.run_folder import checkpoint_path
from studio.core.training.progress import format_accuracy
from studio.gui.common.tasks import LatestTask, TaskRunner, as_fraction
from studio.gui.lab.grid import GridView

MAX_FILTERS_SHOWN = 16
SHIFT_RANGE = 10


def _fill_runs(combo: QComboBox, rows: list[RunRow]) -> None:
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    for row in rows:
        acc = f" — {format_accuracy(row.best_val_acc)}" if row.best_val_acc is not None else ""
        combo.addItem(f"{row.name}{acc}", str(row.path))
    if current is not None and combo.findData(current) >= 0:
        combo.setCurrentIndex(combo.findData(current))
    combo.blockSignals(False)


def trained_rows(base: Path | None) -> list[RunRow]:
    """The runs under ``base`` that have a best checkpoint (newest first, as the run list)."""
    if base is None or not base.is_dir():
        return []
    return [r for r in run_rows(base) if checkpoint_path(r.path).is_file()]


class FiltersPanel(QWidget):
    """A run's first-layer filters as kernels (see the module doc)."""

    #: replay (kernel (C, kH, kW), bias, padding, stride, dilation, normalised input (C, H, W))
    replayRequested = Signal(object, float, object, int, int, object)

    def __init__(self, runs_dir: Callable[[], Path | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("labFilters")
        self.runs_dir = runs_dir
        self.filters: Any = None
        self.pixels = np.zeros((1, 8, 8))
        self.runner = TaskRunner(self, progress=as_fraction)
        self.work = LatestTask(self.runner)
        self.run_combo = QComboBox(self)
        self.run_combo.setObjectName("filtersRun")
        self.run_combo.setMinimumContentsLength(20)
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.load_button = QPushButton(self.tr("Load filters"), self)
        self.load_button.setObjectName("loadFilters")
        self.filter_spin = QSpinBox(self)
        self.filter_spin.setObjectName("filterIndex")
        self.filter_spin.setPrefix(self.tr("filter "))
        self.filter_spin.setEnabled(False)
        self.replay_button = QPushButton(self.tr("Replay step by step"), self)
        self.replay_button.setObjectName("replayFilter")
        self.replay_button.setEnabled(False)
        self.status = QLabel(self)
        self.status.setObjectName("filtersStatus")
        self.status.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Run")))
        top.addWidget(self.run_combo, 1)
        top.addWidget(self.refresh_button)
        top.addWidget(self.load_button)
        top.addWidget(self.filter_spin)
        top.addWidget(self.replay_button)
        self.grid = QGridLayout()
        self.tiles: list[tuple[QLabel, GridView, GridView]] = []
        column = QVBoxLayout(self)
        column.addLayout(top)
        column.addWidget(self.status)
        column.addLayout(self.grid, 1)
        self.refresh_button.clicked.connect(self.refresh)
        self.load_button.clicked.connect(self.load)
        self.replay_button.clicked.connect(self.replay)

    def refresh(self) -> None:
        """Re-read the open project's runs."""
        rows = trained_rows(self.runs_dir())
        _fill_runs(self.run_combo, rows)
        self.load_button.setEnabled(bool(rows))
        if not rows:
            self.status.setText(
                self.tr(
                    "No trained runs yet: open a project and train it (Train page); its "
                    "first convolution's filters then appear here as kernels."
                )
            )

    def set_pixels(self, pixels: np.ndarray) -> None:
        """The current image's pixel numbers ``(C, H, W)`` (0-255)."""
        a = np.asarray(pixels, dtype=np.float64)
        self.pixels = a[None] if a.ndim == 2 else a
        if self.filters is not None:
            self._show()

    def load(self) -> None:
        """Load the chosen run's first convolution in a worker thread."""
        run = self.run_combo.currentData()
        if not run:
            return
        self.status.setText(self.tr("Loading the run's filters…"))
        self.load_button.setEnabled(False)
        self.work.start(
            lambda progress, cancelled: network_filters(run),
            on_finished=self._loaded,
            on_failed=self._failed,
            name="lab filters",
        )

    def _failed(self, message: str) -> None:
        self.load_button.setEnabled(True)
        self.status.setText(message)

    def _loaded(self, filters: Any) -> None:
        self.load_button.setEnabled(True)
        self.filters = filters
        n = filters.weights.shape[0]
        self.filter_spin.setRange(1, n)
        self.filter_spin.setEnabled(True)
        self.replay_button.setEnabled(True)
        self._show()

    def network_input(self) -> np.ndarray:
        """The current image as the network sees it: its channel count, normalised as in training."""
        f = self.filters
        px = self.pixels
        c = f.weights.shape[1]
        if px.shape[0] != c:
            px = np.repeat(px.mean(axis=0, keepdims=True), c, axis=0)
        return f.normalise(px)

    def maps(self) -> np.ndarray:
        """Every filter's feature map of the current image (with bias), as the first layer computes it."""
        f = self.filters
        return conv2d_many(self.network_input(), f.weights, f.padding, f.stride, f.dilation, f.bias)

    def _show(self) -> None:
        f = self.filters
        maps = self.maps()
        n, c, kh, kw = f.weights.shape
        self.status.setText(
            self.tr(
                "{name}: layer {layer} has {n} filters of {c}x{kh}x{kw} (padding {p}, stride {s}, dilation {d}); "
                "each makes one feature map of the image as the network sees it (normalised). These are the "
                "Explain tab's maps of this layer."
            ).format(
                name=Path(f.run_dir).name,
                layer=f.layer,
                n=n,
                c=c,
                kh=kh,
                kw=kw,
                p=f.padding,
                s=f.stride,
                d=f.dilation,
            )
        )
        for label, kv, mv in self.tiles:
            for w in (label, kv, mv):
                self.grid.removeWidget(w)
                w.deleteLater()
        self.tiles = []
        cols = 4
        for i in range(min(n, MAX_FILTERS_SHOWN)):
            label = QLabel(self.tr("filter {i}").format(i=i + 1), self)
            kv = GridView(self, 10, auto_fit=True)
            kv.set_values(f.weights[i].mean(axis=0), pixels=False)
            kv.setFixedSize(70, 70)
            mv = GridView(self, 3, auto_fit=True)
            mv.set_values(maps[i], pixels=False)
            mv.setMinimumSize(90, 90)
            r, cc = divmod(i, cols)
            self.grid.addWidget(label, r * 2, cc * 2, 1, 2)
            self.grid.addWidget(kv, r * 2 + 1, cc * 2)
            self.grid.addWidget(mv, r * 2 + 1, cc * 2 + 1)
            self.tiles.append((label, kv, mv))

    def replay(self) -> None:
        """Send the chosen filter to the convolution panel."""
        f = self.filters
        if f is None:
            return
        i = self.filter_spin.value() - 1
        self.replayRequested.emit(
            f.weights[i], float(f.bias[i]), f.padding, f.stride, f.dilation, self.network_input()
        )


class ShiftPanel(QWidget):
    """Why convolution: two runs' accuracy on shifted validation images (see the module doc)."""

    def __init__(self, runs_dir: Callable[[], Path | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("labWhyConvolution")
        self.runs_dir = runs_dir
        self.evaluators: list[Any] = []
        self.curves: list[list[float]] = []
        self.shifts = list(range(-SHIFT_RANGE, SHIFT_RANGE + 1))
        self.runner = TaskRunner(self, progress=as_fraction)
        self.work = LatestTask(self.runner)
        self.combos = [QComboBox(self), QComboBox(self)]
        for i, combo in enumerate(self.combos):
            combo.setObjectName(f"shiftRun{i}")
            combo.setMinimumContentsLength(18)
        self.evaluate_button = QPushButton(self.tr("Evaluate on shifted images"), self)
        self.evaluate_button.setObjectName("shiftEvaluate")
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setObjectName("shiftSlider")
        self.slider.setRange(-SHIFT_RANGE, SHIFT_RANGE)
        self.slider.setEnabled(False)
        self.shift_label = QLabel(self)
        self.status = QLabel(
            self.tr(
                "A network trained on centred images may fail when the object moves; filters that slide over "
                "the whole image keep finding it. Pick two runs (say a Flatten + Linear network and a CNN), "
                "evaluate, and move the shift slider."
            ),
            self,
        )
        self.status.setObjectName("shiftStatus")
        self.status.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Run A")))
        top.addWidget(self.combos[0], 1)
        top.addWidget(QLabel(self.tr("Run B")))
        top.addWidget(self.combos[1], 1)
        top.addWidget(self.evaluate_button)
        self.plot = pg.PlotWidget(self)
        self.plot.setObjectName("shiftPlot")
        self.plot.setLabel("bottom", self.tr("shift (pixels, + = right)"))
        self.plot.setLabel("left", self.tr("accuracy"))
        self.plot.setYRange(0, 1)
        palette = self.palette()  # pyqtgraph defaults to black; follow the light or dark palette
        self.plot.setBackground(palette.color(palette.ColorRole.Base))
        text_colour = palette.color(palette.ColorRole.Text)
        for axis in ("left", "bottom"):
            self.plot.getAxis(axis).setPen(pg.mkPen(text_colour))
            self.plot.getAxis(axis).setTextPen(pg.mkPen(text_colour))
        self.plot.addLegend()
        self.shift_line = pg.InfiniteLine(
            0, angle=90, movable=False, pen=pg.mkPen("#888888", style=Qt.PenStyle.DashLine)
        )
        self.plot.addItem(self.shift_line)
        self.lines = [
            self.plot.plot([], [], pen=pg.mkPen("#0072B2", width=2), symbol="o", symbolSize=5, name="A"),
            self.plot.plot([], [], pen=pg.mkPen("#D55E00", width=2), symbol="t", symbolSize=5, name="B"),
        ]
        self.examples = QGridLayout()
        self.example_widgets: list[QWidget] = []
        self.example_views: list[tuple[GridView, QLabel]] = []
        for i in range(4):
            view = GridView(self, 3, auto_fit=True)
            view.setFixedSize(96, 96)
            text = QLabel(self)
            text.setAlignment(Qt.AlignmentFlag.AlignTop)
            self.examples.addWidget(view, i // 2 * 2, i % 2)
            self.examples.addWidget(text, i // 2 * 2 + 1, i % 2)
            view.hide()
            self.example_views.append((view, text))
        slider_row = QHBoxLayout()
        slider_row.addWidget(QLabel(self.tr("Shift")))
        slider_row.addWidget(self.slider, 1)
        slider_row.addWidget(self.shift_label)
        column = QVBoxLayout(self)
        column.addLayout(top)
        column.addWidget(self.status)
        body = QHBoxLayout()
        body.addWidget(self.plot, 3)
        ex_box = QWidget(self)
        ex_box.setLayout(self.examples)
        body.addWidget(ex_box, 2)
        column.addLayout(body, 1)
        column.addLayout(slider_row)
        self.evaluate_button.clicked.connect(self.evaluate)
        self.slider.valueChanged.connect(self.show_shift)

    def refresh(self) -> None:
        """Re-read the open project's runs."""
        rows = trained_rows(self.runs_dir())
        for i, combo in enumerate(self.combos):
            _fill_runs(combo, rows)
            if combo.count() > i and combo.currentIndex() == 0 and i == 1:
                combo.setCurrentIndex(min(1, combo.count() - 1))
        self.evaluate_button.setEnabled(bool(rows))

    def evaluate(self) -> None:
        """Evaluate both runs at every shift in a worker thread."""
        runs = [c.currentData() for c in self.combos if c.currentData()]
        if not runs:
            return
        shifts = self.shifts

        def job(
            progress: Callable[..., None], cancelled: Callable[[], bool]
        ) -> tuple[list[Any], list[list[float]]]:
            evaluators, curves = [], []
            for k, run in enumerate(runs):
                progress(f"loading run {k + 1}", k / len(runs))
                ev = ShiftEvaluator(run, limit=500)
                curve = []
                for s in shifts:
                    if cancelled():
                        raise InterruptedError("cancelled")
                    curve.append(ev.accuracy(s))
                evaluators.append(ev)
                curves.append(curve)
            return evaluators, curves

        self.evaluate_button.setEnabled(False)
        self.status.setText(self.tr("Evaluating on shifted validation images…"))
        self.work.start(job, on_finished=self._done, on_failed=self._failed, name="lab shift")

    def _failed(self, message: str) -> None:
        self.evaluate_button.setEnabled(True)
        self.status.setText(message)

    def _done(self, result: tuple[list[Any], list[list[float]]]) -> None:
        self.evaluate_button.setEnabled(True)
        self.evaluators, self.curves = result
        legend = self.plot.plotItem.legend
        if legend is not None:  # name the curves after their runs
            legend.clear()
            for k, ev in enumerate(self.evaluators):
                legend.addItem(self.lines[k], f"{'AB'[k]}: {ev.run_dir.name}")
        for k, line in enumerate(self.lines):
            if k < len(self.curves):
                line.setData(self.shifts, self.curves[k])
            else:
                line.setData([], [])
        self.slider.setEnabled(True)
        self.status.setText(
            self.tr("Accuracy on {n} validation images, each moved left (-) or right (+).").format(
                n=len(self.evaluators[0].labels)
            )
        )
        self.show_shift(self.slider.value())

    def show_shift(self, shift: int) -> None:
        """The accuracies and a few shifted images with each network's prediction at ``shift``."""
        self.shift_line.setValue(shift)
        if not self.evaluators:
            self.shift_label.setText(f"{shift:+d}")
            return
        accs = [ev.accuracy(shift) for ev in self.evaluators]
        self.shift_label.setText(
            self.tr("{s:+d} px: ").format(s=shift)
            + "  ".join(f"{'AB'[k]} {format_accuracy(a)}" for k, a in enumerate(accs))
        )
        first = self.evaluators[0]
        self.example_widgets = []
        for (view, text), ex, i in zip(
            self.example_views, first.examples(shift, 0, count=4), range(4), strict=False
        ):
            view.set_values(ex.image.astype(np.float64).mean(axis=0), pixels=True)
            view.show()
            guesses = []
            for k, ev in enumerate(self.evaluators):
                if len(ev.images) <= i or not np.array_equal(ev.images[i], first.images[i]):
                    guesses.append(f"{'AB'[k]}: " + self.tr("(other validation images)"))
                    continue
                pred = int(ev.predictions(shift)[i])
                mark = "✓" if pred == ex.label else "✗"
                guesses.append(f"{'AB'[k]}: {ev.classes[pred] if pred < len(ev.classes) else pred} {mark}")
            text.setText(self.tr("true: {c}").format(c=first.classes[ex.label]) + "\n" + "\n".join(guesses))
            self.example_widgets += [view, text]
