"""What a user does in the studio window, one function per step, for the journey tests.

Every step works the real widgets the way a person would: a click on the start page's card,
on the sidebar, on a stack row or a button; typing into a spin box and pressing Enter;
choosing an entry of a combo box. Widgets are found by their ``objectName`` (docs/contract.md
for the public ones). Long work (training, evaluation, export) is waited for through the
signals and state the window shows, never with fixed sleeps.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QWidget,
)

from studio.core.runs.run_folder import read_run
from tests.helpers.waiting import settle

LEFT = Qt.MouseButton.LeftButton
TRAIN_TIMEOUT_MS = 240_000
WORK_TIMEOUT_MS = 120_000


def find(window: QWidget, cls: type, name: str) -> Any:
    """The visible-or-not child ``name`` of type ``cls``; fails the test when missing."""
    widget = window.findChild(cls, name)
    assert widget is not None, f"no {cls.__name__} called {name!r} in the window"
    return widget


def open_window(qtbot: Any, project: str | None = None) -> Any:
    """The studio's main window (docs/contract.md: ``create_main_window``), shown at 1280x800."""
    from studio.app import create_main_window

    window = create_main_window(project)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    return window


def close_window(window: Any) -> None:
    """Close as a user would, after marking the project saved (no "save changes?" prompt)."""
    window.ctx.document.reset(window.ctx.document.project, window.ctx.document.path)
    window.close()


def click(qtbot: Any, widget: QWidget) -> None:
    """A left click in the middle of ``widget`` (which must be enabled)."""
    assert widget.isEnabled(), f"{widget.objectName() or widget} is disabled"
    qtbot.mouseClick(widget, LEFT)


def pick_template(qtbot: Any, window: Any, name: str) -> Any:
    """Click the start page's card for template ``name``; returns the Design page it opens."""
    card = find(window, QWidget, f"templateCard_{name}")
    assert card.isVisible(), "the start page is not showing"
    qtbot.mouseClick(card, LEFT)
    page = window.current_page()
    assert page is window.page("Design"), "choosing a template did not open the Design page"
    return page


def go_to(qtbot: Any, window: Any, title: str) -> Any:
    """Click the sidebar entry of page ``title`` (Design, Data, Train, Evaluate); returns the page.

    The entry is found by the page's place in the window's page list, not by its text, which is
    in the user's language.
    """
    from studio.gui.shell.pages import PAGES

    sidebar = find(window, QListWidget, "pageSidebar")
    item = sidebar.item([spec.title for spec in PAGES].index(title))
    rect = sidebar.visualItemRect(item)
    qtbot.mouseClick(sidebar.viewport(), LEFT, Qt.KeyboardModifier.NoModifier, rect.center())
    page = window.current_page()
    assert page is window.page(title), f"the sidebar did not switch to {title}"
    return page


def click_row(qtbot: Any, view: QAbstractItemView, row: int) -> None:
    """Click row ``row`` of an item view (selecting it)."""
    index = view.model().index(row, 0)
    view.scrollTo(index)
    rect = view.visualRect(index)
    qtbot.mouseClick(view.viewport(), LEFT, Qt.KeyboardModifier.NoModifier, rect.center())
    settle()


def type_value(qtbot: Any, spin: QAbstractSpinBox | QLineEdit, text: str) -> None:
    """Select what the field shows, type ``text`` and press Enter."""
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, text)
    qtbot.keyClick(spin, Qt.Key.Key_Return)


def choose(combo: QComboBox, data: Any) -> None:
    """Choose the combo box entry whose data is ``data`` (as picking it from the list does)."""
    index = combo.findData(data)
    assert index >= 0, f"{combo.objectName()} has no entry {data!r}"
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def set_layer(qtbot: Any, design: Any, row: int, arg: str, value: int) -> None:
    """Select layer ``row`` in ``layerStack`` and type ``value`` into its ``arg`` editor."""
    stack = find(design, QAbstractItemView, "layerStack")
    click_row(qtbot, stack, row)
    editor = design.findChild(QWidget, "layerProperties").editors[arg]
    spin = getattr(editor, "spin", None) or editor.spin_boxes()[0]
    type_value(qtbot, spin, str(value))
    stored = design.doc.layers[row].get(arg)
    assert stored == value or stored == [value, value], f"layer {row} {arg} is {stored!r}, typed {value}"


def shape_text(design: Any, row: int) -> str:
    """The output shape the ``shapeTable``/``layerStack`` shows for ``row`` (e.g. '16 × 28 × 28')."""
    from studio.gui.designer.stack_model import COLUMNS  # the columns' English names, in any language

    stack = find(design, QAbstractItemView, "layerStack")
    return str(stack.model().index(row, COLUMNS.index("Output shape")).data())


def set_image_size(qtbot: Any, data_page: Any, height: int, width: int) -> None:
    """Type the input size into the Data page's height and width boxes."""
    type_value(qtbot, find(data_page, QAbstractSpinBox, "imageHeight"), str(height))
    type_value(qtbot, find(data_page, QAbstractSpinBox, "imageWidth"), str(width))


