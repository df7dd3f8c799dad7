"""Issue 20 items 2-4: foreign code-carrying models need trust, nothing foreign is overwritten,
foreign models cannot hang predict or declare huge inputs."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import numpy as np
import onnx
import pytest
import torch
from onnx import TensorProto, helper

from studio.cli import main
from studio.core.evaluation import predict as predict_mod
from studio.core.evaluation.predict import PredictError, load_predictor
from studio.core.export.exporter import OverwriteRefused, export_run, is_export_of
from studio.core.export.formats import ExportError, ExportMeta
from studio.core.export.trust import UntrustedModelError, is_own_export, is_torchscript_archive
from tests.helpers.runfactory import CLASSES, MadeRun, shared_export, shared_run


@pytest.fixture(scope="module")
def made() -> MadeRun:
    return shared_run()


def _error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "Traceback" not in err
    return lines[0]


def _foreign_torchscript(path: Path, meta_text: str) -> None:
    """A TorchScript file the studio did not write (with valid-looking studio metadata)."""
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(144, len(CLASSES)))
    buffer = io.BytesIO()
    torch.jit.save(torch.jit.script(model), buffer, _extra_files={"cnn_studio.json": meta_text})
    path.write_bytes(buffer.getvalue())


# --------------------------------------------------------------------------- item 2: trust


def test_own_exports_load_without_trust(made: MadeRun) -> None:
    for fmt in ("torchscript", "python"):
        path = shared_export(fmt).path
        assert is_own_export(path)
        predictor = load_predictor(path)
        assert predictor.kind == fmt and predictor.time_limit is None
        assert predictor.predict([str(made.paths[0])])[0].ok


def test_a_foreign_torchscript_file_is_refused_before_it_is_loaded(
    made: MadeRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    meta = shared_export("torchscript").meta
    foreign = tmp_path / "downloaded.pt"
    _foreign_torchscript(foreign, meta.text())
    assert is_torchscript_archive(foreign) and not is_own_export(foreign)

    def no_load(*args: object, **kwargs: object) -> None:
        raise AssertionError("torch.jit.load ran on an untrusted file")

    with monkeypatch.context() as m:
        m.setattr(torch.jit, "load", no_load)
        with pytest.raises(UntrustedModelError) as info:
            load_predictor(foreign)
        assert info.value.path == foreign and "--trust" in str(info.value) and "runs code" in str(info.value)
        assert main(["predict", str(foreign), str(made.paths[0])]) == 2
    line = _error_line(capsys)
    assert str(foreign) in line and "--trust" in line
    assert main(["predict", str(foreign), str(made.paths[0]), "--trust"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{made.paths[0]}: ")
    trusted = load_predictor(foreign, trust=True)
    assert trusted.kind == "torchscript" and trusted.time_limit is not None  # foreign: time-limited


def test_an_edited_python_export_is_refused_until_trusted(
    made: MadeRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "py"
    shutil.copytree(shared_export("python").path, folder)
    assert load_predictor(folder).kind == "python"  # a byte-identical copy is still the studio's
    with open(folder / "model.py", "a", encoding="utf-8") as fh:
        fh.write("\nimport pathlib\npathlib.Path('RAN').write_text('x')\n")
    with pytest.raises(UntrustedModelError, match="python export folder"):
        load_predictor(folder)
    assert not (tmp_path / "RAN").exists()
    load_predictor(folder, trust=True)
    assert (tmp_path / "RAN").exists()  # trust really means running it


def test_state_dict_safetensors_and_onnx_need_no_trust(made: MadeRun, tmp_path: Path) -> None:
    for fmt, name in (("state-dict", "s.pt"), ("safetensors", "s.safetensors"), ("onnx", "s.onnx")):
        copy = tmp_path / name
        copy.write_bytes(shared_export(fmt).path.read_bytes())
        assert load_predictor(copy).kind == fmt


# --------------------------------------------------------------------------- item 3: no overwriting


def test_export_never_replaces_a_file_it_did_not_write(
    made: MadeRun, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    thesis = tmp_path / "thesis.docx"
    thesis.write_bytes(b"years of work")
    for fmt in ("onnx", "torchscript", "state-dict", "safetensors"):
        assert main(["export", str(made.path), "--format", fmt, "--out", str(thesis), "--samples", "4"]) == 2
        line = _error_line(capsys)
        assert str(thesis) in line and "--force" in line
    assert thesis.read_bytes() == b"years of work"
    with pytest.raises(OverwriteRefused):  # an export of another format is not "the same export"
        export_run(made.path, "torchscript", shared_export("safetensors").path, max_samples=4)
    assert (
        main(
            [
                "export",
                str(made.path),
                "--format",
                "safetensors",
                "--out",
                str(thesis),
                "--samples",
                "4",
                "--force",
            ]
        )
        == 0
    )
    assert is_export_of(thesis, "safetensors")


def test_export_replaces_its_own_earlier_export(made: MadeRun, tmp_path: Path) -> None:
    target = tmp_path / "m.safetensors"
    first = export_run(made.path, "safetensors", target, max_samples=4)
    target.write_bytes(target.read_bytes())  # same bytes, still recorded
    second = export_run(made.path, "safetensors", target, max_samples=4)
    assert first.path == second.path == target
    # an unrecorded studio export (another machine's) is recognised by its metadata
    other = tmp_path / "other.pt"
    shutil.copyfile(shared_export("torchscript").path, other)
    with open(other, "ab") as fh:
        fh.write(b"\0")  # no longer the recorded bytes
    assert not is_own_export(other)
    assert export_run(made.path, "torchscript", other, max_samples=4).path == other


def test_python_export_refuses_a_foreign_model_py(made: MadeRun, tmp_path: Path) -> None:
    folder = tmp_path / "code"
    folder.mkdir()
    (folder / "model.py").write_text("# my own code\n")
    with pytest.raises(OverwriteRefused, match="model.py"):
        export_run(made.path, "python", folder, max_samples=4)
    assert (folder / "model.py").read_text() == "# my own code\n"


def test_train_out_refuses_a_folder_holding_another_run(
    made: MadeRun, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other-run"
    shutil.copytree(made.path, other)
    before = (other / "project.json").read_bytes(), (other / "classes.json").read_bytes()
    assert main(["train", str(made.path / "project.json"), "--out", str(other), "--epochs", "1"]) == 2
    line = _error_line(capsys)
    assert str(other) in line and "project.json" in line and "--resume" in line
    assert ((other / "project.json").read_bytes(), (other / "classes.json").read_bytes()) == before
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine")
    assert main(["train", str(made.path / "project.json"), "--out", str(a_file), "--epochs", "1"]) == 2
    assert str(a_file) in _error_line(capsys) and a_file.read_text() == "mine"


# --------------------------------------------------------------------------- item 4: hangs, memory


def _endless_onnx(path: Path, meta_text: str) -> None:
    """An ONNX model whose Loop never ends (trip count INT64_MAX, condition always true)."""
    body = helper.make_graph(
        [
            helper.make_node("Identity", ["cond_in"], ["cond_out"]),
            helper.make_node("Add", ["v_in", "one"], ["v_out"]),
        ],
        "body",
        [
            helper.make_tensor_value_info("i", TensorProto.INT64, []),
            helper.make_tensor_value_info("cond_in", TensorProto.BOOL, []),
            helper.make_tensor_value_info("v_in", TensorProto.FLOAT, []),
        ],
        [
            helper.make_tensor_value_info("cond_out", TensorProto.BOOL, []),
            helper.make_tensor_value_info("v_out", TensorProto.FLOAT, []),
        ],
        [helper.make_tensor("one", TensorProto.FLOAT, [], [1.0])],
    )
    graph = helper.make_graph(
        [
            helper.make_node("ReduceSum", ["input"], ["start"], keepdims=0),
            helper.make_node("Loop", ["trips", "cond", "start"], ["logits"], body=body),
        ],
        "endless",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 1, 12, 12])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [])],
        [
            helper.make_tensor("trips", TensorProto.INT64, [], [2**63 - 1]),
            helper.make_tensor("cond", TensorProto.BOOL, [], [True]),
        ],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    entry = model.metadata_props.add()
    entry.key, entry.value = "cnn_studio", meta_text
    path.write_bytes(model.SerializeToString())


def test_a_foreign_onnx_loop_that_never_ends_is_stopped(
    made: MadeRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(predict_mod, "FOREIGN_TIME_LIMIT_S", 0.5)
    endless = tmp_path / "endless.onnx"
    _endless_onnx(endless, shared_export("onnx").meta.text())
    predictor = load_predictor(endless)
    assert predictor.time_limit == 0.5
    with pytest.raises(PredictError, match="did not finish one batch within 0.5 s"):
        predictor.predict([str(made.paths[0])])
    assert main(["predict", str(endless), str(made.paths[0])]) == 2
    assert "did not finish" in _error_line(capsys)


def test_declared_input_shapes_and_metadata_are_bounded(
    made: MadeRun, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = shared_export("onnx").meta.to_json()
    cases = {
        "input_shape[1]": dict(good, input_shape=[3, 60000, 60000]),
        "input_shape[0]": dict(good, input_shape=[7, 12, 12]),
        "field std": dict(good, std=[0.0]),
        "field classes": dict(good, classes=5),
        "1 to 100000 names": dict(good, classes=[]),
        "field mean": dict(good, mean="x"),
        "no field input_shape": {k: v for k, v in good.items() if k != "input_shape"},
    }
    proto = onnx.load(str(shared_export("onnx").path))
    for i, (expected, meta) in enumerate(cases.items()):
        for entry in proto.metadata_props:
            if entry.key == "cnn_studio":
                entry.value = json.dumps(meta)
        path = tmp_path / f"crafted{i}.onnx"
        path.write_bytes(proto.SerializeToString())
        assert main(["predict", str(path), str(made.paths[0])]) == 2
        line = _error_line(capsys)
        assert str(path) in line and expected in line, line


def test_a_model_whose_output_does_not_fit_its_classes_is_one_error(made: MadeRun, tmp_path: Path) -> None:
    meta = shared_export("torchscript").meta.to_json()
    wrong = tmp_path / "wrong.pt"
    _foreign_torchscript(wrong, json.dumps(dict(meta, classes=CLASSES + ["extra"])))
    with pytest.raises(PredictError, match=r"output is .*expected \(1, 4\)"):
        load_predictor(wrong, trust=True).predict([str(made.paths[0])])


def test_checkpoint_meta_names_the_field() -> None:
    base = {
        "project": {"name": "x"},
        "classes": ["a", "b"],
        "input_shape": [1, 8, 8],
        "norm": {"mean": [0.5], "std": [0.2]},
    }
    for field, value, expected in (
        ("classes", 3, "field classes"),
        ("input_shape", "1x8x8", "field input_shape"),
        ("norm", {"mean": [0.5], "std": [0]}, "field std"),
        ("input_shape", [1, -4, 8], "input_shape[1]"),
        ("classes", [], "classes"),
    ):
        with pytest.raises(ExportError, match=re.escape(expected)) as info:
            ExportMeta.from_checkpoint(dict(base, **{field: value}), "best", "run/checkpoints/best.pt")
        assert str(info.value).startswith("run/checkpoints/best.pt: ")
    assert ExportMeta.from_checkpoint(base).classes == ["a", "b"]
    assert np.isfinite(ExportMeta.from_checkpoint(base).std).all()
