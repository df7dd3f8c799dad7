"""The start page a new user sees: template cards, open a project, recent files.

Cards are built from :data:`studio.core.project.templates.TEMPLATES` with a line of facts (layers,
parameters, dataset) computed by the pure-Python shape inference, so the page costs no torch.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from studio.core.base.i18n import tr as core_tr
from studio.core.model.shapes import analyze
from studio.core.project.templates import TEMPLATES, Template
from studio.gui.common.i18n import fill
from studio.gui.common.theme import colors, readable

# (template name or None for an empty project, card title)
# (template name or None for an empty project, card title: English, translated when shown)
CARDS: tuple[tuple[str | None, str], ...] = (
    ("sample-cnn", QT_TRANSLATE_NOOP("StartPage", "Sample (offline)")),  # first: no download, no folder
    ("mnist-cnn", QT_TRANSLATE_NOOP("StartPage", "MNIST digits")),
    ("cifar10-cnn", QT_TRANSLATE_NOOP("StartPage", "CIFAR-10 objects")),
    ("vgg16", QT_TRANSLATE_NOOP("StartPage", "VGG-16 from blocks")),
    ("resnet18-transfer", QT_TRANSLATE_NOOP("StartPage", "ResNet-18 transfer learning")),
    ("photos-cnn", QT_TRANSLATE_NOOP("StartPage", "Your own photos")),
    (None, QT_TRANSLATE_NOOP("StartPage", "Empty project")),
)

SOURCE_NAMES = {
    "mnist": "MNIST",
    "fashion_mnist": "Fashion-MNIST",
    "cifar10": "CIFAR-10",
    "cifar100": "CIFAR-100",
    "folder": QT_TRANSLATE_NOOP("StartPage", "your image folder"),
    "sample": QT_TRANSLATE_NOOP("StartPage", "built-in sample"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("StartPage", text)


def template_facts(template: Template) -> str:
    """'9 layers · 93,962 parameters · MNIST' for a card."""
    project = template.project()
    source = _tr(SOURCE_NAMES.get(project.data.source, project.data.source))
    if project.model.kind == "pretrained":
        return fill(QCoreApplication.translate("StartPage", "pretrained %1 · %2"), project.model.arch, source)
    summary = analyze(project.model.layers, project.input_shape)
    return fill(
        QCoreApplication.translate("StartPage", "%1 layers · %2 parameters · %3"),
        len(project.model.layers),
        f"{summary.total_params:,}",
        source,
    )


class TemplateCard(QFrame):
    """A clickable card (mouse, Enter or Space) that starts a project."""

    clicked = Signal()

    def __init__(self, name: str | None, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.template_name = name
        self.setObjectName(f"templateCard_{name or 'empty'}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(220)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        title = _tr(title)
        heading = QLabel(f"<b>{title}</b>")
        heading.setStyleSheet("font-size: 13pt;")
        if name:
            template = TEMPLATES[name]
            text, facts = core_tr(template.description), template_facts(template)
        else:
            text = self.tr("Start from an empty stack and add layers from the palette.")
            facts = self.tr("0 layers · sample data")
        body = QLabel(text)
        body.setWordWrap(True)
        fact_label = QLabel(facts)
        fact_label.setObjectName("templateCardFacts")
        pal = self.palette()
        # muted, but still WCAG AA (4.5:1) on the card (a disabled label's grey is not)
        self.facts_colour = readable(
            colors(pal).muted_fg,
            pal.color(QPalette.ColorRole.Window),
            pal.color(QPalette.ColorRole.WindowText),
        )
        fact_label.setStyleSheet(f"color: {self.facts_colour.name()};")
        fact_label.setWordWrap(True)
        self.fact_label = fact_label
        layout.addWidget(heading)
        layout.addWidget(body, 1)
        layout.addWidget(fact_label)
        self.setToolTip(self.tr("Start a new project: {title}").format(title=title))
        self.setStyleSheet(
            f"#{self.objectName()}:hover, #{self.objectName()}:focus "
            "{ border: 2px solid palette(highlight); border-radius: 6px; }"
            f"#{self.objectName()} {{ border: 1px solid palette(mid); border-radius: 6px; }}"
        )

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        """Click: start the project."""
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.clicked.emit()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        """Enter or Space: start the project."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit()
            return
        super().keyPressEvent(event)


