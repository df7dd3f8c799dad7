"""The Data page's source picker: every edit is an undoable change of project.data; downloads."""

from __future__ import annotations

import threading
import urllib.error
from pathlib import Path

import pytest

from studio.gui.datasets import source_picker
from studio.gui.datasets.page import DataPage
from tests.helpers.gui_datasets import folder_project, open_data_page, write_folder, write_split_folder


@pytest.fixture
def page(qtbot, tmp_path: Path) -> DataPage:
    page = open_data_page(qtbot, tmp_path, folder_project(write_folder(tmp_path / "데이터", broken=False)))
    yield page
    page.shutdown()


def _data(page: DataPage):
    return page.context.document.project.data


def test_source_channels_size_and_split_edits_are_undoable(page: DataPage, qtbot) -> None:
    picker = page.source_picker
    stack = page.context.undo_stack
    root = _data(page).root
    picker.source_combo.setCurrentIndex(picker.source_combo.findData("cifar10"))
    picker.source_combo.activated.emit(picker.source_combo.currentIndex())
    d = _data(page)
    assert (d.source, d.channels, tuple(d.image_size)) == ("cifar10", 3, (32, 32))
    assert d.root == source_picker.DEFAULT_ROOT and stack.count() == 1
    assert picker.download_button.isVisible()
    stack.undo()
    assert (_data(page).source, _data(page).root) == ("folder", root)
    assert picker.source_combo.currentData() == "folder"  # the view followed the undo

    picker.channels_combo.setCurrentIndex(picker.channels_combo.findData(3))
    picker.channels_combo.activated.emit(picker.channels_combo.currentIndex())
    assert _data(page).channels == 3
    picker.height_spin.setValue(40)
    picker.width_spin.setValue(30)
    assert tuple(_data(page).image_size) == (40, 30)
    picker.val_spin.setValue(0.3)
    assert _data(page).val == pytest.approx(0.3)
    picker.val_test.setChecked(True)
    assert _data(page).val == "test" and not picker.val_spin.isEnabled()
    stack.undo()
    assert _data(page).val == pytest.approx(0.3)
    stack.undo()
    assert _data(page).val == pytest.approx(0.25)
    stack.undo()  # the two size steps merged into one undo step
    assert tuple(_data(page).image_size) == (24, 24) and picker.height_spin.value() == 24
    stack.undo()
    assert _data(page).channels == 1 and picker.channels_combo.currentData() == 1
    assert not stack.canUndo() or stack.index() == 1  # only the undone source change is left to redo


def test_the_split_shown_follows_the_validation_setting(page: DataPage, qtbot) -> None:
    assert page.listing.split_names == ("train", "val")
    counts_before = page.class_panel.histogram.bar_heights()
    loads = page.loads_finished
    page.source_picker.val_spin.setValue(0.0)
    qtbot.waitUntil(lambda: page.loads_finished > loads, timeout=20000)
    assert page.listing.split_names == ("train",)
    heights = page.class_panel.histogram.bar_heights()
    assert list(heights) == ["train"]
    assert heights["train"] == [
        a + b for a, b in zip(counts_before["train"], counts_before["val"], strict=True)
    ]


def test_choosing_or_dropping_a_folder_switches_to_it(page: DataPage, qtbot, tmp_path, monkeypatch) -> None:
    other = write_split_folder(tmp_path / "분할")
    monkeypatch.setattr(source_picker, "choose_folder", lambda parent, title, start: str(other))
    loads = page.loads_finished
    page.source_picker.browse_button.click()
    assert _data(page).root == str(other)
    qtbot.waitUntil(lambda: page.loads_finished > loads, timeout=20000)
    assert page.listing.split_names == ("train", "val", "test")  # val held out of train/
    assert page.model.rowCount() == (15 + 2) + (6 + 2)  # each split also has a duplicate and a tiny file
    page.context.undo_stack.undo()
    third = write_folder(tmp_path / "third", broken=False)
    assert page.handle_drop([third / "dog" / "사진_00.png"]) is False  # a file is not a dataset
    assert page.handle_drop([third])
    assert (_data(page).source, _data(page).root) == ("folder", str(third))


def test_download_without_network_says_so_under_the_button(
    page: DataPage, qtbot, tmp_path, monkeypatch
) -> None:
    import studio.core.data.download as download

    def offline(url, timeout):
        raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr(download.urllib.request, "urlopen", offline)
    picker = page.source_picker
    assert picker.set_source("mnist", root=str(tmp_path / "tv"))
    qtbot.waitUntil(lambda: "Download" in page.banner.text(), timeout=20000)  # not there yet: say how
    picker.download_button.click()
    qtbot.waitUntil(lambda: picker.download_task is None, timeout=20000)
    text, full = picker.download_status.text(), picker.download_status.toolTip()
    assert "no network" in text and picker.download_status.isVisible()
    assert str(tmp_path / "tv" / "MNIST" / "raw") in full and "train-images-idx3-ubyte.gz" in full
    assert picker.download_button.isEnabled() and not picker.cancel_button.isEnabled()


def test_download_shows_progress_and_can_be_cancelled(page: DataPage, qtbot, tmp_path, monkeypatch) -> None:
    import studio.core.data.download as download

    started = threading.Event()

    def fake_download(source, root, progress=None, cancel=None):
        started.set()
        done = 0
        while not cancel():
            done = min(done + 1000, 10_000_000)
            progress(f"train-images-idx3-ubyte.gz: {done / 1e6:.1f} / 10.0 MB", done / 10_000_000)
            threading.Event().wait(0.005)
        raise download.DownloadCancelled("download cancelled; nothing was kept")

    monkeypatch.setattr(source_picker, "download_source", fake_download)  # the name the picker calls
    picker = page.source_picker
    picker.set_source("fashion_mnist", root=str(tmp_path / "tv"))
    picker.download_button.click()
    assert started.wait(10)
    qtbot.waitUntil(lambda: picker.download_progress.value() > 0, timeout=5000)
    assert picker.cancel_button.isEnabled() and not picker.download_button.isEnabled()
    picker.cancel_button.click()
    qtbot.waitUntil(lambda: picker.download_task is None, timeout=10000)
    assert "cancelled" in picker.download_status.text()


def test_the_embedded_sample_is_listed_from_memory(page: DataPage, qtbot) -> None:
    loads = page.loads_finished
    assert page.source_picker.set_source("sample")
    qtbot.waitUntil(lambda: page.loads_finished > loads, timeout=30000)
    listing = page.listing
    assert listing.paths is None and listing.split_names == ("train", "val", "test")
    assert page.model.rowCount() == len(listing) > 1000
    assert listing.name(0) == "train #0" and page.class_filter.count() == len(listing.classes) + 1
    page.search.setText("test #12")
    qtbot.waitUntil(lambda: page.model.rowCount() < len(listing), timeout=3000)
    assert {listing.split_name(page.model.image_index(r)) for r in range(page.model.rowCount())} == {"test"}
