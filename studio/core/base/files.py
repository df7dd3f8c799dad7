"""Files written safely (whole or not at all) and read safely (regular files only, size-bounded)."""

from __future__ import annotations

import errno
import os
import secrets
import stat
from pathlib import Path
from typing import BinaryIO

from studio.core.base.i18n import tr

_TEMP_SUFFIX = ".tmp"


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and ``os.replace``.

    Readers see the old file or the new one, never half of either; a full disk leaves the
    old file untouched and raises ``OSError``.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    # O_EXCL with a random name (as mkstemp), but mode 0o666 so that the umask applies as for
    # any new file; an existing file keeps its own mode
    tmp = str(target.parent / f".{target.name}.{secrets.token_hex(6)}{_TEMP_SUFFIX}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            try:
                os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
            except OSError:
                pass  # no old file (or a file system without modes): the umask's default stays
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def remove_stale_temps(folder: str | os.PathLike[str]) -> list[Path]:
    """Delete the temporary files a killed :func:`atomic_write_bytes` left in ``folder``.

    A SIGKILL between the write and the rename leaves ``.<name>.<random>.tmp`` beside the
    intact old file; nothing else ever reads it. Call it only where no other process writes
    at the same time (a run folder being resumed). Returns the files it removed.
    """
    removed: list[Path] = []
    base = Path(folder)
    if not base.is_dir():
        return removed
    for path in base.glob(f".*{_TEMP_SUFFIX}"):
        try:
            path.unlink()
            removed.append(path)
        except OSError:
            pass
    return removed


def open_regular(path: str | os.PathLike[str], max_bytes: int | None = None) -> BinaryIO:
    """Open ``path`` for reading only if it is a regular file of at most ``max_bytes``.

    A FIFO would block the reader forever (and ignore Ctrl-C), ``/dev/zero`` never ends and a
    huge sparse file would be read whole into memory: each raises an ``OSError`` whose
    ``strerror`` says why, so callers' existing ``except OSError`` messages name the cause.
    The file is opened non-blocking first and checked with ``fstat``, so a pipe swapped in
    after a check cannot block either.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, tr("it is a folder, not a file"), str(path))
        if not stat.S_ISREG(st.st_mode):
            raise OSError(
                errno.EINVAL, tr("it is not a regular file (a pipe, a device or a socket)"), str(path)
            )
        if max_bytes is not None and st.st_size > max_bytes:
            raise OSError(
                errno.EFBIG,
                tr(
                    "it is {mb:.1f} MB, more than the {most:.0f} MB read at most",
                    mb=st.st_size / 1e6,
                    most=max_bytes / 1e6,
                ),
                str(path),
            )
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: str | os.PathLike[str], max_bytes: int) -> bytes:
    """The bytes of a regular file of at most ``max_bytes`` (see :func:`open_regular`)."""
    with open_regular(path, max_bytes) as fh:
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:  # it grew while we read
        raise OSError(
            errno.EFBIG, tr("it is more than the {most:.0f} MB read at most", most=max_bytes / 1e6), str(path)
        )
    return data


def json_text(value: object, **kwargs: object) -> str:
    """``json.dumps`` keeping non-ASCII characters readable, unless the text would not encode
    as UTF-8 (a lone surrogate: a file name of undecodable bytes, or a ``"\\udc80"`` escape in a
    project file); then everything non-ASCII is escaped, which reads back to the same strings.
    Every JSON file the studio writes goes through this, so no name can make a write fail."""
    import json

    text = json.dumps(value, ensure_ascii=False, **kwargs)  # type: ignore[arg-type]
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(value, ensure_ascii=True, **kwargs)  # type: ignore[arg-type]
    return text
