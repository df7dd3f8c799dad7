"""Optimizers and learning-rate schedules from a project's ``training`` section.

``training.optimizer`` is ``{"type": "SGD" | "Adam" | "AdamW", "lr": ..., **torch kwargs}``;
``training.scheduler`` is ``{"type": "StepLR" | "CosineAnnealingLR" | "OneCycleLR" |
"ReduceLROnPlateau", **torch kwargs}`` or null. Keys are PyTorch's own argument names; only
the ones that need a run's shape (``T_max``, ``total_steps``) get defaults from it.
:class:`Schedule` hides the one real difference between them: when they step.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from studio.core.base.errors import ProjectError
from studio.core.base.i18n import tr
from studio.core.project.project_file import MONITORS

if TYPE_CHECKING:
    import torch


def build_optimizer(spec: dict[str, Any], params: Iterable[Any]) -> torch.optim.Optimizer:
    """The optimizer ``spec`` describes, over ``params`` (parameters or parameter-group dicts)."""
    import torch

    params = list(params)
    flat = [p for item in params for p in (item["params"] if isinstance(item, dict) else [item])]
    if not flat:
        raise ProjectError(
            "model",
            tr(
                'the network has no trainable parameters (is everything frozen?); set model.freeze to "none" or add a trainable layer'
            ),
        )
    kind = spec.get("type", "AdamW")
    classes = {"SGD": torch.optim.SGD, "Adam": torch.optim.Adam, "AdamW": torch.optim.AdamW}
    if kind not in classes:
        raise ProjectError(
            "training.optimizer.type",
            tr("must be one of {allowed}, got {value}", allowed=", ".join(classes), value=repr(kind)),
        )
    cls = classes[kind]
    kwargs = _known_kwargs(cls, {k: v for k, v in spec.items() if k != "type"}, "training.optimizer")
    if kind == "SGD" and kwargs.get("nesterov") and not kwargs.get("momentum"):
        raise ProjectError(
            "training.optimizer.nesterov",
            tr("Nesterov momentum needs a momentum > 0 (e.g. 0.9); set momentum or turn nesterov off"),
        )
    try:
        return cls(params, **kwargs)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError, IndexError, KeyError) as exc:
        raise ProjectError("training.optimizer", f"{kind}: {exc}") from None


def _known_kwargs(cls: type, given: dict[str, Any], path: str) -> dict[str, Any]:
    allowed = set(inspect.signature(cls).parameters) - {"self", "params", "optimizer"}
    unknown = sorted(set(given) - allowed)
    if unknown:
        raise ProjectError(
            f"{path}.{unknown[0]}",
            tr(
                "is not an argument of {kind}; allowed: {allowed}",
                kind=cls.__name__,
                allowed=", ".join(sorted(allowed)),
            ),
        )
    return dict(given)


class Schedule:
    """A learning-rate scheduler plus when to step it (per batch, per epoch, on a metric)."""

    def __init__(self, scheduler: Any | None, per_batch: bool, on_metric: str | None) -> None:
        self.scheduler = scheduler
        self.per_batch = per_batch
        self.on_metric = on_metric  # ReduceLROnPlateau watches this epoch metric

    def after_batch(self) -> None:
        """Step a per-batch schedule (OneCycleLR)."""
        if self.per_batch and self.scheduler is not None:
            self.scheduler.step()

    def after_epoch(self, metrics: dict[str, Any]) -> None:
        """Step a per-epoch schedule; ReduceLROnPlateau reads its metric from ``metrics``."""
        if self.scheduler is None or self.per_batch:
            return
        if self.on_metric is not None:
            value = monitored_value(metrics, self.on_metric)
            if value is not None:
                self.scheduler.step(value)
        else:
            self.scheduler.step()

    def state_dict(self) -> dict[str, Any] | None:
        """The scheduler's state, for checkpoints."""
        return None if self.scheduler is None else self.scheduler.state_dict()

    def load_state_dict(self, state: dict[str, Any] | None) -> None:
        """Restore :meth:`state_dict`'s output."""
        if self.scheduler is not None and state is not None:
            self.scheduler.load_state_dict(state)


