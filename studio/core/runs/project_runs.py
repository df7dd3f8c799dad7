"""Where a project's runs live, and the small run-info file each run folder holds.

The rule (the same for the GUI, ``cnn-studio train`` and ``cnn-studio runs``):

* a project saved as ``DIR/NAME.json`` keeps its runs in ``DIR/NAME.runs/``, so two projects
  in one folder never see each other's runs;
* a project never saved trains into a *workspace*, ``<user data>/workspaces/<id>/runs/``
  (:func:`new_workspace`); its runs move into ``NAME.runs/`` on the first Save
  (:func:`transfer_runs`);
* each run folder is named from the project name and the start time
  (``digits-20261128-142501``) and holds ``run-info.json``: a display name (renameable) and a
  note, written atomically.

Runs of the older layout (a ``runs/`` folder shared by every project beside it, and the
per-user data folder's ``runs/``) are found by :func:`legacy_runs` when their network fits a
known project, and attached with :func:`import_run`.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from studio.core.base.files import atomic_write_bytes
from studio.core.base.i18n import tr
from studio.core.base.paths import user_data_dir
from studio.core.project.project_file import Project
from studio.core.runs.run_folder import RunError, new_run_dir, read_run

log = logging.getLogger(__name__)

RUN_INFO = "run-info.json"
RUNS_SUFFIX = ".runs"
#: the sub-folder of the per-user data folder that holds unsaved projects' workspaces
WORKSPACES = "workspaces"


# --------------------------------------------------------------------------- locations


def project_runs_dir(project_path: str | os.PathLike[str]) -> Path:
    """``DIR/NAME.runs`` for the project file ``DIR/NAME.json``."""
    path = Path(project_path).resolve()
    return path.parent / f"{path.stem}{RUNS_SUFFIX}"


def new_workspace() -> Path:
    """A fresh workspace folder for an unsaved project (created lazily by the first run)."""
    return user_data_dir() / WORKSPACES / uuid.uuid4().hex[:12]


def workspace_runs_dir(workspace: str | os.PathLike[str]) -> Path:
    """The runs folder inside a workspace."""
    return Path(workspace) / "runs"


def runs_location(
    project_path: str | os.PathLike[str] | None, workspace: str | os.PathLike[str] | None = None
) -> Path:
    """Where a project's runs go: its ``NAME.runs`` folder, else its workspace's ``runs``.

    An unsaved project without a workspace gets the per-user ``workspaces/unsaved/runs``
    (used only by callers that did not make a workspace).
    """
    if project_path:
        return project_runs_dir(project_path)
    return workspace_runs_dir(workspace or user_data_dir() / WORKSPACES / "unsaved")


def legacy_runs_dirs(project_path: str | os.PathLike[str] | None) -> list[Path]:
    """The folders where the older layout kept runs: ``runs/`` beside the file, the data folder's ``runs/``."""
    found = [user_data_dir() / "runs"]
    if project_path:
        found.insert(0, Path(project_path).resolve().parent / "runs")
    return [p for p in found if p.is_dir()]


# --------------------------------------------------------------------------- names


def slug(name: str) -> str:
    """A folder-friendly form of a project name (``fashion-mnist-clothing``); ``run`` if empty."""
    text = re.sub(r"[^\w-]+", "-", name.strip().lower(), flags=re.UNICODE).strip("-_")
    return text[:40] or "run"


def new_project_run(runs_dir: str | os.PathLike[str], project: Project) -> Path:
    """Create a fresh run folder for ``project`` under ``runs_dir``, with its run-info file.

    The folder is ``<slug>-<YYYYmmdd-HHMMSS>`` (``-2``... when taken); the display name is the
    project's name and the start time, which :func:`set_run_info` can change later.
    """
    run = new_run_dir(runs_dir, slug(project.name))
    started = datetime.now()
    write_run_info(
        run,
        {
            "name": f"{project.name or 'Run'} {started:%Y-%m-%d %H:%M}",
            "note": "",
            "project": project.name,
            "created": started.isoformat(timespec="seconds"),
        },
    )
    return run


# --------------------------------------------------------------------------- run-info file


