"""Dataset splits: the batch iterators the training engine consumes.

A :class:`Split` yields ``(float32 normalised (B, C, H, W), int64 (B,))`` batches. All its
randomness (shuffle order, augmentation) comes from the ``torch.Generator`` the caller
passes, so a run is reproducible and resumable from the generator's state; ``rank`` and
``world_size`` shard the shuffled order for DistributedDataParallel the way
``DistributedSampler`` does (the order is padded by wrapping so every rank gets as many).

:class:`TensorSplit` holds a decoded dataset as one uint8 tensor: a batch is an index, a
conversion to float and a normalisation (plus the batched augmentation of
:mod:`studio.core.data.augment_ops`): no DataLoader, no workers, no per-image Python. The folder
source's lazily decoded split lives in :mod:`studio.core.data.folder`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import Any

import torch
import torch.nn.functional as F

from studio.core.data.augment import AugmentConfig
from studio.core.data.augment_ops import augment_normalize, replay_draws
from studio.core.data.preprocess import norm_constants

# Above this size an in-memory dataset keeps its native size/channels and is converted per batch.
MAX_CONVERTED_BYTES = 1 << 30


def shard_length(n: int, world_size: int) -> int:
    """How many samples each of ``world_size`` ranks sees per epoch (padded by wrapping)."""
    if world_size <= 1:
        return n
    return math.ceil(n / world_size)


def epoch_order(
    n: int, *, shuffle: bool, generator: torch.Generator | None = None, rank: int = 0, world_size: int = 1
) -> torch.Tensor:
    """The int64 sample order for one epoch on ``rank``: a permutation, sharded and padded."""
    if not 0 <= rank < max(world_size, 1):
        raise ValueError(f"rank {rank} is outside world_size {world_size}")
    idx = torch.randperm(n, generator=generator) if shuffle else torch.arange(n)
    if world_size > 1 and n > 0:
        total = shard_length(n, world_size) * world_size
        if total > n:
            idx = idx.repeat(math.ceil(total / n))[:total]
        idx = idx[rank:total:world_size]
    return idx


def batch_slices(order: torch.Tensor, batch_size: int, drop_last: bool) -> list[torch.Tensor]:
    """``order`` cut into consecutive batches (the last one dropped when short and ``drop_last``)."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be positive, got {batch_size}")
    out = list(torch.split(order, batch_size))
    if out and drop_last and out[-1].numel() < batch_size:
        out.pop()
    return out


def convert_uint8(x: torch.Tensor, channels: int, size: Sequence[int]) -> torch.Tensor:
    """A uint8 batch ``(N, C0, H0, W0)`` with ``channels`` channels and ``size`` (H, W), still uint8.

    Greyscale to RGB repeats the channel, RGB to greyscale uses ITU-R 601 luma (as Pillow's
    ``convert("L")``), RGBA gains an opaque alpha or loses it; resizing is bilinear with
    antialiasing.
    """
    c0 = x.shape[1]
    h, w = int(size[0]), int(size[1])
    if c0 < channels:  # resize the fewer channels first
        return _convert_channels(_resize_uint8(x, h, w), channels)
    return _resize_uint8(_convert_channels(x, channels), h, w)


def _resize_uint8(x: torch.Tensor, h: int, w: int) -> torch.Tensor:
    if tuple(x.shape[-2:]) == (h, w):
        return x
    down = h < x.shape[-2] or w < x.shape[-1]
    f = F.interpolate(x.to(torch.float32), size=(h, w), mode="bilinear", align_corners=False, antialias=down)
    return f.round_().clamp_(0, 255).to(torch.uint8)


def _convert_channels(x: torch.Tensor, channels: int) -> torch.Tensor:
    c0 = x.shape[1]
    if c0 == channels:
        return x
    rgb = x[:, :3] if c0 >= 3 else x[:, :1].expand(-1, 3, -1, -1)
    if channels == 1:
        if c0 < 3:
            return x[:, :1].contiguous()
        f = rgb.to(torch.float32)
        y = (0.299 * f[:, 0:1] + 0.587 * f[:, 1:2] + 0.114 * f[:, 2:3]).round_().clamp_(0, 255)
        return y.to(torch.uint8)
    if channels == 3:
        return rgb.contiguous()
    alpha = x[:, 3:4] if c0 == 4 else torch.full_like(x[:, :1], 255)
    return torch.cat([rgb, alpha], dim=1)


