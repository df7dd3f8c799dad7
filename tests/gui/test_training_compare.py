"""The Runs table sorts and shows differing settings; Compare lines runs up side by side."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.core.project.document import ProjectDocument
from studio.core.project.project_file import save_project
from studio.core.training.engine import train
from studio.gui.training.page import TrainPage
from tests.helpers.gui_training import make_context, tiny_project, write_fashion_mnist


@pytest.fixture(scope="module")
def data_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_fashion_mnist(tmp_path_factory.mktemp("data"), n_train=80, n_test=20)


def _page_with_two_runs(qtbot, tmp_path: Path, data_root: Path) -> TrainPage:  # type: ignore[no-untyped-def]
    save_project(tiny_project(data_root, epochs=1), tmp_path / "tiny.json")
    doc = ProjectDocument.open(tmp_path / "tiny.json")
    page = TrainPage(make_context(doc, tmp_path / "settings.ini"))
    qtbot.addWidget(page)
    for lr in (0.001, 0.05):
        project = tiny_project(data_root, epochs=1, lr=lr)
        train(project, page.runs_dir() / f"tiny-lr-{lr}")
    page.refresh_runs()
    return page


def test_the_runs_table_has_a_column_per_differing_setting_and_sorts_numbers(
    qtbot,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    data_root: Path,
) -> None:
    page = _page_with_two_runs(qtbot, tmp_path, data_root)
    tree = page.runs.tree
    headers = [tree.headerItem().text(i) for i in range(tree.columnCount())]
    assert headers[:6] == ["Run", "Status", "Best val", "Test", "Epochs", "Time"]
    assert headers[6:] == ["lr"] and page.runs.setting_keys == ["training.optimizer.lr"]
    tree.sortByColumn(6, tree.header().sortIndicatorOrder().AscendingOrder)
    assert [tree.topLevelItem(i).text(6) for i in range(2)] == ["0.001", "0.05"]
    tree.sortByColumn(6, tree.header().sortIndicatorOrder().DescendingOrder)
    assert [tree.topLevelItem(i).text(6) for i in range(2)] == ["0.05", "0.001"]
    assert not page.runs.compareButton.isEnabled()
    page.runs.select([r.path for r in page.runs.rows])
    assert page.runs.compareButton.isEnabled()


def test_compare_shows_settings_curves_and_both_confusion_matrices(
    qtbot,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    data_root: Path,
) -> None:
    page = _page_with_two_runs(qtbot, tmp_path, data_root)
    paths = [r.path for r in page.runs.rows]
    dialog = page.compare_runs(paths)
    assert dialog is not None
    assert dialog.keys == ["training.optimizer.lr"]
    lr_row = 5  # after the five fixed rows
    assert sorted(dialog.settings.item(lr_row, c).text() for c in range(2)) == ["0.001", "0.05"]
    assert dialog.curves_drawn == 2
    qtbot.waitUntil(lambda: len(dialog.matrices) == 2, timeout=120_000)
    for path in paths:
        matrix = dialog.matrices[path]
        assert matrix is not None and int(matrix.sum()) > 0
    dialog.close()
    assert page.compare_runs(paths[:1]) is None  # one run is nothing to compare
