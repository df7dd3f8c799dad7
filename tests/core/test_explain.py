"""Feature maps, filters and Grad-CAM on a studio stack and a torchvision ResNet."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image

from studio.core.evaluation.explain import (
    ExplainError,
    as_hwc,
    default_cam_layer,
    feature_maps,
    filter_grid,
    first_conv_filters,
    grad_cam,
    heat_colors,
    layer_choices,
    overlay,
    tile_grid,
)
from studio.core.model.builder import build_stack

LAYERS = [
    {"type": "Conv2d", "out_channels": 6, "kernel_size": 3, "padding": 1},
    {"type": "ReLU"},
    {"type": "BasicBlock", "out_channels": 8, "stride": 2},
    {"type": "VGGBlock", "out_channels": 8, "convs": 1},
    {"type": "Conv2d", "out_channels": 5, "kernel_size": 3, "padding": 1},
    {"type": "ReLU"},
    {"type": "AdaptiveAvgPool2d", "output_size": 1},
    {"type": "Flatten"},
    {"type": "Linear", "out_features": 4},
]


@pytest.fixture(scope="module")
def stack() -> torch.nn.Module:
    torch.manual_seed(0)
    return build_stack(LAYERS, (3, 16, 16)).eval()


@pytest.fixture(scope="module")
def resnet() -> torch.nn.Module:
    from torchvision.models import resnet18

    torch.manual_seed(0)
    return resnet18(num_classes=3).eval()


def _images(shape: tuple[int, ...], seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    return torch.randn(shape, generator=g), torch.randn(shape, generator=g)


def test_layer_choices_of_a_stack(stack: torch.nn.Module) -> None:
    choices = {c.name: c for c in layer_choices(stack, (3, 16, 16))}
    assert choices["0_Conv2d"].output_shape == (6, 16, 16)
    assert choices["2_BasicBlock"].output_shape == (8, 8, 8)
    assert choices["2_BasicBlock.conv1"].type == "Conv2d"
    assert choices["3_VGGBlock"].output_shape == (8, 4, 4)
    assert choices["3_VGGBlock.0"].output_shape == (8, 8, 8)
    assert "7_Flatten" not in choices and "8_Linear" not in choices
    assert default_cam_layer(stack) == "4_Conv2d"


def test_feature_maps_shapes_and_input_dependence(stack: torch.nn.Module) -> None:
    a, b = _images((3, 16, 16))
    fa = feature_maps(stack, a, "0_Conv2d")
    assert fa.shape == (6, 16, 16) and fa.dtype == np.float32
    assert not np.allclose(fa, feature_maps(stack, b, "0_Conv2d"))
    inner = feature_maps(stack, a, "2_BasicBlock.conv2")
    assert inner.shape == (8, 8, 8)
    # the hook sees exactly the layer's output
    with torch.no_grad():
        expected = stack[0](a.unsqueeze(0))[0].numpy()
    np.testing.assert_allclose(fa, expected, rtol=1e-5, atol=1e-6)


def test_feature_maps_refuse_flat_and_unknown_layers(stack: torch.nn.Module) -> None:
    x, _ = _images((3, 16, 16))
    with pytest.raises(ExplainError, match="not feature maps"):
        feature_maps(stack, x, "8_Linear")
    with pytest.raises(ExplainError, match="0_Conv2d"):
        feature_maps(stack, x, "no_such_layer")


def test_tile_grid_layout() -> None:
    maps = np.arange(5 * 3 * 4, dtype=np.float32).reshape(5, 3, 4)
    grid = tile_grid(maps, pad=1)
    # 5 tiles -> 3 columns, 2 rows; 3x4 tiles with 1-pixel gaps and frame
    assert grid.shape == (2 * 3 + 3, 3 * 4 + 4) and grid.dtype == np.uint8
    assert grid[1, 1] == 0 and grid[3, 4] == 255  # each tile stretched to 0..255
    assert grid[0].tolist() == [255] * grid.shape[1]
    big = tile_grid(maps, cols=5, pad=0, scale=2)
    assert big.shape == (6, 40)
    colour = tile_grid(np.random.default_rng(0).random((4, 2, 2, 3)), normalize=False)
    assert colour.shape == (7, 7, 3)
    with pytest.raises(ValueError):
        tile_grid(np.zeros((0, 2, 2)))


def test_filters_grid(resnet: torch.nn.Module, stack: torch.nn.Module) -> None:
    w = first_conv_filters(resnet)
    assert w.shape == (64, 3, 7, 7)
    grid = filter_grid(resnet, scale=1, pad=1)
    assert grid.shape == (8 * 7 + 9, 8 * 7 + 9, 3)
    assert filter_grid(stack, scale=2, pad=1).shape == (2 * 6 + 3, 3 * 6 + 4, 3)  # 6 filters: 2 rows of 3
    grey = build_stack([{"type": "Conv2d", "out_channels": 4, "kernel_size": 5}], (1, 8, 8))
    assert filter_grid(grey, scale=1, pad=0).shape == (10, 10)


@pytest.mark.parametrize("which", ["stack", "resnet"])
def test_grad_cam_shape_range_and_input_dependence(which: str, request: pytest.FixtureRequest) -> None:
    model = request.getfixturevalue(which)
    shape = (3, 16, 16) if which == "stack" else (3, 32, 32)
    a, b = _images(shape, seed=3)
    before = [p.grad for p in model.parameters()]
    cam_a = grad_cam(model, a)
    assert cam_a.layer == ("4_Conv2d" if which == "stack" else "layer4")
    assert cam_a.heatmap.shape == shape[1:] and cam_a.heatmap.dtype == np.float32
    assert cam_a.heatmap.min() >= 0.0 and cam_a.heatmap.max() <= 1.0
    assert cam_a.probabilities.shape == (model(a.unsqueeze(0)).shape[1],)
    assert cam_a.target == int(np.argmax(cam_a.probabilities))
    cam_b = grad_cam(model, b, target=cam_a.target)
    assert not np.allclose(cam_a.heatmap, cam_b.heatmap)
    assert [p.grad for p in model.parameters()] == before  # no gradients left on the weights


def test_grad_cam_other_layer_target_and_frozen_model(stack: torch.nn.Module) -> None:
    x, _ = _images((3, 16, 16), seed=5)
    cams = [grad_cam(stack, x, target=t, layer="2_BasicBlock").heatmap for t in range(4)]
    assert all(c.shape == (16, 16) for c in cams)
    assert any(not np.allclose(cams[0], c) for c in cams[1:])
    for p in stack.parameters():
        p.requires_grad_(False)
    try:
        frozen = grad_cam(stack, x, target=1, layer="2_BasicBlock").heatmap
    finally:
        for p in stack.parameters():
            p.requires_grad_(True)
    np.testing.assert_allclose(frozen, cams[1], atol=1e-6)
    with pytest.raises(ExplainError, match="out of range"):
        grad_cam(stack, x, target=9)
    with pytest.raises(ExplainError, match="feature maps"):
        grad_cam(stack, x, layer="8_Linear")
    with torch.inference_mode():  # a caller inside inference mode still gets a heat map
        assert grad_cam(stack, x).heatmap.shape == (16, 16)


def test_as_hwc_turns_tensors_arrays_and_pil_images_into_what_a_view_shows() -> None:
    chw = torch.arange(3 * 2 * 5, dtype=torch.uint8).reshape(3, 2, 5)
    hwc = as_hwc(chw)
    assert hwc.shape == (2, 5, 3) and hwc.dtype == np.uint8 and hwc.flags.c_contiguous
    assert np.array_equal(hwc, chw.numpy().transpose(1, 2, 0))
    assert as_hwc(torch.zeros(1, 5, 6)).shape == (5, 6)  # one channel: a grey image
    grey = as_hwc(Image.new("L", (7, 3), 9))
    assert grey.shape == (3, 7) and int(grey[0, 0]) == 9
    assert as_hwc(Image.new("RGBA", (2, 2))).shape == (2, 2, 4)
    clipped = as_hwc(np.array([[-5.0, 300.0, np.nan]]))
    assert clipped.tolist() == [[0, 255, 0]]


def test_overlay_and_colours() -> None:
    heat = np.linspace(0, 1, 64, dtype=np.float32).reshape(8, 8)
    colours = heat_colors(heat)
    assert colours.shape == (8, 8, 3)
    assert colours[0, 0, 2] > colours[0, 0, 0]  # cold is blue
    assert colours[-1, -1, 0] > colours[-1, -1, 2]  # hot is red
    grey = Image.new("L", (16, 16), 128)
    out = overlay(grey, heat, alpha=0.5)
    assert out.size == (16, 16) and out.mode == "RGB"
    assert out.getpixel((0, 0)) != out.getpixel((15, 15))
    chw = np.full((3, 8, 8), 10, dtype=np.uint8)
    assert overlay(chw, heat, alpha=0.0).getpixel((3, 3)) == (10, 10, 10)


def test_model_input_from_files_pil_and_split_items(tmp_path) -> None:
    from studio.core.evaluation.explain import model_input

    rng = np.random.default_rng(0)
    Image.fromarray(rng.integers(0, 256, (40, 30, 3), dtype=np.uint8)).save(tmp_path / "a.png")
    a = model_input(tmp_path / "a.png", (3, 16, 16), [0.5] * 3, [0.25] * 3)
    assert a.tensor.shape == (3, 16, 16) and a.tensor.dtype == torch.float32
    assert a.display.shape == (16, 16, 3) and a.display.dtype == np.uint8
    expected = (torch.from_numpy(a.display).permute(2, 0, 1).float() / 255 - 0.5) / 0.25
    torch.testing.assert_close(a.tensor, expected)
    grey = model_input(Image.open(tmp_path / "a.png"), (1, 8, 8), [0.1], [0.2])
    assert grey.display.shape == (8, 8) and grey.tensor.shape == (1, 8, 8)
    item = torch.full((1, 8, 8), 51, dtype=torch.uint8)
    assert model_input(item, (1, 8, 8), [0.1], [0.2]).tensor[0, 0, 0].item() == pytest.approx(0.5)
    with pytest.raises(ValueError):
        model_input(item, (3, 8, 8), [0.1] * 3, [0.2] * 3)
