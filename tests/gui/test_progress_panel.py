"""The progress panel: bars and read-outs follow batch events without painting synchronously."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QProgressBar

from studio.gui.training.progress_panel import ProgressPanel, set_value_later
from tests.helpers.waiting import settle


class PaintCounter(QObject):
    """Counts paint events a widget receives."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def shown_bar(qtbot) -> tuple[QProgressBar, PaintCounter]:
    bar = QProgressBar()
    bar.setFormat("batch %v / %m")
    bar.setRange(0, 500)
    qtbot.addWidget(bar)
    counter = PaintCounter()
    bar.installEventFilter(counter)
    bar.show()
    qtbot.waitUntil(lambda: counter.count >= 1, timeout=5000)  # its first paint
    settle()
    counter.count = 0
    return bar, counter


def test_set_value_later_paints_with_the_next_pass(qtbot) -> None:
    bar, counter = shown_bar(qtbot)
    for value in range(1, 6):
        set_value_later(bar, value)
    assert bar.value() == 5 and counter.count == 0
    qtbot.waitUntil(lambda: counter.count >= 1, timeout=1000)
    assert counter.count == 1  # five updates, one paint
    assert bar.text() == "batch 5 / 500"


def test_batch_events_move_the_bars_and_read_outs(qtbot) -> None:
    panel = ProgressPanel()
    qtbot.addWidget(panel)
    panel.begin(3)
    panel.on_batch({"epoch": 2, "batch": 40, "batches": 100, "images_per_second": 1234.0})
    assert panel.batchProgress.maximum() == 100 and panel.batchProgress.value() == 40
    assert panel.epochProgress.value() == 1 and panel.statusLabel.text() == "Epoch 2"
    assert "1,234" in panel.speedLabel.text() or "1234" in panel.speedLabel.text()
    assert panel.etaLabel.text().startswith("left ")
    panel.finish("completed")
    assert panel.batchProgress.value() == 100 and panel.epochProgress.value() == 3


class LayoutCounter(QObject):
    """Counts the layout requests a widget receives."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.LayoutRequest:
            self.count += 1
        return False


def test_batch_read_outs_never_re_layout_the_window(qtbot) -> None:
    """Re-laying out the whole window ten times a second would compete with training."""
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    window = QWidget()
    qtbot.addWidget(window)
    panel = ProgressPanel()
    QVBoxLayout(window).addWidget(panel)
    window.show()
    qtbot.waitExposed(window)
    panel.begin(3)
    settle()  # the layout requests of begin() are delivered before counting starts
    counter = LayoutCounter()
    for widget in (window, panel):
        widget.installEventFilter(counter)
    for batch in range(1, 30):
        panel.on_batch(
            {"epoch": 1, "batch": batch, "batches": 500, "images_per_second": 900.0 + 1000 * batch}
        )
        settle()
    assert panel.speedLabel.text() != "" and counter.count == 0
