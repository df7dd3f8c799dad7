"""The per-class precision / recall / F1 table, sortable, with the averages under it.

:class:`ClassReportModel` reads a :class:`~studio.core.evaluation.metrics.ClassReport` (the core's
one definition of the metrics); ``VALUE_ROLE`` gives the raw number of a cell, which
sorting and the tests use. Low scores are tinted so the weak classes stand out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from studio.gui.common.theme import is_dark

if TYPE_CHECKING:
    from studio.core.evaluation.metrics import ClassReport

VALUE_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("Class", "Precision", "Recall", "F1", "Support", "Predicted")
KEYS = ("class", "precision", "recall", "f1", "support", "predicted")
Index = QModelIndex | QPersistentModelIndex


class ClassReportModel(QAbstractTableModel):
    """One row per class: name, precision, recall, F1, support, times predicted."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.report: ClassReport | None = None
        self._rows: list[dict[str, Any]] = []

    def set_report(self, report: ClassReport | None) -> None:
        """Show ``report`` (None: empty)."""
        self.beginResetModel()
        self.report = report
        self._rows = report.rows() if report is not None else []
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        """One row per class."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        """The :data:`COLUMNS`."""
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: D102 - Qt API
        if not index.isValid():
            return None
        row, key = self._rows[index.row()], KEYS[index.column()]
        value = row[key]
        if role == VALUE_ROLE:
            return value if key != "class" else row["index"]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{value:.3f}" if isinstance(value, float) else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and key != "class":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and isinstance(value, float) and row["support"] > 0:
            if value < 0.5:
                return QColor(110, 40, 40) if is_dark() else QColor(255, 215, 205)
            if value < 0.8:
                return QColor(100, 85, 35) if is_dark() else QColor(255, 240, 200)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr(
                "{name}: precision {precision:.3f} (of {predicted} predicted), recall {recall:.3f} "
                "(of {support} true), F1 {f1:.3f}"
            ).format(
                name=row["class"],
                precision=row["precision"],
                predicted=row["predicted"],
                recall=row["recall"],
                support=row["support"],
                f1=row["f1"],
            )
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,  # noqa: N802 - Qt API
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        """Column titles; tooltips define each metric."""
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                self.tr("Class"),
                self.tr("Precision"),
                self.tr("Recall"),
                self.tr("F1"),
                self.tr("Support"),
                self.tr("Predicted"),
            )[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                "",
                self.tr("Of the images predicted as this class, the fraction that are"),
                self.tr("Of the images of this class, the fraction found"),
                self.tr("Harmonic mean of precision and recall"),
                self.tr("Images of this class"),
                self.tr("Images predicted as this class"),
            )[section] or None
        return None


def summary_text(report: ClassReport) -> str:
    """Accuracy and the macro / weighted averages in one line."""
    macro, weighted = report.macro(), report.weighted()
    return QCoreApplication.translate(
        "ClassTable",
        "Accuracy {accuracy:.1f}% of {total} · macro avg P {mp:.3f} R {mr:.3f} F1 {mf:.3f} · "
        "weighted avg P {wp:.3f} R {wr:.3f} F1 {wf:.3f}",
    ).format(
        accuracy=100.0 * report.accuracy,
        total=report.total,
        mp=macro["precision"],
        mr=macro["recall"],
        mf=macro["f1"],
        wp=weighted["precision"],
        wr=weighted["recall"],
        wf=weighted["f1"],
    )


class ClassTable(QWidget):
    """The table (objectName ``classReport``) and a line of averages under it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ClassReportModel(self)
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(self.model)
        proxy.setSortRole(VALUE_ROLE)
        self.proxy = proxy
        self.view = QTableView(self)
        self.view.setObjectName("classReport")
        self.view.setModel(proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in range(1, len(COLUMNS)):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        self.averages = QLabel(self)
        self.averages.setObjectName("classReportAverages")
        self.averages.setWordWrap(True)
        self.averages.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.averages)

    def set_report(self, report: ClassReport | None) -> None:
        """Show ``report`` and its averages."""
        self.model.set_report(report)
        self.averages.setText(summary_text(report) if report is not None else "")
