"""The open project as an evented, undoable document — the GUI's single source of truth.

Every edit a user can make is a method here that returns an :class:`Edit` (a pair of
do/undo closures with a label). :meth:`ProjectDocument.apply` performs it and records it on
the document's own undo history; the GUI wraps the same Edit objects in ``QUndoCommand``s
(see ``studio/gui/undo.py``) so that Qt's undo stack, menus and shortcuts drive it. Views
never keep a second copy of the project: they listen to the events below and read
``document.project``.

Events (all :class:`~studio.core.events.Event`):

* ``layers_inserted(index, count)``, ``layers_removed(index, count)``,
  ``layer_moved(src, dst)``, ``layer_changed(index)`` — the stack, fine-grained for item models;
* ``changed(section)`` — after any edit; ``section`` is ``"layers"``, ``"model"``, ``"data"``,
  ``"training"``, ``"name"`` or ``"all"`` (a whole project replaced);
* ``dirty_changed(bool)``, ``path_changed(path)``.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.core.blocks import REGISTRY, default_layer, validate_layer
from studio.core.events import Event
from studio.core.project import (
    Project,
    ProjectError,
    _parse_data,
    _parse_model,
    _parse_training,
    load_project,
    save_project,
)
from studio.core.shapes import Summary, analyze


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
        self.layers_inserted = Event()
        self.layers_removed = Event()
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

    # ------------------------------------------------------------------ files

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> ProjectDocument:
        """Load a project file (raises :class:`ProjectError` naming the problem)."""
        return cls(load_project(path), path)

    def save(self, path: str | os.PathLike[str] | None = None) -> Path:
        """Save atomically to ``path`` (or the current file); clears the dirty flag."""
        target = Path(path) if path else self.path
        if target is None:
            raise ProjectError("", "this project has no file yet; choose where to save it")
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

    @property
    def title(self) -> str:
        """The window title: project name, file name and ``*`` when unsaved."""
        name = self.project.name or "Untitled"
        file = f" — {self.path.name}" if self.path else ""
        return f"{name}{file}{' *' if self.dirty else ''}"

    def recovery_path(self, folder: str | os.PathLike[str]) -> Path:
        """Where the autosaved recovery copy of this document lives inside ``folder``."""
        stem = self.path.stem if self.path else "untitled"
        tag = abs(hash(str(self.path.resolve()))) % 10**8 if self.path else 0
        return Path(folder) / f"{stem}-{tag:08d}.recovery.json"

    def autosave(self, folder: str | os.PathLike[str]) -> Path | None:
        """Write a recovery copy when dirty; returns its path (None when nothing to save)."""
        if not self.dirty:
            return None
        target = self.recovery_path(folder)
        save_project(self.project, target)
        self._recovery = target
        return target

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
            self.layers[index:index] = copy.deepcopy(new)
            self.layers_inserted.emit(index, len(new))
            self._touch("layers")

        def undo() -> None:
            del self.layers[index:index + len(new)]
            self.layers_removed.emit(index, len(new))
            self._touch("layers")

        name = new[0]["type"] if len(new) == 1 else f"{len(new)} layers"
        return Edit(f"Add {name}", redo, undo)

    def add_layer(self, type_name: str, index: int | None = None) -> Edit:
        """An Edit adding a new ``type_name`` layer with default arguments."""
        if type_name not in REGISTRY:
            raise ProjectError("type", f"unknown layer type {type_name!r}")
        return self.insert_layers(len(self.layers) if index is None else index, [default_layer(type_name)])

    def remove_layers(self, indices: list[int]) -> Edit:
        """An Edit removing the layers at ``indices`` (any order, duplicates ignored)."""
        rows = sorted(set(i for i in indices if 0 <= i < len(self.layers)))
        saved = [(i, copy.deepcopy(self.layers[i])) for i in rows]

        def redo() -> None:
            for i, _ in reversed(saved):
                del self.layers[i]
                self.layers_removed.emit(i, 1)
            self._touch("layers")

        def undo() -> None:
            for i, layer in saved:
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
            layer = self.layers.pop(a)
            self.layers.insert(b, layer)
            self.layer_moved.emit(a, b)
            self._touch("layers")

        return Edit(f"Move {self.layers[src]['type']}", lambda: do_move(src, dst), lambda: do_move(dst, src))

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

    def set_section(self, section: str, raw: dict[str, Any]) -> Edit:
        """An Edit replacing ``data``, ``training`` or ``model`` with a validated dict."""
        parse = {"data": _parse_data, "training": _parse_training, "model": _parse_model}[section]
        new = parse(copy.deepcopy(raw))
        old = copy.deepcopy(getattr(self.project, section))

        def put(value: Any) -> None:
            setattr(self.project, section, copy.deepcopy(value))
            self._touch(section)

        return Edit(f"Change {section} settings", lambda: put(new), lambda: put(old))

    def set_field(self, section: str, key: str, value: Any) -> Edit:
        """An Edit changing one key of a section (``set_field("training", "epochs", 5)``)."""
        raw = self.project.to_dict()[section]
        if value is None and section != "training":
            raw.pop(key, None)
        else:
            raw[key] = value
        edit = self.set_section(section, raw)
        edit.text = f"Set {section}.{key}"
        return edit

    def set_name(self, name: str) -> Edit:
        """An Edit renaming the project."""
        old = self.project.name

        def put(value: str) -> None:
            self.project.name = value
            self._touch("name")

        return Edit("Rename project", lambda: put(name), lambda: put(old))

    def replace_project(self, project: Project) -> Edit:
        """An Edit swapping in a whole project (a template, say)."""
        old = copy.deepcopy(self.project)
        new = copy.deepcopy(project)

        def put(value: Project) -> None:
            self.project = copy.deepcopy(value)
            self._touch("all")

        return Edit("Replace project", lambda: put(new), lambda: put(old))
