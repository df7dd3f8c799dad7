"""The main window's actions and menus (File, Edit, View, Help) in one place.

Actions call methods of the window (which delegate to :class:`ProjectFiles`, the undo stack
or the current page); keeping them here keeps ``main_window.py`` small.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu

from studio.gui.common.i18n import LANGUAGES, current_language, switch_language
from studio.gui.shell.help import open_guide, open_log_folder
from studio.gui.shell.pages import PAGES

if TYPE_CHECKING:
    from studio.gui.shell.main_window import MainWindow


@dataclass
class Actions:
    """Every window-level action, by name (tests trigger them directly)."""

    new: QAction
    open: QAction
    save: QAction
    save_as: QAction
    import_run: QAction
    cluster: QAction
    export: QAction
    quit: QAction
    undo: QAction
    redo: QAction
    delete: QAction
    duplicate: QAction
    move_up: QAction
    move_down: QAction
    scale: QAction
    start_page: QAction
    pages: list[QAction]
    about: QAction
    shortcuts: QAction
    log_folder: QAction
    recent_menu: QMenu

    def all(self) -> list[QAction]:
        """All actions, in menu order."""
        return [
            self.new,
            self.open,
            self.save,
            self.save_as,
            self.cluster,
            self.export,
            self.quit,
            self.undo,
            self.redo,
            self.delete,
            self.duplicate,
            self.move_up,
            self.move_down,
            self.scale,
            self.start_page,
            *self.pages,
            self.about,
            self.shortcuts,
            self.log_folder,
        ]


def _action(
    window: MainWindow, text: str, slot: object, keys: list[QKeySequence] | None = None, tip: str = ""
) -> QAction:
    action = QAction(text, window)
    if keys:
        action.setShortcuts(keys)
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    action.triggered.connect(lambda _=False: slot())
    return action


def build_menus(window: MainWindow) -> Actions:
    """Create the actions, put them in the menu bar and return them."""
    K = QKeySequence
    stack = window.ctx.undo_stack
    undo = stack.createUndoAction(window, QCoreApplication.translate("Menus", "&Undo"))
    undo.setShortcuts([K(K.StandardKey.Undo)])
    redo = stack.createRedoAction(window, QCoreApplication.translate("Menus", "&Redo"))
    redo.setShortcuts([K("Ctrl+Shift+Z"), K("Ctrl+Y")])
    pages = []
    for i, spec in enumerate(PAGES):
        act = _action(
            window,
            "&" + QCoreApplication.translate("Pages", spec.title),
            lambda t=spec.title: window.show_page(t),
            [K(f"Ctrl+{i + 1}")],
            QCoreApplication.translate("Pages", spec.tooltip),
        )
        pages.append(act)
    recent_menu = QMenu(QCoreApplication.translate("Menus", "Open &Recent"), window)
    recent_menu.setObjectName("recentMenu")
    recent_menu.aboutToShow.connect(lambda: _fill_recent(window, recent_menu))
    acts = Actions(
        new=_action(
            window,
            QCoreApplication.translate("Menus", "&New from Template…"),
            window.new_from_template,
            [K(K.StandardKey.New)],
            QCoreApplication.translate("Menus", "Start a new project from a built-in template"),
        ),
        open=_action(
            window,
            QCoreApplication.translate("Menus", "&Open…"),
            window.files.open_dialog,
            [K(K.StandardKey.Open)],
            QCoreApplication.translate("Menus", "Open a project file"),
        ),
        save=_action(
            window,
            QCoreApplication.translate("Menus", "&Save"),
            window.files.save,
            [K(K.StandardKey.Save)],
            QCoreApplication.translate("Menus", "Save the project"),
        ),
        save_as=_action(
            window,
            QCoreApplication.translate("Menus", "Save &As…"),
            window.files.save_as,
            [K("Ctrl+Shift+S")],
            QCoreApplication.translate("Menus", "Save the project to a new file"),
        ),
        import_run=_action(
            window,
            QCoreApplication.translate("Menus", "&Import Run…"),
            window.files.import_run_dialog,
            None,
            QCoreApplication.translate(
                "Menus",
                "Attach a run folder (from the command line, "
                "another machine or an older version) to this "
                "project when its network fits",
            ),
        ),
        cluster=_action(
            window,
            QCoreApplication.translate("Menus", "Run on a &Cluster…"),
            window.run_on_cluster,
            None,
            QCoreApplication.translate(
                "Menus",
                "Write the project with the torchrun command and a SLURM script, to train on other machines",
            ),
        ),
        export=_action(
            window,
            QCoreApplication.translate("Menus", "&Export…"),
            window.export,
            [K("Ctrl+E")],
            QCoreApplication.translate(
                "Menus", "Export a trained model (TorchScript, ONNX, safetensors, Python)"
            ),
        ),
        quit=_action(
            window,
            QCoreApplication.translate("Menus", "&Quit"),
            window.close,
            [K("Ctrl+Q")],
            QCoreApplication.translate("Menus", "Close CNN Studio"),
        ),
        undo=undo,
        redo=redo,
        delete=_action(
            window,
            QCoreApplication.translate("Menus", "&Delete"),
            lambda: window.call_page("delete_selection"),
            [K(K.StandardKey.Delete)],
            QCoreApplication.translate("Menus", "Delete the selected layers"),
        ),
        duplicate=_action(
            window,
            QCoreApplication.translate("Menus", "D&uplicate"),
            lambda: window.call_page("duplicate_selection"),
            [K("Ctrl+D")],
            QCoreApplication.translate("Menus", "Duplicate the selected layers"),
        ),
        move_up=_action(
            window,
            QCoreApplication.translate("Menus", "Move &Up"),
            lambda: window.call_page("move_selection", -1),
            [K("Alt+Up")],
            QCoreApplication.translate("Menus", "Move the selected layers up"),
        ),
        move_down=_action(
            window,
            QCoreApplication.translate("Menus", "Move Do&wn"),
            lambda: window.call_page("move_selection", 1),
            [K("Alt+Down")],
            QCoreApplication.translate("Menus", "Move the selected layers down"),
        ),
        scale=_action(
            window,
            QCoreApplication.translate("Menus", "&Scale Network…"),
            lambda: window.call_page("scale_network"),
            None,
            QCoreApplication.translate("Menus", "Compound scaling of an MBConv network (EfficientNet B0-B7)"),
        ),
        start_page=_action(
            window,
            QCoreApplication.translate("Menus", "&Start Page"),
            window.show_start_page,
            [K("Ctrl+0")],
            QCoreApplication.translate("Menus", "Templates and recent projects"),
        ),
        pages=pages,
        about=_action(window, QCoreApplication.translate("Menus", "&About CNN Studio"), window.show_about),
        shortcuts=_action(
            window,
            QCoreApplication.translate("Menus", "&Keyboard Shortcuts"),
            window.show_shortcuts,
            [K("F1")],
        ),
        log_folder=_action(
            window,
            QCoreApplication.translate("Menus", "Open &Log Folder"),
            lambda: open_log_folder(window),
            tip=QCoreApplication.translate(
                "Menus", "Show the folder of the studio's log file, to attach it to a bug report"
            ),
        ),
        recent_menu=recent_menu,
    )
    acts.cluster.setObjectName("runOnClusterAction")
    bar = window.menuBar()
    file_menu = bar.addMenu(QCoreApplication.translate("Menus", "&File"))
    file_menu.addActions([acts.new, acts.open])
    file_menu.addMenu(recent_menu)
    file_menu.addSeparator()
    file_menu.addActions([acts.save, acts.save_as])
    file_menu.addSeparator()
    file_menu.addActions([acts.import_run, acts.cluster, acts.export])
    file_menu.addSeparator()
    file_menu.addAction(acts.quit)
    edit_menu = bar.addMenu(QCoreApplication.translate("Menus", "&Edit"))
    edit_menu.addActions([acts.undo, acts.redo])
    edit_menu.addSeparator()
    edit_menu.addActions([acts.delete, acts.duplicate, acts.move_up, acts.move_down])
    edit_menu.addSeparator()
    edit_menu.addAction(acts.scale)
    view_menu = bar.addMenu(QCoreApplication.translate("Menus", "&View"))
    view_menu.addAction(acts.start_page)
    view_menu.addSeparator()
    view_menu.addActions(pages)
    view_menu.addSeparator()
    view_menu.addMenu(_language_menu(window))
    help_menu = bar.addMenu(QCoreApplication.translate("Menus", "&Help"))
    guide = _action(
        window,
        QCoreApplication.translate("Menus", "User &Guide"),
        lambda: open_guide(window),
        None,
        QCoreApplication.translate("Menus", "The click-by-click guide to the lecture's exercises"),
    )
    guide.setObjectName("userGuideAction")
    help_menu.addActions([guide, acts.shortcuts, acts.log_folder, acts.about])
    return acts


def recent_label(path: str) -> str:
    """'digits.json — ~/projects': the folder too, so that two project.json files differ."""
    p = Path(path)
    folder = str(p.parent)
    home = str(Path.home())
    if folder == home or folder.startswith(home + os.sep):
        folder = "~" + folder[len(home) :]
    return f"{p.name}  —  {folder}"


def _fill_recent(window: MainWindow, menu: QMenu) -> None:
    menu.clear()
    files = window.files.recent_files()
    for f in files:
        act = menu.addAction(recent_label(f))
        act.setToolTip(f)
        act.setStatusTip(f)
        act.triggered.connect(lambda _=False, path=f: window.open_recent(path))
    if not files:
        none = menu.addAction(QCoreApplication.translate("Menus", "No recent projects"))
        none.setEnabled(False)
    else:
        menu.addSeparator()
        menu.addAction(QCoreApplication.translate("Menus", "Clear Recent"), window.files.clear_recent)


def _language_menu(window: MainWindow) -> QMenu:
    """View > Language: each language by its own name; the choice applies at once and is remembered."""
    menu = QMenu(QCoreApplication.translate("Menus", "&Language"), window)
    menu.setObjectName("languageMenu")
    group = QActionGroup(menu)
    group.setExclusive(True)
    for code, name in LANGUAGES.items():
        act = menu.addAction(name)  # a language's own name is never translated
        act.setObjectName(f"language_{code}")
        act.setCheckable(True)
        act.setChecked(code == current_language())
        act.setData(code)
        group.addAction(act)
        act.triggered.connect(lambda _=False, c=code: switch_language(c))
    return menu
