"""Every export format round-trips a trained run, carries its metadata and is verified."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
import torch

from studio.cli import main
from studio.core.evaluation.predict import load_predictor
from studio.core.export import formats as export_formats
from studio.core.export.exporter import (
    FORMATS,
    ExportError,
    ExportResult,
    Samples,
    compare_outputs,
    export_run,
)
from studio.core.runs.run_folder import RunError
from tests.helpers.runfactory import CLASSES, MadeRun, bundle_of, make_run, shared_export, shared_run


@pytest.fixture(scope="module")
def made() -> MadeRun:
    return shared_run()


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CNN_STUDIO_HOME", str(tmp_path / "home"))


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture(scope="module")
def exports(made: MadeRun) -> dict[str, ExportResult]:
    """One verified export per format, each into its own empty folder."""
    return {fmt: shared_export(fmt) for fmt in FORMATS}


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip(fmt: str, made: MadeRun, exports: dict[str, ExportResult]) -> None:
    result = exports[fmt]
    v = result.verification
    assert v.ok and v.source == "validation images" and v.samples == 30 and v.note == ""
    assert v.top1_agreement == 1.0 and v.max_abs_diff <= 1e-4 and v.tolerance > 0
    assert result.path.exists() and result.size_bytes > 0
    if fmt == "python":  # an empty folder receives the export itself
        out = result.path
        assert _files(out) == ["cnn_studio.json", "model.py", "predict.py", "weights.pt"]
    else:
        out = result.path.parent
        assert _files(out) == [result.path.name]
    assert _files(out.parent) == ["out"]  # nothing temporary left behind
    mode = stat.S_IMODE(os.stat(result.path).st_mode)
    assert mode & stat.S_IRUSR and mode & stat.S_IRGRP  # not a private temp file's 0600
    text = result.text()
    assert "top-1 agreement 100.0%" in text and "30 validation images" in text
    # the file reloads (by the same reader predict uses) with its metadata and the same answers
    predictor = load_predictor(result.path, trust=True)  # this test's own home did not record it
    assert predictor.classes == CLASSES and predictor.input_shape == (1, 12, 12)
    assert predictor.meta.mean == pytest.approx(made.mean) and predictor.meta.std == pytest.approx(made.std)
    run_pred = load_predictor(made.path)
    images = [str(p) for p in made.paths[:6]]
    got = np.stack([p.probabilities for p in predictor.predict(images)])
    want = np.stack([p.probabilities for p in run_pred.predict(images)])
    np.testing.assert_allclose(got, want, atol=1e-5)


def test_metadata_where_each_format_keeps_it(made: MadeRun, exports: dict[str, ExportResult]) -> None:
    import onnx
    import onnxruntime as ort
    from safetensors import safe_open

    extra = {"cnn_studio.json": ""}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch.jit's deprecation notice
        torch.jit.load(str(exports["torchscript"].path), _extra_files=extra)
    meta = json.loads(extra["cnn_studio.json"])
    assert meta["classes"] == CLASSES and meta["input_shape"] == [1, 12, 12]
    assert meta["mean"] == pytest.approx(made.mean) and meta["project"]["name"] == "Bars test"

    on = exports["onnx"].path
    proto = onnx.load(str(on))
    props = {p.key: p.value for p in proto.metadata_props}
    assert json.loads(props["classes"]) == CLASSES and json.loads(props["std"]) == pytest.approx(made.std)
    assert json.loads(props["cnn_studio"])["input_shape"] == [1, 12, 12]
    assert max(o.version for o in proto.opset_import if o.domain in ("", "ai.onnx")) >= 17
    batch_dim = proto.graph.input[0].type.tensor_type.shape.dim[0]
    assert batch_dim.dim_param and not batch_dim.HasField("dim_value")  # a symbolic (dynamic) batch
    session = ort.InferenceSession(str(on), providers=["CPUExecutionProvider"])
    for n in (1, 5):
        x = np.zeros((n, 1, 12, 12), np.float32)
        assert session.run(None, {session.get_inputs()[0].name: x})[0].shape == (n, 3)

    blob = torch.load(exports["state-dict"].path, weights_only=True)
    assert blob["classes"] == CLASSES and blob["input_shape"] == [1, 12, 12]
    assert blob["norm"]["mean"] == pytest.approx(made.mean)
    assert "0_Conv2d.weight" in blob["state_dict"]

    with safe_open(str(exports["safetensors"].path), framework="pt") as fh:
        md = fh.metadata()
        assert "7_Linear.weight" in list(fh.keys())
    assert json.loads(md["classes"]) == CLASSES and json.loads(md["input_shape"]) == [1, 12, 12]


_NO_STUDIO = """
import sys


class _NoStudio:  # even where the studio is pip-installed, it cannot be imported here
    def find_spec(self, name, path=None, target=None):
        if name == "studio" or name.startswith("studio."):
            raise ImportError("the studio is not available in this interpreter")


