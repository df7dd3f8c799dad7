"""Wall time of a template to its final test accuracy, with the FLOP rate it reached.

    .venv/bin/python benchmarks/time_to_accuracy.py [--template fashion-mnist-cnn] [--data ROOT]
        [--threads N] [--epochs N] [--device cpu|cuda] [--cold]

Runs ``python -m studio train`` on the template as one process and prints the whole-process
wall time (start-up, data loading, the folder's one-time decoding and the test included), the
time each epoch ended and its validation accuracy, the final test accuracy, the FLOP rate the
training phase achieved (3 x 2 x the model's multiply-adds per image x the images trained, over
the epochs' own seconds) and, beside it, the float32 matmul peak this process measures on the
same number of threads.

* ``fashion-mnist-cnn`` (default): ``--data`` holds ``FashionMNIST/raw`` (default ../shared/data).
* ``cifar10-fast``: ``--data`` is the CIFAR-10 JPEG folder (``train/`` and ``test/`` of class
  folders), e.g. ``tar xzf ../shared/data/cifar10-jpg.tar.gz -C /tmp`` then ``--data
  /tmp/cifar10``. Target: >= 85% test accuracy within 600 s wall on a 2-core CPU.
* ``mnist-cnn``: ``--data`` holds ``MNIST/raw``.

``--cold`` empties the decoded-image cache first (a private ``CNN_STUDIO_HOME`` is used either
way, so the figure includes the first decode unless a previous ``--keep-home`` run filled it).
``--device cuda`` (with the template's precision, mixed on CUDA) is the GPU check of issue 21.
"""

from __future__ import annotations

import argparse
import os
import re
import time

from _train_bench import (
    fashion_root,
    machine_note,
    run_train_timed,
    temp_dir,
    template_project,
    write_project,
)

FOLDER_TEMPLATES = {"cifar10-fast"}


def matmul_peak(threads: int | None, size: int = 2048, seconds: float = 3.0) -> float:
    """float32 GFLOPS of a square matmul loop on ``threads`` threads (best of short rounds)."""
    import torch

    if threads:
        torch.set_num_threads(threads)
    a = torch.randn(size, size)
    b = torch.randn(size, size)
    torch.mm(a, b)
    best = 0.0
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        t = time.perf_counter()
        torch.mm(a, b)
        best = max(best, 2 * size**3 / (time.perf_counter() - t) / 1e9)
    return best


def macs_per_image(project: dict) -> int:
    """The model's multiply-adds for one image (studio's own shape analysis)."""
    from studio.core.model.shapes import analyze
    from studio.core.project.project_file import Project

    p = Project.from_dict(project)
    return int(analyze(p.model.layers, p.input_shape).macs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--template", default="fashion-mnist-cnn")
    parser.add_argument("--data", help="the dataset's folder (see the module docstring)")
    parser.add_argument("--threads", type=int, default=0, help="CPU threads (default: the engine's choice)")
    parser.add_argument("--epochs", type=int, default=0, help="override the template's epochs")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--cold", action="store_true", help="clear the decoded-image cache first")
    parser.add_argument("--keep-home", default=None, help="CNN_STUDIO_HOME to use (and keep) across runs")
    args = parser.parse_args()
    work = temp_dir("time-to-accuracy-")
    os.environ["CNN_STUDIO_HOME"] = args.keep_home or str(work / "home")
    training = {"device": args.device}
    if args.epochs:
        training["epochs"] = args.epochs
    if args.template in FOLDER_TEMPLATES:
        if not args.data:
            raise SystemExit(
                "--data: the CIFAR-10 JPEG folder (tar xzf ../shared/data/cifar10-jpg.tar.gz -C /tmp; "
                "--data /tmp/cifar10)"
            )
        data = {"root": os.path.abspath(args.data)}
    elif args.template == "mnist-cnn":
        data = {"root": args.data or "", "download": False}
    else:
        data = {"root": str(fashion_root(args.data)), "download": False}
    project = template_project(args.template, data=data, training=training)
    if args.cold:
        from studio.core.data.decode_cache import clear_cache

        clear_cache()
    path = write_project(project, work)
    macs = macs_per_image(project)
    wall, _, proc = run_train_timed(path, work / "run", args.threads or None)
    from studio.core.runs.run_folder import read_metrics

    events = read_metrics(work / "run")
    found = re.search(r"([\d,]+) train\b", proc.stderr or "")  # "... 45,000 train / 5,000 val ..."
    epochs = [e for e in events if e["event"] == "epoch"]
    end = events[-1]
    elapsed = 0.0
    for e in epochs:
        elapsed += e["seconds"]
        print(
            f"  epoch {e['epoch']}: val acc {e['val_acc']:.4f} after {elapsed:5.1f} s of training "
            f"({e['images_per_second']:.0f} img/s)"
        )
    trained = (
        int(found.group(1).replace(",", "")) * len(epochs)
        if found
        else round(sum(e["images_per_second"] * e["seconds"] for e in epochs))
    )
    gflops = 6 * macs * trained / elapsed / 1e9 if elapsed else float("nan")
    threads = args.threads or int(os.environ.get("CNN_STUDIO_THREADS", "0")) or os.cpu_count()
    peak = matmul_peak(threads) if args.device == "cpu" else float("nan")
    acc = end.get("test_acc")
    print(
        f"{args.template}: test accuracy {acc if acc is None else f'{acc:.4f}'} in {wall:.1f} s wall "
        f"({len(epochs)} epochs, batch {project['training']['batch_size']}; start-up, data loading and "
        f"decoding included)"
    )
    print(
        f"  training: {trained:,} images in {elapsed:.1f} s, {macs / 1e6:.1f}M MACs per image: "
        f"{gflops:.1f} GFLOPS achieved; float32 matmul peak {peak:.1f} GFLOPS on {threads or 'default'} "
        f"thread(s)"
    )
    print(machine_note())


if __name__ == "__main__":
    main()