class StartPage(QScrollArea):
    """Welcome: ``templateChosen(name or "")``, ``openRequested()``, ``recentChosen(path)``."""

    templateChosen = Signal(str)
    openRequested = Signal()
    moreTemplatesRequested = Signal()
    recentChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("startPage")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        holder = QWidget()
        centring = QHBoxLayout(holder)
        inner = QWidget()
        inner.setMaximumWidth(1240)  # readable lines on wide screens
        centring.addWidget(inner)
        outer = QVBoxLayout(inner)
        outer.setContentsMargins(40, 28, 40, 28)
        outer.setSpacing(14)
        title = QLabel("<h1>CNN Studio</h1>")
        subtitle = QLabel(
            self.tr(
                "Design a convolutional network, watch it train, see what it learned. Pick a starting point:"
            )
        )
        subtitle.setWordWrap(True)
        outer.addWidget(title)
        outer.addWidget(subtitle)
        grid = QGridLayout()
        grid.setSpacing(12)
        self.cards: list[TemplateCard] = []
        for i, (name, card_title) in enumerate(CARDS):
            card = TemplateCard(name, card_title)
            card.clicked.connect(lambda n=name: self.templateChosen.emit(n or ""))
            grid.addWidget(card, i // 3, i % 3)
            self.cards.append(card)
        outer.addLayout(grid)
        buttons = QHBoxLayout()
        open_button = QPushButton(self.tr("Open a project…"))
        open_button.setObjectName("startOpenButton")
        open_button.clicked.connect(self.openRequested)
        more = QPushButton(self.tr("All templates…"))
        more.setObjectName("startMoreButton")
        more.clicked.connect(self.moreTemplatesRequested)
        buttons.addWidget(open_button)
        buttons.addWidget(more)
        buttons.addStretch(1)
        outer.addLayout(buttons)
        self.recent_label = QLabel("<b>" + self.tr("Recent projects") + "</b>")
        self.recent = QListWidget()
        self.recent.setObjectName("recentProjects")
        self.recent.setMaximumHeight(160)
        self.recent.itemActivated.connect(
            lambda item: self.recentChosen.emit(item.data(Qt.ItemDataRole.UserRole))
        )
        outer.addWidget(self.recent_label)
        outer.addWidget(self.recent)
        outer.addStretch(1)
        self.setWidget(holder)
        self.set_recent([])

    def set_recent(self, files: list[str]) -> None:
        """Show the recent project files (hidden when there are none)."""
        self.recent.clear()
        for f in files:
            item = QListWidgetItem(f"{Path(f).name}    —    {Path(f).parent}")
            item.setData(Qt.ItemDataRole.UserRole, f)
            item.setToolTip(f)
            self.recent.addItem(item)
        self.recent.setVisible(bool(files))
        self.recent_label.setVisible(bool(files))


class TemplateDialog(QDialog):
    """File > New from template...: every built-in template with its description."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New project from a template"))
        self.resize(560, 420)
        layout = QVBoxLayout(self)
        self.list = QListWidget()
        self.list.setObjectName("templateList")
        self.list.setWordWrap(True)
        for t in TEMPLATES.values():
            item = QListWidgetItem(f"{core_tr(t.title)}\n    {core_tr(t.description)}")
            item.setData(Qt.ItemDataRole.UserRole, t.name)
            item.setToolTip(template_facts(t))
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _: self.accept())
        layout.addWidget(self.list)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)

    def chosen(self) -> str | None:
        """The selected template's name."""
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None


def choose_template(parent: QWidget | None = None) -> str | None:
    """Ask for a template; its name, or None when cancelled."""
    dialog = TemplateDialog(parent)
    return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None
