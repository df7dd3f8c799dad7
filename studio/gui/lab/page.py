"""The Lab page: the lecture's operations, step by step, on real images.

It opens on the embedded sample dataset (no project, no dataset needed) and works on any
image file. Tabs:

* **Numbers** — the image as a zoomable grid of its pixel numbers, per channel;
* **Convolution** — a kernel sliding over the padded input, step by step (:class:`ConvPanel`);
* **Feature maps** — several kernels, a bias each, ReLU: one filter, one feature map;
* **Pooling** — max/average, the chosen value in each window, no parameters;
* **Your network's filters** — a trained run's first convolution as the kernels;
* **Why convolution** — two runs evaluated on shifted validation images.

All arithmetic is :mod:`studio.core.evaluation.lab` (and ``lab_runs`` for runs), which the
``cnn-studio lab`` command shares.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from studio.core.base.errors import UserError
from studio.core.evaluation.lab import load_channels, project_images, sample_images
from studio.core.runs.history import runs_dir_for
from studio.gui.common.tasks import LatestTask, TaskRunner, as_fraction
from studio.gui.lab.conv_panel import ConvPanel
from studio.gui.lab.grid import GridView
from studio.gui.lab.maps_panels import MapsPanel, PoolPanel
from studio.gui.lab.run_panels import FiltersPanel, ShiftPanel

IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp)"
SAMPLE_COUNT = 16


class LabPage(QWidget):
    """The Convolution Lab (see the module doc)."""

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("convolutionLab")
        self.context = context
        self.samples: np.ndarray | None = None
        self.sample_names: list[str] = []
        self.file_image: np.ndarray | None = None  # (C, H, W) of an opened file
        self.rgb = np.zeros((1, 28, 28))  # the current image, (C, H, W) 0-255
        self.pixels = np.zeros((28, 28))  # the channel the Lab works on
        self._loaded = False

        self.image_combo = QComboBox(self)
        self.image_combo.setObjectName("labImage")
        self.image_combo.setMinimumContentsLength(18)
        self.open_button = QPushButton(self.tr("Open image…"), self)
        self.open_button.setObjectName("labOpenImage")
        self.dataset_button = QPushButton(self.tr("Project's images"), self)
        self.dataset_button.setObjectName("labProjectImages")
        self.dataset_button.setToolTip(self.tr("Add images of the open project's dataset to the list"))
        self.project_images: list[np.ndarray] = []
        self.runner = TaskRunner(self, progress=as_fraction)
        self.work = LatestTask(self.runner)
        self.channel = QComboBox(self)
        self.channel.setObjectName("labChannel")
        self.shape_label = QLabel(self)
        self.shape_label.setObjectName("labImageShape")
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Image")))
        top.addWidget(self.image_combo, 1)
        top.addWidget(self.dataset_button)
        top.addWidget(self.open_button)
        top.addWidget(QLabel(self.tr("Channel")))
        top.addWidget(self.channel)
        top.addWidget(self.shape_label)

        # numbers tab
        self.numbers_view = GridView(self, 24)
        self.numbers_view.setObjectName("pixelGrid")
        self.zoom = QSlider(Qt.Orientation.Horizontal, self)
        self.zoom.setObjectName("labZoom")
        self.zoom.setRange(2, 64)
        self.zoom.setValue(24)
        self.numbers_note = QLabel(
            self.tr(
                "An image is numbers: each cell is one pixel, 0 (black) to 255 (white). Zoom in to read them "
                "(Ctrl+wheel or the slider); a colour image has three such grids, one per channel."
            ),
            self,
        )
        self.numbers_note.setWordWrap(True)
        numbers = QWidget(self)
        nl = QVBoxLayout(numbers)
        zoom_row = QHBoxLayout()
        zoom_row.addWidget(self.numbers_note, 1)
        zoom_row.addWidget(QLabel(self.tr("Zoom")))
        zoom_row.addWidget(self.zoom)
        nl.addLayout(zoom_row)
        nl.addWidget(self.numbers_view, 1)

        self.conv = ConvPanel(self)
        self.maps = MapsPanel(self)
        self.pool = PoolPanel(self)
        self.filters = FiltersPanel(self.runs_dir, self)
        self.shift = ShiftPanel(self.runs_dir, self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("labTabs")
        self.tabs.addTab(numbers, self.tr("Numbers"))
        self.tabs.addTab(self.conv, self.tr("Convolution"))
        self.tabs.addTab(self.maps, self.tr("Feature maps"))
        self.tabs.addTab(self.pool, self.tr("Pooling"))
        self.tabs.addTab(self.filters, self.tr("Your network's filters"))
        self.tabs.addTab(self.shift, self.tr("Why convolution"))

        column = QVBoxLayout(self)
        column.addLayout(top)
        column.addWidget(self.tabs, 1)

        self.image_combo.currentIndexChanged.connect(lambda *_: self._image_chosen())
        self.channel.currentIndexChanged.connect(lambda *_: self._channel_chosen())
        self.open_button.clicked.connect(self.open_dialog)
        self.dataset_button.clicked.connect(self.load_project_images)
        self.zoom.valueChanged.connect(self.numbers_view.grid.set_cell_size)
        self.filters.replayRequested.connect(self.replay_filter)
        self.tabs.currentChanged.connect(lambda *_: self._tab_changed())
        doc = context.document
        context.listen(doc.path_changed, lambda *_: self._project_changed(), self)
        context.listen(
            doc.changed, lambda what=None, *_: self._project_changed() if what == "all" else None, self
        )

    # ------------------------------------------------------------------ page hooks

    def runs_dir(self) -> Path | None:
        """The open project's runs folder (None with no saved project)."""
        path = self.context.document.path
        return runs_dir_for(path) if path else None

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        self.ensure_loaded()
        super().showEvent(event)

    def page_activated(self) -> None:
        """Shown: load the sample images once, and re-read the runs."""
        self.ensure_loaded()
        self.filters.refresh()
        self.shift.refresh()

    def shutdown(self) -> None:
        """Stop playback and worker threads."""
        self.conv.play(False)
        self.work.forget()
        self.runner.wait(3000)
        for panel in (self.filters, self.shift):
            panel.work.forget()
            panel.runner.wait(3000)

    def _project_changed(self) -> None:
        if not self._loaded:
            return  # the runs are read when the page is first shown
        self.filters.refresh()
        self.shift.refresh()

    def handle_drop(self, paths: list[Path]) -> bool:
        """An image dropped on the window while the Lab shows: open it."""
        images = [
            p
            for p in paths
            if p.suffix.lower() in (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff")
        ]
        if not images or not self.isVisible():
            return False
        self.open_file(images[0])
        return True

    # ------------------------------------------------------------------ images

    def ensure_loaded(self) -> None:
        """Load the embedded sample images (once) and show the first."""
        if self._loaded:
            return
        self._loaded = True
        self.filters.refresh()
        self.shift.refresh()
        try:
            self.samples, self.sample_names = sample_images(SAMPLE_COUNT)
        except UserError as exc:  # a broken installation: the Lab still takes files
            self.samples, self.sample_names = np.zeros((1, 1, 28, 28), dtype=np.uint8), [str(exc)]
        self.image_combo.blockSignals(True)
        for i, name in enumerate(self.sample_names):
            self.image_combo.addItem(self.tr("sample {i}: {name}").format(i=i + 1, name=name), i)
        self.image_combo.blockSignals(False)
        self._image_chosen()

    def load_project_images(self) -> None:
        """Add up to 16 images of the open project's dataset (read in a worker thread)."""
        self.ensure_loaded()
        project = copy.deepcopy(self.context.document.project)
        self.dataset_button.setEnabled(False)
        self.context.show_status(self.tr("Reading the project's dataset…"))
        self.work.start(
            lambda progress, cancelled: project_images(project, SAMPLE_COUNT),
            on_finished=self._project_images_loaded,
            on_failed=self._project_images_failed,
            name="lab project images",
        )

    def _project_images_failed(self, message: str) -> None:
        self.dataset_button.setEnabled(True)
        self.context.show_error(self.tr("Project's images"), message)

    def _project_images_loaded(self, result: tuple[list[np.ndarray], list[str]]) -> None:
        self.dataset_button.setEnabled(True)
        images, names = result
        self.project_images = images
        self.image_combo.blockSignals(True)
        for i in reversed(range(self.image_combo.count())):
            if isinstance(self.image_combo.itemData(i), str) and self.image_combo.itemData(i).startswith(
                "project:"
            ):
                self.image_combo.removeItem(i)
        first = self.image_combo.count()
        for i, name in enumerate(names):
            self.image_combo.addItem(
                self.tr("dataset {i}: {name}").format(i=i + 1, name=name), f"project:{i}"
            )
        self.image_combo.setCurrentIndex(first)
        self.image_combo.blockSignals(False)
        self._image_chosen()

    def open_dialog(self) -> None:
        """Pick an image file."""
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open an image"), "", IMAGE_FILTER)
        if path:
            self.open_file(Path(path))

    def open_file(self, path: str | Path) -> None:
        """Use an image file (greyscale or colour) as the Lab's image."""
        self.ensure_loaded()
        try:
            image = load_channels(path)
        except UserError as exc:
            self.context.show_error(self.tr("Open image"), str(exc))
            return
        self.file_image = image
        self.image_combo.blockSignals(True)
        index = self.image_combo.findData("file")
        if index < 0:
            self.image_combo.addItem("", "file")
            index = self.image_combo.count() - 1
        self.image_combo.setItemText(index, self.tr("file: {name}").format(name=Path(path).name))
        self.image_combo.setCurrentIndex(index)
        self.image_combo.blockSignals(False)
        self._image_chosen()

    def _image_chosen(self) -> None:
        data = self.image_combo.currentData()
        if data == "file" and self.file_image is not None:
            self.rgb = self.file_image
        elif isinstance(data, str) and data.startswith("project:"):
            self.rgb = self.project_images[int(data.split(":", 1)[1])]
        elif self.samples is not None and isinstance(data, int):
            self.rgb = self.samples[data].astype(np.float64)
        else:
            return
        self.channel.blockSignals(True)
        self.channel.clear()
        if self.rgb.shape[0] == 1:
            self.channel.addItem(self.tr("grey"), None)
        else:
            self.channel.addItem(self.tr("grey (L)"), None)
            for i, name in enumerate((self.tr("red"), self.tr("green"), self.tr("blue"))):
                self.channel.addItem(name, i)
        self.channel.blockSignals(False)
        self._channel_chosen()

    def _channel_chosen(self) -> None:
        c = self.channel.currentData()
        if self.rgb.shape[0] == 1:
            self.pixels = self.rgb[0]
        elif c is None:  # Pillow's L conversion: ITU-R 601-2 luma, rounded as Pillow rounds it
            r, g, b = self.rgb
            self.pixels = np.floor((r * 299 + g * 587 + b * 114) / 1000 + 0.5)
        else:
            self.pixels = self.rgb[c]
        h, w = self.pixels.shape
        self.shape_label.setText(self.tr("{h}x{w}, {c} channel(s)").format(h=h, w=w, c=self.rgb.shape[0]))
        self.numbers_view.grid.set_values(self.pixels, pixels=True)
        self.conv.set_image(self.pixels)
        self.maps.set_image(self.pixels)
        self.filters.set_pixels(self.rgb)
        self._conv_changed()

    def _conv_changed(self) -> None:
        sources = {self.tr("the image"): self.pixels}
        if self.conv.lab is not None:
            sources[self.tr("the convolution's output")] = self.conv.lab.output
        if self.maps.maps.shape[0]:
            sources[self.tr("feature map 1")] = self.maps.maps[0]
        self.pool.set_sources(sources)

    def _tab_changed(self) -> None:
        if self.tabs.currentWidget() is self.pool:
            self._conv_changed()
        if self.tabs.currentWidget() is not self.conv:
            self.conv.play(False)

    def replay_filter(
        self,
        kernel: np.ndarray,
        bias: float,
        padding: Any,
        stride: int,
        dilation: int,
        network_input: np.ndarray,
    ) -> None:
        """Replay a network's filter on the network's own input in the Convolution tab."""
        self.conv.set_image(network_input, digits=2, note=self.tr("the network's input (normalised)"))
        self.conv.set_settings(padding, stride, dilation)
        self.conv.set_kernel(kernel, bias)
        self.tabs.setCurrentWidget(self.conv)
