"""The open project as an evented, undoable document — the GUI's single source of truth.

Every edit a user can make is a method here that returns an :class:`Edit` (a pair of
do/undo closures with a label). :meth:`ProjectDocument.apply` performs it and records it on
the document's own undo history; the GUI wraps the same Edit objects in ``QUndoCommand``s
(see ``studio/gui/common/undo.py``) so that Qt's undo stack, menus and shortcuts drive it. Views
never keep a second copy of the project: they listen to the events below and read
``document.project``.

Events (all :class:`~studio.core.base.events.Event`):

* ``layers_inserted(index, count)``, ``layers_removed(index, count)``,
  ``layer_moved(src, dst)``, ``layer_changed(index)`` — the stack, fine-grained for item models;
  each of the first three is preceded by ``layers_inserting(index, count)``,
  ``layers_removing(index, count)`` or ``layer_moving(src, dst)`` emitted *before* the list
  changes, so that a Qt item model can call ``beginInsertRows``/``beginRemoveRows``/
  ``beginMoveRows`` at the right moment (napari's ``inserting``/``inserted`` pair);
* ``changed(section)`` — after any edit; ``section`` is ``"layers"``, ``"model"``, ``"data"``,
  ``"training"``, ``"name"`` or ``"all"`` (a whole project replaced);
* ``dirty_changed(bool)``, ``path_changed(path)``.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.core.base.errors import ProjectError
from studio.core.base.events import Event
from studio.core.base.files import atomic_write_bytes, json_text
from studio.core.base.i18n import tr
from studio.core.model.blocks import REGISTRY, default_layer, validate_layer
from studio.core.model.shapes import ShapeError, Summary, analyze
from studio.core.project.checks import FIX_OUT_FEATURES, FIX_UNFREEZE, Problem, class_count_problem
from studio.core.project.project_file import (
    Project,
    _parse_data,
    _parse_model,
    _parse_training,
    load_project,
    save_project,
)
from studio.core.project.scale import ScaleResult, Scaling, scale_project

RECOVERY_KEY = "recovery_of"
#: names that mean "not named yet": saving takes the file's name instead
UNNAMED = ("", "Untitled")

# how the GUI names a section key in undo texts ("Undo change epochs"); others: the key, in words
_FIELD_WORDS = {
    ("data", "root"): "dataset folder",
    ("data", "val"): "validation split",
    ("data", "image_size"): "image size",
    ("data", "limit_per_class"): "images per class",
    ("data", "download"): "download setting",
    ("model", "freeze"): "backbone freezing",
    ("model", "unfreeze_from"): "train from",
    ("model", "backbone_lr_mult"): "backbone learning rate",
    ("training", "lr"): "learning rate",
    ("training", "batch_size"): "batch size",
    ("training", "optimizer"): "optimizer",
    ("training", "scheduler"): "schedule",
}


def field_words(section: str, key: str) -> str:
    """``("training", "epochs")`` -> ``"epochs"``; ``("data", "root")`` -> ``"dataset folder"``."""
    return _FIELD_WORDS.get(
        (section, key), key.replace("_", " ")
    )  # the original file's path, stored inside a recovery copy


REMOVE = object()  # set_field(section, key, REMOVE) deletes the key (its default applies)


@dataclass
class Edit:
    """One undoable change: ``redo()`` applies it, ``undo()`` reverts it."""

    text: str
    redo: Callable[[], None]
    undo: Callable[[], None]


class ProjectDocument:
    """An open project: the project, its file, dirty state, events and undo history."""

    def __init__(self, project: Project | None = None, path: str | os.PathLike[str] | None = None) -> None:
        self.project = project if project is not None else Project()
        self.path: Path | None = Path(path) if path else None
        self.layers_inserting = Event()
        self.layers_inserted = Event()
        self.layers_removing = Event()
        self.layers_removed = Event()
        self.layer_moving = Event()
        self.layer_moved = Event()
        self.layer_changed = Event()
        self.changed = Event()
        self.dirty_changed = Event()
        self.path_changed = Event()
        self._version = 0
        self._saved_version = 0
        self._summary: Summary | None = None
        self.history: list[Edit] = []
        self.future: list[Edit] = []
        self._recovery: Path | None = None

    # ------------------------------------------------------------------ files

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> ProjectDocument:
        """Load a project file (raises :class:`ProjectError` naming the problem)."""
        return cls(load_project(path), path)

    def reset(
        self, project: Project, path: str | os.PathLike[str] | None = None, dirty: bool = False
    ) -> None:
        """Replace the whole project and its file (open, new from template, restore).

        Not undoable: the history is cleared. Emits ``changed("all")``, ``path_changed`` and
        ``dirty_changed``. ``dirty=True`` marks the new content unsaved (a restored recovery
        copy).
        """
        self.project = copy.deepcopy(project)
        self.path = Path(path) if path else None
        self.history.clear()
        self.future.clear()
        self._recovery = None
        self._version += 1
        self._saved_version = -1 if dirty else self._version
        self._summary = None
        self.changed.emit("all")
        self.path_changed.emit(self.path)
        self.dirty_changed.emit(self.dirty)

    def save(self, path: str | os.PathLike[str] | None = None) -> Path:
        """Save atomically to ``path`` (or the current file); clears the dirty flag."""
        target = Path(path) if path else self.path
        if target is None:
            raise ProjectError("", tr("this project has no file yet; choose where to save it"))
        if self.project.name.strip() in UNNAMED and target.stem:
            self.project.name = target.stem  # an unnamed project takes its file's name
            self.changed.emit("name")
        save_project(self.project, target)
        if target != self.path:
            self.path = target
            self.path_changed.emit(target)
        self._saved_version = self._version
        self.dirty_changed.emit(False)
        self.discard_recovery()
        return target

    @property
    def dirty(self) -> bool:
        """True while there are changes not yet saved."""
        return self._version != self._saved_version

    def mark_clean(self) -> None:
        """Declare the content equal to the saved file again (undo walked back to the save point)."""
        if self.dirty:
            self._saved_version = self._version
            self.dirty_changed.emit(False)

    @property
    def title(self) -> str:
        """The window title: project name, file name and ``*`` when unsaved."""
        name = self.project.name or "Untitled"
        file = f" — {self.path.name}" if self.path else ""
        return f"{name}{file}{' *' if self.dirty else ''}"

    def recovery_path(self, folder: str | os.PathLike[str]) -> Path:
        """Where the autosaved recovery copy of this document lives inside ``folder``."""
        stem = self.path.stem if self.path else "untitled"
        # a stable tag (``hash()`` of a str changes with every interpreter run)
        tag = (
            int(hashlib.sha1(str(self.path.resolve()).encode("utf-8")).hexdigest(), 16) % 10**8
            if self.path
            else 0
        )
        return Path(folder) / f"{stem}-{tag:08d}.recovery.json"

    def autosave(self, folder: str | os.PathLike[str]) -> Path | None:
        """Write a recovery copy when dirty; returns its path (None when nothing to save).

        The copy is a project file that also records the original file's path under
        :data:`RECOVERY_KEY`; :func:`find_recoveries` lists them and
        :meth:`restore_recovery` opens one.
        """
        if not self.dirty:
            return None
        target = self.recovery_path(folder)
        raw = self.project.to_dict()
        raw[RECOVERY_KEY] = str(self.path) if self.path else None
        atomic_write_bytes(target, (json_text(raw, indent=2) + "\n").encode("utf-8"))
        self._recovery = target
        return target

    def restore_recovery(self, recovery: str | os.PathLike[str]) -> None:
        """Open a recovery copy as unsaved changes to its original file (see :meth:`autosave`).

        Saving afterwards writes the original file and removes the recovery copy.
        """
        project = load_project(recovery)
        origin = project.extra.pop(RECOVERY_KEY, None)
        self.reset(project, origin if isinstance(origin, str) and origin else None, dirty=True)
        self._recovery = Path(recovery)

    def discard_recovery(self) -> None:
        """Remove the last recovery copy after a real save."""
        target = getattr(self, "_recovery", None)
        if target is not None:
            try:
                Path(target).unlink()
            except OSError:
                pass
            self._recovery = None

    # ------------------------------------------------------------------ summary

    def summary(self) -> Summary:
        """The stack's shape summary (cached until the next edit)."""
        if self._summary is None:
            self._summary = analyze(self.project.model.layers, self.project.input_shape)
        return self._summary

    def blocking_error(self) -> ShapeError | None:
        """The first invalid layer of a stack model (what blocks training), else None."""
        if self.project.model.kind != "stack":
            return None
        error = self.summary().error
        if error is None and not self.layers:
            return ShapeError(0, "stack", tr("the stack is empty; add layers from the palette"))
        return error

    # ------------------------------------------------------------------ history

    def apply(self, edit: Edit) -> Edit:
        """Perform ``edit`` and push it on the document's own history."""
        edit.redo()
        self.history.append(edit)
        self.future.clear()
        return edit

    def undo(self) -> bool:
        """Revert the last applied edit; False when there is none."""
        if not self.history:
            return False
        edit = self.history.pop()
        edit.undo()
        self.future.append(edit)
        return True

    def redo(self) -> bool:
        """Re-apply the last undone edit; False when there is none."""
        if not self.future:
            return False
        edit = self.future.pop()
        edit.redo()
        self.history.append(edit)
        return True

    def _touch(self, section: str) -> None:
        was_dirty = self.dirty
        self._version += 1
        self._summary = None
        self.changed.emit(section)
        if not was_dirty:
            self.dirty_changed.emit(True)

    # ------------------------------------------------------------------ layer edits

    @property
    def layers(self) -> list[dict[str, Any]]:
        """The live stack (read it; change it only through the edit methods)."""
        return self.project.model.layers

    def insert_layers(self, index: int, layers: list[dict[str, Any]]) -> Edit:
        """An Edit inserting validated ``layers`` at ``index``."""
        new = [copy.deepcopy(validate_layer(layer, f"layer {index + i}")) for i, layer in enumerate(layers)]
        index = max(0, min(index, len(self.layers)))

        def redo() -> None:
            self.layers_inserting.emit(index, len(new))
            self.layers[index:index] = copy.deepcopy(new)
            self.layers_inserted.emit(index, len(new))
            self._touch("layers")

        def undo() -> None:
            self.layers_removing.emit(index, len(new))
            del self.layers[index : index + len(new)]
            self.layers_removed.emit(index, len(new))
            self._touch("layers")

        name = new[0]["type"] if len(new) == 1 else f"{len(new)} layers"
        return Edit(f"Add {name}", redo, undo)

    def add_layer(self, type_name: str, index: int | None = None) -> Edit:
        """An Edit adding a new ``type_name`` layer with default arguments."""
        if type_name not in REGISTRY:
            raise ProjectError("type", tr("unknown layer type {type_name!r}", type_name=type_name))
        return self.insert_layers(len(self.layers) if index is None else index, [default_layer(type_name)])

    def remove_layers(self, indices: list[int]) -> Edit:
        """An Edit removing the layers at ``indices`` (any order, duplicates ignored)."""
        rows = sorted(set(i for i in indices if 0 <= i < len(self.layers)))
        saved = [(i, copy.deepcopy(self.layers[i])) for i in rows]

        def redo() -> None:
            for i, _ in reversed(saved):
                self.layers_removing.emit(i, 1)
                del self.layers[i]
                self.layers_removed.emit(i, 1)
            self._touch("layers")

        def undo() -> None:
            for i, layer in saved:
                self.layers_inserting.emit(i, 1)
                self.layers.insert(i, copy.deepcopy(layer))
                self.layers_inserted.emit(i, 1)
            self._touch("layers")

        return Edit(f"Delete {len(saved)} layer{'s' if len(saved) != 1 else ''}", redo, undo)

    def duplicate_layers(self, indices: list[int]) -> Edit:
        """An Edit inserting copies of the selected layers right after the last of them."""
        rows = sorted(set(i for i in indices if 0 <= i < len(self.layers)))
        copies = [copy.deepcopy(self.layers[i]) for i in rows]
        edit = self.insert_layers((rows[-1] + 1) if rows else len(self.layers), copies)
        edit.text = f"Duplicate {len(copies)} layer{'s' if len(copies) != 1 else ''}"
        return edit

    def move_layer(self, src: int, dst: int) -> Edit:
        """An Edit moving one layer so that it ends up at index ``dst``."""
        n = len(self.layers)
        if not (0 <= src < n and 0 <= dst < n):
            raise IndexError(f"cannot move layer {src} to {dst} in a stack of {n}")

        def do_move(a: int, b: int) -> None:
            self._move(a, b)
            self._touch("layers")

        return Edit(f"Move {self.layers[src]['type']}", lambda: do_move(src, dst), lambda: do_move(dst, src))

    def _move(self, a: int, b: int) -> None:
        self.layer_moving.emit(a, b)
        layer = self.layers.pop(a)
        self.layers.insert(b, layer)
        self.layer_moved.emit(a, b)

    def move_layers(self, rows: list[int], before: int) -> Edit:
        """An Edit moving the layers at ``rows`` (kept in order) to just before row ``before``.

        ``before`` counts in the stack as it is now (``len(layers)`` means the end), which is
        what a drop between two rows of a list view reports. Done as single moves so that
        item models see ``layer_moved`` events; one undo step.
        """
        n = len(self.layers)
        picked = sorted(set(r for r in rows if 0 <= r < n))
        before = max(0, min(before, n))
        order = list(range(n))
        rest = [i for i in order if i not in picked]
        cut = sum(1 for i in rest if i < before)
        final = rest[:cut] + picked + rest[cut:]
        moves = _moves_to(order, final)
        noun = self.layers[picked[0]]["type"] if len(picked) == 1 else f"{len(picked)} layers"

        def redo() -> None:
            for a, b in moves:
                self._move(a, b)
            self._touch("layers")

        def undo() -> None:
            for a, b in reversed(moves):
                self._move(b, a)
            self._touch("layers")

        return Edit(f"Move {noun}", redo, undo)

    def set_layer_arg(self, index: int, key: str, value: Any) -> Edit:
        """An Edit setting one argument; ``value=None`` on a non-optional arg removes the key.

        Raises :class:`ProjectError` for a value the registry does not allow, before
        anything changes.
        """
        layer = self.layers[index]
        block = REGISTRY[layer["type"]]
        arg = block.arg(key)
        remove = value is None and arg.kind != "optional_size"
        if not remove:
            arg.validate(value, f"layer {index} ({layer['type']}).{key}")
        had, old = key in layer, copy.deepcopy(layer.get(key))

        def put(present: bool, v: Any) -> None:
            if present:
                self.layers[index][key] = copy.deepcopy(v)
            else:
                self.layers[index].pop(key, None)
            self.layer_changed.emit(index)
            self._touch("layers")

        return Edit(f"Set {layer['type']} {key}", lambda: put(not remove, value), lambda: put(had, old))

    # ------------------------------------------------------------------ section edits

    def set_model_kind(self, kind: str) -> Edit:
        """An Edit switching between ``"stack"`` and ``"pretrained"``.

        The stack's layers stay in memory while a pretrained model is chosen (they are not
        written to the file), so switching back restores them. Pretrained torchvision models
        take RGB input, so switching to one also sets ``data.channels`` to 3.
        """
        if kind not in ("stack", "pretrained"):
            raise ProjectError("model.kind", tr('must be "stack" or "pretrained", got {kind!r}', kind=kind))
        old_model = copy.deepcopy(self.project.model)
        old_channels = self.project.data.channels
        new_channels = 3 if kind == "pretrained" else old_channels

        def put(k: str, model: Any, channels: int) -> None:
            self.project.model = copy.deepcopy(model)
            self.project.model.kind = k
            if channels != self.project.data.channels:
                self.project.data.channels = channels
                self._touch("data")
            self._touch("model")

        label = "pretrained model" if kind == "pretrained" else "stack of blocks"
        return Edit(
            f"Use a {label}",
            lambda: put(kind, old_model, new_channels),
            lambda: put(old_model.kind, old_model, old_channels),
        )

    def set_section(self, section: str, raw: dict[str, Any]) -> Edit:
        """An Edit replacing ``data``, ``training`` or ``model`` with a validated dict."""
        parsers: dict[str, Callable[[Any], Any]] = {
            "data": _parse_data,
            "training": _parse_training,
            "model": _parse_model,
        }
        parse = parsers[section]
        new = parse(copy.deepcopy(raw))
        old = copy.deepcopy(getattr(self.project, section))
        if section == "model" and new.kind == "pretrained" and not new.layers:
            new.layers = copy.deepcopy(old.layers)  # keep the hidden stack (see set_model_kind)

        def put(value: Any) -> None:
            setattr(self.project, section, copy.deepcopy(value))
            self._touch(section)

        return Edit(f"Change {section} settings", lambda: put(new), lambda: put(old))

    def set_data(self, raw: dict[str, Any], text: str = "Change data settings") -> Edit:
        """An Edit replacing ``data`` whose stack head follows the new dataset's classes.

        A pretrained head is sized for the dataset when it is built; a stack's last
        ``out_features`` is the user's, so when the new data (a folder with 5 class folders,
        CIFAR-100...) has another class count than the stack gives, it is set to match in the
        same edit (one undo step). An unknown count (an empty folder) changes nothing.
        """
        data_edit = self.set_section("data", raw)
        data_edit.text = text
        trial = copy.deepcopy(self.project)
        trial.data = _parse_data(copy.deepcopy(raw))
        problem = class_count_problem(trial)
        if problem is None or problem.fix != FIX_OUT_FEATURES or problem.layer is None:
            return data_edit
        index, old = problem.layer, copy.deepcopy(self.layers[problem.layer].get("out_features"))
        new = problem.value

        def put(value: Any) -> None:
            self.layers[index]["out_features"] = value
            self.layer_changed.emit(index)
            self._touch("layers")

        def redo() -> None:
            data_edit.redo()
            put(new)

        def undo() -> None:
            put(old)
            data_edit.undo()

        return Edit(f"{text} (out_features {old} → {new})", redo, undo)

    def set_field(self, section: str, key: str, value: Any) -> Edit:
        """An Edit changing one key of a section (``set_field("training", "epochs", 5)``).

        ``value=None`` is a real value in ``model`` and ``training`` (``"weights": null``
        trains from scratch, ``"scheduler": null`` means none); in ``data``, where no key
        takes null, it removes the key so that its default applies. :data:`REMOVE` removes
        the key in any section.
        """
        raw = self.project.to_dict()[section]
        if value is REMOVE or (value is None and section == "data"):
            raw.pop(key, None)
        else:
            raw[key] = value
        edit = self.set_section(section, raw)
        edit.text = f"Change {field_words(section, key)}"
        return edit

    def set_output_classes(self, num_classes: int) -> Edit:
        """One Edit giving the stack's last ``out_features`` layer ``num_classes`` outputs."""
        sized = [i for i, layer in enumerate(self.layers) if "out_features" in layer]
        if self.project.model.kind != "stack" or not sized:
            raise ProjectError("model.layers", tr("the network has no layer with out_features to set"))
        edit = self.set_layer_arg(sized[-1], "out_features", int(num_classes))
        edit.text = f"Set out_features to {int(num_classes)}"
        return edit

    def fix_problem(self, problem: Problem) -> Edit:
        """The one-click fix of a :class:`~studio.core.project.checks.Problem`, as one Edit."""
        if problem.fix == FIX_OUT_FEATURES and problem.value is not None:
            return self.set_output_classes(problem.value)
        if problem.fix == FIX_UNFREEZE:
            edit = self.set_field("model", "freeze", "none")
            edit.text = "Train every layer"
            return edit
        raise ValueError(f"no fix for {problem}")

    def set_name(self, name: str) -> Edit:
        """An Edit renaming the project."""
        old = self.project.name

        def put(value: str) -> None:
            self.project.name = value
            self._touch("name")

        return Edit("Rename project", lambda: put(name), lambda: put(old))

    def scale_network(self, scaling: Scaling) -> tuple[Edit, ScaleResult]:
        """An Edit applying compound scaling (layers and image size, one undo step).

        Raises :class:`~studio.core.project.scale.ScaleError` before anything changes when the
        project cannot be scaled.
        """
        scaled, result = scale_project(self.project, scaling)
        edit = self.replace_project(scaled)
        edit.text = f"Scale network ({scaling.label()})"
        return edit, result

    def replace_project(self, project: Project) -> Edit:
        """An Edit swapping in a whole project (a template, say)."""
        old = copy.deepcopy(self.project)
        new = copy.deepcopy(project)

        def put(value: Project) -> None:
            self.project = copy.deepcopy(value)
            self._touch("all")

        return Edit("Replace project", lambda: put(new), lambda: put(old))


