"""Wall time of the ``fashion-mnist-cnn`` template to its final test accuracy.

    .venv/bin/python benchmarks/time_to_accuracy.py [--data ROOT] [--threads N] [--epochs N]

Runs ``python -m studio train`` on the template (data from ``../shared/data``) as one process
and prints the whole-process wall time (start-up and data loading included), the time each
epoch ended and its validation (= test) accuracy, and the final test accuracy.
"""

from __future__ import annotations

import argparse

from _train_bench import fashion_root, machine_note, run_train, temp_dir, template_project, write_project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="folder holding FashionMNIST/raw (default: ../shared/data)")
    parser.add_argument("--threads", type=int, default=0, help="CPU threads (default: the engine's choice)")
    parser.add_argument("--epochs", type=int, default=0, help="override the template's epochs")
    args = parser.parse_args()
    root = fashion_root(args.data)
    work = temp_dir("time-to-accuracy-")
    training = {"device": "cpu"}
    if args.epochs:
        training["epochs"] = args.epochs
    project = template_project("fashion-mnist-cnn", data={"root": str(root), "download": False}, training=training)
    path = write_project(project, work)
    wall, events = run_train(path, work / "run", args.threads or None)
    epochs = [e for e in events if e["event"] == "epoch"]
    end = events[-1]
    elapsed = 0.0
    for e in epochs:
        elapsed += e["seconds"]
        print(f"  epoch {e['epoch']}: test acc {e['val_acc']:.4f} after {elapsed:5.1f} s of training "
              f"({e['images_per_second']:.0f} img/s)")
    print(f"fashion-mnist-cnn: test accuracy {end['test_acc']:.4f} in {wall:.1f} s wall "
          f"({len(epochs)} epochs, batch {project['training']['batch_size']}; start-up and data loading "
          f"included)")
    print(machine_note())


if __name__ == "__main__":
    main()
