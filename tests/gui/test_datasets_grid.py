"""The Data page's thumbnail grid: one row per image, filters, lazy thumbnails off the GUI thread."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from studio.core.data.browse import make_listing
from studio.core.data.folder import scan_folder
from studio.gui.datasets.page import DataPage
from studio.gui.datasets.thumbnail_loader import ThumbnailLoader
from studio.gui.datasets.thumbnail_model import IndexRole, PathRole, ThumbnailGrid, ThumbnailModel
from tests.helpers.gui_datasets import (
    BROKEN,
    CLASSES,
    folder_project,
    make_context,
    open_data_page,
    write_folder,
)


@pytest.fixture
def page(qtbot, tmp_path: Path) -> DataPage:
    page = open_data_page(qtbot, tmp_path, folder_project(write_folder(tmp_path / "데이터")))
    yield page
    page.shutdown()


def _paths(page: DataPage) -> list[str]:
    m = page.model
    return [m.index(r).data(PathRole) for r in range(m.rowCount())]


def test_the_grid_has_one_row_per_image_file(page: DataPage) -> None:
    grid = page.findChild(ThumbnailGrid, "thumbnailGrid")
    assert grid is not None and grid.model() is page.model
    index = scan_folder(page.binding.data.root)
    assert page.model.rowCount() == len(index.paths) > 0
    assert sorted(_paths(page)) == sorted(index.paths)
    names = {Path(p).name for p in _paths(page)}
    assert {"사진_00.png", BROKEN[0], BROKEN[1], BROKEN[2]} <= names  # broken files are rows too
    assert "folder.png" not in names  # a folder named like an image is not an image
    assert page.count_label.text().startswith(f"{len(index.paths)}")


def test_filters_by_class_split_and_name(page: DataPage, qtbot) -> None:
    total = page.model.rowCount()
    listing = page.listing
    cls = listing.classes.index(CLASSES[0])
    page.class_filter.setCurrentIndex(page.class_filter.findData(cls))
    page.apply_filter()
    rows = page.model.rowCount()
    assert 0 < rows < total
    assert all(
        page.model.index(r).data(Qt.ItemDataRole.ToolTipRole).split("\n")[1].startswith(CLASSES[0])
        for r in range(rows)
    )
    page.split_filter.setCurrentIndex(page.split_filter.findData("val"))
    page.apply_filter()
    val_rows = page.model.rowCount()
    assert 0 < val_rows < rows
    assert all(listing.split_name(page.model.image_index(r)) == "val" for r in range(val_rows))
    page.class_filter.setCurrentIndex(0)
    page.split_filter.setCurrentIndex(0)
    page.search.setText("복사")  # typed: applied after a short pause
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=3000)
    assert Path(page.model.index(0).data(PathRole)).name == "사진_00 복사본.png"
    assert page.count_label.text() == f"1 of {total}"
    page.search.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == total, timeout=3000)


def test_thumbnails_arrive_lazily_with_a_broken_marker(page: DataPage, qtbot) -> None:
    model = page.model
    paths = _paths(page)
    good = next(r for r, p in enumerate(paths) if Path(p).name == "사진_00.png")
    bad = next(r for r, p in enumerate(paths) if Path(p).name == BROKEN[0])
    # model.thumbnail(row) is what DecorationRole returns (index.data() would hit a PySide6
    # 6.12 refcount bug on the None it returns while the thumbnail is not decoded yet)
    for row in (good, bad):
        model.thumbnail(row)  # asks for it
    qtbot.waitUntil(lambda: all(isinstance(model.thumbnail(r), QImage) for r in (good, bad)), timeout=10000)
    thumb = model.index(good).data(Qt.ItemDataRole.DecorationRole)
    assert (thumb.width(), thumb.height()) == (20, 24)  # the 20x24 image, not scaled up
    marker = model.thumbnail(bad)
    assert marker.width() == page.loader.size  # the broken-image square


def test_the_gui_thread_never_decodes_an_image(qtbot, tmp_path: Path, monkeypatch) -> None:
    threads: list[threading.Thread] = []
    real_open = Image.open

    def spy(*args, **kwargs):
        threads.append(threading.current_thread())
        return real_open(*args, **kwargs)

    monkeypatch.setattr(Image, "open", spy)
    root = write_folder(tmp_path / "d")
    page = DataPage(make_context(folder_project(root), tmp_path))
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show()
    qtbot.waitUntil(lambda: page.loads_finished >= 1, timeout=30000)
    qtbot.waitUntil(lambda: page.loader.decoded >= 10, timeout=15000)  # thumbnails painted
    page.grid.setCurrentIndex(page.model.index(3))  # detail view and augmentation preview
    page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(
        lambda: page.detail.info is not None and page.augment_preview.generation >= 1, timeout=20000
    )
    page.shutdown()
    assert len(threads) >= 12
    assert threading.main_thread() not in threads


def test_class_counts_are_made_on_the_listing_worker(qtbot, tmp_path: Path, monkeypatch) -> None:
    """The histogram and the class filter read counts made off the GUI thread (1M images: ~20 ms each)."""
    import studio.core.data.browse as browse

    threads: list[threading.Thread] = []
    real = browse._count_classes

    def spy(listing):
        threads.append(threading.current_thread())
        return real(listing)

    monkeypatch.setattr(browse, "_count_classes", spy)
    page = open_data_page(qtbot, tmp_path, folder_project(write_folder(tmp_path / "d")))
    try:
        assert page.listing is not None and page.class_filter.count() == 1 + len(page.listing.classes)
        assert len(threads) == 1 and threads[0] is not threading.main_thread()
        page.retranslate()  # the filter and histogram again: read, not counted
        assert len(threads) == 1
    finally:
        page.shutdown()


def test_thumbnail_memory_is_bounded_and_far_rows_are_dropped(qtbot) -> None:
    n = 3000
    images = np.zeros((n, 1, 16, 16), dtype=np.uint8)
    listing = make_listing(["a"], None, [0] * n, ["train"] * n, reader=lambda i: images[i])
    loader = ThumbnailLoader(size=16, max_bytes=40 * 16 * 16)  # room for about 40 thumbnails
    model = ThumbnailModel(loader)
    grid = ThumbnailGrid(model, 16)
    qtbot.addWidget(grid)
    model.set_listing(listing)
    grid.resize(300, 200)
    grid.show()
    bar = grid.verticalScrollBar()
    for value in np.linspace(0, bar.maximum(), 25).astype(int):
        bar.setValue(int(value))
        qtbot.wait(15)  # the loader decodes while the user scrolls; the bound must hold throughout
        assert loader.cache.total_bytes <= loader.cache.max_bytes
    first, last = grid.visible_rows()
    dropped = grid.prune_requests()
    pending = [model.row_of(k[1]) for k in loader.pending_keys()]
    span = last - first + 1
    assert all(first - span <= r <= last + span for r in pending)
    assert dropped >= 0 and loader.decoded < n  # never decoded everything
    loader.wait()
    assert len(loader.cache) <= 40
    assert model.index(last).data(IndexRole) == last
