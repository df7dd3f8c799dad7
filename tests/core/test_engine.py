"""The training engine: events, metrics.jsonl, checkpoints, failures, early stopping, commands."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
import torch

from studio.core.model.shapes import ShapeError
from studio.core.runs.run_folder import load_trained_model, read_metrics, read_run
from studio.core.training.callbacks import Commands
from studio.core.training.engine import train
from tests.helpers.enginekit import CLASSES, Recorder, tiny_bundle, tiny_project
from tests.helpers.waiting import wait_until

SPEC_EPOCH_KEYS = {
    "event",
    "epoch",
    "train_loss",
    "train_acc",
    "val_loss",
    "val_acc",
    "lr",
    "seconds",
    "images_per_second",
}


@pytest.fixture(autouse=True)
def one_thread(monkeypatch: pytest.MonkeyPatch):
    """Fix the engine's thread count (fast on shared cores, identical sums in every run)."""
    monkeypatch.setenv("CNN_STUDIO_THREADS", "1")
    before = torch.get_num_threads()
    yield
    torch.set_num_threads(before)


def test_events_arrive_in_order_with_their_values(tmp_path: Path) -> None:
    rec = Recorder()
    end = train(tiny_project(epochs=2), tmp_path / "run", callbacks=[rec], data=tiny_bundle(n_test=30))
    names = [n for n in rec.names() if n != "log"]
    batches = rec.payloads("start")[0]["batches"]
    assert batches == 6  # 192 images / 32
    per_epoch = ["epoch_start"] + ["batch"] * batches + ["validation", "epoch"]
    assert names == ["start"] + per_epoch * 2 + ["end"]
    b = rec.payloads("batch")[-1]
    assert (b["epoch"], b["epochs"], b["batch"], b["batches"]) == (2, 2, 6, 6)
    for b in rec.payloads("batch"):
        assert b["loss"] > 0 and 0 <= b["acc"] <= 1 and b["lr"] > 0 and b["images_per_second"] > 0
    assert [b["batch"] for b in rec.payloads("batch")[:6]] == [1, 2, 3, 4, 5, 6]
    start = rec.payloads("start")[0]
    assert start["classes"] == CLASSES and start["train_size"] == 192 and start["val_size"] == 48
    assert start["device"] == "cpu" and start["params"] > 0 and not start["resumed"]
    assert end["status"] == "completed" and rec.payloads("end") == [end]
    assert end["epochs_done"] == 2 and end["test_acc"] is not None and 0 <= end["test_acc"] <= 1


def test_metrics_jsonl_and_run_folder_follow_the_spec(tmp_path: Path) -> None:
    rec = Recorder()
    run = tmp_path / "run"
    project = tiny_project(epochs=3)
    train(project, run, callbacks=[rec], data=tiny_bundle())
    events = read_metrics(run)
    assert [e["event"] for e in events] == ["epoch", "epoch", "epoch", "end"]
    for i, e in enumerate(events[:3], start=1):
        assert SPEC_EPOCH_KEYS <= set(e) and e["epoch"] == i
        assert 0 <= e["train_acc"] <= 1 and 0 <= e["val_acc"] <= 1
    assert events[:3] == rec.payloads("epoch")
    end = events[-1]
    assert {"status", "best_epoch", "best_val_acc", "test_acc"} <= set(end)
    assert end["best_val_acc"] == max(e["val_acc"] for e in events[:3])
    assert events[end["best_epoch"] - 1]["val_acc"] == end["best_val_acc"]
    assert end["test_acc"] is None  # this dataset has no test split
    assert events[-1]["status"] == "completed"
    assert json.loads((run / "classes.json").read_text()) == CLASSES
    assert json.loads((run / "project.json").read_text()) == project.to_dict()
    assert read_run(run).status == "completed"
    # the model learnt something: the bands are easy
    assert events[2]["val_acc"] > 0.8


