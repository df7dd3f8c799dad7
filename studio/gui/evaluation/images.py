"""numpy / torch uint8 images -> ``QImage`` / ``QPixmap``, and a label that shows one scaled.

Core functions hand back ``(C, H, W)`` uint8 tensors (a split's ``item``), ``(H, W)`` or
``(H, W, 3)`` uint8 arrays (feature-map and filter grids) or PIL images (Grad-CAM overlays).
:func:`to_qimage` turns any of them into a ``QImage`` that owns its pixels, so it may be
made in a worker thread and shown in the GUI thread.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from studio.core.evaluation.explain import as_hwc
from studio.gui.common.qimage import array_to_qimage


def to_qimage(image: Any) -> QImage:
    """A deep-copied ``QImage`` (Grayscale8, RGB888 or RGBA8888) of ``image`` (see :func:`as_hwc`)."""
    return array_to_qimage(as_hwc(image))


def scaled(image: QImage, size: QSize) -> QImage:
    """``image`` fitted into ``size`` keeping its aspect: blocky when enlarged (pixels stay
    visible, as in a feature map), smooth when reduced."""
    if image.isNull() or size.width() <= 0 or size.height() <= 0:
        return image
    mode = (
        Qt.TransformationMode.FastTransformation
        if image.width() < size.width()
        else Qt.TransformationMode.SmoothTransformation
    )
    return image.scaled(size, Qt.AspectRatioMode.KeepAspectRatio, mode)


class ImageLabel(QLabel):
    """A label showing one image scaled to fit (it keeps the original for :attr:`image`)."""

    def __init__(self, placeholder: str = "", parent: QWidget | None = None, minimum: int = 96) -> None:
        super().__init__(parent)
        self.placeholder = placeholder
        self.image = QImage()
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(minimum, minimum)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setWordWrap(True)
        self.setText(placeholder)

    def set_image(self, image: QImage | None) -> None:
        """Show ``image`` (None or a null image shows the placeholder text)."""
        self.image = image if image is not None else QImage()
        self._refresh()

    def clear_image(self, text: str | None = None) -> None:
        """Back to the placeholder (or ``text``)."""
        self.image = QImage()
        self.setPixmap(QPixmap())
        self.setText(self.placeholder if text is None else text)

    def _refresh(self) -> None:
        if self.image.isNull():
            self.clear_image()
            return
        self.setText("")
        self.setPixmap(QPixmap.fromImage(scaled(self.image, self.contentsRect().size())))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        """Rescale to the new size."""
        super().resizeEvent(event)
        if not self.image.isNull():
            self.setPixmap(QPixmap.fromImage(scaled(self.image, self.contentsRect().size())))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """Small: the layout gives it room (a pixmap must not make the page grow)."""
        return QSize(self.minimumWidth(), self.minimumHeight())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """The set minimum, whatever pixmap is shown."""
        return self.minimumSize()
