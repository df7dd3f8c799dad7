"""The dataset health scan behind ``check-data`` and the Data page's health report.

:func:`scan_health` looks at every image of a project's dataset once and reports what makes
training go wrong quietly: per-class counts per split, unreadable files (truncated, empty,
not an image, a folder named like one), the mix of image modes, the size range, tiny
images, exact duplicates (same bytes; duplicates across splits leak test data into
training), classes with too few images and class imbalance.

Folder files are read, hashed (SHA-1 of the bytes) and decoded on a thread pool (Pillow and
hashlib release the GIL); progress is reported and the scan can be cancelled between chunks.
The in-memory sources are checked from their decoded tensors.

:func:`quarantine` moves bad files into ``<dataset root>/_quarantine/`` (keeping their
relative paths; the folder scanner ignores it) and :func:`restore` undoes it. Nothing is
ever deleted.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studio.core.base.errors import UserError
from studio.core.base.files import read_regular
from studio.core.base.i18n import tr
from studio.core.base.progress import Progress
from studio.core.data.browse import IMBALANCE_RATIO
from studio.core.data.errors import DatasetError, check_cancel
from studio.core.data.folder import QUARANTINE_DIR, auto_workers, scan_folder
from studio.core.data.preprocess import MAX_IMAGE_BYTES, ImageReadError, probe_image
from studio.core.data.sources import load_array_source

if TYPE_CHECKING:
    from studio.core.project.project_file import Project

MIN_PER_CLASS = 10
TINY_SIDE = 16
CHUNK = 256


@dataclass
class HealthReport:
    """What :func:`scan_health` found. ``to_json()`` is the ``check-data --json`` output."""

    source: str
    root: str
    classes: list[str]
    counts: dict[str, list[int]]  # split -> images per class (label order)
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    modes: dict[str, int] = field(default_factory=dict)
    sizes: dict[tuple[int, int], int] = field(default_factory=dict)  # (width, height) -> images
    tiny: list[tuple[str, int, int]] = field(default_factory=list)  # (path, width, height)
    duplicates: list[list[str]] = field(default_factory=list)  # groups of identical files
    cross_split_duplicates: int = 0  # groups whose members lie in different splits
    ignored: int = 0  # non-image files in the class folders
    min_per_class: int = MIN_PER_CLASS
    tiny_side: int = TINY_SIDE

    @property
    def total(self) -> int:
        """Image files found (readable or not)."""
        return sum(sum(c) for c in self.counts.values())

    @property
    def few(self) -> list[tuple[str, int]]:
        """Classes with fewer than ``min_per_class`` training images, as (class, count)."""
        train = self.counts.get("train", [])
        return [(c, n) for c, n in zip(self.classes, train, strict=True) if n < self.min_per_class]

    @property
    def imbalance(self) -> float:
        """Largest over smallest training class count (inf when a class has none)."""
        train = [n for n in self.counts.get("train", [])]
        if not train:
            return 1.0
        lo = min(train)
        return float("inf") if lo == 0 else max(train) / lo

    @property
    def size_range(self) -> tuple[tuple[int, int], tuple[int, int]] | None:
        """((min width, min height), (max width, max height)) of the readable images."""
        if not self.sizes:
            return None
        ws = [w for w, _ in self.sizes]
        hs = [h for _, h in self.sizes]
        return (min(ws), min(hs)), (max(ws), max(hs))

    def warnings(self) -> list[str]:
        """One sentence per problem found (empty when the data looks healthy)."""
        out = []
        if len(self.classes) == 1:
            out.append(
                tr(
                    "only one class ({name!r}): a classifier needs at least two class folders, and "
                    "training refuses this dataset",
                    name=self.classes[0],
                )
            )
        if self.unreadable:
            out.append(tr("{count} unreadable file(s) will be skipped", count=len(self.unreadable)))
        if len(self.modes) > 1:
            out.append(
                tr(
                    "mixed image modes ({modes}); all are converted to the project's channels",
                    modes=", ".join(f"{m} {n}" for m, n in self.modes.items()),
                )
            )
        if self.tiny:
            out.append(
                tr("{count} tiny image(s) smaller than {side} px", count=len(self.tiny), side=self.tiny_side)
            )
        if self.duplicates:
            dup_files = sum(len(g) for g in self.duplicates)
            if self.cross_split_duplicates:
                text = tr(
                    "{groups} group(s) of exact duplicates ({files} files), {across} across splits "
                    "(test data leaking into training)",
                    groups=len(self.duplicates),
                    files=dup_files,
                    across=self.cross_split_duplicates,
                )
            else:
                text = tr(
                    "{groups} group(s) of exact duplicates ({files} files)",
                    groups=len(self.duplicates),
                    files=dup_files,
                )
            out.append(text)
        for c, n in self.few:
            out.append(
                tr(
                    "class {name!r} has only {count} training image(s) (fewer than {least})",
                    name=c,
                    count=n,
                    least=self.min_per_class,
                )
            )
        if self.imbalance >= IMBALANCE_RATIO and self.imbalance != float("inf"):
            out.append(
                tr("classes are imbalanced: the largest has {ratio:.1f}x the smallest", ratio=self.imbalance)
            )
        return out

    def problem_paths(self) -> list[str]:
        """Files a user may want to quarantine: unreadable ones and the extra copies of duplicates."""
        paths = [p for p, _ in self.unreadable]
        for group in self.duplicates:
            paths.extend(group[1:])
        return [p for p in dict.fromkeys(paths) if os.path.exists(p)]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (stable keys; lists complete)."""
        rng = self.size_range
        return {
            "source": self.source,
            "root": self.root,
            "classes": list(self.classes),
            "total": self.total,
            "counts": {s: dict(zip(self.classes, c, strict=True)) for s, c in self.counts.items()},
            "unreadable": [{"path": p, "reason": r} for p, r in self.unreadable],
            "modes": dict(self.modes),
            "size_range": None if rng is None else {"min": list(rng[0]), "max": list(rng[1])},
            "common_sizes": [
                {"size": [w, h], "count": n} for (w, h), n in Counter(self.sizes).most_common(5)
            ],
            "tiny": [{"path": p, "size": [w, h]} for p, w, h in self.tiny],
            "tiny_side": self.tiny_side,
            "duplicates": [list(g) for g in self.duplicates],
            "cross_split_duplicates": self.cross_split_duplicates,
            "few_images": [{"class": c, "count": n} for c, n in self.few],
            "min_per_class": self.min_per_class,
            "imbalance": None if self.imbalance == float("inf") else round(self.imbalance, 3),
            "ignored_files": self.ignored,
            "warnings": self.warnings(),
        }


