"""Decode once: a folder's images decoded, converted and resized a single time into a uint8 store.

Decoding a JPEG or PNG costs far more than training a small network on it, so a folder source
must not decode every epoch. Before training, :func:`prepare_store` turns every file of a
folder into one uint8 array ``(N, C, H, W)`` at the project's channels and size (in parallel,
in DataLoader worker processes, through the very decoder the lazy path uses, so the pixels are
identical); epochs then index that array exactly as the built-in sources index theirs, and
augmentation stays batched tensor operations.

The array is kept in the user's cache folder (:func:`cache_folder`), one entry per
(folder, channels, size), and reused by later runs: each file is recognised by its path
(relative to the folder), size and modification time, so a changed, added or removed file
costs only its own decode. The entry is read into memory when it fits
:func:`memory_budget` and memory-mapped otherwise. The whole cache is kept under
:func:`cache_limit` by evicting the entries used least recently; a dataset larger than the
limit is not cached at all (it falls back to decoding in workers every epoch, as before).

A damaged entry (truncated array, unreadable index, checksum mismatch) is discarded with a
log line and rebuilt; it never ends a run. ``CNN_STUDIO_CACHE=off`` turns the cache off;
``CNN_STUDIO_CACHE_LIMIT_MB`` and ``CNN_STUDIO_CACHE_MEMORY_MB`` change the two budgets.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import shutil
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import numpy as np
import torch

from studio.core.base.files import atomic_write_bytes
from studio.core.base.i18n import tr
from studio.core.base.paths import user_cache_dir, user_data_dir
from studio.core.data.errors import check_cancel
from studio.core.data.folder import _DecodeDataset, _worker_start_method, collate_decoded, scan_folder

log = logging.getLogger(__name__)

Progress = Callable[[str, float], None]

FORMAT_VERSION = 1
DEFAULT_LIMIT_BYTES = 10 << 30
MAX_MEMORY_BYTES = 4 << 30
META = "meta.json"
_CHUNK_ROWS = 8192
_DECODE_BATCH = 64


# --------------------------------------------------------------------------- settings


def cache_folder() -> Path:
    """Where decoded images are kept: ``<user cache folder>/decoded``."""
    return user_cache_dir() / "decoded"


def stats_cache_file() -> Path:
    """The small JSON file of per-dataset mean/std (cleared with the decoded images)."""
    return user_data_dir() / "cache" / "norm_stats.json"


def cache_enabled() -> bool:
    """False when ``CNN_STUDIO_CACHE`` is ``off``/``0``/``no``."""
    return os.environ.get("CNN_STUDIO_CACHE", "").strip().lower() not in {"off", "0", "no", "false"}


def _env_mb(name: str) -> int | None:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    try:
        return max(0, int(float(raw) * (1 << 20)))
    except ValueError:
        log.warning("ignoring %s=%r: not a number of megabytes", name, raw)
        return None


def cache_limit() -> int:
    """Bytes the whole decoded-image cache may take on disk (``CNN_STUDIO_CACHE_LIMIT_MB``; 10 GiB)."""
    v = _env_mb("CNN_STUDIO_CACHE_LIMIT_MB")
    return DEFAULT_LIMIT_BYTES if v is None else v


def memory_budget() -> int:
    """Bytes of decoded images held in memory; a larger store is memory-mapped instead.

    ``CNN_STUDIO_CACHE_MEMORY_MB``, else a quarter of the physical memory, at most 4 GiB.
    """
    v = _env_mb("CNN_STUDIO_CACHE_MEMORY_MB")
    if v is not None:
        return v
    try:
        phys = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        phys = 8 << 30
    return min(MAX_MEMORY_BYTES, phys // 4)


# --------------------------------------------------------------------------- the store


@dataclass
class DecodedStore:
    """Every file of a folder decoded: ``images[i]`` is ``paths[i]`` as uint8 ``(C, H, W)``.

    ``bad`` maps the rows of unreadable files to the reason (their rows hold zeros);
    ``where`` is ``"memory"`` or ``"memory-mapped"``; ``path`` is the cache file (None when the
    store could not be kept on disk); ``decoded`` counts the files decoded by this call,
    ``reused`` those read back from the cache.
    """

    images: torch.Tensor
    bad: dict[int, str]
    where: str
    path: Path | None
    decoded: int
    reused: int

    @property
    def nbytes(self) -> int:
        """Size of the decoded images in bytes."""
        return self.images.numel()


class _Damaged(Exception):
    """A cache entry that cannot be trusted (it is removed and rebuilt)."""


def entry_dir(root: str | os.PathLike[str], channels: int, size: Sequence[int]) -> Path:
    """The cache entry of one folder at one (channels, size)."""
    key = (
        f"{os.path.abspath(os.fspath(root))}|c{int(channels)}|{int(size[0])}x{int(size[1])}|v{FORMAT_VERSION}"
    )
    return cache_folder() / hashlib.sha1(key.encode("utf-8", "surrogateescape")).hexdigest()[:24]


def _relative(root: str, paths: Sequence[str]) -> list[str]:
    prefix = root.rstrip(os.sep) + os.sep
    n = len(prefix)
    return [p[n:] if p.startswith(prefix) else os.path.relpath(p, root) for p in paths]


def _identities(paths: Sequence[str], cancel: Callable[[], bool] | None) -> list[tuple[int, int]]:
    """(size, mtime in ns) of every file; (-1, -1) for one that cannot be stat'ed."""
    out: list[tuple[int, int]] = []
    for k, p in enumerate(paths):
        if k % 4096 == 0:
            check_cancel(cancel)
        try:
            st = os.stat(p)
            out.append((st.st_size, st.st_mtime_ns))
        except OSError:
            out.append((-1, -1))
    return out


