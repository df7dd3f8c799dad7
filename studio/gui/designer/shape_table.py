"""The shape table (``shapeTable``) and the totals line.

One row per layer (for a pretrained model: per top-level child, as in ``summary --json``)
with its input and output shape, parameters and multiply-accumulates. A block with branches
(Inception, MBConv, SqueezeExcitation, DepthwiseSeparableConv2d) expands to one child row per
branch or stage, with that branch's own shape, parameters and MACs (an Inception also says
what its 1x1 reductions save). Below the table the totals:
parameters, trainable parameters, size in MB and MACs. Both re-read the
:class:`SummarySource` whenever the document changes, so they follow every key press.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractItemModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTreeView, QVBoxLayout, QWidget

from studio.core.model.blocks import REGISTRY
from studio.core.model.branch_rules import BRANCHES, inception_reduction_saving
from studio.core.model.shapes import Summary
from studio.gui.common.theme import colors
from studio.gui.designer.stack_model import fmt_shape
from studio.gui.designer.summary_source import SummarySource

HEADERS = (
    "#",
    str(QT_TRANSLATE_NOOP("ShapeTableModel", "Layer")),
    str(QT_TRANSLATE_NOOP("ShapeTableModel", "Input")),
    str(QT_TRANSLATE_NOOP("ShapeTableModel", "Output")),
    str(QT_TRANSLATE_NOOP("ShapeTableModel", "Params")),
    "MACs",
)


def human(n: float) -> str:
    """1234567 -> '1.23 M'."""
    for unit, scale in (("G", 1e9), ("M", 1e6), ("K", 1e3)):
        if n >= scale:
            return f"{n / scale:.2f} {unit}"
    return f"{n:.0f}"


def totals_text(summary: Summary | None, pending: bool = False, error: str | None = None) -> str:
    """'Output 10 · 93,962 parameters (93,962 trainable) · 0.38 MB · 4.41 M MACs'."""
    if error:
        return QCoreApplication.translate("ShapeTable", "Summary unavailable: {error}").format(error=error)
    if summary is None:
        return (
            QCoreApplication.translate("ShapeTable", "Computing the parameter summary (loading PyTorch)…")
            if pending
            else ""
        )
    if summary.error is not None:  # totals of the valid rows alone would mislead
        return QCoreApplication.translate(
            "ShapeTable", "Input {shape} → layer {layer} is invalid: the totals appear once it is fixed."
        ).format(shape=fmt_shape(summary.input_shape), layer=summary.error.layer)
    fields = {
        "input": fmt_shape(summary.input_shape),
        "output": fmt_shape(summary.output_shape),
        "total": f"{summary.total_params:,}",
        "trainable": f"{summary.trainable_params:,}",
        "size": f"{summary.size_mb:.2f}",
        "macs": human(summary.macs),
    }
    if summary.macs:
        return QCoreApplication.translate(
            "ShapeTable",
            "Input {input} → output {output}  ·  {total} parameters ({trainable} trainable)  ·  "
            "{size} MB  ·  {macs} MACs",
        ).format(**fields)
    return QCoreApplication.translate(
        "ShapeTable",
        "Input {input} → output {output}  ·  {total} parameters ({trainable} trainable)  ·  {size} MB",
    ).format(**fields)


def branch_rows(summary: Summary, layers: list[dict[str, Any]], row: int) -> list[tuple[str, str, str, str]]:
    """The child rows of layer ``row``: (name, output shape, parameters, MACs) per branch.

    Empty for layers without branches or above an invalid one. An Inception adds a last row
    with what its 1x1 reductions save (the parameters it would have without them).
    """
    if row >= len(summary.layers) or row >= len(layers):
        return []
    info = summary.layers[row]
    rule = BRANCHES.get(info.type)
    if rule is None:
        return []
    args = REGISTRY[info.type].resolve(layers[row])
    rows = [
        (f"{b.name}: {b.detail}", fmt_shape(b.out_shape), f"{b.params:,}", human(b.macs) if b.macs else "—")
        for b in rule(info.input_shape, args)
    ]
    if info.type == "Inception":
        with_red, without = inception_reduction_saving(info.input_shape, args)
        rows.append(
            (
                QCoreApplication.translate(
                    "ShapeTable",
                    "without the 1x1 reductions, branches 2 and 3 would have {without} parameters "
                    "instead of {with_red}",
                ).format(without=f"{without:,}", with_red=f"{with_red:,}"),
                "",
                f"{with_red - without:+,}",
                "",
            )
        )
    return rows


class ShapeTableModel(QAbstractItemModel):
    """Read-only rows over the current summary (reset on every change: it is cheap).

    A two-level tree: layers at the top, their branches as children (internal id = the
    parent layer's row + 1; 0 for a layer row).
    """

    def __init__(self, source: SummarySource, parent: Any = None) -> None:
        super().__init__(parent)
        self.source = source
        self._summary: Summary | None = None
        self._rows = 0
        self._children: dict[int, list[tuple[str, str, str, str]]] = {}
        source.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Re-read the summary."""
        self.beginResetModel()
        self._summary = self.source.summary()
        self._children = {}
        if self.source.is_pretrained():
            self._rows = len(self._summary.layers) if self._summary else 0
        else:
            self._rows = len(self.source.doc.layers)
            if self._summary is not None:
                for row in range(len(self._summary.layers)):
                    kids = branch_rows(self._summary, self.source.doc.layers, row)
                    if kids:
                        self._children[row] = kids
        self.endResetModel()

    def index(
        self,
        row: int,
        column: int,  # noqa: D102
        parent: QModelIndex | QPersistentModelIndex = QModelIndex(),
    ) -> QModelIndex:  # noqa: B008
        if not parent.isValid():
            if 0 <= row < self._rows and 0 <= column < len(HEADERS):
                return self.createIndex(row, column, 0)
            return QModelIndex()
        if (
            parent.internalId() == 0
            and 0 <= row < len(self._children.get(parent.row(), []))
            and 0 <= column < len(HEADERS)
        ):
            return self.createIndex(row, column, parent.row() + 1)
        return QModelIndex()

    def parent(self, index: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008, D102
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(int(index.internalId()) - 1, 0, 0)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802, D102
        if not parent.isValid():
            return self._rows
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self._children.get(parent.row(), []))
        return 0

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802, D102
        return len(HEADERS)

    def branch_count(self, row: int) -> int:
        """How many branch rows layer ``row`` expands to."""
        return len(self._children.get(row, []))

    def _child_data(self, index: QModelIndex | QPersistentModelIndex, role: int) -> Any:
        name, shape, params, macs = self._children[int(index.internalId()) - 1][index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return ("", name, "", shape, params, macs)[col]
        if role == Qt.ItemDataRole.ToolTipRole and col == 1:
            return name
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(colors().muted_fg)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (0, 4, 5):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,  # noqa: N802, D102
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(HEADERS[section])
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:  # noqa: D102
        if not index.isValid():
            return None
        if index.internalId() != 0:
            return self._child_data(index, role)
        row, col = index.row(), index.column()
        s = self._summary
        info = s.layers[row] if s is not None and row < len(s.layers) else None
        error = s.error if s is not None and s.error is not None and s.error.layer == row else None
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return str(row)
            if col == 1:
                if info is not None:
                    return (
                        info.type if info.trainable else self.tr("{layer} (frozen)").format(layer=info.type)
                    )
                layers = self.source.doc.layers
                return str(layers[row].get("type")) if row < len(layers) else ""
            if info is None:
                return (
                    ("✗ " + error.message if col == 3 else "")
                    if error is not None
                    else ("?" if col == 3 else "")
                )
            return (
                fmt_shape(info.input_shape),
                fmt_shape(info.output_shape),
                f"{info.params:,}",
                human(info.macs) if info.macs else "—",
            )[col - 2]
        if role == Qt.ItemDataRole.ToolTipRole:
            if error is not None:
                return error.message
            if info is not None and not info.trainable:
                return self.tr("Frozen in the first epoch: its pretrained weights do not change")
        if role == Qt.ItemDataRole.ForegroundRole:
            if error is not None:
                return QBrush(colors().error_fg)
            if info is None or not info.trainable:  # frozen layers greyed across the row
                return QBrush(colors().muted_fg)
        if role == Qt.ItemDataRole.BackgroundRole and error is not None:
            return QBrush(colors().error_bg)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (0, 4, 5):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


#: the names' column never narrows below this (px) for a table that scrolls sideways instead
NAMES_WIDTH = 96


class ShapeTable(QWidget):
    """The ``shapeTable`` view with the totals under it."""

    def __init__(self, source: SummarySource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.model = ShapeTableModel(source, self)
        self.view = QTreeView()
        self.view.setObjectName("shapeTable")
        self.view.setModel(self.model)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setUniformRowHeights(True)
        self.view.setRootIsDecorated(True)  # blocks with branches get an expand arrow
        self.view.setIndentation(14)
        self._expanded: set[int] = set()
        self.model.modelAboutToBeReset.connect(self._remember_expanded)
        self.model.modelReset.connect(self._restore_expanded)
        header = self.view.header()
        for col in range(len(HEADERS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # names elide; numbers never do
        header.setStretchLastSection(False)  # else MACs takes room from the names: a horizontal scroll bar
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)  # "layer1 (fr…", not "lay…en)"
        self.view.viewport().installEventFilter(self)  # narrow: the names keep a readable width
        self.model.modelReset.connect(self._fit_names)
        self.totals = QLabel()
        self.totals.setObjectName("shapeTotals")
        self.totals.setWordWrap(True)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.totals)
        self.source = source
        source.changed.connect(self._refresh_totals)
        self._refresh_totals()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        """Fit the names' column when the view changes width."""
        if event.type() == QEvent.Type.Resize:
            self._fit_names()
        return super().eventFilter(watched, event)

    def _fit_names(self) -> None:
        """The names take the room the numbers leave; where that is less than a short name
        ("BatchNorm2d") needs (a 1024 px window), they keep that width and the numbers scroll
        sideways: a table of "…" and numbers tells nothing."""
        header = self.view.header()
        numbers = sum(header.sectionSize(c) for c in range(len(HEADERS)) if c != 1)
        wanted = min(
            NAMES_WIDTH, max(self.view.sizeHintForColumn(1), header.sectionSizeFromContents(1).width())
        )
        stretch = self.view.viewport().width() - numbers >= wanted
        mode = QHeaderView.ResizeMode.Stretch if stretch else QHeaderView.ResizeMode.Interactive
        if header.sectionResizeMode(1) != mode:
            header.setSectionResizeMode(1, mode)
        if not stretch and header.sectionSize(1) != wanted:
            header.resizeSection(1, wanted)

    def _remember_expanded(self) -> None:
        self._expanded = {
            r for r in range(self.model.rowCount()) if self.view.isExpanded(self.model.index(r, 0))
        }

    def _restore_expanded(self) -> None:
        for r in self._expanded:
            if r < self.model.rowCount() and self.model.branch_count(r):
                self.view.expand(self.model.index(r, 0))

    def _refresh_totals(self) -> None:
        s = self.source.summary()
        if s is None or s.error is not None:
            self.totals.setText(totals_text(s, self.source.pending(), self.source.error()))
            return
        lines = [
            self.tr("Total parameters: {n}").format(n=f"{s.total_params:,}"),
            self.tr("Trainable parameters: {n}").format(n=f"{s.trainable_params:,}"),
            self.tr("Size: {mb} MB (float32)").format(mb=f"{s.size_mb:.2f}"),
        ]
        if s.macs:
            lines.append(self.tr("MACs per image: {macs}").format(macs=human(s.macs)))
        self.totals.setText("<br>".join(lines))
