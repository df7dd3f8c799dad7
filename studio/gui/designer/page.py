"""The Design page: palette | stack (or pretrained settings) | properties, shapes and diagram.

The page holds no copy of the network: the stack view, property editor, shape table and
diagram all read the window's :class:`ProjectDocument` and change it with undoable edits
(``context.push``). Layout at 1280x800 and up: three columns in splitters.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.project.checks import FIX_OUT_FEATURES, FIX_UNFREEZE, Problem, training_problems
from studio.gui.common.context import StudioContext
from studio.gui.common.theme import colors
from studio.gui.designer.diagram import DiagramPanel
from studio.gui.designer.input_editor import InputShapeEditor
from studio.gui.designer.palette import LayerPalette
from studio.gui.designer.pretrained import ModelKindSwitch, PretrainedPanel
from studio.gui.designer.properties import LayerProperties
from studio.gui.designer.scale_dialog import ScaleDialog
from studio.gui.designer.shape_table import ShapeTable, totals_text
from studio.gui.designer.stack_model import LayerStackModel
from studio.gui.designer.stack_view import LayerStackView
from studio.gui.designer.summary_source import SummarySource


def _heading(text: str) -> QLabel:
    label = QLabel(f"<b>{text}</b>")
    label.setContentsMargins(2, 2, 2, 2)
    return label


class DesignerPage(QWidget):
    """The layer-stack designer (page contract: ``studio/gui/common/context.py``)."""

    def __init__(self, context: StudioContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("designerPage")
        self.ctx = context
        self.doc = context.document
        self.source = SummarySource(context, self)

        # left: the palette
        self.palette_panel = LayerPalette()
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(8, 8, 4, 8)
        lv.addWidget(_heading(self.tr("Blocks")))
        lv.addWidget(self.palette_panel, 1)

        # centre: kind switch + input shape, the stack (or pretrained settings), totals
        self.kind_switch = ModelKindSwitch()
        self.input_editor = InputShapeEditor(context)
        # two rows, not one: side by side they would set the window's minimum width past 1024 px
        top = QVBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.kind_switch, 0, Qt.AlignmentFlag.AlignLeft)
        top.addWidget(self.input_editor, 0, Qt.AlignmentFlag.AlignLeft)
        self.model = LayerStackModel(self.doc, context.push, self)
        self.stack_view = LayerStackView(self.model)
        self.error_banner = QLabel()
        self.error_banner.setObjectName("stackError")
        self.error_banner.setWordWrap(True)
        self.error_banner.setTextFormat(Qt.TextFormat.RichText)
        self.error_banner.linkActivated.connect(self._select_error)
        buttons = QHBoxLayout()
        for key, text, tip, slot in (
            ("Delete", self.tr("Delete"), self.tr("Delete the selected layers (Del)"), self.delete_selection),
            (
                "Duplicate",
                self.tr("Duplicate"),
                self.tr("Duplicate the selected layers (Ctrl+D)"),
                self.duplicate_selection,
            ),
            (
                "Moveup",
                self.tr("Move up"),
                self.tr("Move the selected layers up (Alt+Up)"),
                lambda: self.move_selection(-1),
            ),
            (
                "Movedown",
                self.tr("Move down"),
                self.tr("Move the selected layers down (Alt+Down)"),
                lambda: self.move_selection(1),
            ),
        ):
            b = QToolButton()
            b.setText(text)
            b.setToolTip(tip)
            b.setObjectName(f"stack{key}Button")
            b.clicked.connect(slot)
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.scale_button = QToolButton()
        self.scale_button.setText(self.tr("Scale network…"))
        self.scale_button.setObjectName("scaleNetworkButton")
        self.scale_button.setToolTip(
            self.tr(
                "Compound scaling of an MBConv network: width, depth and "
                "resolution together (EfficientNet B0-B7)"
            )
        )
        self.scale_button.clicked.connect(self.scale_network)
        buttons.addWidget(self.scale_button)
        self.scale_dialog: ScaleDialog | None = None
        stack_panel = QWidget()
        sv = QVBoxLayout(stack_panel)
        sv.setContentsMargins(0, 0, 0, 0)
        sv.addWidget(self.stack_view, 1)
        sv.addWidget(self.error_banner)
        sv.addLayout(buttons)
        self.pretrained = PretrainedPanel(context, self.source)
        self.center_stack = QStackedWidget()
        self.center_stack.addWidget(stack_panel)
        self.center_stack.addWidget(self.pretrained)
        self.totals = QLabel()
        self.totals.setObjectName("modelTotals")
        self.totals.setWordWrap(True)
        self.totals.setToolTip(
            self.tr("Parameters, trainable parameters, float32 size and multiply-accumulates for one image")
        )
        # what would spoil or block training, found before Train (studio.core.project.checks)
        self.problem_bar = QWidget()
        self.problem_bar.setObjectName("designProblem")
        pb = QHBoxLayout(self.problem_bar)
        pb.setContentsMargins(6, 4, 6, 4)
        self.problem_text = QLabel()
        self.problem_text.setObjectName("designProblemText")
        self.problem_text.setWordWrap(True)
        self.problem_fix = QPushButton()
        self.problem_fix.setObjectName("designProblemFix")
        self.problem_fix.clicked.connect(self.fix_problem)
        self.problem_weights = QPushButton(self.tr("Choose weights file…"))
        self.problem_weights.setObjectName("designProblemWeights")
        self.problem_weights.clicked.connect(lambda: self.pretrained.choose_weights_file())
        pb.addWidget(self.problem_text, 1)
        pb.addWidget(self.problem_fix)
        pb.addWidget(self.problem_weights)
        self.problem_bar.hide()
        self._problem: Problem | None = None
        center = QWidget()
        cv = QVBoxLayout(center)
        cv.setContentsMargins(4, 8, 4, 8)
        cv.addLayout(top)
        cv.addWidget(self.problem_bar)
        cv.addWidget(self.center_stack, 1)
        cv.addWidget(self.totals)

        # right: properties over shapes / diagram
        self.properties = LayerProperties(context)
        self.shape_table = ShapeTable(self.source)
        self.diagram = DiagramPanel(self.source)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("designTabs")
        self.tabs.addTab(self.shape_table, self.tr("Shapes"))
        self.tabs.addTab(self.diagram, self.tr("Diagram"))
        props_box = self.props_box = QWidget()
        pv = QVBoxLayout(props_box)
        pv.setContentsMargins(0, 0, 0, 0)
        pv.addWidget(_heading(self.tr("Properties")))
        pv.addWidget(self.properties, 1)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(props_box)
        right.addWidget(self.tabs)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        right.setSizes([450, 300])
        right.setContentsMargins(4, 8, 8, 8)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(center)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 0)  # the palette keeps its width: block names stay whole
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 2)
        self.splitter.setSizes([190, 540, 550])
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        # wiring
        self.palette_panel.addRequested.connect(self.add_block)
        self.stack_view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._selection_changed)
        self.kind_switch.kindChosen.connect(self._kind_chosen)
        context.listen(self.doc.changed, self._on_changed, self)
        self.source.changed.connect(self._refresh_totals)
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.activated.connect(self._focus_search)
        self._on_changed("all")

    # ------------------------------------------------------------------ edits (Edit menu hooks)

    def add_block(self, type_name: str) -> None:
        """Add a ``type_name`` layer after the selection (or at the end) and select it."""
        if self.doc.project.model.kind != "stack":
            self.ctx.show_status(self.tr("Switch to “Stack of blocks” to add layers"))
            return
        rows = self.stack_view.selected_rows()
        index = rows[-1] + 1 if rows else len(self.doc.layers)
        if self.ctx.push(lambda: self.doc.add_layer(type_name, index)):
            self.stack_view.select_rows([index])

    def delete_selection(self) -> None:
        """Edit > Delete: remove the selected layers."""
        rows = self.stack_view.selected_rows()
        if not rows:
            return
        self.ctx.push(lambda: self.doc.remove_layers(rows))
        if self.doc.layers:
            self.stack_view.select_rows([min(rows[0], len(self.doc.layers) - 1)])

    def duplicate_selection(self) -> None:
        """Edit > Duplicate: copy the selected layers below the last of them."""
        rows = self.stack_view.selected_rows()
        if not rows:
            return
        if self.ctx.push(lambda: self.doc.duplicate_layers(rows)):
            self.stack_view.select_rows(list(range(rows[-1] + 1, rows[-1] + 1 + len(rows))))

    def move_selection(self, delta: int) -> None:
        """Edit > Move Up/Down: shift the selected layers by one row."""
        rows = self.stack_view.selected_rows()
        n = len(self.doc.layers)
        if not rows or (delta < 0 and rows[0] == 0) or (delta > 0 and rows[-1] == n - 1):
            return
        before = rows[0] - 1 if delta < 0 else rows[-1] + 2
        if self.ctx.push(lambda: self.doc.move_layers(rows, before)):
            first = before - sum(1 for r in rows if r < before)
            self.stack_view.select_rows(list(range(first, first + len(rows))))

    def scale_network(self) -> ScaleDialog | None:
        """Design > Scale network…: open the compound-scaling dialog; accepting it is one undo step."""
        if self.doc.project.model.kind != "stack":
            self.ctx.show_status(
                self.tr("Scaling rewrites a stack of blocks; switch to “Stack of blocks” first")
            )
            return None
        dialog = self.scale_dialog = ScaleDialog(self.doc.project, self)
        dialog.accepted.connect(lambda: self._apply_scaling(dialog))
        dialog.open()
        return dialog

    def _apply_scaling(self, dialog: ScaleDialog) -> None:
        scaling = dialog.scaling()
        self.ctx.push(lambda: self.doc.scale_network(scaling)[0])

    def page_activated(self) -> None:
        """The page was shown: re-read the dataset's classes (a folder may have changed on disk)."""
        self.source.recount_classes()

    def shutdown(self) -> None:
        """The window is closing: let a running pretrained summary finish (it is importing torch)."""
        self.source.wait(30_000)

    # ------------------------------------------------------------------ view updates

    def _selection_changed(self, *_: object) -> None:
        self.properties.set_rows(self.stack_view.selected_rows())

    def _kind_chosen(self, kind: str) -> None:
        if kind != self.doc.project.model.kind:
            self.ctx.push(lambda: self.doc.set_model_kind(kind))

    def _select_error(self, *_: object) -> None:
        error = self.doc.blocking_error()
        if error is not None and error.layer < len(self.doc.layers):
            self.stack_view.select_rows([error.layer])
            self.stack_view.setFocus()

    def _focus_search(self) -> None:
        self.palette_panel.search.setFocus()
        self.palette_panel.search.selectAll()

    def _on_changed(self, section: str) -> None:
        pretrained = self.doc.project.model.kind == "pretrained"
        self.kind_switch.set_kind(self.doc.project.model.kind)
        self.props_box.setVisible(not pretrained)  # no per-layer settings: give Shapes the column
        self.center_stack.setCurrentIndex(1 if pretrained else 0)
        self.palette_panel.setEnabled(not pretrained)
        # a pretrained model has no blocks to add: its column goes, the settings and Shapes get the room
        palette_column = self.splitter.widget(0)
        if palette_column is not None:
            palette_column.setVisible(not pretrained)
        error = self.doc.summary().error if not pretrained else None
        if error is not None:
            c = colors()
            self.error_banner.setStyleSheet(
                f"color: {c.error_fg.name()}; background: {c.error_bg.name()}; "
                "padding: 6px; border-radius: 4px;"
            )
            self.error_banner.setText(
                self.tr(
                    "✗ Layer {layer} ({type}) is invalid; training is blocked until "
                    "it is fixed. <a href='#select'>Select layer {layer}</a>"
                ).format(layer=error.layer, type=error.type_name)
            )
        self.error_banner.setVisible(error is not None)
        if section == "all" and self.doc.layers and not pretrained:
            self.stack_view.select_rows([0])  # another project: show its first layer and formula at once
        if section in ("layers", "all", "model"):
            self.properties.set_rows(self.stack_view.selected_rows())
        self._refresh_totals()

    def problem(self) -> Problem | None:
        """The first training problem shown on the page (None when there is none)."""
        return self._problem

    def fix_problem(self) -> None:
        """The problem bar's one-click fix: one undoable edit."""
        problem = self._problem
        if problem is not None and problem.fix is not None:
            self.ctx.push(lambda: self.doc.fix_problem(problem))

    def _refresh_problem(self) -> None:
        problems = training_problems(self.doc.project, self.source.class_count())
        self._problem = problems[0] if problems else None
        problem = self._problem
        self.problem_bar.setVisible(problem is not None)
        if problem is None:
            self.problem_text.clear()
            return
        c = colors()
        self.problem_bar.setStyleSheet(
            f"#designProblem {{ background: {c.error_bg.name()}; border-radius: 4px; }}"
            f"#designProblem QLabel {{ color: {c.error_fg.name()}; }}"
        )
        self.problem_text.setText("⚠ " + problem.gui)
        if problem.fix == FIX_OUT_FEATURES:
            self.problem_fix.setText(self.tr("Set out_features to {n}").format(n=problem.value))
        else:
            self.problem_fix.setText(self.tr("Train every layer"))
        self.problem_fix.setVisible(problem.fix is not None)
        self.problem_weights.setVisible(problem.fix == FIX_UNFREEZE)

    def _refresh_totals(self) -> None:
        self._refresh_problem()
        self.totals.setText(totals_text(self.source.summary(), self.source.pending(), self.source.error()))
