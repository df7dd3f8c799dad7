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

from dataclasses import dataclass
from typing import Any

from studio.core.base.errors import ProjectError
from studio.core.base.i18n import tr
from studio.core.base.validate import (
    describe_value,
    require_bool,
    require_choice,
    require_float,
    require_int,
)

#: arguments of PyTorch's classes that a project file may not set (the reasons are shown through
#: ``tr(reason)``: resources/i18n/core_ko.json holds them)
INTERNAL = {
    "foreach": "an implementation switch PyTorch picks itself",
    "fused": "an implementation switch PyTorch picks itself",
    "capturable": "for CUDA-graph capture, which the studio does not use",
    "differentiable": "for differentiating through the optimizer step, which training does not do",
    "last_epoch": "where a schedule resumes; the studio restores it from the checkpoint",
    "verbose": "deprecated by PyTorch; the Train page shows the learning rate",
    "decoupled_weight_decay": "Adam's switch to AdamW: choose AdamW as the optimizer instead",
}


@dataclass(frozen=True)
class Num:
    """A number (an integer with ``integer``) within bounds; ``*_open`` excludes the bound."""

    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False
    hi_open: bool = False
    integer: bool = False
    help: str = ""

    def __call__(self, value: Any, path: str) -> float:
        if self.integer:
            return require_int(
                value,
                path,
                None if self.lo is None else int(self.lo),
                None if self.hi is None else int(self.hi),
            )
        v = require_float(value, path, self.lo, self.hi, self.lo_open)
        if self.hi_open and self.hi is not None and v >= self.hi:
            raise ProjectError(path, tr("must be below {hi:g}, got {v:g}", hi=self.hi, v=v))
        return v


@dataclass(frozen=True)
class Choice:
    """One of ``choices``."""

    choices: tuple[str, ...]
    help: str = ""

    def __call__(self, value: Any, path: str) -> str:
        return require_choice(value, path, self.choices)


@dataclass(frozen=True)
class Flag:
    """true or false."""

    help: str = ""

    def __call__(self, value: Any, path: str) -> bool:
        return require_bool(value, path)


@dataclass(frozen=True)
class Pair:
    """Two numbers in [lo, hi) (Adam's ``betas``)."""

    lo: float = 0.0
    hi: float = 1.0
    help: str = ""

    def __call__(self, value: Any, path: str) -> list[float]:
        if not isinstance(value, (list, tuple)) or len(value) != 2:
            raise ProjectError(
                path,
                tr(
                    "must be two numbers [beta1, beta2] such as [0.9, 0.999], got {value}",
                    value=describe_value(value),
                ),
            )
        item = Num(self.lo, self.hi, hi_open=True)
        return [item(v, f"{path}[{i}]") for i, v in enumerate(value)]


Check = Num | Choice | Flag | Pair

_COMMON: dict[str, Check] = {
    "lr": Num(0.0, 10.0, lo_open=True, help="the learning rate"),
    "weight_decay": Num(0.0, 10.0, help="L2 penalty (decoupled for AdamW)"),
    "maximize": Flag("maximise the objective instead of minimising it"),
}
_ADAM: dict[str, Check] = {
    **_COMMON,
    "betas": Pair(help="decay rates of the moment estimates, [beta1, beta2]"),
    "eps": Num(0.0, 1.0, lo_open=True, help="added to the denominator for stability"),
    "amsgrad": Flag("use the AMSGrad variant"),
}

OPTIMIZER_ARGS: dict[str, dict[str, Check]] = {
    "SGD": {
        **_COMMON,
        "momentum": Num(0.0, 1.0, help="momentum factor"),
        "dampening": Num(0.0, 1.0, help="dampening of the momentum"),
        "nesterov": Flag("Nesterov momentum (needs momentum > 0)"),
    },
    "Adam": _ADAM,
    "AdamW": _ADAM,
}

