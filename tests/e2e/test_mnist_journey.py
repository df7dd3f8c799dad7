"""Journey 1, MNIST digits: template card -> narrower first convolution -> one epoch -> evaluate
-> ONNX export -> predict with the exported file.

The digits are a tiny MNIST that the test writes where the template looks for it
(``~/.cache/cnn-studio/datasets/MNIST/raw``, with ``HOME`` a temporary folder), as an earlier
download would have left it; validation is 10% of the training digits held out per class, and the
official test split is evaluated once at the end (the run's ``test_acc``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtWidgets import QWidget

from studio.core.evaluation.predict import load_predictor
from studio.core.project.templates import get_template
from studio.core.runs.run_folder import read_run
from tests.helpers.journey_data import save_pngs, write_mnist
from tests.helpers.journey_steps import (
    close_window,
    confusion_counts,
    epoch_events,
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


def test_mnist_digits(qtbot: Any, isolated_user: Path, tmp_path: Path, dialogs: Any) -> None:
    test_x, test_y = write_mnist(isolated_user / ".cache" / "cnn-studio" / "datasets", n_train=200, n_test=60)
    window = open_window(qtbot)

    # the start page's "MNIST digits" card opens the template on the Design page
    design = pick_template(qtbot, window, "mnist-cnn")
    assert window.ctx.document.project.data.source == "mnist"
    first = get_template("mnist-cnn").project().model.layers[0]
    assert first["type"] == "Conv2d" and first.get("padding") == 1
    assert shape_text(design, 0) == f"{first['out_channels']} × 28 × 28"

    # a narrower first convolution: the shape column and the formula follow as we type
    narrower = max(1, first["out_channels"] // 2)
    set_layer(qtbot, design, 0, "out_channels", narrower)
    assert shape_text(design, 0) == f"{narrower} × 28 × 28"
    formula = find(design, QWidget, "layerFormula").text()
    assert "= 28" in formula and f"= {narrower} × 1 × 3 × 3" in formula  # Parameters = out × in × K × K

    # the Data page lists the digits found in the default folder: 200 training + 60 test
    data = go_to(qtbot, window, "Data")
    wait_listed(qtbot, data, 260)

    run_dir = train(qtbot, window, epochs=1, batch_size=32)
    (epoch,) = epoch_events(run_dir)
    assert 0.0 <= epoch["val_acc"] <= 1.0

    # validation was held out of the 200 training digits (20, two per class), not the test split
    assert window.ctx.document.project.data.val == 0.1
    # the Evaluate page on the test images: every test image counted once, agreeing with the
    # run's one test evaluation at the end
    page = evaluate(qtbot, window, run_dir, split="test")
    counts = np.array(confusion_counts(page))
    assert counts.shape == (10, 10) and counts.sum() == len(test_y)
    assert counts.sum(axis=1).tolist() == np.bincount(test_y, minlength=10).tolist()
    test_acc = read_run(run_dir).end["test_acc"]
    assert np.trace(counts) / counts.sum() == round(test_acc * len(test_y)) / len(test_y)

    # export to ONNX through the dialog, then predict with the exported file
    onnx_file = export(qtbot, window, "onnx", tmp_path / "exports" / "digits.onnx").result.path
    assert Path(onnx_file).is_file()
    images = [str(p) for p in save_pngs(test_x[:6], tmp_path / "digits", "digit")]
    exported = load_predictor(onnx_file).predict(images, top_k=3)
    trained = load_predictor(run_dir, which="last").predict(images, top_k=3)
    assert [p.top[0][0] for p in exported] == [p.top[0][0] for p in trained]
    for a, b in zip(exported, trained, strict=True):
        assert np.allclose(a.probabilities, b.probabilities, atol=1e-4)
    assert len(exported[0].top) == 3 and exported[0].top[0][0] in load_predictor(onnx_file).classes

    assert dialogs.titles("warning") == [] and dialogs.titles("critical") == []
    close_window(window)
