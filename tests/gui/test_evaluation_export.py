"""The export dialog: TorchScript and ONNX exports with their verification figures, a refusal
shown in place, and Cancel leaving nothing behind."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices

from studio.core.evaluation.predict import load_predictor
from tests.helpers.gui_evaluation import TrainedProject, open_page, trained_project


@pytest.fixture(scope="module")
def trained() -> TrainedProject:
    return trained_project()


@pytest.fixture
def page(qtbot: Any, trained: TrainedProject, tmp_path: Path) -> Any:
    return open_page(qtbot, trained.project_path, tmp_path / "settings.ini")


def _export(qtbot: Any, page: Any, fmt: str, target: Path) -> Any:
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    dialog = page.export
    assert dialog is not None and dialog.isVisible()
    dialog.set_format(fmt)
    dialog.path_edit.setText(str(target))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.busy and dialog.progress.isVisible() and dialog.cancel_button.isVisible()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=120000)
    return dialog


@pytest.mark.parametrize("fmt, name", [("torchscript", "model.pt"), ("onnx", "model.onnx")])
def test_export_writes_a_verified_file_and_shows_the_figures(
    qtbot: Any,
    page: Any,
    trained: TrainedProject,
    tmp_path: Path,
    fmt: str,
    name: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "out" / name
    dialog = _export(qtbot, page, fmt, target)
    assert dialog.error is None, dialog.error
    result = dialog.result
    assert result.path == target and target.is_file() and result.format == fmt
    v = result.verification
    text = dialog.result_label.text()
    assert f"{v.max_abs_diff:.3g}" in text and f"{v.tolerance:.3g}" in text
    assert f"Top-1 agreement: <b>{100 * v.top1_agreement:.1f}%" in text
    assert f"{v.samples} validation images" in text and v.source == "validation images"
    assert v.ok and v.top1_agreement == 1.0 and v.samples == 40
    assert str(target) in text and "Exported and verified" in text
    assert not dialog.progress.isVisible() and dialog.export_button.isEnabled()
    # "Show in folder" opens the file manager on the export's folder
    opened: list[str] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url.toLocalFile()) or True)
    )
    assert dialog.show_folder_button.isVisible() and dialog.show_in_folder()
    assert opened == [str(target.parent if target.is_file() else target)]
    # the file is a working model: same answers as the run
    images = [str(p) for p in trained.images[::20]]
    ours = load_predictor(target).predict(images, top_k=3)
    run = load_predictor(trained.run_dir).predict(images, top_k=3)
    assert [p.top[0][0] for p in ours] == [p.top[0][0] for p in run]
    assert np.allclose([p.probabilities for p in ours], [p.probabilities for p in run], atol=1e-4)


def test_the_path_follows_the_format_until_edited(page: Any, trained: TrainedProject) -> None:
    dialog = page.export_dialog()
    folder = trained.project_path.parent / "exports"
    dialog.set_format("onnx")
    assert Path(dialog.path_edit.text()).parent == folder and dialog.path_edit.text().endswith(".onnx")
    dialog.set_format("python")
    assert not Path(dialog.path_edit.text()).suffix
    dialog.path_edit.setText("/somewhere/mine.bin")
    dialog.set_format("safetensors")
    assert dialog.path_edit.text() == "/somewhere/mine.bin"
    assert "safetensors" in dialog.format_help.text()


def test_a_refused_export_is_reported_in_place(qtbot: Any, page: Any, tmp_path: Path, dialogs: Any) -> None:
    clash = tmp_path / "a-file"
    clash.write_text("not a folder")
    dialog = _export(qtbot, page, "python", clash)  # the python export needs a folder
    assert dialog.result is None and dialog.error
    text = dialog.result_label.text()
    assert "Not exported" in text and "a-file" in text and "folder" in text and "Traceback" not in text
    assert clash.read_text() == "not a folder"
    assert dialogs.calls == []


def test_cancel_leaves_nothing_at_the_target(
    qtbot: Any, page: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import studio.gui.evaluation.session as session  # the module whose job calls it

    real = session.export_run
    started = threading.Event()

    def held(*args: Any, **kwargs: Any) -> Any:  # the real export, once Cancel was pressed
        started.set()
        for _ in range(2000):
            if kwargs["cancel"]():
                break
            threading.Event().wait(0.01)
        return real(*args, **kwargs)

    monkeypatch.setattr(session, "export_run", held)
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    dialog = page.export
    target = tmp_path / "out" / "model.onnx"
    dialog.set_format("onnx")
    dialog.path_edit.setText(str(target))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.busy and not dialog.format_combo.isEnabled()
    qtbot.waitUntil(started.is_set, timeout=30000)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60000)
    assert dialog.result is None and "cancelled" in dialog.result_label.text()
    assert not target.exists() and (not target.parent.exists() or not any(target.parent.iterdir()))
    assert dialog.isVisible()  # cancelling the export does not close the dialog
    assert dialog.export_button.isEnabled() and dialog.close_button.isVisible()


def test_replacing_a_file_the_studio_did_not_write_asks_first(
    qtbot: Any, page: Any, tmp_path: Path, dialogs: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    thesis = tmp_path / "thesis.onnx"
    thesis.write_bytes(b"years of work")
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    dialog = page.export
    dialog.set_format("onnx")
    dialog.path_edit.setText(str(thesis))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)  # the recorded answer: not Yes
    assert not dialog.busy and thesis.read_bytes() == b"years of work"
    kind, title, text = dialogs.calls[-1]
    assert kind == "question" and str(thesis) in text and "not a CNN Studio onnx export" in text
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=120000)
    assert dialog.error is None, dialog.error
    assert dialog.result.path == thesis and thesis.read_bytes() != b"years of work"
