"""The Data page (``datasetBrowser``): choose the dataset, look at every image, check its health.

Left: where the data comes from and how it is shaped (:class:`SourcePicker`) and the images
per class (:class:`ClassPanel`). Middle: the ``thumbnailGrid`` of every image with class,
split and name filters. Right: the clicked image, the augmentation settings with their
preview, and the health report.

The page owns no settings: it reads ``project.data`` and edits it through undoable edits.
Listing a dataset (a folder scan or decoding an in-memory source) runs on a worker thread
when the page is first shown and whenever the source changes; a change of ``data.val`` or of
the seed only re-splits what was already read. Nothing here decodes an image on the GUI
thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from studio.core.base.wording import in_gui_words
from studio.core.data.browse import DatasetBase, Listing, base_key, class_counts, listing_from_base, load_base
from studio.core.data.classes import suggest_root
from studio.core.data.download import DOWNLOADABLE
from studio.gui.common.i18n import fill, notifier
from studio.gui.common.pyside_compat import protect_none
from studio.gui.common.tasks import Task, TaskRunner
from studio.gui.datasets.augment_panel import AugmentPreview, AugmentSettings
from studio.gui.datasets.binding import DataBinding
from studio.gui.datasets.detail_panel import DetailPanel
from studio.gui.datasets.health_panel import HealthPanel
from studio.gui.datasets.histogram import ClassPanel, split_label
from studio.gui.datasets.source_picker import SourcePicker
from studio.gui.datasets.thumbnail_loader import ThumbnailLoader
from studio.gui.datasets.thumbnail_model import ThumbnailGrid, ThumbnailModel

THUMB = 64

protect_none()  # the grid's delegate makes thousands of void Qt calls a second (see pyside_compat)


class DataPage(QWidget):
    """The dataset browser page, constructed by the main window as ``DataPage(context, parent)``."""

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("datasetBrowser")
        self.setAcceptDrops(True)
        self.context = context
        self.binding = DataBinding(context)
        self.runner = TaskRunner(self, threads=2)
        self.loader = ThumbnailLoader(self, size=THUMB)
        self.model = ThumbnailModel(self.loader, self)
        self.base: DatasetBase | None = None
        self.listing: Listing | None = None
        self.load_task: Task | None = None
        self._loaded_key: tuple[Any, ...] | None = None
        self._request = 0
        self.loads_finished = 0  # listings shown so far (tests wait on it)

        # ---- left column: source, split, shape; class histogram
        self.source_picker = SourcePicker(self.binding, self.runner)
        self.source_picker.download_finished.connect(lambda: self.reload(force=True))
        self.class_panel = ClassPanel()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(6, 6, 6, 6)
        left_layout.addWidget(self.source_picker)
        left_layout.addWidget(self.class_panel, 1)
        # scrolls when the window is short (1024x700); as narrow as its content allows
        left_scroll = QScrollArea()
        left_scroll.setObjectName("dataLeftColumn")
        left_scroll.setWidgetResizable(True)
        left_scroll.setFrameShape(QFrame.Shape.NoFrame)
        left_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        left_scroll.setWidget(left)
        left_scroll.setMinimumWidth(
            left.minimumSizeHint().width() + left_scroll.verticalScrollBar().sizeHint().width()
        )

        # ---- middle: banner, filters, grid
        self.banner = QLabel("")
        self.banner.setObjectName("dataBanner")
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.load_progress = QProgressBar()
        self.load_progress.setMaximumWidth(180)
        self.load_cancel = QPushButton(self.tr("Cancel"))
        self.load_cancel.clicked.connect(self.cancel_load)
        banner_row = QHBoxLayout()
        banner_row.setContentsMargins(0, 0, 0, 0)
        banner_row.addWidget(self.banner, 1)
        banner_row.addWidget(self.load_progress)
        banner_row.addWidget(self.load_cancel)
        self.use_parent = QPushButton()
        self.use_parent.setObjectName("dataUseParent")
        self.use_parent.clicked.connect(self.use_parent_folder)
        self.use_parent.hide()
        banner_row.addWidget(self.use_parent)
        self.banner_box = QWidget()
        self.banner_box.setLayout(banner_row)
        self.banner_box.hide()

        self.class_filter = QComboBox()
        self.class_filter.setObjectName("classFilter")
        self.class_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.class_filter.setMinimumContentsLength(10)
        self.split_filter = QComboBox()
        self.split_filter.setObjectName("splitFilter")
        self.search = QLineEdit()
        self.search.setObjectName("imageSearch")
        self.search.setPlaceholderText(self.tr("Search file names…"))
        self.search.setClearButtonEnabled(True)
        self.count_label = QLabel("")
        self.count_label.setObjectName("imageCount")
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(200)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.class_filter.activated.connect(lambda _i: self.apply_filter())
        self.split_filter.activated.connect(lambda _i: self.apply_filter())
        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.class_filter, 2)
        filters.addWidget(self.split_filter, 1)
        filters.addWidget(self.search, 3)
        filters.addWidget(self.count_label)

        self.grid = ThumbnailGrid(self.model, THUMB)
        self.grid.selectionModel().currentChanged.connect(self._current_changed)
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(6, 6, 6, 6)
        middle_layout.addWidget(self.banner_box)
        middle_layout.addLayout(filters)
        middle_layout.addWidget(self.grid, 1)

        # ---- right: image, augmentation, health
        self.detail = DetailPanel(self.runner)
        self.augment_settings = AugmentSettings(self.binding)
        self.augment_preview = AugmentPreview(self.binding, self.runner)
        augment_tab = QWidget()
        augment_layout = QVBoxLayout(augment_tab)
        augment_layout.addWidget(self.augment_settings)
        augment_layout.addWidget(self.augment_preview, 1)
        augment_scroll = QScrollArea()
        augment_scroll.setWidgetResizable(True)
        augment_scroll.setWidget(augment_tab)
        augment_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.health = HealthPanel(self.context, self.runner)
        self.health.files_moved.connect(lambda: self.reload(force=True))
        self.health.file_selected.connect(self.select_path)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("dataTabs")
        self.tabs.addTab(self.detail, self.tr("Image"))
        self.tabs.addTab(augment_scroll, self.tr("Augmentation"))
        self.tabs.addTab(self.health, self.tr("Health"))
        self.tabs.setMinimumWidth(270)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left_scroll)
        splitter.addWidget(middle)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([340, 600, 360])
        self.splitter = splitter
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(120)
        self._reload_timer.timeout.connect(self.reload)
        self._listen(context.document.changed, self._document_changed)
        notifier().changed.connect(self.retranslate)
        self._fill_filters()

    # ------------------------------------------------------------------ wiring

    def _listen(self, event: Any, callback: Any) -> None:
        listen = getattr(self.context, "listen", None)
        if listen is not None:
            listen(event, callback, self)
        else:
            event.connect(callback)
            self.destroyed.connect(lambda *_: event.disconnect(callback))

    def _document_changed(self, section: str) -> None:
        if section not in ("data", "all", "training"):
            return
        if section in ("data", "all"):
            self.source_picker.refresh()
            self.augment_settings.refresh()
            self.augment_preview.update_preview()
            self.health.source_changed(self.binding.data)
        if self.isVisible():
            self._reload_timer.start()

    def retranslate(self, _language: str = "") -> None:
        """The language changed: rewrite the texts that carry numbers or names (the rest are swapped by the window)."""
        current = self.grid.currentIndex()
        self._fill_filters()
        self.apply_filter()
        self.class_panel.set_counts(class_counts(self.listing) if self.listing is not None else None)
        self.source_picker.retranslate()
        self.augment_settings.retranslate()
        self.augment_preview.retranslate()
        self.health.retranslate()
        if current.isValid() and self.listing is not None:
            self.detail.show_image(self.listing, self.model.image_index(current.row()))

    # ------------------------------------------------------------------ the page contract

    def project_opened(self) -> None:
        """Another project is open: forget the previous one's messages, report and listing."""
        self._request += 1  # a listing still loading for the old project is dropped
        if self.load_task is not None:
            self.load_task.cancel()
            self.load_task = None
            self._loaded_key = None
        self.banner_box.hide()
        self.banner.clear()
        self.source_picker.reset()
        self.health.reset()
        if self._wanted_key() != self._loaded_key:
            self.set_listing(None)
            self._loaded_key = None
        if self.isVisible():
            self._reload_timer.start()

    def page_activated(self) -> None:
        """Shown by the window: list the dataset if it is not listed yet."""
        self.reload()

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        """List the dataset the first time the page becomes visible."""
        super().showEvent(event)
        QTimer.singleShot(0, self.reload)

    def handle_drop(self, paths: list[Path]) -> bool:
        """A folder dropped on the window becomes the dataset (one undoable edit)."""
        folders = [Path(p) for p in paths if Path(p).is_dir()]
        if not folders:
            return False
        return self.source_picker.set_folder(str(folders[0]))

    def can_close(self) -> bool:
        """Never blocks closing; running work is cancelled in :meth:`shutdown`."""
        return True

    def shutdown(self) -> None:
        """Stop background work before the window goes away."""
        self.runner.cancel_all()
        self.health.cancel()
        self.source_picker.cancel_download()
        self.loader.close(0)  # no more decodes; the running ones finish silently
        self.runner.wait(3000)
        self.loader.wait(3000)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt API
        """Accept a dragged folder."""
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if any(u.isLocalFile() and Path(u.toLocalFile()).is_dir() for u in urls):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt API
        """Use a dropped folder as the dataset."""
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if self.handle_drop(paths):
            event.acceptProposedAction()
        else:
            event.ignore()

    # ------------------------------------------------------------------ listing

    def _wanted_key(self) -> tuple[Any, ...]:
        d = self.binding.data
        return (*base_key(d.source, d.root), d.val, self.context.document.project.training.seed)

    def reload(self, force: bool = False) -> Task | None:
        """List the project's dataset on a worker (re-using a folder scan when only the split changed)."""
        key = self._wanted_key()
        if not force and key == self._loaded_key:
            return None
        if self.load_task is not None:
            self.load_task.cancel()
        d = self.binding.data
        source, root, val = d.source, d.root, d.val
        seed = self.context.document.project.training.seed
        base = None if force else self.base
        if base is not None and base.key != base_key(source, root):
            base = None
        self._request += 1
        request = self._request
        self._loaded_key = key

        def work(progress: Any, cancelled: Any) -> tuple[DatasetBase, Listing]:
            b = base if base is not None else load_base(source, root, progress, cancelled)
            listing = listing_from_base(b, val, seed)
            class_counts(listing)  # counted here, once: the GUI thread only reads the counts
            return b, listing

        self._show_banner(
            self.tr("Reading the dataset…") if base is None else self.tr("Splitting…"), busy=True
        )
        self.load_task = self.runner.start(
            work,
            on_finished=lambda result: self._loaded(request, result),
            on_failed=lambda message: self._load_failed(request, message),
            on_progress=lambda done, total, msg: self._load_progress(request, done, total, msg),
            on_cancelled=lambda: self._load_cancelled(request),
        )
        return self.load_task

    def cancel_load(self) -> None:
        """Stop reading the dataset."""
        if self.load_task is not None:
            self.load_task.cancel()

    def _load_progress(self, request: int, done: int, total: int, message: str) -> None:
        if request != self._request:
            return
        self.load_progress.setRange(0, total if total > 0 else 0)
        if total > 0:
            self.load_progress.setValue(done)
        if message:
            self.banner.setText(message[0].upper() + message[1:] + "…")

    def _loaded(self, request: int, result: tuple[DatasetBase, Listing]) -> None:
        if request != self._request:
            return
        self.load_task = None
        self.base, listing = result
        self.set_listing(listing)
        self._show_banner("")
        self.source_picker.clear_error()  # a download error is stale once the dataset reads
        self.loads_finished += 1

    def _load_failed(self, request: int, message: str) -> None:
        if request != self._request:
            return
        self.load_task = None
        self.base = None
        self.set_listing(None)
        hint = ""
        data = self.binding.data
        parent = suggest_root(data.source, data.root) if data.source in DOWNLOADABLE else None
        if parent is not None:
            hint = "\n" + self.tr(
                "You chose the dataset's own folder; did you mean the parent folder {parent}?"
            ).format(parent=parent)
        elif data.source in DOWNLOADABLE:
            hint = "\n" + self.tr("Use Download (left) to fetch it, or choose the folder that holds it.")
        self._show_banner(in_gui_words(message) + hint, error=True)
        self.use_parent.setText(self.tr("Use {parent}").format(parent=parent) if parent else "")
        self.use_parent.setVisible(parent is not None)
        self.loads_finished += 1

    def use_parent_folder(self) -> None:
        """ "Use <parent>": the folder above the dataset's own one becomes the dataset folder (one edit)."""
        data = self.binding.data
        parent = suggest_root(data.source, data.root)
        if parent is not None:
            self.binding.set("root", str(parent), self.tr("Use the parent folder"))

    def _load_cancelled(self, request: int) -> None:
        if request != self._request:
            return
        self.load_task = None
        self._loaded_key = None
        self._show_banner(self.tr("Reading the dataset was cancelled."), error=True)

    def _show_banner(self, text: str, busy: bool = False, error: bool = False) -> None:
        if not error:
            self.use_parent.hide()  # its error is gone
        self.banner.setText(text)
        self.banner.setStyleSheet("color: #d9534f;" if error else "")
        self.load_progress.setVisible(busy)
        self.load_cancel.setVisible(busy)
        if busy:
            self.load_progress.setRange(0, 0)
        self.banner_box.setVisible(bool(text))

    def set_listing(self, listing: Listing | None) -> None:
        """Show ``listing`` in the grid, filters, histogram; select its first image."""
        self.listing = listing
        self.model.set_listing(listing)
        self._fill_filters()
        self.apply_filter()
        self.class_panel.set_counts(class_counts(listing) if listing is not None else None)
        if self.model.rowCount() > 0:
            self.grid.setCurrentIndex(self.model.index(0))
        else:
            self.detail.show_image(None, None)
            self.augment_preview.set_image(None, None)

    # ------------------------------------------------------------------ filters and selection

    def _fill_filters(self) -> None:
        listing = self.listing
        label, split, _ = self.model.filter
        self.class_filter.clear()
        # "all" is -1 / "", never None: PySide6 6.12 loses a reference to None each time an
        # empty QVariant comes back to Python (currentData(), index.data()...), which ends in
        # "Fatal Python error: none_dealloc" on Python 3.11
        self.class_filter.addItem(self.tr("All classes"), -1)
        self.split_filter.clear()
        self.split_filter.addItem(self.tr("All splits"), "")
        if listing is None:
            return
        counts = class_counts(listing).per_class()
        for k, name in enumerate(listing.classes):
            self.class_filter.addItem(f"{name} ({int(counts[k]):,})", k)
        for name in listing.split_names:
            self.split_filter.addItem(split_label(name), name)
        self.class_filter.setCurrentIndex(
            max(0, self.class_filter.findData(label)) if label is not None else 0
        )
        self.split_filter.setCurrentIndex(
            max(0, self.split_filter.findData(split)) if split is not None else 0
        )

    def apply_filter(self) -> None:
        """Filter the grid by the chosen class, split and search text."""
        label = int(self.class_filter.currentData()) if self.class_filter.count() else -1
        split = str(self.split_filter.currentData()) if self.split_filter.count() else ""
        self.model.set_filter(label if label >= 0 else None, split or None, self.search.text())
        total = len(self.listing) if self.listing is not None else 0
        shown = self.model.rowCount()
        self.count_label.setText(
            fill(self.tr("%1 images"), f"{shown:,}")
            if shown == total
            else fill(self.tr("%1 of %2"), f"{shown:,}", f"{total:,}")
        )

    def select_path(self, path: str) -> bool:
        """Select the image file ``path`` in the grid (clearing filters that hide it)."""
        listing = self.listing
        if listing is None or listing.paths is None:
            return False
        try:
            index = list(listing.paths).index(path)
        except ValueError:
            return False
        row = self.model.row_of(index)
        if row < 0:
            self.class_filter.setCurrentIndex(0)
            self.split_filter.setCurrentIndex(0)
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            self.apply_filter()
            row = self.model.row_of(index)
        model_index = self.model.index(row)
        self.grid.setCurrentIndex(model_index)
        self.grid.scrollTo(model_index)
        return True

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid() or self.listing is None:
            return
        index = self.model.image_index(current.row())
        self.detail.show_image(self.listing, index)
        self.augment_preview.set_image(self.listing, index)
