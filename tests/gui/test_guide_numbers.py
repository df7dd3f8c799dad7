"""docs/guide.md's figures are the app's (issue 14, item 10): the layer order, parameter counts,
sizes and MACs quoted for each journey are computed here from the templates with the Design
page's own formatting, and must appear in the guide's section for that journey."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from studio.core.model.shapes import analyze
from studio.core.project.templates import get_template
from studio.gui.designer.shape_table import human, totals_text

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide.md"


def _sections() -> dict[str, str]:
    """Heading -> its text with the line breaks and emphasis markers taken out."""
    parts = re.split(r"^## ", GUIDE.read_text(encoding="utf-8"), flags=re.M)
    out = {}
    for part in parts[1:]:
        heading, _, body = part.partition("\n")
        out[heading.strip()] = " ".join(body.replace("*", "").split())
    return out


def _layer_line(layers: list[dict[str, Any]]) -> str:
    """'`Conv2d 16` → `MaxPool2d` → ... → `Linear 10`' as the guide writes a stack."""
    words = []
    for layer in layers:
        word = layer["type"]
        size = layer.get("out_channels", layer.get("out_features"))
        if size is not None:
            word += f" {size}"
        if layer.get("stride", 1) != 1:
            word += f" /{layer['stride']}"
        words.append(f"`{word}`")
    return " → ".join(words)


def _summary(name: str) -> Any:
    project = get_template(name).project()
    return project, analyze(project.model.layers, project.input_shape)


def test_the_mnist_journey_quotes_the_apps_totals_and_order() -> None:
    section = _sections()["1. MNIST digits"]
    project, summary = _summary("mnist-cnn")
    assert " ".join(totals_text(summary).split()) in section  # the line under the stack, verbatim
    assert _layer_line(project.model.layers) in section
    assert f"{len(project.model.layers)} layers" in section


@pytest.mark.parametrize(
    ("heading", "template", "with_size"),
    [
        ("2. CIFAR-10 objects", "cifar10-cnn", False),
        ("3. VGG-16 from blocks", "vgg16", True),
        ("5. A classifier for your own photos", "photos-cnn", False),
    ],
)
def test_each_journey_quotes_the_apps_parameters(heading: str, template: str, with_size: bool) -> None:
    section = _sections()[heading]
    _, summary = _summary(template)
    assert f"{summary.total_params:,} parameters" in section
    if with_size:
        assert f"{summary.size_mb:.2f} MB · {human(summary.macs)} MACs" in section
    elif heading.startswith("2."):
        assert f"{human(summary.macs)} MACs" in section
