"""``cnn-studio lab conv|pool`` (docs/contract.md, docs/cli.md) and the Lab's trained-run helpers.

The CLI's numbers are compared with ``torch.nn.functional`` on the image's pixel numbers;
bad input is one ``error:`` line and exit 2. The run helpers use a tiny trained run
(tests/core/runfactory.py): its first filters replay the network's own first layer, and a
shift of the validation images is evaluated exactly as the model would see it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from PIL import Image

from studio.cli import main
from studio.core.evaluation import lab
from studio.core.evaluation.lab_runs import ShiftEvaluator, network_filters, shift_images
from tests.helpers.runfactory import bundle_of, make_run

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def digit(tmp_path: Path) -> Path:
    rng = np.random.default_rng(3)
    rgb = rng.integers(0, 256, (9, 11, 3)).astype(np.uint8)
    path = tmp_path / "digit.png"
    Image.fromarray(rgb).save(path)
    return path


def _pixels(path: Path, channel: int | None = None) -> torch.Tensor:
    with Image.open(path) as img:
        a = np.asarray(img.convert("L") if channel is None else img.convert("RGB"), dtype=np.float64)
    return torch.from_numpy(a if channel is None else a[:, :, channel].copy())[None, None]


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict:
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(
    ("padding", "stride", "dilation", "channel"),
    [("0", 1, 1, None), ("same", 1, 2, None), ("2", 2, 1, 1), ("valid", 3, 1, 2)],
)
def test_conv_json_is_what_torch_computes(
    digit: Path,
    capsys: pytest.CaptureFixture[str],
    padding: str,
    stride: int,
    dilation: int,
    channel: int | None,
) -> None:
    argv = [
        "lab",
        "conv",
        str(digit),
        "--kernel",
        "1,0,-1;2,0,-2;1,0,-1",
        "--padding",
        padding,
        "--stride",
        str(stride),
        "--dilation",
        str(dilation),
        "--json",
    ]
    if channel is not None:
        argv += ["--channel", str(channel)]
    body = _json(capsys, argv)
    kernel = torch.tensor([[1.0, 0, -1], [2, 0, -2], [1, 0, -1]], dtype=torch.float64)[None, None]
    pad: int | str = int(padding) if padding.isdigit() else padding
    expected = F.conv2d(_pixels(digit, channel), kernel, stride=stride, padding=pad, dilation=dilation)[0, 0]
    assert body["input_shape"] == [9, 11]
    assert body["output_shape"] == list(expected.shape)
    assert all(isinstance(v, float) for row in body["output"] for v in row)
    np.testing.assert_allclose(np.asarray(body["output"]), expected.numpy(), atol=1e-9)


@pytest.mark.parametrize(("kind", "k", "stride"), [("max", 2, None), ("avg", 3, 2), ("max", 3, 1)])
def test_pool_json_is_what_torch_computes(
    digit: Path, capsys: pytest.CaptureFixture[str], kind: str, k: int, stride: int | None
) -> None:
    argv = ["lab", "pool", str(digit), "--kind", kind, "--kernel", str(k), "--json"]
    if stride:
        argv += ["--stride", str(stride)]
    body = _json(capsys, argv)
    fn = F.max_pool2d if kind == "max" else F.avg_pool2d
    expected = fn(_pixels(digit), k, stride=stride)[0, 0]
    assert body["output_shape"] == list(expected.shape)
    np.testing.assert_allclose(np.asarray(body["output"]), expected.numpy(), atol=1e-9)


def test_table_output_shows_the_formula(digit: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lab", "conv", str(digit), "--kernel", "sobel x", "--padding", "1", "--stride", "2"]) == 0
    out = capsys.readouterr().out
    assert "input 9x11 -> output 5x6" in out
    assert "H_out = ⌊(9 + 2·1 − 1·(3−1) − 1) / 2⌋ + 1 = 5" in out
    assert main(["lab", "pool", str(digit), "--kind", "max", "--kernel", "2"]) == 0
    assert "no parameters, channels unchanged" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["conv", "{img}", "--kernel", "1,0,-1;2,0"], "error: kernel row 2 has 2 number(s) but row 1 has 3"),
        (["conv", "{img}", "--kernel", "1,b"], "error: kernel row 1: 'b' is not a number"),
        (
            ["conv", "{img}", "--kernel", "1", "--padding", "wide"],
            "error: padding 'wide' is not a whole number",
        ),
        (["conv", "{img}", "--kernel", "1;1;1;1;1;1;1;1;1;1;1;1"], "padded input is only 9x11"),
        (["conv", "missing.png", "--kernel", "1"], "error: image 'missing.png' does not exist"),
        (["pool", "{img}", "--kind", "max", "--kernel", "0"], "error: pooling kernel must be"),
    ],
)
def test_bad_input_is_one_error_line_exit_2(digit: Path, args: list[str], message: str) -> None:
    argv = [a.replace("{img}", str(digit)) for a in args]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [sys.executable, "-m", "studio", "lab", *argv],
        capture_output=True,
        text=True,
        env=env,
        cwd=digit.parent,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr


# --------------------------------------------------------------------------- trained runs


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201 - runfactory.MadeRun
    return make_run(tmp_path_factory.mktemp("labrun"), steps=40)


def test_network_filters_replay_the_first_layer(tiny_run) -> None:  # noqa: ANN001
    from studio.core.runs.run_folder import load_trained_model

    filters = network_filters(tiny_run.path)
    assert filters.weights.shape == (8, 1, 3, 3)
    assert (filters.stride, filters.padding, filters.dilation) == (1, 1, 1)
    model, _ = load_trained_model(tiny_run.path)
    pixels = tiny_run.images[0].astype(np.float64)
    x = filters.normalise(pixels)
    expected = model[0](torch.from_numpy(x).float()[None])[0].detach().numpy()
    maps = lab.conv2d_many(
        x, filters.weights, filters.padding, filters.stride, filters.dilation, filters.bias
    )
    np.testing.assert_allclose(maps, expected, rtol=1e-4, atol=1e-4)


def test_shift_evaluation_matches_the_model_on_shifted_images(tiny_run) -> None:  # noqa: ANN001
    from studio.core.runs.run_folder import load_trained_model

    data = bundle_of(tiny_run)
    ev = ShiftEvaluator(tiny_run.path, data=data, limit=20)
    assert len(ev.labels) == 20
    model, state = load_trained_model(tiny_run.path)
    for dx, dy in [(0, 0), (3, 0), (-2, 4)]:
        shifted = shift_images(ev.images, dx, dy)
        x = (
            torch.from_numpy(shifted).float() / 255 - torch.tensor(state["norm"]["mean"]).view(1, -1, 1, 1)
        ) / torch.tensor(state["norm"]["std"]).view(1, -1, 1, 1)
        with torch.no_grad():
            expected = (model(x).argmax(1).numpy() == ev.labels).mean()
        assert ev.accuracy(dx, dy) == pytest.approx(float(expected))
    assert ev.curve([0, 3]) == [ev.accuracy(0), ev.accuracy(3)]
    example = ev.examples(2, 0, count=2)[0]
    np.testing.assert_array_equal(example.image[:, :, 2:], ev.images[0][:, :, :-2])
    assert (example.image[:, :, :2] == 0).all()


def test_shift_images_moves_and_fills_with_black() -> None:
    x = np.arange(16, dtype=np.uint8).reshape(1, 1, 4, 4) + 1
    right = shift_images(x, 1)
    np.testing.assert_array_equal(right[0, 0, :, 1:], x[0, 0, :, :-1])
    assert (right[0, 0, :, 0] == 0).all()
    up = shift_images(x, 0, -1)
    np.testing.assert_array_equal(up[0, 0, :-1], x[0, 0, 1:])
    assert (shift_images(x, 4) == 0).all()


def test_bad_kernel_error_follows_the_language(digit: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    env["PYTHONPATH"] = str(REPO)
    proc = subprocess.run(
        [sys.executable, "-m", "studio", "--lang", "ko", "lab", "conv", str(digit), "--kernel", "1,2;3"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 2
    assert (
        proc.stderr.strip()
        == "error: 커널 2행에는 숫자가 1개인데 1행에는 2개입니다; 모든 행의 숫자 개수가 같아야 합니다"
    )
