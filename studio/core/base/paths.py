"""Where the studio finds its shipped resources and keeps its per-user files."""

from __future__ import annotations

import os
import sys
from pathlib import Path

#: where downloadable datasets (MNIST, CIFAR...) live unless a project says otherwise, in
#: torchvision's layout; written as in project files (``~`` expanded when read)
DEFAULT_DATASETS_ROOT = "~/.cache/cnn-studio/datasets"


def resources_dir() -> Path:
    """The ``resources/`` folder.

    In a checkout (and an editable install) and in a PyInstaller bundle it sits beside the
    ``studio`` package; a regular wheel install puts it under ``<prefix>/share/cnn-studio``
    (pyproject's data-files).
    """
    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parents[3]))
    local = base / "resources"
    if local.is_dir():
        return local
    shared = Path(sys.prefix) / "share" / "cnn-studio" / "resources"
    return shared if shared.is_dir() else local


def user_data_dir() -> Path:
    """Per-user writable folder (runs, recovery copies, caches); honours ``CNN_STUDIO_HOME``."""
    env = os.environ.get("CNN_STUDIO_HOME")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_DATA_HOME")
    return (Path(xdg) if xdg else Path.home() / ".local" / "share") / "cnn-studio"


def log_dir() -> Path:
    """Where the studio window writes its log file (Help > Open Log Folder shows it)."""
    return user_data_dir() / "logs"


def user_cache_dir() -> Path:
    """Per-user folder for data the studio can always rebuild (the decoded-image cache).

    ``CNN_STUDIO_HOME`` (tests, portable installs) puts it under ``<home>/cache``; otherwise
    ``$XDG_CACHE_HOME/cnn-studio`` or ``~/.cache/cnn-studio``, beside the default datasets folder.
    """
    env = os.environ.get("CNN_STUDIO_HOME")
    if env:
        return Path(env) / "cache"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "cnn-studio"
