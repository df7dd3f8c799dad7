"""Run folders (docs/contract.md) and checkpoints: writing them safely, reading them back.

```
RUN_DIR/
  project.json        the exact project that was trained
  metrics.jsonl       one JSON object a line, appended as training goes
  checkpoints/last.pt checkpoints/best.pt
  classes.json        class names in label order
```

A checkpoint is a plain dict of tensors, numbers, strings, lists and dicts, so that it loads
with ``torch.load(path, weights_only=True)``:

``{"format": "cnn-studio-checkpoint/1", "model": state_dict, "optimizer": state_dict | None,
"scheduler": state_dict | None, "epoch": int, "rng": {...}, "history": [epoch events],
"project": project dict, "classes": [str], "input_shape": [C, H, W],
"norm": {"mean": [..], "std": [..]}, "best": {"metric": str, "value": float, "epoch": int}}``

Everything is written atomically (temp file + ``os.replace``), so a run killed mid-write
keeps its previous checkpoint intact.
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from studio.core.base.errors import UserError
from studio.core.base.files import atomic_write_bytes, json_text
from studio.core.base.i18n import tr
from studio.core.model.builder import build_model
from studio.core.project.project_file import Project, parse_project_text

CHECKPOINT_FORMAT = "cnn-studio-checkpoint/1"


class RunError(UserError):
    """A run folder or checkpoint that is missing, incomplete or unreadable."""


def new_run_dir(base: str | os.PathLike[str], name: str = "run") -> Path:
    """A fresh, unique run folder under ``base`` (``run-20261128-142501``, ``-2``...)."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    base = Path(base)
    candidate = base / f"{name}-{stamp}"
    n = 2
    while candidate.exists():
        candidate = base / f"{name}-{stamp}-{n}"
        n += 1
    candidate.mkdir(parents=True)
    return candidate


def write_json(path: str | os.PathLike[str], obj: Any) -> None:
    """Write pretty JSON atomically."""
    atomic_write_bytes(path, (json_text(obj, indent=2) + "\n").encode("utf-8"))  # any name encodes


def init_run_dir(run_dir: str | os.PathLike[str], project: Project, classes: list[str]) -> Path:
    """Create the run folder's fixed files: project.json, classes.json and checkpoints/."""
    run = Path(run_dir)
    (run / "checkpoints").mkdir(parents=True, exist_ok=True)
    write_json(run / "project.json", project.to_dict())
    write_json(run / "classes.json", list(classes))
    return run


def metric_line(event: Mapping[str, Any]) -> str:
    """One metrics.jsonl line (numpy/torch scalars written as numbers; NaN refused)."""
    return json_text(event, allow_nan=False, default=_json_default) + "\n"


def append_metric(run_dir: str | os.PathLike[str], event: Mapping[str, Any]) -> None:
    """Append one event line to metrics.jsonl (flushed and fsynced: a kill loses nothing)."""
    path = Path(run_dir) / "metrics.jsonl"
    line = metric_line(event)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(line)
        fh.flush()
        os.fsync(fh.fileno())


