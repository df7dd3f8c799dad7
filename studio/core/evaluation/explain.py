"""Look inside a trained CNN: feature maps, first-layer filters and Grad-CAM heat maps.

* :func:`feature_maps` - what one layer outputs for one image (a forward hook), an array
  ``(C, H, W)``; :func:`tile_grid` lays such maps out as one grid image (the lecture's
  "feature map" picture).
* :func:`first_conv_filters` / :func:`filter_grid` - the first convolution's learned kernels.
* :func:`grad_cam` - Selvaraju et al.'s Grad-CAM: the chosen layer's activations weighted by
  the spatially averaged gradient of one class score, ReLU'd, upsampled to the input and
  scaled to 0..1; :func:`overlay` blends it over the image with a jet-like colour map.
* :func:`as_hwc` - any of these pictures (a tensor, an array, a PIL image) as the uint8
  ``(H, W)`` / ``(H, W, 3|4)`` array a view shows.

Layers are named as ``model.named_modules()`` names them: ``"3_Conv2d"`` or
``"4_BasicBlock.conv2"`` in a stack built by :mod:`studio.core.model.builder`, ``"layer4"`` or
``"layer4.1.conv2"`` in a torchvision ResNet. Everything runs on the model's device with the
model in eval mode; nothing here changes the model's weights or its ``.grad`` fields.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from studio.core.base.errors import UserError
from studio.core.base.i18n import tr

if TYPE_CHECKING:
    import torch
    import torch.nn as nn
    from PIL import Image


class ExplainError(UserError):
    """A layer that does not exist or cannot be explained (names the layer and the choices)."""


@dataclass(frozen=True)
class LayerChoice:
    """A layer whose output is a stack of feature maps: its name, type and (C, H, W)."""

    name: str
    type: str
    output_shape: tuple[int, int, int]


# --------------------------------------------------------------------------- layers


def _batch(x: torch.Tensor) -> torch.Tensor:
    if x.dim() == 3:
        return x.unsqueeze(0)
    if x.dim() == 4 and x.shape[0] == 1:
        return x
    raise ValueError(f"expected one image (C, H, W) or (1, C, H, W), got shape {tuple(x.shape)}")


def _device(model: nn.Module) -> torch.device:
    import torch

    for p in model.parameters():
        return p.device
    return torch.device("cpu")


@contextmanager
def _eval_mode(model: nn.Module) -> Iterator[None]:
    was_training = model.training
    model.eval()
    try:
        yield
    finally:
        model.train(was_training)


def get_layer(model: nn.Module, name: str) -> nn.Module:
    """The sub-module called ``name``; :class:`ExplainError` listing the conv layers if none."""
    try:
        return model.get_submodule(name)
    except AttributeError:
        names = ", ".join(conv_layer_names(model)) or "none"
        raise ExplainError(
            tr("the model has no layer {name!r}; convolution layers: {names}", name=name, names=names)
        ) from None


def conv_layer_names(model: nn.Module) -> list[str]:
    """Every ``nn.Conv2d`` in the model, in definition order (the feature-map picker's list)."""
    import torch.nn as nn

    return [name for name, m in model.named_modules() if name and isinstance(m, nn.Conv2d)]


def _contains_conv(module: nn.Module) -> bool:
    import torch.nn as nn

    return any(isinstance(m, nn.Conv2d) for m in module.modules())


def default_cam_layer(model: nn.Module) -> str:
    """The last conv-like layer: the last top-level child that is or holds a convolution.

    ``layer4`` for a ResNet, the last ``Conv2d``/``BasicBlock``/``VGGBlock`` row of a stack:
    the deepest features that still have a spatial layout, the usual Grad-CAM target.
    """
    last = None
    for name, child in model.named_children():
        if _contains_conv(child):
            last = name
    if last is None:
        raise ExplainError(tr("the model has no convolution layer; Grad-CAM and feature maps need one"))
    return last


def layer_choices(model: nn.Module, input_shape: tuple[int, int, int]) -> list[LayerChoice]:
    """Layers whose output is a (C, H, W) feature map stack, with that shape.

    Top-level children (the designer's rows, or a ResNet's stages) and every ``Conv2d``
    inside them, in forward order; found by one forward pass of a zero image.
    """
    import torch
    import torch.nn as nn

    top = {name for name, _ in model.named_children()}
    wanted = {
        name: m for name, m in model.named_modules() if name and (name in top or isinstance(m, nn.Conv2d))
    }
    found: dict[str, LayerChoice] = {}
    handles = []
    for name, module in wanted.items():

        def hook(mod: Any, inp: Any, out: Any, name: str = name) -> None:
            if isinstance(out, torch.Tensor) and out.dim() == 4 and name not in found:
                c, h, w = (int(v) for v in out.shape[1:])
                found[name] = LayerChoice(name, type(mod).__name__, (c, h, w))

        handles.append(module.register_forward_hook(hook))
    try:
        with _eval_mode(model), torch.inference_mode():
            model(torch.zeros((1, *input_shape), device=_device(model)))
    finally:
        for h in handles:
            h.remove()
    return list(found.values())


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class ModelInput:
    """One image as the model sees it (``tensor``, normalised) and as a person sees it."""

    tensor: torch.Tensor  # float32 (C, H, W), normalised
    display: np.ndarray  # uint8 (H, W) grey or (H, W, C) colour, the resized image


def model_input(image: Any, input_shape: tuple[int, int, int], mean: Any, std: Any) -> ModelInput:
    """An image file, PIL image or uint8 ``(C, H, W)`` tensor (a split's ``item``) -> :class:`ModelInput`.

    Files and PIL images go through :mod:`studio.core.data.preprocess` exactly as in training;
    raises :class:`~studio.core.data.preprocess.ImageReadError` for an unreadable file.
    """
    import torch
    from PIL import Image

    from studio.core.data.preprocess import normalize, open_image, to_uint8_tensor  # lazy: pulls in PIL

    c, h, w = input_shape
    if isinstance(image, torch.Tensor):
        pixels = image
        if pixels.dtype != torch.uint8 or tuple(pixels.shape) != (c, h, w):
            raise ValueError(
                f"expected a uint8 tensor of shape {(c, h, w)}, got {pixels.dtype} {tuple(pixels.shape)}"
            )
    else:
        img = image if isinstance(image, Image.Image) else open_image(image, size_hint=(h, w))
        pixels = to_uint8_tensor(img, c, (h, w))
    display = pixels.cpu().numpy()
    display = display[0] if c == 1 else display[:3].transpose(1, 2, 0)
    return ModelInput(normalize(pixels, mean, std), np.ascontiguousarray(display))


# --------------------------------------------------------------------------- feature maps


def feature_maps(model: nn.Module, image: torch.Tensor, layer: str) -> np.ndarray:
    """The output of ``layer`` for one normalised image ``(C, H, W)``: float32 ``(C', H', W')``."""
    import torch

    module = get_layer(model, layer)
    captured: dict[str, torch.Tensor] = {}

    def hook(mod: Any, inp: Any, out: Any) -> None:
        if isinstance(out, torch.Tensor):
            captured["out"] = out.detach().clone()  # clone: a following in-place op must not change it

    handle = module.register_forward_hook(hook)
    try:
        with _eval_mode(model), torch.inference_mode():
            model(_batch(image).to(_device(model)))
    finally:
        handle.remove()
    out = captured.get("out")
    if out is None or out.dim() != 4:
        shape = "nothing" if out is None else "x".join(map(str, out.shape[1:]))
        raise ExplainError(
            tr(
                "layer {layer!r} outputs {shape}, not feature maps (channels x height x width); pick a convolution or pooling layer before Flatten",
                layer=layer,
                shape=shape,
            )
        )
    return out[0].float().cpu().numpy()


def _normalise(a: np.ndarray) -> np.ndarray:
    lo, hi = float(np.min(a)), float(np.max(a))
    if not math.isfinite(lo) or not math.isfinite(hi) or hi - lo < 1e-12:
        return np.zeros(a.shape, dtype=np.float32)
    return ((a - lo) / (hi - lo)).astype(np.float32)


def tile_grid(
    tiles: np.ndarray,
    cols: int | None = None,
    pad: int = 1,
    scale: int = 1,
    background: int = 255,
    normalize: bool = True,
) -> np.ndarray:
    """Lay ``N`` tiles out as one uint8 image, row by row.

    ``tiles`` is ``(N, H, W)`` (grey) or ``(N, H, W, 3)`` (colour). With ``normalize`` each
    tile is stretched to 0..255 on its own (feature maps have unrelated ranges); otherwise
    values are taken as 0..1. ``cols`` defaults to a near-square grid; ``pad`` pixels of
    ``background`` separate the tiles and frame the grid; ``scale`` enlarges every pixel
    (nearest neighbour) so that 7x7 maps are visible. Returns ``(H', W')`` or ``(H', W', 3)``.
    """
    arr = np.asarray(tiles, dtype=np.float32)
    if arr.ndim not in (3, 4) or (arr.ndim == 4 and arr.shape[-1] != 3):
        raise ValueError(f"tiles must be (N, H, W) or (N, H, W, 3), got {arr.shape}")
    n = arr.shape[0]
    if n == 0:
        raise ValueError("no tiles to lay out")
    if normalize:
        arr = np.stack([_normalise(t) for t in arr])
    arr = np.clip(np.nan_to_num(arr), 0.0, 1.0)
    if scale > 1:
        arr = arr.repeat(scale, axis=1).repeat(scale, axis=2)
    cols = max(1, min(n, cols if cols else math.ceil(math.sqrt(n))))
    rows = math.ceil(n / cols)
    h, w = arr.shape[1], arr.shape[2]
    shape: tuple[int, ...] = (rows * h + (rows + 1) * pad, cols * w + (cols + 1) * pad)
    if arr.ndim == 4:
        shape = (*shape, 3)
    grid = np.full(shape, background, dtype=np.uint8)
    pixels = np.rint(arr * 255.0).astype(np.uint8)
    for i in range(n):
        r, c = divmod(i, cols)
        y, x = pad + r * (h + pad), pad + c * (w + pad)
        grid[y : y + h, x : x + w] = pixels[i]
    return grid


# --------------------------------------------------------------------------- filters


def first_conv_filters(model: nn.Module) -> np.ndarray:
    """The first convolution's weights, float32 ``(out_channels, in_channels, kH, kW)``."""
    names = conv_layer_names(model)
    if not names:
        raise ExplainError(tr("the model has no convolution layer, so it has no filters to show"))
    # a Conv2d's weight (nn.Module types its attributes as "Tensor | Module")
    weight = cast("torch.Tensor", model.get_submodule(names[0]).weight)
    return weight.detach().float().cpu().numpy().copy()


def filter_grid(model: nn.Module, scale: int = 4, pad: int = 1) -> np.ndarray:
    """The first layer's filters as one grid image.

    Filters over 3 (RGB) or 4 (RGBA) input channels are shown in colour (RGB part,
    normalised per filter); filters over other channel counts are shown in grey, averaged
    over their input channels.
    """
    w = first_conv_filters(model)
    if w.shape[1] in (3, 4):
        tiles = np.stack([_normalise(f[:3]) for f in w]).transpose(0, 2, 3, 1)  # N, kH, kW, 3
        return tile_grid(tiles, pad=pad, scale=scale, normalize=False)
    return tile_grid(w.mean(axis=1), pad=pad, scale=scale)


# --------------------------------------------------------------------------- Grad-CAM


@dataclass(frozen=True)
class GradCam:
    """A Grad-CAM result: the heat map (input H x W, 0..1) and what it explains."""

    heatmap: np.ndarray
    target: int
    layer: str
    probabilities: np.ndarray  # softmax of the logits, (K,)


def grad_cam(
    model: nn.Module, image: torch.Tensor, target: int | None = None, layer: str | None = None
) -> GradCam:
    """Grad-CAM of class ``target`` (default: the predicted class) at ``layer``.

    ``image`` is one normalised ``(C, H, W)`` tensor. ``layer`` defaults to
    :func:`default_cam_layer`. Gradients are taken with ``torch.autograd.grad`` so the
    model's parameter ``.grad`` fields stay untouched; frozen models work too (the input is
    what requires grad).
    """
    import torch
    import torch.nn.functional as F

    layer = layer or default_cam_layer(model)
    module = get_layer(model, layer)
    captured: dict[str, torch.Tensor] = {}

    def hook(mod: Any, inp: Any, out: Any) -> None:
        if isinstance(out, torch.Tensor):
            captured["act"] = out

    handle = module.register_forward_hook(hook)
    try:
        with _eval_mode(model), torch.inference_mode(False), torch.enable_grad():
            x = _batch(image).to(_device(model)).detach().clone().float().requires_grad_(True)
            logits = model(x)
            act = captured.get("act")
            if act is None or act.dim() != 4:
                raise ExplainError(
                    tr(
                        "layer {layer!r} does not output feature maps; Grad-CAM needs a convolution-like layer before Flatten (e.g. {default_cam_layer!r})",
                        layer=layer,
                        default_cam_layer=default_cam_layer(model),
                    )
                )
            if logits.dim() != 2:
                raise ExplainError(
                    tr("the model outputs shape {shape}, not class scores", shape=tuple(logits.shape))
                )
            k = logits.shape[1]
            chosen = int(logits[0].argmax()) if target is None else int(target)
            if not 0 <= chosen < k:
                raise ExplainError(
                    tr("class index {chosen} is out of range: the model has {k} classes", chosen=chosen, k=k)
                )
            (grads,) = torch.autograd.grad(logits[0, chosen], act, allow_unused=True)
            if grads is None:
                grads = torch.zeros_like(act)
            weights = grads.mean(dim=(2, 3), keepdim=True)
            cam = F.relu((weights * act).sum(dim=1, keepdim=True))
            cam = F.interpolate(cam, size=tuple(x.shape[-2:]), mode="bilinear", align_corners=False)
            probs = torch.softmax(logits[0].detach().float(), dim=0).cpu().numpy()
    finally:
        handle.remove()
    heat = cam[0, 0].detach().float().cpu().numpy()
    top = float(heat.max())
    heat = (heat / top).astype(np.float32) if top > 1e-12 else np.zeros_like(heat, dtype=np.float32)
    return GradCam(np.clip(heat, 0.0, 1.0), chosen, layer, probs)


_JET = np.array(
    [  # position, r, g, b
        [0.0, 0.0, 0.0, 0.5],
        [0.125, 0.0, 0.0, 1.0],
        [0.375, 0.0, 1.0, 1.0],
        [0.625, 1.0, 1.0, 0.0],
        [0.875, 1.0, 0.0, 0.0],
        [1.0, 0.5, 0.0, 0.0],
    ]
)


def as_hwc(image: Any) -> np.ndarray:
    """A uint8 ``(H, W)`` or ``(H, W, 3|4)`` array from a tensor/array (CHW or HWC) or PIL image."""
    if hasattr(image, "detach"):
        image = image.detach().cpu().numpy()
    elif hasattr(image, "getbands"):  # PIL
        image = np.asarray(
            image.convert(
                "RGBA"
                if "A" in image.getbands()
                else ("L" if image.mode in ("L", "1", "I", "F", "I;16") else "RGB")
            )
        )
    arr = np.asarray(image)
    if arr.ndim == 3 and arr.shape[0] in (1, 3, 4) and arr.shape[-1] not in (1, 3, 4):
        arr = arr.transpose(1, 2, 0)
    if arr.ndim == 3 and arr.shape[-1] == 1:
        arr = arr[..., 0]
    if arr.ndim == 3 and arr.shape[-1] not in (3, 4):
        arr = arr[..., :3] if arr.shape[-1] > 4 else arr.mean(axis=-1)
    if arr.dtype != np.uint8:
        arr = np.clip(np.nan_to_num(arr.astype(np.float64)), 0, 255).astype(np.uint8)
    return np.ascontiguousarray(arr)


def heat_colors(heatmap: np.ndarray) -> np.ndarray:
    """A 0..1 map coloured blue (cold) to red (hot): uint8 ``(H, W, 3)``."""
    h = np.clip(np.nan_to_num(np.asarray(heatmap, dtype=np.float32)), 0.0, 1.0)
    channels = [np.interp(h, _JET[:, 0], _JET[:, i]) for i in (1, 2, 3)]
    return np.rint(np.stack(channels, axis=-1) * 255.0).astype(np.uint8)


def overlay(image: Image.Image | np.ndarray, heatmap: np.ndarray, alpha: float = 0.45) -> Image.Image:
    """The heat map blended over the image (RGB, the image's size; the map is resized)."""
    from PIL import Image

    if isinstance(image, np.ndarray):
        arr = image
        if arr.ndim == 3 and arr.shape[0] in (1, 3, 4) and arr.shape[-1] not in (1, 3, 4):
            arr = arr.transpose(1, 2, 0)  # C, H, W -> H, W, C
        if arr.ndim == 3 and arr.shape[-1] == 1:
            arr = arr[..., 0]
        image = Image.fromarray(np.ascontiguousarray(arr.astype(np.uint8)))
    base = image.convert("RGB")
    heat = np.asarray(heatmap, dtype=np.float32)
    if heat.shape != (base.height, base.width):
        heat = np.asarray(Image.fromarray(heat, mode="F").resize(base.size, Image.Resampling.BILINEAR))
    colour = Image.fromarray(heat_colors(heat))
    return Image.blend(base, colour, float(np.clip(alpha, 0.0, 1.0)))
