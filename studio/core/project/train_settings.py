"""Qt-free rules behind the Train page's settings form.

The form edits ``project.training`` (and ``data.augment``) one field at a time through
``ProjectDocument.set_field`` so each change is undoable. Some fields are small dicts whose
shape depends on a choice (an optimizer's momentum only exists for SGD, each scheduler has its
own arguments); these functions compute the new dict for a change so the form never builds
JSON by hand, and so the rules are tested without a display.
"""

from __future__ import annotations

import copy
from typing import Any

from studio.core.data.augment import PRESET_NAMES
from studio.core.project.optim_settings import OPTIMIZER_ARGS
from studio.core.project.project_file import MONITORS

NO_SCHEDULER = "none"
#: the one argument of each scheduler that the form shows (key, label); None: nothing to set
SCHEDULER_PARAM: dict[str, tuple[str, str] | None] = {
    NO_SCHEDULER: None,
    "StepLR": ("step_size", "Step every (epochs)"),
    "CosineAnnealingLR": None,
    "OneCycleLR": ("max_lr", "Peak learning rate"),
    "ReduceLROnPlateau": ("patience", "Patience (epochs)"),
}
EARLY_STOP_MONITORS = MONITORS
CUSTOM_AUGMENT = "custom"


def _round_sig(value: float, digits: int = 3) -> float:
    return float(f"{value:.{digits}g}")


def optimizer_with(optimizer: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """The optimizer dict after ``changes`` (``type``, ``lr``, ``weight_decay``, ``momentum``).

    Switching type drops the arguments the new one does not take (Adam has no ``momentum``,
    SGD no ``betas``: a project keeping them would be refused); switching to SGD adds
    ``momentum`` 0.9, the usual starting point. Other keys are kept.
    """
    new = copy.deepcopy(optimizer)
    new.update(changes)
    allowed = OPTIMIZER_ARGS.get(str(new.get("type")))
    if allowed is not None and new.get("type") != optimizer.get("type"):
        new = {k: v for k, v in new.items() if k == "type" or k in allowed}
    if new.get("type") == "SGD" and optimizer.get("type") != "SGD":
        new.setdefault("momentum", 0.9)
    return new


def scheduler_type(scheduler: dict[str, Any] | None) -> str:
    """The scheduler's type, or ``"none"``."""
    return str(scheduler.get("type")) if scheduler else NO_SCHEDULER


def scheduler_for(
    kind: str, current: dict[str, Any] | None, *, epochs: int, lr: float
) -> dict[str, Any] | None:
    """A scheduler dict of type ``kind`` with sensible defaults (None for ``"none"``).

    Keeping the same type keeps the current arguments. Defaults: StepLR every third of the
    run with gamma 0.1; OneCycleLR peaking at 3x the base learning rate; ReduceLROnPlateau
    with factor 0.1 after 2 epochs without progress; cosine annealing over the whole run.
    """
    if kind == NO_SCHEDULER:
        return None
    if kind not in SCHEDULER_PARAM:
        raise ValueError(f"unknown scheduler {kind!r}")
    if current and current.get("type") == kind:
        return copy.deepcopy(current)
    if kind == "StepLR":
        return {"type": kind, "step_size": max(1, epochs // 3), "gamma": 0.1}
    if kind == "OneCycleLR":
        return {"type": kind, "max_lr": _round_sig(3 * lr)}
    if kind == "ReduceLROnPlateau":
        return {"type": kind, "factor": 0.1, "patience": 2}
    return {"type": kind}


def scheduler_param(scheduler: dict[str, Any] | None, *, epochs: int, lr: float) -> float | int | None:
    """The value of the scheduler's shown argument (its default when the file omits it)."""
    kind = scheduler_type(scheduler)
    param = SCHEDULER_PARAM.get(kind)
    if param is None or scheduler is None:
        return None
    key = param[0]
    if key in scheduler:
        return scheduler[key]
    default = scheduler_for(kind, None, epochs=epochs, lr=lr) or {}
    return default.get(key)


def scheduler_with_param(scheduler: dict[str, Any], value: float | int) -> dict[str, Any]:
    """The scheduler dict with its shown argument set to ``value``."""
    param = SCHEDULER_PARAM.get(scheduler_type(scheduler))
    if param is None:
        raise ValueError(f"{scheduler_type(scheduler)} has no argument to set")
    new = copy.deepcopy(scheduler)
    new[param[0]] = int(value) if param[0] in ("step_size", "patience") else float(value)
    return new


def early_stopping_for(
    enabled: bool, current: dict[str, Any] | None, *, patience: int | None = None, monitor: str | None = None
) -> dict[str, Any] | None:
    """The ``early_stopping`` dict after a change (None switches it off).

    Switching it on starts from patience 3 on ``val_loss``; other keys (``min_delta``) stay.
    """
    if not enabled:
        return None
    new = copy.deepcopy(current) if current else {"monitor": "val_loss", "patience": 3}
    if patience is not None:
        new["patience"] = int(patience)
    if monitor is not None:
        if monitor not in EARLY_STOP_MONITORS:
            raise ValueError(f"unknown monitor {monitor!r}")
        new["monitor"] = monitor
    return new


def augment_preset(augment: dict[str, Any] | None) -> str:
    """The preset name a ``data.augment`` dict amounts to, or ``"custom"`` for hand-set keys."""
    if not augment:
        return "none"
    keys = set(augment)
    if keys == {"preset"} and augment["preset"] in PRESET_NAMES:
        return str(augment["preset"])
    return CUSTOM_AUGMENT


def augment_for_preset(name: str) -> dict[str, Any]:
    """The ``data.augment`` dict for a preset (``{}`` for none)."""
    if name not in PRESET_NAMES:
        raise ValueError(f"unknown augmentation preset {name!r}; choose one of {', '.join(PRESET_NAMES)}")
    return {} if name == "none" else {"preset": name}
