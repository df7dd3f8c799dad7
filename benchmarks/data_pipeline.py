"""Data pipeline speed: folder scanning, in-memory batching, augmentation, folder decoding.

    .venv/bin/python benchmarks/data_pipeline.py [--files 100000] [--folder PATH] [--workers N]

Prints one line per figure:

* ``scan``: :func:`studio.core.data.folder.scan_folder` over a generated folder of ``--files``
  empty ``.jpg`` files in 100 class folders (the Data page's 100k-image case; target: well
  under 3 s).
* ``batches``: one epoch of Fashion-MNIST (``../shared/data``, else the embedded sample) through
  ``TensorSplit.batches`` (uint8 index + convert + normalise) against a plain loop that
  indexes a preloaded, already normalised float tensor — the ratio is plain / ours
  (1.0 = as fast as the plain loop; the data part of the engine's 0.95x budget).
* ``augment``: the same epoch with the ``standard`` and ``strong`` presets, images per second.
* ``train``: training speed from epoch 2 of ``sample-cnn`` (``python -m studio train``, whole
  processes, alternating ``--pairs`` times) on the embedded sample's 5,000 Fashion-MNIST
  images written as a PNG folder against the same images from the built-in ``sample`` source;
  prints both images/s and the median of the pairs' own ratios folder / built-in (target >= 0.9:
  the decoded-image cache makes a folder as fast as arrays; a pair shares the machine's state,
  which drifts between minutes).
  The first folder run decodes the PNGs once into the cache (its wall time is printed too).
  ``--pairs 0`` skips it.
* ``folder``: with ``--folder PATH`` (e.g. ``tar xzf ../shared/data/cifar10-jpg.tar.gz -C /tmp``
  then ``--folder /tmp/cifar10``), images per second decoded by the DataLoader workers.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from studio.core.data.datasets import load_data  # noqa: E402
from studio.core.data.folder import scan_folder  # noqa: E402
from studio.core.project.project_file import Project  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def bench_scan(files: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        per = files // 100
        for c in range(100):
            d = Path(tmp) / f"class_{c:03d}"
            d.mkdir()
            for i in range(per):
                open(d / f"img_{i:06d}.jpg", "wb").close()
        os.sync()
        t = time.perf_counter()
        index = scan_folder(tmp)
        dt = time.perf_counter() - t
        print(f"scan: {len(index):,} files in {dt:.2f} s ({len(index) / dt:,.0f} files/s)")


def _project(**data) -> Project:
    base = {"source": "fashion_mnist", "root": str(SHARED), "val": 0.0}
    if not (SHARED / "FashionMNIST" / "raw").is_dir():
        base = {"source": "sample", "val": 0.0}
    base.update(data)
    return Project.from_dict({"data": base})


def bench_batches(batch_size: int = 128, repeats: int = 3) -> None:
    b = load_data(_project())
    split = b.train
    n = len(split)
    plain_x = ((split.images.float() / 255) - b.mean[0]) / b.std[0]
    plain_y = split.labels

    def ours() -> float:
        g = torch.Generator().manual_seed(0)
        t = time.perf_counter()
        s = 0.0
        for x, _y in split.batches(batch_size, shuffle=True, generator=g):
            s += float(x[0, 0, 0, 0])
        return time.perf_counter() - t

    def plain() -> float:
        g = torch.Generator().manual_seed(0)
        t = time.perf_counter()
        perm = torch.randperm(n, generator=g)
        s = 0.0
        for i in range(0, n, batch_size):
            idx = perm[i : i + batch_size]
            x, _y = plain_x[idx], plain_y[idx]
            s += float(x[0, 0, 0, 0])
        return time.perf_counter() - t

    t_ours = min(ours() for _ in range(repeats))
    t_plain = min(plain() for _ in range(repeats))
    print(
        f"batches: {b.source} {n:,} images, batch {batch_size}: ours {t_ours * 1000:.0f} ms/epoch, "
        f"plain preloaded-float loop {t_plain * 1000:.0f} ms/epoch, ratio plain/ours {t_plain / t_ours:.2f}"
    )
    for preset in ("standard", "strong"):
        ba = load_data(_project(augment={"preset": preset}))
        g = torch.Generator().manual_seed(0)
        t = time.perf_counter()
        for _ in ba.train.batches(batch_size, shuffle=True, generator=g, augment=True):
            pass
        dt = time.perf_counter() - t
        print(f"augment: preset {preset}: {n / dt:,.0f} images/s ({dt:.2f} s per epoch)")


def bench_folder(folder: str, workers: int | None, limit_batches: int = 100) -> None:
    p = Project.from_dict(
        {
            "data": {"source": "folder", "root": folder, "channels": 3, "image_size": [32, 32], "val": 0.0},
            "training": {"workers": workers},
        }
    )
    b = load_data(p)
    g = torch.Generator().manual_seed(0)
    it = b.train.batches(128, shuffle=True, generator=g)
    next(it)  # worker start-up
    t = time.perf_counter()
    count = 0
    for k, (x, _) in enumerate(it):
        count += len(x)
        if k + 1 >= limit_batches:
            break
    dt = time.perf_counter() - t
    print(
        f"folder: {folder}: {count / dt:,.0f} images/s decoded with {b.train.workers} worker(s), "
        f"{len(b.skipped)} skipped"
    )
    b.close()


def _png_folder(dest: Path) -> Path:
    """The embedded sample's training images as ``dest/<class>/<n>.png`` (written once)."""
    from PIL import Image

    if (dest / ".complete").exists():
        return dest
    b = load_data(Project.from_dict({"data": {"source": "sample", "val": 0.0}}))
    split = b.train
    for i in range(len(split)):
        x, y, _ = split.item(i)
        d = dest / b.classes[y].replace("/", "-")
        d.mkdir(parents=True, exist_ok=True)
        Image.fromarray(x[0].numpy()).save(d / f"{i:05d}.png")
    (dest / ".complete").touch()
    return dest


