"""The Train page end to end on a tiny generated dataset: train, pause, resume, stop, close,
fail, resume an interrupted run, fork, and overlay runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QProgressBar, QPushButton

from studio.core.base.wording import in_gui_words
from studio.core.project.document import ProjectDocument
from studio.core.project.project_file import save_project
from studio.core.runs.history import run_label
from studio.core.runs.run_folder import read_run
from studio.gui.training.page import TrainPage
from tests.helpers.gui_training import make_context, tiny_project, write_fashion_mnist

RUN_TIMEOUT = 60_000


@pytest.fixture(scope="module")
def data_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_fashion_mnist(tmp_path_factory.mktemp("data"))


@pytest.fixture(autouse=True)
def user_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CNN_STUDIO_HOME", str(tmp_path / "home"))


def make_page(qtbot, tmp_path: Path, project) -> TrainPage:
    save_project(project, tmp_path / "tiny.json")
    doc = ProjectDocument.open(tmp_path / "tiny.json")
    context = make_context(doc, tmp_path / "settings.ini")
    page = TrainPage(context)
    qtbot.addWidget(context.window)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    return page


def finish(qtbot, page: TrainPage) -> str:
    """Wait for the running run's trainingFinished; returns its run folder."""
    with qtbot.waitSignal(page.context.window.trainingFinished, timeout=RUN_TIMEOUT) as blocker:
        pass
    qtbot.waitUntil(lambda: not page.is_running() and page.job is None, timeout=5000)
    return blocker.args[0]


def test_objects_named_in_the_spec(qtbot, tmp_path: Path, data_root: Path) -> None:
    page = make_page(qtbot, tmp_path, tiny_project(data_root))
    for name in ("trainButton", "pauseButton", "stopButton"):
        assert isinstance(page.findChild(QPushButton, name), QPushButton)
    assert isinstance(page.findChild(QProgressBar, "epochProgress"), QProgressBar)
    assert (
        page.trainButton.isEnabled() and not page.pauseButton.isEnabled() and not page.stopButton.isEnabled()
    )


def test_train_to_the_end(qtbot, tmp_path: Path, data_root: Path) -> None:
    page = make_page(qtbot, tmp_path, tiny_project(data_root, epochs=2))
    before = page.document.project.to_dict()
    page.trainButton.click()
    assert page.is_running() and not page.trainButton.isEnabled() and page.stopButton.isEnabled()
    run_dir = finish(qtbot, page)
    assert Path(run_dir).parent == tmp_path / "tiny.runs"
    info = read_run(run_dir)
    assert info.status == "completed" and len(info.epochs) == 2
    assert page.document.project.to_dict() == before  # trained a snapshot, edited nothing
    # the plots got every batch and both epochs; the bars are full
    batches = info.epochs[0].get("images_per_second") and 20  # 160 train images / batch 8
    assert page.lossPlot.point_count("batch") == 2 * batches
    assert page.lossPlot.point_count("val") == 2 and page.accuracyPlot.point_count("val") == 2
    x, y = page.lossPlot.lines["val"].curve.getOriginalDataset()
    assert list(x) == [1, 2] and y[1] == pytest.approx(info.epochs[1]["val_loss"])
    assert page.epochProgress.value() == page.epochProgress.maximum() == 2
    assert "Run completed" in page.log.toPlainText()
    assert page.trainButton.isEnabled() and not page.stopButton.isEnabled()
    assert page.runs.rows[0].status == "completed" and page.runs.rows[0].path == Path(run_dir)


