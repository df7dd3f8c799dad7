"""Where the images come from and how they are shaped: source, folder, download, split, size.

Every control shows ``project.data`` and edits it through :class:`DataBinding` (one undoable
edit per change). Picking a built-in source also sets its natural channels and image size in
the same edit (CIFAR is 3 x 32 x 32, the MNIST family 1 x 28 x 28), so that a beginner's
first choice just works. The Download button runs
:func:`studio.core.data.download.download_source` on a worker thread with a progress bar and
Cancel; a missing network is reported under the button with the folder to fill by hand.
"""

from __future__ import annotations

import os
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studio.core.base.paths import DEFAULT_DATASETS_ROOT
from studio.core.base.wording import in_gui_words
from studio.core.data.classes import folder_splits
from studio.core.data.download import DOWNLOADABLE, download_source
from studio.core.project.project_file import MAX_PER_CLASS
from studio.gui.common.tasks import Task, TaskRunner
from studio.gui.datasets.binding import DataBinding

SOURCES: tuple[tuple[str, str], ...] = (
    ("sample", "Built-in sample (Fashion-MNIST)"),
    ("mnist", "MNIST digits"),
    ("fashion_mnist", "Fashion-MNIST"),
    ("cifar10", "CIFAR-10"),
    ("cifar100", "CIFAR-100"),
    ("folder", "My image folder…"),
)


def source_label(key: str) -> str:
    """The name of source ``key`` shown in the window, in the studio's language."""
    labels = {
        "sample": QCoreApplication.translate("SourcePicker", "Built-in sample (Fashion-MNIST)"),
        "mnist": QCoreApplication.translate("SourcePicker", "MNIST digits"),
        "folder": QCoreApplication.translate("SourcePicker", "My image folder…"),
    }
    return labels.get(key) or dict(SOURCES)[key]


def channel_labels() -> tuple[tuple[int, str], ...]:
    """The channel choices as shown, in the studio's language."""
    return ((1, QCoreApplication.translate("SourcePicker", "1 — greyscale")), (3, "3 — RGB"), (4, "4 — RGBA"))


NATURAL_SHAPE: dict[str, tuple[int, tuple[int, int]]] = {
    "sample": (1, (28, 28)),
    "mnist": (1, (28, 28)),
    "fashion_mnist": (1, (28, 28)),
    "cifar10": (3, (32, 32)),
    "cifar100": (3, (32, 32)),
}
DEFAULT_ROOT = DEFAULT_DATASETS_ROOT


def choose_folder(parent: QWidget, title: str, start: str) -> str:
    """Ask for a folder (the tests replace this function)."""
    return QFileDialog.getExistingDirectory(parent, title, os.path.expanduser(start or "~"))


