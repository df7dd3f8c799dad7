"""Where the studio finds its shipped resources and keeps its per-user files."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def resources_dir() -> Path:
    """The ``resources/`` folder: beside the ``studio`` package in a checkout or a bundle."""
    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parents[2]))
    return base / "resources"


def user_data_dir() -> Path:
    """Per-user writable folder (runs, recovery copies, caches); honours ``CNN_STUDIO_HOME``."""
    env = os.environ.get("CNN_STUDIO_HOME")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_DATA_HOME")
    return (Path(xdg) if xdg else Path.home() / ".local" / "share") / "cnn-studio"
