"""The health report on the Data page: findings, progress, cancel, quarantine and its undo."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from studio.core.data.folder import QUARANTINE_DIR
from studio.gui.datasets.health_panel import PathRole
from studio.gui.datasets.page import DataPage
from tests.helpers.gui_datasets import BROKEN, CLASSES, folder_project, open_data_page, write_folder


@pytest.fixture
def page(qtbot, tmp_path: Path) -> DataPage:
    page = open_data_page(qtbot, tmp_path, folder_project(write_folder(tmp_path / "데이터")))
    page.tabs.setCurrentWidget(page.health)
    yield page
    page.shutdown()


def _files(page: DataPage) -> dict[str, tuple[str, Qt.CheckState]]:
    out = {}
    for item, path in page.health.file_items:
        assert item.data(0, PathRole) == path
        out[Path(path).name] = (item.parent().text(0), item.checkState(0))
    return out


def _scan(page: DataPage, qtbot) -> None:
    before = page.health.scans_finished
    page.health.run_button.click()
    qtbot.waitUntil(lambda: page.health.scans_finished > before, timeout=30000)


def test_health_report_lists_the_findings(page: DataPage, qtbot) -> None:
    _scan(page, qtbot)
    files = _files(page)
    for name in BROKEN:
        assert files[name][0].startswith("Unreadable") and files[name][1] == Qt.CheckState.Checked
    assert files["folder.png"][0].startswith("Unreadable")  # a folder named like an image
    assert files["사진_00 복사본.png"][0].startswith("Exact duplicates")  # the copy, not the original
    assert "사진_00.png" not in files
    assert files["tiny.png"][0].startswith("Tiny") and files["tiny.png"][1] == Qt.CheckState.Unchecked
    tops = [page.health.tree.topLevelItem(k).text(0) for k in range(page.health.tree.topLevelItemCount())]
    assert "Image modes (mixed)" in tops
    assert "unreadable" in page.health.summary.text()
    assert page.health.quarantine_button.isEnabled()


def test_quarantine_moves_checked_files_and_undo_puts_them_back(page: DataPage, qtbot) -> None:
    root = Path(page.binding.data.root)
    rows_before = page.model.rowCount()
    _scan(page, qtbot)
    moved = sorted(page.health.checked_paths())
    assert len(moved) == 5  # three broken files, the folder named like an image, the duplicate
    stack = page.context.undo_stack
    loads = page.loads_finished
    assert page.health.quarantine_checked()
    assert stack.count() == 1 and "quarantine" in stack.undoText()
    assert not any(Path(p).exists() for p in moved)
    quarantined = sorted(p.name for p in (root / QUARANTINE_DIR).rglob("*") if p.parent.name in CLASSES)
    assert sorted(Path(p).name for p in moved) == quarantined  # moved, never deleted
    qtbot.waitUntil(lambda: page.loads_finished > loads, timeout=20000)
    assert page.model.rowCount() == rows_before - 4  # the folder was never a row
    assert not page.health.quarantine_button.isEnabled()  # the old report is gone
    loads = page.loads_finished
    stack.undo()
    assert all(Path(p).exists() for p in moved)
    assert not (root / QUARANTINE_DIR).exists()
    qtbot.waitUntil(lambda: page.loads_finished > loads, timeout=20000)
    assert page.model.rowCount() == rows_before
    stack.redo()
    assert not any(Path(p).exists() for p in moved)
    stack.undo()
    assert all(Path(p).exists() for p in moved)


def test_unchecking_keeps_a_file_and_cancel_stops_the_scan(page: DataPage, qtbot, monkeypatch) -> None:
    _scan(page, qtbot)
    tree = page.health.tree
    dup_group = next(
        tree.topLevelItem(k)
        for k in range(tree.topLevelItemCount())
        if tree.topLevelItem(k).text(0).startswith("Exact")
    )
    dup_group.child(0).setCheckState(0, Qt.CheckState.Unchecked)
    assert all(Path(p).name != "사진_00 복사본.png" for p in page.health.checked_paths())

    import threading

    import studio.core.data.health as health

    started = threading.Event()

    def slow_scan(project, progress=None, cancel=None):
        started.set()
        while not cancel():
            progress("checking images", 0.5)
            threading.Event().wait(0.01)
        from studio.core.data.errors import DataCancelled

        raise DataCancelled("cancelled the dataset check")

    monkeypatch.setattr(health, "scan_health", slow_scan)
    before = page.health.scans_finished
    page.health.run_button.click()
    assert started.wait(10)
    qtbot.waitUntil(lambda: page.health.progress.maximum() == 1000, timeout=5000)
    page.health.cancel_button.click()
    qtbot.waitUntil(lambda: page.health.scans_finished > before, timeout=10000)
    assert "cancelled" in page.health.summary.text()
    assert page.health.run_button.isEnabled() and page.health.tree.topLevelItemCount() == 0


def test_clicking_a_finding_shows_the_file_in_the_grid(page: DataPage, qtbot) -> None:
    _scan(page, qtbot)
    page.search.setText("사진_01")
    qtbot.waitUntil(lambda: page.model.rowCount() < len(page.listing), timeout=3000)
    item, path = next((i, p) for i, p in page.health.file_items if Path(p).name == BROKEN[1])
    page.health.tree.setCurrentItem(item)
    current = page.grid.currentIndex()
    assert page.listing.path(page.model.image_index(current.row())) == path
    assert page.search.text() == "" and page.model.rowCount() == len(page.listing)
    qtbot.waitUntil(lambda: "empty" in page.detail.info_label.text(), timeout=10000)


def test_cache_status_and_clear_cache(page: DataPage, qtbot) -> None:
    from studio.core.data.datasets import load_data
    from studio.core.data.decode_cache import cache_info

    _scan(page, qtbot)
    assert "not built yet" in page.health.cache_label.text()
    load_data(page.context.document.project)  # a training run would decode the folder once
    assert cache_info().bytes > 0
    _scan(page, qtbot)
    assert "images ready" in page.health.cache_label.text()
    before = page.health.caches_cleared
    page.health.cache_button.click()
    qtbot.waitUntil(lambda: page.health.caches_cleared > before, timeout=30000)
    assert "Cleared the decoded-image cache" in page.health.cache_label.text()
    assert cache_info().bytes == 0
