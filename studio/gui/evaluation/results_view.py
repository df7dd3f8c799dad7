"""The Evaluation tab: the confusion matrix beside the per-class table and two galleries.

:class:`ResultsView` shows one :class:`~studio.gui.evaluation.session.EvaluatedRun`: the
heat map (``confusionMatrix``; a placeholder until there is a result), and in tabs beside
it the per-class precision / recall / F1 table, the images of the clicked cell and the
most confident mistakes. Gallery thumbnails are rendered in the galleries' worker thread
from the evaluated split's own pixels, or as Grad-CAM overlays with the run's model.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QSplitter, QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from studio.core.base.errors import UserError
from studio.gui.common.theme import colors
from studio.gui.evaluation.class_table import ClassTable
from studio.gui.evaluation.confusion_view import ConfusionView
from studio.gui.evaluation.gallery import Gallery
from studio.gui.evaluation.session import EvaluatedRun, ModelCache

MISTAKES = 200


def _off_diagonal(cm: np.ndarray) -> np.ndarray:
    out = cm.copy()
    np.fill_diagonal(out, -1)
    return out


class ResultsView(QSplitter):
    """Matrix on the left; per-class table, cell images and mistakes on the right."""

    #: explain this evaluated image (a :class:`~studio.core.evaluation.evaluate.Sample`)
    explainRequested = Signal(object)

    def __init__(self, cache: ModelCache, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setObjectName("evaluationResults")
        self.cache = cache
        self.result: EvaluatedRun | None = None

        self.matrix = ConfusionView(self)
        self.matrix.cellChosen.connect(self.show_cell)
        title = QLabel(
            self.tr(
                "<b>Confusion matrix</b> — rows: true class, columns: predicted class; "
                "click a cell to see its images"
            ),
            self,
        )
        title.setWordWrap(True)
        self.placeholder = QLabel(self)
        self.placeholder.setObjectName("evaluatePlaceholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setStyleSheet(f"color: {colors().muted_fg.name()}; font-size: 13pt; padding: 24px;")
        self.matrix_stack = QStackedWidget(self)
        self.matrix_stack.addWidget(self.placeholder)
        self.matrix_stack.addWidget(self.matrix)
        matrix_box = QWidget(self)
        column = QVBoxLayout(matrix_box)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(title)
        column.addWidget(self.matrix_stack, 1)

        self.class_table = ClassTable(self)
        self.cell_gallery = Gallery(
            "cellGallery", self.tr("Click a cell of the confusion matrix to see its images."), self
        )
        self.mistakes = Gallery(
            "mistakesGallery", self.tr("The most confident mistakes appear here after an evaluation."), self
        )
        for gallery in (self.cell_gallery, self.mistakes):
            gallery.explainRequested.connect(self.explainRequested)
        self.side_tabs = QTabWidget(self)
        self.side_tabs.setObjectName("evaluationTabs")
        self.side_tabs.addTab(self.class_table, self.tr("Per class"))
        self.side_tabs.addTab(self.cell_gallery, self.tr("Cell images"))
        self.side_tabs.addTab(self.mistakes, self.tr("Most confident mistakes"))

        self.addWidget(matrix_box)
        self.addWidget(self.side_tabs)
        self.setStretchFactor(0, 5)
        self.setStretchFactor(1, 4)
        self.setSizes([620, 520])
        self.setChildrenCollapsible(False)

    def set_placeholder(self, text: str) -> None:
        """What the matrix area says while there is no result."""
        self.placeholder.setText(text)

    def show_result(self, result: EvaluatedRun | None) -> None:
        """Fill the matrix, the table and the galleries from ``result`` (None clears them)."""
        self.result = result
        ev = result.evaluation if result is not None else None
        self.matrix.set_evaluation(ev)
        self.matrix_stack.setCurrentWidget(self.matrix if ev is not None else self.placeholder)
        self.class_table.set_report(ev.report if ev is not None else None)
        if ev is None:
            self.cell_gallery.set_samples(
                self.tr("Click a cell of the confusion matrix to see its images."), [], [], None
            )
            self.mistakes.set_samples(
                self.tr("The most confident mistakes appear here after an evaluation."), [], [], None
            )
            return
        wrong = ev.mistakes(MISTAKES)
        total_wrong = int((ev.labels != ev.predictions).sum())
        if total_wrong > len(wrong):
            title = self.tr(
                "{count} mistake(s), most confident first (the {shown} most confident shown)"
            ).format(count=total_wrong, shown=len(wrong))
        else:
            title = self.tr("{count} mistake(s), most confident first").format(count=total_wrong)
        self.mistakes.set_samples(title, wrong, ev.classes, self.render)
        if total_wrong:  # open the gallery on the biggest confusion
            t, p = np.unravel_index(int(np.argmax(_off_diagonal(ev.confusion))), ev.confusion.shape)
            self.show_cell(int(t), int(p), switch=False)
        elif len(ev.classes):
            self.show_cell(0, 0, switch=False)

    def show_cell(self, true: int, predicted: int, switch: bool = True) -> None:
        """Fill the cell gallery with the images of confusion-matrix cell (true, predicted)."""
        if self.result is None:
            return
        ev = self.result.evaluation
        samples = ev.cell(true, predicted)
        names = ev.classes
        if true == predicted:
            title = self.tr("{true} classified correctly: {count} image(s), most confident first")
        else:
            title = self.tr("{true} predicted as {predicted}: {count} image(s), most confident first")
        title = title.format(true=names[true], predicted=names[predicted], count=len(samples))
        self.cell_gallery.set_samples(title, samples, names, self.render)
        self.matrix.setCurrentIndex(self.matrix.model().index(true, predicted))
        if switch:
            self.side_tabs.setCurrentWidget(self.cell_gallery)

    def render(self, sample: Any, cam: bool) -> Any:
        """A gallery tile (called in the gallery's worker thread): the image, or its Grad-CAM overlay."""
        result = self.result
        if result is None:
            raise UserError("the evaluation was cleared")
        pixels = result.pixels(sample.index)
        if not cam:
            return pixels
        return self.cache.session().cam_overlay(pixels, sample.predicted)

    def wait(self, msecs: int = 2000) -> None:
        """Wait for the galleries' pending thumbnails (shutdown)."""
        for gallery in (self.cell_gallery, self.mistakes):
            gallery.model.wait(msecs)