class SourcePicker(QWidget):
    """Source, root folder, download; split; channels and image size — bound to ``project.data``."""

    folder_chosen = Signal(str)
    download_finished = Signal()

    def __init__(self, binding: DataBinding, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._generation = 0  # bumped when another project opens: older downloads report nothing
        self.binding = binding
        self.runner = runner
        self.download_task: Task | None = None
        self._updating = False

        # --- source
        source_box = QGroupBox(self.tr("Source"))
        form = QFormLayout(source_box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # narrow windows: labels above
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.source_combo = QComboBox()
        self.source_combo.setObjectName("dataSource")
        for key, _label in SOURCES:
            self.source_combo.addItem(source_label(key), key)
        self.source_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.source_combo.setMinimumContentsLength(10)
        self.source_combo.setToolTip(
            self.tr(
                "the embedded sample, a torchvision dataset, or your own folder "
                "with one sub-folder of images per class"
            )
        )
        self.source_combo.activated.connect(self._source_picked)
        form.addRow(self.tr("Dataset"), self.source_combo)

        self.root_edit = QLineEdit()
        self.root_edit.setObjectName("dataRoot")
        self.root_edit.setPlaceholderText(DEFAULT_ROOT)
        self.root_edit.editingFinished.connect(self._root_edited)
        self.browse_button = QPushButton(self.tr("Browse…"))
        self.browse_button.clicked.connect(self._browse)
        root_row = QHBoxLayout()
        root_row.setContentsMargins(0, 0, 0, 0)
        root_row.addWidget(self.root_edit, 1)
        root_row.addWidget(self.browse_button)
        self.root_label = QLabel(self.tr("Folder"))
        form.addRow(self.root_label, root_row)

        self.auto_download = QCheckBox(self.tr("Auto-download when training"))
        self.auto_download.setToolTip(self.tr("Fetch the dataset when training starts and it is missing"))
        self.auto_download.toggled.connect(lambda on: self._set("download", bool(on)))
        form.addRow("", self.auto_download)

        self.download_button = QPushButton(self.tr("Download"))
        self.download_button.setObjectName("downloadButton")
        self.download_button.clicked.connect(self.start_download)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("downloadCancel")
        self.cancel_button.clicked.connect(self.cancel_download)
        self.cancel_button.setEnabled(False)
        self.download_progress = QProgressBar()
        self.download_progress.setObjectName("downloadProgress")
        self.download_progress.setTextVisible(True)
        self.download_progress.setValue(0)
        dl_row = QHBoxLayout()
        dl_row.setContentsMargins(0, 0, 0, 0)
        dl_row.addWidget(self.download_button)
        dl_row.addWidget(self.download_progress, 1)
        dl_row.addWidget(self.cancel_button)
        self.download_row = QWidget()
        self.download_row.setLayout(dl_row)
        form.addRow("", self.download_row)
        self.download_status = QLabel("")
        self.download_status.setObjectName("downloadStatus")
        self.download_status.setWordWrap(True)
        self.download_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("", self.download_status)

        # --- split and shape
        shape_box = QGroupBox(self.tr("Split and input shape"))
        shape_form = QFormLayout(shape_box)
        shape_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.val_fraction = QRadioButton(self.tr("Hold out a fraction"))
        self.val_test = QRadioButton(self.tr("Use the official test split"))
        self.val_group = QButtonGroup(self)
        self.val_group.addButton(self.val_fraction)
        self.val_group.addButton(self.val_test)
        self.val_spin = QDoubleSpinBox()
        self.val_spin.setObjectName("valFraction")
        self.val_spin.setRange(0.0, 0.9)
        self.val_spin.setSingleStep(0.05)
        self.val_spin.setDecimals(2)
        self.val_spin.setKeyboardTracking(False)
        self.val_spin.valueChanged.connect(self._val_changed)
        self.val_fraction.toggled.connect(self._val_mode_changed)
        val_row = QHBoxLayout()
        val_row.setContentsMargins(0, 0, 0, 0)
        val_row.addWidget(self.val_fraction)
        val_row.addWidget(self.val_spin, 1)
        shape_form.addRow(self.tr("Validation"), val_row)
        shape_form.addRow("", self.val_test)
        self.val_note = QLabel("")
        self.val_note.setObjectName("valNote")
        self.val_note.setWordWrap(True)
        self.val_note.hide()
        shape_form.addRow("", self.val_note)

        self.limit_spin = QSpinBox()
        self.limit_spin.setObjectName("limitPerClass")
        self.limit_spin.setRange(0, MAX_PER_CLASS)
        self.limit_spin.setSingleStep(100)
        self.limit_spin.setKeyboardTracking(False)
        self._limit_texts()
        self.limit_spin.valueChanged.connect(
            lambda v: self._set("limit_per_class", int(v) or None, merge=True)
        )
        shape_form.addRow(self.tr("Use at most"), self.limit_spin)

        self.channels_combo = QComboBox()
        self.channels_combo.setObjectName("dataChannels")
        for value, label in channel_labels():
            self.channels_combo.addItem(label, value)
        self.channels_combo.activated.connect(
            lambda _i: self._set("channels", int(self.channels_combo.currentData()))
        )
        shape_form.addRow(self.tr("Channels"), self.channels_combo)
        self.height_spin = QSpinBox()
        self.width_spin = QSpinBox()
        for spin, name in ((self.height_spin, "imageHeight"), (self.width_spin, "imageWidth")):
            spin.setObjectName(name)
            spin.setRange(1, 2048)
            spin.setKeyboardTracking(False)
            spin.setSuffix(" px")
            spin.valueChanged.connect(self._size_changed)
        size_row = QHBoxLayout()
        size_row.setContentsMargins(0, 0, 0, 0)
        size_row.addWidget(self.height_spin, 1)
        size_row.addWidget(QLabel("×"))
        size_row.addWidget(self.width_spin, 1)
        shape_form.addRow(self.tr("Size (H × W)"), size_row)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(source_box)
        layout.addWidget(shape_box)
        self.refresh()

    def _limit_texts(self) -> None:
        self.limit_spin.setSpecialValueText(self.tr("all images"))
        self.limit_spin.setSuffix(self.tr(" per class"))
        self.limit_spin.setToolTip(
            self.tr(
                "Use at most this many images of each class in each split: a quick "
                "trial on a big dataset. 0 = all images."
            )
        )

    def retranslate(self) -> None:
        """Rewrite what the window's text swap cannot reach (spin-box texts, combo items) in the new language."""
        self._limit_texts()
        for k in range(self.source_combo.count()):
            self.source_combo.setItemText(k, source_label(str(self.source_combo.itemData(k))))
        for k, (_value, label) in enumerate(channel_labels()):
            self.channels_combo.setItemText(k, label)
        self.refresh()

    # ------------------------------------------------------------------ document -> widgets

    def refresh(self) -> None:
        """Show the project's data settings (no edits are made while doing so)."""
        d = self.binding.data
        self._updating = True
        try:
            self.source_combo.setCurrentIndex(max(0, self.source_combo.findData(d.source)))
            self.root_edit.setText(d.root)
            self.auto_download.setChecked(bool(d.download))
            downloadable = d.source in DOWNLOADABLE
            self.root_label.setText(
                self.tr("Image folder") if d.source == "folder" else self.tr("Dataset root")
            )
            for w in (self.root_edit, self.browse_button, self.root_label):
                w.setVisible(d.source != "sample")
            for w in (self.auto_download, self.download_row):
                w.setVisible(downloadable)
            self.download_status.setVisible(downloadable or bool(self.download_status.text()))
            is_test = d.val == "test"
            self.val_test.setChecked(is_test)
            self.val_fraction.setChecked(not is_test)
            self.val_spin.setEnabled(not is_test)
            if not is_test:
                self.val_spin.setValue(float(d.val))
            self._refresh_split_choice(d.source, d.root, is_test)
            self.limit_spin.setValue(d.limit_per_class or 0)
            self.channels_combo.setCurrentIndex(max(0, self.channels_combo.findData(d.channels)))
            self.height_spin.setValue(d.image_size[0])
            self.width_spin.setValue(d.image_size[1])
        finally:
            self._updating = False

    def _refresh_split_choice(self, source: str, root: str, is_test: bool) -> None:
        """Say which images validate: a folder's own val/ folder wins over a held-out fraction."""
        splits = folder_splits(root) if source == "folder" and root else set()
        has_val = "val" in splits
        self.val_test.setText(
            self.tr("Use the test/ folder") if source == "folder" else self.tr("Use the official test split")
        )
        self.val_test.setEnabled(source != "folder" or "test" in splits or is_test)
        self.val_fraction.setEnabled(not has_val)
        self.val_spin.setEnabled(not has_val and not is_test)
        note = ""
        if has_val and not is_test:
            note = self.tr(
                "The folder's val/ sub-folder is the validation split, so no fraction is held out."
            )
        elif splits and not is_test:
            note = (
                self.tr(
                    "No val/ sub-folder: the fraction is held out of train/ (per class); test/ is "
                    "evaluated once, at the end."
                )
                if "test" in splits
                else ""
            )
        self.val_note.setText(note)
        self.val_note.setVisible(bool(note))
        tip = (
            self.tr("The folder has a val/ sub-folder: its images are the validation split.")
            if has_val
            else self.tr("The fraction of each class's training images held out for validation.")
        )
        self.val_fraction.setToolTip(tip)
        self.val_spin.setToolTip(tip)

    # ------------------------------------------------------------------ widgets -> document

    def _set(self, key: str, value: Any, merge: bool = False) -> None:
        if not self._updating and not self.binding.set(key, value, merge=merge):
            self.refresh()

    def _source_picked(self, _index: int) -> None:
        source = str(self.source_combo.currentData())
        if source == self.binding.data.source:
            return
        if source == "folder":
            self._browse(force_folder=True)
            return
        self.set_source(source)

    def set_source(self, source: str, root: str | None = None) -> bool:
        """Switch to ``source`` (with its natural channels/size) as one undoable edit."""
        d = self.binding.data
        changes: dict[str, Any] = {"source": source}
        if source in NATURAL_SHAPE:
            channels, size = NATURAL_SHAPE[source]
            changes.update(channels=channels, image_size=list(size))
        if root is not None:
            changes["root"] = root
        elif source in DOWNLOADABLE and (d.source in ("folder", "sample") or not d.root):
            changes["root"] = DEFAULT_ROOT
        if source != "folder" and d.val == "test" and source == "sample":
            changes["val"] = 0.1
        ok = self.binding.update(changes, self.tr("Use {source}").format(source=source_label(source)))
        self.refresh()
        return ok

    def set_folder(self, folder: str) -> bool:
        """Use ``folder`` (one sub-folder per class) as the dataset, as one undoable edit."""
        ok = self.binding.update({"source": "folder", "root": folder}, self.tr("Use image folder"))
        self.refresh()
        if ok:
            self.folder_chosen.emit(folder)
        return ok

    def _browse(self, force_folder: bool = False) -> None:
        d = self.binding.data
        folder_mode = force_folder or d.source == "folder"
        title = (
            self.tr("Choose the image folder (one sub-folder per class)")
            if folder_mode
            else self.tr("Choose the dataset root")
        )
        path = choose_folder(self, title, d.root or DEFAULT_ROOT)
        if not path:
            self.refresh()
            return
        if folder_mode:
            self.set_folder(path)
        else:
            self._set("root", path)

    def _root_edited(self) -> None:
        text = self.root_edit.text().strip()
        if text != self.binding.data.root:
            self._set("root", text)

    def _val_changed(self, value: float) -> None:
        if self.val_fraction.isChecked():
            self._set("val", round(float(value), 4), merge=True)

    def _val_mode_changed(self, fraction: bool) -> None:
        if self._updating:
            return
        self._set("val", round(float(self.val_spin.value()), 4) if fraction else "test")

    def _size_changed(self, _value: int) -> None:
        self._set("image_size", [self.height_spin.value(), self.width_spin.value()], merge=True)

    # ------------------------------------------------------------------ download

    def start_download(self) -> Task | None:
        """Download the chosen torchvision dataset into its root on a worker thread."""
        d = self.binding.data
        if d.source not in DOWNLOADABLE or self.download_task is not None:
            return None
        source, root = d.source, d.root or DEFAULT_ROOT

        def work(progress: Any, cancelled: Any) -> Any:
            return download_source(source, root, progress=progress, cancel=cancelled)

        self.download_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.download_progress.setRange(0, 0)
        self._show_status(
            self.tr("Downloading {source} into {folder}…").format(
                source=source_label(source), folder=os.path.expanduser(root)
            )
        )
        generation = self._generation

        def mine(slot: Any) -> Any:  # a download of a project since closed reports nothing here
            return lambda *args: slot(*args) if generation == self._generation else None

        self.download_task = self.runner.start(
            work,
            on_finished=mine(self._download_done),
            on_failed=mine(self._download_failed),
            on_progress=mine(self._download_progress),
            on_cancelled=mine(self._download_cancelled),
        )
        return self.download_task

    def reset(self) -> None:
        """Another project: cancel its download and forget its messages."""
        self._generation += 1
        if self.download_task is not None:
            self.download_task.cancel()
        self._download_finished_ui()
        self.download_progress.setValue(0)
        self.download_progress.resetFormat()
        self._show_status("")

    def cancel_download(self) -> None:
        """Stop the running download (the partial file is removed)."""
        if self.download_task is not None:
            self.download_task.cancel()
            self._show_status(self.tr("Cancelling…"))

    def _download_progress(self, done: int, total: int, message: str) -> None:
        # the core says "file: 12.0 / 50.0 MB" and the fraction; the runner makes it done/total
        if total > 0:
            self.download_progress.setRange(0, total)
            self.download_progress.setValue(min(total, done))
            self.download_progress.setFormat(f"%p%  {message}")
        else:
            self.download_progress.setRange(0, 0)
        if message:
            self.download_progress.setToolTip(message)

    def _download_finished_ui(self) -> None:
        self.download_task = None
        self.download_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.download_progress.setRange(0, 100)

    def _download_done(self, _archives: Any) -> None:
        self._download_finished_ui()
        self.download_progress.setValue(100)
        self.download_progress.setFormat(self.tr("done"))
        self._show_status(self.tr("Downloaded and unpacked."))
        self.download_finished.emit()

    def _download_failed(self, message: str) -> None:
        self._download_finished_ui()
        self.download_progress.setValue(0)
        self.download_progress.setFormat(self.tr("failed"))
        self._show_status(in_gui_words(message), error=True)

    def clear_error(self) -> None:
        """Hide a download error whose cause is gone (the dataset was read after all)."""
        if self.download_status.toolTip() and "d9534f" in self.download_status.styleSheet():
            self._show_status("")

    def _download_cancelled(self) -> None:
        self._download_finished_ui()
        self.download_progress.setValue(0)
        self.download_progress.setFormat(self.tr("cancelled"))
        self._show_status(self.tr("Download cancelled; no partial file was kept."))

    def _show_status(self, text: str, error: bool = False) -> None:
        full = text
        if error and ". " in text:  # the first sentence here; where to put the files, and why, on hover
            text = text[: text.index(". ")] + ". " + self.tr("Hover here for the files to place by hand.")
        self.download_status.setText(text)
        self.download_status.setToolTip(full)
        self.download_status.setStyleSheet("color: #d9534f;" if error else "")
        self.download_status.setVisible(bool(text))