def _crc(arr: np.ndarray) -> int:
    flat = arr.reshape(arr.shape[0], -1) if arr.ndim > 1 else arr
    crc = 0
    for start in range(0, flat.shape[0], _CHUNK_ROWS):
        crc = zlib.crc32(np.ascontiguousarray(flat[start : start + _CHUNK_ROWS]).data, crc)
    return crc


def _read_meta(d: Path) -> dict | None:
    """The entry's index, None when there is no entry; raises :class:`_Damaged` if unreadable."""
    try:
        raw = (d / META).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _Damaged(f"cannot read {d / META}: {exc}") from None
    try:
        meta = json.loads(raw.decode("utf-8"))
        if meta.get("version") != FORMAT_VERSION:
            raise _Damaged(f"format version {meta.get('version')!r}")
        files = meta["files"]
        shape = [int(v) for v in meta["shape"]]
        if len(shape) != 4 or shape[0] != len(files) or not isinstance(meta["images"], str):
            raise _Damaged("the index does not match the array's shape")
        if "/" in meta["images"] or os.sep in meta["images"] or meta["images"].startswith("."):
            raise _Damaged("the index names a file outside the entry")
        meta["bad"] = {int(k): str(v) for k, v in meta.get("bad", {}).items()}
        return meta
    except _Damaged:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise _Damaged(f"unreadable index {d / META} ({type(exc).__name__}: {exc})") from None


def _open_array(d: Path, meta: dict) -> np.ndarray:
    """The entry's array, memory-mapped read-only; raises :class:`_Damaged` when it does not fit."""
    path = d / meta["images"]
    try:
        arr = np.load(path, mmap_mode="r", allow_pickle=False)
    except (OSError, ValueError, EOFError) as exc:
        raise _Damaged(f"unreadable array {path} ({type(exc).__name__}: {exc})") from None
    if arr.dtype != np.uint8 or list(arr.shape) != list(meta["shape"]):
        raise _Damaged(f"{path} holds {arr.dtype} {arr.shape}, the index says uint8 {meta['shape']}")
    return arr


def _discard(d: Path, why: str) -> None:
    log.warning("the decoded-image cache entry %s is damaged (%s); it is rebuilt", d, why)
    shutil.rmtree(d, ignore_errors=True)


def _dir_bytes(d: Path) -> int:
    total = 0
    try:
        with os.scandir(d) as it:
            for e in it:
                try:
                    total += e.stat().st_size if e.is_file() else 0
                except OSError:
                    pass
    except OSError:
        pass
    return total


