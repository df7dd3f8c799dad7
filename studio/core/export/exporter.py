"""Export a trained run, and prove the export computes what the studio's model computes.

Formats (docs/cli.md, ``export``): ``torchscript``, ``onnx``, ``state-dict``, ``safetensors`` (files,
see :mod:`studio.core.export.formats`) and ``python`` (a folder, see
:mod:`studio.core.export.python_source`). Every export carries the class names, input size and
normalisation.

Each export is written to a temporary name beside its target, **reloaded from there** by the
format's own reader (onnxruntime for ONNX, ``torch.jit.load`` for TorchScript, a fresh import
of ``model.py`` for Python...) and run on the same inputs as the PyTorch model: validation
images when the dataset can be loaded, otherwise deterministic synthetic inputs of the right
shape (the result says which). The largest absolute difference of the logits and the top-1
agreement are reported. Only an export that agrees (difference within tolerance, every top-1
equal up to near-ties within tolerance) is moved to its final name; one that disagrees is deleted and an
:class:`ExportError` raised, so a bad file never appears at the target and an older good
one there is left alone.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studio.core.base.errors import Cancelled, UserError
from studio.core.base.i18n import tr
from studio.core.base.progress import Progress
from studio.core.export.formats import (
    EXPORT_FORMAT,
    FILE_FORMATS,
    META_KEY,
    TORCHSCRIPT_META_FILE,
    ExportError,
    ExportMeta,
    Runner,
    check_outputs,
    torch_runner,
)
from studio.core.export.names import FORMAT_HELP, FORMATS
from studio.core.export.python_source import read_python, write_python
from studio.core.export.trust import is_torchscript_archive, record_export, recorded_kind
from studio.core.export.verify import (
    DEFAULT_SAMPLES,
    Samples,
    Verification,
    compare_outputs,
    run_batched,
    verification_samples,
)
from studio.core.runs.run_folder import checkpoint_path, load_trained_model, require_run_dir

if TYPE_CHECKING:
    import torch.nn as nn


__all__ = [
    "FORMATS",
    "FORMAT_HELP",
    "ExportCancelled",
    "ExportError",
    "ExportMeta",
    "ExportResult",
    "OverwriteRefused",
    "Samples",
    "refused_target",
    "Verification",
    "compare_outputs",
    "default_filename",
    "export_model",
    "export_run",
    "verification_samples",
]


class ExportCancelled(Cancelled):
    """The user cancelled an export; nothing was written at the target."""


def _step(
    progress: Progress | None, cancel: Callable[[], bool] | None, message: str, fraction: float
) -> None:
    """Stop here if ``cancel()`` says so (:class:`ExportCancelled`), else report ``message``."""
    if cancel is not None and cancel():
        raise ExportCancelled(tr("export cancelled; nothing was written"))
    if progress is not None:
        progress(message, fraction)


# --------------------------------------------------------------------------- writing


@dataclass
class ExportResult:
    """A written, verified export."""

    format: str
    path: Path
    size_bytes: int
    verification: Verification
    meta: ExportMeta
    notes: list[str] = field(default_factory=list)

    def text(self) -> str:
        """What the CLI prints."""
        lines = [
            f"wrote {self.path} ({self.format}, {_human_size(self.size_bytes)})",
            self.verification.text(),
        ]
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready summary."""
        return {
            "format": self.format,
            "path": str(self.path),
            "size_bytes": self.size_bytes,
            "verification": self.verification.to_json(),
            "notes": list(self.notes),
            "classes": list(self.meta.classes),
            "input_shape": list(self.meta.input_shape),
        }


def _human_size(n: int) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} B"


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size


def default_filename(meta: ExportMeta, fmt: str) -> str:
    """A file (or folder) name for an export of ``meta`` in ``fmt``: ``digits.onnx``."""
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", meta.name).strip("-.").lower() or "model"
    if fmt == "python":
        return f"{stem}-python"
    if fmt == "state-dict":
        return f"{stem}-state-dict.pt"
    return stem + FILE_FORMATS[fmt][2]


class OverwriteRefused(ExportError):
    """``--out`` names something the studio did not write; ``path`` lets the GUI ask the user
    (naming it) and retry with ``force=True``."""

    def __init__(self, path: Path, message: str) -> None:
        self.path = path
        super().__init__(message)


