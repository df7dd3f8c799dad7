"""The Evaluate page over a run trained for one epoch: run list, confusion matrix, cell gallery,
per-class table, mistakes, cancel, errors in place, a finished run offered, File > Export."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QSize, Qt

from studio.core.evaluation.evaluate import Evaluation, evaluate_run
from studio.core.evaluation.metrics import class_report, confusion_matrix
from studio.gui.evaluation.class_table import KEYS, VALUE_ROLE
from studio.gui.evaluation.confusion_view import COUNT_ROLE, PERCENT_ROLE, percent_text
from studio.gui.evaluation.gallery import SAMPLE_ROLE, TILE
from tests.helpers.gui_evaluation import (
    CLASSES,
    TrainedProject,
    copy_project,
    evaluate,
    open_page,
    trained_project,
)


@pytest.fixture(scope="module")
def trained() -> TrainedProject:
    return trained_project()


@pytest.fixture(scope="module")
def core_eval(trained: TrainedProject) -> Evaluation:
    """The core's own evaluation of the run (what the page must show)."""
    return evaluate_run(trained.run_dir, which="best", split="val")


@pytest.fixture
def page(qtbot: Any, trained: TrainedProject, tmp_path: Path) -> Any:
    return open_page(qtbot, trained.project_path, tmp_path / "settings.ini")


def _cell_centre(page: Any, row: int, column: int) -> Any:
    return page.matrix.visualRect(page.matrix.model().index(row, column)).center()


def test_page_lists_the_projects_runs_and_only_trained_ones(
    qtbot: Any, trained: TrainedProject, tmp_path: Path
) -> None:
    project = copy_project(trained, tmp_path / "project")
    unfinished = project.parent / f"{project.stem}.runs" / "zz-no-checkpoint"
    (unfinished / "checkpoints").mkdir(parents=True)
    (unfinished / "project.json").write_text((trained.run_dir / "project.json").read_text())
    page = open_page(qtbot, project, tmp_path / "settings.ini")
    assert page.run_combo.objectName() == "runPicker"
    listed = [page.run_combo.itemData(i) for i in range(page.run_combo.count())]
    assert listed == [str(project.parent / f"{project.stem}.runs" / trained.run_dir.name)]
    assert "completed" in page.run_combo.currentText()
    assert page.evaluate_button.isEnabled() and page.export_button.isEnabled()


def test_a_project_without_runs_says_so_and_cannot_evaluate(
    qtbot: Any, trained: TrainedProject, tmp_path: Path, dialogs: Any
) -> None:
    lone = tmp_path / "lone"
    lone.mkdir()
    (lone / "p.json").write_bytes(trained.project_path.read_bytes())
    page = open_page(qtbot, lone / "p.json", tmp_path / "settings.ini")
    assert page.run_dir() is None and "no trained runs" in page.run_combo.currentText()
    assert not page.evaluate_button.isEnabled()
    page.evaluate()  # the shortcut path: a message in place, no dialog
    assert page.info.isVisible() and "Train page" in page.info.label.text()
    assert dialogs.calls == []


def test_evaluation_fills_the_matrix_with_the_cores_counts(
    qtbot: Any, page: Any, core_eval: Evaluation
) -> None:
    result = evaluate(qtbot, page)
    model = page.findChild(type(page.matrix), "confusionMatrix").model()
    k = len(CLASSES)
    assert (model.rowCount(), model.columnCount()) == (k, k)
    counts = np.array([[model.index(r, c).data(COUNT_ROLE) for c in range(k)] for r in range(k)])
    assert np.array_equal(counts, core_eval.confusion)
    assert counts.sum() == len(core_eval) > 0
    percents = np.array([[model.index(r, c).data(PERCENT_ROLE) for c in range(k)] for r in range(k)])
    assert np.allclose(percents, core_eval.row_percentages())
    r, c = np.argwhere(core_eval.confusion > 0)[0]
    assert model.index(r, c).data().split("\n") == [
        str(core_eval.confusion[r, c]),
        percent_text(core_eval.row_percentages()[r, c]),
    ]
    assert percent_text(0.5) == "0.5%" and percent_text(0.0) == "0%" and percent_text(84.6) == "85%"
    assert [model.headerData(i, Qt.Orientation.Horizontal) for i in range(k)] == CLASSES
    assert f"{100 * core_eval.accuracy:.1f}%" in page.summary.text()
    assert result.evaluation.checkpoint == "best" and result.evaluation.split == "val"


