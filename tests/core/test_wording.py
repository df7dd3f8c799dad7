"""Core messages in the GUI's words (issue 14, item 3): no project-file paths or ``null`` in the
window, whole sentences; the MNIST files in either form; "did you mean the parent folder?"."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest

from studio.core.base.wording import in_gui_words, sentence
from studio.core.data.classes import suggest_root
from studio.core.data.errors import DatasetMissingError
from studio.core.data.sources import load_array_source
from tests.helpers.datagen import write_mnist


@pytest.mark.parametrize(
    ("message", "gui"),
    [
        (
            "data.root: cannot create /x (Permission denied); choose another folder",
            "Cannot create /x (Permission denied); choose another folder.",
        ),
        (
            "MNIST is not in /d/MNIST/raw. Set data.root to the folder that holds MNIST/raw, or set data.download to true",
            "MNIST is not in /d/MNIST/raw. Set the dataset folder (Data page) to the folder that holds MNIST/raw, or "
            "tick “Auto-download when training” (Data page).",
        ),
        (
            "model.weights: cannot download; set weights to a .pth file, or to null to train from scratch",
            "Cannot download; set weights to a .pth file, or to none to train from scratch.",
        ),
        (
            "model.layers[3].kernel_size: must be a positive integer, got -1",
            "Layer 3 kernel size: must be a positive integer, got -1.",
        ),
        (
            "the loss diverged: lower training.optimizer.lr (10.0)",
            "The loss diverged: lower the learning rate (Train page) (10.0).",
        ),
    ],
)
def test_field_paths_become_control_names(message: str, gui: str) -> None:
    assert in_gui_words(message) == gui
    assert "data." not in gui and "null" not in gui


def test_sentences_end_with_a_full_stop() -> None:
    assert sentence("the folder is empty") == "The folder is empty."
    assert sentence("Is it there?") == "Is it there?"
    assert sentence("") == ""


def test_the_dataset_folder_itself_suggests_its_parent(tmp_path: Path) -> None:
    assert suggest_root("mnist", tmp_path / "MNIST") == tmp_path
    assert suggest_root("mnist", tmp_path / "MNIST" / "raw") == tmp_path
    assert suggest_root("fashion_mnist", tmp_path / "FashionMNIST") == tmp_path
    assert suggest_root("cifar10", tmp_path / "cifar-10-batches-py") == tmp_path
    assert suggest_root("mnist", tmp_path) is None
    assert suggest_root("folder", tmp_path / "MNIST") is None


def test_a_missing_mnist_names_both_file_forms_and_the_parent(tmp_path: Path) -> None:
    write_mnist(tmp_path)
    with pytest.raises(DatasetMissingError) as caught:
        load_array_source("mnist", str(tmp_path / "MNIST"), download=False)
    text = str(caught.value)
    assert "uncompressed or as .gz" in text
    assert f"did you mean the parent folder {tmp_path}?" in text


def test_gzipped_mnist_files_are_read(tmp_path: Path) -> None:
    tr_x, tr_y = write_mnist(tmp_path, n_train=30, n_test=10)
    raw = tmp_path / "MNIST" / "raw"
    for f in list(raw.iterdir()):
        (raw / (f.name + ".gz")).write_bytes(gzip.compress(f.read_bytes()))
        f.unlink()
    src = load_array_source("mnist", str(tmp_path), download=False)
    assert src.train_images.shape == (30, 1, 28, 28)
    assert np.array_equal(src.train_images[:, 0].numpy(), tr_x)
    assert np.array_equal(src.train_labels.numpy(), tr_y)
