"""The ``folder`` source: scanning a folder of class sub-folders, decoding lazily in workers.

Two layouts are understood (docs/project-format.md, ``data.source``)::

    root/<class>/<image>                  one split; validation is held out of it
    root/train/<class>/<image>            explicit splits: train/ and val/ and/or test/
    root/val/<class>/<image>
    root/test/<class>/<image>

:func:`scan_folder` lists a folder with ``os.scandir`` only — no image is opened, no file is
stat'ed — so 100,000 files are indexed in a fraction of a second; the GUI's dataset browser
uses the same index. Nested folders inside a class folder belong to that class. Hidden
entries, non-image files and the ``_quarantine`` folder are ignored; a folder whose name
looks like an image (``x.jpg/``) is reported as bad.

:class:`FolderSplit` decodes images in torch ``DataLoader`` worker processes and converts
them to the project's channels and size. An unreadable file is dropped from its batch,
recorded with its path and reason, and never read again; it never ends a run.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from studio.core.base.i18n import tr
from studio.core.data.augment import AugmentConfig
from studio.core.data.classes import IGNORED_DIRS, QUARANTINE_DIR, SPLIT_NAMES  # noqa: F401 - re-exported
from studio.core.data.errors import DatasetError, DatasetMissingError
from studio.core.data.preprocess import ImageReadError, is_image_name, open_image, to_uint8_tensor
from studio.core.data.splits import Split, batch_slices, epoch_order

log = logging.getLogger(__name__)

SkipCallback = Callable[[str, str], None]


@dataclass
class FolderIndex:
    """What :func:`scan_folder` found: one entry per image file, nothing decoded.

    ``paths`` are absolute; ``labels`` (int64) index ``classes``; ``splits`` holds "train",
    "val" or "test" per file (all "train" in the one-folder-per-class layout). ``bad`` lists
    entries already known to be unusable (a folder named like an image) as (path, reason).
    """

    root: str
    layout: str  # "classes" or "splits"
    classes: list[str]
    paths: list[str]
    labels: np.ndarray
    splits: np.ndarray
    bad: list[tuple[str, str]] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # non-image files (first few hundred)
    split_dirs: dict[str, str] = field(default_factory=dict)  # split -> folder it came from
    empty_classes: list[tuple[str, str]] = field(
        default_factory=list
    )  # (split, class) folders with no images

    def __len__(self) -> int:
        return len(self.paths)

    def split_names(self) -> list[str]:
        """The splits present, in train/val/test order."""
        present = set(self.splits.tolist()) | set(self.split_dirs)
        return [s for s in ("train", "val", "test") if s in present]

    def select(self, split: str) -> tuple[list[str], np.ndarray]:
        """The paths and labels of one split."""
        idx = np.flatnonzero(self.splits == split)
        return [self.paths[i] for i in idx], self.labels[idx]

    def counts(self) -> dict[str, list[int]]:
        """Images per class (label order) for each split present."""
        out = {}
        for s in self.split_names():
            out[s] = np.bincount(self.labels[self.splits == s], minlength=len(self.classes)).tolist()
        return out


def _visible(name: str) -> bool:
    return not name.startswith(".") and name not in IGNORED_DIRS


#: a folder with more entries than this is sorted by :func:`_sorted_by_name`'s numpy path
BIG_FOLDER = 20_000


def _sorted_by_name(entries: list[os.DirEntry], big: int | None = None) -> list[os.DirEntry]:
    """``entries`` in name order, without holding the GIL for long on a big folder.

    ``sorted()`` holds the GIL for its whole C sort: 30-75 ms per 100,000 names, during
    which the window's event loop (the dataset browser scans on a worker) cannot run. NumPy's
    argsort releases the GIL; UTF-8 bytes sort in code point order, as ``str`` does (lone
    surrogates from undecodable names included, through ``surrogatepass``).
    """
    big = BIG_FOLDER if big is None else big
    if len(entries) <= big:
        return sorted(entries, key=lambda e: e.name)
    # converted in pieces: each piece's conversion holds the GIL, briefly
    pieces = [
        np.array([e.name.encode("utf-8", "surrogatepass") for e in entries[i : i + big]], dtype=np.bytes_)
        for i in range(0, len(entries), big)
    ]
    order = np.argsort(np.concatenate(pieces), kind="stable")
    return [entries[i] for i in order.tolist()]


def _walk_class(folder: str, paths: list[str], bad: list[tuple[str, str]], ignored: list[str]) -> int:
    """Append the image files under ``folder`` (recursively, sorted); return how many."""
    n = 0
    stack = [folder]
    seen: set[tuple[int, int]] = set()  # (device, inode) of folders visited: symlink loops end here
    while stack:
        current = stack.pop()
        try:
            st = os.stat(current)
        except OSError:
            continue
        if (st.st_dev, st.st_ino) in seen:
            continue
        seen.add((st.st_dev, st.st_ino))
        try:
            with os.scandir(current) as it:
                entries = _sorted_by_name([e for e in it if _visible(e.name)])
        except OSError as exc:
            bad.append((current, tr("the folder cannot be listed ({reason})", reason=exc.strerror or exc)))
            continue
        subdirs = []
        for e in entries:
            try:
                is_dir = e.is_dir()
            except OSError:
                is_dir = False
            if is_image_name(e.name):
                if is_dir:
                    bad.append((e.path, tr("it is a folder, not an image file")))
                else:
                    paths.append(e.path)
                    n += 1
            elif is_dir:
                subdirs.append(e.path)
            elif len(ignored) < 500:
                ignored.append(e.path)
        stack.extend(reversed(subdirs))  # visit sub-folders in name order
    return n


def _subdirs(folder: str) -> list[os.DirEntry]:
    with os.scandir(folder) as it:
        return sorted((e for e in it if _visible(e.name) and e.is_dir()), key=lambda e: e.name)


def scan_folder(root: str | os.PathLike[str]) -> FolderIndex:
    """Index an image folder in either layout (see the module docstring); nothing is decoded.

    Raises :class:`DatasetMissingError` when ``root`` does not exist and
    :class:`DatasetError` when it holds no class folders.
    """
    base = Path(os.path.expanduser(str(root))).absolute()
    if not base.exists():
        raise DatasetMissingError(
            tr(
                "dataset folder {base} does not exist; expected {base}/<class name>/<image files> or train/ and val/ folders of class folders",
                base=base,
            )
        )
    if not base.is_dir():
        raise DatasetError(tr("dataset folder {base} is a file, not a folder", base=base))
    try:
        top = _subdirs(str(base))
    except OSError as exc:
        raise DatasetError(
            tr("cannot list dataset folder {base}: {reason}", base=base, reason=exc.strerror or exc)
        ) from None
    split_dirs = {SPLIT_NAMES[e.name.lower()]: e for e in top if e.name.lower() in SPLIT_NAMES}
    if "train" in split_dirs:
        layout = "splits"
        groups = [s for s in ("train", "val", "test") if s in split_dirs]
        class_dirs = {s: _subdirs(split_dirs[s].path) for s in groups}
    else:
        layout = "classes"
        groups = ["train"]
        class_dirs = {"train": top}
    classes = sorted({e.name for dirs in class_dirs.values() for e in dirs})
    if not classes:
        loose = sum(1 for e in os.scandir(base) if e.is_file() and is_image_name(e.name))
        hint = (
            tr(" ({loose} images lie directly in it: move them into one sub-folder per class)", loose=loose)
            if loose
            else ""
        )
        raise DatasetError(
            tr(
                "dataset folder {base} has no class sub-folders{hint}; expected {base}/<class name>/<image files>, or train/ and val/ folders of class folders",
                base=base,
                hint=hint,
            )
        )
    lookup = {c: i for i, c in enumerate(classes)}
    paths: list[str] = []
    labels: list[np.ndarray] = []  # one block per class folder: no per-file Python objects to convert
    splits: list[np.ndarray] = []
    bad: list[tuple[str, str]] = []
    ignored: list[str] = []
    empty: list[tuple[str, str]] = []
    for split in groups:
        for d in class_dirs[split]:
            n = _walk_class(d.path, paths, bad, ignored)
            if n == 0:
                empty.append((split, d.path))
            labels.append(np.full(n, lookup[d.name], dtype=np.int64))
            splits.append(np.full(n, split, dtype="<U5"))
    return FolderIndex(
        root=str(base),
        layout=layout,
        classes=classes,
        paths=paths,
        labels=np.concatenate(labels) if labels else np.zeros(0, dtype=np.int64),
        splits=np.concatenate(splits) if splits else np.zeros(0, dtype="<U5"),
        bad=bad,
        ignored=ignored,
        split_dirs={s: d.path for s, d in split_dirs.items()} if layout == "splits" else {},
        empty_classes=empty,
    )


def all_cores() -> int:
    """The cores this process may use, 1 to 8: workers for decoding before training starts."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    return max(1, min(8, cores))


