"""Korean coverage of the core texts the Evaluate and Lab pages display through the core catalogue
(the list and why the core's own scan misses them: ``tests/helpers/evaluation_texts.py``)."""

from __future__ import annotations

import json
import re

import pytest

from studio.core.base import i18n
from studio.core.base.paths import resources_dir
from studio.core.export.names import FORMAT_HELP
from tests.helpers.evaluation_texts import displayed_texts, session_texts


def _catalogue() -> dict[str, str]:
    return json.loads((resources_dir() / "i18n" / "core_ko.json").read_text(encoding="utf-8"))


def test_the_session_module_has_texts_to_check() -> None:
    assert "loading the model" in session_texts() and len(session_texts()) >= 6


@pytest.mark.parametrize("text", displayed_texts())
def test_every_displayed_core_text_has_korean_with_its_fields(text: str) -> None:
    table = _catalogue()
    assert text in table, f"no Korean for {text!r} in core_ko.json"
    fields = set(re.findall(r"\{(\w+)", text))
    assert set(re.findall(r"\{(\w+)", table[text])) == fields
    assert re.search(r"[가-힣]", table[text]) or text.startswith("sobel"), table[text]


def test_the_export_help_reads_in_korean() -> None:
    i18n.set_language("ko")
    try:
        assert i18n.tr(FORMAT_HELP["python"]).startswith("model.py")
        assert "폴더" in i18n.tr(FORMAT_HELP["python"])
    finally:
        i18n.set_language("en")
