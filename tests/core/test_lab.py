"""The Convolution Lab's arithmetic against PyTorch: conv2d, max_pool2d, avg_pool2d.

Random images, kernels, paddings, strides and dilations (hypothesis); the per-position window
and products the GUI writes out must add up to torch's output cell, and the formula's numbers
must equal the output's shape.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from studio.core.evaluation import lab

torch.set_num_threads(1)


@st.composite
def conv_cases(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, int | str, int, int]:
    channels = draw(st.sampled_from([1, 1, 3]))
    kh, kw = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    dilation = draw(st.integers(1, 3))
    padding: int | str = draw(st.one_of(st.integers(0, 3), st.sampled_from(["same", "valid"])))
    stride = 1 if padding == "same" else draw(st.integers(1, 3))
    pad_n = (
        0 if padding == "valid" else (dilation * (max(kh, kw) - 1) if padding == "same" else 2 * int(padding))
    )
    min_side = max(1, dilation * (max(kh, kw) - 1) + 1 - pad_n)
    h, w = draw(st.integers(min_side, min_side + 12)), draw(st.integers(min_side, min_side + 12))
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    image = rng.integers(0, 256, (channels, h, w)).astype(np.float64)
    kernel = np.round(rng.normal(size=(channels, kh, kw)) * 4) / 4
    return image, kernel, padding, stride, dilation


def _torch_conv(
    image: np.ndarray,
    kernel: np.ndarray,
    padding: int | str,
    stride: int,
    dilation: int,
    bias: np.ndarray | None = None,
) -> np.ndarray:
    k = torch.from_numpy(kernel if kernel.ndim == 4 else kernel[None])
    b = torch.from_numpy(bias) if bias is not None else None
    with warnings.catch_warnings():  # torch's note on 'same' with even kernels copies the input: fine here
        warnings.simplefilter("ignore", UserWarning)
        return F.conv2d(
            torch.from_numpy(image)[None], k, b, stride=stride, padding=padding, dilation=dilation
        )[0].numpy()


@settings(max_examples=150, deadline=None)
@given(conv_cases())
def test_conv_equals_torch_conv2d_and_steps_add_up(case: tuple) -> None:
    image, kernel, padding, stride, dilation = case
    expected = _torch_conv(image, kernel, padding, stride, dilation)[0]
    run = lab.ConvLab(image, kernel, padding, stride, dilation)
    np.testing.assert_allclose(run.output, expected, rtol=1e-9, atol=1e-7)
    assert run.geometry.output_shape == expected.shape
    assert run.positions == expected.size
    # the formula's printed result is the output's size on each axis
    lines = run.geometry.formula().splitlines()
    assert lines[0].endswith(f"= {expected.shape[0]}") and lines[1].endswith(f"= {expected.shape[1]}")
    # every step: window cells read from the padded input, products = window * kernel, sum = torch's cell
    padded = torch.from_numpy(image)
    geo = run.geometry
    padded = F.pad(
        padded, (geo.cols.pad_before, geo.cols.pad_after, geo.rows.pad_before, geo.rows.pad_after)
    ).numpy()
    np.testing.assert_array_equal(run.padded, padded)
    for index in np.linspace(0, run.positions - 1, num=min(run.positions, 7)).astype(int):
        step = run.step(int(index))
        cells = np.asarray(step.cells)
        window = padded[:, cells[:, 0], cells[:, 1]].reshape(kernel.shape)
        np.testing.assert_array_equal(step.window, window)
        np.testing.assert_allclose(step.products, window * kernel)
        assert step.total == pytest.approx(float(expected[step.out_row, step.out_col]), abs=1e-7)


@settings(max_examples=60, deadline=None)
@given(conv_cases(), st.integers(1, 4), st.booleans())
def test_several_kernels_with_bias_and_relu_equal_torch(case: tuple, n: int, use_relu: bool) -> None:
    image, kernel, padding, stride, dilation = case
    rng = np.random.default_rng(n)
    kernels = np.stack([kernel * (i + 1) - i for i in range(n)])
    bias = rng.normal(size=n) * 50
    maps = lab.conv2d_many(image, kernels, padding, stride, dilation, bias)
    expected = _torch_conv(image, kernels, padding, stride, dilation, bias)
    if use_relu:
        maps, expected = lab.relu(maps), F.relu(torch.from_numpy(expected)).numpy()
    assert maps.shape == expected.shape  # one feature map per kernel
    np.testing.assert_allclose(maps, expected, rtol=1e-9, atol=1e-6)


@st.composite
def pool_cases(draw: st.DrawFn) -> tuple[np.ndarray, int, int | None]:
    k = draw(st.integers(1, 4))
    stride = draw(st.one_of(st.none(), st.integers(1, 4)))
    h, w = draw(st.integers(k, k + 10)), draw(st.integers(k, k + 10))
    channels = draw(st.sampled_from([1, 2, 3]))
    rng = np.random.default_rng(draw(st.integers(0, 2**31 - 1)))
    return rng.normal(size=(channels, h, w)) * 100, k, stride


@settings(max_examples=120, deadline=None)
@given(pool_cases(), st.sampled_from(["max", "avg"]))
def test_pool_equals_torch_and_chosen_cell_holds_the_max(case: tuple, kind: str) -> None:
    image, k, stride = case
    result = lab.pool2d(image, kind, k, stride)
    x = torch.from_numpy(image)[None]
    fn = F.max_pool2d if kind == "max" else F.avg_pool2d
    expected = fn(x, k, stride=stride)[0].numpy()
    assert result.output.shape == expected.shape  # channels unchanged
    assert result.output.shape[0] == image.shape[0]
    np.testing.assert_allclose(result.output, expected, rtol=1e-9, atol=1e-9)
    assert result.parameters == 0
    if kind == "max":
        c, i, j = np.indices(result.output.shape)
        rows, cols = result.chosen[..., 0], result.chosen[..., 1]
        np.testing.assert_array_equal(image[c, rows, cols], result.output)
        s = stride or k
        assert ((rows - i * s >= 0) & (rows - i * s < k) & (cols - j * s >= 0) & (cols - j * s < k)).all()


def test_kernel_text_round_trips_and_bad_rows_are_named() -> None:
    k = lab.parse_kernel("1,0,-1;2,0,-2;1,0,-1")
    np.testing.assert_array_equal(k, lab.preset("sobel x"))
    np.testing.assert_allclose(lab.parse_kernel(lab.format_kernel(lab.preset("blur"))), lab.preset("blur"))
    np.testing.assert_allclose(lab.parse_kernel("1/9,1/9;1/9,1/9"), np.full((2, 2), 1 / 9))
    with pytest.raises(lab.LabError, match=r"^kernel row 2 has 2 number\(s\) but row 1 has 3"):
        lab.parse_kernel("1,0,-1;2,0;1,0,-1")
    with pytest.raises(lab.LabError, match=r"^kernel row 3: 'a' is not a number"):
        lab.parse_kernel("1;2;a")
    with pytest.raises(lab.LabError, match="empty"):
        lab.parse_kernel(" ; ")
    with pytest.raises(lab.LabError, match="kernel row 2 is empty"):
        lab.parse_kernel("1,2;;3,4")


def test_presets_do_what_their_names_say() -> None:
    assert set(lab.PRESETS) >= {
        "identity",
        "blur",
        "sharpen",
        "edge horizontal",
        "edge vertical",
        "sobel x",
        "emboss",
    }
    image = np.zeros((8, 8))
    image[:, 4:] = 200.0  # a vertical edge
    np.testing.assert_array_equal(lab.conv2d(image, lab.preset("identity"), "same"), image)
    assert np.abs(lab.conv2d(image, lab.preset("edge vertical"))).max() > 0
    assert np.abs(lab.conv2d(image, lab.preset("edge horizontal"))).max() == 0
    assert lab.conv2d(image, lab.preset("blur"), "same")[4, 0] == pytest.approx(0.0)
    assert lab.preset("blur").sum() == pytest.approx(1.0)
    with pytest.raises(lab.LabError, match="unknown kernel preset"):
        lab.preset("nope")


def test_formula_and_products_text_use_the_current_numbers() -> None:
    run = lab.ConvLab(
        np.arange(25, dtype=float).reshape(5, 5), lab.preset("edge vertical"), padding=1, stride=2
    )
    assert run.geometry.formula().splitlines()[0] == "H_out = ⌊(5 + 2·1 − 1·(3−1) − 1) / 2⌋ + 1 = 3"
    text = run.products_text(0)
    assert text.startswith("0·(-1) + 0·0 + 0·1 + 0·(-1) + 0·0 + 1·1 ")
    assert text.endswith(f"= {lab.format_number(run.output[0, 0])}")


def test_bad_geometry_is_one_clear_error() -> None:
    image = np.zeros((4, 4))
    with pytest.raises(lab.LabError, match="padded input is only 4x4"):
        lab.conv2d(image, np.ones((5, 5)))
    with pytest.raises(lab.LabError, match="needs stride 1"):
        lab.conv2d(image, np.ones((3, 3)), "same", stride=2)
    with pytest.raises(lab.LabError, match="stride must be"):
        lab.conv2d(image, np.ones((3, 3)), 0, stride=0)
    with pytest.raises(lab.LabError, match="padding 'x'"):
        lab.parse_padding("x")


def test_images_load_as_pixel_numbers(tmp_path) -> None:
    from PIL import Image

    rgb = np.zeros((3, 4, 3), dtype=np.uint8)
    rgb[..., 0], rgb[..., 1], rgb[..., 2] = 10, 20, 30
    Image.fromarray(rgb).save(tmp_path / "c.png")
    grey = lab.load_numbers(tmp_path / "c.png")
    assert grey.shape == (3, 4)
    assert grey[0, 0] == np.asarray(Image.fromarray(rgb).convert("L"))[0, 0]
    assert lab.load_numbers(tmp_path / "c.png", channel=2)[0, 0] == 30
    assert lab.load_channels(tmp_path / "c.png").shape == (3, 3, 4)
    (tmp_path / "bad.png").write_bytes(b"not an image")
    with pytest.raises(lab.LabError, match="cannot read bad.png"):
        lab.load_numbers(tmp_path / "bad.png")
    images, names = lab.sample_images(4)
    assert images.shape == (4, 1, 28, 28) and images.dtype == np.uint8 and len(names) == 4


def test_project_images_of_an_in_memory_source() -> None:
    from studio.core.project.project_file import Project

    project = Project.from_dict(
        {
            "format": "cnn-studio/1",
            "name": "s",
            "data": {"source": "sample"},
            "model": {"kind": "stack", "layers": []},
        }
    )
    images, names = lab.project_images(project, 5)
    expected, expected_names = lab.sample_images(5)
    assert names == expected_names
    np.testing.assert_array_equal(np.stack(images), expected.astype(np.float64))
