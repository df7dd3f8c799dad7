"""The Lab page: opens with no project, steps a convolution, formula = grid, presets, pooling.

Every number on screen is checked against ``torch.nn.functional`` on the image's pixels.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from studio.core.evaluation import lab


@pytest.fixture
def lab_page(main_window: Any, qtbot: Any) -> Any:
    """The Lab page of a window with no project open (the start page's empty project)."""
    page = main_window.show_page("Lab")
    assert page.objectName() == "convolutionLab"
    qtbot.waitUntil(lambda: page.samples is not None)
    return page


def _torch_conv(
    pixels: np.ndarray, kernel: np.ndarray, padding: Any, stride: int, dilation: int
) -> np.ndarray:
    x = torch.from_numpy(np.asarray(pixels, dtype=np.float64))[None, None]
    k = torch.from_numpy(np.asarray(kernel, dtype=np.float64))[None, None]
    return F.conv2d(x, k, stride=stride, padding=padding, dilation=dilation)[0, 0].numpy()


def test_opens_with_no_project_and_shows_a_digit_as_numbers(main_window: Any, lab_page: Any) -> None:
    assert main_window.findChild(QWidget, "convolutionLab") is lab_page
    images, _ = lab.sample_images(1)
    grid = lab_page.numbers_view.grid
    np.testing.assert_array_equal(grid.values, images[0, 0])
    assert grid.pixels and grid.cell >= 22  # numbers are written at this zoom
    lab_page.zoom.setValue(8)
    assert grid.cell == 8
    lab_page.image_combo.setCurrentIndex(3)
    np.testing.assert_array_equal(grid.values, lab.sample_images(4)[0][3, 0])


def test_page_has_a_shortcut_like_the_others(main_window: Any) -> None:
    action = main_window.actions_.pages[-1]
    assert action.shortcut().toString() == "Ctrl+5"
    action.trigger()
    assert main_window.current_page().objectName() == "convolutionLab"


def test_stepping_writes_products_sum_and_fills_the_output(lab_page: Any, qtbot: Any) -> None:
    conv = lab_page.conv
    lab_page.tabs.setCurrentWidget(conv)
    pixels = lab_page.pixels
    expected = _torch_conv(pixels, lab.preset("sobel x"), 0, 1, 1)
    assert conv.output_view.grid.values.shape == expected.shape
    np.testing.assert_allclose(conv.output_view.grid.values, expected)
    target = 5 * expected.shape[1] + 9  # a position on the sample's edge
    conv.go_to(target - 1)
    qtbot.mouseClick(conv.step_button, Qt.MouseButton.LeftButton)
    assert conv.index == target and conv.slider.value() == target
    row, col = divmod(target, expected.shape[1])
    # highlighted window = the kernel's cells on the (unpadded here) input
    assert conv.input_view.grid.highlight == [(row + i, col + j) for i in range(3) for j in range(3)]
    window = pixels[row : row + 3, col : col + 3]
    np.testing.assert_array_equal(conv.window_view.grid.values, window)
    np.testing.assert_allclose(conv.products_view.grid.values, window * lab.preset("sobel x"))
    assert conv.products.toPlainText().endswith(f"= {lab.format_number(expected[row, col])}")
    assert conv.output_view.grid.filled == target + 1
    qtbot.mouseClick(conv.back_button, Qt.MouseButton.LeftButton)
    assert conv.index == target - 1
    conv.slider.setValue(3)  # scrubbing
    assert conv.index == 3 and conv.output_view.grid.filled == 4


def test_play_advances_with_the_timer_and_pause_stops(lab_page: Any, qtbot: Any) -> None:
    conv = lab_page.conv
    lab_page.tabs.setCurrentWidget(conv)
    conv.speed.setValue(120)
    conv.go_to(0)
    qtbot.mouseClick(conv.play_button, Qt.MouseButton.LeftButton)
    assert conv.timer.isActive()
    qtbot.waitUntil(lambda: conv.index >= 20, timeout=10000)
    qtbot.mouseClick(conv.play_button, Qt.MouseButton.LeftButton)
    assert not conv.timer.isActive()
    stopped = conv.index
    qtbot.wait(100)  # the timer is off: no further steps arrive
    assert conv.index == stopped
    assert conv.play_button.text() == "Play"


@pytest.mark.parametrize(
    ("padding", "stride", "dilation"),
    [("1", 1, 1), ("same", 1, 2), ("2", 3, 1), ("valid", 2, 2), ("0", 4, 3)],
)
def test_formula_and_output_grid_agree_with_torch(
    lab_page: Any, padding: str, stride: int, dilation: int
) -> None:
    conv = lab_page.conv
    conv.padding.setCurrentText(padding)
    conv.stride.setValue(stride)
    conv.dilation.setValue(dilation)
    pad: Any = int(padding) if padding.isdigit() else padding
    expected = _torch_conv(lab_page.pixels, lab.preset("sobel x"), pad, stride, dilation)
    assert conv.formula_sizes() == expected.shape
    assert conv.output_view.grid.values.shape == expected.shape
    np.testing.assert_allclose(conv.output_view.grid.values, expected)
    assert conv.slider.maximum() == expected.size - 1
    assert f"step 1 of {expected.size}" in conv.step_label.text()


def test_same_padding_with_stride_2_is_refused_in_place(lab_page: Any) -> None:
    conv = lab_page.conv
    conv.padding.setCurrentText("same")
    conv.stride.setValue(2)
    assert not conv.error.isHidden() and "needs stride 1" in conv.error.text()
    assert not conv.slider.isEnabled()
    conv.stride.setValue(1)
    assert conv.error.isHidden() and conv.slider.isEnabled()


def test_presets_and_typed_kernels(lab_page: Any) -> None:
    conv = lab_page.conv
    for name in ("identity", "blur", "sharpen", "edge horizontal", "edge vertical", "sobel y", "emboss"):
        conv.preset.setCurrentIndex(conv.preset.findData(name))
        conv.preset.activated.emit(conv.preset.currentIndex())
        assert lab.parse_kernel(conv.kernel_edit.text()) == pytest.approx(lab.preset(name))
        np.testing.assert_allclose(
            conv.output_view.grid.values, _torch_conv(lab_page.pixels, lab.preset(name), 0, 1, 1)
        )
    conv.kernel_edit.setText("0,1;1,0")
    conv.kernel_edit.editingFinished.emit()
    assert conv.preset.currentData() == "custom"
    np.testing.assert_allclose(
        conv.output_view.grid.values, _torch_conv(lab_page.pixels, np.array([[0, 1], [1, 0]]), 0, 1, 1)
    )
    conv.kernel_edit.setText("1,2,3;4,5")
    conv.kernel_edit.editingFinished.emit()
    assert "kernel row 2 has 2 number(s)" in conv.error.text() and not conv.error.isHidden()


def test_feature_maps_one_per_kernel_with_bias_and_relu(lab_page: Any) -> None:
    maps = lab_page.maps
    maps.rows[1][3].setValue(-50.0)
    maps.relu.setChecked(True)
    used = [i for i, r in enumerate(maps.rows) if r[0].isChecked()]
    assert maps.maps.shape[0] == len(used) == 3
    x = torch.from_numpy(lab_page.pixels)[None, None]
    k = torch.from_numpy(np.stack([lab.parse_kernel(maps.rows[i][2].text()) for i in used]))[:, None]
    b = torch.tensor([maps.rows[i][3].value() for i in used], dtype=torch.float64)
    expected = F.relu(F.conv2d(x, k, b, padding="same"))[0].numpy()
    np.testing.assert_allclose(maps.maps, expected)
    assert "3 kernel(s) → 3 feature map(s)" in maps.summary.text()


def test_pooling_keeps_the_chosen_value_and_has_no_parameters(lab_page: Any) -> None:
    pool = lab_page.pool
    lab_page.tabs.setCurrentWidget(pool)
    pool.source.setCurrentIndex(0)  # the image
    pool.kernel.setValue(3)
    pool.stride.setValue(2)
    x = torch.from_numpy(lab_page.pixels)[None, None]
    np.testing.assert_allclose(pool.output_view.grid.values, F.max_pool2d(x, 3, 2)[0, 0].numpy())
    marks = pool.input_view.grid.marks
    assert len(marks) == pool.result.output.size
    assert [lab_page.pixels[r, c] for r, c in marks] == pool.result.output.ravel().tolist()
    assert "No parameters, channels unchanged" in pool.note.text()
    pool.kind.setCurrentIndex(pool.kind.findData("avg"))
    np.testing.assert_allclose(pool.output_view.grid.values, F.avg_pool2d(x, 3, 2)[0, 0].numpy())
    assert pool.input_view.grid.marks == []
    pool.select(1, 2)
    assert pool.input_view.grid.highlight == [(2 + i, 4 + j) for i in range(3) for j in range(3)]
    # the convolution's output can be pooled too
    names = [pool.source.itemText(i) for i in range(pool.source.count())]
    assert "the convolution's output" in names


def test_colour_image_channels(lab_page: Any, tmp_path: Any) -> None:
    from PIL import Image

    rgb = np.random.default_rng(0).integers(0, 256, (12, 10, 3)).astype(np.uint8)
    Image.fromarray(rgb).save(tmp_path / "c.png")
    lab_page.open_file(tmp_path / "c.png")
    assert lab_page.channel.count() == 4
    np.testing.assert_array_equal(lab_page.pixels, lab.load_numbers(tmp_path / "c.png"))
    lab_page.channel.setCurrentIndex(2)  # green
    np.testing.assert_array_equal(lab_page.numbers_view.grid.values, rgb[:, :, 1])
    np.testing.assert_allclose(
        lab_page.conv.output_view.grid.values, _torch_conv(rgb[:, :, 1], lab.preset("sobel x"), 0, 1, 1)
    )
