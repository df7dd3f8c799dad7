"""A thin ``QAbstractTableModel`` over the document's layer list (napari's adapter pattern).

The rows *are* ``document.layers``: nothing is copied. The document's pre/post events become
``beginInsertRows``/``endInsertRows``, ``beginRemoveRows``/``endRemoveRows`` and
``beginMoveRows``/``endMoveRows``; any edit re-reads the shape summary (cheap, pure Python)
so every row's output shape and parameter count follow as you type. Drag and drop arrives
here as ``dropMimeData`` and leaves as an undoable core edit through ``push``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QFont

from studio.core.base.i18n import tr as core_tr
from studio.core.model.blocks import REGISTRY, default_layer, layer_summary
from studio.core.model.shapes import Summary
from studio.core.project.document import Edit, ProjectDocument
from studio.gui.common.theme import colors

ROWS_MIME = "application/x-cnn-studio-layer-rows"
BLOCK_MIME = "application/x-cnn-studio-block"

COLUMNS = (
    str(QT_TRANSLATE_NOOP("LayerStackModel", "Layer")),
    str(QT_TRANSLATE_NOOP("LayerStackModel", "Arguments")),
    str(QT_TRANSLATE_NOOP("LayerStackModel", "Params")),
    str(QT_TRANSLATE_NOOP("LayerStackModel", "Output shape")),
)  # the row number is the vertical header
COL_TYPE, COL_ARGS, COL_PARAMS, COL_SHAPE = range(4)
ErrorRole = Qt.ItemDataRole.UserRole + 1  # the row's shape error message, or None
TypeRole = Qt.ItemDataRole.UserRole + 2  # the layer's type name

Index = QModelIndex | QPersistentModelIndex


def fmt_shape(shape: Sequence[int]) -> str:
    """(32, 28, 28) -> '32 × 28 × 28'."""
    return (
        " × ".join(str(v) for v in shape)
        if shape
        else QCoreApplication.translate("LayerStackModel", "scalar")
    )


def layer_args_text(layer: dict[str, Any]) -> str:
    """The key arguments part of :func:`layer_summary` ('32, k3, p1')."""
    text = layer_summary(layer)
    name = str(layer.get("type", ""))
    return text[len(name) :].strip() if text.startswith(name) else text


class LayerStackModel(QAbstractTableModel):
    """Rows = the document's layers; columns = :data:`COLUMNS`.

    ``push`` performs an Edit undoably (the window's ``StudioContext.push``).
    """

    def __init__(
        self, document: ProjectDocument, push: Callable[[Edit | Callable[[], Edit]], bool], parent: Any = None
    ) -> None:
        super().__init__(parent)
        self.doc = document
        self.push = push
        for event, callback in (
            (document.layers_inserting, self._inserting),
            (document.layers_inserted, self._inserted),
            (document.layers_removing, self._removing),
            (document.layers_removed, self._removed),
            (document.layer_moving, self._moving),
            (document.layer_moved, self._moved),
            (document.changed, self._changed),
        ):
            event.connect(callback)
        self._move_ok = False
        self.last_dropped: list[int] | None = None  # rows a drop produced (the view selects them)

    # ------------------------------------------------------------------ document events

    def _inserting(self, index: int, count: int) -> None:
        self.beginInsertRows(QModelIndex(), index, index + count - 1)

    def _inserted(self, index: int, count: int) -> None:
        self.endInsertRows()

    def _removing(self, index: int, count: int) -> None:
        self.beginRemoveRows(QModelIndex(), index, index + count - 1)

    def _removed(self, index: int, count: int) -> None:
        self.endRemoveRows()

    def _moving(self, src: int, dst: int) -> None:
        # Qt counts the destination before the move: moving down lands before row dst + 1
        self._move_ok = src != dst and self.beginMoveRows(
            QModelIndex(), src, src, QModelIndex(), dst + 1 if dst > src else dst
        )

    def _moved(self, src: int, dst: int) -> None:
        if self._move_ok:
            self.endMoveRows()

    def _changed(self, section: str) -> None:
        if section in ("all", "model"):
            self.beginResetModel()
            self.endResetModel()
        elif self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, len(COLUMNS) - 1))

    # ------------------------------------------------------------------ read

    def summary(self) -> Summary:
        """The document's shape summary."""
        return self.doc.summary()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802, D102 - Qt API
        if parent.isValid() or self.doc.project.model.kind != "stack":
            return 0
        return len(self.doc.layers)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802, D102 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,  # noqa: N802, D102 - Qt API
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(COLUMNS[section])
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return (
                self.tr("Layer type"),
                self.tr("Key arguments (edit them on the right)"),
                self.tr("Learned weights and biases"),
                self.tr("What the layer outputs for one image (C × H × W)"),
            )[section]
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section)  # the layer's index, as in error messages and the summary
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: D102 - Qt API
        if not index.isValid() or not (0 <= index.row() < self.rowCount()):
            return None
        row, col = index.row(), index.column()
        layer = self.doc.layers[row]
        summary = self.summary()
        info = summary.layers[row] if row < len(summary.layers) else None
        error = summary.error if summary.error is not None and summary.error.layer == row else None
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_TYPE:
                return str(layer.get("type", "?"))
            if col == COL_ARGS:
                return layer_args_text(layer)
            if col == COL_PARAMS:
                return f"{info.params:,}" if info else ("—" if error is None else "")
            if col == COL_SHAPE:
                if info:
                    return fmt_shape(info.output_shape)
                return self.tr("✗ invalid") if error else "?"
        if role == Qt.ItemDataRole.ToolTipRole:
            if error is not None:
                return self.tr(
                    "Layer {row} ({type}) is invalid: {message}\nTraining is blocked until it is fixed."
                ).format(row=row, type=error.type_name, message=error.message)
            if info is None and summary.error is not None:
                return self.tr("Unknown until layer {layer} is fixed").format(layer=summary.error.layer)
            block = REGISTRY.get(str(layer.get("type")))
            if info is not None and block is not None:
                return (
                    self.tr("{type}: {input} → {output}, {params} parameters").format(
                        type=block.name,
                        input=fmt_shape(info.input_shape),
                        output=fmt_shape(info.output_shape),
                        params=f"{info.params:,}",
                    )
                    + "\n"
                    + core_tr(block.help)
                )
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            c = colors()
            if error is not None:
                return QBrush(c.error_fg)
            if info is None:
                return QBrush(c.muted_fg)
            return None
        if role == Qt.ItemDataRole.BackgroundRole and error is not None:
            return QBrush(colors().error_bg)
        if role == Qt.ItemDataRole.FontRole and col == COL_TYPE:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_PARAMS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ErrorRole:
            return error.message if error is not None else None
        if role == TypeRole:
            return layer.get("type")
        return None

    # ------------------------------------------------------------------ drag and drop

    def flags(self, index: Index) -> Qt.ItemFlag:  # noqa: D102 - Qt API
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled  # drops land between rows, never on one
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802, D102 - Qt API
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802, D102 - Qt API
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:  # noqa: N802, D102 - Qt API
        return [ROWS_MIME, BLOCK_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # noqa: N802, D102 - Qt API
        rows = sorted({i.row() for i in indexes if i.isValid()})
        mime = QMimeData()
        mime.setData(ROWS_MIME, json.dumps(rows).encode("utf-8"))
        return mime

    def dropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,  # noqa: N802
        parent: Index,
    ) -> bool:
        """Rows from this model move (one undo step); a block from the palette is inserted.

        Returns False after a move so that the view never removes the "source" rows itself
        (the move already happened in the document).
        """
        if action == Qt.DropAction.IgnoreAction:
            return True
        before = row if row >= 0 else (parent.row() if parent.isValid() else self.rowCount())
        if data.hasFormat(BLOCK_MIME):
            names = json.loads(bytes(data.data(BLOCK_MIME).data()).decode("utf-8"))
            names = [n for n in names if n in REGISTRY]
            if not names:
                return False

            done = self.push(lambda: self.doc.insert_layers(before, [default_layer(n) for n in names]))
            self.last_dropped = list(range(before, before + len(names))) if done else None
            return done
        if data.hasFormat(ROWS_MIME):
            rows = json.loads(bytes(data.data(ROWS_MIME).data()).decode("utf-8"))
            rows = [r for r in rows if isinstance(r, int) and 0 <= r < self.rowCount()]
            if rows and not _is_noop_move(rows, before):
                self.push(lambda: self.doc.move_layers(rows, before))
                first = before - sum(1 for r in set(rows) if r < before)
                self.last_dropped = list(range(first, first + len(set(rows))))
            return False
        return False


def _is_noop_move(rows: list[int], before: int) -> bool:
    """True when dropping the contiguous ``rows`` just before/after themselves changes nothing."""
    rows = sorted(rows)
    contiguous = rows == list(range(rows[0], rows[-1] + 1))
    return contiguous and rows[0] <= before <= rows[-1] + 1