def test_checkpoints_load_weights_only_and_rebuild_the_model(tmp_path: Path) -> None:
    run = tmp_path / "run"
    train(tiny_project(epochs=2), run, data=tiny_bundle())
    folder = run / "checkpoints"
    assert {"last.pt", "best.pt", "epoch-1.pt", "epoch-2.pt"} <= {p.name for p in folder.iterdir()}
    last = torch.load(folder / "last.pt", weights_only=True)
    for key in (
        "model",
        "optimizer",
        "scheduler",
        "epoch",
        "rng",
        "history",
        "project",
        "classes",
        "norm",
        "input_shape",
        "best",
    ):
        assert key in last, key
    assert last["epoch"] == 2 and last["classes"] == CLASSES and last["input_shape"] == [1, 12, 12]
    assert set(last["rng"]) >= {"torch", "python", "numpy", "data"}
    assert len(last["history"]) == 2 and last["norm"]["mean"] == pytest.approx([0.35])
    epoch1 = torch.load(folder / "epoch-1.pt", weights_only=True)
    assert epoch1["epoch"] == 1 and "optimizer" in epoch1
    assert not torch.equal(epoch1["model"]["0_Conv2d.weight"], last["model"]["0_Conv2d.weight"])
    model, state = load_trained_model(run)
    x = torch.randn(4, 1, 12, 12)
    assert model(x).shape == (4, 3)
    assert state["epoch"] == read_metrics(run)[-1]["best_epoch"]


def test_a_nan_loss_fails_the_run_naming_epoch_and_batch_and_keeps_best(tmp_path: Path) -> None:
    rec = Recorder()
    holder: dict = {}

    def poison(event: dict) -> None:  # weights blow up after batch 3 of epoch 2
        if event["epoch"] == 2 and event["batch"] == 3:
            with torch.no_grad():
                for p in holder["model"].parameters():
                    p.fill_(float("inf"))

    rec.on_batch = poison
    run = tmp_path / "run"
    import studio.core.training.setup as setup

    original = setup.build_model

    def build(project, num_classes=None):  # keep a handle on the model the engine trains
        holder["model"] = original(project, num_classes=num_classes)
        return holder["model"]

    setup.build_model = build
    try:
        end = train(tiny_project(epochs=3), run, callbacks=[rec], data=tiny_bundle())
    finally:
        setup.build_model = original
    assert end["status"] == "failed" and end["reason"] == "nan"
    assert "epoch 2, batch 4" in end["message"]
    assert "training.optimizer.lr" in end["message"] and "grad_clip" in end["message"]
    assert read_metrics(run)[-1] == {k: v for k, v in end.items() if k != "run_dir"}
    assert (run / "checkpoints" / "best.pt").is_file()
    assert (
        torch.load(run / "checkpoints" / "last.pt", weights_only=True)["epoch"] == 1
    )  # not the broken weights


def test_an_absurd_learning_rate_fails_cleanly(tmp_path: Path) -> None:
    layers = [
        {"type": "Flatten"},
        {"type": "Linear", "out_features": 64},
        {"type": "ReLU"},
        {"type": "Linear", "out_features": 3},
    ]
    project = tiny_project(
        layers, epochs=3, optimizer={"type": "SGD", "lr": 10.0, "momentum": 0.99}, scheduler=None
    )
    end = train(project, tmp_path / "run", data=tiny_bundle())
    assert end["status"] == "failed" and end["reason"] == "nan", end
    assert "Lower training.optimizer.lr (10.0)" in end["message"]


def test_early_stopping_ends_after_patience(tmp_path: Path) -> None:
    project = tiny_project(
        epochs=20,
        optimizer={"type": "SGD", "lr": 1e-9},
        scheduler=None,
        early_stopping={"monitor": "val_loss", "patience": 2, "min_delta": 0.1},
    )
    end = train(project, tmp_path / "run", data=tiny_bundle())
    assert end["status"] == "completed" and end["reason"] == "early_stopping"
    assert end["epochs_done"] == 3  # epoch 1 sets the bar, 2 and 3 miss it by min_delta
    assert "val_loss" in end["message"]


