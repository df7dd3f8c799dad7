"""The in-memory sources: MNIST, Fashion-MNIST, CIFAR-10/100 and the embedded sample.

Each is decoded once into uint8 tensors ``(N, C, H, W)`` with int64 labels. MNIST and
Fashion-MNIST go through torchvision's own dataset classes (its folder layout under
``data.root``: ``root/MNIST/raw/``, ``root/FashionMNIST/raw/``). The CIFAR batches use
torchvision's layout (``root/cifar-10-batches-py/``, ``root/cifar-100-python/``) and its
download, but are read with a restricted unpickler that only rebuilds numpy arrays, so
that a tampered file cannot run code (nothing from disk is unpickled freely).
"""

from __future__ import annotations

import gzip
import hashlib
import os
import pickle
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from studio.core.base.files import read_regular
from studio.core.base.i18n import tr
from studio.core.base.paths import DEFAULT_DATASETS_ROOT, resources_dir
from studio.core.base.progress import Progress, scaled
from studio.core.data import download as download_module  # module attribute: tests replace download_source
from studio.core.data.classes import parent_hint
from studio.core.data.errors import DatasetError, DatasetMissingError, check_cancel

DEFAULT_ROOT = DEFAULT_DATASETS_ROOT
FASHION_CLASSES = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
]
MNIST_CLASSES = [str(d) for d in range(10)]


@dataclass
class ArraySource:
    """A decoded in-memory dataset: uint8 ``(N, C, H, W)`` images and int64 labels per split."""

    name: str
    classes: list[str]
    train_images: torch.Tensor
    train_labels: torch.Tensor
    test_images: torch.Tensor | None
    test_labels: torch.Tensor | None
    folder: str  # where the files were read from
    identity: str  # a key for caches: changes when the files change


def resolve_root(root: str) -> Path:
    """``data.root`` with ``~`` expanded (the default cache folder when empty)."""
    return Path(os.path.expanduser(root or DEFAULT_ROOT)).absolute()


def _file_identity(files: list[Path]) -> str:
    h = hashlib.sha1()
    for f in files:
        st = f.stat()
        h.update(f"{f.name}:{st.st_size}:{int(st.st_mtime)};".encode())
    return h.hexdigest()[:16]


# --------------------------------------------------------------------------- IDX (MNIST family)


def read_idx(data: bytes, name: str = "IDX file") -> np.ndarray:
    """A uint8 IDX payload (the MNIST file format) as a numpy array."""
    if len(data) < 4:
        raise DatasetError(tr("{name} is too short to be an IDX file", name=name))
    zero, dtype, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08 or not 1 <= ndim <= 4:
        raise DatasetError(tr("{name} is not a uint8 IDX file (bad header)", name=name))
    shape = struct.unpack(">" + "I" * ndim, data[4 : 4 + 4 * ndim])
    expected = int(np.prod(shape)) + 4 + 4 * ndim
    if len(data) != expected:
        raise DatasetError(
            tr(
                "{name} is truncated or corrupt: {n_data} bytes, expected {expected}",
                name=name,
                n_data=len(data),
                expected=expected,
            )
        )
    return np.frombuffer(data, np.uint8, offset=4 + 4 * ndim).reshape(shape)


def idx_bytes(arr: np.ndarray) -> bytes:
    """The IDX encoding of a uint8 array (what :func:`read_idx` reads back).

    For writing MNIST-layout files: the tests, the end-to-end journeys, the sample maker
    (``tools/make_sample.py``) and the screenshot script make their small datasets with it.
    """
    arr = np.asarray(arr)
    if arr.dtype != np.uint8 and (arr.size and (arr.min() < 0 or arr.max() > 255)):
        raise ValueError(f"IDX uint8 data must lie in 0..255, got {arr.min()}..{arr.max()}")
    if not 1 <= arr.ndim <= 4:
        raise ValueError(f"an IDX array has 1 to 4 dimensions, got {arr.ndim}")
    header = struct.pack(">HBB", 0, 0x08, arr.ndim) + struct.pack(">" + "I" * arr.ndim, *arr.shape)
    return header + np.ascontiguousarray(arr, dtype=np.uint8).tobytes()


