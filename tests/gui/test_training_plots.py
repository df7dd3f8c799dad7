"""The live plots: points arrive, repaints are coalesced, hover reads values, overlays."""

from __future__ import annotations

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QRectF

from studio.gui.common.i18n import install_language
from studio.gui.training.plots import TrainingPlots
from tests.helpers.waiting import settle


@pytest.fixture
def plots(qtbot) -> TrainingPlots:
    widget = TrainingPlots()
    qtbot.addWidget(widget)
    widget.resize(800, 500)
    return widget


def rows(epoch: int, n: int = 10) -> list[tuple]:
    return [(epoch, b, n, 2.0 / (epoch + b / n), 0.5 + 0.04 * b, 0.01 * b) for b in range(1, n + 1)]


def test_batches_and_epochs_reach_the_curves(qtbot, plots: TrainingPlots) -> None:
    assert isinstance(plots.lossPlot, pg.PlotWidget) and plots.lossPlot.objectName() == "lossPlot"
    assert plots.accuracyPlot.objectName() == "accuracyPlot"
    plots.add_batches(rows(1))
    plots.add_epoch({"epoch": 1, "train_loss": 1.2, "val_loss": 1.4, "train_acc": 0.6, "val_acc": 0.55})
    qtbot.waitUntil(lambda: plots.repaints >= 3, timeout=2000)  # one plot per timer tick
    x, y = plots.lossPlot.lines["batch"].curve.getOriginalDataset()
    assert len(x) == 10 and x[0] == pytest.approx(0.1) and x[-1] == pytest.approx(1.0)
    assert y[0] == pytest.approx(2.0 / 1.1)
    _, smooth = plots.lossPlot.lines["smooth"].curve.getOriginalDataset()
    assert smooth[0] == pytest.approx(y[0]) and smooth[-1] > y[-1]  # lags behind a falling loss
    _, val = plots.accuracyPlot.lines["val"].curve.getOriginalDataset()
    assert list(val) == pytest.approx([55.0])
    _, lr = plots.lrPlot.lines["lr"].curve.getOriginalDataset()
    assert lr[-1] == pytest.approx(0.1)
    for plot in plots.plots:
        for line in plot.lines.values():
            assert line.curve.opts["autoDownsample"] and line.curve.opts["clipToView"]


def test_many_updates_are_coalesced_into_few_repaints(qtbot, plots: TrainingPlots) -> None:
    for epoch in range(1, 51):
        plots.add_batches(rows(epoch, 20))
    assert plots.repaints == 0  # nothing painted synchronously
    qtbot.waitUntil(lambda: plots.repaints >= 3, timeout=2000)
    settle()
    assert plots.repaints == 3  # fifty updates, one repaint of each plot
    x, _ = plots.lossPlot.lines["batch"].curve.getOriginalDataset()
    assert len(x) == 1000


def test_legends_sit_in_the_titles(plots: TrainingPlots) -> None:
    assert plots.lossPlot.legend_names == ["batch", "smoothed", "train", "validation"]
    assert "validation" in plots.accuracyPlot.plotItem.titleLabel.text
    plots.set_overlays([("run-a", {"epoch": [1], "val_loss": [1.0]})])
    assert len(plots.lossPlot.legend_names) == 5 and "selected runs" in plots.lossPlot.legend_names[-1]
    plots.set_overlays([])
    assert len(plots.lossPlot.legend_names) == 4


def test_a_long_legend_wraps_instead_of_widening_the_plot(qtbot, plots: TrainingPlots) -> None:
    plots.resize(500, 400)
    plots.show()
    for i in range(8):
        plots.lossPlot.set_legend_entry(f"extra{i}", f"a rather long legend entry {i}")
    settle()
    title = plots.lossPlot.plotItem.titleLabel
    assert title.item.boundingRect().width() <= plots.lossPlot.width()
    assert plots.lossPlot.plotItem.width() <= plots.lossPlot.width() + 1


def _title_and_view(plot: pg.PlotWidget) -> tuple[QRectF, QRectF]:
    """The title's text (with the legend under it) and the data area, in the plot's pixels."""
    item = plot.plotItem
    label = item.titleLabel
    title = label.mapRectToScene(label.item.mapRectToParent(label.item.boundingRect()))
    return title, item.vb.mapRectToScene(item.vb.boundingRect())


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("width", [900, 560, 380, 280])
def test_the_legend_never_covers_the_title_nor_the_data(qtbot, lang: str, width: int) -> None:
    """Issue 14 item 8: the title and its legend (wrapped on narrow plots) keep inside the
    widget's top edge and above the data area, in both languages (the Train page at 1024 px
    cut the titles off at the top)."""
    install_language(lang)  # the autouse ``english_gui`` fixture puts English back afterwards
    plots = TrainingPlots()
    qtbot.addWidget(plots)
    plots.resize(width, 500)
    plots.show()
    settle()
    for plot in plots.plots:
        title, view = _title_and_view(plot)
        lines = 1 if plot is plots.lrPlot else 2  # the learning rate has no legend
        assert title.height() >= lines * plot.fontMetrics().height(), plot.objectName()
        assert title.top() >= 0, f"{plot.objectName()} at {width} px: the title starts {title.top()} px above"
        assert not title.intersects(view), f"{plot.objectName()} at {width} px: {title} overlaps {view}"
    plots.lossPlot.set_legend_entry("long", "a rather long legend entry that wraps " * 2)
    settle()
    title, view = _title_and_view(plots.lossPlot)
    assert title.top() >= 0 and not title.intersects(view)