def test_clicking_a_cell_shows_exactly_its_images(qtbot: Any, page: Any, core_eval: Evaluation) -> None:
    evaluate(qtbot, page)
    wrong = np.argwhere((core_eval.confusion > 0) & ~np.eye(len(CLASSES), dtype=bool))
    right = np.argwhere(np.diag(np.diag(core_eval.confusion)) > 0)
    assert len(wrong) and len(right), "the tiny run should make some mistakes and get some right"
    gallery = page.cell_gallery
    for t, p in (wrong[0], right[0], wrong[-1]):
        qtbot.mouseClick(page.matrix.viewport(), Qt.MouseButton.LeftButton, pos=_cell_centre(page, t, p))
        assert page.side_tabs.currentWidget() is gallery
        samples = [gallery.model.index(i).data(SAMPLE_ROLE) for i in range(gallery.model.rowCount())]
        assert [s.index for s in samples] == core_eval.cell_indices(t, p).tolist()
        assert len(samples) == core_eval.confusion[t, p]
        assert all(s.true == t and s.predicted == p for s in samples)
        first = gallery.model.index(0).data()
        assert CLASSES[t] in first and CLASSES[p] in first and f"{100 * samples[0].confidence:.0f}%" in first
        assert f"{core_eval.confusion[t, p]} image" in gallery.title.text()
    # the thumbnails are the split's own pixels, scaled into a tile
    qtbot.waitUntil(lambda: gallery.model.thumbnail(0) is not None, timeout=10000)
    thumb = gallery.model.thumbnail(0)
    assert thumb.size() == QSize(TILE, TILE)  # 16x16 images enlarged 6x


def test_the_per_class_table_matches_the_core_metrics(qtbot: Any, page: Any, core_eval: Evaluation) -> None:
    evaluate(qtbot, page)
    expected = class_report(confusion_matrix(core_eval.labels, core_eval.predictions, len(CLASSES)), CLASSES)
    model = page.class_table.model
    assert model.rowCount() == len(CLASSES)
    for row in range(len(CLASSES)):
        values = {key: model.index(row, col).data(VALUE_ROLE) for col, key in enumerate(KEYS)}
        assert model.index(row, 0).data() == CLASSES[row]
        assert values["precision"] == pytest.approx(expected.precision[row])
        assert values["recall"] == pytest.approx(expected.recall[row])
        assert values["f1"] == pytest.approx(expected.f1[row])
        assert values["support"] == expected.support[row]
        assert values["predicted"] == expected.predicted[row]
    assert f"{expected.macro()['f1']:.3f}" in page.class_table.averages.text()
    # sorting by F1 orders the view, not the data
    page.class_table.view.sortByColumn(3, Qt.SortOrder.AscendingOrder)
    proxy = page.class_table.proxy
    shown = [proxy.index(r, 3).data(VALUE_ROLE) for r in range(proxy.rowCount())]
    assert shown == sorted(expected.f1.tolist())


def test_the_mistakes_gallery_lists_the_most_confident_mistakes(
    qtbot: Any, page: Any, core_eval: Evaluation
) -> None:
    evaluate(qtbot, page)
    model = page.mistakes.model
    samples = [model.index(i).data(SAMPLE_ROLE) for i in range(model.rowCount())]
    assert [s.index for s in samples] == [s.index for s in core_eval.mistakes()]
    assert samples and all(not s.correct for s in samples)
    confidences = [s.confidence for s in samples]
    assert confidences == sorted(confidences, reverse=True)
    # Grad-CAM overlays replace the plain thumbnails when asked
    page.side_tabs.setCurrentWidget(page.mistakes)
    qtbot.waitUntil(lambda: model.thumbnail(0) is not None, timeout=10000)
    plain = model.thumbnail(0)
    page.mistakes.cam_box.setChecked(True)
    assert model.thumbnail(0) is None
    qtbot.waitUntil(lambda: model.thumbnail(0) is not None, timeout=20000)
    assert model.thumbnail(0).size() == plain.size() and model.thumbnail(0) != plain


