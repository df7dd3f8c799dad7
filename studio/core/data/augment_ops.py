"""The batched tensor operations behind ``data.augment`` (see :mod:`studio.core.data.augment`).

Every operation works on a float batch ``(B, C, H, W)`` in 0..1 with per-sample random
parameters drawn on the CPU from one ``torch.Generator`` in a fixed order, so an augmented
batch depends only on the generator's state, whatever device the batch lives on.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import torch
import torch.nn.functional as F

from studio.core.data.augment import AugmentConfig, resolve_augment
from studio.core.data.preprocess import normalize


def _uniform(n: int, lo: float, hi: float, g: torch.Generator | None) -> torch.Tensor:
    return torch.rand(n, generator=g) * (hi - lo) + lo


def _crop_flip(x: torch.Tensor, pad: int, hflip: bool, g: torch.Generator | None) -> torch.Tensor:
    """Random crop of the zero-padded batch and/or a left-right flip, as one flat gather."""
    b, c, h, w = x.shape
    if pad:
        oy = torch.randint(0, 2 * pad + 1, (b,), generator=g)
        ox = torch.randint(0, 2 * pad + 1, (b,), generator=g)
    else:
        oy = ox = torch.zeros(b, dtype=torch.int64)
    cols = torch.arange(w)[None, :].expand(b, w)
    if hflip:
        flip = torch.rand(b, generator=g) < 0.5
        cols = torch.where(flip[:, None], (w - 1) - cols, cols)
    hp, wp = h + 2 * pad, w + 2 * pad
    rows = oy[:, None, None] + torch.arange(h)[None, :, None]  # (B, H, 1)
    idx = (rows * wp + (ox[:, None] + cols)[:, None, :]).view(b, 1, h * w).to(x.device)
    xp = F.pad(x, (pad, pad, pad, pad)) if pad else x
    return torch.gather(xp.reshape(b, c, hp * wp), 2, idx.expand(b, c, h * w)).view(b, c, h, w)


def _affine(x: torch.Tensor, cfg: AugmentConfig, g: torch.Generator | None) -> torch.Tensor:
    b, _, h, w = x.shape
    angle = _uniform(b, -cfg.rotate, cfg.rotate, g) * (math.pi / 180.0)
    tx = _uniform(b, -cfg.translate, cfg.translate, g)
    ty = _uniform(b, -cfg.translate, cfg.translate, g)
    s = _uniform(b, cfg.scale[0], cfg.scale[1], g)
    cos, sin = torch.cos(angle) / s, torch.sin(angle) / s
    # theta maps output to input in normalised coordinates; correct rotation for the aspect ratio
    theta = torch.zeros(b, 2, 3)
    theta[:, 0, 0] = cos
    theta[:, 0, 1] = -sin * (h / w)
    theta[:, 1, 0] = sin * (w / h)
    theta[:, 1, 1] = cos
    theta[:, 0, 2] = 2 * tx
    theta[:, 1, 2] = 2 * ty
    grid = F.affine_grid(theta.to(device=x.device, dtype=x.dtype), list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)


def _luma(x: torch.Tensor) -> torch.Tensor:
    if x.shape[1] >= 3:
        return (0.299 * x[:, 0] + 0.587 * x[:, 1] + 0.114 * x[:, 2]).unsqueeze(1)
    return x[:, :1]


def _color_jitter(x: torch.Tensor, strength: float, g: torch.Generator | None) -> torch.Tensor:
    b, c = x.shape[:2]
    bright = _uniform(b, 1 - strength, 1 + strength, g).to(x.device, x.dtype)[:, None, None, None]
    contrast = _uniform(b, 1 - strength, 1 + strength, g).to(x.device, x.dtype)[:, None, None, None]
    sat = _uniform(b, 1 - strength, 1 + strength, g).to(x.device, x.dtype)[:, None, None, None]
    nc = min(c, 3)  # the alpha channel of RGBA is left alone
    rgb = x[:, :nc] * bright
    mean = _luma(rgb).mean(dim=(1, 2, 3), keepdim=True)
    rgb = (rgb - mean) * contrast + mean
    if nc == 3:
        gray = _luma(rgb)
        rgb = (rgb - gray) * sat + gray
    rgb = rgb.clamp_(0.0, 1.0)
    return rgb if nc == c else torch.cat([rgb, x[:, nc:]], dim=1)


def _random_erasing(x: torch.Tensor, p: float, fill: torch.Tensor, g: torch.Generator | None) -> torch.Tensor:
    b, _, h, w = x.shape
    apply = torch.rand(b, generator=g) < p
    area = _uniform(b, 0.02, 0.33, g) * (h * w)
    ratio = torch.exp(_uniform(b, math.log(0.3), math.log(3.3), g))
    eh = torch.sqrt(area * ratio).round().clamp(1, h).long()
    ew = torch.sqrt(area / ratio).round().clamp(1, w).long()
    top = (torch.rand(b, generator=g) * (h - eh + 1).float()).long()
    left = (torch.rand(b, generator=g) * (w - ew + 1).float()).long()
    ar_h, ar_w = torch.arange(h), torch.arange(w)
    rows = (ar_h[None] >= top[:, None]) & (ar_h[None] < (top + eh)[:, None])
    cols = (ar_w[None] >= left[:, None]) & (ar_w[None] < (left + ew)[:, None])
    mask = (rows[:, :, None] & cols[:, None, :] & apply[:, None, None]).to(x.device)
    return torch.where(mask[:, None], fill.to(x.device, x.dtype), x)


def augment_float(
    x: torch.Tensor,
    cfg: AugmentConfig,
    generator: torch.Generator | None,
    fill: Sequence[float] | None = None,
) -> torch.Tensor:
    """Augment a float batch ``(B, C, H, W)`` in 0..1; ``fill`` is the erasing colour (per channel).

    Random parameters are drawn on the CPU from ``generator`` in a fixed order, so the result
    depends only on the generator's state, whatever device ``x`` lives on.
    """
    if cfg.random_crop or cfg.hflip:
        x = _crop_flip(x, cfg.random_crop, cfg.hflip, generator)
    if cfg.affine:
        x = _affine(x, cfg, generator)
    if cfg.color_jitter:
        x = _color_jitter(x, cfg.color_jitter, generator)
    if cfg.random_erasing:
        c = x.shape[1]
        f = torch.tensor(list(fill) if fill is not None else [0.5] * c, dtype=x.dtype).view(-1, 1, 1)
        x = _random_erasing(x, cfg.random_erasing, f, generator)
    return x


def replay_draws(cfg: AugmentConfig, batch_size: int, generator: torch.Generator | None) -> None:
    """Advance ``generator`` exactly as augmenting a batch of ``batch_size`` images would.

    The draws depend only on the batch size, so a 2x2 dummy batch replays them at almost no
    cost: how a resumed epoch skips the batches it already trained without decoding them.
    """
    if cfg.active:
        augment_float(torch.zeros(batch_size, 1, 2, 2), cfg, generator)


def augment_normalize(
    batch: torch.Tensor,
    cfg: AugmentConfig,
    mean: Sequence[float],
    std: Sequence[float],
    generator: torch.Generator | None,
) -> torch.Tensor:
    """uint8 batch -> augmented, normalised float32 batch (the training input)."""
    if not cfg.active:
        return normalize(batch, mean, std)
    if cfg.random_crop or cfg.hflip:  # a pure gather: cheaper on uint8, same values
        batch = _crop_flip(batch, cfg.random_crop, cfg.hflip, generator)
        cfg = replace(cfg, random_crop=0, hflip=False)
    x = batch.to(torch.float32).div_(255.0)
    x = augment_float(x, cfg, generator, fill=mean)
    m = torch.tensor([float(v) for v in mean], dtype=torch.float32, device=x.device).view(-1, 1, 1)
    s = torch.tensor([float(v) for v in std], dtype=torch.float32, device=x.device).view(-1, 1, 1)
    return x.sub_(m).div_(s)


def augment_preview(
    image_uint8: torch.Tensor, augment: dict[str, Any] | AugmentConfig, n: int, seed: int
) -> torch.Tensor:
    """``n`` augmented versions of one uint8 ``(C, H, W)`` image, as uint8 ``(n, C, H, W)``.

    For the GUI's preview grid: the same ``seed`` gives the same grid; erased rectangles are
    filled with mid-grey.
    """
    cfg = resolve_augment(augment)
    if image_uint8.dim() != 3:
        raise ValueError(f"expected a (C, H, W) image, got shape {tuple(image_uint8.shape)}")
    g = torch.Generator().manual_seed(int(seed))
    x = image_uint8.to(torch.float32).div(255.0).unsqueeze(0).expand(n, -1, -1, -1).contiguous()
    x = augment_float(x, cfg, g)
    return x.mul_(255.0).round_().clamp_(0, 255).to(torch.uint8)
