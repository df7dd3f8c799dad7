"""Fixtures shared by every test folder (core, gui, e2e).

Qt is forced offscreen before anything can import it, so the suite runs without a display.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# the suite's expected texts are English whatever the machine's locale; the language tests
# set their own (LANGUAGE outranks LC_ALL, LC_MESSAGES and LANG, for this process and the CLI
# subprocesses it starts)
os.environ["LANGUAGE"] = "en"

from studio.gui.common.pyside_compat import protect_none  # noqa: E402 - no Qt import

protect_none()  # PySide6 6.12 on Python 3.11 drops a reference to None per void call

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture
def torch_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private, empty ``TORCH_HOME``: torchvision's weight cache lives under it for the test."""
    home = tmp_path / "torch-home"
    home.mkdir()
    monkeypatch.setenv("TORCH_HOME", str(home))
    return home


@pytest.fixture(autouse=True, scope="session")
def _private_studio_home(tmp_path_factory: pytest.TempPathFactory) -> object:
    """A per-session ``CNN_STUDIO_HOME`` so tests never write the developer's own data folder
    (exports record their hashes there, see studio.core.export.trust). Folders that set their
    own per-test home (gui, e2e) still do; shared exports are recorded in this one."""
    saved = os.environ.get("CNN_STUDIO_HOME")
    os.environ["CNN_STUDIO_HOME"] = str(tmp_path_factory.mktemp("studio-home"))
    yield
    if saved is None:
        os.environ.pop("CNN_STUDIO_HOME", None)
    else:
        os.environ["CNN_STUDIO_HOME"] = saved


@pytest.fixture(autouse=True)
def _collect_cycles_on_the_gui_thread() -> Iterator[None]:
    """Once a QApplication exists, Python's cycle collector runs on the main thread only, as
    in the app (studio.gui.common.gc_guard: a collection in a pool thread that destroyed a Qt object
    deadlocked against the GUI thread); after each test, what is due is collected here."""
    yield
    import sys

    if "PySide6.QtCore" in sys.modules:
        from studio.gui.common import gc_guard

        if gc_guard.install():
            import gc

            if gc_guard.freeze_due():
                gc.collect()  # the guard freezes next: no test's garbage (windows) is kept for good
            else:
                gc.collect(1)  # this test's young garbage goes now
            gc_guard.collect_now()


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    """Each test starts and ends with the core's messages in English."""
    from studio.core.base import i18n

    i18n.set_language("en")
    yield
    i18n.set_language("en")
