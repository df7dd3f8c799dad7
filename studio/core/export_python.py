"""The ``python`` export: a folder with readable, stand-alone PyTorch source.

```
OUT/
  model.py          build_model() (plain torch.nn), load_model() with the trained weights,
                    CLASSES, INPUT_SHAPE, MEAN, STD
  predict.py        python predict.py IMAGE... [--top-k K]  (preprocessing built in)
  weights.pt        the state dict; loads with torch.load(..., weights_only=True)
  cnn_studio.json   the same metadata as every other export
```

``model.py`` is generated from the block registry: :data:`GENERATORS` has one function per
registry type that writes that layer's constructor call (a test fails when a registry type
has none). Composite blocks (``BasicBlock``, ``Bottleneck``, ``VGGBlock``) are written out as
small classes whose parameter names match the studio's (torchvision's) modules, so a stack
needs nothing but torch. A pretrained model is rebuilt with torchvision's own constructor.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studio.core.blocks import REGISTRY, Shape
from studio.core.export_formats import TORCHSCRIPT_META_FILE, ExportError, ExportMeta, cpu_state_dict

if TYPE_CHECKING:
    import torch.nn as nn

WEIGHTS_FILE = "weights.pt"


# --------------------------------------------------------------------------- per-type generators


def _lit(value: Any) -> str:
    """A Python literal for a JSON argument value (lists become tuples)."""
    if isinstance(value, list):
        return repr(tuple(value))
    return repr(value)


def _kwargs(args: dict[str, Any], names: tuple[str, ...], block: str) -> list[str]:
    """``name=value`` for each argument that differs from the registry default."""
    out = []
    for name in names:
        default = REGISTRY[block].arg(name).default
        if args[name] != default:
            out.append(f"{name}={_lit(args[name])}")
    return out


def _call(cls: str, positional: list[str], kwargs: list[str]) -> str:
    return f"{cls}({', '.join(positional + kwargs)})"


def _conv(s: Shape, a: dict[str, Any]) -> str:
    return _call("nn.Conv2d", [str(s[0]), str(a["out_channels"])],
                 [f"kernel_size={_lit(a['kernel_size'])}"]
                 + _kwargs(a, ("stride", "padding", "dilation", "groups", "bias"), "Conv2d"))


def _pool(block: str, names: tuple[str, ...]) -> Callable[[Shape, dict[str, Any]], str]:
    def gen(s: Shape, a: dict[str, Any]) -> str:
        return _call(f"nn.{block}", [f"kernel_size={_lit(a['kernel_size'])}"], _kwargs(a, names, block))
    return gen


def _adaptive(block: str) -> Callable[[Shape, dict[str, Any]], str]:
    def gen(s: Shape, a: dict[str, Any]) -> str:
        return _call(f"nn.{block}", [_lit(a["output_size"])], [])
    return gen


def _batchnorm(block: str) -> Callable[[Shape, dict[str, Any]], str]:
    def gen(s: Shape, a: dict[str, Any]) -> str:
        return _call(f"nn.{block}", [str(s[0])], _kwargs(a, ("eps", "momentum", "affine"), block))
    return gen


def _plain(block: str, names: tuple[str, ...] = ()) -> Callable[[Shape, dict[str, Any]], str]:
    def gen(s: Shape, a: dict[str, Any]) -> str:
        return _call(f"nn.{block}", [], _kwargs(a, names, block) if names else [])
    return gen


def _linear(s: Shape, a: dict[str, Any]) -> str:
    return _call("nn.Linear", [str(s[0]), str(a["out_features"])], _kwargs(a, ("bias",), "Linear"))


def _basic(s: Shape, a: dict[str, Any]) -> str:
    return _call("BasicBlock", [str(s[0]), str(a["out_channels"])], [f"stride={a['stride']}"])


def _bottleneck(s: Shape, a: dict[str, Any]) -> str:
    return _call("Bottleneck", [str(s[0]), str(a["out_channels"])],
                 [f"stride={a['stride']}"] + _kwargs(a, ("groups", "base_width"), "Bottleneck"))


def _vgg(s: Shape, a: dict[str, Any]) -> str:
    return _call("VGGBlock", [str(s[0]), str(a["out_channels"])],
                 [f"convs={a['convs']}", f"batch_norm={a['batch_norm']!r}"])


GENERATORS: dict[str, Callable[[Shape, dict[str, Any]], str]] = {
    "Conv2d": _conv,
    "MaxPool2d": _pool("MaxPool2d", ("stride", "padding", "dilation", "ceil_mode")),
    "AvgPool2d": _pool("AvgPool2d", ("stride", "padding", "ceil_mode", "count_include_pad")),
    "AdaptiveAvgPool2d": _adaptive("AdaptiveAvgPool2d"),
    "AdaptiveMaxPool2d": _adaptive("AdaptiveMaxPool2d"),
    "BatchNorm2d": _batchnorm("BatchNorm2d"),
    "BatchNorm1d": _batchnorm("BatchNorm1d"),
    "ReLU": _plain("ReLU"),
    "LeakyReLU": _plain("LeakyReLU", ("negative_slope",)),
    "GELU": _plain("GELU", ("approximate",)),
    "SiLU": _plain("SiLU"),
    "Sigmoid": _plain("Sigmoid"),
    "Tanh": _plain("Tanh"),
    "Dropout": _plain("Dropout", ("p",)),
    "Dropout2d": _plain("Dropout2d", ("p",)),
    "Flatten": _plain("Flatten"),
    "Linear": _linear,
    "BasicBlock": _basic,
    "Bottleneck": _bottleneck,
    "VGGBlock": _vgg,
}

# The class each composite block needs in model.py (parameter names as in torchvision).
_CLASSES: dict[str, str] = {
    "BasicBlock": '''
class BasicBlock(nn.Module):
    """ResNet's basic block: two 3x3 conv + BatchNorm, plus the input added back (skip)."""

    def __init__(self, in_channels: int, out_channels: int, stride: int = 1) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.downsample = None
        if stride != 1 or in_channels != out_channels:  # match the shapes for the skip
            self.downsample = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False),
                nn.BatchNorm2d(out_channels),
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + identity)
''',
    "Bottleneck": '''
