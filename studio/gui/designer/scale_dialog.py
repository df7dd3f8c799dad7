"""Design > *Scale network…*: EfficientNet's compound scaling as one undoable edit.

The dialog picks a variant (B0-B7, filling in torchvision's multipliers) or custom width,
depth and resolution multipliers, and shows the parameters, MACs, input size and MBConv
count before and after, recomputed analytically on every change by the same core function
the edit uses (:func:`studio.core.project.scale.scale_project`). Accepting it applies
:meth:`ProjectDocument.scale_network` through the undo stack.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.core.model.scaling import MAX_MULTIPLIER, VARIANTS
from studio.core.project.project_file import Project
from studio.core.project.scale import ScaleError, ScaleResult, Scaling, scale_project

CUSTOM = "custom"


def _human(n: int) -> str:
    for unit, scale in (("G", 1e9), ("M", 1e6), ("K", 1e3)):
        if n >= scale:
            return f"{n:,} ({n / scale:.2f}{unit})"
    return f"{n:,}"


class ScaleDialog(QDialog):
    """Choose multipliers; see the network before and after; ``scaling()`` after ``accept``."""

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scaleDialog")
        self.setWindowTitle(self.tr("Scale network"))
        self.project = project
        self.result_: ScaleResult | None = None

        intro = QLabel(
            self.tr(
                "Compound scaling (EfficientNet) grows a network in three directions at once: more "
                "channels (width), more MBConv blocks per stage (depth) and larger images (resolution). "
                "The variants B1-B7 take B0 as the baseline."
            )
        )
        intro.setWordWrap(True)
        self.variant = QComboBox()
        self.variant.setObjectName("scaleVariant")
        self.variant.addItem(self.tr("Custom multipliers"), CUSTOM)
        for name, (w, d, r, _) in VARIANTS.items():
            self.variant.addItem(
                self.tr("EfficientNet-{0}: width {1:g}, depth {2:g}, {3}x{3}").format(name.upper(), w, d, r),
                name,
            )
        self.spins: dict[str, QDoubleSpinBox] = {}
        form = QFormLayout()
        form.addRow(self.tr("Variant"), self.variant)
        tips = {
            "width": self.tr("channels of every convolution x width, rounded to a multiple of 8"),
            "depth": self.tr("MBConv blocks per stage x depth, rounded up"),
            "resolution": self.tr("input height and width x resolution"),
        }
        labels = {"width": self.tr("Width"), "depth": self.tr("Depth"), "resolution": self.tr("Resolution")}
        for key in ("width", "depth", "resolution"):
            spin = QDoubleSpinBox()
            spin.setObjectName(f"scale_{key}")
            spin.setRange(0.1, MAX_MULTIPLIER)
            spin.setDecimals(3)
            spin.setSingleStep(0.1)
            spin.setValue(1.0)
            spin.setToolTip(tips[key])
            spin.valueChanged.connect(self._custom_edited)
            self.spins[key] = spin
            form.addRow(labels[key], spin)

        self.table = QTableWidget(4, 2)
        self.table.setObjectName("scaleComparison")
        self.table.setHorizontalHeaderLabels([self.tr("Before"), self.tr("After")])
        self.table.setVerticalHeaderLabels(
            [
                self.tr("Parameters"),
                self.tr("MACs per image"),
                self.tr("Input size"),
                self.tr("MBConv blocks"),
            ]
        )
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 200)
        self.table.setMinimumHeight(150)
        self.table.setMaximumHeight(160)
        self.message = QLabel()
        self.message.setObjectName("scaleMessage")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Scale"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.table)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.variant.currentIndexChanged.connect(self._variant_chosen)
        self.resize(620, 400)
        self._refresh()

    # ------------------------------------------------------------------ state

    def scaling(self) -> Scaling:
        """The scaling the dialog shows (a variant's, or the custom multipliers)."""
        key = self.variant.currentData()
        if key != CUSTOM:
            return Scaling.of_variant(key)
        return Scaling(
            self.spins["width"].value(), self.spins["depth"].value(), self.spins["resolution"].value()
        )

    def set_variant(self, name: str) -> None:
        """Select variant ``name`` (b0..b7) or ``custom``."""
        self.variant.setCurrentIndex(max(0, self.variant.findData(name)))

    def _variant_chosen(self, *_: object) -> None:
        key = self.variant.currentData()
        if key != CUSTOM:
            s = Scaling.of_variant(key)
            for name, value in (("width", s.width), ("depth", s.depth), ("resolution", s.resolution)):
                spin = self.spins[name]
                spin.blockSignals(True)
                spin.setValue(value)
                spin.blockSignals(False)
        self._refresh()

    def _custom_edited(self, *_: object) -> None:
        if self.variant.currentData() != CUSTOM:
            self.variant.blockSignals(True)
            self.variant.setCurrentIndex(0)
            self.variant.blockSignals(False)
        self._refresh()

    def _refresh(self) -> None:
        ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        try:
            scaled, result = scale_project(self.project, self.scaling())
        except ScaleError as exc:
            self.result_ = None
            self.message.setText(str(exc))
            ok_button.setEnabled(False)
            for r in range(4):
                self.table.setItem(r, 1, QTableWidgetItem("—"))
            return
        self.result_ = result
        b, a = result.before, result.after
        before = [
            _human(b.total_params),
            _human(b.macs),
            "x".join(map(str, self.project.input_shape)),
            str(sum(la.type == "MBConv" for la in b.layers)),
        ]
        after = [
            _human(a.total_params),
            _human(a.macs),
            "x".join(map(str, scaled.input_shape)),
            str(sum(la.type == "MBConv" for la in a.layers)),
        ]
        for r, (x, y) in enumerate(zip(before, after, strict=True)):
            for c, text in enumerate((x, y)):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        ratio = a.total_params / b.total_params if b.total_params else 0.0
        self.message.setText(
            self.tr("{0}: {1:.2f}x the parameters, {2:.2f}x the MACs. One undo step reverts it.").format(
                self.scaling().label(), ratio, a.macs / b.macs if b.macs else 0.0
            )
        )
        ok_button.setEnabled(True)
