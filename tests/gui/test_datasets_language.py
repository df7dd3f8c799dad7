"""The Data page in another language: texts with numbers follow a language switch, data values do not."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

from studio.gui.common.i18n import notifier
from studio.gui.datasets.page import DataPage
from tests.helpers.gui_datasets import folder_project, open_data_page, write_folder

# a stand-in catalogue (the real Korean one is generated from every area's texts)
FAKE = {
    "%1 images": "이미지 %1장",
    "%1 classes, %2 images": "클래스 %1개, 이미지 %2장",
    "All splits": "모든 분할",
    "train": "학습",
    "val": "검증",
}


class FakeTranslator(QTranslator):
    """Translates the texts of :data:`FAKE`, whatever their context."""

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:  # noqa: D102
        return FAKE.get(source, "")

    def isEmpty(self) -> bool:  # noqa: N802, D102 - Qt API
        return False


@pytest.fixture
def page(qtbot, tmp_path: Path) -> DataPage:
    page = open_data_page(qtbot, tmp_path, folder_project(write_folder(tmp_path / "data")))
    yield page
    page.shutdown()


def test_a_language_switch_rewrites_counts_and_split_names_but_not_their_values(page: DataPage) -> None:
    total = len(page.listing)
    assert page.count_label.text() == f"{total} images"
    splits_before = [page.split_filter.itemData(k) for k in range(page.split_filter.count())]
    translator = FakeTranslator()
    app = QCoreApplication.instance()
    app.installTranslator(translator)
    try:
        notifier().changed.emit("ko")
        assert page.count_label.text() == f"이미지 {total}장"
        assert page.class_panel.summary.text().startswith("클래스 ")
        labels = [page.split_filter.itemText(k) for k in range(page.split_filter.count())]
        assert labels[:3] == ["모든 분할", "학습", "검증"]
        # what the code compares stays English
        assert [page.split_filter.itemData(k) for k in range(page.split_filter.count())] == splits_before
    finally:
        app.removeTranslator(translator)
        notifier().changed.emit("en")
    assert page.count_label.text() == f"{total} images"
