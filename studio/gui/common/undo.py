"""Core :class:`~studio.core.project.document.Edit` objects as ``QUndoCommand``s.

The document builds every change as an ``Edit`` (a label plus do/undo closures); the GUI
pushes it on the window's ``QUndoStack`` wrapped in :class:`EditCommand`, so that Qt's Undo
and Redo actions, their menu texts and shortcuts drive the same core code as the tests.
"""

from __future__ import annotations

from collections.abc import Hashable

from PySide6.QtGui import QUndoCommand

from studio.core.project.document import Edit

MERGE_ID = 0x5C0D  # any fixed id: QUndoStack only merges commands that share it


class EditCommand(QUndoCommand):
    """One core Edit on the undo stack.

    ``merge_key``: consecutive commands with the same key collapse into one undo step (typing
    ``128`` into a spin box is one edit, not three). The merged command keeps the first
    command's undo and the latest command's redo, which is right for edits that set absolute
    values.
    """

    def __init__(self, edit: Edit, merge_key: Hashable | None = None) -> None:
        super().__init__(edit.text)
        self._redo = edit.redo
        self._undo = edit.undo
        self.merge_key = merge_key

    def redo(self) -> None:  # noqa: D102 - QUndoCommand API
        self._redo()

    def undo(self) -> None:  # noqa: D102 - QUndoCommand API
        self._undo()

    def id(self) -> int:  # noqa: D102 - QUndoCommand API
        return MERGE_ID if self.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802, D102 - QUndoCommand API
        if not isinstance(other, EditCommand) or other.merge_key != self.merge_key:
            return False
        self._redo = other._redo
        return True
