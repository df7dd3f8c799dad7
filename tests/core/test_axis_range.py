"""The steady y range of live plots: holds the data, moves rarely, reads from zero."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studio.core.training.axis_range import nice_step, steady_range


@pytest.mark.parametrize(("span", "step"), [(10, 1), (2.3, 0.5), (0.7, 0.1), (150, 20), (0.031, 0.005)])
def test_nice_steps_are_one_two_or_five_times_a_power_of_ten(span: float, step: float) -> None:
    assert nice_step(span) == pytest.approx(step)


def test_a_falling_loss_moves_the_range_a_few_times_not_at_every_batch() -> None:
    current, changes, losses = None, 0, []
    for i in range(2000):
        losses.append(2.3 * math.exp(-i / 300) + 0.2)
        new = steady_range(current, min(losses), max(losses))
        if new is not None:
            current, changes = new, changes + 1
        assert current[0] <= min(losses) and max(losses) <= current[1]
    assert 1 <= changes <= 12  # 2000 batches; auto-ranging would move it at every repaint
    assert current[0] == 0.0  # a loss never shows a negative axis


def test_a_range_much_wider_than_the_data_shrinks_to_it() -> None:
    assert steady_range((0.0, 100.0), 80.0, 90.0) is not None
    assert steady_range((0.0, 100.0), 10.0, 90.0) is None


def test_constant_and_unusable_data() -> None:
    a, b = steady_range(None, 0.01, 0.01)
    assert a < 0.01 < b
    a, b = steady_range(None, 0.0, 0.0)
    assert a == 0.0 and b > 0.0
    assert steady_range(None, math.nan, 1.0) is None
    assert steady_range(None, 2.0, 1.0) is None


@given(st.floats(-1e6, 1e6), st.floats(0, 1e6))
def test_a_new_range_always_holds_the_data(lo: float, span: float) -> None:
    hi = lo + span
    a, b = steady_range(None, lo, hi)
    assert a <= lo and hi <= b
    assert steady_range((a, b), lo, hi) is None  # and is kept for the same data