def _make_room(keep: Path, need: int, limit: int) -> None:
    """Remove the least recently used entries (not ``keep``) until ``need`` more bytes fit."""
    base = cache_folder()
    try:
        entries = [Path(e.path) for e in os.scandir(base) if e.is_dir() and Path(e.path) != keep]
    except OSError:
        return
    sized = []
    for d in entries:
        try:
            used = os.stat(d / META).st_mtime
        except OSError:
            used = 0.0
        sized.append((used, d, _dir_bytes(d)))
    total = sum(b for _, _, b in sized) + _dir_bytes(keep)
    for _, d, b in sorted(sized, key=lambda t: t[0]):
        if total + need <= limit:
            break
        log.info("evicting %s (%d MB) from the decoded-image cache to stay under its limit", d, b >> 20)
        shutil.rmtree(d, ignore_errors=True)
        total -= b


def _load_whole(arr: np.ndarray, meta: dict) -> np.ndarray:
    """Read a memory-mapped entry into memory, checking its checksum."""
    data = np.array(arr)
    if int(meta.get("crc", -1)) != _crc(data):
        raise _Damaged("checksum mismatch")
    return data


def _tensor(arr: np.ndarray) -> torch.Tensor:
    if isinstance(arr, np.memmap) and not arr.flags.writeable:
        # copy-on-write mapping: torch wants a writable array; pages stay shared until written
        arr = np.load(str(arr.filename), mmap_mode="c", allow_pickle=False)
    return torch.from_numpy(arr)


def prepare_store(
    root: str,
    paths: Sequence[str],
    channels: int,
    size: Sequence[int],
    *,
    workers: int = 1,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
) -> DecodedStore | None:
    """Every file of ``paths`` (under folder ``root``) decoded to uint8 at ``channels``/``size``.

    Files unchanged since a previous run are read back from the cache; the others are decoded
    by ``workers`` worker processes (0: in this process). Returns None when caching is off or
    the decoded images would exceed both the memory budget and the cache's size limit (the
    caller then decodes lazily).
    """
    if not cache_enabled() or not paths:
        return None
    c, h, w = int(channels), int(size[0]), int(size[1])
    n = len(paths)
    total = n * c * h * w
    limit, budget = cache_limit(), memory_budget()
    in_memory, persist = total <= budget, total <= limit
    if not in_memory and not persist:
        log.info(
            "not caching %d decoded images of %s: %d MB exceed the memory budget (%d MB) and the "
            "cache limit (%d MB)",
            n,
            root,
            total >> 20,
            budget >> 20,
            limit >> 20,
        )
        return None
    if progress:
        progress(tr("checking the decoded-image cache"), 0.1)
    rels = _relative(root, paths)
    ident = _identities(paths, cancel)
    d = entry_dir(root, c, (h, w))
    meta, old = None, None
    try:
        meta = _read_meta(d)
        if meta is not None:
            if list(meta["shape"][1:]) != [c, h, w]:
                raise _Damaged("channels/size differ from the entry's key")
            old = _open_array(d, meta)
    except _Damaged as exc:
        _discard(d, str(exc))
        meta, old = None, None

    src = np.full(n, -1, dtype=np.int64)
    bad: dict[int, str] = {}
    if meta is not None:
        known = {f[0]: (int(f[1]), int(f[2]), row) for row, f in enumerate(meta["files"])}
        for i, (rel, idt) in enumerate(zip(rels, ident, strict=True)):
            hit = known.get(rel)
            if hit is None or idt[0] < 0 or (hit[0], hit[1]) != idt:
                continue
            if hit[2] in meta["bad"]:
                bad[i] = meta["bad"][hit[2]]
            else:
                src[i] = hit[2]
    todo = np.flatnonzero((src < 0) & ~np.isin(np.arange(n), list(bad)))

    same = (
        meta is not None
        and old is not None
        and todo.size == 0
        and len(meta["files"]) == n
        and np.array_equal(src[src >= 0], np.flatnonzero(src >= 0))
    )
    if same:
        assert old is not None and meta is not None  # ``same`` says so
        try:
            arr = _load_whole(old, meta) if in_memory else old
            os.utime(d / META)  # last use, for eviction
            return DecodedStore(
                _tensor(arr), bad, "memory" if in_memory else "memory-mapped", d / meta["images"], 0, n
            )
        except _Damaged as exc:
            _discard(d, str(exc))
            meta, old, bad = None, None, {}
            src[:] = -1
            todo = np.arange(n)
        except OSError as exc:
            log.warning("cannot read the decoded-image cache %s (%s); decoding again", d, exc)
            meta, old, bad = None, None, {}
            src[:] = -1
            todo = np.arange(n)
    return _build(
        d,
        root,
        paths,
        rels,
        ident,
        (c, h, w),
        src,
        old,
        bad,
        todo,
        in_memory,
        persist,
        meta,
        workers,
        progress,
        cancel,
    )