SCHEDULER_ARGS: dict[str, dict[str, Check]] = {
    "StepLR": {
        "step_size": Num(1, integer=True, help="epochs between steps"),
        "gamma": Num(0.0, 10.0, lo_open=True, help="the factor at every step"),
    },
    "CosineAnnealingLR": {
        "T_max": Num(1, integer=True, help="epochs of one half cosine (default: the run's)"),
        "eta_min": Num(0.0, 10.0, help="the lowest rate"),
    },
    "OneCycleLR": {
        "max_lr": Num(0.0, 10.0, lo_open=True, help="the peak rate (default: the optimizer's lr)"),
        "total_steps": Num(
            2, integer=True, help="steps of the cycle (at least the run's; default: the run's)"
        ),
        "epochs": Num(1, integer=True, help="epochs of the cycle (with steps_per_epoch; default: the run's)"),
        "steps_per_epoch": Num(1, integer=True, help="batches per epoch (default: the run's)"),
        "pct_start": Num(0.0, 1.0, lo_open=True, hi_open=True, help="fraction of the cycle spent rising"),
        "anneal_strategy": Choice(("cos", "linear"), help="the shape of the fall"),
        "cycle_momentum": Flag("cycle the momentum inversely to the rate"),
        "base_momentum": Num(0.0, 1.0, help="the lowest momentum"),
        "max_momentum": Num(0.0, 1.0, help="the highest momentum"),
        "div_factor": Num(0.0, 1e9, lo_open=True, help="initial rate = max_lr / div_factor"),
        "final_div_factor": Num(0.0, 1e12, lo_open=True, help="final rate = initial rate / final_div_factor"),
        "three_phase": Flag("a third phase that anneals below the initial rate"),
    },
    "ReduceLROnPlateau": {
        "monitor": Choice(("val_loss", "val_acc", "train_loss", "train_acc"), help="the metric watched"),
        "mode": Choice(("min", "max"), help="whether lower or higher is better (default: from monitor)"),
        "factor": Num(0.0, 1.0, lo_open=True, hi_open=True, help="the factor on a plateau"),
        "patience": Num(0, integer=True, help="epochs without improvement before lowering"),
        "threshold": Num(0.0, help="the least change that counts as improvement"),
        "threshold_mode": Choice(("rel", "abs"), help="threshold relative or absolute"),
        "cooldown": Num(0, integer=True, help="epochs to wait after lowering"),
        "min_lr": Num(0.0, 10.0, help="the lowest rate"),
        "eps": Num(0.0, 1.0, help="smaller changes of the rate are ignored"),
    },
}


def takers(table: dict[str, dict[str, Check]], key: str) -> list[str]:
    """The classes of ``table`` that take argument ``key`` (for docs and the schema)."""
    return [kind for kind, args in table.items() if key in args]


def check_args(kind: str, raw: dict[str, Any], table: dict[str, Check], path: str) -> None:
    """Check every key of ``raw`` but ``type`` against ``table`` (the arguments of ``kind``)."""
    for key, value in raw.items():
        if key == "type":
            continue
        where = f"{path}.{key}"
        if key in INTERNAL:
            raise ProjectError(
                where, tr("cannot be set in a project ({reason}); remove it", reason=tr(INTERNAL[key]))
            )
        if key not in table:
            raise ProjectError(
                where,
                tr(
                    "is not an argument of {kind}; allowed: {allowed}",
                    kind=kind,
                    allowed=", ".join(sorted(table)),
                ),
            )
        table[key](value, where)


def check_optimizer(raw: dict[str, Any], path: str = "training.optimizer") -> None:
    """Every argument of ``training.optimizer`` (its ``type`` already checked)."""
    kind = raw["type"]
    check_args(kind, raw, OPTIMIZER_ARGS[kind], path)


def check_scheduler(raw: dict[str, Any], path: str = "training.scheduler") -> None:
    """Every argument of ``training.scheduler`` (its ``type`` already checked)."""
    kind = raw["type"]
    check_args(kind, raw, SCHEDULER_ARGS[kind], path)