def test_pause_resume_stop_then_resume_the_run(qtbot, tmp_path: Path, data_root: Path) -> None:
    page = make_page(qtbot, tmp_path, tiny_project(data_root, epochs=2, batch_size=2))  # 80 batches/epoch
    page.start_training()
    job = page.job
    qtbot.waitUntil(lambda: job.batches_seen >= 3, timeout=RUN_TIMEOUT)
    with qtbot.waitSignal(job.worker.state, timeout=5000, check_params_cb=lambda s: s == "paused"):
        page.pauseButton.click()
    assert page.pauseButton.text() == "Resume"
    assert page.runs.shown_status(job.run_dir) == "paused"  # listed as paused, not running
    held = job.batches_seen
    qtbot.wait(300)  # an observation window while paused, not a wait for a result
    assert job.batches_seen == held  # nothing trains while paused
    with qtbot.waitSignal(job.worker.state, timeout=5000, check_params_cb=lambda s: s == "running"):
        page.pauseButton.click()
    assert page.runs.shown_status(job.run_dir) == "running"
    qtbot.waitUntil(lambda: job.batches_seen > held + 2, timeout=RUN_TIMEOUT)
    page.stopButton.click()
    run_dir = Path(finish(qtbot, page))
    stopped = job.batches_seen
    assert stopped < 160
    info = read_run(run_dir)
    assert info.status == "stopped"
    assert (run_dir / "checkpoints" / "last.pt").is_file()
    row = page.runs.row_for(run_dir)
    assert row is not None and row.resumable

    # a killed run has no end event at all: it shows as interrupted, and resumes the same way
    metrics = run_dir / "metrics.jsonl"
    lines = metrics.read_text().splitlines(keepends=True)
    assert json.loads(lines[-1])["event"] == "end"
    metrics.write_text("".join(lines[:-1]))
    page.refresh_runs()
    assert page.runs.row_for(run_dir).status == "interrupted" and page.runs.row_for(run_dir).resumable

    page.runs.select([run_dir])
    assert page.runs.resumeButton.isEnabled()
    page.runs.resumeButton.click()
    assert page.is_running()
    resumed = Path(finish(qtbot, page))
    assert resumed == run_dir
    info = read_run(run_dir)
    assert info.status == "completed"
    assert [e["epoch"] for e in info.epochs] == [1, 2]
    assert page.job is None and page.runs.row_for(run_dir).status == "completed"


def test_a_failing_run_is_marked_failed_and_the_page_keeps_working(
    qtbot, tmp_path: Path, data_root: Path
) -> None:
    page = make_page(qtbot, tmp_path, tiny_project(tmp_path / "nowhere"))
    page.start_training()
    run_dir = Path(finish(qtbot, page))
    info = read_run(run_dir)
    assert info.status == "failed"
    message = info.end["message"]
    assert "FashionMNIST" in message and "nowhere" in message
    # the banner says it in the GUI's words: the control, not the project-file field
    assert not page.banner.isHidden() and in_gui_words(message) in page.banner.text
    assert "data.root" not in page.banner.text and "the dataset folder (Data page)" in page.banner.text
    assert message in page.log.toPlainText()
    assert page.runs.row_for(run_dir).status == "failed"
    # fix the data root (an undoable edit) and train again: the app kept working
    page.context.push(page.document.set_field("data", "root", str(data_root)))
    page.start_training()
    assert page.banner.isHidden()
    assert read_run(finish(qtbot, page)).status == "completed"


def test_a_nan_loss_fails_the_run_with_advice(qtbot, tmp_path: Path, data_root: Path) -> None:
    layers = [
        {"type": "Flatten"},
        {"type": "Linear", "out_features": 64},
        {"type": "ReLU"},
        {"type": "Linear", "out_features": 10},
    ]
    project = tiny_project(data_root, epochs=1, lr=10.0, layers=layers)
    project.training.optimizer = {"type": "SGD", "lr": 10.0, "momentum": 0.99}
    page = make_page(qtbot, tmp_path, project)
    page.start_training()
    run_dir = finish(qtbot, page)
    end = read_run(run_dir).end
    assert end["status"] == "failed" and end.get("reason") == "nan"
    assert (
        "the learning rate (Train page)" in page.banner.text and "training.optimizer" not in page.banner.text
    )


def test_an_invalid_layer_blocks_training(qtbot, tmp_path: Path, data_root: Path) -> None:
    layers = [
        {"type": "Conv2d", "out_channels": 4, "kernel_size": 29},
        {"type": "Flatten"},
        {"type": "Linear", "out_features": 10},
    ]
    page = make_page(qtbot, tmp_path, tiny_project(data_root, layers=layers))
    assert not page.trainButton.isEnabled()
    assert not page.blockLabel.isHidden() and "layer 0 (Conv2d)" in page.blockLabel.text()
    assert page.start_training() is None and not page.is_running()
    page.context.push(page.document.set_layer_arg(0, "kernel_size", 3))
    assert page.trainButton.isEnabled() and page.blockLabel.isHidden()