def read_run_info(run_dir: str | os.PathLike[str]) -> dict[str, Any]:
    """The run-info of a folder (``{}`` when it has none or it is unreadable)."""
    path = Path(run_dir) / RUN_INFO
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_run_info(run_dir: str | os.PathLike[str], info: dict[str, Any]) -> None:
    """Write the run-info file atomically (whole or not at all)."""
    text = json.dumps(info, indent=2, ensure_ascii=False) + "\n"
    atomic_write_bytes(Path(run_dir) / RUN_INFO, text.encode("utf-8"))


def set_run_info(
    run_dir: str | os.PathLike[str], *, name: str | None = None, note: str | None = None
) -> dict[str, Any]:
    """Rename a run and/or change its note; returns the new run-info.

    The folder itself keeps its name (other tools may refer to it); only the display name changes.
    """
    run = Path(run_dir)
    if not (run / "project.json").is_file() and not (run / RUN_INFO).is_file():
        raise RunError(tr("{run} is not a run folder", run=run))
    info = read_run_info(run)
    if name is not None:
        name = " ".join(name.split())
        if not name:
            raise RunError(
                tr("a run's name cannot be empty; type a name or press Escape to keep the old one")
            )
        info["name"] = name[:120]
    if note is not None:
        info["note"] = str(note)
    write_run_info(run, info)
    return info


def display_name(run_dir: str | os.PathLike[str]) -> str:
    """The run's readable name: its run-info name, else one made from the folder's time stamp."""
    name = read_run_info(run_dir).get("name")
    if isinstance(name, str) and name.strip():
        return name
    return _stamp_label(Path(run_dir).name)


_STAMPED = re.compile(r"^(.*?)-?(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})(?:-(\d+))?$")


def _stamp_label(folder: str) -> str:
    match = _STAMPED.match(folder)
    if not match:
        return folder
    stem, y, mo, d, h, mi, sec, n = match.groups()
    label = f"{y}-{mo}-{d} {h}:{mi}:{sec}" + (f" #{n}" if n else "")
    return f"{stem} {label}".strip()


# --------------------------------------------------------------------------- moving and importing


def transfer_runs(
    source: str | os.PathLike[str],
    target: str | os.PathLike[str],
    *,
    copy: bool = False,
    skip: set[Path] | None = None,
) -> list[Path]:
    """Move (or copy) every run folder from ``source`` into ``target``; returns the new folders.

    A name already taken in ``target`` gets ``-2``, ``-3``...; folders in ``skip`` (a run still
    training) stay. A folder that fails to move is logged and left where it was.
    """
    src, dst = Path(source), Path(target)
    if not src.is_dir() or src.resolve() == dst.resolve():
        return []
    skipped = {p.resolve() for p in (skip or set())}
    moved: list[Path] = []
    for child in sorted(src.iterdir()):
        if not child.is_dir() or not (child / "project.json").is_file() or child.resolve() in skipped:
            continue
        try:
            moved.append(place_run(child, dst, copy))
        except OSError as exc:
            log.warning("could not %s %s to %s: %s", "copy" if copy else "move", child, dst, exc)
    return moved


def place_run(run: Path, target_dir: Path, copy: bool) -> Path:
    """Move (or copy) one run folder into ``target_dir``, renaming it ``-2``... when the name is taken."""
    target_dir.mkdir(parents=True, exist_ok=True)
    dest = target_dir / run.name
    n = 2
    while dest.exists():
        dest = target_dir / f"{run.name}-{n}"
        n += 1
    if copy:
        shutil.copytree(run, dest)
    else:
        shutil.move(str(run), str(dest))
    return dest


