"""The python export: one generator per registry type, every block verified, preprocessing parity."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
import torch
from PIL import Image

from studio.core.data.preprocess import open_image, to_uint8_tensor
from studio.core.export.exporter import ExportMeta, Samples, export_model
from studio.core.export.python_source import GENERATORS, model_source
from studio.core.model.blocks import REGISTRY
from studio.core.model.builder import build_model
from studio.core.project.project_file import Project

EVERY_BLOCK = [
    {"type": "Conv2d", "out_channels": 8, "kernel_size": [3, 3], "padding": "same", "bias": False},
    {"type": "BatchNorm2d", "eps": 0.001, "momentum": 0.2},
    {"type": "LeakyReLU", "negative_slope": 0.2},
    {"type": "BasicBlock", "out_channels": 8},
    {"type": "BasicBlock", "out_channels": 16, "stride": 2},
    {"type": "Bottleneck", "out_channels": 4, "groups": 2, "base_width": 32},
    {"type": "Bottleneck", "out_channels": 8, "stride": 2, "groups": 2},
    {"type": "Inception", "ch1x1": 8, "ch3x3red": 4, "ch3x3": 8, "ch5x5red": 2, "ch5x5": 4, "pool_proj": 4},
    {"type": "MBConv", "out_channels": 24, "kernel_size": 5, "expand_ratio": 4.0, "stochastic_depth": 0.1},
    {"type": "MBConv", "out_channels": 16, "kernel_size": 3, "expand_ratio": 6.0},
    {"type": "SqueezeExcitation", "reduction": 2},
    {"type": "DepthwiseSeparableConv2d", "out_channels": 16, "kernel_size": 3},
    {"type": "VGGBlock", "out_channels": 16, "convs": 2, "batch_norm": True},
    {"type": "GELU", "approximate": "tanh"},
    {"type": "Dropout2d", "p": 0.3},
    {"type": "Conv2d", "out_channels": 16, "kernel_size": 3, "padding": 2, "dilation": 2, "groups": 2},
    {"type": "SiLU"},
    {"type": "MaxPool2d", "kernel_size": 2, "stride": 1, "padding": 1, "ceil_mode": True},
    {"type": "AvgPool2d", "kernel_size": 2, "stride": 1, "count_include_pad": False},
    {"type": "AdaptiveMaxPool2d", "output_size": [2, 2]},
    {"type": "AdaptiveAvgPool2d", "output_size": 1},
    {"type": "Tanh"},
    {"type": "Flatten"},
    {"type": "Linear", "out_features": 12},
    {"type": "BatchNorm1d", "affine": False},
    {"type": "Sigmoid"},
    {"type": "Dropout", "p": 0.1},
    {"type": "ReLU"},
    {"type": "Linear", "out_features": 5, "bias": False},
]


def _project(model: dict, channels: int = 3, size: int = 16) -> Project:
    return Project.from_dict(
        {
            "format": "cnn-studio/1",
            "name": "Every block",
            "data": {
                "source": "folder",
                "root": "/nonexistent",
                "channels": channels,
                "image_size": [size, size],
            },
            "model": model,
        }
    )


def _meta(project: Project, classes: int) -> ExportMeta:
    c = project.input_shape[0]
    return ExportMeta(
        project.name,
        [f"class {i}" for i in range(classes)],
        project.input_shape,
        [0.4] * c,
        [0.2] * c,
        project.to_dict(),
    )


def _synthetic(shape: tuple[int, int, int], n: int = 6) -> Samples:
    g = torch.Generator().manual_seed(1)
    return Samples(torch.randn((n, *shape), generator=g).numpy(), "synthetic inputs", "test")


def _randomise_batchnorm(model: torch.nn.Module) -> None:
    g = torch.Generator().manual_seed(2)
    for m in model.modules():
        if isinstance(m, torch.nn.modules.batchnorm._BatchNorm):
            m.running_mean.copy_(torch.randn(m.running_mean.shape, generator=g) * 0.2)
            m.running_var.copy_(torch.rand(m.running_var.shape, generator=g) + 0.5)
            if m.affine:
                m.weight.data.copy_(torch.rand(m.weight.shape, generator=g) + 0.5)
                m.bias.data.copy_(torch.randn(m.bias.shape, generator=g) * 0.1)


def test_every_registry_type_has_a_generator() -> None:
    assert sorted(set(REGISTRY) - set(GENERATORS)) == []
    assert sorted(set(GENERATORS) - set(REGISTRY)) == []


def test_the_every_block_stack_really_uses_every_block() -> None:
    missing = set(REGISTRY) - {layer["type"] for layer in EVERY_BLOCK}
    assert not missing, f"add {sorted(missing)} to EVERY_BLOCK so that their generated code is verified"


def test_every_block_rebuilds_exactly(tmp_path: Path) -> None:
    project = _project({"kind": "stack", "layers": EVERY_BLOCK})
    torch.manual_seed(0)
    model = build_model(project).eval()
    _randomise_batchnorm(model)
    result = export_model(
        model, _meta(project, 5), "python", tmp_path / "py", samples=_synthetic((3, 16, 16))
    )
    v = result.verification
    assert v.ok and v.max_abs_diff < 1e-5 and v.top1_agreement == 1.0 and v.source == "synthetic inputs"
    source = (result.path / "model.py").read_text()
    assert "import torchvision" not in source and "from torchvision" not in source
    assert "class BasicBlock(nn.Module)" in source and "class VGGBlock(nn.Sequential)" in source
    assert "(\"0_Conv2d\", nn.Conv2d(3, 8, kernel_size=(3, 3), padding='same', bias=False))," in source
    assert '("28_Linear", nn.Linear(12, 5, bias=False)),  # -> 5' in source
    assert "class Inception(nn.Module)" in source and "class MBConv(nn.Module)" in source
    compile(source, "model.py", "exec")


def test_generated_source_leaves_out_defaults() -> None:
    layers = [
        {"type": "Conv2d", "out_channels": 4, "kernel_size": 5},
        {"type": "ReLU"},
        {"type": "MaxPool2d", "kernel_size": 2},
        {"type": "Flatten"},
        {"type": "Linear", "out_features": 2},
    ]
    project = _project({"kind": "stack", "layers": layers}, channels=1, size=12)
    source = model_source(_meta(project, 2), build_model(project))
    assert "nn.Conv2d(1, 4, kernel_size=5)" in source and "nn.MaxPool2d(kernel_size=2)" in source
    assert "nn.Linear(64, 2)" in source and "class BasicBlock" not in source
    assert "CLASSES: list[str] = ['class 0', 'class 1']" in source


def test_pretrained_resnet_exports(tmp_path: Path) -> None:
    project = _project({"kind": "pretrained", "arch": "resnet18", "weights": None, "freeze": "none"}, size=32)
    torch.manual_seed(0)
    model = build_model(project, num_classes=4, load_weights=False).eval()
    _randomise_batchnorm(model)
    samples = _synthetic((3, 32, 32), n=4)
    py = export_model(model, _meta(project, 4), "python", tmp_path / "py", samples=samples)
    assert py.verification.ok and py.verification.max_abs_diff < 1e-4
    assert "get_model('resnet18', weights=None, num_classes=4)" in (py.path / "model.py").read_text()
    ts = export_model(model, _meta(project, 4), "torchscript", tmp_path / "r.pt", samples=samples)
    assert ts.verification.ok and ts.path.is_file()


# --------------------------------------------------------------------------- predict.py


@pytest.fixture(scope="module")
def predict_module(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """The generated predict.py of a small grey model, imported in this process."""
    layers = [
        {"type": "Conv2d", "out_channels": 2, "kernel_size": 3},
        {"type": "Flatten"},
        {"type": "Linear", "out_features": 3},
    ]
    project = _project({"kind": "stack", "layers": layers}, channels=1, size=8)
    folder = tmp_path_factory.mktemp("pred") / "py"
    torch.manual_seed(0)
    export_model(
        build_model(project).eval(), _meta(project, 3), "python", folder, samples=_synthetic((1, 8, 8))
    )
    saved_path, saved_model = list(sys.path), sys.modules.pop("model", None)
    try:
        spec = importlib.util.spec_from_file_location("_generated_predict", folder / "predict.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path[:] = saved_path
        sys.modules.pop("model", None)
        if saved_model is not None:
            sys.modules["model"] = saved_model
    return module


def _images(folder: Path) -> list[Path]:
    """Image files in awkward modes: EXIF-rotated big JPEG, RGBA, palette+transparency, 16-bit..."""
    rng = np.random.default_rng(0)
    rgb = Image.fromarray(rng.integers(0, 256, (200, 300, 3), dtype=np.uint8))
    out = []
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90 degrees
    rgb.save(folder / "big.jpg", quality=90, exif=exif)
    rgb.convert("RGBA").save(folder / "rgba.png")
    pal = rgb.resize((30, 20)).convert("P", palette=Image.Palette.ADAPTIVE)
    pal.info["transparency"] = 0
    pal.save(folder / "pal.png", transparency=0)
    Image.fromarray((rng.integers(0, 65535, (20, 30))).astype(np.uint16)).save(folder / "deep.png")
    rgb.resize((30, 20)).convert("LA").save(folder / "la.png")
    rgb.resize((30, 20)).convert("CMYK").save(folder / "cmyk.jpg")
    rgb.resize((30, 20)).convert("1").save(folder / "bits.png")
    Image.fromarray(rng.random((20, 30)).astype(np.float32)).save(folder / "float.tif")
    for name in ("big.jpg", "rgba.png", "pal.png", "deep.png", "la.png", "cmyk.jpg", "bits.png", "float.tif"):
        out.append(folder / name)
    return out


@pytest.mark.parametrize("channels", [1, 3, 4])
def test_predict_py_preprocessing_equals_the_studios(
    channels: int, predict_module: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(predict_module, "INPUT_SHAPE", (channels, 12, 16))
    for path in _images(tmp_path):
        theirs = predict_module.load_image(str(path))
        ours = to_uint8_tensor(open_image(path, size_hint=(12, 16)), channels, (12, 16))
        assert theirs.shape == (channels, 12, 16), path.name
        assert torch.equal(theirs, ours), path.name


def test_predict_py_text_output(
    predict_module: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    image = tmp_path / "x.png"
    Image.fromarray(np.full((8, 8), 200, np.uint8)).save(image)
    assert predict_module.main([str(image), str(tmp_path / "missing.png"), "--top-k", "9"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"{image}: class ") and lines[0].count("%") == 3  # top-k clipped to 3
    assert lines[1].startswith(f"{tmp_path / 'missing.png'}: error:")
    assert predict_module.main([str(tmp_path / "missing.png")]) == 2