def _target(out: str | os.PathLike[str], meta: ExportMeta, fmt: str, force: bool = False) -> Path:
    """The final path; refuses to replace anything but an earlier export of the same format."""
    path = Path(out).expanduser()
    if fmt == "python":
        if path.is_dir() and any(path.iterdir()) and not (path / "model.py").is_file():
            path = path / default_filename(meta, fmt)  # a folder of other things: export inside it
        if path.exists() and not path.is_dir():
            raise ExportError(
                tr(
                    "--out {path} is a file; the python export writes a folder: pick a new folder name",
                    path=path,
                )
            )
        if path.is_dir() and any(path.iterdir()) and not (path / "model.py").is_file():
            raise ExportError(
                tr(
                    "--out {path} is a folder with other files in it; pick a new or empty folder (an earlier python export there would be replaced)",
                    path=path,
                )
            )
        if path.is_dir() and (path / "model.py").is_file() and not force and not is_export_of(path, fmt):
            raise OverwriteRefused(
                path,
                tr(
                    "--out {path} holds a model.py that is not a CNN Studio python export; CNN Studio "
                    "replaces only an earlier export of the same format. Pick another name, or pass "
                    "--force to replace it",
                    path=path,
                ),
            )
        return path
    if path.is_dir():
        path = path / default_filename(meta, fmt)
    if path.exists() or path.is_symlink():
        if path.is_dir():
            raise ExportError(tr("--out {path} is a folder; give a file name", path=path))
        if not path.is_file():
            raise ExportError(
                tr("--out {path} is not a regular file (a pipe, a device...); give a file name", path=path)
            )
        if not force and not is_export_of(path, fmt):
            raise OverwriteRefused(
                path,
                tr(
                    "--out {path} exists and is not a CNN Studio {fmt} export; CNN Studio replaces "
                    "only an earlier export of the same format. Pick another name, or pass --force "
                    "to replace it",
                    path=path,
                    fmt=fmt,
                ),
            )
    return path


def refused_target(out: str | os.PathLike[str], meta: ExportMeta, fmt: str) -> Path | None:
    """The file (or folder) an export to ``out`` would refuse to replace without ``force``, or
    None: lets the GUI ask the user, naming it, before it starts."""
    try:
        _target(out, meta, fmt)
    except OverwriteRefused as exc:
        return exc.path
    except ExportError:  # other problems are reported by the export itself
        return None
    return None


def is_export_of(path: Path, fmt: str) -> bool:
    """True when ``path`` is a studio export of format ``fmt``: recorded when written (see
    :mod:`studio.core.export.trust`), or carrying the studio's metadata where ``fmt`` keeps it.
    Nothing is unpickled or run to decide (a state-dict is read with ``weights_only``)."""
    recorded = recorded_kind(path)
    if recorded is not None:
        return recorded == fmt
    try:
        return _SNIFFERS[fmt](path)
    except Exception:  # any failure to read it: it is not an export we can vouch for
        return False


def _sniff_python(path: Path) -> bool:
    return (path / "model.py").is_file() and (path / TORCHSCRIPT_META_FILE).is_file()


def _sniff_torchscript(path: Path) -> bool:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return any(name.endswith(f"/extra/{TORCHSCRIPT_META_FILE}") for name in archive.namelist())


def _sniff_state_dict(path: Path) -> bool:
    import torch

    if is_torchscript_archive(path):
        return False
    blob = torch.load(str(path), map_location="cpu", weights_only=True, mmap=True)
    return isinstance(blob, dict) and blob.get("format") == EXPORT_FORMAT


def _sniff_onnx(path: Path) -> bool:
    import onnx

    proto = onnx.load(str(path), load_external_data=False)
    return any(entry.key == META_KEY for entry in proto.metadata_props)


def _sniff_safetensors(path: Path) -> bool:
    with open(path, "rb") as fh:
        size = int.from_bytes(fh.read(8), "little")
        if not 0 < size <= 100_000_000:
            return False
        header = json.loads(fh.read(size))
    return isinstance(header, dict) and META_KEY in (header.get("__metadata__") or {})


_SNIFFERS: dict[str, Callable[[Path], bool]] = {
    "python": _sniff_python,
    "torchscript": _sniff_torchscript,
    "state-dict": _sniff_state_dict,
    "onnx": _sniff_onnx,
    "safetensors": _sniff_safetensors,
}