def test_an_output_size_that_is_not_the_class_count_names_the_layer(tmp_path: Path) -> None:
    layers = [{"type": "Flatten"}, {"type": "Linear", "out_features": 5}, {"type": "ReLU"}]
    rec = Recorder()
    with pytest.raises(ShapeError) as info:
        train(tiny_project(layers), tmp_path / "run", callbacks=[rec], data=tiny_bundle())
    assert info.value.layer == 1 and "out_features to 3" in str(info.value)
    end = rec.payloads("end")[0]
    assert end["status"] == "failed" and "layer 1 (Linear)" in end["message"]
    assert read_metrics(tmp_path / "run")[-1]["status"] == "failed"
    # a conv stack that never flattens is refused too, and the GUI variant does not raise
    conv_only = [{"type": "Conv2d", "out_channels": 3, "kernel_size": 3}]
    end = train(tiny_project(conv_only), tmp_path / "run2", data=tiny_bundle(), raise_errors=False)
    assert end["status"] == "failed" and "Flatten" in end["message"]


def test_pause_resume_and_stop_from_another_thread(tmp_path: Path) -> None:
    rec = Recorder()
    commands = Commands()
    result: dict = {}
    project = tiny_project(epochs=50, batch_size=16)
    worker = threading.Thread(
        target=lambda: result.update(
            end=train(project, tmp_path / "run", callbacks=[rec], commands=commands, data=tiny_bundle())
        )
    )
    worker.start()
    assert rec.batch_seen.wait(60)
    commands.pause()
    assert rec.paused.wait(10)
    count = len(rec.payloads("batch"))
    time.sleep(0.3)  # an observation window, not a wait for a result
    assert len(rec.payloads("batch")) == count  # nothing trains while paused
    commands.resume()
    wait_until(lambda: len(rec.payloads("batch")) > count + 2, 30, "training after resume")
    commands.stop()
    worker.join(30)
    assert not worker.is_alive()
    end = result["end"]
    assert end["status"] == "stopped" and "resume" in end["message"]
    names = rec.names()
    assert names.index("pause") < names.index("resume") < names.index("end")
    last = torch.load(tmp_path / "run" / "checkpoints" / "last.pt", weights_only=True)
    assert last["partial"] is not None and last["partial"]["batch"] >= 1
    assert read_metrics(tmp_path / "run")[-1]["status"] == "stopped"


def test_stop_while_paused_ends_the_run(tmp_path: Path) -> None:
    rec = Recorder()
    commands = Commands()
    rec.on_batch = lambda e: commands.pause() if e["batch"] == 2 else None
    result: dict = {}
    worker = threading.Thread(
        target=lambda: result.update(
            end=train(
                tiny_project(epochs=5),
                tmp_path / "run",
                callbacks=[rec],
                commands=commands,
                data=tiny_bundle(),
            )
        )
    )
    worker.start()
    assert rec.paused.wait(60)
    commands.stop()
    worker.join(30)
    assert result["end"]["status"] == "stopped" and "resume" not in rec.names()


def test_a_folder_that_already_holds_a_run_is_refused(tmp_path: Path) -> None:
    run = tmp_path / "run"
    train(tiny_project(epochs=1), run, data=tiny_bundle())
    before = (run / "metrics.jsonl").read_text()
    from studio.core.base.errors import UserError

    with pytest.raises(UserError, match="already holds a run"):
        train(tiny_project(epochs=1), run, data=tiny_bundle())
    assert (run / "metrics.jsonl").read_text() == before  # untouched
    with pytest.raises(UserError, match="already finished all 1 epochs"):
        train(None, run, resume=True, data=tiny_bundle())
    assert (run / "metrics.jsonl").read_text() == before


