"""EarlyStopping: patience and min_delta, its stop message, the fallback to training metrics, resume."""

from __future__ import annotations

from studio.core.training.early_stopping import EarlyStopping


def _feed(cb: EarlyStopping, values: list[float], key: str = "val_loss", first: int = 1) -> int | None:
    """Feed epoch events; the epoch after which the callback asked to finish (None: never)."""
    for epoch, value in enumerate(values, first):
        cb.on_epoch_end({"event": "epoch", "epoch": epoch, key: value})  # type: ignore[typeddict-item]
        if cb.finish:
            return epoch
    return None


def test_it_finishes_after_patience_epochs_without_improvement() -> None:
    cb = EarlyStopping("val_loss", patience=2)
    assert _feed(cb, [1.0, 0.8, 0.9, 0.85, 0.7]) == 4
    assert cb.finish == (
        "early stopping after epoch 4: val_loss did not improve by more than 0 for 2 epoch(s)"
    )


def test_an_improvement_smaller_than_min_delta_does_not_count() -> None:
    cb = EarlyStopping("val_acc", patience=2, min_delta=0.05)
    assert _feed(cb, [0.5, 0.52, 0.54], key="val_acc") == 3


def test_an_improvement_resets_the_count() -> None:
    cb = EarlyStopping("val_loss", patience=2)
    assert _feed(cb, [1.0, 1.1, 0.9, 1.0, 0.8, 0.85]) is None
    assert cb.wait == 1


def test_without_validation_a_val_monitor_reads_the_training_metric() -> None:
    cb = EarlyStopping("val_loss", patience=1)
    assert _feed(cb, [1.0, 1.5], key="train_loss") == 2


def test_a_resumed_run_keeps_counting_where_it_was() -> None:
    first = EarlyStopping("val_loss", patience=3)
    _feed(first, [1.0, 1.1, 1.2])  # two epochs without improvement
    resumed = EarlyStopping.from_settings({"monitor": "val_loss", "patience": 3})
    resumed.load_state_dict(first.state_dict())
    assert _feed(resumed, [1.3], first=4) == 4
