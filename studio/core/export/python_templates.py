"""Fixed source text of the python export: composite block classes and ``predict.py``.

Kept apart from the generator (:mod:`studio.core.export.python_source`) because it is code for
*another* program: it must run with torch and Pillow only, never importing the studio.
"""

# The class each composite block needs in model.py (parameter names as in torchvision).
BLOCK_CLASSES: dict[str, str] = {
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
    "ConvBNAct": '''
def conv_bn_act(in_channels: int, out_channels: int, kernel_size: int, stride: int = 1, groups: int = 1,
                activation: type[nn.Module] | None = nn.ReLU) -> nn.Sequential:
    """Conv (no bias, padding (K-1)/2) + BatchNorm (+ activation), as torchvision's Conv2dNormActivation."""
    layers: list[nn.Module] = [
        nn.Conv2d(in_channels, out_channels, kernel_size, stride, (kernel_size - 1) // 2, groups=groups,
                  bias=False),
        nn.BatchNorm2d(out_channels),
    ]
    if activation is not None:
        layers.append(activation(inplace=True))
    return nn.Sequential(*layers)
''',
    "SqueezeExcitation": '''
class SqueezeExcitation(nn.Module):
    """Squeeze (global average pool, 1x1 down) and excitation (1x1 up, sigmoid) scaling each channel."""

    def __init__(self, channels: int, squeeze_channels: int,
                 activation: type[nn.Module] = nn.ReLU) -> None:
        super().__init__()
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Conv2d(channels, squeeze_channels, 1)
        self.fc2 = nn.Conv2d(squeeze_channels, channels, 1)
        self.activation = activation()
        self.scale_activation = nn.Sigmoid()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        scale = self.fc2(self.activation(self.fc1(self.avgpool(x))))
        return self.scale_activation(scale) * x
''',
    "Inception": '''
class BasicConv2d(nn.Module):
    """GoogLeNet's conv (no bias) + BatchNorm (eps 0.001) + ReLU."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, padding: int = 0) -> None:
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size, padding=padding, bias=False)
        self.bn = nn.BatchNorm2d(out_channels, eps=0.001)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(self.bn(self.conv(x)))


class Inception(nn.Module):
    """GoogLeNet's inception module: four branches concatenated along channels.

    Branch 3 uses a 3x3 kernel, as torchvision's GoogLeNet does (the paper's 5x5).
    """

    def __init__(self, in_channels: int, ch1x1: int, ch3x3red: int, ch3x3: int, ch5x5red: int,
                 ch5x5: int, pool_proj: int) -> None:
        super().__init__()
        self.branch1 = BasicConv2d(in_channels, ch1x1, 1)
        self.branch2 = nn.Sequential(BasicConv2d(in_channels, ch3x3red, 1),
                                     BasicConv2d(ch3x3red, ch3x3, 3, padding=1))
        self.branch3 = nn.Sequential(BasicConv2d(in_channels, ch5x5red, 1),
                                     BasicConv2d(ch5x5red, ch5x5, 3, padding=1))
        self.branch4 = nn.Sequential(nn.MaxPool2d(3, stride=1, padding=1, ceil_mode=True),
                                     BasicConv2d(in_channels, pool_proj, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([self.branch1(x), self.branch2(x), self.branch3(x), self.branch4(x)], 1)
''',
    "MBConv": '''
def make_divisible(v: float, divisor: int = 8) -> int:
    """Round a channel count to a multiple of 8, never more than 10% down (MobileNet's rule)."""
    new_v = max(divisor, int(v + divisor / 2) // divisor * divisor)
    return new_v + divisor if new_v < 0.9 * v else new_v


class MBConv(nn.Module):
    """EfficientNet's inverted residual: 1x1 expand, KxK depthwise, squeeze-excitation, 1x1 project."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int = 3, stride: int = 1,
                 expand_ratio: float = 6.0, stochastic_depth: float = 0.0) -> None:
        super().__init__()
        self.use_res_connect = stride == 1 and in_channels == out_channels
        self.stochastic_depth = stochastic_depth
        hidden = make_divisible(in_channels * expand_ratio)
        layers: list[nn.Module] = []
        if hidden != in_channels:
            layers.append(conv_bn_act(in_channels, hidden, 1, activation=nn.SiLU))
        layers.append(conv_bn_act(hidden, hidden, kernel_size, stride, groups=hidden, activation=nn.SiLU))
        layers.append(SqueezeExcitation(hidden, max(1, in_channels // 4), activation=nn.SiLU))
        layers.append(conv_bn_act(hidden, out_channels, 1, activation=None))
        self.block = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.block(x)
        if not self.use_res_connect:
            return out
        if self.training and self.stochastic_depth > 0:  # drop the whole block for some samples
            keep = 1.0 - self.stochastic_depth
            mask = torch.empty((out.shape[0], 1, 1, 1), dtype=out.dtype, device=out.device).bernoulli_(keep)
            out = out * mask / keep
        return out + x
''',
    "DepthwiseSeparableConv2d": '''
class DepthwiseSeparableConv2d(nn.Sequential):
    """MobileNet's KxK depthwise conv (one filter per channel), then a 1x1 pointwise conv."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int = 3, stride: int = 1) -> None:
        super().__init__(conv_bn_act(in_channels, in_channels, kernel_size, stride, groups=in_channels),
                         conv_bn_act(in_channels, out_channels, 1))
''',
}


PREDICT_SCRIPT = '''"""Classify images with the exported model: python predict.py IMAGE... [--top-k K] [--json]

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
    try:  # names the terminal cannot show are escaped, not a crash
        sys.stdout.reconfigure(errors="backslashreplace")
    except AttributeError:
        pass
    if args.json:
        text = json.dumps(results, indent=2, ensure_ascii=False)
        try:
            text.encode(sys.stdout.encoding or "utf-8")
        except UnicodeEncodeError:
            text = json.dumps(results, indent=2)
        print(text)
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