def _build(
    d: Path,
    root: str,
    paths: Sequence[str],
    rels: list[str],
    ident: list[tuple[int, int]],
    shape: tuple[int, int, int],
    src: np.ndarray,
    old: np.ndarray | None,
    bad: dict[int, str],
    todo: np.ndarray,
    in_memory: bool,
    persist: bool,
    meta: dict | None,
    workers: int,
    progress: Progress | None,
    cancel: Callable[[], bool] | None,
) -> DecodedStore | None:
    """Assemble a new entry: reused rows copied, the rest decoded; written unless too big."""
    n = len(paths)
    total = n * int(np.prod(shape))
    name = f"images-{secrets.token_hex(6)}.npy"
    tmp = d / f".{name}.tmp"
    arr: np.ndarray | None = None
    if persist:
        try:
            d.mkdir(parents=True, exist_ok=True)
            _make_room(d, total, cache_limit())
            if not in_memory:
                arr = np.lib.format.open_memmap(tmp, mode="w+", dtype=np.uint8, shape=(n, *shape))
        except OSError as exc:
            log.warning("cannot write the decoded-image cache in %s (%s)", d, exc)
            persist = False
            if not in_memory:
                return None
    if arr is None:
        arr = np.zeros((n, *shape), dtype=np.uint8)
    try:
        reuse = np.flatnonzero(src >= 0)
        assert old is not None or reuse.size == 0  # rows are reused only from an old cache
        for start in range(0, reuse.size, _CHUNK_ROWS):
            check_cancel(cancel)
            dst = reuse[start : start + _CHUNK_ROWS]
            arr[dst] = old[src[dst]]  # type: ignore[index]  # not None: asserted above
        old = None
        _decode_rows(arr, paths, todo, shape, workers, bad, progress, cancel)
        where = "memory" if in_memory else "memory-mapped"
        target = d / name
        final: Path | None = target
        if persist:
            try:
                if in_memory:
                    with open(tmp, "wb") as fh:
                        np.save(fh, arr, allow_pickle=False)
                else:
                    cast(np.memmap, arr).flush()
                os.replace(tmp, target)
                entry = {
                    "version": FORMAT_VERSION,
                    "root": os.path.abspath(root),
                    "shape": [n, *shape],
                    "images": name,
                    "crc": _crc(arr),
                    "files": [[r, s, m] for r, (s, m) in zip(rels, ident, strict=True)],
                    "bad": {str(k): v for k, v in bad.items()},
                }
                atomic_write_bytes(
                    d / META, json.dumps(entry).encode("ascii")
                )  # \u escapes keep odd byte names
                if meta is not None and meta.get("images") != name:
                    (d / meta["images"]).unlink(missing_ok=True)
            except OSError as exc:
                log.warning(
                    "cannot write the decoded-image cache in %s (%s); this run keeps it in memory only",
                    d,
                    exc,
                )
                final = None
                if not in_memory:
                    arr = np.array(arr)
                    where = "memory"
        else:
            final = None
        if not in_memory and final is not None:
            arr = np.load(final, mmap_mode="c", allow_pickle=False)
        return DecodedStore(
            torch.from_numpy(arr), bad, where, final, int(todo.size), n - int(todo.size) - len(bad)
        )
    finally:
        tmp.unlink(missing_ok=True)


