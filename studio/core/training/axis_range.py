"""A steady value range for a live plot's y axis.

Why not let the plot library auto-range: a live curve's minimum or maximum moves with almost
every new batch, and each change of the view range re-lays the axis (new tick positions, new
label texts, sometimes a new axis width and so a new layout of the whole plot). On a 2-core
machine that work competes with training for the CPU. A range that only moves when the data
leaves it (with some head-room) or has shrunk to a fraction of it changes a few times in a run
instead of a few times a second, and the axis is redrawn from its cache in between.
"""

from __future__ import annotations

import math

#: head-room on each side of the data when the range is reset, as a fraction of the data span
MARGIN = 0.2
#: reset the range when the data span has shrunk below this fraction of the range's span
SHRINK = 0.4


def nice_step(span: float) -> float:
    """A round tick-like step (1, 2 or 5 times a power of ten) about a tenth of ``span``."""
    if not math.isfinite(span) or span <= 0:
        return 1.0
    raw = span / 10
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def steady_range(
    current: tuple[float, float] | None,
    lo: float,
    hi: float,
    *,
    margin: float = MARGIN,
    shrink: float = SHRINK,
) -> tuple[float, float] | None:
    """The range to show for data in ``[lo, hi]``, or None when ``current`` still fits.

    ``current`` fits while it holds all the data and is not much wider than the data needs
    (the range :func:`padded_range` would give is at least ``shrink`` of it). A loss or an
    accuracy never gets a negative axis.
    """
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi < lo:
        return None
    new = padded_range(lo, hi, margin)
    if current is not None:
        a, b = current
        if a <= lo and hi <= b and new[1] - new[0] >= shrink * (b - a):
            return None
    return new


def padded_range(lo: float, hi: float, margin: float = MARGIN) -> tuple[float, float]:
    """``[lo, hi]`` padded by ``margin`` of its span (at least 5% of its size, so that a
    nearly flat start does not give a needle-thin range), rounded outwards to a
    :func:`nice_step`, never below zero for data that is not."""
    span = hi - lo
    pad = max(margin * span, 0.05 * max(abs(lo), abs(hi))) or 0.5
    step = nice_step(span + 2 * pad)
    a = math.floor((lo - pad) / step) * step
    b = math.ceil((hi + pad) / step) * step
    if lo >= 0 > a:
        a = 0.0
    return (a, b)