def auto_workers() -> int:
    """A worker count for this machine: the cores minus one for the training loop, 1 to 8."""
    return max(1, all_cores() - 1)


class _DecodeDataset(torch.utils.data.Dataset):
    """Decodes one file into a uint8 tensor; failures come back as a reason, not an exception."""

    def __init__(self, paths: Sequence[str], labels: Sequence[int], channels: int, size: tuple[int, int]):
        self.paths = list(paths)
        self.labels = [int(v) for v in labels]
        self.channels = channels
        self.size = size

    def __len__(self) -> int:
        return len(self.paths)

    def __getitem__(self, i: int) -> tuple[torch.Tensor | None, int, int, str]:
        try:
            img = open_image(self.paths[i], size_hint=self.size)
            return to_uint8_tensor(img, self.channels, self.size), self.labels[i], i, ""
        except ImageReadError as exc:
            return None, self.labels[i], i, exc.reason
        except Exception as exc:  # a decoder bug on one odd file must not end the run
            log.debug("decoding %s failed", self.paths[i], exc_info=True)
            return (
                None,
                self.labels[i],
                i,
                tr("cannot be decoded ({kind}: {exc})", kind=type(exc).__name__, exc=exc),
            )


def collate_decoded(items: list[tuple[torch.Tensor | None, int, int, str]]):
    """Stack the decoded images of a batch and their labels; ``(index, reason)`` of the unreadable."""
    good = [(t, lab) for t, lab, _, _ in items if t is not None]
    bad = [(i, reason) for t, _, i, reason in items if t is None]
    if not good:
        return None, None, bad
    return torch.stack([t for t, _ in good]), torch.tensor([lab for _, lab in good], dtype=torch.int64), bad


