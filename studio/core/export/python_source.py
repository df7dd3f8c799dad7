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
has none). Composite blocks (``BasicBlock``, ``Bottleneck``, ``VGGBlock``, ``Inception``, ``MBConv``,
``SqueezeExcitation``, ``DepthwiseSeparableConv2d``) are written out as
small classes whose parameter names match the studio's (torchvision's) modules, so a stack
needs nothing but torch. A pretrained model is rebuilt with torchvision's own constructor.
"""

from __future__ import annotations

import importlib.util
import io
import itertools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studio.core.base.i18n import tr
from studio.core.export.formats import (
    TORCHSCRIPT_META_FILE,
    ExportError,
    ExportMeta,
    cpu_state_dict,
    json_text,
    torch_runner,
)
from studio.core.export.python_templates import BLOCK_CLASSES, PREDICT_SCRIPT
from studio.core.model.blocks import REGISTRY, Shape
from studio.core.model.branch_rules import se_squeeze
from studio.core.model.builder import layer_name
from studio.core.model.shapes import summarize

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
    return _call(
        "nn.Conv2d",
        [str(s[0]), str(a["out_channels"])],
        [f"kernel_size={_lit(a['kernel_size'])}"]
        + _kwargs(a, ("stride", "padding", "dilation", "groups", "bias"), "Conv2d"),
    )


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
    return _call(
        "Bottleneck",
        [str(s[0]), str(a["out_channels"])],
        [f"stride={a['stride']}"] + _kwargs(a, ("groups", "base_width"), "Bottleneck"),
    )


def _vgg(s: Shape, a: dict[str, Any]) -> str:
    return _call(
        "VGGBlock",
        [str(s[0]), str(a["out_channels"])],
        [f"convs={a['convs']}", f"batch_norm={a['batch_norm']!r}"],
    )


def _inception(s: Shape, a: dict[str, Any]) -> str:
    return _call(
        "Inception",
        [str(s[0])] + [str(a[k]) for k in ("ch1x1", "ch3x3red", "ch3x3", "ch5x5red", "ch5x5", "pool_proj")],
        [],
    )


def _mbconv(s: Shape, a: dict[str, Any]) -> str:
    return _call(
        "MBConv",
        [str(s[0]), str(a["out_channels"])],
        [
            f"kernel_size={a['kernel_size']}",
            f"stride={a['stride']}",
            f"expand_ratio={float(a['expand_ratio'])!r}",
        ]
        + ([f"stochastic_depth={float(a['stochastic_depth'])!r}"] if a["stochastic_depth"] else []),
    )


def _se(s: Shape, a: dict[str, Any]) -> str:
    return _call("SqueezeExcitation", [str(s[0]), str(se_squeeze(s[0], a))], [])


def _dwsep(s: Shape, a: dict[str, Any]) -> str:
    return _call(
        "DepthwiseSeparableConv2d",
        [str(s[0]), str(a["out_channels"])],
        [f"kernel_size={a['kernel_size']}", f"stride={a['stride']}"],
    )


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
    "Inception": _inception,
    "MBConv": _mbconv,
    "SqueezeExcitation": _se,
    "DepthwiseSeparableConv2d": _dwsep,
}

# the classes (and helpers) each block type needs in model.py, in definition order
_NEEDS: dict[str, tuple[str, ...]] = {
    "BasicBlock": ("BasicBlock",),
    "Bottleneck": ("Bottleneck",),
    "VGGBlock": ("VGGBlock",),
    "Inception": ("Inception",),
    "SqueezeExcitation": ("SqueezeExcitation",),
    "MBConv": ("ConvBNAct", "SqueezeExcitation", "MBConv"),
    "DepthwiseSeparableConv2d": ("ConvBNAct", "DepthwiseSeparableConv2d"),
}

# --------------------------------------------------------------------------- model.py


def _fmt_shape(shape: Shape) -> str:
    return " x ".join(str(v) for v in shape)


def docstring_safe(text: str, limit: int = 80) -> str:
    """``text`` with only characters that cannot end or escape a docstring (no quotes,
    backslashes, line breaks or unprintable characters), cut to ``limit`` characters.

    Names are user data (a project name, a class folder name): the generated source shows them
    in prose only through this, and as data only through ``repr()`` (see :func:`_constants`).
    """
    kept = "".join(ch if ch.isprintable() and ch not in "\"'\\`" else "?" for ch in text)
    return kept[:limit] or "model"


def _header(meta: ExportMeta) -> str:
    c, h, w = (int(v) for v in meta.input_shape)
    return f'''"""{docstring_safe(meta.name)}: a CNN exported by CNN Studio as plain PyTorch.

    from model import load_model, CLASSES
    model = load_model()            # eval mode, trained weights from {WEIGHTS_FILE}
    logits = model(batch)           # batch: float32 (N, {c}, {h}, {w}), normalised as below
    probabilities = logits.softmax(dim=1)

