"""Which code-carrying models the studio may load without asking: the ones it wrote itself.

A TorchScript archive and a ``python`` export folder run code when they are loaded
(TorchScript's ``__setstate__`` methods, ``model.py``'s module body). ONNX, safetensors and
state-dict files (read with ``weights_only=True``) do not, and need no trust.

When the studio writes an export it records the SHA-256 of what it would later load (the
file; a python folder's ``model.py``) as one small file under ``<user data>/trusted-exports/``. :func:`is_trusted` says whether a file's hash is recorded:
the studio's own exports load as before; anything else (a file from the internet, an export
edited since) is refused by ``predict`` until the user accepts it (``--trust``, or the GUI's
confirmation naming the file). One file per hash means concurrent exports never lose each
other's records.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from pathlib import Path

from studio.core.base.errors import UserError
from studio.core.base.files import atomic_write_bytes
from studio.core.base.i18n import tr
from studio.core.base.paths import user_data_dir

log = logging.getLogger(__name__)

TRUST_FOLDER = "trusted-exports"
CODE_KINDS = ("torchscript", "python")
_CHUNK = 1 << 20


class UntrustedModelError(UserError):
    """A model that can run code and that the studio did not write; ``path`` and ``kind`` let
    the GUI ask the user (naming the file) and retry with ``trust=True``."""

    def __init__(self, path: Path, kind: str) -> None:
        self.path = path
        self.kind = kind
        if kind == "torchscript":
            message = tr(
                "{path} is a TorchScript file that CNN Studio did not write here; loading it runs code "
                "from its archive, which can do anything your account can. If you trust where it came "
                "from, pass --trust (in the app: confirm the question naming this file); ONNX and "
                "safetensors exports need no trust",
                path=path,
            )
        else:
            message = tr(
                "{path} is a python export folder that CNN Studio did not write here; loading it runs "
                "code from its model.py, which can do anything your account can. If you trust where it "
                "came from, pass --trust (in the app: confirm the question naming this file); ONNX and "
                "safetensors exports need no trust",
                path=path,
            )
        super().__init__(message)


def code_file(path: str | os.PathLike[str], kind: str) -> Path:
    """The file whose bytes run when ``path`` (of ``kind``) is loaded."""
    path = Path(path)
    return path / "model.py" if kind == "python" else path


def fingerprint(path: str | os.PathLike[str], kind: str) -> str:
    """The SHA-256 (hex) of ``path``'s code file."""
    digest = hashlib.sha256()
    with open(code_file(path, kind), "rb") as fh:
        for block in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _record_path(digest: str) -> Path:
    return user_data_dir() / TRUST_FOLDER / f"{digest}.json"


def record_export(
    path: str | os.PathLike[str], kind: str, final: str | os.PathLike[str] | None = None
) -> None:
    """Remember ``path`` (an export of format ``kind``) as written by the studio (``final``:
    where it will live). Every format is recorded: a recorded ONNX file also runs without
    ``predict``'s time limit for foreign models.

    A failure to write the record (a read-only home) is logged, not raised: the export itself
    is fine, and loading it later only asks for ``--trust``.
    """
    try:
        digest = fingerprint(path, kind)
        record = {"kind": kind, "path": str(final or path), "written": time.strftime("%Y-%m-%dT%H:%M:%S")}
        atomic_write_bytes(_record_path(digest), json.dumps(record, ensure_ascii=True).encode("ascii"))
    except OSError as exc:
        log.warning(
            "could not record %s as a CNN Studio export (%s); loading it will ask for trust", path, exc
        )


def is_own_export(path: str | os.PathLike[str]) -> bool:
    """True when the studio wrote ``path`` (a file, or a python export folder) as it is now."""
    kind = "python" if Path(path).is_dir() else "file"
    try:
        return _record_path(fingerprint(path, kind)).is_file()
    except OSError:
        return False


def recorded_kind(path: str | os.PathLike[str]) -> str | None:
    """The export format the studio recorded for ``path`` as it is now, or None."""
    kind = "python" if Path(path).is_dir() else "file"
    try:
        record = json.loads(_record_path(fingerprint(path, kind)).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record.get("kind") if isinstance(record, dict) else None


def is_trusted(path: str | os.PathLike[str], kind: str) -> bool:
    """True when ``path`` needs no trust: not code-carrying, or the studio wrote it."""
    return kind not in CODE_KINDS or is_own_export(path)


def require_trusted(path: str | os.PathLike[str], kind: str, trust: bool = False) -> None:
    """Raise :class:`UntrustedModelError` unless ``trust`` or :func:`is_trusted`."""
    if not trust and not is_trusted(path, kind):
        raise UntrustedModelError(Path(path), kind)


def is_torchscript_archive(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` is a zip archive holding TorchScript code (``code/`` or
    ``constants.pkl``), decided from the zip's listing alone - nothing is unpickled or run.
    A ``torch.save`` file (a state-dict export) is a zip too, but has neither."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            return any(
                "/code/" in name or name.endswith("/constants.pkl") or name == "constants.pkl"
                for name in archive.namelist()
            )
    except (OSError, zipfile.BadZipFile, ValueError):
        return False
