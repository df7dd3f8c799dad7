"""Turn a project's model section into a ``torch.nn.Module``.

* ``kind: stack`` -> an ``nn.Sequential`` whose children mirror the layers one to one, named
  ``"<index>_<Type>"`` (``0_Conv2d``, ``1_BatchNorm2d``...) so that a state dict key, a feature
  map picker and an error message all point at the same row of the designer.
* ``kind: pretrained`` -> torchvision's model by name, its classifier head replaced to fit the
  dataset's classes, optionally with the backbone frozen.

Weights never come from a pickle: torchvision's cache and local files are read with
``weights_only=True``.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studio.core.base.errors import ProjectError
from studio.core.base.i18n import tr
from studio.core.model.blocks import REGISTRY
from studio.core.model.freeze import apply_freeze
from studio.core.model.shapes import LayerInfo, Shape, ShapeError, Summary, summarize
from studio.core.model.zoo import default_weights

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    import torch.nn as nn

    from studio.core.project.project_file import ModelSpec, Project


class WeightsError(ProjectError):
    """Pretrained weights that cannot be had: says which file to put where."""


def layer_name(index: int, type_name: str) -> str:
    """The child name of layer ``index`` in a built stack."""
    return f"{index}_{type_name}"


def build_stack(layers: list[dict[str, Any]], input_shape: Shape) -> nn.Sequential:
    """Build a stack; raises :class:`~studio.core.model.shapes.ShapeError` before allocating anything."""
    from collections import OrderedDict

    import torch.nn as nn

    summary = summarize(layers, input_shape)  # refuses impossible or absurdly large designs first
    children: OrderedDict[str, nn.Module] = OrderedDict()
    for info, layer in zip(summary.layers, layers, strict=True):
        block = REGISTRY[info.type]
        children[layer_name(info.index, info.type)] = block.build(info.input_shape, block.resolve(layer))
    return nn.Sequential(children)


def head_of(model: nn.Module) -> tuple[nn.Module, str, nn.Linear]:
    """The classifier head: (parent module, attribute name, the last ``nn.Linear``)."""
    import torch.nn as nn

    last: tuple[nn.Module, str, nn.Linear] | None = None
    for parent_name, parent in model.named_modules():
        for name, child in parent.named_children():
            if isinstance(child, nn.Linear) and not parent_name.startswith("aux"):
                last = (parent, name, child)
    if last is None:
        raise ValueError(f"{type(model).__name__} has no Linear classifier head")
    return last


def replace_head(model: nn.Module, num_classes: int) -> nn.Linear:
    """Swap the last Linear layer for a fresh one with ``num_classes`` outputs."""
    import torch.nn as nn

    parent, name, old = head_of(model)
    new = nn.Linear(old.in_features, num_classes, bias=old.bias is not None)
    setattr(parent, name, new)
    return new


def cached_weights_path(arch: str) -> Path:
    """Where torchvision's cache keeps ``arch``'s DEFAULT weights (under ``TORCH_HOME``)."""
    import torch.hub

    url = default_weights(arch).url
    return Path(torch.hub.get_dir()) / "checkpoints" / os.path.basename(url)


def weights_download(arch: str) -> tuple[str, str, Path]:
    """``(file name, download address, folder it goes in)`` of ``arch``'s ImageNet weights.

    What a user without a network needs to fetch them elsewhere and put them where torchvision
    looks (the GUI says it in its words; :class:`WeightsError` in the CLI's).
    """
    url = default_weights(arch).url
    target = cached_weights_path(arch)
    return os.path.basename(url), url, target.parent


def load_pretrained_state(spec: ModelSpec) -> dict[str, Any] | None:
    """The ImageNet state dict for ``spec`` (from the cache, a download or a local file)."""
    import torch

    if spec.weights is None:
        return None
    if spec.weights == "DEFAULT":
        weights = default_weights(spec.arch)
        target = cached_weights_path(spec.arch)
        try:
            # torchvision's own cache-or-download path; the hash is checked on download
            return weights.get_state_dict(
                progress=False, check_hash=True, weights_only=True, map_location="cpu"
            )
        except Exception as exc:  # URLError, socket errors, HTTP errors: all mean "offline"
            log.info("the %s weights could not be loaded or downloaded", spec.arch, exc_info=True)
            if target.exists():
                raise WeightsError(
                    "model.weights",
                    tr(
                        "the cached weights file {target} is unreadable ({exc}); delete it and try again",
                        target=target,
                        exc=exc,
                    ),
                ) from None
            raise WeightsError(
                "model.weights",
                tr(
                    "cannot download the {arch} ImageNet weights ({kind}). Put {basename} (from {url}) at {target}, or set weights to the path of a local .pth file, or to null to train from scratch",
                    arch=spec.arch,
                    kind=type(exc).__name__,
                    basename=os.path.basename(weights.url),
                    url=weights.url,
                    target=target,
                ),
            ) from None
    path = Path(os.path.expanduser(spec.weights))
    if not path.is_file():
        raise WeightsError(
            "model.weights",
            tr(
                'weights file {path} does not exist; pick a .pth state dict, "DEFAULT" for the ImageNet weights, or null',
                path=path,
            ),
        )
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:
        raise WeightsError(
            "model.weights",
            tr(
                "{path} is not a PyTorch state dict that can be loaded safely ({kind}: {exc})",
                path=path,
                kind=type(exc).__name__,
                exc=str(exc)[:120],
            ),
        ) from None
    if isinstance(state, dict) and "model" in state and isinstance(state["model"], dict):
        state = state["model"]  # a studio checkpoint
    if not isinstance(state, dict):
        raise WeightsError(
            "model.weights",
            tr("{path} holds a {kind}, not a state dict", path=path, kind=type(state).__name__),
        )
    return state


def build_pretrained(spec: ModelSpec, num_classes: int, load_weights: bool = True) -> nn.Module:
    """torchvision's ``spec.arch`` with ImageNet weights, a new head and the freeze applied."""
    from torchvision.models import get_model

    kwargs: dict[str, Any] = {}
    if spec.arch == "googlenet":  # the ImageNet checkpoint carries the auxiliary heads
        kwargs = {"aux_logits": True, "init_weights": False}
    model: nn.Module = get_model(spec.arch, weights=None, **kwargs)
    state = load_pretrained_state(spec) if load_weights else None
    if state is not None:
        own = model.state_dict()
        # a fine-tuned file may already carry a head of another size: keep ours for those keys
        # (load_state_dict refuses a shape mismatch even with strict=False)
        state = {
            k: v
            for k, v in state.items()
            if not (k in own and hasattr(v, "shape") and tuple(v.shape) != tuple(own[k].shape))
        }
        missing, unexpected = model.load_state_dict(state, strict=False)
        real_missing = [k for k in missing if not k.startswith("aux")]
        if len(real_missing) > 2:
            raise WeightsError(
                "model.weights",
                tr(
                    "the weights do not fit {arch}: {n_real_missing} tensors missing (e.g. {real_missing})",
                    arch=spec.arch,
                    n_real_missing=len(real_missing),
                    real_missing=real_missing[0],
                ),
            )
        del unexpected
    if spec.arch == "googlenet":  # (torch types nn.Module attributes as "Tensor | Module": ignores)
        model.aux_logits = False  # type: ignore[assignment]
        model.aux1 = None  # type: ignore[assignment]
        model.aux2 = None  # type: ignore[assignment]
        # torchvision's ImageNet GoogLeNet weights expect inputs in [-1, 1]; transform_input
        # converts the ImageNet-normalised batch the data pipeline gives (as torchvision does)
        model.transform_input = spec.weights is not None  # type: ignore[assignment]
    replace_head(model, num_classes)
    apply_freeze(model, spec.arch, spec, epoch=0)  # built as it trains in its first epoch
    return model


def build_model(project: Project, num_classes: int | None = None, load_weights: bool = True) -> nn.Module:
    """The project's network. ``num_classes`` sizes a pretrained model's head."""
    if project.model.kind == "stack":
        return build_stack(project.model.layers, project.input_shape)
    if num_classes is None:
        raise ValueError("a pretrained model needs the number of classes")
    return build_pretrained(project.model, num_classes, load_weights=load_weights)


def count_params(model: nn.Module) -> tuple[int, int]:
    """(total, trainable) parameter counts."""
    total = sum(p.numel() for p in model.parameters())
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    return total, trainable


def pretrained_summary(project: Project, num_classes: int = 1000) -> Any:
    """A :class:`~studio.core.model.shapes.Summary` of a pretrained model's top-level children.

    Built on PyTorch's ``meta`` device, so no memory is allocated and no weights are read;
    shapes come from a forward pass with hooks on each child, MACs from hooks on every
    convolution and linear layer inside it. An input the model cannot take (images too small
    for its downsampling) is recorded as the failing child's :class:`ShapeError`.
    """
    import torch
    import torch.nn as nn

    with torch.device("meta"):
        model = build_pretrained(project.model, num_classes, load_weights=False)
    model.eval()
    children = list(model.named_children())
    shapes: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {}
    macs: dict[str, int] = {name: 0 for name, _ in children}
    current: list[str] = []
    handles = []

    def count(name: str) -> Any:
        def hook(mod: Any, inp: Any, out: Any) -> None:
            per_image = out.numel() // max(out.shape[0], 1)
            if isinstance(mod, nn.Conv2d):
                kh, kw = mod.kernel_size
                macs[name] += per_image * (mod.in_channels // mod.groups) * kh * kw
            else:
                macs[name] += per_image * mod.in_features

        return hook

    for name, child in children:

        def enter(mod: Any, inp: Any, name: str = name) -> None:
            current.append(name)

        def leave(mod: Any, inp: Any, out: Any, name: str = name) -> None:
            if isinstance(inp, tuple) and inp and hasattr(inp[0], "shape") and hasattr(out, "shape"):
                shapes[name] = (tuple(inp[0].shape[1:]), tuple(out.shape[1:]))

        handles += [child.register_forward_pre_hook(enter), child.register_forward_hook(leave)]
        handles += [
            m.register_forward_hook(count(name))
            for m in child.modules()
            if isinstance(m, (nn.Conv2d, nn.Linear))
        ]
    summary = Summary(tuple(project.input_shape))
    error: str | None = None
    try:
        with torch.no_grad():
            model(torch.empty((1, *project.input_shape), device="meta"))
    except (RuntimeError, ValueError) as exc:
        error = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    finally:
        for handle in handles:
            handle.remove()
    for index, (name, child) in enumerate(children):
        label = f"{name} ({type(child).__name__})"
        if error is not None and current and name == current[-1]:
            h, w = project.input_shape[1:]
            summary.error = ShapeError(
                index,
                label,
                tr(
                    "{arch} cannot take {height}x{width} images here ({error}); use larger images "
                    "(data.image_size), e.g. 224x224",
                    arch=project.model.arch,
                    height=h,
                    width=w,
                    error=error,
                ),
            )
            break
        if name not in shapes:
            continue
        params = list(child.parameters())
        n = sum(p.numel() for p in params)
        trainable = any(p.requires_grad for p in params) if params else True
        in_s, out_s = shapes[name]
        summary.layers.append(LayerInfo(index, label, in_s, out_s, n, macs[name], trainable=trainable))
    if error is not None and summary.error is None:
        summary.error = ShapeError(len(children) - 1, "model", error)
    return summary
