"""How the training engine talks to its listeners: events out, commands in.

The engine (:mod:`studio.core.training.engine`) knows nothing about terminals or windows. It calls the
typed, no-op hooks of :class:`Callback` (PyTorch Lightning's idea) with plain dicts, and reads
a thread-safe :class:`Commands` object between batches. The CLI's progress bar and the GUI's
worker thread are two callbacks of the same engine; the GUI forwards each dict as a Qt signal.

Every event dict is JSON-ready (numbers, strings, lists, ``None``); the epoch and end events
are exactly the lines that go into ``metrics.jsonl`` (docs/contract.md).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypedDict

if TYPE_CHECKING:
    from studio.core.training.loop import EpochState


class StartEvent(TypedDict, total=False):
    """``on_start``: what is about to train."""

    event: str  # "start"
    run_dir: str
    epochs: int
    start_epoch: int  # the first epoch this call trains (> 1 after a resume)
    batches: int  # training batches per epoch
    train_size: int
    val_size: int
    test_size: int
    classes: list[str]
    device: str
    threads: int  # CPU threads torch uses
    mixed_precision: bool
    precision: str  # "fp32", "bf16" or "fp16" (autocast dtype; weights stay float32)
    params: int
    trainable_params: int
    resumed: bool
    forked_from: dict[str, Any] | None
    history: list[dict[str, Any]]  # epoch events already done (a resume)


class BatchEvent(TypedDict):
    """``on_batch_end``: one optimisation step done."""

    event: str  # "batch"
    epoch: int
    epochs: int
    batch: int  # 1-based
    batches: int
    loss: float
    acc: float
    lr: float
    images_per_second: float
    seconds: float  # since the epoch's training phase began (pauses excluded)


class EpochEvent(TypedDict, total=False):
    """``on_epoch_end``: one ``epoch`` line of metrics.jsonl (docs/contract.md)."""

    event: str  # "epoch"
    epoch: int
    train_loss: float
    train_acc: float
    val_loss: float | None
    val_acc: float | None
    lr: float
    seconds: float
    images_per_second: float
    best: bool  # this epoch is the best so far by the monitored metric


class EndEvent(TypedDict, total=False):
    """``on_end``: the ``end`` line, the last of metrics.jsonl (docs/contract.md)."""

    event: str  # "end"
    status: str  # "completed" | "stopped" | "failed"
    best_epoch: int | None
    best_val_acc: float | None
    test_acc: float | None
    test_loss: float | None
    epochs_done: int
    seconds: float
    message: str  # when failed or stopped early
    reason: str  # "early_stopping", "user", "nan", "error"
    run_dir: str


class Callback:
    """A listener of one training run. Override the hooks you need; all are no-ops.

    Hooks run on the training thread, between batches, so they must be quick: the GUI bridge
    only emits a queued signal, the CLI only redraws a line. An exception raised by a hook
    fails the run like any other error in the loop.
    """

    def on_start(self, event: StartEvent) -> None:
        """The model, data and optimizer are ready; training is about to begin."""

    def on_epoch_start(self, epoch: int, epochs: int) -> None:
        """Epoch ``epoch`` (1-based) of ``epochs`` begins."""

    def on_batch_end(self, event: BatchEvent) -> None:
        """A training batch finished (loss, accuracy, learning rate, speed)."""

    def on_validation_start(self, epoch: int) -> None:
        """The validation pass of ``epoch`` begins."""

    def on_epoch_end(self, event: EpochEvent) -> None:
        """An epoch finished; ``event`` is the line just appended to metrics.jsonl."""

    def on_pause(self) -> None:
        """The run paused between two batches (a :meth:`Commands.pause`)."""

    def on_resume(self) -> None:
        """A paused run goes on."""

    def on_log(self, message: str) -> None:
        """A human-readable note (device choice, a resume, checkpoint problems...)."""

    def on_end(self, event: EndEvent) -> None:
        """The run ended, however it ended; ``event`` is metrics.jsonl's last line."""


