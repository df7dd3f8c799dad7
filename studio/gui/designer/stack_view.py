"""The layer stack view (``layerStack``): a table of layers, reordered by drag and drop.

An invalid layer's row is red and grows a second line, across the whole row, with the
reason; selection is multi-row. Edits (delete, duplicate, move) are methods of the Design
page, reached through the Edit menu's shortcuts; this class only adds the view behaviour.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QDropEvent, QPainter, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from studio.gui.common.theme import colors
from studio.gui.designer.stack_model import (
    COL_ARGS,
    COL_PARAMS,
    COL_SHAPE,
    COL_TYPE,
    ErrorRole,
    LayerStackModel,
)

PAD = 6


class _RowDelegate(QStyledItemDelegate):
    """Leaves room under an invalid row's cells for the reason the view paints there."""

    def __init__(self, view: LayerStackView) -> None:
        super().__init__(view)
        self.view = view

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802
        size = super().sizeHint(option, index)
        message = index.data(ErrorRole)
        if message:
            size.setHeight(size.height() + self.view.reason_height(message))
        return size

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:  # noqa: D102 - Qt API
        message = index.data(ErrorRole)
        if message:
            opt = QStyleOptionViewItem(option)
            opt.rect = option.rect.adjusted(0, 0, 0, -self.view.reason_height(message))
            super().paint(painter, opt, index)
        else:
            super().paint(painter, option, index)


class LayerStackView(QTableView):
    """The editable stack; its model is a :class:`LayerStackModel`."""

    def __init__(self, model: LayerStackModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("layerStack")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDragDropOverwriteMode(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.setItemDelegate(_RowDelegate(self))
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.verticalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.verticalHeader().setToolTip(self.tr("The layer's index (as in error messages)"))
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(COL_TYPE, QHeaderView.ResizeMode.ResizeToContents)
        # in a narrow window the arguments elide (the Properties panel shows them whole);
        # the parameter count and the output shape never do
        header.setSectionResizeMode(COL_ARGS, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_PARAMS, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_SHAPE, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setToolTip("")
        self.setWhatsThis(
            self.tr(
                "The network, top to bottom. Drag rows to reorder, drop blocks from the "
                "palette, Delete removes, Ctrl+D duplicates, Alt+Up/Down moves."
            )
        )

    def empty_text(self) -> str:
        """What the empty stack says (drawn in the viewport)."""
        return self.tr(
            "The stack is empty.\n\nDouble-click a block in the palette (or select it and press "
            "Enter, or drag it here) to add the first layer — for example Conv2d."
        )

    def reason_text(self, message: str) -> str:
        """The second line of an invalid row."""
        return self.tr("✗ {message}. Training is blocked until this layer is fixed.").format(message=message)

    def reason_height(self, message: str) -> int:
        """Height of the wrapped reason at the current width."""
        width = max(120, self.viewport().width() - 2 * PAD)
        rect = self.fontMetrics().boundingRect(
            QRect(0, 0, width, 10_000), int(Qt.TextFlag.TextWordWrap), self.reason_text(message)
        )
        return rect.height() + 2 * PAD

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        """Re-wrap the reasons of invalid rows for the new width."""
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.resizeRowsToContents()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        """The rows (an invalid row's reason across its width), or a hint when the stack is empty."""
        super().paintEvent(event)
        model = self.model()
        if model is not None and model.rowCount():
            p = QPainter(self.viewport())
            c = colors(self.palette())
            for row in range(model.rowCount()):
                message = model.index(row, 0).data(ErrorRole)
                if not message:
                    continue
                first = self.visualRect(model.index(row, 0))
                if not first.isValid() or not first.intersects(event.rect()):
                    continue
                h = self.reason_height(message)
                band = QRect(0, first.bottom() + 1 - h, self.viewport().width(), h)
                p.fillRect(band, c.error_bg)
                p.setPen(c.error_fg)
                p.drawText(
                    band.adjusted(PAD, PAD, -PAD, -PAD),
                    int(Qt.TextFlag.TextWordWrap),
                    self.reason_text(message),
                )
            p.end()
        if self.model() is not None and self.model().rowCount() == 0 and self.isEnabled():
            p = QPainter(self.viewport())
            p.setPen(self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
            rect = self.viewport().rect().adjusted(24, 24, -24, -24)
            p.drawText(rect, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.empty_text())
            p.end()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt API
        """Drop as usual (the model turns it into an edit), then select what was dropped."""
        model = self.model()
        model.last_dropped = None
        super().dropEvent(event)
        if model.last_dropped:
            self.select_rows(model.last_dropped)
            self.setFocus()

    def selected_rows(self) -> list[int]:
        """Selected layer rows, ascending."""
        return sorted({i.row() for i in self.selectionModel().selectedRows()})

    def select_rows(self, rows: list[int]) -> None:
        """Select exactly ``rows`` (the first becomes current) and scroll to them."""
        model = self.model()
        sel = self.selectionModel()
        sel.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        valid = [r for r in rows if 0 <= r < model.rowCount()]
        for r in valid:
            sel.select(model.index(r, 0), flags)
        if valid:
            sel.setCurrentIndex(model.index(valid[0], 0), QItemSelectionModel.SelectionFlag.NoUpdate)
            self.scrollTo(model.index(valid[-1], 0))
