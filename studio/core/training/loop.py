"""The inner loops of training: one epoch of optimisation, one evaluation pass.

Kept apart from :mod:`studio.core.training.engine` (set-up, checkpoints, the run's life) so that the
hot path is short enough to read at a glance. Per batch it does only what a hand-written
PyTorch loop does, plus reading the loss back (one ``.item()``, free on the CPU; on a GPU the
values are read in groups of :attr:`EpochState.sync_every` so the device is not stalled) and a
check of the :class:`~studio.core.training.callbacks.Commands` flags.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from studio.core.base.i18n import tr
from studio.core.training.callbacks import BatchEvent, CallbackList, Commands
from studio.core.training.devices import all_reduce_sums, autocast, to_device_batch, unwrap_model
from studio.core.training.distributed import average_losses_and_stop, eval_shard_size
from studio.core.training.optim import Schedule

if TYPE_CHECKING:
    import torch
    import torch.nn as nn


class NonFiniteLoss(Exception):
    """The training loss became NaN or infinite at (epoch, batch)."""

    def __init__(self, epoch: int, batch: int, value: float) -> None:
        self.epoch, self.batch, self.value = epoch, batch, value
        super().__init__(f"the training loss became {value} at epoch {epoch}, batch {batch}")


class StopRequested(Exception):
    """A stop command arrived between two batches (``batch`` training batches were done)."""

    def __init__(self, batch: int, in_validation: bool = False) -> None:
        self.batch = batch
        self.in_validation = in_validation
        super().__init__(tr("stopped after {batch} batches", batch=batch))


@dataclass
class EpochState:
    """Running sums of one epoch's training phase; saved in a mid-epoch checkpoint."""

    epoch: int
    batches_done: int = 0
    loss_sum: float = 0.0
    correct: int = 0
    seen: int = 0
    seconds: float = 0.0  # training time so far (pauses excluded)
    lr: float = 0.0
    data_rng: Any = None  # the data generator's state when the epoch began
    sync_every: int = 1
    batches: int = 0  # batches this epoch yields (for the events)
    clock: float = 0.0  # perf_counter when the current stretch of training began
    pause_mark: float = 0.0  # LoopContext.paused_seconds at that moment
    pending: list[tuple[int, Any, Any, int, float]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The weights-only-loadable form (for ``last.pt`` after a stop)."""
        return {
            "epoch": self.epoch,
            "batch": self.batches_done,
            "loss_sum": self.loss_sum,
            "correct": self.correct,
            "seen": self.seen,
            "seconds": self.seconds,
            "lr": self.lr,
            "data_rng": self.data_rng,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any], sync_every: int) -> EpochState:
        """Rebuild from :meth:`to_dict`."""
        return cls(
            epoch=int(d["epoch"]),
            batches_done=int(d["batch"]),
            loss_sum=float(d["loss_sum"]),
            correct=int(d["correct"]),
            seen=int(d["seen"]),
            seconds=float(d["seconds"]),
            lr=float(d.get("lr", 0.0)),
            data_rng=d["data_rng"],
            sync_every=sync_every,
        )


@dataclass
class LoopContext:
    """Everything the inner loops touch, built once per run by the engine."""

    model: nn.Module
    optimizer: torch.optim.Optimizer
    schedule: Schedule
    criterion: Any
    device: torch.device
    amp: Any  # the autocast dtype, None for float32
    scaler: Any
    grad_clip: float | None
    channels_last: bool
    callbacks: CallbackList
    commands: Commands
    batch_size: int
    epochs: int
    rank: int = 0
    world_size: int = 1
    augment: bool = True
    drop_last: bool = False
    wants_batches: bool = True
    paused_seconds: float = 0.0
    trainable: list[Any] = field(default_factory=list)
    stop_agreed: bool = False  # torchrun: every rank has seen the stop (see sync_ranks)
    tta: bool = False  # evaluation averages each image's logits with its mirror image's


def check_commands(
    ctx: LoopContext, state: EpochState | None, batch: int, in_validation: bool = False
) -> None:
    """Between batches: block while paused, raise :class:`StopRequested` on a stop."""
    commands = ctx.commands
    if commands.paused and not commands.stop_requested:
        if state is not None:
            flush(ctx, state)
        ctx.callbacks.on_pause()
        t = time.perf_counter()
        commands.wait_while_paused()
        ctx.paused_seconds += time.perf_counter() - t
        if not commands.stop_requested:
            ctx.callbacks.on_resume()
    # under torchrun a stop acts only once all ranks agree on it (sync_ranks), at the same batch
    if commands.stop_requested and (ctx.world_size <= 1 or ctx.stop_agreed):
        raise StopRequested(batch, in_validation)


def sync_ranks(ctx: LoopContext, state: EpochState) -> None:
    """torchrun: pending losses become their mean over ranks; a stop on any rank is agreed.

    Runs at the same batches on every rank (before each flush), so a NaN or a stop ends every
    rank at the same batch (see :func:`studio.core.training.distributed.average_losses_and_stop`).
    """
    if ctx.world_size <= 1:
        return

    losses, stop = average_losses_and_stop(
        [p[1] for p in state.pending], ctx.commands.stop_requested, ctx.device
    )
    state.pending = [(p[0], loss, p[2], p[3], p[4]) for p, loss in zip(state.pending, losses, strict=True)]
    if stop:
        ctx.stop_agreed = True
        if not ctx.commands.stop_requested:
            ctx.commands.stop()


def flush(ctx: LoopContext, state: EpochState) -> None:
    """Read pending per-batch values back, check them, add them up, emit batch events."""
    if not state.pending:
        return
    import torch

    pending, state.pending = state.pending, []
    if len(pending) == 1:
        losses = [pending[0][1].item()]
        corrects = [int(pending[0][2].item())]
    else:
        losses = torch.stack([p[1] for p in pending]).tolist()
        corrects = [int(v) for v in torch.stack([p[2] for p in pending]).tolist()]
    for (index, _, _, n, lr), loss, correct in zip(pending, losses, corrects, strict=False):
        if not math.isfinite(loss):
            raise NonFiniteLoss(state.epoch, index + 1, loss)
        state.loss_sum += loss * n
        state.correct += correct
        state.seen += n
        state.lr = lr
        if ctx.wants_batches:
            elapsed = (
                state.seconds + (time.perf_counter() - state.clock) - (ctx.paused_seconds - state.pause_mark)
            )
            event: BatchEvent = {
                "event": "batch",
                "epoch": state.epoch,
                "epochs": ctx.epochs,
                "batch": index + 1,
                "batches": state.batches,
                "loss": loss,
                "acc": correct / n if n else 0.0,
                "lr": lr,
                "images_per_second": state.seen / elapsed if elapsed > 0 else 0.0,
                "seconds": elapsed,
            }
            ctx.callbacks.on_batch_end(event)


def train_epoch(
    ctx: LoopContext, split: Any, state: EpochState, generator: torch.Generator, batches: int
) -> None:
    """Train one epoch (or what is left of it after a mid-epoch resume) into ``state``.

    Raises :class:`StopRequested` (a stop command), :class:`NonFiniteLoss` (NaN/inf loss).
    """
    import torch

    model, optimizer, schedule = ctx.model, ctx.optimizer, ctx.schedule
    state.batches = batches
    skip = state.batches_done
    kwargs: dict[str, Any] = {}
    if ctx.device.type != "cpu":
        kwargs["device"] = ctx.device
    iterator = split.batches(
        ctx.batch_size,
        shuffle=True,
        generator=generator,
        augment=ctx.augment,
        drop_last=ctx.drop_last,
        rank=ctx.rank,
        world_size=ctx.world_size,
        **kwargs,
    )
    state.pause_mark = ctx.paused_seconds
    state.clock = time.perf_counter()
    amp, scaler, clip = ctx.amp, ctx.scaler, ctx.grad_clip
    try:
        for i, (x, y) in enumerate(iterator):
            if i < skip:  # replaying the batches trained before a mid-epoch stop
                continue
            check_commands(ctx, state, i)
            x, y = to_device_batch(x, y, ctx.device, ctx.channels_last)
            lr = optimizer.param_groups[0]["lr"]
            with autocast(ctx.device, amp):
                out = model(x)
                loss = ctx.criterion(out, y)
            optimizer.zero_grad(set_to_none=True)
            if scaler is not None:
                scaler.scale(loss).backward()
                if clip:
                    scaler.unscale_(optimizer)
                    torch.nn.utils.clip_grad_norm_(ctx.trainable, clip)
                scaler.step(optimizer)
                scaler.update()
            else:
                loss.backward()
                if clip:
                    torch.nn.utils.clip_grad_norm_(ctx.trainable, clip)
                optimizer.step()
            schedule.after_batch()
            state.batches_done = i + 1
            state.pending.append((i, loss.detach(), (out.detach().argmax(1) == y).sum(), y.shape[0], lr))
            if len(state.pending) >= state.sync_every:
                sync_ranks(ctx, state)
                flush(ctx, state)
        sync_ranks(ctx, state)
        flush(ctx, state)
    finally:
        close = getattr(iterator, "close", None)
        if close is not None:
            close()
        now = time.perf_counter()
        state.seconds += now - state.clock - (ctx.paused_seconds - state.pause_mark)
    if ctx.world_size > 1:
        state.loss_sum, correct, seen = all_reduce_sums(
            [state.loss_sum, state.correct, state.seen], ctx.device
        )
        state.correct, state.seen = int(correct), int(seen)


def eval_logits(model: Any, x: Any, tta: bool) -> Any:
    """The model's logits for ``x``; with ``tta``, the mean of those of ``x`` and its mirror image.

    Test-time flip averaging: a photo mirrored left-right shows the same class, so averaging
    the two predictions removes some of the network's left-right noise (training with random
    flips taught it both views). It doubles the cost of evaluation, not of training.
    """
    out = model(x)
    if tta:
        out = (out.float() + model(x.flip(3)).float()) * 0.5
    return out


def evaluate(ctx: LoopContext, split: Any, check: bool = True) -> tuple[float, float]:
    """``(mean loss, accuracy)`` of the model on ``split``; stops between batches on a stop."""
    import torch
    import torch.nn.functional as F

    model = unwrap_model(ctx.model)  # no DDP collectives while ranks evaluate their own shards
    limit = eval_shard_size(len(split), ctx.rank, ctx.world_size)  # the padding is not counted
    was_training = model.training
    model.eval()
    kwargs: dict[str, Any] = {}
    if ctx.device.type != "cpu":
        kwargs["device"] = ctx.device
    loss_sum = torch.zeros((), dtype=torch.float64, device=ctx.device)
    correct = torch.zeros((), dtype=torch.int64, device=ctx.device)
    seen = 0
    smoothing = float(getattr(ctx.criterion, "label_smoothing", 0.0))
    iterator = split.batches(
        ctx.batch_size * 2, shuffle=False, augment=False, rank=ctx.rank, world_size=ctx.world_size, **kwargs
    )
    try:
        with torch.inference_mode():
            for i, (x, y) in enumerate(iterator):
                if check:
                    check_commands(ctx, None, i, in_validation=True)
                if seen + y.shape[0] > limit:
                    x, y = x[: max(0, limit - seen)], y[: max(0, limit - seen)]
                    if y.shape[0] == 0:
                        continue
                x, y = to_device_batch(x, y, ctx.device, ctx.channels_last)
                with autocast(ctx.device, ctx.amp):
                    out = eval_logits(model, x, ctx.tta)
                loss_sum += F.cross_entropy(out.float(), y, reduction="sum", label_smoothing=smoothing)
                correct += (out.argmax(1) == y).sum()
                seen += y.shape[0]
    finally:
        close = getattr(iterator, "close", None)
        if close is not None:
            close()
        model.train(was_training)
    total_loss, total_correct, total_seen = all_reduce_sums(
        [loss_sum.item(), float(correct.item()), seen], ctx.device
    )
    if total_seen <= 0:
        return float("nan"), 0.0
    return total_loss / total_seen, total_correct / total_seen
