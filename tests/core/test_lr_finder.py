"""The learning-rate range test: the schedule, the suggestion rule, the sweep and its CLI."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from studio.cli import main
from studio.core.base.errors import UserError
from studio.core.project.templates import get_template
from studio.core.training.lr_finder import find_lr, lr_schedule, suggest_lr


def test_the_schedule_grows_exponentially_between_its_ends() -> None:
    lrs = lr_schedule(1e-5, 1.0, 11)
    assert lrs[0] == pytest.approx(1e-5) and lrs[-1] == pytest.approx(1.0)
    ratios = {round(b / a, 9) for a, b in zip(lrs, lrs[1:], strict=False)}
    assert len(ratios) == 1 and ratios.pop() == pytest.approx(10**0.5)
    with pytest.raises(UserError, match="start rate"):
        lr_schedule(1.0, 1e-3, 10)


def test_the_suggestion_is_a_tenth_of_the_rate_of_the_lowest_loss() -> None:
    lrs = lr_schedule(1e-6, 1.0, 61)
    # flat, a fall, the minimum at point 45, then divergence
    losses = [2.3 - 2.0 * i / 45 if i <= 45 else 0.3 + 0.2 * (i - 45) for i in range(61)]
    assert suggest_lr(lrs, losses) == pytest.approx(lrs[45] / 10)
    assert suggest_lr(lrs, losses, one_cycle=True) == pytest.approx(lrs[45] / 3)  # a one-cycle peak


def test_a_noisy_start_does_not_matter() -> None:
    lrs = lr_schedule(1e-6, 1.0, 60)
    losses = [2.8, 2.5] + [2.5 - 2.0 * i / 50 for i in range(50)] + [0.5 + 0.3 * i for i in range(8)]
    assert suggest_lr(lrs, losses) == pytest.approx(lrs[52] / 10)  # the lowest loss is at point 52


def test_no_suggestion_when_the_loss_never_falls() -> None:
    lrs = lr_schedule(1e-5, 1.0, 10)
    assert suggest_lr(lrs, [2.0 + 0.1 * i for i in range(10)]) is None
    assert suggest_lr(lrs, [2.0, 1.95, 1.9, 1.95, 2.0, 2.1, 2.2, 2.3, 2.4, 2.5]) is None  # fell < 10%
    assert suggest_lr(lrs[:3], [3.0, 2.0, 1.0]) is None


@pytest.fixture(scope="module")
def sample_data():  # type: ignore[no-untyped-def]
    from studio.core.data.datasets import load_data

    return load_data(get_template("sample-cnn").project())


def test_a_sweep_leaves_the_project_untouched_and_repeats_itself(sample_data) -> None:  # type: ignore[no-untyped-def]
    project = get_template("sample-cnn").project()
    before = project.to_json()
    steps: list[tuple[int, float, float]] = []
    first = find_lr(project, data=sample_data, num_batches=12, on_step=lambda *a: steps.append(a))
    second = find_lr(project, data=sample_data, num_batches=12)
    assert project.to_json() == before
    assert len(first.lrs) == 12 and [s[0] for s in steps] == list(range(1, 13))
    assert all(b > a for a, b in zip(first.lrs, first.lrs[1:], strict=False))
    assert all(math.isfinite(v) for v in first.losses)
    assert first.losses == second.losses  # seeded: the same sweep twice


def test_a_diverging_loss_ends_the_sweep_early(sample_data) -> None:  # type: ignore[no-untyped-def]
    project = get_template("sample-cnn").project()
    project.training.optimizer = {"type": "SGD", "lr": 0.1, "momentum": 0.9}
    result = find_lr(project, data=sample_data, num_batches=60, start_lr=1.0, end_lr=1e8)
    assert result.stopped_early
    assert len(result.lrs) < 60


def test_cli_prints_the_sweep_as_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "sample.json"
    assert main(["new", "sample-cnn", "-o", str(path)]) == 0
    capsys.readouterr()
    assert main(["lr-find", str(path), "--batches", "8", "--json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert set(body) >= {"lrs", "losses", "suggested"}
    assert len(body["lrs"]) == len(body["losses"]) == 8
    assert main(["lr-find", str(path), "--batches", "500"]) == 2
    assert "--batches must be between 2 and 100" in capsys.readouterr().err


def test_the_rate_belongs_to_the_one_cycle_peak_when_there_is_one() -> None:
    from studio.core.training.lr_finder import current_rate, rate_key

    project = get_template("sample-cnn").project()
    project.training.scheduler = {"type": "OneCycleLR", "max_lr": 0.02}
    assert rate_key(project) == "training.scheduler.max_lr" and current_rate(project) == 0.02
    project.training.scheduler = None
    project.training.optimizer = {"type": "SGD", "lr": 0.05}
    assert rate_key(project) == "training.optimizer.lr" and current_rate(project) == 0.05