def browse_folder(qtbot: Any, data_page: Any, folder: Path, monkeypatch: Any) -> None:
    """Click the Data page's Browse… button and pick ``folder`` in the (stand-in) folder dialog."""
    from PySide6.QtWidgets import QFileDialog

    asked: list[str] = []

    def pick(parent: Any = None, caption: str = "", *args: Any, **kwargs: Any) -> str:
        asked.append(caption)
        return str(folder)

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(pick))
    click(qtbot, data_page.source_picker.browse_button)
    assert len(asked) == 1 and asked[0]  # one folder dialog, with a title (in the user's language)
    assert data_page.context.document.project.data.root == str(folder)


def wait_listed(qtbot: Any, data_page: Any, images: int) -> None:
    """Wait until the ``thumbnailGrid`` lists ``images`` images (the dataset was read)."""
    grid = find(data_page, QAbstractItemView, "thumbnailGrid")
    qtbot.waitUntil(lambda: grid.model().rowCount() == images, timeout=WORK_TIMEOUT_MS)


def train(qtbot: Any, window: Any, epochs: int = 1, batch_size: int | None = None) -> Path:
    """On the Train page: set epochs (and batch size), click Train, wait for ``trainingFinished``.

    Returns the run folder the window reported; the run must have completed.
    """
    page = go_to(qtbot, window, "Train")
    type_value(qtbot, find(page, QAbstractSpinBox, "epochsSpin"), str(epochs))
    if batch_size is not None:
        type_value(qtbot, find(page, QAbstractSpinBox, "batchSizeSpin"), str(batch_size))
    assert window.ctx.document.project.training.epochs == epochs
    button = find(page, QPushButton, "trainButton")
    with qtbot.waitSignal(window.trainingFinished, timeout=TRAIN_TIMEOUT_MS) as finished:
        click(qtbot, button)
        assert find(page, QPushButton, "stopButton").isEnabled()  # running: Stop is offered
    run_dir = Path(finished.args[0])
    info = read_run(run_dir)
    assert info.status == "completed", f"the run ended {info.status}: {info.end}"
    progress = find(page, QProgressBar, "epochProgress")
    qtbot.waitUntil(lambda: progress.value() == progress.maximum() == epochs)
    qtbot.waitUntil(lambda: button.isEnabled())  # ready for another run
    return run_dir


def epoch_events(run_dir: Path) -> list[dict[str, Any]]:
    """The ``epoch`` lines of the run's ``metrics.jsonl`` (docs/contract.md)."""
    lines = (run_dir / "metrics.jsonl").read_text(encoding="utf-8").splitlines()
    return [e for e in map(json.loads, lines) if e.get("event") == "epoch"]


def evaluate(qtbot: Any, window: Any, run_dir: Path, which: str = "last", split: str | None = None) -> Any:
    """On the Evaluate page: pick ``run_dir``, the checkpoint (and ``split``), click Evaluate, wait.

    Returns the page; its ``confusionMatrix`` then holds the counts.
    """
    page = go_to(qtbot, window, "Evaluate")
    runs = find(page, QComboBox, "runPicker")
    choose(runs, str(run_dir))
    choose(find(page, QComboBox, "checkpointPicker"), which)
    if split is not None:
        choose(find(page, QComboBox, "splitPicker"), split)
    click(qtbot, find(page, QPushButton, "evaluateButton"))
    qtbot.waitUntil(lambda: page.result is not None and not page.busy, timeout=WORK_TIMEOUT_MS)
    return page


def confusion_counts(page: Any) -> list[list[int]]:
    """The counts in the ``confusionMatrix`` cells, as the heat map shows them (row = true class)."""
    from studio.gui.evaluation.confusion_view import COUNT_ROLE

    view = find(page, QAbstractItemView, "confusionMatrix")
    model = view.model()
    return [
        [int(model.index(r, c).data(COUNT_ROLE)) for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def export(qtbot: Any, window: Any, fmt: str, out: Path) -> Any:
    """Click Export… on the Evaluate page, choose ``fmt`` and ``out``, click Export, wait.

    Returns the dialog; fails with the dialog's message when the export was refused.
    """
    page = window.page("Evaluate")
    click(qtbot, find(page, QPushButton, "exportModelButton"))
    shown = [d for d in window.findChildren(QDialog, "exportDialog") if d.isVisible()]
    assert len(shown) == 1, "the Export button did not open one export dialog"
    dialog = shown[0]
    qtbot.waitExposed(dialog)
    choose(find(dialog, QComboBox, "exportFormat"), fmt)
    path = find(dialog, QLineEdit, "exportPath")
    path.setFocus()
    path.selectAll()
    qtbot.keyClicks(path, str(out))
    click(qtbot, find(dialog, QPushButton, "exportButton"))
    qtbot.waitUntil(
        lambda: not dialog.busy and (dialog.result is not None or dialog.error is not None),
        timeout=WORK_TIMEOUT_MS,
    )
    assert dialog.error is None, f"export refused: {dialog.error}"
    assert dialog.result is not None and dialog.result.verification.ok  # written and verified
    assert find(dialog, QWidget, "exportResult").text()  # and the dialog says so
    click(qtbot, find(dialog, QPushButton, "exportClose"))
    return dialog
