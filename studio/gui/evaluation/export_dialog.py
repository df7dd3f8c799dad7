"""The export dialog (File > Export... and the Evaluate page's Export button).

Pick a format and where to write it; the export runs in a worker job
(:func:`~studio.gui.evaluation.session.export_job` over :func:`studio.core.export.exporter.export_run`)
with a progress bar and Cancel. The core verifies every export right after writing it; the
dialog shows that verification - the largest difference from the PyTorch model, the top-1
agreement and which inputs were used - or, when the export disagreed or failed, the refusal
message, in place.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QCloseEvent, QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.base.i18n import tr as core_tr
from studio.core.export.exporter import FORMAT_HELP, FORMATS, ExportMeta, default_filename, refused_target
from studio.gui.common.tasks import LatestTask, TaskRunner, as_fraction
from studio.gui.common.theme import colors
from studio.gui.evaluation.session import export_job

FORMAT_TITLES = {
    "torchscript": "TorchScript (.pt)",
    "onnx": "ONNX (.onnx)",
    "state-dict": "State dict (.pt)",
    "safetensors": "safetensors (.safetensors)",
    "python": "Python source (folder)",
}


def default_export_path(folder: Path, project_name: str, fmt: str) -> Path:
    """``folder/<project>.<ext>`` as the core names exports (a folder for ``python``)."""
    meta = ExportMeta(name=project_name or "model", classes=[], input_shape=(1, 1, 1), mean=[], std=[])
    return folder / default_filename(meta, fmt)


class ExportDialog(QDialog):
    """Export one run's checkpoint (objectName ``exportDialog``)."""

    def __init__(
        self, run_dir: Path | None, which: str, project_name: str, folder: Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle(self.tr("Export trained model"))
        self.run_dir = run_dir
        self.which = which
        self.project_name = project_name
        self.folder = folder
        self.runner = TaskRunner(self, progress=as_fraction)
        self.work = LatestTask(self.runner, on_end=self._ended)
        self.result: Any = None
        self.error: str | None = None

        if run_dir is None:
            run_text = self.tr("no trained run chosen")
        elif which == "last":
            run_text = self.tr("{run} — last checkpoint").format(run=run_dir.name)
        else:
            run_text = self.tr("{run} — best checkpoint").format(run=run_dir.name)
        self.run_label = QLabel(run_text, self)
        self.run_label.setObjectName("exportRun")
        self.format_combo = QComboBox(self)
        self.format_combo.setObjectName("exportFormat")
        titles = {
            **FORMAT_TITLES,
            "state-dict": self.tr("State dict (.pt)"),
            "python": self.tr("Python source (folder)"),
        }
        for fmt in FORMATS:
            self.format_combo.addItem(titles.get(fmt, fmt), fmt)
        self.format_help = QLabel(self)
        self.format_help.setWordWrap(True)
        self.format_help.setStyleSheet(f"color: {colors().muted_fg.name()};")
        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("exportPath")
        self.path_edit.setMinimumWidth(380)
        self.browse = QPushButton(self.tr("Browse…"), self)
        self.browse.clicked.connect(self.choose_path)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.browse)

        form = QFormLayout()
        form.addRow(self.tr("Run:"), self.run_label)
        form.addRow(self.tr("Format:"), self.format_combo)
        form.addRow("", self.format_help)
        form.addRow(self.tr("Save to:"), path_row)

        self.progress = QProgressBar(self)
        self.progress.setObjectName("exportProgress")
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.result_label = QLabel(self)
        self.result_label.setObjectName("exportResult")
        self.result_label.setWordWrap(True)
        self.result_label.setTextFormat(Qt.TextFormat.RichText)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_label.setMinimumHeight(self.fontMetrics().height() * 5)
        self.result_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        self.buttons = QDialogButtonBox(self)
        self.export_button = self.buttons.addButton(self.tr("Export"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setObjectName("exportButton")
        self.cancel_button = self.buttons.addButton(
            self.tr("Cancel export"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.cancel_button.setObjectName("exportCancel")
        self.close_button = self.buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button.setObjectName("exportClose")
        self.show_folder_button = self.buttons.addButton(
            self.tr("Show in folder"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.show_folder_button.setObjectName("exportShowFolder")
        self.show_folder_button.setToolTip(self.tr("Open the folder that holds the exported file"))
        self.show_folder_button.clicked.connect(self.show_in_folder)
        self.show_folder_button.hide()  # until a file is written
        self.export_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.close)
        self.export_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.result_label, 1)
        layout.addWidget(self.buttons)

        self._default_path = ""
        self._confirmed = ""  # a path the save dialog already asked to replace
        self.format_combo.currentIndexChanged.connect(self._format_changed)
        self._format_changed()
        if run_dir is None:
            self._show_error(
                self.tr("Train a model first (Train page), then pick its run on the Evaluate page.")
            )
        self._update_buttons()

    # ------------------------------------------------------------------ choices

    @property
    def fmt(self) -> str:
        """The chosen format's core name (``onnx``...)."""
        return str(self.format_combo.currentData())

    def set_format(self, fmt: str) -> None:
        """Choose ``fmt`` (one of :data:`studio.core.export.exporter.FORMATS`)."""
        self.format_combo.setCurrentIndex(self.format_combo.findData(fmt))

    def _format_changed(self, *_: Any) -> None:
        self.format_help.setText(core_tr(FORMAT_HELP.get(self.fmt, "")) if self.fmt in FORMAT_HELP else "")
        new_default = str(default_export_path(self.folder, self.project_name, self.fmt))
        if not self.path_edit.text() or self.path_edit.text() == self._default_path:
            self.path_edit.setText(new_default)
        self._default_path = new_default

    def choose_path(self) -> None:
        """Ask where to write the export (a folder for ``python``)."""
        current = self.path_edit.text() or str(self.folder)
        if self.fmt == "python":
            path = QFileDialog.getExistingDirectory(self, self.tr("Folder for the Python export"), current)
        else:
            suffix = Path(self._default_path).suffix
            path, _ = QFileDialog.getSaveFileName(
                self,
                self.tr("Export to"),
                current,
                self.tr("{format} (*{suffix});;All files (*)").format(format=self.fmt, suffix=suffix),
            )
            self._confirmed = path or self._confirmed  # the save dialog asked before replacing
        if path:
            self.path_edit.setText(path)

    # ------------------------------------------------------------------ work

    def start(self) -> None:
        """Export in the background (the Export button)."""
        if self.work.busy or self.run_dir is None:
            return
        text = self.path_edit.text().strip()
        if not text:
            self._show_error(self.tr("Choose where to save the export."))
            return
        out = Path(text).expanduser()
        force = False
        refused = refused_target(
            out, ExportMeta(self.project_name or "model", [], (1, 1, 1), [], []), self.fmt
        )
        if refused is not None:
            if text != self._confirmed and not self.confirm_replace(refused):
                return
            force = True
        self.result, self.error = None, None
        self.result_label.setText("")
        self.progress.setValue(0)
        self.progress.setFormat(self.tr("starting…"))
        self.progress.show()
        self.work.start(
            export_job(self.run_dir, self.which, self.fmt, out, force),
            name="export",
            on_progress=self._progress,
            on_finished=self._show_result,
            on_failed=self._show_error,
            on_cancelled=self._show_cancelled,
        )
        self._update_buttons()

    def confirm_replace(self, path: Path) -> bool:
        """Ask before replacing ``path``, which CNN Studio did not write (or not in this format)."""
        answer = QMessageBox.question(
            self,
            self.tr("Replace a file?"),
            self.tr(
                "{0} already exists and is not a CNN Studio {1} export.\n\nReplace it with the "
                "export? Its contents will be lost."
            ).format(path, self.fmt),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def cancel(self) -> None:
        """Cancel a running export (nothing is left at the target); otherwise close."""
        if self.work.busy:
            self.work.cancel()
            self.progress.setFormat(self.tr("cancelling…"))
        else:
            self.reject()

    @property
    def busy(self) -> bool:
        """True while an export runs."""
        return self.work.busy

    def _progress(self, message: str, fraction: float) -> None:
        self.progress.setValue(int(1000 * max(0.0, min(1.0, fraction))))
        self.progress.setFormat(core_tr(message))

    def _ended(self) -> None:
        self.progress.hide()
        self._update_buttons()

    def _update_buttons(self) -> None:
        running = self.work.busy
        self.export_button.setEnabled(not running and self.run_dir is not None)
        self.format_combo.setEnabled(not running)
        self.path_edit.setEnabled(not running)
        self.browse.setEnabled(not running)
        self.close_button.setVisible(not running)
        self.cancel_button.setVisible(running)

    # ------------------------------------------------------------------ results

    def _show_result(self, result: Any) -> None:
        self.result = result
        v = result.verification
        ok = colors().ok_fg.name()
        agreement = self.tr("Top-1 agreement: <b>{percent:.1f}%</b>").format(percent=100.0 * v.top1_agreement)
        if v.ties:
            agreement = self.tr("Top-1 agreement: <b>{percent:.1f}%</b> ({ties} near-tie(s))").format(
                percent=100.0 * v.top1_agreement, ties=v.ties
            )
        inputs = self.tr("Inputs used: <b>{count} {source}</b>").format(
            count=v.samples, source=html.escape(core_tr(v.source))
        )
        rows = [
            f"<b style='color:{ok}'>" + self.tr("✓ Exported and verified") + "</b>",
            self.tr("Wrote <b>{path}</b> ({size})").format(
                path=html.escape(str(result.path)), size=_size(result.size_bytes)
            ),
            self.tr(
                "Largest |difference| from the PyTorch model: <b>{diff:.3g}</b> (tolerance {tolerance:.3g})"
            ).format(diff=v.max_abs_diff, tolerance=v.tolerance),
            agreement,
            inputs + (f" — {html.escape(core_tr(v.note))}" if v.note else ""),
        ]
        rows += [self.tr("Note: {note}").format(note=html.escape(core_tr(n))) for n in result.notes]
        self.result_label.setText("<br>".join(rows))
        self.show_folder_button.show()
        self._fit()

    def export_folder(self) -> Path | None:
        """The folder of the last exported file (an export folder itself for the Python format)."""
        if self.result is None:
            return None
        path = Path(self.result.path)
        return path if path.is_dir() else path.parent

    def show_in_folder(self) -> bool:
        """ "Show in folder": the file manager on the export's folder."""
        folder = self.export_folder()
        return folder is not None and QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def _show_error(self, message: str) -> None:
        self.error = message
        self.result_label.setText(
            f"<b style='color:{colors().error_fg.name()}'>"
            + self.tr("✗ Not exported")
            + f"</b><br>{html.escape(message)}"
        )
        self._fit()

    def _fit(self) -> None:
        """Grow to show the whole result (never shrink below what the user made it)."""
        self.layout().activate()
        self.resize(self.size().expandedTo(self.sizeHint()))

    def _show_cancelled(self) -> None:
        self.error = "cancelled"
        self.result_label.setText(self.tr("Export cancelled; nothing was written."))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        """Cancel a running export when the dialog closes."""
        self.work.cancel()
        super().closeEvent(event)

    def reject(self) -> None:  # noqa: D102 - Qt API: Esc cancels a running export first
        if self.work.busy:
            self.cancel()
            return
        super().reject()


def _size(n: int) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} B"
