"""The layer palette (``layerPalette``): block types grouped and searchable.

Built from the block registry (:data:`REGISTRY`, :data:`GROUPS`), so a new block type
appears here by itself. A block is added by double-click, Enter, or by dragging it into the
stack (the drag carries :data:`BLOCK_MIME`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QMimeData, QModelIndex, QObject, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QTreeView, QVBoxLayout, QWidget

from studio.core.base.i18n import tr as core_tr
from studio.core.model.blocks import GROUPS, REGISTRY
from studio.gui.designer.stack_model import BLOCK_MIME

BlockRole = Qt.ItemDataRole.UserRole + 10
SearchRole = (
    Qt.ItemDataRole.UserRole + 11
)  # name, group and help (English and shown): what the search matches


class _BlockModel(QStandardItemModel):
    """Groups and their blocks; blocks drag as :data:`BLOCK_MIME`."""

    def __init__(self) -> None:
        super().__init__()
        for group in GROUPS:
            group_item = QStandardItem(core_tr(group))
            group_item.setData(group)  # the registry's key; the text is its translation
            group_item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = group_item.font()
            font.setBold(True)
            group_item.setFont(font)
            for block in REGISTRY.values():
                if block.group != group:
                    continue
                item = QStandardItem(block.name)
                item.setData(block.name, BlockRole)
                shown = core_tr(block.help)
                words = dict.fromkeys((block.name, group, core_tr(group), block.help, shown))  # no duplicates
                item.setData(" ".join(words), SearchRole)
                item.setToolTip(
                    self.tr(
                        "<b>{name}</b><br>{help}<br><i>Double-click, Enter or drag into the stack "
                        "to add it.</i>"
                    ).format(name=block.name, help=shown)
                )
                item.setFlags(
                    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
                )
                group_item.appendRow(item)
            self.appendRow(group_item)

    def mimeTypes(self) -> list[str]:  # noqa: N802, D102 - Qt API
        return [BLOCK_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # noqa: N802, D102 - Qt API
        names = [i.data(BlockRole) for i in indexes if i.data(BlockRole)]
        mime = QMimeData()
        mime.setData(BLOCK_MIME, json.dumps(names).encode("utf-8"))
        return mime


class _PaletteTree(QTreeView):
    """Enter adds the selected block (double-click does too)."""

    activatedBlock = Signal(str)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            name = self.currentIndex().data(BlockRole)
            if name:
                self.activatedBlock.emit(name)
                return
        super().keyPressEvent(event)


class LayerPalette(QWidget):
    """Search field over a tree of block types; ``addRequested(type_name)``."""

    addRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit()
        self.search.setObjectName("layerSearch")
        self.search.setPlaceholderText(self.tr("Search blocks…"))
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip(
            self.tr(
                "Filter the blocks by name or description (Ctrl+F); Enter adds the first match, Esc clears"
            )
        )
        self.source = _BlockModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.source)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterRole(SearchRole)
        self.tree = _PaletteTree()
        self.tree.setObjectName("layerPalette")
        self.tree.setModel(self.proxy)
        self.tree.setHeaderHidden(True)
        self.tree.setDragEnabled(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.tree.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setUniformRowHeights(True)
        self.tree.expandAll()
        # block names are never cut off ("DepthwiseSeparableConv2d" is the longest): the tree is
        # as wide as its widest row (all rows fit at 800 px of height, with no scroll bar)
        self.tree.setIndentation(14)
        self.tree.setMinimumWidth(self.tree.sizeHintForColumn(0) + 2 * self.tree.frameWidth())
        self.tree.doubleClicked.connect(self._activate)
        self.tree.activatedBlock.connect(self.addRequested)
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self._add_first_match)
        self.search.installEventFilter(self)
        layout.addWidget(self.search)
        layout.addWidget(self.tree, 1)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        """Esc in the search field clears it; Down moves into the list."""
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                return True
            if key == Qt.Key.Key_Down:
                self.tree.setFocus()
                return True
        return super().eventFilter(watched, event)

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self.tree.expandAll()
        first = self._first_block()
        if first.isValid():
            self.tree.setCurrentIndex(first)

    def _first_block(self) -> QModelIndex:
        for g in range(self.proxy.rowCount()):
            group = self.proxy.index(g, 0)
            if self.proxy.rowCount(group):
                return self.proxy.index(0, 0, group)
        return QModelIndex()

    def _add_first_match(self) -> None:
        index = self.tree.currentIndex()
        if not index.data(BlockRole):
            index = self._first_block()
        name = index.data(BlockRole) if index.isValid() else None
        if name:
            self.addRequested.emit(name)

    def _activate(self, index: QModelIndex) -> None:
        name = index.data(BlockRole)
        if name:
            self.addRequested.emit(name)

    def visible_blocks(self) -> list[str]:
        """Block names that pass the current search, in palette order."""
        names = []
        for g in range(self.proxy.rowCount()):
            group = self.proxy.index(g, 0)
            names += [
                self.proxy.index(r, 0, group).data(BlockRole) for r in range(self.proxy.rowCount(group))
            ]
        return names

    def index_of(self, name: str) -> QModelIndex:
        """The proxy index of block ``name`` (invalid if filtered out)."""
        for g in range(self.proxy.rowCount()):
            group = self.proxy.index(g, 0)
            for r in range(self.proxy.rowCount(group)):
                idx = self.proxy.index(r, 0, group)
                if idx.data(BlockRole) == name:
                    return idx
        return QModelIndex()
