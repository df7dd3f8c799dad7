"""A project owns its runs in the window, and every page shows the open project only.

* the journey template -> train -> Save -> close -> reopen shows the run on Train and Evaluate;
* opening project B after producing state on every page for project A (in the same folder)
  leaves none of A's state anywhere;
* File > Import Run refuses a run whose network does not fit and attaches one that does;
* closing the window while thumbnails, a dataset and an evaluation load prints no error.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog

from studio.core.project.project_file import Project, save_project
from studio.core.runs.project_runs import project_runs_dir, read_run_info
from studio.gui.datasets.health_panel import INTRO
from tests.helpers.gui_evaluation import TrainedProject, copy_project, evaluate, project_dict, trained_project
from tests.helpers.waiting import settle

RUN_TIMEOUT = 120_000


@pytest.fixture(scope="module")
def trained() -> TrainedProject:
    return trained_project()


def _save_dialog(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(path), "")))


def test_template_train_save_close_reopen_shows_the_run(
    qtbot: Any, main_window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CNN_STUDIO_THREADS", "1")
    window = main_window
    assert window.files.new_from_template("sample-cnn", ask=False)
    window.ctx.push(window.ctx.document.set_field("training", "epochs", 1))
    train = window.show_page("Train")
    workspace_runs = window.ctx.runs_dir()
    assert workspace_runs.is_relative_to(Path(os.environ["CNN_STUDIO_HOME"]))
    with qtbot.waitSignal(window.trainingFinished, timeout=RUN_TIMEOUT) as finished:
        run = train.start_training()
    assert Path(finished.args[0]) == run and run.parent == workspace_runs
    qtbot.waitUntil(lambda: train.job is None, timeout=10_000)
    assert [r.path for r in train.runs.rows] == [run]
    # the log follows the new run: its last line is on screen
    bar = train.log.verticalScrollBar()
    assert bar.value() == bar.maximum()

    target = tmp_path / "clothes.json"
    _save_dialog(monkeypatch, target)
    assert window.files.save()
    moved = project_runs_dir(target) / run.name
    assert moved.is_dir() and not run.exists()
    assert [r.path for r in train.runs.rows] == [moved]
    evaluate_page = window.show_page("Evaluate")
    assert evaluate_page.run_dir() == moved
    window.close()

    from studio.app import create_main_window

    again = create_main_window(str(target))
    qtbot.addWidget(again)
    try:
        train2 = again.show_page("Train")
        assert train2.runs.tree.objectName() == "runList"
        assert [r.path for r in train2.runs.rows] == [moved]
        assert train2.runs.tree.topLevelItem(0).text(0) == read_run_info(moved)["name"]
        assert again.show_page("Evaluate").run_dir() == moved
    finally:
        again.ctx.document.reset(again.ctx.document.project)
        again.close()


def _other_project(folder: Path, data_root: Path) -> Path:
    raw = project_dict(data_root)
    raw["name"] = "Other bars"
    path = folder / "other.json"
    save_project(Project.from_dict(raw), path)
    return path


def test_opening_another_project_leaves_none_of_the_first_ones_state(
    qtbot: Any, main_window: Any, trained: TrainedProject, tmp_path: Path
) -> None:
    window = main_window
    a = copy_project(trained, tmp_path / "both")
    b = _other_project(tmp_path / "both", trained.root / "data")  # same folder, same data
    assert window.files.open_path(a, ask=False)
    (run,) = [r.path for r in window.page("Train").runs.rows]

    # Train: the run's curves overlaid, a line in the log
    train = window.show_page("Train")
    train.runs.select([run])
    qtbot.waitUntil(lambda: bool(train.plots.overlay_labels))
    train.log.appendPlainText("a line about Bars ten")
    train.banner.show_message("a warning of Bars ten", "warning")
    # Data: a listing, a health report, a failed download's message
    data = window.show_page("Data")
    qtbot.waitUntil(lambda: data.loads_finished >= 1 and data.model.rowCount() > 0, timeout=30_000)
    data.health.run_scan()
    qtbot.waitUntil(lambda: data.health.report is not None, timeout=30_000)
    data.source_picker._download_failed("could not download mnist: the network is unreachable. failed")
    assert data.source_picker.download_status.isVisibleTo(data)
    # Evaluate: results, galleries and an explanation with its captions
    page = window.show_page("Evaluate")
    evaluate(qtbot, page)
    page.explain_file(str(trained.images[0]))
    qtbot.waitUntil(
        lambda: not page.explain_panel.busy and page.explain_panel.result is not None, timeout=30_000
    )
    assert page.explain_panel.cam_caption.text() != "Grad-CAM"
    assert page.results.mistakes.view.model().rowCount() > 0

    assert window.files.open_path(b, ask=False)

    assert train.runs.rows == [] and train.runs.tree.topLevelItemCount() == 0
    assert train.plots.overlay_labels == [] and train.log.toPlainText() == ""
    assert train.banner.isHidden() and train.otherRun.isHidden()
    assert not data.source_picker.download_status.isVisibleTo(data)
    assert data.source_picker.download_status.text() == ""
    assert data.health.report is None and data.health.tree.topLevelItemCount() == 0
    assert data.health.summary.text() == INTRO
    assert data.banner_box.isHidden()
    assert page.result is None and page.summary.text() == "Not evaluated yet."
    assert page.run_dir() is None and page.results.mistakes.view.model().rowCount() == 0
    panel = page.explain_panel
    assert panel.result is None and panel.image is None and panel.cam_caption.text() == "Grad-CAM"
    assert panel.source.text() == "No image chosen" and not panel.message.isVisible()
    # and back: A's run is listed again, B never saw it
    assert window.files.open_path(a, ask=False)
    assert [r.path for r in train.runs.rows] == [run]


def test_import_run_checks_the_network(
    qtbot: Any, main_window: Any, trained: TrainedProject, tmp_path: Path, dialogs: Any
) -> None:
    window = main_window
    other = _other_project(tmp_path, trained.root / "data")
    assert window.files.open_path(other, ask=False)
    placed = window.files.import_run_path(trained.run_dir)
    assert placed is not None and placed.parent == project_runs_dir(other) and trained.run_dir.exists()
    assert [r.path for r in window.page("Train").runs.rows] == [placed]
    assert window.page("Evaluate").run_dir() == placed

    raw = project_dict(trained.root / "data")
    raw["model"]["layers"][0]["out_channels"] = 4
    misfit = tmp_path / "misfit.json"
    save_project(Project.from_dict(raw), misfit)
    assert window.files.open_path(misfit, ask=False)
    assert window.files.import_run_path(trained.run_dir) is None
    kind, title, text = dialogs.calls[-1]
    assert title == "Cannot import the run" and "layer 0 differs" in text
    assert window.page("Train").runs.rows == []


def test_older_runs_of_a_project_are_offered(
    qtbot: Any, main_window: Any, trained: TrainedProject, tmp_path: Path
) -> None:
    import shutil

    folder = tmp_path / "old"
    folder.mkdir()
    project = folder / "bars.json"
    shutil.copy2(trained.project_path, project)
    old = folder / "runs" / trained.run_dir.name
    shutil.copytree(trained.run_dir, old)  # where the older version put it
    window = main_window
    assert window.files.open_path(project, ask=False)
    assert window.info_bar.isVisible() and "1 run(s)" in window.info_bar.label.text()
    window.info_bar._buttons[0].click()
    assert not old.exists()
    assert [r.path for r in window.page("Train").runs.rows] == [project_runs_dir(project) / old.name]


SHUTDOWN = textwrap.dedent("""
    import sys, time
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    app = QApplication(sys.argv)
    from studio.app import create_main_window
    window = create_main_window(sys.argv[1])
    window.resize(1280, 800)
    window.show()
    data = window.show_page("Data")
    deadline = time.monotonic() + 60
    while data.loader.decoded == 0 and time.monotonic() < deadline:
        app.processEvents()
    assert data.loader.decoded > 0, "no thumbnail decoded"
    window.show_page("Train")              # starts importing torch in the background
    evaluate = window.show_page("Evaluate")
    data.loader.clear()
    window.show_page("Data")
    app.processEvents()                    # thumbnails requested again
    import numpy as np

    def slow_thumbnail():                  # big photos: each takes a while to decode
        time.sleep(0.2)
        return np.zeros((8, 8, 3), np.uint8)

    for i in range(20):
        data.loader.request(("big photo", i), slow_thumbnail)
    evaluate.evaluate()                    # an evaluation loads
    import studio.core.data.browse as browse
    real_load = browse.load_base

    def slow_load(*args, **kwargs):        # a big folder on a slow disk: longer than the close waits
        progress = args[2] if len(args) > 2 else kwargs.get("progress")
        for i in range(40):
            time.sleep(0.1)                 # (a directory scan does not look at cancel either)
            progress("listing files", i / 40)
        return real_load(*args, **kwargs)

    browse.load_base = slow_load
    data.reload(force=True)                # a dataset loads
    print("busy", evaluate.busy, data.load_task is not None, bool(data.loader.pending_keys()), flush=True)
    window.close()
    QTimer.singleShot(0, app.quit)
    app.exec()
    print("closed", flush=True)