def bench_train(pairs: int, threads: int | None, epochs: int = 4) -> None:
    from _train_bench import run_train, template_project, write_project

    work = Path(tempfile.mkdtemp(prefix="data-pipeline-"))
    folder = _png_folder(Path(tempfile.gettempdir()) / "cnn-studio-bench-sample-png")
    training = {"epochs": epochs, "device": "cpu", "scheduler": None}
    data = {"val": 0.0, "augment": {}, "channels": 1, "image_size": [28, 28]}
    builtin = template_project("sample-cnn", data={**data, "source": "sample"}, training=training)
    png = template_project(
        "sample-cnn", data={**data, "source": "folder", "root": str(folder)}, training=training
    )
    paths = {
        "builtin": write_project(builtin, work, "builtin.json"),
        "png": write_project(png, work, "png.json"),
    }
    speeds: dict[str, list[float]] = {"builtin": [], "png": []}
    for k in range(pairs + 1):
        for name in ("png", "builtin"):
            wall, events = run_train(paths[name], work / f"run-{name}-{k}", threads)
            ips = [e["images_per_second"] for e in events if e["event"] == "epoch"]
            shown = ", ".join(f"{v:,.0f}" for v in ips)
            if k == 0:  # the first folder run decodes into the cache: shown, not counted
                print(f"train: warm-up {name}: {wall:.1f} s wall, epochs at {shown} img/s")
                continue
            speeds[name].append(statistics.median(ips[1:]))  # epoch 2 on: no decoding left
    med = {n: statistics.median(v) for n, v in speeds.items()}
    pairs_ratio = [a / b for a, b in zip(speeds["png"], speeds["builtin"], strict=True)]
    print(
        f"train: sample-cnn, epochs 2-{epochs} (median per run): PNG folder "
        f"{', '.join(f'{v:,.0f}' for v in speeds['png'])} img/s, built-in "
        f"{', '.join(f'{v:,.0f}' for v in speeds['builtin'])} img/s; pair ratios folder/built-in "
        f"{', '.join(f'{r:.2f}' for r in pairs_ratio)}: median {statistics.median(pairs_ratio):.2f} "
        f"(ratio of the medians {med['png'] / med['builtin']:.2f}; target >= 0.9)"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=100_000)
    ap.add_argument("--folder", default=None)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--threads", type=int, default=None, help="torch intra-op threads (default: torch's)")
    ap.add_argument("--data", default=None, help="folder holding FashionMNIST/raw (default: ../shared/data)")
    ap.add_argument("--pairs", type=int, default=3, help="folder/built-in training pairs (0: skip)")
    ap.add_argument("--skip-scan", action="store_true", help="leave out the scan and in-memory figures")
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.data:
        global SHARED
        SHARED = Path(args.data).resolve()
    print(
        f"torch threads: {torch.get_num_threads()}, cores: {os.cpu_count()}, "
        f"load average: {os.getloadavg()[0]:.1f}"
    )
    os.environ.setdefault("CNN_STUDIO_HOME", tempfile.mkdtemp(prefix="cnn-studio-bench-"))
    if not args.skip_scan:
        bench_scan(args.files)
        bench_batches()
    if args.pairs:
        bench_train(args.pairs, args.threads)
    if args.folder:
        bench_folder(args.folder, args.workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
