"""base.progress: one progress shape; ``scaled`` maps a step's 0..1 onto its part of a longer job."""

from __future__ import annotations

import pytest

from studio.core.base.progress import Progress, scaled


def test_scaled_maps_a_step_onto_its_span_and_keeps_unknown_unknown() -> None:
    seen: list[tuple[str, float | None]] = []
    outer: Progress = lambda message, fraction: seen.append((message, fraction))  # noqa: E731
    step = scaled(outer, 0.3, 1.0)
    assert step is not None
    step("half", 0.5)  # 0.3 + 0.7 * 0.5
    step("unpacking", None)
    assert seen == [("half", pytest.approx(0.65)), ("unpacking", None)]
    assert scaled(None, 0.0, 0.5) is None  # nobody listens: nothing to call