def test_closing_during_a_run_stops_it_with_a_checkpoint(qtbot, tmp_path: Path, data_root: Path) -> None:
    page = make_page(qtbot, tmp_path, tiny_project(data_root, epochs=3, batch_size=2))
    finished: list[str] = []
    page.context.window.trainingFinished.connect(finished.append)
    run_dir = page.start_training()
    qtbot.waitUntil(lambda: page.job is not None and page.job.batches_seen >= 2, timeout=RUN_TIMEOUT)
    thread = page.job.thread
    assert page.is_running()
    assert page.shutdown(2000) is True
    assert not thread.isRunning()
    assert finished == [str(run_dir)]  # trainingFinished was delivered before the window goes
    assert read_run(run_dir).status == "stopped"
    assert (run_dir / "checkpoints" / "last.pt").is_file()
    assert page.shutdown(100) is True  # nothing left to stop


def test_a_page_destroyed_during_a_run_stops_it_safely(qtbot, tmp_path: Path, data_root: Path) -> None:
    from studio.gui.training import jobs

    page = make_page(qtbot, tmp_path, tiny_project(data_root, epochs=3, batch_size=2))
    run_dir = page.start_training()
    job = page.job
    qtbot.waitUntil(lambda: job.batches_seen >= 2, timeout=RUN_TIMEOUT)
    page.deleteLater()
    qtbot.waitUntil(lambda: job not in jobs.running_jobs(), timeout=RUN_TIMEOUT)
    assert not job.thread.isRunning()  # the job outlived its page; Qt saw no running thread destroyed
    assert read_run(run_dir).status == "stopped"


def test_fork_from_a_checkpoint_with_changed_settings(qtbot, tmp_path: Path, data_root: Path) -> None:
    page = make_page(qtbot, tmp_path, tiny_project(data_root, epochs=2))
    source = Path(page.start_training())
    finish(qtbot, page)
    row = page.runs.row_for(source)
    assert row.checkpoints == [1, 2]
    from studio.gui.training.fork_dialog import ForkDialog

    dialog = ForkDialog(source, page)
    qtbot.addWidget(dialog)
    assert [dialog.epochCombo.itemData(i) for i in range(dialog.epochCombo.count())] == [1, 2]
    dialog.epochCombo.setCurrentIndex(0)
    dialog.epochs.setValue(1)
    dialog.optimizer.setCurrentText("SGD")
    dialog.lr.setValue(0.05)
    training = dialog.training()
    assert dialog.epoch() == 1
    assert training["optimizer"] == {"type": "SGD", "lr": 0.05, "momentum": 0.9}
    assert training["epochs"] == 1 and training["batch_size"] == 8  # the rest as the source run had it
    forked = page.fork_run(source, dialog.epoch(), training)
    assert forked is not None and forked != source
    assert Path(finish(qtbot, page)) == forked
    info = read_run(forked)
    assert info.status == "completed" and len(info.epochs) == 1
    assert info.project.training.optimizer["lr"] == 0.05
    assert info.end["forked_from"]["epoch"] == 1
    assert json.loads((source / "project.json").read_text())["training"]["optimizer"]["type"] == "Adam"

    page.runs.select([source, forked])
    assert sorted(page.plots.overlay_labels) == sorted(
        run_label(p.name, short=True) for p in (source, forked)
    )
    assert set(page.runs.colours) == {source, forked}
    page.runs.select([])
    assert page.plots.overlay_labels == [] and page.runs.colours == {}


def test_idle_bars_plots_and_evaluate_after_a_completed_run(qtbot, tmp_path: Path, data_root: Path) -> None:
    """Issue 14: the idle epoch bar shows the project's epochs, the empty accuracy axis 0-100 %,
    and a completed run offers "Evaluate →"."""
    page = make_page(qtbot, tmp_path, tiny_project(data_root, epochs=2))
    assert page.progress.epochProgress.text() == "epoch 0 / 2"
    page.context.push(page.document.set_field("training", "epochs", 7))
    assert page.progress.epochProgress.text() == "epoch 0 / 7"
    low, high = page.plots.accuracyPlot.getViewBox().viewRange()[1]
    assert (low, high) == (0, 100)
    page.context.push(page.document.set_field("training", "epochs", 1))
    shown: list[str] = []
    page.context.window.show_page = lambda title: shown.append(title)  # the bare test window has no pages
    page.start_training()
    finish(qtbot, page)
    assert page.banner.level == "info" and "Training finished" in page.banner.text
    assert page.banner.action_button.text() == "Evaluate →" and page.banner.action_button.isVisible()
    page.banner.action_button.click()
    assert shown == ["Evaluate"] and page.banner.isHidden()