def test_cancel_stops_an_evaluation(qtbot: Any, page: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import studio.gui.evaluation.session as session  # the module whose job calls it

    real = session.evaluate_run
    started = threading.Event()

    def held(run_dir: Any, **kwargs: Any) -> Any:  # the real evaluation, once Cancel was pressed
        started.set()
        for _ in range(2000):
            if kwargs["cancel"]():
                break
            threading.Event().wait(0.01)
        return real(run_dir, **kwargs)

    monkeypatch.setattr(session, "evaluate_run", held)
    qtbot.mouseClick(page.evaluate_button, Qt.MouseButton.LeftButton)
    assert page.busy and page.progress_row.isVisible() and not page.evaluate_button.isEnabled()
    qtbot.waitUntil(started.is_set, timeout=30000)
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.busy, timeout=30000)
    assert page.result is None and page.matrix.model().rowCount() == 0
    assert not page.progress_row.isVisible() and page.evaluate_button.isEnabled()
    assert not page.info.isVisible()  # a cancel is not an error


def test_errors_are_shown_in_place(qtbot: Any, page: Any, dialogs: Any) -> None:
    page.split_combo.setCurrentIndex(page.split_combo.findData("test"))
    qtbot.mouseClick(page.evaluate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.busy, timeout=30000)
    assert page.result is None
    assert page.info.isVisible()
    text = page.info.label.text()
    assert "no test images" in text and "val" in text and "Traceback" not in text
    assert dialogs.calls == []


def test_a_finished_training_run_is_selected_and_offered(
    qtbot: Any, trained: TrainedProject, tmp_path: Path
) -> None:
    project = copy_project(trained, tmp_path / "project")
    page = open_page(qtbot, project, tmp_path / "settings.ini")
    import shutil

    newer = project.parent / f"{project.stem}.runs" / "zz-newer-run"
    shutil.copytree(trained.run_dir, newer)
    page.context.window.trainingFinished.emit(str(newer))
    assert page.run_dir() == newer and page.run_combo.count() == 2
    assert page.info.isVisible() and newer.name in page.info.label.text()
    offer = [b for b in page.info.buttons() if "Evaluate" in b.text()]
    assert offer
    qtbot.mouseClick(offer[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.busy, timeout=60000)
    assert page.result is not None and page.result.evaluation.run_dir == newer


def test_file_export_opens_the_pages_export_dialog(qtbot: Any, trained: TrainedProject) -> None:
    from studio.app import create_main_window

    window = create_main_window(str(trained.project_path))
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.actions_.export.trigger()
    page = window.page("Evaluate")
    assert window.current_page() is page
    dialog = page.export
    assert dialog is not None and dialog.isVisible() and dialog.objectName() == "exportDialog"
    assert trained.run_dir.name in dialog.run_label.text() and dialog.export_button.isEnabled()
    dialog.close()
    window.ctx.document.reset(window.ctx.document.project)


def test_the_report_button_writes_an_html_report_of_the_chosen_run(
    qtbot: Any, page: Any, tmp_path: Path, dialogs: Any
) -> None:
    assert not page.export_report()  # the save dialog was cancelled: nothing written
    assert dialogs.titles("getSaveFileName") == ["Save the run report"]
    out = tmp_path / "report.html"
    assert page.export_report(out)
    qtbot.waitUntil(
        lambda: page.info.isVisible() and "Wrote the report" in page.info.label.text(), timeout=120_000
    )
    text = out.read_text(encoding="utf-8")
    assert 'id="confusion"' in text and page.run_dir().name in text
    assert [b.text() for b in page.info.buttons()] == ["Open it"]
