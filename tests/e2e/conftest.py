"""Fixtures for the user-journey tests: the GUI tests' isolation, reused.

From ``tests/gui/conftest.py`` (autouse here too): a private ``HOME``, config folder,
``CNN_STUDIO_HOME`` and ``QSettings`` under ``tmp_path``, and Qt's modal dialogs answered at
once and recorded (the ``dialogs`` fixture), so that a journey never blocks on a dialog and
never touches the real user's files. A journey that must answer a file dialog monkeypatches
it again.
"""

from __future__ import annotations

from tests.gui.conftest import dialogs, isolated_user  # noqa: F401 - fixtures, registered by import
