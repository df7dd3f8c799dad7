"""In-memory sources through load_data: torchvision-layout MNIST/CIFAR written by the test, the sample."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np
import pytest
import torch

from studio.core.base.errors import ProjectError, UserError
from studio.core.data.datasets import DataBundle, holdout, load_data
from studio.core.data.errors import DataCancelled, DatasetError, DatasetMissingError
from studio.core.data.sources import idx_bytes, read_idx
from studio.core.data.splits import TensorSplit, epoch_order
from studio.core.project.project_file import Project
from tests.helpers.datagen import write_cifar10, write_mnist


@pytest.fixture(autouse=True)
def studio_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "studio-home"
    monkeypatch.setenv("CNN_STUDIO_HOME", str(home))
    return home


def project(**data) -> Project:
    training = data.pop("training", {})
    model = data.pop("model", {})
    return Project.from_dict({"data": data, "training": training, "model": model})


def test_mnist_through_torchvision_layout(tmp_path: Path) -> None:
    tr_x, tr_y = write_mnist(tmp_path, n_train=200, n_test=50)
    b = load_data(project(source="mnist", root=str(tmp_path), val=0.1))
    assert isinstance(b, DataBundle)
    assert b.classes == [str(i) for i in range(10)]
    assert len(b.train) + len(b.val) == 200 and len(b.val) == 20
    assert len(b.test) == 50
    assert b.train.labels.dtype == torch.int64
    # mean/std are the training images' own statistics
    assert b.mean[0] == pytest.approx(tr_x.mean() / 255, abs=1e-4)
    assert b.std[0] == pytest.approx((tr_x / 255).std(), abs=1e-4)
    img, label, path = b.test.item(0)
    assert img.dtype == torch.uint8 and tuple(img.shape) == (1, 28, 28) and path is None
    # every image of the held-out and kept sets is one of the written training images, once
    seen = torch.cat([b.train.images, b.val.images]).reshape(200, -1)
    assert torch.equal(
        torch.sort(seen.sum(1).long()).values,
        torch.sort(torch.from_numpy(tr_x.reshape(200, -1).astype(np.int64)).sum(1)).values,
    )


def test_fashion_mnist_converted_to_rgb_and_resized(tmp_path: Path) -> None:
    write_mnist(tmp_path, folder="FashionMNIST", n_train=60, n_test=20)
    b = load_data(
        project(source="fashion_mnist", root=str(tmp_path), val="test", channels=3, image_size=[32, 36])
    )
    assert b.val is b.test
    assert b.classes[0] == "T-shirt/top"
    x, y = next(b.train.batches(16, shuffle=False))
    assert x.shape == (16, 3, 32, 36) and x.dtype == torch.float32 and y.shape == (16,)
    assert len(b.mean) == 3 and b.mean[0] == pytest.approx(b.mean[2])
    assert torch.equal(x[:, 0], x[:, 1])  # grey replicated to RGB


def test_missing_dataset_names_folder_and_files(tmp_path: Path) -> None:
    with pytest.raises(DatasetMissingError) as info:
        load_data(project(source="mnist", root=str(tmp_path / "nowhere"), download=False))
    msg = str(info.value)
    assert str(tmp_path / "nowhere" / "MNIST" / "raw") in msg
    assert "train-images-idx3-ubyte" in msg and "t10k-labels-idx1-ubyte" in msg
    with pytest.raises(DatasetMissingError) as info:
        load_data(project(source="cifar10", root=str(tmp_path), download=False))
    assert "cifar-10-batches-py" in str(info.value) and "data_batch_1" in str(info.value)


def test_download_failure_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import studio.core.data.sources as sources

    def no_network(*args, **kwargs):
        raise DatasetMissingError("could not download MNIST (no network)")

    monkeypatch.setattr(sources, "_download", no_network)
    with pytest.raises(UserError, match="download"):
        load_data(project(source="mnist", root=str(tmp_path), download=True))


@pytest.mark.parametrize("shape", [(7,), (3, 28, 28), (2, 3, 4, 5)])
def test_idx_writer_round_trips_through_the_reader(shape: tuple[int, ...]) -> None:
    arr = np.random.default_rng(0).integers(0, 256, size=shape, dtype=np.uint8)
    data = idx_bytes(arr)
    assert data[:4] == bytes([0, 0, 0x08, len(shape)])  # MNIST's magic: uint8, N dimensions
    back = read_idx(data)
    assert back.shape == shape and np.array_equal(back, arr)


def test_idx_writer_refuses_what_idx_cannot_hold() -> None:
    with pytest.raises(ValueError, match="0..255"):
        idx_bytes(np.array([0, 300]))
    with pytest.raises(ValueError, match="1 to 4 dimensions"):
        idx_bytes(np.zeros((1, 1, 1, 1, 1), dtype=np.uint8))
    assert read_idx(idx_bytes(np.array([0, 9, 255]))).tolist() == [0, 9, 255]  # ints in range are fine


def test_corrupt_idx_is_a_user_error(tmp_path: Path) -> None:
    write_mnist(tmp_path)
    raw = tmp_path / "MNIST" / "raw" / "train-images-idx3-ubyte"
    raw.write_bytes(raw.read_bytes()[:1000])
    with pytest.raises(UserError):
        load_data(project(source="mnist", root=str(tmp_path)))


def test_cifar10_safe_unpickler(tmp_path: Path) -> None:
    write_cifar10(tmp_path, n_per_batch=20)
    b = load_data(project(source="cifar10", root=str(tmp_path), channels=3, image_size=[32, 32], val=0.2))
    assert b.classes[0] == "airplane" and len(b.test) == 20
    assert len(b.train) + len(b.val) == 100
    assert b.train.images.shape[1:] == (3, 32, 32)

    class Evil:
        def __reduce__(self):
            return (print, ("pwned",))

    with open(tmp_path / "cifar-10-batches-py" / "data_batch_1", "wb") as fh:
        pickle.dump({"data": Evil(), "labels": []}, fh, protocol=2)
    with pytest.raises(DatasetError, match="refusing"):
        load_data(project(source="cifar10", root=str(tmp_path), channels=3, image_size=[32, 32]))


def test_sample_ships_and_is_balanced() -> None:
    b = load_data(project(source="sample", val=0.1))
    assert len(b.classes) == 10 and b.classes[-1] == "Ankle boot"
    assert len(b.train) + len(b.val) == 5000 and len(b.test) == 1000
    assert b.test.counts(10) == [100] * 10
    assert b.val.counts(10) == [50] * 10  # stratified hold-out
    assert 0.2 < b.mean[0] < 0.4


def test_stats_are_cached(tmp_path: Path, studio_home: Path) -> None:
    write_mnist(tmp_path)
    b1 = load_data(project(source="mnist", root=str(tmp_path)))
    cache = json.loads((studio_home / "cache" / "norm_stats.json").read_text())
    assert len(cache) == 1
    key = next(iter(cache))
    cache[key]["mean"] = [0.123]
    (studio_home / "cache" / "norm_stats.json").write_text(json.dumps(cache))
    b2 = load_data(project(source="mnist", root=str(tmp_path)))
    assert b2.mean == (0.123,) and b1.mean != (0.123,)


def test_pretrained_gets_imagenet_stats(tmp_path: Path, studio_home: Path) -> None:
    from studio.core.model.zoo import IMAGENET_MEAN

    write_mnist(tmp_path)
    b = load_data(
        project(
            source="mnist",
            root=str(tmp_path),
            channels=3,
            image_size=[32, 32],
            model={"kind": "pretrained", "arch": "resnet18", "weights": None},
        )
    )
    assert b.mean == tuple(IMAGENET_MEAN)
    assert not (studio_home / "cache" / "norm_stats.json").exists()


def test_val_split_stable_for_a_seed_and_changes_with_it(tmp_path: Path) -> None:
    write_mnist(tmp_path, n_train=300)

    def val_images(seed: int) -> torch.Tensor:
        return load_data(
            project(source="mnist", root=str(tmp_path), val=0.2, training={"seed": seed})
        ).val.images

    a, b, c = val_images(3), val_images(3), val_images(4)
    assert torch.equal(a, b)
    assert not torch.equal(a, c)
    tr, va = holdout(np.array([0] * 10 + [1] * 3 + [2]), 0.1, 0)
    assert sorted(np.concatenate([tr, va]).tolist()) == list(range(14))
    assert len(va) == 2  # one of class 0, one of class 1 (class 2 has a single image and keeps it)


def test_val_test_without_test_split_is_refused(tmp_path: Path) -> None:
    from studio.core.data.datasets import load_data as ld

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    from tests.helpers.datagen import rgb, save

    save(tmp_path / "a" / "1.png", rgb(10))
    save(tmp_path / "b" / "1.png", rgb(200))
    with pytest.raises(ProjectError, match="test"):
        ld(project(source="folder", root=str(tmp_path), val="test"))


def _run_epoch(split: TensorSplit, seed: int, augment: bool) -> list[tuple[torch.Tensor, torch.Tensor]]:
    g = torch.Generator().manual_seed(seed)
    return list(split.batches(32, shuffle=True, generator=g, augment=augment))


def test_batches_deterministic_for_a_generator_state(tmp_path: Path) -> None:
    write_mnist(tmp_path)
    b = load_data(project(source="mnist", root=str(tmp_path), val=0.0, augment={"preset": "strong"}))
    e1, e2, e3 = _run_epoch(b.train, 5, True), _run_epoch(b.train, 5, True), _run_epoch(b.train, 6, True)
    assert len(e1) == b.train.num_batches(32) == 7
    assert all(torch.equal(x1, x2) and torch.equal(y1, y2) for (x1, y1), (x2, y2) in zip(e1, e2, strict=True))
    assert not torch.equal(e1[0][1], e3[0][1])
    # resuming mid-run: a generator restored from a saved state replays the same epoch
    g = torch.Generator().manual_seed(9)
    list(b.train.batches(32, shuffle=True, generator=g, augment=True))
    state = g.get_state()
    second = list(b.train.batches(32, shuffle=True, generator=g, augment=True))
    g2 = torch.Generator()
    g2.set_state(state)
    again = list(b.train.batches(32, shuffle=True, generator=g2, augment=True))
    assert all(torch.equal(x1, x2) for (x1, _), (x2, _) in zip(second, again, strict=True))
    # every sample once per epoch; labels follow their images
    labels = torch.cat([y for _, y in e1])
    assert torch.equal(torch.sort(labels).values, torch.sort(b.train.labels).values)
    plain = list(b.train.batches(200, shuffle=False))
    assert len(plain) == 1
    x, y = plain[0]
    assert torch.equal(y, b.train.labels)
    expected = (b.train.images.float() / 255 - b.mean[0]) / b.std[0]
    assert torch.allclose(x, expected, atol=1e-5)


def test_drop_last_and_sharding(tmp_path: Path) -> None:
    write_mnist(tmp_path, n_train=100)
    b = load_data(project(source="mnist", root=str(tmp_path), val=0.0))
    assert b.train.num_batches(32) == 4 and b.train.num_batches(32, drop_last=True) == 3
    assert len(list(b.train.batches(32, shuffle=False, drop_last=True))) == 3
    assert b.train.num_batches(16, world_size=3) == 3  # 34 per rank
    shards = [
        epoch_order(100, shuffle=True, generator=torch.Generator().manual_seed(1), rank=r, world_size=3)
        for r in range(3)
    ]
    assert all(len(s) == 34 for s in shards)
    assert set(torch.cat(shards).tolist()) == set(range(100))
    got = [
        y
        for r in range(3)
        for _, y in b.train.batches(
            16, shuffle=True, generator=torch.Generator().manual_seed(1), rank=r, world_size=3
        )
    ]
    assert sum(len(y) for y in got) == 102


def test_cancel_raises(tmp_path: Path) -> None:
    write_mnist(tmp_path)
    with pytest.raises(DataCancelled):
        load_data(project(source="mnist", root=str(tmp_path)), cancel=lambda: True)


def test_progress_reported(tmp_path: Path) -> None:
    write_mnist(tmp_path)
    seen: list[tuple[str, float]] = []
    load_data(project(source="mnist", root=str(tmp_path)), progress=lambda m, f: seen.append((m, f)))
    assert seen and seen[-1][1] == 1.0
    assert all(0.0 <= f <= 1.0 for _, f in seen)


def test_skip_replays_the_random_draws(tmp_path: Path) -> None:
    write_mnist(tmp_path, n_train=100)
    for preset in ("none", "light", "standard", "strong"):
        split = load_data(
            project(source="mnist", root=str(tmp_path), val=0.0, augment={"preset": preset})
        ).train
        g1, g2 = torch.Generator().manual_seed(1), torch.Generator().manual_seed(1)
        full = list(split.batches(16, shuffle=True, generator=g1, augment=True))
        tail = list(split.batches(16, shuffle=True, generator=g2, augment=True, skip=3))
        assert len(tail) == len(full) - 3
        assert all(torch.equal(a[0], b[0]) for a, b in zip(full[3:], tail, strict=True)), preset
        assert torch.equal(g1.get_state(), g2.get_state())  # the next epoch starts alike


def test_download_goes_through_the_download_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import studio.core.data.download as download

    calls: list[tuple[str, Path]] = []

    def fake(source, root, progress=None, cancel=None, **kw):
        calls.append((source, Path(root)))
        progress("fetching", 0.1)
        write_mnist(Path(root), n_train=30, n_test=10)
        return []

    monkeypatch.setattr(download, "download_source", fake)
    seen: list[tuple[str, float | None]] = []
    b = load_data(
        project(source="mnist", root=str(tmp_path), download=True), progress=lambda m, f: seen.append((m, f))
    )
    assert calls == [("mnist", tmp_path)]
    assert ("fetching", pytest.approx(0.03)) in seen  # the download is the first 30% of loading
    assert len(b.test) == 10
    load_data(project(source="mnist", root=str(tmp_path), download=True))
    assert len(calls) == 1  # present files are not fetched again


SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"


@pytest.mark.slow
@pytest.mark.skipif(not (SHARED / "FashionMNIST" / "raw").is_dir(), reason="needs ../shared/data")
def test_real_fashion_mnist() -> None:
    b = load_data(project(source="fashion_mnist", root=str(SHARED), val=0.1))
    assert (len(b.train), len(b.val), len(b.test)) == (54000, 6000, 10000)
    assert b.mean[0] == pytest.approx(0.2860, abs=1e-3) and b.std[0] == pytest.approx(0.3530, abs=1e-3)
    assert b.val.counts(10) == [600] * 10
