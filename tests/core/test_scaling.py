"""Compound scaling: efficientnet-b0-blocks scaled to B1-B3 is torchvision's efficientnet_b1-b3."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
import torchvision

from studio.cli import main
from studio.core.model.builder import build_stack
from studio.core.model.scaling import ScaleError, Scaling, scale_channels, scale_layers
from studio.core.model.shapes import summarize
from studio.core.project.document import ProjectDocument
from studio.core.project.project_file import load_project
from studio.core.project.scale import scale_project
from studio.core.project.templates import TEMPLATES
from tests.core.tvmatch import load_by_position, randomise_batchnorm


def _b0() -> object:
    return TEMPLATES["efficientnet-b0-blocks"].project()


@pytest.mark.parametrize(
    ("variant", "params", "size", "blocks"),
    [
        ("b1", 7_794_184, 240, 23),
        ("b2", 9_109_994, 288, 23),
        ("b3", 12_233_232, 300, 26),
    ],
)
def test_variants_have_torchvisions_counts_and_tensors(
    variant: str, params: int, size: int, blocks: int
) -> None:
    project, result = scale_project(_b0(), Scaling.of_variant(variant))
    assert project.input_shape == (3, size, size)
    assert result.after.total_params == params
    assert summarize(project.model.layers, project.input_shape).total_params == params
    assert sum(1 for la in project.model.layers if la["type"] == "MBConv") == blocks
    with torch.device("meta"):
        theirs = getattr(torchvision.models, f"efficientnet_{variant}")()
        ours = build_stack(project.model.layers, project.input_shape)
    assert sum(p.numel() for p in theirs.parameters()) == params
    assert [tuple(t.shape) for t in ours.state_dict().values()] == [
        tuple(t.shape) for t in theirs.state_dict().values()
    ]
    # the same stochastic depth schedule and classifier dropout as torchvision's variant
    sds = [la["stochastic_depth"] for la in project.model.layers if la["type"] == "MBConv"]
    tv_sds = [
        m.stochastic_depth.p
        for m in theirs.modules()
        if isinstance(m, torchvision.models.efficientnet.MBConv)
    ]
    assert sds == pytest.approx(tv_sds, abs=1e-6)
    assert [la["p"] for la in project.model.layers if la["type"] == "Dropout"] == [theirs.classifier[0].p]


def test_b1_computes_what_torchvisions_b1_computes() -> None:
    project, _ = scale_project(_b0(), Scaling.of_variant("b1"))
    torch.manual_seed(0)
    theirs = torchvision.models.efficientnet_b1().eval()
    randomise_batchnorm(theirs)
    ours = build_stack(project.model.layers, project.input_shape).eval()
    load_by_position(ours, theirs)
    x = torch.randn(1, 3, 240, 240)
    with torch.no_grad():
        torch.testing.assert_close(ours(x), theirs(x), rtol=1e-4, atol=1e-4)


def test_multipliers_by_hand() -> None:
    layers = [
        {"type": "Conv2d", "out_channels": 16, "kernel_size": 3, "padding": 1},
        {"type": "MBConv", "out_channels": 16, "expand_ratio": 1.0},
        {"type": "MBConv", "out_channels": 24, "stride": 2},
        {"type": "MBConv", "out_channels": 24},
        {"type": "SqueezeExcitation", "squeeze_channels": 6},
        {"type": "AdaptiveAvgPool2d"},
        {"type": "Flatten"},
        {"type": "Linear", "out_features": 10},
    ]
    result = scale_layers(layers, (32, 32), 3, Scaling(width=1.5, depth=2.0, resolution=1.25))
    kinds = [la["type"] for la in result.layers]
    assert kinds.count("MBConv") == 6  # ceil(1 x 2) + ceil(2 x 2)
    assert [la.get("stride", 1) for la in result.layers if la["type"] == "MBConv"] == [1, 1, 2, 1, 1, 1]
    assert result.layers[0]["out_channels"] == 24 and result.layers[1]["out_channels"] == 24
    assert [la["out_channels"] for la in result.layers if la["type"] == "MBConv"][2:] == [
        40
    ] * 4  # 24*1.5=36 -> 40
    assert result.layers[-4]["squeeze_channels"] == 9  # no rounding to 8 for a squeeze width
    assert scale_channels(6, 1.5) == 16 and scale_channels(320, 1.2) == 384  # 9 -> 8 would lose > 10%
    assert result.layers[-1] == {"type": "Linear", "out_features": 10}  # the class count stays
    assert result.image_size == (40, 40)
    assert result.after.total_params > result.before.total_params and result.after.macs > result.before.macs
    assert layers[1]["out_channels"] == 16  # the input is not changed


@pytest.mark.parametrize(
    ("layers", "scaling", "words"),
    [
        ([{"type": "Conv2d"}], Scaling(1.2), "needs a network with MBConv"),
        ([{"type": "MBConv"}], Scaling(0.0), "--width must be a number above 0"),
        ([{"type": "MBConv"}], Scaling(1.0, float("nan")), "--depth"),
        ([{"type": "Conv2d", "kernel_size": 99}, {"type": "MBConv"}], Scaling(1.1), "not valid yet"),
    ],
)
def test_what_cannot_be_scaled_says_why(layers: list, scaling: Scaling, words: str) -> None:
    with pytest.raises(ScaleError, match=words):
        scale_layers(layers, (32, 32), 3, scaling)
    with pytest.raises(ScaleError, match="unknown variant 'b8'"):
        Scaling.of_variant("b8")


def test_one_undoable_edit() -> None:
    doc = ProjectDocument(_b0())
    before = doc.project.to_dict()
    edit, result = doc.scale_network(Scaling.of_variant("b2"))
    doc.apply(edit)
    assert edit.text == "Scale network (EfficientNet-B2)"
    assert doc.summary().total_params == 9_109_994 and doc.project.input_shape == (3, 288, 288)
    assert doc.dirty and result.before.total_params == 5_288_548
    assert doc.undo() and doc.project.to_dict() == before and doc.summary().total_params == 5_288_548
    assert doc.redo() and doc.summary().total_params == 9_109_994


def test_cli_scale(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src, out = tmp_path / "b0.json", tmp_path / "b3.json"
    assert main(["new", "efficientnet-b0-blocks", "-o", str(src)]) == 0
    assert main(["scale", str(src), "--variant", "b3", "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "5,288,548" in text and "12,233,232" in text and "3x300x300" in text
    assert summarize(load_project(out).model.layers, (3, 300, 300)).total_params == 12_233_232
    assert json.loads(out.read_text())["data"]["image_size"] == [300, 300]
    # the manual form, with defaults of 1 for what is not given
    manual = tmp_path / "wide.json"
    assert (
        main(
            ["scale", str(src), "--width", "1.2", "--depth", "1.4", "--resolution", "1.25", "-o", str(manual)]
        )
        == 0
    )
    assert load_project(manual).input_shape == (3, 280, 280)
    assert summarize(load_project(manual).model.layers, (3, 280, 280)).total_params == 12_233_232
    capsys.readouterr()
    for argv, words in [
        (["scale", str(src), "--variant", "b3", "-o", str(out)], "already exists"),
        (["scale", str(src), "--variant", "b3", "--width", "2", "-o", str(tmp_path / "x.json")], "not both"),
        (["scale", str(src), "-o", str(tmp_path / "x.json")], "--variant b0..b7"),
        (["scale", str(src), "--variant", "b12", "-o", str(tmp_path / "x.json")], "unknown variant"),
    ]:
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: ") and words in err and err.count("\n") == 1
    lenet = tmp_path / "lenet.json"
    assert main(["new", "lenet5", "-o", str(lenet)]) == 0
    assert main(["scale", str(lenet), "--variant", "b1", "-o", str(tmp_path / "x.json")]) == 2
    assert "needs a network with MBConv" in capsys.readouterr().err
    assert not (tmp_path / "x.json").exists()
