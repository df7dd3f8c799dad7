"""The ``mnist-cnn`` template's wall time to its MNIST test accuracy (target: >= 99.0% in 20 s).

    .venv/bin/python benchmarks/mnist_speed.py [--root ROOT] [--threads N] [--repeats 1]

Runs ``python -m studio train`` on the template as one process, so start-up, imports and
data loading are inside the figure. MNIST is read from ``ROOT/MNIST/raw`` (torchvision's
layout; default: the template's own ``~/.cache/cnn-studio/datasets``). Where MNIST is not
there (the development machine has no copy and no network), the same network and recipe run
on Fashion-MNIST from ``../shared/data`` instead, which has the same format and size but is
much harder (expect roughly 91-92% there): the time is the same, the accuracy is a proxy.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from _train_bench import SHARED, machine_note, run_train, temp_dir, template_project, write_project

TARGET_ACC, TARGET_SECONDS = 0.99, 20.0


def has_mnist(root: Path) -> bool:
    """torchvision's MNIST files (raw IDX, plain or gzipped) under ``root/MNIST/raw``."""
    raw = root / "MNIST" / "raw"
    return all(
        (raw / name).is_file() or (raw / f"{name}.gz").is_file()
        for name in (
            "train-images-idx3-ubyte",
            "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte",
            "t10k-labels-idx1-ubyte",
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--root", default="~/.cache/cnn-studio/datasets", help="folder holding MNIST/raw (torchvision layout)"
    )
    parser.add_argument("--threads", type=int, default=0, help="CPU threads (default: the engine's choice)")
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    root = Path(os.path.expanduser(args.root))
    if has_mnist(root):
        dataset, data = "MNIST", {"source": "mnist", "root": str(root), "download": False}
    elif (SHARED / "FashionMNIST" / "raw").is_dir():
        dataset, data = (
            "Fashion-MNIST (proxy: no MNIST under --root)",
            {"source": "fashion_mnist", "root": str(SHARED), "download": False},
        )
    else:
        raise SystemExit(f"neither {root}/MNIST/raw nor {SHARED}/FashionMNIST/raw exists")
    work = temp_dir("mnist-speed-")
    project = template_project("mnist-cnn", data=data, training={"device": "cpu"})
    path = write_project(project, work)
    t = project["training"]
    print(
        f"mnist-cnn on {dataset}: {t['epochs']} epochs, batch {t['batch_size']}, "
        f"{t['optimizer']['type']} + {(t.get('scheduler') or {}).get('type', 'no schedule')}"
    )
    for r in range(args.repeats):
        wall, events = run_train(path, work / f"run-{r}", args.threads or None)
        end = events[-1]
        acc = end["test_acc"]
        epochs = [e for e in events if e["event"] == "epoch"]
        train_s = sum(e["seconds"] for e in epochs)
        verdict = ""
        if dataset == "MNIST":
            ok = acc >= TARGET_ACC and wall <= TARGET_SECONDS
            verdict = (
                f" -> target (>= {TARGET_ACC:.1%} in {TARGET_SECONDS:.0f} s) {'met' if ok else 'MISSED'}"
            )
        print(
            f"  run {r + 1}: test accuracy {acc:.4f} in {wall:.1f} s wall ({train_s:.1f} s training + "
            f"validation, {wall - train_s:.1f} s start-up, data loading and test){verdict}"
        )
    print(machine_note())


if __name__ == "__main__":
    main()
