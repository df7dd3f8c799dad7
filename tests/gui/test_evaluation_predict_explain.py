"""The Evaluate page's Predict tab (open / drop images, top-k bars) and Explain tab (feature maps,
first-layer filters, Grad-CAM) against the core functions they show."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog

from studio.core.data.preprocess import normalize
from studio.core.evaluation.explain import as_hwc, feature_maps, filter_grid, grad_cam, overlay, tile_grid
from studio.core.evaluation.predict import load_predictor
from studio.core.runs.run_folder import load_trained_model
from studio.gui.evaluation.images import to_qimage
from tests.helpers.gui_evaluation import TrainedProject, evaluate, open_page, trained_project


@pytest.fixture(scope="module")
def trained() -> TrainedProject:
    return trained_project()


@pytest.fixture
def page(qtbot: Any, trained: TrainedProject, tmp_path: Path) -> Any:
    return open_page(qtbot, trained.project_path, tmp_path / "settings.ini")


def _pixels(image: Any) -> np.ndarray:
    """A QImage's pixels as an array like :func:`as_hwc` gives."""
    from PySide6.QtGui import QImage

    img = image.convertToFormat(
        QImage.Format.Format_RGB888 if not image.isGrayscale() else QImage.Format.Format_Grayscale8
    )
    channels = 1 if img.format() == QImage.Format.Format_Grayscale8 else 3
    arr = np.frombuffer(img.constBits(), np.uint8).reshape(img.height(), img.bytesPerLine())
    arr = (
        arr[:, : img.width() * channels].reshape(img.height(), img.width(), channels).copy()
    )  # own the pixels
    return arr[..., 0] if channels == 1 else arr


def _same_picture(image: Any, array: np.ndarray) -> bool:
    """Same size, and the same pixels up to one level (float sums may differ across threads)."""
    if image.size().toTuple() != (array.shape[1], array.shape[0]):
        return False
    diff = np.abs(_pixels(image).astype(int) - _pixels(to_qimage(array)).astype(int))
    return int(diff.max()) <= 1


# --------------------------------------------------------------------------- predict


def test_opened_images_get_their_top_k_classes_as_bars(
    qtbot: Any, page: Any, trained: TrainedProject, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a png")
    files = [str(p) for p in trained.images[::37]] + [str(broken)]
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: (files, "")))
    page.tabs.setCurrentWidget(page.predict_panel)
    panel = page.predict_panel
    qtbot.mouseClick(panel.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.busy and panel.list.count() == len(files), timeout=30000)
    expected = load_predictor(trained.run_dir, "best").predict(files[:-1], top_k=5)
    assert panel.list.currentRow() == 0
    assert [n for n, _ in panel.bars.items] == [c for c, _, _ in expected[0].top]
    assert [p for _, p in panel.bars.items] == pytest.approx([p for _, _, p in expected[0].top], abs=1e-6)
    assert len(panel.bars.items) == 5 and panel.findChild(type(panel.bars), "topKBars") is panel.bars
    panel.list.setCurrentRow(2)
    assert [n for n, _ in panel.bars.items] == [c for c, _, _ in expected[2].top]
    assert not panel.preview.image.isNull()
    # the unreadable file is listed with its reason, in place
    panel.list.setCurrentRow(len(files) - 1)
    assert panel.bars.items == [] and "cannot read" in panel.list.item(len(files) - 1).text()
    assert panel.message.isVisible() and "could not be read" in panel.message.text()
    # asking for fewer classes classifies again
    panel.top_k.setValue(3)
    qtbot.waitUntil(lambda: not panel.busy and len(panel.results) == len(files), timeout=30000)
    panel.list.setCurrentRow(0)
    assert [n for n, _ in panel.bars.items] == [c for c, _, _ in expected[0].top[:3]]