Inputs: images converted to {dict([(1, "greyscale (L)"), (3, "RGB"), (4, "RGBA")]).get(c, f"{c} channels")}, resized to {h} x {w} (bilinear), scaled to
0..1, then normalised per channel with (x - MEAN) / STD. predict.py does all of that.
"""
'''


def _constants(meta: ExportMeta) -> str:
    # repr() of str/int/float values is a Python literal that evaluates back to the value:
    # quotes, backslashes, line breaks and lone surrogates are escaped, so no name can
    # become code (json.dumps is not enough: it leaves ' and """ alone)
    return (
        f"NAME: str = {str(meta.name)!r}\n"
        f"CLASSES: list[str] = {[str(c) for c in meta.classes]!r}\n"
        f"INPUT_SHAPE: tuple[int, int, int] = {tuple(int(v) for v in meta.input_shape)!r}"
        "  # channels, height, width\n"
        f"MEAN: list[float] = {[float(v) for v in meta.mean]!r}\n"
        f"STD: list[float] = {[float(v) for v in meta.std]!r}\n"
    )


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
    summary = summarize(layers, input_shape)
    used = {info.type for info in summary.layers}
    missing = sorted(used - set(GENERATORS))
    if missing:
        raise ExportError(
            tr(
                "the python export has no generator for {missing}; use the torchscript or onnx format for this model",
                missing=", ".join(missing),
            )
        )
    needed = {cls for name in used for cls in _NEEDS.get(name, ())}
    classes = "".join(BLOCK_CLASSES[name] + "\n" for name in BLOCK_CLASSES if name in needed)
    rows = []
    for info, layer in zip(summary.layers, layers, strict=True):
        block = REGISTRY[info.type]
        call = GENERATORS[info.type](info.input_shape, block.resolve(layer))
        rows.append(
            f'        ("{layer_name(info.index, info.type)}", {call}),  # -> {_fmt_shape(info.output_shape)}'
        )
    body = "\n".join(rows)
    return (
        f"{classes}\n"
        "def build_model() -> nn.Sequential:\n"
        '    """The network with fresh weights; each row is one layer of the CNN Studio design."""\n'
        f"    return nn.Sequential(OrderedDict([  # input: {_fmt_shape(input_shape)}\n"
        f"{body}\n"
        "    ]))\n"
    )


def pretrained_source(arch: str, num_classes: int, model: nn.Module) -> str:
    """``build_model()`` for a torchvision model: its constructor with a fitting head."""
    extra = ""
    if arch == "googlenet":
        extra = (
            ", aux_logits=False, init_weights=False)\n"
            f"    model.transform_input = {bool(getattr(model, 'transform_input', False))!r}\n"
            "    return model\n"
        )
        return (
            "from torchvision.models import get_model  # noqa: E402  (pretrained architectures need torchvision)\n\n\n"
            "def build_model() -> nn.Module:\n"
            f'    """torchvision\'s {docstring_safe(arch)} with a {int(num_classes)}-class head (weights come from load_model)."""\n'
            f"    model = get_model({arch!r}, weights=None, num_classes={int(num_classes)}{extra}"
        )
    return (
        "from torchvision.models import get_model  # noqa: E402  (pretrained architectures need torchvision)\n\n\n"
        "def build_model() -> nn.Module:\n"
        f'    """torchvision\'s {docstring_safe(arch)} with a {int(num_classes)}-class head (weights come from load_model)."""\n'
        f"    return get_model({arch!r}, weights=None, num_classes={int(num_classes)})\n"
    )


def model_source(meta: ExportMeta, model: nn.Module) -> str:
    """The whole text of ``model.py``."""
    model_spec = meta.project.get("model") or {}
    if model_spec.get("kind", "stack") == "stack":
        body = stack_source(list(model_spec.get("layers") or []), meta.input_shape)
    else:
        body = pretrained_source(str(model_spec.get("arch")), len(meta.classes), model)
    return (
        _header(meta) + "\nfrom __future__ import annotations\n\n"
        "import os\nfrom collections import OrderedDict\nfrom pathlib import Path\n\n"
        "import torch\nfrom torch import nn\n\n" + _constants(meta) + "\n" + body + _LOADER
    )


# --------------------------------------------------------------------------- predict.py


def predict_source() -> str:
    """The text of ``predict.py`` (the same for every model: it reads model.py's constants)."""
    return PREDICT_SCRIPT


# --------------------------------------------------------------------------- folder


def write_python(model: nn.Module, meta: ExportMeta, folder: Path, example: Any) -> list[str]:
    """Write model.py, predict.py, weights.pt and the metadata into ``folder``."""
    import torch

    folder.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    torch.save(cpu_state_dict(model), buffer)
    (folder / WEIGHTS_FILE).write_bytes(buffer.getvalue())
    (folder / "model.py").write_text(model_source(meta, model), encoding="utf-8")
    (folder / "predict.py").write_text(predict_source(), encoding="utf-8")
    (folder / TORCHSCRIPT_META_FILE).write_text(json_text(meta.to_json(), indent=2) + "\n", encoding="utf-8")
    kind = (meta.project.get("model") or {}).get("kind", "stack")
    return [
        tr("model.py needs only torch") if kind == "stack" else tr("model.py needs torch and torchvision"),
        tr("predict.py needs torch and Pillow"),
    ]


def read_python(folder: str | Path) -> tuple[Callable[[Any], Any], ExportMeta]:
    """Import the folder's model.py under a private name and load its weights (a runner)."""
    folder = Path(folder)
    meta_path = folder / TORCHSCRIPT_META_FILE
    if not (folder / "model.py").is_file() or not meta_path.is_file():
        raise ExportError(
            tr(
                "{folder} is not a CNN Studio python export (no model.py / {meta_file})",
                folder=folder,
                meta_file=TORCHSCRIPT_META_FILE,
            )
        )
    meta = ExportMeta.from_json(meta_path.read_text(encoding="utf-8"), str(meta_path))
    name = f"_cnn_studio_export_{next(_COUNTER)}"
    spec = importlib.util.spec_from_file_location(name, folder / "model.py")
    if spec is None or spec.loader is None:
        raise ExportError(tr("{path} cannot be imported", path=folder / "model.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
        net = module.load_model(folder / WEIGHTS_FILE)
    except Exception as exc:
        raise ExportError(
            tr(
                "{path} does not load its model ({kind}: {exc})",
                path=folder / "model.py",
                kind=type(exc).__name__,
                exc=str(exc)[:200],
            )
        ) from None
    finally:
        sys.modules.pop(name, None)

    return torch_runner(net), meta


_COUNTER = itertools.count()