# --------------------------------------------------------------------------- scanning


def _examine(path: str) -> tuple[str, str | None, str, int, int, str]:
    """(path, sha1 or None, mode, width, height, reason) for one file."""
    try:
        if os.path.isdir(path):
            return path, None, "", 0, 0, tr("it is a folder, not an image file")
        data = read_regular(path, MAX_IMAGE_BYTES)  # a FIFO, a device or a huge file: a finding
    except OSError as exc:
        return path, None, "", 0, 0, tr("the file cannot be read ({reason})", reason=exc.strerror or exc)
    digest = hashlib.sha1(data).hexdigest() if data else None
    try:
        info = probe_image(data, path)
    except ImageReadError as exc:
        return path, digest, "", 0, 0, exc.reason
    except Exception as exc:  # a decoder failure on one odd file is a finding, not a crash
        return (
            path,
            digest,
            "",
            0,
            0,
            tr("cannot be decoded ({kind}: {exc})", kind=type(exc).__name__, exc=exc),
        )
    return path, digest, info.mode, info.width, info.height, ""


def _duplicate_groups(by_hash: dict[str, list[str]], split_of: dict[str, str]) -> tuple[list[list[str]], int]:
    """Groups of identical files, each ordered train < val < test, then shortest path first, so that
    the first member is the one to keep (copies tend to have longer names: "copy of", " (2)")."""
    rank = {"train": 0, "val": 1, "test": 2}

    def key(p: str) -> tuple[int, int, str]:
        return rank.get(split_of.get(p, ""), 3), len(p), p

    groups = sorted((sorted(g, key=key) for g in by_hash.values() if len(g) > 1), key=lambda g: key(g[0]))
    cross = sum(1 for g in groups if len({split_of[p] for p in g}) > 1)
    return groups, cross


