"""Recovery copies: autosave unsaved work periodically, offer it again on the next start.

The writing and finding are core functions (:meth:`ProjectDocument.autosave`,
:func:`find_recoveries`); this module adds the timer and the offer in the window's info bar.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from PySide6.QtCore import QObject, QTimer

from studio.core.base.errors import UserError
from studio.core.base.paths import user_data_dir
from studio.core.project.document import find_recoveries, recovery_origin
from studio.core.runs.project_runs import new_workspace
from studio.gui.context import StudioContext
from studio.gui.info_bar import InfoBar

AUTOSAVE_MS = 60_000


def recovery_dir() -> Path:
    """Where recovery copies are kept (``<user data>/recovery``)."""
    return user_data_dir() / "recovery"


class RecoveryAutosaver(QObject):
    """Writes a recovery copy of the open project every ``interval_ms`` while it is unsaved."""

    def __init__(self, context: StudioContext, interval_ms: int = AUTOSAVE_MS) -> None:
        super().__init__(context)
        self.ctx = context
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.autosave_now)
        self.timer.start()

    def autosave_now(self) -> Path | None:
        """Write the recovery copy now (when there are unsaved changes); its path or None."""
        try:
            return self.ctx.document.autosave(recovery_dir())
        except (OSError, UserError) as exc:  # never interrupt the user for a background copy
            self.ctx.show_status(f"Could not write the recovery copy: {exc}", 8000)
            return None


def describe(recovery: Path) -> str:
    """'“digits.json” (autosaved 14:02, 12 Mar)' for the offer."""
    origin = recovery_origin(recovery)
    what = f"“{Path(origin).name}”" if origin else "an untitled project"
    when = _dt.datetime.fromtimestamp(recovery.stat().st_mtime).strftime("%H:%M, %d %b")
    return f"{what} (autosaved {when})"


def offer_recovery(context: StudioContext, bar: InfoBar, on_restored: object = None) -> Path | None:
    """Offer the newest recovery copy in ``bar``; returns it (None when there is none)."""
    found = find_recoveries(recovery_dir())
    if not found:
        return None
    newest = found[0]

    def restore() -> None:
        from studio.gui.files import ProjectFiles

        files = context.findChild(ProjectFiles)
        if files is not None and not files.maybe_save():
            return
        context.undo_stack.clear()  # first: clearing marks the stack clean, the restored copy is not
        try:
            context.document.restore_recovery(newest)
        except UserError as exc:
            context.show_error("Cannot restore", f"The recovery copy {newest} cannot be read: {exc}")
            return
        if context.document.path is None:
            context.workspace = new_workspace()
        context.projectOpened.emit()
        context.show_status("Restored unsaved changes; save them with File > Save")
        if callable(on_restored):
            on_restored()

    def discard() -> None:
        try:
            newest.unlink()
        except OSError:
            pass
        offer_recovery(context, bar, on_restored)

    more = f" ({len(found) - 1} more after this one)" if len(found) > 1 else ""
    bar.show_message(f"CNN Studio found unsaved changes to {describe(newest)} from a previous session"
                     f"{more}. Restore them?", "info", [("Restore", restore), ("Discard", discard)])
    return newest
