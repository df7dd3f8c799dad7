"""Validators of JSON values: a project file's fields, a block's arguments, an optimizer's settings.

Each ``require_*`` returns the value in its Python type or raises a :class:`ProjectError` at the
field's dotted path, so every reader of user-written JSON words its errors the same way
(``model.layers[3].kernel_size: must be a positive integer, got -1``).
"""

from __future__ import annotations

import json
from typing import Any

from studio.core.base.errors import ProjectError
from studio.core.base.files import json_text
from studio.core.base.i18n import tr


def type_name(value: Any) -> str:
    """The JSON type of ``value`` in words ("an integer", "null"), for error messages."""
    if value is None:
        return "null"
    words = {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "an object",
    }.get(type(value))
    return tr(words) if words else type(value).__name__


def describe_value(value: Any) -> str:
    """``value`` as the user wrote it (JSON), cut to 60 characters, for error messages."""
    text = json_text(value) if _jsonable(value) else repr(value)  # a lone surrogate comes out escaped
    return text if len(text) <= 60 else text[:57] + "..."


def _jsonable(value: Any) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True


def require_dict(value: Any, path: str) -> dict[str, Any]:
    """``value`` as an object, or a :class:`ProjectError` at ``path``."""
    if not isinstance(value, dict):
        raise ProjectError(path, tr("must be an object, got {what}", what=type_name(value)))
    return value


def require_int(value: Any, path: str, lo: int | None = None, hi: int | None = None) -> int:
    """An integer within [lo, hi] (booleans and floats refused), else a :class:`ProjectError`."""
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            template = (
                "must be a positive integer, got {value}" if lo == 1 else "must be an integer, got {value}"
            )
            raise ProjectError(path, tr(template, value=describe_value(value)))
    if lo is not None and value < lo:
        if lo == 1:
            raise ProjectError(path, tr("must be a positive integer, got {value}", value=value))
        raise ProjectError(path, tr("must be an integer >= {lo}, got {value}", lo=lo, value=value))
    if hi is not None and value > hi:
        raise ProjectError(path, tr("must be at most {hi}, got {value}", hi=hi, value=value))
    return value


def require_float(
    value: Any, path: str, lo: float | None = None, hi: float | None = None, lo_open: bool = False
) -> float:
    """A finite number within the bounds, else a :class:`ProjectError`."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ProjectError(path, tr("must be a number, got {value}", value=describe_value(value)))
    value = float(value)
    if value != value or value in (float("inf"), float("-inf")):
        raise ProjectError(path, tr("must be a finite number"))
    if lo is not None and (value < lo or (lo_open and value == lo)):
        raise ProjectError(
            path,
            tr(
                "must be {op} {lo}, got {value}",
                op=">" if lo_open else ">=",
                lo=f"{lo:g}",
                value=f"{value:g}",
            ),
        )
    if hi is not None and value > hi:
        raise ProjectError(path, tr("must be at most {hi}, got {value}", hi=f"{hi:g}", value=f"{value:g}"))
    return value


def require_bool(value: Any, path: str) -> bool:
    """A JSON boolean, else a :class:`ProjectError`."""
    if not isinstance(value, bool):
        raise ProjectError(path, tr("must be true or false, got {value}", value=describe_value(value)))
    return value


def require_str(value: Any, path: str) -> str:
    """A string, else a :class:`ProjectError`."""
    if not isinstance(value, str):
        raise ProjectError(path, tr("must be a string, got {value}", value=describe_value(value)))
    return value


def require_choice(value: Any, path: str, choices: tuple[str, ...]) -> str:
    """One of ``choices`` (case-sensitive), else a :class:`ProjectError` listing them."""
    if value not in choices:
        allowed = ", ".join(f'"{c}"' for c in choices)
        raise ProjectError(
            path, tr("must be one of {allowed}, got {value}", allowed=allowed, value=describe_value(value))
        )
    return value
