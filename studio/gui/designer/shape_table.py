"""The shape table (``shapeTable``) and the totals line.

One row per layer (for a pretrained model: per top-level child, as in ``summary --json``)
with its input and output shape, parameters and multiply-accumulates; below it the totals:
parameters, trainable parameters, size in MB and MACs. Both re-read the
:class:`SummarySource` whenever the document changes, so they follow every key press.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from studio.core.model.shapes import Summary
from studio.gui.designer.stack_model import fmt_shape
from studio.gui.designer.summary_source import SummarySource
from studio.gui.theme import colors

HEADERS = ("#", "Layer", "Input", "Output", "Parameters", "MACs")


def human(n: float) -> str:
    """1234567 -> '1.23 M'."""
    for unit, scale in (("G", 1e9), ("M", 1e6), ("K", 1e3)):
        if n >= scale:
            return f"{n / scale:.2f} {unit}"
    return f"{n:.0f}"


def totals_text(summary: Summary | None, pending: bool = False, error: str | None = None) -> str:
    """'Output 10 · 93,962 parameters (93,962 trainable) · 0.38 MB · 4.41 M MACs'."""
    if error:
        return f"Summary unavailable: {error}"
    if summary is None:
        return "Computing the parameter summary (loading PyTorch)…" if pending else ""
    if summary.error is not None:  # totals of the valid rows alone would mislead
        return (f"Input {fmt_shape(summary.input_shape)} → layer {summary.error.layer} is invalid: "
                "the totals appear once it is fixed.")
    text = (f"Input {fmt_shape(summary.input_shape)} → output {fmt_shape(summary.output_shape)}  ·  "
            f"{summary.total_params:,} parameters ({summary.trainable_params:,} trainable)  ·  "
            f"{summary.size_mb:.2f} MB")
    if summary.macs:
        text += f"  ·  {human(summary.macs)} MACs"
    return text


class ShapeTableModel(QAbstractTableModel):
    """Read-only rows over the current summary (reset on every change: it is cheap)."""

    def __init__(self, source: SummarySource, parent: Any = None) -> None:
        super().__init__(parent)
        self.source = source
        self._summary: Summary | None = None
        self._rows = 0
        source.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Re-read the summary."""
        self.beginResetModel()
        self._summary = self.source.summary()
        if self.source.is_pretrained():
            self._rows = len(self._summary.layers) if self._summary else 0
        else:
            self._rows = len(self.source.doc.layers)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802, D102
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802, D102
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802, D102
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: D102
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        s = self._summary
        info = s.layers[row] if s is not None and row < len(s.layers) else None
        error = s.error if s is not None and s.error is not None and s.error.layer == row else None
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return str(row)
            if col == 1:
                if info is not None:
                    return info.type + ("" if info.trainable else " (frozen)")
                layers = self.source.doc.layers
                return str(layers[row].get("type")) if row < len(layers) else ""
            if info is None:
                return ("✗ " + error.message if col == 3 else "") if error is not None else ("?" if col == 3 else "")
            return (fmt_shape(info.input_shape), fmt_shape(info.output_shape), f"{info.params:,}",
                    human(info.macs) if info.macs else "—")[col - 2]
        if role == Qt.ItemDataRole.ToolTipRole:
            if error is not None:
                return error.message
            if info is not None and not info.trainable:
                return "Frozen in the first epoch: its pretrained weights do not change"
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


class ShapeTable(QWidget):
    """The ``shapeTable`` view with the totals under it."""

    def __init__(self, source: SummarySource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.model = ShapeTableModel(source, self)
        self.view = QTableView()
        self.view.setObjectName("shapeTable")
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 8)
        header = self.view.horizontalHeader()
        for col in range(len(HEADERS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # names elide; numbers never do
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)  # "layer1 (fr…", not "lay…en)"
        self.totals = QLabel()
        self.totals.setObjectName("shapeTotals")
        self.totals.setWordWrap(True)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.totals)
        self.source = source
        source.changed.connect(self._refresh_totals)
        self._refresh_totals()

    def _refresh_totals(self) -> None:
        s = self.source.summary()
        if s is None or s.error is not None:
            self.totals.setText(totals_text(s, self.source.pending(), self.source.error()))
            return
        lines = [f"Total parameters: {s.total_params:,}", f"Trainable parameters: {s.trainable_params:,}",
                 f"Size: {s.size_mb:.2f} MB (float32)"]
        if s.macs:
            lines.append(f"MACs per image: {human(s.macs)}")
        self.totals.setText("<br>".join(lines))
