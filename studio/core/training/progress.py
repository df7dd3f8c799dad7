"""Qt-free helpers for showing a training run's progress: throttling, smoothing, ETA, formats.

The training page and its worker thread are thin Qt shells around these: the worker asks a
:class:`Throttle` whether it is time to report, the page smooths the per-batch loss with an
:class:`EmaSmoother` and asks an :class:`EtaEstimator` how long is left. Keeping them here lets
them be tested without a display and reused by the CLI's progress bar.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from studio.core.base.i18n import tr


class Throttle:
    """Says "now" at most once per ``interval`` seconds — to rate-limit signals and repaints.

    The first call to :meth:`ready` is always true, so the first batch shows at once.
    """

    def __init__(self, interval: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = float(interval)
        self._clock = clock
        self._last: float | None = None

    def ready(self) -> bool:
        """True (and restart the interval) when at least ``interval`` seconds have passed."""
        now = self._clock()
        if self._last is None or now - self._last >= self.interval:
            self._last = now
            return True
        return False

    def reset(self) -> None:
        """Forget the last report: the next :meth:`ready` is true."""
        self._last = None


class EmaSmoother:
    """An exponential moving average with start-up bias correction (TensorBoard's smoothing).

    ``weight`` 0 returns the raw values; 0.9 averages over roughly the last ten. Non-finite
    values pass through unchanged and do not poison the average (a NaN loss stays visible
    as a gap instead of wiping the smoothed curve).
    """

    def __init__(self, weight: float = 0.9) -> None:
        if not 0.0 <= weight < 1.0:
            raise ValueError(f"smoothing weight must be in [0, 1), got {weight}")
        self.weight = weight
        self._avg = 0.0
        self._n = 0

    def push(self, value: float) -> float:
        """Add one value; returns the smoothed value at this point."""
        value = float(value)
        if not math.isfinite(value):
            return value
        self._n += 1
        self._avg = self.weight * self._avg + (1.0 - self.weight) * value
        return self._avg / (1.0 - self.weight**self._n)

    def reset(self) -> None:
        """Start over (a new run)."""
        self._avg = 0.0
        self._n = 0


def smooth(values: Iterable[float], weight: float = 0.9) -> list[float]:
    """The whole series smoothed by :class:`EmaSmoother` (for curves read back from disk)."""
    smoother = EmaSmoother(weight)
    return [smoother.push(v) for v in values]


class EtaEstimator:
    """Time left in a run from the average pace since it (re)started.

    Progress is counted in batches: ``epochs_total`` epochs of ``batches`` batches each,
    starting after ``start_epoch`` completed epochs (a resumed run). Validation time is part
    of the measured pace, so the estimate includes it once an epoch has passed.
    """

    def __init__(
        self, epochs_total: int, start_epoch: int = 0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.epochs_total = max(1, int(epochs_total))
        self.start_epoch = max(0, int(start_epoch))
        self._clock = clock
        self._t0 = clock()
        self._done = 0.0  # epochs done in this session, fractional

    def update(self, epoch: int, batch: int, batches: int) -> None:
        """Record that ``batch`` of ``batches`` (1-based) of ``epoch`` (1-based) is done."""
        batches = max(1, int(batches))
        self._done = max(0.0, (epoch - 1 - self.start_epoch) + min(batch, batches) / batches)

    @property
    def fraction(self) -> float:
        """Fraction of the whole run done, 0..1 (completed earlier epochs included)."""
        return min(1.0, (self.start_epoch + self._done) / self.epochs_total)

    def remaining(self) -> float | None:
        """Seconds left, or None until there is enough progress to tell."""
        if self._done <= 0.0:
            return None
        elapsed = self._clock() - self._t0
        todo = self.epochs_total - self.start_epoch - self._done
        return max(0.0, elapsed / self._done * todo)


def format_duration(seconds: float | None) -> str:
    """``"–"`` for unknown, ``"42 s"``, ``"3:07"`` (m:ss) or ``"1:02:03"`` (h:mm:ss)."""
    if seconds is None or not math.isfinite(seconds):
        return "–"
    s = int(round(max(0.0, seconds)))
    if s < 60:
        return f"{s} s"
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def format_rate(images_per_second: float | None) -> str:
    """``"1,234 img/s"`` (``"–"`` when unknown)."""
    if images_per_second is None or not math.isfinite(images_per_second) or images_per_second <= 0:
        return "– img/s"
    if images_per_second >= 100:
        return f"{images_per_second:,.0f} img/s"
    return f"{images_per_second:.1f} img/s"


def format_accuracy(value: float | None) -> str:
    """A 0..1 accuracy as ``"97.31%"`` (``"–"`` when unknown)."""
    if value is None or not isinstance(value, (int, float)) or not math.isfinite(value):
        return "–"
    return f"{100.0 * value:.2f}%"


# --------------------------------------------------------------------------- one wording per event
# The CLI's printer (studio.commands.train.ProgressPrinter) and the GUI's training log both
# write these lines, so an event reads the same wherever it is shown. Each clause is one
# template of the core's message catalogue (studio.core.base.i18n), so the lines follow the
# language (LANG, --lang, the GUI's language menu); numbers, devices and times stay as they are.


def start_line(info: dict[str, Any]) -> str:
    """The line for an engine ``start`` event: what trains where, on what data."""
    device = str(info.get("device", "?"))
    n = info.get("threads") or 0
    if info.get("device") == "cpu" and n:
        device = (
            tr("{device} (1 thread)", device=device)
            if n == 1
            else tr("{device} ({n} threads)", device=device, n=n)
        )
    params = info.get("params")
    if isinstance(params, int):
        head = tr("training {params} parameters on {device}", params=f"{params:,}", device=device)
    else:
        head = tr("training on {device}", device=device)
    if info.get("mixed_precision"):
        head += ", " + tr("{precision} mixed precision", precision=info.get("precision"))
    fields = {
        "classes": len(info.get("classes") or []),
        "train": _count(info.get("train_size")),
        "val": _count(info.get("val_size")),
        "batches": info.get("batches", "?"),
    }
    if info.get("test_size"):
        data = tr(
            "{classes} classes, {train} train / {val} val / {test} test images, {batches} batches per epoch",
            test=_count(info["test_size"]),
            **fields,
        )
    else:
        data = tr(
            "{classes} classes, {train} train / {val} val images, {batches} batches per epoch", **fields
        )
    line = f"{head}: {data}"
    start = int(info.get("start_epoch") or 1)
    return line + (", " + tr("from epoch {epoch}", epoch=start) if start > 1 else "")


def epoch_line(event: dict[str, Any], epochs: int | None = None) -> str:
    """The line for an ``epoch`` event: losses, accuracies, rate, time and speed (``*``: the best so far)."""
    if epochs:
        head = tr("epoch {epoch}/{epochs}", epoch=event.get("epoch"), epochs=epochs)
    else:
        head = tr("epoch {epoch}", epoch=event.get("epoch"))
    train = tr(
        "train loss {loss} acc {acc}",
        loss=_loss(event.get("train_loss")),
        acc=format_accuracy(event.get("train_acc")),
    )
    parts = [f"{head}: {train}"]
    if _number(event.get("val_acc")) or _number(event.get("val_loss")):
        parts.append(
            tr(
                "val loss {loss} acc {acc}",
                loss=_loss(event.get("val_loss")),
                acc=format_accuracy(event.get("val_acc")),
            )
        )
    if _number(event.get("lr")):
        parts.append(tr("lr {lr}", lr=f"{event['lr']:.3g}"))
    parts.append(f"{format_duration(event.get('seconds'))}, {format_rate(event.get('images_per_second'))}")
    return " | ".join(parts) + (" *" if event.get("best") else "")


def end_line(end: dict[str, Any]) -> str:
    """The summary line for an ``end`` event: status, best validation and test accuracy, epochs, time."""
    status = str(end.get("status", "failed"))
    if status == "completed":
        head = tr("Run completed")
    elif status == "stopped":
        head = tr("Run stopped")
    elif status == "failed":
        head = tr("Run failed")
    else:
        head = tr("Run {status}", status=status)
    parts = [head]
    if _number(end.get("best_val_acc")):
        acc = format_accuracy(end["best_val_acc"])
        parts.append(
            tr("best val acc {acc} (epoch {epoch})", acc=acc, epoch=end["best_epoch"])
            if end.get("best_epoch")
            else tr("best val acc {acc}", acc=acc)
        )
    if _number(end.get("test_acc")):
        parts.append(tr("test acc {acc}", acc=format_accuracy(end["test_acc"])))
    if end.get("epochs_done") is not None:
        parts.append(
            tr(
                "{epochs} epoch(s) in {time}",
                epochs=end["epochs_done"],
                time=format_duration(end.get("seconds")),
            )
        )
    return ", ".join(parts)


def _loss(value: Any) -> str:
    return f"{value:.4f}" if _number(value) and math.isfinite(value) else "–"


def _count(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else "0"


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class Series:
    """An appendable 1-D float64 buffer for live plots: amortised O(1) appends, zero-copy reads.

    Live plots append thousands of batch points; rebuilding a list into an array on every
    repaint would cost O(n) twice. The buffer doubles its capacity when full.
    """

    def __init__(self, capacity: int = 1024) -> None:
        self._data = np.empty(max(16, capacity), dtype=np.float64)
        self._n = 0

    def __len__(self) -> int:
        return self._n

    def append(self, value: float) -> None:
        """Add one value at the end."""
        if self._n == len(self._data):
            self._grow(self._n + 1)
        self._data[self._n] = value
        self._n += 1

    def extend(self, values: Iterable[float]) -> None:
        """Add several values at the end."""
        arr = np.asarray(list(values) if not isinstance(values, np.ndarray) else values, dtype=np.float64)
        need = self._n + len(arr)
        if need > len(self._data):
            self._grow(need)
        self._data[self._n : need] = arr
        self._n = need

    def _grow(self, need: int) -> None:
        size = len(self._data)
        while size < need:
            size *= 2
        grown = np.empty(size, dtype=np.float64)
        grown[: self._n] = self._data[: self._n]
        self._data = grown

    def view(self) -> np.ndarray:
        """The values so far (a view: copy it before keeping it across appends)."""
        return self._data[: self._n]

    def clear(self) -> None:
        """Drop every value (keeps the buffer)."""
        self._n = 0