class Split:
    """One split of a dataset ("train", "val" or "test"): labels, batches, single items.

    Subclasses set ``name``, ``labels`` (int64 ``(N,)``), ``mean``/``std`` (per channel,
    0..1 units) and ``augment_config``, and implement :meth:`batches` and :meth:`item`.
    """

    name: str
    labels: torch.Tensor
    channels: int
    size: tuple[int, int]
    mean: tuple[float, ...]
    std: tuple[float, ...]
    augment_config: AugmentConfig
    paths: list[str] | None = None

    def __len__(self) -> int:
        return int(self.labels.numel())

    def num_batches(self, batch_size: int, drop_last: bool = False, world_size: int = 1) -> int:
        """How many batches one epoch yields on each rank (at most, for a folder with bad files)."""
        n = shard_length(len(self), world_size)
        return n // batch_size if drop_last else math.ceil(n / batch_size)

    def counts(self, num_classes: int) -> list[int]:
        """Images per class (label order)."""
        return torch.bincount(self.labels, minlength=num_classes).tolist()

    def batches(
        self,
        batch_size: int,
        *,
        shuffle: bool,
        generator: torch.Generator | None = None,
        augment: bool = False,
        drop_last: bool = False,
        rank: int = 0,
        world_size: int = 1,
        device: torch.device | str | None = None,
        skip: int = 0,
    ) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        """Yield ``(images float32 (B, C, H, W), labels int64 (B,))`` for one epoch.

        ``device`` (optional) moves the uint8 batch there before it is converted, normalised and
        augmented, which saves three quarters of the host-to-GPU traffic. ``skip`` (for a
        mid-epoch resume) leaves out the first ``skip`` batches without reading them, but
        replays their random draws, so the batches that follow are exactly those of an
        uninterrupted epoch.
        """
        raise NotImplementedError

    def item(self, i: int) -> tuple[torch.Tensor, int, str | None]:
        """Image ``i`` as uint8 ``(C, H, W)``, its label, and its file path (None in memory)."""
        raise NotImplementedError

    def close(self) -> None:
        """Release worker processes or device copies (a no-op where there are none)."""

    def _replay(self, n: int, augment: bool, generator: torch.Generator | None) -> None:
        """Consume the random draws of an augmented batch of ``n`` images that is skipped."""
        if augment and self.augment_config.active:
            replay_draws(self.augment_config, n, generator)

    def _finish(
        self,
        xb: torch.Tensor,
        augment: bool,
        generator: torch.Generator | None,
        consts: dict[Any, tuple[torch.Tensor, torch.Tensor]],
    ) -> torch.Tensor:
        """uint8 batch -> normalised float batch, augmented when asked."""
        if augment and self.augment_config.active:
            return augment_normalize(xb, self.augment_config, self.mean, self.std, generator)
        key = xb.device
        if key not in consts:
            consts[key] = norm_constants(self.mean, self.std, xb.device)
        scale, shift = consts[key]
        return xb.to(torch.float32).mul_(scale).sub_(shift)


class TensorSplit(Split):
    """A split held in memory as one uint8 tensor ``(N, C, H, W)``.

    When the stored images do not have the project's channels/size yet (the conversion
    would not fit :data:`MAX_CONVERTED_BYTES`), each batch is converted on the fly.
    """

    def __init__(
        self,
        name: str,
        images: torch.Tensor,
        labels: torch.Tensor,
        channels: int,
        size: Sequence[int],
        mean: Sequence[float] = (0.5,),
        std: Sequence[float] = (0.5,),
        augment_config: AugmentConfig | None = None,
    ) -> None:
        if images.dtype != torch.uint8 or images.dim() != 4:
            raise ValueError(f"images must be uint8 (N, C, H, W), got {images.dtype} {tuple(images.shape)}")
        if labels.numel() != images.shape[0]:
            raise ValueError(f"{labels.numel()} labels for {images.shape[0]} images")
        self.name = name
        self.channels = int(channels)
        self.size = (int(size[0]), int(size[1]))
        self.images = images
        self.labels = labels.to(torch.int64)
        self.mean = tuple(float(v) for v in mean)
        self.std = tuple(float(v) for v in std)
        self.augment_config = augment_config or AugmentConfig()
        self._on_device: dict[str, tuple[torch.Tensor, torch.Tensor]] = {}

    @property
    def converted(self) -> bool:
        """True when the stored tensor already has the project's channels and size."""
        return tuple(self.images.shape[1:]) == (self.channels, *self.size)

    def uint8_batch(self, idx: torch.Tensor) -> torch.Tensor:
        """The uint8 ``(B, C, H, W)`` images at ``idx``, in the project's channels and size."""
        xb = self.images.index_select(0, idx)
        return xb if self.converted else convert_uint8(xb, self.channels, self.size)

    def _device_copy(self, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
        key = str(device)
        if key not in self._on_device:
            self._on_device[key] = (self.images.to(device), self.labels.to(device))
        return self._on_device[key]

    def batches(
        self,
        batch_size: int,
        *,
        shuffle: bool,
        generator: torch.Generator | None = None,
        augment: bool = False,
        drop_last: bool = False,
        rank: int = 0,
        world_size: int = 1,
        device: torch.device | str | None = None,
        skip: int = 0,
    ) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        """See :meth:`Split.batches`: index the uint8 tensor, convert, normalise (augment)."""
        order = epoch_order(len(self), shuffle=shuffle, generator=generator, rank=rank, world_size=world_size)
        dev = torch.device(device) if device is not None else None
        images, labels = self.images, self.labels
        if dev is not None and dev.type != "cpu":
            images, labels = self._device_copy(dev)
            order = order.to(dev)
        consts: dict[Any, tuple[torch.Tensor, torch.Tensor]] = {}
        for k, idx in enumerate(batch_slices(order, batch_size, drop_last)):
            if k < skip:
                self._replay(idx.numel(), augment, generator)
                continue
            xb = images.index_select(0, idx)
            if not self.converted:
                xb = convert_uint8(xb, self.channels, self.size)
            yield self._finish(xb, augment, generator, consts), labels.index_select(0, idx)

    def item(self, i: int) -> tuple[torch.Tensor, int, str | None]:
        """See :meth:`Split.item`."""
        if not -len(self) <= i < len(self):
            raise IndexError(f"{self.name} has {len(self)} images, no index {i}")
        x = self.images[i : i + 1] if i >= 0 else self.images[i:][:1]
        if not self.converted:
            x = convert_uint8(x, self.channels, self.size)
        return x[0].clone(), int(self.labels[i]), None

    def close(self) -> None:
        """Drop device copies."""
        self._on_device.clear()
