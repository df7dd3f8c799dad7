"""Project files from the window: new, open, save, save as, import run, recent files, "save changes?".

Runs follow their project (:mod:`studio.core.runs.project_runs`): the first Save of an
unsaved project moves its workspace's runs into ``NAME.runs`` beside the file; Save As of a
saved project asks whether to move or copy them (or leave them with the old file). A run
still training moves when it ends. File > Import Run... copies a run folder into the open
project's runs when its network fits.

Every step is a core call (:meth:`ProjectDocument.save`, :func:`load_project`,
:func:`get_template`); this class adds the dialogs and remembers recent files in
``QSettings``. Dialogs are Qt's static functions so tests can monkeypatch them.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox

from studio.core.base.errors import UserError
from studio.core.project.project_file import Project, load_project
from studio.core.project.templates import get_template
from studio.core.runs.project_runs import import_run
from studio.core.runs.run_folder import list_runs
from studio.gui.common.context import StudioContext
from studio.gui.training.jobs import running_jobs

PROJECT_FILTER = QT_TRANSLATE_NOOP("ProjectFiles", "CNN Studio projects (*.json);;All files (*)")
RECENT_KEY = "recentFiles"
MAX_RECENT = 10


class ProjectFiles(QObject):
    """File operations for one window."""

    recentChanged = Signal()

    def __init__(self, context: StudioContext) -> None:
        super().__init__(context)
        self.ctx = context

    @staticmethod
    def _filter() -> str:
        """The file dialogs' filter in the user's language (the ``*.json`` patterns kept)."""
        return QCoreApplication.translate("ProjectFiles", PROJECT_FILTER)

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
            self.ctx.window,
            self.tr("Unsaved changes"),
            self.tr("Save the changes to “{name}” before closing it?").format(
                name=doc.project.name if doc.project.name not in ("", "Untitled") else self.tr("Untitled")
            ),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
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
            self.ctx.show_error(self.tr("Cannot open project"), str(exc))
            return False
        self.ctx.replace_project(project, Path(path))
        self.add_recent(path)
        self.ctx.show_status(self.tr("Opened {path}").format(path=path))
        return True

    def open_dialog(self) -> bool:
        """File > Open...: choose a project file and open it."""
        if not self.maybe_save():
            return False
        start = str(self.ctx.document.path.parent) if self.ctx.document.path else str(Path.home())
        path, _ = QFileDialog.getOpenFileName(self.ctx.window, self.tr("Open project"), start, self._filter())
        return bool(path) and self.open_path(path, ask=False)

    def new_from_template(self, name: str | None, ask: bool = True) -> bool:
        """Start a new, unsaved project from a template (``None``: an empty stack)."""
        if ask and not self.maybe_save():
            return False
        project = get_template(name).project() if name else Project(name="Untitled")
        self.ctx.replace_project(project, None)
        self.ctx.show_status(self.tr("New project: {name}").format(name=project.name))
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
            safe = (
                "".join(c if c.isalnum() or c in " -_" else "_" for c in doc.project.name).strip()
                or "project"
            )
            suggested = str(Path.home() / f"{safe}.json")
        path, _ = QFileDialog.getSaveFileName(
            self.ctx.window, self.tr("Save project as"), suggested, self._filter()
        )
        if not path:
            return False
        target = Path(path)
        if not target.suffix:
            target = target.with_suffix(".json")
        return self._save_to(target)

    def _save_to(self, target: Path) -> bool:
        old_path = self.ctx.document.path
        old_runs = self.ctx.runs_dir()
        try:
            saved = self.ctx.document.save(target)
        except (UserError, OSError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.ctx.show_error(
                self.tr("Cannot save project"),
                self.tr(
                    "Could not write {target}: {reason}.\nChoose another folder with File > Save As."
                ).format(target=target, reason=reason),
            )
            return False
        self.ctx.undo_stack.setClean()
        self.add_recent(saved)
        self.ctx.show_status(self.tr("Saved {path}").format(path=saved))
        self._carry_runs(old_path, old_runs, self.ctx.runs_dir())
        return True

    def _carry_runs(self, old_path: Path | None, old_runs: Path, new_runs: Path) -> None:
        """After a save to a new file: the project's runs follow it (asking when both files stay)."""
        if old_runs.resolve() == new_runs.resolve() or not list_runs(old_runs):
            return
        copy = False
        if old_path is not None:  # Save As of a saved project: the old file keeps existing
            count = len(list_runs(old_runs))
            answer = QMessageBox.question(
                self.ctx.window,
                self.tr("Runs of the project"),
                self.tr(
                    "“{name}” has {count} run(s) in {folder}. Move them to the new project ({new})?\n\n"
                    "Yes: move them. No: copy them (both projects keep them). "
                    "Cancel: leave them with the old file."
                ).format(name=old_path.name, count=count, folder=old_runs, new=new_runs.name),
                QMessageBox.StandardButton.Yes
                | QMessageBox.StandardButton.No
                | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Yes,
            )
            if answer == QMessageBox.StandardButton.No:
                copy = True
            elif answer != QMessageBox.StandardButton.Yes:
                return
        busy = {job.run_dir for job in running_jobs()}
        moved = self.ctx.move_runs(old_runs, new_runs, copy=copy, busy=busy)
        if moved:
            text = (
                self.tr("Saved; {n} run(s) copied to {folder}")
                if copy
                else self.tr("Saved; {n} run(s) moved to {folder}")
            )
            self.ctx.show_status(text.format(n=len(moved), folder=new_runs))

    # ------------------------------------------------------------------ runs

    def import_run_path(self, run_dir: str | os.PathLike[str]) -> Path | None:
        """Attach the run folder ``run_dir`` to the open project (copied into its runs); errors shown."""
        try:
            placed = import_run(run_dir, self.ctx.document.project, self.ctx.runs_dir())
        except (UserError, OSError) as exc:
            self.ctx.show_error(self.tr("Cannot import the run"), str(exc))
            return None
        self.ctx.runsChanged.emit()
        self.ctx.show_status(
            self.tr("Imported the run {name} into {folder}").format(
                name=Path(run_dir).name, folder=placed.parent
            )
        )
        return placed

    def import_run_dialog(self) -> Path | None:
        """File > Import Run...: choose a run folder (one with project.json) and attach it."""
        start = str(self.ctx.document.path.parent) if self.ctx.document.path else str(Path.home())
        folder = QFileDialog.getExistingDirectory(self.ctx.window, self.tr("Import a run folder"), start)
        return self.import_run_path(folder) if folder else None
