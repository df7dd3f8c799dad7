"""Does ``lr-find``'s suggestion land near the best learning rate? (target: within 3x)

    .venv/bin/python benchmarks/lr_finder.py [--template sample-cnn] [--grid 1e-4,3e-4,1e-3,3e-3,1e-2]

For each template: run ``cnn-studio lr-find PROJECT --json``, then train the template for one
epoch at each rate of a small grid (the same recipe, only ``training.optimizer.lr`` changed)
and print each rate's validation accuracy, the best grid rate, the suggestion and their ratio.
Fashion-MNIST templates read ``../shared/data`` (no download here).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

from _train_bench import SHARED, bench_env, machine_note, run_train, temp_dir, template_project, write_project

FASHION = {"source": "fashion_mnist", "root": str(SHARED), "download": False}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--template", action="append", help="template(s) to check (default: sample-cnn, fashion-mnist-cnn)"
    )
    parser.add_argument("--grid", default="1e-4,3e-4,1e-3,3e-3,1e-2,3e-2", help="rates, comma-separated")
    parser.add_argument("--threads", type=int, default=0)
    args = parser.parse_args()
    grid = [float(x) for x in args.grid.split(",")]
    print(machine_note())
    for name in args.template or ["sample-cnn", "fashion-mnist-cnn"]:
        data = FASHION if name.startswith("fashion") else {}
        work = temp_dir("lr-find-")
        project = template_project(name, data=data, training={"device": "cpu", "epochs": 1})
        path = write_project(project, work)
        proc = subprocess.run(
            [sys.executable, "-m", "studio", "lr-find", str(path), "--json"],
            capture_output=True,
            text=True,
            env=bench_env(args.threads or None),
        )
        if proc.returncode != 0:
            raise SystemExit(proc.stderr)
        suggested = json.loads(proc.stdout)["suggested"]
        results = []
        for lr in grid:
            scheduler = project["training"].get("scheduler") or {}
            if scheduler.get("type") == "OneCycleLR" and "max_lr" in scheduler:
                scheduler["max_lr"] = lr  # the one-cycle peak is the rate that matters (lr_finder.rate_key)
            else:
                project["training"]["optimizer"]["lr"] = lr
            run_path = write_project(project, work, f"lr-{lr:g}.json")
            _, events = run_train(run_path, work / f"run-{lr:g}", args.threads or None)
            acc = next((e.get("val_acc") for e in reversed(events) if e["event"] == "epoch"), None)
            results.append((lr, acc or 0.0))
            print(f"  {name}: lr {lr:<8g} 1 epoch -> val_acc {acc}")
        best_lr, best_acc = max(results, key=lambda r: r[1])
        if suggested is None:
            print(f"{name}: no suggestion; best grid rate {best_lr:g} ({best_acc:.4f})")
            continue
        ratio = max(suggested / best_lr, best_lr / suggested)
        verdict = "within 3x" if ratio <= 3 else "OUTSIDE 3x"
        print(
            f"{name}: suggested {suggested:.3g}, best grid rate {best_lr:g} (val_acc {best_acc:.4f}), "
            f"ratio {ratio:.2f} -> {verdict}"
        )


if __name__ == "__main__":
    main()