def _decode_rows(
    arr: np.ndarray,
    paths: Sequence[str],
    todo: np.ndarray,
    shape: tuple[int, int, int],
    workers: int,
    bad: dict[int, str],
    progress: Progress | None,
    cancel: Callable[[], bool] | None,
) -> None:
    """Decode ``paths[todo]`` into ``arr``'s rows, in worker processes unless ``workers`` is 0."""
    if todo.size == 0:
        return
    rows = todo.tolist()
    ds = _DecodeDataset([paths[i] for i in rows], rows, shape[0], (shape[1], shape[2]))
    if workers <= 0 or len(rows) < 2 * _DECODE_BATCH:
        batches: Iterable[Any] = (
            collate_decoded([ds[i] for i in range(s, min(len(rows), s + _DECODE_BATCH))])
            for s in range(0, len(rows), _DECODE_BATCH)
        )
    else:
        batches = torch.utils.data.DataLoader(
            ds,
            batch_size=_DECODE_BATCH,
            num_workers=min(workers, max(1, len(rows) // _DECODE_BATCH)),
            collate_fn=collate_decoded,
            prefetch_factor=4,
            multiprocessing_context=_worker_start_method(),
        )
    done = 0
    for images, targets, failed in batches:
        check_cancel(cancel)
        if images is not None:
            arr[targets.numpy()] = images.numpy()
        for k, reason in failed:
            bad[rows[k]] = reason
        done += (0 if images is None else images.shape[0]) + len(failed)
        if progress and done % (16 * _DECODE_BATCH) < _DECODE_BATCH:
            progress(
                tr("decoding images once ({done:,} of {total:,})", done=done, total=len(rows)),
                0.1 + 0.35 * done / len(rows),
            )
    if progress:
        progress(tr("decoded {count:,} images", count=len(rows)), 0.45)


# --------------------------------------------------------------------------- inspecting, clearing


@dataclass
class CacheInfo:
    """What the decoded-image cache holds: its folder, entry count, bytes and limit."""

    folder: Path
    entries: int
    bytes: int
    limit: int


def cache_info() -> CacheInfo:
    """Entries and bytes of the decoded-image cache now."""
    base = cache_folder()
    entries, total = 0, 0
    try:
        for e in os.scandir(base):
            if e.is_dir():
                entries += 1
                total += _dir_bytes(Path(e.path))
    except OSError:
        pass
    return CacheInfo(base, entries, total, cache_limit())


def clear_cache() -> int:
    """Delete every decoded image and the cached dataset statistics; return the bytes freed.

    Everything removed is rebuilt by the next run that needs it.
    """
    info = cache_info()
    freed = info.bytes
    shutil.rmtree(info.folder, ignore_errors=True)
    try:
        freed += stats_cache_file().stat().st_size
        stats_cache_file().unlink()
    except OSError:
        pass
    log.info("cleared the decoded-image cache (%d bytes)", freed)
    return freed


def entry_status(
    root: str, paths: Sequence[str], channels: int, size: Sequence[int]
) -> tuple[int, int, int, Path]:
    """``(files ready in the cache, files, entry bytes, entry folder)`` for one folder and target."""
    d = entry_dir(root, channels, size)
    try:
        meta = _read_meta(d)
    except _Damaged:
        meta = None
    if meta is None:
        return 0, len(paths), 0, d
    known = {f[0]: (int(f[1]), int(f[2])) for f in meta["files"]}
    ready = 0
    for rel, idt in zip(_relative(root, paths), _identities(paths, None), strict=True):
        if known.get(rel) == idt:
            ready += 1
    return ready, len(paths), _dir_bytes(d), d


def status_line(root: str, channels: int, size: Sequence[int]) -> str:
    """One line for ``check-data`` and the Data page: how much of a folder is decoded already."""
    if not cache_enabled():
        return tr("decoded-image cache: off (CNN_STUDIO_CACHE)")
    index = scan_folder(root)
    ready, total, nbytes, d = entry_status(index.root, index.paths, channels, size)
    need = total * int(channels) * int(size[0]) * int(size[1])
    if need > max(cache_limit(), memory_budget()):
        return tr(
            "decoded-image cache: not used, {mb:,} MB of decoded images exceed its limit of {limit:,} MB "
            "(images are decoded every epoch)",
            mb=need >> 20,
            limit=cache_limit() >> 20,
        )
    if ready == 0:
        return tr(
            "decoded-image cache: not built yet; the first training run decodes the {n:,} images once",
            n=total,
        )
    return tr(
        "decoded-image cache: {ready:,} of {n:,} images ready ({mb:,} MB in {path})",
        ready=ready,
        n=total,
        mb=max(1, nbytes >> 20),
        path=str(d),
    )
