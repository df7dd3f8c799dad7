"""Project files from the window: new, open, save, save as, recent files, "save changes?".

Every step is a core call (:meth:`ProjectDocument.save`, :func:`load_project`,
:func:`get_template`); this class adds the dialogs and remembers recent files in
``QSettings``. Dialogs are Qt's static functions so tests can monkeypatch them.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox

from studio.core.base.errors import UserError
from studio.core.project.project_file import Project, load_project
from studio.core.project.templates import get_template
from studio.gui.context import StudioContext

PROJECT_FILTER = "CNN Studio projects (*.json);;All files (*)"
RECENT_KEY = "recentFiles"
MAX_RECENT = 10


class ProjectFiles(QObject):
    """File operations for one window."""

    recentChanged = Signal()

    def __init__(self, context: StudioContext) -> None:
        super().__init__(context)
        self.ctx = context

    # ------------------------------------------------------------------ recent files

    def recent_files(self) -> list[str]:
        """Recently opened or saved project files, newest first."""
        value = self.ctx.settings.value(RECENT_KEY, [])
        if isinstance(value, str):
            value = [value] if value else []
        return [str(v) for v in (value or [])]

    def add_recent(self, path: str | os.PathLike[str]) -> None:
        """Put ``path`` at the top of the recent files."""
        text = str(Path(path).resolve())
        files = [text] + [f for f in self.recent_files() if f != text]
        self.ctx.settings.setValue(RECENT_KEY, files[:MAX_RECENT])
        self.recentChanged.emit()

    def forget_recent(self, path: str) -> None:
        """Drop ``path`` from the recent files (it went missing)."""
        self.ctx.settings.setValue(RECENT_KEY, [f for f in self.recent_files() if f != path])
        self.recentChanged.emit()

    def clear_recent(self) -> None:
        """Forget all recent files."""
        self.ctx.settings.setValue(RECENT_KEY, [])
        self.recentChanged.emit()

    # ------------------------------------------------------------------ opening

    def maybe_save(self) -> bool:
        """Ask to save unsaved changes; False when the user cancels (or saving fails)."""
        doc = self.ctx.document
        if not doc.dirty:
            return True
        answer = QMessageBox.question(
            self.ctx.window, "Unsaved changes",
            f"Save the changes to “{doc.project.name or 'Untitled'}” before closing it?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            doc.discard_recovery()
            return True
        return False

    def open_path(self, path: str | os.PathLike[str], ask: bool = True) -> bool:
        """Open ``path`` in this window; errors are shown, not raised."""
        if ask and not self.maybe_save():
            return False
        try:
            project = load_project(path)
        except UserError as exc:
            self.ctx.show_error("Cannot open project", str(exc))
            return False
        self.ctx.replace_project(project, Path(path))
        self.add_recent(path)
        self.ctx.show_status(f"Opened {path}")
        return True

    def open_dialog(self) -> bool:
        """File > Open...: choose a project file and open it."""
        if not self.maybe_save():
            return False
        start = str(self.ctx.document.path.parent) if self.ctx.document.path else str(Path.home())
        path, _ = QFileDialog.getOpenFileName(self.ctx.window, "Open project", start, PROJECT_FILTER)
        return bool(path) and self.open_path(path, ask=False)

    def new_from_template(self, name: str | None, ask: bool = True) -> bool:
        """Start a new, unsaved project from a template (``None``: an empty stack)."""
        if ask and not self.maybe_save():
            return False
        project = get_template(name).project() if name else Project(name="Untitled")
        self.ctx.replace_project(project, None)
        self.ctx.show_status(f"New project: {project.name}")
        return True

    # ------------------------------------------------------------------ saving

    def save(self) -> bool:
        """File > Save (asks for a file the first time); False if cancelled or failed."""
        if self.ctx.document.path is None:
            return self.save_as()
        return self._save_to(self.ctx.document.path)

    def save_as(self) -> bool:
        """File > Save As...: choose a file and save there."""
        doc = self.ctx.document
        if doc.path is not None:
            suggested = str(doc.path)
        else:
            safe = "".join(c if c.isalnum() or c in " -_" else "_" for c in doc.project.name).strip() or "project"
            suggested = str(Path.home() / f"{safe}.json")
        path, _ = QFileDialog.getSaveFileName(self.ctx.window, "Save project as", suggested, PROJECT_FILTER)
        if not path:
            return False
        target = Path(path)
        if not target.suffix:
            target = target.with_suffix(".json")
        return self._save_to(target)

    def _save_to(self, target: Path) -> bool:
        try:
            saved = self.ctx.document.save(target)
        except (UserError, OSError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.ctx.show_error("Cannot save project", f"Could not write {target}: {reason}.\n"
                                "Choose another folder with File > Save As.")
            return False
        self.ctx.undo_stack.setClean()
        self.add_recent(saved)
        self.ctx.show_status(f"Saved {saved}")
        return True
