"""Runs side by side: the settings that differ between runs, and each run's numbers.

The Runs table shows one column per setting that differs between the listed runs, and the
Compare view lines up two or more runs: their differing settings, their curves and their
confusion matrices. Both read :func:`flat_settings` of each run's own ``project.json``, so a
setting is compared exactly as the run trained with it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from studio.core.project.project_file import Project

#: keys that say nothing about the recipe (every run differs in them, or they are paths)
IGNORED = ("name", "format", "data.root", "data.download")


def _walk(value: Any, prefix: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        if not value and prefix:
            out[prefix] = {}
        for key, item in value.items():
            _walk(item, f"{prefix}.{key}" if prefix else str(key), out)
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        for i, item in enumerate(value):  # layers: model.layers[2].out_channels
            _walk(item, f"{prefix}[{i}]", out)
    else:
        out[prefix] = value


def flat_settings(project: Project | Mapping[str, Any]) -> dict[str, Any]:
    """A project as ``{"training.optimizer.lr": 0.01, "model.layers[0].out_channels": 32, ...}``."""
    raw = project.to_dict() if hasattr(project, "to_dict") else dict(project)
    out: dict[str, Any] = {}
    _walk(raw, "", out)
    return {k: v for k, v in out.items() if not any(k == i or k.startswith(i + ".") for i in IGNORED)}


def differing_keys(settings: Iterable[Mapping[str, Any]]) -> list[str]:
    """The keys whose values are not the same in every one of ``settings`` (a key missing in
    one of them counts as different), in a stable order: training first, then data, then model."""
    rows = list(settings)
    if len(rows) < 2:
        return []
    keys = set().union(*(r.keys() for r in rows))
    differ = [k for k in keys if len({json.dumps(r.get(k), sort_keys=True, default=str) for r in rows}) > 1]
    order = {"training": 0, "data": 1, "model": 2}
    return sorted(differ, key=lambda k: (order.get(k.split(".")[0].split("[")[0], 3), k))


def short_key(key: str) -> str:
    """A column title for a setting: its last part (``training.optimizer.lr`` -> ``lr``), with
    the layer index kept (``model.layers[0].out_channels`` -> ``[0].out_channels``)."""
    tail = key.rsplit(".", 1)[-1]
    if "[" in key and "[" not in tail:
        index = key[key.rfind("[") : key.find("]", key.rfind("[")) + 1]
        return f"{index}.{tail}"
    return tail


def format_setting(value: Any) -> str:
    """A setting's value for a table cell."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def run_seconds(events: Iterable[Mapping[str, Any]]) -> float | None:
    """The training time of a run: its epochs' ``seconds`` added up (None before the first)."""
    total, seen = 0.0, False
    for e in events:
        if e.get("event") == "epoch" and isinstance(e.get("seconds"), (int, float)):
            total += float(e["seconds"])
            seen = True
    return total if seen else None


def format_seconds(seconds: float | None) -> str:
    """``93`` -> ``"1:33"``; ``3725`` -> ``"1:02:05"``; None -> ``"–"``."""
    if seconds is None:
        return "–"
    s = int(round(seconds))
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"
