"""Augmentation: the ``data.augment`` settings editor and a preview grid of augmented images.

The editor shows the resolved settings (:func:`studio.core.data.augment.validate_augment`: the
preset expanded, explicit keys on top) and writes each change back as one undoable edit.
Choosing a preset replaces the section with ``{"preset": name}``; touching a single control
adds that key on top of the preset.

The preview converts the selected image exactly as training does
(:func:`studio.core.data.browse.model_input`) and runs
:func:`studio.core.data.augment_ops.augment_preview` on a worker thread; "Re-roll" draws new random
parameters (a new seed), and any settings change redraws with the current seed.
"""

from __future__ import annotations

import copy
import random
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studio.core.base.errors import UserError
from studio.core.data.augment import AUGMENT_KEYS, PRESET_NAMES, validate_augment
from studio.core.data.browse import Listing, chw_to_hwc, model_input
from studio.gui.common.i18n import fill
from studio.gui.common.qimage import array_to_qimage
from studio.gui.common.tasks import TaskRunner
from studio.gui.datasets.binding import DataBinding
from studio.gui.datasets.detail_panel import scaled_pixmap

PREVIEW_COUNT = 8
TILE = 92


class AugmentSettings(QGroupBox):
    """Editor of ``data.augment``: a preset and one control per key."""

    def __init__(self, binding: DataBinding, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Augmentation (training only)"))
        self.binding = binding
        self._updating = False
        form = QFormLayout(self)
        self.preset = QComboBox()
        self.preset.setObjectName("augmentPreset")
        for name in PRESET_NAMES:
            self.preset.addItem(self._preset_label(name), name)
        self.preset.activated.connect(self._preset_picked)
        self.custom_note = QLabel("")
        preset_row = QHBoxLayout()
        preset_row.setContentsMargins(0, 0, 0, 0)
        preset_row.addWidget(self.preset, 1)
        preset_row.addWidget(self.custom_note)
        form.addRow(self.tr("Preset"), preset_row)

        self.random_crop = QSpinBox()
        self.random_crop.setRange(0, 256)
        self.hflip = QCheckBox(self.tr("Mirror left-right"))
        self.rotate = _dspin(0.0, 180.0, 1.0, 1, "°")
        self.translate = _dspin(0.0, 0.5, 0.05, 2, "")
        self.scale_lo = _dspin(0.1, 4.0, 0.05, 2, "")
        self.scale_hi = _dspin(0.1, 4.0, 0.05, 2, "")
        self.color_jitter = _dspin(0.0, 1.0, 0.05, 2, "")
        self.random_erasing = _dspin(0.0, 1.0, 0.05, 2, "")
        self.random_crop.setKeyboardTracking(False)
        self.random_crop.setSuffix(self.tr(" px padding"))
        for key, widget in self.controls().items():
            widget.setObjectName(f"augment_{key}")
        form.addRow(self.tr("Random crop"), self.random_crop)
        form.addRow(self.tr("Flip"), self.hflip)
        form.addRow(self.tr("Rotate up to"), self.rotate)
        form.addRow(self.tr("Shift up to"), self.translate)
        scale_row = QHBoxLayout()
        scale_row.setContentsMargins(0, 0, 0, 0)
        scale_row.addWidget(self.scale_lo, 1)
        scale_row.addWidget(QLabel(self.tr("to")))
        scale_row.addWidget(self.scale_hi, 1)
        form.addRow(self.tr("Zoom"), scale_row)
        form.addRow(self.tr("Colour jitter"), self.color_jitter)
        form.addRow(self.tr("Random erasing"), self.random_erasing)
        self.translate.setToolTip(self.tr("largest shift as a fraction of the width and height"))
        self.color_jitter.setToolTip(
            self.tr("brightness, contrast and saturation vary by up to this fraction")
        )
        self.random_erasing.setToolTip(self.tr("probability of blanking a random rectangle"))

        self.random_crop.valueChanged.connect(lambda v: self._set("random_crop", int(v)))
        self.hflip.toggled.connect(lambda on: self._set("hflip", bool(on)))
        self.rotate.valueChanged.connect(lambda v: self._set("rotate", round(float(v), 3)))
        self.translate.valueChanged.connect(lambda v: self._set("translate", round(float(v), 4)))
        self.scale_lo.valueChanged.connect(lambda _v: self._set_scale(low_changed=True))
        self.scale_hi.valueChanged.connect(lambda _v: self._set_scale(low_changed=False))
        self.color_jitter.valueChanged.connect(lambda v: self._set("color_jitter", round(float(v), 4)))
        self.random_erasing.valueChanged.connect(lambda v: self._set("random_erasing", round(float(v), 4)))
        self.refresh()

    def retranslate(self) -> None:
        """Rewrite what the window's text swap cannot reach (a spin-box suffix, preset names)."""
        self.random_crop.setSuffix(self.tr(" px padding"))
        for k in range(self.preset.count()):
            self.preset.setItemText(k, self._preset_label(str(self.preset.itemData(k))))
        self.refresh()

    def _preset_label(self, name: str) -> str:
        """A preset's name as shown (the data value stays the core's key)."""
        labels = {
            "none": self.tr("None"),
            "light": self.tr("Light"),
            "standard": self.tr("Standard"),
            "strong": self.tr("Strong"),
        }
        return labels.get(name, name.capitalize())

    def _setting_label(self, key: str) -> str:
        """A setting's name for the undo history."""
        labels = {
            "random_crop": self.tr("Random crop"),
            "hflip": self.tr("Flip"),
            "rotate": self.tr("Rotate"),
            "translate": self.tr("Shift"),
            "scale": self.tr("Zoom"),
            "color_jitter": self.tr("Colour jitter"),
            "random_erasing": self.tr("Random erasing"),
        }
        return labels.get(key, key.replace("_", " "))

    def controls(self) -> dict[str, QWidget]:
        """The editor widget of each key (``scale`` has two)."""
        return {
            "random_crop": self.random_crop,
            "hflip": self.hflip,
            "rotate": self.rotate,
            "translate": self.translate,
            "scale_min": self.scale_lo,
            "scale_max": self.scale_hi,
            "color_jitter": self.color_jitter,
            "random_erasing": self.random_erasing,
        }

    def refresh(self) -> None:
        """Show the project's augmentation settings."""
        raw = self.binding.data.augment
        try:
            cfg = validate_augment(raw)
        except UserError:
            return
        self._updating = True
        try:
            self.preset.setCurrentIndex(max(0, self.preset.findData(raw.get("preset", "none"))))
            custom = any(k in raw for k in AUGMENT_KEYS[1:])
            self.custom_note.setText(self.tr("+ your changes") if custom else "")
            self.random_crop.setValue(cfg.random_crop)
            self.hflip.setChecked(cfg.hflip)
            self.rotate.setValue(cfg.rotate)
            self.translate.setValue(cfg.translate)
            self.scale_lo.setValue(cfg.scale[0])
            self.scale_hi.setValue(cfg.scale[1])
            self.color_jitter.setValue(cfg.color_jitter)
            self.random_erasing.setValue(cfg.random_erasing)
        finally:
            self._updating = False

    def _preset_picked(self, _index: int) -> None:
        name = str(self.preset.currentData())
        new = {} if name == "none" else {"preset": name}
        extra = {k: v for k, v in self.binding.data.augment.items() if k not in AUGMENT_KEYS}
        new.update(copy.deepcopy(extra))
        if not self.binding.set(
            "augment", new, self.tr("Augmentation preset {preset}").format(preset=self._preset_label(name))
        ):
            self.refresh()

    def _set(self, key: str, value: Any) -> None:
        if self._updating:
            return
        new = copy.deepcopy(self.binding.data.augment)
        new[key] = value
        merge = None if key == "hflip" else ("augment", key)  # spin-box steps: one undo step
        text = self.tr("Augmentation: {setting}").format(setting=self._setting_label(key))
        if not self.binding.update({"augment": new}, text, merge_key=merge):
            self.refresh()

    def _set_scale(self, low_changed: bool) -> None:
        if self._updating:
            return
        lo, hi = float(self.scale_lo.value()), float(self.scale_hi.value())
        if lo > hi:
            lo, hi = (lo, lo) if low_changed else (hi, hi)
        self._set("scale", [round(lo, 4), round(hi, 4)])


def _dspin(lo: float, hi: float, step: float, decimals: int, suffix: str) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(lo, hi)
    spin.setSingleStep(step)
    spin.setDecimals(decimals)
    spin.setKeyboardTracking(False)
    if suffix:
        spin.setSuffix(suffix)
    return spin


class AugmentPreview(QWidget):
    """The selected image and :data:`PREVIEW_COUNT` augmented versions of it."""

    def __init__(self, binding: DataBinding, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.binding = binding
        self.runner = runner
        self.seed = 0
        self.listing: Listing | None = None
        self.index: int | None = None
        self.images: list[QImage] = []  # [original, augmented...] as last shown
        self.generation = 0  # previews shown so far (tests wait on it)
        self._request = 0
        self.title = QLabel(self.tr("Select an image to preview its augmentation."))
        self.title.setWordWrap(True)
        self.reroll = QPushButton(self.tr("Re-roll"))
        self.reroll.setObjectName("augmentReroll")
        self.reroll.setToolTip(self.tr("draw new random augmentations of the same image"))
        self.reroll.clicked.connect(self.re_roll)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.reroll)
        self.grid = QGridLayout()
        self.grid.setSpacing(6)
        self.tiles: list[QLabel] = []
        for k in range(PREVIEW_COUNT + 1):
            tile = QLabel()
            tile.setFixedSize(QSize(TILE, TILE))
            tile.setAlignment(Qt.AlignmentFlag.AlignCenter)
            tile.setStyleSheet("background: rgba(128,128,128,40); border-radius: 3px;")
            self.grid.addWidget(tile, k // 3, k % 3)
            self.tiles.append(tile)
        self._tile_tips()
        self.error = QLabel("")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #d9534f;")
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(self.grid)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(30)
        self._timer.timeout.connect(self._render)

    def _tile_tips(self) -> None:
        for k, tile in enumerate(self.tiles):
            tile.setToolTip(
                self.tr("original (as the network sees it)") if k == 0 else fill(self.tr("augmented #%1"), k)
            )

    def retranslate(self) -> None:
        """Rewrite the title and the tiles' tips in the language just chosen."""
        self._tile_tips()
        self.update_preview()

    def set_image(self, listing: Listing | None, index: int | None) -> None:
        """Preview image ``index`` of ``listing``."""
        self.listing, self.index = listing, index
        self.update_preview()

    def re_roll(self) -> None:
        """New random augmentations of the same image."""
        self.seed = random.randrange(1 << 30)
        self.update_preview()

    def update_preview(self) -> None:
        """Redraw soon (settings or image changed); several calls in a row redraw once."""
        self._timer.start()

    def _render(self) -> None:
        self._request += 1
        request = self._request
        listing, index = self.listing, self.index
        if listing is None or index is None:
            for tile in self.tiles:
                tile.clear()
            self.title.setText(self.tr("Select an image to preview its augmentation."))
            return
        d = self.binding.data
        augment, channels, size, seed = copy.deepcopy(d.augment), d.channels, tuple(d.image_size), self.seed
        self.title.setText(
            fill(
                self.tr("%1 at %2×%3, %n channel(s): original, then %4 augmented", "", channels),
                listing.name(index),
                size[0],
                size[1],
                PREVIEW_COUNT,
            )
        )

        def work(_progress: Any, _cancelled: Any) -> list[QImage]:
            from studio.core.data.augment_ops import augment_preview  # lazy: pulls in torch

            image = model_input(listing, index, channels, size)
            batch = augment_preview(image, augment, PREVIEW_COUNT, seed)
            return [array_to_qimage(chw_to_hwc(image))] + [array_to_qimage(chw_to_hwc(t)) for t in batch]

        self.runner.start(
            work,
            on_finished=lambda images: self._shown(request, images),
            on_failed=lambda message: self._failed(request, message),
        )

    def _shown(self, request: int, images: list[QImage]) -> None:
        if request != self._request:
            return
        self.images = images
        self.error.hide()
        box = QSize(TILE - 4, TILE - 4)
        for tile, image in zip(self.tiles, images, strict=False):
            tile.setPixmap(scaled_pixmap(image, box))
        self.generation += 1

    def _failed(self, request: int, message: str) -> None:
        if request != self._request:
            return
        self.images = []
        for tile in self.tiles:
            tile.clear()
        self.error.setText(message)
        self.error.show()
        self.generation += 1
