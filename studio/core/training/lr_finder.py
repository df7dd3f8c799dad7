"""The learning-rate range test: which learning rate should a project start from?

Leslie Smith's test, as fastai's ``lr_find`` made it popular: train a *copy* of the project's
network for at most ``num_batches`` batches while the learning rate grows exponentially from
``start_lr`` to ``end_lr``, and record the loss. The loss first stays flat (the rate is too
small to move anything), then falls (the useful range), then explodes (too large). The sweep
stops early once the smoothed loss passes ``diverge`` times its best value.

The suggestion is a tenth of the rate where the smoothed loss is lowest, a third for a one-cycle
schedule's peak (:func:`suggest_lr`). Nothing is written: the project, its weights and any run
are untouched.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from studio.core.base.errors import UserError
from studio.core.base.i18n import tr
from studio.core.model.builder import build_model
from studio.core.training.devices import resolve_device
from studio.core.training.finetune import param_groups
from studio.core.training.optim import build_optimizer

if TYPE_CHECKING:
    from studio.core.data.datasets import DataBundle
    from studio.core.project.project_file import Project

log = logging.getLogger(__name__)

MAX_BATCHES = 100


@dataclass
class LRFinderResult:
    """The sweep: per step the rate and the smoothed loss, and the suggested rate."""

    lrs: list[float] = field(default_factory=list)
    losses: list[float] = field(default_factory=list)
    raw_losses: list[float] = field(default_factory=list)
    suggested: float | None = None
    stopped_early: bool = False  # the loss diverged before the last batch

    def to_json(self) -> dict[str, Any]:
        """The ``lr-find --json`` body: ``{"lrs", "losses", "suggested"}`` (+ ``stopped_early``)."""
        return {
            "lrs": self.lrs,
            "losses": self.losses,
            "suggested": self.suggested,
            "stopped_early": self.stopped_early,
        }


def rate_key(project: Project) -> str:
    """The project-file key a suggested rate belongs in: a one-cycle schedule's peak
    (``training.scheduler.max_lr``) drives the rate when there is one, else the optimizer's."""
    scheduler = project.training.scheduler or {}
    if scheduler.get("type") == "OneCycleLR" and "max_lr" in scheduler:
        return "training.scheduler.max_lr"
    return "training.optimizer.lr"


def current_rate(project: Project) -> float | None:
    """The rate at :func:`rate_key` now."""
    if rate_key(project) == "training.scheduler.max_lr":
        return float((project.training.scheduler or {})["max_lr"])
    lr = project.training.optimizer.get("lr")
    return float(lr) if isinstance(lr, (int, float)) else None


def rate_edit(project: Project, rate: float) -> tuple[str, str, dict[str, Any]]:
    """``(section, key, value)`` that puts ``rate`` where :func:`rate_key` says: the whole
    optimizer or scheduler object with its rate replaced (one undoable ``set_field``)."""
    if rate_key(project) == "training.scheduler.max_lr":
        scheduler = dict(project.training.scheduler or {})
        scheduler["max_lr"] = float(f"{rate:.3g}")
        return "training", "scheduler", scheduler
    optimizer = dict(project.training.optimizer)
    optimizer["lr"] = float(f"{rate:.3g}")
    return "training", "optimizer", optimizer


def suggest_lr(lrs: list[float], losses: list[float], one_cycle: bool = False) -> float | None:
    """A rate below the one where the smoothed loss is lowest: a tenth of it, or a third for the
    peak of a one-cycle schedule.

    At the minimum the rate is about to make training diverge. A constant rate must stay well
    below it (a tenth, fastai's "minimum" rule); a one-cycle schedule spends only a short
    stretch at its peak, between a warm-up and a long annealing, so its peak may sit much
    closer (Leslie Smith takes "the largest rate at which the loss still falls"; a third keeps
    a margin). Checked with ``benchmarks/lr_finder.py`` against the best rate of a one-epoch
    grid on ``sample-cnn`` and ``fashion-mnist-cnn``, whose recipes are one-cycle: the
    steepest-slope and "valley" rules suggested 4-18x too small, a tenth 2-7x too small, a
    third within 2.2x. ``None`` when the curve is too short or the loss never fell below 90%
    of its start.
    """
    n = len(lrs)
    if n != len(losses) or n < 5:
        return None
    best = min(range(n), key=losses.__getitem__)
    if best == 0 or losses[best] > 0.9 * losses[0]:
        return None
    return float(lrs[best] / (3 if one_cycle else 10))


