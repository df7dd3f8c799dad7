"""The window's pages, listed in one place, imported lazily, with a placeholder fallback.

Adding a page is one line in :data:`PAGES`: ``(title, module, class name, icon, tooltip)``.
The class is constructed as ``Page(context, parent)`` (the contract is in
``studio/gui/common/context.py``). A page whose module does not exist yet shows a "coming"
placeholder; a page that fails while loading shows the error instead of taking the
window down.
"""

from __future__ import annotations

import importlib
import sys
import traceback
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from studio.gui.common.context import StudioContext


@dataclass(frozen=True)
class PageSpec:
    """Where a page's class lives and how the sidebar shows it."""

    title: str
    module: str
    cls: str
    icon: str
    tooltip: str


PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        str(QT_TRANSLATE_NOOP("Pages", "Design")),
        "studio.gui.designer.page",
        "DesignerPage",
        "design",
        str(QT_TRANSLATE_NOOP("Pages", "Design the network: a stack of blocks or a pretrained model")),
    ),
    PageSpec(
        str(QT_TRANSLATE_NOOP("Pages", "Data")),
        "studio.gui.datasets.page",
        "DataPage",
        "data",
        str(QT_TRANSLATE_NOOP("Pages", "Choose and inspect the dataset")),
    ),
    PageSpec(
        str(QT_TRANSLATE_NOOP("Pages", "Train")),
        "studio.gui.training.page",
        "TrainPage",
        "train",
        str(QT_TRANSLATE_NOOP("Pages", "Train the network and watch it learn")),
    ),
    PageSpec(
        str(QT_TRANSLATE_NOOP("Pages", "Evaluate")),
        "studio.gui.evaluation.page",
        "EvaluatePage",
        "evaluate",
        str(QT_TRANSLATE_NOOP("Pages", "Confusion matrix, predictions, explanations and export")),
    ),
    PageSpec(
        str(QT_TRANSLATE_NOOP("Pages", "Lab")),
        "studio.gui.lab.page",
        "LabPage",
        "lab",
        str(
            QT_TRANSLATE_NOOP(
                "Pages",
                "The Convolution Lab: convolution and pooling step by step, on your images and filters",
            )
        ),
    ),
)


class PlaceholderPage(QWidget):
    """Stands in for a page that is not built yet (or failed to load)."""

    def __init__(self, title: str, message: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"placeholder{title}")
        layout = QVBoxLayout(self)
        heading = QLabel(f"<h2>{QCoreApplication.translate('Pages', title)}</h2>")
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text = QLabel(message)
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addStretch(1)
        layout.addWidget(heading)
        layout.addWidget(text)
        layout.addStretch(2)


def load_page(spec: PageSpec, context: StudioContext, parent: QWidget | None = None) -> QWidget:
    """Import and construct a page; a placeholder when it is missing or broken."""
    try:
        module = importlib.import_module(spec.module)
        cls = getattr(module, spec.cls)
    except ModuleNotFoundError as exc:
        if exc.name and spec.module.startswith(exc.name):
            return PlaceholderPage(
                spec.title,
                QCoreApplication.translate("Pages", "The {page} page is coming soon.").format(
                    page=QCoreApplication.translate("Pages", spec.title)
                ),
                parent,
            )
        return _broken(spec, parent)
    except Exception:  # a bug in the page: keep the window usable and say so
        return _broken(spec, parent)
    try:
        return cls(context, parent)
    except Exception:
        return _broken(spec, parent)


def _broken(spec: PageSpec, parent: QWidget | None) -> QWidget:
    text = traceback.format_exc()
    sys.stderr.write(f"CNN Studio: the {spec.title} page failed to load:\n{text}")
    last = (
        text.strip().splitlines()[-1]
        if text.strip()
        else QCoreApplication.translate("Pages", "unknown error")
    )
    message = QCoreApplication.translate(
        "Pages", "The {page} page could not be loaded (please report it):\n{error}"
    )
    return PlaceholderPage(
        spec.title, message.format(page=QCoreApplication.translate("Pages", spec.title), error=last), parent
    )
