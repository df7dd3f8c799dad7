"""The main window's actions and menus (File, Edit, View, Help) in one place.

Actions call methods of the window (which delegate to :class:`ProjectFiles`, the undo stack
or the current page); keeping them here keeps ``main_window.py`` small.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from studio.gui.pages import PAGES

if TYPE_CHECKING:
    from studio.gui.main_window import MainWindow


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
    start_page: QAction
    pages: list[QAction]
    about: QAction
    shortcuts: QAction
    recent_menu: QMenu

    def all(self) -> list[QAction]:
        """All actions, in menu order."""
        return [self.new, self.open, self.save, self.save_as, self.cluster, self.export, self.quit, self.undo, self.redo,
                self.delete, self.duplicate, self.move_up, self.move_down, self.start_page, *self.pages,
                self.about, self.shortcuts]


def _action(window: MainWindow, text: str, slot: object, keys: list[QKeySequence] | None = None,
            tip: str = "") -> QAction:
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
    undo = stack.createUndoAction(window, "&Undo")
    undo.setShortcuts([K(K.StandardKey.Undo)])
    redo = stack.createRedoAction(window, "&Redo")
    redo.setShortcuts([K("Ctrl+Shift+Z"), K("Ctrl+Y")])
    pages = []
    for i, spec in enumerate(PAGES):
        act = _action(window, f"&{spec.title}", lambda t=spec.title: window.show_page(t),
                      [K(f"Ctrl+{i + 1}")], spec.tooltip)
        pages.append(act)
    recent_menu = QMenu("Open &Recent", window)
    recent_menu.setObjectName("recentMenu")
    recent_menu.aboutToShow.connect(lambda: _fill_recent(window, recent_menu))
    acts = Actions(
        new=_action(window, "&New from Template…", window.new_from_template, [K(K.StandardKey.New)],
                    "Start a new project from a built-in template"),
        open=_action(window, "&Open…", window.files.open_dialog, [K(K.StandardKey.Open)], "Open a project file"),
        save=_action(window, "&Save", window.files.save, [K(K.StandardKey.Save)], "Save the project"),
        save_as=_action(window, "Save &As…", window.files.save_as, [K("Ctrl+Shift+S")],
                        "Save the project to a new file"),
        import_run=_action(window, "&Import Run…", window.files.import_run_dialog, None,
                           "Attach a run folder (from the command line, another machine or an older "
                           "version) to this project when its network fits"),
        cluster=_action(window, "Run on a &Cluster…", window.run_on_cluster, None,
                        "Write the project with the torchrun command and a SLURM script, to train on "
                        "other machines"),
        export=_action(window, "&Export…", window.export, [K("Ctrl+E")],
                       "Export a trained model (TorchScript, ONNX, safetensors, Python)"),
        quit=_action(window, "&Quit", window.close, [K("Ctrl+Q")], "Close CNN Studio"),
        undo=undo, redo=redo,
        delete=_action(window, "&Delete", lambda: window.call_page("delete_selection"), [K(K.StandardKey.Delete)],
                       "Delete the selected layers"),
        duplicate=_action(window, "D&uplicate", lambda: window.call_page("duplicate_selection"), [K("Ctrl+D")],
                          "Duplicate the selected layers"),
        move_up=_action(window, "Move &Up", lambda: window.call_page("move_selection", -1), [K("Alt+Up")],
                        "Move the selected layers up"),
        move_down=_action(window, "Move Do&wn", lambda: window.call_page("move_selection", 1), [K("Alt+Down")],
                          "Move the selected layers down"),
        start_page=_action(window, "&Start Page", window.show_start_page, [K("Ctrl+0")],
                           "Templates and recent projects"),
        pages=pages,
        about=_action(window, "&About CNN Studio", window.show_about),
        shortcuts=_action(window, "&Keyboard Shortcuts", window.show_shortcuts, [K("F1")]),
        recent_menu=recent_menu,
    )
    acts.cluster.setObjectName("runOnClusterAction")
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addActions([acts.new, acts.open])
    file_menu.addMenu(recent_menu)
    file_menu.addSeparator()
    file_menu.addActions([acts.save, acts.save_as])
    file_menu.addSeparator()
    file_menu.addActions([acts.import_run, acts.cluster, acts.export])
    file_menu.addSeparator()
    file_menu.addAction(acts.quit)
    edit_menu = bar.addMenu("&Edit")
    edit_menu.addActions([acts.undo, acts.redo])
    edit_menu.addSeparator()
    edit_menu.addActions([acts.delete, acts.duplicate, acts.move_up, acts.move_down])
    view_menu = bar.addMenu("&View")
    view_menu.addAction(acts.start_page)
    view_menu.addSeparator()
    view_menu.addActions(pages)
    help_menu = bar.addMenu("&Help")
    help_menu.addActions([acts.shortcuts, acts.about])
    return acts


def _fill_recent(window: MainWindow, menu: QMenu) -> None:
    menu.clear()
    files = window.files.recent_files()
    for f in files:
        act = menu.addAction(Path(f).name)
        act.setToolTip(f)
        act.setStatusTip(f)
        act.triggered.connect(lambda _=False, path=f: window.open_recent(path))
    if not files:
        none = menu.addAction("No recent projects")
        none.setEnabled(False)
    else:
        menu.addSeparator()
        menu.addAction("Clear Recent", window.files.clear_recent)
