"""Icons shipped in ``resources/icons`` (SVG, drawn for this app)."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from studio.core.base.paths import resources_dir


def icon(name: str) -> QIcon:
    """The icon ``resources/icons/<name>.svg`` (an empty icon if it is missing)."""
    path = resources_dir() / "icons" / f"{name}.svg"
    return QIcon(str(path)) if path.exists() else QIcon()


def app_icon() -> QIcon:
    """The application icon."""
    return icon("cnn-studio")