def build_schedule(
    spec: dict[str, Any] | None, optimizer: torch.optim.Optimizer, epochs: int, steps_per_epoch: int
) -> Schedule:
    """The schedule ``spec`` describes for a run of ``epochs`` x ``steps_per_epoch`` steps."""
    import torch.optim.lr_scheduler as lrs

    if not spec or spec.get("type") in (None, "none", "None"):
        return Schedule(None, False, None)
    kind = spec["type"]
    kwargs = {k: v for k, v in spec.items() if k != "type"}
    path = "training.scheduler"
    if kind == "StepLR":
        kwargs.setdefault("step_size", max(1, epochs // 3))
        return Schedule(_make(lrs.StepLR, optimizer, kwargs, path), False, None)
    if kind == "CosineAnnealingLR":
        kwargs.setdefault("T_max", epochs)
        return Schedule(_make(lrs.CosineAnnealingLR, optimizer, kwargs, path), False, None)
    if kind == "OneCycleLR":
        # a scalar peak is the head's; other groups (a pretrained backbone) keep their lr_mult
        peak = kwargs.get("max_lr")
        groups = optimizer.param_groups
        if peak is None:
            kwargs["max_lr"] = [group["lr"] for group in groups]
        elif isinstance(peak, (int, float)) and len(groups) > 1:
            kwargs["max_lr"] = [float(peak) * float(group.get("lr_mult", 1.0)) for group in groups]
        if "total_steps" not in kwargs:
            kwargs["epochs"] = kwargs.get("epochs", epochs)
            kwargs["steps_per_epoch"] = kwargs.get("steps_per_epoch", max(1, steps_per_epoch))
        planned = kwargs.get("total_steps") or kwargs["epochs"] * kwargs["steps_per_epoch"]
        needed = epochs * max(1, steps_per_epoch)
        if planned < needed:  # PyTorch raises "Tried to step N times" halfway through the run
            key = "total_steps" if "total_steps" in kwargs else "epochs"
            raise ProjectError(
                f"{path}.{key}",
                tr(
                    "OneCycleLR plans {planned} steps but this run takes {needed} ({epochs} epochs x {batches} batches); remove it to fit the run",
                    planned=planned,
                    needed=needed,
                    epochs=epochs,
                    batches=max(1, steps_per_epoch),
                ),
            )
        return Schedule(_make(lrs.OneCycleLR, optimizer, kwargs, path), True, None)
    if kind == "ReduceLROnPlateau":
        monitor = kwargs.pop("monitor", "val_loss")
        if monitor not in MONITORS:
            raise ProjectError(
                f"{path}.monitor",
                tr("must be val_loss, val_acc, train_loss or train_acc, got {monitor!r}", monitor=monitor),
            )
        kwargs.setdefault("mode", "max" if monitor.endswith("acc") else "min")
        return Schedule(_make(lrs.ReduceLROnPlateau, optimizer, kwargs, path), False, monitor)
    raise ProjectError(
        f"{path}.type",
        tr("must be StepLR, CosineAnnealingLR, OneCycleLR or ReduceLROnPlateau, got {kind!r}", kind=kind),
    )


def metric_value(event: Mapping[str, Any], name: str) -> float | None:
    """The finite number ``event[name]``, else None."""
    value = event.get(name)
    return float(value) if isinstance(value, (int, float)) and math.isfinite(value) else None


def monitored_value(event: Mapping[str, Any], monitor: str) -> float | None:
    """``monitor``'s value in an epoch event; with no validation split, a ``val_`` monitor reads
    its training counterpart (``val_acc`` -> ``train_acc``: the same direction of "better").
    Early stopping and ReduceLROnPlateau both read their metric through this."""
    value = metric_value(event, monitor)
    if value is None and monitor.startswith("val_"):
        value = metric_value(event, "train_" + monitor[4:])
    return value


def _make(cls: type, optimizer: torch.optim.Optimizer, kwargs: dict[str, Any], path: str) -> Any:
    kwargs = _known_kwargs(cls, kwargs, path)
    try:
        return cls(optimizer, **kwargs)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError, IndexError, KeyError) as exc:
        raise ProjectError(path, f"{cls.__name__}: {exc}") from None