class Bottleneck(nn.Module):
    """ResNet's bottleneck block: 1x1 reduce, 3x3, 1x1 expand (x4), plus the skip."""

    expansion = 4

    def __init__(self, in_channels: int, planes: int, stride: int = 1, groups: int = 1,
                 base_width: int = 64) -> None:
        super().__init__()
        width = int(planes * (base_width / 64.0)) * groups
        out_channels = planes * self.expansion
        self.conv1 = nn.Conv2d(in_channels, width, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, width, 3, stride=stride, padding=1, groups=groups, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = nn.Conv2d(width, out_channels, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(out_channels)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = None
        if stride != 1 or in_channels != out_channels:  # match the shapes for the skip
            self.downsample = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False),
                nn.BatchNorm2d(out_channels),
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return self.relu(out + identity)
''',
    "VGGBlock": '''
class VGGBlock(nn.Sequential):
    """VGG's block: `convs` 3x3 convolutions (padding 1) with ReLU, then 2x2 max pooling."""

    def __init__(self, in_channels: int, out_channels: int, convs: int = 2,
                 batch_norm: bool = False) -> None:
        layers: list[nn.Module] = []
        for _ in range(convs):
            layers.append(nn.Conv2d(in_channels, out_channels, 3, padding=1))
            if batch_norm:
                layers.append(nn.BatchNorm2d(out_channels))
            layers.append(nn.ReLU(inplace=True))
            in_channels = out_channels
        layers.append(nn.MaxPool2d(2, 2))
        super().__init__(*layers)
''',
}


# --------------------------------------------------------------------------- model.py


def _fmt_shape(shape: Shape) -> str:
    return " x ".join(str(v) for v in shape)


def _header(meta: ExportMeta) -> str:
    c, h, w = meta.input_shape
    return f'''"""{meta.name}: a CNN exported by CNN Studio as plain PyTorch.

    from model import load_model, CLASSES
    model = load_model()            # eval mode, trained weights from {WEIGHTS_FILE}
    logits = model(batch)           # batch: float32 (N, {c}, {h}, {w}), normalised as below
    probabilities = logits.softmax(dim=1)

Inputs: images converted to {dict([(1, "greyscale (L)"), (3, "RGB"), (4, "RGBA")]).get(c, f"{c} channels")}, resized to {h} x {w} (bilinear), scaled to
0..1, then normalised per channel with (x - MEAN) / STD. predict.py does all of that.
"""
'''


def _constants(meta: ExportMeta) -> str:
    return (f"CLASSES: list[str] = {json.dumps(meta.classes, ensure_ascii=False)}\n"
            f"INPUT_SHAPE: tuple[int, int, int] = {tuple(meta.input_shape)!r}  # channels, height, width\n"
            f"MEAN: list[float] = {list(meta.mean)!r}\n"
            f"STD: list[float] = {list(meta.std)!r}\n")


_LOADER = f'''

def load_model(weights: str | os.PathLike | None = None, device: str = "cpu") -> nn.Module:
    """The network with its trained weights (``{WEIGHTS_FILE}`` beside this file), in eval mode."""
    path = Path(weights) if weights is not None else Path(__file__).with_name("{WEIGHTS_FILE}")
    state = torch.load(path, map_location=device, weights_only=True)
    model = build_model()
    model.load_state_dict(state)
    return model.to(device).eval()
'''


def stack_source(layers: list[dict[str, Any]], input_shape: Shape) -> str:
    """The ``build_model()`` function and block classes of a stack."""
    from studio.core.models import layer_name
    from studio.core.shapes import summarize

    summary = summarize(layers, input_shape)
    used = {info.type for info in summary.layers}
    missing = sorted(used - set(GENERATORS))
    if missing:
        raise ExportError(f"the python export has no generator for {', '.join(missing)}; use the "
                          "torchscript or onnx format for this model")
    classes = "".join(_CLASSES[name] + "\n" for name in ("BasicBlock", "Bottleneck", "VGGBlock") if name in used)
    rows = []
    for info, layer in zip(summary.layers, layers, strict=True):
        block = REGISTRY[info.type]
        call = GENERATORS[info.type](info.input_shape, block.resolve(layer))
        rows.append(f'        ("{layer_name(info.index, info.type)}", {call}),  # -> {_fmt_shape(info.output_shape)}')
    body = "\n".join(rows)
    return (f"{classes}\n"
            "def build_model() -> nn.Sequential:\n"
            '    """The network with fresh weights; each row is one layer of the CNN Studio design."""\n'
            f"    return nn.Sequential(OrderedDict([  # input: {_fmt_shape(input_shape)}\n"
            f"{body}\n"
            "    ]))\n")


def pretrained_source(arch: str, num_classes: int, model: nn.Module) -> str:
    """``build_model()`` for a torchvision model: its constructor with a fitting head."""
    extra = ""
    if arch == "googlenet":
        extra = (", aux_logits=False, init_weights=False)\n"
                 f"    model.transform_input = {bool(getattr(model, 'transform_input', False))!r}\n"
                 "    return model\n")
        return ("from torchvision.models import get_model  # noqa: E402  (pretrained architectures need torchvision)\n\n\n"
                "def build_model() -> nn.Module:\n"
                f'    """torchvision\'s {arch} with a {num_classes}-class head (weights come from load_model)."""\n'
                f'    model = get_model("{arch}", weights=None, num_classes={num_classes}{extra}')
    return ("from torchvision.models import get_model  # noqa: E402  (pretrained architectures need torchvision)\n\n\n"
            "def build_model() -> nn.Module:\n"
            f'    """torchvision\'s {arch} with a {num_classes}-class head (weights come from load_model)."""\n'
            f'    return get_model("{arch}", weights=None, num_classes={num_classes})\n')


def model_source(meta: ExportMeta, model: nn.Module) -> str:
    """The whole text of ``model.py``."""
    model_spec = meta.project.get("model") or {}
    if model_spec.get("kind", "stack") == "stack":
        body = stack_source(list(model_spec.get("layers") or []), meta.input_shape)
    else:
        body = pretrained_source(str(model_spec.get("arch")), len(meta.classes), model)
    return (_header(meta)
            + "\nfrom __future__ import annotations\n\n"
            "import os\nfrom collections import OrderedDict\nfrom pathlib import Path\n\n"
            "import torch\nfrom torch import nn\n\n"
            + _constants(meta) + "\n" + body + _LOADER)


# --------------------------------------------------------------------------- predict.py


_PREDICT = '''"""Classify images with the exported model: python predict.py IMAGE... [--top-k K] [--json]

The preprocessing is the one CNN Studio used while training: EXIF orientation, conversion
to the model's channels, a bilinear resize to its input size, scaling to 0..1 and
normalisation with the training set's mean and standard deviation.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import torch
from PIL import Image, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parent))
from model import CLASSES, INPUT_SHAPE, MEAN, STD, load_model  # noqa: E402

MODES = {1: "L", 3: "RGB", 4: "RGBA"}


def _to_8bit(img: Image.Image) -> Image.Image:
    """16-bit, 32-bit integer and float images as 8-bit greyscale."""
    raw = bytearray(img.convert("F").tobytes())
    values = torch.frombuffer(raw, dtype=torch.float32).to(torch.float64)
    if img.mode == "F":
        values = torch.nan_to_num(values, nan=0.0, posinf=0.0, neginf=0.0)
        hi = float(values.max()) if values.numel() else 0.0
        if hi <= 1.0:  # floats in 0..1
            values = values * 255.0
        elif hi > 255.0:  # floats holding 16-bit values
            values = values / 257.0
    elif values.numel() and float(values.max()) > 255:  # 16-bit data
        values = values / 257.0
    data = values.round().clamp(0, 255).to(torch.uint8)
    return Image.frombytes("L", (img.width, img.height), bytes(data.tolist()))


def load_image(path: str) -> torch.Tensor:
    """One image file as a uint8 (C, H, W) tensor of the model's input size."""
    channels, height, width = INPUT_SHAPE
    with Image.open(path) as img:
        if img.format == "JPEG":
            img.draft(img.mode, (max(height, width), max(height, width)))
        img.load()
        img = ImageOps.exif_transpose(img)
    if img.mode in ("I", "F") or img.mode.startswith("I;"):
        img = _to_8bit(img)
    elif (img.mode == "P" and "transparency" in img.info) or img.mode == "PA":
        img = img.convert("RGBA")
    target = MODES[channels]
    if img.mode in ("CMYK", "YCbCr", "LAB", "HSV") and target != "RGB":
        img = img.convert("RGB")
    if img.mode != target:
        img = img.convert(target)
    if img.size != (width, height):
        img = img.resize((width, height), Image.BILINEAR, reducing_gap=3.0)
    data = torch.frombuffer(bytearray(img.tobytes()), dtype=torch.uint8)
    return data.reshape(height, width, channels).permute(2, 0, 1).contiguous()


def preprocess(paths: list[str]) -> torch.Tensor:
    """Image files -> the normalised float32 batch (N, C, H, W) the model expects."""
    mean = torch.tensor(MEAN, dtype=torch.float32).view(-1, 1, 1)
    std = torch.tensor(STD, dtype=torch.float32).view(-1, 1, 1)
    batch = torch.stack([load_image(p) for p in paths]).to(torch.float32)
    return batch.mul_(1.0 / (255.0 * std)).sub_(mean / std)


def main(argv: list[str] | None = None) -> int:
    """Print the top-k classes of each image (or JSON with --json)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("images", nargs="+", help="image files")
    parser.add_argument("--top-k", type=int, default=3, help="how many classes to show per image")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    args = parser.parse_args(argv)
    model = load_model()
    k = max(1, min(args.top_k, len(CLASSES)))
    results = []
    for path in args.images:
        try:
            x = preprocess([path])
        except (OSError, ValueError) as exc:
            results.append({"image": path, "error": str(exc)})
            continue
        with torch.inference_mode():
            probs = model(x).softmax(dim=1)[0]
        values, indices = probs.topk(k)
        results.append({"image": path, "top": [{"class": CLASSES[i], "index": int(i), "probability": float(v)}
                                               for v, i in zip(values.tolist(), indices.tolist())]})
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    else:
        for r in results:
            if "error" in r:
                print(f"{r['image']}: error: {r['error']}")
            else:
                print(f"{r['image']}: " + ", ".join(f"{t['class']} {t['probability']:.1%}" for t in r["top"]))
    return 0 if any("error" not in r for r in results) else 2


if __name__ == "__main__":
    sys.exit(main())
'''


def predict_source() -> str:
    """The text of ``predict.py`` (the same for every model: it reads model.py's constants)."""
    return _PREDICT


# --------------------------------------------------------------------------- folder


def write_python(model: nn.Module, meta: ExportMeta, folder: Path, example: Any) -> list[str]:
    """Write model.py, predict.py, weights.pt and the metadata into ``folder``."""
    import io

    import torch

    folder.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    torch.save(cpu_state_dict(model), buffer)
    (folder / WEIGHTS_FILE).write_bytes(buffer.getvalue())
    (folder / "model.py").write_text(model_source(meta, model), encoding="utf-8")
    (folder / "predict.py").write_text(predict_source(), encoding="utf-8")
    (folder / TORCHSCRIPT_META_FILE).write_text(json.dumps(meta.to_json(), indent=2, ensure_ascii=False) + "\n",
                                                encoding="utf-8")
    kind = (meta.project.get("model") or {}).get("kind", "stack")
    return ["model.py needs only torch" if kind == "stack" else "model.py needs torch and torchvision",
            "predict.py needs torch and Pillow"]


def read_python(folder: str | Path) -> tuple[Callable[[Any], Any], ExportMeta]:
    """Import the folder's model.py under a private name and load its weights (a runner)."""
    import importlib.util
    import sys

    import numpy as np
    import torch

    folder = Path(folder)
    meta_path = folder / TORCHSCRIPT_META_FILE
    if not (folder / "model.py").is_file() or not meta_path.is_file():
        raise ExportError(f"{folder} is not a CNN Studio python export (no model.py / {TORCHSCRIPT_META_FILE})")
    meta = ExportMeta.from_json(meta_path.read_text(encoding="utf-8"), str(meta_path))
    name = f"_cnn_studio_export_{next(_COUNTER)}"
    spec = importlib.util.spec_from_file_location(name, folder / "model.py")
    if spec is None or spec.loader is None:
        raise ExportError(f"{folder / 'model.py'} cannot be imported")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
        net = module.load_model(folder / WEIGHTS_FILE)
    except Exception as exc:
        raise ExportError(f"{folder / 'model.py'} does not load its model ({type(exc).__name__}: "
                          f"{str(exc)[:200]})") from None
    finally:
        sys.modules.pop(name, None)

    def run(x: np.ndarray) -> np.ndarray:
        with torch.inference_mode():
            return net(torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32))).float().numpy()

    return run, meta


_COUNTER = itertools.count()
