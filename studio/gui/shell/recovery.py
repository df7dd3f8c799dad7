"""Recovery copies: autosave unsaved work periodically, offer it again on the next start.

The writing and finding are core functions (:meth:`ProjectDocument.autosave`,
:func:`find_recoveries`); this module adds the timer and the offer in the window's info bar.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QObject, QTimer

from studio.core.base.errors import UserError
from studio.core.base.paths import user_data_dir
from studio.core.project.document import find_recoveries, recovery_origin
from studio.core.runs.project_runs import new_workspace
from studio.gui.common.context import StudioContext
from studio.gui.common.info_bar import InfoBar

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
            self.ctx.show_status(
                self.tr("Could not write the recovery copy: {error}").format(error=exc), 8000
            )
            return None


def describe(recovery: Path) -> str:
    """'“digits.json” (autosaved 14:02, 12 Mar)' for the offer (the date in the user's locale)."""
    origin = recovery_origin(recovery)
    what = (
        f"“{Path(origin).name}”" if origin else QCoreApplication.translate("Recovery", "an untitled project")
    )
    stamp = _dt.datetime.fromtimestamp(recovery.stat().st_mtime)
    when = f"{stamp:%H:%M}, " + QLocale().toString(
        stamp.date(), QCoreApplication.translate("Recovery", "d MMM")
    )
    return QCoreApplication.translate("Recovery", "{what} (autosaved {when})").format(what=what, when=when)


def offer_recovery(
    context: StudioContext,
    bar: InfoBar,
    on_restored: Callable[[], object] | None = None,
    maybe_save: Callable[[], bool] | None = None,
) -> Path | None:
    """Offer the newest recovery copy in ``bar``; returns it (None when there is none).

    ``maybe_save`` is the window's "save changes?" question (``ProjectFiles.maybe_save``), asked
    before the open project is replaced; False from it keeps the project and the offer.
    """
    found = find_recoveries(recovery_dir())
    if not found:
        return None
    newest = found[0]

    def restore() -> None:
        if maybe_save is not None and not maybe_save():
            return
        context.undo_stack.clear()  # first: clearing marks the stack clean, the restored copy is not
        try:
            context.document.restore_recovery(newest)
        except UserError as exc:
            context.show_error(
                QCoreApplication.translate("Recovery", "Cannot restore"),
                QCoreApplication.translate(
                    "Recovery", "The recovery copy {path} cannot be read: {error}"
                ).format(path=newest, error=exc),
            )
            return
        if context.document.path is None:
            context.workspace = new_workspace()
        context.projectOpened.emit()
        context.show_status(
            QCoreApplication.translate("Recovery", "Restored unsaved changes; save them with File > Save")
        )
        if on_restored is not None:
            on_restored()

    def discard() -> None:
        try:
            newest.unlink()
        except OSError:
            pass
        offer_recovery(context, bar, on_restored, maybe_save)

    translate = QCoreApplication.translate
    if len(found) > 1:
        text = translate(
            "Recovery",
            "CNN Studio found unsaved changes to {what} from a previous session "
            "({more} more after this one). Restore them?",
        )
    else:
        text = translate(
            "Recovery", "CNN Studio found unsaved changes to {what} from a previous session. Restore them?"
        )
    text = text.format(what=describe(newest), more=len(found) - 1)
    bar.show_message(
        text,
        "info",
        [
            (translate("Recovery", "Restore"), restore, "Restore"),
            (translate("Recovery", "Discard"), discard, "Discard"),
        ],
    )
    return newest