def network_mismatch(run_project: Project, project: Project) -> str | None:
    """Why a run's network does not fit ``project`` (None when it fits).

    It fits when the model section and the input (channels, image size) are the same: the
    run's weights then load into the project's network.
    """
    if run_project.input_shape != project.input_shape:
        have = "x".join(map(str, run_project.input_shape))
        want = "x".join(map(str, project.input_shape))
        return tr("the run was trained on {have} inputs but this project uses {want}", have=have, want=want)
    a, b = run_project.to_dict().get("model"), project.to_dict().get("model")
    if a != b:
        if (a or {}).get("kind") != (b or {}).get("kind"):
            return tr(
                "the run's model is a {have} network but this project's is {want}",
                have=(a or {}).get("kind"),
                want=(b or {}).get("kind"),
            )
        la, lb = (a or {}).get("layers") or [], (b or {}).get("layers") or []
        if la or lb:
            if len(la) != len(lb):
                return tr(
                    "the run's network has {have} layers but this project's has {want}",
                    have=len(la),
                    want=len(lb),
                )
            for i, (x, y) in enumerate(zip(la, lb, strict=True)):
                if x != y:
                    return tr(
                        "layer {i} differs: the run has {have} {have_args}, this project {want} {want_args}",
                        i=i,
                        have=x.get("type"),
                        have_args=_args(x),
                        want=y.get("type"),
                        want_args=_args(y),
                    )
        return tr("the run's network differs from this project's")
    return None


def _args(layer: dict[str, Any]) -> str:
    return "(" + ", ".join(f"{k}={v}" for k, v in layer.items() if k != "type") + ")"


def import_run(
    run_dir: str | os.PathLike[str], project: Project, runs_dir: str | os.PathLike[str], *, move: bool = False
) -> Path:
    """Attach an existing run folder to ``project``: copy (or move) it into ``runs_dir``.

    Refused with a :class:`RunError` naming the cause when the folder is not a run or its
    network does not fit the project's. A folder already inside ``runs_dir`` is returned as is.
    """
    run = Path(run_dir)
    info = read_run(run)  # RunError when it is not a run folder
    if info.project is None:
        raise RunError(tr("{run} has no readable project.json", run=run))
    why = network_mismatch(info.project, project)
    if why:
        raise RunError(
            tr(
                "{run_name} cannot be attached to “{project_name}”: {why}. Open the project it was trained with, or fork a new run from it there",
                run_name=run.name,
                project_name=project.name,
                why=why,
            )
        )
    target = Path(runs_dir)
    if run.resolve().parent == target.resolve():
        return run
    placed = place_run(run, target, copy=not move)
    if not read_run_info(placed).get("name"):
        write_run_info(placed, {**read_run_info(placed), "name": display_name(placed), "note": ""})
    return placed


@dataclass(frozen=True)
class LegacyRun:
    """A run of the older layout that fits a project."""

    path: Path
    project_path: Path


def legacy_runs(project_path: str | os.PathLike[str], project: Project) -> list[LegacyRun]:
    """Runs of the older layout that belong to the project saved at ``project_path``.

    A run belongs when it carries the project's name and its network fits; runs already
    imported (the same folder name in the project's runs folder) are left out.
    """
    own = project_runs_dir(project_path)
    found: list[LegacyRun] = []
    for base in legacy_runs_dirs(project_path):
        for child in sorted(base.iterdir()):
            if not (child / "project.json").is_file() or _same_run(child, own / child.name):
                continue
            try:
                info = read_run(child)
            except RunError:
                continue
            if info.project is None or info.project.name != project.name:
                continue
            if network_mismatch(info.project, project) is None:
                found.append(LegacyRun(child, Path(project_path)))
    return found


def _same_run(a: Path, b: Path) -> bool:
    """``b`` is a copy of the run ``a`` (same project and metrics files)."""
    try:
        return all((a / f).read_bytes() == (b / f).read_bytes() for f in ("project.json", "metrics.jsonl"))
    except OSError:
        return False


# --------------------------------------------------------------------------- settings diff


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(_flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return out or ({prefix: {}} if prefix else {})
    return {prefix: value}


def settings_diff(run_project: Project, project: Project) -> dict[str, tuple[Any, Any]]:
    """The training (and augmentation) settings where a run differs from the project now.

    ``{"training.optimizer.lr": (run's value, project's value)}``; a key missing on one side
    has ``None`` there.
    """

    def flat(p: Project) -> dict[str, Any]:
        raw = p.to_dict()
        return {
            **_flatten(raw.get("training") or {}, "training"),
            **_flatten((raw.get("data") or {}).get("augment") or {}, "data.augment"),
        }

    a, b = flat(run_project), flat(project)
    return {key: (a.get(key), b.get(key)) for key in sorted(set(a) | set(b)) if a.get(key) != b.get(key)}
