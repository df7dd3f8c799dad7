"""The property editor (``layerProperties``) of the selected layer.

Generated from the block registry's argument schema: one editor per :class:`Arg` (spin
boxes with the registry's ranges, combo boxes for choices, check boxes), the help texts as
tooltips, and under them the output-size formula filled in with this layer's numbers.
Every change is a ``set_layer_arg`` edit on the undo stack; consecutive changes of one field
merge into one undo step.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QPalette
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from studio.core.base.i18n import tr as core_tr
from studio.core.model.blocks import REGISTRY
from studio.gui.common.context import StudioContext
from studio.gui.common.theme import colors
from studio.gui.designer.arg_editors import ArgEditor, OptionalSizeEditor, make_editor
from studio.gui.designer.explain import explain_row


class LayerProperties(QScrollArea):
    """Editors for one layer's arguments; :meth:`set_rows` follows the stack's selection."""

    def __init__(self, context: StudioContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("layerProperties")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.ctx = context
        self.doc = context.document
        self.row: int | None = None
        self._built_for: tuple[int, str] | None = None
        self._session = 0
        self._selected = 0
        self.editors: dict[str, ArgEditor] = {}

        inner = QWidget()
        self._layout = QVBoxLayout(inner)
        self._layout.setContentsMargins(10, 8, 10, 8)
        self.title = QLabel()
        self.title.setObjectName("layerTitle")
        self.help = QLabel()
        self.help.setObjectName("layerHelp")
        self.help.setWordWrap(True)
        self.help.setForegroundRole(QPalette.ColorRole.WindowText)  # full contrast, light or dark
        self.help.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form_host = QWidget()
        self.form = QFormLayout(self.form_host)
        self.form.setContentsMargins(0, 4, 0, 4)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.error = QLabel()
        self.error.setObjectName("layerError")
        self.error.setWordWrap(True)
        self.formula = QLabel()
        self.formula.setObjectName("layerFormula")
        self.formula.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.formula.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.formula.setWordWrap(True)
        self.formula.setToolTip(
            self.tr("How the output size and the parameter count follow from the arguments")
        )
        for w in (self.title, self.help, self.form_host, self.error, self.formula):
            self._layout.addWidget(w)
        self._layout.addStretch(1)
        self.setWidget(inner)

        # doc.changed follows every edit (layer_changed comes before the summary is recomputed)
        context.listen(self.doc.changed, self._on_document, self)
        self.set_rows([])

    # ------------------------------------------------------------------ selection

    def set_rows(self, rows: list[int]) -> None:
        """Show the layer when exactly one row is selected, else a hint."""
        row = rows[0] if len(rows) == 1 else None
        if row != self.row or len(rows) != self._selected:
            self._session += 1  # a new selection starts a new undo step for typed values
        self.row = row
        self._selected = len(rows)
        self.refresh()

    def _show_message(self, title: str, text: str) -> None:
        self._clear_form()
        self.title.setText(f"<b>{title}</b>")
        self.help.setText(text)
        self.error.hide()
        self.formula.hide()

    def _clear_form(self) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.editors = {}
        self._built_for = None

    # ------------------------------------------------------------------ document -> view

    def _on_document(self, *_: Any) -> None:
        if self.row is not None and self.row >= len(self.doc.layers):
            self.row = None
        self.refresh()

    def refresh(self) -> None:
        """Rebuild the editors when the layer's type changed, else update their values."""
        if self.doc.project.model.kind != "stack":
            self._show_message(
                self.tr("Pretrained model"),
                self.tr(
                    "A pretrained model has no per-layer settings here: choose its architecture, weights and "
                    "freezing in the middle column."
                ),
            )
            return
        if self.row is None:
            if self._selected > 1:
                self._show_message(
                    self.tr("{n} layers selected").format(n=self._selected),
                    self.tr(
                        "Delete (Del), duplicate (Ctrl+D) or drag them together. Select one layer to edit its "
                        "arguments."
                    ),
                )
            else:
                self._show_message(
                    self.tr("No layer selected"),
                    self.tr(
                        "Select a layer in the stack to edit its arguments, or add one from the palette "
                        "(double-click, Enter or drag)."
                    ),
                )
            return
        layer = self.doc.layers[self.row]
        type_name = str(layer.get("type"))
        block = REGISTRY[type_name]
        if self._built_for != (self.row, type_name):
            self._build(block)
            self._built_for = (self.row, type_name)
        self.title.setText(
            self.tr("<b>{type}</b> &nbsp; <span>layer {row}</span>").format(type=type_name, row=self.row)
        )
        self.help.setText(core_tr(block.help))
        for name, editor in self.editors.items():
            value = layer.get(name, editor.arg.default)
            if isinstance(editor, OptionalSizeEditor):
                editor.set_value(value, layer.get("kernel_size", 1))
            else:
                editor.set_value(value)
        summary = self.doc.summary()
        err = summary.error if summary.error is not None and summary.error.layer == self.row else None
        if err is not None:
            c = colors()
            self.error.setStyleSheet(
                f"color: {c.error_fg.name()}; background: {c.error_bg.name()}; padding: 6px;"
            )
            self.error.setText(
                self.tr("✗ {message}\nTraining is blocked until this layer is fixed.").format(
                    message=err.message
                )
            )
            self.error.show()
        else:
            self.error.hide()
        self.formula.setText(explain_row(summary, self.doc.layers, self.row))
        self.formula.show()

    def _build(self, block: Any) -> None:
        self._clear_form()
        for arg in block.args:
            editor = make_editor(arg)
            editor.edited.connect(lambda value, key=arg.name: self._edited(key, value))
            # English: the PyTorch argument name, as in the project file and exports; other
            # languages: its name in the core catalogue (the registry's texts live there)
            label = QLabel(core_tr(arg.name))
            label.setToolTip(core_tr(arg.help))
            self.form.addRow(label, editor)
            self.editors[arg.name] = editor
        if not block.args:
            note = QLabel(self.tr("This layer has no arguments."))
            note.setEnabled(False)
            self.form.addRow(note)

    # ------------------------------------------------------------------ view -> document

    def _edited(self, key: str, value: Any) -> None:
        row = self.row
        if row is None or row >= len(self.doc.layers):
            return
        if (
            self.doc.layers[row].get(key, REGISTRY[self.doc.layers[row]["type"]].arg(key).default) == value
            and key in self.doc.layers[row]
        ):
            return
        self.ctx.push(
            lambda: self.doc.set_layer_arg(row, key, value), merge_key=("arg", self._session, row, key)
        )