def _moves_to(order: list[int], final: list[int]) -> list[tuple[int, int]]:
    """Single ``(src, dst)`` moves turning ``order`` into ``final``: the shorter of two greedy passes."""

    def forward() -> list[tuple[int, int]]:
        cur, moves = list(order), []
        for i, item in enumerate(final):
            j = cur.index(item)
            if j != i:
                cur.insert(i, cur.pop(j))
                moves.append((j, i))
        return moves

    def backward() -> list[tuple[int, int]]:
        cur, moves = list(order), []
        for i in range(len(final) - 1, -1, -1):
            j = cur.index(final[i])
            if j != i:
                cur.insert(i, cur.pop(j))
                moves.append((j, i))
        return moves

    a, b = forward(), backward()
    return a if len(a) <= len(b) else b


def find_recoveries(folder: str | os.PathLike[str]) -> list[Path]:
    """Recovery copies left in ``folder`` by :meth:`ProjectDocument.autosave`, newest first."""
    root = Path(folder)
    if not root.is_dir():
        return []
    found = [p for p in root.glob("*.recovery.json") if p.is_file()]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def recovery_origin(recovery: str | os.PathLike[str]) -> str | None:
    """The original file a recovery copy belongs to (None for an untitled project or a bad file)."""
    try:
        raw = json.loads(Path(recovery).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    origin = raw.get(RECOVERY_KEY) if isinstance(raw, dict) else None
    return origin if isinstance(origin, str) and origin else None
