"""The GUI's language: Qt translators, the remembered choice, and switching without a restart.

Widgets write their texts through ``self.tr()`` / ``QCoreApplication.translate()``; the
translations live in ``resources/i18n/studio_<lang>.ts`` (the source, updated with
``pyside6-lupdate``) and the compiled ``studio_<lang>.qm`` beside it (``pyside6-lrelease``;
committed, and a test fails when it is older than its ``.ts``).

Switching live: most of the studio's widgets are built in code once, so Qt's usual
``changeEvent(LanguageChange)`` + ``retranslateUi`` would mean a second copy of every text
in every widget. Instead :func:`retranslate_tree` walks the open windows and replaces every
text that is a known translation of the old language with its translation in the new one
(both read from the ``.ts`` catalogue). Texts computed with numbers in them are refreshed by
their owners, which listen to :data:`LanguageNotifier.changed`.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from collections.abc import Callable
from functools import cache, partial
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, QSettings, QTranslator, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QTabWidget,
    QWidget,
)

from studio.core.base import i18n as core_i18n
from studio.core.base.paths import resources_dir

log = logging.getLogger(__name__)

SETTINGS_KEY = "language"
LANGUAGES = core_i18n.LANGUAGES


def i18n_dir() -> Path:
    """Where the ``.ts`` and ``.qm`` files live."""
    return resources_dir() / "i18n"


def system_language() -> str:
    """The language of the user's environment: ``LANG``/``LC_*`` first (as the CLI), then Qt's locale."""
    env = core_i18n.language_from_env()
    if env != core_i18n.DEFAULT_LANGUAGE:
        return env
    return core_i18n.normalize_language(QLocale.system().name()) or core_i18n.DEFAULT_LANGUAGE


def preferred_language(settings: QSettings | None = None) -> str:
    """The language chosen in View > Language, else the system's."""
    settings = settings or QSettings()
    chosen = core_i18n.normalize_language(str(settings.value(SETTINGS_KEY, "") or ""))
    return chosen or system_language()


@cache
def catalogue(lang: str) -> dict[str, str]:
    """``source -> translation`` of every finished message in ``studio_<lang>.ts``."""
    path = i18n_dir() / f"studio_{lang}.ts"
    table: dict[str, str] = {}
    if lang == core_i18n.DEFAULT_LANGUAGE or not path.exists():
        return table
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        log.warning("cannot read %s: %s", path, exc)
        return table
    for message in root.iter("message"):
        source = message.findtext("source")
        tr_el = message.find("translation")
        if not source or tr_el is None or tr_el.get("type") in ("unfinished", "obsolete", "vanished"):
            continue
        text = tr_el.text or next((f.text for f in tr_el.iter("numerusform") if f.text), None)
        if text:
            table.setdefault(source, text)
    return table


class LanguageNotifier(QObject):
    """Says when the language changed, for widgets whose texts carry numbers."""

    changed = Signal(str)


_notifier: LanguageNotifier | None = None
_installed: list[QTranslator] = []


def notifier() -> LanguageNotifier:
    """The application's one :class:`LanguageNotifier`."""
    global _notifier
    if _notifier is None:
        _notifier = LanguageNotifier(QCoreApplication.instance())
    return _notifier


def current_language() -> str:
    """The language the GUI speaks now."""
    return core_i18n.current_language()