""")


def test_closing_while_pages_load_prints_no_error(trained: TrainedProject, tmp_path: Path) -> None:
    import shutil

    from tests.helpers.gui_evaluation import write_images

    write_images(tmp_path / "data", per_class=60, seed=1)  # enough thumbnails to still be decoding
    project = tmp_path / "p" / "bars.json"
    save_project(Project.from_dict(project_dict(tmp_path / "data")), project)
    shutil.copytree(trained.run_dir, project_runs_dir(project) / trained.run_dir.name)
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        CNN_STUDIO_HOME=str(tmp_path / "home"),
        HOME=str(tmp_path / "home"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        CNN_STUDIO_THREADS="1",
        PYTHONPATH=str(Path(__file__).resolve().parents[2]),
    )
    done = subprocess.run(
        [sys.executable, "-c", SHUTDOWN, str(project)], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "closed" in done.stdout and "busy True True True" in done.stdout, done.stdout
    for bad in ("Signal source has been deleted", "atexit", "Traceback", "QThread: Destroyed"):
        assert bad not in done.stderr, done.stderr[-3000:]


def test_a_thumbnail_loader_deleted_mid_decode_stays_silent(
    qtbot: Any, capfd: pytest.CaptureFixture[str]
) -> None:
    import threading

    import numpy as np
    import shiboken6

    from studio.gui.datasets.thumbnail_loader import ThumbnailLoader

    loader = ThumbnailLoader(None, size=8, threads=1)
    started, release = threading.Event(), threading.Event()

    def job() -> np.ndarray:
        started.set()
        release.wait(10)
        return np.zeros((8, 8, 3), np.uint8)

    loader.request("a", job)
    loader.request("b", job)
    assert started.wait(10)
    pool = loader._pool
    shiboken6.delete(loader)  # the page went away while a decode runs
    release.set()
    assert pool is not None
    qtbot.waitUntil(lambda: not loader._active, timeout=10_000)
    assert "Signal source has been deleted" not in capfd.readouterr().err


def test_a_task_whose_runner_is_gone_finishes_silently(qtbot: Any, capfd: pytest.CaptureFixture[str]) -> None:
    import gc
    import threading

    import shiboken6

    from studio.gui.common.tasks import TaskRunner, shutdown_all

    release = threading.Event()
    runner = TaskRunner(None)
    seen: list[Any] = []

    def work(progress: Any, cancelled: Any) -> int:
        release.wait(10)
        progress(1, 2, "half")
        return 1

    done = runner.start(work, on_finished=seen.append, on_progress=lambda *a: seen.append(a)).done
    shiboken6.delete(runner)
    del runner
    gc.collect()
    release.set()
    assert done.wait(10) and shutdown_all(5000)
    settle()  # deliver anything queued (nothing may arrive)
    assert seen == []
    assert "Signal source has been deleted" not in capfd.readouterr().err


def test_older_runs_of_recent_projects_are_offered_at_start_up(
    qtbot: Any, main_window: Any, trained: TrainedProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    project = tmp_path / "bars.json"
    shutil.copy2(trained.project_path, project)
    old = Path(os.environ["CNN_STUDIO_HOME"]) / "runs" / trained.run_dir.name  # an unsaved project's run
    shutil.copytree(trained.run_dir, old)
    main_window.files.add_recent(project)

    from studio.app import create_main_window

    window = create_main_window()
    qtbot.addWidget(window)
    assert window.showing_start_page() and "1 run(s)" in window.info_bar.label.text()
    assert "bars.json" in window.info_bar.label.text()
    window.info_bar._buttons[0].click()
    assert not old.exists() and (project_runs_dir(project) / old.name).is_dir()
    window.close()


def test_a_run_keeps_going_as_its_projects_while_another_is_open(
    qtbot: Any, main_window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import studio.gui.training.run_list as run_list
    from tests.helpers.gui_training import tiny_project, write_fashion_mnist

    monkeypatch.setenv("CNN_STUDIO_THREADS", "1")
    root = write_fashion_mnist(tmp_path / "data")
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    save_project(tiny_project(root, epochs=60), a)
    other = tiny_project(root)
    other.name = "Other"
    save_project(other, b)
    reads: list[Path] = []
    real_rows = run_list.run_rows
    monkeypatch.setattr(run_list, "run_rows", lambda base: reads.append(base) or real_rows(base))

    window = main_window
    assert window.files.open_path(a, ask=False)
    train = window.show_page("Train")
    run = train.start_training()
    qtbot.waitUntil(
        lambda: any(r.path == run and r.epochs_done >= 1 for r in train.runs.rows), timeout=60_000
    )
    before = len(reads)
    qtbot.waitUntil(lambda: train.runs.row_for(run).epochs_done >= 3, timeout=60_000)
    assert len(reads) == before  # the running row followed the epoch events, no folder re-read
    assert train.runs.tree.topLevelItem(0).text(4).startswith(f"{train.runs.row_for(run).epochs_done}/60")

    assert window.files.open_path(b, ask=False)
    assert train.is_running() and train.runs.rows == [] and train.log.toPlainText() == ""
    assert train.otherRun.isVisibleTo(train) and "Tiny" in train.otherRun.text()
    qtbot.waitUntil(lambda: "epoch" in train.otherRun.text(), timeout=60_000)
    assert not train.trainButton.isEnabled() and train.stopButton.isEnabled()
    assert train.plots.lossPlot.point_count("batch") == 0  # its batches no longer draw here
    with qtbot.waitSignal(window.trainingFinished, timeout=60_000) as finished:
        train.stop()
    assert Path(finished.args[0]) == run
    qtbot.waitUntil(lambda: train.job is None, timeout=10_000)
    assert train.otherRun.isHidden() and train.runs.rows == [] and train.log.toPlainText() == ""
    assert window.files.open_path(a, ask=False)
    assert [(r.path, r.status) for r in train.runs.rows] == [(run, "stopped")]


def test_a_run_training_when_its_project_is_first_saved_follows_it(
    qtbot: Any, main_window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.helpers.gui_training import tiny_project, write_fashion_mnist

    monkeypatch.setenv("CNN_STUDIO_THREADS", "1")
    window = main_window
    window.ctx.replace_project(tiny_project(write_fashion_mnist(tmp_path / "data"), epochs=60), None)
    train = window.show_page("Train")
    run = train.start_training()
    qtbot.waitUntil(
        lambda: any(r.path == run and r.epochs_done >= 1 for r in train.runs.rows), timeout=60_000
    )
    target = tmp_path / "tiny.json"
    _save_dialog(monkeypatch, target)
    assert window.files.save()
    assert train.is_running() and train.otherRun.isHidden()  # still this project's run
    with qtbot.waitSignal(window.trainingFinished, timeout=60_000) as finished:
        train.stop()
    moved = project_runs_dir(target) / run.name
    assert Path(finished.args[0]) == moved and not run.exists()
    qtbot.waitUntil(lambda: train.job is None, timeout=10_000)
    assert [(r.path, r.status) for r in train.runs.rows] == [(moved, "stopped")]
    assert window.page("Evaluate").run_dir() == moved
