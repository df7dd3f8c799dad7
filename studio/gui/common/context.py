"""What every page gets: the window's one document, its undo stack, settings and helpers.

The page contract (see also ``studio/gui/shell/main_window.py``)
==========================================================

A page is a ``QWidget`` subclass constructed as ``Page(context, parent)`` where ``context``
is the window's :class:`StudioContext`. It lives as long as the window and must:

* read the project from ``context.document.project`` (never copy it into widgets' own
  state) and change it only with ``context.push(document.some_edit(...))`` so that every
  change is undoable and marks the project unsaved;
* listen to the document's events with ``context.listen(document.changed, callback, self)``
  (disconnected automatically when the page is destroyed) and refresh itself when
  ``changed("all")`` says another project was opened;
* not import torch at module level or in ``__init__`` (the first window paints before
  torch is loaded; import it when work starts).

A page may also define (all optional, looked up with ``getattr``):

* ``page_activated()`` — the page was just shown;
* ``can_close() -> bool`` — the window wants to close (ask and stop a running job; False
  keeps the window open);
* ``shutdown()`` — the window is closing for good: stop threads, flush files;
* ``delete_selection()``, ``duplicate_selection()`` — Edit > Delete / Duplicate;
* ``export_dialog()`` — File > Export... (the Evaluate page provides it);
* ``handle_drop(paths: list[pathlib.Path]) -> bool`` — files dropped on the window that
  are not project files (a dataset folder, images); return True when taken;
* ``project_opened()`` — another project was opened, created or restored: forget every
  result, message, plot and log line of the previous one (a running job keeps running).

Runs: ``context.runs_dir()`` is where the open project's runs live (its ``NAME.runs``
folder, or the workspace of an unsaved project); ``runsChanged`` says runs were added,
moved or renamed there outside the page (Save, File > Import Run...).

A training page emits the window's ``trainingFinished(str)`` signal with
``context.window.trainingFinished.emit(run_dir)`` when a run ends, however it ends.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMessageBox

from studio.core.base.errors import UserError
from studio.core.base.events import Event
from studio.core.base.wording import in_gui_words
from studio.core.project.document import Edit, ProjectDocument
from studio.core.project.project_file import Project
from studio.core.runs.project_runs import new_workspace, place_run, runs_location, transfer_runs
from studio.gui.common.undo import EditCommand

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow

ORGANIZATION = "cnn-studio"
APPLICATION = "CNN Studio"


def make_settings() -> QSettings:
    """The studio's settings store (per user; tests point it at a temporary folder)."""
    return QSettings(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)


class StudioContext(QObject):
    """The shared state of one main window, handed to each page.

    Attributes: ``document`` (the open :class:`ProjectDocument`, the same object for the
    window's whole life; opening another project replaces its content), ``undo_stack``
    (a ``QUndoStack``), ``settings`` (a ``QSettings``) and ``window`` (the main window, which
    declares ``trainingFinished(str)``).

    ``projectOpened`` fires after another project replaced the open one (open, new, restore);
    ``runsChanged`` after runs were moved or imported into :meth:`runs_dir`.
    """

    projectOpened = Signal()
    runsChanged = Signal()

    def __init__(
        self, window: QMainWindow, document: ProjectDocument | None = None, settings: QSettings | None = None
    ) -> None:
        super().__init__(window)
        self.window = window
        self.document = document if document is not None else ProjectDocument()
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        self.settings = settings if settings is not None else make_settings()
        #: the unsaved project's workspace (its runs folder is made by its first run)
        self.workspace: Path = new_workspace()
        #: run folders still training when their project was saved: old runs folder -> new one
        self.pending_moves: dict[Path, Path] = {}

    def runs_dir(self) -> Path:
        """Where the open project's runs live: ``NAME.runs`` beside its file, else its workspace."""
        return runs_location(self.document.path, self.workspace)

    def move_runs(
        self, source: Path, target: Path, *, copy: bool = False, busy: set[Path] | None = None
    ) -> list[Path]:
        """Move (or copy) the runs in ``source`` to ``target``; runs in ``busy`` follow when they end."""
        moved = transfer_runs(source, target, copy=copy, skip=busy)
        following = False
        if busy and not copy:
            for run in busy:
                if Path(run).parent.resolve() == Path(source).resolve():
                    self.pending_moves[Path(source).resolve()] = Path(target)
                    following = True
        if moved or following:
            self.runsChanged.emit()
        return moved

    def settle_run(self, run_dir: Path) -> Path:
        """A run that ended: move it where its project's runs went meanwhile; its folder now."""
        target = self.pending_moves.get(Path(run_dir).parent.resolve())
        if target is None or not Path(run_dir).is_dir():
            return Path(run_dir)
        try:
            placed = place_run(Path(run_dir), target, copy=False)
        except OSError as exc:
            log.warning("could not move %s to %s: %s", run_dir, target, exc)
            return Path(run_dir)
        self.runsChanged.emit()
        return placed

    def _clean_changed(self, clean: bool) -> None:
        # undo/redo back to the last save: the project equals its file again, so no "*"
        if clean:
            self.document.mark_clean()

    # ------------------------------------------------------------------ edits

    def push(self, edit: Edit | Callable[[], Edit], merge_key: Hashable | None = None) -> bool:
        """Perform an edit through the undo stack; returns False (and says why) if refused.

        ``edit`` is a core :class:`Edit` or a function making one, so that a value the core
        refuses (a :class:`UserError` raised while building the Edit) is reported in the
        status bar instead of escaping into Qt. ``merge_key`` merges consecutive edits with
        the same key into one undo step (typing in a spin box).
        """
        try:
            made = edit() if callable(edit) and not isinstance(edit, Edit) else edit
        except UserError as exc:
            self.show_status(in_gui_words(str(exc)), 8000)  # the control's name, not the field path
            return False
        assert isinstance(made, Edit)
        self.undo_stack.push(EditCommand(made, merge_key))
        return True

    def replace_project(self, project: Project, path: Any = None, dirty: bool = False) -> None:
        """Show another project in this window (open, new, restore); clears undo history."""
        self.undo_stack.clear()
        if path is None:
            self.workspace = new_workspace()
        self.document.reset(project, path, dirty=dirty)
        self.projectOpened.emit()

    # ------------------------------------------------------------------ events

    def listen(self, event: Event, callback: Callable[..., Any], owner: QObject) -> None:
        """Connect ``callback`` to a core ``event`` until ``owner`` is destroyed."""
        event.connect(callback)
        owner.destroyed.connect(lambda *_: event.disconnect(callback))

    # ------------------------------------------------------------------ messages

    def show_status(self, message: str, timeout_ms: int = 5000) -> None:
        """A transient message in the window's status bar."""
        bar = getattr(self.window, "statusBar", None)
        if bar is not None:
            bar().showMessage(message, timeout_ms)

    def show_error(self, title: str, message: str) -> None:
        """A modal warning naming what went wrong and how to fix it."""
        QMessageBox.warning(self.window, title, message)