def install_language(lang: str) -> str:
    """Install the translators of ``lang`` (and the core's catalogue); returns the code used."""
    app = QCoreApplication.instance()
    code = core_i18n.normalize_language(lang) or core_i18n.DEFAULT_LANGUAGE
    for old in _installed:
        if app is not None:
            app.removeTranslator(old)
    _installed.clear()
    core_i18n.set_language(code)
    if code != core_i18n.DEFAULT_LANGUAGE and app is not None:
        ours = QTranslator(app)
        if ours.load(str(i18n_dir() / f"studio_{code}.qm")):
            app.installTranslator(ours)
            _installed.append(ours)
        else:
            log.warning("no compiled translation studio_%s.qm in %s", code, i18n_dir())
        qt_own = QTranslator(app)  # Qt's standard dialogs and buttons, where the wheel ships them
        if qt_own.load(f"qtbase_{code}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(qt_own)
            _installed.append(qt_own)
    QLocale.setDefault(QLocale(QLocale.Language.Korean if code == "ko" else QLocale.Language.English))
    return code


def switch_language(lang: str, settings: QSettings | None = None) -> str:
    """Change the language now: translators, every open window's texts, and the saved choice."""
    old = current_language()
    code = install_language(lang)
    (settings or QSettings()).setValue(SETTINGS_KEY, code)
    if code != old:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            for window in app.topLevelWidgets():
                retranslate_tree(window, old, code)
        notifier().changed.emit(code)
    return code


def text_map(old: str, new: str) -> dict[str, str]:
    """Each text as shown in ``old`` -> the same text in ``new``."""
    en_to_old = catalogue(old)
    en_to_new = catalogue(new)
    shown_old: dict[str, str] = {}
    ambiguous: set[str] = set()
    for source in sorted(set(en_to_old) | set(en_to_new)):
        before = en_to_old.get(source, source)
        after = en_to_new.get(source, source)
        if before == after:
            continue
        if before in shown_old and shown_old[before] != after:
            ambiguous.add(before)  # one shown text, two meanings ("학습" is "Train" and "train"):
        shown_old.setdefault(before, after)  # its owner re-sets it on LanguageNotifier.changed
    for text in ambiguous:
        del shown_old[text]
    return shown_old


def retranslate_tree(root: QWidget, old: str, new: str) -> int:
    """Replace every known text under ``root`` shown in ``old`` by its ``new`` form; returns the count."""
    table = text_map(old, new)
    if not table:
        return 0
    changed = 0

    def swap(text: str, setter: Callable[[str], object]) -> None:
        nonlocal changed
        if text in table:
            setter(table[text])
            changed += 1

    for w in [root, *root.findChildren(QWidget)]:
        swap(w.toolTip(), w.setToolTip)
        swap(w.statusTip(), w.setStatusTip)
        swap(w.windowTitle(), w.setWindowTitle)
        if isinstance(w, (QLabel, QAbstractButton)):
            swap(w.text(), w.setText)
        if isinstance(w, QLineEdit):
            swap(w.placeholderText(), w.setPlaceholderText)
        if isinstance(w, (QGroupBox, QMenu)):
            swap(w.title(), w.setTitle)
        if isinstance(w, QTabWidget):
            for i in range(w.count()):
                swap(w.tabText(i), partial(w.setTabText, i))
                swap(w.tabToolTip(i), partial(w.setTabToolTip, i))
        if isinstance(w, QListWidget):
            for i in range(w.count()):
                item = w.item(i)
                swap(item.text(), item.setText)
                swap(item.toolTip(), item.setToolTip)
        if isinstance(w, QComboBox):
            for i in range(w.count()):
                swap(w.itemText(i), partial(w.setItemText, i))
    for action in root.findChildren(QAction):
        swap(action.text(), action.setText)
        swap(action.toolTip(), action.setToolTip)
        swap(action.statusTip(), action.setStatusTip)
    return changed


def fill(text: str, *args: object) -> str:
    """Qt's ``QString.arg`` for PySide6's plain ``str``: ``%1``, ``%2``… replaced by ``args``.

    Translations may reorder the placeholders (Korean often does), which is why texts with
    values are written ``tr("Batch %1 of %2")`` rather than as f-strings.
    """
    for i in range(len(args), 0, -1):  # %10 before %1
        text = text.replace(f"%{i}", str(args[i - 1]))
    return text


# --------------------------------------------------------------------------- audit


def visible_texts(root: QWidget) -> list[tuple[str, str]]:
    """Every text a user can read under ``root``: ``(where, text)`` pairs.

    Labels, buttons, group and menu titles, placeholders, tooltips, tab texts, combo items,
    list items, item-view headers and actions — what the untranslated-text test reads.
    """
    from PySide6.QtCore import QModelIndex
    from PySide6.QtCore import Qt as _Qt
    from PySide6.QtWidgets import QAbstractItemView

    found: list[tuple[str, str]] = []

    def add(where: QObject, kind: str, text: str) -> None:
        text = (text or "").strip()
        if text:
            found.append((f"{type(where).__name__}#{where.objectName() or '?'}.{kind}", text))

    for w in [root, *root.findChildren(QWidget)]:
        add(w, "toolTip", w.toolTip())
        add(w, "windowTitle", w.windowTitle() if w.isWindow() else "")
        if isinstance(w, (QLabel, QAbstractButton)):
            add(w, "text", w.text())
        if isinstance(w, QLineEdit):
            add(w, "placeholder", w.placeholderText())
        if isinstance(w, (QGroupBox, QMenu)):
            add(w, "title", w.title())
        if isinstance(w, QTabWidget):
            for i in range(w.count()):
                add(w, f"tab{i}", w.tabText(i))
        if isinstance(w, QComboBox):
            for i in range(w.count()):
                add(w, f"item{i}", w.itemText(i))
        if isinstance(w, QListWidget):
            for i in range(w.count()):
                add(w, f"item{i}", w.item(i).text())
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            model = w.model()
            try:
                columns = model.columnCount(QModelIndex())
            except TypeError:  # a model that keeps columnCount private (list models): no headers
                columns = 0
            for section in range(columns):
                value = model.headerData(section, _Qt.Orientation.Horizontal, _Qt.ItemDataRole.DisplayRole)
                if isinstance(value, str):
                    add(w, f"header{section}", value)
    for action in root.findChildren(QAction):
        add(action, "text", action.text())
        if action.toolTip() != action.text().replace("&", ""):
            add(action, "toolTip", action.toolTip())
    return found