def test_offline_weights_failure_offers_a_weights_file(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14 item 1: the ImageNet download failed: say which file goes in which folder, in the
    GUI's words, and offer "Choose weights file…" (one undoable edit)."""
    from PySide6.QtWidgets import QFileDialog

    from studio.core.model.builder import weights_download
    from studio.core.project.templates import get_template

    page = make_page(qtbot, tmp_path, get_template("resnet18-transfer").project())
    name, url, folder = weights_download("resnet18")
    page._on_finished(
        {
            "status": "failed",
            "run_dir": str(tmp_path / "run"),
            "message": f"model.weights: cannot download the resnet18 ImageNet weights (URLError). Put "
            f"{name} (from {url}) at {folder / name}, or set weights to the path of a "
            "local .pth file, or to null to train from scratch",
        }
    )
    text = page.banner.text
    assert name in text and str(folder) in text and url in text
    assert "model.weights" not in text and "null" not in text
    assert page.banner.action_button.text() == "Choose weights file…"
    weights = tmp_path / "resnet18.pth"
    weights.write_bytes(b"x")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(weights), "")))
    page.banner.action_button.click()
    assert page.document.project.model.weights == str(weights)
    assert page.context.undo_stack.count() == 1


def test_offline_weights_failure_is_recognised_in_korean_too(qtbot, tmp_path: Path) -> None:
    """The core's download failure in Korean still gets the GUI's own explanation: it is
    recognised by the weights' URL, not by English words."""
    from studio.core.base import i18n
    from studio.core.model.builder import weights_download
    from studio.core.project.templates import get_template

    page = make_page(qtbot, tmp_path, get_template("resnet18-transfer").project())
    name, url, folder = weights_download("resnet18")
    i18n.set_language("ko")
    core_message = i18n.tr(
        "cannot download the {arch} ImageNet weights ({kind}). Put {basename} (from {url}) at {target}, "
        "or set weights to the path of a local .pth file, or to null to train from scratch",
        arch="resnet18",
        kind="URLError",
        basename=name,
        url=url,
        target=folder / name,
    )
    i18n.set_language("en")
    assert "cannot download" not in core_message  # the core really spoke Korean
    expected = page.weights_failure_text("model.weights: " + core_message)
    assert expected is not None and str(folder) in expected and name in expected
    page._on_finished(
        {"status": "failed", "run_dir": str(tmp_path / "run"), "message": "model.weights: " + core_message}
    )
    assert page.banner.text == expected
    assert page.banner.action_button.text() == "Choose weights file…"


def test_the_log_follows_new_lines_until_the_user_scrolls_up(qtbot, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QAbstractSlider

    from studio.core.project.templates import get_template

    page = make_page(qtbot, tmp_path, get_template("sample-cnn").project())
    bar = page.log.verticalScrollBar()
    for i in range(200):
        page.log.appendPlainText(f"line {i}")
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    assert bar.value() == bar.maximum()  # following
    bar.triggerAction(QAbstractSlider.SliderAction.SliderPageStepSub)  # the user scrolls up to read
    held = bar.value()
    assert held < bar.maximum()
    for i in range(50):
        page.log.appendPlainText(f"more {i}")
    assert bar.value() == held  # new lines do not pull the view away
    bar.triggerAction(QAbstractSlider.SliderAction.SliderToMaximum)  # back at the end: follows again
    for i in range(50):
        page.log.appendPlainText(f"last {i}")
    assert bar.value() == bar.maximum()
    page.resize(1280, 400)  # the log shrinks (a banner above it): still at the end
    qtbot.waitUntil(lambda: bar.value() == bar.maximum())