_MNIST_FILES = (
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
)


def _mnist_file(raw: Path, name: str) -> Path | None:
    """``raw/name`` or, failing that, ``raw/name.gz`` (both forms are accepted), or None."""
    for candidate in (raw / name, raw / f"{name}.gz"):
        if candidate.is_file():
            return candidate
    return None


def _read_mnist_raw(source: str, raw: Path) -> ArraySource | None:
    """The four raw IDX files (uncompressed or .gz) read directly, or None.

    Importing torchvision costs 1-2 s of a training run's start-up; it is needed only to
    download, or when the files are not plain IDX.
    """
    files = [_mnist_file(raw, name) for name in _MNIST_FILES]
    if any(f is None for f in files):
        return None
    try:
        arrays = []
        for f in files:
            assert f is not None
            data = read_regular(f, 1 << 30)  # a regular file of bounded size (no FIFO, no /dev/zero)
            arrays.append(read_idx(gzip.decompress(data) if f.suffix == ".gz" else data, str(f)))
    except (OSError, EOFError, DatasetError):
        return None
    tr_x, tr_y, te_x, te_y = arrays
    if tr_x.ndim != 3 or te_x.ndim != 3 or len(tr_x) != len(tr_y) or len(te_x) != len(te_y):
        return None
    classes = MNIST_CLASSES if source == "mnist" else FASHION_CLASSES
    return _idx_source(
        source,
        classes,
        arrays,
        str(raw),
        f"{source}:{raw}:{_file_identity([f for f in files if f is not None])}",
    )


def _idx_source(
    name: str, classes: Sequence[str], arrays: Sequence[np.ndarray], folder: str, identity: str
) -> ArraySource:
    """An :class:`ArraySource` from IDX arrays: train images, train labels, test images, test labels."""
    tr_x, tr_y, te_x, te_y = arrays
    return ArraySource(
        name=name,
        classes=list(classes),
        train_images=torch.from_numpy(tr_x.copy()).unsqueeze(1).contiguous(),
        train_labels=torch.from_numpy(tr_y.astype(np.int64)),
        test_images=torch.from_numpy(te_x.copy()).unsqueeze(1).contiguous(),
        test_labels=torch.from_numpy(te_y.astype(np.int64)),
        folder=folder,
        identity=identity,
    )


def _load_mnist_family(
    source: str, root: Path, download: bool, progress: Progress | None, cancel: Callable[[], bool] | None
) -> ArraySource:
    raw = root / {"mnist": "MNIST", "fashion_mnist": "FashionMNIST"}[source] / "raw"
    if all(_mnist_file(raw, name) is not None for name in _MNIST_FILES):
        if progress:
            progress(tr("reading {dataset} from {raw}", dataset=raw.parent.name, raw=raw), 0.3)
        found = _read_mnist_raw(source, raw)
        if found is not None:
            return found
    from torchvision import datasets

    cls = {"mnist": datasets.MNIST, "fashion_mnist": datasets.FashionMNIST}[source]
    raw = root / cls.__name__ / "raw"
    names = [os.path.splitext(os.path.basename(url))[0] for url, _ in cls.resources]
    missing = [n for n in names if _mnist_file(raw, n) is None]
    if missing and download:
        _download(source, root, progress, cancel)
    elif missing:
        raise DatasetMissingError(
            tr(
                "{dataset} is not in {raw}: it needs the four files {names} there, each uncompressed or as .gz (missing: {missing}). Set data.root to the folder that holds {dataset}/raw{parent_hint}, or set data.download to true",
                dataset=cls.__name__,
                raw=raw,
                names=", ".join(names),
                missing=", ".join(missing),
                parent_hint=parent_hint(source, root),
            )
        )
    check_cancel(cancel)
    if progress:
        progress(tr("reading {dataset} from {raw}", dataset=cls.__name__, raw=raw), 0.3)
    try:
        train = cls(str(root), train=True, download=False)
        test = cls(str(root), train=False, download=False)
    except (RuntimeError, ValueError, OSError, AssertionError) as exc:
        raise DatasetError(
            tr(
                "{dataset} in {raw} cannot be read ({exc}); delete the files to download them again, or replace them with the originals",
                dataset=cls.__name__,
                raw=raw,
                exc=exc,
            )
        ) from None
    classes = MNIST_CLASSES if source == "mnist" else FASHION_CLASSES
    return ArraySource(
        name=source,
        classes=list(classes),
        train_images=train.data.to(torch.uint8).unsqueeze(1).contiguous(),
        train_labels=train.targets.to(torch.int64),
        test_images=test.data.to(torch.uint8).unsqueeze(1).contiguous(),
        test_labels=test.targets.to(torch.int64),
        folder=str(raw),
        identity=f"{source}:{raw}:{_file_identity([raw / n for n in names])}",
    )