def lr_schedule(start_lr: float, end_lr: float, steps: int) -> list[float]:
    """``steps`` rates from ``start_lr`` to ``end_lr``, equally spaced on a log scale."""
    if not (0 < start_lr < end_lr):
        raise UserError(
            tr(
                "lr-find: the start rate must be positive and below the end rate (got {start_lr:g} and {end_lr:g})",
                start_lr=start_lr,
                end_lr=end_lr,
            )
        )
    if steps < 2:
        raise UserError(tr("lr-find: it needs at least 2 batches"))
    ratio = (end_lr / start_lr) ** (1 / (steps - 1))
    return [start_lr * ratio**i for i in range(steps)]


def find_lr(
    project: Project,
    *,
    data: DataBundle | None = None,
    num_batches: int = MAX_BATCHES,
    start_lr: float = 1e-6,
    end_lr: float = 1.0,
    diverge: float = 4.0,
    device: str | None = "cpu",
    on_step: Callable[[int, float, float], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> LRFinderResult:
    """Run the range test on a fresh copy of ``project``'s network (see the module docstring).

    ``on_step(step, lr, smoothed_loss)`` hears each batch (for a live plot); ``cancel()``
    returning true ends the sweep with what it has.
    """
    import torch  # lazy: the CLI parser and the GUI start without torch
    import torch.nn as nn

    from studio.core.data.datasets import load_data  # lazy: pulls in torch

    num_batches = max(2, min(int(num_batches), MAX_BATCHES))
    t = project.training
    torch.manual_seed(t.seed)
    generator = torch.Generator().manual_seed(t.seed)
    bundle = data if data is not None else load_data(project, cancel=cancel)
    dev = resolve_device(device or t.device)
    model = build_model(project, num_classes=bundle.num_classes)
    spec = dict(t.optimizer)
    spec["lr"] = start_lr
    if project.model.kind == "pretrained":  # built in its first epoch's freeze state
        params: list[Any] = param_groups(model, project.model.arch, start_lr, project.model)
    else:
        params = [p for p in model.parameters() if p.requires_grad]
    model.to(dev).train()
    optimizer = build_optimizer(spec, params)
    base = [g["lr"] for g in optimizer.param_groups]  # backbone groups keep their multiplier
    criterion = nn.CrossEntropyLoss(label_smoothing=float(t.label_smoothing))
    per_epoch = bundle.train.num_batches(t.batch_size)
    steps = min(num_batches, max(2, per_epoch * 50))
    lrs = lr_schedule(start_lr, end_lr, steps)
    result = LRFinderResult()
    best = math.inf
    avg = 0.0
    step = 0
    while step < steps:
        batches = bundle.train.batches(t.batch_size, shuffle=True, generator=generator, augment=True)
        for x, y in batches:
            if step >= steps or (cancel is not None and cancel()):
                break
            for group, b in zip(optimizer.param_groups, base, strict=True):
                group["lr"] = lrs[step] * b / start_lr
            x, y = x.to(dev), y.to(dev)
            loss = criterion(model(x), y)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            value = float(loss.detach())
            if not math.isfinite(value):
                result.stopped_early = True
                break
            step += 1
            avg = 0.9 * avg + 0.1 * value
            smoothed = avg / (1 - 0.9**step)
            result.lrs.append(lrs[step - 1])
            result.raw_losses.append(value)
            result.losses.append(smoothed)
            if on_step is not None:
                on_step(step, lrs[step - 1], smoothed)
            best = min(best, smoothed)
            if step > 5 and smoothed > diverge * best:
                result.stopped_early = True
                break
        close = getattr(batches, "close", None)
        if close is not None:
            close()  # a folder split's decoding workers
        if result.stopped_early or (cancel is not None and cancel()):
            break
    if data is None:
        bundle.close()
    result.suggested = suggest_lr(
        result.lrs, result.losses, one_cycle=rate_key(project) == "training.scheduler.max_lr"
    )
    log.info("lr-find: %d steps, suggested %s", len(result.lrs), result.suggested)
    return result
