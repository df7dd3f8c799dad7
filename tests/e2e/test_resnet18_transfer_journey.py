"""Journey 4, ResNet-18 transfer learning: template card -> a photo folder at 32x32 -> the frozen
backbone switched off and back on (Ctrl+Z) -> one epoch that trains only the new head ->
evaluate -> safetensors export -> predict with it.

The "ImageNet" weights are a generated ResNet-18 state dict written where torchvision's cache
keeps the real file (``studio.core.model.builder.cached_weights_path`` under a temporary
``TORCH_HOME``), so nothing is downloaded; the test checks that the backbone came from that
file and stayed frozen while the 3-class head learned.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel

from studio.core.evaluation.predict import load_predictor
from studio.core.model.builder import cached_weights_path
from tests.helpers.journey_data import PHOTO_CLASSES, write_photo_folder
from tests.helpers.journey_steps import (
    browse_folder,
    click,
    close_window,
    confusion_counts,
    evaluate,
    export,
    find,
    go_to,
    open_window,
    pick_template,
    set_image_size,
    train,
    wait_listed,
)


def _fake_imagenet_resnet18() -> dict[str, torch.Tensor]:
    """A generated stand-in for torchvision's ResNet-18 ImageNet file, put in the weight cache."""
    from torchvision.models import get_model

    torch.manual_seed(7)
    state = get_model("resnet18", weights=None).state_dict()
    target = cached_weights_path("resnet18")
    target.parent.mkdir(parents=True, exist_ok=True)
    torch.save(state, target)
    return state


def test_resnet18_transfer_learning(
    journey_language: str, qtbot: Any, torch_home: Path, tmp_path: Path, dialogs: Any, monkeypatch: Any
) -> None:
    imagenet = _fake_imagenet_resnet18()
    photos = write_photo_folder(tmp_path / "photos", per_class=20, size=40)
    window = open_window(qtbot)
    design = pick_template(qtbot, window, "resnet18-transfer")
    model = window.ctx.document.project.model
    assert (model.kind, model.arch, model.weights, model.freeze) == (
        "pretrained",
        "resnet18",
        "DEFAULT",
        "backbone",
    )

    # the pretrained panel summarises the model: 11.2M frozen, the head trained
    status = find(design, QLabel, "pretrainedStatus")
    frozen_word = "고정" if journey_language == "ko" else "frozen"  # the status line in the UI's language
    qtbot.waitUntil(lambda: frozen_word in status.text(), timeout=60_000)
    assert "resnet18: " in status.text() and "11," in status.text()

    # unfreezing trains every layer; Ctrl+Z (Edit > Undo) freezes the backbone again
    freeze = find(design, QCheckBox, "pretrainedFreeze")
    assert freeze.isChecked()
    click(qtbot, freeze)
    assert window.ctx.document.project.model.freeze == "none"
    qtbot.waitUntil(
        lambda: (" 0개" if journey_language == "ko" else " 0 frozen") in status.text(), timeout=60_000
    )
    qtbot.keyClick(design, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.ctx.document.project.model.freeze == "backbone" and freeze.isChecked()

    data = go_to(qtbot, window, "Data")
    browse_folder(qtbot, data, photos, monkeypatch)
    set_image_size(qtbot, data, 32, 32)
    wait_listed(qtbot, data, 60)

    run_dir = train(qtbot, window, epochs=1, batch_size=16)

    # transfer learning happened: the backbone is the cached file's, untouched; the head is new
    trained = torch.load(run_dir / "checkpoints" / "last.pt", weights_only=True)["model"]
    for name in ("conv1.weight", "layer1.0.conv1.weight", "layer4.1.bn2.weight", "layer4.1.bn2.running_mean"):
        assert torch.equal(trained[name], imagenet[name]), f"{name} changed: the backbone was not frozen"
    assert trained["fc.weight"].shape == (len(PHOTO_CLASSES), 512)

    page = evaluate(qtbot, window, run_dir)
    counts = np.array(confusion_counts(page))
    assert counts.shape == (3, 3) and counts.sum(axis=1).tolist() == [4, 4, 4]

    weights_file = export(qtbot, window, "safetensors", tmp_path / "photos-resnet18.safetensors").result.path

    images = sorted(str(p) for p in photos.glob("*/*_1[0-2].png"))
    exported = load_predictor(weights_file).predict(images, top_k=3)
    studio = load_predictor(run_dir, which="last").predict(images, top_k=3)
    assert exported[0].top[0][0] in PHOTO_CLASSES and len(exported[0].top) == 3
    for a, b in zip(exported, studio, strict=True):
        assert a.top[0][0] == b.top[0][0] and np.allclose(a.probabilities, b.probabilities, atol=1e-4)

    assert dialogs.titles("warning") == [] and dialogs.titles("critical") == []
    close_window(window)
