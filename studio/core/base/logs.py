"""Diagnostics through :mod:`logging`: where the ``studio.*`` module loggers' records go.

Every module that has something to say for a developer or a bug report (a swallowed error's
traceback, what a run set up, an offline fallback) uses ``log = logging.getLogger(__name__)``;
nothing in :mod:`studio.core` writes to stderr itself. What the user reads is separate: the
CLI's ``error:`` lines and progress output, the GUI's messages.

Two destinations are configured here, each idempotent (calling again replaces the handler):

* :func:`log_to_stderr` — the CLI: quiet by default, everything down to debug with
  ``--verbose``;
* :func:`log_to_file` — the GUI: a rotating ``cnn-studio.log`` in the user's data folder
  (:func:`studio.core.base.paths.log_dir`), info and up, with uncaught exceptions.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path
from types import TracebackType
from typing import Any

ROOT = "studio"
LOG_FILE = "cnn-studio.log"
MAX_BYTES = 1_000_000
BACKUPS = 3
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class _CurrentStderr(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time of the record (tests swap it)."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:  # StreamHandler.__init__ assigns it; ignored
        pass


def _replace(handler: logging.Handler, kind: str, *names: str) -> None:
    """Put ``handler`` on the named loggers in place of the earlier handler of this ``kind``."""
    handler._studio_kind = kind  # type: ignore[attr-defined]
    for name in (ROOT, *names):
        logger = logging.getLogger(name)
        for old in [h for h in logger.handlers if getattr(h, "_studio_kind", None) == kind]:
            logger.removeHandler(old)
            old.close()
        logger.addHandler(handler)
    root = logging.getLogger(ROOT)
    root.setLevel(min(h.level for h in root.handlers if hasattr(h, "_studio_kind")))


def log_to_stderr(verbose: bool = False) -> None:
    """Send the studio's records to stderr: everything when ``verbose``, else only critical ones.

    Quiet by default because the CLI already tells the user what matters in its own words (one
    ``error:`` line, a traceback for a bug, the run's notes); the log adds the why.
    """
    level = logging.DEBUG if verbose else logging.CRITICAL
    handler = _CurrentStderr()
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    _replace(handler, "stderr")


def log_to_file(folder: str | Path, level: int = logging.INFO) -> Path:
    """Append the studio's records to ``folder/cnn-studio.log`` (rotated at 1 MB, 3 kept).

    Python warnings and uncaught exceptions are recorded there too, so that a bug report can
    attach the file. Returns the log file's path.
    """
    path = Path(folder) / LOG_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
    )
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter(_FORMAT))
    _replace(handler, "file", "py.warnings")
    logging.captureWarnings(True)
    if not getattr(sys.excepthook, "_studio", False):
        sys.excepthook = _excepthook(sys.excepthook)
    return path


def stop_logging() -> None:
    """Undo :func:`log_to_stderr` and :func:`log_to_file` (tests; a clean shutdown)."""
    for name in (ROOT, "py.warnings"):
        logger = logging.getLogger(name)
        for handler in [h for h in logger.handlers if hasattr(h, "_studio_kind")]:
            logger.removeHandler(handler)
            handler.close()
    logging.getLogger(ROOT).setLevel(logging.NOTSET)
    logging.captureWarnings(False)
    if getattr(sys.excepthook, "_studio", False):
        sys.excepthook = sys.excepthook._previous  # type: ignore[attr-defined]


def _excepthook(previous: Any) -> Any:
    """An excepthook that records an uncaught exception (a bug in a Qt slot) before ``previous``."""

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if not issubclass(kind, KeyboardInterrupt):
            logging.getLogger(ROOT).critical("uncaught exception", exc_info=(kind, value, tb))
        previous(kind, value, tb)

    hook._studio = True  # type: ignore[attr-defined]
    hook._previous = previous  # type: ignore[attr-defined]
    return hook
