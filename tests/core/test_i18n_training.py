"""The training log lines and the scheduler argument labels follow the language (core catalogue)."""

from __future__ import annotations

import json

from studio.core.base import i18n
from studio.core.base.paths import resources_dir
from studio.core.project.train_settings import SCHEDULER_PARAM
from studio.core.training.progress import end_line, epoch_line, start_line

START = {
    "train_size": 54000,
    "val_size": 6000,
    "test_size": 10000,
    "batches": 422,
    "classes": list("abcdefghij"),
    "params": 94186,
    "device": "cpu",
    "threads": 2,
    "start_epoch": 3,
}
EPOCH = {
    "epoch": 2,
    "train_loss": 0.31234,
    "val_loss": 0.4,
    "train_acc": 0.9,
    "val_acc": 0.8812,
    "lr": 0.001,
    "seconds": 75,
    "images_per_second": 812.4,
    "best": True,
}
END = {
    "status": "completed",
    "best_val_acc": 0.9,
    "best_epoch": 3,
    "test_acc": 0.89,
    "epochs_done": 4,
    "seconds": 65,
}


def test_scheduler_argument_labels_have_korean() -> None:
    """The form shows these core labels through the core catalogue: each needs its Korean."""
    catalogue = json.loads((resources_dir() / "i18n" / "core_ko.json").read_text(encoding="utf-8"))
    labels = [param[1] for param in SCHEDULER_PARAM.values() if param is not None]
    assert labels and [label for label in labels if not catalogue.get(label)] == []


def test_log_lines_read_in_korean_with_numbers_untouched() -> None:
    i18n.set_language("ko")
    start, epoch, end = start_line(START), epoch_line(EPOCH, 5), end_line(END)
    assert start == (
        "cpu (스레드 2개)에서 매개변수 94,186개 학습: 클래스 10개, 이미지 학습 54,000 / 검증 6,000 / "
        "테스트 10,000장, 에포크당 배치 422개, 에포크 3부터"
    )
    assert epoch == (
        "에포크 2/5: 학습 손실 0.3123 정확도 90.00% | 검증 손실 0.4000 정확도 88.12% | 학습률 0.001 | "
        "1:15, 812 img/s *"
    )
    assert end == "실행 완료, 최고 검증 정확도 90.00% (에포크 3), 테스트 정확도 89.00%, 에포크 4개, 1:05 걸림"
    assert end_line({"status": "stopped"}) == "실행 정지됨"
    for line in (start, epoch, end):
        assert "train" not in line and "epoch" not in line and "acc" not in line


def test_log_lines_stay_english_by_default() -> None:
    assert start_line(START).startswith("training 94,186 parameters on cpu (2 threads): 10 classes")
    assert epoch_line(EPOCH, 5).startswith("epoch 2/5: train loss 0.3123 acc 90.00% | val loss 0.4000")
    assert end_line(END).startswith("Run completed, best val acc 90.00% (epoch 3)")
