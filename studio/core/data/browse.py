"""Browsing a dataset image by image: listings, filters, counts, thumbnails, a bounded cache.

The Data page's grid shows one row per image of a dataset that may hold 100,000 files, so
nothing here touches the images while listing: a :class:`Listing` is a few numpy columns
(label and split per image) plus a way to name and fetch each image. Pixels are decoded only
when asked for (:func:`decode_thumbnail`, :meth:`Listing.thumbnail`), by the GUI's worker
threads, and kept in a byte-bounded :class:`LRUCache`.

Qt-free on purpose: the same functions serve the tests, the GUI and any script.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import numpy as np

# numpy loads these on first use, and their C set-up holds the GIL throughout (50-160 ms measured
# on the loaded 2-core machine): the first listing's worker (``holdout`` draws from
# numpy.random; ``np.unique`` reaches numpy.ma) froze the window that long. Loaded here, with
# the Data page, they cost its construction ~30 ms instead (benchmarks/browser_scale.py).
import numpy.ma  # noqa: F401
import numpy.random  # noqa: F401

from studio.core.base.errors import UserError
from studio.core.base.files import open_regular
from studio.core.base.i18n import tr
from studio.core.base.progress import Progress

V = TypeVar("V")

#: A folder/in-memory split is named by one of these (in this order in every table).
SPLIT_ORDER = ("train", "val", "test")

#: A class with this many times fewer images than the largest class makes the set "imbalanced".
IMBALANCE_RATIO = 5.0


# --------------------------------------------------------------------------- LRU cache


class LRUCache(Generic[V]):
    """A thread-safe least-recently-used cache bounded by the bytes its values hold.

    Each ``put`` states the value's size; the oldest entries are dropped until the total is
    within ``max_bytes`` again. Used for thumbnails, so that scrolling through 100,000 images
    keeps memory flat.
    """

    def __init__(self, max_bytes: int) -> None:
        if max_bytes <= 0:
            raise ValueError("max_bytes must be positive")
        self.max_bytes = int(max_bytes)
        self._items: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        """The value for ``key`` (marking it recently used), or None."""
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            self._items.move_to_end(key)
            return item[0]

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._items

    def put(self, key: Hashable, value: V, nbytes: int) -> None:
        """Store ``value`` (``nbytes`` large), evicting the least recently used as needed."""
        nbytes = max(0, int(nbytes))
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            if nbytes > self.max_bytes:
                return  # larger than the whole budget: never cached
            self._items[key] = (value, nbytes)
            self._bytes += nbytes
            while self._bytes > self.max_bytes:
                _, (_, size) = self._items.popitem(last=False)
                self._bytes -= size

    def clear(self) -> None:
        """Drop everything."""
        with self._lock:
            self._items.clear()
            self._bytes = 0

    @property
    def total_bytes(self) -> int:
        """Bytes currently held (always <= ``max_bytes``)."""
        return self._bytes

    def __len__(self) -> int:
        return len(self._items)


# --------------------------------------------------------------------------- decoding


def _display_channels(mode: str) -> int:
    """1 for greyscale modes, 4 where there is transparency, else 3."""
    if mode in ("1", "L", "I", "F") or mode.startswith("I;"):
        return 1
    if mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        return 4
    return 3


def decode_thumbnail(path: str | os.PathLike[str], size: int) -> np.ndarray:
    """Decode ``path`` into a thumbnail that fits ``size`` x ``size``: (H, W, 1|3|4) uint8.

    Decodes through :func:`studio.core.data.preprocess.open_image` (EXIF rotation, reduced-scale
    JPEG decoding, every Pillow mode) so the browser shows what training reads. Greyscale
    stays grey and transparency is kept. Raises
    :class:`~studio.core.data.preprocess.ImageReadError` naming the file and the reason.
    """
    from PIL import Image

    from studio.core.data.preprocess import open_image, to_mode  # lazy: pulls in PIL

    img = open_image(path, size_hint=(size, size))
    channels = 4 if (img.mode == "P" and "transparency" in img.info) else _display_channels(img.mode)
    img = to_mode(img, channels)
    if max(img.size) > size:
        img.thumbnail((size, size), Image.Resampling.BILINEAR)
    arr = np.asarray(img, dtype=np.uint8)
    return np.ascontiguousarray(arr[..., None] if arr.ndim == 2 else arr)


def chw_to_hwc(image: Any) -> np.ndarray:
    """A (C, H, W) uint8 tensor or array as a contiguous (H, W, C) numpy array."""
    arr = image.numpy() if hasattr(image, "numpy") else np.asarray(image)
    if arr.ndim == 2:
        arr = arr[None]
    return np.ascontiguousarray(np.transpose(arr, (1, 2, 0)).astype(np.uint8, copy=False))


def shrink(hwc: np.ndarray, size: int) -> np.ndarray:
    """An (H, W, C) uint8 array fitted into ``size`` x ``size`` (smaller ones unchanged)."""
    h, w = hwc.shape[:2]
    if max(h, w) <= size:
        return np.ascontiguousarray(hwc)
    from PIL import Image

    channels = hwc.shape[2]
    img = Image.fromarray(hwc[..., 0] if channels == 1 else hwc)
    img.thumbnail((size, size), Image.Resampling.BILINEAR)
    out = np.asarray(img, dtype=np.uint8)
    return np.ascontiguousarray(out[..., None] if out.ndim == 2 else out)


@dataclass(frozen=True)
class ImageInfo:
    """What the detail panel says about one image."""

    name: str
    path: str | None
    width: int
    height: int
    mode: str
    label: str
    split: str
    file_bytes: int | None = None
    format: str | None = None

    def describe(self) -> str:
        """Multi-line human text (shown under the enlarged image)."""
        lines = [self.name]
        if self.path:
            lines.append(self.path)
        size = f"{self.width} x {self.height} px, {self.mode}"
        if self.format:
            size += f", {self.format}"
        if self.file_bytes is not None:
            size += f", {_human_bytes(self.file_bytes)}"
        lines.append(size)
        lines.append(f"label: {self.label}  ·  split: {self.split}")
        return "\n".join(lines)


def _human_bytes(n: int) -> str:
    value = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{n} B"


# --------------------------------------------------------------------------- listings


@dataclass
class Listing:
    """Every image of a dataset as columns: one entry per image, nothing decoded.

    ``paths`` holds a file per image for folder sources and is None for in-memory sources,
    where ``reader(i)`` returns image ``i`` as a (C, H, W) uint8 tensor/array instead.
    ``labels[i]`` indexes ``classes``; ``splits[i]`` indexes ``split_names``. In-memory
    listings hold the official training images first, then the official test images
    (``official_cut`` is where the test images start).
    """

    classes: list[str]
    split_names: tuple[str, ...]
    labels: np.ndarray
    splits: np.ndarray
    paths: Sequence[str] | None = None
    reader: Callable[[int], Any] | None = None
    root: str = ""
    source: str = "folder"
    official_cut: int | None = None  # in-memory: images before this index are the official train set
    _lower_names: list[str] | None = field(default=None, repr=False)
    _counts: ClassCounts | None = field(default=None, repr=False)  # see class_counts()

    def __len__(self) -> int:
        return int(self.labels.shape[0])

    def name(self, i: int) -> str:
        """The file name of image ``i`` (``train #12`` / ``test #3`` for in-memory sources)."""
        if self.paths is not None:
            return os.path.basename(self.paths[i])
        cut = len(self) if self.official_cut is None else self.official_cut
        return f"train #{i}" if i < cut else f"test #{i - cut}"

    def path(self, i: int) -> str | None:
        """The file of image ``i`` or None for in-memory sources."""
        return None if self.paths is None else self.paths[i]

    def label_name(self, i: int) -> str:
        """The class name of image ``i``."""
        label = int(self.labels[i])
        return self.classes[label] if 0 <= label < len(self.classes) else str(label)

    def split_name(self, i: int) -> str:
        """The split (``train``/``val``/``test``) of image ``i``."""
        return self.split_names[int(self.splits[i])]

    def lower_names(self) -> list[str]:
        """Every image's name in lower case (computed once, for searching)."""
        if self._lower_names is None:
            if self.paths is not None:
                base = os.path.basename
                self._lower_names = [base(p).lower() for p in self.paths]
            else:
                self._lower_names = [self.name(i).lower() for i in range(len(self))]
        return self._lower_names

    def pixels(self, i: int) -> np.ndarray:
        """Image ``i`` at full size as (H, W, 1|3|4) uint8 — decodes; call off the GUI thread."""
        if self.paths is not None:
            return decode_thumbnail(self.paths[i], 1 << 15)
        if self.reader is None:
            raise UserError(tr("this listing has neither files nor an in-memory reader"))
        return chw_to_hwc(self.reader(i))

    def thumbnail(self, i: int, size: int) -> np.ndarray:
        """Image ``i`` fitted into ``size`` x ``size`` — decodes; call off the GUI thread."""
        if self.paths is not None:
            return decode_thumbnail(self.paths[i], size)
        return shrink(self.pixels(i), size)

    def info(self, i: int) -> ImageInfo:
        """Size, mode, file size and label of image ``i`` (reads the file header)."""
        name, label, split = self.name(i), self.label_name(i), self.split_name(i)
        if self.paths is None:
            arr = self.pixels(i)
            mode = {1: "L", 3: "RGB", 4: "RGBA"}.get(arr.shape[2], "?")
            return ImageInfo(name, None, arr.shape[1], arr.shape[0], mode, label, split)
        path = self.paths[i]
        from PIL import Image

        try:
            size = os.path.getsize(path)
            with open_regular(path) as fh, Image.open(fh) as img:  # never a FIFO or a device
                return ImageInfo(name, path, img.width, img.height, img.mode, label, split, size, img.format)
        except (OSError, ValueError, SyntaxError) as exc:
            raise UserError(tr("{path}: cannot be read as an image ({exc})", path=path, exc=exc)) from exc


def _order_splits(names: Sequence[str]) -> tuple[str, ...]:
    known = [s for s in SPLIT_ORDER if s in names]
    return tuple(known + sorted(s for s in names if s not in SPLIT_ORDER))


def make_listing(
    classes: Sequence[str],
    paths: Sequence[str] | None,
    labels: Sequence[int],
    splits: Sequence[str],
    reader: Callable[[int], Any] | None = None,
    root: str = "",
    source: str = "folder",
    official_cut: int | None = None,
) -> Listing:
    """A :class:`Listing` from per-image columns (split given by name per image)."""
    names = _order_splits(sorted(set(splits)))
    lookup = {s: k for k, s in enumerate(names)}
    split_arr = np.fromiter((lookup[s] for s in splits), dtype=np.int8, count=len(splits))
    label_arr = np.asarray(labels, dtype=np.int32).reshape(-1)
    if label_arr.shape[0] != split_arr.shape[0] or (paths is not None and len(paths) != label_arr.shape[0]):
        raise ValueError("labels, splits and paths must have one entry per image")
    return Listing(list(classes), names, label_arr, split_arr, paths, reader, root, source, official_cut)


# --------------------------------------------------------------------------- filters and counts


def filter_rows(
    listing: Listing, label: int | None = None, split: str | None = None, search: str = ""
) -> np.ndarray:
    """Indices (int64, ascending) of the images matching a class, a split and a name search.

    ``search`` is a case-insensitive substring of the file name; empty matches all.
    """
    mask = np.ones(len(listing), dtype=bool)
    if label is not None:
        mask &= listing.labels == label
    if split is not None:
        if split not in listing.split_names:
            return np.zeros(0, dtype=np.int64)
        mask &= listing.splits == listing.split_names.index(split)
    rows = np.flatnonzero(mask)
    needle = search.strip().lower()
    if needle and rows.size:
        names = listing.lower_names()
        rows = np.fromiter((i for i in rows.tolist() if needle in names[i]), dtype=np.int64)
    return rows.astype(np.int64, copy=False)


@dataclass(frozen=True)
class ClassCounts:
    """Images per class (columns) per split (rows) — the histogram's data."""

    classes: list[str]
    split_names: tuple[str, ...]
    counts: np.ndarray  # (len(split_names), len(classes)) int64

    def per_class(self) -> np.ndarray:
        """Totals per class over all splits."""
        return self.counts.sum(axis=0)

    def to_dict(self) -> dict[str, dict[str, int]]:
        """``{split: {class: count}}`` (JSON-friendly)."""
        return {
            s: {c: int(self.counts[k, j]) for j, c in enumerate(self.classes)}
            for k, s in enumerate(self.split_names)
        }


def class_counts(listing: Listing) -> ClassCounts:
    """Count the images of each class in each split (no image is opened); computed once per listing.

    The browser asks for the counts on its listing worker, so that the GUI thread (the
    histogram, the class filter) only reads them: over a million images the count is a
    ~20 ms pass it would otherwise repeat on every use.
    """
    if listing._counts is None:
        listing._counts = _count_classes(listing)
    return listing._counts


def _count_classes(listing: Listing) -> ClassCounts:
    n_cls, n_split = len(listing.classes), len(listing.split_names)
    counts = np.zeros((n_split, n_cls), dtype=np.int64)
    if len(listing):
        flat = listing.splits.astype(np.int64) * n_cls + listing.labels.astype(np.int64)
        counts = np.bincount(flat, minlength=n_split * n_cls)[: n_split * n_cls].reshape(n_split, n_cls)
    return ClassCounts(list(listing.classes), listing.split_names, counts)


def imbalance_warning(counts: ClassCounts, ratio: float = IMBALANCE_RATIO) -> str | None:
    """A sentence when the largest class has ``ratio`` times (or more) the smallest, else None.

    Looks at the training split (all splits when there is none) because that is what the
    model learns from.
    """
    if not counts.classes:
        return None
    if "train" in counts.split_names:
        per = counts.counts[counts.split_names.index("train")]
    else:
        per = counts.per_class()
    if per.size < 2:
        return None
    hi, lo = int(per.max()), int(per.min())
    big, small = counts.classes[int(per.argmax())], counts.classes[int(per.argmin())]
    if lo == 0 and hi > 0:
        return tr(
            "Class '{small}' has no training images while '{big}' has {count}: add images or remove the class.",
            small=small,
            big=big,
            count=hi,
        )
    if lo > 0 and hi / lo >= ratio:
        return tr(
            "Badly imbalanced: '{big}' has {ratio:.1f}x the images of '{small}' ({hi} vs {lo}). Collect more "
            "of the small classes or expect the model to favour the big ones.",
            big=big,
            ratio=hi / lo,
            small=small,
            hi=hi,
            lo=lo,
        )
    return None


def model_input(listing: Listing, i: int, channels: int, size: tuple[int, int]) -> Any:
    """Image ``i`` as the network receives it before normalisation: uint8 (C, H, W) tensor.

    Converted to the project's ``channels`` and ``image_size`` by the same functions the
    training loader uses, so the augmentation preview shows exactly what training sees.
    Decodes; call off the GUI thread.
    """
    import torch
    from PIL import Image

    from studio.core.data.preprocess import open_image, to_uint8_tensor  # lazy: pulls in PIL

    h, w = int(size[0]), int(size[1])
    if listing.paths is not None:
        return to_uint8_tensor(open_image(listing.paths[i], size_hint=(h, w)), channels, (h, w))
    if listing.reader is None:
        raise UserError(tr("this listing has neither files nor an in-memory reader"))
    tensor = listing.reader(i)
    tensor = tensor if isinstance(tensor, torch.Tensor) else torch.as_tensor(np.asarray(tensor))
    if tensor.dim() == 2:
        tensor = tensor.unsqueeze(0)
    if tuple(tensor.shape) == (channels, h, w):
        return tensor.to(torch.uint8)
    hwc = chw_to_hwc(tensor)
    img = Image.fromarray(hwc[..., 0] if hwc.shape[2] == 1 else hwc)
    return to_uint8_tensor(img, channels, (h, w))


# --------------------------------------------------------------------------- a project's listing


@dataclass
class DatasetBase:
    """What was read from disk for a listing: a folder scan or a decoded in-memory source.

    Kept by the browser so that a change of ``data.val`` re-splits without re-reading.
    ``key`` is ``(source, root)``: when it changes the base must be read again.
    """

    key: tuple[str, str]
    index: Any = None  # studio.core.data.folder.FolderIndex for folders
    arrays: Any = None  # studio.core.data.sources.ArraySource for in-memory sources


def base_key(source: str, root: str) -> tuple[str, str]:
    """The identity of what :func:`load_base` reads (the sample ignores ``root``)."""
    return (source, "" if source == "sample" else root)


def load_base(
    source: str, root: str, progress: Progress | None = None, cancel: Callable[[], bool] | None = None
) -> DatasetBase:
    """Read the dataset's file list (folder) or its decoded arrays (in-memory sources).

    Never downloads: a missing torchvision dataset raises the loader's
    :class:`~studio.core.data.errors.DatasetMissingError` naming the folder and files.
    Call off the GUI thread (imports torch, reads files).
    """
    key = base_key(source, root)
    if source == "folder":
        from studio.core.data.folder import scan_folder  # lazy: pulls in torch

        if progress:
            progress(tr("listing {root}", root=root), None)
        return DatasetBase(key, index=scan_folder(root))
    from studio.core.data.sources import load_array_source  # lazy: pulls in torch

    return DatasetBase(key, arrays=load_array_source(source, root, False, progress, cancel))


def listing_from_base(base: DatasetBase, val: float | str, seed: int) -> Listing:
    """One row per image with the split training will use (``data.val`` held out with ``seed``).

    The validation images are chosen by :func:`studio.core.data.datasets.holdout`, exactly as
    :func:`studio.core.data.datasets.load_data` chooses them, so the browser shows the real split.
    """
    from studio.core.data.datasets import holdout  # lazy: pulls in torch

    if base.index is not None:
        index = base.index
        names = _order_splits(sorted(_present_splits(index.splits) | set(index.split_dirs)))
        if not names:
            names = ("train",)
        splits = np.zeros(len(index.paths), dtype=np.int8)
        for k, s in enumerate(names):
            splits[index.splits == s] = k
        labels = np.asarray(index.labels, dtype=np.int32)
        if isinstance(val, float | int) and val > 0 and "val" not in index.split_dirs and "train" in names:
            train_rows = np.flatnonzero(splits == names.index("train"))
            _, va = holdout(labels[train_rows], float(val), seed)
            if va.size:
                if "val" not in names:
                    wider = _order_splits(list(names) + ["val"])
                    splits, names = _remap(splits, names, wider), wider
                splits[train_rows[va]] = names.index("val")
        return Listing(list(index.classes), names, labels, splits, index.paths, None, index.root, "folder")
    src = base.arrays
    tr_x, tr_y = src.train_images, src.train_labels
    te_x, te_y = src.test_images, src.test_labels
    n_train = int(tr_y.shape[0])
    n_test = int(te_y.shape[0]) if te_y is not None else 0
    labels = np.concatenate([tr_y.numpy(), te_y.numpy() if te_y is not None else np.zeros(0, np.int64)])
    names = ("train", "val", "test") if n_test else ("train", "val")
    splits = np.zeros(n_train + n_test, dtype=np.int8)
    splits[n_train:] = names.index("test") if n_test else 0
    if isinstance(val, float | int) and val > 0:
        _, va = holdout(tr_y, float(val), seed)
        splits[va] = names.index("val")
    if not (splits == names.index("val")).any():
        names_kept = tuple(n for n in names if n != "val")
        splits = _remap(splits, names, names_kept)
        names = names_kept

    def reader(i: int) -> Any:
        return tr_x[i] if i < n_train else te_x[i - n_train]

    return Listing(
        list(src.classes),
        names,
        labels.astype(np.int32),
        splits,
        None,
        reader,
        src.folder,
        src.name,
        official_cut=n_train,
    )


def _present_splits(splits: np.ndarray) -> set[str]:
    """The distinct names in a scan's split column (train/val/test), found with one comparison each.

    ``set(splits.tolist())`` and ``np.unique`` on strings hold the GIL for 60-150 ms per
    million images, and the browser runs this on a worker while the window waits for the GIL.
    """
    found: set[str] = set()
    covered = 0
    for name in SPLIT_ORDER:
        n = int(np.count_nonzero(splits == name))
        if n:
            found.add(name)
            covered += n
    if covered != splits.shape[0]:  # some other name: the general (slower) way
        found |= set(np.unique(splits).tolist())
    return found


def _remap(splits: np.ndarray, old_names: Sequence[str], new_names: Sequence[str]) -> np.ndarray:
    """Split indices re-expressed in ``new_names`` (every used old name must be in it)."""
    lookup = np.array([new_names.index(n) if n in new_names else 0 for n in old_names], dtype=np.int8)
    return lookup[splits] if splits.size else splits.astype(np.int8)
