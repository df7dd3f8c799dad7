"""Evaluating a run: predictions, confusion matrix, cells, mistakes, progress and cancel."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from studio.core.data.errors import DataCancelled
from studio.core.evaluation.evaluate import EvaluationError, evaluate_model, evaluate_run
from studio.core.evaluation.metrics import confusion_matrix
from studio.core.runs.run_folder import RunError, load_trained_model, read_metrics
from tests.helpers.runfactory import CLASSES, ArrayBundle, ArraySplit, MadeRun, bundle_of, make_run, normalise


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> MadeRun:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CNN_STUDIO_HOME", str(tmp_path_factory.mktemp("home")))
        # few steps: a model that is good but still makes mistakes to look at
        return make_run(tmp_path_factory.mktemp("eval"), steps=6)


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CNN_STUDIO_HOME", str(tmp_path / "home"))


def _direct_probs(made: MadeRun, images: np.ndarray, which: str = "best") -> np.ndarray:
    model, _ = load_trained_model(made.path, which)
    with torch.no_grad():
        return torch.softmax(model(normalise(images, made.mean, made.std)), 1).numpy()


def test_evaluation_matches_a_direct_forward_pass(made: MadeRun) -> None:
    data = bundle_of(made)
    seen: list[tuple[str, float]] = []
    ev = evaluate_run(made.path, data=data, batch_size=7, progress=lambda m, f: seen.append((m, f)))
    val_images = made.images[np.arange(len(made.labels)) % 4 == 0]
    val_labels = made.labels[np.arange(len(made.labels)) % 4 == 0]
    expected = _direct_probs(made, val_images)
    assert len(ev) == len(val_labels) == 30
    np.testing.assert_array_equal(ev.labels, val_labels)
    np.testing.assert_array_equal(ev.indices, np.arange(30))
    np.testing.assert_allclose(ev.probabilities, expected, atol=1e-5)
    np.testing.assert_array_equal(ev.predictions, expected.argmax(1))
    assert ev.confusion.tolist() == confusion_matrix(val_labels, expected.argmax(1), 3).tolist()
    assert ev.accuracy == pytest.approx(float((expected.argmax(1) == val_labels).mean()))
    assert ev.report.support.tolist() == np.bincount(val_labels, minlength=3).tolist()
    assert ev.paths[0] == str(data.val.paths[0])
    assert (ev.split, ev.checkpoint, ev.epoch, ev.classes) == ("val", "best", 1, CLASSES)
    # progress: one report per batch of 7, ending at 1.0
    assert [f for _, f in seen] == sorted(f for _, f in seen) and seen[-1][1] == 1.0 and len(seen) == 5
    js = ev.to_json()
    assert js["images"] == 30 and js["confusion_matrix"] == ev.confusion.tolist()


def test_cells_partition_the_images_and_mistakes_are_sorted(made: MadeRun) -> None:
    ev = evaluate_run(made.path, data=bundle_of(made))
    cells = {(t, p): ev.cell(t, p) for t in range(3) for p in range(3)}
    assert sorted(s.index for c in cells.values() for s in c) == list(range(len(ev)))
    for (t, p), samples in cells.items():
        assert len(samples) == ev.confusion[t, p]
        assert all(s.true == t and s.predicted == p for s in samples)
        conf = [s.confidence for s in samples]
        assert conf == sorted(conf, reverse=True)
        assert ev.cell_indices(t, p).tolist() == [s.index for s in samples]
    mistakes = ev.mistakes()
    assert len(mistakes) == int((ev.labels != ev.predictions).sum()) > 0  # the half-trained model errs
    assert all(not s.correct for s in mistakes)
    assert [s.confidence for s in mistakes] == sorted((s.confidence for s in mistakes), reverse=True)
    top = mistakes[0]
    assert top.confidence == pytest.approx(float(ev.probabilities[top.index].max()))
    assert top.true_probability == pytest.approx(float(ev.probabilities[top.index, top.true]))
    assert ev.mistakes(limit=1) == mistakes[:1]
    least = ev.least_confident(3)
    assert least[0].confidence <= least[-1].confidence <= min(s.confidence for s in mistakes[:1]) + 1
    with pytest.raises(IndexError):
        ev.cell(3, 0)


def test_last_checkpoint_and_split_choice(made: MadeRun) -> None:
    data = bundle_of(made)
    best = evaluate_run(made.path, data=data, which="best")
    last = evaluate_run(made.path, data=data, which="last")
    assert last.checkpoint == "last" and last.epoch == 2
    assert not np.allclose(best.probabilities, last.probabilities)
    with pytest.raises(EvaluationError, match="no test images"):
        evaluate_run(made.path, data=data, split="test")
    with pytest.raises(EvaluationError, match="unknown split"):
        evaluate_run(made.path, data=data, split="train")
    test_data = ArrayBundle(CLASSES, data.train, None, data.val, made.mean, made.std)
    assert len(evaluate_run(made.path, data=test_data, split="test")) == 30
    with pytest.raises(RunError, match="not a trained run folder"):
        evaluate_run(made.path.parent, data=data)


def test_other_normalisation_is_mapped_to_the_checkpoints(made: MadeRun) -> None:
    """A split normalising with other statistics still feeds the model what it was trained on."""
    data = bundle_of(made)
    ref = evaluate_run(made.path, data=data)
    val = data.val
    odd = ArraySplit(
        made.images[np.arange(120) % 4 == 0], made.labels[np.arange(120) % 4 == 0], [0.5], [0.3], name="val"
    )
    got = evaluate_run(made.path, data=ArrayBundle(CLASSES, val, odd, None, [0.5], [0.3]))
    np.testing.assert_allclose(got.probabilities, ref.probabilities, atol=1e-5)


def test_cancel_stops_the_evaluation(made: MadeRun) -> None:
    calls = {"n": 0}

    def cancel() -> bool:
        calls["n"] += 1
        return calls["n"] > 2

    with pytest.raises(DataCancelled):
        evaluate_run(made.path, data=bundle_of(made), batch_size=4, cancel=cancel)


def test_other_classes_are_refused(made: MadeRun) -> None:
    data = bundle_of(made)
    wrong = ArrayBundle(["a", "b", "c"], data.train, data.val, None, made.mean, made.std)
    with pytest.raises(EvaluationError, match="classes"):
        evaluate_run(made.path, data=wrong)


def test_evaluate_model_wrong_output_size(made: MadeRun) -> None:
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(144, 5))
    with pytest.raises(EvaluationError, match="3 classes"):
        evaluate_model(model, bundle_of(made).val, CLASSES)


def test_real_dataset_loading_and_agreement_with_predict(made: MadeRun) -> None:
    """Without ``data`` the run's own folder dataset is loaded (studio.core.data.datasets); the
    evaluation of each file agrees with ``predict`` on the same file."""
    from studio.core.evaluation.predict import load_predictor

    seen: list[float] = []
    ev = evaluate_run(made.path, progress=lambda m, f: seen.append(f))
    assert len(ev) == 30 and ev.skipped == 0  # val 0.25 of 120 images
    assert all(p is not None and Path(p).is_file() for p in ev.paths)
    assert seen[-1] == pytest.approx(1.0) and min(seen) >= 0.0
    preds = load_predictor(made.path).predict(ev.paths, top_k=3)
    probs = np.stack([p.probabilities for p in preds])
    np.testing.assert_allclose(probs, ev.probabilities, atol=1e-4)
    truth = [CLASSES.index(Path(p).parent.name) for p in ev.paths]
    assert ev.labels.tolist() == truth
    worst = ev.mistakes(1) or ev.cell(0, 0)
    image = ev.image(worst[0].index)  # the gallery's thumbnail, from the split the evaluation used
    assert tuple(image.shape) == (1, 12, 12) and image.dtype == torch.uint8
    assert torch.equal(image, torch.from_numpy(np.array(Image.open(worst[0].path)))[None])


def test_unreadable_files_are_skipped_and_counted(tmp_path: Path) -> None:
    run = make_run(tmp_path, steps=2, n_per_class=6)
    # an explicit val/ folder: every image of the run moves to train/, two go to val/ plus a broken one
    root = tmp_path / "data"
    for cls in CLASSES:
        (root / "train" / cls).mkdir(parents=True)
        (root / "val" / cls).mkdir(parents=True)
        for i, f in enumerate(sorted((root / cls).iterdir())):
            f.rename(root / ("val" if i < 2 else "train") / cls / f.name)
        (root / cls).rmdir()
    (root / "val" / "vertical" / "0000-broken.png").write_bytes(b"\x89PNG not really")
    ev = evaluate_run(run.path)
    assert ev.skipped == 1
    assert len(ev) == 6 and len(ev.indices) == 6
    assert all("broken" not in str(p) for p in ev.paths)


def test_a_run_trained_by_the_engine(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The real pipeline: engine.train writes the run, then evaluate, export and predict read it."""
    from studio.cli import main
    from studio.core.export.exporter import export_run
    from studio.core.training.engine import train
    from tests.helpers.runfactory import make_images, make_project, write_folder_dataset

    images, labels = make_images(20, seed=3)
    paths = write_folder_dataset(tmp_path / "data", images, labels)
    project = make_project(tmp_path / "data")
    project.training.epochs = 2
    end = train(project, tmp_path / "run")
    assert end["status"] == "completed"
    ev = evaluate_run(tmp_path / "run")
    assert len(ev) == 15 and ev.classes == CLASSES  # val 0.25 of 60 images
    assert ev.confusion.sum() == 15 and 0.0 <= ev.accuracy <= 1.0
    epochs = {e["epoch"]: e for e in read_metrics(tmp_path / "run") if e.get("event") == "epoch"}
    best_acc = epochs[end["best_epoch"]]["val_acc"]
    assert ev.accuracy == pytest.approx(best_acc, abs=1e-6)  # the engine measured the same thing
    result = export_run(tmp_path / "run", "torchscript", tmp_path / "m.pt")
    assert result.verification.ok and result.verification.source == "validation images"
    assert main(["predict", str(result.path), str(paths[0]), "--json"]) == 0
    js = json.loads(capsys.readouterr().out)
    assert js["predictions"][0]["top"][0]["class"] in CLASSES