def _download(source: str, root: Path, progress: Progress | None, cancel: Callable[[], bool] | None) -> None:
    """Fetch ``source`` into torchvision's layout under ``root``; a failure says where to put files."""
    download_module.download_source(
        source, root, scaled(progress, 0.0, 0.3), cancel
    )  # the first part of loading


# --------------------------------------------------------------------------- CIFAR


class _NumpyOnlyUnpickler(pickle.Unpickler):
    """Unpickles dicts, lists, strings, numbers and numpy arrays — nothing that can run code."""

    ALLOWED = {
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "_reconstruct"),
        ("numpy.core.multiarray", "scalar"),
        ("numpy._core.multiarray", "scalar"),
        ("numpy.core.numeric", "_frombuffer"),
        ("numpy._core.numeric", "_frombuffer"),
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
        ("_codecs", "encode"),
    }

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError(f"refusing to load {module}.{name}")
        return super().find_class(module, name)


def safe_unpickle(path: Path) -> Any:
    """Read a CIFAR batch file with :class:`_NumpyOnlyUnpickler` (latin-1, as the originals need)."""
    try:
        with open(path, "rb") as fh:
            return _NumpyOnlyUnpickler(fh, encoding="latin1").load()
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError) as exc:
        raise DatasetError(
            tr(
                "{path} is not a valid CIFAR batch file ({exc}); delete it and download the dataset again",
                path=path,
                exc=exc,
            )
        ) from None