def _scan_folder(
    project: Project, progress: Progress | None, cancel: Callable[[], bool] | None, report: HealthReport
) -> None:
    index = scan_folder(project.data.root)
    report.root, report.classes = index.root, list(index.classes)
    report.counts = index.counts()
    report.unreadable.extend(index.bad)
    report.ignored = len(index.ignored)
    split_of = dict(zip(index.paths, index.splits.tolist(), strict=True))
    by_hash: dict[str, list[str]] = defaultdict(list)
    modes: Counter[str] = Counter()
    sizes: Counter[tuple[int, int]] = Counter()
    n = len(index.paths)
    with ThreadPoolExecutor(max_workers=auto_workers() + 1) as pool:
        for start in range(0, n, CHUNK):
            check_cancel(cancel, tr("the dataset check"))
            if progress:
                progress(tr("checking images {done:,} of {total:,}", done=start, total=n), start / max(n, 1))
            for path, digest, mode, w, h, reason in pool.map(_examine, index.paths[start : start + CHUNK]):
                if digest is not None:
                    by_hash[digest].append(path)
                if reason:
                    report.unreadable.append((path, reason))
                    continue
                modes[mode] += 1
                sizes[(w, h)] += 1
                if min(w, h) < report.tiny_side:
                    report.tiny.append((path, w, h))
    report.modes = dict(modes.most_common())
    report.sizes = dict(sizes)
    report.duplicates, report.cross_split_duplicates = _duplicate_groups(by_hash, split_of)


def _scan_arrays(
    project: Project, progress: Progress | None, cancel: Callable[[], bool] | None, report: HealthReport
) -> None:
    import torch

    d = project.data
    src = load_array_source(d.source, d.root, d.download, progress, cancel)
    report.root, report.classes = src.folder, list(src.classes)
    by_hash: dict[str, list[str]] = defaultdict(list)
    split_of: dict[str, str] = {}
    splits = [("train", src.train_images, src.train_labels)]
    if src.test_images is not None and src.test_labels is not None:
        splits.append(("test", src.test_images, src.test_labels))
    total = sum(int(x.shape[0]) for _, x, _ in splits)
    done = 0
    for name, images, labels in splits:
        report.counts[name] = torch.bincount(labels, minlength=len(src.classes)).tolist()
        flat = images.reshape(images.shape[0], -1).numpy()
        for i in range(flat.shape[0]):
            if i % 5000 == 0:
                check_cancel(cancel, tr("the dataset check"))
                if progress:
                    progress(
                        tr("checking images {done:,} of {total:,}", done=done + i, total=total),
                        (done + i) / total,
                    )
            key = f"{name}[{i}]"
            by_hash[hashlib.sha1(flat[i].tobytes()).hexdigest()].append(key)
            split_of[key] = name
        done += flat.shape[0]
    c, h, w = (int(v) for v in src.train_images.shape[1:])
    report.modes = {{1: "L", 3: "RGB", 4: "RGBA"}.get(c, f"{c}-channel"): total}
    report.sizes = {(w, h): total}
    if min(w, h) < report.tiny_side:
        report.tiny = [(f"{name}[*]", w, h) for name, _, _ in splits]
    report.duplicates, report.cross_split_duplicates = _duplicate_groups(by_hash, split_of)


