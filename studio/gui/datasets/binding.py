"""The Data page's one door to the project: read ``project.data``, change it by undoable edits.

Widgets never store settings of their own: they read :attr:`DataBinding.data` when the
document says ``changed("data" | "all")`` and write through :meth:`DataBinding.set` /
:meth:`DataBinding.update`, which build the document's ``Edit`` and push it on the window's
undo stack (``context.push``, which reports an edit the project refuses — a folder source
without a folder... — in the status bar and changes nothing).
"""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import QCoreApplication

from studio.core.project.document import field_words
from studio.core.project.project_file import DataSpec


class DataBinding:
    """Reads and edits the ``data`` section of the context's document."""

    def __init__(self, context: Any) -> None:
        self.context = context

    @property
    def document(self) -> Any:
        """The window's ProjectDocument."""
        return self.context.document

    @property
    def data(self) -> DataSpec:
        """The live data settings (read only; change them through :meth:`set`/:meth:`update`)."""
        return self.document.project.data

    def raw(self) -> dict[str, Any]:
        """The data section as its JSON dict (a copy)."""
        return copy.deepcopy(self.document.project.to_dict()["data"])

    def set(self, key: str, value: Any, text: str | None = None, merge: bool = False) -> bool:
        """Set ``data.<key>`` as one undoable edit; False (and a message) when refused.

        ``merge``: consecutive changes of the same key (spin box steps) are one undo step.
        """
        return self.update(
            {key: value},
            text or f"Change {field_words('data', key)}",
            merge_key=("data", key) if merge else None,
        )

    def update(self, changes: dict[str, Any], text: str | None = None, merge_key: Any = None) -> bool:
        """Apply several ``data`` keys at once as one undoable edit (None removes a key)."""
        text = text or QCoreApplication.translate("DataBinding", "Change data settings")
        raw = self.raw()
        for key, value in changes.items():
            if value is None:
                raw.pop(key, None)
            else:
                raw[key] = copy.deepcopy(value)
        if raw == self.raw():
            return True

        def make() -> Any:
            return self.document.set_data(raw, text)  # a stack's head follows the dataset's classes

        if merge_key is None:
            return bool(self.context.push(make))
        return bool(self.context.push(make, merge_key=merge_key))