def test_dropped_images_are_classified(qtbot: Any, page: Any, trained: TrainedProject) -> None:
    panel = page.predict_panel
    page.tabs.setCurrentWidget(panel)
    files = [trained.images[3], trained.images[60]]
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in files])
    enter = QDragEnterEvent(
        QPoint(20, 20),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(panel, enter)  # makes the panel the drag's target
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(20, 20),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(panel, drop)
    qtbot.waitUntil(lambda: not panel.busy and panel.list.count() == 2, timeout=30000)
    expected = load_predictor(trained.run_dir, "best").predict([str(p) for p in files], top_k=5)
    panel.list.setCurrentRow(1)
    assert [n for n, _ in panel.bars.items] == [c for c, _, _ in expected[1].top]
    # files dropped on the window reach the page too (its handle_drop hook)
    page.tabs.setCurrentIndex(0)
    assert page.handle_drop([trained.images[5].parent])  # a folder: its images
    assert page.tabs.currentWidget() is panel
    qtbot.waitUntil(
        lambda: not panel.busy and panel.list.count() == len(list(trained.images[5].parent.iterdir())),
        timeout=30000,
    )
    assert not page.handle_drop([Path(__file__)])  # not an image


# --------------------------------------------------------------------------- explain


def _model_and_input(trained: TrainedProject, pixels: torch.Tensor) -> tuple[Any, torch.Tensor]:
    model, state = load_trained_model(trained.run_dir, "best")
    return model, normalize(pixels, state["norm"]["mean"], state["norm"]["std"])


def _scale_of(shown: Any, maps: np.ndarray) -> int:
    for scale in range(1, 9):
        if _same_picture(shown, tile_grid(maps, pad=1, scale=scale)):
            return scale
    raise AssertionError(f"the view's {shown.size()} picture is no grid of these maps")


def test_explain_a_gallery_image_shows_maps_filters_and_grad_cam(
    qtbot: Any, page: Any, trained: TrainedProject
) -> None:
    result = evaluate(qtbot, page)
    sample = result.evaluation.mistakes()[0]
    page.side_tabs.setCurrentWidget(page.mistakes)
    page.mistakes.view.setCurrentIndex(page.mistakes.model.index(0))
    qtbot.mouseClick(page.mistakes.explain_button, Qt.MouseButton.LeftButton)
    panel = page.explain_panel
    assert page.tabs.currentWidget() is panel
    qtbot.waitUntil(lambda: not panel.busy and panel.result is not None, timeout=30000)
    assert not panel.message.isVisible(), panel.message.text()
    pixels = result.pixels(sample.index)
    model, x = _model_and_input(trained, pixels)

    maps_view = panel.findChild(type(panel.maps_view), "featureMaps")
    first = feature_maps(model, x, "0_Conv2d")
    assert first.shape == (8, 16, 16)
    _scale_of(maps_view.image, first)
    assert "8 maps of 16×16" in panel.maps_caption.text()

    filters = panel.findChild(type(panel.filters_view), "firstLayerFilters")
    assert _same_picture(filters.image, filter_grid(model))

    cam_view = panel.findChild(type(panel.cam_view), "gradCamOverlay")
    cam = grad_cam(model, x)
    assert cam_view.image.size().toTuple() == (16, 16)
    assert _same_picture(cam_view.image, np.asarray(overlay(as_hwc(pixels), cam.heatmap)))
    assert _same_picture(panel.input_view.image, as_hwc(pixels))

    # another layer: its maps (12 of 8x8)
    index = panel.layer_combo.findData("3_Conv2d")
    assert index >= 0
    panel.layer_combo.setCurrentIndex(index)
    qtbot.waitUntil(lambda: not panel.busy and panel.result.explanation.layer == "3_Conv2d", timeout=30000)
    second = feature_maps(model, x, "3_Conv2d")
    assert second.shape == (12, 8, 8)
    _scale_of(maps_view.image, second)
    # Grad-CAM of another class differs from the predicted class's
    other = (cam.target + 1) % 10
    panel.target_combo.setCurrentIndex(panel.target_combo.findData(other))
    qtbot.waitUntil(lambda: not panel.busy and panel.result.explanation.target == other, timeout=30000)
    assert _same_picture(
        cam_view.image, np.asarray(overlay(as_hwc(pixels), grad_cam(model, x, other).heatmap))
    )


def test_explain_an_opened_image_file(
    qtbot: Any, page: Any, trained: TrainedProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = str(trained.images[42])
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (path, "")))
    page.tabs.setCurrentWidget(page.explain_panel)
    panel = page.explain_panel
    qtbot.mouseClick(panel.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.busy and panel.result is not None, timeout=30000)
    assert panel.source.text() == Path(path).name
    from PIL import Image

    pixels = torch.from_numpy(np.array(Image.open(path).convert("RGB"))).permute(2, 0, 1).contiguous()
    model, x = _model_and_input(trained, pixels)
    _scale_of(panel.maps_view.image, feature_maps(model, x, "0_Conv2d"))
    assert _same_picture(
        panel.cam_view.image, np.asarray(overlay(as_hwc(pixels), grad_cam(model, x).heatmap))
    )


def test_explain_without_a_run_says_so(
    qtbot: Any, trained: TrainedProject, tmp_path: Path, dialogs: Any
) -> None:
    lone = tmp_path / "lone"
    lone.mkdir()
    (lone / "p.json").write_bytes(trained.project_path.read_bytes())
    page = open_page(qtbot, lone / "p.json", tmp_path / "settings.ini")
    page.explain_file(str(trained.images[0]))
    assert page.explain_panel.message.isVisible() and "run" in page.explain_panel.message.text()
    page.predict_panel.predict([str(trained.images[0])])
    assert not page.predict_panel.message.isHidden() and page.predict_panel.list.count() == 0
    assert dialogs.calls == []
