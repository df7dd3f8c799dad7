"""Journey 3, VGG-16 from blocks: template card -> a photo folder at 32x32 -> VGG-16 slimmed in
the designer (block widths, the 4096-wide classifier, a 3-class head) -> one epoch ->
evaluate -> Python export -> its stand-alone ``predict.py``.

The full VGG-16 (138M parameters at 224x224) is what the template shows; the journey shrinks
it the way a user on a laptop would, so that one epoch takes seconds.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtWidgets import QLabel

from studio.core.evaluation.predict import load_predictor
from tests.helpers.journey_data import PHOTO_CLASSES, write_photo_folder
from tests.helpers.journey_steps import (
    browse_folder,
    close_window,
    confusion_counts,
    evaluate,
    export,
    find,
    go_to,
    open_window,
    pick_template,
    set_image_size,
    set_layer,
    shape_text,
    train,
    wait_listed,
)


def test_vgg16_from_blocks(qtbot: Any, tmp_path: Path, dialogs: Any, monkeypatch: Any) -> None:
    photos = write_photo_folder(tmp_path / "photos", per_class=20, size=40)
    window = open_window(qtbot)
    design = pick_template(qtbot, window, "vgg16")
    totals = find(design, QLabel, "modelTotals")
    qtbot.waitUntil(lambda: "138,357,544" in totals.text())  # the paper's VGG-16
    assert [layer["type"] for layer in design.doc.layers].count("VGGBlock") == 5
    assert shape_text(design, 4) == "512 × 7 × 7" and shape_text(design, 5) == "25088"

    # the data: the photo folder, read at 32x32 (4 of each class's 20 held out for validation)
    data = go_to(qtbot, window, "Data")
    browse_folder(qtbot, data, photos, monkeypatch)
    set_image_size(qtbot, data, 32, 32)
    assert window.ctx.document.project.data.image_size == (32, 32)
    wait_listed(qtbot, data, 60)

    # the same blocks, slimmer: five halvings take 32x32 down to 1x1
    design = go_to(qtbot, window, "Design")
    assert shape_text(design, 4) == "512 × 1 × 1"
    for row, width in enumerate((8, 16, 32, 32, 32)):
        set_layer(qtbot, design, row, "out_channels", width)
    set_layer(qtbot, design, 6, "out_features", 64)
    set_layer(qtbot, design, 9, "out_features", 64)
    set_layer(qtbot, design, 12, "out_features", len(PHOTO_CLASSES))
    assert shape_text(design, 5) == "32" and shape_text(design, 12) == "3"
    assert design.doc.blocking_error() is None
    qtbot.waitUntil(lambda: "138,357,544" not in totals.text())

    run_dir = train(qtbot, window, epochs=1, batch_size=16)

    page = evaluate(qtbot, window, run_dir)
    counts = np.array(confusion_counts(page))
    assert counts.shape == (3, 3) and counts.sum(axis=1).tolist() == [4, 4, 4]
    assert page.result.evaluation.classes == PHOTO_CLASSES

    folder = Path(export(qtbot, window, "python", tmp_path / "vgg-python").result.path)
    assert (folder / "model.py").is_file() and (folder / "predict.py").is_file()

    # the export's own predict.py, in a fresh interpreter, agrees with the studio's predictor
    images = sorted(str(p) for p in photos.glob("*/*_0[0-2].png"))
    done = subprocess.run(
        [sys.executable, "predict.py", *images, "--json", "--top-k", "1"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    standalone = json.loads(done.stdout)
    studio = load_predictor(run_dir, which="last").predict(images, top_k=1)
    assert [r["top"][0]["class"] for r in standalone] == [p.top[0][0] for p in studio]

    assert dialogs.titles("warning") == [] and dialogs.titles("critical") == []
    close_window(window)
