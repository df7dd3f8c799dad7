"""Fixtures for the user-journey tests: the GUI tests' isolation, reused.

From ``tests/gui/conftest.py`` (autouse here too): a private ``HOME``, config folder,
``CNN_STUDIO_HOME`` and ``QSettings`` under ``tmp_path``, and Qt's modal dialogs answered at
once and recorded (the ``dialogs`` fixture), so that a journey never blocks on a dialog and
never touches the real user's files. A journey that must answer a file dialog monkeypatches
it again.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.gui.conftest import dialogs, isolated_user  # noqa: F401 - fixtures, registered by import


# The Korean runs are marked slow (``pytest -m slow`` runs them): every journey exports through
# torch.onnx/torch.jit, and torch's export gets slower with each export a process has made, so
# doubling the journeys in one default run slowed the later export tests past their timeouts.
@pytest.fixture(params=["en", pytest.param("ko", marks=pytest.mark.slow)], autouse=True)
def journey_language(request: pytest.FixtureRequest, qapp: Any) -> Iterator[str]:
    """Every journey runs twice: in English and in Korean (the studio's two languages).

    The journeys find widgets by objectName and read numbers, so the same steps hold in both;
    the Korean run also shows that nothing a journey touches breaks when the texts change.
    """
    from studio.gui.common.i18n import install_language

    install_language(request.param)
    yield request.param
    install_language("en")
