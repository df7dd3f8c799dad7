"""MetricsLog: metrics.jsonl is started (or rewritten from a checkpoint's history) before lines land."""

from __future__ import annotations

from pathlib import Path

from studio.core.runs.run_folder import read_metrics
from studio.core.training.metrics_log import MetricsLog

EPOCH = {"event": "epoch", "epoch": 1, "train_loss": 0.5}
END = {"event": "end", "status": "completed", "run_dir": "/somewhere"}


def test_a_fresh_run_starts_an_empty_file_then_appends_epochs_and_the_end(tmp_path: Path) -> None:
    (tmp_path / "metrics.jsonl").write_text('{"event": "epoch", "epoch": 9}\n')  # an earlier attempt's
    log = MetricsLog(tmp_path)
    log.begin([])
    log.on_epoch_end(dict(EPOCH))  # type: ignore[arg-type]
    log.on_end(dict(END))  # type: ignore[arg-type]
    assert read_metrics(tmp_path) == [EPOCH, {"event": "end", "status": "completed"}]  # no run_dir


def test_a_resume_rewrites_the_file_from_the_checkpoint_history(tmp_path: Path) -> None:
    (tmp_path / "metrics.jsonl").write_text(
        '{"event": "epoch", "epoch": 1}\n{"event": "epoch", "epoch": 2}\n'
    )
    MetricsLog(tmp_path).begin([{"event": "epoch", "epoch": 1}])  # epoch 2 was not checkpointed
    assert read_metrics(tmp_path) == [{"event": "epoch", "epoch": 1}]


def test_an_end_before_the_file_is_this_attempts_is_not_written(tmp_path: Path) -> None:
    (tmp_path / "metrics.jsonl").write_text('{"event": "epoch", "epoch": 1}\n')
    MetricsLog(tmp_path).on_end(dict(END))  # type: ignore[arg-type]  # e.g. a resume failing in set-up
    assert read_metrics(tmp_path) == [{"event": "epoch", "epoch": 1}]


def test_other_ranks_write_nothing(tmp_path: Path) -> None:
    log = MetricsLog(tmp_path, main=False)
    log.begin([EPOCH])
    log.on_epoch_end(dict(EPOCH))  # type: ignore[arg-type]
    log.on_end(dict(END))  # type: ignore[arg-type]
    assert not (tmp_path / "metrics.jsonl").exists()
