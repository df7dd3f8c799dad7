"""Find texts that the window cuts off: what the no-elision test counts (issue #18 item 3,
issue #14 item 4).

A text is cut when the widget that shows it is narrower than the text needs: a label or a
button whose ``sizeHint`` is wider than the widget (a label that wraps is never cut), a combo
box whose current text does not fit its edit field, a tab whose text does not fit its tab, a
group box whose title is wider than the box, or a widget that its parents clip (outside any
scroll area: scrolling is not cutting). Korean text is often wider than English, so the test
runs in both languages.

Offscreen fonts differ a little from a desktop's, so every comparison allows ``slack`` pixels.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QStyle,
    QStyleOptionComboBox,
    QTabBar,
    QTableView,
    QTreeView,
    QWidget,
)


@dataclass(frozen=True)
class Cut:
    """One text that does not fit: where it is, the text, the width it needs and has."""

    where: str
    text: str
    need: int
    have: int

    def __str__(self) -> str:
        return f"{self.where}: {self.text!r} needs {self.need} px, has {self.have}"


def _name(widget: QWidget) -> str:
    return f"{type(widget).__name__}#{widget.objectName() or '?'}"


def _shown(widget: QWidget) -> bool:
    return widget.isVisible() and widget.width() > 0 and widget.height() > 0


def _in_scroll_area(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def _clipped_by_parents(widget: QWidget, slack: int) -> int | None:
    """The width of ``widget`` its ancestors leave visible, when they hide more than ``slack``."""
    rect = widget.rect().translated(widget.mapTo(widget.window(), widget.rect().topLeft()))
    visible = rect
    parent = widget.parentWidget()
    while parent is not None and not parent.isWindow():
        prect = parent.rect().translated(parent.mapTo(parent.window(), parent.rect().topLeft()))
        visible = visible.intersected(prect)
        parent = parent.parentWidget()
    if parent is not None:
        visible = visible.intersected(parent.rect())
    if visible.width() < rect.width() - slack:
        return max(0, visible.width())
    return None


def _text_of(widget: QWidget) -> str:
    if isinstance(widget, (QLabel, QAbstractButton)):
        return widget.text()
    if isinstance(widget, QComboBox):
        return widget.currentText()
    if isinstance(widget, QGroupBox):
        return widget.title()
    return ""


def cut_texts(root: QWidget, slack: int = 4) -> list[Cut]:
    """Every visible text under ``root`` that is cut off (see the module docstring)."""
    found: list[Cut] = []
    for w in [root, *root.findChildren(QWidget)]:
        if not _shown(w):
            continue
        if isinstance(w, QLabel):
            if w.wordWrap() or not w.text().strip() or w.pixmap() is not None and not w.pixmap().isNull():
                continue
            need, have = w.sizeHint().width(), w.width()
            if need > have + slack:
                found.append(Cut(_name(w), w.text(), need, have))
                continue
        elif isinstance(w, QAbstractButton):
            if not w.text().strip():
                continue
            need, have = w.sizeHint().width(), w.width()
            if need > have + slack:
                found.append(Cut(_name(w), w.text(), need, have))
                continue
        elif isinstance(w, QComboBox):
            if not w.currentText().strip() or w.isEditable():
                continue
            option = QStyleOptionComboBox()
            w.initStyleOption(option)
            field = w.style().subControlRect(
                QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, w
            )
            need = w.fontMetrics().horizontalAdvance(w.currentText())
            if not w.itemIcon(w.currentIndex()).isNull():
                need += w.iconSize().width() + 4
            if need > field.width() + slack:
                found.append(Cut(_name(w), w.currentText(), need, field.width()))
                continue
        elif isinstance(w, QGroupBox):
            if not w.title().strip():
                continue
            need = w.fontMetrics().horizontalAdvance(w.title()) + 16
            if need > w.width() + slack:
                found.append(Cut(_name(w) + ".title", w.title(), need, w.width()))
                continue
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                if not w.isTabVisible(i):
                    continue
                text = w.tabText(i)
                tab = w.tabRect(i)
                need = w.fontMetrics().horizontalAdvance(text) + 8
                if not w.tabIcon(i).isNull():
                    need += w.iconSize().width() + 4
                if tab.width() < need - slack or tab.right() > w.width() + slack or tab.left() < -slack:
                    found.append(
                        Cut(
                            f"{_name(w)}.tab{i}", text, need, max(0, min(tab.right(), w.width()) - tab.left())
                        )
                    )
            continue
        else:
            continue
        if not _in_scroll_area(w):
            visible = _clipped_by_parents(w, slack)
            if visible is not None:
                found.append(Cut(_name(w) + " (clipped by its parent)", _text_of(w), w.width(), visible))
    return found


def cut_cells(root: QWidget, slack: int = 4) -> list[Cut]:
    """Columns of the visible tables and trees under ``root`` whose texts (shown rows, or the
    header) are wider than the column: Qt draws them with "…". A column that a horizontal
    scroll bar can bring into view still counts: the cell itself is cut."""
    found: list[Cut] = []
    for view in root.findChildren(QAbstractItemView):
        if not _shown(view) or view.model() is None or not isinstance(view, (QTableView, QTreeView)):
            continue
        if view.textElideMode() == Qt.TextElideMode.ElideNone:
            continue
        model = view.model()
        header: QHeaderView | None = (
            view.horizontalHeader() if isinstance(view, QTableView) else view.header()
        )
        try:
            columns = model.columnCount(QModelIndex())
        except TypeError:
            columns = 1
        for column in range(columns):
            if header is not None and header.isSectionHidden(column):
                continue
            have = view.columnWidth(column) if header is not None else view.viewport().width()
            if isinstance(view, QTreeView) and header is not None and header.isHidden() and columns == 1:
                have = view.viewport().width()
            need = view.sizeHintForColumn(column)  # the rows in view
            shown = header is not None and header.isVisible()
            title = str(model.headerData(column, Qt.Orientation.Horizontal) or "") if shown else ""
            if header is not None and type(header) is QHeaderView and header.isVisible() and title:
                need_title = header.sectionSizeFromContents(column).width()
                if need_title > have + slack:
                    found.append(Cut(f"{_name(view)}.header{column}", title, need_title, have))
            if need > have + slack:
                found.append(Cut(f"{_name(view)}.column{column}", title, need, have))
            elif header is not None and header.isVisible():
                right = header.sectionViewportPosition(column) + header.sectionSize(column)
                if right > view.viewport().width() + slack:  # behind a horizontal scroll bar
                    found.append(
                        Cut(f"{_name(view)}.column{column} (scrolled)", title, right, view.viewport().width())
                    )
    return found