class _StoreReader:
    """``reader[i]`` like :class:`_DecodeDataset`'s, read from a split's decoded store."""

    def __init__(self, split: FolderSplit) -> None:
        self.split = split

    def __len__(self) -> int:
        return len(self.split)

    def __getitem__(self, i: int) -> tuple[torch.Tensor | None, int, int, str]:
        s = self.split
        label = int(s.labels[i])
        if i in s.bad:
            return None, label, i, next((r for p, r in s.skipped if p == s.paths[i]), "unreadable")
        assert s._store is not None and s._rows is not None
        return s._store[int(s._rows[i])].clone(), label, i, ""


class _BatchPlan:
    """A batch sampler whose batches are set before each epoch (so workers can persist)."""

    def __init__(self) -> None:
        self.plan: list[list[int]] = []

    def __iter__(self) -> Iterator[list[int]]:
        return iter(self.plan)

    def __len__(self) -> int:
        return len(self.plan)


class FolderSplit(Split):
    """A split of image files decoded lazily in DataLoader workers (``workers`` 0: in-process).

    ``skipped`` is a list shared with the :class:`~studio.core.data.datasets.DataBundle`; every
    unreadable file is appended once as (path, reason) and ``on_skip`` (if given) is called.
    """

    paths: list[str]  # always set (a Split of arrays has none)

    def __init__(
        self,
        name: str,
        paths: Sequence[str],
        labels: Sequence[int] | np.ndarray,
        channels: int,
        size: Sequence[int],
        *,
        workers: int | None = None,
        mean: Sequence[float] = (0.5,),
        std: Sequence[float] = (0.5,),
        augment_config: AugmentConfig | None = None,
        skipped: list[tuple[str, str]] | None = None,
        on_skip: SkipCallback | None = None,
    ) -> None:
        self.name = name
        self.paths = list(paths)
        self.labels = torch.as_tensor(np.asarray(labels, dtype=np.int64))
        self.channels = int(channels)
        self.size = (int(size[0]), int(size[1]))
        self.workers = auto_workers() if workers is None else int(workers)
        self.mean = tuple(float(v) for v in mean)
        self.std = tuple(float(v) for v in std)
        self.augment_config = augment_config or AugmentConfig()
        self.skipped = skipped if skipped is not None else []
        self.on_skip = on_skip
        self.bad: set[int] = set()
        self._dataset = _DecodeDataset(self.paths, self.labels.tolist(), self.channels, self.size)
        self._loaders: dict[tuple[int, bool], tuple[torch.utils.data.DataLoader, _BatchPlan]] = {}
        self._store: torch.Tensor | None = None  # decoded once (see attach_store)
        self._rows: torch.Tensor | None = None

    def attach_store(
        self,
        images: torch.Tensor,
        rows: Sequence[int] | np.ndarray,
        bad: dict[int, str],
        *,
        record: bool = True,
    ) -> None:
        """Serve this split from images decoded once (:mod:`studio.core.data.decode_cache`).

        ``images[rows[i]]`` is image ``i``; ``bad`` maps store rows of unreadable files to the
        reason; they are recorded as skipped now (``record``), as the lazy path records them when
        met, or only left out (another split already reported them). The
        batches (order, members, augmentation draws) are those the lazy path would give.
        """
        rows = np.asarray(rows, dtype=np.int64)
        if rows.shape != (len(self),):
            raise ValueError(f"{rows.size} store rows for a split of {len(self)} images")
        self._store = images
        self._rows = torch.from_numpy(rows)
        known = [(i, bad[r]) for i, r in enumerate(rows.tolist()) if r in bad]
        if record:
            self._record(known)
        else:
            self.bad.update(i for i, _ in known)

    @property
    def cached(self) -> bool:
        """True when batches come from a decoded store, not from decoding workers."""
        return self._store is not None

    @property
    def decoder(self) -> _DecodeDataset | _StoreReader:
        """``decoder[i]``: image ``i`` decoded as the training loader decodes it
        (``(uint8 CHW or None, label, i, reason)``); see :func:`collate_decoded`."""
        if self._store is not None:
            return _StoreReader(self)
        return self._dataset

    def _record(self, bad: list[tuple[int, str]]) -> None:
        for i, reason in bad:
            if i in self.bad:
                continue
            self.bad.add(i)
            self.skipped.append((self.paths[i], reason))
            if self.on_skip is not None:
                self.on_skip(self.paths[i], reason)

    def _loader(self, pin: bool) -> tuple[torch.utils.data.DataLoader, _BatchPlan]:
        key = (self.workers, pin)
        if key not in self._loaders:
            plan = _BatchPlan()
            # the loader's own generator: without one, starting its workers draws a seed from torch's
            # global RNG (the stream dropout uses) once per process, so a resumed run would draw
            # one number more than an uninterrupted one; the workers only decode, so a fixed seed is fine
            loader = torch.utils.data.DataLoader(
                self._dataset,
                batch_sampler=plan,
                num_workers=self.workers,
                collate_fn=collate_decoded,
                persistent_workers=True,
                pin_memory=pin,
                prefetch_factor=4,
                multiprocessing_context=_worker_start_method(),
                generator=torch.Generator().manual_seed(0),
            )
            self._loaders[key] = (loader, plan)
        return self._loaders[key]

    def _decoded(self, plan: list[list[int]], pin: bool) -> Iterator[tuple[Any, Any, list[tuple[int, str]]]]:
        if self.workers == 0:
            for batch in plan:
                yield collate_decoded([self._dataset[i] for i in batch])
            return
        loader, holder = self._loader(pin)
        holder.plan = plan
        yield from loader

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
        """See :meth:`Split.batches`. Batches are planned from the whole order first, then bad files
        are dropped from them, so a batch's members never depend on which bad files are known.
        (``skip`` is exact unless the skipped batches held bad files this process has not met.)"""
        order = epoch_order(len(self), shuffle=shuffle, generator=generator, rank=rank, world_size=world_size)
        if self._store is not None:
            yield from self._stored_batches(order, batch_size, augment, generator, drop_last, device, skip)
            return
        plan = [
            [i for i in chunk.tolist() if i not in self.bad]
            for chunk in batch_slices(order, batch_size, drop_last)
        ]
        plan = [b for b in plan if b]
        for b in plan[:skip]:
            self._replay(len(b), augment, generator)
        plan = plan[skip:]
        dev = torch.device(device) if device is not None else None
        pin = dev is not None and dev.type == "cuda"
        consts: dict[Any, tuple[torch.Tensor, torch.Tensor]] = {}
        for xb, yb, bad in self._decoded(plan, pin):
            self._record(bad)
            if xb is None:
                continue
            if dev is not None:
                xb, yb = xb.to(dev, non_blocking=True), yb.to(dev, non_blocking=True)
            yield self._finish(xb, augment, generator, consts), yb

    def _stored_batches(
        self,
        order: torch.Tensor,
        batch_size: int,
        augment: bool,
        generator: torch.Generator | None,
        drop_last: bool,
        device: torch.device | str | None,
        skip: int,
    ) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        """:meth:`batches` from the decoded store: the same batches, as tensor indexing only."""
        assert self._store is not None and self._rows is not None
        chunks = batch_slices(order, batch_size, drop_last)
        if self.bad:
            bad = torch.zeros(len(self), dtype=torch.bool)
            bad[torch.tensor(sorted(self.bad), dtype=torch.int64)] = True
            chunks = [c for c in (c[~bad[c]] for c in chunks) if c.numel()]
        dev = torch.device(device) if device is not None else None
        pin = dev is not None and dev.type == "cuda"
        consts: dict[Any, tuple[torch.Tensor, torch.Tensor]] = {}
        for k, idx in enumerate(chunks):
            if k < skip:
                self._replay(idx.numel(), augment, generator)
                continue
            xb = self._store.index_select(0, self._rows.index_select(0, idx))
            yb = self.labels.index_select(0, idx)
            if pin:
                xb = xb.pin_memory()
            if dev is not None:
                xb, yb = xb.to(dev, non_blocking=True), yb.to(dev, non_blocking=True)
            yield self._finish(xb, augment, generator, consts), yb

    def item(self, i: int) -> tuple[torch.Tensor, int, str | None]:
        """See :meth:`Split.item`; raises :class:`ImageReadError` for an unreadable file."""
        path = self.paths[i]
        if self._store is not None:
            assert self._rows is not None
            if i in self.bad:
                reason = next((r for p, r in self.skipped if p == path), tr("it could not be decoded"))
                raise ImageReadError(path, reason)
            return self._store[int(self._rows[i])].clone(), int(self.labels[i]), path
        img = open_image(path, size_hint=self.size)
        return to_uint8_tensor(img, self.channels, self.size), int(self.labels[i]), path

    def close(self) -> None:
        """Shut the worker processes down."""
        for loader, _ in self._loaders.values():
            it = getattr(loader, "_iterator", None)
            if it is not None and hasattr(it, "_shutdown_workers"):
                it._shutdown_workers()
            loader._iterator = None
        self._loaders.clear()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass


def _worker_start_method() -> str | None:
    """How decoding workers start: ``forkserver`` inside a GUI process, else the default.

    Forking a process that runs a Qt event loop and a training thread copies Qt's state and
    locks held by other threads into every worker (a forked worker was seen exiting with an
    error mid-run); a fork server starts workers from a clean, single-threaded process. The
    CLI keeps the platform default (fork on Linux), which starts fastest. Only looks at
    ``sys.modules``: the core never imports Qt itself.
    """
    gui = any(name in sys.modules for name in ("PySide6.QtCore", "PyQt6.QtCore"))
    if gui and "forkserver" in multiprocessing.get_all_start_methods():
        return "forkserver"
    return None
