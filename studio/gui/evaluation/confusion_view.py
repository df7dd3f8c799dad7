"""The confusion matrix as a heat map: counts and per-row percentages, one cell per class pair.

:class:`ConfusionModel` is a table model over an :class:`~studio.core.evaluation.evaluate.Evaluation`
(rows: true class, columns: predicted class); it keeps no copy of the numbers, it reads
``evaluation.confusion`` and ``evaluation.row_percentages()``. :class:`HeatDelegate` paints
each cell in a colour whose strength is the row percentage - blue on the diagonal (right
answers), orange off it (mistakes) - with the count and the percentage on top.
:class:`ConfusionView` is the ``QTableView`` (objectName ``confusionMatrix``) with rotated
column headers, so that ten or more class names stay readable; clicking a cell emits
``cellChosen(true, predicted)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionHeader,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from studio.gui.common.theme import is_dark

if TYPE_CHECKING:
    from studio.core.evaluation.evaluate import Evaluation

COUNT_ROLE = Qt.ItemDataRole.UserRole + 1  # int: images in the cell
PERCENT_ROLE = Qt.ItemDataRole.UserRole + 2  # float: percent of the true class's images
DIAGONAL_ROLE = Qt.ItemDataRole.UserRole + 3  # bool: true class == predicted class
Index = QModelIndex | QPersistentModelIndex

MIN_CELL, MAX_CELL = 34, 96
MAX_HEADER = 140


def percent_text(percent: float) -> str:
    """``85%``; one decimal below 1% so that a few images never read as ``0%``."""
    return f"{percent:.1f}%" if 0 < percent < 1 else f"{percent:.0f}%"


class ConfusionModel(QAbstractTableModel):
    """Rows are true classes, columns predicted classes (see the module docstring)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.evaluation: Evaluation | None = None
        self._percent: np.ndarray = np.zeros((0, 0))

    def set_evaluation(self, evaluation: Evaluation | None) -> None:
        """Show ``evaluation`` (None: an empty matrix)."""
        self.beginResetModel()
        self.evaluation = evaluation
        self._percent = evaluation.row_percentages() if evaluation is not None else np.zeros((0, 0))
        self.endResetModel()

    @property
    def classes(self) -> list[str]:
        """Class names in label order (empty without an evaluation)."""
        return list(self.evaluation.classes) if self.evaluation is not None else []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        """One row per true class."""
        return 0 if parent.isValid() else len(self.classes)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        """One column per predicted class."""
        return 0 if parent.isValid() else len(self.classes)

    def count(self, row: int, column: int) -> int:
        """Images of true class ``row`` predicted as ``column``."""
        assert self.evaluation is not None
        return int(self.evaluation.confusion[row, column])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: D102 - Qt API
        if not index.isValid() or self.evaluation is None:
            return None
        r, c = index.row(), index.column()
        if role == COUNT_ROLE:
            return self.count(r, c)
        if role == PERCENT_ROLE:
            return float(self._percent[r, c])
        if role == DIAGONAL_ROLE:
            return r == c
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{self.count(r, c)}\n{percent_text(self._percent[r, c])}"
        if role == Qt.ItemDataRole.ToolTipRole:
            names = self.classes
            n = self.count(r, c)
            if r == c:
                text = self.tr(
                    "<b>{true}</b> correctly classified: {count} image(s) ({percent:.1f}% of {true})"
                    "<br>Click to see them."
                )
            else:
                text = self.tr(
                    "<b>{true}</b> predicted as {predicted}: {count} image(s) ({percent:.1f}% of "
                    "{true})<br>Click to see them."
                )
            return text.format(true=names[r], predicted=names[c], count=n, percent=self._percent[r, c])
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.tr("true {true}, predicted {predicted}: {count}").format(
                true=self.classes[r], predicted=self.classes[c], count=self.count(r, c)
            )
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,  # noqa: N802 - Qt API
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        """Class names on both axes; tooltips say which axis is which."""
        names = self.classes
        if not 0 <= section < len(names):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return names[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            if orientation == Qt.Orientation.Vertical:
                assert self.evaluation is not None
                support = int(self.evaluation.confusion[section].sum())
                return self.tr("true class {name} ({count} image(s))").format(
                    name=names[section], count=support
                )
            return self.tr("predicted class {name}").format(name=names[section])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:  # noqa: D102 - Qt API
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def heat_colour(percent: float, diagonal: bool, dark: bool) -> QColor:
    """The cell colour: stronger with the row percentage; blue right, orange wrong."""
    t = max(0.0, min(1.0, percent / 100.0))
    if percent > 0:
        t = 0.12 + 0.88 * t  # a single mistake must still show
    hue = 212 if diagonal else 24
    if dark:
        return QColor.fromHsvF(hue / 360.0, 0.15 + 0.7 * t, 0.22 + 0.6 * t)
    return QColor.fromHsvF(hue / 360.0, 0.04 + 0.86 * t, 1.0 - 0.38 * t)


def text_colour(background: QColor) -> QColor:
    """Black or white, whichever reads better on ``background``."""
    r, g, b = background.redF(), background.greenF(), background.blueF()
    return (
        QColor(Qt.GlobalColor.black)
        if 0.299 * r + 0.587 * g + 0.114 * b > 0.55
        else QColor(Qt.GlobalColor.white)
    )


class HeatDelegate(QStyledItemDelegate):
    """Paints a cell: heat colour, the count (bold) and the row percentage under it."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:  # noqa: D102
        count = index.data(COUNT_ROLE)
        if count is None:
            return super().paint(painter, option, index)
        percent = float(index.data(PERCENT_ROLE))
        dark = is_dark(option.palette)
        bg = heat_colour(percent, bool(index.data(DIAGONAL_ROLE)), dark)
        rect = QRect(option.rect)
        painter.save()
        painter.fillRect(rect, bg)
        fg = text_colour(bg)
        if count == 0:
            fg.setAlphaF(0.35)
        painter.setPen(fg)
        font = QFont(option.font)
        big = rect.height() >= 2.2 * QFontMetrics(font).height() and rect.width() >= 34
        font.setBold(count > 0)
        painter.setFont(font)
        if big and count > 0:
            top = QRect(rect.left(), rect.top(), rect.width(), rect.height() // 2 + 2)
            bottom = QRect(rect.left(), rect.top() + rect.height() // 2, rect.width(), rect.height() // 2)
            painter.drawText(top, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, str(count))
            small = QFont(option.font)
            small.setPointSizeF(max(6.0, small.pointSizeF() * 0.85))
            painter.setFont(small)
            painter.drawText(
                bottom, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, percent_text(percent)
            )
        else:
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(count))
        if option.state & QStyle.StateFlag.State_Selected:
            pen = option.palette.color(QPalette.ColorRole.Highlight)
            painter.setPen(pen)
            painter.drawRect(rect.adjusted(1, 1, -2, -2))
            painter.drawRect(rect.adjusted(2, 2, -3, -3))
        painter.restore()


class RotatedHeader(QHeaderView):
    """A horizontal header that writes its labels bottom-to-top (long names in narrow columns)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setSectionsClickable(False)
        self.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """Tall enough for the longest label (up to :data:`MAX_HEADER` pixels)."""
        hint = super().sizeHint()
        model = self.model()
        fm = QFontMetrics(self.font())
        longest = 0
        if model is not None:
            for i in range(model.columnCount()):
                longest = max(
                    longest, fm.horizontalAdvance(str(model.headerData(i, Qt.Orientation.Horizontal)))
                )
        hint.setHeight(min(MAX_HEADER, max(fm.height() + 8, longest + 14)))
        return hint

    def paintSection(self, painter: QPainter, rect: QRect, logical_index: int) -> None:  # noqa: N802 - Qt API
        """The styled section background, then the label turned 90 degrees, elided to fit."""
        if not rect.isValid():
            return
        painter.save()
        opt = QStyleOptionHeader()
        self.initStyleOption(opt)
        opt.rect = rect
        opt.section = logical_index
        opt.text = ""
        self.style().drawControl(self.style().ControlElement.CE_Header, opt, painter, self)
        painter.restore()
        text = str(self.model().headerData(logical_index, Qt.Orientation.Horizontal) or "")
        fm = QFontMetrics(self.font())
        painter.save()
        painter.setPen(self.palette().color(QPalette.ColorRole.ButtonText))
        painter.translate(rect.left() + rect.width() / 2 + fm.ascent() / 2 - 1, rect.bottom() - 6)
        painter.rotate(-90)
        painter.drawText(0, 0, fm.elidedText(text, Qt.TextElideMode.ElideRight, rect.height() - 10))
        painter.restore()


class ConfusionView(QTableView):
    """The heat-map table (objectName ``confusionMatrix``); cells scale to fill the view."""

    #: a cell was clicked: (true class, predicted class)
    cellChosen = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("confusionMatrix")
        self.confusion_model = ConfusionModel(self)
        self.setModel(self.confusion_model)
        self.setHorizontalHeader(RotatedHeader(self))
        self.setItemDelegate(HeatDelegate(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setShowGrid(True)
        self.setWordWrap(False)
        self.setCornerButtonEnabled(False)
        self.verticalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)
        self.verticalHeader().setMaximumWidth(MAX_HEADER)
        self.verticalHeader().setSectionsClickable(False)
        for header in (self.horizontalHeader(), self.verticalHeader()):
            header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
            header.setMinimumSectionSize(MIN_CELL)
        self.clicked.connect(lambda index: self.cellChosen.emit(index.row(), index.column()))
        self.activated.connect(lambda index: self.cellChosen.emit(index.row(), index.column()))
        self.setMinimumSize(240, 200)

    def set_evaluation(self, evaluation: Evaluation | None) -> None:
        """Show ``evaluation``'s matrix (None: empty)."""
        self.confusion_model.set_evaluation(evaluation)
        self.horizontalHeader().updateGeometry()
        self.fit_cells()

    def cell_size(self) -> tuple[int, int]:
        """(width, height) of a cell so that the matrix fills the view, each in MIN_CELL..MAX_CELL."""
        k = self.confusion_model.rowCount()
        if k == 0:
            return MIN_CELL, MIN_CELL
        avail_w = self.width() - self.verticalHeader().width() - 2 * self.frameWidth() - 2
        avail_h = self.height() - self.horizontalHeader().height() - 2 * self.frameWidth() - 2
        w = int(max(MIN_CELL, min(MAX_CELL, avail_w // k)))
        h = int(max(MIN_CELL, min(MAX_CELL, avail_h // k, int(1.5 * w))))
        return w, h

    def fit_cells(self) -> None:
        """Resize every row and column to :meth:`cell_size`."""
        w, h = self.cell_size()
        self.horizontalHeader().setDefaultSectionSize(w)
        self.verticalHeader().setDefaultSectionSize(h)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        """Refit the cells to the new size."""
        super().resizeEvent(event)
        self.fit_cells()
