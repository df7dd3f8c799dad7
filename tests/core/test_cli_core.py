"""The headless core commands: ``templates``, ``new``, ``summary`` (docs/cli.md, docs/contract.md).

Most cases call :func:`studio.cli.main` in-process; a few run ``python -m studio`` in a real
subprocess to pin exit codes and stderr exactly as a script sees them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from studio.cli import main
from studio.core.project.templates import TEMPLATES

REPO = Path(__file__).resolve().parents[2]

# docs/project-format.md's example project, verbatim
SPEC_PROJECT: dict[str, Any] = {
    "format": "cnn-studio/1",
    "name": "Digits",
    "data": {
        "source": "mnist",
        "root": "~/.cache/cnn-studio/datasets",
        "download": True,
        "channels": 1,
        "image_size": [28, 28],
        "val": 0.1,
        "augment": {},
    },
    "model": {
        "kind": "stack",
        "layers": [
            {"type": "Conv2d", "out_channels": 32, "kernel_size": 3, "padding": 1},
            {"type": "BatchNorm2d"},
            {"type": "ReLU"},
            {"type": "MaxPool2d", "kernel_size": 2},
            {"type": "Flatten"},
            {"type": "Linear", "out_features": 10},
        ],
    },
    "training": {
        "epochs": 3,
        "batch_size": 128,
        "optimizer": {"type": "AdamW", "lr": 0.003, "weight_decay": 0.0001},
        "scheduler": {"type": "OneCycleLR", "max_lr": 0.01},
        "seed": 0,
        "device": "auto",
    },
}


def _project(tmp_path: Path, raw: dict[str, Any], name: str = "p.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(raw), encoding="utf-8")
    return str(path)


def _bad_maxpool_project() -> dict[str, Any]:
    """Layer 3, a 3x3 max pooling, meets a 2x2 feature map."""
    raw = json.loads(json.dumps(SPEC_PROJECT))
    raw["data"]["image_size"] = [4, 4]
    raw["model"]["layers"][0] = {"type": "Conv2d", "out_channels": 8, "kernel_size": 3}
    raw["model"]["layers"][3] = {"type": "MaxPool2d", "kernel_size": 3}
    return raw


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "studio", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ") and "Traceback" not in err
    return lines[0]


# --------------------------------------------------------------------------- templates and new


def test_templates_lists_every_name_with_its_description(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["templates"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == len(TEMPLATES)
    for line, (name, template) in zip(out, TEMPLATES.items(), strict=True):
        assert line.split()[0] == name and line.endswith(template.description)


def test_new_writes_a_valid_project_and_refuses_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sub" / "digits.json"
    assert main(["new", "mnist-cnn", "-o", str(out)]) == 0
    written = json.loads(out.read_text(encoding="utf-8"))
    assert json.dumps(written, sort_keys=True) == json.dumps(TEMPLATES["mnist-cnn"].make(), sort_keys=True)
    capsys.readouterr()

    out.write_text("my edits", encoding="utf-8")
    assert main(["new", "lenet5", "-o", str(out)]) == 2
    line = _one_error_line(capsys.readouterr().err)
    assert str(out) in line and "--force" in line
    assert out.read_text(encoding="utf-8") == "my edits"

    assert main(["new", "lenet5", "-o", str(out), "--force"]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["name"] == "LeNet-5 (1998)"


def test_new_with_an_unknown_template(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "alexnet", "-o", str(tmp_path / "x.json")]) == 2
    line = _one_error_line(capsys.readouterr().err)
    assert "alexnet" in line and "lenet5" in line
    assert not (tmp_path / "x.json").exists()


# --------------------------------------------------------------------------- summary


def test_summary_json_is_spec_section_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", _project(tmp_path, SPEC_PROJECT), "--json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert list(body) == ["input_shape", "output_shape", "layers", "total_params", "trainable_params"]
    assert body["input_shape"] == [1, 28, 28] and body["output_shape"] == [10]
    assert body["layers"][0] == {"index": 0, "type": "Conv2d", "output_shape": [32, 28, 28], "params": 320}
    assert [la["output_shape"] for la in body["layers"]] == [
        [32, 28, 28],
        [32, 28, 28],
        [32, 28, 28],
        [32, 14, 14],
        [6272],
        [10],
    ]
    assert [la["index"] for la in body["layers"]] == list(range(6))
    assert all(set(la) == {"index", "type", "output_shape", "params"} for la in body["layers"])
    assert body["total_params"] == 63114 == body["trainable_params"]


@pytest.mark.parametrize(
    ("name", "total"),
    [
        ("vgg16", "138,357,544"),
        ("resnet18-blocks", "11,689,512"),
        ("lenet5", "61,706"),
        ("googlenet-blocks", "6,624,904"),
        ("efficientnet-b0-blocks", "5,288,548"),
    ],
)
def test_summary_table_of_the_classic_templates(
    name: str, total: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["summary", _project(tmp_path, TEMPLATES[name].make())]) == 0
    out = capsys.readouterr().out
    assert f"total params:     {total}" in out
    assert f"trainable params: {total}" in out
    size = int(total.replace(",", "")) * 4 / 1e6
    assert f"model size:       {size:.2f} MB" in out
    header = out.splitlines()[1]
    for column in ("layer", "output shape", "params"):
        assert column in header


def test_summary_of_every_template(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name, template in TEMPLATES.items():
        assert main(["summary", _project(tmp_path, template.make(), f"{name}.json"), "--json"]) == 0, name
        body = json.loads(capsys.readouterr().out)
        assert body["total_params"] > 0 and body["layers"], name


def test_summary_of_a_pretrained_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = TEMPLATES["resnet18-transfer"].make()
    photos = tmp_path / "photos"
    for cls in ("cats", "dogs", "owls"):
        (photos / cls).mkdir(parents=True)
    raw["data"]["root"] = str(photos)
    path = _project(tmp_path, raw)
    assert main(["summary", path, "--json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["output_shape"] == [3]  # the head fits the folder's three classes
    assert body["trainable_params"] == 512 * 3 + 3
    assert body["layers"][0]["type"] == "conv1 (Conv2d)" and body["layers"][-1]["type"] == "fc (Linear)"
    assert main(["summary", path, "--classes", "20"]) == 0
    out = capsys.readouterr().out
    assert "head for 20 classes" in out and "(frozen)" in out
    assert f"trainable params: {512 * 20 + 20:,}" in out


def test_summary_of_a_design_error_names_the_layer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _project(tmp_path, _bad_maxpool_project())
    assert main(["summary", path]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert _one_error_line(captured.err).startswith("error: layer 3 (MaxPool2d): ")

    assert main(["summary", path, "--json"]) == 2
    captured = capsys.readouterr()
    body = json.loads(captured.out)
    assert list(body) == ["error"] and set(body["error"]) == {"layer", "message"}
    assert body["error"]["layer"] == 3 and "larger than its input" in body["error"]["message"]
    assert _one_error_line(captured.err) == f"error: layer 3 (MaxPool2d): {body['error']['message']}"


def test_a_bad_layer_argument_is_a_layer_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = json.loads(json.dumps(SPEC_PROJECT))
    raw["model"]["layers"][3]["kernel_size"] = -1
    assert main(["summary", _project(tmp_path, raw), "--json"]) == 2
    captured = capsys.readouterr()
    assert json.loads(captured.out) == {
        "error": {"layer": 3, "message": "kernel_size: must be a positive integer, got -1"}
    }
    assert (
        _one_error_line(captured.err)
        == "error: layer 3 (MaxPool2d): kernel_size: must be a positive integer, got -1"
    )


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (None, "does not exist"),
        ("{not json", "not valid JSON"),
        ('{"format": "cnn-studio/9"}', "newer CNN Studio"),
        ('{"training": {"epochs": -3}}', "training.epochs: must be a positive integer, got -3"),
    ],
)
def test_other_bad_input_exits_2(
    content: str | None, words: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "p.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert main(["summary", str(path)]) == 2
    assert words in _one_error_line(capsys.readouterr().err)
    assert main(["summary", str(path), "--json"]) == 2
    captured = capsys.readouterr()
    assert words in json.loads(captured.out)["error"]["message"]
    _one_error_line(captured.err)


@pytest.mark.parametrize(
    "argv",
    [
        ["summary"],
        ["summary", "a.json", "--classes", "many"],
        ["new", "lenet5"],
        ["summary", "a.json", "--bogus"],
    ],
)
def test_bad_arguments_exit_2_with_one_line(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    _one_error_line(capsys.readouterr().err)


def test_an_internal_failure_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import studio.commands.summary as summary

    def broken(*args: Any) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(summary, "analyze", broken)
    assert main(["summary", _project(tmp_path, SPEC_PROJECT)]) == 1
    assert "internal error" in capsys.readouterr().err


# --------------------------------------------------------------------------- real subprocesses


def test_subprocess_summary_ok_and_errors(tmp_path: Path) -> None:
    good = _project(tmp_path, SPEC_PROJECT, "good.json")
    done = _run("summary", good, "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total_params"] == 63114

    done = _run("summary", _project(tmp_path, _bad_maxpool_project(), "bad.json"), "--json")
    assert done.returncode == 2
    assert json.loads(done.stdout)["error"]["layer"] == 3
    assert _one_error_line(done.stderr).startswith("error: layer 3 (MaxPool2d): ")


def test_subprocess_deeply_nested_file_is_one_error_line(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text('{"x": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    done = _run("summary", str(deep))
    assert done.returncode == 2
    assert "nested too deeply" in _one_error_line(done.stderr)


def test_subprocess_new_and_templates(tmp_path: Path) -> None:
    done = _run("templates")
    assert done.returncode == 0 and "resnet18-transfer" in done.stdout
    out = tmp_path / "lenet.json"
    assert _run("new", "lenet5", "-o", str(out)).returncode == 0
    again = _run("new", "lenet5", "-o", str(out))
    assert again.returncode == 2 and "already exists" in _one_error_line(again.stderr)