def _load_cifar(
    source: str, root: Path, download: bool, progress: Progress | None, cancel: Callable[[], bool] | None
) -> ArraySource:
    from torchvision import datasets

    cls = datasets.CIFAR10 if source == "cifar10" else datasets.CIFAR100
    folder = root / cls.base_folder
    train_files = [name for name, _ in cls.train_list]
    test_files = [name for name, _ in cls.test_list]
    meta_file = cls.meta["filename"]
    names = train_files + test_files + [meta_file]
    missing = [n for n in names if not (folder / n).is_file()]
    if missing and download:
        _download(source, root, progress, cancel)
    elif missing:
        raise DatasetMissingError(
            tr(
                "{dataset} is not in {folder}: expected the files {names} there (missing: {missing}), as unpacked from {filename}. Set data.root to the folder that holds {base_folder}{parent_hint}, or set data.download to true",
                dataset=cls.__name__,
                folder=folder,
                names=", ".join(names),
                missing=", ".join(missing),
                filename=cls.filename,
                base_folder=cls.base_folder,
                parent_hint=parent_hint(source, root),
            )
        )
    meta = safe_unpickle(folder / meta_file)
    key = cls.meta["key"]
    if not isinstance(meta, dict) or key not in meta:
        raise DatasetError(tr("{path} has no {key!r} list of class names", path=folder / meta_file, key=key))
    classes = [str(c) for c in meta[key]]
    label_key = "labels" if source == "cifar10" else "fine_labels"

    def read(files: list[str], start: float) -> tuple[torch.Tensor, torch.Tensor]:
        imgs, labs = [], []
        for k, name in enumerate(files):
            check_cancel(cancel)
            if progress:
                progress(tr("reading {name}", name=name), start + 0.3 * k / len(files))
            entry = safe_unpickle(folder / name)
            data = np.asarray(entry.get("data") if isinstance(entry, dict) else None)
            labels = entry.get(label_key) if isinstance(entry, dict) else None
            if (
                data.dtype != np.uint8
                or data.ndim != 2
                or data.shape[1] != 3072
                or labels is None
                or len(labels) != data.shape[0]
            ):
                raise DatasetError(
                    tr(
                        "{path} is not a CIFAR batch (expected uint8 data of N x 3072 and {label_key})",
                        path=folder / name,
                        label_key=label_key,
                    )
                )
            imgs.append(torch.from_numpy(data.reshape(-1, 3, 32, 32).copy()))
            labs.append(torch.as_tensor(np.asarray(labels, dtype=np.int64)))
        return torch.cat(imgs), torch.cat(labs)

    tr_x, tr_y = read(train_files, 0.3)
    te_x, te_y = read(test_files, 0.6)
    for y, what in ((tr_y, "train"), (te_y, "test")):
        if y.numel() and (int(y.min()) < 0 or int(y.max()) >= len(classes)):
            raise DatasetError(
                tr(
                    "{folder}: {what} labels outside 0..{last}",
                    folder=folder,
                    what=what,
                    last=len(classes) - 1,
                )
            )
    return ArraySource(
        name=source,
        classes=classes,
        train_images=tr_x,
        train_labels=tr_y,
        test_images=te_x,
        test_labels=te_y,
        folder=str(folder),
        identity=f"{source}:{folder}:{_file_identity([folder / n for n in names])}",
    )


# --------------------------------------------------------------------------- sample


def sample_dir() -> Path:
    """The embedded sample dataset's folder (``resources/sample``)."""
    return resources_dir() / "sample"


def _load_sample() -> ArraySource:
    folder = sample_dir()
    out: dict[str, np.ndarray] = {}
    for split in ("train", "t10k"):
        for kind in ("images-idx3", "labels-idx1"):
            path = folder / f"{split}-{kind}-ubyte.gz"
            try:
                data = gzip.decompress(path.read_bytes())
            except FileNotFoundError:
                raise DatasetMissingError(
                    tr(
                        "the embedded sample dataset is missing: {path} does not exist (a broken installation? reinstall CNN Studio)",
                        path=path,
                    )
                ) from None
            except (OSError, EOFError, gzip.BadGzipFile) as exc:
                raise DatasetError(
                    tr("the embedded sample file {path} is corrupt ({exc})", path=path, exc=exc)
                ) from None
            out[f"{split}-{kind}"] = read_idx(data, str(path))
    files = sorted(folder.glob("*-ubyte.gz"))
    arrays = [
        out[k] for k in ("train-images-idx3", "train-labels-idx1", "t10k-images-idx3", "t10k-labels-idx1")
    ]
    return _idx_source("sample", FASHION_CLASSES, arrays, str(folder), f"sample:{_file_identity(files)}")


def load_array_source(
    source: str,
    root: str,
    download: bool,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
) -> ArraySource:
    """Decode one of the in-memory sources (``mnist``, ``fashion_mnist``, ``cifar10``, ``cifar100``, ``sample``)."""
    check_cancel(cancel)
    if source == "sample":
        return _load_sample()
    base = resolve_root(root)
    if source in ("mnist", "fashion_mnist"):
        return _load_mnist_family(source, base, download, progress, cancel)
    if source in ("cifar10", "cifar100"):
        return _load_cifar(source, base, download, progress, cancel)
    raise DatasetError(tr("data.source {source!r} is not an in-memory source", source=source))