def scan_health(
    project: Project,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
    *,
    min_per_class: int = MIN_PER_CLASS,
    tiny_side: int | None = None,
) -> HealthReport:
    """Check every image of ``project``'s dataset; see the module docstring.

    ``progress(message, fraction)`` is called between chunks; ``cancel()`` returning true
    raises :class:`~studio.core.data.errors.DataCancelled`. A tiny image is one whose
    shorter side is below ``tiny_side`` (default: 16 px, or the project's shorter image side
    if that is smaller).
    """
    side = tiny_side if tiny_side is not None else min(TINY_SIDE, *project.data.image_size)
    report = HealthReport(
        source=project.data.source,
        root="",
        classes=[],
        counts={},
        min_per_class=min_per_class,
        tiny_side=side,
    )
    if project.data.source == "folder":
        _scan_folder(project, progress, cancel, report)
    else:
        _scan_arrays(project, progress, cancel, report)
    if progress:
        progress(tr("check finished"), 1.0)
    return report


# --------------------------------------------------------------------------- quarantine


@dataclass(frozen=True)
class Move:
    """One file (or folder) moved into quarantine: where it was and where it is now."""

    src: str
    dst: str

    def to_json(self) -> dict[str, str]:
        """``{"src": ..., "dst": ...}``."""
        return {"src": self.src, "dst": self.dst}


def _free_name(target: Path) -> Path:
    if not target.exists() and not target.is_symlink():
        return target
    k = 2
    while True:
        candidate = target.with_name(f"{target.stem} ({k}){target.suffix}")
        if not candidate.exists():
            return candidate
        k += 1


def quarantine(paths: list[str], dataset_root: str | os.PathLike[str]) -> list[Move]:
    """Move ``paths`` into ``<dataset_root>/_quarantine/``, keeping their relative paths.

    Never deletes and never overwrites (a name taken gets `` (2)``); if one move fails, the
    ones already made are undone and a :class:`UserError` says which file and why.
    """
    root = Path(os.path.expanduser(str(dataset_root))).absolute()
    if not root.is_dir():
        raise DatasetError(tr("dataset folder {root} does not exist", root=root))
    qdir = root / QUARANTINE_DIR
    moves: list[Move] = []
    for raw in dict.fromkeys(str(p) for p in paths):
        src = Path(raw).absolute()
        try:
            rel = src.relative_to(root)
        except ValueError:
            rel = Path(src.name)
        if rel.parts and rel.parts[0] == QUARANTINE_DIR:
            continue  # already in quarantine
        dst = _free_name(qdir / rel)
        try:
            if not src.exists() and not src.is_symlink():
                raise FileNotFoundError(2, tr("no such file"), str(src))
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(src), str(dst))
        except OSError as exc:
            restore(moves)
            raise UserError(
                tr(
                    "cannot move {src} to quarantine: {reason}; nothing was moved",
                    src=src,
                    reason=exc.strerror or exc,
                )
            ) from None
        moves.append(Move(str(src), str(dst)))
    return moves


def restore(moves: list[Move] | list[dict[str, str]]) -> list[str]:
    """Put quarantined files back where they were (the undo of :func:`quarantine`).

    A file whose old place is taken again is left in quarantine and reported in a
    :class:`UserError` after the others are restored. Returns the restored paths.
    """
    restored: list[str] = []
    blocked: list[str] = []
    items: list[Move | dict[str, str]] = list(moves)
    for m in reversed(items):
        src, dst = (m["src"], m["dst"]) if isinstance(m, dict) else (m.src, m.dst)
        if os.path.exists(src) or os.path.islink(src):
            blocked.append(src)
            continue
        if not os.path.exists(dst) and not os.path.islink(dst):
            blocked.append(src)
            continue
        os.makedirs(os.path.dirname(src), exist_ok=True)
        shutil.move(dst, src)
        restored.append(src)
        _prune_empty(Path(dst).parent)
    if blocked:
        raise UserError(
            tr(
                "could not restore {n_blocked} file(s) from quarantine (the original place is taken, or the quarantined copy is gone): {blocked}",
                n_blocked=len(blocked),
                blocked=blocked[0],
            )
        )
    return restored


def _prune_empty(folder: Path) -> None:
    """Remove empty folders up to and including ``_quarantine`` (files are never touched)."""
    while QUARANTINE_DIR in folder.parts:
        try:
            folder.rmdir()
        except OSError:
            return
        if folder.name == QUARANTINE_DIR:
            return
        folder = folder.parent
