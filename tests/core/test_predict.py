"""predict: run folders and exported files, per-image errors, top-k, the CLI's text and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from studio.cli import main
from studio.core.evaluation.predict import PredictError, load_predictor, softmax
from tests.helpers.runfactory import CLASSES, MadeRun, shared_export, shared_run


@pytest.fixture(scope="module")
def made() -> MadeRun:
    return shared_run()


@pytest.fixture(scope="module")
def exported(made: MadeRun) -> dict[str, Path]:
    return {fmt: shared_export(fmt).path for fmt in ("torchscript", "onnx")}


def test_softmax_is_stable() -> None:
    p = softmax(np.array([[1000.0, 0.0, -1000.0], [1.0, 1.0, 1.0]]))
    assert np.allclose(p.sum(1), 1.0) and p[0, 0] == pytest.approx(1.0) and p[1, 2] == pytest.approx(1 / 3)


def test_run_folder_and_exports_agree(made: MadeRun, exported: dict[str, Path]) -> None:
    images = [str(p) for p in made.paths[:9]]
    run = load_predictor(made.path)
    assert run.kind == "run" and run.classes == CLASSES
    base = run.predict(images, top_k=3)
    accuracy = np.mean([r.top[0][1] == int(made.labels[i]) for i, r in enumerate(base)])
    assert accuracy >= 0.8  # a trained model, not noise
    for kind, path in exported.items():
        other = load_predictor(path)
        assert other.kind == kind and other.classes == CLASSES and other.input_shape == (1, 12, 12)
        for a, b in zip(base, other.predict(images, top_k=3), strict=True):
            assert [c for c, _, _ in a.top] == [c for c, _, _ in b.top]
            np.testing.assert_allclose(a.probabilities, b.probabilities, atol=1e-5)


def test_top_k_order_clipping_and_pil_input(made: MadeRun) -> None:
    predictor = load_predictor(made.path, which="last")
    result = predictor.predict([made.paths[0]], top_k=99)[0]
    assert len(result.top) == 3 and result.ok
    probs = [p for _, _, p in result.top]
    assert probs == sorted(probs, reverse=True) and sum(probs) == pytest.approx(1.0, abs=1e-5)
    assert [i for _, i, _ in result.top] == list(np.argsort(-result.probabilities))
    one = predictor.predict([made.paths[0]], top_k=1)[0]
    assert len(one.top) == 1 and one.top[0] == result.top[0]
    img = Image.open(made.paths[0])
    from_pil = predictor.predict([img], top_k=3)[0]
    np.testing.assert_allclose(from_pil.probabilities, result.probabilities, atol=1e-6)


def test_unreadable_images_are_reported_one_by_one(made: MadeRun, tmp_path: Path) -> None:
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not an image")
    results = load_predictor(made.path).predict([str(broken), str(made.paths[1]), str(tmp_path / "nope.jpg")])
    assert [r.ok for r in results] == [False, True, False]
    assert "not an image" in results[0].error and "does not exist" in results[2].error
    assert results[0].to_json() == {"image": str(broken), "error": results[0].error}
    assert results[1].text().startswith(f"{made.paths[1]}: ")


def test_bad_models(made: MadeRun, tmp_path: Path) -> None:
    with pytest.raises(PredictError, match="does not exist"):
        load_predictor(tmp_path / "nothing.onnx")
    with pytest.raises(PredictError, match="not a run folder"):
        load_predictor(tmp_path)
    (tmp_path / "m.onnx").write_bytes(b"garbage")
    with pytest.raises(PredictError, match="onnxruntime"):
        load_predictor(tmp_path / "m.onnx")
    (tmp_path / "m.pt").write_bytes(b"garbage")
    with pytest.raises(PredictError, match="TorchScript"):
        load_predictor(tmp_path / "m.pt")
    (tmp_path / "m.h5").write_bytes(b"garbage")
    with pytest.raises(PredictError, match="unknown model file type"):
        load_predictor(tmp_path / "m.h5")


def test_cli_text_and_json(
    made: MadeRun, exported: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good, missing = str(made.paths[2]), str(tmp_path / "missing.png")
    assert main(["predict", str(exported["onnx"]), good, missing, "--top-k", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[0].startswith(f"{good}: ") and lines[0].count("%") == 2
    assert lines[1].startswith(f"{missing}: error: ")
    assert main(["predict", str(made.path), good, "--json", "--top-k", "5"]) == 0
    js = json.loads(capsys.readouterr().out)
    assert js["classes"] == CLASSES and js["kind"] == "run"
    (entry,) = js["predictions"]
    assert entry["image"] == good and len(entry["top"]) == 3  # clipped to the class count
    assert set(entry["top"][0]) == {"class", "index", "probability"}
    assert main(["predict", str(exported["torchscript"]), missing]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("error: the image could not be read") and "Traceback" not in captured.err
    assert main(["predict", str(made.path), good, "--top-k", "0"]) == 2
    assert main(["predict", str(tmp_path / "none.onnx"), good]) == 2
    assert capsys.readouterr().err.count("error:") == 2
