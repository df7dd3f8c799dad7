"""The pretrained model zoo: which torchvision classifiers the studio offers, and facts about them.

The names are torchvision's own (``torchvision.models.get_model``). This module stays free
of torch at import so that project validation and the designer's list are instant; the
weights metadata (parameters, ImageNet accuracy, input size, preprocessing) is read from
torchvision's weights enums on demand by :func:`model_info`.

Every architecture is cut into **stages** for fine-tuning (:data:`STAGES`): the blocks of the
feature extractor from the input side to the output side, usually one per feature-map
resolution. Parameters that belong to no stage and are not the classifier head form the
**stem** (stage 0); the head (the last ``nn.Linear``, listed in :data:`HEADS`) comes after the
last stage. ``model.unfreeze_from = N`` trains stages N..last and the head (see
:mod:`studio.core.training.finetune`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from studio.core.base.i18n import tr

if TYPE_CHECKING:
    from studio.core.project.project_file import Project

ARCHITECTURES: tuple[str, ...] = (
    "resnet18",
    "resnet34",
    "resnet50",
    "resnet101",
    "vgg11_bn",
    "vgg16_bn",
    "googlenet",
    "efficientnet_b0",
    "mobilenet_v3_small",
    "mobilenet_v3_large",
)

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


@dataclass(frozen=True)
class Stage:
    """One unfreezable block of a backbone: a display name and its module paths.

    ``modules`` are dotted paths as in ``model.named_modules()`` (``"layer1"``,
    ``"features.4"``); a parameter belongs to the stage when its name starts with one of them
    followed by a dot.
    """

    name: str
    modules: tuple[str, ...]


def _seq(prefix: str, start: int, stop: int) -> tuple[str, ...]:
    """``prefix.start`` .. ``prefix.(stop-1)``: consecutive children of an ``nn.Sequential``."""
    return tuple(f"{prefix}.{i}" for i in range(start, stop))


_RESNET = tuple(Stage(f"layer{i}", (f"layer{i}",)) for i in range(1, 5))

# Stem / stages / head per architecture (checked against the real models by tests/core/test_zoo.py):
# - ResNets: stem conv1+bn1; the four residual stages.
# - VGG: stem is the first conv block (full resolution); stages are conv blocks 2-5 (cut at the
#   max-pools) and the two pretrained 4096-wide fully connected layers; the head is classifier.6.
# - GoogLeNet: stem conv1; conv2+conv3 (1/4 resolution); inception 3, 4 and 5 (1/8, 1/16, 1/32).
# - EfficientNet-B0: stem features.0; stages by resolution (1/4, 1/8, 1/16, 1/32) with the
#   final 1x1 conv (features.8) in the last one.
# - MobileNetV3: stem features.0; stages by resolution, the last with the final 1x1 conv; then
#   the pretrained hidden Linear of the classifier (classifier.0); the head is classifier.3.
STAGES: dict[str, tuple[Stage, ...]] = {
    "resnet18": _RESNET,
    "resnet34": _RESNET,
    "resnet50": _RESNET,
    "resnet101": _RESNET,
    "vgg11_bn": (
        Stage("block2", _seq("features", 4, 8)),
        Stage("block3", _seq("features", 8, 15)),
        Stage("block4", _seq("features", 15, 22)),
        Stage("block5", _seq("features", 22, 29)),
        Stage("fc6-fc7", ("classifier.0", "classifier.3")),
    ),
    "vgg16_bn": (
        Stage("block2", _seq("features", 7, 14)),
        Stage("block3", _seq("features", 14, 24)),
        Stage("block4", _seq("features", 24, 34)),
        Stage("block5", _seq("features", 34, 44)),
        Stage("fc6-fc7", ("classifier.0", "classifier.3")),
    ),
    "googlenet": (
        Stage("conv2-conv3", ("conv2", "conv3")),
        Stage("inception3", ("inception3a", "inception3b")),
        Stage("inception4", ("inception4a", "inception4b", "inception4c", "inception4d", "inception4e")),
        Stage("inception5", ("inception5a", "inception5b")),
    ),
    "efficientnet_b0": (
        Stage("features.1-2", _seq("features", 1, 3)),
        Stage("features.3", _seq("features", 3, 4)),
        Stage("features.4-5", _seq("features", 4, 6)),
        Stage("features.6-8", _seq("features", 6, 9)),
    ),
    "mobilenet_v3_small": (
        Stage("features.1", _seq("features", 1, 2)),
        Stage("features.2-3", _seq("features", 2, 4)),
        Stage("features.4-8", _seq("features", 4, 9)),
        Stage("features.9-12", _seq("features", 9, 13)),
        Stage("classifier.0", ("classifier.0",)),
    ),
    "mobilenet_v3_large": (
        Stage("features.1-3", _seq("features", 1, 4)),
        Stage("features.4-6", _seq("features", 4, 7)),
        Stage("features.7-12", _seq("features", 7, 13)),
        Stage("features.13-16", _seq("features", 13, 17)),
        Stage("classifier.0", ("classifier.0",)),
    ),
}

# The module path of the classifier head (the last Linear), which models.replace_head swaps.
HEADS: dict[str, str] = {
    "resnet18": "fc",
    "resnet34": "fc",
    "resnet50": "fc",
    "resnet101": "fc",
    "vgg11_bn": "classifier.6",
    "vgg16_bn": "classifier.6",
    "googlenet": "fc",
    "efficientnet_b0": "classifier.1",
    "mobilenet_v3_small": "classifier.3",
    "mobilenet_v3_large": "classifier.3",
}


def stage_names(arch: str) -> list[str]:
    """``["stem", <stage 1>, ..., <stage S>, "head"]``: index i is stage i (the designer's labels)."""
    return ["stem", *(s.name for s in STAGES[arch]), "head"]


def _under(name: str, module: str) -> bool:
    return name == module or name.startswith(module + ".")


def stage_of(name: str, arch: str) -> int:
    """The stage index of a parameter or module name: 0 stem, 1..S a stage, S+1 the head.

    A ``module.`` prefix (a DistributedDataParallel wrapper) is ignored.
    """
    if name.startswith("module."):
        name = name[len("module.") :]
    stages = STAGES[arch]
    if _under(name, HEADS[arch]):
        return len(stages) + 1
    for index, stage in enumerate(stages, start=1):
        if any(_under(name, m) for m in stage.modules):
            return index
    return 0


# --------------------------------------------------------------------------- weights metadata


@dataclass(frozen=True)
class ModelInfo:
    """What the designer shows for a zoo model, from torchvision's weights metadata.

    ``input_size`` is the weights' centre-crop size (the recommended ``data.image_size``),
    ``resize_size`` the size torchvision resizes to before that crop at evaluation, ``min_size``
    the smallest input the network accepts; ``mean``/``std`` the normalisation it was trained with.
    """

    arch: str
    params: int
    acc_top1: float | None
    acc_top5: float | None
    input_size: int
    resize_size: int
    min_size: tuple[int, int]
    mean: tuple[float, ...]
    std: tuple[float, ...]
    interpolation: str
    weights_name: str
    weights_file: str | None
    url: str | None
    stages: tuple[str, ...]


def default_weights(arch: str) -> Any:
    """torchvision's DEFAULT weights enum member for ``arch``."""
    from torchvision.models import get_model_weights

    return get_model_weights(arch).DEFAULT


@cache
def model_info(arch: str) -> ModelInfo:
    """Parameters, ImageNet accuracy, input size and preprocessing from torchvision's metadata."""
    w = default_weights(arch)
    meta = w.meta
    metrics = meta.get("_metrics", {}).get("ImageNet-1K", {})
    tf = w.transforms()
    crop = getattr(tf, "crop_size", [224])
    resize = getattr(tf, "resize_size", [256])
    interpolation = getattr(tf, "interpolation", None)
    min_size = tuple(int(v) for v in meta.get("min_size", (1, 1)))
    return ModelInfo(
        arch=arch,
        params=int(meta.get("num_params", 0)),
        acc_top1=metrics.get("acc@1"),
        acc_top5=metrics.get("acc@5"),
        input_size=int(crop[0]),
        resize_size=int(resize[0]),
        min_size=(min_size[0], min_size[1]),
        mean=tuple(float(v) for v in getattr(tf, "mean", IMAGENET_MEAN)),
        std=tuple(float(v) for v in getattr(tf, "std", IMAGENET_STD)),
        interpolation=str(getattr(interpolation, "value", interpolation or "bilinear")),
        weights_name=f"{type(w).__name__}.{w.name}",
        weights_file=w.url.rsplit("/", 1)[-1],
        url=w.url,
        stages=tuple(stage_names(arch)),
    )


def normalization(arch: str) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """(mean, std) the pretrained weights expect: ImageNet's for every zoo model."""
    info = model_info(arch)
    return info.mean, info.std


def recommended_image_size(arch: str) -> tuple[int, int]:
    """The ``data.image_size`` the weights were evaluated at (their centre-crop size)."""
    size = model_info(arch).input_size
    return (size, size)


def recommended_data(project: Project) -> dict[str, Any]:
    """The project's ``data`` section with the zoo model's preprocessing applied.

    RGB (3 channels) and the weights' own input size; everything else unchanged. The GUI
    applies it as one undoable edit: ``document.apply(document.set_section("data",
    zoo.recommended_data(document.project)))``. Normalisation needs no field: the data
    pipeline uses :data:`IMAGENET_MEAN`/:data:`IMAGENET_STD` for every pretrained model.
    """
    data = copy.deepcopy(project.to_dict()["data"])
    if project.model.kind != "pretrained":
        return data
    h, w = recommended_image_size(project.model.arch)
    data["channels"] = 3
    data["image_size"] = [h, w]
    return data


def input_size_warning(project: Project) -> str | None:
    """A one-line warning when a pretrained model's input is smaller than it accepts or far
    from the size its weights expect; None when the input is fine (or the model is a stack)."""
    if project.model.kind != "pretrained":
        return None
    info = model_info(project.model.arch)
    h, w = project.data.image_size
    if h < info.min_size[0] or w < info.min_size[1]:
        return tr(
            "data.image_size {size} is smaller than {arch}'s minimum {minimum}; set it to {best}",
            size=f"{h}x{w}",
            arch=project.model.arch,
            minimum=f"{info.min_size[0]}x{info.min_size[1]}",
            best=f"{info.input_size}x{info.input_size}",
        )
    if max(h, w) < info.input_size // 2:
        return tr(
            "data.image_size {size} is much smaller than the {best} {arch}'s weights were trained at; "
            "accuracy suffers (slower but better: {best})",
            size=f"{h}x{w}",
            arch=project.model.arch,
            best=f"{info.input_size}x{info.input_size}",
        )
    return None