def test_no_plot_grows_past_its_widget_whatever_its_axis_labels(qtbot, plots: TrainingPlots) -> None:
    """The plot's right edge (and the last epoch's tick label) stays inside the widget."""
    plots.show()
    plots.begin_run(epochs=1)
    plots.add_batches([(1, b, 50, 2.5 - 0.04 * b, 0.1 + 0.01 * b, 0.000123 * b) for b in range(1, 51)])
    plots.flush()
    for width in (700, 900, 1200):
        plots.resize(width, 500)
        settle()
        for plot in plots.plots:
            assert plot.plotItem.geometry().width() <= plot.width() + 1, (plot.objectName(), width)


def test_x_axis_spans_the_planned_epochs(plots: TrainingPlots) -> None:
    plots.begin_run(epochs=8)
    (x0, x1), _ = plots.lossPlot.viewRange()
    assert x0 <= 0 and 8 <= x1 < 8.5
    plots.set_overlays([("long", {"epoch": list(range(1, 13)), "val_loss": [1.0] * 12})])
    (_, x1), _ = plots.accuracyPlot.viewRange()
    assert 12 <= x1 < 12.5


def test_hover_reads_every_series_at_the_mouse(plots: TrainingPlots) -> None:
    plots.add_batches(rows(1) + rows(2))
    plots.add_epoch({"epoch": 1, "train_loss": 1.25, "val_loss": 1.5})
    plots.add_epoch({"epoch": 2, "train_loss": 0.75, "val_loss": 0.9})
    plots.flush()
    text = plots.lossPlot.show_hover_at(2.0, 1.0)
    assert "epoch 2.00" in text
    assert "validation: 0.9000" in text and "train: 0.7500" in text
    assert f"batch: {2.0 / 3.0:.4f}" in text
    assert "validation" not in plots.lossPlot.hover_text(0.2)  # no epoch summary near 0.2
    assert "learning rate: 0.05" in plots.lrPlot.hover_text(0.5)


def test_overlays_add_and_remove_runs(plots: TrainingPlots) -> None:
    curves = {
        "epoch": [1, 2],
        "train_loss": [1.0, 0.5],
        "val_loss": [1.1, None],
        "train_acc": [0.5, 0.7],
        "val_acc": [0.4, 0.6],
        "lr": [0.01, 0.001],
    }
    plots.set_overlays([("run-a", curves), ("run-b", curves)])
    assert plots.overlay_labels == ["run-a", "run-b"]
    keys = [k for k in plots.lossPlot.lines if k.startswith("overlay:")]
    assert len(keys) == 4
    x, y = plots.lossPlot.lines["overlay:0:val_loss"].curve.getOriginalDataset()
    assert list(x) == [1] and list(y) == [1.1]  # the missing value is skipped
    _, acc = plots.accuracyPlot.lines["overlay:1:val_acc"].curve.getOriginalDataset()
    assert list(acc) == pytest.approx([40.0, 60.0])
    assert "run-a val: 1.1000" in plots.lossPlot.hover_text(1.0)
    plots.begin_run()  # a new live run keeps the overlays
    assert plots.overlay_labels == ["run-a", "run-b"]
    plots.set_overlays([])
    assert not [k for p in plots.plots for k in p.lines if k.startswith("overlay:")]


def test_the_y_axis_moves_rarely_while_points_stream_in(qtbot, plots: TrainingPlots) -> None:
    """A steady y range: each flush keeps it unless the data leaves it (axis work saved)."""
    plot = plots.lossPlot
    ranges = []
    for epoch in range(1, 21):
        plots.add_batches(rows(epoch, 20))
        plots.flush()
        ranges.append(plot.y_range)
        (_, _), (y0, y1) = plot.plotItem.vb.viewRange()
        lo, hi = min(plot.lines["batch"].y.view()), max(plot.lines["batch"].y.view())
        assert y0 <= lo and hi <= y1  # every point stays in view
    assert len(set(ranges)) <= 3  # twenty updates, at most three axis changes
    assert not plot.plotItem.vb.autoRangeEnabled()[1]


def test_zooming_by_hand_stops_the_steady_range_and_the_a_button_restores_it(
    qtbot, plots: TrainingPlots
) -> None:
    plot = plots.lossPlot
    plots.add_batches(rows(1, 20))
    plots.flush()
    assert plot.y_range is not None
    plot.plotItem.vb.sigRangeChangedManually.emit([False, True])  # what a mouse zoom sends
    plot.plotItem.vb.setYRange(5.0, 6.0, padding=0)
    plots.add_batches(rows(2, 20))
    plots.flush()
    assert plot.y_range is None and plot.plotItem.vb.viewRange()[1] == pytest.approx([5.0, 6.0])
    plot.plotItem.autoBtn.clicked.emit(plot.plotItem.autoBtn)
    y0, y1 = plot.plotItem.vb.viewRange()[1]
    assert plot.y_range is not None and y0 <= min(plot.lines["batch"].y.view()) and y1 >= 1.0
    plot.plotItem.vb.sigRangeChangedManually.emit([False, True])
    plots.begin_run(epochs=3)  # a new run follows its data again
    plots.add_batches(rows(1, 20))
    plots.flush()
    assert plot.y_range is not None and plot.plotItem.vb.viewRange()[0][1] >= 3.0
