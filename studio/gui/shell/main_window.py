"""The studio's frame: a sidebar of pages, menus, status bar — and no domain state.

Pages
-----
The pages are listed once, in :data:`studio.gui.shell.pages.PAGES` (Design, Data, Train,
Evaluate). Each is constructed as ``Page(context, parent)`` with the window's
:class:`~studio.gui.common.context.StudioContext` (the one :class:`ProjectDocument`, the undo stack,
settings, status/error helpers); the contract, with the optional hooks the window calls
(``can_close``, ``shutdown``, ``delete_selection``, ``duplicate_selection``, ``export_dialog``,
``handle_drop``, ``page_activated``), is written at the top of ``studio/gui/common/context.py``.
A page module that does not exist yet shows a "coming soon" placeholder.

The window declares ``trainingFinished(str)`` (docs/contract.md); the training page emits it
with the run folder when a run ends. ``firstPainted`` fires once, after the first frame.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QCoreApplication, QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from studio.core.base.errors import UserError
from studio.core.project.document import UNNAMED
from studio.core.project.project_file import load_project
from studio.core.runs.project_runs import import_run, legacy_runs, project_runs_dir
from studio.gui.common.context import StudioContext
from studio.gui.common.i18n import fill, notifier
from studio.gui.common.icons import app_icon, icon
from studio.gui.common.info_bar import InfoBar
from studio.gui.shell.cluster_dialog import open_cluster_dialog
from studio.gui.shell.files import ProjectFiles
from studio.gui.shell.help import ShortcutsDialog, show_about
from studio.gui.shell.menus import build_menus
from studio.gui.shell.pages import PAGES, load_page
from studio.gui.shell.recovery import RecoveryAutosaver, offer_recovery
from studio.gui.shell.start_page import StartPage, choose_template


class MainWindow(QMainWindow):
    """The main window: start page, or the sidebar of pages over one open project."""

    trainingFinished = Signal(str)
    firstPainted = Signal()

    def __init__(self, defer_pages: bool = False) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self.ctx = StudioContext(self)
        self.files = ProjectFiles(self.ctx)
        self.autosaver = RecoveryAutosaver(self.ctx)
        self._painted = False
        QApplication.instance().installEventFilter(self)  # removed at the first paint
        self._pages: dict[str, QWidget] = {}

        self.info_bar = InfoBar()
        self.start_page = StartPage()
        self.sidebar = QListWidget()
        self.sidebar.setObjectName("pageSidebar")
        self.sidebar.setIconSize(QSize(28, 28))
        self.sidebar.setViewMode(QListWidget.ViewMode.IconMode)
        self.sidebar.setMovement(QListWidget.Movement.Static)
        self.sidebar.setFlow(QListWidget.Flow.TopToBottom)
        self.sidebar.setFixedWidth(92)
        self.sidebar.setSpacing(4)
        self.page_stack = QStackedWidget()
        self.page_stack.setObjectName("pageStack")
        for spec in PAGES:
            item = QListWidgetItem(icon(spec.icon), QCoreApplication.translate("Pages", spec.title))
            item.setToolTip(QCoreApplication.translate("Pages", spec.tooltip))
            item.setSizeHint(QSize(82, 62))
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
            self.sidebar.addItem(item)
            slot = QWidget()
            slot.setObjectName(f"pageSlot{spec.title}")
            QVBoxLayout(slot).setContentsMargins(0, 0, 0, 0)
            self.page_stack.addWidget(slot)
        self.sidebar.currentRowChanged.connect(self._on_sidebar)

        workspace = QWidget()
        row = QHBoxLayout(workspace)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.sidebar)
        row.addWidget(self.page_stack, 1)
        self.root = QStackedWidget()
        self.root.addWidget(self.start_page)
        self.root.addWidget(workspace)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.info_bar)
        column.addWidget(self.root, 1)
        self.setCentralWidget(central)

        self.actions_ = build_menus(self)
        self.cluster_action = self.actions_.cluster
        self.design_status = QLabel()
        self.design_status.setObjectName("designStatus")
        self.statusBar().addPermanentWidget(self.design_status)

        self.start_page.templateChosen.connect(
            lambda name: self._start(lambda: self.files.new_from_template(name or None))
        )
        self.start_page.openRequested.connect(lambda: self._start(self.files.open_dialog))
        self.start_page.moreTemplatesRequested.connect(self.new_from_template)
        self.start_page.recentChosen.connect(self.open_recent)
        self.files.recentChanged.connect(self._refresh_recent)
        self._refresh_recent()

        self.ctx.projectOpened.connect(self._project_opened)
        doc = self.ctx.document
        for event in (doc.dirty_changed, doc.path_changed, doc.changed):
            self.ctx.listen(event, self._refresh_title, self)
        self._refresh_title()
        notifier().changed.connect(self._language_changed)
        self._restore_geometry()
        self.page("Design")
        if not defer_pages:
            self.build_all_pages()
        self.sidebar.setCurrentRow(0)

    # ------------------------------------------------------------------ pages

    def page(self, title: str) -> QWidget:
        """The page called ``title``, constructed (lazily) on first use."""
        if title not in self._pages:
            index = [s.title for s in PAGES].index(title)
            slot = self.page_stack.widget(index)
            page = load_page(PAGES[index], self.ctx, slot)
            slot.layout().addWidget(page)
            self._pages[title] = page
        return self._pages[title]

    def build_all_pages(self) -> None:
        """Construct every page now (``create_main_window`` does; ``run_gui`` waits for the first paint)."""
        for spec in PAGES:
            self.page(spec.title)

    def _build_next_deferred(self) -> None:
        missing = [s.title for s in PAGES if s.title not in self._pages]
        if missing:
            self.page(missing[0])
            QTimer.singleShot(0, self._build_next_deferred)

    def show_page(self, title: str) -> QWidget:
        """Switch to the page called ``title`` (leaving the start page)."""
        if self.root.currentIndex() != 1:
            self.root.setCurrentIndex(1)
            self._refresh_title()
        index = [s.title for s in PAGES].index(title)
        self.sidebar.setCurrentRow(index)
        return self.page(title)

    def current_page(self) -> QWidget | None:
        """The page on screen (None while the start page shows)."""
        if self.root.currentIndex() == 0:
            return None
        return self._pages.get(PAGES[self.page_stack.currentIndex()].title)

    def call_page(self, method: str, *args: Any) -> Any:
        """Call an optional hook of the current page (Edit menu routing)."""
        fn = getattr(self.current_page(), method, None)
        return fn(*args) if callable(fn) else None

    def _on_sidebar(self, row: int) -> None:
        if row < 0:
            return
        page = self.page(PAGES[row].title)
        self.page_stack.setCurrentIndex(row)
        hook = getattr(page, "page_activated", None)
        if callable(hook):
            hook()

    def show_start_page(self) -> None:
        """View > Start Page."""
        self.root.setCurrentIndex(0)
        self._refresh_title()

    def showing_start_page(self) -> bool:
        """True while the start page is on screen."""
        return self.root.currentIndex() == 0

    def _start(self, action: Any) -> None:
        if action():
            self.show_page("Design")

    # ------------------------------------------------------------------ files

    def open_initial(self, project: str | None) -> None:
        """Start-up: open ``project`` on the Design page, or show the start page (and why)."""
        if project:
            try:
                loaded = load_project(project)
            except UserError as exc:
                self.info_bar.show_message(
                    self.tr("Could not open the project: {error}").format(error=exc), "error"
                )
            else:
                self.ctx.replace_project(loaded, Path(project))
                self.files.add_recent(project)
                self.show_page("Design")
                return
        self.show_start_page()

    def new_from_template(self) -> None:
        """File > New from Template..."""
        if not self.files.maybe_save():
            return
        name = choose_template(self)
        if name and self.files.new_from_template(name, ask=False):
            self.show_page("Design")

    def open_recent(self, path: str) -> None:
        """Open a recent file (forgetting it if it went missing)."""
        if not Path(path).exists():
            self.files.forget_recent(path)
            self.ctx.show_error(
                self.tr("Cannot open project"),
                self.tr("{path} no longer exists; it was removed from the recent files.").format(path=path),
            )
            return
        if self.files.open_path(path):
            self.show_page("Design")

    def _project_opened(self) -> None:
        """Another project is open: every page forgets the previous one's state; old runs are offered."""
        for page in self._pages.values():
            hook = getattr(page, "project_opened", None)
            if callable(hook):
                hook()
        self.offer_legacy_runs()

    def offer_legacy_runs(self) -> list[Path]:
        """Runs of the older layout that belong to the open project: offer them in the info bar."""
        doc = self.ctx.document
        if doc.path is None:
            return []
        try:
            found = [run.path for run in legacy_runs(doc.path, doc.project)]
        except OSError:
            return []
        if not found:
            return []

        def attach() -> None:
            moved = 0
            for path in found:
                try:
                    import_run(path, doc.project, self.ctx.runs_dir(), move=True)
                    moved += 1
                except (UserError, OSError) as exc:
                    self.ctx.show_status(
                        self.tr("Could not import {name}: {error}").format(name=path.name, error=exc)
                    )
            self.ctx.runsChanged.emit()
            self.ctx.show_status(
                self.tr("{n} earlier run(s) now belong to {name}").format(
                    n=moved, name=doc.path.name if doc.path else doc.title
                )
            )

        self.info_bar.show_message(
            self.tr(
                "Found {n} run(s) of “{name}” trained before runs were kept per project "
                "(in {where}). Move them into this project's runs?"
            ).format(n=len(found), name=doc.project.name, where=found[0].parent),
            "info",
            [(self.tr("Import them"), attach, "ImportThem")],
        )
        return found

    def offer_legacy_runs_of_recent(self) -> int:
        """Start-up: runs of the older layout that belong to recent projects, offered in one message."""
        found: list[tuple[Path, Any, list[Path]]] = []
        for recent in self.files.recent_files():
            path = Path(recent)
            try:
                project = load_project(path)
                runs = [run.path for run in legacy_runs(path, project)]
            except (UserError, OSError):
                continue
            if runs:
                found.append((path, project, runs))
        if not found:
            return 0
        total = sum(len(runs) for _, _, runs in found)

        def attach() -> None:
            for path, project, runs in found:
                for run in runs:
                    try:
                        import_run(run, project, project_runs_dir(path), move=True)
                    except (UserError, OSError) as exc:
                        self.ctx.show_status(
                            self.tr("Could not import {name}: {error}").format(name=run.name, error=exc)
                        )
            self.ctx.runsChanged.emit()

        names = ", ".join(p.name for p, _, _ in found[:3]) + (", …" if len(found) > 3 else "")
        self.info_bar.show_message(
            self.tr(
                "Found {n} run(s) trained before runs were kept per project, belonging to {names}. "
                "Move each into its project's runs?"
            ).format(n=total, names=names),
            "info",
            [(self.tr("Import them"), attach, "ImportThem")],
        )
        return total

    def offer_recovery(self) -> None:
        """Offer a recovery copy left by a previous session, in the info bar."""
        offer_recovery(self.ctx, self.info_bar, lambda: self.show_page("Design"), self.files.maybe_save)

    def export(self) -> None:
        """File > Export...: the Evaluate page's export dialog."""
        page = self.page("Evaluate")
        hook = getattr(page, "export_dialog", None)
        if callable(hook):
            self.show_page("Evaluate")
            hook()
        else:
            self.ctx.show_error(
                self.tr("Export"),
                self.tr(
                    "Exporting trained models arrives with the Evaluate page. Meanwhile use the command line: "
                    "cnn-studio export RUN_DIR --format onnx --out model.onnx"
                ),
            )

    def run_on_cluster(self) -> QWidget:
        """File > Run on a Cluster...: the dialog that writes the project with torchrun/SLURM scripts."""
        return open_cluster_dialog(self.ctx, self)

    def _refresh_recent(self) -> None:
        self.start_page.set_recent(self.files.recent_files())

    def _language_changed(self, _lang: str) -> None:
        """The sidebar and the title in the new language (texts the generic swap cannot tell apart)."""
        for row, spec in enumerate(PAGES):
            item = self.sidebar.item(row)
            if item is not None:
                item.setText(QCoreApplication.translate("Pages", spec.title))
                item.setToolTip(QCoreApplication.translate("Pages", spec.tooltip))
        self._refresh_title()

    def _refresh_title(self, *_: object) -> None:
        doc = self.ctx.document
        title = doc.title
        if doc.project.name in UNNAMED:  # the core's placeholder name, shown in the user's language
            title = self.tr("Untitled") + title[len(doc.project.name or "Untitled") :]
        self.setWindowTitle(fill(self.tr("%1 — CNN Studio"), title))
        error = doc.blocking_error()
        if doc.project.model.kind == "pretrained":
            self.design_status.setText(fill(self.tr("Pretrained %1"), doc.project.model.arch))
        elif not doc.layers:
            self.design_status.setText(self.tr("Empty stack"))
        elif error is not None:
            self.design_status.setText(f"✗ {error}")
        else:
            params = doc.summary().total_params
            self.design_status.setText(fill(self.tr("✓ %1 parameters"), f"{params:,}"))
        self.design_status.setToolTip(self.design_status.text())
        self.design_status.setVisible(not self.showing_start_page())

    # ------------------------------------------------------------------ help

    def show_about(self) -> None:
        """Help > About."""
        show_about(self)

    def show_shortcuts(self) -> None:
        """Help > Keyboard Shortcuts."""
        ShortcutsDialog(self.actions_.all(), self).exec()

    # ------------------------------------------------------------------ Qt events

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        """Until the first frame: notice the first paint of any widget of this window."""
        if (
            event.type() == QEvent.Type.Paint
            and not self._painted
            and isinstance(watched, QWidget)
            and watched.window() is self
        ):
            self._painted = True
            QApplication.instance().removeEventFilter(self)
            QTimer.singleShot(0, self._after_first_paint)  # after the rest of this frame
        return False

    def _after_first_paint(self) -> None:
        self.firstPainted.emit()
        self._build_next_deferred()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt API
        """Accept dropped local files."""
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt API
        """A project file opens; other files go to the pages' ``handle_drop``."""
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if self.handle_paths(paths):
            event.acceptProposedAction()

    def handle_paths(self, paths: list[Path]) -> bool:
        """Open a dropped project file, or hand the paths to a page that wants them."""
        projects = [p for p in paths if p.suffix.lower() == ".json" and p.is_file()]
        if projects:
            if self.files.open_path(projects[0]):
                self.show_page("Design")
            return True
        current = self.current_page()
        others = [p for p in self._pages.values() if p is not current]
        for page in ([current] if current is not None else []) + others:
            hook = getattr(page, "handle_drop", None)
            if callable(hook) and hook(paths):
                return True
        self.ctx.show_status(self.tr("Drop a project file (.json) here to open it"))
        return False

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        """Let pages object (a running training), ask about unsaved changes, then shut down."""
        for page in self._pages.values():
            hook = getattr(page, "can_close", None)
            if callable(hook) and not hook():
                event.ignore()
                return
        if not self.files.maybe_save():
            event.ignore()
            return
        for page in self._pages.values():
            hook = getattr(page, "shutdown", None)
            if callable(hook):
                hook()
        self.autosaver.timer.stop()
        self.ctx.settings.setValue("window/geometry", self.saveGeometry())
        self.ctx.settings.sync()
        event.accept()

    def _restore_geometry(self) -> None:
        geometry = self.ctx.settings.value("window/geometry")
        if isinstance(geometry, (QByteArray, bytes)) and self.restoreGeometry(QByteArray(geometry)):
            return
        self.resize(1280, 800)
