"""The Lab's run panels: a tiny trained run's first filters replayed, and why convolution.

The run comes from tests/core/runfactory.py (a small conv net trained briefly on bars),
placed in the ``runs/`` folder beside a saved project file, as the studio keeps them.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from studio.core.project.project_file import save_project
from studio.core.runs.history import runs_dir_for
from tests.helpers.runfactory import make_run


@pytest.fixture(scope="module")
def project_with_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    root = tmp_path_factory.mktemp("labproject")
    made = make_run(root, steps=40)
    project_path = root / "bars.json"
    runs = runs_dir_for(project_path)
    runs.mkdir()
    shutil.move(str(made.path), str(runs / "run-1"))
    made.path = runs / "run-1"
    save_project(made.project, project_path)
    return project_path, made


@pytest.fixture
def lab_page(qtbot: Any, tmp_path: Path, project_with_run: tuple[Path, Any]) -> Any:
    from studio.gui.lab.page import LabPage
    from tests.helpers.gui_evaluation import context_for

    context = context_for(project_with_run[0], tmp_path / "settings.ini")
    qtbot.addWidget(context.window)
    page = LabPage(context)
    qtbot.addWidget(page)
    page.resize(1280, 760)
    page.show()
    qtbot.waitUntil(lambda: page.samples is not None)
    page.page_activated()
    return page


def test_filters_of_a_run_become_kernels_and_replay(
    lab_page: Any, qtbot: Any, project_with_run: tuple[Path, Any]
) -> None:
    from studio.core.runs.run_folder import load_trained_model

    made = project_with_run[1]
    panel = lab_page.filters
    assert panel.run_combo.count() == 1
    panel.load_button.click()
    qtbot.waitUntil(lambda: panel.filters is not None, timeout=60000)
    assert panel.filters.weights.shape == (8, 1, 3, 3)
    assert len(panel.tiles) == 8
    # the maps are the first layer's own output on the current image (as the Explain tab shows it)
    model, _ = load_trained_model(made.path)
    x = torch.from_numpy(panel.network_input()).float()[None]
    with torch.no_grad():
        expected = model[0](x)[0].numpy()
    np.testing.assert_allclose(panel.maps(), expected, rtol=1e-4, atol=1e-4)
    # replay filter 3 step by step: the convolution panel takes its kernel, bias and settings
    panel.filter_spin.setValue(3)
    panel.replay_button.click()
    conv = lab_page.conv
    assert lab_page.tabs.currentWidget() is conv
    np.testing.assert_allclose(conv.kernel, panel.filters.weights[2])
    assert conv.bias == pytest.approx(float(panel.filters.bias[2]))
    assert conv.padding.currentText() == "1"
    np.testing.assert_allclose(conv.output_view.grid.values, expected[2], rtol=1e-4, atol=1e-4)
    conv.go_to(30)
    step = conv.lab.step(30)
    assert step.total == pytest.approx(float(expected[2][divmod(30, expected.shape[2])]), abs=1e-4)
    assert "+ bias" in conv.sum_label.text()


def test_no_project_means_no_runs_and_a_hint(main_window: Any) -> None:
    page = main_window.show_page("Lab")
    page.filters.refresh()
    assert page.filters.run_combo.count() == 0
    assert not page.filters.load_button.isEnabled()
    assert "No trained runs yet" in page.filters.status.text()


def test_why_convolution_plots_accuracy_against_shift(
    lab_page: Any, qtbot: Any, project_with_run: tuple[Path, Any]
) -> None:
    from studio.core.evaluation.lab_runs import ShiftEvaluator

    panel = lab_page.shift
    assert panel.combos[0].count() == 1
    panel.evaluate_button.click()
    qtbot.waitUntil(lambda: bool(panel.evaluators), timeout=120000)
    xs, ys = panel.lines[0].getData()
    assert list(xs) == panel.shifts
    reference = ShiftEvaluator(project_with_run[1].path, limit=500)
    assert list(ys) == pytest.approx([reference.accuracy(s) for s in panel.shifts])
    panel.slider.setValue(4)
    assert panel.shift_line.value() == 4
    assert "+4 px" in panel.shift_label.text()
    assert len(panel.example_widgets) == 8  # four images, each with its predictions


def test_project_images_come_from_the_projects_dataset(
    lab_page: Any, qtbot: Any, project_with_run: tuple[Path, Any]
) -> None:
    from studio.core.evaluation.lab import load_numbers

    made = project_with_run[1]
    lab_page.dataset_button.click()
    qtbot.waitUntil(lambda: bool(lab_page.project_images), timeout=60000)
    names = [lab_page.image_combo.itemText(i) for i in range(lab_page.image_combo.count())]
    dataset_items = [n for n in names if n.startswith("dataset ")]
    assert len(dataset_items) == 16
    assert {"diagonal", "horizontal", "vertical"} <= {
        n.split(": ", 1)[1].split(" ")[0] for n in dataset_items
    }
    # the shown image is the file's own pixel numbers
    assert lab_page.image_combo.currentText().startswith("dataset 1: ")
    shown = lab_page.image_combo.currentText().split("(")[1].rstrip(")")
    path = next(Path(made.project.data.root).rglob(shown))
    np.testing.assert_array_equal(lab_page.pixels, load_numbers(path))
