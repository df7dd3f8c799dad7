"""``classHistogram``: bars per class and split from the listing, and the imbalance warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.core.data.browse import class_counts
from studio.gui.datasets.histogram import ClassHistogram
from studio.gui.datasets.page import DataPage
from tests.helpers.gui_datasets import CLASSES, folder_project, make_context, write_folder


def _page(qtbot, tmp_path: Path, per_class: tuple[int, ...]) -> DataPage:
    root = write_folder(tmp_path / "d", per_class, broken=False)
    page = DataPage(make_context(folder_project(root, val=0.2), tmp_path))
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    qtbot.waitUntil(lambda: page.loads_finished >= 1, timeout=30000)
    return page


def test_bars_show_images_per_class_and_split(qtbot, tmp_path: Path) -> None:
    page = _page(qtbot, tmp_path, (12, 10, 9))
    chart = page.findChild(ClassHistogram, "classHistogram")
    assert chart is not None
    heights = chart.bar_heights()
    assert list(heights) == ["train", "val"]
    listing = page.listing
    per_class = {name: 0 for name in listing.classes}
    for i in range(len(listing)):
        per_class[listing.label_name(i)] += 1
    assert [a + b for a, b in zip(heights["train"], heights["val"], strict=True)] == [
        per_class[c] for c in listing.classes
    ]
    assert per_class[CLASSES[0]] == 12 + 2  # the duplicate and the tiny image count too
    assert heights == {
        s: [float(v) for v in row]
        for s, row in zip(("train", "val"), class_counts(listing).counts.tolist(), strict=True)
    }
    ticks = [label for _, label in chart.getAxis("left")._tickLevels[0]]
    assert sorted(ticks) == sorted(listing.classes)
    assert not page.class_panel.warning.isVisible()
    page.shutdown()


def test_a_badly_imbalanced_dataset_is_flagged(qtbot, tmp_path: Path) -> None:
    page = _page(qtbot, tmp_path, (40, 4, 4))
    warning = page.class_panel.warning
    assert warning.isVisible()
    assert "imbalanced" in warning.text() and CLASSES[0] in warning.text()
    page.shutdown()


@pytest.mark.parametrize("n_classes", [100])
def test_many_classes_keep_the_axis_readable(qtbot, n_classes: int) -> None:
    from studio.core.data.browse import make_listing

    listing = make_listing(
        [f"class {k}" for k in range(n_classes)],
        None,
        list(range(n_classes)) * 2,
        ["train"] * n_classes + ["test"] * n_classes,
    )
    chart = ClassHistogram()
    qtbot.addWidget(chart)
    chart.set_counts(class_counts(listing))
    assert len(chart.getAxis("left")._tickLevels[0]) <= 25
    assert chart.bar_heights()["test"] == [1.0] * n_classes
