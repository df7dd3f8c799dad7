"""QApplication set-up and the main window's entry points (docs/contract.md, the GUI's testability contract).

* :func:`create_main_window` — the main window for an existing ``QApplication`` (tests and
  outside checks use it); every page is built.
* :func:`run_gui` — what ``python main.py [PROJECT]``, ``python -m studio [PROJECT]`` and
  ``cnn-studio [PROJECT]`` run: makes the application, shows the window and runs the loop.
  Only the Design page is built before the first paint; the other pages follow right after,
  so the window appears before anything heavy (torch) is imported
  (``benchmarks/startup.py`` measures it). It also starts the log file
  (:func:`start_log_file`).
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from studio import __version__
from studio.core.base.logs import log_to_file
from studio.core.base.paths import log_dir
from studio.gui.common import gc_guard
from studio.gui.common.context import APPLICATION, ORGANIZATION
from studio.gui.common.i18n import install_language, preferred_language
from studio.gui.common.icons import app_icon
from studio.gui.common.theme import apply_theme
from studio.gui.shell import xcb_check
from studio.gui.shell.main_window import MainWindow

log = logging.getLogger(__name__)


def make_application(argv: list[str] | None = None, language: str | None = None) -> QApplication:
    """The QApplication with the studio's name (for QSettings), icon, theme and language.

    ``language`` (``cnn-studio --lang ko``) is used for this session only; without it, the one
    chosen in View > Language, else the system's.
    """
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APPLICATION)
    app.setDesktopFileName("cnn-studio")
    app.setWindowIcon(app_icon())
    apply_theme(app)
    install_language(language or preferred_language())
    gc_guard.install()  # Qt objects in garbage cycles die on this thread only
    return app


def create_main_window(project: str | None = None, *, defer_pages: bool = False) -> MainWindow:
    """The main window (not shown) for the running ``QApplication``.

    ``project``: a project file to open; if it cannot be opened the start page shows with a
    message saying why. A recovery copy left by a crashed session is offered in the
    window's info bar. ``defer_pages=True`` builds only the Design page now and the others
    after the first paint.
    """
    if QApplication.instance() is None:
        raise RuntimeError("create_main_window needs a QApplication; create one first (or use run_gui)")
    window = MainWindow(defer_pages=defer_pages)
    window.open_initial(os.fspath(project) if project else None)
    if not window.info_bar.isVisibleTo(window):
        window.offer_recovery()
    if not window.info_bar.isVisibleTo(window) and not project:
        window.offer_legacy_runs_of_recent()
    return window


def start_log_file() -> Path | None:
    """Write the studio's log to ``cnn-studio.log`` in the user's data folder (Help > Open Log
    Folder shows it); returns the file's path, or None where it cannot be written (the
    studio runs without a log then)."""
    try:
        path = log_to_file(log_dir())
    except OSError:
        return None
    log.info(
        "CNN Studio %s started (Python %s, PySide6 %s)", __version__, sys.version.split()[0], pyside_version
    )
    return path


def run_gui(project: str | None = None, language: str | None = None) -> int:
    """Open the studio window (optionally on ``project``, in ``language``) and run until it is closed.

    Returns 1 at once, with the packages to install, when the X11 libraries Qt needs are
    missing (Qt itself would abort with only "could not load the Qt platform plugin").
    """
    problem = xcb_check.check()
    if problem is not None:
        print(problem, file=sys.stderr)
        return 1
    start_log_file()
    app = make_application(language=language)
    window = create_main_window(project, defer_pages=True)
    window.show()
    # Ctrl+C in the terminal closes the window like File > Quit
    signal.signal(signal.SIGINT, lambda *_: window.close())
    heartbeat = QTimer()
    heartbeat.timeout.connect(lambda: None)  # lets Python run its signal handlers
    heartbeat.start(250)
    return int(app.exec())
