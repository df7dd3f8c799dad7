"""Every argument a project may give an optimizer or a learning-rate schedule, and its range.

``training.optimizer`` and ``training.scheduler`` pass their keys to PyTorch as keyword
arguments. Unchecked, a bad value fails only once training runs, and often obscurely
(``betas: [0.9]`` is an IndexError, ``OneCycleLR div_factor: 0`` a ZeroDivisionError,
``ReduceLROnPlateau min_lr: "x"`` a TypeError only when the plateau triggers). So each class
has a table here, like the block registry's arguments: name -> check. A key that is not in the
table is refused at load, naming the allowed ones; PyTorch's internal flags (``foreach``,
``fused``, ``capturable``, ``differentiable``, ``last_epoch``...) are refused with a word on why:
the studio sets them itself (or they would corrupt a resume).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from studio.core.base.errors import ProjectError
from studio.core.base.validate import (
    describe_value,
    require_bool,
    require_choice,
    require_float,
    require_int,
)

Check = Callable[[Any, str], Any]

#: arguments of PyTorch's classes that a project file may not set
INTERNAL = {
    "foreach": "an implementation switch PyTorch picks itself",
    "fused": "an implementation switch PyTorch picks itself",
    "capturable": "for CUDA-graph capture, which the studio does not use",
    "differentiable": "for differentiating through the optimizer step, which training does not do",
    "last_epoch": "where a schedule resumes; the studio restores it from the checkpoint",
    "verbose": "deprecated by PyTorch; the Train page shows the learning rate",
    "decoupled_weight_decay": "Adam's switch to AdamW: choose AdamW as the optimizer instead",
}


def _float(lo: float | None = None, hi: float | None = None, lo_open: bool = False,
           hi_open: bool = False) -> Check:
    def check(value: Any, path: str) -> float:
        v = require_float(value, path, lo, hi, lo_open)
        if hi_open and hi is not None and v >= hi:
            raise ProjectError(path, f"must be below {hi:g}, got {v:g}")
        return v
    return check


def _int(lo: int | None = None, hi: int | None = None) -> Check:
    return lambda value, path: require_int(value, path, lo, hi)


def _choice(*choices: str) -> Check:
    return lambda value, path: require_choice(value, path, choices)


def _betas(value: Any, path: str) -> list[float]:
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        raise ProjectError(path, f"must be two numbers [beta1, beta2] such as [0.9, 0.999], got "
                           f"{describe_value(value)}")
    return [_float(0.0, 1.0, hi_open=True)(v, f"{path}[{i}]") for i, v in enumerate(value)]


_COMMON = {"lr": _float(0.0, 10.0, lo_open=True), "weight_decay": _float(0.0, 10.0),
           "maximize": require_bool}
_ADAM = {**_COMMON, "betas": _betas, "eps": _float(0.0, 1.0, lo_open=True), "amsgrad": require_bool}

OPTIMIZER_ARGS: dict[str, dict[str, Check]] = {
    "SGD": {**_COMMON, "momentum": _float(0.0, 1.0), "dampening": _float(0.0, 1.0), "nesterov": require_bool},
    "Adam": _ADAM,
    "AdamW": _ADAM,
}

SCHEDULER_ARGS: dict[str, dict[str, Check]] = {
    "StepLR": {"step_size": _int(1), "gamma": _float(0.0, 10.0, lo_open=True)},
    "CosineAnnealingLR": {"T_max": _int(1), "eta_min": _float(0.0, 10.0)},
    "OneCycleLR": {
        "max_lr": _float(0.0, 10.0, lo_open=True), "total_steps": _int(2), "epochs": _int(1),
        "steps_per_epoch": _int(1), "pct_start": _float(0.0, 1.0, lo_open=True, hi_open=True),
        "anneal_strategy": _choice("cos", "linear"), "cycle_momentum": require_bool,
        "base_momentum": _float(0.0, 1.0), "max_momentum": _float(0.0, 1.0),
        "div_factor": _float(0.0, 1e9, lo_open=True), "final_div_factor": _float(0.0, 1e12, lo_open=True),
        "three_phase": require_bool,
    },
    "ReduceLROnPlateau": {
        "monitor": _choice("val_loss", "val_acc", "train_loss", "train_acc"), "mode": _choice("min", "max"),
        "factor": _float(0.0, 1.0, lo_open=True, hi_open=True), "patience": _int(0), "threshold": _float(0.0),
        "threshold_mode": _choice("rel", "abs"), "cooldown": _int(0), "min_lr": _float(0.0, 10.0),
        "eps": _float(0.0, 1.0),
    },
}


def check_args(kind: str, raw: dict[str, Any], table: dict[str, Check], path: str) -> None:
    """Check every key of ``raw`` but ``type`` against ``table`` (the arguments of ``kind``)."""
    for key, value in raw.items():
        if key == "type":
            continue
        where = f"{path}.{key}"
        if key in INTERNAL:
            raise ProjectError(where, f"cannot be set in a project ({INTERNAL[key]}); remove it")
        if key not in table:
            raise ProjectError(where, f"is not an argument of {kind}; allowed: {', '.join(sorted(table))}")
        table[key](value, where)


def check_optimizer(raw: dict[str, Any], path: str = "training.optimizer") -> None:
    """Every argument of ``training.optimizer`` (its ``type`` already checked)."""
    kind = raw["type"]
    check_args(kind, raw, OPTIMIZER_ARGS[kind], path)


def check_scheduler(raw: dict[str, Any], path: str = "training.scheduler") -> None:
    """Every argument of ``training.scheduler`` (its ``type`` already checked)."""
    kind = raw["type"]
    check_args(kind, raw, SCHEDULER_ARGS[kind], path)