sys.meta_path.insert(0, _NoStudio())
"""


def _isolated(code: str, cwd: Path) -> str:
    """Run ``code`` with ``python -I`` (no PYTHONPATH, no user site, no script dir) in ``cwd``."""
    tail = '\nprint("MODULES:", " ".join(m.split(".")[0] for m in sys.modules))\n'
    proc = subprocess.run(
        [sys.executable, "-I", "-c", _NO_STUDIO + code + tail],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "studio" not in proc.stdout.split("MODULES:")[-1].split()
    return proc.stdout.split("MODULES:")[0]


def _one_image(made: MadeRun) -> tuple[np.ndarray, np.ndarray]:
    """A normalised input and the run's own probabilities for it."""
    x = ((made.images[:2].astype(np.float32) / 255.0 - made.mean[0]) / made.std[0]).astype(np.float32)
    probs = load_predictor(made.path).probabilities(x)
    return x, probs


def test_exports_run_without_the_studio(
    made: MadeRun, exports: dict[str, ExportResult], tmp_path: Path
) -> None:
    """TorchScript, ONNX and the python export's model.py, in an interpreter that cannot import studio."""
    folder = tmp_path / "copy"
    shutil.copytree(exports["python"].path, folder)  # a fresh place, far from the repository
    x, probs = _one_image(made)
    np.save(tmp_path / "x.npy", x)
    out = _isolated(
        f"""
import json, sys, warnings
import numpy as np, torch, onnxruntime as ort
warnings.simplefilter("ignore")
x = np.load("x.npy")
extra = {{"cnn_studio.json": ""}}
ts = torch.jit.load({str(exports["torchscript"].path)!r}, _extra_files=extra)
a = torch.softmax(ts(torch.from_numpy(x)), 1).detach().numpy()
s = ort.InferenceSession({str(exports["onnx"].path)!r}, providers=["CPUExecutionProvider"])
b = s.run(None, {{s.get_inputs()[0].name: x}})[0]
b = np.exp(b - b.max(1, keepdims=True)); b = b / b.sum(1, keepdims=True)
classes = json.loads(s.get_modelmeta().custom_metadata_map["classes"])
sys.path.insert(0, {str(folder)!r})
import model
net = model.load_model()
c = torch.softmax(net(torch.from_numpy(x)), 1).detach()
print(json.dumps({{"ts": a.tolist(), "onnx": b.tolist(), "python": c.tolist(), "classes": classes,
                  "ts_classes": json.loads(extra["cnn_studio.json"])["classes"], "py_classes": model.CLASSES,
                  "shape": list(model.INPUT_SHAPE), "torchvision": "torchvision" in sys.modules}}))
""",
        tmp_path,
    )
    got = json.loads(out)
    assert got["classes"] == got["ts_classes"] == got["py_classes"] == CLASSES
    np.testing.assert_allclose(got["ts"], probs, atol=1e-5)
    np.testing.assert_allclose(got["onnx"], probs, atol=1e-5)
    np.testing.assert_allclose(got["python"], probs, atol=1e-5)
    assert got["shape"] == [1, 12, 12]
    assert got["torchvision"] is False  # a stack's model.py needs nothing but torch


