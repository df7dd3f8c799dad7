"""The pretrained model zoo: which torchvision classifiers the studio offers, and facts about them.

The names are torchvision's own (``torchvision.models.get_model``). This module stays free
of torch at import so that project validation and the designer's list are instant; the
weights metadata (parameters, ImageNet accuracy, input size) is read from torchvision's
weights enums on demand by :func:`model_info`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ARCHITECTURES: tuple[str, ...] = (
    "resnet18", "resnet34", "resnet50", "resnet101",
    "vgg11_bn", "vgg16_bn", "googlenet", "efficientnet_b0",
    "mobilenet_v3_small", "mobilenet_v3_large",
)

# The top-level children that make up the feature extractor's stages, in order, for
# "unfreeze from stage N". Everything not listed (stem) is stage 0; the head is last.
STAGES: dict[str, tuple[str, ...]] = {
    "resnet18": ("layer1", "layer2", "layer3", "layer4"),
    "resnet34": ("layer1", "layer2", "layer3", "layer4"),
    "resnet50": ("layer1", "layer2", "layer3", "layer4"),
    "resnet101": ("layer1", "layer2", "layer3", "layer4"),
}

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


@dataclass(frozen=True)
class ModelInfo:
    """What the designer shows for a zoo model."""

    arch: str
    params: int
    acc_top1: float | None
    acc_top5: float | None
    input_size: int
    resize_size: int
    weights_file: str | None
    url: str | None


def default_weights(arch: str) -> Any:
    """torchvision's DEFAULT weights enum member for ``arch``."""
    from torchvision.models import get_model_weights

    return get_model_weights(arch).DEFAULT


def model_info(arch: str) -> ModelInfo:
    """Parameters, ImageNet accuracy and input size from torchvision's weights metadata."""
    w = default_weights(arch)
    meta = w.meta
    metrics = meta.get("_metrics", {}).get("ImageNet-1K", {})
    tf = w.transforms()
    crop = getattr(tf, "crop_size", [224])
    resize = getattr(tf, "resize_size", [256])
    return ModelInfo(arch=arch, params=int(meta.get("num_params", 0)),
                     acc_top1=metrics.get("acc@1"), acc_top5=metrics.get("acc@5"),
                     input_size=int(crop[0]), resize_size=int(resize[0]),
                     weights_file=w.url.rsplit("/", 1)[-1], url=w.url)
