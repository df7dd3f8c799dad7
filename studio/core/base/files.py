"""Files written safely: whole or not at all."""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

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


def remove_stale_temps(folder: str | os.PathLike[str]) -> int:
    """Delete the temporary files a killed :func:`atomic_write_bytes` left in ``folder``.

    A SIGKILL between the write and the rename leaves ``.<name>.<random>.tmp`` beside the
    intact old file; nothing else ever reads it. Call it only where no other process writes
    at the same time (a run folder being resumed). Returns how many it removed.
    """
    removed = 0
    base = Path(folder)
    if not base.is_dir():
        return 0
    for path in base.glob(f".*{_TEMP_SUFFIX}"):
        try:
            path.unlink()
            removed += 1
        except OSError:
            pass
    return removed
