"""The main window: pages, title, files, closing with unsaved changes, recovery, drops, settings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from studio.app import create_main_window
from studio.core.project.document import find_recoveries
from studio.core.project.project_file import Project, load_project, save_project
from studio.core.project.templates import get_template
from studio.gui.shell.main_window import MainWindow
from studio.gui.shell.pages import PAGES, PageSpec, PlaceholderPage, load_page
from studio.gui.shell.recovery import recovery_dir


def _project_file(tmp_path: Path, name: str = "digits.json", template: str = "mnist-cnn") -> Path:
    path = tmp_path / name
    save_project(get_template(template).project(), path)
    return path


def _window(qtbot: Any, project: str | None = None) -> MainWindow:
    window = create_main_window(project)
    qtbot.addWidget(window)
    return window


def test_create_main_window_opens_a_project_on_the_design_page(qtbot: Any, tmp_path: Path) -> None:
    path = _project_file(tmp_path)
    window = _window(qtbot, str(path))
    assert isinstance(window, MainWindow) and not window.showing_start_page()
    assert window.ctx.document.path == path and window.windowTitle().startswith("MNIST digits — digits.json")
    assert "*" not in window.windowTitle()
    assert [window.sidebar.item(i).text() for i in range(window.sidebar.count())] == [p.title for p in PAGES]
    n_layers = len(get_template("mnist-cnn").project().model.layers)
    assert window.findChild(QWidget, "layerStack").model().rowCount() == n_layers
    assert hasattr(window, "trainingFinished")
    seen: list[str] = []
    window.trainingFinished.connect(seen.append)
    window.trainingFinished.emit("/runs/x")
    assert seen == ["/runs/x"]


def test_a_bad_project_path_says_why_and_shows_the_start_page(qtbot: Any, tmp_path: Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text("{ not json", encoding="utf-8")
    window = _window(qtbot, str(bad))
    assert window.showing_start_page()
    assert window.info_bar.isVisibleTo(window) and "not valid JSON" in window.info_bar.label.text()
    window2 = _window(qtbot, str(tmp_path / "missing.json"))
    assert "does not exist" in window2.info_bar.label.text()


def test_title_marks_unsaved_changes_and_save_clears_it(
    main_window: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    main_window.files.new_from_template("sample-cnn", ask=False)
    assert not main_window.windowTitle().split("—")[0].strip().endswith("*")
    doc = main_window.ctx.document
    main_window.ctx.push(doc.add_layer("ReLU"))
    assert "*" in main_window.windowTitle()
    target = tmp_path / "saved"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    main_window.actions_.save.trigger()
    assert (tmp_path / "saved.json").exists() and "*" not in main_window.windowTitle()
    assert "saved.json" in main_window.windowTitle()
    assert load_project(tmp_path / "saved.json").model.layers[-1] == {"type": "ReLU"}
    assert str((tmp_path / "saved.json").resolve()) == main_window.files.recent_files()[0]
    main_window.ctx.undo_stack.undo()
    assert "*" in main_window.windowTitle()
    main_window.ctx.undo_stack.redo()  # back at the saved state: nothing to save
    assert "*" not in main_window.windowTitle() and not main_window.ctx.document.dirty


@pytest.mark.parametrize(
    "answer,closes,saved",
    [
        (QMessageBox.StandardButton.Cancel, False, False),
        (QMessageBox.StandardButton.Discard, True, False),
        (QMessageBox.StandardButton.Save, True, True),
    ],
)
def test_closing_with_unsaved_changes_asks(
    qtbot: Any, tmp_path: Path, monkeypatch: Any, dialogs: Any, answer: Any, closes: bool, saved: bool
) -> None:
    path = _project_file(tmp_path)
    window = _window(qtbot, str(path))
    window.show()
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        staticmethod(lambda parent, title, text, *a, **k: asked.append(text) or answer),
    )
    n_layers = len(window.ctx.document.layers)
    window.ctx.push(window.ctx.document.remove_layers([n_layers - 1]))
    assert window.close() is closes
    assert asked and "MNIST digits" in asked[0]
    assert (len(load_project(path).model.layers) == n_layers - 1) is saved
    if not closes:
        assert window.isVisible()
        window.ctx.document.reset(window.ctx.document.project)


def test_closing_without_changes_does_not_ask_and_remembers_geometry(qtbot: Any, dialogs: Any) -> None:
    window = _window(qtbot)
    window.show()
    window.resize(700, 500)  # inside the offscreen screen (restoreGeometry keeps windows on screen)
    assert window.close()
    assert dialogs.titles("question") == []
    again = _window(qtbot)
    assert again.height() == 500  # the width is held at the layout's minimum on the small offscreen screen
    assert window.ctx.settings.value("window/geometry") is not None


def test_recovery_copy_is_written_and_offered_next_time(qtbot: Any, tmp_path: Path) -> None:
    path = _project_file(tmp_path)
    window = _window(qtbot, str(path))
    window.ctx.push(window.ctx.document.set_name("Digits, edited"))
    copy = window.autosaver.autosave_now()
    assert copy is not None and find_recoveries(recovery_dir()) == [copy]
    assert window.autosaver.timer.isActive() and window.autosaver.timer.interval() >= 10_000
    del window  # "crash": the window goes away without saving (the copy stays)
    later = _window(qtbot)
    assert later.info_bar.isVisibleTo(later) and "digits.json" in later.info_bar.label.text()
    restore = [b for b in later.info_bar.buttons() if b.text() == "Restore"][0]
    restore.click()
    doc = later.ctx.document
    assert doc.project.name == "Digits, edited" and doc.dirty and doc.path == path
    assert not later.showing_start_page()
    later.files.save()
    assert load_project(path).name == "Digits, edited" and find_recoveries(recovery_dir()) == []


def test_restoring_a_recovery_copy_asks_first_about_the_open_projects_changes(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = _window(qtbot, str(_project_file(tmp_path)))
    window.ctx.push(window.ctx.document.set_name("Digits, edited"))
    assert window.autosaver.autosave_now() is not None
    del window
    later = _window(qtbot)
    assert later.files.open_path(_project_file(tmp_path, "other.json", "lenet5"))
    later.ctx.push(later.ctx.document.set_name("Other, unsaved"))
    asked: list[str] = []

    def cancel(*args: Any) -> QMessageBox.StandardButton:
        asked.append(args[2])
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", cancel)
    [b for b in later.info_bar.buttons() if b.text() == "Restore"][0].click()
    assert len(asked) == 1 and "Other, unsaved" in asked[0]
    assert (
        later.ctx.document.project.name == "Other, unsaved" and later.ctx.document.path.name == "other.json"
    )
    assert len(find_recoveries(recovery_dir())) == 1  # the copy stays for another try


def test_discarding_the_recovery_offer_deletes_the_copy(qtbot: Any) -> None:
    window = _window(qtbot)
    window.files.new_from_template(None, ask=False)
    window.ctx.push(window.ctx.document.add_layer("ReLU"))
    assert window.autosaver.autosave_now() is not None
    window.ctx.document.reset(Project())
    later = _window(qtbot)
    [b for b in later.info_bar.buttons() if b.text() == "Discard"][0].click()
    assert find_recoveries(recovery_dir()) == [] and later.ctx.document.layers == []


def test_dropping_a_project_file_opens_it(main_window: Any, tmp_path: Path) -> None:
    path = _project_file(tmp_path, "dropped.json", "lenet5")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    main_window.dropEvent(event)
    assert main_window.ctx.document.path == path
    assert main_window.ctx.document.project.name == "LeNet-5 (1998)"
    assert not main_window.showing_start_page()


def test_dropping_something_else_is_offered_to_the_pages(main_window: Any, tmp_path: Path) -> None:
    taken: list[list[Path]] = []
    page = main_window.page("Design")
    page.handle_drop = lambda paths: taken.append(paths) or True  # type: ignore[attr-defined]
    main_window.show_page("Design")
    assert main_window.handle_paths([tmp_path])
    assert taken == [[tmp_path]]


def test_start_page_cards_and_the_template_dialog(main_window: Any, monkeypatch: Any) -> None:
    assert main_window.showing_start_page()
    names = [c.template_name for c in main_window.start_page.cards]
    assert names == [
        "sample-cnn",
        "mnist-cnn",
        "cifar10-cnn",
        "vgg16",
        "resnet18-transfer",
        "photos-cnn",
        None,
    ]
    card = main_window.findChild(QWidget, "templateCard_cifar10-cnn")
    card.clicked.emit()
    assert main_window.ctx.document.project.name == "CIFAR-10 objects"
    assert not main_window.showing_start_page() and not main_window.ctx.document.dirty
    monkeypatch.setattr("studio.gui.shell.main_window.choose_template", lambda parent: "resnet18-transfer")
    main_window.actions_.new.trigger()
    assert main_window.ctx.document.project.model.kind == "pretrained"


def test_new_project_from_a_dirty_one_asks_first(main_window: Any, dialogs: Any, monkeypatch: Any) -> None:
    main_window.files.new_from_template("mnist-cnn", ask=False)
    main_window.ctx.push(main_window.ctx.document.set_name("changed"))
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Cancel)
    )
    main_window.start_page.templateChosen.emit("lenet5")
    assert main_window.ctx.document.project.name == "changed"


def test_open_dialog_and_recent_files(main_window: Any, tmp_path: Path, monkeypatch: Any) -> None:
    a, b = _project_file(tmp_path, "a.json"), _project_file(tmp_path, "b.json", "lenet5")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *x, **k: (str(a), "")))
    main_window.actions_.open.trigger()
    assert main_window.ctx.document.path == a
    main_window.files.open_path(b)
    assert [Path(f).name for f in main_window.files.recent_files()] == ["b.json", "a.json"]
    main_window.actions_.recent_menu.aboutToShow.emit()
    texts = [act.text() for act in main_window.actions_.recent_menu.actions()][:2]
    assert [t.split("  —  ")[0] for t in texts] == ["b.json", "a.json"]
    assert all(
        t.endswith(str(tmp_path.resolve()).replace(str(Path.home()), "~", 1)) for t in texts
    )  # the folder too
    main_window.open_recent(str(a.resolve()))
    assert main_window.ctx.document.path == a.resolve()
    b.unlink()
    main_window.open_recent(str(b.resolve()))
    assert [Path(f).name for f in main_window.files.recent_files()] == ["a.json"]
    main_window.start_page.set_recent(main_window.files.recent_files())
    assert main_window.start_page.recent.count() == 1


def test_opening_an_invalid_project_shows_the_field_and_keeps_the_current_one(
    main_window: Any, tmp_path: Path, dialogs: Any
) -> None:
    bad = tmp_path / "bad.json"
    raw = get_template("mnist-cnn").make()
    raw["model"]["layers"][0]["kernel_size"] = -1
    bad.write_text(json.dumps(raw), encoding="utf-8")
    main_window.files.new_from_template("lenet5", ask=False)
    assert not main_window.files.open_path(bad)
    assert dialogs.calls[-1][0] == "warning" and "kernel_size" in dialogs.calls[-1][2]
    assert main_window.ctx.document.project.name == "LeNet-5 (1998)"


def test_page_shortcuts_and_placeholders(main_window: Any, qtbot: Any) -> None:
    for i, spec in enumerate(PAGES):
        action = main_window.actions_.pages[i]
        assert action.shortcut().toString() == f"Ctrl+{i + 1}"
        action.trigger()
        assert main_window.sidebar.currentRow() == i and main_window.current_page() is main_window.page(
            spec.title
        )
    missing = load_page(
        PageSpec("Later", "studio.gui.not_written_yet.page", "LaterPage", "", ""), main_window.ctx
    )
    assert isinstance(missing, PlaceholderPage)
    broken = load_page(PageSpec("Broken", "studio.gui.designer.page", "NoSuchClass", "", ""), main_window.ctx)
    assert isinstance(broken, PlaceholderPage)


def test_export_uses_the_evaluate_page_hook_or_explains(main_window: Any, dialogs: Any) -> None:
    page = main_window.page("Evaluate")
    if callable(getattr(page, "export_dialog", None)):
        called: list[bool] = []
        page.export_dialog = lambda: called.append(True)  # type: ignore[method-assign]
        main_window.actions_.export.trigger()
        assert called == [True]
    else:
        main_window.actions_.export.trigger()
        assert dialogs.titles() == ["Export"]


def test_help_dialogs_list_the_shortcuts(main_window: Any, dialogs: Any) -> None:
    from studio.gui.shell.help import ShortcutsDialog

    main_window.actions_.about.trigger()
    assert dialogs.titles("about") == ["About CNN Studio"]
    table = ShortcutsDialog(main_window.actions_.all(), main_window).findChild(QWidget, "shortcutsTable")
    keys = {table.item(r, 1).text(): table.item(r, 0).text() for r in range(table.rowCount())}
    assert keys["Save"] == "Ctrl+S" and keys["Duplicate"] == "Ctrl+D" and keys["Delete"] == "Del"
    assert "Ctrl+Shift+Z" in keys["Redo"] and keys["Undo"] == "Ctrl+Z"


def test_edit_menu_undo_redo_texts(designer: Any, main_window: Any) -> None:
    designer.add_block("Conv2d")
    assert main_window.actions_.undo.isEnabled() and "Add Conv2d" in main_window.actions_.undo.text()
    main_window.actions_.undo.trigger()
    assert designer.doc.layers == [] and main_window.actions_.redo.isEnabled()
    main_window.actions_.redo.trigger()
    assert [layer["type"] for layer in designer.doc.layers] == ["Conv2d"]