def _fsync(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _commit(staged: Path, target: Path) -> None:
    """Move the verified export into place atomically (a folder replaces an older export).

    Temporary files and folders are private (0600/0700); the export gets the usual
    permissions (0666/0777 less the umask) before it appears.
    """
    mask = _umask()
    if staged.is_dir():
        for p in staged.rglob("*"):
            if p.is_file():
                _fsync(p)
                os.chmod(p, 0o666 & ~mask)
        os.chmod(staged, 0o777 & ~mask)
        if target.exists():
            backup = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
            os.replace(target, backup / "old")
            try:
                os.replace(staged, target)
            except BaseException:
                os.replace(backup / "old", target)
                raise
            finally:
                shutil.rmtree(backup, ignore_errors=True)
        else:
            os.replace(staged, target)
        return
    _fsync(staged)
    os.chmod(staged, 0o666 & ~mask)
    os.replace(staged, target)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            path.unlink()
        except OSError:
            pass


def export_model(
    model: nn.Module,
    meta: ExportMeta,
    fmt: str,
    out: str | os.PathLike[str],
    *,
    samples: Samples | None = None,
    data: Any = None,
    max_samples: int = DEFAULT_SAMPLES,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
    force: bool = False,
) -> ExportResult:
    """Write ``model`` (CPU, eval mode) as ``fmt`` to ``out``, verified (see the module doc).

    ``samples`` overrides the inputs of the check; ``data`` is a loaded dataset to take
    them from. Raises :class:`ExportError` for an unknown format, a target that cannot be
    used, an exporter failure, or an export that disagrees with the model.
    ``progress(message, fraction)`` hears of each step; ``cancel()`` returning true stops
    between steps with :class:`ExportCancelled`, the temporary file removed. An existing
    target is replaced only when it is an export of the same format, or with ``force``
    (else :class:`OverwriteRefused`).
    """
    import torch

    if fmt not in FORMATS:
        raise ExportError(
            tr("unknown export format {fmt!r}; choose one of: {choices}", fmt=fmt, choices=", ".join(FORMATS))
        )
    target = _target(out, meta, fmt, force)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(
            tr(
                "cannot create the folder {parent}: {reason}",
                parent=target.parent,
                reason=exc.strerror or exc,
            )
        ) from None
    model.eval()
    _step(progress, cancel, tr("reading images for the check"), 0.05)
    if samples is None:
        samples = verification_samples(meta, data, max_samples)
    _step(progress, cancel, tr("running the PyTorch model"), 0.2)
    reference = run_batched(torch_runner(model), samples.inputs)
    if reference.ndim != 2 or reference.shape[1] != len(meta.classes):
        raise ExportError(
            tr(
                "the model gives {shape} outputs per image but field classes names {n_classes}; the checkpoint does not match its network",
                shape=tuple(reference.shape[1:]),
                n_classes=len(meta.classes),
            )
        )
    example = torch.from_numpy(samples.inputs[:2].copy())
    if len(example) < 2:  # a batch of 2 keeps the batch axis symbolic while tracing
        example = torch.cat([example, example])

    write: Callable[..., list[str]]
    read: Callable[[Any], tuple[Runner, ExportMeta]]
    if fmt == "python":
        write, read = write_python, read_python
        staged = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    else:
        write, read, _ext = FILE_FORMATS[fmt]
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
        staged = Path(name)
    try:
        _step(progress, cancel, tr("writing the {fmt} export", fmt=fmt), 0.3)
        try:
            notes = write(model, meta, staged, example)
        except UserError:
            raise
        except Exception as exc:
            raise ExportError(
                tr(
                    "the {fmt} exporter failed on this model ({kind}: {exc})",
                    fmt=fmt,
                    kind=type(exc).__name__,
                    exc=str(exc)[:300],
                )
            ) from None
        _step(
            progress, cancel, tr("reloading the {fmt} export and comparing it with the model", fmt=fmt), 0.7
        )
        runner, read_meta = read(staged)
        if read_meta.classes != meta.classes or tuple(read_meta.input_shape) != tuple(meta.input_shape):
            raise ExportError(tr("the {fmt} export's metadata did not survive a reload", fmt=fmt))
        try:
            candidate = run_batched(runner, samples.inputs)
        except Exception as exc:
            raise ExportError(
                tr(
                    "the reloaded {fmt} export fails to run ({kind}: {exc})",
                    fmt=fmt,
                    kind=type(exc).__name__,
                    exc=str(exc)[:300],
                )
            ) from None
        verification = compare_outputs(reference, candidate, samples)
        if not verification.ok:
            raise ExportError(
                tr(
                    "the {fmt} export disagrees with the PyTorch model and was not written: {details}",
                    fmt=fmt,
                    details=verification.text(),
                )
            )
        _step(progress, cancel, tr("moving the verified export into place"), 0.95)
        record_export(staged, fmt, target)  # TorchScript/python run code: remember we wrote this
        _commit(staged, target)
    except BaseException:
        _remove(staged)
        raise
    return ExportResult(fmt, target, _size(target), verification, meta, notes)


def export_run(
    run_dir: str | os.PathLike[str],
    fmt: str,
    out: str | os.PathLike[str],
    *,
    which: str = "best",
    samples: Samples | None = None,
    data: Any = None,
    max_samples: int = DEFAULT_SAMPLES,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
    force: bool = False,
) -> ExportResult:
    """Export a run folder's ``best`` (or ``last``) checkpoint; see :func:`export_model`."""
    if fmt not in FORMATS:
        raise ExportError(
            tr("unknown export format {fmt!r}; choose one of: {choices}", fmt=fmt, choices=", ".join(FORMATS))
        )
    require_run_dir(run_dir)
    model, state = load_trained_model(run_dir, which)
    where = str(checkpoint_path(run_dir, which))
    meta = ExportMeta.from_checkpoint(state, which, where)
    check_outputs(model, meta, where)
    return export_model(
        model,
        meta,
        fmt,
        out,
        samples=samples,
        data=data,
        max_samples=max_samples,
        progress=progress,
        cancel=cancel,
        force=force,
    )
