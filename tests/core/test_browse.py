"""The dataset browser's Qt-free core: LRU cache, listings, filters, counts, decoding."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from studio.core.base.errors import UserError
from studio.core.data.browse import (
    LRUCache,
    class_counts,
    decode_thumbnail,
    filter_rows,
    imbalance_warning,
    make_listing,
    model_input,
)


def test_lru_cache_stays_within_its_byte_budget_and_evicts_oldest() -> None:
    cache: LRUCache[str] = LRUCache(100)
    for k in range(10):
        cache.put(k, f"v{k}", 30)
        assert cache.total_bytes <= 100
    assert len(cache) == 3
    assert cache.get(0) is None and cache.get(9) == "v9"
    cache.get(7)  # 7 becomes most recent: 8 is evicted next
    cache.put("x", "vx", 30)
    assert cache.get(8) is None and cache.get(7) == "v7"
    cache.put("huge", "h", 1000)  # larger than the budget: not cached
    assert cache.get("huge") is None and cache.total_bytes <= 100


def test_lru_cache_is_safe_under_concurrent_puts() -> None:
    cache: LRUCache[int] = LRUCache(1000)

    def work(base: int) -> None:
        for k in range(2000):
            cache.put((base, k), k, 7)
            cache.get((base, k - 1))

    threads = [threading.Thread(target=work, args=(b,)) for b in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert cache.total_bytes <= 1000
    assert cache.total_bytes == 7 * len(cache)


def _listing():
    classes = ["고양이", "dog", "bird"]
    paths = [
        f"/d/{s}/{classes[lab]}/img_{k}{'_한글' if k % 4 == 0 else ''}.png"
        for k, (s, lab) in enumerate(
            [("train", 0)] * 6 + [("train", 1)] * 3 + [("val", 0)] * 2 + [("val", 2)] * 1
        )
    ]
    labels = [0] * 6 + [1] * 3 + [0] * 2 + [2]
    splits = ["train"] * 9 + ["val"] * 3
    return make_listing(classes, paths, labels, splits)


def test_filter_rows_by_class_split_and_name() -> None:
    listing = _listing()
    assert filter_rows(listing).tolist() == list(range(12))
    assert filter_rows(listing, label=0).tolist() == [0, 1, 2, 3, 4, 5, 9, 10]
    assert filter_rows(listing, split="val").tolist() == [9, 10, 11]
    assert filter_rows(listing, label=0, split="val").tolist() == [9, 10]
    assert filter_rows(listing, search="한글").tolist() == [0, 4, 8]
    assert filter_rows(listing, search="IMG_1").tolist() == [1, 10, 11]
    assert filter_rows(listing, split="test").tolist() == []
    assert listing.name(4) == "img_4_한글.png" and listing.label_name(9) == "고양이"


def test_class_counts_and_imbalance_warning() -> None:
    counts = class_counts(_listing())
    assert counts.split_names == ("train", "val")
    assert counts.counts.tolist() == [[6, 3, 0], [2, 0, 1]]
    assert counts.to_dict()["val"] == {"고양이": 2, "dog": 0, "bird": 1}
    text = imbalance_warning(counts)
    assert text is not None and "bird" in text  # no training images at all
    balanced = make_listing(["a", "b"], None, [0, 1, 0, 1], ["train"] * 4)
    assert imbalance_warning(class_counts(balanced)) is None
    skewed = make_listing(["a", "b"], None, [0] * 50 + [1] * 5, ["train"] * 55)
    warning = imbalance_warning(class_counts(skewed))
    assert warning is not None and "10.0x" in warning


def test_class_counts_are_counted_once_per_listing(monkeypatch) -> None:
    import studio.core.data.browse as browse

    listing = _listing()
    calls: list[int] = []
    real = browse._count_classes
    monkeypatch.setattr(browse, "_count_classes", lambda lst: calls.append(1) or real(lst))
    first = class_counts(listing)
    assert class_counts(listing) is first and len(calls) == 1
    assert first.counts.tolist() == [[6, 3, 0], [2, 0, 1]]
    class_counts(_listing())  # another listing: counted afresh
    assert len(calls) == 2


def test_present_splits_finds_every_name_without_unique() -> None:
    from studio.core.data.browse import _present_splits

    assert _present_splits(np.array(["train", "test", "train"], dtype="<U5")) == {"train", "test"}
    assert _present_splits(np.array(["val", "extra", "val"])) == {"val", "extra"}  # the general way
    assert _present_splits(np.zeros(0, dtype="<U5")) == set()


def test_browse_loads_numpys_lazy_modules_up_front() -> None:
    """numpy.random and numpy.ma come with the browser, not with the first listing's worker.

    Their C set-up holds the GIL; run on the worker it froze the window for 100-160 ms.
    """
    import subprocess
    import sys

    code = (
        "import sys; import studio.core.data.browse; "
        "print('numpy.random' in sys.modules, 'numpy.ma' in sys.modules)"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root, timeout=120
    )
    assert out.stdout.split() == ["True", "True"]


def test_decode_thumbnail_keeps_grey_and_alpha_and_fits_the_box(tmp_path: Path) -> None:
    Image.new("L", (300, 100), 7).save(tmp_path / "grey.png")
    Image.new("RGBA", (40, 80), (1, 2, 3, 4)).save(tmp_path / "alpha.png")
    Image.new("RGB", (64, 64), (9, 8, 7)).save(tmp_path / "사진.jpg")
    grey = decode_thumbnail(tmp_path / "grey.png", 64)
    assert grey.shape == (21, 64, 1) and grey.dtype == np.uint8 and int(grey[0, 0, 0]) == 7
    assert decode_thumbnail(tmp_path / "alpha.png", 64).shape == (64, 32, 4)
    assert decode_thumbnail(tmp_path / "사진.jpg", 32).shape == (32, 32, 3)
    (tmp_path / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    with pytest.raises(UserError, match="broken.png"):
        decode_thumbnail(tmp_path / "broken.png", 64)


def test_in_memory_listing_reads_pixels_and_model_input_converts(tmp_path: Path) -> None:
    import torch

    images = torch.arange(2 * 1 * 4 * 4, dtype=torch.uint8).reshape(2, 1, 4, 4)
    listing = make_listing(["x"], None, [0, 0], ["train", "test"], reader=lambda i: images[i], official_cut=1)
    assert listing.name(0) == "train #0" and listing.name(1) == "test #0"
    assert listing.pixels(1).shape == (4, 4, 1) and int(listing.pixels(1)[0, 0, 0]) == 16
    info = listing.info(0)
    assert (info.width, info.height, info.mode) == (4, 4, "L")
    same = model_input(listing, 0, 1, (4, 4))
    assert torch.equal(same, images[0])
    rgb = model_input(listing, 0, 3, (8, 8))
    assert rgb.shape == (3, 8, 8) and rgb.dtype == torch.uint8
    Image.new("RGB", (20, 10), (200, 0, 0)).save(tmp_path / "r.png")
    files = make_listing(["r"], [str(tmp_path / "r.png")], [0], ["train"])
    grey = model_input(files, 0, 1, (6, 6))
    assert grey.shape == (1, 6, 6)
    assert files.info(0).describe().count("\n") == 3


def test_listing_from_base_holds_out_validation_like_load_data(tmp_path: Path) -> None:
    from studio.core.data.browse import listing_from_base, load_base
    from studio.core.data.datasets import holdout

    for c, n in (("가", 10), ("b", 6)):
        (tmp_path / c).mkdir()
        for k in range(n):
            Image.new("L", (4, 4), k).save(tmp_path / c / f"{k}.png")
    base = load_base("folder", str(tmp_path))
    listing = listing_from_base(base, 0.25, seed=3)
    assert listing.split_names == ("train", "val") and len(listing) == 16
    _, va = holdout(base.index.labels, 0.25, 3)
    assert np.flatnonzero(listing.splits == 1).tolist() == sorted(va.tolist())
    assert listing_from_base(base, 0.0, 3).split_names == ("train",)
    assert listing_from_base(base, "test", 3).split_names == ("train",)
