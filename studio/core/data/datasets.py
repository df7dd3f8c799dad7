"""Datasets for training: a project's ``data`` section -> train/val/test splits ready to batch.

:func:`load_data` is the one entry point. It returns a :class:`DataBundle` whose splits
yield normalised float batches (see :class:`~studio.core.data.splits.Split`):

* ``mnist``, ``fashion_mnist``, ``cifar10``, ``cifar100`` and ``sample`` are decoded once into
  uint8 tensors (:mod:`studio.core.data.sources`); a batch is an index into them, a conversion
  and a normalisation, with augmentation as batched tensor ops — no DataLoader.
* ``folder`` is scanned without decoding (:func:`studio.core.data.folder.scan_folder`) and decoded
  lazily in DataLoader workers; unreadable files are skipped and listed in
  :attr:`DataBundle.skipped`.

The validation split is ``data.val`` of the training images, held out per class with
``training.seed`` (the same seed always holds out the same images), an explicit ``val/``
folder, or the official test split when ``data.val`` is ``"test"``.

Mean and standard deviation are computed once per dataset identity on the whole training
set (a seeded sample of at most :data:`FOLDER_STATS_SAMPLE` images for a folder), and cached
in ``<user data dir>/cache/norm_stats.json``; pretrained models use ImageNet's statistics.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import torch

from studio.core.base.errors import ProjectError
from studio.core.base.files import atomic_write_bytes
from studio.core.base.i18n import tr
from studio.core.base.progress import Progress
from studio.core.data.augment import AugmentConfig, resolve_augment
from studio.core.data.augment_ops import augment_preview
from studio.core.data.decode_cache import prepare_store, stats_cache_file
from studio.core.data.errors import DataCancelled, DatasetError, DatasetMissingError, check_cancel
from studio.core.data.folder import (
    FolderIndex,
    FolderSplit,
    all_cores,
    auto_workers,
    collate_decoded,
    scan_folder,
)
from studio.core.data.sources import load_array_source
from studio.core.data.splits import MAX_CONVERTED_BYTES, Split, TensorSplit, convert_uint8
from studio.core.model.zoo import IMAGENET_MEAN, IMAGENET_STD

if TYPE_CHECKING:
    from studio.core.project.project_file import Project

log = logging.getLogger(__name__)

__all__ = [
    "DataBundle",
    "Split",
    "TensorSplit",
    "FolderSplit",
    "FolderIndex",
    "load_data",
    "scan_folder",
    "holdout",
    "augment_preview",
    "DatasetError",
    "DatasetMissingError",
    "DataCancelled",
    "dataset_stats",
]

FOLDER_STATS_SAMPLE = 1000
MIN_STD = 1e-3


@dataclass
class DataBundle:
    """The splits of one project's dataset plus what the model needs to know about them."""

    classes: list[str]
    train: Split
    val: Split | None
    test: Split | None
    mean: tuple[float, ...]
    std: tuple[float, ...]
    skipped: list[tuple[str, str]] = field(default_factory=list)
    source: str = ""
    folder: str = ""  # where the data was read from
    index: FolderIndex | None = None  # the scan, for a folder source

    @property
    def num_classes(self) -> int:
        """How many classes the model must tell apart."""
        return len(self.classes)

    @property
    def input_shape(self) -> tuple[int, int, int]:
        """(C, H, W) of one image as the model sees it."""
        return (self.train.channels, *self.train.size)

    def splits(self) -> list[Split]:
        """The distinct splits (val and test may be one object)."""
        out: list[Split] = [self.train]
        for s in (self.val, self.test):
            if s is not None and all(s is not o for o in out):
                out.append(s)
        return out

    def close(self) -> None:
        """Shut down worker processes held by folder splits."""
        for s in self.splits():
            s.close()


# --------------------------------------------------------------------------- splitting


