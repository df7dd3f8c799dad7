"""Build ``resources/sample/``: the small Fashion-MNIST subset shipped with the studio.

The ``sample`` data source lets the studio train something out of the box with no network.
This script takes a class-balanced, seeded subset of Fashion-MNIST (Zalando Research, MIT
licence) from the four uncompressed IDX files that torchvision reads and writes it as
gzip'd IDX files (the format of the original distribution) — the same input always gives
byte-identical output (fixed seed, gzip ``mtime=0``).

    python tools/make_sample.py [--src ../shared/data/FashionMNIST/raw] [--out resources/sample]
        [--train-per-class 500] [--test-per-class 100]
"""

from __future__ import annotations

import argparse
import gzip
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run as a script from a checkout

from studio.core.data.errors import DatasetError  # noqa: E402 - after the path set-up
from studio.core.data.sources import idx_bytes, read_idx  # noqa: E402

DEFAULT_SRC = REPO.parent / "shared" / "data" / "FashionMNIST" / "raw"
SEED = 20240601


def read_idx_file(path: Path) -> np.ndarray:
    """An IDX file (uint8 data) as a numpy array, through the studio's own reader."""
    try:
        return read_idx(path.read_bytes(), str(path))
    except (OSError, DatasetError) as exc:
        raise SystemExit(f"{path}: {exc}") from None


def balanced_subset(labels: np.ndarray, per_class: int, rng: np.random.Generator) -> np.ndarray:
    """Sorted indices of ``per_class`` random examples of every class."""
    picks = []
    for c in np.unique(labels):
        idx = np.flatnonzero(labels == c)
        picks.append(rng.choice(idx, size=per_class, replace=False))
    return np.sort(np.concatenate(picks))


def write_gz(path: Path, payload: bytes) -> None:
    """Gzip ``payload`` deterministically (no timestamp, no file name in the header)."""
    with (
        open(path, "wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz,
    ):
        gz.write(payload)


def main(argv: list[str] | None = None) -> int:
    """Write the subset and print what was written."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", type=Path, default=DEFAULT_SRC)
    ap.add_argument("--out", type=Path, default=REPO / "resources" / "sample")
    ap.add_argument("--train-per-class", type=int, default=500)
    ap.add_argument("--test-per-class", type=int, default=100)
    args = ap.parse_args(argv)
    rng = np.random.default_rng(SEED)
    args.out.mkdir(parents=True, exist_ok=True)
    for split, per_class in (("train", args.train_per_class), ("t10k", args.test_per_class)):
        images = read_idx_file(args.src / f"{split}-images-idx3-ubyte")
        labels = read_idx_file(args.src / f"{split}-labels-idx1-ubyte")
        keep = balanced_subset(labels, per_class, rng)
        for kind, arr in (("images-idx3", images[keep]), ("labels-idx1", labels[keep])):
            path = args.out / f"{split}-{kind}-ubyte.gz"
            write_gz(path, idx_bytes(arr))
            print(
                f"{path.relative_to(REPO) if path.is_relative_to(REPO) else path}: "
                f"{arr.shape} {path.stat().st_size / 1e6:.2f} MB"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