def test_label_smoothing_grad_clip_and_schedulers_run(tmp_path: Path) -> None:
    for i, (opt, sched) in enumerate(
        [
            (
                {"type": "SGD", "lr": 0.05, "momentum": 0.9, "nesterov": True},
                {"type": "StepLR", "step_size": 1, "gamma": 0.5},
            ),
            ({"type": "Adam", "lr": 0.01}, {"type": "CosineAnnealingLR"}),
            ({"type": "AdamW", "lr": 0.01}, {"type": "ReduceLROnPlateau", "patience": 0, "factor": 0.5}),
        ]
    ):
        project = tiny_project(epochs=2, optimizer=opt, scheduler=sched, label_smoothing=0.1, grad_clip=1.0)
        end = train(project, tmp_path / f"run{i}", data=tiny_bundle())
        assert end["status"] == "completed", (opt, sched, end)
        lrs = [e["lr"] for e in read_metrics(tmp_path / f"run{i}") if e["event"] == "epoch"]
        if sched["type"] == "StepLR":
            assert lrs == pytest.approx([0.05, 0.025])


def test_precision_bf16_on_cpu_and_a_bad_precision(tmp_path: Path) -> None:
    from studio.core.base.errors import ProjectError
    from studio.core.training.devices import cpu_has_native_bf16

    rec = Recorder()
    end = train(
        tiny_project(epochs=1, precision="bf16"), tmp_path / "run", callbacks=[rec], data=tiny_bundle()
    )
    assert end["status"] == "completed"
    start = rec.payloads("start")[0]
    if cpu_has_native_bf16():
        assert start["precision"] == "bf16" and start["mixed_precision"]
    else:
        assert start["precision"] == "fp32" and any("bfloat16" in m for m in rec.payloads("log"))
    with pytest.raises(ProjectError, match="training.precision"):
        train(tiny_project(epochs=1, precision="fp8"), tmp_path / "run2", data=tiny_bundle())


def test_flip_tta_averages_the_mirror_images_logits(tmp_path: Path) -> None:
    from studio.core.training.loop import eval_logits

    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Conv2d(1, 3, 3), torch.nn.Flatten(), torch.nn.LazyLinear(4))
    x = torch.randn(5, 1, 8, 8)
    plain = eval_logits(model, x, False)
    both = eval_logits(model, x, True)
    assert torch.allclose(plain, model(x))
    assert torch.allclose(both, (model(x) + model(x.flip(3))) / 2)
    assert not torch.allclose(both, plain)  # the mirror image really was looked at
    # a run with training.tta evaluates that way: validation and test differ from a plain run
    ends = [
        train(tiny_project(epochs=1, tta=tta), tmp_path / f"run-{tta}", data=tiny_bundle(n_test=30))
        for tta in (False, True)
    ]
    assert all(e["status"] == "completed" for e in ends)
    metrics = [
        [e for e in read_metrics(tmp_path / f"run-{tta}") if e["event"] == "epoch"][0]
        for tta in (False, True)
    ]
    assert metrics[0]["train_loss"] == metrics[1]["train_loss"]  # training itself is untouched
    assert metrics[0]["val_loss"] != metrics[1]["val_loss"]


def test_emulated_bfloat16_is_not_native(monkeypatch: pytest.MonkeyPatch) -> None:
    """A CPU with AVX-512 but without AVX512-BF16/AMX emulates bfloat16 (oneDNN says it is
    supported): twice as slow as float32 there, so the studio trains it in float32."""
    import torch

    from studio.core.training.devices import choose_precision, cpu_has_native_bf16

    monkeypatch.setattr(torch.ops.mkldnn, "_is_mkldnn_bf16_supported", lambda: True, raising=False)
    monkeypatch.setattr(torch.cpu, "_is_avx512_bf16_supported", lambda: False, raising=False)
    monkeypatch.setattr(torch.cpu, "_is_amx_tile_supported", lambda: False, raising=False)
    assert not cpu_has_native_bf16()
    precision, note = choose_precision(torch.device("cpu"), "bf16")
    assert precision == "fp32" and note is not None and "bfloat16" in note
    monkeypatch.setattr(torch.cpu, "_is_amx_tile_supported", lambda: True, raising=False)
    assert cpu_has_native_bf16() and choose_precision(torch.device("cpu"), "bf16") == ("bf16", None)