def holdout(labels: np.ndarray | torch.Tensor, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Split sample indices into (train, val), holding out ``fraction`` of every class.

    Stratified and seeded: the same labels, fraction and seed always give the same split.
    A class with at least two images gives at least one to validation and keeps at least one.
    """
    y = np.asarray(labels.numpy() if isinstance(labels, torch.Tensor) else labels, dtype=np.int64)
    if fraction <= 0 or y.size == 0:
        return np.arange(y.size), np.zeros(0, dtype=np.int64)
    rng = np.random.default_rng(seed)
    val_parts = []
    for c in np.unique(y):
        idx = np.flatnonzero(y == c)
        k = int(round(fraction * idx.size))
        if idx.size >= 2:
            k = min(max(k, 1), idx.size - 1)
        else:
            k = 0
        val_parts.append(rng.permutation(idx)[:k])
    val = np.sort(np.concatenate(val_parts)) if val_parts else np.zeros(0, dtype=np.int64)
    mask = np.ones(y.size, dtype=bool)
    mask[val] = False
    return np.flatnonzero(mask), val


def limit_indices(labels: np.ndarray | torch.Tensor, per_class: int | None, seed: int) -> np.ndarray | None:
    """Sorted indices of at most ``per_class`` samples of every class (seeded), or None for all.

    ``data.limit_per_class``: a quick trial on a big dataset. The pick is random within each
    class (the same seed picks the same images) so that it is not the first N files of a folder.
    """
    y = np.asarray(labels.numpy() if isinstance(labels, torch.Tensor) else labels, dtype=np.int64)
    if per_class is None or y.size == 0:
        return None
    rng = np.random.default_rng(seed + 1)  # not the hold-out's stream: it then splits the pick
    parts = [rng.permutation(np.flatnonzero(y == c))[:per_class] for c in np.unique(y)]
    picked = np.sort(np.concatenate(parts))
    return None if picked.size == y.size else picked


# --------------------------------------------------------------------------- statistics


def _cache_path() -> Path:
    return stats_cache_file()


def _cache_get(key: str) -> tuple[tuple[float, ...], tuple[float, ...]] | None:
    try:
        entry = json.loads(_cache_path().read_text(encoding="utf-8"))[key]
        mean = tuple(float(v) for v in entry["mean"])
        std = tuple(float(v) for v in entry["std"])
        if len(mean) == len(std) and all(s > 0 for s in std):
            return mean, std
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def _cache_put(key: str, mean: Sequence[float], std: Sequence[float]) -> None:
    path = _cache_path()
    try:
        cache = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(cache, dict):
            cache = {}
    except (OSError, ValueError):
        cache = {}
    cache[key] = {"mean": list(mean), "std": list(std)}
    try:
        atomic_write_bytes(path, json.dumps(cache, indent=1).encode("utf-8"))
    except OSError as exc:  # a read-only home only costs the recomputation next time
        log.debug("cannot cache the dataset statistics in %s: %s", path, exc)


class _Moments:
    """Exact per-channel pixel histograms of a uint8 stream, for mean and standard deviation."""

    def __init__(self) -> None:
        self.hist: torch.Tensor | None = None  # (C, 256) int64

    @property
    def n(self) -> int:
        return 0 if self.hist is None else int(self.hist[0].sum())

    def add(self, x: torch.Tensor) -> None:
        """Count the values of a uint8 batch ``(N, C, H, W)``."""
        c = x.shape[1]
        h = torch.stack([torch.bincount(x[:, k].reshape(-1), minlength=256) for k in range(c)])
        self.hist = h if self.hist is None else self.hist + h

    def result(self) -> tuple[tuple[float, ...], tuple[float, ...]]:
        assert self.hist is not None and self.n > 0
        v = torch.arange(256, dtype=torch.float64) / 255.0
        h = self.hist.to(torch.float64)
        n = h.sum(dim=1)
        mean = (h * v).sum(dim=1) / n
        var = ((h * v.square()).sum(dim=1) / n - mean.square()).clamp(min=0)
        std = var.sqrt().clamp(min=MIN_STD)
        return tuple(round(float(t), 6) for t in mean), tuple(round(float(t), 6) for t in std)


#: the most image bytes the statistics step holds at once (its chunks shrink as images grow:
#: 16384 images of 2048 x 2048 RGB would be 206 GB, whatever training.batch_size says)
STATS_CHUNK_BYTES = 64 << 20


def stats_step(channels: int, size: tuple[int, int], most: int) -> int:
    """Images per chunk of the statistics step: at most ``most``, and at most
    :data:`STATS_CHUNK_BYTES` of uint8 pixels (never fewer than one image)."""
    per_image = max(1, int(channels) * int(size[0]) * int(size[1]))
    return max(1, min(int(most), STATS_CHUNK_BYTES // per_image))


def dataset_stats(
    split: Split, key: str, cancel: Callable[[], bool] | None = None, progress: Progress | None = None
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Per-channel mean/std (0..1 units) of a training split, cached under ``key``."""
    cached = _cache_get(key)
    if cached is not None:
        return cached
    m = _Moments()
    if isinstance(split, TensorSplit):
        n = len(split)
        step = stats_step(split.channels, split.size, 16384)
        for start in range(0, n, step):
            check_cancel(cancel)
            m.add(split.uint8_batch(torch.arange(start, min(n, start + step))))
    elif isinstance(split, FolderSplit):
        _folder_moments(split, m, cancel, progress)
    else:
        raise TypeError(f"cannot compute statistics of {type(split).__name__}")
    if m.n == 0:
        raise DatasetError(tr("no readable training image to compute the dataset statistics from"))
    mean, std = m.result()
    _cache_put(key, mean, std)
    return mean, std


def _folder_moments(
    split: FolderSplit, m: _Moments, cancel: Callable[[], bool] | None, progress: Progress | None
) -> None:
    n = len(split)
    pick = np.sort(np.random.default_rng(0).permutation(n)[:FOLDER_STATS_SAMPLE])
    decode = split.decoder.__getitem__  # what training's loader runs: the same conversion, the same skips

    with ThreadPoolExecutor(max_workers=auto_workers() + 1) as pool:
        step = stats_step(split.channels, split.size, 64)
        for start in range(0, len(pick), step):
            check_cancel(cancel)
            if progress:
                progress(
                    tr("computing the dataset mean and standard deviation"), 0.5 + 0.4 * start / len(pick)
                )
            images, _, bad = collate_decoded(list(pool.map(decode, pick[start : start + step].tolist())))
            split._record(bad)
            if images is not None:
                m.add(images)


# --------------------------------------------------------------------------- loading


def _arrays_bundle(
    project: Project, progress: Progress | None, cancel: Callable[[], bool] | None, cfg: AugmentConfig
) -> tuple[DataBundle, str, Split]:
    """``(bundle, cache key of its statistics, the whole training split the statistics read)``."""
    spec = project.data
    src = load_array_source(spec.source, spec.root, spec.download, progress, cancel)
    check_cancel(cancel)
    size = tuple(spec.image_size)
    per_image = spec.channels * size[0] * size[1]

    def prepare(images: torch.Tensor) -> torch.Tensor:
        if tuple(images.shape[1:]) == (spec.channels, *size):
            return images
        if images.shape[0] * per_image > MAX_CONVERTED_BYTES:
            return images  # converted batch by batch instead
        return torch.cat(
            [
                convert_uint8(images[i : i + 4096], spec.channels, size)
                for i in range(0, images.shape[0], 4096)
            ]
        )

    if progress:
        progress(tr("converting images"), 0.7)
    seed, limit = project.training.seed, spec.limit_per_class
    tr_x, tr_y = src.train_images, src.train_labels
    te_x, te_y = src.test_images, src.test_labels
    picked = limit_indices(tr_y, limit, seed)
    if picked is not None:  # before converting: a quick trial converts only what it uses
        pi = torch.from_numpy(picked)
        tr_x, tr_y = tr_x.index_select(0, pi), tr_y.index_select(0, pi)
    picked = limit_indices(te_y, limit, seed) if te_y is not None else None
    if picked is not None and te_x is not None and te_y is not None:
        pi = torch.from_numpy(picked)
        te_x, te_y = te_x.index_select(0, pi), te_y.index_select(0, pi)
    tr_x = prepare(tr_x)
    te_x = prepare(te_x) if te_x is not None else None
    full_train = TensorSplit("train", tr_x, tr_y, spec.channels, size, augment_config=cfg)
    test = (
        TensorSplit("test", te_x, te_y, spec.channels, size, augment_config=cfg)
        if te_x is not None and te_y is not None
        else None
    )
    train, val = full_train, None
    if spec.val == "test":
        val = test
    elif float(spec.val) > 0:  # not "test" here, so a fraction
        tr_idx, va_idx = holdout(tr_y, float(spec.val), project.training.seed)
        ti, vi = torch.from_numpy(tr_idx), torch.from_numpy(va_idx)
        train = TensorSplit(
            "train",
            tr_x.index_select(0, ti),
            tr_y.index_select(0, ti),
            spec.channels,
            size,
            augment_config=cfg,
        )
        val = TensorSplit(
            "val", tr_x.index_select(0, vi), tr_y.index_select(0, vi), spec.channels, size, augment_config=cfg
        )
    bundle = DataBundle(
        classes=src.classes,
        train=train,
        val=val,
        test=test,
        mean=(),
        std=(),
        source=spec.source,
        folder=src.folder,
    )
    # statistics of the whole training set (independent of the seed and the held-out fraction)
    limited = f"|n{limit}s{seed}" if limit is not None else ""
    return bundle, f"{src.identity}|c{spec.channels}|{size[0]}x{size[1]}{limited}", full_train


def _folder_bundle(
    project: Project,
    progress: Progress | None,
    cancel: Callable[[], bool] | None,
    cfg: AugmentConfig,
    on_skip: Callable[[str, str], None] | None,
) -> tuple[DataBundle, str, Split]:
    """Like :func:`_arrays_bundle`, for an image folder."""
    spec = project.data
    if progress:
        progress(tr("scanning {root}", root=spec.root), 0.05)
    index = scan_folder(spec.root)
    check_cancel(cancel)
    for split, path in index.empty_classes:
        if split == "train":
            raise DatasetError(
                tr(
                    "class folder {path} has no images; add images (.jpg, .png, ...) to it or remove the folder",
                    path=path,
                )
            )
    if len(index.classes) < 2:  # one class "trains" to 100% and learns nothing
        raise DatasetError(
            tr(
                "{root} has only one class folder ({classes}); a classifier needs at least two: add a folder of images for each other class",
                root=spec.root,
                classes=", ".join(index.classes) or tr("none"),
            )
        )
    counts = index.counts()
    train_counts = counts.get("train", [0] * len(index.classes))
    missing = [c for c, n in zip(index.classes, train_counts, strict=True) if n == 0]
    if missing:
        where = index.split_dirs.get("train", index.root)
        raise DatasetError(
            tr(
                "class {missing!r} has no training images: add a folder {path} with images of it",
                missing=missing[0],
                path=Path(where) / missing[0],
            )
        )
    size = tuple(spec.image_size)
    skipped: list[tuple[str, str]] = list(index.bad)
    workers = project.training.workers

    made: list[tuple[FolderSplit, np.ndarray]] = []

    def make(name: str, pos: np.ndarray) -> FolderSplit:
        """The split of the index entries at positions ``pos``."""
        split = FolderSplit(
            name,
            [index.paths[i] for i in pos.tolist()],
            index.labels[pos],
            spec.channels,
            size,
            workers=workers,
            augment_config=cfg,
            skipped=skipped,
            on_skip=on_skip,
        )
        made.append((split, pos))
        return split

    seed, limit = project.training.seed, spec.limit_per_class

    def select(split: str) -> np.ndarray:
        """A split's index positions, at most ``data.limit_per_class`` of each class."""
        pos = np.flatnonzero(index.splits == split)
        picked = limit_indices(index.labels[pos], limit, seed)
        return pos if picked is None else pos[np.asarray(picked, dtype=np.int64)]

    tr_pos = select("train")
    tr_paths, tr_labels = [index.paths[i] for i in tr_pos.tolist()], index.labels[tr_pos]
    full_train = make("train", tr_pos)
    test = make("test", select("test")) if "test" in index.split_dirs else None
    train, val = full_train, None
    if spec.val == "test":
        if test is None:
            raise ProjectError(
                "data.val",
                tr(
                    '"test" needs a test split, but {root} has no test/ folder: use a fraction such as 0.1, or add a test/ folder of class folders',
                    root=index.root,
                ),
            )
        val = test
    elif "val" in index.split_dirs:
        val = make("val", select("val"))
    elif float(spec.val) > 0:  # not "test" here, so a fraction
        tr_idx, va_idx = holdout(tr_labels, float(spec.val), project.training.seed)
        train = make("train", tr_pos[tr_idx])
        val = make("val", tr_pos[va_idx])
    used = [s for s in (train, val, test) if s is not None]
    wanted = np.unique(np.concatenate([pos for _, pos in made]))  # data.limit_per_class decodes only these
    store = prepare_store(
        index.root,
        [index.paths[i] for i in wanted.tolist()],
        spec.channels,
        size,
        workers=all_cores() if workers is None else workers,
        progress=progress,
        cancel=cancel,
    )
    if store is not None:
        log.info(
            "%s: %d images decoded now, %d read from the cache (%s, %d MB)",
            index.root,
            store.decoded,
            store.reused,
            store.where,
            store.nbytes >> 20,
        )
        row_of = np.full(len(index.paths), -1, dtype=np.int64)
        row_of[wanted] = np.arange(wanted.size)
        for part, pos in made:  # the whole training split only feeds the statistics: its skips are known
            part.attach_store(store.images, row_of[pos], store.bad, record=any(part is u for u in used))
    bundle = DataBundle(
        classes=index.classes,
        train=train,
        val=val,
        test=test,
        mean=(),
        std=(),
        skipped=skipped,
        source="folder",
        folder=index.root,
        index=index,
    )
    ident = hashlib.sha1("\n".join(tr_paths).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return (
        bundle,
        f"folder:{index.root}:{len(tr_paths)}:{ident}|c{spec.channels}|{size[0]}x{size[1]}",
        full_train,
    )


def load_data(
    project: Project,
    *,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
    on_skip: Callable[[str, str], None] | None = None,
) -> DataBundle:
    """Load the dataset a project describes; see the module docstring.

    ``progress(message, fraction)`` reports long steps; ``cancel()`` returning true raises
    :class:`DataCancelled`; ``on_skip(path, reason)`` hears of every unreadable file as it is
    found (they are also collected in :attr:`DataBundle.skipped`). Problems the user can fix
    raise :class:`DatasetError` / :class:`DatasetMissingError` / ``ProjectError``.
    """
    spec = project.data
    cfg = resolve_augment(spec.augment)
    check_cancel(cancel)
    if spec.source == "folder":
        bundle, key, full_train = _folder_bundle(project, progress, cancel, cfg, on_skip)
    else:
        bundle, key, full_train = _arrays_bundle(project, progress, cancel, cfg)
    if project.model.kind == "pretrained":
        mean, std = tuple(IMAGENET_MEAN), tuple(IMAGENET_STD)
    else:
        if progress:
            progress(tr("computing the dataset mean and standard deviation"), 0.8)
        mean, std = dataset_stats(full_train, key, cancel, progress)
    if len(mean) != spec.channels:
        raise DatasetError(
            tr(
                "normalisation statistics have {n_mean} channels but data.channels is {channels}",
                n_mean=len(mean),
                channels=spec.channels,
            )
        )
    bundle.mean, bundle.std = mean, std
    for s in bundle.splits():
        s.mean, s.std = mean, std
    if progress:
        progress(tr("dataset ready"), 1.0)
    return bundle


def describe(bundle: DataBundle) -> str:
    """One line for logs and the CLI: source, classes and split sizes."""
    parts = [f"{s.name} {len(s)}" for s in bundle.splits()]
    if bundle.val is not None and bundle.val is bundle.test:
        parts.append("val = test")
    if bundle.skipped:
        return tr(
            "{source}: {count} classes, {splits}, {skipped} unreadable skipped",
            source=bundle.source,
            count=bundle.num_classes,
            splits=", ".join(parts),
            skipped=len(bundle.skipped),
        )
    return tr(
        "{source}: {count} classes, {splits}",
        source=bundle.source,
        count=bundle.num_classes,
        splits=", ".join(parts),
    )
