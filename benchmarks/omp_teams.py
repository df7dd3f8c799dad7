"""How much a lingering torch worker thread slows a training run started beside it.

Why this exists: with GNU OpenMP (Linux torch wheels), every thread that has run torch math
keeps a team of OpenMP worker threads while it lives. Once more OpenMP threads are alive than
the machine has cores, the runtime stops busy-waiting between parallel regions and puts
threads to sleep instead, which costs training dearly. The GUI therefore runs torch work on
threads that exit when done (:func:`studio.gui.common.tasks.short_lived_pool`); this script shows
the difference it makes.

It trains ``fashion-mnist-cnn`` for one epoch on a fresh thread, alternately:

* ``alone``: no other thread has a team (what the GUI now guarantees when idle);
* ``beside``: another thread ran one parallel torch op and now waits idle (what a thread
  pool's idle thread did for 30 seconds after an evaluation or a model summary).

    .venv/bin/python benchmarks/omp_teams.py [--repeat 3] [--data ../shared/data]

It prints each run's training seconds and the median of the pairs' alone/beside ratios.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def train_once(project: object, folder: Path) -> float:
    """One epoch on a new thread; the epoch's own training seconds."""
    from studio.core.training import engine

    run_dir = folder / "run"
    thread = threading.Thread(target=engine.train, args=(project, run_dir))
    thread.start()
    thread.join()
    events = [
        json.loads(line) for line in (run_dir / "metrics.jsonl").read_text().splitlines() if line.strip()
    ]
    return sum(e["seconds"] for e in events if e.get("event") == "epoch")


def idle_team() -> tuple[threading.Thread, threading.Event]:
    """A thread that ran one parallel op (so it owns an OpenMP team) and now just waits."""
    import torch

    release, ready = threading.Event(), threading.Event()

    def hold() -> None:
        torch.ones(4_000_000).mul_(2)
        ready.set()
        release.wait()

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    ready.wait()
    return thread, release


def main() -> int:
    """Alternate alone/beside runs and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    args = parser.parse_args()
    if not (args.data / "FashionMNIST" / "raw").is_dir():
        raise SystemExit(f"no FashionMNIST/raw under {args.data}; pass --data")
    import torch

    from studio.core.project.templates import get_template

    project = get_template("fashion-mnist-cnn").project()
    project.data.root = str(args.data.resolve())
    project.data.download = False
    project.training.epochs = 1
    ratios = []
    with tempfile.TemporaryDirectory(prefix="cnn-studio-omp-") as tmp:
        for i in range(args.repeat):
            alone = train_once(project, Path(tmp) / f"alone-{i}")
            thread, release = idle_team()
            beside = train_once(project, Path(tmp) / f"beside-{i}")
            release.set()
            thread.join()
            ratios.append(beside / alone)
            print(
                f"pair {i + 1}: alone {alone:.2f} s, beside an idle torch thread {beside:.2f} s", flush=True
            )
    print(
        f"\n{torch.get_num_threads()} torch threads; a lingering idle torch thread makes training "
        f"{statistics.median(ratios):.2f}x slower (median of {len(ratios)} pairs)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
