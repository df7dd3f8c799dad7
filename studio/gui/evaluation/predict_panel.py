"""Predict: open or drop image files, see each one's top-k classes as bars.

The panel asks the page's :class:`~studio.gui.evaluation.session.ModelCache` for the
current run's :class:`~studio.core.evaluation.predict.Predictor` inside a worker job (the model loads
off the GUI thread), classifies the files in chunks with a progress bar and a Cancel
button, and lists them with a thumbnail and their best class; the selected image's top-k
classes are drawn as bars. Unreadable files stay in the list with the reason.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from studio.core.base.i18n import tr as core_tr
from studio.core.data.preprocess import is_image_name
from studio.gui.common.tasks import LatestTask, TaskRunner, as_fraction
from studio.gui.common.theme import colors
from studio.gui.evaluation.bars import TopKBars
from studio.gui.evaluation.images import ImageLabel, to_qimage
from studio.gui.evaluation.session import PredictedImage, predict_job

IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp *.ppm *.pgm);;All files (*)"
RESULT_ROLE = Qt.ItemDataRole.UserRole + 1


def image_filter() -> str:
    """:data:`IMAGE_FILTER` in the GUI's language (the file dialogs' filter)."""
    return QCoreApplication.translate(
        "PredictPanel",
        "Images (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp *.ppm *.pgm);;All files (*)",
    )


def image_files(paths: list[Path]) -> list[str]:
    """The image files among ``paths`` (folders contribute their images, not recursively)."""
    out: list[str] = []
    for p in paths:
        if p.is_dir():
            out.extend(str(c) for c in sorted(p.iterdir()) if c.is_file() and is_image_name(c.name))
        elif p.is_file() and is_image_name(p.name):
            out.append(str(p))
    return out


class PredictPanel(QWidget):
    """The predict tab (objectName ``predictPanel``)."""

    #: explain this image file
    explainRequested = Signal(str)

    def __init__(
        self, predictor: Callable[[], Any], has_run: Callable[[], bool], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("predictPanel")
        self.setAcceptDrops(True)
        self._predictor = predictor
        self._has_run = has_run
        self.runner = TaskRunner(self, progress=as_fraction)
        self.work = LatestTask(self.runner, on_end=self._ended)
        self.results: list[PredictedImage] = []

        self.open_button = QPushButton(self.tr("Open images…"), self)
        self.open_button.setObjectName("predictOpen")
        self.open_button.clicked.connect(self.open_dialog)
        self.top_k = QSpinBox(self)
        self.top_k.setObjectName("predictTopK")
        self.top_k.setRange(1, 20)
        self.top_k.setValue(5)
        self.top_k.setPrefix(self.tr("top "))
        self.top_k.setToolTip(self.tr("How many classes to show per image"))
        self.top_k.valueChanged.connect(lambda *_: self._rerun())
        self.hint = QLabel(self.tr("or drop image files or a folder here"), self)
        self.hint.setStyleSheet(f"color: {colors().muted_fg.name()};")
        self.progress = QProgressBar(self)
        self.progress.setObjectName("predictProgress")
        self.progress.setRange(0, 1000)
        self.progress.setMaximumWidth(220)
        self.progress.hide()
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setObjectName("predictCancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        self.message = QLabel(self)
        self.message.setObjectName("predictMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        top = QHBoxLayout()
        top.addWidget(self.open_button)
        top.addWidget(self.top_k)
        top.addWidget(self.hint, 1)
        top.addWidget(self.progress)
        top.addWidget(self.cancel_button)

        self.list = QListWidget(self)
        self.list.setObjectName("predictList")
        self.list.setIconSize(QSize(48, 48))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.currentRowChanged.connect(self._show_row)
        self.list.setMinimumWidth(200)
        self.preview = ImageLabel(self.tr("No image"), self, minimum=120)
        self.preview.setObjectName("predictPreview")
        self.bars = TopKBars(self)
        self.explain_button = QPushButton(self.tr("Explain this image…"), self)
        self.explain_button.setObjectName("predictExplain")
        self.explain_button.setEnabled(False)
        self.explain_button.clicked.connect(self._explain)
        right = QWidget(self)
        column = QVBoxLayout(right)
        column.setContentsMargins(6, 0, 0, 0)
        column.addWidget(self.preview, 3)
        column.addWidget(self.bars, 0)
        column.addWidget(self.explain_button, 0, Qt.AlignmentFlag.AlignLeft)
        column.addStretch(1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.list)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 2)
        split.setSizes([300, 600])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(split, 1)
        self._paths: list[str] = []

    # ------------------------------------------------------------------ input

    def open_dialog(self) -> None:
        """Ask for image files and classify them."""
        paths, _ = QFileDialog.getOpenFileNames(self, self.tr("Open images to classify"), "", image_filter())
        if paths:
            self.predict(paths)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt API
        """Accept dropped local files."""
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt API
        """Classify the dropped images."""
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if self.take_paths(paths):
            event.acceptProposedAction()

    def take_paths(self, paths: list[Path]) -> bool:
        """Classify the images among ``paths``; False when there are none."""
        files = image_files(paths)
        if not files:
            return False
        self.predict(files)
        return True

    # ------------------------------------------------------------------ work

    def predict(self, paths: list[str | os.PathLike[str]]) -> None:
        """Classify ``paths`` with the current run's model, in the background."""
        self._paths = [os.fspath(p) for p in paths]
        self._rerun()

    def _rerun(self) -> None:
        if not self._paths:
            return
        if not self._has_run():
            self.show_message(self.tr("Pick a trained run at the top of the page first."), error=True)
            return
        self.show_message("")
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()
        self.work.start(
            predict_job(self._predictor, list(self._paths), self.top_k.value()),
            on_progress=self._on_progress,
            on_finished=self.show_results,
            on_failed=lambda message: self.show_message(message, error=True),
            on_cancelled=lambda: self.show_message(self.tr("Cancelled.")),
            name="predict",
        )

    def cancel(self) -> None:
        """Stop classifying (the images done so far are dropped)."""
        self.work.cancel()

    @property
    def busy(self) -> bool:
        """True while images are being classified."""
        return self.work.busy

    def _ended(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()

    def _on_progress(self, message: str, fraction: float) -> None:
        self.progress.setValue(int(1000 * fraction))
        self.progress.setFormat(core_tr(message))

    def show_message(self, text: str, error: bool = False) -> None:
        """A line over the list: what went wrong, in place."""
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {colors().error_fg.name()};" if error else "")
        self.message.setVisible(bool(text))

    def show_results(self, results: list[PredictedImage]) -> None:
        """List ``results``; select the first."""
        self.results = list(results)
        self.list.clear()
        bad = 0
        for r in results:
            pred = r.prediction
            name = "/".join(Path(pred.image).parts[-2:])
            if pred.ok:
                best = pred.top[0]
                text = f"{name}\n{best[0]} {100.0 * best[2]:.1f}%"
            else:
                bad += 1
                text = self.tr("{name}\ncannot read: {error}").format(name=name, error=pred.error)
            item = QListWidgetItem(text)
            item.setToolTip(pred.text())
            if r.thumbnail is not None:
                item.setIcon(QIcon(QPixmap.fromImage(to_qimage(r.thumbnail))))
            if not pred.ok:
                item.setForeground(colors().error_fg)
            self.list.addItem(item)
        if bad:
            self.show_message(
                self.tr("{bad} of {total} file(s) could not be read as images.").format(
                    bad=bad, total=len(results)
                ),
                error=True,
            )
        if results:
            self.list.setCurrentRow(0)

    def _show_row(self, row: int) -> None:
        if not 0 <= row < len(self.results):
            self.bars.set_items([])
            self.preview.clear_image()
            self.explain_button.setEnabled(False)
            return
        r = self.results[row]
        self.bars.set_items([(name, p) for name, _, p in r.prediction.top])
        if r.thumbnail is not None:
            self.preview.set_image(to_qimage(r.thumbnail))
        else:
            self.preview.clear_image(r.prediction.error or "")
        self.explain_button.setEnabled(r.prediction.ok)

    def _explain(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.results):
            self.explainRequested.emit(self.results[row].prediction.image)

    def clear(self) -> None:
        """Forget the images (another run was picked)."""
        self.cancel()
        self._paths = []
        self.results = []
        self.list.clear()
        self.show_message("")
