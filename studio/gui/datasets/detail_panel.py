"""The clicked image, larger, with its path, pixel size, mode, file size and label.

The image is decoded on a worker thread (:meth:`Listing.thumbnail` at 512 px and
:meth:`Listing.info`); a newer click makes an older result be ignored when it arrives.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from studio.core.base.errors import UserError
from studio.core.data.browse import ImageInfo, Listing
from studio.gui.common.i18n import fill
from studio.gui.common.qimage import array_to_qimage
from studio.gui.common.tasks import TaskRunner
from studio.gui.datasets.histogram import split_label

DETAIL_SIZE = 512


def scaled_pixmap(image: QImage, box: QSize) -> QPixmap:
    """``image`` fitted into ``box``: small images grow with crisp pixels, big ones shrink smoothly."""
    pix = QPixmap.fromImage(image)
    if image.width() <= box.width() and image.height() <= box.height():
        factor = max(1, min(box.width() // max(1, image.width()), box.height() // max(1, image.height())))
        return pix.scaled(
            image.width() * factor,
            image.height() * factor,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.FastTransformation,
        )
    return pix.scaled(box, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)


class DetailPanel(QWidget):
    """Shows one image of a listing with what the user needs to know about it."""

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.image_label = QLabel(self.tr("Click an image to see it here."))
        self.image_label.setObjectName("detailImage")
        self.image_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image_label.setMinimumSize(160, 160)
        self.image_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.info_label = QLabel("")
        self.info_label.setObjectName("detailInfo")
        self.info_label.setWordWrap(True)
        self.info_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.image_label, 1)
        layout.addWidget(self.info_label)
        self.info: ImageInfo | None = None
        self.image: QImage | None = None
        self._request = 0

    def show_image(self, listing: Listing | None, index: int | None) -> None:
        """Decode and show image ``index`` of ``listing`` (None clears)."""
        self._request += 1
        request = self._request
        if listing is None or index is None:
            self.info, self.image = None, None
            self.image_label.setPixmap(QPixmap())
            self.image_label.setText(self.tr("Click an image to see it here."))
            self.info_label.setText("")
            return
        self.info_label.setText(fill(self.tr("%1\nloading…"), listing.name(index)))

        def work(_progress: Any, _cancelled: Any) -> tuple[QImage | None, ImageInfo | None, str]:
            try:
                image = array_to_qimage(listing.thumbnail(index, DETAIL_SIZE))
                return image, listing.info(index), ""
            except UserError as exc:
                return None, None, getattr(exc, "reason", None) or str(exc)

        self.runner.start(work, on_finished=lambda result: self._shown(request, listing, index, result))

    def _shown(
        self, request: int, listing: Listing, index: int, result: tuple[QImage | None, ImageInfo | None, str]
    ) -> None:
        if request != self._request:
            return
        image, info, error = result
        self.image, self.info = image, info
        if image is None or info is None:
            self.image_label.setPixmap(QPixmap())
            self.image_label.setText(self.tr("Cannot show this image."))
            self.info_label.setText(
                fill(
                    self.tr("%1\nlabel: %2  ·  split: %3\n%4"),
                    listing.name(index),
                    listing.label_name(index),
                    split_label(listing.split_name(index)),
                    error,
                )
            )
            return
        self.image_label.setText("")
        self._fit()
        self.info_label.setText(self.describe(info))

    def describe(self, info: ImageInfo) -> str:
        """:meth:`ImageInfo.describe` in the studio's language: its last line names the label and split."""
        lines = info.describe().split("\n")[:-1]  # name, path, size: no words to translate
        lines.append(fill(self.tr("label: %1  ·  split: %2"), info.label, split_label(info.split)))
        return "\n".join(lines)

    def _fit(self) -> None:
        if self.image is not None and not self.image.isNull():
            box = self.image_label.size() - QSize(8, 8)
            self.image_label.setPixmap(
                scaled_pixmap(self.image, QSize(max(32, box.width()), max(32, box.height())))
            )

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        """Refit the image to the new size."""
        super().resizeEvent(event)
        self._fit()