def test_python_predict_script_runs_without_the_studio(
    made: MadeRun, exports: dict[str, ExportResult], tmp_path: Path
) -> None:
    folder = tmp_path / "copy"
    shutil.copytree(exports["python"].path, folder)
    # predict.py, run as a user would, gives the studio's own answer for an image file
    image = str(made.paths[5])
    proc = subprocess.run(
        [sys.executable, "-I", str(folder / "predict.py"), image, "missing.png", "--json", "--top-k", "3"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    first, second = json.loads(proc.stdout)
    expected = load_predictor(made.path).predict([image], top_k=3)[0]
    assert [t["class"] for t in first["top"]] == [c for c, _, _ in expected.top]
    assert [t["probability"] for t in first["top"]] == pytest.approx(
        [p for _, _, p in expected.top], abs=1e-5
    )
    assert second["image"] == "missing.png" and "error" in second


def test_synthetic_inputs_when_the_dataset_is_gone(tmp_path: Path) -> None:
    run = make_run(tmp_path, steps=3, n_per_class=4)
    (tmp_path / "data").rename(tmp_path / "moved")
    result = export_run(run.path, "state-dict", tmp_path / "sd.pt")
    v = result.verification
    assert v.ok and v.source == "synthetic inputs" and "dataset could not be loaded" in v.note
    assert "synthetic inputs" in result.text()


def test_a_disagreeing_export_is_refused_and_removed(
    made: MadeRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "m.pt"
    target.write_bytes(b"an older export")
    write, read, ext = export_formats.FILE_FORMATS["torchscript"]

    def bad_read(path: object):  # the reloaded export computes something else
        runner, meta = read(path)
        return (lambda x: runner(x)[:, ::-1].copy()), meta

    monkeypatch.setitem(export_formats.FILE_FORMATS, "torchscript", (write, bad_read, ext))
    with pytest.raises(ExportError, match="disagrees") as info:
        export_run(made.path, "torchscript", target, data=bundle_of(made), force=True)
    assert "top-1 agreement" in str(info.value)
    assert target.read_bytes() == b"an older export"  # left alone
    assert _files(tmp_path) == ["m.pt"]  # the rejected file is gone


def test_compare_outputs_rules() -> None:
    s = Samples(np.zeros((3, 1, 2, 2), np.float32), "synthetic inputs")
    ref = np.array([[5.0, 1.0], [0.0, 3.0], [2.0, 2.0000001]])
    same = compare_outputs(ref, ref + 1e-6, s)
    assert same.ok and same.top1_agreement == 1.0 and same.tolerance == pytest.approx(5e-3)
    # the near-tie in row 3 may flip without a refusal...
    flipped = ref.copy()
    flipped[2] = [2.0000002, 2.0]
    tie = compare_outputs(ref, flipped, s)
    assert tie.ok and tie.ties == 1 and tie.disagreements == 1 and tie.top1_agreement == pytest.approx(2 / 3)
    # ...but a real disagreement or a large difference is refused
    assert not compare_outputs(ref, ref[:, ::-1], s).ok
    assert not compare_outputs(ref, ref + 0.1, s).ok
    assert not compare_outputs(ref, np.full_like(ref, np.nan), s).ok
    assert not compare_outputs(ref, ref[:2], s).ok


def test_bad_requests(made: MadeRun, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="unknown export format"):
        export_run(made.path, "keras", tmp_path / "x")
    with pytest.raises(RunError, match="not a trained run folder"):
        export_run(tmp_path, "onnx", tmp_path / "x.onnx")
    (tmp_path / "file").write_text("x")
    with pytest.raises(ExportError, match="is a file"):
        export_run(made.path, "python", tmp_path / "file", data=bundle_of(made))


def test_python_export_into_folders(made: MadeRun, tmp_path: Path) -> None:
    data = bundle_of(made)
    first = export_run(made.path, "python", tmp_path / "py", data=data)
    assert _files(first.path) == ["cnn_studio.json", "model.py", "predict.py", "weights.pt"]
    (first.path / "model.py").write_text("# stale\n")
    again = export_run(made.path, "python", tmp_path / "py", data=data)  # an earlier export is replaced
    assert "build_model" in (again.path / "model.py").read_text()
    other = tmp_path / "stuff"
    other.mkdir()
    (other / "notes.txt").write_text("keep me")
    inside = export_run(made.path, "python", other, data=data)  # a folder of other things: export inside
    assert inside.path == other / "bars-test-python" and (other / "notes.txt").read_text() == "keep me"


def test_cli_export(made: MadeRun, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "m.safetensors"
    assert (
        main(["export", str(made.path), "--format", "safetensors", "--out", str(out), "--samples", "12"]) == 0
    )
    printed = capsys.readouterr().out
    assert f"wrote {out}" in printed and "verified on 12 validation images" in printed
    assert "top-1 agreement 100.0%" in printed and out.is_file()
    assert (
        main(
            [
                "export",
                str(made.path),
                "-f",
                "state-dict",
                "-o",
                str(tmp_path / "m.pt"),
                "--json",
                "--checkpoint",
                "last",
            ]
        )
        == 0
    )
    js = json.loads(capsys.readouterr().out)
    assert js["verification"]["ok"] is True and js["classes"] == CLASSES
    assert main(["export", str(tmp_path), "--format", "onnx", "--out", str(tmp_path / "x.onnx")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err
    with pytest.raises(SystemExit) as exc:
        main(["export", str(made.path), "--format", "keras", "--out", "x"])
    assert exc.value.code == 2


def test_onnx_falls_back_to_the_torchscript_based_exporter(
    made: MadeRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import onnx

    real = torch.onnx.export

    def dynamo_fails(*args, **kwargs):
        if kwargs.get("dynamo"):
            raise RuntimeError("torch.export cannot trace this model")
        return real(*args, **kwargs)

    monkeypatch.setattr(torch.onnx, "export", dynamo_fails)
    result = export_run(made.path, "onnx", tmp_path / "m.onnx", data=bundle_of(made))
    assert result.verification.ok and any("TorchScript-based exporter (opset 17)" in n for n in result.notes)
    assert (
        max(o.version for o in onnx.load(str(result.path)).opset_import if o.domain in ("", "ai.onnx")) == 17
    )
    assert load_predictor(result.path).classes == CLASSES


def test_unreadable_validation_images_are_left_out_of_the_check(made: MadeRun) -> None:
    from studio.core.data.preprocess import ImageReadError
    from studio.core.export.exporter import verification_samples
    from studio.core.export.formats import ExportMeta
    from studio.core.runs.run_folder import load_checkpoint

    data = bundle_of(made)
    good_item = data.val.item

    def flaky(i: int):
        if i % 2:
            raise ImageReadError(f"img{i}.png", "the file is truncated or corrupt")
        return good_item(i)

    data.val.item = flaky  # type: ignore[method-assign]
    meta = ExportMeta.from_checkpoint(load_checkpoint(made.path / "checkpoints" / "best.pt"))
    samples = verification_samples(meta, data, max_samples=30)
    assert samples.source == "validation images" and len(samples.inputs) == 15
    expected = (made.images[np.arange(120) % 4 == 0][::2] / 255.0 - made.mean[0]) / made.std[0]
    np.testing.assert_allclose(samples.inputs, expected, atol=1e-5)
