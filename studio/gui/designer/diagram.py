"""The block diagram: the network as a column of blocks with the tensor shape on each arrow.

Like the classic CNN figures: input image at the top, each layer a coloured block (colour by
palette group), the shape of the tensor flowing between them on the arrows, an invalid
layer in red with its reason. An Inception module shows its four branches side by side, and
residual blocks (BasicBlock, Bottleneck, MBConv with a skip) a bypass line around them that
joins at a "+". One painting function draws the widget, the PNG and the SVG
(``QSvgGenerator``), so the exported figure is exactly what is on screen.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QImage,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from studio.core.model.blocks import REGISTRY, layer_summary
from studio.core.model.branch_rules import BRANCHES, skip_path
from studio.gui.common.theme import colors, is_dark
from studio.gui.designer.stack_model import fmt_shape
from studio.gui.designer.summary_source import SummarySource

MARGIN = 16
BOX_H = 38
ARROW_H = 34
MAX_BOX_W = 360
GUTTER = 110  # room right of the blocks for parameter counts and shapes
SKIP_W = 18  # room left of the blocks for skip connections
BRANCH_H = 44  # extra height of a block that shows its parallel branches
SIDE_BY_SIDE = ("Inception",)  # blocks whose branches run in parallel (the others are sequential)


def _skip_text(skip: str) -> str:
    """The drawn name of a skip path (``skip_path``'s values stay the keys compared in code)."""
    return {
        "identity": QCoreApplication.translate("BlockDiagram", "identity"),
        "1x1 conv": QCoreApplication.translate("BlockDiagram", "1x1 conv"),
    }.get(skip, skip)


@dataclass(frozen=True)
class Block:
    """One drawn block: its label, colour group, the shape it outputs and its error."""

    label: str
    detail: str
    group: str
    out_shape: str
    error: str | None = None
    unknown: bool = False
    branches: tuple[tuple[str, str], ...] = ()  # (name, "what · output shape") drawn side by side
    skip: str | None = None  # "identity" or "1x1 conv": a bypass drawn around the block

    @property
    def height(self) -> int:
        """Drawn height: taller when the branches are shown."""
        return BOX_H + (BRANCH_H if self.branches else 0)


def diagram_blocks(source: SummarySource) -> tuple[str, list[Block]]:
    """(input shape text, blocks) for the current design."""
    doc = source.doc
    summary = source.summary()
    in_text = fmt_shape(doc.project.input_shape)
    if source.is_pretrained():
        if summary is None:
            return in_text, [
                Block(
                    doc.project.model.arch,
                    QCoreApplication.translate("BlockDiagram", "computing…"),
                    "Pretrained",
                    "?",
                    unknown=True,
                )
            ]
        return in_text, [
            Block(
                info.type,
                (
                    QCoreApplication.translate("BlockDiagram", "{n} params")
                    if info.trainable
                    else QCoreApplication.translate("BlockDiagram", "{n} params · frozen")
                ).format(n=f"{info.params:,}"),
                "Pretrained",
                fmt_shape(info.output_shape),
            )
            for info in summary.layers
        ]
    assert summary is not None
    blocks = []
    for row, layer in enumerate(doc.layers):
        block = REGISTRY.get(str(layer.get("type")))
        group = block.group if block else "Input"
        info = summary.layers[row] if row < len(summary.layers) else None
        error = summary.error.message if summary.error is not None and summary.error.layer == row else None
        detail = (
            QCoreApplication.translate("BlockDiagram", "{n} params").format(n=f"{info.params:,}")
            if info and info.params
            else ""
        )
        branches: tuple[tuple[str, str], ...] = ()
        skip = None
        if info is not None and block is not None:
            args = block.resolve(layer)
            if block.name in SIDE_BY_SIDE:
                branches = tuple(
                    (
                        b.short or b.name,
                        f"{f'{b.reduce}→' if b.reduce else ''}"
                        + QCoreApplication.translate("BlockDiagram", "{n} ch").format(n=b.out_shape[0]),
                    )
                    for b in BRANCHES[block.name](info.input_shape, args)
                )
            skip = skip_path(block.name, info.input_shape, args)
            if skip:
                detail += f"{' · ' if detail else ''}" + QCoreApplication.translate(
                    "BlockDiagram", "skip: {kind}"
                ).format(kind=_skip_text(skip))
        blocks.append(
            Block(
                layer_summary(layer),
                detail,
                group,
                fmt_shape(info.output_shape) if info else "?",
                error,
                unknown=info is None and error is None,
                branches=branches,
                skip=skip,
            )
        )
    return in_text, blocks


def diagram_size(blocks: list[Block], width: int) -> QSize:
    """The size the diagram needs at ``width`` pixels."""
    n = len(blocks) + 2  # input and output pills
    return QSize(max(width, 240), MARGIN * 2 + 2 * BOX_H + sum(b.height for b in blocks) + (n - 1) * ARROW_H)


def paint_diagram(p: QPainter, in_text: str, blocks: list[Block], width: int, dark: bool) -> None:
    """Draw the diagram with ``p`` into a ``width``-wide area starting at (0, 0)."""
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    c = colors(dark=dark)
    text_color = QColor(230, 232, 235) if dark else QColor(25, 28, 33)
    muted = QColor(150, 153, 160) if dark else QColor(110, 113, 120)
    available = width - 2 * MARGIN - GUTTER - SKIP_W
    box_w = max(150.0, min(float(MAX_BOX_W), float(available)))
    x = MARGIN + SKIP_W + max(0.0, (available - box_w) / 2)
    font = QFont(p.font())
    font.setPixelSize(13)
    small = QFont(font)
    small.setPixelSize(11)
    bold = QFont(font)
    bold.setBold(True)
    y = float(MARGIN)

    def box(
        label: str,
        detail: str,
        fill: QColor,
        border: QColor,
        dashed: bool = False,
        error: str | None = None,
        height: float = BOX_H,
    ) -> None:
        rect = QRectF(x, y, box_w, height)
        path = QPainterPath()
        path.addRoundedRect(rect, 7, 7)
        p.fillPath(path, fill)
        pen = QPen(border, 1.6)
        if dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.drawPath(path)
        inner = QRectF(x, y, box_w, BOX_H).adjusted(10, 2, -10, -2)
        p.setFont(bold)
        fm = QFontMetrics(bold)
        p.setPen(c.error_fg if error else text_color)
        if error:
            top = QRectF(inner.x(), inner.y(), inner.width(), inner.height() / 2)
            bottom = QRectF(inner.x(), inner.y() + inner.height() / 2, inner.width(), inner.height() / 2)
            p.drawText(
                top,
                Qt.AlignmentFlag.AlignCenter,
                fm.elidedText(label, Qt.TextElideMode.ElideRight, int(inner.width())),
            )
            p.setFont(small)
            p.drawText(
                bottom,
                Qt.AlignmentFlag.AlignCenter,
                QFontMetrics(small).elidedText("✗ " + error, Qt.TextElideMode.ElideRight, int(inner.width())),
            )
        else:
            p.drawText(
                inner,
                Qt.AlignmentFlag.AlignCenter,
                fm.elidedText(label, Qt.TextElideMode.ElideRight, int(inner.width())),
            )
        if detail:
            p.setFont(small)
            p.setPen(muted)
            side = QRectF(x + box_w + 8, y, max(10.0, width - x - box_w - 12), BOX_H)
            p.drawText(
                side,
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                QFontMetrics(small).elidedText(detail, Qt.TextElideMode.ElideRight, int(side.width())),
            )

    def arrow(shape: str, unknown: bool) -> None:
        cx = x + box_w / 2
        top, bottom = y + BOX_H, y + BOX_H + ARROW_H
        pen = QPen(muted if unknown else text_color, 1.6)
        if unknown:
            pen.setStyle(Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.drawLine(QPointF(cx, top + 3), QPointF(cx, bottom - 7))
        p.setBrush(muted if unknown else text_color)
        p.setPen(Qt.PenStyle.NoPen)
        p.drawPolygon(
            QPolygonF([QPointF(cx - 5, bottom - 9), QPointF(cx + 5, bottom - 9), QPointF(cx, bottom - 2)])
        )
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(muted if unknown else text_color)
        p.setFont(small)
        p.drawText(
            QRectF(cx + 10, top, width - cx - 10 - MARGIN / 2, ARROW_H),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            shape,
        )

    def branches(b: Block, fill: QColor, border: QColor) -> None:
        """The parallel branches as small boxes side by side under the block's title."""
        n = len(b.branches)
        gap = 6.0
        sub_w = (box_w - 16 - gap * (n - 1)) / n
        top = y + BOX_H - 4
        fm = QFontMetrics(small)
        for i, (name, out) in enumerate(b.branches):
            rect = QRectF(x + 8 + i * (sub_w + gap), top, sub_w, BRANCH_H - 4)
            path = QPainterPath()
            path.addRoundedRect(rect, 5, 5)
            p.fillPath(path, fill.lighter(115) if not dark else fill.darker(115))
            p.setPen(QPen(border, 1.0))
            p.drawPath(path)
            p.setPen(text_color)
            p.setFont(small)
            half = rect.height() / 2
            p.drawText(
                QRectF(rect.x() + 2, rect.y() + 1, rect.width() - 4, half),
                Qt.AlignmentFlag.AlignCenter,
                fm.elidedText(name, Qt.TextElideMode.ElideRight, int(rect.width() - 4)),
            )
            p.drawText(
                QRectF(rect.x() + 2, rect.y() + half - 1, rect.width() - 4, half),
                Qt.AlignmentFlag.AlignCenter,
                fm.elidedText(out, Qt.TextElideMode.ElideRight, int(rect.width() - 4)),
            )

    def skip(b: Block) -> None:
        """A bypass from the arrow above the block to a "+" on the arrow below it."""
        cx = x + box_w / 2
        start = y - ARROW_H + 22  # low in the arrow above, clear of the "+" of a skip before
        join = y + b.height + 11
        left = x - SKIP_W + 4
        pen = QPen(muted if b.skip == "identity" else text_color, 1.4)
        if b.skip == "identity":
            pen.setStyle(Qt.PenStyle.DashLine)
        p.setPen(pen)
        path = QPainterPath(QPointF(cx - 2, start))
        path.lineTo(left + 6, start)
        path.quadTo(left, start, left, start + 6)
        path.lineTo(left, join - 6)
        path.quadTo(left, join, left + 6, join)
        path.lineTo(cx - 8, join)
        p.drawPath(path)
        p.setPen(QPen(text_color, 1.4))
        p.setBrush(c.groups["Input"])
        p.drawEllipse(QPointF(cx, join), 7, 7)
        p.drawLine(QPointF(cx - 4, join), QPointF(cx + 4, join))
        p.drawLine(QPointF(cx, join - 4), QPointF(cx, join + 4))
        p.setBrush(Qt.BrushStyle.NoBrush)

    grey = c.groups["Input"]
    box(QCoreApplication.translate("BlockDiagram", "Input image"), "", grey, grey.darker(140))
    arrow(in_text, False)
    y += BOX_H + ARROW_H
    for b in blocks:
        fill = c.error_bg if b.error else c.groups.get(b.group, grey)
        border = c.error_fg if b.error else fill.darker(150)
        box(b.label, b.detail, fill, border, dashed=b.unknown, error=b.error, height=b.height)
        if b.branches:
            branches(b, fill, border)
        y += b.height - BOX_H  # the arrow starts under the (taller) block
        arrow(b.out_shape, b.unknown or b.error is not None)
        y -= b.height - BOX_H
        if b.skip:
            skip(b)
        y += b.height + ARROW_H
    ok = not blocks or (blocks[-1].error is None and not blocks[-1].unknown)
    box(
        QCoreApplication.translate("BlockDiagram", "Output")
        if ok
        else QCoreApplication.translate("BlockDiagram", "Output: unknown"),
        "",
        grey,
        grey.darker(140),
        dashed=not ok,
    )


class BlockDiagram(QWidget):
    """The diagram widget (inside a scroll area); repaints when the design changes."""

    def __init__(self, source: SummarySource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("blockDiagram")
        self.source = source
        source.changed.connect(self._changed)
        self._changed()

    def _changed(self) -> None:
        self.updateGeometry()
        self.setMinimumHeight(self.sizeHint().height())
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802, D102 - Qt API
        _, blocks = diagram_blocks(self.source)
        return diagram_size(blocks, 300)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802, D102 - Qt API
        in_text, blocks = diagram_blocks(self.source)
        p = QPainter(self)
        paint_diagram(p, in_text, blocks, self.width(), is_dark(self.palette()))
        p.end()

    # ------------------------------------------------------------------ export

    def export_png(self, path: str | os.PathLike[str], width: int = 640, scale: float = 2.0) -> bool:
        """Write the diagram as a PNG (white background, ``scale`` x for crisp text)."""
        in_text, blocks = diagram_blocks(self.source)
        size = diagram_size(blocks, width)
        image = QImage(int(size.width() * scale), int(size.height() * scale), QImage.Format.Format_ARGB32)
        image.fill(QColor("white"))
        p = QPainter(image)
        p.scale(scale, scale)
        paint_diagram(p, in_text, blocks, size.width(), dark=False)
        p.end()
        return image.save(os.fspath(path), "PNG")

    def export_svg(self, path: str | os.PathLike[str], width: int = 640) -> bool:
        """Write the diagram as an SVG drawing."""
        from PySide6.QtSvg import QSvgGenerator

        in_text, blocks = diagram_blocks(self.source)
        size = diagram_size(blocks, width)
        gen = QSvgGenerator()
        gen.setFileName(os.fspath(path))
        gen.setSize(size)
        gen.setViewBox(QRectF(0, 0, size.width(), size.height()))
        gen.setTitle(self.tr("{name} — network diagram").format(name=self.source.doc.project.name))
        gen.setDescription(self.tr("Drawn by CNN Studio"))
        p = QPainter(gen)
        p.fillRect(QRectF(0, 0, size.width(), size.height()), QColor("white"))
        paint_diagram(p, in_text, blocks, size.width(), dark=False)
        return p.end()


class DiagramPanel(QWidget):
    """The diagram in a scroll area, with PNG and SVG export buttons."""

    def __init__(self, source: SummarySource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 4, 6, 0)
        hint = QLabel(self.tr("Tensor shapes flow down the arrows (channels × height × width)."))
        hint.setWordWrap(True)
        hint.setEnabled(False)
        png = QPushButton("PNG…")
        png.setObjectName("exportDiagramPng")
        png.setToolTip(self.tr("Save the diagram as a PNG image"))
        svg = QPushButton("SVG…")
        svg.setObjectName("exportDiagramSvg")
        svg.setToolTip(self.tr("Save the diagram as an SVG drawing (for slides and papers)"))
        bar.addWidget(hint, 1)
        bar.addWidget(png)
        bar.addWidget(svg)
        layout.addLayout(bar)
        self.diagram = BlockDiagram(source)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.diagram)
        layout.addWidget(scroll, 1)
        png.clicked.connect(lambda: self._export("png"))
        svg.clicked.connect(lambda: self._export("svg"))

    def _export(self, kind: str) -> None:
        name = self.diagram.source.doc.project.name or "network"
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export diagram as {format}").format(format=kind.upper()),
            f"{name}.{kind}",
            self.tr("{format} files (*.{ext})").format(format=kind.upper(), ext=kind),
        )
        if not path:
            return
        ok = self.diagram.export_png(path) if kind == "png" else self.diagram.export_svg(path)
        window = self.window()
        bar = getattr(window, "statusBar", None)
        if bar is not None:
            bar().showMessage(
                (self.tr("Saved {path}") if ok else self.tr("Could not write {path}")).format(path=path), 5000
            )
