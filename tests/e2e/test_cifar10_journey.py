"""Journey 2, CIFAR-10 objects: template card -> a lighter third VGG block -> one epoch with the
template's augmentation -> evaluate -> TorchScript export -> ``cnn-studio predict`` on it.

The data is a tiny ``cifar-10-batches-py`` folder (the layout torchvision unpacks) written to
the template's default dataset folder under the temporary ``HOME``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtWidgets import QLabel

from studio.cli import main as cli
from tests.helpers.journey_data import CIFAR10_CLASSES, save_pngs, write_cifar10
from tests.helpers.journey_steps import (
    close_window,
    confusion_counts,
    evaluate,
    export,
    find,
    go_to,
    open_window,
    pick_template,
    set_layer,
    shape_text,
    train,
    wait_listed,
)


def test_cifar10_objects(qtbot: Any, isolated_user: Path, tmp_path: Path, dialogs: Any, capsys: Any) -> None:
    test_x, test_y = write_cifar10(
        isolated_user / ".cache" / "cnn-studio" / "datasets", n_per_batch=30, n_test=60
    )
    window = open_window(qtbot)
    design = pick_template(qtbot, window, "cifar10-cnn")
    project = window.ctx.document.project
    assert (project.data.source, project.data.channels, project.data.image_size) == ("cifar10", 3, (32, 32))
    assert project.data.augment  # the template trains with random crops and flips

    # each VGGBlock halves the size: 32 -> 16 -> 8 -> 4; the third gets one conv of 64 channels
    assert [shape_text(design, r) for r in range(3)] == ["32 × 16 × 16", "64 × 8 × 8", "128 × 4 × 4"]
    totals = find(design, QLabel, "modelTotals")
    before = totals.text()
    set_layer(qtbot, design, 2, "out_channels", 64)
    set_layer(qtbot, design, 2, "convs", 1)
    assert shape_text(design, 2) == "64 × 4 × 4" and shape_text(design, 3) == "1024"
    qtbot.waitUntil(lambda: totals.text() != before)  # the totals follow the edit
    assert design.doc.blocking_error() is None

    # the Data page shows the 150 training and 60 test images and the ten class names
    data = go_to(qtbot, window, "Data")
    wait_listed(qtbot, data, 210)
    histogram = find(data, object, "classHistogram")
    assert histogram.counts.classes == CIFAR10_CLASSES
    assert sum(sum(h) for h in histogram.bar_heights().values()) == 210

    run_dir = train(qtbot, window, epochs=1, batch_size=32)

    page = evaluate(qtbot, window, run_dir, split="test")  # validation is held out of the training images
    counts = np.array(confusion_counts(page))
    assert counts.sum(axis=1).tolist() == np.bincount(test_y, minlength=10).tolist()
    assert page.result.evaluation.classes == CIFAR10_CLASSES

    ts_file = export(qtbot, window, "torchscript", tmp_path / "objects.pt").result.path

    # the exported file answers on the command line, without the run folder
    images = [str(p) for p in save_pngs(test_x[:4], tmp_path / "photos", "object")]
    capsys.readouterr()
    assert cli(["predict", str(ts_file), *images, "--top-k", "2", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["kind"] == "torchscript" and out["classes"] == CIFAR10_CLASSES
    assert [Path(p["image"]).name for p in out["predictions"]] == [Path(p).name for p in images]
    for prediction in out["predictions"]:
        top = prediction["top"]
        assert len(top) == 2 and top[0]["probability"] >= top[1]["probability"]
        assert top[0]["class"] == CIFAR10_CLASSES[top[0]["index"]]
    # ... and agrees with the trained run's own checkpoint
    assert cli(["predict", str(run_dir), *images, "--checkpoint", "last", "--top-k", "1", "--json"]) == 0
    from_run = json.loads(capsys.readouterr().out)
    assert [p["top"][0]["index"] for p in from_run["predictions"]] == [
        p["top"][0]["index"] for p in out["predictions"]
    ]

    assert dialogs.titles("warning") == [] and dialogs.titles("critical") == []
    close_window(window)
