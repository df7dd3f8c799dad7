""" "Run on a cluster...": write the project, a ``torchrun`` command and a SLURM script to a folder.

The dialog only collects the numbers; :func:`studio.core.training.distributed.write_cluster_bundle`
validates them and writes the files (``project.json``, ``run.sh``, ``job.slurm``,
``README.txt``). It runs in a worker thread (for a pretrained model it reads torchvision's
weights metadata, which imports torch), then the dialog shows what was written, the
``torchrun`` command, the SLURM script and the notes on what must also exist on the cluster.
Errors (a bad time limit, a folder that cannot be written) are shown in the dialog.
Opened from File > Run on a Cluster... and the Train page's "Run on a cluster..." button.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    Qt,
    QUrl,
)
from PySide6.QtGui import QDesktopServices, QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studio.core.base.errors import UserError
from studio.core.training.distributed import write_cluster_bundle
from studio.gui.common.context import StudioContext
from studio.gui.common.tasks import TaskRunner
from studio.gui.common.theme import colors

FILES = (
    ("project.json", QT_TRANSLATE_NOOP("ClusterDialog", "the project, as it is now in the studio")),
    ("run.sh", QT_TRANSLATE_NOOP("ClusterDialog", "one machine")),
    ("job.slurm", QT_TRANSLATE_NOOP("ClusterDialog", "a SLURM batch job: sbatch job.slurm")),
    ("README.txt", QT_TRANSLATE_NOOP("ClusterDialog", "these commands and the checks below")),
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("ClusterDialog", text)


def default_folder(context: StudioContext) -> Path:
    """``<project folder>/<name>-cluster``, or under the home folder for an unsaved project."""
    doc = context.document
    slug = "".join(c if c.isalnum() or c in "-_" else "-" for c in doc.project.name).strip("-") or "project"
    base = Path(doc.path).parent if doc.path is not None else Path.home()
    return base / f"{slug}-cluster"


class ClusterDialog(QDialog):
    """The "Run on a cluster..." dialog (see the module docstring)."""

    def __init__(self, context: StudioContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clusterDialog")
        self.setWindowTitle(self.tr("Run on a Cluster"))
        self.ctx = context
        self.bundle: Any = None
        self._busy = False

        intro = QLabel(
            self.tr(
                "Write this project with the commands that train it on several GPUs or machines "
                "(PyTorch's <code>torchrun</code>, DistributedDataParallel). Copy the folder to the "
                "cluster, then run <code>./run.sh</code> on one machine or submit "
                "<code>sbatch job.slurm</code>."
            )
        )
        intro.setWordWrap(True)
        self.nodes = QSpinBox()
        self.nodes.setObjectName("clusterNodes")
        self.nodes.setRange(1, 4096)
        self.nodes.setToolTip(self.tr("How many machines (SLURM --nodes)"))
        self.gpus = QSpinBox()
        self.gpus.setObjectName("clusterGpus")
        self.gpus.setRange(0, 64)
        self.gpus.setValue(1)
        self.gpus.setSpecialValueText(self.tr("none (CPU nodes)"))
        self.gpus.setToolTip(
            self.tr("GPUs on each machine; one training process per GPU. None: CPU processes (gloo)")
        )
        self.procs = QSpinBox()
        self.procs.setObjectName("clusterProcs")
        self.procs.setRange(1, 1024)
        self.procs.setToolTip(
            self.tr("Training processes on each machine: one per GPU, or your choice on CPU nodes")
        )
        self.time_limit = QLineEdit("04:00:00")
        self.time_limit.setObjectName("clusterTime")
        self.time_limit.setToolTip(self.tr("SLURM --time: HH:MM:SS or D-HH:MM:SS"))
        self.partition = QLineEdit()
        self.partition.setObjectName("clusterPartition")
        self.partition.setPlaceholderText(self.tr("the cluster's default"))
        self.partition.setToolTip(self.tr("SLURM --partition (leave empty for the default)"))
        self.folder = QLineEdit(str(default_folder(context)))
        self.folder.setObjectName("clusterFolder")
        self.folder.setToolTip(
            self.tr("The folder to write; project.json, run.sh, job.slurm and README.txt in it are replaced")
        )
        browse = QPushButton(self.tr("Browse…"))
        browse.setObjectName("clusterBrowse")
        browse.clicked.connect(self._browse)
        folder_row = QWidget()
        fr = QHBoxLayout(folder_row)
        fr.setContentsMargins(0, 0, 0, 0)
        fr.addWidget(self.folder, 1)
        fr.addWidget(browse)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("Nodes"), self.nodes)
        form.addRow(self.tr("GPUs per node"), self.gpus)
        form.addRow(self.tr("Processes per node"), self.procs)
        form.addRow(self.tr("Time limit"), self.time_limit)
        form.addRow(self.tr("Partition"), self.partition)
        form.addRow(self.tr("Output folder"), folder_row)

        self.error = QLabel()
        self.error.setObjectName("clusterError")
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        c = colors()
        self.error.setStyleSheet(
            f"color: {c.error_fg.name()}; background: {c.error_bg.name()}; padding: 6px;"
        )
        self.error.hide()
        self.report = QPlainTextEdit()
        self.report.setObjectName("clusterResult")
        self.report.setReadOnly(True)
        self.report.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.report.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.report.setPlaceholderText(self.tr("What was written appears here."))

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.write_button = self.buttons.addButton(
            self.tr("Write Files"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.write_button.setObjectName("clusterWrite")
        self.write_button.setDefault(True)
        self.open_button = self.buttons.addButton(
            self.tr("Open Folder"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.open_button.setObjectName("clusterOpenFolder")
        self.open_button.setEnabled(False)
        self.buttons.rejected.connect(self.reject)
        self.write_button.clicked.connect(self.write_bundle)
        self.open_button.clicked.connect(self._open_folder)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.report, 1)
        layout.addWidget(self.buttons)
        self.resize(720, 620)

        self.gpus.valueChanged.connect(self._sync_procs)
        self.runner = TaskRunner(self)  # a result that arrives after the dialog is gone is dropped
        self._sync_procs()

    # ------------------------------------------------------------------ input

    def _sync_procs(self, *_: object) -> None:
        gpus = self.gpus.value()
        if gpus > 0:
            self.procs.setValue(gpus)
        self.procs.setEnabled(gpus == 0)

    def _browse(self) -> None:
        path = QFileDialog.getExistingDirectory(
            self, self.tr("Folder for the cluster files"), self.folder.text()
        )
        if path:
            self.folder.setText(path)

    def options(self) -> dict[str, Any]:
        """The keyword arguments for :func:`write_cluster_bundle` from the fields."""
        gpus = self.gpus.value()
        return {
            "nodes": self.nodes.value(),
            "gpus_per_node": gpus,
            "procs_per_node": None if gpus > 0 else self.procs.value(),
            "time_limit": self.time_limit.text().strip(),
            "partition": self.partition.text().strip() or None,
        }

    # ------------------------------------------------------------------ writing

    def write_bundle(self) -> bool:
        """Start writing the files (in a worker thread); False when refused before starting."""
        if self._busy:
            return False
        doc = self.ctx.document
        folder = self.folder.text().strip()
        blocking = doc.blocking_error()
        if blocking is not None:
            self._show_error(
                self.tr("The design cannot train: {error}. Fix it on the Design page first.").format(
                    error=blocking
                )
            )
            return False
        if not folder:
            self._show_error(self.tr("Choose an output folder for the cluster files."))
            return False
        self._busy = True
        self.error.hide()
        self.write_button.setEnabled(False)
        self.report.setPlainText(self.tr("Writing to {folder}…").format(folder=folder))
        folder = str(Path(folder).expanduser())
        project, options = doc.project.copy(), self.options()

        def work(progress: Any, cancelled: Any) -> Any:
            try:
                return write_cluster_bundle(project, folder, **options)
            except OSError as exc:
                raise UserError(
                    QCoreApplication.translate("ClusterDialog", "cannot write to {folder}: {error}").format(
                        folder=folder, error=exc.strerror or exc
                    )
                ) from None

        self.runner.start(
            work,
            name="cluster bundle",
            on_finished=lambda bundle: self._done(bundle, None),
            on_failed=lambda message: self._done(None, message),
        )
        return True

    def busy(self) -> bool:
        """True while the files are being written."""
        return self._busy

    def _done(self, bundle: Any, error: str | None) -> None:
        self._busy = False
        self.write_button.setEnabled(True)
        if error is not None:
            self.report.clear()
            self._show_error(error)
            return
        self.bundle = bundle
        self.open_button.setEnabled(True)
        self.report.setPlainText(describe_bundle(bundle))

    def _show_error(self, message: str) -> None:
        self.error.setText(f"✗ {message}")
        self.error.show()

    def _open_folder(self) -> None:
        if self.bundle is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.bundle.folder)))


def _read(path: Any) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        return QCoreApplication.translate("ClusterDialog", "(cannot read {path} back: {error})").format(
            path=path, error=exc.strerror or exc
        )


def describe_bundle(bundle: Any) -> str:
    """The dialog's report: the files, the torchrun command, the notes and the SLURM script."""
    lines = [QCoreApplication.translate("ClusterDialog", "Wrote {folder}:").format(folder=bundle.folder)]
    lines += [f"  {name:<13} {_tr(what)}" for name, what in FILES]
    command = _read(bundle.launcher).strip().splitlines()[-1:]  # run.sh ends with the torchrun line
    lines += [
        "",
        QCoreApplication.translate("ClusterDialog", "One machine (run.sh):"),
        *("  " + line for line in command),
        "",
    ]
    if bundle.notes:
        lines.append(QCoreApplication.translate("ClusterDialog", "Check on the cluster:"))
        lines += [f"  • {note}" for note in bundle.notes]
        lines.append("")
    lines += ["job.slurm:", *("  " + line for line in _read(bundle.slurm).rstrip().splitlines())]
    return "\n".join(lines) + "\n"


def open_cluster_dialog(context: StudioContext, parent: QWidget | None = None) -> ClusterDialog:
    """Show the dialog (window-modal, not blocking) and return it."""
    dialog = ClusterDialog(context, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
