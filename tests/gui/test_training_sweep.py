"""Train page > New sweep…: the form as --param texts, trials as runs, the parallel plot."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.core.project.document import ProjectDocument
from studio.core.project.project_file import save_project
from studio.gui.training.page import TrainPage
from tests.helpers.gui_training import make_context, tiny_project, write_fashion_mnist


@pytest.fixture(scope="module")
def data_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_fashion_mnist(tmp_path_factory.mktemp("data"), n_train=80, n_test=20)


def _page(qtbot, tmp_path: Path, data_root: Path) -> TrainPage:  # type: ignore[no-untyped-def]
    save_project(tiny_project(data_root, epochs=1), tmp_path / "tiny.json")
    doc = ProjectDocument.open(tmp_path / "tiny.json")
    page = TrainPage(make_context(doc, tmp_path / "settings.ini"))
    qtbot.addWidget(page)
    return page


def test_the_form_becomes_sweep_params_and_bad_values_are_refused(
    qtbot, tmp_path: Path, data_root: Path
) -> None:  # type: ignore[no-untyped-def]
    dialog = _page(qtbot, tmp_path, data_root).new_sweep()
    dialog.batchCheck.setChecked(True)
    dialog.extra.setPlainText("model.layers[0].out_channels=2:8:int\n")
    assert dialog.param_texts() == [
        "training.optimizer.lr=1e-4:1e-1:log",
        "training.batch_size=32,64,128",
        "model.layers[0].out_channels=2:8:int",
    ]
    dialog.lrLow.setText("0.5")
    assert not dialog.start()
    assert "LOW must be below HIGH" in dialog.status.text()
    dialog.lrCheck.setChecked(False)
    dialog.batchCheck.setChecked(False)
    dialog.extra.setPlainText("")
    assert not dialog.start() and "at least one setting" in dialog.status.text()
    dialog.close()


def test_a_sweep_fills_the_table_and_its_trials_are_runs(qtbot, tmp_path: Path, data_root: Path) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, tmp_path, data_root)
    dialog = page.new_sweep()
    dialog.trials.setValue(2)
    dialog.epochs.setValue(1)
    dialog.prune.setChecked(False)
    assert dialog.start()
    qtbot.waitUntil(lambda: dialog.result is not None or dialog.startButton.isEnabled(), timeout=240_000)
    assert dialog.result is not None, dialog.status.text()
    assert dialog.table.rowCount() == 2
    assert [t.state for t in dialog.result.trials] == ["COMPLETE", "COMPLETE"]
    for t in dialog.result.trials:
        assert Path(t.run).parent == Path(page.runs_dir()).resolve()
        assert (Path(t.run) / "metrics.jsonl").exists()
    assert dialog.plot.isVisibleTo(dialog) and dialog.draw_parallel(dialog.result) == 2
    assert "2 trials in the study" in dialog.status.text()
    dialog.close()
