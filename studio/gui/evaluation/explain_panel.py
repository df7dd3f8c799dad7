"""Explain: look inside the network for one image.

For the chosen image (double-clicked in a gallery, sent from the predict tab, or opened
here) the panel shows the input as the model sees it, the **feature maps** of any
convolution layer (or block) as a grid, the **first layer's learned filters**, and a
**Grad-CAM** overlay for the predicted class or any other. The pictures are computed by
:mod:`studio.core.evaluation.explain` in a worker job (:func:`~studio.gui.evaluation.session.explain_job`);
the model is the page's current run, loaded once by its
:class:`~studio.gui.evaluation.session.ModelCache`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from studio.gui.common.tasks import LatestTask, TaskRunner, as_fraction
from studio.gui.common.theme import colors
from studio.gui.evaluation.images import ImageLabel, to_qimage
from studio.gui.evaluation.predict_panel import image_filter
from studio.gui.evaluation.session import ExplainImage, ExplainResult, ModelSession, explain_job


def _caption(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
    return label


class ExplainPanel(QWidget):
    """The explain tab (objectName ``explainPanel``)."""

    def __init__(
        self, session: Callable[[], ModelSession], has_run: Callable[[], bool], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("explainPanel")
        self._session = session
        self._has_run = has_run
        self.runner = TaskRunner(self, progress=as_fraction)
        self.work = LatestTask(self.runner, on_end=self._ended)
        self.image: ExplainImage | str | None = None
        self.result: ExplainResult | None = None
        self._filling = False

        self.source = QLabel(self.tr("No image chosen"), self)
        self.source.setObjectName("explainSource")
        self.open_button = QPushButton(self.tr("Open image…"), self)
        self.open_button.setObjectName("explainOpen")
        self.open_button.clicked.connect(self.open_dialog)
        self.layer_combo = QComboBox(self)
        self.layer_combo.setObjectName("featureLayer")
        self.layer_combo.setToolTip(self.tr("The layer whose output (feature maps) is shown"))
        self.layer_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.target_combo = QComboBox(self)
        self.target_combo.setObjectName("camTarget")
        self.target_combo.setToolTip(self.tr("The class whose evidence Grad-CAM shows"))
        self.cam_layer_combo = QComboBox(self)
        self.cam_layer_combo.setObjectName("camLayer")
        self.cam_layer_combo.setToolTip(
            self.tr("The layer Grad-CAM weighs (the last convolution block by default)")
        )
        for combo in (self.layer_combo, self.target_combo, self.cam_layer_combo):
            combo.currentIndexChanged.connect(self._options_changed)
            combo.setMinimumContentsLength(10)
        self.busy_label = QLabel(self)
        self.busy_label.setObjectName("explainBusy")
        self.message = QLabel(self)
        self.message.setObjectName("explainMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()

        # two rows, so that the page fits a 1024 px wide window: the image, then what to show of it
        top = QVBoxLayout()
        first = QHBoxLayout()
        first.addWidget(self.open_button)
        first.addWidget(self.source, 1)
        first.addWidget(self.busy_label)
        second = QHBoxLayout()
        second.addWidget(QLabel(self.tr("Feature maps of"), self))
        second.addWidget(self.layer_combo)
        second.addWidget(QLabel(self.tr("Grad-CAM for"), self))
        second.addWidget(self.target_combo)
        second.addWidget(QLabel(self.tr("at"), self))
        second.addWidget(self.cam_layer_combo)
        second.addStretch(1)
        top.addLayout(first)
        top.addLayout(second)

        self.input_view = ImageLabel(
            self.tr(
                "Choose an image: double-click one in a gallery of the Evaluation tab, press “Explain this image” on "
                "the Predict tab, or open one here."
            ),
            self,
            minimum=120,
        )
        self.input_view.setObjectName("explainInput")
        self.cam_view = ImageLabel("", self, minimum=120)
        self.cam_view.setObjectName("gradCamOverlay")
        self.maps_view = ImageLabel("", self, minimum=200)
        self.maps_view.setObjectName("featureMaps")
        self.filters_view = ImageLabel("", self, minimum=140)
        self.filters_view.setObjectName("firstLayerFilters")
        self.input_caption = _caption(self.tr("Input, as the model sees it"), self)
        self.cam_caption = _caption(self.tr("Grad-CAM"), self)
        self.maps_caption = _caption(self.tr("Feature maps"), self)
        self.filters_caption = _caption(self.tr("First layer's filters"), self)

        grid = QGridLayout()
        grid.addWidget(self.input_caption, 0, 0)
        grid.addWidget(self.input_view, 1, 0)
        grid.addWidget(self.cam_caption, 2, 0)
        grid.addWidget(self.cam_view, 3, 0)
        grid.addWidget(self.maps_caption, 0, 1)
        grid.addWidget(self.maps_view, 1, 1, 3, 1)
        grid.addWidget(self.filters_caption, 0, 2)
        grid.addWidget(self.filters_view, 1, 2, 3, 1)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 4)
        grid.setColumnStretch(2, 2)
        grid.setRowStretch(1, 1)
        grid.setRowStretch(3, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addLayout(grid, 1)
        self._reset_combos()

    # ------------------------------------------------------------------ input

    def open_dialog(self) -> None:
        """Ask for one image file and explain it."""
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open an image to explain"), "", image_filter())
        if path:
            self.explain(path)

    def explain(self, image: ExplainImage | str | Path) -> None:
        """Explain ``image`` (pixels at the model's size, or an image file) with the current options."""
        self.image = str(image) if isinstance(image, Path) else image
        self.source.setText(Path(self.image).name if isinstance(self.image, str) else self.image.label)
        self._start()

    def run_changed(self) -> None:
        """Another run or checkpoint: forget the model's layers and pictures (keep the image)."""
        self.work.forget()
        self.result = None
        self.busy_label.clear()
        self._reset_combos()
        for view in (self.cam_view, self.maps_view, self.filters_view):
            view.clear_image("")
        if isinstance(self.image, ExplainImage):  # pixels of the old run's dataset: drop them
            self.image = None
            self.source.setText(self.tr("No image chosen"))
            self.input_view.clear_image()
        elif self.image is not None and self.isVisible():
            self._start()

    def reset(self) -> None:
        """Another project: forget the image, the pictures, their captions and any message."""
        self.image = None
        self.source.setText(self.tr("No image chosen"))
        self.input_view.clear_image()
        self.run_changed()
        self.show_message("")
        self.input_caption.setText(self.tr("Input, as the model sees it"))
        self.cam_caption.setText(self.tr("Grad-CAM"))
        self.maps_caption.setText(self.tr("Feature maps"))
        self.filters_caption.setText(self.tr("First layer's filters"))

    # ------------------------------------------------------------------ work

    def _options_changed(self, *_: Any) -> None:
        if not self._filling and self.image is not None:
            self._start()

    def _start(self) -> None:
        if self.image is None:
            return
        if not self._has_run():
            self.show_message(self.tr("Pick a trained run at the top of the page first."))
            return
        self.show_message("")
        self.busy_label.setText(self.tr("working…"))
        target = self.target_combo.currentData()
        fn = explain_job(
            self._session,
            self.image,
            self.layer_combo.currentData() or None,
            int(target) if target is not None else None,
            self.cam_layer_combo.currentData() or None,
            with_filters=True,
        )
        self.work.start(fn, name="explain", on_finished=self.show_result, on_failed=self.show_message)

    @property
    def busy(self) -> bool:
        """True while pictures are being computed."""
        return self.work.busy

    def _ended(self) -> None:
        self.busy_label.clear()

    def show_message(self, text: str) -> None:
        """An error in place, over the pictures (empty text hides it)."""
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {colors().error_fg.name()};")
        self.message.setVisible(bool(text))

    # ------------------------------------------------------------------ results

    def _reset_combos(self) -> None:
        self._filling = True
        try:
            self.layer_combo.clear()
            self.layer_combo.addItem(self.tr("first convolution"), None)
            self.target_combo.clear()
            self.target_combo.addItem(self.tr("predicted class"), None)
            self.cam_layer_combo.clear()
            self.cam_layer_combo.addItem(self.tr("last conv block"), None)
        finally:
            self._filling = False

    def _fill_combos(self, result: ExplainResult) -> None:
        """Layer and class choices of a newly loaded model (the current choices kept)."""
        self._filling = True
        try:
            ex = result.explanation
            self.layer_combo.clear()
            for choice in result.layers:
                c, h, w = choice.output_shape
                self.layer_combo.addItem(f"{choice.name} ({c}×{h}×{w})", choice.name)
            self.layer_combo.setCurrentIndex(max(0, self.layer_combo.findData(ex.layer)))
            self.target_combo.clear()
            self.target_combo.addItem(self.tr("predicted class"), None)
            for k, name in enumerate(result.session.classes):
                self.target_combo.addItem(name, k)
            self.cam_layer_combo.clear()
            self.cam_layer_combo.addItem(
                self.tr("last conv block ({layer})").format(layer=ex.cam_layer), None
            )
            for choice in result.layers:
                self.cam_layer_combo.addItem(choice.name, choice.name)
        finally:
            self._filling = False

    def show_result(self, result: ExplainResult) -> None:
        """Show the pictures of ``result``."""
        first = self.result is None or self.result.session is not result.session
        self.result = result
        self.image = result.image if not isinstance(self.image, str) else self.image
        if first:
            self._fill_combos(result)
        ex = result.explanation
        classes = result.session.classes
        name = classes[ex.target] if 0 <= ex.target < len(classes) else str(ex.target)
        h, w = ex.image.shape[:2]
        truth = result.image.true
        if truth is not None and 0 <= truth < len(classes):
            caption = self.tr("Input as the model sees it ({w}×{h}, true class {name})").format(
                w=w, h=h, name=classes[truth]
            )
        else:
            caption = self.tr("Input as the model sees it ({w}×{h})").format(w=w, h=h)
        self.input_caption.setText(caption)
        self.input_view.set_image(to_qimage(ex.image))
        self.cam_caption.setText(
            self.tr(
                "Grad-CAM for {name} ({percent:.1f}%) at {layer}; red marks the strongest evidence"
            ).format(name=name, layer=ex.cam_layer, percent=100.0 * float(ex.probabilities[ex.target]))
        )
        self.cam_view.set_image(to_qimage(ex.cam))
        c, mh, mw = ex.maps_shape
        self.maps_caption.setText(
            self.tr("Feature maps of {layer}: {c} maps of {h}×{w}").format(layer=ex.layer, c=c, h=mh, w=mw)
        )
        self.maps_view.set_image(to_qimage(ex.maps))
        if ex.filters is not None:
            self.filters_caption.setText(self.tr("First layer's learned filters"))
            self.filters_view.set_image(to_qimage(ex.filters))
