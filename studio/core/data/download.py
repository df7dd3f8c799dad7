"""Download the torchvision datasets with progress and cancel, into torchvision's own layout.

torchvision's ``download=True`` cannot report progress to a GUI or be cancelled, so this
module fetches the very files torchvision lists (its ``mirrors``/``resources`` for the MNIST
family, ``url``/``filename``/``tgz_md5`` for CIFAR), checks them with torchvision's
``check_integrity`` and unpacks them with its ``extract_archive`` into the folders its
dataset classes read. A missing network is reported as a :class:`DownloadError` naming the
URL, the folder and the files to place there by hand.

Partial files are written under a temporary name and renamed only when complete, so a
cancelled or failed download never leaves a file that looks finished.
"""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.core.base.errors import Cancelled, UserError
from studio.core.base.i18n import tr
from studio.core.base.progress import CancelCheck as Cancel
from studio.core.base.progress import Progress

DOWNLOADABLE = ("mnist", "fashion_mnist", "cifar10", "cifar100")
CHUNK = 1 << 16


class DownloadError(UserError):
    """A dataset could not be downloaded (no network, a bad checksum...).

    ``details`` holds the per-URL failures, appended to the message in parentheses.
    """

    def __init__(self, message: str, details: str = "") -> None:
        self.summary = message
        self.details = details
        super().__init__(f"{message} ({details})" if details else message)


class DownloadCancelled(Cancelled):
    """The user cancelled the download; nothing half-written is left behind."""


@dataclass(frozen=True)
class Resource:
    """One file to fetch: candidate URLs, the file name, its MD5 and where it is unpacked."""

    urls: tuple[str, ...]
    filename: str
    md5: str | None
    folder: Path
    extract_to: Path


def resources(source: str, root: str | os.PathLike[str]) -> list[Resource]:
    """The files torchvision's dataset class for ``source`` downloads, placed under ``root``."""
    from torchvision import datasets

    root = Path(os.path.expanduser(os.fspath(root)))
    if source in ("mnist", "fashion_mnist"):
        cls: Any = datasets.MNIST if source == "mnist" else datasets.FashionMNIST
        raw = root / cls.__name__ / "raw"
        return [
            Resource(tuple(m + name for m in cls.mirrors), name, md5, raw, raw) for name, md5 in cls.resources
        ]
    if source in ("cifar10", "cifar100"):
        cls = datasets.CIFAR10 if source == "cifar10" else datasets.CIFAR100
        return [Resource((cls.url,), cls.filename, cls.tgz_md5, root, root)]
    raise DownloadError(
        tr(
            "data.source: {source!r} cannot be downloaded; choose one of {choices}",
            source=source,
            choices=", ".join(DOWNLOADABLE),
        )
    )


def expected_files(source: str, root: str | os.PathLike[str]) -> list[Path]:
    """The archive paths a finished download leaves (for "place these files here" messages)."""
    return [r.folder / r.filename for r in resources(source, root)]


def _fetch(
    urls: tuple[str, ...],
    target: Path,
    progress: Progress,
    cancel: Cancel,
    done_before: int,
    opener: Callable[..., Any],
    timeout: float,
) -> int:
    """Fetch the first URL that answers into ``target``; returns the bytes written."""
    errors: list[str] = []
    for url in urls:
        part = target.with_name(target.name + ".part")
        try:
            with opener(url, timeout=timeout) as response:
                total = (
                    int(response.headers.get("Content-Length") or 0) if hasattr(response, "headers") else 0
                )
                written = 0
                with open(part, "wb") as fh:
                    while True:
                        if cancel():
                            raise DownloadCancelled(tr("download cancelled; nothing was kept"))
                        chunk = response.read(CHUNK)
                        if not chunk:
                            break
                        fh.write(chunk)
                        written += len(chunk)
                        progress(
                            _bytes_message(target.name, done_before + written, total and done_before + total),
                            (done_before + written) / (done_before + total) if total else None,
                        )
            os.replace(part, target)
            return written
        except DownloadCancelled:
            part.unlink(missing_ok=True)
            raise
        except (urllib.error.URLError, OSError, ValueError) as exc:
            part.unlink(missing_ok=True)
            reason = getattr(exc, "reason", exc)
            errors.append(f"{url}: {reason}")
    raise DownloadError(tr("no network access or the server did not answer"), "; ".join(errors))


def download_source(
    source: str,
    root: str | os.PathLike[str],
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    opener: Callable[..., Any] | None = None,
    timeout: float = 20.0,
) -> list[Path]:
    """Download and unpack ``source`` under ``root`` as torchvision expects; returns the archives.

    Files already present with the right checksum are kept. ``cancel()`` is polled between
    chunks. ``opener`` defaults to ``urllib.request.urlopen`` (tests pass a fake). Raises
    :class:`DownloadError` with the folder and file names to place by hand when the network
    is unreachable, :class:`DownloadCancelled` when cancelled.
    """
    from torchvision.datasets.utils import check_integrity, extract_archive

    progress = progress or (lambda message, fraction: None)
    cancel = cancel or (lambda: False)
    opener = opener or urllib.request.urlopen
    items = resources(source, root)
    done = 0
    archives: list[Path] = []
    for item in items:
        try:
            item.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DownloadError(
                tr(
                    "data.root: cannot create {folder} ({strerror}); choose a writable folder",
                    folder=item.folder,
                    strerror=exc.strerror,
                )
            ) from exc
        target = item.folder / item.filename
        if not check_integrity(str(target), item.md5):
            try:
                done += _fetch(item.urls, target, progress, cancel, done, opener, timeout)
            except DownloadError as exc:
                names = ", ".join(p.name for p in expected_files(source, root))
                raise DownloadError(
                    tr(
                        "could not download {source}: {summary}. Without network, place {names} in {folder} and try again.",
                        source=source,
                        summary=exc.summary,
                        names=names,
                        folder=item.folder,
                    ),
                    exc.details,
                ) from exc
            if not check_integrity(str(target), item.md5):
                target.unlink(missing_ok=True)
                raise DownloadError(
                    tr(
                        "{target}: the downloaded file is damaged (checksum mismatch); try again",
                        target=target,
                    )
                )
        if cancel():
            raise DownloadCancelled(tr("download cancelled; the files finished so far were kept"))
        progress(tr("unpacking {filename}", filename=item.filename), None)
        extract_archive(str(target), str(item.extract_to))
        archives.append(target)
    progress(tr("done"), 1.0)
    return archives


def _bytes_message(name: str, done: int, total: int) -> str:
    """``"name: 12.0 / 50.0 MB"`` (``"name: 12.0 MB"`` when the size is not known)."""
    return f"{name}: {done / 1e6:.1f} / {total / 1e6:.1f} MB" if total else f"{name}: {done / 1e6:.1f} MB"
