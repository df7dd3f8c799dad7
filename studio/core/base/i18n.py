"""The language of the studio's own messages, for the core and the CLI (Qt-free).

The GUI translates its widgets with Qt's system (``resources/i18n/studio_<lang>.ts``); the
core cannot use Qt, so its user-facing messages go through :func:`tr`: an English template
with named fields (``"must be at most {hi}, got {value}"``) looked up in a small JSON
catalogue, ``resources/i18n/core_<lang>.json``, and then filled in. Field values (paths, layer
names, numbers) are never translated.

Why not :mod:`gettext`: its compiled ``.mo`` catalogues need ``msgfmt``, which Python does not
install; a JSON catalogue of templates is readable, diffable and needs nothing to build. The
language is chosen like gettext chooses it (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``,
``LANG``), or set with :func:`set_language` (the CLI's ``--lang``, the GUI's language menu).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from typing import Any

from studio.core.base.paths import resources_dir

log = logging.getLogger(__name__)

#: the languages the studio speaks: code -> the language's own name
LANGUAGES: dict[str, str] = {"en": "English", "ko": "한국어"}
DEFAULT_LANGUAGE = "en"

_state: dict[str, Any] = {"lang": None, "catalogues": {}}


def normalize_language(value: str | None) -> str | None:
    """``"ko_KR.UTF-8"`` -> ``"ko"``; ``None`` for an empty or unknown language."""
    if not value:
        return None
    code = value.split(":")[0].split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    return code if code in LANGUAGES else None


def language_from_env(environ: Mapping[str, str] | None = None) -> str:
    """The language the environment asks for, in gettext's order of variables."""
    env = os.environ if environ is None else environ
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if not value:
            continue
        # LANGUAGE may list several, "ko:en"; the first one we speak wins
        for part in value.split(":"):
            code = normalize_language(part)
            if code:
                return code
        if var != "LANGUAGE":
            return DEFAULT_LANGUAGE  # a set LC_ALL/LC_MESSAGES/LANG of another language decides
    return DEFAULT_LANGUAGE


def current_language() -> str:
    """The language messages are produced in now (from the environment until set)."""
    if _state["lang"] is None:
        _state["lang"] = language_from_env()
    return str(_state["lang"])


def set_language(lang: str) -> None:
    """Produce messages in ``lang`` from now on (a code of :data:`LANGUAGES`)."""
    code = normalize_language(lang)
    if code is None:
        raise ValueError(f"unknown language {lang!r}; one of {', '.join(LANGUAGES)}")
    _state["lang"] = code


def catalogue(lang: str) -> dict[str, str]:
    """The core's message templates in ``lang`` (English template -> translation); cached."""
    cached = _state["catalogues"].get(lang)
    if cached is not None:
        return dict(cached)
    table: dict[str, str] = {}
    if lang != DEFAULT_LANGUAGE:
        path = resources_dir() / "i18n" / f"core_{lang}.json"
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            table = {str(k): str(v) for k, v in raw.items() if isinstance(v, str) and v}
        except (OSError, ValueError) as exc:
            log.warning("no %s message catalogue at %s (%s); messages stay in English", lang, path, exc)
    _state["catalogues"][lang] = table
    return dict(table)


def tr(template: str, /, **fields: Any) -> str:
    """``template`` in the current language, with ``{name}`` fields filled from ``fields``.

    A template missing from the catalogue stays English; a translation whose fields do not
    match the template's falls back to the English template rather than fail.
    """
    text = _state["catalogues"].get(current_language())
    if text is None:
        text = catalogue(current_language())
    translated = text.get(template, template)
    if not fields:
        return translated
    try:
        return translated.format(**fields)
    except (KeyError, IndexError, ValueError):
        log.warning("translation of %r does not fit its fields; using English", template)
        return template.format(**fields)