class RunCallback(Callback):
    """A callback the engine itself runs: one concern of a run (checkpoints, early stopping...).

    Besides the event hooks it may keep state that a checkpoint carries (:meth:`state_dict`
    under :attr:`state_key`, restored by :meth:`load_state_dict` on a resume), hear of a stop
    mid-epoch with the epoch's running sums (:meth:`on_interrupted`), and ask the loop to end
    after this epoch by setting :attr:`finish` to a message. The engine calls these before
    the listeners it was given, so a listener's epoch event is already marked and saved.
    """

    #: the checkpoint key of :meth:`state_dict` (None: nothing to save)
    state_key: str | None = None

    def __init__(self) -> None:
        self.finish: str | None = None

    def state_dict(self) -> dict[str, Any]:
        """What a checkpoint keeps of this callback."""
        return {}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Take back what :meth:`state_dict` returned (a resume)."""

    def on_interrupted(self, epoch: int, state: EpochState) -> None:
        """A stop arrived during ``epoch``; ``state`` holds its running sums (batches done...)."""


class CallbackList(Callback):
    """Calls every hook on each callback in order: the engine holds exactly one of these."""

    def __init__(self, callbacks: Iterable[Callback] = ()) -> None:
        self.callbacks: list[Callback] = list(callbacks)

    def wants(self, hook: str) -> bool:
        """Whether any callback overrides ``hook`` (lets the engine skip work nobody reads)."""
        base = getattr(Callback, hook)
        return any(getattr(type(cb), hook, base) is not base for cb in self.callbacks)

    def on_start(self, event: StartEvent) -> None:  # noqa: D102 - dispatch
        for cb in self.callbacks:
            cb.on_start(event)

    def on_epoch_start(self, epoch: int, epochs: int) -> None:  # noqa: D102
        for cb in self.callbacks:
            cb.on_epoch_start(epoch, epochs)

    def on_batch_end(self, event: BatchEvent) -> None:  # noqa: D102
        for cb in self.callbacks:
            cb.on_batch_end(event)

    def on_validation_start(self, epoch: int) -> None:  # noqa: D102
        for cb in self.callbacks:
            cb.on_validation_start(epoch)

    def on_epoch_end(self, event: EpochEvent) -> None:  # noqa: D102
        for cb in self.callbacks:
            cb.on_epoch_end(event)

    def on_pause(self) -> None:  # noqa: D102
        for cb in self.callbacks:
            cb.on_pause()

    def on_resume(self) -> None:  # noqa: D102
        for cb in self.callbacks:
            cb.on_resume()

    def on_log(self, message: str) -> None:  # noqa: D102
        for cb in self.callbacks:
            cb.on_log(message)

    def on_end(self, event: EndEvent) -> None:  # noqa: D102
        for cb in self.callbacks:
            cb.on_end(event)


class Commands:
    """Pause, resume and stop a run from any thread; the engine reads it between batches.

    Pausing blocks the training thread on a :class:`threading.Event` (no CPU is burnt);
    :meth:`stop` also wakes a paused run so that it can end. Stopping takes effect after the
    batch in progress, then the engine writes a checkpoint and an ``end`` event ``stopped``.
    """

    def __init__(self) -> None:
        self._go = threading.Event()
        self._go.set()
        self._stop = threading.Event()
        self.stop_reason = "user"

    def pause(self) -> None:
        """Hold the run after the current batch until :meth:`resume` or :meth:`stop`."""
        if not self._stop.is_set():
            self._go.clear()

    def resume(self) -> None:
        """Let a paused run go on."""
        self._go.set()

    def stop(self, reason: str = "user") -> None:
        """End the run after the current batch (a checkpoint is written first)."""
        self.stop_reason = reason
        self._stop.set()
        self._go.set()

    @property
    def paused(self) -> bool:
        """A pause is requested or in force."""
        return not self._go.is_set()

    @property
    def stop_requested(self) -> bool:
        """A stop is requested."""
        return self._stop.is_set()

    def wait_while_paused(self, timeout: float | None = None) -> bool:
        """Block while paused; True once the run may go on (resumed or stopped)."""
        return self._go.wait(timeout)
