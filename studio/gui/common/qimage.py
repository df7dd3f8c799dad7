"""uint8 numpy arrays -> ``QImage``: the one place that picks the pixel format.

The image owns a copy of its pixels, so it may be made in a worker thread (thumbnails,
galleries) and shown in the GUI thread.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage

_FORMATS = {
    1: QImage.Format.Format_Grayscale8,
    3: QImage.Format.Format_RGB888,
    4: QImage.Format.Format_RGBA8888,
}


def array_to_qimage(arr: np.ndarray) -> QImage:
    """An ``(H, W)`` or ``(H, W, 1|3|4)`` uint8 array as a QImage that owns its pixels."""
    arr = np.ascontiguousarray(arr, dtype=np.uint8)
    if arr.ndim == 2:
        arr = arr[..., None]
    h, w, c = arr.shape
    return QImage(arr.data, w, h, w * c, _FORMATS[c]).copy()