def _json_default(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def read_metrics(run_dir: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """All events of a run; a torn last line (a kill mid-write) is skipped."""
    path = Path(run_dir) / "metrics.jsonl"
    events: list[dict[str, Any]] = []
    if not path.exists():
        return events
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(obj, dict):
            events.append(obj)
    return events


def save_checkpoint(path: str | os.PathLike[str], state: dict[str, Any]) -> None:
    """Serialise ``state`` with ``torch.save`` into memory, then write it atomically."""
    import torch

    state = dict(state)
    state.setdefault("format", CHECKPOINT_FORMAT)
    buffer = io.BytesIO()
    torch.save(state, buffer)
    atomic_write_bytes(path, buffer.getvalue())


def load_checkpoint(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Load a checkpoint with ``weights_only=True``; :class:`RunError` if it cannot be."""
    import torch

    p = Path(path)
    if not p.is_file():
        raise RunError(tr("checkpoint {p} does not exist", p=p))
    try:
        state = torch.load(p, map_location="cpu", weights_only=True)
    except Exception as exc:
        raise RunError(
            tr(
                "checkpoint {p} cannot be loaded safely ({kind}: {exc}); it may be truncated or not a CNN Studio checkpoint",
                p=p,
                kind=type(exc).__name__,
                exc=str(exc)[:160],
            )
        ) from None
    if not isinstance(state, dict) or "model" not in state:
        raise RunError(tr("{p} is not a CNN Studio checkpoint (no model weights in it)", p=p))
    check_checkpoint(state, str(p))
    return state


#: the most class names a checkpoint may list, and the largest image side (the project file's)
MAX_CLASSES = 100_000
MAX_SIDE = 2048


def check_checkpoint(state: dict[str, Any], where: str) -> None:
    """Check the fields every reader relies on, so that a crafted (pickle-free) checkpoint is one
    :class:`RunError` naming the file and the field instead of a crash deep in a reader.

    ``model`` must map names to tensors and ``project`` be an object; ``classes``,
    ``input_shape``, ``norm``, ``rng`` and ``epoch`` are checked when present (older checkpoints
    may lack them; a resume needs ``rng`` and checks again).
    """
    import math

    import torch

    def bad(field_name: str, why: str) -> RunError:
        return RunError(
            tr(
                "{where}: field {field} {why}; the checkpoint is damaged or was not written by CNN Studio",
                where=where,
                field=field_name,
                why=why,
            )
        )

    model = state["model"]
    if not isinstance(model, dict) or not all(
        isinstance(k, str) and isinstance(v, torch.Tensor) for k, v in model.items()
    ):
        raise bad("model", tr("must map layer names to tensors"))
    if not isinstance(state.get("project"), dict):
        raise bad("project", tr("must be the trained project (an object)"))
    classes = state.get("classes")
    if classes is not None:
        if not isinstance(classes, list) or not all(isinstance(c, str) for c in classes):
            raise bad("classes", tr("must be a list of class names, got {kind}", kind=type(classes).__name__))
        if not 1 <= len(classes) <= MAX_CLASSES:
            raise bad(
                "classes",
                tr(
                    "must hold 1 to {most} names, got {n_classes}",
                    most=MAX_CLASSES,
                    n_classes=len(classes),
                ),
            )
    channels = None
    shape = state.get("input_shape")
    if shape is not None:
        if (
            not isinstance(shape, list)
            or len(shape) != 3
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in shape)
        ):
            raise bad("input_shape", tr("must be [channels, height, width]"))
        if shape[0] not in (1, 3, 4) or not all(1 <= v <= MAX_SIDE for v in shape[1:]):
            raise bad(
                "input_shape",
                tr(
                    "must have 1, 3 or 4 channels and sides of 1 to {most}, got {shape}",
                    most=MAX_SIDE,
                    shape=shape,
                ),
            )
        channels = shape[0]
    norm = state.get("norm")
    if norm is not None:
        if not isinstance(norm, dict):
            raise bad("norm", tr('must be {"mean": [...], "std": [...]}'))
        for key in ("mean", "std"):
            values = norm.get(key)
            if (
                not isinstance(values, list)
                or not values
                or not all(
                    isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
                    for v in values
                )
            ):
                raise bad(f"norm.{key}", tr("must be a list of finite numbers, one per channel"))
            if channels is not None and len(values) != channels:
                raise bad(
                    f"norm.{key}",
                    tr(
                        "has {n_values} values for {channels} channels",
                        n_values=len(values),
                        channels=channels,
                    ),
                )
            if key == "std" and any(v <= 0 for v in values):
                raise bad("norm.std", tr("must be positive (it divides the pixels)"))
    rng = state.get("rng")
    if rng is not None and not (isinstance(rng, dict) and not rng):  # none or {}: a resume says so
        check_rng(rng, where)
    epoch = state.get("epoch")
    if epoch is not None and (isinstance(epoch, bool) or not isinstance(epoch, int) or epoch < 0):
        raise bad("epoch", tr("must be a whole number >= 0, got {value!r}", value=epoch)[:200])


def check_rng(state: Any, where: str = "the checkpoint") -> None:
    """A :class:`RunError` naming the field unless ``state`` has :func:`capture_rng`'s shape (a
    crafted or damaged checkpoint must not crash a resume with a KeyError)."""
    import torch

    def bad(field_name: str) -> RunError:
        return RunError(
            tr(
                "{where}: field {field} is missing or malformed, so the run cannot resume exactly; fork a "
                "new run from this checkpoint instead (Train page > Fork)",
                where=where,
                field=field_name,
            )
        )

    if not isinstance(state, dict):
        raise bad("rng")
    for key in ("torch", "data"):
        if not isinstance(state.get(key), torch.Tensor) or state[key].dtype != torch.uint8:
            raise bad(f"rng.{key}")
    py, npst = state.get("python"), state.get("numpy")
    if (
        not isinstance(py, dict)
        or not isinstance(py.get("version"), int)
        or not isinstance(py.get("state"), torch.Tensor)
        or py["state"].numel() != 625
    ):
        raise bad("rng.python")
    if (
        not isinstance(npst, dict)
        or not isinstance(npst.get("keys"), torch.Tensor)
        or npst["keys"].numel() != 624
        or not isinstance(npst.get("pos"), int)
    ):
        raise bad("rng.numpy")


_TEMP_FILE = re.compile(r"^\..+\.[0-9a-f]{12}\.tmp$")  # atomic_write_bytes' temporary names


@dataclass
class RunInfo:
    """What a run folder says about itself (for the run list and the evaluate page)."""

    path: Path
    project: Project | None
    classes: list[str]
    events: list[dict[str, Any]]

    @property
    def end(self) -> dict[str, Any] | None:
        """The final ``end`` event, or None while running / after a kill."""
        for event in reversed(self.events):
            if event.get("event") == "end":
                return event
        return None

    @property
    def status(self) -> str:
        """``completed``, ``stopped``, ``failed``, or ``interrupted`` (no end event)."""
        end = self.end
        return str(end.get("status")) if end else "interrupted"

    @property
    def epochs(self) -> list[dict[str, Any]]:
        """The epoch events, in order."""
        return [e for e in self.events if e.get("event") == "epoch"]

    @property
    def best_val_acc(self) -> float | None:
        """The best validation accuracy reached so far."""
        values = [e["val_acc"] for e in self.epochs if isinstance(e.get("val_acc"), (int, float))]
        return max(values) if values else None


def read_run(run_dir: str | os.PathLike[str]) -> RunInfo:
    """Read a run folder's project, classes and metrics; :class:`RunError` if it is not one."""
    run = Path(run_dir)
    if not (run / "project.json").is_file():
        raise RunError(
            tr(
                "{run} is not a run folder (no project.json); pick the folder that `cnn-studio train` created",
                run=run,
            )
        )
    try:
        project = parse_project_text(
            (run / "project.json").read_text(encoding="utf-8"), str(run / "project.json")
        )
    except UserError as exc:
        raise RunError(f"{run / 'project.json'}: {exc}") from None
    classes: list[str] = []
    if (run / "classes.json").is_file():
        try:
            loaded = json.loads((run / "classes.json").read_text(encoding="utf-8"))
            classes = [str(c) for c in loaded] if isinstance(loaded, list) else []
        except (json.JSONDecodeError, OSError):
            classes = []
    return RunInfo(run, project, classes, read_metrics(run))


def list_runs(base: str | os.PathLike[str]) -> list[RunInfo]:
    """Every run folder directly under ``base``, newest first; unreadable ones skipped."""
    root = Path(base)
    runs: list[RunInfo] = []
    if not root.is_dir():
        return runs
    for child in sorted(root.iterdir(), key=lambda p: p.stat().st_mtime, reverse=True):
        if child.is_dir() and (child / "project.json").is_file():
            try:
                runs.append(read_run(child))
            except RunError:
                continue
    return runs


def checkpoint_path(run_dir: str | os.PathLike[str], which: str = "best") -> Path:
    """``checkpoints/best.pt`` (falling back to last.pt) or ``checkpoints/last.pt``."""
    folder = Path(run_dir) / "checkpoints"
    if which == "best" and not (folder / "best.pt").is_file():
        which = "last"
    return folder / f"{which}.pt"


def require_run_dir(run_dir: str | os.PathLike[str]) -> Path:
    """``run_dir`` if it holds a checkpoint, else a :class:`RunError` saying so."""
    run = Path(run_dir)
    if not run.is_dir():
        raise RunError(tr("run folder {run} does not exist", run=run))
    if not checkpoint_path(run).is_file():
        raise RunError(
            tr(
                "{run} is not a trained run folder (no checkpoints/best.pt or last.pt); pick the folder that `cnn-studio train` created",
                run=run,
            )
        )
    return run


def load_trained_model(run_dir: str | os.PathLike[str], which: str = "best") -> tuple[Any, dict[str, Any]]:
    """The run's model (eval mode, CPU) and its checkpoint dict (classes, norm, input_shape).

    The network is rebuilt from the checkpoint's own project, then its weights loaded; no
    pretrained download happens (the checkpoint already holds every weight).
    """
    state = load_checkpoint(checkpoint_path(run_dir, which))

    path = checkpoint_path(run_dir, which)
    state = load_checkpoint(path)
    try:
        project = Project.from_dict(state["project"])
    except (UserError, KeyError) as exc:
        raise RunError(tr("{path}: field project is unreadable: {exc}", path=path, exc=exc)) from None
    classes = list(state.get("classes") or [])
    model = build_model(project, num_classes=len(classes) or None, load_weights=False)
    try:
        model.load_state_dict(state["model"])
    except RuntimeError as exc:
        raise RunError(
            tr(
                "{path}: field model (the weights) does not fit its network: {exc}",
                path=path,
                exc=str(exc)[:200],
            )
        ) from None
    model.eval()
    return model, state
